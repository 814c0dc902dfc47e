//! The execution plan: one target-neutral lowering of a checked pipeline
//! into units of work — gates, per-region deploys, steps, bakes, rollbacks —
//! with their dependencies, time limits, concurrency keys and the variables
//! of SPEC 4.4 substituted. Every target and the timeline
//! simulation lower from a [`Plan`], never from
//! the AST or the model, so the four targets cannot disagree about what a
//! pipeline means.
//!
//! Files: `types.rs` (the data), `stage.rs` (gate, regions, keys),
//! `region.rs` (the per-region order of SPEC 4.2), `alarms.rs` (probes in a
//! unit's context), `window.rs` (window data for the gate library),
//! `command.rs` (commands as segments), `shell.rs` (rendering for POSIX
//! `sh`, which every target's scripts run).

mod alarms;
mod command;
mod region;
mod shell;
mod stage;
mod types;
mod window;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use sluice_grammar::Span;

use crate::graph::StageGraph;
use crate::model::{Model, Pipeline};

pub use command::{expand, Command, Segment, Vars};
pub use shell::{sh_quote, VERSION_ENV};
pub use types::*;
pub use window::{AllowSpec, DenySpec, WindowSpec};

pub use stage::stage_id;

use stage::{lower_stage, PipelineContext};

/// Why a pipeline has no plan. `sluice build` plans only pipelines that
/// `check` passed, so these mean a caller skipped the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Templates are abstract (SPEC 2): only pipelines are emitted.
    Template { name: String },
    /// The stage graph has an unknown `after` or a loop; `span` is where
    /// `sluice check` points.
    Graph {
        pipeline: String,
        message: String,
        span: Span,
    },
    /// Something the plan needs is not in the model.
    Missing { what: &'static str, name: String },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Template { name } => {
                write!(f, "`{name}` is a template: only pipelines have a plan")
            }
            PlanError::Graph {
                pipeline, message, ..
            } => write!(f, "`{pipeline}`: {message}"),
            PlanError::Missing { what, name } => write!(f, "no {what} `{name}` in the model"),
        }
    }
}

impl std::error::Error for PlanError {}

/// The plan of `pipeline`, whose names are looked up in `model`.
pub fn plan(pipeline: &Pipeline, model: &Model) -> Result<Plan, PlanError> {
    let name = pipeline.name.text.clone();
    if pipeline.is_template {
        return Err(PlanError::Template { name });
    }
    let mut diags = Vec::new();
    let graph = StageGraph::build(pipeline, &mut diags);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(PlanError::Graph {
            pipeline: name,
            message: d.message.clone(),
            span: d.primary.span,
        });
    }
    let order = graph.order().ok_or_else(|| PlanError::Graph {
        pipeline: name.clone(),
        message: format!("the stages of `{name}` wait for each other in a loop"),
        span: pipeline.name.span,
    })?;
    let px = PipelineContext {
        pipeline: &name,
        model,
        fleet: match &pipeline.fleet {
            Some(fleet) => {
                Some(
                    model
                        .fleets
                        .get(&fleet.text)
                        .ok_or_else(|| PlanError::Missing {
                            what: "fleet",
                            name: fleet.text.clone(),
                        })?,
                )
            }
            None => None,
        },
        bake_scale: pipeline
            .emergency
            .as_ref()
            .map(|e| e.bake_scale.as_ref().map_or(100, |s| s.value)),
    };
    // the units a stage's dependents wait for, by graph node
    let mut exits: HashMap<usize, Vec<UnitId>> = HashMap::new();
    let mut stages = Vec::with_capacity(order.len());
    for node in order {
        let Some(stage) = graph.stage(pipeline, node) else {
            continue;
        };
        let deps = graph.dependencies(node);
        let after = deps
            .iter()
            .filter_map(|d| graph.stage(pipeline, *d).map(stage_id))
            .collect();
        let mut entry: Vec<UnitId> = Vec::new();
        for unit in deps.iter().flat_map(|d| exits.get(&d.index())).flatten() {
            if !entry.contains(unit) {
                entry.push(unit.clone());
            }
        }
        let lowered = lower_stage(&px, stage, after, &entry)?;
        // a stage with no work passes its dependencies on
        let out = lowered.exits();
        exits.insert(node.index(), if out.is_empty() { entry } else { out });
        stages.push(lowered);
    }
    let mut windows = BTreeMap::new();
    for window in stages
        .iter()
        .flat_map(|s| s.gate.iter())
        .flat_map(gate_windows)
    {
        if !windows.contains_key(window) {
            windows.insert(window.to_string(), window::window_spec(window, model)?);
        }
    }
    Ok(Plan {
        pipeline: name.clone(),
        source: pipeline.source.as_ref().map(|s| Trigger {
            branch: s.branch.as_ref().map(|b| b.value.clone()),
            paths: s.paths.iter().map(|p| p.value.clone()).collect(),
            review_approvals: s.approvals.as_ref().map(|a| a.value),
        }),
        emergency: pipeline.emergency.as_ref().map(|e| EmergencyMode {
            bake_scale_percent: px.bake_scale.unwrap_or(100),
            approvers: e.approvers.iter().map(|a| a.value.clone()).collect(),
            reason_required: true,
            override_blockers: e.override_blockers.is_some(),
        }),
        windows,
        stages,
    })
}

fn gate_windows(gate: &Unit) -> Vec<&str> {
    match &gate.work {
        Work::Gate(g) => g
            .checks
            .iter()
            .filter_map(|c| match c {
                GateCheck::Window { window } => Some(window.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl Plan {
    /// Pretty JSON, for snapshots and `--format json` style output.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan is plain data")
    }

    /// Every unit, stage by stage: the gate, then each region's units and
    /// its rollback. Each unit comes after the units it needs.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.stages.iter().flat_map(StagePlan::units)
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units().find(|u| u.id.as_str() == id)
    }
}

impl StagePlan {
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.gate.iter().chain(
            self.regions
                .iter()
                .flat_map(|r| r.units.iter().chain(r.rollback.iter())),
        )
    }

    /// The units whose success completes the stage: each region's last
    /// unit, or the gate of a stage with no other work. Empty for a stage
    /// with nothing to do.
    pub fn exits(&self) -> Vec<UnitId> {
        let ends: Vec<UnitId> = self
            .regions
            .iter()
            .filter_map(|r| r.units.last().map(|u| u.id.clone()))
            .collect();
        if ends.is_empty() {
            self.gate.iter().map(|g| g.id.clone()).collect()
        } else {
            ends
        }
    }
}
