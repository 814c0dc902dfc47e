//! `unknown-region` and `region-overlap`.

use std::collections::HashMap;

use sluice_grammar::{Ident, Span};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Fleet, Model, Pipeline, RegionSpec, Stage};
use crate::suggest;

/// A fleet names each region and each cell once.
pub fn check_fleet(fleet: &Fleet, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for region in &fleet.regions {
        if let Some(first) = seen.insert(&region.name.text, region.name.span) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateDefinition,
                    region.name.span,
                    format!(
                        "region `{}` is defined twice in fleet `{}`",
                        region.name.text, fleet.name.text
                    ),
                )
                .label("second definition")
                .with_secondary(first, "first defined here")
                .help("remove one of the two definitions"),
            );
        }
        duplicates_in_list(&region.cells, "cell", diags);
    }
    if fleet.regions.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                fleet.name.span,
                format!("fleet `{}` has no regions", fleet.name.text),
            )
            .label("empty fleet")
            .help("add at least one `region NAME` to the fleet"),
        );
    }
}

pub fn check(pipeline: &Pipeline, model: &Model, diags: &mut Vec<Diagnostic>) {
    let fleet = pipeline
        .fleet
        .as_ref()
        .and_then(|f| model.fleets.get(&f.text));
    for stage in pipeline.all_stages() {
        if let RegionSpec::List(list) = &stage.regions {
            if list.is_empty() {
                diags.push(empty_list(stage));
            }
            duplicates_in_list(list, "region", diags);
            if let Some(fleet) = fleet {
                for region in list {
                    unknown_region(region, fleet, diags);
                }
            }
        }
    }
    if let Some(production) = &pipeline.production {
        across_waves(&production.waves, diags);
    }
}

fn empty_list(stage: &Stage) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidValue,
        stage.name.span,
        format!("`{}` deploys to an empty list of regions", stage.name.text),
    )
    .label("no regions")
    .help("name at least one region, or remove the `regions` statement")
}

fn unknown_region(region: &Ident, fleet: &Fleet, diags: &mut Vec<Diagnostic>) {
    if fleet.region(&region.text).is_some() {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::UnknownRegion,
            region.span,
            format!(
                "region `{}` is not in fleet `{}`",
                region.text, fleet.name.text
            ),
        )
        .label("not in the fleet")
        .help(suggest::help(
            &region.text,
            "region",
            fleet.regions.iter().map(|r| r.name.text.as_str()),
        )),
    );
}

fn duplicates_in_list(list: &[Ident], what: &str, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for item in list {
        if let Some(first) = seen.insert(&item.text, item.span) {
            diags.push(
                Diagnostic::new(
                    Code::RegionOverlap,
                    item.span,
                    format!("{what} `{}` is listed twice", item.text),
                )
                .label("listed again")
                .with_secondary(first, "first listed here")
                .help(format!("remove the second `{}`", item.text)),
            );
        }
    }
}

/// One region in two waves, or two waves that say `rest`.
fn across_waves(waves: &[Stage], diags: &mut Vec<Diagnostic>) {
    let mut owner: HashMap<&str, (&str, Span)> = HashMap::new();
    let mut rest: Option<(&str, Span)> = None;
    for wave in waves {
        match &wave.regions {
            RegionSpec::List(list) => {
                let mut within: std::collections::HashSet<&str> = Default::default();
                for region in list {
                    if !within.insert(&region.text) {
                        continue; // reported by duplicates_in_list
                    }
                    if let Some((other, first)) =
                        owner.insert(&region.text, (&wave.name.text, region.span))
                    {
                        diags.push(
                            Diagnostic::new(
                                Code::RegionOverlap,
                                region.span,
                                format!("region `{}` is in wave `{other}` and wave `{}`", region.text, wave.name.text),
                            )
                            .label(format!("also in wave `{other}`"))
                            .with_secondary(first, format!("wave `{other}` deploys it here"))
                            .help("deploy each region in exactly one wave; remove it from one of them"),
                        );
                    }
                }
            }
            RegionSpec::Rest { span, .. } => {
                if let Some((other, first)) = rest.replace((&wave.name.text, *span)) {
                    diags.push(
                        Diagnostic::new(
                            Code::RegionOverlap,
                            *span,
                            format!("waves `{other}` and `{}` both deploy `rest`", wave.name.text),
                        )
                        .label("second `rest`")
                        .with_secondary(first, "first `rest` here")
                        .help("at most one wave may say `regions rest`; list the regions of the other"),
                    );
                }
            }
            RegionSpec::None => {}
        }
    }
}
