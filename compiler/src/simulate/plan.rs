//! What a simulation needs that does not depend on the start: the stages of
//! the execution plan in dependency order, every region's work from the
//! plan's units, and one clock per window (whose cache of open days lives
//! as long as the plan).

use std::collections::HashMap;

use jiff::{Timestamp, Zoned};
use sluice_grammar::Span;

use super::window::{ClockError, WindowClock};
use super::work::{region_work, RegionWork};
use super::{RegionRun, Segment, SimError, SimOptions, StageRun, Timeline};
use crate::model::{Model, Pipeline, Stage, StageKind};
use crate::plan::{plan, stage_id, PlanError, UnitId};

/// A pipeline ready to be simulated from any start.
#[derive(Debug)]
pub struct SimPlan {
    pipeline: String,
    nodes: Vec<PlanNode>,
    clocks: HashMap<String, WindowClock>,
    horizon_days: u32,
}

#[derive(Debug)]
struct PlanNode {
    name: String,
    wave: Option<String>,
    kind: StageKind,
    span: Span,
    window: Option<(String, Span)>,
    /// Positions in `nodes` of the stages this one waits for.
    deps: Vec<usize>,
    work: Vec<RegionWork>,
}

impl SimPlan {
    /// Lowers `pipeline` to its execution plan (the one every target
    /// emits) and times the plan's units with `options`.
    pub fn new(
        pipeline: &Pipeline,
        model: &Model,
        options: &SimOptions,
    ) -> Result<SimPlan, SimError> {
        let plan = plan(pipeline, model).map_err(|e| plan_error(e, pipeline))?;
        let stages: HashMap<UnitId, &Stage> = pipeline
            .all_stages()
            .map(|stage| (stage_id(stage), stage))
            .collect();
        let position: HashMap<&UnitId, usize> = plan
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.id, i))
            .collect();
        let mut clocks = HashMap::new();
        let mut nodes = Vec::with_capacity(plan.stages.len());
        for stage_plan in &plan.stages {
            let Some(stage) = stages.get(&stage_plan.id) else {
                return Err(SimError::Graph {
                    message: format!("stage `{}` is not in the pipeline", stage_plan.id),
                    span: pipeline.name.span,
                });
            };
            let window = match &stage.window {
                Some(name) => {
                    if !clocks.contains_key(&name.text) {
                        clocks.insert(name.text.clone(), clock(&name.text, name.span, model)?);
                    }
                    Some((name.text.clone(), name.span))
                }
                None => None,
            };
            nodes.push(PlanNode {
                name: stage_plan.name.clone(),
                wave: stage_plan.wave.clone(),
                kind: stage.kind,
                span: stage.name.span,
                window,
                deps: stage_plan
                    .after
                    .iter()
                    .filter_map(|id| position.get(id).copied())
                    .collect(),
                work: stage_plan
                    .regions
                    .iter()
                    .map(|region| region_work(region, options))
                    .collect(),
            });
        }
        Ok(SimPlan {
            pipeline: pipeline.name.text.clone(),
            nodes,
            clocks,
            horizon_days: options.horizon_days,
        })
    }

    /// One simulation from `start`.
    pub fn run(&mut self, start: &Zoned) -> Result<Timeline, SimError> {
        let t0 = start.timestamp().as_second();
        let mut ends: Vec<i64> = Vec::with_capacity(self.nodes.len());
        let mut stages = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let ready = node.deps.iter().map(|&d| ends[d]).max().unwrap_or(t0);
            let (begin, zone) = match &node.window {
                Some((window, span)) => {
                    let Some(clock) = self.clocks.get_mut(window) else {
                        return Err(SimError::BadWindow {
                            window: window.clone(),
                            why: "it was not found when the plan was made".into(),
                            span: *span,
                        });
                    };
                    let open = clock.next_open(ready, self.horizon_days).ok_or_else(|| {
                        SimError::WindowNeverOpens {
                            window: window.clone(),
                            stage: label(node),
                            from: Timestamp::from_second(ready).unwrap_or_default(),
                            horizon_days: self.horizon_days,
                            span: *span,
                        }
                    })?;
                    (open, clock.tz.clone())
                }
                None => (ready, start.time_zone().clone()),
            };
            let out_of_range = || SimError::OutOfRange {
                stage: label(node),
                span: node.span,
            };
            let mut regions = Vec::with_capacity(node.work.len());
            for work in &node.work {
                regions.push(place(work, begin).ok_or_else(out_of_range)?);
            }
            let end = regions
                .iter()
                .map(|r| r.end)
                .max()
                .map_or(begin, |e| e.as_second());
            ends.push(end);
            let instant = |s: i64| Timestamp::from_second(s).map_err(|_| out_of_range());
            stages.push(StageRun {
                name: node.name.clone(),
                wave: node.wave.clone(),
                kind: node.kind,
                window: node.window.as_ref().map(|(w, _)| w.clone()),
                zone,
                ready: instant(ready)?,
                start: instant(begin)?,
                end: instant(end)?,
                regions,
                span: node.span,
                window_span: node.window.as_ref().map(|(_, s)| *s),
            });
        }
        // Every stage ends after T, and each end was checked above.
        let last = ends.iter().copied().max().unwrap_or(t0);
        let end = Timestamp::from_second(last)
            .unwrap_or(start.timestamp())
            .to_zoned(start.time_zone().clone());
        Ok(Timeline {
            pipeline: self.pipeline.clone(),
            start: start.clone(),
            end,
            stages,
        })
    }

    /// The clock of a window the plan uses (for pictures of closed periods).
    pub fn clock(&mut self, window: &str) -> Option<&mut WindowClock> {
        self.clocks.get_mut(window)
    }
}

/// Lays one region's work out from `begin`; `None` past the year 9999.
fn place(work: &RegionWork, begin: i64) -> Option<RegionRun> {
    let mut cursor = begin;
    let mut segments = Vec::with_capacity(work.pieces.len());
    for &(kind, secs) in &work.pieces {
        let end = cursor.checked_add(i64::try_from(secs).ok()?)?;
        segments.push(Segment {
            kind,
            start: Timestamp::from_second(cursor).ok()?,
            end: Timestamp::from_second(end).ok()?,
        });
        cursor = end;
    }
    Some(RegionRun {
        region: work.region.clone(),
        deploy_steps: work.deploy_steps,
        segments,
        end: Timestamp::from_second(cursor).ok()?,
    })
}

fn clock(name: &str, span: Span, model: &Model) -> Result<WindowClock, SimError> {
    let bad = |why: String| SimError::BadWindow {
        window: name.to_string(),
        why,
        span,
    };
    let window = model
        .windows
        .get(name)
        .ok_or_else(|| bad("there is no window with this name".into()))?;
    WindowClock::new(window, model).map_err(|e| match e {
        ClockError::NoTimezone => bad("it has no `timezone`".into()),
        ClockError::UnknownTimezone(tz) => bad(format!("`{tz}` is not an IANA time zone")),
    })
}

/// A pipeline with no plan: `sluice check` reports why (an unknown name, a
/// loop), so the error points where it does.
fn plan_error(error: PlanError, pipeline: &Pipeline) -> SimError {
    match error {
        PlanError::Graph { message, span, .. } => SimError::Graph { message, span },
        other => SimError::Unplannable {
            message: other.to_string(),
            span: pipeline.name.span,
        },
    }
}

fn label(node: &PlanNode) -> String {
    match &node.wave {
        Some(wave) => format!("wave {wave}"),
        None => node.name.clone(),
    }
}
