//! The Argo Workflows target: snapshots of every emitted file, a read-back
//! test that rebuilds the task graph from the `depends` expressions and
//! compares it with the plan, and a property test with hostile commands and
//! names whose container scripts are run with `sh` and the env they declare.

mod common;

use common::{all_plans, hostile_plan, plans};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use proptest::prelude::*;
use serde::Deserialize;
use serde_yaml_ng::Value;
use sluice_targets::argo::{
    self, bake_cycles, lower, names::is_dns_label, stage_task, APPROVAL_TEMPLATE, RUN_LINE,
    WAIT_TEMPLATE,
};
use sluice_targets::gates::{blockers_args, Alarm, Probe as GateProbe};
use sluice_targets::output::OutputFile;
use sluice_targets::plan::{Command, GateCheck, Plan, Segment, UnitId, Work};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    argo::emit(&inputs).expect("Argo takes every plan")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for folder in ["examples", "tests/fixtures/build"] {
        for file in &emit(&plans(folder)) {
            let name = format!("{folder}/{}", file.path).replace(['/', '.'], "_");
            insta::assert_snapshot!(name, file.contents);
        }
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}

#[test]
fn the_configmap_holds_the_gate_library_byte_for_byte() {
    let doc: Value = serde_yaml_ng::from_str(&argo::gates_configmap()).unwrap();
    assert_eq!(
        doc["data"][sluice_targets::gates::FILE_NAME].as_str(),
        Some(sluice_targets::gates::library().as_str())
    );
    assert!(argo::gates_configmap().contains(sluice_targets::output::GENERATED_MARK));
}

// ---- read-back ------------------------------------------------------------

fn documents(yaml: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("each document parses"))
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_string()
}

#[derive(Debug, Clone)]
struct ReadTask {
    template: String,
    depends: Option<String>,
    when: Option<String>,
    args: HashMap<String, String>,
}

struct ReadBack {
    templates: HashMap<String, Value>,
    /// dag template name -> task name -> task
    dags: HashMap<String, HashMap<String, ReadTask>>,
}

fn read_back(yaml: &str) -> ReadBack {
    let docs = documents(yaml);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["kind"].as_str(), Some("WorkflowTemplate"));
    assert_eq!(docs[1]["kind"].as_str(), Some("Workflow"));
    assert_eq!(
        docs[1]["spec"]["workflowTemplateRef"]["name"],
        docs[0]["metadata"]["name"]
    );
    let mut templates = HashMap::new();
    let mut dags = HashMap::new();
    for template in docs[0]["spec"]["templates"]
        .as_sequence()
        .expect("templates")
    {
        let name = text(&template["name"]);
        assert!(is_dns_label(&name), "{name}");
        if let Some(tasks) = template["dag"]["tasks"].as_sequence() {
            let mut read = HashMap::new();
            for task in tasks {
                let task_name = text(&task["name"]);
                assert!(is_dns_label(&task_name), "{task_name}");
                let args = task["arguments"]["parameters"]
                    .as_sequence()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| (text(&p["name"]), text(&p["value"])))
                            .collect()
                    })
                    .unwrap_or_default();
                let old = read.insert(
                    task_name.clone(),
                    ReadTask {
                        template: text(&task["template"]),
                        depends: task.get("depends").map(text),
                        when: task.get("when").map(text),
                        args,
                    },
                );
                assert!(old.is_none(), "task {task_name} twice in {name}");
            }
            dags.insert(name.clone(), read);
        }
        assert!(
            templates.insert(name.clone(), template.clone()).is_none(),
            "template {name} twice"
        );
    }
    for tasks in dags.values() {
        for task in tasks.values() {
            assert!(templates.contains_key(&task.template), "{}", task.template);
        }
    }
    ReadBack { templates, dags }
}

/// The plain `a && b` names of a forward `depends`.
fn and_names(depends: &Option<String>) -> BTreeSet<String> {
    match depends {
        None => BTreeSet::new(),
        Some(d) => d.split(" && ").map(str::to_string).collect(),
    }
}

fn reaches(tasks: &HashMap<String, ReadTask>, from: &str, to: &str) -> bool {
    // is `from` an ancestor of `to`?
    let mut todo = vec![to.to_string()];
    let mut seen = HashSet::new();
    while let Some(next) = todo.pop() {
        for dep in and_names(&tasks[&next].depends) {
            if dep == from {
                return true;
            }
            if seen.insert(dep.clone()) {
                todo.push(dep);
            }
        }
    }
    false
}

