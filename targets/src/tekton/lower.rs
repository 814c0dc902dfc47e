//! Plan units to Tekton pipeline tasks: the preflight and emergency
//! approval, then each unit's tasks in the plan's order, with `runAfter`,
//! `when`, environments and limits, and the run's timeouts. See the module
//! documentation of `tekton` for the mapping.

use std::collections::HashMap;

use sluice_grammar::value::Duration;

use super::names::{label, Names};
use super::task::{Task, TaskKind, GATES_MOUNT};
use crate::emit::gates::sh_words as words;
use crate::gates::from_plan::{bake_gate, gate_alarms, start_gate, window_gate};
use crate::gates::{blockers_args, EMERGENCY_ENV, REASON_ENV};
use crate::output::EmitError;
use crate::plan::{AlarmCheck, Bake, Command, GateCheck, Plan, Unit, UnitId, Work, VERSION_ENV};

/// The image of every step unless the run's `image` param says otherwise.
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/aws-cli/aws-cli:2.22.0";
/// Tasks the emitter adds before the plan's units.
pub const PREFLIGHT_TASK: &str = "sluice-preflight";
pub const EMERGENCY_TASK: &str = "sluice-emergency-approval";
/// The template's version: the start gate refuses it (no commit SHA), so a
/// run started from the template unedited deploys nothing.
pub const VERSION_PLACEHOLDER: &str = "REPLACE-WITH-THE-COMMIT-SHA";
/// The line that runs `$cmd`; the property tests stub it.
pub const RUN_LINE: &str = "sh -c \"$cmd\"";

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
/// What a window may wait (the gate library's default too).
pub const WINDOW_WAIT_SECONDS: u64 = 7 * 24 * HOUR;
/// An approval's limit when the source gives none (the custom task's own
/// default is one hour).
pub const APPROVAL_SECONDS: u64 = 24 * HOUR;
/// A command's limit when the source gives none (Tekton's default task
/// timeout is one hour).
pub const COMMAND_SECONDS: u64 = 6 * HOUR;
/// Added to a task's limit for the pod's start and the alarm checks.
pub const SLACK_SECONDS: u64 = 15 * MINUTE;
/// How long the gate library waits for late datapoints after a bake.
pub const DATAPOINT_WAIT_SECONDS: u64 = 24 * HOUR;

/// One pipeline lowered: its tasks (forward tasks in dependency order,
/// then the finally tasks) and which tasks each plan unit became.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub name: String,
    pub tasks: Vec<Task>,
    /// The tasks of each unit, in order: the last is what dependents wait
    /// for.
    pub tasks_of: HashMap<UnitId, Vec<String>>,
    /// `spec.timeouts` of the run: (pipeline, tasks, finally), seconds.
    pub timeouts: (u64, u64, u64),
}

fn duration(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// An approver as the manual-approval-gate reads it: a team `@org/team`
/// becomes the group `group:org/team`, anything else is a user.
pub fn approver(name: &str) -> String {
    match name.strip_prefix('@') {
        Some(group) => format!("group:{group}"),
        None => name.to_string(),
    }
}

fn param_env(name: &str, param: &str) -> (String, String) {
    (name.to_string(), format!("$(params.{param})"))
}

const PRELUDE: &str = "#!/bin/sh\nset -eu\n";

fn gates_line() -> String {
    format!("gates={GATES_MOUNT}/{}\n", crate::gates::FILE_NAME)
}

struct Lowering<'a> {
    plan: &'a Plan,
    names: Names,
    start: Vec<String>,
    tasks: Vec<Task>,
    finally: Vec<Task>,
    tasks_of: HashMap<UnitId, Vec<String>>,
}

/// The raw ids of every task of `plan`: units, and approvals of gates.
fn raw_ids(plan: &Plan) -> Vec<String> {
    let mut ids = vec![PREFLIGHT_TASK.to_string(), EMERGENCY_TASK.to_string()];
    for unit in plan.units() {
        ids.push(unit.id.0.clone());
        if let Work::Gate(gate) = &unit.work {
            for check in &gate.checks {
                if let GateCheck::Approval { name, .. } = check {
                    ids.push(approval_id(unit, name));
                }
            }
        }
    }
    ids
}

fn approval_id(unit: &Unit, approval: &str) -> String {
    format!("{}/approval/{approval}", unit.id)
}

