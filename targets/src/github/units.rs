//! Plan units to jobs. One job per unit, except:
//!
//! * a gate becomes one job per approval (each with its own protected
//!   environment, in the order written) and then one job for the window
//!   and the blockers, when it has them;
//! * a bake longer than [`CHUNK_SECONDS`] becomes a chain of jobs of at
//!   most that long each (hosted jobs stop after 6 hours): each calls the
//!   gate library's `bake --chunk`, passing the bake's start on through job
//!   outputs, so the bake time and datapoints count from the real start.

use std::collections::HashMap;

use super::job::{minutes, Access, Job, RunStep, NO_FAILURE, ON_FAILURE};
use super::names::mangle;
use super::scripts::{alarms_call, duration, gates_call, gates_prelude, run_command};
use crate::gates::from_plan::{bake_gate, gate_alarms, window_gate};
use crate::gates::{blockers_args, EMERGENCY_ENV};
use crate::plan::{Bake, GateCheck, Plan, Unit, UnitId, Work, VERSION_ENV};

/// The longest a bake job waits: well inside a hosted job's 6 hours.
pub const CHUNK_SECONDS: u64 = 5 * 3600;
/// The longest a gate job waits for a window (see the module docs of
/// `github`: a longer wait fails the gate, and re-running it resumes).
pub const WINDOW_WAIT_SECONDS: u64 = 5 * 3600 + 30 * 60;
const GATE_TIMEOUT_MINUTES: u64 = 350;
const BAKE_TIMEOUT_MINUTES: u64 = 330;

/// Whether the run is an emergency run, for [`EMERGENCY_ENV`].
pub const EMERGENCY_EXPR: &str =
    "${{ github.event_name == 'workflow_dispatch' && inputs.emergency }}";

/// What the jobs of one workflow share.
pub struct Lowering<'a> {
    pub plan: &'a Plan,
    /// The jobs units without `needs` wait for (preflight, emergency).
    pub start: Vec<String>,
    /// The jobs of each unit, in order: the first one waits for the unit's
    /// needs, the last one is what dependents wait for.
    pub jobs_of: HashMap<UnitId, Vec<String>>,
    pub jobs: Vec<Job>,
    /// The stage and region of each unit, by index.
    region_of: HashMap<UnitId, (usize, usize)>,
}

