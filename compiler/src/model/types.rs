//! Typed structs of the resolved model.

use std::collections::BTreeMap;

use sluice_grammar::value::{Date, Day, Duration, Time};
use sluice_grammar::{Ident, Provider, Span};

/// A value with the span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Everything declared in one compilation.
#[derive(Debug, Default)]
pub struct Model {
    pub fleets: BTreeMap<String, Fleet>,
    pub calendars: BTreeMap<String, Calendar>,
    pub windows: BTreeMap<String, Window>,
    pub alarms: BTreeMap<String, Alarm>,
    /// Templates and pipelines, resolved, in source order.
    pub pipelines: Vec<Pipeline>,
}

impl Model {
    pub fn pipeline(&self, name: &str) -> Option<&Pipeline> {
        self.pipelines
            .iter()
            .find(|p| p.name.text == name && !p.is_template)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Traffic {
    Low,
    Medium,
    High,
}

impl Traffic {
    pub fn as_str(self) -> &'static str {
        match self {
            Traffic::Low => "low",
            Traffic::Medium => "medium",
            Traffic::High => "high",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fleet {
    pub name: Ident,
    pub regions: Vec<RegionDef>,
}

impl Fleet {
    pub fn region(&self, name: &str) -> Option<&RegionDef> {
        self.regions.iter().find(|r| r.name.text == name)
    }
}

#[derive(Debug, Clone)]
pub struct RegionDef {
    pub name: Ident,
    pub cells: Vec<Ident>,
    pub traffic: Traffic,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: Ident,
    pub days: Vec<Holiday>,
}

#[derive(Debug, Clone)]
pub struct Holiday {
    pub date: Date,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Window {
    pub name: Ident,
    pub timezone: Option<Spanned<String>>,
    pub allow: Vec<AllowRule>,
    pub deny_calendars: Vec<Ident>,
    pub deny_dates: Vec<DenyDates>,
    pub span: Span,
}

/// `allow mon..thu 09:00-16:00`: starts allowed on these days, from `from`
/// up to (not including) `to`.
#[derive(Debug, Clone)]
pub struct AllowRule {
    pub first_day: Day,
    pub last_day: Day,
    pub from: Time,
    pub to: Time,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct DenyDates {
    pub from: Date,
    pub to: Date,
    pub reason: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Alarm {
    pub name: Ident,
    pub probe: Option<Probe>,
}

#[derive(Debug, Clone)]
pub struct Probe {
    pub provider: Provider,
    pub text: String,
    pub span: Span,
}

/// A resolved template or pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub name: Ident,
    /// The pipeline's own text; anything outside it was inherited.
    pub span: Span,
    pub is_template: bool,
    /// Ancestors, nearest first.
    pub chain: Vec<Ident>,
    /// The whole text of each ancestor, in the order of `chain`.
    pub chain_spans: Vec<Span>,
    pub fleet: Option<Ident>,
    pub owner: Option<Spanned<String>>,
    pub tags: Vec<Ident>,
    pub source: Option<SourceTrigger>,
    pub stages: Vec<Stage>,
    pub production: Option<Production>,
    pub emergency: Option<Emergency>,
    pub waivers: Vec<Waiver>,
}

impl Pipeline {
    /// Stages, then waves, in order.
    pub fn all_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages
            .iter()
            .chain(self.production.iter().flat_map(|p| p.waves.iter()))
    }
}

#[derive(Debug, Clone)]
pub struct SourceTrigger {
    pub branch: Option<Spanned<String>>,
    pub approvals: Option<Spanned<u64>>,
    pub paths: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Production {
    pub span: Span,
    pub after: Option<Vec<Ident>>,
    pub waves: Vec<Stage>,
}

/// Which regions a stage or wave deploys to.
#[derive(Debug, Clone, Default)]
pub enum RegionSpec {
    #[default]
    None,
    List(Vec<Ident>),
    /// `regions rest`, with the regions it expanded to.
    Rest {
        span: Span,
        regions: Vec<Ident>,
    },
}

impl RegionSpec {
    pub fn regions(&self) -> &[Ident] {
        match self {
            RegionSpec::None => &[],
            RegionSpec::List(list) => list,
            RegionSpec::Rest { regions, .. } => regions,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    Stage,
    Wave,
}

/// A pre-production stage, or a production wave with the production
/// defaults applied.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: Ident,
    pub kind: StageKind,
    pub span: Span,
    pub after: Option<Vec<Ident>>,
    pub regions: RegionSpec,
    pub steps: Vec<Step>,
    pub approvals: Vec<Approval>,
    pub deploy: Option<Command>,
    pub rollback: Option<Command>,
    pub one_box: Option<OneBox>,
    pub rolling: Option<Rolling>,
    pub bake: Option<Bake>,
    pub alarms: Vec<Ident>,
    pub blockers: Vec<Ident>,
    pub window: Option<Ident>,
    pub timeout: Option<Spanned<Duration>>,
}

#[derive(Debug, Clone)]
pub struct Command {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    Unit,
    Integration,
    Canary,
    Load,
    Security,
    Compat,
    Smoke,
    Lint,
    Custom,
}

impl CheckKind {
    pub const NAMED: [CheckKind; 8] = [
        CheckKind::Unit,
        CheckKind::Integration,
        CheckKind::Canary,
        CheckKind::Load,
        CheckKind::Security,
        CheckKind::Compat,
        CheckKind::Smoke,
        CheckKind::Lint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Unit => "unit",
            CheckKind::Integration => "integration",
            CheckKind::Canary => "canary",
            CheckKind::Load => "load",
            CheckKind::Security => "security",
            CheckKind::Compat => "compat",
            CheckKind::Smoke => "smoke",
            CheckKind::Lint => "lint",
            CheckKind::Custom => "custom",
        }
    }

    pub fn parse(text: &str) -> Option<CheckKind> {
        Self::NAMED
            .into_iter()
            .chain([CheckKind::Custom])
            .find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Run,
    Check(CheckKind),
}

/// A `run` step or a required `check`, in the order written.
#[derive(Debug, Clone)]
pub struct Step {
    pub name: Ident,
    pub kind: StepKind,
    /// The word of `kind X` in the long form, as written.
    pub kind_name: Option<Ident>,
    pub command: Option<Command>,
    pub timeout: Option<Spanned<Duration>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Approval {
    pub name: Ident,
    pub approvers: Vec<Spanned<String>>,
    /// The `approvers` statement, when written (it may list nobody).
    pub approvers_span: Option<Span>,
    pub timeout: Option<Spanned<Duration>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct OneBox {
    pub bake: Option<Bake>,
    pub alarms: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollingMode {
    ByCell,
    Batch(u32),
}

#[derive(Debug, Clone)]
pub struct Rolling {
    pub mode: Option<Spanned<RollingMode>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Bake {
    pub duration: Option<Spanned<Duration>>,
    pub datapoints: Option<Datapoints>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Datapoints {
    pub count: Spanned<u64>,
    pub probe: Probe,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Emergency {
    pub bake_scale: Option<Spanned<u32>>,
    pub approvers: Vec<Spanned<String>>,
    pub override_blockers: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Waiver {
    pub rule: Ident,
    pub reason: Option<Spanned<String>>,
    pub approved_by: Option<Spanned<String>>,
    pub expires: Option<Spanned<Date>>,
    pub span: Span,
}