fn plan_ancestors(plan: &Plan) -> HashMap<UnitId, HashSet<UnitId>> {
    let mut out: HashMap<UnitId, HashSet<UnitId>> = HashMap::new();
    for unit in plan.units() {
        let mut mine = HashSet::new();
        for need in &unit.needs {
            mine.insert(need.clone());
            mine.extend(out.get(need).cloned().unwrap_or_default());
        }
        out.insert(unit.id.clone(), mine);
    }
    out
}

fn env_of(template: &Value) -> HashMap<String, String> {
    template["script"]["env"]
        .as_sequence()
        .expect("env")
        .iter()
        .map(|e| (text(&e["name"]), text(&e["value"])))
        .collect()
}

fn check_fidelity(plan: &Plan, yaml: &str) {
    let read = read_back(yaml);
    let tasks_of = lower(plan).tasks_of;
    let entry = &read.dags[argo::ENTRY_TEMPLATE];
    let mut rollbacks: HashSet<String> = HashSet::new();
    for stage in &plan.stages {
        if stage.units().next().is_none() {
            continue;
        }
        let name = stage_task(&stage.id);
        let dag = &read.dags[&name];
        assert_eq!(entry[&name].template, name);
        // the mutex of the stage's concurrency key
        let mutexes = read.templates[&name]["synchronization"]["mutexes"]
            .as_sequence()
            .expect("mutexes");
        assert_eq!(mutexes.len(), 1);
        assert_eq!(
            text(&mutexes[0]["name"]),
            format!(
                "sluice-{}",
                argo::names::mangle(&stage.concurrency, argo::names::MAX_LEN - 7)
            )
        );
        assert_eq!(
            read.templates[&name]["dag"]["failFast"].as_bool(),
            Some(false)
        );
        // every task of the dag is one of its units'
        let expected: HashSet<String> = stage
            .units()
            .flat_map(|u| tasks_of[&u.id].1.clone())
            .collect();
        assert_eq!(dag.keys().cloned().collect::<HashSet<_>>(), expected);
        for unit in stage.units() {
            let (stage_template, mine) = &tasks_of[&unit.id];
            assert_eq!(stage_template, &name);
            let first = &dag[&mine[0]];
            if let Work::Rollback(rollback) = &unit.work {
                let terms: BTreeSet<String> = first
                    .depends
                    .as_deref()
                    .expect("a rollback depends on failures")
                    .split(" || ")
                    .map(str::to_string)
                    .collect();
                let failing: BTreeSet<String> = rollback
                    .on_failure_of
                    .iter()
                    .flat_map(|u| tasks_of[u].1.clone())
                    .flat_map(|t| [format!("{t}.Failed"), format!("{t}.Errored")])
                    .collect();
                assert_eq!(terms, failing, "{}", unit.id);
                let template = &read.templates[&first.template];
                let source = text(&template["script"]["source"]);
                assert!(source.ends_with("exit 1\n"), "a rollback fails the run");
                rollbacks.insert(mine[0].clone());
                continue;
            }
            // the first task waits for the last tasks of the needs in this stage
            let needed: BTreeSet<String> = unit
                .needs
                .iter()
                .filter(|n| tasks_of[*n].0 == name)
                .map(|n| tasks_of[n].1.last().unwrap().clone())
                .collect();
            assert_eq!(and_names(&first.depends), needed, "{}", unit.id);
            for pair in mine.windows(2) {
                assert_eq!(
                    dag[&pair[1]].depends.as_ref(),
                    Some(&pair[0]),
                    "{}",
                    unit.id
                );
            }
            match &unit.work {
                Work::Gate(gate) => {
                    let approvals = gate
                        .checks
                        .iter()
                        .filter(|c| matches!(c, GateCheck::Approval { .. }))
                        .count();
                    let suspends = mine
                        .iter()
                        .filter(|t| dag[*t].template == APPROVAL_TEMPLATE)
                        .count();
                    assert_eq!(approvals, suspends, "{}", unit.id);
                    assert!(read.templates[APPROVAL_TEMPLATE]["suspend"]
                        .as_mapping()
                        .is_some_and(|m| m.is_empty()));
                    let args: String = mine
                        .iter()
                        .filter(|t| dag[*t].template != APPROVAL_TEMPLATE)
                        .map(|t| {
                            env_of(&read.templates[&dag[t].template])["SLUICE_GATE_ARGS"].clone()
                        })
                        .collect();
                    for check in &gate.checks {
                        match check {
                            GateCheck::Window { .. } => assert!(args.starts_with("'window'")),
                            GateCheck::Blockers { .. } => assert!(args.contains("'blockers'")),
                            GateCheck::Approval { .. } => {}
                        }
                    }
                }
                Work::Bake(bake) => {
                    let cycles = bake_cycles(bake) as usize;
                    assert_eq!(mine.len(), 2 * cycles + 1, "{}", unit.id);
                    for (i, task) in mine.iter().enumerate() {
                        let t = &dag[task];
                        if i % 2 == 1 {
                            assert_eq!(t.template, WAIT_TEMPLATE);
                            let poll = &mine[i - 1];
                            assert_eq!(
                                t.when.as_deref(),
                                Some(
                                    format!(
                                        "{{{{tasks.{poll}.outputs.parameters.state}}}} == continue"
                                    )
                                    .as_str()
                                )
                            );
                        } else {
                            assert_eq!(t.template, dag[&mine[0]].template);
                            let chunk = &t.args["chunk"];
                            assert_eq!(chunk.is_empty(), i == mine.len() - 1);
                            let started = &t.args["started-at"];
                            assert_eq!(started.is_empty(), i == 0);
                        }
                    }
                    let env = env_of(&read.templates[&dag[&mine[0]].template]);
                    let duration = sluice_grammar::value::Duration::from_secs(bake.seconds);
                    assert!(env["SLUICE_BAKE_ARGS"].contains(&format!("'--duration' '{duration}'")));
                    if let (Some(seconds), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                        let scaled = sluice_grammar::value::Duration::from_secs(seconds);
                        assert!(env["SLUICE_BAKE_ARGS_EMERGENCY"]
                            .contains(&format!("'--duration' '{scaled}'")));
                    }
                    let wait = &read.templates[WAIT_TEMPLATE]["suspend"]["duration"];
                    assert_eq!(wait.as_str(), Some("50m"));
                }
                Work::Deploy(_) | Work::Step(_) => {
                    let template = &read.templates[&first.template];
                    assert_eq!(
                        template["activeDeadlineSeconds"].as_u64(),
                        unit.timeout_seconds,
                        "{}",
                        unit.id
                    );
                }
                Work::Rollback(_) => unreachable!(),
            }
        }
        // parallel regions: their first tasks wait for the same things,
        // and no task belongs to two regions
        let firsts: Vec<&ReadTask> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &dag[&tasks_of[&u.id].1[0]])
            .collect();
        for first in &firsts {
            assert_eq!(first.depends, firsts[0].depends, "{}", stage.id);
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            for task in region.units.iter().flat_map(|u| &tasks_of[&u.id].1) {
                assert!(owned.insert(task.clone()), "{task}");
            }
        }
        for task in dag.values() {
            if task
                .depends
                .as_deref()
                .is_some_and(|d| d.contains(".Failed"))
            {
                continue;
            }
            assert!(and_names(&task.depends)
                .iter()
                .all(|d| !rollbacks.contains(d)));
        }
    }
    // order: a unit comes before another in the plan exactly when its task
    // comes before the other's (same stage: `depends`; else the stages')
    let plan_up = plan_ancestors(plan);
    let units: Vec<_> = plan
        .units()
        .filter(|u| !matches!(u.work, Work::Rollback(_)))
        .collect();
    for a in &units {
        for b in units.iter().filter(|b| b.id != a.id) {
            let planned = plan_up[&b.id].contains(&a.id);
            let (sa, ta) = &tasks_of[&a.id];
            let (sb, tb) = &tasks_of[&b.id];
            let emitted = if sa == sb {
                reaches(&read.dags[sa], ta.last().unwrap(), &tb[0])
            } else {
                reaches(entry, sa, sb)
            };
            assert_eq!(planned, emitted, "{} before {}", a.id, b.id);
        }
    }
}

