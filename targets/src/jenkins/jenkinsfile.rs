//! One Jenkinsfile: the header, the declarative `pipeline {}` block (only
//! structure: levels, locks, parallel groups, `post { failure }`), then the
//! generated methods (`methods.rs`), then the shared helpers.

use std::fmt::Write;

use super::groovy::{comment, list, string};
use super::levels::{levels, Level};
use super::methods::{args, submitters, write_gate, write_region};
use super::HELPERS;
use crate::gates::from_plan::start_gate;
use crate::output::GENERATED_MARK;
use crate::plan::{Plan, StagePlan, UnitId};

/// The default of the `agent_label` parameter: the agents that run
/// commands and gate checks.
pub const AGENT_DEFAULT: &str = "linux";

/// The generated method of stage `stage` (1-based, plan order): its gate
/// (`region` `None`) or the work of its region `region` (1-based).
pub fn method_name(stage: usize, region: Option<usize>) -> String {
    match region {
        None => format!("s{stage}Gate"),
        Some(r) => format!("s{stage}r{r}"),
    }
}

/// The Jenkinsfile of `plan`, generated from `source`.
pub fn jenkinsfile(plan: &Plan, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {GENERATED_MARK} from {}: do not edit; run `sluice build --target jenkins`.",
        comment(source)
    );
    let _ = writeln!(
        out,
        "// Pipeline `{}`: a declarative pipeline. Needs the plugins Pipeline,",
        comment(&plan.pipeline)
    );
    out.push_str(
        "// Pipeline: Declarative, Pipeline: Input Step, Lockable Resources and a\n\
         // Git SCM, and jenkins/sluice-gates.sh in the repository (generated too).\n\n",
    );
    out.push_str("pipeline {\n  agent none\n  parameters {\n");
    let _ = writeln!(
        out,
        "    string(name: 'agent_label', defaultValue: '{AGENT_DEFAULT}', description: 'Label of the agents that run commands and gate checks')"
    );
    if let Some(e) = &plan.emergency {
        out.push_str(
            "    string(name: 'reason', defaultValue: '', description: 'Why this run is started by hand (an emergency run needs one)')\n",
        );
        let _ = writeln!(
            out,
            "    booleanParam(name: 'emergency', defaultValue: false, description: {})",
            string(&format!(
                "Emergency run: needs the approval of {}; bakes at {}%{}",
                e.approvers.join(", "),
                e.bake_scale_percent,
                if e.override_blockers {
                    "; blockers overridden"
                } else {
                    ""
                }
            ))
        );
    }
    out.push_str("  }\n  options {\n    skipDefaultCheckout()\n  }\n  stages {\n");
    let branch = plan
        .source
        .as_ref()
        .and_then(|s| s.branch.clone())
        .unwrap_or_default();
    let (approvers, message) = match &plan.emergency {
        Some(e) => (
            submitters(&e.approvers),
            format!("Emergency run of {}: approve?", plan.pipeline),
        ),
        None => (String::new(), String::new()),
    };
    let _ = writeln!(
        out,
        "    stage('sluice: start') {{\n      steps {{\n        script {{\n          sluiceStart({}, {}, {}, {})\n        }}\n      }}\n    }}",
        string(&branch),
        args(&start_gate(plan).args()),
        string(&approvers),
        string(&message)
    );
    let index_of = |id: &UnitId| {
        plan.stages
            .iter()
            .position(|s| &s.id == id)
            .expect("a stage of the plan")
            + 1
    };
    for level in levels(plan) {
        write_level(&mut out, &level, &index_of);
    }
    out.push_str("  }\n}\n");
    for (s, stage) in plan.stages.iter().enumerate() {
        let s = s + 1;
        if let Some(gate) = &stage.gate {
            write_gate(&mut out, plan, s, gate);
        }
        for (r, region) in stage.regions.iter().enumerate() {
            write_region(&mut out, plan, s, r + 1, region);
        }
    }
    out.push('\n');
    out.push_str(HELPERS);
    out
}

fn has_work(stage: &StagePlan) -> bool {
    stage.gate.is_some() || stage.regions.iter().any(|r| !r.units.is_empty())
}

