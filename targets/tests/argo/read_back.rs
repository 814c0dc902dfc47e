//! Reading a Workflow back: its templates, and the tasks of each DAG.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_yaml_ng::Value;
use sluice_targets::argo::names::is_dns_label;

use crate::common::yaml::{documents, text};

#[derive(Debug, Clone)]
pub struct ReadTask {
    pub template: String,
    pub depends: Option<String>,
    pub when: Option<String>,
    pub args: HashMap<String, String>,
}

pub struct ReadBack {
    pub templates: HashMap<String, Value>,
    /// dag template name -> task name -> task
    pub dags: HashMap<String, HashMap<String, ReadTask>>,
}

pub fn read_back(yaml: &str) -> ReadBack {
    let docs = documents(yaml);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["kind"].as_str(), Some("WorkflowTemplate"));
    assert_eq!(docs[1]["kind"].as_str(), Some("Workflow"));
    assert_eq!(
        docs[1]["spec"]["workflowTemplateRef"]["name"],
        docs[0]["metadata"]["name"]
    );
    let mut templates = HashMap::new();
    let mut dags = HashMap::new();
    for template in docs[0]["spec"]["templates"]
        .as_sequence()
        .expect("templates")
    {
        let name = text(&template["name"]);
        assert!(is_dns_label(&name), "{name}");
        if let Some(tasks) = template["dag"]["tasks"].as_sequence() {
            let mut read = HashMap::new();
            for task in tasks {
                let task_name = text(&task["name"]);
                assert!(is_dns_label(&task_name), "{task_name}");
                let args = task["arguments"]["parameters"]
                    .as_sequence()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| (text(&p["name"]), text(&p["value"])))
                            .collect()
                    })
                    .unwrap_or_default();
                let old = read.insert(
                    task_name.clone(),
                    ReadTask {
                        template: text(&task["template"]),
                        depends: task.get("depends").map(text),
                        when: task.get("when").map(text),
                        args,
                    },
                );
                assert!(old.is_none(), "task {task_name} twice in {name}");
            }
            dags.insert(name.clone(), read);
        }
        assert!(
            templates.insert(name.clone(), template.clone()).is_none(),
            "template {name} twice"
        );
    }
    for tasks in dags.values() {
        for task in tasks.values() {
            assert!(templates.contains_key(&task.template), "{}", task.template);
        }
    }
    ReadBack { templates, dags }
}

/// The plain `a && b` names of a forward `depends`.
pub fn and_names(depends: &Option<String>) -> BTreeSet<String> {
    match depends {
        None => BTreeSet::new(),
        Some(d) => d.split(" && ").map(str::to_string).collect(),
    }
}

pub fn reaches(tasks: &HashMap<String, ReadTask>, from: &str, to: &str) -> bool {
    // is `from` an ancestor of `to`?
    let mut todo = vec![to.to_string()];
    let mut seen = HashSet::new();
    while let Some(next) = todo.pop() {
        for dep in and_names(&tasks[&next].depends) {
            if dep == from {
                return true;
            }
            if seen.insert(dep.clone()) {
                todo.push(dep);
            }
        }
    }
    false
}

pub fn env_of(template: &Value) -> HashMap<String, String> {
    template["script"]["env"]
        .as_sequence()
        .expect("env")
        .iter()
        .map(|e| (text(&e["name"]), text(&e["value"])))
        .collect()
}
