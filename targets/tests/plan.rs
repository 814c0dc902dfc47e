//! The execution plan: a snapshot of every example pipeline's plan, the
//! invariants every plan keeps, and focused tests of SPEC 4.2 and 4.4 on a
//! small pipeline written here.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sluice_compiler::{compile, Compilation, Options};
use sluice_targets::plan::{
    plan, GateCheck, Phase, Plan, PlanError, Segment, Slice, StagePlan, Unit, Work,
};

fn compile_paths(paths: Vec<PathBuf>) -> Compilation {
    let options = Options {
        paths,
        policies: Vec::new(),
        today: jiff::civil::date(2026, 11, 27),
    };
    let compilation = compile(&options).expect("the files load");
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| &d.message)
        .collect();
    assert!(errors.is_empty(), "errors: {errors:?}");
    compilation
}

fn examples() -> Compilation {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    compile_paths(vec![dir])
}

/// The plans of every pipeline (never a template) of a compilation.
fn plans(compilation: &Compilation) -> Vec<Plan> {
    let model = &compilation.model;
    model
        .pipelines
        .iter()
        .filter(|p| !p.is_template)
        .map(|p| plan(p, model).expect("a checked pipeline has a plan"))
        .collect()
}

#[test]
fn every_example_plan_is_snapshotted() {
    let compilation = examples();
    let plans = plans(&compilation);
    assert_eq!(plans.len(), 4);
    for plan in &plans {
        insta::assert_snapshot!(format!("plan-{}", plan.pipeline), plan.to_json());
    }
}

#[test]
fn planning_is_deterministic() {
    let first: Vec<String> = plans(&examples()).iter().map(Plan::to_json).collect();
    let second: Vec<String> = plans(&examples()).iter().map(Plan::to_json).collect();
    assert_eq!(first, second);
}

#[test]
fn templates_have_no_plan() {
    let compilation = examples();
    let template = compilation
        .model
        .pipelines
        .iter()
        .find(|p| p.is_template)
        .expect("the examples have a template");
    let error = plan(template, &compilation.model).unwrap_err();
    assert!(matches!(error, PlanError::Template { .. }), "{error}");
}

/// Ids are unique, every edge points at an earlier unit (so the plan is a
/// DAG in its own order), and nothing waits for a rollback.
#[test]
fn every_plan_is_a_dag_in_order() {
    let compilation = examples();
    let mut all = plans(&compilation);
    all.push(demo_plan());
    for plan in &all {
        let mut seen = HashSet::new();
        let rollbacks: HashSet<_> = plan
            .units()
            .filter(|u| matches!(u.work, Work::Rollback(_)))
            .map(|u| u.id.clone())
            .collect();
        for unit in plan.units() {
            for need in &unit.needs {
                assert!(seen.contains(need), "{} needs later {need}", unit.id);
                assert!(
                    !rollbacks.contains(need),
                    "{} waits for a rollback",
                    unit.id
                );
            }
            assert!(seen.insert(unit.id.clone()), "duplicate id {}", unit.id);
        }
    }
}

const DEMO: &str = r#"
fleet f {
  region r1 { cells [c1, c2, c3] }
  region r2
}
calendar hol { 2026-12-25 "Christmas" }
window hours {
  timezone "Europe/Paris"
  allow mon..fri 09:00-17:00
  deny 2026-08-01..2026-08-15 "summer"
  deny calendar hol
}
alarm errors { cloudwatch "errors-${region}-${phase}" }
alarm sev { prometheus "sev{pipeline=\"${pipeline}\"} > 0" }
alarm regional-sev { command "./sev.sh ${region}" }

pipeline demo {
  fleet f
  stage build {
    run compile "make V=${version} P=${pipeline} S=${stage} W=[${wave}] R=[${region}]"
    check unit "make test"
  }
  stage batches {
    regions [r1, r2]
    deploy "./d.sh ${region} batch=${batch} phase=${phase}"
    rollback "./rb.sh ${region}"
    rolling { batch 25% }
    alarms [errors]
    blockers [sev, regional-sev]
    timeout 1h
    check smoke { kind smoke run "./smoke ${region}" timeout 2h }
  }
  production {
    deploy "./d.sh ${region} ${cell} ${phase} ${wave} $${stage} $$HOME"
    rollback "./rb.sh ${region}"
    window hours
    blockers [sev, regional-sev]
    alarms [errors]
    one-box { bake 1h }
    rolling { by cell }
    approval release { approvers ["@org/rm"] timeout 24h }
    wave 1 { regions [r1] bake 12h { datapoints 100 cloudwatch "req-${region}" } }
    wave 2 { regions [r2] bake 2h }
  }
  emergency { bake-scale 25% approvers ["@org/sre"] override-blockers }
}
"#;

