//! Runs that stop: a failing deploy or alarm rolls back and fails the run,
//! gates stop it, and an emergency run needs a reason.

use std::collections::HashSet;

use sluice_targets::jenkins::levels::levels;
use sluice_targets::plan::{GateCheck, Plan, RegionPlan, StagePlan, Work};

use crate::common::{all_plans, plans};
use crate::expect::{branch_label, has_work, VERSION};
use crate::harness::{case, run_cases, Event};

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
