//! Reading a workflow back: its jobs (`needs`, `if`, `environment`, the
//! steps that run something).

use std::collections::{HashMap, HashSet};

use serde_yaml_ng::Value;
use sluice_targets::plan::Unit;

use crate::common::yaml::text;

/// A job as read back from the YAML.
#[derive(Debug)]
pub struct ReadJob {
    pub needs: Vec<String>,
    pub condition: Option<String>,
    pub environment: Option<String>,
    pub steps: Vec<(String, String)>,
}

pub fn read_jobs(yaml: &str) -> HashMap<String, ReadJob> {
    let doc: Value = serde_yaml_ng::from_str(yaml).expect("the workflow parses");
    let jobs = doc.get("jobs").and_then(Value::as_mapping).expect("jobs");
    jobs.iter()
        .map(|(id, job)| {
            let needs = job
                .get("needs")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().map(text).collect())
                .unwrap_or_default();
            let steps = job
                .get("steps")
                .and_then(Value::as_sequence)
                .expect("steps")
                .iter()
                .filter_map(|s| Some((text(s.get("name")?), text(s.get("run")?))))
                .collect();
            (
                text(id),
                ReadJob {
                    needs,
                    condition: job.get("if").map(text),
                    environment: job.get("environment").map(text),
                    steps,
                },
            )
        })
        .collect()
}

/// What each job can reach by following `needs` backwards (its ancestors).
pub fn ancestors(jobs: &HashMap<String, ReadJob>) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for id in jobs.keys() {
        let mut seen = HashSet::new();
        let mut todo = vec![id.clone()];
        while let Some(next) = todo.pop() {
            for need in &jobs[&next].needs {
                assert!(jobs.contains_key(need), "{next} needs unknown {need}");
                if seen.insert(need.clone()) {
                    todo.push(need.clone());
                }
            }
        }
        assert!(!seen.contains(id), "{id} waits for itself");
        out.insert(id.clone(), seen);
    }
    out
}

pub fn step_index(job: &ReadJob, unit: &Unit) -> usize {
    let name = unit.id.as_str().replace('/', " / ");
    job.steps
        .iter()
        .position(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no step {name} in {:?}", job.steps))
}
