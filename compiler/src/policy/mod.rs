//! Policies (SPEC 6): which rules apply to which pipeline, the findings of
//! each enabled rule, and waivers that turn findings into notes.

mod definition;
mod params;
mod places;
mod rule;
pub mod rules;
mod waivers;

pub use definition::{Policy, Selector};
pub use params::{AnyParamSpec, ParamKind, ParamSpec, ParamType, ParamValue, Params};
pub use rule::{Finding, Memo, RuleContext, RuleDef};

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use sluice_grammar::Keyword;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Pipeline};
use crate::resolve::Resolved;
use crate::Org;

/// Builds every policy, then evaluates the enabled rules of each pipeline
/// (never templates) in parallel.
pub fn check(
    resolved: &[Arc<Resolved>],
    model: &Model,
    org: Org<'_>,
    today: jiff::civil::Date,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let policies: Vec<Policy> = resolved
        .iter()
        .filter(|r| r.keyword == Keyword::Policy)
        .map(|r| definition::build(r, model, &mut diags))
        .collect();
    let memo = Memo::default();
    let by_name = |keyword: Keyword| -> HashMap<&str, &Resolved> {
        resolved
            .iter()
            .filter(|r| r.keyword == keyword)
            .map(|r| (r.item.text.as_str(), r.as_ref()))
            .collect()
    };
    let (pipelines, templates) = (by_name(Keyword::Pipeline), by_name(Keyword::Template));
    let per_pipeline: Vec<Vec<Diagnostic>> = model
        .pipelines
        .par_iter()
        .filter(|p| !p.is_template)
        .map(|p| {
            let parent = p.chain.first().and_then(|t| templates.get(t.text.as_str()));
            let places = pipelines
                .get(p.name.text.as_str())
                .map(|r| places::Places::build(r, parent.copied(), model))
                .unwrap_or_default();
            check_pipeline(p, &policies, model, today, &memo, &places)
        })
        .collect();
    diags.extend(per_pipeline.into_iter().flatten());
    if org.given {
        diags.extend(unpoliced(model, &policies, org));
    }
    diags
}

/// SPEC 6.4 P7: with `--policy`, every pipeline that none of the
/// organisation's policies selects is a warning; a team that dodges
/// `applies-to extends service` with a copied template is seen.
fn unpoliced(model: &Model, policies: &[Policy], org: Org<'_>) -> Vec<Diagnostic> {
    let org_policies: Vec<&Policy> = policies
        .iter()
        .filter(|p| org.files.contains(&p.name.span.file))
        .collect();
    let names = org_policies
        .iter()
        .map(|p| format!("`{}`", p.name.text))
        .collect::<Vec<_>>()
        .join(", ");
    model
        .pipelines
        .iter()
        .filter(|p| !p.is_template)
        .filter(|p| !org_policies.iter().any(|policy| policy.selector.matches(p)))
        .map(|p| {
            let help = if names.is_empty() {
                "the `--policy` files define no policy: add one, or check the file names".to_string()
            } else {
                format!(
                    "extend the organisation's template, or ask its owners to select this pipeline in the `applies-to` of {names}"
                )
            };
            Diagnostic::new(
                Code::UnpolicedPipeline,
                p.name.span,
                "no `--policy` policy applies to this pipeline, so no organisation rule checks it",
            )
            .label("checked by no organisation policy")
            .help(help)
            .in_pipeline(&p.name.text)
        })
        .collect()
}

fn check_pipeline(
    pipeline: &Pipeline,
    policies: &[Policy],
    model: &Model,
    today: jiff::civil::Date,
    memo: &Memo,
    places: &places::Places<'_>,
) -> Vec<Diagnostic> {
    let applying: Vec<&Policy> = policies
        .iter()
        .filter(|p| p.selector.matches(pipeline))
        .collect();
    let waivers = waivers::Waivers::check(pipeline, &applying, today);
    let cx = RuleContext {
        pipeline,
        model,
        today,
        memo,
    };
    let mut out = waivers.diagnostics.clone();
    for policy in &applying {
        for rule in &policy.rules {
            let Some(severity) = rule.severity else {
                continue;
            };
            for finding in (rule.def.check)(&cx, &rule.params) {
                let finding = places.place(finding, pipeline, rule, &cx);
                let mut d = Diagnostic::new(
                    Code::Rule(rule.def.name),
                    finding.span,
                    format!("{} (policy `{}`)", finding.message, policy.name.text),
                )
                .label(finding.label)
                .help(finding.help)
                .severity(severity)
                .in_pipeline(&pipeline.name.text);
                d.secondary = finding.secondary;
                if let Some(label) = inherited(pipeline, d.primary.span) {
                    d.secondary.push(label);
                }
                d.rule = Some(rule.def.name.to_string());
                out.push(waivers.apply(d));
            }
        }
    }
    out
}

/// For a cause written outside the pipeline's own text: where the pipeline
/// takes it from, so a reviewer sees why a template line is its problem.
fn inherited(pipeline: &Pipeline, cause: sluice_grammar::Span) -> Option<crate::diagnostic::Label> {
    let within = |s: sluice_grammar::Span| {
        cause.file == s.file && cause.start >= s.start && cause.end <= s.end
    };
    if within(pipeline.span) {
        return None;
    }
    let i = pipeline.chain_spans.iter().position(|s| within(*s))?;
    let extends = pipeline.chain.first()?;
    Some(crate::diagnostic::Label {
        span: extends.span,
        text: format!(
            "`{}` inherits this from `{}`",
            pipeline.name.text, pipeline.chain[i].text
        ),
    })
}

/// The explanation of a rule, for `sluice explain-code`.
pub fn explanation(name: &str) -> Option<&'static str> {
    rules::RULES
        .iter()
        .find(|r| r.name == name)
        .map(|r| r.explanation)
}
