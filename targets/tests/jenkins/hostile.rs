//! Hostile text in names, commands, alarms, approvers and the version.

use std::collections::HashSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use sluice_targets::jenkins;
use sluice_targets::plan::Work;

use crate::common::hostile;
use crate::expect::{check_trace_with, has_work};
use crate::harness::{run_cases, Case};

/// Hostile texts in names, commands, alarms, approvers and the version:
/// the Jenkinsfile parses, has no `${`, and every deploy's `sh` receives
/// exactly the command's text; the alarms reach the gate library exactly.
/// Forty generated texts and the known ones, in one groovy run.
#[test]
fn hostile_text_reaches_sh_exactly() {
    let mut runner = TestRunner::deterministic();
    let strategy = (hostile::text(), any::<bool>());
    let version = "0123abcd'$(x)\"`y`${z}";
    let mut inputs = Vec::new();
    let mut cases = Vec::new();
    let generated = (0..40).map(|_| strategy.new_tree(&mut runner).unwrap().current());
    let known = hostile::KNOWN.iter().map(|text| (text.to_string(), false));
    for (text, with_version) in generated.chain(known) {
        let command = hostile::command(&text, with_version);
        let plan = hostile::plan(&text, &command, true);
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
