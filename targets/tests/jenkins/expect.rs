//! What a run of a Jenkinsfile should record, from its plan: levels,
//! locks, parallel groups, gates, the work of each region and timeouts.

use sluice_grammar::value::Duration;
use sluice_targets::gates::{blockers_args, resolve, Allow, BakeGate, WindowGate};
use sluice_targets::jenkins::levels::levels;
use sluice_targets::plan::{GateCheck, Plan, RegionPlan, StagePlan, Unit, Work};

use crate::common::gates::{alarms as gate_alarms, probe};
use crate::harness::{ev, Event};

pub const VERSION: &str = "0123abcd";

/// What a region's branch runs: commands and gate-library calls (a bake's
/// `--started-at` value left out; the stub bakes answer `continue`, then
/// `done`).
fn expected_region(region: &RegionPlan, version: &str, emergency: bool) -> Vec<Event> {
    let mut out = Vec::new();
    for unit in &region.units {
        let (command, alarms) = match &unit.work {
            Work::Deploy(d) => (&d.command, &d.alarms),
            Work::Step(s) => (&s.command, &s.alarms),
            Work::Bake(bake) => {
                let seconds = match bake.emergency_seconds {
                    Some(e) if emergency => e,
                    _ => bake.seconds,
                };
                let args = BakeGate {
                    duration: Duration::from_secs(seconds),
                    interval: Duration::from_secs(bake.poll_seconds),
                    alarms: gate_alarms(&bake.alarms, version),
                    datapoints: bake
                        .datapoints
                        .as_ref()
                        .map(|d| (d.count, probe(&d.probe, version))),
                    max_wait: None,
                    chunk: None,
                }
                .args();
                let mut args = resolve(&args, version);
                args.extend(["--chunk", "1s", "--started-at"].map(String::from));
                out.push(ev("gates", args.clone()));
                out.push(ev("gates", args));
                continue;
            }
            _ => continue,
        };
        let check = (!alarms.is_empty()).then(|| {
            ev(
                "gates",
                resolve(&blockers_args(&gate_alarms(alarms, version)), version),
            )
        });
        out.extend(check.clone());
        out.push(ev("run", vec![command.resolve(version)]));
        out.extend(check);
    }
    out
}

fn expected_gate(plan: &Plan, gate: &Unit, version: &str, emergency: bool) -> Vec<Event> {
    let Work::Gate(g) = &gate.work else {
        unreachable!()
    };
    let mut out = Vec::new();
    for check in &g.checks {
        match check {
            GateCheck::Approval { approvers, .. } => {
                let submitter: Vec<&str> = approvers
                    .iter()
                    .map(|a| a.strip_prefix('@').unwrap_or(a))
                    .collect();
                out.push(ev("input", vec![submitter.join(",")]));
            }
            GateCheck::Window { window } => {
                let spec = &plan.windows[window];
                let args = WindowGate {
                    name: window.clone(),
                    zone: spec.timezone.clone(),
                    allow: spec
                        .allow
                        .iter()
                        .map(|a| Allow {
                            days: a.days.clone(),
                            from: a.from,
                            to: a.to,
                        })
                        .collect(),
                    deny: spec.deny.iter().map(|d| (d.from, d.to)).collect(),
                    max_wait: Duration::from_secs(60),
                }
                .args();
                out.push(ev("gates", resolve(&args, version)));
            }
            GateCheck::Blockers { alarms } => {
                let overridden =
                    emergency && plan.emergency.as_ref().is_some_and(|e| e.override_blockers);
                if !overridden {
                    out.push(ev(
                        "gates",
                        resolve(&blockers_args(&gate_alarms(alarms, version)), version),
                    ));
                }
            }
        }
    }
    out
}

/// The events of the stage named `name` (its begin to its end).
pub fn stage_events<'a>(trace: &'a [Event], name: &str) -> &'a [Event] {
    let begin = trace
        .iter()
        .position(|e| e.kind == "stage-begin" && e.fields[0] == name)
        .unwrap_or_else(|| panic!("no stage {name:?}"));
    let end = trace[begin..]
        .iter()
        .position(|e| e.kind == "stage-end" && e.fields[0] == name)
        .expect("the stage ends")
        + begin;
    &trace[begin..=end]
}

/// Commands and gate calls, bakes' start times dropped; inputs by submitter.
fn work(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .filter_map(|e| match e.kind.as_str() {
            "run" => Some(e.clone()),
            "gates" => {
                let mut fields = e.fields.clone();
                if fields.len() >= 2 && fields[fields.len() - 2] == "--started-at" {
                    fields.pop();
                }
                Some(ev("gates", fields))
            }
            "input" => Some(ev("input", vec![e.fields[1].clone()])),
            _ => None,
        })
        .collect()
}

