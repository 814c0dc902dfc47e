//! Every Jenkinsfile, run, records its plan: normal and emergency runs.

use sluice_targets::plan::Plan;

use crate::common::all_plans;
use crate::expect::{check_trace, stage_events, VERSION};
use crate::harness::{case, run_cases, Case};

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