/// The demo's file, written once per test process and moved into place
/// whole, so that tests running in parallel never read half a file.
fn demo_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("plan-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let partial = dir.join(format!("demo.{}.partial", std::process::id()));
        std::fs::write(&partial, DEMO).expect("write demo");
        let file = dir.join("demo.sluice");
        std::fs::rename(&partial, &file).expect("move demo into place");
        file
    })
}

fn demo_plan() -> Plan {
    let compilation = compile_paths(vec![demo_file().to_path_buf()]);
    let demo = compilation.model.pipeline("demo").expect("demo");
    plan(demo, &compilation.model).expect("demo plans")
}

fn stage<'p>(plan: &'p Plan, id: &str) -> &'p StagePlan {
    plan.stages
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no stage {id}"))
}

fn ids(units: &[Unit]) -> Vec<&str> {
    units.iter().map(|u| u.id.as_str()).collect()
}

fn command_text(unit: &Unit) -> String {
    let command = match &unit.work {
        Work::Deploy(d) => &d.command,
        Work::Step(s) => &s.command,
        Work::Rollback(r) => &r.command,
        other => panic!("no command in {other:?}"),
    };
    command.resolve("<SHA>")
}

#[test]
fn the_demo_plan_is_snapshotted() {
    insta::assert_snapshot!("plan-demo", demo_plan().to_json());
}

#[test]
fn a_stage_without_regions_runs_once() {
    let plan = demo_plan();
    let build = stage(&plan, "build");
    assert_eq!(build.regions.len(), 1);
    assert_eq!(build.regions[0].region, None);
    assert_eq!(
        ids(&build.regions[0].units),
        ["build/run/compile", "build/check/unit"]
    );
    assert!(build.gate.is_none() && build.regions[0].rollback.is_none());
}

#[test]
fn rolling_by_cell_deploys_each_cell_and_a_cell_less_region_once() {
    let plan = demo_plan();
    let wave1 = &stage(&plan, "production.1").regions[0];
    assert_eq!(
        ids(&wave1.units),
        [
            "production.1/r1/one-box/deploy",
            "production.1/r1/one-box/bake",
            "production.1/r1/deploy/c1",
            "production.1/r1/deploy/c2",
            "production.1/r1/deploy/c3",
            "production.1/r1/bake",
        ],
        "one-box, its bake, each cell, then the bake (SPEC 4.2)"
    );
    assert_eq!(
        command_text(&wave1.units[3]),
        "./d.sh r1 c2 fleet 1 ${stage} $HOME"
    );
    assert_eq!(
        command_text(&wave1.units[0]),
        "./d.sh r1  one-box 1 ${stage} $HOME"
    );
    let wave2 = &stage(&plan, "production.2").regions[0];
    let deploys: Vec<_> = wave2
        .units
        .iter()
        .filter(|u| matches!(&u.work, Work::Deploy(d) if d.phase == Phase::Fleet))
        .collect();
    assert_eq!(deploys.len(), 1);
    assert_eq!(deploys[0].id.as_str(), "production.2/r2/deploy");
}

#[test]
fn rolling_in_batches_of_25_percent_is_four_units() {
    let plan = demo_plan();
    for region in &stage(&plan, "batches").regions {
        let batches: Vec<_> = region
            .units
            .iter()
            .filter_map(|u| match &u.work {
                Work::Deploy(d) => Some((d.slice.clone(), command_text(u))),
                _ => None,
            })
            .collect();
        assert_eq!(batches.len(), 4);
        let r = region.region.as_deref().unwrap();
        for (i, (slice, text)) in batches.iter().enumerate() {
            let index = i as u32 + 1;
            let expected = Slice::Batch {
                index,
                count: 4,
                percent: 25,
            };
            assert_eq!(slice.as_ref(), Some(&expected));
            assert_eq!(text, &format!("./d.sh {r} batch=25 phase=fleet"));
        }
        // the stage `timeout` bounds deploys and steps, never bakes
        assert!(region.units.iter().all(|u| u.timeout_seconds == Some(3600)));
    }
}

#[test]
fn gates_check_approvals_then_the_window_then_blockers() {
    let plan = demo_plan();
    let gate = stage(&plan, "production.1").gate.as_ref().expect("a gate");
    let Work::Gate(g) = &gate.work else {
        panic!("not a gate")
    };
    let order: Vec<&str> = g
        .checks
        .iter()
        .map(|c| match c {
            GateCheck::Approval { .. } => "approval",
            GateCheck::Window { .. } => "window",
            GateCheck::Blockers { .. } => "blockers",
        })
        .collect();
    assert_eq!(order, ["approval", "window", "blockers"]);
    let window = &plan.windows["hours"];
    assert_eq!(window.timezone, "Europe/Paris");
    assert_eq!(window.deny.len(), 2);
    assert_eq!(window.deny[0].reason.as_deref(), Some("summer"));
    assert_eq!(window.deny[1].calendar.as_deref(), Some("hol"));
}

