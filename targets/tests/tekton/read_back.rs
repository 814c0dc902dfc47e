//! Reading a Pipeline back: its tasks (`runAfter`, `when`, `finally`,
//! approvals, step env and script, timeouts) and the run's timeout.

use std::collections::{HashMap, HashSet};

use serde_yaml_ng::Value;
use sluice_targets::tekton::{APPROVAL_API, APPROVAL_KIND};

use crate::common::yaml::{documents, text};

/// A pipeline task as read back from the YAML.
#[derive(Debug, Clone)]
pub struct ReadTask {
    pub run_after: Vec<String>,
    pub finally: bool,
    pub when: Vec<(String, Vec<String>)>,
    pub approval: Option<Vec<String>>,
    pub env: Vec<(String, String)>,
    pub script: Option<String>,
    pub timeout: u64,
}

fn seconds(text: &str) -> u64 {
    let mut total = 0;
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            'h' | 'm' | 's' => {
                let n: u64 = digits.parse().unwrap();
                total += n * match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                digits.clear();
            }
            _ => panic!("not a duration: {text}"),
        }
    }
    total
}

/// The Pipeline's tasks by name, and the run's `timeouts.tasks`.
pub fn read_tasks(yaml: &str) -> (HashMap<String, ReadTask>, u64) {
    let docs = documents(yaml);
    assert_eq!(docs.len(), 2, "a Pipeline and a PipelineRun");
    assert_eq!(docs[0]["kind"], Value::from("Pipeline"));
    assert_eq!(docs[1]["kind"], Value::from("PipelineRun"));
    let mut out = HashMap::new();
    for (key, finally) in [("tasks", false), ("finally", true)] {
        let Some(tasks) = docs[0]["spec"].get(key).and_then(Value::as_sequence) else {
            continue;
        };
        for task in tasks {
            let name = text(&task["name"]);
            let list = |v: Option<&Value>| -> Vec<String> {
                v.and_then(Value::as_sequence)
                    .map(|s| s.iter().map(text).collect())
                    .unwrap_or_default()
            };
            let when = task
                .get("when")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .map(|w| {
                    assert_eq!(w["operator"], Value::from("in"));
                    (text(&w["input"]), list(w.get("values")))
                })
                .collect();
            let approval = task.get("taskRef").map(|r| {
                assert_eq!(r["apiVersion"], Value::from(APPROVAL_API));
                assert_eq!(r["kind"], Value::from(APPROVAL_KIND));
                let params = task["params"].as_sequence().unwrap();
                let approvers = params
                    .iter()
                    .find(|p| p["name"].as_str() == Some("approvers"))
                    .unwrap();
                list(approvers.get("value"))
            });
            let step = task.get("taskSpec").map(|spec| spec["steps"][0].clone());
            let env = step
                .as_ref()
                .and_then(|s| s.get("env"))
                .and_then(Value::as_sequence)
                .map(|e| {
                    e.iter()
                        .map(|v| (text(&v["name"]), text(&v["value"])))
                        .collect()
                })
                .unwrap_or_default();
            let read = ReadTask {
                run_after: list(task.get("runAfter")),
                finally,
                when,
                approval,
                env,
                script: step.as_ref().map(|s| text(&s["script"])),
                timeout: seconds(&text(&task["timeout"])),
            };
            assert!(out.insert(name.clone(), read).is_none(), "{name} twice");
        }
    }
    let tasks_timeout = seconds(&text(&docs[1]["spec"]["timeouts"]["tasks"]));
    (out, tasks_timeout)
}

pub fn ancestors(tasks: &HashMap<String, ReadTask>) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for name in tasks.keys() {
        let mut seen = HashSet::new();
        let mut todo = vec![name.clone()];
        while let Some(next) = todo.pop() {
            for after in &tasks[&next].run_after {
                assert!(
                    tasks.contains_key(after),
                    "{next} runs after unknown {after}"
                );
                assert!(!tasks[after].finally, "{next} runs after a finally task");
                if seen.insert(after.clone()) {
                    todo.push(after.clone());
                }
            }
        }
        assert!(!seen.contains(name), "{name} waits for itself");
        out.insert(name.clone(), seen);
    }
    out
}

pub fn env<'a>(task: &'a ReadTask, name: &str) -> Option<&'a str> {
    task.env
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
