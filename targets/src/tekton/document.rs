//! One pipeline's file: the header, the `Pipeline` (params, tasks,
//! finally tasks) and the `PipelineRun` template with its timeouts. The
//! tasks come from the lowering (`lower.rs`), their YAML from `task.rs`.

use super::lower::{lower, DEFAULT_IMAGE, VERSION_PLACEHOLDER};
use super::task::{go_duration, named, task_yaml, Task};
use crate::emit::header::{pipeline_origin, yaml_header};
use crate::emit::yaml::{self, Map, Yaml};
use crate::output::EmitError;
use crate::plan::Plan;

fn pipeline_params(plan: &Plan) -> Yaml {
    let mut params = vec![
        Map::new()
            .with("name", "version")
            .with("type", "string")
            .with(
                "description",
                "The commit SHA being promoted (${version} of the source).",
            )
            .into(),
        Map::new()
            .with("name", "image")
            .with("type", "string")
            .with(
                "description",
                "The image of every step: a POSIX shell with awk, date, tzdata and the probe CLIs (aws, curl).",
            )
            .with("default", DEFAULT_IMAGE)
            .into(),
    ];
    if plan.emergency.is_some() {
        params.push(
            Map::new()
                .with("name", "emergency")
                .with("type", "string")
                .with(
                    "description",
                    "true for an emergency run: it needs a reason and an approval, and scales the bakes.",
                )
                .with("default", "false")
                .into(),
        );
        params.push(
            Map::new()
                .with("name", "reason")
                .with("type", "string")
                .with("description", "Why an emergency run is needed.")
                .with("default", "")
                .into(),
        );
    }
    Yaml::Seq(params)
}

/// The file of one pipeline: header, `Pipeline`, `PipelineRun` template.
pub fn pipeline_file(plan: &Plan, source: &str) -> Result<String, EmitError> {
    let lowered = lower(plan)?;
    let labels = || {
        Map::new()
            .with("app.kubernetes.io/managed-by", "sluice")
            .with("sluice.dev/pipeline", lowered.name.as_str())
    };
    let (forward, finally): (Vec<&Task>, Vec<&Task>) =
        lowered.tasks.iter().partition(|t| !t.finally);
    let mut spec = Map::new().with("params", pipeline_params(plan)).with(
        "tasks",
        Yaml::Seq(forward.into_iter().map(task_yaml).collect()),
    );
    if !finally.is_empty() {
        spec.push(
            "finally",
            Yaml::Seq(finally.into_iter().map(task_yaml).collect()),
        );
    }
    let pipeline = Yaml::from(
        Map::new()
            .with("apiVersion", "tekton.dev/v1")
            .with("kind", "Pipeline")
            .with(
                "metadata",
                Map::new()
                    .with("name", lowered.name.as_str())
                    .with("labels", labels()),
            )
            .with("spec", spec),
    );
    let (all, tasks, fin) = lowered.timeouts;
    let mut run_params = vec![named("version", "value", VERSION_PLACEHOLDER)];
    if plan.emergency.is_some() {
        run_params.push(named("emergency", "value", "false"));
        run_params.push(named("reason", "value", ""));
    }
    let run = Yaml::from(
        Map::new()
            .with("apiVersion", "tekton.dev/v1")
            .with("kind", "PipelineRun")
            .with(
                "metadata",
                Map::new()
                    .with("generateName", format!("{}-", lowered.name))
                    .with("labels", labels().with("sluice.dev/role", "run")),
            )
            .with(
                "spec",
                Map::new()
                    .with(
                        "pipelineRef",
                        Map::new().with("name", lowered.name.as_str()),
                    )
                    .with("params", Yaml::Seq(run_params))
                    .with(
                        "timeouts",
                        Map::new()
                            .with("pipeline", go_duration(all))
                            .with("tasks", go_duration(tasks))
                            .with("finally", go_duration(fin)),
                    ),
            ),
    );
    Ok(format!(
        "{}---\n{}---\n{}",
        header(plan, source),
        yaml::to_string(&pipeline),
        yaml::to_string(&run)
    ))
}

fn header(plan: &Plan, source: &str) -> String {
    yaml_header(&pipeline_origin(source, &plan.pipeline), "tekton")
        + "# Apply the Pipeline with `kubectl apply -f FILE -l sluice.dev/role!=run`;\n\
           # start a run with `kubectl create -f FILE -l sluice.dev/role=run`\n\
           # (set the version param to the commit SHA first).\n"
}
