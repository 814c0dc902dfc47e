//! The GitHub Actions target: snapshots of every emitted file, a read-back
//! test that rebuilds the job graph from the YAML and compares it with the
//! plan, and a property test with hostile commands and names.

mod common;

use common::hostile::plan as hostile_plan;
use common::{all_plans, plans};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_yaml_ng::Value;
use sluice_targets::gates::{blockers_args, Alarm, Probe as GateProbe};
use sluice_targets::github::{
    self, chunk_count, jobs_of, names::is_job_id, OutputFile, EMERGENCY_JOB, NO_FAILURE,
    ON_FAILURE, PREFLIGHT_JOB, RUN_LINE,
};
use sluice_targets::plan::{Command, GateCheck, Plan, Segment, Unit, UnitId, Work, VERSION_ENV};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    github::emit(&inputs).expect("within GitHub's limits")
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

/// A job as read back from the YAML.
#[derive(Debug)]
struct ReadJob {
    needs: Vec<String>,
    condition: Option<String>,
    environment: Option<String>,
    steps: Vec<(String, String)>,
}

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_string()
}

fn read_jobs(yaml: &str) -> HashMap<String, ReadJob> {
    let doc: Value = serde_yaml_ng::from_str(yaml).expect("the workflow parses");
    let jobs = doc.get("jobs").and_then(Value::as_mapping).expect("jobs");
    jobs.iter()
        .map(|(id, job)| {
            let needs = job
                .get("needs")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().map(text).collect())
                .unwrap_or_default();
            let steps = job
                .get("steps")
                .and_then(Value::as_sequence)
                .expect("steps")
                .iter()
                .filter_map(|s| Some((text(s.get("name")?), text(s.get("run")?))))
                .collect();
            (
                text(id),
                ReadJob {
                    needs,
                    condition: job.get("if").map(text),
                    environment: job.get("environment").map(text),
                    steps,
                },
            )
        })
        .collect()
}

fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}

/// What each job can reach by following `needs` backwards (its ancestors).
fn ancestors(jobs: &HashMap<String, ReadJob>) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for id in jobs.keys() {
        let mut seen = HashSet::new();
        let mut todo = vec![id.clone()];
        while let Some(next) = todo.pop() {
            for need in &jobs[&next].needs {
                assert!(jobs.contains_key(need), "{next} needs unknown {need}");
                if seen.insert(need.clone()) {
                    todo.push(need.clone());
                }
            }
        }
        assert!(!seen.contains(id), "{id} waits for itself");
        out.insert(id.clone(), seen);
    }
    out
}

/// Plan ancestors of each unit (by `needs`), rollbacks left out.
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

