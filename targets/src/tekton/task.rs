//! One Tekton pipeline task and its YAML: an `ApprovalTask` of the
//! manual-approval-gate, or an inline task of one `sh` step. The lowering
//! decides what tasks there are; this file only knows how Tekton spells
//! one.

use crate::emit::yaml::{Map, Yaml};

/// The manual-approval-gate custom task (openshift-pipelines).
pub const APPROVAL_API: &str = "openshift-pipelines.org/v1alpha1";
pub const APPROVAL_KIND: &str = "ApprovalTask";
pub use crate::emit::gates::GATES_CONFIGMAP;
/// Where steps mount the gate library's ConfigMap.
pub const GATES_MOUNT: &str = "/sluice/gates";

/// One pipeline task.
#[derive(Debug, Clone)]
pub struct Task {
    pub name: String,
    pub run_after: Vec<String>,
    /// A `finally` task (rollbacks).
    pub finally: bool,
    /// `when` expressions: `(input, values)`, operator `in`.
    pub when: Vec<(String, Vec<String>)>,
    pub timeout_seconds: u64,
    pub kind: TaskKind,
}

#[derive(Debug, Clone)]
pub enum TaskKind {
    /// An `ApprovalTask` of the manual-approval-gate.
    Approval {
        approvers: Vec<String>,
        description: String,
        timeout_seconds: u64,
    },
    /// An inline task of one step running `script`.
    Script {
        /// Pipeline params the task takes (same names), always `image`.
        params: Vec<&'static str>,
        /// Step environment: names of the emitter's, values either `sh`
        /// words (never holding `$(`) or `$(params.x)`.
        env: Vec<(String, String)>,
        script: String,
        gates: bool,
    },
}

/// A Go duration, as Tekton reads `timeout` fields: `26h15m0s`.
pub fn go_duration(seconds: u64) -> String {
    format!(
        "{}h{}m{}s",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

pub fn seq(items: &[String]) -> Yaml {
    Yaml::Seq(items.iter().map(|s| Yaml::from(s.as_str())).collect())
}

pub fn named(name: &str, key: &str, value: impl Into<Yaml>) -> Yaml {
    Map::new().with("name", name).with(key, value).into()
}

pub fn task_yaml(task: &Task) -> Yaml {
    let mut out = Map::new().with("name", task.name.as_str());
    if !task.run_after.is_empty() {
        out.push("runAfter", seq(&task.run_after));
    }
    if !task.when.is_empty() {
        out.push(
            "when",
            Yaml::Seq(
                task.when
                    .iter()
                    .map(|(input, values)| {
                        Map::new()
                            .with("input", input.as_str())
                            .with("operator", "in")
                            .with("values", seq(values))
                            .into()
                    })
                    .collect(),
            ),
        );
    }
    out.push("timeout", go_duration(task.timeout_seconds));
    match &task.kind {
        TaskKind::Approval {
            approvers,
            description,
            timeout_seconds,
        } => {
            out.push(
                "taskRef",
                Map::new()
                    .with("apiVersion", APPROVAL_API)
                    .with("kind", APPROVAL_KIND),
            );
            out.push(
                "params",
                Yaml::Seq(vec![
                    named("approvers", "value", seq(approvers)),
                    named("numberOfApprovalsRequired", "value", "1"),
                    named("description", "value", description.as_str()),
                    named("timeout", "value", go_duration(*timeout_seconds)),
                ]),
            );
        }
        TaskKind::Script {
            params,
            env,
            script,
            gates,
        } => {
            out.push(
                "params",
                Yaml::Seq(
                    params
                        .iter()
                        .map(|p| named(p, "value", format!("$(params.{p})")))
                        .collect(),
                ),
            );
            let mut step = Map::new()
                .with("name", "run")
                .with("image", "$(params.image)");
            if !env.is_empty() {
                step.push(
                    "env",
                    Yaml::Seq(
                        env.iter()
                            .map(|(k, v)| named(k, "value", v.as_str()))
                            .collect(),
                    ),
                );
            }
            let mut spec = Map::new().with(
                "params",
                Yaml::Seq(params.iter().map(|p| named(p, "type", "string")).collect()),
            );
            if *gates {
                step.push(
                    "volumeMounts",
                    Yaml::Seq(vec![Map::new()
                        .with("name", GATES_CONFIGMAP)
                        .with("mountPath", GATES_MOUNT)
                        .with("readOnly", Yaml::Bool(true))
                        .into()]),
                );
                spec.push(
                    "volumes",
                    Yaml::Seq(vec![named(
                        GATES_CONFIGMAP,
                        "configMap",
                        Map::new().with("name", GATES_CONFIGMAP),
                    )]),
                );
            }
            step.push("script", script.as_str());
            spec.push("steps", Yaml::Seq(vec![step.into()]));
            out.push("taskSpec", spec);
        }
    }
    out.into()
}
