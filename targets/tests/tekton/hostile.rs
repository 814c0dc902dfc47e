//! Hostile commands, names and alarms: the Pipeline holds no `$(...)` but
//! Tekton's own, and each step script runs exactly what it was given.

use proptest::prelude::{prop_assert, prop_assert_eq, TestCaseError};
use serde_yaml_ng::Value;
use sluice_grammar::value::Duration;
use sluice_targets::gates::BakeGate;
use sluice_targets::plan::Work;
use sluice_targets::tekton::{self, lower, names::is_label, pipeline_file, RUN_LINE};

use crate::common::gates::{alarms, brackets, deploy_output, probe, stubbed};
use crate::common::hostile;
use crate::common::yaml::documents;
use crate::fidelity::check_fidelity;
use crate::read_back::{read_tasks, ReadTask};

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
    let mut command = std::process::Command::new("sh");
    command.arg("-c").arg(stubbed(script, RUN_LINE)).env_clear();
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

hostile::tests!(check);

/// The Pipeline of the fixture with `text` in its names, commands and
/// alarms (approvers left alone: Tekton refuses those it cannot quote; the
/// command with the version too `with_version`) holds only Tekton's own
/// expressions, reads back as its plan, and its deploys, rollbacks and
/// bakes run exactly what they were given.
fn check(text: &str, with_version: bool) -> Result<(), TestCaseError> {
    let command = hostile::command(text, with_version);
    let plan = hostile::plan(text, &command, false);
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
                let expected = deploy_output(&deploy.alarms, &command, version);
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
                    alarms: alarms(&bake.alarms, version),
                    datapoints: bake
                        .datapoints
                        .as_ref()
                        .map(|d| (d.count, probe(&d.probe, version))),
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
    Ok(())
}
