//! The file's two documents around the lowered templates: the
//! `WorkflowTemplate` (its parameters, the gate library's volume, the
//! templates) and the example `Workflow` that submits it.

use super::lower::{ENTRY_TEMPLATE, PLACEHOLDER_VERSION};
use super::template::params;
use super::{DEFAULT_IMAGE, GATES_CONFIGMAP};
use crate::emit::yaml::{Map, Yaml};
use crate::plan::Plan;

/// The `WorkflowTemplate` `name` of `plan`, holding `templates`, and the
/// example `Workflow` that submits it.
pub fn documents(plan: &Plan, name: &str, templates: Vec<Yaml>) -> (Yaml, Yaml) {
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
            Map::new().with("name", name).with("labels", labels.clone()),
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
                .with("workflowTemplateRef", Map::new().with("name", name))
                .with(
                    "arguments",
                    Map::new().with(
                        "parameters",
                        Yaml::Seq(params(&[
                            ("version".to_string(), PLACEHOLDER_VERSION.to_string()),
                            ("reason".to_string(), String::new()),
                        ])),
                    ),
                ),
        );
    (template.into(), example.into())
}
