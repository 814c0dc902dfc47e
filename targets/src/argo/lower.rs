//! Plan to `WorkflowTemplate`: the entry `dag` of stages, one `dag`
//! template per stage (with its mutex), and the units' templates.

use std::collections::HashMap;

use sluice_grammar::value::Duration;

use super::names::{mangle, MAX_LEN};
use super::{template_name, DEFAULT_IMAGE, GATES_CONFIGMAP, GATES_DIR};
use crate::emit::gates::sh_words as words;
use crate::emit::yaml::{Map, Yaml};
use crate::gates::from_plan::{bake_gate, gate_alarms, start_gate, window_gate};
use crate::gates::{blockers_args, EMERGENCY_ENV, REASON_ENV};
use crate::plan::{AlarmCheck, Bake, Command, GateCheck, Plan, Unit, UnitId, Work, VERSION_ENV};

pub const ENTRY_TEMPLATE: &str = "sluice-main";
/// The example `Workflow`'s version: the start gate refuses it (git's null
/// id is no commit), so applying the example as it is deploys nothing.
pub const PLACEHOLDER_VERSION: &str = "0000000000000000000000000000000000000000";
pub const START_TASK: &str = "sluice-start";
pub const EMERGENCY_TASK: &str = "sluice-emergency";
/// `suspend: {}`: an approval, resumed with `argo resume`.
pub const APPROVAL_TEMPLATE: &str = "sluice-approval";
/// `suspend: {duration}`: the waiting part of a bake cycle.
pub const WAIT_TEMPLATE: &str = "sluice-bake-wait";
/// One bake cycle: a poll of [`BAKE_POLL_SECONDS`], then a suspend for the
/// rest of the cycle.
pub const BAKE_CYCLE_SECONDS: u64 = 3600;
pub const BAKE_POLL_SECONDS: u64 = 600;
/// The window task checks for this long, then retries after the rest of
/// an hour, for at most [`WINDOW_TRIES`] hours.
const WINDOW_CHECK_SECONDS: u64 = 600;
const WINDOW_TRIES: u64 = 7 * 24;
/// The line that runs `$cmd`; the property tests stub it.
pub const RUN_LINE: &str = "sh -c \"$cmd\"";
const GATES_CALL: &str = "sh \"$gates\"";

/// A `WorkflowTemplate`, its example `Workflow`, and which tasks each unit
/// became (for read-back tests and tools).
pub struct Lowered {
    pub template: Yaml,
    pub example: Yaml,
    /// The stage template and the tasks (in order) of each unit.
    pub tasks_of: HashMap<UnitId, (String, Vec<String>)>,
}

/// The entry task (and template) of a stage or wave.
pub fn stage_task(stage: &UnitId) -> String {
    format!("stage-{}", mangle(stage.as_str(), MAX_LEN - 6))
}

fn unit_template(id: &str) -> String {
    format!("unit-{}", mangle(id, MAX_LEN - 5))
}

fn task_name(id: &str) -> String {
    mangle(id, MAX_LEN)
}

/// Bake cycles before the final poll.
pub fn bake_cycles(bake: &Bake) -> u64 {
    bake.seconds.div_ceil(BAKE_CYCLE_SECONDS).max(1)
}

struct Task {
    name: String,
    template: String,
    depends: Option<String>,
    when: Option<String>,
    args: Vec<(String, String)>,
}

impl Task {
    fn new(name: String, template: String, depends: Option<String>) -> Task {
        Task {
            name,
            template,
            depends,
            when: None,
            args: Vec::new(),
        }
    }

    fn to_yaml(&self) -> Yaml {
        let mut map = Map::new()
            .with("name", self.name.as_str())
            .with("template", self.template.as_str());
        if let Some(depends) = &self.depends {
            map.push("depends", depends.as_str());
        }
        if let Some(when) = &self.when {
            map.push("when", when.as_str());
        }
        if !self.args.is_empty() {
            map.push(
                "arguments",
                Map::new().with("parameters", Yaml::Seq(params(&self.args))),
            );
        }
        map.into()
    }
}

