//! The timeline simulation of SPEC 8: "if this change merges at time T,
//! when does it reach each region?"
//!
//! The stage graph is walked with a simulated clock. A stage or wave starts
//! when its dependencies are done and, if it has a window, at the first
//! instant the window is open (blockers clear, approvals immediate); its
//! regions then work in parallel and it ends with the slowest one. The work
//! of a region never depends on the clock, so [`SimPlan`] computes it once,
//! from the same execution plan every target emits (`crate::plan`),
//! and each simulation only moves starts to window openings; that is what
//! makes the 168 runs of [`worst_start_in_week`] cheap.

mod plan;
#[cfg(test)]
pub(crate) mod tests;
mod week;
mod window;
mod work;

pub use plan::SimPlan;
pub use week::{worst_start_in_week, WaitCause, WorstCase, HOURS_IN_WEEK};
pub use window::WindowClock;

use std::fmt;

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use sluice_grammar::value::Duration;
use sluice_grammar::Span;

use crate::model::{Model, Pipeline, StageKind};

/// The knobs of SPEC 8.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// One deploy step (the one-box, one cell, one batch): `--deploy-time`.
    pub deploy_time: Duration,
    /// One `run` or `check` step: `--step-time`.
    pub step_time: Duration,
    /// How many days ahead a window may be looked for before giving up.
    pub horizon_days: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            deploy_time: Duration::from_secs(15 * 60),
            step_time: Duration::from_secs(5 * 60),
            horizon_days: 2 * 366,
        }
    }
}

/// One simulated run of a pipeline.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub pipeline: String,
    /// T, the merge instant, in the zone it was given in.
    pub start: Zoned,
    /// When the last stage or wave ends, in T's zone.
    pub end: Zoned,
    /// Stages and waves in an order that respects dependencies.
    pub stages: Vec<StageRun>,
}

impl Timeline {
    pub fn lead_time_seconds(&self) -> i64 {
        self.end.timestamp().as_second() - self.start.timestamp().as_second()
    }
}

/// One stage or wave on the clock.
#[derive(Debug, Clone)]
pub struct StageRun {
    /// The stage's name; `production` for a wave.
    pub name: String,
    /// The wave's name, `None` for a stage.
    pub wave: Option<String>,
    pub kind: StageKind,
    pub window: Option<String>,
    /// The zone people read this stage's times in: its window's, or T's.
    pub zone: TimeZone,
    /// When its dependencies were done.
    pub ready: Timestamp,
    pub start: Timestamp,
    pub end: Timestamp,
    pub regions: Vec<RegionRun>,
    /// Where the stage or wave is written, and where its `window` is named.
    pub span: Span,
    pub window_span: Option<Span>,
}

impl StageRun {
    /// Time spent waiting for the window to open.
    pub fn waited_seconds(&self) -> i64 {
        self.start.as_second() - self.ready.as_second()
    }

    /// `build`, or `wave 1`.
    pub fn label(&self) -> String {
        match &self.wave {
            Some(wave) => format!("wave {wave}"),
            None => self.name.clone(),
        }
    }

    pub fn region_names(&self) -> Vec<&str> {
        self.regions
            .iter()
            .filter_map(|r| r.region.as_deref())
            .collect()
    }
}

/// One region's work on the clock.
#[derive(Debug, Clone)]
pub struct RegionRun {
    /// `None` for a stage without regions.
    pub region: Option<String>,
    pub deploy_steps: u64,
    pub segments: Vec<Segment>,
    pub end: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The pieces of a region's work, in the order of SPEC 4.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    OneBoxDeploy,
    OneBoxBake,
    /// The rest of the region: cells, batches or one step.
    Deploy,
    /// `run` steps and `check`s.
    Steps,
    Bake,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::OneBoxDeploy => "one-box deploy",
            SegmentKind::OneBoxBake => "one-box bake",
            SegmentKind::Deploy => "deploy",
            SegmentKind::Steps => "steps",
            SegmentKind::Bake => "bake",
        }
    }

    pub fn is_bake(self) -> bool {
        matches!(self, SegmentKind::OneBoxBake | SegmentKind::Bake)
    }
}

/// Why a pipeline cannot be simulated. Each carries the place in the source
/// to point at, so the `max-lead-time` rule can report it as a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// The window stays closed for the whole horizon after `from`.
    WindowNeverOpens {
        window: String,
        stage: String,
        from: Timestamp,
        horizon_days: u32,
        span: Span,
    },
    /// A `window` reference that names no usable window.
    BadWindow {
        window: String,
        why: String,
        span: Span,
    },
    /// The stage graph has an unknown `after` or a loop (`sluice check`
    /// reports which).
    Graph { message: String, span: Span },
    /// The pipeline has no execution plan (it names something that is not
    /// defined; `sluice check` reports what).
    Unplannable { message: String, span: Span },
    /// The clock ran past what a timestamp can hold (year 9999).
    OutOfRange { stage: String, span: Span },
}

impl SimError {
    pub fn span(&self) -> Span {
        match self {
            SimError::WindowNeverOpens { span, .. }
            | SimError::BadWindow { span, .. }
            | SimError::Graph { span, .. }
            | SimError::Unplannable { span, .. }
            | SimError::OutOfRange { span, .. } => *span,
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::WindowNeverOpens {
                window,
                stage,
                from,
                horizon_days,
                ..
            } => write!(
                f,
                "window `{window}` never opens in the {horizon_days} days after {from}, so `{stage}` can never start; \
                 check its `allow` days and its `deny` dates"
            ),
            SimError::BadWindow { window, why, .. } => {
                write!(f, "window `{window}` cannot be simulated: {why}")
            }
            SimError::Graph { message, .. } => write!(f, "{message}"),
            SimError::Unplannable { message, .. } => write!(f, "it has no plan: {message}"),
            SimError::OutOfRange { stage, .. } => write!(
                f,
                "`{stage}` would end after the year 9999; the durations are too long to simulate"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// Simulates `pipeline` merged at `start`.
pub fn simulate(
    pipeline: &Pipeline,
    model: &Model,
    start: &Zoned,
    options: &SimOptions,
) -> Result<Timeline, SimError> {
    let mut plan = SimPlan::new(pipeline, model, options)?;
    plan.run(start)
}
