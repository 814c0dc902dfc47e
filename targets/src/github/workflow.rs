//! One pipeline's workflow: the header, the triggers, the run-wide
//! settings, the preflight and emergency jobs, and the jobs of the units.

use super::job::{Access, Job};
use super::names::mangle;
use super::scripts::{gates_call, gates_prelude};
use super::units::{approval_environment, version_env, Lowering, EMERGENCY_EXPR};
use crate::emit::header::{pipeline_origin, yaml_header};
use crate::emit::yaml::{self, Map, Yaml};
use crate::gates::{from_plan::start_gate, EMERGENCY_ENV, REASON_ENV};
use crate::plan::{sh_quote, GateCheck, Plan, Work};

/// Jobs the emitter adds before the plan's units.
pub const PREFLIGHT_JOB: &str = "sluice-preflight";
pub const EMERGENCY_JOB: &str = "sluice-emergency";

/// The protected environment that approves an emergency run.
pub fn emergency_environment(plan: &Plan) -> String {
    format!("{}-emergency", mangle(&plan.pipeline))
}

/// Every environment the workflow of `plan` uses, with its approvers, in
/// order: the emergency one first, then the stages' approvals.
pub fn environments(plan: &Plan) -> Vec<EnvironmentUse> {
    let mut out = Vec::new();
    if let Some(emergency) = &plan.emergency {
        out.push(EnvironmentUse {
            name: emergency_environment(plan),
            stage: None,
            approval: None,
            approvers: emergency.approvers.clone(),
            timeout_seconds: None,
        });
    }
    for unit in plan.units() {
        let Work::Gate(gate) = &unit.work else {
            continue;
        };
        for check in &gate.checks {
            if let GateCheck::Approval {
                name,
                approvers,
                timeout_seconds,
            } = check
            {
                out.push(EnvironmentUse {
                    name: approval_environment(&plan.pipeline, unit, name),
                    stage: Some(unit.id.as_str().trim_end_matches("/gate").to_string()),
                    approval: Some(name.clone()),
                    approvers: approvers.clone(),
                    timeout_seconds: *timeout_seconds,
                });
            }
        }
    }
    out
}

/// An environment a workflow uses.
#[derive(Debug, Clone)]
pub struct EnvironmentUse {
    pub name: String,
    pub stage: Option<String>,
    pub approval: Option<String>,
    pub approvers: Vec<String>,
    pub timeout_seconds: Option<u64>,
}

/// The workflow of `plan`, whose source is the file `source`.
pub fn workflow(plan: &Plan, source: &str) -> String {
    let (doc, _) = lower(plan);
    let mut out = header(plan, source);
    out.push_str(&yaml::to_string(&doc));
    out
}

/// The jobs of `plan`, and which jobs each unit became.
pub fn lower(plan: &Plan) -> (Yaml, Lowering<'_>) {
    let mut start = vec![PREFLIGHT_JOB.to_string()];
    let mut jobs = vec![preflight(plan)];
    if plan.emergency.is_some() {
        jobs.push(emergency(plan));
        start.push(EMERGENCY_JOB.to_string());
    }
    let mut lowering = Lowering::new(plan, start);
    lowering.lower_all();
    jobs.extend(lowering.jobs.iter().cloned());
    let mut all = Map::new();
    for job in &jobs {
        all.push(&job.id, job.to_yaml());
    }
    let doc = Map::new()
        .with(
            "name",
            super::units::display_name(&plan.pipeline, &mangle(&plan.pipeline)),
        )
        .with("on", triggers(plan))
        .with("permissions", Map::new())
        .with(
            "concurrency",
            Map::new()
                .with("group", format!("sluice-{}", mangle(&plan.pipeline)))
                .with("cancel-in-progress", Yaml::Bool(false)),
        )
        .with(
            "defaults",
            Map::new().with("run", Map::new().with("shell", "sh")),
        )
        .with("jobs", all);
    (doc.into(), lowering)
}

fn header(plan: &Plan, source: &str) -> String {
    yaml_header(&pipeline_origin(source, &plan.pipeline), "github")
}

