//! The Tekton target: snapshots of every emitted file, a read-back test
//! that rebuilds the task graph from the YAML (`runAfter`, `when`,
//! `finally`) and compares it with the plan, and a property test with
//! hostile commands, names and alarms whose step scripts are run by `sh`.

mod common;

use common::hostile::plan as hostile_plan;
use common::{all_plans, plans};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_yaml_ng::Value;
use sluice_grammar::value::Duration;
use sluice_targets::gates::{blockers_args, Alarm, BakeGate, Probe as GateProbe};
use sluice_targets::output::{EmitError, OutputFile};
use sluice_targets::plan::{AlarmCheck, Command, GateCheck, Plan, Segment, Unit, UnitId, Work};
use sluice_targets::tekton::{
    self, lower, names::is_label, pipeline_file, APPROVAL_API, APPROVAL_KIND, EMERGENCY_TASK,
    PREFLIGHT_TASK, RUN_LINE,
};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    tekton::emit(&inputs).expect("Tekton can take it")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for folder in ["examples", "tests/fixtures/build"] {
        let files = emit(&plans(folder));
        for file in &files {
            if file.path == tekton::GATES_FILE {
                let docs = documents(&file.contents);
                let data = docs[0]["data"]["sluice-gates.sh"].as_str().unwrap();
                assert_eq!(data, sluice_targets::gates::library());
                continue;
            }
            let name = format!("{folder}/{}", file.path).replace(['/', '.'], "_");
            insta::assert_snapshot!(name, file.contents);
        }
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}

// ---- read-back ------------------------------------------------------------

fn documents(yaml: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("a YAML document"))
        .collect()
}

use serde::Deserialize;

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_string()
}

/// A pipeline task as read back from the YAML.
#[derive(Debug, Clone)]
struct ReadTask {
    run_after: Vec<String>,
    finally: bool,
    when: Vec<(String, Vec<String>)>,
    approval: Option<Vec<String>>,
    env: Vec<(String, String)>,
    script: Option<String>,
    timeout: u64,
}

fn seconds(text: &str) -> u64 {
    let mut total = 0;
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            'h' | 'm' | 's' => {
                let n: u64 = digits.parse().unwrap();
                total += n * match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                digits.clear();
            }
            _ => panic!("not a duration: {text}"),
        }
    }
    total
}

/// The Pipeline's tasks by name, and the run's `timeouts.tasks`.
fn read_tasks(yaml: &str) -> (HashMap<String, ReadTask>, u64) {
    let docs = documents(yaml);
    assert_eq!(docs.len(), 2, "a Pipeline and a PipelineRun");
    assert_eq!(docs[0]["kind"], Value::from("Pipeline"));
    assert_eq!(docs[1]["kind"], Value::from("PipelineRun"));
    let mut out = HashMap::new();
    for (key, finally) in [("tasks", false), ("finally", true)] {
        let Some(tasks) = docs[0]["spec"].get(key).and_then(Value::as_sequence) else {
            continue;
        };
        for task in tasks {
            let name = text(&task["name"]);
            let list = |v: Option<&Value>| -> Vec<String> {
                v.and_then(Value::as_sequence)
                    .map(|s| s.iter().map(text).collect())
                    .unwrap_or_default()
            };
            let when = task
                .get("when")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .map(|w| {
                    assert_eq!(w["operator"], Value::from("in"));
                    (text(&w["input"]), list(w.get("values")))
                })
                .collect();
            let approval = task.get("taskRef").map(|r| {
                assert_eq!(r["apiVersion"], Value::from(APPROVAL_API));
                assert_eq!(r["kind"], Value::from(APPROVAL_KIND));
                let params = task["params"].as_sequence().unwrap();
                let approvers = params
                    .iter()
                    .find(|p| p["name"].as_str() == Some("approvers"))
                    .unwrap();
                list(approvers.get("value"))
            });
            let step = task.get("taskSpec").map(|spec| spec["steps"][0].clone());
            let env = step
                .as_ref()
                .and_then(|s| s.get("env"))
                .and_then(Value::as_sequence)
                .map(|e| {
                    e.iter()
                        .map(|v| (text(&v["name"]), text(&v["value"])))
                        .collect()
                })
                .unwrap_or_default();
            let read = ReadTask {
                run_after: list(task.get("runAfter")),
                finally,
                when,
                approval,
                env,
                script: step.as_ref().map(|s| text(&s["script"])),
                timeout: seconds(&text(&task["timeout"])),
            };
            assert!(out.insert(name.clone(), read).is_none(), "{name} twice");
        }
    }
    let tasks_timeout = seconds(&text(&docs[1]["spec"]["timeouts"]["tasks"]));
    (out, tasks_timeout)
}

fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}

fn ancestors(tasks: &HashMap<String, ReadTask>) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for name in tasks.keys() {
        let mut seen = HashSet::new();
        let mut todo = vec![name.clone()];
        while let Some(next) = todo.pop() {
            for after in &tasks[&next].run_after {
                assert!(
                    tasks.contains_key(after),
                    "{next} runs after unknown {after}"
                );
                assert!(!tasks[after].finally, "{next} runs after a finally task");
                if seen.insert(after.clone()) {
                    todo.push(after.clone());
                }
            }
        }
        assert!(!seen.contains(name), "{name} waits for itself");
        out.insert(name.clone(), seen);
    }
    out
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

fn env<'a>(task: &'a ReadTask, name: &str) -> Option<&'a str> {
    task.env
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn check_fidelity(plan: &Plan, yaml: &str) {
    let (tasks, tasks_timeout) = read_tasks(yaml);
    let lowered = lower(plan).expect("lowers");
    let map = &lowered.tasks_of;
    let name_of = |raw: &str| {
        lowered
            .tasks
            .iter()
            .map(|t| t.name.clone())
            .find(|n| tasks.contains_key(n) && (n == raw || n.starts_with(raw)))
            .unwrap()
    };
    let preflight = name_of(PREFLIGHT_TASK);
    let mut start = vec![preflight.clone()];
    if let Some(mode) = &plan.emergency {
        let emergency = name_of(EMERGENCY_TASK);
        assert_eq!(tasks[&emergency].run_after, vec![preflight.clone()]);
        assert_eq!(
            tasks[&emergency].when,
            vec![("$(params.emergency)".to_string(), vec!["true".to_string()])]
        );
        let approvers: Vec<String> = mode.approvers.iter().map(|a| tekton::approver(a)).collect();
        assert_eq!(tasks[&emergency].approval.as_ref(), Some(&approvers));
        start.push(emergency);
    }
    // every task is a unit's or a start task; names are unique labels
    let mut expected: HashSet<String> = map.values().flatten().cloned().collect();
    expected.extend(start.iter().cloned());
    assert_eq!(tasks.keys().cloned().collect::<HashSet<_>>(), expected);
    assert!(tasks.keys().all(|n| is_label(n)), "{:?}", tasks.keys());
    let up = ancestors(&tasks);
    // the run's timeout covers the longest chain of task timeouts
    let mut finish: HashMap<&str, u64> = HashMap::new();
    let mut order: Vec<&String> = tasks.keys().filter(|n| !tasks[*n].finally).collect();
    order.sort_by_key(|n| up[*n].len());
    for name in order {
        let start = tasks[name]
            .run_after
            .iter()
            .map(|a| finish[a.as_str()])
            .max()
            .unwrap_or(0);
        finish.insert(name, start + tasks[name].timeout);
    }
    assert!(finish.values().all(|f| *f <= tasks_timeout));
    for unit in plan.units() {
        let mine = &map[&unit.id];
        let first = &tasks[&mine[0]];
        if let Work::Rollback(rollback) = &unit.work {
            assert_eq!(mine.len(), 1);
            assert!(first.finally && first.run_after.is_empty(), "{}", unit.id);
            let statuses: Vec<String> = rollback
                .on_failure_of
                .iter()
                .flat_map(|u| map[u].iter())
                .map(|t| format!("$(tasks.{t}.status)"))
                .collect();
            assert_eq!(
                first.when,
                vec![("Failed".to_string(), statuses)],
                "rollback {}",
                unit.id
            );
            assert!(env(first, "SLUICE_COMMAND").is_some());
            continue;
        }
        for task in mine {
            assert!(!tasks[task].finally, "{task}");
            assert!(tasks[task].when.is_empty(), "{task}");
        }
        for pair in mine.windows(2) {
            assert_eq!(tasks[&pair[1]].run_after, vec![pair[0].clone()]);
        }
        if unit.needs.is_empty() {
            assert_eq!(set(&first.run_after), set(&start), "{}", unit.id);
        } else {
            let needed: Vec<String> = unit
                .needs
                .iter()
                .map(|n| map[n].last().unwrap().clone())
                .collect();
            assert_eq!(set(&first.run_after), set(&needed), "{}", unit.id);
        }
        match &unit.work {
            Work::Bake(bake) => {
                let bake_env = env(first, "SLUICE_BAKE").unwrap();
                let d = Duration::from_secs(bake.seconds);
                assert!(
                    bake_env.contains(&format!("'--duration' '{d}'")),
                    "{bake_env}"
                );
                for alarm in &bake.alarms {
                    assert!(bake_env.contains(&sluice_targets::plan::sh_quote(&alarm.alarm)));
                }
                if let (Some(s), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                    let d = Duration::from_secs(s);
                    let scaled = env(first, "SLUICE_BAKE_EMERGENCY").unwrap();
                    assert!(scaled.contains(&format!("'--duration' '{d}'")));
                }
                assert!(first.timeout >= bake.seconds, "{}", unit.id);
            }
            Work::Gate(gate) => {
                let approvals: Vec<Vec<String>> = gate
                    .checks
                    .iter()
                    .filter_map(|c| match c {
                        GateCheck::Approval { approvers, .. } => {
                            Some(approvers.iter().map(|a| tekton::approver(a)).collect())
                        }
                        _ => None,
                    })
                    .collect();
                let emitted: Vec<Vec<String>> = mine
                    .iter()
                    .filter_map(|t| tasks[t].approval.clone())
                    .collect();
                assert_eq!(approvals, emitted, "{}", unit.id);
                let last = &tasks[mine.last().unwrap()];
                for check in &gate.checks {
                    match check {
                        GateCheck::Window { .. } => {
                            assert!(env(last, "SLUICE_WINDOW").unwrap().starts_with("'window'"))
                        }
                        GateCheck::Blockers { .. } => assert!(env(last, "SLUICE_BLOCKERS")
                            .unwrap()
                            .starts_with("'blockers'")),
                        GateCheck::Approval { .. } => {}
                    }
                }
            }
            Work::Deploy(d) => {
                assert_eq!(
                    env(first, "SLUICE_COMMAND"),
                    Some(d.command.to_sh_word().as_str())
                );
                assert_eq!(env(first, "SLUICE_ALARMS").is_some(), !d.alarms.is_empty());
            }
            Work::Step(s) => {
                assert_eq!(
                    env(first, "SLUICE_COMMAND"),
                    Some(s.command.to_sh_word().as_str())
                );
            }
            Work::Rollback(_) => unreachable!(),
        }
    }
    // order: a unit comes after another in the plan exactly when its first
    // task comes after the other's last task
    let plan_up = plan_ancestors(plan);
    let units: Vec<&Unit> = plan
        .units()
        .filter(|u| !matches!(u.work, Work::Rollback(_)))
        .collect();
    for a in &units {
        for b in units.iter().filter(|b| b.id != a.id) {
            let planned = plan_up[&b.id].contains(&a.id);
            let emitted = up[&map[&b.id][0]].contains(map[&a.id].last().unwrap());
            assert_eq!(planned, emitted, "{} before {}", a.id, b.id);
        }
    }
    // parallelism: the regions of a stage start together, in their own tasks
    for stage in &plan.stages {
        let firsts: Vec<&ReadTask> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &tasks[&map[&u.id][0]])
            .collect();
        for first in &firsts {
            assert_eq!(
                set(&first.run_after),
                set(&firsts[0].run_after),
                "{}",
                stage.id
            );
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            for task in region.units.iter().flat_map(|u| &map[&u.id]) {
                assert!(owned.insert(task.clone()), "{task} shared");
            }
        }
    }
}