#[test]
fn workflows_read_back_as_their_plans() {
    for (plan, source) in &all_plans() {
        check_fidelity(plan, &argo::workflow(plan, source));
    }
}

#[test]
fn emergency_mode_has_a_reason_an_approval_and_scaled_bakes() {
    let (plan, source) = plans("examples")
        .into_iter()
        .find(|(p, _)| p.emergency.is_some())
        .expect("an example with an emergency mode");
    let read = read_back(&argo::workflow(&plan, &source));
    let entry = &read.dags[argo::ENTRY_TEMPLATE];
    let approval = &entry["sluice-emergency"];
    assert_eq!(approval.template, APPROVAL_TEMPLATE);
    assert_eq!(
        approval.when.as_deref(),
        Some("{{workflow.parameters.emergency}} == true")
    );
    let docs = documents(&argo::workflow(&plan, &source));
    let params: Vec<String> = docs[0]["spec"]["arguments"]["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| text(&p["name"]))
        .collect();
    assert_eq!(params, ["version", "reason", "emergency", "image"]);
    // a stage without predecessors waits for the approval
    assert!(entry
        .values()
        .any(|t| t.depends.as_deref() == Some("sluice-start && sluice-emergency")));
}

// ---- hostile text ---------------------------------------------------------

/// Every `{{...}}` in the document: only the emitter's own references.
fn assert_only_own_expressions(value: &Value) {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(at) = rest.find("{{") {
                let end = rest[at..].find("}}").expect("closed") + at;
                let inner = &rest[at + 2..end];
                let own = [
                    "workflow.parameters.version",
                    "workflow.parameters.emergency",
                    "workflow.parameters.reason",
                    "workflow.parameters.image",
                    "inputs.parameters.started-at",
                    "inputs.parameters.chunk",
                ]
                .contains(&inner)
                    || (inner.starts_with("tasks.")
                        && (inner.ends_with(".outputs.parameters.state")
                            || inner.ends_with(".outputs.parameters.started-at"))
                        && is_dns_label(&inner[6..inner.find(".outputs").unwrap()]));
                assert!(own, "{s:?}");
                rest = &rest[end + 2..];
            }
        }
        Value::Sequence(items) => items.iter().for_each(assert_only_own_expressions),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            assert_only_own_expressions(k);
            assert_only_own_expressions(v);
        }),
        _ => {}
    }
}

