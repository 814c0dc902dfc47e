//! The data of an execution plan: what every target lowers from.
//!
//! A plan is a DAG of [`Unit`]s grouped by stage and region. The grouping is
//! for targets that think in stages (Jenkins) or per-region jobs (GitHub);
//! the `needs` edges on every unit are the whole truth about order, for
//! targets that think in DAGs (Tekton, Argo). Durations are whole seconds.
//! Everything serializes in a fixed order so snapshots and emitted files are
//! byte-identical for identical input.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::CheckKind;
use serde::{Serialize, Serializer};
use sluice_grammar::Provider;

use super::command::Command;
use super::window::WindowSpec;

/// How often bakes poll their alarms. The SPEC names no interval; the gate
/// library polls windows each minute too.
pub const POLL_SECONDS: u64 = 60;

/// The plan of one pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub pipeline: String,
    pub source: Option<Trigger>,
    pub emergency: Option<EmergencyMode>,
    /// The windows the gates name, with their data, by name.
    pub windows: BTreeMap<String, WindowSpec>,
    /// Stages and waves in an order where each comes after what it waits
    /// for (source order wherever dependencies allow).
    pub stages: Vec<StagePlan>,
}

/// What triggers a run: pushes (merges) to `branch` touching `paths`.
#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    pub branch: Option<String>,
    pub paths: Vec<String>,
    /// Approved reviews a merge needs (`0`: none).
    pub review_approvals: Option<u64>,
}

/// The emergency mode (SPEC 4.1): a manual run, approved by one of
/// `approvers`, with a reason, every bake scaled (see [`Bake::emergency_seconds`]).
/// Windows, rollback alarms and the order of waves still apply.
#[derive(Debug, Clone, Serialize)]
pub struct EmergencyMode {
    pub bake_scale_percent: u32,
    pub approvers: Vec<String>,
    /// Always true: the SPEC says an emergency run carries a reason.
    pub reason_required: bool,
    /// Whether the run may skip the gates' blocker checks.
    pub override_blockers: bool,
}

/// A stable id, unique in its plan: `build/run/compile`,
/// `production.1/us-west-1/deploy/usw1-az1`. Segments are names of the
/// source joined by `/`; a wave's stage segment is `production.<wave>`
/// (`.` is in no identifier, so it can clash with no stage). Targets mangle
/// ids into their own name rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitId(pub String);

impl UnitId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One stage, or one wave of production.
#[derive(Debug, Clone, Serialize)]
pub struct StagePlan {
    /// `build`, or `production.1` for wave 1.
    pub id: UnitId,
    /// `${stage}`: the stage's name, `production` for a wave.
    pub name: String,
    /// `${wave}`: the wave's name; `None` for a stage.
    pub wave: Option<String>,
    /// The stages and waves this one waits for (ids), from `after`.
    pub after: Vec<UnitId>,
    /// At most one run holds a key at a time; later runs queue, none is
    /// cancelled. Held by every unit of the stage, gate to rollback, so a
    /// later run cannot deploy under an earlier run's bake.
    pub concurrency: String,
    /// SPEC `timeout`: a bound on the time all units of one region take,
    /// bakes excluded. Each of those units also carries it as its own limit.
    pub timeout_seconds: Option<u64>,
    /// Approvals, window, blockers: before any region starts.
    pub gate: Option<Unit>,
    /// Run in parallel; a stage without regions has one with `region: None`.
    pub regions: Vec<RegionPlan>,
}

/// The work of one region of a stage, in the order of SPEC 4.2.
#[derive(Debug, Clone, Serialize)]
pub struct RegionPlan {
    pub region: Option<String>,
    /// Each unit needs the one before it; the first needs the gate (or the
    /// stage's dependencies).
    pub units: Vec<Unit>,
    /// Runs when any of `units` fails; never a dependency of later stages.
    pub rollback: Option<Unit>,
}

