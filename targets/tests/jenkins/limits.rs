//! A big organisation's Jenkinsfile stays within the JVM's limits, and
//! the waits the flattening adds are commented.

use sluice_targets::jenkins::{self, levels::levels};
use sluice_targets::plan::{Command, UnitId, Work};

use crate::common::plans;
use crate::harness::{case, ev, run_cases};

/// 40 regions in one wave, each with 30 checks: the Jenkinsfile compiles
/// under groovy (parsing compiles every method to bytecode, and the JVM
/// refuses a method over 64 KB), its `pipeline {}` block grows by a few
/// lines per region only, and no generated method is long.
#[test]
fn forty_regions_with_many_checks_stay_small_per_method() {
    let (mut plan, source) = plans("tests/fixtures/build").remove(0);
    let wave = plan
        .stages
        .iter_mut()
        .find(|s| s.wave.is_some())
        .expect("a wave");
    let template = wave.regions[0].clone();
    let mut regions = Vec::new();
    for r in 0..40 {
        let name = format!("region-{r:02}");
        let mut region = template.clone();
        region.region = Some(name.clone());
        let prefix = |id: &UnitId| UnitId(id.0.replace("us-east-1", &name));
        let mut units = Vec::new();
        for unit in &region.units {
            let mut unit = unit.clone();
            unit.id = prefix(&unit.id);
            unit.needs = unit.needs.iter().map(prefix).collect();
            units.push(unit);
        }
        // 30 checks before the bake
        let bake = units.pop().unwrap();
        for c in 0..30 {
            let mut step = units[0].clone();
            step.id = UnitId(format!("{}/check/c{c}", wave.id));
            step.timeout_seconds = Some(600);
            if let Work::Deploy(d) = &step.work {
                step.work = Work::Step(sluice_targets::plan::Step {
                    region: Some(name.clone()),
                    name: format!("c{c}"),
                    check: None,
                    command: Command::literal(&format!("./check.sh {name} {c}")),
                    alarms: d.alarms.clone(),
                });
            }
            units.push(step);
        }
        units.push(bake);
        region.units = units;
        regions.push(region);
    }
    wave.regions = regions;
    let file = jenkins::jenkinsfile(&plan, &source);
    // every method (and the pipeline block) is short
    let mut longest = 0;
    let mut current = 0;
    for line in file.lines() {
        if line.starts_with("def ") || line.starts_with("pipeline {") {
            current = 0;
        }
        current += 1;
        if line == "}" {
            longest = longest.max(current);
        }
    }
    assert!(longest < 60 + 4 * 40, "a method of {longest} lines");
    // one parallel group of 40 branches, each calling its region's method
    assert_eq!(
        file.matches("            stage('production.1 / region-")
            .count(),
        40
    );
    assert!(file.matches("\n  sluiceRun(").count() >= 40 * (4 + 30));
    let traces = run_cases("big", &[case(&plan, &source, &[("parse.only", "true")])]);
    assert_eq!(traces[0], vec![ev("parsed", vec![])]);
}

/// A stage that the flattening makes wait for more than its `after` says
/// gets a comment at its level; the run still keeps the order.
#[test]
fn lost_overlap_is_commented() {
    let (mut plan, source) = plans("examples")
        .into_iter()
        .find(|(p, _)| p.pipeline == "catalog-search")
        .unwrap();
    // production.1 waits only for gamma: contract-tests is then a wait that
    // Jenkins adds
    let wave = plan
        .stages
        .iter_mut()
        .find(|s| s.id.as_str() == "production.1")
        .unwrap();
    wave.after.retain(|a| a.as_str() == "gamma");
    let file = jenkins::jenkinsfile(&plan, &source);
    assert!(
        file.contains("    // Flattened: `production.1` also waits for contract-tests here"),
        "{file}"
    );
    let level = levels(&plan);
    assert!(level.iter().any(|l| !l.lost.is_empty()));
}
