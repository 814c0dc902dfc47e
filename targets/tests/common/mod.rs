//! What every target's tests start from: the plans of the examples and of
//! the build fixtures, as `sluice build` makes them.

#![allow(dead_code)] // each test file uses some of the helpers

pub mod gates;
pub mod hostile;
pub mod yaml;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use sluice_compiler::{compile, Options};
use sluice_targets::output::{OutputFile, Pipeline};
use sluice_targets::plan::{plan, Gate, GateCheck, Plan, Unit, UnitId, Work};

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

/// What a target's `emit` writes for the examples and for the build
/// fixtures, each file with its snapshot name (its folder and path).
pub fn emitted(emit: impl Fn(&[(Plan, String)]) -> Vec<OutputFile>) -> Vec<(String, OutputFile)> {
    let mut out = Vec::new();
    for folder in ["examples", "tests/fixtures/build"] {
        for file in emit(&plans(folder)) {
            let name = format!("{folder}/{}", file.path).replace(['/', '.'], "_");
            out.push((name, file));
        }
    }
    out
}

/// Whether `file` is the gate library, which must be the library byte for
/// byte (its snapshot is the library's source).
pub fn is_gate_library(file: &OutputFile) -> bool {
    let library = file.path.ends_with(sluice_targets::gates::FILE_NAME);
    if library {
        assert_eq!(file.contents, sluice_targets::gates::library());
    }
    library
}

/// How many approvals `gate` asks for.
pub fn approvals(gate: &Gate) -> usize {
    gate.checks
        .iter()
        .filter(|c| matches!(c, GateCheck::Approval { .. }))
        .count()
}

/// Order: for every two units but rollbacks, `a` comes before `b` in the
/// plan exactly when `emitted_before(a, b)` says the emitted file runs it
/// first.
pub fn check_order(plan: &Plan, emitted_before: impl Fn(&Unit, &Unit) -> bool) {
    let plan_up = plan_ancestors(plan);
    let units: Vec<&Unit> = plan
        .units()
        .filter(|u| !matches!(u.work, Work::Rollback(_)))
        .collect();
    for a in &units {
        for b in units.iter().filter(|b| b.id != a.id) {
            let planned = plan_up[&b.id].contains(&a.id);
            assert_eq!(planned, emitted_before(a, b), "{} before {}", a.id, b.id);
        }
    }
}

/// Plan ancestors of each unit (by `needs`).
pub fn plan_ancestors(plan: &Plan) -> HashMap<UnitId, HashSet<UnitId>> {
    let mut out: HashMap<UnitId, HashSet<UnitId>> = HashMap::new();
    for unit in plan.units() {
        let mut mine = HashSet::new();
        for need in &unit.needs {
            mine.insert(need.clone());
            mine.extend(out.get(need).cloned().unwrap_or_default());
        }
        out.insert(unit.id.clone(), mine);
    }
    out
}

pub fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}