fn params(pairs: &[(String, String)]) -> Vec<Yaml> {
    pairs
        .iter()
        .map(|(name, value)| {
            Map::new()
                .with("name", name.as_str())
                .with("value", value.as_str())
                .into()
        })
        .collect()
}

/// A container template running `source` with `sh`.
struct Script {
    name: String,
    env: Vec<(String, String)>,
    source: String,
    deadline: Option<u64>,
    inputs: Vec<String>,
    outputs: Vec<(String, String)>,
    retry: Option<Yaml>,
}

impl Script {
    fn new(name: String, source: String) -> Script {
        Script {
            name,
            env: Vec::new(),
            source,
            deadline: None,
            inputs: Vec::new(),
            outputs: Vec::new(),
            retry: None,
        }
    }

    fn to_yaml(&self) -> Yaml {
        let mut map = Map::new().with("name", self.name.as_str());
        if !self.inputs.is_empty() {
            let inputs = self
                .inputs
                .iter()
                .map(|n| Map::new().with("name", n.as_str()).into())
                .collect();
            map.push("inputs", Map::new().with("parameters", Yaml::Seq(inputs)));
        }
        if !self.outputs.is_empty() {
            let outputs = self
                .outputs
                .iter()
                .map(|(n, path)| {
                    Map::new()
                        .with("name", n.as_str())
                        .with("valueFrom", Map::new().with("path", path.as_str()))
                        .into()
                })
                .collect();
            map.push("outputs", Map::new().with("parameters", Yaml::Seq(outputs)));
        }
        if let Some(seconds) = self.deadline {
            map.push("activeDeadlineSeconds", Yaml::Int(seconds));
        }
        if let Some(retry) = &self.retry {
            map.push("retryStrategy", retry.clone());
        }
        let env = self
            .env
            .iter()
            .map(|(n, v)| {
                Map::new()
                    .with("name", n.as_str())
                    .with("value", v.as_str())
                    .into()
            })
            .collect();
        map.push(
            "script",
            Map::new()
                .with("image", "{{workflow.parameters.image}}")
                .with("command", Yaml::Seq(vec!["sh".into()]))
                .with("env", Yaml::Seq(env))
                .with(
                    "volumeMounts",
                    Yaml::Seq(vec![Map::new()
                        .with("name", GATES_CONFIGMAP)
                        .with("mountPath", GATES_DIR)
                        .with("readOnly", Yaml::Bool(true))
                        .into()]),
                )
                .with("source", self.source.as_str()),
        );
        map.into()
    }
}

struct Lowering<'a> {
    plan: &'a Plan,
    templates: Vec<Yaml>,
    tasks_of: HashMap<UnitId, (String, Vec<String>)>,
    /// The stage template being lowered.
    tasks_of_stage: String,
    any_bake: bool,
}

