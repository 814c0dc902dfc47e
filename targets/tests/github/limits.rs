//! GitHub's limits on what a workflow may hold.

use sluice_targets::github;

use crate::common::all_plans;
use crate::read_back::read_jobs;

#[test]
fn hosted_runner_limits_hold() {
    for (plan, source) in all_plans() {
        let jobs = read_jobs(&github::workflow(&plan, &source));
        assert!(
            jobs.len() <= 256,
            "{} has {} jobs",
            plan.pipeline,
            jobs.len()
        );
    }
}
