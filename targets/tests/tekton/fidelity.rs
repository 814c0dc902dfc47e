//! The read-back of every Pipeline is its plan: tasks, `runAfter`,
//! `when`, `finally`, approvals, gates, bakes and the run's timeout; and an
//! approver Tekton would expand is refused.

use std::collections::{HashMap, HashSet};

use sluice_grammar::value::Duration;
use sluice_targets::output::EmitError;
use sluice_targets::plan::{GateCheck, Plan, Work};
use sluice_targets::tekton::{
    self, lower, names::is_label, pipeline_file, EMERGENCY_TASK, PREFLIGHT_TASK,
};

use crate::common::{all_plans, check_order, plans, set};
use crate::read_back::{ancestors, env, read_tasks, ReadTask};

pub fn check_fidelity(plan: &Plan, yaml: &str) {
    let (tasks, tasks_timeout) = read_tasks(yaml);
    let lowered = lower(plan).expect("lowers");
    let map = &lowered.tasks_of;
    let name_of = |raw: &str| {
        lowered
            .tasks
            .iter()
            .map(|t| t.name.clone())
            .find(|n| tasks.contains_key(n) && (n == raw || n.starts_with(raw)))
            .unwrap()
    };
    let preflight = name_of(PREFLIGHT_TASK);
    let mut start = vec![preflight.clone()];
    if let Some(mode) = &plan.emergency {
        let emergency = name_of(EMERGENCY_TASK);
        assert_eq!(tasks[&emergency].run_after, vec![preflight.clone()]);
        assert_eq!(
            tasks[&emergency].when,
            vec![("$(params.emergency)".to_string(), vec!["true".to_string()])]
        );
        let approvers: Vec<String> = mode.approvers.iter().map(|a| tekton::approver(a)).collect();
        assert_eq!(tasks[&emergency].approval.as_ref(), Some(&approvers));
        start.push(emergency);
    }
    // every task is a unit's or a start task; names are unique labels
    let mut expected: HashSet<String> = map.values().flatten().cloned().collect();
    expected.extend(start.iter().cloned());
    assert_eq!(tasks.keys().cloned().collect::<HashSet<_>>(), expected);
    assert!(tasks.keys().all(|n| is_label(n)), "{:?}", tasks.keys());
    let up = ancestors(&tasks);
    // the run's timeout covers the longest chain of task timeouts
    let mut finish: HashMap<&str, u64> = HashMap::new();
    let mut order: Vec<&String> = tasks.keys().filter(|n| !tasks[*n].finally).collect();
    order.sort_by_key(|n| up[*n].len());
    for name in order {
        let start = tasks[name]
            .run_after
            .iter()
            .map(|a| finish[a.as_str()])
            .max()
            .unwrap_or(0);
        finish.insert(name, start + tasks[name].timeout);
    }
    assert!(finish.values().all(|f| *f <= tasks_timeout));
    for unit in plan.units() {
        let mine = &map[&unit.id];
        let first = &tasks[&mine[0]];
        if let Work::Rollback(rollback) = &unit.work {
            assert_eq!(mine.len(), 1);
            assert!(first.finally && first.run_after.is_empty(), "{}", unit.id);
            let statuses: Vec<String> = rollback
                .on_failure_of
                .iter()
                .flat_map(|u| map[u].iter())
                .map(|t| format!("$(tasks.{t}.status)"))
                .collect();
            assert_eq!(
                first.when,
                vec![("Failed".to_string(), statuses)],
                "rollback {}",
                unit.id
            );
            assert!(env(first, "SLUICE_COMMAND").is_some());
            continue;
        }
        for task in mine {
            assert!(!tasks[task].finally, "{task}");
            assert!(tasks[task].when.is_empty(), "{task}");
        }
        for pair in mine.windows(2) {
            assert_eq!(tasks[&pair[1]].run_after, vec![pair[0].clone()]);
        }
        if unit.needs.is_empty() {
            assert_eq!(set(&first.run_after), set(&start), "{}", unit.id);
        } else {
            let needed: Vec<String> = unit
                .needs
                .iter()
                .map(|n| map[n].last().unwrap().clone())
                .collect();
            assert_eq!(set(&first.run_after), set(&needed), "{}", unit.id);
        }
        match &unit.work {
            Work::Bake(bake) => {
                let bake_env = env(first, "SLUICE_BAKE").unwrap();
                let d = Duration::from_secs(bake.seconds);
                assert!(
                    bake_env.contains(&format!("'--duration' '{d}'")),
                    "{bake_env}"
                );
                for alarm in &bake.alarms {
                    assert!(bake_env.contains(&sluice_targets::plan::sh_quote(&alarm.alarm)));
                }
                if let (Some(s), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                    let d = Duration::from_secs(s);
                    let scaled = env(first, "SLUICE_BAKE_EMERGENCY").unwrap();
                    assert!(scaled.contains(&format!("'--duration' '{d}'")));
                }
                assert!(first.timeout >= bake.seconds, "{}", unit.id);
            }
            Work::Gate(gate) => {
                let approvals: Vec<Vec<String>> = gate
                    .checks
                    .iter()
                    .filter_map(|c| match c {
                        GateCheck::Approval { approvers, .. } => {
                            Some(approvers.iter().map(|a| tekton::approver(a)).collect())
                        }
                        _ => None,
                    })
                    .collect();
                let emitted: Vec<Vec<String>> = mine
                    .iter()
                    .filter_map(|t| tasks[t].approval.clone())
                    .collect();
                assert_eq!(approvals, emitted, "{}", unit.id);
                let last = &tasks[mine.last().unwrap()];
                for check in &gate.checks {
                    match check {
                        GateCheck::Window { .. } => {
                            assert!(env(last, "SLUICE_WINDOW").unwrap().starts_with("'window'"))
                        }
                        GateCheck::Blockers { .. } => assert!(env(last, "SLUICE_BLOCKERS")
                            .unwrap()
                            .starts_with("'blockers'")),
                        GateCheck::Approval { .. } => {}
                    }
                }
            }
            Work::Deploy(d) => {
                assert_eq!(
                    env(first, "SLUICE_COMMAND"),
                    Some(d.command.to_sh_word().as_str())
                );
                assert_eq!(env(first, "SLUICE_ALARMS").is_some(), !d.alarms.is_empty());
            }
            Work::Step(s) => {
                assert_eq!(
                    env(first, "SLUICE_COMMAND"),
                    Some(s.command.to_sh_word().as_str())
                );
            }
            Work::Rollback(_) => unreachable!(),
        }
    }
    // order: a unit comes after another in the plan exactly when its first
    // task comes after the other's last task
    check_order(plan, |a, b| {
        up[&map[&b.id][0]].contains(map[&a.id].last().unwrap())
    });
    // parallelism: the regions of a stage start together, in their own tasks
    for stage in &plan.stages {
        let firsts: Vec<&ReadTask> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &tasks[&map[&u.id][0]])
            .collect();
        for first in &firsts {
            assert_eq!(
                set(&first.run_after),
                set(&firsts[0].run_after),
                "{}",
                stage.id
            );
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            for task in region.units.iter().flat_map(|u| &map[&u.id]) {
                assert!(owned.insert(task.clone()), "{task} shared");
            }
        }
    }
}

#[test]
fn pipelines_read_back_as_their_plans() {
    for (plan, source) in &all_plans() {
        check_fidelity(plan, &pipeline_file(plan, source).unwrap());
    }
}

#[test]
fn an_approver_tekton_would_expand_is_refused() {
    let (mut plan, source) = plans("examples").remove(2);
    plan.emergency.as_mut().unwrap().approvers = vec!["$(context.pipelineRun.name)".into()];
    assert!(matches!(
        pipeline_file(&plan, &source),
        Err(EmitError::Expression { .. })
    ));
}