/// Lowers `plan`.
pub fn lower(plan: &Plan) -> Lowered {
    let mut l = Lowering {
        plan,
        templates: Vec::new(),
        tasks_of: HashMap::new(),
        tasks_of_stage: String::new(),
        any_bake: false,
    };
    // which stage each unit belongs to
    let mut stage_of: HashMap<&UnitId, &UnitId> = HashMap::new();
    for stage in &plan.stages {
        for unit in stage.units() {
            stage_of.insert(&unit.id, &stage.id);
        }
    }
    let mut start = vec![START_TASK.to_string()];
    let mut entry = vec![Task::new(
        START_TASK.to_string(),
        START_TASK.to_string(),
        None,
    )];
    if plan.emergency.is_some() {
        let mut task = Task::new(
            EMERGENCY_TASK.to_string(),
            APPROVAL_TEMPLATE.to_string(),
            Some(START_TASK.to_string()),
        );
        task.when = Some("{{workflow.parameters.emergency}} == true".to_string());
        entry.push(task);
        start.push(EMERGENCY_TASK.to_string());
    }
    let mut stage_templates = Vec::new();
    for stage in &plan.stages {
        if stage.units().next().is_none() {
            continue;
        }
        let mut deps: Vec<String> = Vec::new();
        for unit in stage.units() {
            for need in &unit.needs {
                if let Some(other) = stage_of.get(need).filter(|s| ***s != stage.id) {
                    let task = stage_task(other);
                    if !deps.contains(&task) {
                        deps.push(task);
                    }
                }
            }
        }
        if deps.is_empty() {
            deps = start.clone();
        }
        let name = stage_task(&stage.id);
        l.tasks_of_stage = name.clone();
        entry.push(Task::new(
            name.clone(),
            name.clone(),
            Some(deps.join(" && ")),
        ));
        let mut tasks = Vec::new();
        let mut units = Vec::new();
        for unit in stage.units() {
            let depends = l.forward_depends(unit);
            let (mut new_tasks, templates) = l.unit(unit, depends);
            l.tasks_of.insert(
                unit.id.clone(),
                (
                    name.clone(),
                    new_tasks.iter().map(|t| t.name.clone()).collect(),
                ),
            );
            tasks.append(&mut new_tasks);
            units.extend(templates);
        }
        let dag = Map::new()
            .with("name", name.as_str())
            .with(
                "synchronization",
                Map::new().with(
                    "mutexes",
                    Yaml::Seq(vec![Map::new()
                        .with(
                            "name",
                            format!("sluice-{}", mangle(&stage.concurrency, MAX_LEN - 7)),
                        )
                        .into()]),
                ),
            )
            .with(
                "dag",
                Map::new().with("failFast", Yaml::Bool(false)).with(
                    "tasks",
                    Yaml::Seq(tasks.iter().map(Task::to_yaml).collect()),
                ),
            );
        stage_templates.push(Yaml::from(dag));
        stage_templates.extend(units);
    }
    let mut templates = vec![
        Map::new()
            .with("name", ENTRY_TEMPLATE)
            .with(
                "dag",
                Map::new().with(
                    "tasks",
                    Yaml::Seq(entry.iter().map(Task::to_yaml).collect()),
                ),
            )
            .into(),
        l.start_template(),
        Map::new()
            .with("name", APPROVAL_TEMPLATE)
            .with("suspend", Map::new())
            .into(),
    ];
    if l.any_bake {
        templates.push(
            Map::new()
                .with("name", WAIT_TEMPLATE)
                .with(
                    "suspend",
                    Map::new().with(
                        "duration",
                        Duration::from_secs(BAKE_CYCLE_SECONDS - BAKE_POLL_SECONDS).to_string(),
                    ),
                )
                .into(),
        );
    }
    templates.extend(stage_templates);
    templates.append(&mut l.templates);

    let name = template_name(&plan.pipeline);
    let mut parameters = vec![
        Map::new()
            .with("name", "version")
            .with(
                "description",
                "The commit being promoted (SLUICE_VERSION in the commands)",
            )
            .into(),
        Map::new()
            .with("name", "reason")
            .with("value", "")
            .with("description", "Why this run is started by hand")
            .into(),
    ];
    if let Some(emergency) = &plan.emergency {
        parameters.push(
            Map::new()
                .with("name", "emergency")
                .with("value", "false")
                .with("enum", Yaml::Seq(vec!["false".into(), "true".into()]))
                .with(
                    "description",
                    format!(
                        "Emergency mode: needs a reason and an approval (resume the sluice-emergency node); bakes at {}%{}",
                        emergency.bake_scale_percent,
                        if emergency.override_blockers {
                            ", blockers skipped"
                        } else {
                            ""
                        }
                    ),
                )
                .into(),
        );
    }
    parameters.push(
        Map::new()
            .with("name", "image")
            .with("value", DEFAULT_IMAGE)
            .with(
                "description",
                "The image of every container: a POSIX sh with the deploy tools, aws/curl for the probes, tzdata",
            )
            .into(),
    );
    let labels = Map::new().with("app.kubernetes.io/managed-by", "sluice");
    let template = Map::new()
        .with("apiVersion", "argoproj.io/v1alpha1")
        .with("kind", "WorkflowTemplate")
        .with(
            "metadata",
            Map::new()
                .with("name", name.as_str())
                .with("labels", labels.clone()),
        )
        .with(
            "spec",
            Map::new()
                .with("entrypoint", ENTRY_TEMPLATE)
                .with(
                    "arguments",
                    Map::new().with("parameters", Yaml::Seq(parameters)),
                )
                .with(
                    "volumes",
                    Yaml::Seq(vec![Map::new()
                        .with("name", GATES_CONFIGMAP)
                        .with("configMap", Map::new().with("name", GATES_CONFIGMAP))
                        .into()]),
                )
                .with("templates", Yaml::Seq(templates)),
        );
    let example = Map::new()
        .with("apiVersion", "argoproj.io/v1alpha1")
        .with("kind", "Workflow")
        .with(
            "metadata",
            Map::new()
                .with("generateName", format!("{name}-"))
                .with("labels", labels),
        )
        .with(
            "spec",
            Map::new()
                .with(
                    "workflowTemplateRef",
                    Map::new().with("name", name.as_str()),
                )
                .with(
                    "arguments",
                    Map::new().with(
                        "parameters",
                        Yaml::Seq(params(&[
                            (
                                "version".to_string(),
                                "0000000000000000000000000000000000000000".to_string(),
                            ),
                            ("reason".to_string(), String::new()),
                        ])),
                    ),
                ),
        );
    Lowered {
        template: template.into(),
        example: example.into(),
        tasks_of: l.tasks_of,
    }
}

