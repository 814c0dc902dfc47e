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
mod waiver_expiry;
mod wave_growth;
mod window_required;

use super::rule::RuleDef;
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
}
