//! Language checks on the resolved model (SPEC section 5). Each module is
//! one family of checks; every check reports and goes on.

mod approvers;
mod fields;
mod references;
mod regions;
mod text;
mod variables;
mod waivers;
mod windows;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::graph::StageGraph;
use crate::model::{Model, Pipeline};

/// What the checks need besides the model.
pub struct Context<'a> {
    pub model: &'a Model,
    pub sources: &'a crate::source::SourceMap,
    /// The date waivers are compared against (`--today`).
    pub today: jiff::civil::Date,
}

/// Runs every check; pipelines in parallel.
pub fn validate(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for window in context.model.windows.values() {
        windows::check_window(window, context.model, &mut out);
    }
    for alarm in context.model.alarms.values() {
        variables::check_alarm(alarm, context.sources, &mut out);
    }
    text::check(context.sources, &mut out);
    for fleet in context.model.fleets.values() {
        regions::check_fleet(fleet, &mut out);
    }
    let per_pipeline: Vec<Vec<Diagnostic>> = context
        .model
        .pipelines
        .par_iter()
        .map(|p| check_pipeline(p, context))
        .collect();
    out.extend(per_pipeline.into_iter().flatten());
    out
}

fn check_pipeline(pipeline: &Pipeline, context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    StageGraph::build(pipeline, &mut diags);
    references::check(pipeline, context.model, &mut diags);
    regions::check(pipeline, context.model, &mut diags);
    fields::check(pipeline, &mut diags);
    approvers::check(pipeline, &mut diags);
    variables::check(pipeline, context.sources, &mut diags);
    waivers::check(pipeline, context.today, &mut diags);
    for d in &mut diags {
        if d.pipeline.is_none() {
            d.pipeline = Some(pipeline.name.text.clone());
        }
    }
    diags
}
