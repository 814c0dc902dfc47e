//! How Argo spells the two things the lowering makes: a task of a `dag`
//! (its template, `depends`, `when`, arguments) and a `script` template
//! (a container running `sh` with the gate library mounted).

use super::{GATES_CONFIGMAP, GATES_DIR};
use crate::emit::yaml::{Map, Yaml};

/// A task of a `dag` template.
pub struct Task {
    pub name: String,
    pub template: String,
    pub depends: Option<String>,
    pub when: Option<String>,
    pub args: Vec<(String, String)>,
}

impl Task {
    pub fn new(name: String, template: String, depends: Option<String>) -> Task {
        Task {
            name,
            template,
            depends,
            when: None,
            args: Vec::new(),
        }
    }

    pub fn to_yaml(&self) -> Yaml {
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

pub fn params(pairs: &[(String, String)]) -> Vec<Yaml> {
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
pub struct Script {
    pub name: String,
    pub env: Vec<(String, String)>,
    pub source: String,
    pub deadline: Option<u64>,
    pub inputs: Vec<String>,
    pub outputs: Vec<(String, String)>,
    pub retry: Option<Yaml>,
}

impl Script {
    pub fn new(name: String, source: String) -> Script {
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

    pub fn to_yaml(&self) -> Yaml {
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