pub fn has_work(stage: &StagePlan) -> bool {
    stage.gate.is_some() || stage.regions.iter().any(|r| !r.units.is_empty())
}

pub fn branch_label(stage: &StagePlan, region: &RegionPlan) -> String {
    format!(
        "{} / {}",
        stage.id,
        region.region.as_deref().unwrap_or("run")
    )
}

/// The trace of a successful run has the plan's levels, locks, parallel
/// groups, gates, region work and timeouts.
pub fn check_trace(plan: &Plan, trace: &[Event], emergency: bool) {
    check_trace_with(plan, trace, emergency, VERSION)
}

pub fn check_trace_with(plan: &Plan, trace: &[Event], emergency: bool, version: &str) {
    let last = trace.last().expect("a trace");
    assert_eq!(last.fields[0], "SUCCESS", "{}: {last:?}", plan.pipeline);
    assert_eq!(trace[0], ev("agent", vec!["none".into()]));
    // top-level stages: the start, then one per level, in order
    let mut depth = 0;
    let mut top = Vec::new();
    for e in trace {
        match e.kind.as_str() {
            "stage-begin" => {
                if depth == 0 {
                    top.push(e.fields[0].clone());
                }
                depth += 1;
            }
            "stage-end" => depth -= 1,
            _ => {}
        }
    }
    let mut expected_top = vec!["sluice: start".to_string()];
    for level in levels(plan) {
        let ids: Vec<&str> = level
            .stages
            .iter()
            .filter(|s| has_work(s))
            .map(|s| s.id.as_str())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let name = ids.join(" + ");
        let events = stage_events(trace, &name);
        // the level's stages hold their locks for all their work
        let mut keys: Vec<String> = level
            .stages
            .iter()
            .filter(|s| has_work(s))
            .map(|s| s.concurrency.clone())
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(events[1], ev("lock", keys.clone()), "{name}");
        // every branch of the level runs in one parallel group
        let branches: Vec<String> = level
            .stages
            .iter()
            .flat_map(|s| {
                s.regions
                    .iter()
                    .filter(|r| !r.units.is_empty())
                    .map(|r| branch_label(s, r))
            })
            .collect();
        if branches.len() > 1 {
            assert!(
                events.contains(&ev("parallel-begin", branches.clone())),
                "{name}: {branches:?}"
            );
        }
        for stage in level.stages.iter().filter(|s| has_work(s)) {
            if let Some(gate) = &stage.gate {
                let gate_events = stage_events(events, &format!("{}: gate", stage.id));
                assert_eq!(
                    work(gate_events),
                    expected_gate(plan, gate, version, emergency),
                    "{}",
                    gate.id
                );
                // the gate passes before any region of its level starts
                let gate_end = events
                    .iter()
                    .position(|e| {
                        e.kind == "stage-end" && e.fields[0] == format!("{}: gate", stage.id)
                    })
                    .unwrap();
                for label in &branches {
                    let start = events
                        .iter()
                        .position(|e| e.kind == "stage-begin" && &e.fields[0] == label)
                        .unwrap();
                    assert!(gate_end < start, "{label} starts before {}", gate.id);
                }
            }
            for region in stage.regions.iter().filter(|r| !r.units.is_empty()) {
                let label = branch_label(stage, region);
                let events = stage_events(events, &label);
                assert_eq!(
                    work(events),
                    expected_region(region, version, emergency),
                    "{label}"
                );
                let timeouts: Vec<u64> = region
                    .units
                    .iter()
                    .filter(|u| matches!(u.work, Work::Deploy(_) | Work::Step(_)))
                    .filter_map(|u| u.timeout_seconds)
                    .collect();
                let recorded: Vec<u64> = events
                    .iter()
                    .filter(|e| e.kind == "timeout")
                    .map(|e| e.fields[0].parse().unwrap())
                    .collect();
                assert_eq!(recorded, timeouts, "{label}");
                // bakes sleep between polls without an agent
                let bakes = region
                    .units
                    .iter()
                    .filter(|u| matches!(u.work, Work::Bake(_)))
                    .count();
                let sleeps = events.iter().filter(|e| e.kind == "sleep").count();
                assert_eq!(sleeps, bakes, "{label}");
            }
        }
        expected_top.push(name);
    }
    assert_eq!(top, expected_top, "{}", plan.pipeline);
    // every command and gate call runs on an agent; nothing else does
    let mut on_node = false;
    for e in trace {
        match e.kind.as_str() {
            "node" => on_node = true,
            "node-end" => on_node = false,
            "run" | "gates" => assert!(on_node, "{e:?} outside a node"),
            "input" | "sleep" | "lock" => assert!(!on_node, "{e:?} holds an executor"),
            _ => {}
        }
    }
}