impl<'a> Lowering<'a> {
    pub fn new(plan: &'a Plan, start: Vec<String>) -> Lowering<'a> {
        let mut region_of = HashMap::new();
        for (s, stage) in plan.stages.iter().enumerate() {
            for (r, region) in stage.regions.iter().enumerate() {
                for unit in &region.units {
                    region_of.insert(unit.id.clone(), (s, r));
                }
            }
        }
        Lowering {
            plan,
            start,
            jobs_of: HashMap::new(),
            jobs: Vec::new(),
            region_of,
        }
    }

    fn emergency(&self) -> bool {
        self.plan.emergency.is_some()
    }

    /// Lowers every unit of the plan, each after the units it needs.
    pub fn lower_all(&mut self) {
        for unit in self.plan.units() {
            if self.append_step(unit) {
                continue;
            }
            let jobs = self.lower(unit);
            self.jobs_of
                .insert(unit.id.clone(), jobs.iter().map(|j| j.id.clone()).collect());
            self.jobs.extend(jobs);
        }
    }

    /// Adds a deploy or step unit as one more step of the job of the unit
    /// it follows, when that job runs deploys and steps of the same region:
    /// fewer jobs (GitHub runs at most 256 per workflow run) and no checkout
    /// between the one-box, the cells and the checks.
    fn append_step(&mut self, unit: &Unit) -> bool {
        let (command, alarms) = match &unit.work {
            Work::Deploy(d) => (&d.command, &d.alarms),
            Work::Step(s) => (&s.command, &s.alarms),
            _ => return false,
        };
        let [previous] = unit.needs.as_slice() else {
            return false;
        };
        let same_region = self.region_of.contains_key(previous)
            && self.region_of.get(previous) == self.region_of.get(&unit.id);
        let mergeable = same_region
            && self
                .plan
                .unit(previous.as_str())
                .is_some_and(|p| matches!(p.work, Work::Deploy(_) | Work::Step(_)));
        let Some(job_id) = self.jobs_of.get(previous).and_then(|j| j.last()).cloned() else {
            return false;
        };
        let Some(job) = self.jobs.last_mut() else {
            return false;
        };
        if !mergeable || job.id != job_id {
            return false;
        }
        let id = mangle(unit.id.as_str());
        job.steps.push(RunStep {
            name: display_name(unit.id.as_str(), &id),
            script: checked_command(command, alarms),
            timeout_minutes: unit.timeout_seconds.map(minutes),
        });
        job.timeout_minutes = job_timeout(&job.steps);
        self.jobs_of.insert(unit.id.clone(), vec![job_id]);
        true
    }

    fn needs(&self, unit: &Unit) -> Vec<String> {
        if unit.needs.is_empty() {
            return self.start.clone();
        }
        let mut needs: Vec<String> = Vec::new();
        for need in &unit.needs {
            let last = self.jobs_of.get(need).and_then(|jobs| jobs.last());
            if let Some(job) = last {
                if !needs.contains(job) {
                    needs.push(job.clone());
                }
            }
        }
        needs
    }

    /// A forward job: runs when everything before it succeeded.
    fn job(&self, id: String, name: String, needs: Vec<String>) -> Job {
        let mut job = Job::new(id, name, needs);
        if self.emergency() {
            // the emergency approval is skipped in normal runs
            job.condition = Some(NO_FAILURE.to_string());
        }
        job
    }

    fn lower(&self, unit: &Unit) -> Vec<Job> {
        let needs = self.needs(unit);
        let id = mangle(unit.id.as_str());
        let name = display_name(unit.id.as_str(), &id);
        match &unit.work {
            Work::Gate(gate) => self.gate(unit, gate, needs),
            Work::Bake(bake) => self.bake(unit, bake, needs, &id, &name),
            Work::Deploy(deploy) => {
                let mut job = self.job(id, name, needs);
                job.script(checked_command(&deploy.command, &deploy.alarms));
                self.command_job(unit, job)
            }
            Work::Step(step) => {
                let mut job = self.job(id, name, needs);
                job.script(checked_command(&step.command, &step.alarms));
                self.command_job(unit, job)
            }
            Work::Rollback(rollback) => {
                let mut needs: Vec<String> = Vec::new();
                for job in rollback
                    .on_failure_of
                    .iter()
                    .flat_map(|u| self.jobs_of.get(u).into_iter().flatten())
                {
                    if !needs.contains(job) {
                        needs.push(job.clone());
                    }
                }
                let mut job = Job::new(id, name, needs);
                job.condition = Some(ON_FAILURE.to_string());
                job.script(format!("set -eu\n{}", run_command(&rollback.command)));
                self.command_job(unit, job)
            }
        }
    }

    fn command_job(&self, unit: &Unit, mut job: Job) -> Vec<Job> {
        for step in &mut job.steps {
            step.timeout_minutes = unit.timeout_seconds.map(minutes);
        }
        job.timeout_minutes = job_timeout(&job.steps);
        job.env.push(version_env());
        vec![job]
    }

    fn gate(&self, unit: &Unit, gate: &crate::plan::Gate, mut needs: Vec<String>) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut script = String::new();
        for check in &gate.checks {
            match check {
                GateCheck::Approval { name, .. } => {
                    let id = mangle(&format!("{}/approval/{name}", unit.id));
                    let mut job = self.job(
                        id.clone(),
                        display_name(&format!("{}/approval/{name}", unit.id), &id),
                        needs,
                    );
                    job.environment = Some(approval_environment(&self.plan.pipeline, unit, name));
                    job.access = Access::None;
                    job.checkout = false;
                    job.script("echo 'sluice: approved'\n".to_string());
                    needs = vec![id];
                    jobs.push(job);
                }
                GateCheck::Window { window } => {
                    if let Some(spec) = self.plan.windows.get(window) {
                        let gate = window_gate(window, spec, duration(WINDOW_WAIT_SECONDS));
                        script.push_str(&gates_call(&gate.args()));
                        script.push('\n');
                    }
                }
                GateCheck::Blockers { alarms } => {
                    let call = gates_call(&blockers_args(&gate_alarms(alarms)));
                    match &self.plan.emergency {
                        Some(e) if e.override_blockers => script.push_str(&format!(
                            "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  echo 'sluice: emergency run: blockers overridden' >&2\nelse\n  {call}\nfi\n"
                        )),
                        _ => {
                            script.push_str(&call);
                            script.push('\n');
                        }
                    }
                }
            }
        }
        if !script.is_empty() {
            let id = mangle(unit.id.as_str());
            let mut job = self.job(id.clone(), display_name(unit.id.as_str(), &id), needs);
            job.script(format!("set -eu\n{}{script}", gates_prelude()));
            job.timeout_minutes = Some(GATE_TIMEOUT_MINUTES);
            if self.emergency() {
                job.env
                    .push((EMERGENCY_ENV.to_string(), EMERGENCY_EXPR.to_string()));
            }
            jobs.push(job);
        }
        jobs
    }