/// The tasks of `plan`.
pub fn lower(plan: &Plan) -> Result<Lowered, EmitError> {
    let ids = raw_ids(plan);
    let names = Names::new(ids.iter().map(String::as_str));
    let mut lowering = Lowering {
        plan,
        start: vec![names.get(PREFLIGHT_TASK).to_string()],
        names,
        tasks: Vec::new(),
        finally: Vec::new(),
        tasks_of: HashMap::new(),
    };
    lowering.preflight();
    if let Some(emergency) = &plan.emergency {
        let name = lowering.names.get(EMERGENCY_TASK).to_string();
        let task = Task {
            name: name.clone(),
            run_after: lowering.start.clone(),
            finally: false,
            when: vec![("$(params.emergency)".to_string(), vec!["true".to_string()])],
            timeout_seconds: APPROVAL_SECONDS,
            kind: approval_kind(
                plan,
                &emergency.approvers,
                format!("Emergency run of {}", label(&plan.pipeline)),
                APPROVAL_SECONDS,
            )?,
        };
        lowering.tasks.push(task);
        lowering.start.push(name);
    }
    for unit in plan.units() {
        let tasks = lowering.unit(unit)?;
        let names = tasks.iter().map(|t| t.name.clone()).collect();
        lowering.tasks_of.insert(unit.id.clone(), names);
        for task in tasks {
            if task.finally {
                lowering.finally.push(task);
            } else {
                lowering.tasks.push(task);
            }
        }
    }
    let timeouts = lowering.timeouts();
    let Lowering {
        mut tasks,
        finally,
        tasks_of,
        ..
    } = lowering;
    tasks.extend(finally);
    Ok(Lowered {
        name: label(&plan.pipeline),
        tasks,
        tasks_of,
        timeouts,
    })
}

fn approval_kind(
    plan: &Plan,
    approvers: &[String],
    description: String,
    timeout_seconds: u64,
) -> Result<TaskKind, EmitError> {
    if let Some(bad) = approvers.iter().find(|a| a.contains("$(")) {
        // the ApprovalTask's params have no escape for `$(`
        return Err(EmitError::Expression {
            target: "Tekton",
            pipeline: plan.pipeline.clone(),
            what: "approver",
            value: bad.clone(),
            opener: "$(",
        });
    }
    Ok(TaskKind::Approval {
        approvers: approvers.iter().map(|a| approver(a)).collect(),
        description,
        timeout_seconds,
    })
}

