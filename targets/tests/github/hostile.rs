//! Hostile commands and names: the workflow holds no `${{` but the
//! emitter's own, job ids stay valid and unique, and each deploy step runs
//! exactly its command.

use std::collections::HashMap;

use proptest::prelude::{prop_assert, prop_assert_eq, TestCaseError};
use serde_yaml_ng::Value;
use sluice_targets::github::{self, jobs_of, names::is_job_id, RUN_LINE};
use sluice_targets::plan::{Plan, Unit, UnitId, Work, VERSION_ENV};

use crate::common::gates::{deploy_output, stubbed};
use crate::common::hostile;
use crate::read_back::{read_jobs, ReadJob};

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
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(stubbed(script, RUN_LINE))
        .env(VERSION_ENV, version)
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{script}");
    String::from_utf8(output.stdout).expect("utf-8")
}

hostile::tests!(check);

/// The workflow of the fixture with `text` in its names, commands and
/// alarms (the command with the version too `with_version`) holds only the
/// emitter's own expressions, has valid job ids, and its deploy steps run
/// exactly their command.
fn check(text: &str, with_version: bool) -> Result<(), TestCaseError> {
    let command = hostile::command(text, with_version);
    let plan = hostile::plan(text, &command, true);
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
            let Work::Deploy(deploy) = &unit.work else {
                unreachable!()
            };
            let expected = deploy_output(&deploy.alarms, &command, version);
            prop_assert_eq!(executed(&job.steps[index].1, version), expected);
            deploys += 1;
        }
    }
    prop_assert!(deploys > 0);
    check_fidelity_ids(&plan, &jobs, &map);
    Ok(())
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
