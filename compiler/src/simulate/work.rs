//! The work of one region of a stage or wave (SPEC 8), as pieces of time
//! in the order of SPEC 4.2: deploy the one-box, bake it, deploy the rest,
//! run the steps and checks, bake.
//!
//! The work does not depend on when it starts (windows constrain only
//! starts), so it is computed once per pipeline and reused by every
//! simulation of `worst_start_in_week`.

use crate::model::{Bake, Fleet, RollingMode, Stage};

use super::{SegmentKind, SimOptions};

/// One region's work, relative to the stage's start.
#[derive(Debug, Clone)]
pub struct RegionWork {
    /// `None` for a stage without regions, which runs its work once.
    pub region: Option<String>,
    pub deploy_steps: u64,
    /// Pieces in order, each with its length in seconds; empty ones left out.
    pub pieces: Vec<(SegmentKind, u64)>,
}

/// The work of every region of `stage`, in the order the regions are listed.
pub fn stage_work(stage: &Stage, fleet: Option<&Fleet>, options: &SimOptions) -> Vec<RegionWork> {
    let regions = stage.regions.regions();
    if regions.is_empty() {
        return vec![region_work(stage, None, 0, options)];
    }
    regions
        .iter()
        .map(|region| {
            let cells = fleet
                .and_then(|f| f.region(&region.text))
                .map_or(0, |r| r.cells.len());
            region_work(stage, Some(region.text.clone()), cells, options)
        })
        .collect()
}

fn region_work(
    stage: &Stage,
    region: Option<String>,
    cells: usize,
    options: &SimOptions,
) -> RegionWork {
    let deploy = options.deploy_time.seconds;
    let mut pieces = Vec::new();
    let mut deploy_steps = 0;
    if stage.deploy.is_some() {
        if let Some(one_box) = &stage.one_box {
            deploy_steps += 1;
            pieces.push((SegmentKind::OneBoxDeploy, deploy));
            pieces.push((SegmentKind::OneBoxBake, bake_seconds(one_box.bake.as_ref())));
        }
        let rest = rest_steps(stage, cells);
        deploy_steps += rest;
        pieces.push((SegmentKind::Deploy, rest.saturating_mul(deploy)));
    }
    let steps = stage.steps.len() as u64;
    pieces.push((
        SegmentKind::Steps,
        steps.saturating_mul(options.step_time.seconds),
    ));
    pieces.push((SegmentKind::Bake, bake_seconds(stage.bake.as_ref())));
    pieces.retain(|(_, secs)| *secs > 0);
    RegionWork {
        region,
        deploy_steps,
        pieces,
    }
}

/// Deploy steps after the one-box: one per cell (one for a region without
/// cells), `ceil(100/N)` batches, or a single step without `rolling`.
fn rest_steps(stage: &Stage, cells: usize) -> u64 {
    match stage.rolling.as_ref().and_then(|r| r.mode.as_ref()) {
        Some(mode) => match mode.value {
            RollingMode::ByCell => cells.max(1) as u64,
            RollingMode::Batch(percent) => u64::from(100u32.div_ceil(percent.clamp(1, 100))),
        },
        None => 1,
    }
}

/// A bake's minimum time; datapoint minimums are assumed met within it.
fn bake_seconds(bake: Option<&Bake>) -> u64 {
    bake.and_then(|b| b.duration.as_ref())
        .map_or(0, |d| d.value.seconds)
}