fn step_index(job: &ReadJob, unit: &Unit) -> usize {
    let name = unit.id.as_str().replace('/', " / ");
    job.steps
        .iter()
        .position(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no step {name} in {:?}", job.steps))
}

fn check_fidelity(plan: &Plan, yaml: &str) {
    let jobs = read_jobs(yaml);
    let map = jobs_of(plan);
    let start: Vec<String> = if plan.emergency.is_some() {
        vec![PREFLIGHT_JOB.into(), EMERGENCY_JOB.into()]
    } else {
        vec![PREFLIGHT_JOB.into()]
    };
    // every job is a unit's or a start job, and every id is valid
    let mut expected: HashSet<String> = map.values().flatten().cloned().collect();
    expected.extend(start.iter().cloned());
    assert_eq!(jobs.keys().cloned().collect::<HashSet<_>>(), expected);
    assert!(jobs.keys().all(|id| is_job_id(id)));
    let up = ancestors(&jobs);
    let forward = if plan.emergency.is_some() {
        Some(NO_FAILURE.to_string())
    } else {
        None
    };
    let mut rollback_jobs = HashSet::new();
    for unit in plan.units() {
        let mine = &map[&unit.id];
        let first = &jobs[&mine[0]];
        if let Work::Rollback(rollback) = &unit.work {
            let failing: Vec<String> = rollback
                .on_failure_of
                .iter()
                .flat_map(|u| map[u].iter().cloned())
                .collect();
            assert_eq!(set(&first.needs), set(&failing), "rollback {}", unit.id);
            assert_eq!(first.condition.as_deref(), Some(ON_FAILURE));
            rollback_jobs.insert(mine[0].clone());
            continue;
        }
        for pair in mine.windows(2) {
            assert_eq!(jobs[&pair[1]].needs, vec![pair[0].clone()], "{}", unit.id);
        }
        for id in mine {
            assert_eq!(jobs[id].condition, forward, "{id}");
        }
        // the unit's first job waits for exactly the last jobs of its needs,
        // or shares the job of the one unit it follows, a step later
        let needed: Vec<String> = unit
            .needs
            .iter()
            .map(|n| map[n].last().unwrap().clone())
            .collect();
        if needed == [mine[0].clone()] {
            let before = plan.unit(unit.needs[0].as_str()).unwrap();
            assert!(
                step_index(first, before) < step_index(first, unit),
                "{}",
                unit.id
            );
        } else if unit.needs.is_empty() {
            assert_eq!(set(&first.needs), set(&start), "{}", unit.id);
        } else {
            assert_eq!(set(&first.needs), set(&needed), "{}", unit.id);
        }
        match &unit.work {
            Work::Bake(bake) => {
                assert_eq!(mine.len() as u64, chunk_count(bake), "{}", unit.id);
                let script = &jobs[&mine[0]].steps[0].1;
                let duration = sluice_grammar::value::Duration::from_secs(bake.seconds);
                assert!(
                    script.contains(&format!("'--duration' '{duration}'")),
                    "{script}"
                );
                if let (Some(seconds), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                    let scaled = sluice_grammar::value::Duration::from_secs(seconds);
                    assert!(script.contains(&format!("'--duration' '{scaled}'")));
                }
            }
            Work::Gate(gate) => {
                let approvals = gate
                    .checks
                    .iter()
                    .filter(|c| matches!(c, GateCheck::Approval { .. }))
                    .count();
                let with_env = mine
                    .iter()
                    .filter(|j| jobs[*j].environment.is_some())
                    .count();
                assert_eq!(approvals, with_env, "{}", unit.id);
                let script: String = jobs[mine.last().unwrap()].steps[0].1.clone();
                for check in &gate.checks {
                    match check {
                        GateCheck::Window { .. } => assert!(script.contains("'window'")),
                        GateCheck::Blockers { .. } => assert!(script.contains("'blockers'")),
                        GateCheck::Approval { .. } => {}
                    }
                }
            }
            _ => {}
        }
    }
    // order: a unit comes after another in the plan exactly when its job
    // comes after the other's job (or later in the same job)
    let plan_up = plan_ancestors(plan);
    let units: Vec<&Unit> = plan
        .units()
        .filter(|u| !matches!(u.work, Work::Rollback(_)))
        .collect();
    for a in &units {
        for b in units.iter().filter(|b| b.id != a.id) {
            let planned = plan_up[&b.id].contains(&a.id);
            let (ja, jb) = (map[&a.id].last().unwrap(), &map[&b.id][0]);
            let emitted = if ja == jb {
                step_index(&jobs[ja], a) < step_index(&jobs[jb], b)
            } else {
                up[jb].contains(ja)
            };
            assert_eq!(planned, emitted, "{} before {}", a.id, b.id);
        }
    }
    // parallelism: the regions of a stage start together, in separate jobs
    for stage in &plan.stages {
        let firsts: Vec<&ReadJob> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &jobs[&map[&u.id][0]])
            .collect();
        for first in &firsts {
            assert_eq!(set(&first.needs), set(&firsts[0].needs), "{}", stage.id);
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            let mine: HashSet<&String> = region.units.iter().flat_map(|u| &map[&u.id]).collect();
            assert!(
                mine.iter().all(|j| owned.insert(j.to_string())),
                "{}",
                stage.id
            );
        }
    }
    // nothing waits for a rollback
    for job in jobs.values() {
        assert!(job.needs.iter().all(|n| !rollback_jobs.contains(n)));
    }
}

#[test]
fn workflows_read_back_as_their_plans() {
    let plans = all_plans();
    for (plan, source) in &plans {
        check_fidelity(plan, &github::workflow(plan, source));
    }
}

#[test]
fn hosted_runner_limits_hold() {
    for (plan, source) in all_plans() {
        let jobs = read_jobs(&github::workflow(&plan, &source));
        assert!(
            jobs.len() <= 256,
            "{} has {} jobs",
            plan.pipeline,
            jobs.len()
        );
    }
}

// ---- hostile text ---------------------------------------------------------