/// Runs a container script as Argo would: its env with Argo's own
/// parameters substituted, the command runner and the gate library stubbed
/// to print what they were given.
fn executed(template: &Value, version: &str) -> (i32, String) {
    let source = text(&template["script"]["source"]);
    assert!(source.contains(RUN_LINE), "{source}");
    let stubbed = source
        .replace(RUN_LINE, "printf %s \"$cmd\"")
        .replace("sh \"$gates\"", "printf '[%s]'");
    let mut command = std::process::Command::new("sh");
    command.arg("-c").arg(stubbed).env_clear();
    command.env("PATH", std::env::var("PATH").unwrap_or_default());
    for (name, value) in env_of(template) {
        let value = value
            .replace("{{workflow.parameters.version}}", version)
            .replace("{{workflow.parameters.emergency}}", "false");
        command.env(name, value);
    }
    let output = command.output().expect("sh runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hostile_text_cannot_escape(
        parts in proptest::collection::vec(
            prop_oneof![
                "[^\u{0}]{0,8}",
                Just("{{workflow.parameters.image}}".to_string()),
                Just("{{=sprig.env('X')}}".to_string()),
                Just("{{".to_string()),
                Just("$(id)".to_string()),
                Just("${{ x }}".to_string()),
                Just("`id`".to_string()),
                Just("'\"".to_string()),
                Just("\n".to_string()),
                Just(": on yes null * # ".to_string()),
                Just("\\".to_string()),
                Just("ünï ✓\u{2028}\u{85}\r".to_string()),
            ],
            1..6,
        ),
        with_version in any::<bool>(),
    ) {
        let text: String = parts.concat();
        let mut command = Command::default();
        command.segments.push(Segment::Literal(text.clone()));
        if with_version {
            command.segments.push(Segment::Version);
            command.segments.push(Segment::Literal(text.clone()));
        }
        let plan = hostile_plan(&text, &command, true);
        let yaml = argo::workflow(&plan, &format!("x{text}.sluice"));
        for doc in documents(&yaml) {
            assert_only_own_expressions(&doc);
        }
        let read = read_back(&yaml);
        let tasks_of = lower(&plan).tasks_of;
        let version = "0123abcd'$(x){{y}}";
        let mut deploys = 0;
        for unit in plan.units() {
            let (stage, tasks) = &tasks_of[&unit.id];
            let template = &read.templates[&read.dags[stage][&tasks[0]].template];
            match &unit.work {
                Work::Deploy(deploy) => {
                    let alarms: Vec<Alarm> = deploy
                        .alarms
                        .iter()
                        .map(|a| Alarm {
                            name: a.alarm.clone(),
                            probe: GateProbe {
                                provider: a.probe.provider,
                                text: Command::literal(&a.probe.query.resolve(version)),
                            },
                        })
                        .collect();
                    let check: String = if alarms.is_empty() {
                        String::new()
                    } else {
                        blockers_args(&alarms).iter().map(|a| format!("[{}]", a.resolve(""))).collect()
                    };
                    let expected = format!("{check}{}{check}", command.resolve(version));
                    prop_assert_eq!(executed(template, version), (0, expected));
                    deploys += 1;
                }
                Work::Rollback(_) => {
                    prop_assert_eq!(executed(template, version), (1, command.resolve(version)));
                }
                _ => {}
            }
        }
        prop_assert!(deploys > 0);
        check_fidelity(&plan, &yaml);
    }
}

