//! The methods generated after the `pipeline {}` block: one per gate
//! (approvals, window, blockers), one per region (its deploys, steps and
//! bakes) and one per rollback, each a few calls of the shared helpers
//! with Groovy-quoted arguments, so no method grows past the JVM's limit.

use std::fmt::Write;

use sluice_grammar::value::Duration;

use super::groovy::{comment, list, string};
use super::jenkinsfile::method_name;
use crate::gates::blockers_args;
use crate::gates::from_plan::{bake_gate, gate_alarms, window_gate};
use crate::plan::{AlarmCheck, Command, GateCheck, Plan, RegionPlan, Segment, Unit, Work};

/// Jenkins `submitter`: user ids or group names, comma-separated; the
/// leading `@` of a Sluice approver is dropped.
pub(super) fn submitters(approvers: &[String]) -> String {
    approvers
        .iter()
        .map(|a| a.strip_prefix('@').unwrap_or(a))
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) fn write_gate(out: &mut String, plan: &Plan, s: usize, gate: &Unit) {
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

pub(super) fn write_region(out: &mut String, plan: &Plan, s: usize, r: usize, region: &RegionPlan) {
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
pub(super) fn args(args: &[Command]) -> String {
    list(&args.iter().map(command).collect::<Vec<_>>())
}

/// The `--alarm NAME PROVIDER TEXT` arguments of `alarms`.
fn alarm_args(alarms: &[AlarmCheck]) -> String {
    let all = blockers_args(&gate_alarms(alarms));
    args(&all[1..])
}
