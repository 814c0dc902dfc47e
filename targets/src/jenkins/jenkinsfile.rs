//! One Jenkinsfile: the header, the declarative `pipeline {}` block (only
//! structure: levels, locks, parallel groups, `post { failure }`), then a
//! generated method per gate, region and rollback, then the shared helpers.

use std::fmt::Write;

use sluice_grammar::value::Duration;

use super::groovy::{comment, list, string};
use super::levels::{levels, Level};
use super::HELPERS;
use crate::gates::blockers_args;
use crate::gates::from_plan::{bake_gate, gate_alarms, start_gate, window_gate};
use crate::output::GENERATED_MARK;
use crate::plan::{AlarmCheck, Command, GateCheck, Plan, RegionPlan, Segment, Unit, Work};

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
    let index_of = |id: &crate::plan::UnitId| {
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

fn has_work(stage: &crate::plan::StagePlan) -> bool {
    stage.gate.is_some() || stage.regions.iter().any(|r| !r.units.is_empty())
}

fn write_level(
    out: &mut String,
    level: &Level<'_>,
    index_of: &dyn Fn(&crate::plan::UnitId) -> usize,
) {
    let stages: Vec<_> = level.stages.iter().filter(|s| has_work(s)).collect();
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
    let mut keys: Vec<&str> = stages.iter().map(|s| s.concurrency.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let extra: Vec<String> = keys[1..]
        .iter()
        .map(|k| format!("[resource: {}]", string(k)))
        .collect();
    let lock = if extra.is_empty() {
        format!("lock(resource: {})", string(keys[0]))
    } else {
        format!(
            "lock(resource: {}, extra: {})",
            string(keys[0]),
            list(&extra)
        )
    };
    let _ = writeln!(
        out,
        "      options {{\n        {lock}\n      }}\n      stages {{"
    );
    let gates: Vec<_> = stages.iter().filter(|s| s.gate.is_some()).collect();
    let gate_stage = |out: &mut String, stage: &crate::plan::StagePlan, indent: &str| {
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
    let mut branches: Vec<(String, String, bool)> = Vec::new();
    for stage in &stages {
        let s = index_of(&stage.id);
        for (r, region) in stage.regions.iter().enumerate() {
            if region.units.is_empty() {
                continue;
            }
            let label = format!(
                "{} / {}",
                stage.id,
                region.region.as_deref().unwrap_or("run")
            );
            branches.push((
                label,
                method_name(s, Some(r + 1)),
                region.rollback.is_some(),
            ));
        }
    }
    let branch =
        |out: &mut String, (label, method, rollback): &(String, String, bool), indent: &str| {
            let _ = writeln!(
                out,
                "{indent}stage({}) {{\n{indent}  steps {{ script {{ {method}() }} }}",
                string(label)
            );
            if *rollback {
                let _ = writeln!(
                    out,
                    "{indent}  post {{ failure {{ script {{ {method}Rollback() }} }} }}"
                );
            }
            let _ = writeln!(out, "{indent}}}");
        };
    match branches.as_slice() {
        [] => {}
        [one] => branch(out, one, "        "),
        many => {
            let _ = writeln!(
                out,
                "        stage({}) {{\n          parallel {{",
                string(&format!("{name}: regions"))
            );
            for b in many {
                branch(out, b, "            ");
            }
            out.push_str("          }\n        }\n");
        }
    }
    out.push_str("      }\n    }\n");
}

/// Jenkins `submitter`: user ids or group names, comma-separated; the
/// leading `@` of a Sluice approver is dropped.
fn submitters(approvers: &[String]) -> String {
    approvers
        .iter()
        .map(|a| a.strip_prefix('@').unwrap_or(a))
        .collect::<Vec<_>>()
        .join(",")
}

fn write_gate(out: &mut String, plan: &Plan, s: usize, gate: &Unit) {
    let Work::Gate(g) = &gate.work else {
        return;
    };
    let _ = writeln!(
        out,
        "\n// {}\ndef {}() {{",
        comment(gate.id.as_str()),
        method_name(s, None)
    );
    let override_blockers = plan.emergency.as_ref().is_some_and(|e| e.override_blockers);
    for check in &g.checks {
        match check {
            GateCheck::Approval {
                name,
                approvers,
                timeout_seconds,
            } => {
                let _ = writeln!(
                    out,
                    "  sluiceApproval({}, {}, {})",
                    string(&format!(
                        "{}: approval {name} ({})",
                        gate.id.as_str().trim_end_matches("/gate"),
                        approvers.join(", ")
                    )),
                    string(&submitters(approvers)),
                    timeout_seconds.unwrap_or(0)
                );
            }
            GateCheck::Window { window } => {
                if let Some(spec) = plan.windows.get(window) {
                    let gate = window_gate(window, spec, Duration::from_secs(60));
                    let _ = writeln!(
                        out,
                        "  sluiceWindow({}, {})",
                        string(window),
                        args(&gate.args())
                    );
                }
            }
            GateCheck::Blockers { alarms } => {
                let _ = writeln!(
                    out,
                    "  sluiceBlockers({}, {override_blockers})",
                    args(&blockers_args(&gate_alarms(alarms)))
                );
            }
        }
    }
    out.push_str("}\n");
}

fn write_region(out: &mut String, plan: &Plan, s: usize, r: usize, region: &RegionPlan) {
    if region.units.is_empty() {
        return;
    }
    let method = method_name(s, Some(r));
    let _ = writeln!(
        out,
        "\n// {} / {}\ndef {method}() {{",
        comment(plan.stages[s - 1].id.as_str()),
        comment(region.region.as_deref().unwrap_or("run"))
    );
    for unit in &region.units {
        write_unit(out, plan, unit);
    }
    out.push_str("}\n");
    if let Some(rollback) = &region.rollback {
        if let Work::Rollback(rb) = &rollback.work {
            let _ = writeln!(
                out,
                "\ndef {method}Rollback() {{\n  sluiceRun({}, {}, [], {})\n}}",
                string(rollback.id.as_str()),
                command(&rb.command),
                rollback.timeout_seconds.unwrap_or(0)
            );
        }
    }
}

fn write_unit(out: &mut String, plan: &Plan, unit: &Unit) {
    let seconds = unit.timeout_seconds.unwrap_or(0);
    match &unit.work {
        Work::Deploy(d) => {
            let _ = writeln!(
                out,
                "  sluiceRun({}, {}, {}, {seconds})",
                string(unit.id.as_str()),
                command(&d.command),
                alarm_args(&d.alarms)
            );
        }
        Work::Step(st) => {
            let _ = writeln!(
                out,
                "  sluiceRun({}, {}, {}, {seconds})",
                string(unit.id.as_str()),
                command(&st.command),
                alarm_args(&st.alarms)
            );
        }
        Work::Bake(bake) => {
            let gate = |secs: u64| bake_gate(bake, secs).args();
            let emergency = match bake.emergency_seconds {
                Some(e) if plan.emergency.is_some() => args(&gate(e)),
                _ => "null".to_string(),
            };
            let _ = writeln!(
                out,
                "  sluiceBake({}, {}, {emergency}, {})",
                string(unit.id.as_str()),
                args(&gate(bake.seconds)),
                bake.poll_seconds
            );
        }
        Work::Gate(_) | Work::Rollback(_) => {}
    }
}

/// A Groovy expression for a command: its literal text as single-quoted
/// strings, the version as `env.SLUICE_VERSION`.
fn command(command: &Command) -> String {
    let mut pieces: Vec<String> = Vec::new();
    for segment in &command.segments {
        match segment {
            Segment::Literal(text) => pieces.push(string(text)),
            Segment::Version => pieces.push("env.SLUICE_VERSION".to_string()),
        }
    }
    match pieces.first().map(String::as_str) {
        None => "''".to_string(),
        Some("env.SLUICE_VERSION") => format!("'' + {}", pieces.join(" + ")),
        Some(_) => pieces.join(" + "),
    }
}

/// Gate arguments as a Groovy list of [`command`] expressions.
fn args(args: &[Command]) -> String {
    list(&args.iter().map(command).collect::<Vec<_>>())
}

/// The `--alarm NAME PROVIDER TEXT` arguments of `alarms`.
fn alarm_args(alarms: &[AlarmCheck]) -> String {
    let all = blockers_args(&gate_alarms(alarms));
    args(&all[1..])
}