impl Lowering<'_> {
    fn emergency(&self) -> bool {
        self.plan.emergency.is_some()
    }

    fn script_task(&self, name: String, run_after: Vec<String>, timeout: u64) -> Task {
        Task {
            name,
            run_after,
            finally: false,
            when: Vec::new(),
            timeout_seconds: timeout,
            kind: TaskKind::Script {
                params: vec!["image"],
                env: Vec::new(),
                script: PRELUDE.to_string(),
                gates: false,
            },
        }
    }

    fn preflight(&mut self) {
        let mut task = self.script_task(
            self.names.get(PREFLIGHT_TASK).to_string(),
            Vec::new(),
            SLACK_SECONDS,
        );
        let TaskKind::Script {
            params,
            env,
            script,
            gates,
        } = &mut task.kind
        else {
            unreachable!()
        };
        params.push("version");
        env.push(param_env(VERSION_ENV, "version"));
        if self.emergency() {
            params.extend(["emergency", "reason"]);
            env.push(param_env(EMERGENCY_ENV, "emergency"));
            env.push(param_env(REASON_ENV, "reason"));
        }
        *gates = true;
        script.push_str(&gates_line());
        script.push_str(&format!(
            "sh \"$gates\" {}\necho 'sluice: preflight passed'\n",
            words(&start_gate(self.plan).args())
        ));
        self.tasks.push(task);
    }

    fn run_after(&self, unit: &Unit) -> Vec<String> {
        if unit.needs.is_empty() {
            return self.start.clone();
        }
        let mut out: Vec<String> = Vec::new();
        for need in &unit.needs {
            if let Some(last) = self.tasks_of.get(need).and_then(|t| t.last()) {
                if !out.contains(last) {
                    out.push(last.clone());
                }
            }
        }
        out
    }

    /// A script task of `unit`: the version, and in emergency pipelines
    /// the emergency flag, in its environment.
    fn unit_task(&self, name: String, run_after: Vec<String>, timeout: u64) -> Task {
        let mut task = self.script_task(name, run_after, timeout);
        if let TaskKind::Script { params, env, .. } = &mut task.kind {
            params.push("version");
            env.push(param_env(VERSION_ENV, "version"));
            if self.emergency() {
                params.push("emergency");
                env.push(param_env(EMERGENCY_ENV, "emergency"));
            }
        }
        task
    }

    fn unit(&self, unit: &Unit) -> Result<Vec<Task>, EmitError> {
        let run_after = self.run_after(unit);
        let name = self.names.get(unit.id.as_str()).to_string();
        Ok(match &unit.work {
            Work::Gate(gate) => return self.gate(unit, gate, run_after),
            Work::Deploy(d) => vec![self.command(unit, name, run_after, &d.command, &d.alarms)],
            Work::Step(s) => vec![self.command(unit, name, run_after, &s.command, &s.alarms)],
            Work::Bake(bake) => vec![self.bake(bake, name, run_after)],
            Work::Rollback(rollback) => {
                let mut statuses: Vec<String> = Vec::new();
                for failing in &rollback.on_failure_of {
                    for task in self.tasks_of.get(failing).into_iter().flatten() {
                        let status = format!("$(tasks.{task}.status)");
                        if !statuses.contains(&status) {
                            statuses.push(status);
                        }
                    }
                }
                let seconds = unit.timeout_seconds.unwrap_or(COMMAND_SECONDS) + SLACK_SECONDS;
                let mut task = self.unit_task(name, Vec::new(), seconds);
                task.finally = true;
                task.when = vec![("Failed".to_string(), statuses)];
                if let TaskKind::Script { env, script, .. } = &mut task.kind {
                    env.push(("SLUICE_COMMAND".to_string(), rollback.command.to_sh_word()));
                    script.push_str(&format!(
                        "echo 'sluice: a unit of the region failed: rolling back' >&2\ncmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\n"
                    ));
                }
                vec![task]
            }
        })
    }

    fn command(
        &self,
        unit: &Unit,
        name: String,
        run_after: Vec<String>,
        command: &Command,
        alarms: &[AlarmCheck],
    ) -> Task {
        let seconds = unit.timeout_seconds.unwrap_or(COMMAND_SECONDS) + SLACK_SECONDS;
        let mut task = self.unit_task(name, run_after, seconds);
        if let TaskKind::Script {
            env, script, gates, ..
        } = &mut task.kind
        {
            env.push(("SLUICE_COMMAND".to_string(), command.to_sh_word()));
            if alarms.is_empty() {
                script.push_str(&format!(
                    "cmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\n"
                ));
            } else {
                *gates = true;
                env.push((
                    "SLUICE_ALARMS".to_string(),
                    words(&blockers_args(&gate_alarms(alarms))),
                ));
                script.push_str(&gates_line());
                script.push_str(&format!(
                    "eval \"set -- $SLUICE_ALARMS\"\nsh \"$gates\" \"$@\"\ncmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\nsh \"$gates\" \"$@\"\n"
                ));
            }
        }
        task
    }

    fn gate(
        &self,
        unit: &Unit,
        gate: &crate::plan::Gate,
        mut run_after: Vec<String>,
    ) -> Result<Vec<Task>, EmitError> {
        let mut tasks = Vec::new();
        let mut env: Vec<(String, String)> = Vec::new();
        let mut body = String::new();
        let mut seconds = SLACK_SECONDS;
        for check in &gate.checks {
            match check {
                GateCheck::Approval {
                    name,
                    approvers,
                    timeout_seconds,
                } => {
                    let task_name = self.names.get(&approval_id(unit, name)).to_string();
                    let limit = timeout_seconds.unwrap_or(APPROVAL_SECONDS);
                    let description = format!(
                        "Approval {} of {} in {}",
                        label(name),
                        label(unit.id.as_str().trim_end_matches("/gate")),
                        label(&self.plan.pipeline)
                    );
                    tasks.push(Task {
                        name: task_name.clone(),
                        run_after: run_after.clone(),
                        finally: false,
                        when: Vec::new(),
                        timeout_seconds: limit,
                        kind: approval_kind(self.plan, approvers, description, limit)?,
                    });
                    run_after = vec![task_name];
                }
                GateCheck::Window { window } => {
                    let Some(spec) = self.plan.windows.get(window) else {
                        continue;
                    };
                    let args = window_gate(window, spec, duration(WINDOW_WAIT_SECONDS)).args();
                    env.push(("SLUICE_WINDOW".to_string(), words(&args)));
                    body.push_str("eval \"set -- $SLUICE_WINDOW\"\nsh \"$gates\" \"$@\"\n");
                    seconds += WINDOW_WAIT_SECONDS;
                }
                GateCheck::Blockers { alarms } => {
                    env.push((
                        "SLUICE_BLOCKERS".to_string(),
                        words(&blockers_args(&gate_alarms(alarms))),
                    ));
                    body.push_str("eval \"set -- $SLUICE_BLOCKERS\"\n");
                    match &self.plan.emergency {
                        Some(e) if e.override_blockers => body.push_str(&format!(
                            "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  echo 'sluice: emergency run: blockers overridden' >&2\nelse\n  sh \"$gates\" \"$@\"\nfi\n"
                        )),
                        _ => body.push_str("sh \"$gates\" \"$@\"\n"),
                    }
                }
            }
        }
        if !body.is_empty() {
            let name = self.names.get(unit.id.as_str()).to_string();
            let mut task = self.unit_task(name, run_after, seconds);
            if let TaskKind::Script {
                env: task_env,
                script,
                gates,
                ..
            } = &mut task.kind
            {
                task_env.extend(env);
                script.push_str(&gates_line());
                script.push_str(&body);
                *gates = true;
            }
            tasks.push(task);
        }
        Ok(tasks)
    }

    fn bake(&self, bake: &Bake, name: String, run_after: Vec<String>) -> Task {
        let args = |seconds: u64| {
            let mut gate = bake_gate(bake, seconds);
            gate.max_wait = bake
                .datapoints
                .as_ref()
                .map(|_| duration(seconds + DATAPOINT_WAIT_SECONDS));
            words(&gate.args())
        };
        let wait = if bake.datapoints.is_some() {
            DATAPOINT_WAIT_SECONDS
        } else {
            0
        };
        let seconds = bake.seconds + wait + HOUR;
        let mut task = self.unit_task(name, run_after, seconds);
        if let TaskKind::Script {
            env, script, gates, ..
        } = &mut task.kind
        {
            *gates = true;
            script.push_str(&gates_line());
            env.push(("SLUICE_BAKE".to_string(), args(bake.seconds)));
            match bake.emergency_seconds {
                Some(scaled) if self.emergency() => {
                    env.push(("SLUICE_BAKE_EMERGENCY".to_string(), args(scaled)));
                    script.push_str(&format!(
                        "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  eval \"set -- $SLUICE_BAKE_EMERGENCY\"\nelse\n  eval \"set -- $SLUICE_BAKE\"\nfi\n"
                    ));
                }
                _ => script.push_str("eval \"set -- $SLUICE_BAKE\"\n"),
            }
            script.push_str("sh \"$gates\" \"$@\"\n");
        }
        task
    }

    /// (pipeline, tasks, finally): the longest chain of task limits, the
    /// longest rollback, and their sum.
    fn timeouts(&self) -> (u64, u64, u64) {
        let mut finish: HashMap<&str, u64> = HashMap::new();
        for task in &self.tasks {
            let start = task
                .run_after
                .iter()
                .filter_map(|t| finish.get(t.as_str()))
                .max()
                .copied()
                .unwrap_or(0);
            finish.insert(&task.name, start + task.timeout_seconds);
        }
        let tasks = finish.values().max().copied().unwrap_or(0) + SLACK_SECONDS;
        let finally = self
            .finally
            .iter()
            .map(|t| t.timeout_seconds)
            .max()
            .unwrap_or(0)
            + SLACK_SECONDS;
        (tasks + finally, tasks, finally)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tekton::task::go_duration;

    #[test]
    fn durations_and_approvers() {
        assert_eq!(go_duration(93_784), "26h3m4s");
        assert_eq!(approver("@acme/sre"), "group:acme/sre");
        assert_eq!(approver("maria"), "maria");
        assert!(!words(&[Command::literal("$(x)")]).contains("$("));
    }
}
