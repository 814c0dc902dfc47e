//! The work of one region of a stage or wave (SPEC 8), as pieces of time:
//! the region's units of the execution plan, in their order (SPEC 4.2),
//! each given a length. Which units a region has — the one-box, the rolling
//! split, the steps, the bakes — is decided once, by the plan, for the
//! timeline and every target alike.
//!
//! The work does not depend on when it starts (windows constrain only
//! starts), so it is computed once per pipeline and reused by every
//! simulation of `worst_start_in_week`.

use crate::plan::{Phase, RegionPlan, Work};

use super::{SegmentKind, SimOptions};

/// One region's work, relative to the stage's start.
#[derive(Debug, Clone)]
pub struct RegionWork {
    /// `None` for a stage without regions, which runs its work once.
    pub region: Option<String>,
    pub deploy_steps: u64,
    /// Pieces in order, each with its length in seconds; consecutive units
    /// of one kind are one piece, empty ones are left out.
    pub pieces: Vec<(SegmentKind, u64)>,
}

/// The simulated work of one region of the plan. A deploy unit (the
/// one-box, a cell, a batch) takes `--deploy-time`, a `run` or `check` step
/// `--step-time`, a bake its minimum time (datapoint minimums are assumed
/// met within it); the rollback is not simulated.
pub fn region_work(region: &RegionPlan, options: &SimOptions) -> RegionWork {
    let mut pieces: Vec<(SegmentKind, u64)> = Vec::new();
    let mut deploy_steps = 0;
    for unit in &region.units {
        let (kind, seconds) = match &unit.work {
            Work::Deploy(deploy) => {
                deploy_steps += 1;
                let kind = match deploy.phase {
                    Phase::OneBox => SegmentKind::OneBoxDeploy,
                    Phase::Fleet => SegmentKind::Deploy,
                };
                (kind, options.deploy_time.seconds)
            }
            Work::Step(_) => (SegmentKind::Steps, options.step_time.seconds),
            Work::Bake(bake) => {
                let kind = match bake.phase {
                    Phase::OneBox => SegmentKind::OneBoxBake,
                    Phase::Fleet => SegmentKind::Bake,
                };
                (kind, bake.seconds)
            }
            Work::Gate(_) | Work::Rollback(_) => continue,
        };
        match pieces.last_mut() {
            Some((last, total)) if *last == kind => *total = total.saturating_add(seconds),
            _ => pieces.push((kind, seconds)),
        }
    }
    pieces.retain(|(_, secs)| *secs > 0);
    RegionWork {
        region: region.region.clone(),
        deploy_steps,
        pieces,
    }
}