fn write_level(out: &mut String, level: &Level<'_>, index_of: &dyn Fn(&UnitId) -> usize) {
    let stages: Vec<&StagePlan> = level
        .stages
        .iter()
        .copied()
        .filter(|s| has_work(s))
        .collect();
    if stages.is_empty() {
        return;
    }
    let name: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    let name = name.join(" + ");
    for (stage, missing) in &level.lost {
        let missing: Vec<&str> = missing.iter().map(|m| m.as_str()).collect();
        let _ = writeln!(
            out,
            "    // Flattened: `{}` also waits for {} here, which its `after` does not\n    // require (Jenkins has no general DAG; see docs/targets/jenkins.md).",
            comment(stage.as_str()),
            comment(&missing.join(", "))
        );
    }
    if stages.len() > 1 && stages.iter().any(|s| s.gate.is_some()) {
        out.push_str("    // Flattened: the regions of this level start once every gate of the level\n    // has passed (Jenkins forbids nested `parallel`).\n");
    }
    let _ = writeln!(out, "    stage({}) {{", string(&name));
    let _ = writeln!(
        out,
        "      options {{\n        {}\n      }}\n      stages {{",
        lock(&stages)
    );
    write_gates(out, &stages, &name, index_of);
    write_branches(out, &stages, &name, index_of);
    out.push_str("      }\n    }\n");
}

/// The `lock` of a level: every concurrency key of its stages, held
/// together.
fn lock(stages: &[&StagePlan]) -> String {
    let mut keys: Vec<&str> = stages.iter().map(|s| s.concurrency.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let extra: Vec<String> = keys[1..]
        .iter()
        .map(|k| format!("[resource: {}]", string(k)))
        .collect();
    if extra.is_empty() {
        format!("lock(resource: {})", string(keys[0]))
    } else {
        format!(
            "lock(resource: {}, extra: {})",
            string(keys[0]),
            list(&extra)
        )
    }
}

/// The gate stages of a level: one, or several in `parallel`.
fn write_gates(
    out: &mut String,
    stages: &[&StagePlan],
    name: &str,
    index_of: &dyn Fn(&UnitId) -> usize,
) {
    let gates: Vec<&&StagePlan> = stages.iter().filter(|s| s.gate.is_some()).collect();
    let gate_stage = |out: &mut String, stage: &StagePlan, indent: &str| {
        let _ = writeln!(
            out,
            "{indent}stage({}) {{\n{indent}  steps {{ script {{ {}() }} }}\n{indent}}}",
            string(&format!("{}: gate", stage.id)),
            method_name(index_of(&stage.id), None)
        );
    };
    match gates.as_slice() {
        [] => {}
        [one] => gate_stage(out, one, "        "),
        many => {
            let _ = writeln!(
                out,
                "        stage({}) {{\n          parallel {{",
                string(&format!("{name}: gates"))
            );
            for stage in many {
                gate_stage(out, stage, "            ");
            }
            out.push_str("          }\n        }\n");
        }
    }
}

/// A region's branch: its label, its method, whether it has a rollback.
struct Branch {
    label: String,
    method: String,
    rollback: bool,
}

/// Every region of every stage of a level: one stage, or all in one
/// `parallel`.
fn write_branches(
    out: &mut String,
    stages: &[&StagePlan],
    name: &str,
    index_of: &dyn Fn(&UnitId) -> usize,
) {
    let mut branches: Vec<Branch> = Vec::new();
    for stage in stages {
        let s = index_of(&stage.id);
        for (r, region) in stage.regions.iter().enumerate() {
            if region.units.is_empty() {
                continue;
            }
            branches.push(Branch {
                label: format!(
                    "{} / {}",
                    stage.id,
                    region.region.as_deref().unwrap_or("run")
                ),
                method: method_name(s, Some(r + 1)),
                rollback: region.rollback.is_some(),
            });
        }
    }
    match branches.as_slice() {
        [] => {}
        [one] => write_branch(out, one, "        "),
        many => {
            let _ = writeln!(
                out,
                "        stage({}) {{\n          parallel {{",
                string(&format!("{name}: regions"))
            );
            for branch in many {
                write_branch(out, branch, "            ");
            }
            out.push_str("          }\n        }\n");
        }
    }
}

fn write_branch(out: &mut String, branch: &Branch, indent: &str) {
    let method = &branch.method;
    let _ = writeln!(
        out,
        "{indent}stage({}) {{\n{indent}  steps {{ script {{ {method}() }} }}",
        string(&branch.label)
    );
    if branch.rollback {
        let _ = writeln!(
            out,
            "{indent}  post {{ failure {{ script {{ {method}Rollback() }} }} }}"
        );
    }
    let _ = writeln!(out, "{indent}}}");
}
