//! The Jenkins target: snapshots of every emitted file, and the emitted
//! Jenkinsfiles *run* under Debian's `groovy` with a harness
//! (`targets/tests/jenkins/harness.groovy`) that implements the declarative
//! DSL as recording functions, with `sh` and `git` stubbed. The recorded
//! traces are compared with the plans: order, parallel groups, locks,
//! gates, bakes, timeouts, and the rollback and failure of a run whose
//! deploy or alarm fails; hostile strings reach `sh` exactly; a pipeline of
//! 40 regions with many checks compiles (no JVM method over 64 KB).

mod common;

use common::hostile::plan as hostile_plan;
use common::{all_plans, plans, root};

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use sluice_grammar::value::Duration;
use sluice_targets::gates::{
    blockers_args, resolve, Alarm, Allow, BakeGate, Probe as GateProbe, WindowGate,
};
use sluice_targets::jenkins::{self, levels::levels, HELPERS};
use sluice_targets::output::{OutputFile, GENERATED_MARK};
use sluice_targets::plan::{
    AlarmCheck, Command, GateCheck, Plan, RegionPlan, Segment, StagePlan, Unit, UnitId, Work,
};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    jenkins::emit(&inputs).expect("Jenkins takes every plan")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for folder in ["examples", "tests/fixtures/build"] {
        let files = emit(&plans(folder));
        for file in &files {
            if file.path.ends_with("sluice-gates.sh") {
                assert_eq!(file.contents, sluice_targets::gates::library());
                continue;
            }
            assert!(file
                .contents
                .lines()
                .next()
                .unwrap()
                .contains(GENERATED_MARK));
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
fn no_groovy_interpolation_anywhere() {
    for (plan, source) in all_plans() {
        let text = jenkins::jenkinsfile(&plan, &source);
        assert!(!text.contains("${"), "{}", plan.pipeline);
        // the generated part has no double-quoted (GString) literal outside
        // single-quoted strings
        let generated = &text[..text.len() - HELPERS.len()];
        assert!(outside_single_quotes(generated).all(|c| c != '"'));
    }
}

/// The characters of Groovy `text` outside single-quoted literals and `//`
/// comments.
fn outside_single_quotes(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut quoted = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '\\') => {
                    chars.next();
                }
                (_, '\'') => quoted = !quoted,
                (false, c) => out.push(c),
                _ => {}
            }
        }
    }
    out.into_iter()
}

// ---- the harness ----------------------------------------------------------

fn java_home() -> String {
    if let Ok(home) = std::env::var("JAVA_HOME") {
        if Path::new(&home).join("bin/java").exists() {
            return home;
        }
    }
    let javac = std::process::Command::new("sh")
        .arg("-c")
        .arg("readlink -f \"$(command -v javac)\"")
        .output()
        .expect("sh runs");
    let path = String::from_utf8_lossy(&javac.stdout).trim().to_string();
    assert!(
        !path.is_empty(),
        "no JDK (javac) found: run .ci/setup-jenkins"
    );
    Path::new(&path)
        .parent()
        .and_then(Path::parent)
        .expect("a JDK home")
        .to_string_lossy()
        .into_owned()
}

struct Case {
    jenkinsfile: String,
    props: Vec<(&'static str, String)>,
}

/// One recorded event: its kind and its fields, texts decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    kind: String,
    fields: Vec<String>,
}

fn unhex(text: &str) -> String {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(bytes).expect("utf-8")
}

fn parse_event(line: &str) -> Event {
    let mut parts = line.split('\t');
    let kind = parts.next().unwrap().to_string();
    let raw: Vec<&str> = parts.collect();
    let fields = match kind.as_str() {
        "lock" | "unlock" | "parallel-begin" => raw[0].split(',').map(unhex).collect(),
        "stage-end" => vec![unhex(raw[0]), raw[1].to_string()],
        "result" => {
            let mut f = vec![raw[0].to_string()];
            f.extend(raw[1..].iter().map(|r| unhex(r)));
            f
        }
        "stage-begin" | "post-failure" | "input" | "echo" | "error" | "node" | "run" | "gates" => {
            raw.iter().map(|r| unhex(r)).collect()
        }
        _ => raw.iter().map(|r| r.to_string()).collect(),
    };
    Event { kind, fields }
}

