//! The GitHub Actions target: from each pipeline's [`Plan`], a workflow
//! `.github/workflows/<pipeline>.yml`; beside them, once, the gate library
//! `.github/sluice/sluice-gates.sh` and `.github/sluice/environments.json`.
//!
//! How the plan maps to GitHub's constructs (see also the README, "Build"):
//!
//! * **One job per unit** (`units.rs`): `needs` carries the plan's order
//!   and fan-in, so the regions of a stage or wave are separate jobs with
//!   the same `needs` and run in parallel. A gate is one job per approval
//!   (a protected environment each) then one job for window and blockers; a
//!   bake over 5 hours is a chain of jobs of at most 5 hours (hosted jobs
//!   stop at 6) that resume the same bake (`bake --chunk`/`--started-at`).
//! * **Rollback**: one job per region that needs every job of the region,
//!   with `if: always() && contains(needs.*.result, 'failure')`.
//! * **Runs**: `push` to the source branch (and its `paths`), and
//!   `workflow_dispatch` with a required `reason`; with an `emergency`
//!   mode, an `emergency` boolean input whose runs need the approval of the
//!   environment `<pipeline>-emergency`, scale every bake and, when the
//!   source allows, skip blockers. A preflight job refuses other branches
//!   and missing or unprotected environments (GitHub fails open).
//! * **Concurrency** is one group per pipeline, not per stage: job-level
//!   groups would make the parallel jobs of one stage queue behind (and
//!   replace) each other. `concurrency` is not a queue: one run deploys,
//!   at most one waits, and a newer waiting run replaces (cancels) the
//!   waiting one. Runs deploy the head of the branch, so the newer run
//!   carries the replaced run's commits.
//! * **Windows** wait at most 5.5 hours in the gate job; a window that
//!   stays closed longer fails the gate (nothing deploys), and re-running
//!   the failed jobs resumes there.
//! * **Rollback alarms** of deploy and step units are read before and
//!   after the command; bakes poll them throughout.
//! * **Limits**: a workflow of more than [`MAX_JOBS`] jobs or
//!   [`MAX_FILE_BYTES`] is refused ([`EmitError`]): GitHub would not run it.
//! * **Safety**: commands are single-quoted `sh` words (never `${{`), the
//!   version comes from `env`, `permissions: {}` at the top and the least
//!   per job, `actions/checkout` pinned by commit without persisted
//!   credentials.

mod environments;
mod job;
pub mod names;
mod scripts;
mod units;
mod workflow;

use std::collections::HashMap;

use crate::gates;
use crate::plan::{Plan, UnitId};

pub use job::{CHECKOUT, NO_FAILURE, ON_FAILURE};
pub use scripts::{GATES_PATH, RUN_LINE};
pub use units::{chunk_count, CHUNK_SECONDS};
pub use workflow::{emergency_environment, workflow, EMERGENCY_JOB, PREFLIGHT_JOB};

pub use crate::output::{EmitError, OutputFile, Pipeline};

/// GitHub runs at most this many jobs in one workflow run.
pub const MAX_JOBS: usize = 256;
/// GitHub does not start runs of a workflow file larger than this.
pub const MAX_FILE_BYTES: usize = 500 * 1024;

/// Every file of the target, sorted by path; an error when GitHub would
/// refuse a workflow.
pub fn emit(pipelines: &[Pipeline<'_>]) -> Result<Vec<OutputFile>, EmitError> {
    let mut files = Vec::new();
    for p in pipelines {
        let jobs = job_count(p.plan);
        if jobs > MAX_JOBS {
            return Err(EmitError::TooManyJobs {
                target: "GitHub",
                pipeline: p.plan.pipeline.clone(),
                jobs,
                max: MAX_JOBS,
            });
        }
        let contents = workflow(p.plan, p.source);
        if contents.len() > MAX_FILE_BYTES {
            return Err(EmitError::TooLarge {
                target: "GitHub",
                pipeline: p.plan.pipeline.clone(),
                bytes: contents.len(),
                max: MAX_FILE_BYTES,
            });
        }
        files.push(OutputFile {
            path: workflow_path(&p.plan.pipeline),
            contents,
        });
    }
    files.push(OutputFile {
        path: GATES_PATH.to_string(),
        contents: gates::library(),
    });
    let pairs: Vec<(&Plan, &str)> = pipelines.iter().map(|p| (p.plan, p.source)).collect();
    files.push(OutputFile {
        path: ".github/sluice/environments.json".to_string(),
        contents: environments::environments_json(&pairs),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The number of jobs of `plan`'s workflow.
pub fn job_count(plan: &Plan) -> usize {
    let (_, lowering) = workflow::lower(plan);
    let start = 1 + usize::from(plan.emergency.is_some());
    lowering.jobs.len() + start
}

/// `.github/workflows/<pipeline>.yml`.
pub fn workflow_path(pipeline: &str) -> String {
    format!(".github/workflows/{}.yml", names::mangle(pipeline))
}

/// Which job ids each unit of `plan` became, in order (for read-back tests
/// and tools that link a job to the plan).
pub fn jobs_of(plan: &Plan) -> HashMap<UnitId, Vec<String>> {
    workflow::lower(plan).1.jobs_of
}
