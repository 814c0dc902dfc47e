//! The tasks and templates of each plan unit: deploys, steps and
//! rollbacks (one script each), a gate's approvals, window and blockers,
//! and a bake's cycles of polls and suspends.

use sluice_grammar::value::Duration;

use super::lower::{
    bake_cycles, task_name, unit_template, Lowering, APPROVAL_TEMPLATE, BAKE_CYCLE_SECONDS,
    BAKE_POLL_SECONDS, GATES_CALL, RUN_LINE, WAIT_TEMPLATE,
};
use super::template::{Script, Task};
use super::GATES_DIR;
use crate::emit::gates::sh_words as words;
use crate::emit::yaml::{Map, Yaml};
use crate::gates::from_plan::{bake_gate, gate_alarms, window_gate};
use crate::gates::{blockers_args, EMERGENCY_ENV};
use crate::plan::{AlarmCheck, Bake, Command, GateCheck, Unit, Work};

/// The window task checks for this long, then retries after the rest of
/// an hour, for at most [`WINDOW_TRIES`] hours.
const WINDOW_CHECK_SECONDS: u64 = 600;
const WINDOW_TRIES: u64 = 7 * 24;

impl Lowering<'_> {
    /// The tasks and templates of one unit.
    pub(super) fn unit(&mut self, unit: &Unit, depends: Option<String>) -> (Vec<Task>, Vec<Yaml>) {
        let id = unit.id.as_str();
        let template = unit_template(id);
        match &unit.work {
            Work::Deploy(d) => self.command(unit, &d.command, &d.alarms, depends),
            Work::Step(s) => self.command(unit, &s.command, &s.alarms, depends),
            Work::Rollback(r) => {
                let source = format!(
                    "set -eu\ncmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\necho 'sluice: the region is rolled back; the run fails' >&2\nexit 1\n"
                );
                let mut script = Script::new(template.clone(), source);
                script.env = self.base_env();
                script
                    .env
                    .push(("SLUICE_COMMAND".to_string(), r.command.to_sh_word()));
                script.deadline = unit.timeout_seconds;
                (
                    vec![Task::new(task_name(id), template, depends)],
                    vec![script.to_yaml()],
                )
            }
            Work::Gate(gate) => self.gate(unit, gate, depends),
            Work::Bake(bake) => self.bake(unit, bake, depends),
        }
    }

    fn command(
        &mut self,
        unit: &Unit,
        command: &Command,
        alarms: &[AlarmCheck],
        depends: Option<String>,
    ) -> (Vec<Task>, Vec<Yaml>) {
        let id = unit.id.as_str();
        let template = unit_template(id);
        let mut source = String::from("set -eu\n");
        let mut script_env = self.base_env();
        if alarms.is_empty() {
            source.push_str(&format!(
                "cmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\n"
            ));
        } else {
            source.push_str(&format!(
                "gates={GATES_DIR}/{}\neval \"set -- $SLUICE_ALARMS\"\n{GATES_CALL} \"$@\"\ncmd=''\neval \"cmd=$SLUICE_COMMAND\"\n{RUN_LINE}\n{GATES_CALL} \"$@\"\n",
                crate::gates::FILE_NAME
            ));
            script_env.push((
                "SLUICE_ALARMS".to_string(),
                words(&blockers_args(&gate_alarms(alarms))),
            ));
        }
        script_env.push(("SLUICE_COMMAND".to_string(), command.to_sh_word()));
        let mut script = Script::new(template.clone(), source);
        script.env = script_env;
        script.deadline = unit.timeout_seconds;
        (
            vec![Task::new(task_name(id), template, depends)],
            vec![script.to_yaml()],
        )
    }

    fn gate(
        &mut self,
        unit: &Unit,
        gate: &crate::plan::Gate,
        mut depends: Option<String>,
    ) -> (Vec<Task>, Vec<Yaml>) {
        let id = unit.id.as_str();
        let mut tasks = Vec::new();
        let mut templates = Vec::new();
        let prelude = format!(
            "set -eu\ngates={GATES_DIR}/{}\neval \"set -- $SLUICE_GATE_ARGS\"\n",
            crate::gates::FILE_NAME
        );
        for check in &gate.checks {
            match check {
                GateCheck::Approval { name, .. } => {
                    let task = task_name(&format!("{id}/approval/{name}"));
                    tasks.push(Task::new(
                        task.clone(),
                        APPROVAL_TEMPLATE.to_string(),
                        depends.take(),
                    ));
                    depends = Some(task);
                }
                GateCheck::Window { window } => {
                    let Some(spec) = self.plan.windows.get(window) else {
                        continue;
                    };
                    let args =
                        window_gate(window, spec, Duration::from_secs(WINDOW_CHECK_SECONDS)).args();
                    let raw = format!("{id}/window");
                    let template = unit_template(&raw);
                    let mut script =
                        Script::new(template.clone(), format!("{prelude}{GATES_CALL} \"$@\"\n"));
                    script.env = self.base_env();
                    script
                        .env
                        .push(("SLUICE_GATE_ARGS".to_string(), words(&args)));
                    script.deadline = Some(WINDOW_CHECK_SECONDS + 300);
                    script.retry = Some(
                        Map::new()
                            .with("limit", Yaml::Int(WINDOW_TRIES))
                            .with("retryPolicy", "OnFailure")
                            .with("expression", "asInt(lastRetry.exitCode) == 1")
                            .with(
                                "backoff",
                                Map::new().with(
                                    "duration",
                                    Duration::from_secs(3600 - WINDOW_CHECK_SECONDS).to_string(),
                                ),
                            )
                            .into(),
                    );
                    templates.push(script.to_yaml());
                    let task = task_name(&raw);
                    tasks.push(Task::new(task.clone(), template, depends.take()));
                    depends = Some(task);
                }
                GateCheck::Blockers { alarms } => {
                    let raw = format!("{id}/blockers");
                    let template = unit_template(&raw);
                    let call = format!("{GATES_CALL} \"$@\"");
                    let body = match &self.plan.emergency {
                        Some(e) if e.override_blockers => format!(
                            "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  echo 'sluice: emergency run: blockers overridden' >&2\nelse\n  {call}\nfi\n"
                        ),
                        _ => format!("{call}\n"),
                    };
                    let mut script = Script::new(template.clone(), format!("{prelude}{body}"));
                    script.env = self.base_env();
                    script.env.push((
                        "SLUICE_GATE_ARGS".to_string(),
                        words(&blockers_args(&gate_alarms(alarms))),
                    ));
                    script.deadline = Some(600);
                    templates.push(script.to_yaml());
                    let task = task_name(&raw);
                    tasks.push(Task::new(task.clone(), template, depends.take()));
                    depends = Some(task);
                }
            }
        }
        (tasks, templates)
    }

    fn bake(
        &mut self,
        unit: &Unit,
        bake: &Bake,
        depends: Option<String>,
    ) -> (Vec<Task>, Vec<Yaml>) {
        self.any_bake = true;
        let id = unit.id.as_str();
        let cycles = bake_cycles(bake);
        let max_wait = cycles * BAKE_CYCLE_SECONDS + 3600;
        let args = |seconds: u64| {
            let mut gate = bake_gate(bake, seconds);
            gate.max_wait = Some(Duration::from_secs(max_wait.max(seconds)));
            words(&gate.args())
        };
        let template = unit_template(id);
        let mut env = self.base_env();
        env.push(("SLUICE_BAKE_ARGS".to_string(), args(bake.seconds)));
        let select = match bake.emergency_seconds {
            Some(seconds) if self.emergency() => {
                env.push(("SLUICE_BAKE_ARGS_EMERGENCY".to_string(), args(seconds)));
                format!("if [ \"${EMERGENCY_ENV}\" = true ]; then\n  eval \"set -- $SLUICE_BAKE_ARGS_EMERGENCY\"\nelse\n  eval \"set -- $SLUICE_BAKE_ARGS\"\nfi\n")
            }
            _ => "eval \"set -- $SLUICE_BAKE_ARGS\"\n".to_string(),
        };
        env.push((
            "SLUICE_BAKE_STARTED_AT".to_string(),
            "{{inputs.parameters.started-at}}".to_string(),
        ));
        env.push((
            "SLUICE_BAKE_CHUNK".to_string(),
            "{{inputs.parameters.chunk}}".to_string(),
        ));
        let source = format!(
            "set -eu\ngates={GATES_DIR}/{}\nstarted_at=$SLUICE_BAKE_STARTED_AT\nif [ -z \"$started_at\" ]; then\n  started_at=$(date +%s)\nfi\nprintf %s \"$started_at\" > /tmp/sluice-started-at\n{select}if [ -n \"$SLUICE_BAKE_CHUNK\" ]; then\n  set -- \"$@\" --chunk \"$SLUICE_BAKE_CHUNK\"\nfi\nstate=$({GATES_CALL} \"$@\" --started-at \"$started_at\")\nprintf %s \"$state\" > /tmp/sluice-state\nif [ -z \"$SLUICE_BAKE_CHUNK\" ] && [ \"$state\" != 'done' ]; then\n  echo 'sluice: the bake did not complete' >&2\n  exit 1\nfi\n",
            crate::gates::FILE_NAME
        );
        let mut script = Script::new(template.clone(), source);
        script.env = env;
        script.inputs = vec!["started-at".to_string(), "chunk".to_string()];
        script.outputs = vec![
            ("state".to_string(), "/tmp/sluice-state".to_string()),
            (
                "started-at".to_string(),
                "/tmp/sluice-started-at".to_string(),
            ),
        ];
        script.deadline = Some(2 * 3600);
        let mut tasks = Vec::new();
        let first = task_name(&format!("{id}/poll-1"));
        let mut depends = depends;
        for k in 1..=cycles + 1 {
            let final_poll = k > cycles;
            let poll = if final_poll {
                task_name(&format!("{id}/finish"))
            } else {
                task_name(&format!("{id}/poll-{k}"))
            };
            let mut task = Task::new(poll.clone(), template.clone(), depends.take());
            let started = if k == 1 {
                String::new()
            } else {
                format!("{{{{tasks.{first}.outputs.parameters.started-at}}}}")
            };
            let chunk = if final_poll {
                String::new()
            } else {
                Duration::from_secs(BAKE_POLL_SECONDS).to_string()
            };
            task.args = vec![
                ("started-at".to_string(), started),
                ("chunk".to_string(), chunk),
            ];
            tasks.push(task);
            if final_poll {
                break;
            }
            let wait = task_name(&format!("{id}/wait-{k}"));
            let mut task = Task::new(wait.clone(), WAIT_TEMPLATE.to_string(), Some(poll.clone()));
            task.when = Some(format!(
                "{{{{tasks.{poll}.outputs.parameters.state}}}} == continue"
            ));
            tasks.push(task);
            depends = Some(wait);
        }
        (tasks, vec![script.to_yaml()])
    }
}
