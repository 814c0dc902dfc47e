//! Argo's scripts run by `sh` with the gate library: a bake's polls and
//! the start step.

use std::path::PathBuf;

use sluice_targets::argo::{self, lower};
use sluice_targets::plan::UnitId;

use crate::common::gates::write_scripts;
use crate::common::plans;
use crate::common::yaml::text;
use crate::read_back::{env_of, read_back};

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
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("argo-bake-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(dir.join("gates.sh"), sluice_targets::gates::library()).unwrap();
    write_scripts(
        &dir,
        &[
            ("bin/aws", "echo OK\n"),
            ("count.sh", "echo 100\n"),
            ("probe.sh", "exit 0\n"),
        ],
    );
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
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("argo-start-{}", std::process::id()));
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