    fn bake(&self, unit: &Unit, bake: &Bake, needs: Vec<String>, id: &str, name: &str) -> Vec<Job> {
        let count = chunk_count(bake);
        let max_wait = count * CHUNK_SECONDS;
        let args = |seconds: u64| {
            let mut gate = bake_gate(bake, seconds);
            gate.max_wait = Some(duration(max_wait));
            gate.chunk = (count > 1).then(|| duration(CHUNK_SECONDS));
            let gate = gate.args();
            format!("{} --started-at \"$started_at\"", gates_call(&gate))
        };
        let call = match bake.emergency_seconds {
            Some(emergency) if self.emergency() => format!(
                "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  state=$({})\nelse\n  state=$({})\nfi\n",
                args(emergency),
                args(bake.seconds)
            ),
            _ => format!("state=$({})\n", args(bake.seconds)),
        };
        let mut jobs: Vec<Job> = Vec::new();
        let mut needs = needs;
        for index in 1..=count {
            let (job_id, job_name) = if index == 1 {
                (id.to_string(), name.to_string())
            } else {
                let raw = format!("{}/chunk.{index}", unit.id);
                let mangled = mangle(&raw);
                let shown = display_name(&raw, &mangled);
                (mangled, shown)
            };
            let mut job = self.job(job_id.clone(), job_name, needs);
            let mut script = format!("set -eu\n{}", gates_prelude());
            if index == 1 {
                script.push_str("started_at=$(date +%s)\n");
            } else {
                script.push_str(
                    "if [ \"$SLUICE_BAKE_STATE\" = 'done' ]; then\n  echo 'sluice: the bake is already done'\n  echo 'state=done' >> \"$GITHUB_OUTPUT\"\n  exit 0\nfi\nstarted_at=$SLUICE_BAKE_STARTED_AT\n",
                );
                let previous = &jobs[jobs.len() - 1].id;
                job.env.push((
                    "SLUICE_BAKE_STATE".to_string(),
                    format!("${{{{ needs.{previous}.outputs.state }}}}"),
                ));
                job.env.push((
                    "SLUICE_BAKE_STARTED_AT".to_string(),
                    format!("${{{{ needs.{previous}.outputs.started_at }}}}"),
                ));
            }
            script.push_str(&call);
            if index < count {
                script.push_str(
                    "echo \"state=$state\" >> \"$GITHUB_OUTPUT\"\necho \"started_at=$started_at\" >> \"$GITHUB_OUTPUT\"\n",
                );
                job.outputs = vec!["state".to_string(), "started_at".to_string()];
            } else {
                script.push_str(
                    "if [ \"$state\" != 'done' ]; then\n  echo 'sluice: the bake did not complete in its last chunk' >&2\n  exit 1\nfi\n",
                );
            }
            job.script(script);
            job.timeout_minutes = Some(BAKE_TIMEOUT_MINUTES);
            job.env.push(version_env());
            if self.emergency() {
                job.env
                    .push((EMERGENCY_ENV.to_string(), EMERGENCY_EXPR.to_string()));
            }
            needs = vec![job_id];
            jobs.push(job);
        }
        jobs
    }
}

/// A job's limit: its steps' limits added up, when they all have one
/// (hosted runners stop a job at 360 minutes anyway).
fn job_timeout(steps: &[RunStep]) -> Option<u64> {
    let total: Option<u64> = steps.iter().map(|s| s.timeout_minutes).sum();
    total.map(|t| t.min(360))
}

/// Chunks of a bake: enough for its time, plus one more to wait for late
/// datapoints; the bake's maximum wait is all of them.
pub fn chunk_count(bake: &Bake) -> u64 {
    bake.seconds.div_ceil(CHUNK_SECONDS).max(1) + u64::from(bake.datapoints.is_some())
}

/// The protected environment of one approval.
pub fn approval_environment(pipeline: &str, unit: &Unit, approval: &str) -> String {
    let stage = unit
        .id
        .as_str()
        .strip_suffix("/gate")
        .unwrap_or(unit.id.as_str());
    mangle(&format!("{pipeline}/{stage}/{approval}"))
}

pub fn version_env() -> (String, String) {
    (VERSION_ENV.to_string(), "${{ github.sha }}".to_string())
}

/// The command, with the rollback alarms read before and after it.
fn checked_command(command: &crate::plan::Command, alarms: &[crate::plan::AlarmCheck]) -> String {
    let mut script = String::from("set -eu\n");
    if alarms.is_empty() {
        script.push_str(&run_command(command));
        return script;
    }
    let check = alarms_call(alarms);
    script.push_str(&gates_prelude());
    script.push_str(&check);
    script.push('\n');
    script.push_str(&run_command(command));
    script.push_str(&check);
    script.push('\n');
    script
}

/// A job's display name: the plan id when it holds nothing GitHub would
/// expand, the job id otherwise.
pub fn display_name(raw: &str, id: &str) -> String {
    let plain = raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ' '));
    if plain {
        raw.replace('/', " / ")
    } else {
        id.to_string()
    }
}
