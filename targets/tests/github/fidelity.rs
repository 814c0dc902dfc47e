//! The read-back of every workflow is its plan: jobs, `needs`, `if`,
//! environments, chunked bakes, gates and rollbacks.

use std::collections::HashSet;

use sluice_targets::github::{
    self, chunk_count, jobs_of, names::is_job_id, EMERGENCY_JOB, NO_FAILURE, ON_FAILURE,
    PREFLIGHT_JOB,
};
use sluice_targets::plan::{GateCheck, Plan, Work};

use crate::common::{all_plans, approvals, check_order, set};
use crate::read_back::{ancestors, read_jobs, step_index, ReadJob};

fn check_fidelity(plan: &Plan, yaml: &str) {
    let jobs = read_jobs(yaml);
    let map = jobs_of(plan);
    let start: Vec<String> = if plan.emergency.is_some() {
        vec![PREFLIGHT_JOB.into(), EMERGENCY_JOB.into()]
    } else {
        vec![PREFLIGHT_JOB.into()]
    };
    // every job is a unit's or a start job, and every id is valid
    let mut expected: HashSet<String> = map.values().flatten().cloned().collect();
    expected.extend(start.iter().cloned());
    assert_eq!(jobs.keys().cloned().collect::<HashSet<_>>(), expected);
    assert!(jobs.keys().all(|id| is_job_id(id)));
    let up = ancestors(&jobs);
    let forward = if plan.emergency.is_some() {
        Some(NO_FAILURE.to_string())
    } else {
        None
    };
    let mut rollback_jobs = HashSet::new();
    for unit in plan.units() {
        let mine = &map[&unit.id];
        let first = &jobs[&mine[0]];
        if let Work::Rollback(rollback) = &unit.work {
            let failing: Vec<String> = rollback
                .on_failure_of
                .iter()
                .flat_map(|u| map[u].iter().cloned())
                .collect();
            assert_eq!(set(&first.needs), set(&failing), "rollback {}", unit.id);
            assert_eq!(first.condition.as_deref(), Some(ON_FAILURE));
            rollback_jobs.insert(mine[0].clone());
            continue;
        }
        for pair in mine.windows(2) {
            assert_eq!(jobs[&pair[1]].needs, vec![pair[0].clone()], "{}", unit.id);
        }
        for id in mine {
            assert_eq!(jobs[id].condition, forward, "{id}");
        }
        // the unit's first job waits for exactly the last jobs of its needs,
        // or shares the job of the one unit it follows, a step later
        let needed: Vec<String> = unit
            .needs
            .iter()
            .map(|n| map[n].last().unwrap().clone())
            .collect();
        if needed == [mine[0].clone()] {
            let before = plan.unit(unit.needs[0].as_str()).unwrap();
            assert!(
                step_index(first, before) < step_index(first, unit),
                "{}",
                unit.id
            );
        } else if unit.needs.is_empty() {
            assert_eq!(set(&first.needs), set(&start), "{}", unit.id);
        } else {
            assert_eq!(set(&first.needs), set(&needed), "{}", unit.id);
        }
        match &unit.work {
            Work::Bake(bake) => {
                assert_eq!(mine.len() as u64, chunk_count(bake), "{}", unit.id);
                let script = &jobs[&mine[0]].steps[0].1;
                let duration = sluice_grammar::value::Duration::from_secs(bake.seconds);
                assert!(
                    script.contains(&format!("'--duration' '{duration}'")),
                    "{script}"
                );
                if let (Some(seconds), Some(_)) = (bake.emergency_seconds, &plan.emergency) {
                    let scaled = sluice_grammar::value::Duration::from_secs(seconds);
                    assert!(script.contains(&format!("'--duration' '{scaled}'")));
                }
            }
            Work::Gate(gate) => {
                let approvals = approvals(gate);
                let with_env = mine
                    .iter()
                    .filter(|j| jobs[*j].environment.is_some())
                    .count();
                assert_eq!(approvals, with_env, "{}", unit.id);
                let script: String = jobs[mine.last().unwrap()].steps[0].1.clone();
                for check in &gate.checks {
                    match check {
                        GateCheck::Window { .. } => assert!(script.contains("'window'")),
                        GateCheck::Blockers { .. } => assert!(script.contains("'blockers'")),
                        GateCheck::Approval { .. } => {}
                    }
                }
            }
            _ => {}
        }
    }
    // order: a unit comes after another in the plan exactly when its job
    // comes after the other's job (or later in the same job)
    check_order(plan, |a, b| {
        let (ja, jb) = (map[&a.id].last().unwrap(), &map[&b.id][0]);
        if ja == jb {
            step_index(&jobs[ja], a) < step_index(&jobs[jb], b)
        } else {
            up[jb].contains(ja)
        }
    });
    // parallelism: the regions of a stage start together, in separate jobs
    for stage in &plan.stages {
        let firsts: Vec<&ReadJob> = stage
            .regions
            .iter()
            .filter_map(|r| r.units.first())
            .map(|u| &jobs[&map[&u.id][0]])
            .collect();
        for first in &firsts {
            assert_eq!(set(&first.needs), set(&firsts[0].needs), "{}", stage.id);
        }
        let mut owned = HashSet::new();
        for region in &stage.regions {
            let mine: HashSet<&String> = region.units.iter().flat_map(|u| &map[&u.id]).collect();
            assert!(
                mine.iter().all(|j| owned.insert(j.to_string())),
                "{}",
                stage.id
            );
        }
    }
    // nothing waits for a rollback
    for job in jobs.values() {
        assert!(job.needs.iter().all(|n| !rollback_jobs.contains(n)));
    }
}

#[test]
fn workflows_read_back_as_their_plans() {
    let plans = all_plans();
    for (plan, source) in &plans {
        check_fidelity(plan, &github::workflow(plan, source));
    }
}
