//! The units of one region of a stage or wave, in the order of SPEC 4.2:
//! deploy the one-box → bake it → deploy the rest (`rolling`) → the `run`
//! and `check` steps as written → bake; plus the region's rollback.
//!
//! The split of the rolling deploy matches the timeline (SPEC 8): one unit
//! per cell for `rolling { by cell }` (one for a region without cells),
//! `ceil(100/N)` for `rolling { batch N% }`, one without `rolling`; a stage
//! without `deploy` has no deploy units and no one-box.

use crate::model::{Bake as ModelBake, Model, RollingMode, Stage, StepKind};

use super::alarms::{alarm_checks, probe_in};
use super::command::{expand, Vars};
use super::types::{
    AlarmCheck, Bake, Datapoints, Deploy, Phase, RegionPlan, Rollback, Slice, Step, Unit, UnitId,
    Work, POLL_SECONDS,
};
use super::PlanError;

/// What every region of one stage shares.
pub struct StageContext<'a> {
    pub model: &'a Model,
    pub stage: &'a Stage,
    pub id: &'a UnitId,
    /// `${pipeline}`, `${stage}` and `${wave}`.
    pub vars: Vars,
    pub timeout_seconds: Option<u64>,
    /// The emergency mode's bake scale, when the pipeline has one.
    pub bake_scale: Option<u32>,
}

/// Units that run one after another: each needs the one before.
struct Chain {
    prefix: String,
    units: Vec<Unit>,
    last: Vec<UnitId>,
}

impl Chain {
    fn push(&mut self, suffix: &str, timeout_seconds: Option<u64>, work: Work) {
        let id = UnitId(format!("{}/{suffix}", self.prefix));
        let needs = std::mem::replace(&mut self.last, vec![id.clone()]);
        self.units.push(Unit {
            id,
            needs,
            timeout_seconds,
            work,
        });
    }
}

/// The plan of `region` (`None` for a stage without regions) with `cells`
/// from the fleet; its first unit needs `entry`.
pub fn lower_region(
    cx: &StageContext<'_>,
    region: Option<&str>,
    cells: &[String],
    entry: &[UnitId],
) -> Result<RegionPlan, PlanError> {
    let stage = cx.stage;
    let mut chain = Chain {
        prefix: match region {
            Some(region) => format!("{}/{region}", cx.id),
            None => cx.id.to_string(),
        },
        units: Vec::new(),
        last: entry.to_vec(),
    };
    let mut vars = cx.vars.clone();
    vars.region = region.unwrap_or_default().to_string();
    let in_phase = |phase: Phase| Vars {
        phase: phase.as_str().to_string(),
        ..vars.clone()
    };
    let region = region.map(str::to_string);
    let fleet = in_phase(Phase::Fleet);
    let fleet_alarms = alarm_checks(&stage.alarms, &fleet, cx.model)?;
    if let Some(deploy) = &stage.deploy {
        if let Some(one_box) = &stage.one_box {
            let vars = in_phase(Phase::OneBox);
            let alarms = alarm_checks(one_box.alarms.iter().chain(&stage.alarms), &vars, cx.model)?;
            let work = Work::Deploy(Deploy {
                region: region.clone(),
                phase: Phase::OneBox,
                slice: None,
                command: expand(&deploy.text, &vars),
                alarms: alarms.clone(),
            });
            chain.push("one-box/deploy", cx.timeout_seconds, work);
            if let Some(bake) = &one_box.bake {
                let work = bake_work(cx, bake, region.clone(), Phase::OneBox, &vars, alarms);
                chain.push("one-box/bake", None, Work::Bake(work));
            }
        }
        for (suffix, slice, vars) in slices(stage, cells, &fleet) {
            let work = Work::Deploy(Deploy {
                region: region.clone(),
                phase: Phase::Fleet,
                slice,
                command: expand(&deploy.text, &vars),
                alarms: alarm_checks(&stage.alarms, &vars, cx.model)?,
            });
            chain.push(&suffix, cx.timeout_seconds, work);
        }
    }
    push_steps(cx, &mut chain, &region, &fleet, &fleet_alarms)?;
    if let Some(bake) = &stage.bake {
        let work = bake_work(cx, bake, region.clone(), Phase::Fleet, &fleet, fleet_alarms);
        chain.push("bake", None, Work::Bake(work));
    }

    let rollback = match &stage.rollback {
        Some(command) if !chain.units.is_empty() => {
            let all: Vec<UnitId> = chain.units.iter().map(|u| u.id.clone()).collect();
            Some(Unit {
                id: UnitId(format!("{}/rollback", chain.prefix)),
                needs: all.clone(),
                timeout_seconds: None,
                work: Work::Rollback(Rollback {
                    region: region.clone(),
                    command: expand(&command.text, &fleet),
                    on_failure_of: all,
                }),
            })
        }
        _ => None,
    };
    Ok(RegionPlan {
        region,
        units: chain.units,
        rollback,
    })
}

