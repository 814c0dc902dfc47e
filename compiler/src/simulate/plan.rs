//! What a simulation needs that does not depend on the start: the stage
//! graph in dependency order, every region's work, and one clock per window
//! (whose cache of open days lives as long as the plan).

use std::collections::HashMap;

use jiff::{Timestamp, Zoned};
use sluice_grammar::Span;

use super::window::{ClockError, WindowClock};
use super::work::{stage_work, RegionWork};
use super::{RegionRun, Segment, SimError, SimOptions, StageRun, Timeline};
use crate::diagnostic::Diagnostic;
use crate::graph::StageGraph;
use crate::model::{Model, Pipeline, StageKind};

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
    pub fn new(
        pipeline: &Pipeline,
        model: &Model,
        options: &SimOptions,
    ) -> Result<SimPlan, SimError> {
        let mut diags = Vec::new();
        let graph = StageGraph::build(pipeline, &mut diags);
        if let Some(d) = diags.iter().find(|d| d.is_error()) {
            return Err(graph_error(d));
        }
        let order = graph.order().ok_or_else(|| SimError::Graph {
            message: format!(
                "the stages of `{}` wait for each other in a loop",
                pipeline.name.text
            ),
            span: pipeline.name.span,
        })?;
        let position: HashMap<usize, usize> = order
            .iter()
            .enumerate()
            .map(|(i, n)| (n.index(), i))
            .collect();
        let fleet = pipeline
            .fleet
            .as_ref()
            .and_then(|f| model.fleets.get(&f.text));
        let mut clocks = HashMap::new();
        let mut nodes = Vec::with_capacity(order.len());
        for &node in &order {
            let Some(stage) = graph.stage(pipeline, node) else {
                continue;
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
            let (name, wave) = match stage.kind {
                StageKind::Stage => (stage.name.text.clone(), None),
                StageKind::Wave => ("production".to_string(), Some(stage.name.text.clone())),
            };
            nodes.push(PlanNode {
                name,
                wave,
                kind: stage.kind,
                span: stage.name.span,
                window,
                deps: graph
                    .dependencies(node)
                    .iter()
                    .filter_map(|d| position.get(&d.index()).copied())
                    .collect(),
                work: stage_work(stage, fleet, options),
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

fn graph_error(d: &Diagnostic) -> SimError {
    SimError::Graph {
        message: d.message.clone(),
        span: d.primary.span,
    }
}

fn label(node: &PlanNode) -> String {
    match &node.wave {
        Some(wave) => format!("wave {wave}"),
        None => node.name.clone(),
    }
}