#[test]
fn pipelines_read_back_as_their_plans() {
    for (plan, source) in &all_plans() {
        check_fidelity(plan, &pipeline_file(plan, source).unwrap());
    }
}

#[test]
fn an_approver_tekton_would_expand_is_refused() {
    let (mut plan, source) = plans("examples").remove(2);
    plan.emergency.as_mut().unwrap().approvers = vec!["$(context.pipelineRun.name)".into()];
    assert!(matches!(
        pipeline_file(&plan, &source),
        Err(EmitError::Expression { .. })
    ));
}

// ---- hostile text ---------------------------------------------------------

/// Every `$(` of the file: only the emitter's own, whole references.
fn assert_only_own_expressions(value: &Value) {
    match value {
        Value::String(s) if s.contains("$(") => {
            let param = s
                .strip_prefix("$(params.")
                .and_then(|r| r.strip_suffix(')'));
            let status = s
                .strip_prefix("$(tasks.")
                .and_then(|r| r.strip_suffix(".status)"));
            let own = param
                .is_some_and(|p| ["image", "version", "emergency", "reason"].contains(&p))
                || status.is_some_and(is_label);
            assert!(own, "{s:?}");
        }
        Value::Sequence(items) => items.iter().for_each(assert_only_own_expressions),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            assert_only_own_expressions(k);
            assert_only_own_expressions(v);
        }),
        _ => {}
    }
}

