//! The read-back of every Workflow is its plan: tasks, `depends`, mutexes,
//! approvals, bakes, timeouts and rollbacks; and the emergency mode.

use std::collections::{BTreeSet, HashSet};

use sluice_targets::argo::{
    self, bake_cycles, lower, stage_task, APPROVAL_TEMPLATE, WAIT_TEMPLATE,
};
use sluice_targets::plan::{GateCheck, Plan, Work};

use crate::common::yaml::{documents, text};
use crate::common::{all_plans, approvals, check_order, plans};
use crate::read_back::{and_names, env_of, reaches, read_back, ReadTask};

pub fn check_fidelity(plan: &Plan, yaml: &str) {
    let read = read_back(yaml);
    let tasks_of = lower(plan).tasks_of;
    let entry = &read.dags[argo::ENTRY_TEMPLATE];
    let mut rollbacks: HashSet<String> = HashSet::new();
    for stage in &plan.stages {
        if stage.units().next().is_none() {
            continue;
        }
        let name = stage_task(&stage.id);
        let dag = &read.dags[&name];
        assert_eq!(entry[&name].template, name);
        // the mutex of the stage's concurrency key
        let mutexes = read.templates[&name]["synchronization"]["mutexes"]
            .as_sequence()
            .expect("mutexes");
        assert_eq!(mutexes.len(), 1);
        assert_eq!(
            text(&mutexes[0]["name"]),
            format!(
                "sluice-{}",
                argo::names::mangle(&stage.concurrency, argo::names::MAX_LEN - 7)
            )
        );
        assert_eq!(
            read.templates[&name]["dag"]["failFast"].as_bool(),
            Some(false)
        );
        // every task of the dag is one of its units'
        let expected: HashSet<String> = stage
            .units()
            .flat_map(|u| tasks_of[&u.id].1.clone())
            .collect();
        assert_eq!(dag.keys().cloned().collect::<HashSet<_>>(), expected);
        for unit in stage.units() {
            let (stage_template, mine) = &tasks_of[&unit.id];
            assert_eq!(stage_template, &name);
            let first = &dag[&mine[0]];
            if let Work::Rollback(rollback) = &unit.work {
                let terms: BTreeSet<String> = first
                    .depends
                    .as_deref()
                    .expect("a rollback depends on failures")
                    .split(" || ")
                    .map(str::to_string)
                    .collect();
                let failing: BTreeSet<String> = rollback
                    .on_failure_of
                    .iter()
                    .flat_map(|u| tasks_of[u].1.clone())
                    .flat_map(|t| [format!("{t}.Failed"), format!("{t}.Errored")])
                    .collect();
                assert_eq!(terms, failing, "{}", unit.id);
                let template = &read.templates[&first.template];
                let source = text(&template["script"]["source"]);
                assert!(source.ends_with("exit 1\n"), "a rollback fails the run");
                rollbacks.insert(mine[0].clone());
                continue;
            }
            // the first task waits for the last tasks of the needs in this stage
            let needed: BTreeSet<String> = unit
                .needs
                .iter()
                .filter(|n| tasks_of[*n].0 == name)
                .map(|n| tasks_of[n].1.last().unwrap().clone())
                .collect();
            assert_eq!(and_names(&first.depends), needed, "{}", unit.id);
            for pair in mine.windows(2) {
                assert_eq!(
                    dag[&pair[1]].depends.as_ref(),
                    Some(&pair[0]),
                    "{}",
                    unit.id
                );
            }
            match &unit.work {
                Work::Gate(gate) => {
                    let approvals = approvals(gate);
                    let suspends = mine
                        .iter()
                        .filter(|t| dag[*t].template == APPROVAL_TEMPLATE)
                        .count();
                    assert_eq!(approvals, suspends, "{}", unit.id);
                    assert!(read.templates[APPROVAL_TEMPLATE]["suspend"]
                        .as_mapping()
                        .is_some_and(|m| m.is_empty()));
                    let args: String = mine
                        .iter()
                        .filter(|t| dag[*t].template != APPROVAL_TEMPLATE)
                        .map(|t| {
                            env_of(&read.templates[&dag[t].template])["SLUICE_GATE_ARGS"].clone()
                        })
                        .collect();
                    for check in &gate.checks {
                        match check {
                            GateCheck::Window { .. } => assert!(args.starts_with("'window'")),
                            GateCheck::Blockers { .. } => assert!(args.contains("'blockers'")),
                            GateCheck::Approval { .. } => {}
                        }
                    }
                }
                Work::Bake(bake) => {
                    let cycles = bake_cycles(bake) as usize;
                    assert_eq!(mine.len(), 2 * cycles + 1, "{}", unit.id);
                    for (i, task) in mine.iter().enumerate() {
                        let t = &dag[task];
                        if i % 2 == 1 {
                            assert_eq!(t.template, WAIT_TEMPLATE);
                            let poll = &mine[i - 1];
                            assert_eq!(
                                t.when.as_deref(),
                                Some(
                                    format!(
                                        "{{{{tasks.{poll}.outputs.parameters.state}}}} == continue"
                                    )
                                    .as_str()
                                )
                            );
                        } else {
                            assert_eq!(t.template, dag[&mine[0]].template);
                            let chunk = &t.args["chunk"];
                            assert_eq!(chunk.is_empty(), i == mine.len() - 1);
                            let started = &t.args["started-at"];
                            assert_eq!(started.is_empty(), i == 0);
                        }
                    }
                    let env = env_of(&read.templates[&dag[&mine[0]].template]);
                    let duration = sluice_grammar::value::Duration::from_secs(bake.seconds);
                    assert!(env["SLUICE_BAKE_ARGS"].contains(&format!("'--duration' '{duration}'")));
                    if let (Some(seconds), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                        let scaled = sluice_grammar::value::Duration::from_secs(seconds);
                        assert!(env["SLUICE_BAKE_ARGS_EMERGENCY"]
                            .contains(&format!("'--duration' '{scaled}'")));
                    }
                    let wait = &read.templates[WAIT_TEMPLATE]["suspend"]["duration"];
                    assert_eq!(wait.as_str(), Some("50m"));
                }
                Work::Deploy(_) | Work::Step(_) => {
                    let template = &read.templates[&first.template];
                    assert_eq!(
                        template["activeDeadlineSeconds"].as_u64(),
                        unit.timeout_seconds,
                        "{}",
                        unit.id
                    );
                }
                Work::Rollback(_) => unreachable!(),
            }
        }
        // parallel regions: their first tasks wait for the same things,
        // and no task belongs to two regions
        let firsts: Vec<&ReadTask> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &dag[&tasks_of[&u.id].1[0]])
            .collect();
        for first in &firsts {
            assert_eq!(first.depends, firsts[0].depends, "{}", stage.id);
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            for task in region.units.iter().flat_map(|u| &tasks_of[&u.id].1) {
                assert!(owned.insert(task.clone()), "{task}");
            }
        }
        for task in dag.values() {
            if task
                .depends
                .as_deref()
                .is_some_and(|d| d.contains(".Failed"))
            {
                continue;
            }
            assert!(and_names(&task.depends)
                .iter()
                .all(|d| !rollbacks.contains(d)));
        }
    }
    // order: a unit comes before another in the plan exactly when its task
    // comes before the other's (same stage: `depends`; else the stages')
    check_order(plan, |a, b| {
        let (sa, ta) = &tasks_of[&a.id];
        let (sb, tb) = &tasks_of[&b.id];
        if sa == sb {
            reaches(&read.dags[sa], ta.last().unwrap(), &tb[0])
        } else {
            reaches(entry, sa, sb)
        }
    });
}

#[test]
fn workflows_read_back_as_their_plans() {
    for (plan, source) in &all_plans() {
        check_fidelity(plan, &argo::workflow(plan, source));
    }
}

#[test]
fn emergency_mode_has_a_reason_an_approval_and_scaled_bakes() {
    let (plan, source) = plans("examples")
        .into_iter()
        .find(|(p, _)| p.emergency.is_some())
        .expect("an example with an emergency mode");
    let read = read_back(&argo::workflow(&plan, &source));
    let entry = &read.dags[argo::ENTRY_TEMPLATE];
    let approval = &entry["sluice-emergency"];
    assert_eq!(approval.template, APPROVAL_TEMPLATE);
    assert_eq!(
        approval.when.as_deref(),
        Some("{{workflow.parameters.emergency}} == true")
    );
    let docs = documents(&argo::workflow(&plan, &source));
    let params: Vec<String> = docs[0]["spec"]["arguments"]["parameters"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| text(&p["name"]))
        .collect();
    assert_eq!(params, ["version", "reason", "emergency", "image"]);
    // a stage without predecessors waits for the approval
    assert!(entry
        .values()
        .any(|t| t.depends.as_deref() == Some("sluice-start && sluice-emergency")));
}