impl Lowering<'_> {
    fn emergency(&self) -> bool {
        self.plan.emergency.is_some()
    }

    fn last_task(&self, id: &UnitId) -> Option<&String> {
        self.tasks_of.get(id).and_then(|(_, t)| t.last())
    }

    /// `a && b` over the last tasks of the unit's needs in this stage.
    fn forward_depends(&self, unit: &Unit) -> Option<String> {
        if let Work::Rollback(rollback) = &unit.work {
            let terms: Vec<String> = rollback
                .on_failure_of
                .iter()
                .flat_map(|u| {
                    self.tasks_of
                        .get(u)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default()
                })
                .map(|t| format!("{t}.Failed || {t}.Errored"))
                .collect();
            return Some(terms.join(" || "));
        }
        let mut deps: Vec<String> = Vec::new();
        let stage = &self.tasks_of_stage;
        for need in &unit.needs {
            // needs in earlier stages are the stage task's `depends`
            let same = self.tasks_of.get(need).is_some_and(|(s, _)| s == stage);
            if let Some(task) = self.last_task(need).filter(|_| same) {
                if !deps.contains(task) {
                    deps.push(task.clone());
                }
            }
        }
        (!deps.is_empty()).then(|| deps.join(" && "))
    }

    fn base_env(&self) -> Vec<(String, String)> {
        let mut env = vec![(
            VERSION_ENV.to_string(),
            "{{workflow.parameters.version}}".to_string(),
        )];
        if self.emergency() {
            env.push((
                EMERGENCY_ENV.to_string(),
                "{{workflow.parameters.emergency}}".to_string(),
            ));
        }
        env
    }

    fn start_template(&self) -> Yaml {
        let mut source = format!(
            "set -eu\ngates={GATES_DIR}/{}\n{GATES_CALL} {}\n",
            crate::gates::FILE_NAME,
            words(&start_gate(self.plan).args())
        );
        if let Some(e) = &self.plan.emergency {
            source.push_str(&format!(
                "if [ \"${EMERGENCY_ENV}\" = true ]; then\n  echo 'sluice: emergency run: waiting for approval (resume the sluice-emergency node); bakes at {}%'\nfi\n",
                e.bake_scale_percent
            ));
        }
        let mut script = Script::new(START_TASK.to_string(), source);
        script.env = self.base_env();
        script.env.push((
            REASON_ENV.to_string(),
            "{{workflow.parameters.reason}}".to_string(),
        ));
        script.deadline = Some(300);
        script.to_yaml()
    }

    /// The tasks and templates of one unit.
    fn unit(&mut self, unit: &Unit, depends: Option<String>) -> (Vec<Task>, Vec<Yaml>) {
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