#[test]
fn blockers_with_region_are_checked_for_every_region() {
    let plan = demo_plan();
    let gate = stage(&plan, "batches").gate.as_ref().expect("a gate");
    let Work::Gate(g) = &gate.work else {
        panic!("not a gate")
    };
    let Some(GateCheck::Blockers { alarms }) = g.checks.last() else {
        panic!("no blockers")
    };
    let probes: Vec<String> = alarms.iter().map(|a| a.probe.query.resolve("")).collect();
    assert_eq!(
        probes,
        ["sev{pipeline=\"demo\"} > 0", "./sev.sh r1", "./sev.sh r2"]
    );
}

#[test]
fn stages_and_waves_wait_for_what_comes_before() {
    let plan = demo_plan();
    let order: Vec<&str> = plan.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["build", "batches", "production.1", "production.2"]);
    let batches = stage(&plan, "batches");
    assert_eq!(
        batches.gate.as_ref().unwrap().needs[0].as_str(),
        "build/check/unit"
    );
    let wave2 = stage(&plan, "production.2");
    assert_eq!(wave2.after[0].as_str(), "production.1");
    assert_eq!(
        ids_of(&wave2.gate.as_ref().unwrap().needs),
        ["production.1/r1/bake"]
    );
    // the first wave fans in from both regions of `batches`
    let wave1 = stage(&plan, "production.1");
    assert_eq!(
        ids_of(&wave1.gate.as_ref().unwrap().needs),
        ["batches/r1/check/smoke", "batches/r2/check/smoke"]
    );
    assert_eq!(wave1.concurrency, "demo/production.1");
    // regions of a stage are parallel: each starts from the gate
    for region in &batches.regions {
        assert_eq!(ids_of(&region.units[0].needs), ["batches/gate"]);
    }
}

fn ids_of(ids: &[sluice_targets::plan::UnitId]) -> Vec<&str> {
    ids.iter().map(|i| i.as_str()).collect()
}

#[test]
fn every_region_with_a_rollback_command_has_a_rollback_unit() {
    let plan = demo_plan();
    for id in ["batches", "production.1", "production.2"] {
        for region in &stage(&plan, id).regions {
            let rollback = region.rollback.as_ref().expect("a rollback");
            let Work::Rollback(r) = &rollback.work else {
                panic!("not a rollback")
            };
            assert_eq!(
                r.on_failure_of,
                region
                    .units
                    .iter()
                    .map(|u| u.id.clone())
                    .collect::<Vec<_>>()
            );
            assert_eq!(
                command_text(rollback),
                format!("./rb.sh {}", r.region.as_deref().unwrap())
            );
        }
    }
}

#[test]
fn the_emergency_mode_is_carried_with_scaled_bakes() {
    let plan = demo_plan();
    let emergency = plan.emergency.as_ref().expect("an emergency mode");
    assert_eq!(emergency.bake_scale_percent, 25);
    assert_eq!(emergency.approvers, ["@org/sre"]);
    assert!(emergency.reason_required && emergency.override_blockers);
    let Some(Work::Bake(bake)) = plan.unit("production.1/r1/bake").map(|u| &u.work) else {
        panic!("no bake")
    };
    assert_eq!(
        (bake.seconds, bake.emergency_seconds),
        (12 * 3600, Some(3 * 3600))
    );
    let datapoints = bake.datapoints.as_ref().expect("datapoints");
    assert_eq!(
        (datapoints.count, datapoints.probe.query.resolve("")),
        (100, "req-r1".into())
    );
    let alarm = &bake.alarms[0];
    assert_eq!(alarm.probe.query.resolve(""), "errors-r1-fleet");
    let Some(Work::Bake(one_box)) = plan.unit("production.1/r1/one-box/bake").map(|u| &u.work)
    else {
        panic!("no one-box bake")
    };
    assert_eq!(
        one_box.alarms[0].probe.query.resolve(""),
        "errors-r1-one-box"
    );
}

#[test]
fn variables_are_substituted_and_the_version_is_left_to_run_time() {
    let plan = demo_plan();
    let compile = plan.unit("build/run/compile").expect("compile");
    let Work::Step(step) = &compile.work else {
        panic!("not a step")
    };
    assert_eq!(
        step.command.segments,
        [
            Segment::Literal("make V=".into()),
            Segment::Version,
            Segment::Literal(" P=demo S=build W=[] R=[]".into()),
        ]
    );
}