/// Every `${{` of the workflow: only the emitter's own expressions.
fn assert_only_own_expressions(value: &Value) {
    match value {
        Value::String(s) if s.contains("${{") => {
            let own = s.starts_with("${{ ") && s.ends_with(" }}") && s.matches("${{").count() == 1;
            let inner = &s[4..s.len() - 3];
            let known = [
                "github.sha",
                "github.token",
                "inputs.reason",
                "!cancelled() && !failure()",
                "always() && contains(needs.*.result, 'failure')",
                "github.event_name == 'workflow_dispatch' && inputs.emergency",
            ];
            let output = inner.starts_with("steps.main.outputs.")
                || (inner.starts_with("needs.") && inner.contains(".outputs."));
            assert!(own && (known.contains(&inner) || output), "{s:?}");
        }
        Value::Sequence(items) => items.iter().for_each(assert_only_own_expressions),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            assert_only_own_expressions(k);
            assert_only_own_expressions(v);
        }),
        _ => {}
    }
}

/// What the deploy step's script runs, with the runner stubbed by printf
/// and each gate-library call printing its arguments as `[arg]`.
fn executed(script: &str, version: &str) -> String {
    assert!(script.contains(RUN_LINE), "{script}");
    let stubbed = script.replace(RUN_LINE, "printf %s \"$cmd\"");
    let stubbed = stubbed.replace("sh \"$gates\"", "printf '[%s]'");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(stubbed)
        .env(VERSION_ENV, version)
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{script}");
    String::from_utf8(output.stdout).expect("utf-8")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hostile_text_cannot_escape(
        parts in proptest::collection::vec(
            prop_oneof![
                "[^\u{0}]{0,8}",
                Just("${{ github.token }}".to_string()),
                Just("$(id)".to_string()),
                Just("`id`".to_string()),
                Just("'\"".to_string()),
                Just("\n".to_string()),
                Just("{{x}}".to_string()),
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
        let yaml = github::workflow(&plan, &format!("x{text}.sluice"));
        let doc: Value = serde_yaml_ng::from_str(&yaml).expect("the workflow parses");
        assert_only_own_expressions(&doc);
        let jobs = read_jobs(&yaml);
        prop_assert!(jobs.keys().all(|id| is_job_id(id)));
        let map = jobs_of(&plan);
        let mut deploys = 0;
        for unit in plan.units() {
            if let Work::Deploy(_) = unit.work {
                let job = &jobs[&map[&unit.id][0]];
                let index = step_index_by_count(&plan, unit, job, &map);
                let version = "0123abcd'$(x)";
                let Work::Deploy(deploy) = &unit.work else { unreachable!() };
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
                prop_assert_eq!(executed(&job.steps[index].1, version), expected);
                deploys += 1;
            }
        }
        prop_assert!(deploys > 0);
        check_fidelity_ids(&plan, &jobs, &map);
    }
}

/// The index of `unit`'s step in its job: units merged into one job keep
/// their order.
fn step_index_by_count(
    plan: &Plan,
    unit: &Unit,
    job: &ReadJob,
    map: &HashMap<UnitId, Vec<String>>,
) -> usize {
    let job_id = &map[&unit.id][0];
    let index = plan
        .units()
        .filter(|u| map[&u.id].first() == Some(job_id))
        .position(|u| u.id == unit.id)
        .unwrap();
    assert!(index < job.steps.len());
    index
}

/// Hostile ids still give one job per id and unique, valid job ids.
fn check_fidelity_ids(
    plan: &Plan,
    jobs: &HashMap<String, ReadJob>,
    map: &HashMap<UnitId, Vec<String>>,
) {
    for unit in plan.units() {
        for id in &map[&unit.id] {
            assert!(jobs.contains_key(id), "{id}");
        }
    }
}

// ---- a chunked bake, run -------------------------------------------------

/// The chain of jobs of a 12h bake with a datapoint minimum, run one after
/// another by `sh` with the gate library's fake clock: the chunks pass the
/// bake's start on, the third one finds the bake done, the last one skips.
/// In an emergency run (bakes at 50%) the second one finds it done.
#[test]
fn bake_chunks_resume_one_bake() {
    assert_eq!(
        run_bake_chain("false"),
        ["continue", "continue", "done", "done"]
    );
    assert_eq!(run_bake_chain("true"), ["continue", "done", "done", "done"]);
}

fn run_bake_chain(emergency: &str) -> Vec<String> {
    let (plan, source) = plans("tests/fixtures/build").remove(0);
    let jobs = read_jobs(&github::workflow(&plan, &source));
    let map = jobs_of(&plan);
    let unit = UnitId("staging/us-east-1/bake".to_string());
    let chain = &map[&unit];
    assert_eq!(chain.len(), 4, "12h in 5h chunks, plus one for datapoints");

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("github-bake-{emergency}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".github/sluice")).unwrap();
    std::fs::write(
        dir.join(github::GATES_PATH),
        sluice_targets::gates::library(),
    )
    .unwrap();
    for (name, body) in [("probe.sh", "exit 0\n"), ("count.sh", "echo 100\n")] {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut previous: HashMap<String, String> = HashMap::new();
    let mut states = Vec::new();
    for (index, id) in chain.iter().enumerate() {
        let output = dir.join(format!("output-{index}"));
        std::fs::write(&output, "").unwrap();
        // each chunk starts a minute after the one before could have ended
        let now = start + index as u64 * (github::CHUNK_SECONDS + 60);
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(&jobs[id].steps[0].1)
            .current_dir(&dir)
            .env("GITHUB_OUTPUT", &output)
            .env("SLUICE_VERSION", "abc")
            .env("SLUICE_EMERGENCY", emergency)
            .env("SLUICE_GATES_NOW", now.to_string())
            .env("SLUICE_GATES_FAKE_SLEEP", "1");
        if index > 0 {
            // a missing output reads as empty text on GitHub too
            let output = |key: &str| previous.get(key).cloned().unwrap_or_default();
            command
                .env("SLUICE_BAKE_STATE", output("state"))
                .env("SLUICE_BAKE_STARTED_AT", output("started_at"));
        }
        let run = command.output().expect("sh runs");
        assert!(
            run.status.success(),
            "chunk {index}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        previous = std::fs::read_to_string(&output)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        states.push(previous.get("state").cloned().unwrap_or_default());
        if index == 0 {
            assert!(previous["started_at"].parse::<u64>().unwrap() <= start + 5);
        }
    }
    states
}

// ---- a gate job, run ------------------------------------------------------

/// Runs the gate job of the fixture's production wave with a fake clock
/// and a fake `aws`: the arguments parse, the window is waited for, the
/// blockers are checked (also in an emergency run: this source does not
/// allow overriding them).
fn run_gate(start: &str, aws_state: &str, emergency: &str) -> (i32, String) {
    run_gate_of(
        plans("tests/fixtures/build").remove(0),
        start,
        aws_state,
        emergency,
    )
}

fn run_gate_of(
    (plan, source): (Plan, String),
    start: &str,
    aws_state: &str,
    emergency: &str,
) -> (i32, String) {
    let jobs = read_jobs(&github::workflow(&plan, &source));
    let gate = &jobs[&jobs_of(&plan)[&UnitId("production.1/gate".to_string())][0]];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "github-gate-{}-{}-{aws_state}-{emergency}",
        plan.pipeline,
        start.replace([':', '[', ']', '/'], "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".github/sluice")).unwrap();
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(
        dir.join(github::GATES_PATH),
        sluice_targets::gates::library(),
    )
    .unwrap();
    let aws = dir.join("bin/aws");
    std::fs::write(&aws, format!("#!/bin/sh\necho {aws_state}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let now: jiff::Zoned = start.parse().unwrap();
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg(&gate.steps[0].1)
        .current_dir(&dir)
        .env("PATH", path)
        .env("SLUICE_EMERGENCY", emergency)
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
fn gate_jobs_wait_for_the_window_and_check_blockers() {
    if !Path::new("/usr/share/zoneinfo/Europe/Berlin").exists() {
        panic!("the time-zone database is missing: run .ci/setup-gates");
    }
    // Monday 07:00 in Berlin: an hour's wait, then the blockers are clear
    let monday = "2026-11-30T07:00[Europe/Berlin]";
    let (code, err) = run_gate(monday, "OK", "false");
    assert_eq!(code, 0, "{err}");
    let (code, err) = run_gate(monday, "ALARM", "false");
    assert_eq!(code, 1, "{err}");
    let (code, err) = run_gate(monday, "ALARM", "true");
    assert_eq!(code, 1, "no override-blockers in this source: {err}");
    // Friday evening: the window stays closed past the gate's longest wait
    let (code, err) = run_gate("2026-11-27T18:00[Europe/Berlin]", "OK", "false");
    assert_eq!(code, 1, "{err}");
    // payments-ledger allows an emergency run to override its blockers
    let ledger = || plans("examples").remove(2);
    let tuesday = "2026-12-01T10:00[America/Los_Angeles]";
    let (code, err) = run_gate_of(ledger(), tuesday, "ALARM", "false");
    assert_eq!(code, 1, "{err}");
    let (code, err) = run_gate_of(ledger(), tuesday, "ALARM", "true");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("blockers overridden"), "{err}");
}
