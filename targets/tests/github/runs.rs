//! GitHub's bake and gate jobs, run by `sh` with the real gate library, a
//! fake clock and a fake `aws`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sluice_targets::github::{self, jobs_of};
use sluice_targets::plan::{Plan, UnitId};

use crate::common::gates::{run_gated, write_scripts};
use crate::common::plans;
use crate::read_back::read_jobs;

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
    write_scripts(
        &dir,
        &[("probe.sh", "exit 0\n"), ("count.sh", "echo 100\n")],
    );

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
        "github-gate-{}-{}-{aws_state}-{emergency}-{}",
        plan.pipeline,
        start.replace([':', '[', ']', '/'], "-"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".github/sluice")).unwrap();
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(
        dir.join(github::GATES_PATH),
        sluice_targets::gates::library(),
    )
    .unwrap();
    write_scripts(&dir, &[("bin/aws", format!("echo {aws_state}\n"))]);
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(&gate.steps[0].1)
        .current_dir(&dir)
        .env("SLUICE_EMERGENCY", emergency);
    run_gated(&mut command, &dir.join("bin"), start)
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
