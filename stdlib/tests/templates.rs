//! std/templates: the shape of `regional-service` over the real fleet, the
//! safety rules it passes, and its waves as `sluice explain` shows them.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{compile_paths, compile_text, diagnostics, fleet, import, region_names, template};
use sluice_compiler::explain::explain;
use sluice_compiler::model::{RegionSpec, RollingMode, Stage, Traffic};
use sluice_compiler::policy::rules::RULES;

fn bake_hours(wave: &Stage) -> u64 {
    wave.bake
        .as_ref()
        .unwrap()
        .duration
        .as_ref()
        .unwrap()
        .value
        .seconds
        / 3600
}

fn names(list: &[sluice_grammar::Ident]) -> Vec<&str> {
    list.iter().map(|i| i.text.as_str()).collect()
}

#[test]
fn regional_service_rolls_out_in_growing_waves_over_every_region() {
    let compilation = import("templates");
    let service = template(&compilation, "regional-service");
    let fleet = fleet(&compilation, "aws-commercial");
    let waves = &service.production.as_ref().unwrap().waves;

    let sizes: Vec<usize> = waves.iter().map(|w| w.regions.regions().len()).collect();
    assert_eq!(sizes, [1, 1, 3, 6, 11, 12]);
    assert!(matches!(
        waves.last().unwrap().regions,
        RegionSpec::Rest { .. }
    ));
    let bakes: Vec<u64> = waves.iter().map(bake_hours).collect();
    assert_eq!(bakes, [12, 4, 2, 2, 2, 2]);

    let mut seen = BTreeSet::new();
    for wave in waves {
        for region in wave.regions.regions() {
            assert!(
                seen.insert(region.text.as_str()),
                "{} in two waves",
                region.text
            );
        }
    }
    assert_eq!(seen, region_names(fleet).into_iter().collect());

    let first = &waves[0];
    let first_region = fleet.region(&first.regions.regions()[0].text).unwrap();
    assert_eq!(first_region.traffic, Traffic::Low);
    assert_eq!(
        first
            .bake
            .as_ref()
            .unwrap()
            .datapoints
            .as_ref()
            .unwrap()
            .count
            .value,
        100
    );

    let gamma = service
        .stages
        .iter()
        .find(|s| s.name.text == "gamma")
        .unwrap();
    assert!(gamma.one_box.is_some());
    for wave in waves {
        let one_box = wave.one_box.as_ref().unwrap().bake.as_ref().unwrap();
        assert_eq!(one_box.duration.as_ref().unwrap().value.seconds, 3600);
        let rolling = wave.rolling.as_ref().unwrap().mode.as_ref().unwrap().value;
        assert_eq!(rolling, RollingMode::ByCell);
        assert_eq!(
            wave.window.as_ref().unwrap().text,
            "business-hours-us-pacific"
        );
        assert!(!wave.blockers.is_empty());
        assert_eq!(
            names(&wave.alarms),
            names(&gamma.alarms),
            "gamma watches the production alarms"
        );
    }
}

/// A service that extends the template and changes nothing passes every
/// built-in rule at its defaults. `max-lead-time` is left out: it simulates
/// the calendar, so its answer depends on the holidays of the week tried.
#[test]
fn regional_service_passes_every_rule() {
    let rules: String = RULES
        .iter()
        .filter(|r| r.name != "max-lead-time")
        .map(|r| format!("  rule {}\n", r.name))
        .collect();
    let text = format!(
        "import \"std/templates\"\n\npolicy every-rule {{\n{rules}}}\n\n\
         pipeline plain-service extends regional-service {{\n  owner \"team\"\n}}\n"
    );
    let compilation = compile_text("every-rule", &text);
    assert_eq!(
        compilation
            .model
            .pipelines
            .iter()
            .filter(|p| !p.is_template)
            .count(),
        1
    );
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        diagnostics(&compilation)
    );
}

/// `sluice explain regional-api examples/` shows the inherited waves with
/// `regions rest` expanded over the real region list.
#[test]
fn explain_expands_the_inherited_waves_of_the_example() {
    let examples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"));
    let compilation = compile_paths(vec![examples]);
    let pipeline = compilation
        .model
        .pipeline("regional-api")
        .expect("regional-api");
    assert_eq!(pipeline.chain[0].text, "regional-service");
    let text = explain(pipeline, &compilation).to_text();

    let rest = text
        .lines()
        .find(|l| l.trim_start().starts_with("regions rest"))
        .expect("a `regions rest` line");
    let listed = rest.matches("\",\"").count() + 1;
    assert_eq!(listed, 12, "{rest}");
    assert!(rest.contains("std/templates.sluice"), "{rest}");
    for region in region_names(fleet(&compilation, "aws-commercial")) {
        assert!(
            text.contains(&format!("\"{region}\"")),
            "{region} is not in any wave"
        );
    }
    for wave in 1..=6 {
        assert!(text.contains(&format!("    wave {wave}")), "wave {wave}");
    }
}