fn triggers(plan: &Plan) -> Map {
    let mut on = Map::new();
    if let Some(branch) = plan.source.as_ref().and_then(|s| s.branch.as_ref()) {
        let mut push = Map::new().with("branches", Yaml::Seq(vec![branch.as_str().into()]));
        let paths = &plan
            .source
            .as_ref()
            .map(|s| s.paths.clone())
            .unwrap_or_default();
        if !paths.is_empty() {
            push.push(
                "paths",
                Yaml::Seq(paths.iter().map(|p| Yaml::from(p.as_str())).collect()),
            );
        }
        on.push("push", push);
    }
    let mut inputs = Map::new().with(
        "reason",
        Map::new()
            .with("description", "Why this run is started by hand")
            .with("required", Yaml::Bool(true))
            .with("type", "string"),
    );
    if let Some(emergency) = &plan.emergency {
        inputs.push(
            "emergency",
            Map::new()
                .with(
                    "description",
                    format!(
                        "Emergency mode: bakes scaled to {}%, approved in environment {}{}",
                        emergency.bake_scale_percent,
                        emergency_environment(plan),
                        if emergency.override_blockers {
                            ", blockers skipped"
                        } else {
                            ""
                        }
                    ),
                )
                .with("required", Yaml::Bool(false))
                .with("type", "boolean")
                .with("default", Yaml::Bool(false)),
        );
    }
    on.push("workflow_dispatch", Map::new().with("inputs", inputs));
    on
}

/// Runs the gate library's start gate (the version; an emergency run's
/// reason), and refuses runs from other branches than the source's, and
/// environments that are missing or unprotected (GitHub creates a missing
/// environment on first use, without protection: approvals would pass
/// silently).
fn preflight(plan: &Plan) -> Job {
    let mut job = Job::new(
        PREFLIGHT_JOB.to_string(),
        "preflight".to_string(),
        Vec::new(),
    );
    job.access = Access::ActionsAndContents;
    job.timeout_minutes = Some(10);
    job.env = vec![
        ("GH_TOKEN".to_string(), "${{ github.token }}".to_string()),
        version_env(),
        (REASON_ENV.to_string(), "${{ inputs.reason }}".to_string()),
    ];
    if plan.emergency.is_some() {
        job.env
            .push((EMERGENCY_ENV.to_string(), EMERGENCY_EXPR.to_string()));
    }
    let mut script = format!(
        "set -eu\n{}{}\n",
        gates_prelude(),
        gates_call(&start_gate(plan).args())
    );
    if let Some(branch) = plan.source.as_ref().and_then(|s| s.branch.as_ref()) {
        script.push_str(&format!(
            "branch={}\nif [ \"$GITHUB_REF\" != \"refs/heads/$branch\" ]; then\n  echo \"sluice: this pipeline deploys only from branch $branch\" >&2\n  exit 1\nfi\n",
            sh_quote(branch)
        ));
    }
    let names: Vec<String> = environments(plan).into_iter().map(|e| e.name).collect();
    if !names.is_empty() {
        script.push_str(&format!(
            "for env in {}; do\n  reviewers=$(gh api \"repos/$GITHUB_REPOSITORY/environments/$env\" --jq '[.protection_rules[]? | select(.type == \"required_reviewers\")] | length') || reviewers=0\n  if [ \"$reviewers\" -eq 0 ]; then\n    echo \"sluice: environment $env is missing or has no required reviewers: apply .github/sluice/environments.json\" >&2\n    exit 1\n  fi\ndone\n",
            names.iter().map(|n| sh_quote(n)).collect::<Vec<_>>().join(" ")
        ));
    }
    job.script(script);
    job
}

fn emergency(plan: &Plan) -> Job {
    let mut job = Job::new(
        EMERGENCY_JOB.to_string(),
        "emergency approval".to_string(),
        vec![PREFLIGHT_JOB.to_string()],
    );
    job.condition =
        Some("${{ github.event_name == 'workflow_dispatch' && inputs.emergency }}".to_string());
    job.environment = Some(emergency_environment(plan));
    job.access = Access::None;
    job.checkout = false;
    job.env = vec![(REASON_ENV.to_string(), "${{ inputs.reason }}".to_string())];
    job.script(
        "printf 'sluice: emergency run approved; reason: %s\\n' \"$SLUICE_REASON\"\n".to_string(),
    );
    job
}
