//! Tekton's gate, bake and preflight tasks, run by `sh` with the real
//! gate library, a fake clock and a fake `aws`.

use std::path::{Path, PathBuf};

use sluice_targets::plan::{Plan, UnitId};
use sluice_targets::tekton::{self, lower, pipeline_file, PREFLIGHT_TASK};

use crate::common::gates::{run_gated, write_scripts};
use crate::common::plans;
use crate::common::yaml::{documents, text};
use crate::read_back::read_tasks;

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
        "tekton-run-{}-{}-{}-{aws_state}-{emergency}-{}",
        plan.pipeline,
        unit.replace(['/', '.'], "-"),
        start.replace([':', '[', ']', '/'], "-"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let library = dir.join("sluice-gates.sh");
    std::fs::write(&library, sluice_targets::gates::library()).unwrap();
    write_scripts(
        &dir,
        &[
            ("bin/aws", format!("echo {aws_state}\n")),
            (
                "probe.sh",
                format!("exit {}\n", u8::from(aws_state == "ALARM")),
            ),
            ("count.sh", "echo 100\n".to_string()),
        ],
    );
    let script = task.script.as_ref().unwrap().replace(
        &format!("gates={}/sluice-gates.sh", tekton::GATES_MOUNT),
        &format!("gates={}", library.display()),
    );
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
    run_gated(&mut command, &dir.join("bin"), start)
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
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("tekton-preflight-{}", std::process::id()));
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
