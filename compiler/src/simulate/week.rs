//! The worst moment of the week to merge, for the `max-lead-time` rule
//! (SPEC 6.2): every start hour of a week is simulated and the longest
//! lead time wins, with the window that made it wait the longest.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Zoned};
use sluice_grammar::Span;

use super::{SimError, SimOptions, SimPlan, Timeline};
use crate::model::{Model, Pipeline};

/// Start hours tried: one week.
pub const HOURS_IN_WEEK: i64 = 7 * 24;

/// The start with the longest lead time, and why it waits.
#[derive(Debug, Clone)]
pub struct WorstCase {
    pub start: Zoned,
    pub timeline: Timeline,
    /// The window that causes most of the waiting; `None` when nothing
    /// waited for a window.
    pub cause: Option<WaitCause>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitCause {
    pub window: String,
    /// Total waiting for this window over every stage and wave.
    pub waited_seconds: i64,
    /// The `window NAME` of the stage or wave that waited longest for it:
    /// the place a finding should point at.
    pub span: Span,
    /// The stage or wave that waited longest (`build`, `wave 1`).
    pub stage: String,
}

/// Simulates starts at `week_start` and every hour after it (168 elapsed
/// hours, so a week with a daylight-saving change still covers every local
/// hour once) and returns the worst. Ties keep the earliest start. The
/// plan, the regions' work and the windows' open days are computed once.
pub fn worst_start_in_week(
    pipeline: &Pipeline,
    model: &Model,
    week_start: &Zoned,
    options: &SimOptions,
) -> Result<WorstCase, SimError> {
    let mut plan = SimPlan::new(pipeline, model, options)?;
    let mut worst: Option<Timeline> = None;
    for hour in 0..HOURS_IN_WEEK {
        let start = week_start
            .timestamp()
            .checked_add(SignedDuration::from_hours(hour))
            .map_err(|_| SimError::OutOfRange {
                stage: pipeline.name.text.clone(),
                span: pipeline.name.span,
            })?
            .to_zoned(week_start.time_zone().clone());
        let timeline = plan.run(&start)?;
        // `None` (nothing yet) orders before every lead time.
        let longest = worst.as_ref().map(Timeline::lead_time_seconds);
        if longest < Some(timeline.lead_time_seconds()) {
            worst = Some(timeline);
        }
    }
    // HOURS_IN_WEEK > 0, so there is always a worst timeline.
    let timeline = worst.ok_or_else(|| SimError::OutOfRange {
        stage: pipeline.name.text.clone(),
        span: pipeline.name.span,
    })?;
    Ok(WorstCase {
        start: timeline.start.clone(),
        cause: wait_cause(&timeline),
        timeline,
    })
}

/// The window with the most waiting in total, pointing at the stage that
/// waited longest for it. Ties go to the window whose longest wait came
/// first.
pub fn wait_cause(timeline: &Timeline) -> Option<WaitCause> {
    let mut by_window: BTreeMap<&str, (i64, usize)> = BTreeMap::new();
    for (i, stage) in timeline.stages.iter().enumerate() {
        let (Some(window), waited) = (&stage.window, stage.waited_seconds()) else {
            continue;
        };
        if waited <= 0 {
            continue;
        }
        let entry = by_window.entry(window).or_insert((0, i));
        entry.0 += waited;
        if waited > timeline.stages[entry.1].waited_seconds() {
            entry.1 = i;
        }
    }
    let (window, (total, longest)) = by_window
        .into_iter()
        .max_by_key(|(_, (total, first))| (*total, std::cmp::Reverse(*first)))?;
    let stage = &timeline.stages[longest];
    Some(WaitCause {
        window: window.to_string(),
        waited_seconds: total,
        span: stage.window_span.unwrap_or(stage.span),
        stage: stage.label(),
    })
}
