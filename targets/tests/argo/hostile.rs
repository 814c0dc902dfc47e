//! Hostile commands and names: the Workflow holds no `{{...}}` but Argo's
//! own, and each container script runs exactly the command it was given.

use proptest::prelude::{prop_assert, prop_assert_eq, TestCaseError};
use serde_yaml_ng::Value;
use sluice_targets::argo::{self, lower, names::is_dns_label, RUN_LINE};
use sluice_targets::plan::Work;

use crate::common::gates::{deploy_output, stubbed};
use crate::common::hostile;
use crate::common::yaml::{documents, text};
use crate::fidelity::check_fidelity;
use crate::read_back::{env_of, read_back};

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
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(stubbed(&source, RUN_LINE))
        .env_clear();
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

hostile::tests!(check);

/// The Workflow of the fixture with `text` in its names and commands (the
/// command with the version too `with_version`) holds only Argo's own
/// expressions, reads back as its plan, and its deploys and rollbacks run
/// exactly their command.
fn check(text: &str, with_version: bool) -> Result<(), TestCaseError> {
    let command = hostile::command(text, with_version);
    let plan = hostile::plan(text, &command, true);
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
                let expected = deploy_output(&deploy.alarms, &command, version);
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
    Ok(())
}
