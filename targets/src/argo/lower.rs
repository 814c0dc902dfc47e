//! Plan to `WorkflowTemplate`: the entry `dag` (the start task, an
//! emergency run's approval, one task per stage), one `dag` template per
//! stage with its mutex, and the fixed templates. The units' tasks are in
//! `units.rs`, how Argo spells a task in `template.rs`, the documents
//! around the templates in `document.rs`.

use std::collections::HashMap;

use sluice_grammar::value::Duration;

use super::document::documents;
use super::names::{mangle, MAX_LEN};
use super::template::{Script, Task};
use super::{template_name, GATES_DIR};
use crate::emit::gates::sh_words as words;
use crate::emit::yaml::{Map, Yaml};
use crate::gates::from_plan::start_gate;
use crate::gates::{EMERGENCY_ENV, REASON_ENV};
use crate::plan::{Bake, Plan, StagePlan, Unit, UnitId, Work, VERSION_ENV};

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
/// The line that runs `$cmd`; the property tests stub it.
pub const RUN_LINE: &str = "sh -c \"$cmd\"";
pub(super) const GATES_CALL: &str = "sh \"$gates\"";

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

pub(super) fn unit_template(id: &str) -> String {
    format!("unit-{}", mangle(id, MAX_LEN - 5))
}

pub(super) fn task_name(id: &str) -> String {
    mangle(id, MAX_LEN)
}

/// Bake cycles before the final poll.
pub fn bake_cycles(bake: &Bake) -> u64 {
    bake.seconds.div_ceil(BAKE_CYCLE_SECONDS).max(1)
}

pub(super) struct Lowering<'a> {
    pub(super) plan: &'a Plan,
    tasks_of: HashMap<UnitId, (String, Vec<String>)>,
    /// The stage template being lowered.
    tasks_of_stage: String,
    pub(super) any_bake: bool,
}

/// Lowers `plan`.
pub fn lower(plan: &Plan) -> Lowered {
    let mut l = Lowering {
        plan,
        tasks_of: HashMap::new(),
        tasks_of_stage: String::new(),
        any_bake: false,
    };
    let stage_of = stage_of(plan);
    let (mut entry, start) = start_tasks(plan);
    let mut stage_templates = Vec::new();
    for stage in &plan.stages {
        if stage.units().next().is_none() {
            continue;
        }
        let name = stage_task(&stage.id);
        let deps = stage_depends(stage, &stage_of, &start);
        entry.push(Task::new(
            name.clone(),
            name.clone(),
            Some(deps.join(" && ")),
        ));
        stage_templates.extend(l.stage(stage, name));
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
    let (template, example) = documents(plan, &template_name(&plan.pipeline), templates);
    Lowered {
        template,
        example,
        tasks_of: l.tasks_of,
    }
}

/// Which stage each unit belongs to.
fn stage_of(plan: &Plan) -> HashMap<&UnitId, &UnitId> {
    let mut stage_of = HashMap::new();
    for stage in &plan.stages {
        for unit in stage.units() {
            stage_of.insert(&unit.id, &stage.id);
        }
    }
    stage_of
}

/// The entry dag's first tasks (the start, and an emergency run's
/// approval), and what stages without dependencies wait for.
fn start_tasks(plan: &Plan) -> (Vec<Task>, Vec<String>) {
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
    (entry, start)
}

/// The stage tasks whose units the units of `stage` need, or `start`.
fn stage_depends(
    stage: &StagePlan,
    stage_of: &HashMap<&UnitId, &UnitId>,
    start: &[String],
) -> Vec<String> {
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
        deps = start.to_vec();
    }
    deps
}

impl Lowering<'_> {
    /// The `dag` template `name` of `stage`, holding its mutex and its
    /// units' tasks, followed by the units' templates.
    fn stage(&mut self, stage: &StagePlan, name: String) -> Vec<Yaml> {
        self.tasks_of_stage = name.clone();
        let mut tasks = Vec::new();
        let mut units = Vec::new();
        for unit in stage.units() {
            let depends = self.forward_depends(unit);
            let (mut new_tasks, templates) = self.unit(unit, depends);
            self.tasks_of.insert(
                unit.id.clone(),
                (
                    name.clone(),
                    new_tasks.iter().map(|t| t.name.clone()).collect(),
                ),
            );
            tasks.append(&mut new_tasks);
            units.extend(templates);
        }
        let mutex = format!("sluice-{}", mangle(&stage.concurrency, MAX_LEN - 7));
        let dag = Map::new()
            .with("name", name.as_str())
            .with(
                "synchronization",
                Map::new().with(
                    "mutexes",
                    Yaml::Seq(vec![Map::new().with("name", mutex).into()]),
                ),
            )
            .with(
                "dag",
                Map::new().with("failFast", Yaml::Bool(false)).with(
                    "tasks",
                    Yaml::Seq(tasks.iter().map(Task::to_yaml).collect()),
                ),
            );
        let mut out = vec![Yaml::from(dag)];
        out.extend(units);
        out
    }

    pub(super) fn emergency(&self) -> bool {
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

    pub(super) fn base_env(&self) -> Vec<(String, String)> {
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
}
