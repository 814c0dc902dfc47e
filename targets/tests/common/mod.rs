//! What every target's tests start from: the plans of the examples and of
//! the build fixtures, as `sluice build` makes them.

#![allow(dead_code)] // each test file uses some of the helpers

use std::path::{Path, PathBuf};

use sluice_compiler::{compile, Options};
use sluice_targets::output::Pipeline;
use sluice_targets::plan::{plan, AlarmCheck, Command, GateCheck, Plan, UnitId, Work};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The plans of the pipelines in `path` (relative to the repository), with
/// their source files relative to the repository, sorted by name.
pub fn plans(path: &str) -> Vec<(Plan, String)> {
    let compilation = compile(&Options {
        paths: vec![root().join(path)],
        policies: Vec::new(),
        today: jiff::civil::date(2026, 11, 27),
    })
    .expect("the files load");
    assert!(!compilation.has_errors(), "{path} has errors");
    let repository = root().canonicalize().expect("the repository");
    let mut out: Vec<(Plan, String)> = compilation
        .model
        .pipelines
        .iter()
        .filter(|p| !p.is_template)
        .map(|p| {
            let file = &compilation.sources.get(p.span.file).name;
            let source = Path::new(file)
                .strip_prefix(&repository)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| file.clone());
            (plan(p, &compilation.model).expect("a plan"), source)
        })
        .collect();
    out.sort_by(|a, b| a.0.pipeline.cmp(&b.0.pipeline));
    out
}

/// The examples and the build fixtures.
pub fn all_plans() -> Vec<(Plan, String)> {
    let mut all = plans("examples");
    all.extend(plans("tests/fixtures/build"));
    all
}

/// The plans as a target's `emit` takes them.
pub fn pipelines(plans: &[(Plan, String)]) -> Vec<Pipeline<'_>> {
    plans
        .iter()
        .map(|(plan, source)| Pipeline { plan, source })
        .collect()
}

/// The build fixture's plan with `text` in every name and id a target
/// writes (pipeline, stages, regions, units, approvals, approvers, alarms)
/// and `command` as every deploy, rollback and probe: the input of each
/// target's hostile-string property test. Tekton refuses approvers it
/// cannot quote (its approval task takes them as params), so approvers are
/// made hostile only `with_approvers`.
pub fn hostile_plan(text: &str, command: &Command, with_approvers: bool) -> Plan {
    let (mut plan, _) = plans("tests/fixtures/build").remove(0);
    plan.pipeline = format!("p{text}");
    let hostile_alarms = |alarms: &mut Vec<AlarmCheck>| {
        for alarm in alarms {
            alarm.alarm = text.to_string();
            alarm.probe.query = command.clone();
        }
    };
    for stage in &mut plan.stages {
        stage.id = rename(&stage.id, text);
        stage.after = stage.after.iter().map(|a| rename(a, text)).collect();
        stage.concurrency = format!("{text}{}", stage.concurrency);
        if let Some(region) = stage.regions.first_mut() {
            if region.region.is_some() {
                region.region = Some(format!("{text}r"));
            }
        }
        let units = stage.gate.iter_mut().chain(
            stage
                .regions
                .iter_mut()
                .flat_map(|r| r.units.iter_mut().chain(r.rollback.iter_mut())),
        );
        for unit in units {
            unit.id = rename(&unit.id, text);
            unit.needs = unit.needs.iter().map(|n| rename(n, text)).collect();
            match &mut unit.work {
                Work::Deploy(deploy) => {
                    deploy.command = command.clone();
                    hostile_alarms(&mut deploy.alarms);
                }
                Work::Bake(bake) => hostile_alarms(&mut bake.alarms),
                Work::Rollback(rollback) => {
                    rollback.command = command.clone();
                    rollback.on_failure_of = rollback
                        .on_failure_of
                        .iter()
                        .map(|n| rename(n, text))
                        .collect();
                }
                Work::Gate(gate) => {
                    for check in &mut gate.checks {
                        match check {
                            GateCheck::Approval {
                                name, approvers, ..
                            } => {
                                name.push_str(text);
                                if with_approvers {
                                    approvers.push(text.to_string());
                                }
                            }
                            GateCheck::Blockers { alarms } => hostile_alarms(alarms),
                            GateCheck::Window { .. } => {}
                        }
                    }
                }
                Work::Step(_) => {}
            }
        }
    }
    plan
}

pub fn rename(id: &UnitId, prefix: &str) -> UnitId {
    UnitId(format!("{prefix}{}", id.0))
}