// ---- a bake, run ----------------------------------------------------------

/// The polls of a 12h bake run by `sh` with the gate library's fake clock,
/// one cycle apart as the suspends would space them: every poll but the
/// last says `continue` (its suspend runs), the final poll finishes; the
/// bake's start is passed from the first poll to the others.
#[test]
fn bake_polls_resume_one_bake() {
    let (plan, source) = plans("tests/fixtures/build").remove(0);
    let read = read_back(&argo::workflow(&plan, &source));
    let tasks_of = lower(&plan).tasks_of;
    let unit = UnitId("staging/us-east-1/bake".to_string());
    let (stage, tasks) = &tasks_of[&unit];
    let dag = &read.dags[stage];
    let template = &read.templates[&dag[&tasks[0]].template];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("argo-bake");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(dir.join("gates.sh"), sluice_targets::gates::library()).unwrap();
    for (name, body) in [
        ("bin/aws", "echo OK\n"),
        ("count.sh", "echo 100\n"),
        ("probe.sh", "exit 0\n"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let source = text(&template["script"]["source"])
        .replace(
            "/sluice/sluice-gates.sh",
            &dir.join("gates.sh").display().to_string(),
        )
        .replace(
            "/tmp/sluice-state",
            &dir.join("state").display().to_string(),
        )
        .replace(
            "/tmp/sluice-started-at",
            &dir.join("started").display().to_string(),
        );
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut started_at = String::new();
    let mut states = Vec::new();
    let polls: Vec<&String> = tasks.iter().step_by(2).collect();
    for (index, poll) in polls.iter().enumerate() {
        let task = &dag[*poll];
        let now = start + index as u64 * argo::BAKE_CYCLE_SECONDS;
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(&source).current_dir(&dir);
        command.env(
            "PATH",
            format!(
                "{}:{}",
                dir.join("bin").display(),
                std::env::var("PATH").unwrap()
            ),
        );
        for (name, value) in env_of(template) {
            let value = value
                .replace("{{workflow.parameters.version}}", "abc")
                .replace("{{inputs.parameters.chunk}}", &task.args["chunk"])
                .replace("{{inputs.parameters.started-at}}", &started_at);
            command.env(name, value);
        }
        command
            .env("SLUICE_GATES_NOW", now.to_string())
            .env("SLUICE_GATES_FAKE_SLEEP", "1");
        let run = command.output().expect("sh runs");
        assert!(
            run.status.success(),
            "poll {index}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        if index == 0 {
            started_at = std::fs::read_to_string(dir.join("started")).unwrap();
        }
        states.push(std::fs::read_to_string(dir.join("state")).unwrap());
    }
    assert_eq!(states.len(), 13, "12 cycles and the final poll");
    assert!(states[..12].iter().all(|s| s == "continue"), "{states:?}");
    assert_eq!(states[12], "done");
}

// ---- the start step, run --------------------------------------------------

/// `sluice-start` (the gate library's start gate) refuses an empty or
/// placeholder version and an emergency run without a reason.
#[test]
fn the_start_step_checks_the_parameters() {
    let (plan, source) = plans("examples")
        .into_iter()
        .find(|(p, _)| p.emergency.is_some())
        .expect("an example with an emergency mode");
    let read = read_back(&argo::workflow(&plan, &source));
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("argo-start");
    std::fs::create_dir_all(&dir).unwrap();
    let library = dir.join("gates.sh");
    std::fs::write(&library, sluice_targets::gates::library()).unwrap();
    let start = text(&read.templates[argo::START_TASK]["script"]["source"]).replace(
        &format!("{}/sluice-gates.sh", argo::GATES_DIR),
        &library.display().to_string(),
    );
    let run = |version: &str, emergency: &str, reason: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(&start)
            .env("SLUICE_VERSION", version)
            .env("SLUICE_EMERGENCY", emergency)
            .env("SLUICE_REASON", reason)
            .output()
            .expect("sh runs")
            .status
            .code()
    };
    let sha = "0123456789abcdef0123456789abcdef01234567";
    assert_eq!(run(sha, "false", ""), Some(0));
    assert_eq!(run("", "false", ""), Some(1));
    assert_eq!(run("abc", "false", ""), Some(1));
    assert_eq!(run(argo::PLACEHOLDER_VERSION, "false", "x"), Some(1));
    assert_eq!(run(sha, "true", ""), Some(1));
    assert_eq!(run(sha, "true", "outage 42"), Some(0));
}