/// One unit of work: a job, task or stage of a target.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: UnitId,
    /// Units that must have succeeded first (for a rollback: finished).
    pub needs: Vec<UnitId>,
    pub timeout_seconds: Option<u64>,
    #[serde(flatten)]
    pub work: Work,
}

/// What a unit does.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Work {
    Gate(Gate),
    Deploy(Deploy),
    Step(Step),
    Bake(Bake),
    Rollback(Rollback),
}

/// Checks before a stage or wave starts, in this order (SPEC 4.2):
/// approvals, then the window, then blockers.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub checks: Vec<GateCheck>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "check", rename_all = "kebab-case")]
pub enum GateCheck {
    /// A manual approval by one of `approvers`.
    Approval {
        name: String,
        approvers: Vec<String>,
        timeout_seconds: Option<u64>,
    },
    /// Wait until the window (a key of [`Plan::windows`]) is open.
    Window { window: String },
    /// Fail while any alarm is in ALARM. A blocker whose probe names
    /// `${region}` appears once per region of the stage.
    Blockers { alarms: Vec<AlarmCheck> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    OneBox,
    Fleet,
}

impl Phase {
    /// The value of `${phase}`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::OneBox => "one-box",
            Phase::Fleet => "fleet",
        }
    }
}

/// Part of a region deployed by one unit of `rolling`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum Slice {
    Cell {
        cell: String,
    },
    /// Batch `index` (from 1) of `count` = ceil(100 / `percent`).
    Batch {
        index: u32,
        count: u32,
        percent: u32,
    },
}

/// Runs the stage's `deploy` command for one part of a region.
#[derive(Debug, Clone, Serialize)]
pub struct Deploy {
    pub region: Option<String>,
    pub phase: Phase,
    /// `None`: the one-box, or the whole region at once.
    pub slice: Option<Slice>,
    pub command: Command,
    /// Rollback alarms: one in ALARM during this unit fails the region.
    pub alarms: Vec<AlarmCheck>,
}

/// A `run` step or a required `check`.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub region: Option<String>,
    pub name: String,
    /// `None` for a `run` step; the kind of a required check.
    #[serde(serialize_with = "check_kind")]
    pub check: Option<CheckKind>,
    pub command: Command,
    pub alarms: Vec<AlarmCheck>,
}

/// Wait at least `seconds` and until the datapoint probe reports at least
/// `count`, polling `alarms` every `poll_seconds`; fail when one fires.
#[derive(Debug, Clone, Serialize)]
pub struct Bake {
    pub region: Option<String>,
    pub phase: Phase,
    pub seconds: u64,
    /// The bake time of an emergency run: `seconds` scaled, rounded up.
    pub emergency_seconds: Option<u64>,
    pub datapoints: Option<Datapoints>,
    pub alarms: Vec<AlarmCheck>,
    pub poll_seconds: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Datapoints {
    pub count: u64,
    pub probe: Probe,
}

/// Runs the stage's `rollback` command for a region.
#[derive(Debug, Clone, Serialize)]
pub struct Rollback {
    pub region: Option<String>,
    pub command: Command,
    /// Roll back when any of these failed (every unit of the region).
    pub on_failure_of: Vec<UnitId>,
}

/// An alarm to poll, its probe's variables substituted for the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmCheck {
    pub alarm: String,
    pub probe: Probe,
}

/// A probe of SPEC 3.4: `query` is the alarm or metric name (cloudwatch),
/// the PromQL expression (prometheus), or the command to run (command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    #[serde(serialize_with = "provider")]
    pub provider: Provider,
    pub query: Command,
}

fn provider<S: Serializer>(provider: &Provider, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(provider.as_str())
}

fn check_kind<S: Serializer>(kind: &Option<CheckKind>, s: S) -> Result<S::Ok, S::Error> {
    match kind {
        Some(kind) => s.serialize_some(kind.as_str()),
        None => s.serialize_none(),
    }
}
