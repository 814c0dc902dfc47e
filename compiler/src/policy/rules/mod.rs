//! The built-in rules of SPEC 6.2, one file each, listed once here.

mod all_regions_covered;
mod bake_taper;
mod blockers_required;
mod business_hours;
mod emergency_approval;
mod first_wave_datapoints;
mod first_wave_low_traffic;
mod first_wave_single_region;
mod gamma_one_box;
mod max_batch;
mod max_lead_time;
mod max_wave_size;
mod min_bake;
mod one_box_required;
mod preprod_checks;
mod review_required;
mod rollback_alarms;
mod rolling_by_cell;
pub(crate) mod waiver_expiry;
mod wave_growth;
mod window_required;

use super::rule::{Finding, RuleContext, RuleDef};
use crate::model::{Fleet, Model, Pipeline, Stage};

/// Every built-in rule; adding a rule is one file and one line here.
pub const RULES: &[RuleDef] = &[
    review_required::RULE,
    preprod_checks::RULE,
    gamma_one_box::RULE,
    first_wave_single_region::RULE,
    first_wave_low_traffic::RULE,
    wave_growth::RULE,
    max_wave_size::RULE,
    all_regions_covered::RULE,
    one_box_required::RULE,
    rolling_by_cell::RULE,
    max_batch::RULE,
    min_bake::RULE,
    bake_taper::RULE,
    first_wave_datapoints::RULE,
    rollback_alarms::RULE,
    blockers_required::RULE,
    window_required::RULE,
    business_hours::RULE,
    max_lead_time::RULE,
    emergency_approval::RULE,
    waiver_expiry::RULE,
];

/// The production waves, in order.
fn waves(pipeline: &Pipeline) -> &[Stage] {
    pipeline.production.as_ref().map_or(&[], |p| &p.waves)
}

/// SPEC 6.4 P3: a pipeline that has a `fleet` and a `deploy` in some stage
/// but no `production` fails every rule about production waves, once, at
/// its header: "no waves" is never vacuously true. `what` says what the
/// rule misses.
fn missing_production(cx: &RuleContext<'_>, what: &str) -> Option<Finding> {
    let p = cx.pipeline;
    if p.production.is_some() {
        return None;
    }
    let fleet = p.fleet.as_ref()?;
    let stage = p.stages.iter().find(|s| s.deploy.is_some())?;
    Some(
        Finding::new(
            p.name.span,
            format!(
                "pipeline `{}` deploys to fleet `{}` (stage `{}`) without `production`, so {what}",
                p.name.text, fleet.text, stage.name.text
            ),
        )
        .label("no `production`")
        .help("deploy to the fleet through `production { ... wave 1 { regions [...] } ... }`; pre-production stages are not waves"),
    )
}

/// The stages production waits for, directly or through `after`: the names
/// of every stage before the first wave in the stage graph. `None` without
/// waves.
fn before_production(pipeline: &Pipeline) -> Option<std::collections::HashSet<String>> {
    use petgraph::visit::{Reversed, Walker};

    let graph = crate::graph::StageGraph::build(pipeline, &mut Vec::new()).graph;
    let first_wave = graph
        .node_indices()
        .find(|n| graph[*n].kind == crate::model::StageKind::Wave)?;
    Some(
        petgraph::visit::Bfs::new(Reversed(&graph), first_wave)
            .iter(Reversed(&graph))
            .filter(|n| graph[*n].kind == crate::model::StageKind::Stage)
            .map(|n| graph[n].name.clone())
            .collect(),
    )
}

fn fleet<'a>(pipeline: &Pipeline, model: &'a Model) -> Option<&'a Fleet> {
    model.fleets.get(&pipeline.fleet.as_ref()?.text)
}

/// Where a wave's regions are written, else its name.
fn regions_span(wave: &Stage) -> sluice_grammar::Span {
    match &wave.regions {
        crate::model::RegionSpec::List(list) if !list.is_empty() => {
            list[0].span.to(list[list.len() - 1].span)
        }
        crate::model::RegionSpec::Rest { span, .. } => *span,
        _ => wave.name.span,
    }
}

