//! One stage or wave: its gate (approvals → window → blockers, SPEC 4.2),
//! its regions in parallel, its concurrency key and time limit.

use crate::model::{Fleet, Model, Stage, StageKind};

use super::alarms::blocker_checks;
use super::command::Vars;
use super::region::{lower_region, StageContext};
use super::types::{Gate, GateCheck, StagePlan, Unit, UnitId, Work};
use super::PlanError;

/// `build`, or `production.1`: the id segment of a stage or wave.
pub fn stage_id(stage: &Stage) -> UnitId {
    match stage.kind {
        StageKind::Stage => UnitId(stage.name.text.clone()),
        StageKind::Wave => UnitId(format!("production.{}", stage.name.text)),
    }
}

/// What the stages of one pipeline share.
pub struct PipelineContext<'a> {
    pub pipeline: &'a str,
    pub model: &'a Model,
    pub fleet: Option<&'a Fleet>,
    pub bake_scale: Option<u32>,
}

/// Lowers `stage`; its first units need `entry` (the last units of the
/// stages it waits for), and `after` names those stages.
pub fn lower_stage(
    px: &PipelineContext<'_>,
    stage: &Stage,
    after: Vec<UnitId>,
    entry: &[UnitId],
) -> Result<StagePlan, PlanError> {
    let id = stage_id(stage);
    let (name, wave) = match stage.kind {
        StageKind::Stage => (stage.name.text.clone(), None),
        StageKind::Wave => ("production".to_string(), Some(stage.name.text.clone())),
    };
    let vars = Vars {
        pipeline: px.pipeline.to_string(),
        stage: name.clone(),
        wave: wave.clone().unwrap_or_default(),
        ..Vars::default()
    };
    let regions = regions_with_cells(px, stage)?;
    let gate = gate(px, stage, &id, &vars, &regions, entry)?;
    let region_entry = match &gate {
        Some(gate) => vec![gate.id.clone()],
        None => entry.to_vec(),
    };
    let cx = StageContext {
        model: px.model,
        stage,
        id: &id,
        vars,
        timeout_seconds: stage.timeout.as_ref().map(|t| t.value.seconds),
        bake_scale: px.bake_scale,
    };
    let timeout_seconds = cx.timeout_seconds;
    let regions = if regions.is_empty() {
        vec![lower_region(&cx, None, &[], &region_entry)?]
    } else {
        regions
            .iter()
            .map(|(region, cells)| lower_region(&cx, Some(region), cells, &region_entry))
            .collect::<Result<_, _>>()?
    };
    Ok(StagePlan {
        concurrency: format!("{}/{id}", px.pipeline),
        id: id.clone(),
        name,
        wave,
        after,
        timeout_seconds,
        gate,
        regions,
    })
}

/// The stage's regions, each with its fleet cells.
fn regions_with_cells(
    px: &PipelineContext<'_>,
    stage: &Stage,
) -> Result<Vec<(String, Vec<String>)>, PlanError> {
    stage
        .regions
        .regions()
        .iter()
        .map(|region| {
            let fleet = px.fleet.ok_or_else(|| PlanError::Missing {
                what: "fleet of pipeline",
                name: px.pipeline.to_string(),
            })?;
            let def = fleet
                .region(&region.text)
                .ok_or_else(|| PlanError::Missing {
                    what: "region",
                    name: format!("{} (fleet {})", region.text, fleet.name.text),
                })?;
            let cells = def.cells.iter().map(|c| c.text.clone()).collect();
            Ok((region.text.clone(), cells))
        })
        .collect()
}

/// The gate unit, when the stage has approvals, a window or blockers.
fn gate(
    px: &PipelineContext<'_>,
    stage: &Stage,
    id: &UnitId,
    vars: &Vars,
    regions: &[(String, Vec<String>)],
    entry: &[UnitId],
) -> Result<Option<Unit>, PlanError> {
    let mut checks: Vec<GateCheck> = stage
        .approvals
        .iter()
        .map(|a| GateCheck::Approval {
            name: a.name.text.clone(),
            approvers: a.approvers.iter().map(|s| s.value.clone()).collect(),
            timeout_seconds: a.timeout.as_ref().map(|t| t.value.seconds),
        })
        .collect();
    if let Some(window) = &stage.window {
        checks.push(GateCheck::Window {
            window: window.text.clone(),
        });
    }
    if !stage.blockers.is_empty() {
        let contexts: Vec<Vars> = if regions.is_empty() {
            vec![vars.clone()]
        } else {
            regions
                .iter()
                .map(|(region, _)| Vars {
                    region: region.clone(),
                    ..vars.clone()
                })
                .collect()
        };
        checks.push(GateCheck::Blockers {
            alarms: blocker_checks(&stage.blockers, &contexts, px.model)?,
        });
    }
    Ok((!checks.is_empty()).then(|| Unit {
        id: UnitId(format!("{id}/gate")),
        needs: entry.to_vec(),
        timeout_seconds: None,
        work: Work::Gate(Gate { checks }),
    }))
}