/// A Java properties value: everything but letters and digits escaped.
fn property(text: &str) -> String {
    text.encode_utf16()
        .map(|u| match char::from_u32(u32::from(u)) {
            Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
            _ => format!("\\u{u:04x}"),
        })
        .collect()
}

/// Runs every case in one `groovy` process; the trace of each.
fn run_cases(tag: &str, cases: &[Case]) -> Vec<Vec<Event>> {
    // the process id: two test runs in one checkout must not share files
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("jenkins-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let harness = root().join("targets/tests/jenkins");
    for (stub, name) in [("fake-sh", "sh"), ("fake-git", "git")] {
        let path = dir.join("bin").join(name);
        std::fs::copy(harness.join(stub), &path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut dirs = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let case_dir = dir.join(format!("case-{index}"));
        std::fs::create_dir_all(&case_dir).unwrap();
        std::fs::write(case_dir.join("Jenkinsfile"), &case.jenkinsfile).unwrap();
        let props: String = case
            .props
            .iter()
            .map(|(k, v)| format!("{k}={}\n", property(v)))
            .collect();
        std::fs::write(case_dir.join("case.properties"), props).unwrap();
        dirs.push(case_dir);
    }
    let groovy = std::process::Command::new("groovy")
        .arg(harness.join("harness.groovy"))
        .args(&dirs)
        .env("JAVA_HOME", java_home())
        .output()
        .unwrap_or_else(|e| panic!("groovy does not run ({e}): run .ci/setup-jenkins"));
    assert!(
        groovy.status.success(),
        "groovy failed: {}{}",
        String::from_utf8_lossy(&groovy.stdout),
        String::from_utf8_lossy(&groovy.stderr)
    );
    let traces = dirs
        .iter()
        .map(|d| {
            std::fs::read_to_string(d.join("trace.txt"))
                .expect("a trace")
                .lines()
                .map(parse_event)
                .collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    traces
}

fn case(plan: &Plan, source: &str, props: &[(&'static str, &str)]) -> Case {
    Case {
        jenkinsfile: jenkins::jenkinsfile(plan, source),
        props: props.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    }
}

// ---- expectations from the plan ------------------------------------------

const VERSION: &str = "0123abcd";

fn gate_alarms(alarms: &[AlarmCheck], version: &str) -> Vec<Alarm> {
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

fn ev(kind: &str, fields: Vec<String>) -> Event {
    Event {
        kind: kind.to_string(),
        fields,
    }
}

/// What a region's branch runs: commands and gate-library calls (a bake's
/// `--started-at` value left out; the stub bakes answer `continue`, then
/// `done`).
fn expected_region(region: &RegionPlan, version: &str, emergency: bool) -> Vec<Event> {
    let mut out = Vec::new();
    for unit in &region.units {
        let (command, alarms) = match &unit.work {
            Work::Deploy(d) => (&d.command, &d.alarms),
            Work::Step(s) => (&s.command, &s.alarms),
            Work::Bake(bake) => {
                let seconds = match bake.emergency_seconds {
                    Some(e) if emergency => e,
                    _ => bake.seconds,
                };
                let args = BakeGate {
                    duration: Duration::from_secs(seconds),
                    interval: Duration::from_secs(bake.poll_seconds),
                    alarms: gate_alarms(&bake.alarms, version),
                    datapoints: bake.datapoints.as_ref().map(|d| {
                        (
                            d.count,
                            GateProbe {
                                provider: d.probe.provider,
                                text: Command::literal(&d.probe.query.resolve(version)),
                            },
                        )
                    }),
                    max_wait: None,
                    chunk: None,
                }
                .args();
                let mut args = resolve(&args, version);
                args.extend(["--chunk", "1s", "--started-at"].map(String::from));
                out.push(ev("gates", args.clone()));
                out.push(ev("gates", args));
                continue;
            }
            _ => continue,
        };
        let check = (!alarms.is_empty()).then(|| {
            ev(
                "gates",
                resolve(&blockers_args(&gate_alarms(alarms, version)), version),
            )
        });
        out.extend(check.clone());
        out.push(ev("run", vec![command.resolve(version)]));
        out.extend(check);
    }
    out
}

fn expected_gate(plan: &Plan, gate: &Unit, version: &str, emergency: bool) -> Vec<Event> {
    let Work::Gate(g) = &gate.work else {
        unreachable!()
    };
    let mut out = Vec::new();
    for check in &g.checks {
        match check {
            GateCheck::Approval { approvers, .. } => {
                let submitter: Vec<&str> = approvers
                    .iter()
                    .map(|a| a.strip_prefix('@').unwrap_or(a))
                    .collect();
                out.push(ev("input", vec![submitter.join(",")]));
            }
            GateCheck::Window { window } => {
                let spec = &plan.windows[window];
                let args = WindowGate {
                    name: window.clone(),
                    zone: spec.timezone.clone(),
                    allow: spec
                        .allow
                        .iter()
                        .map(|a| Allow {
                            days: a.days.clone(),
                            from: a.from,
                            to: a.to,
                        })
                        .collect(),
                    deny: spec.deny.iter().map(|d| (d.from, d.to)).collect(),
                    max_wait: Duration::from_secs(60),
                }
                .args();
                out.push(ev("gates", resolve(&args, version)));
            }
            GateCheck::Blockers { alarms } => {
                let overridden =
                    emergency && plan.emergency.as_ref().is_some_and(|e| e.override_blockers);
                if !overridden {
                    out.push(ev(
                        "gates",
                        resolve(&blockers_args(&gate_alarms(alarms, version)), version),
                    ));
                }
            }
        }
    }
    out
}

/// The events of the stage named `name` (its begin to its end).
fn stage_events<'a>(trace: &'a [Event], name: &str) -> &'a [Event] {
    let begin = trace
        .iter()
        .position(|e| e.kind == "stage-begin" && e.fields[0] == name)
        .unwrap_or_else(|| panic!("no stage {name:?}"));
    let end = trace[begin..]
        .iter()
        .position(|e| e.kind == "stage-end" && e.fields[0] == name)
        .expect("the stage ends")
        + begin;
    &trace[begin..=end]
}

/// Commands and gate calls, bakes' start times dropped; inputs by submitter.
fn work(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .filter_map(|e| match e.kind.as_str() {
            "run" => Some(e.clone()),
            "gates" => {
                let mut fields = e.fields.clone();
                if fields.len() >= 2 && fields[fields.len() - 2] == "--started-at" {
                    fields.pop();
                }
                Some(ev("gates", fields))
            }
            "input" => Some(ev("input", vec![e.fields[1].clone()])),
            _ => None,
        })
        .collect()
}

fn has_work(stage: &StagePlan) -> bool {
    stage.gate.is_some() || stage.regions.iter().any(|r| !r.units.is_empty())
}

fn branch_label(stage: &StagePlan, region: &RegionPlan) -> String {
    format!(
        "{} / {}",
        stage.id,
        region.region.as_deref().unwrap_or("run")
    )
}

/// The trace of a successful run has the plan's levels, locks, parallel
/// groups, gates, region work and timeouts.
fn check_trace(plan: &Plan, trace: &[Event], emergency: bool) {
    check_trace_with(plan, trace, emergency, VERSION)
}

fn check_trace_with(plan: &Plan, trace: &[Event], emergency: bool, version: &str) {
    let last = trace.last().expect("a trace");
    assert_eq!(last.fields[0], "SUCCESS", "{}: {last:?}", plan.pipeline);
    assert_eq!(trace[0], ev("agent", vec!["none".into()]));
    // top-level stages: the start, then one per level, in order
    let mut depth = 0;
    let mut top = Vec::new();
    for e in trace {
        match e.kind.as_str() {
            "stage-begin" => {
                if depth == 0 {
                    top.push(e.fields[0].clone());
                }
                depth += 1;
            }
            "stage-end" => depth -= 1,
            _ => {}
        }
    }
    let mut expected_top = vec!["sluice: start".to_string()];
    for level in levels(plan) {
        let ids: Vec<&str> = level
            .stages
            .iter()
            .filter(|s| has_work(s))
            .map(|s| s.id.as_str())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let name = ids.join(" + ");
        let events = stage_events(trace, &name);
        // the level's stages hold their locks for all their work
        let mut keys: Vec<String> = level
            .stages
            .iter()
            .filter(|s| has_work(s))
            .map(|s| s.concurrency.clone())
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(events[1], ev("lock", keys.clone()), "{name}");
        // every branch of the level runs in one parallel group
        let branches: Vec<String> = level
            .stages
            .iter()
            .flat_map(|s| {
                s.regions
                    .iter()
                    .filter(|r| !r.units.is_empty())
                    .map(|r| branch_label(s, r))
            })
            .collect();
        if branches.len() > 1 {
            assert!(
                events.contains(&ev("parallel-begin", branches.clone())),
                "{name}: {branches:?}"
            );
        }
        for stage in level.stages.iter().filter(|s| has_work(s)) {
            if let Some(gate) = &stage.gate {
                let gate_events = stage_events(events, &format!("{}: gate", stage.id));
                assert_eq!(
                    work(gate_events),
                    expected_gate(plan, gate, version, emergency),
                    "{}",
                    gate.id
                );
                // the gate passes before any region of its level starts
                let gate_end = events
                    .iter()
                    .position(|e| {
                        e.kind == "stage-end" && e.fields[0] == format!("{}: gate", stage.id)
                    })
                    .unwrap();
                for label in &branches {
                    let start = events
                        .iter()
                        .position(|e| e.kind == "stage-begin" && &e.fields[0] == label)
                        .unwrap();
                    assert!(gate_end < start, "{label} starts before {}", gate.id);
                }
            }
            for region in stage.regions.iter().filter(|r| !r.units.is_empty()) {
                let label = branch_label(stage, region);
                let events = stage_events(events, &label);
                assert_eq!(
                    work(events),
                    expected_region(region, version, emergency),
                    "{label}"
                );
                let timeouts: Vec<u64> = region
                    .units
                    .iter()
                    .filter(|u| matches!(u.work, Work::Deploy(_) | Work::Step(_)))
                    .filter_map(|u| u.timeout_seconds)
                    .collect();
                let recorded: Vec<u64> = events
                    .iter()
                    .filter(|e| e.kind == "timeout")
                    .map(|e| e.fields[0].parse().unwrap())
                    .collect();
                assert_eq!(recorded, timeouts, "{label}");
                // bakes sleep between polls without an agent
                let bakes = region
                    .units
                    .iter()
                    .filter(|u| matches!(u.work, Work::Bake(_)))
                    .count();
                let sleeps = events.iter().filter(|e| e.kind == "sleep").count();
                assert_eq!(sleeps, bakes, "{label}");
            }
        }
        expected_top.push(name);
    }
    assert_eq!(top, expected_top, "{}", plan.pipeline);
    // every command and gate call runs on an agent; nothing else does
    let mut on_node = false;
    for e in trace {
        match e.kind.as_str() {
            "node" => on_node = true,
            "node-end" => on_node = false,
            "run" | "gates" => assert!(on_node, "{e:?} outside a node"),
            "input" | "sleep" | "lock" => assert!(!on_node, "{e:?} holds an executor"),
            _ => {}
        }
    }
}

#[test]
fn every_jenkinsfile_runs_in_the_plans_order() {
    let plans = all_plans();
    let mut cases: Vec<Case> = plans
        .iter()
        .map(|(plan, source)| case(plan, source, &[("fake.version", VERSION)]))
        .collect();
    // emergency runs: a reason, the emergency approval, scaled bakes
    let emergency: Vec<&(Plan, String)> = plans
        .iter()
        .filter(|(p, _)| p.emergency.is_some())
        .collect();
    assert!(!emergency.is_empty());
    for (plan, source) in &emergency {
        cases.push(case(
            plan,
            source,
            &[
                ("fake.version", VERSION),
                ("params.emergency", "true"),
                ("params.reason", "incident 42"),
            ],
        ));
    }
    let traces = run_cases("order", &cases);
    for ((plan, _), trace) in plans.iter().zip(&traces) {
        check_trace(plan, trace, false);
        assert!(!trace
            .iter()
            .any(|e| e.kind == "input" && e.fields[0].starts_with("Emergency run")));
    }
    for ((plan, _), trace) in emergency.iter().zip(&traces[plans.len()..]) {
        check_trace(plan, trace, true);
        let e = plan.emergency.as_ref().unwrap();
        let submitters: Vec<&str> = e
            .approvers
            .iter()
            .map(|a| a.strip_prefix('@').unwrap_or(a))
            .collect();
        let start = stage_events(trace, "sluice: start");
        assert!(start
            .iter()
            .any(|ev| ev.kind == "input" && ev.fields[1] == submitters.join(",")));
    }
}

/// The first region (plan order) that has a rollback, with its stage.
fn first_rollback_region(plan: &Plan) -> Option<(&StagePlan, &RegionPlan)> {
    plan.stages.iter().find_map(|s| {
        s.regions
            .iter()
            .find(|r| r.rollback.is_some())
            .map(|r| (s, r))
    })
}

fn rollback_command(region: &RegionPlan) -> String {
    match &region.rollback.as_ref().unwrap().work {
        Work::Rollback(r) => r.command.resolve(VERSION),
        _ => unreachable!(),
    }
}

/// After the first failure: the failing branch's rollback runs, the run
/// fails, and no later level starts.
fn check_failure(plan: &Plan, trace: &[Event]) {
    let last = trace.last().unwrap();
    assert_eq!(last.fields[0], "FAILURE", "{}", plan.pipeline);
    let post = trace
        .iter()
        .position(|e| e.kind == "post-failure")
        .unwrap_or_else(|| panic!("{}: no rollback", plan.pipeline));
    let label = &trace[post].fields[0];
    let (stage, region) = plan
        .stages
        .iter()
        .flat_map(|s| s.regions.iter().map(move |r| (s, r)))
        .find(|(s, r)| &branch_label(s, r) == label)
        .expect("a region branch");
    let next_run = trace[post..].iter().find(|e| e.kind == "run").unwrap();
    assert_eq!(next_run.fields[0], rollback_command(region), "{label}");
    // no stage of a later level begins
    let level_names: Vec<String> = levels(plan)
        .iter()
        .map(|l| {
            l.stages
                .iter()
                .filter(|s| has_work(s))
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .filter(|n| !n.is_empty())
        .collect();
    let mine = level_names
        .iter()
        .position(|n| n.split(" + ").any(|id| id == stage.id.as_str()))
        .unwrap();
    for later in &level_names[mine + 1..] {
        assert!(
            !trace
                .iter()
                .any(|e| e.kind == "stage-begin" && &e.fields[0] == later),
            "{later} started after a failure"
        );
    }
}

#[test]
fn a_failing_deploy_or_alarm_rolls_back_and_fails_the_run() {
    let plans = all_plans();
    let mut cases = Vec::new();
    let mut which = Vec::new();
    for (plan, source) in &plans {
        let Some((_, region)) = first_rollback_region(plan) else {
            continue;
        };
        let deploy = region.units.iter().find_map(|u| match &u.work {
            Work::Deploy(d) => Some(d.command.resolve(VERSION)),
            _ => None,
        });
        if let Some(deploy) = deploy {
            cases.push(case(
                plan,
                source,
                &[("fake.version", VERSION), ("fake.fail", &deploy)],
            ));
            which.push(plan);
        }
        let alarm = region.units.iter().find_map(|u| match &u.work {
            Work::Bake(b) => b.alarms.first().map(|a| a.alarm.clone()),
            _ => None,
        });
        if let Some(alarm) = alarm {
            cases.push(case(
                plan,
                source,
                &[("fake.version", VERSION), ("fake.alarm", &alarm)],
            ));
            which.push(plan);
        }
    }
    assert!(cases.len() >= 4);
    let traces = run_cases("failure", &cases);
    for (plan, trace) in which.iter().zip(&traces) {
        check_failure(plan, trace);
    }
}

#[test]
fn gates_stop_the_run_and_emergency_needs_a_reason() {
    let (plan, source) = plans("tests/fixtures/build").remove(0);
    let ledger = plans("examples")
        .into_iter()
        .find(|(p, _)| p.pipeline == "payments-ledger")
        .unwrap();
    // a blocker that is no rollback alarm (those are checked around deploys)
    let blocker = |plan: &Plan| {
        let rollback: HashSet<String> = plan
            .units()
            .flat_map(|u| match &u.work {
                Work::Deploy(d) => d.alarms.clone(),
                Work::Step(s) => s.alarms.clone(),
                Work::Bake(b) => b.alarms.clone(),
                _ => Vec::new(),
            })
            .map(|a| a.alarm)
            .collect();
        plan.stages
            .iter()
            .filter_map(|s| s.gate.as_ref())
            .find_map(|g| match &g.work {
                Work::Gate(g) => g.checks.iter().find_map(|c| match c {
                    GateCheck::Blockers { alarms } => alarms
                        .iter()
                        .find(|a| !rollback.contains(&a.alarm))
                        .map(|a| a.alarm.clone()),
                    _ => None,
                }),
                _ => None,
            })
            .expect("a blocker")
    };
    let cases = vec![
        case(
            &plan,
            &source,
            &[("fake.version", VERSION), ("fake.blocker", &blocker(&plan))],
        ),
        case(
            &plan,
            &source,
            &[("fake.version", VERSION), ("params.emergency", "true")],
        ),
        case(
            &plan,
            &source,
            &[
                ("fake.version", VERSION),
                ("fake.deny", "approval security"),
            ],
        ),
        case(
            &ledger.0,
            &ledger.1,
            &[
                ("fake.version", VERSION),
                ("fake.blocker", &blocker(&ledger.0)),
                ("params.emergency", "true"),
                ("params.reason", "incident"),
            ],
        ),
    ];
    let traces = run_cases("gates", &cases);
    // a firing blocker fails the gate: no region of that wave starts
    let t = &traces[0];
    assert_eq!(t.last().unwrap().fields[0], "FAILURE");
    assert!(!t
        .iter()
        .any(|e| e.kind == "stage-begin" && e.fields[0].starts_with("production.1 / ")));
    // an emergency run without a reason stops before any lock
    let t = &traces[1];
    assert_eq!(t.last().unwrap().fields[0], "FAILURE");
    assert!(!t.iter().any(|e| e.kind == "lock"));
    // a rejected approval stops the stage before it deploys
    let t = &traces[2];
    assert_eq!(t.last().unwrap().fields[0], "FAILURE");
    assert!(!t
        .iter()
        .any(|e| e.kind == "stage-begin" && e.fields[0].starts_with("staging / ")));
    // payments-ledger lets an emergency run override its blockers
    let t = &traces[3];
    assert_eq!(t.last().unwrap().fields[0], "SUCCESS", "{t:?}");
    assert!(t
        .iter()
        .any(|e| e.kind == "echo" && e.fields[0].contains("blockers overridden")));
}

// ---- hostile text ---------------------------------------------------------

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[^\u{0}]{0,8}",
            Just("${x}".to_string()),
            Just("$(id)".to_string()),
            Just("`id`".to_string()),
            Just("'\"".to_string()),
            Just("'''".to_string()),
            Just("\"\"\"".to_string()),
            Just("\n".to_string()),
            Just("\\".to_string()),
            Just("\\u0027".to_string()),
            Just("*/ /* //".to_string()),
            Just("ünï ✓ 日本\u{2028}\u{85}\r\t".to_string()),
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat())
}

/// Hostile texts in names, commands, alarms, approvers and the version:
/// the Jenkinsfile parses, has no `${`, and every deploy's `sh` receives
/// exactly the command's text; the alarms reach the gate library exactly.
#[test]
fn hostile_text_reaches_sh_exactly() {
    let mut runner = TestRunner::deterministic();
    let strategy = (hostile_text(), any::<bool>());
    let version = "0123abcd'$(x)\"`y`${z}";
    let mut inputs = Vec::new();
    let mut cases = Vec::new();
    for _ in 0..40 {
        let (text, with_version) = strategy.new_tree(&mut runner).unwrap().current();
        let mut command = Command::default();
        command.segments.push(Segment::Literal(text.clone()));
        if with_version {
            command.segments.push(Segment::Version);
            command.segments.push(Segment::Literal(text.clone()));
        }
        let plan = hostile_plan(&text, &command, true);
        let file = jenkins::jenkinsfile(&plan, &format!("x{text}.sluice"));
        let opener: Vec<&str> = file.lines().filter(|l| l.contains("${")).collect();
        assert!(opener.is_empty(), "{text:?}: {opener:?}");
        cases.push(Case {
            jenkinsfile: file,
            props: vec![("fake.version", version.to_string())],
        });
        inputs.push((plan, command));
    }
    let traces = run_cases("hostile", &cases);
    for ((plan, command), trace) in inputs.iter().zip(&traces) {
        assert_eq!(
            trace.last().unwrap().fields[0],
            "SUCCESS",
            "{}: {trace:?}",
            plan.pipeline
        );
        let runs: Vec<&str> = trace
            .iter()
            .filter(|e| e.kind == "run")
            .map(|e| e.fields[0].as_str())
            .collect();
        let deploys = plan
            .units()
            .filter(|u| matches!(u.work, Work::Deploy(_)))
            .count();
        let resolved = command.resolve(version);
        assert_eq!(
            runs.iter().filter(|r| **r == resolved).count(),
            deploys,
            "{resolved:?} in {runs:?}"
        );
        check_trace_with(plan, trace, false, version);
        let names: HashSet<&str> = trace
            .iter()
            .filter(|e| e.kind == "stage-begin")
            .map(|e| e.fields[0].as_str())
            .collect();
        for stage in plan.stages.iter().filter(|s| has_work(s)) {
            assert!(names.iter().any(|n| n.starts_with(stage.id.as_str())));
        }
    }
}

// ---- a big organisation ---------------------------------------------------

/// 40 regions in one wave, each with 30 checks: the Jenkinsfile compiles
/// under groovy (parsing compiles every method to bytecode, and the JVM
/// refuses a method over 64 KB), its `pipeline {}` block grows by a few
/// lines per region only, and no generated method is long.
#[test]
fn forty_regions_with_many_checks_stay_small_per_method() {
    let (mut plan, source) = plans("tests/fixtures/build").remove(0);
    let wave = plan
        .stages
        .iter_mut()
        .find(|s| s.wave.is_some())
        .expect("a wave");
    let template = wave.regions[0].clone();
    let mut regions = Vec::new();
    for r in 0..40 {
        let name = format!("region-{r:02}");
        let mut region = template.clone();
        region.region = Some(name.clone());
        let prefix = |id: &UnitId| UnitId(id.0.replace("us-east-1", &name));
        let mut units = Vec::new();
        for unit in &region.units {
            let mut unit = unit.clone();
            unit.id = prefix(&unit.id);
            unit.needs = unit.needs.iter().map(prefix).collect();
            units.push(unit);
        }
        // 30 checks before the bake
        let bake = units.pop().unwrap();
        for c in 0..30 {
            let mut step = units[0].clone();
            step.id = UnitId(format!("{}/check/c{c}", wave.id));
            step.timeout_seconds = Some(600);
            if let Work::Deploy(d) = &step.work {
                step.work = Work::Step(sluice_targets::plan::Step {
                    region: Some(name.clone()),
                    name: format!("c{c}"),
                    check: None,
                    command: Command::literal(&format!("./check.sh {name} {c}")),
                    alarms: d.alarms.clone(),
                });
            }
            units.push(step);
        }
        units.push(bake);
        region.units = units;
        regions.push(region);
    }
    wave.regions = regions;
    let file = jenkins::jenkinsfile(&plan, &source);
    // every method (and the pipeline block) is short
    let mut longest = 0;
    let mut current = 0;
    for line in file.lines() {
        if line.starts_with("def ") || line.starts_with("pipeline {") {
            current = 0;
        }
        current += 1;
        if line == "}" {
            longest = longest.max(current);
        }
    }
    assert!(longest < 60 + 4 * 40, "a method of {longest} lines");
    // one parallel group of 40 branches, each calling its region's method
    assert_eq!(
        file.matches("            stage('production.1 / region-")
            .count(),
        40
    );
    assert!(file.matches("\n  sluiceRun(").count() >= 40 * (4 + 30));
    let traces = run_cases("big", &[case(&plan, &source, &[("parse.only", "true")])]);
    assert_eq!(traces[0], vec![ev("parsed", vec![])]);
}

/// A stage that the flattening makes wait for more than its `after` says
/// gets a comment at its level; the run still keeps the order.
#[test]
fn lost_overlap_is_commented() {
    let (mut plan, source) = plans("examples")
        .into_iter()
        .find(|(p, _)| p.pipeline == "catalog-search")
        .unwrap();
    // production.1 waits only for gamma: contract-tests is then a wait that
    // Jenkins adds
    let wave = plan
        .stages
        .iter_mut()
        .find(|s| s.id.as_str() == "production.1")
        .unwrap();
    wave.after.retain(|a| a.as_str() == "gamma");
    let file = jenkins::jenkinsfile(&plan, &source);
    assert!(
        file.contains("    // Flattened: `production.1` also waits for contract-tests here"),
        "{file}"
    );
    let level = levels(&plan);
    assert!(level.iter().any(|l| !l.lost.is_empty()));
}