/// The names a policy requires that `have` does not list, as `` `a`, `b` ``.
fn missing_names(wanted: &[String], have: &[sluice_grammar::Ident]) -> Option<String> {
    let missing: Vec<String> = wanted
        .iter()
        .filter(|w| !have.iter().any(|h| &h.text == *w))
        .map(|w| format!("`{w}`"))
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn wave_label(wave: &Stage) -> String {
    format!("wave `{}`", wave.name.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_unique_and_explained() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for rule in RULES {
            assert!(
                rule.explanation.starts_with(&format!("# {}", rule.name)),
                "{}",
                rule.name
            );
            assert!(
                rule.explanation.lines().count() > 8,
                "{} is explained at length",
                rule.name
            );
        }
    }

    /// Parameters are typed consts, so a rule cannot read a misspelt name or
    /// the wrong type; what is left to check is the list each rule declares.
    #[test]
    fn parameters_are_unique_explained_and_default_to_their_kind() {
        use crate::policy::{ParamKind, ParamValue};
        for rule in RULES {
            let mut names: Vec<&str> = rule.params.iter().map(|p| p.name()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), rule.params.len(), "{}", rule.name);
            for param in rule.params {
                let kind = match param.default_value() {
                    ParamValue::Duration(_) => ParamKind::Duration,
                    ParamValue::Percent(_) => ParamKind::Percent,
                    ParamValue::Count(_) => ParamKind::Count,
                    ParamValue::Time(_) => ParamKind::Time,
                    ParamValue::CheckKinds(_) => ParamKind::CheckKinds,
                    ParamValue::Days(_) => ParamKind::Days,
                    ParamValue::Name(_) => ParamKind::Name,
                    ParamValue::Names(_) => ParamKind::Names,
                };
                assert_eq!(kind, param.kind(), "{} {}", rule.name, param.name());
                assert!(
                    rule.explanation.contains(&format!("`{}`", param.name())),
                    "the explanation of {} names its parameter `{}`",
                    rule.name,
                    param.name()
                );
            }
        }
    }

    /// Runs every rule, with its declared defaults, over every pipeline of
    /// the fixtures and the examples: a rule reading a parameter it does not
    /// declare panics in `Params::get`, and this test names the rule.
    #[test]
    fn every_rule_reads_only_parameters_it_declares() {
        use std::panic::{catch_unwind, AssertUnwindSafe};

        use crate::policy::{Memo, Params, RuleContext};

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut inputs = vec![root.join("examples")];
        for group in ["pass", "fail", "build"] {
            let dir = root.join("tests/fixtures").join(group);
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            inputs.extend(entries);
        }
        let today = jiff::civil::date(2026, 6, 1);
        let mut failures = Vec::new();
        let mut runs = 0;
        for input in &inputs {
            let compilation = crate::compile(&crate::Options {
                paths: vec![input.clone()],
                policies: Vec::new(),
                today,
            })
            .unwrap();
            let memo = Memo::default();
            let model = &compilation.model;
            for pipeline in model.pipelines.iter().filter(|p| !p.is_template) {
                let cx = RuleContext {
                    pipeline,
                    model,
                    today,
                    memo: &memo,
                };
                for rule in RULES {
                    let params = Params::defaults(rule.params);
                    runs += 1;
                    if catch_unwind(AssertUnwindSafe(|| (rule.check)(&cx, &params))).is_err() {
                        failures.push(format!(
                            "{} on `{}` in {}",
                            rule.name,
                            pipeline.name.text,
                            input.display()
                        ));
                    }
                }
            }
        }
        assert!(runs > 20 * RULES.len(), "only {runs} rule runs");
        assert!(failures.is_empty(), "rules panicked: {failures:#?}");
    }
}