/// What a step's script does, run by `sh` with the environment it
/// declares (params substituted as Tekton would), the command runner
/// stubbed by printf and each gate-library call printing `[arg]`s.
fn executed(task: &ReadTask, version: &str) -> String {
    let script = task.script.as_ref().expect("a script");
    assert!(!script.contains("$("), "{script}");
    let stubbed = script
        .replace(RUN_LINE, "printf %s \"$cmd\"")
        .replace("sh \"$gates\"", "printf '[%s]'");
    let mut command = std::process::Command::new("sh");
    command.arg("-c").arg(stubbed).env_clear();
    command.env("PATH", std::env::var("PATH").unwrap_or_default());
    for (name, value) in &task.env {
        let value = match value.as_str() {
            "$(params.version)" => version,
            "$(params.emergency)" => "false",
            "$(params.reason)" => "",
            other => {
                assert!(!other.contains("$("), "{other}");
                other
            }
        };
        command.env(name, value);
    }
    let output = command.output().expect("sh runs");
    assert!(
        output.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

fn resolved(alarms: &[AlarmCheck], version: &str) -> Vec<Alarm> {
    alarms
        .iter()
        .map(|a| Alarm {
            name: a.alarm.clone(),
            probe: GateProbe {
                provider: a.probe.provider,
                text: Command::literal(&a.probe.query.resolve(version)),
            },
        })
        .collect()
}

fn brackets(args: &[Command]) -> String {
    args.iter()
        .map(|a| format!("[{}]", a.resolve("")))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hostile_text_cannot_escape(
        parts in proptest::collection::vec(
            prop_oneof![
                "[^\u{0}]{0,8}",
                Just("$(params.version)".to_string()),
                Just("$(id)".to_string()),
                Just("$(tasks.status)".to_string()),
                Just("`id`".to_string()),
                Just("'\"".to_string()),
                Just("\n".to_string()),
                Just("{{x}} ${{ y }}".to_string()),
                Just(": on yes null * # ---".to_string()),
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
        let plan = hostile_plan(&text, &command, false);
        let yaml = pipeline_file(&plan, &format!("x{text}.sluice")).expect("emits");
        for doc in documents(&yaml) {
            assert_only_own_expressions(&doc);
        }
        let (tasks, _) = read_tasks(&yaml);
        prop_assert!(tasks.keys().all(|n| is_label(n)));
        let map = lower(&plan).unwrap().tasks_of;
        let version = "0123abcd'$(x)";
        let mut deploys = 0;
        for unit in plan.units() {
            let task = &tasks[&map[&unit.id][0]];
            match &unit.work {
                Work::Deploy(deploy) => {
                    let check = if deploy.alarms.is_empty() {
                        String::new()
                    } else {
                        brackets(&blockers_args(&resolved(&deploy.alarms, version)))
                    };
                    let expected = format!("{check}{}{check}", command.resolve(version));
                    prop_assert_eq!(executed(task, version), expected);
                    deploys += 1;
                }
                Work::Rollback(_) => {
                    prop_assert_eq!(executed(task, version), command.resolve(version));
                }
                Work::Bake(bake) => {
                    let expected = BakeGate {
                        duration: Duration::from_secs(bake.seconds),
                        interval: Duration::from_secs(bake.poll_seconds),
                        alarms: resolved(&bake.alarms, version),
                        datapoints: bake.datapoints.as_ref().map(|d| (d.count, GateProbe {
                            provider: d.probe.provider,
                            text: Command::literal(&d.probe.query.resolve(version)),
                        })),
                        max_wait: bake.datapoints.as_ref().map(|_| {
                            Duration::from_secs(bake.seconds + tekton::DATAPOINT_WAIT_SECONDS)
                        }),
                        chunk: None,
                    }
                    .args();
                    prop_assert_eq!(executed(task, version), brackets(&expected));
                }
                _ => {}
            }
        }
        prop_assert!(deploys > 0);
        check_fidelity(&plan, &yaml);
    }
}

// ---- gate and bake tasks, run with the real gate library -------------------

/// Runs the script of `unit`'s last task with the gate library in a
/// scratch directory, a fake clock and a fake `aws`.
fn run_task(
    (plan, source): (Plan, String),
    unit: &str,
    start: &str,
    aws_state: &str,
    emergency: &str,
) -> (i32, String) {
    let (tasks, _) = read_tasks(&pipeline_file(&plan, &source).unwrap());
    let lowered = lower(&plan).unwrap();
    let task = &tasks[lowered.tasks_of[&UnitId(unit.to_string())].last().unwrap()];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "tekton-run-{}-{}-{}-{aws_state}-{emergency}",
        plan.pipeline,
        unit.replace(['/', '.'], "-"),
        start.replace([':', '[', ']', '/'], "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let library = dir.join("sluice-gates.sh");
    std::fs::write(&library, sluice_targets::gates::library()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    for (name, body) in [
        ("bin/aws", format!("echo {aws_state}\n")),
        (
            "probe.sh",
            format!("exit {}\n", u8::from(aws_state == "ALARM")),
        ),
        ("count.sh", "echo 100\n".to_string()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let script = task.script.as_ref().unwrap().replace(
        &format!("gates={}/sluice-gates.sh", tekton::GATES_MOUNT),
        &format!("gates={}", library.display()),
    );
    let now: jiff::Zoned = start.parse().unwrap();
    let mut command = std::process::Command::new("sh");
    command.arg("-c").arg(script).current_dir(&dir);
    for (name, value) in &task.env {
        let value = match value.as_str() {
            "$(params.version)" => "abc123",
            "$(params.emergency)" => emergency,
            other => other,
        };
        command.env(name, value);
    }
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = command
        .env("PATH", path)
        .env("SLUICE_GATES_NOW", now.timestamp().as_second().to_string())
        .env("SLUICE_GATES_FAKE_SLEEP", "1")
        .output()
        .expect("sh runs");
    (
        run.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn gate_tasks_wait_for_the_window_and_check_blockers() {
    if !Path::new("/usr/share/zoneinfo/Europe/Berlin").exists() {
        panic!("the time-zone database is missing: run .ci/setup-gates");
    }
    let fixture = || plans("tests/fixtures/build").remove(0);
    let gate = "production.1/gate";
    // Monday 07:00 in Berlin: an hour's wait, then the blockers are clear
    let monday = "2026-11-30T07:00[Europe/Berlin]";
    let (code, err) = run_task(fixture(), gate, monday, "OK", "false");
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_task(fixture(), gate, monday, "ALARM", "false");
    assert_eq!(code, 1, "{err}");
    let (code, err) = run_task(fixture(), gate, monday, "ALARM", "true");
    assert_eq!(code, 1, "no override-blockers in this source: {err}");
    // payments-ledger lets an emergency run override its blockers
    let ledger = || plans("examples").remove(2);
    let tuesday = "2026-12-01T10:00[America/Los_Angeles]";
    let (code, err) = run_task(ledger(), gate, tuesday, "ALARM", "false");
    assert_eq!(code, 1, "{err}");
    let (code, err) = run_task(ledger(), gate, tuesday, "ALARM", "true");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("blockers overridden"), "{err}");
}

#[test]
fn bake_tasks_poll_until_done() {
    let fixture = || plans("tests/fixtures/build").remove(0);
    let bake = "staging/us-east-1/bake";
    let now = "2026-11-30T07:00[Europe/Berlin]";
    let (code, err) = run_task(fixture(), bake, now, "OK", "false");
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_task(fixture(), bake, now, "ALARM", "false");
    assert_eq!(code, 1, "an alarm fires during the bake: {err}");
    assert!(err.contains("baking for 12h"), "{err}");
    // an emergency run bakes for the scaled time (50% in this source)
    let (code, err) = run_task(fixture(), bake, now, "OK", "true");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("baking for 6h"), "{err}");
}

#[test]
fn the_preflight_refuses_the_template_version_and_a_run_without_reason() {
    let (plan, source) = plans("examples").remove(2);
    let (tasks, _) = read_tasks(&pipeline_file(&plan, &source).unwrap());
    let preflight = &tasks[PREFLIGHT_TASK];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tekton-preflight");
    std::fs::create_dir_all(&dir).unwrap();
    let library = dir.join("gates.sh");
    std::fs::write(&library, sluice_targets::gates::library()).unwrap();
    let script = preflight.script.as_ref().unwrap().replace(
        &format!("{}/sluice-gates.sh", tekton::GATES_MOUNT),
        &library.display().to_string(),
    );
    let run = |version: &str, emergency: &str, reason: &str| {
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(&script);
        for (name, value) in &preflight.env {
            let value = match value.as_str() {
                "$(params.version)" => version,
                "$(params.emergency)" => emergency,
                "$(params.reason)" => reason,
                other => panic!("{other}"),
            };
            command.env(name, value);
        }
        command.output().unwrap().status.code()
    };
    let docs = documents(&pipeline_file(&plan, &source).unwrap());
    let template = text(&docs[1]["spec"]["params"][0]["value"]);
    let sha = "0123456789abcdef0123456789abcdef01234567";
    assert_eq!(run(&template, "false", ""), Some(1));
    assert_eq!(run("0123abcd", "false", ""), Some(1));
    assert_eq!(run(sha, "false", ""), Some(0));
    assert_eq!(run(sha, "true", ""), Some(1));
    assert_eq!(run(sha, "true", "sev1 $(x) `y`"), Some(0));
    assert_eq!(run(sha, "yes", "r"), Some(1));
}
