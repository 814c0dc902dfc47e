//! The Argo Workflows target: from each pipeline's [`Plan`], a file
//! `argo/<pipeline>.yaml` holding a `WorkflowTemplate` and an example
//! `Workflow` that submits it (`workflowTemplateRef`); beside them, once,
//! `argo/sluice-gates.yaml`, a `ConfigMap` with the gate library that every
//! container mounts at [`GATES_DIR`]. See `docs/targets/argo.md`.
//!
//! How the plan maps to Argo's constructs:
//!
//! * **Two levels of `dag`**: the entry template runs one task per stage or
//!   wave (`depends` on the stages whose units its units need); each stage
//!   is its own `dag` template holding the stage's units, so the stage's
//!   `synchronization.mutexes` (one mutex per concurrency key of the plan)
//!   is held from the gate to the last rollback: later runs queue, in
//!   order, none is cancelled. `failFast: false`, so a failure still lets
//!   the rollback branches run.
//! * **Units**: one task per deploy and step unit, regions' chains side by
//!   side (parallel); a rollback task per region with `depends` on
//!   `X.Failed || X.Errored` of every task of the region; it runs the
//!   rollback command and then fails, so the run fails.
//! * **Gates**: each approval is a `suspend: {}` task (resumed with `argo
//!   resume`, whoever may `update` workflows in the namespace), then a
//!   window task (a 10-minute check retried hourly through
//!   `retryStrategy`, no pod in between), then a blockers task.
//! * **Bakes**: cycles of a short alarm-polling task (`bake --chunk`) and a
//!   `suspend: {duration}` (no pod), the bake's start passed on as an output
//!   parameter; a final poll without `--chunk` finishes (datapoints).
//! * **Values from the source** reach scripts only through container `env`,
//!   as single-quoted `sh` words that the fixed script text `eval`s: such a
//!   word never holds `{{` (a quoted run ends after every `{`), so Argo has
//!   nothing to expand in them, and the shell nothing to interpret.

mod document;
mod lower;
pub mod names;
mod template;
mod units;

use crate::emit::header::{pipeline_origin, yaml_header};
use crate::emit::{gates::configmap, yaml};
use crate::output::{EmitError, OutputFile, Pipeline};
use crate::plan::Plan;

pub use lower::{
    bake_cycles, lower, stage_task, Lowered, APPROVAL_TEMPLATE, BAKE_CYCLE_SECONDS,
    BAKE_POLL_SECONDS, ENTRY_TEMPLATE, PLACEHOLDER_VERSION, RUN_LINE, START_TASK, WAIT_TEMPLATE,
};

/// Where containers find the gate library.
pub const GATES_DIR: &str = "/sluice";
/// The ConfigMap holding the gate library.
pub use crate::emit::gates::GATES_CONFIGMAP;
/// The image the containers run unless the run says otherwise.
pub const DEFAULT_IMAGE: &str = "docker.io/library/alpine:3.20";
/// The ConfigMap's file.
pub const GATES_FILE: &str = "argo/sluice-gates.yaml";

/// Every file of the target, sorted by path. Argo takes every plan.
pub fn emit(pipelines: &[Pipeline<'_>]) -> Result<Vec<OutputFile>, EmitError> {
    let mut files: Vec<OutputFile> = pipelines
        .iter()
        .map(|p| OutputFile {
            path: workflow_path(&p.plan.pipeline),
            contents: workflow(p.plan, p.source),
        })
        .collect();
    files.push(OutputFile {
        path: GATES_FILE.to_string(),
        contents: gates_configmap(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `argo/<pipeline>.yaml`.
pub fn workflow_path(pipeline: &str) -> String {
    format!("argo/{}.yaml", template_name(pipeline))
}

/// The `WorkflowTemplate`'s name; `generateName` adds `-` and 5 characters.
pub fn template_name(pipeline: &str) -> String {
    names::mangle(pipeline, names::MAX_LEN - 6)
}

/// The file of `plan`: the header, the `WorkflowTemplate`, the example
/// `Workflow`.
pub fn workflow(plan: &Plan, source: &str) -> String {
    let lowered = lower(plan);
    let mut out = yaml_header(&pipeline_origin(source, &plan.pipeline), "argo");
    out.push_str(&yaml::to_string(&lowered.template));
    out.push_str("---\n");
    out.push_str(&yaml::to_string(&lowered.example));
    out
}

/// The ConfigMap with the gate library.
pub fn gates_configmap() -> String {
    let mut out = yaml_header(
        "the gate library (mounted by every pipeline's containers)",
        "argo",
    );
    out.push_str(&yaml::to_string(&configmap()));
    out
}