/// The `run` and `check` steps, in the order written. A step's own
/// `timeout` and the stage's both bound it.
fn push_steps(
    cx: &StageContext<'_>,
    chain: &mut Chain,
    region: &Option<String>,
    fleet: &Vars,
    alarms: &[AlarmCheck],
) -> Result<(), PlanError> {
    for step in &cx.stage.steps {
        let command = step.command.as_ref().ok_or_else(|| PlanError::Missing {
            what: "command of step",
            name: format!("{}/{}", cx.id, step.name.text),
        })?;
        let (word, check) = match step.kind {
            StepKind::Run => ("run", None),
            StepKind::Check(kind) => ("check", Some(kind)),
        };
        let own = step.timeout.as_ref().map(|t| t.value.seconds);
        let timeout = match (own, cx.timeout_seconds) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let work = Work::Step(Step {
            region: region.clone(),
            name: step.name.text.clone(),
            check,
            command: expand(&command.text, fleet),
            alarms: alarms.to_vec(),
        });
        chain.push(&format!("{word}/{}", step.name.text), timeout, work);
    }
    Ok(())
}

/// The rolling deploy's units: id suffix, slice and variables of each.
fn slices(stage: &Stage, cells: &[String], fleet: &Vars) -> Vec<(String, Option<Slice>, Vars)> {
    let mode = stage
        .rolling
        .as_ref()
        .and_then(|r| r.mode.as_ref())
        .map(|m| m.value);
    match mode {
        Some(RollingMode::ByCell) if !cells.is_empty() => cells
            .iter()
            .map(|cell| {
                let vars = Vars {
                    cell: cell.clone(),
                    ..fleet.clone()
                };
                let slice = Slice::Cell { cell: cell.clone() };
                (format!("deploy/{cell}"), Some(slice), vars)
            })
            .collect(),
        Some(RollingMode::Batch(percent)) => {
            let percent = percent.clamp(1, 100);
            let count = 100u32.div_ceil(percent);
            (1..=count)
                .map(|index| {
                    let vars = Vars {
                        batch: percent.to_string(),
                        ..fleet.clone()
                    };
                    let slice = Slice::Batch {
                        index,
                        count,
                        percent,
                    };
                    (format!("deploy/batch-{index}"), Some(slice), vars)
                })
                .collect()
        }
        _ => vec![("deploy".to_string(), None, fleet.clone())],
    }
}

fn bake_work(
    cx: &StageContext<'_>,
    bake: &ModelBake,
    region: Option<String>,
    phase: Phase,
    vars: &Vars,
    alarms: Vec<AlarmCheck>,
) -> Bake {
    let seconds = bake.duration.as_ref().map_or(0, |d| d.value.seconds);
    Bake {
        region,
        phase,
        seconds,
        emergency_seconds: cx
            .bake_scale
            .map(|scale| seconds.saturating_mul(u64::from(scale)).div_ceil(100)),
        datapoints: bake.datapoints.as_ref().map(|d| Datapoints {
            count: d.count.value,
            probe: probe_in(&d.probe, vars),
        }),
        alarms,
        poll_seconds: POLL_SECONDS,
    }
}
