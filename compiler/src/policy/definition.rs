//! A resolved policy: which pipelines it applies to and the rules it
//! enables, each with its severity and checked parameters.

use sluice_grammar::{Ident, Keyword, Span, Stmt, ValueKind};

use super::params::{self, Params};
use super::rule::RuleDef;
use super::rules::RULES;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Model, Pipeline};
use crate::resolve::Resolved;

/// `applies-to ...`; no `applies-to` means all pipelines.
#[derive(Debug, Clone)]
pub enum Selector {
    All,
    Names(Vec<Ident>),
    Tag(Ident),
    Extends(Ident),
}

impl Selector {
    pub fn matches(&self, pipeline: &Pipeline) -> bool {
        match self {
            Selector::All => true,
            Selector::Names(names) => names.iter().any(|n| n.text == pipeline.name.text),
            Selector::Tag(tag) => pipeline.tags.iter().any(|t| t.text == tag.text),
            Selector::Extends(template) => pipeline.chain.iter().any(|t| t.text == template.text),
        }
    }
}

/// A rule a policy lists; `severity` is `None` when switched `off`.
pub struct EnabledRule {
    pub def: &'static RuleDef,
    pub severity: Option<Severity>,
    pub params: Params,
    /// The `final` keyword, when the rule may not be waived.
    pub final_span: Option<Span>,
    pub name_span: Span,
}

pub struct Policy {
    pub name: Ident,
    pub selector: Selector,
    pub rules: Vec<EnabledRule>,
}

/// Builds a policy from its resolved body; problems in it are reported once.
pub fn build(resolved: &Resolved, model: &Model, diags: &mut Vec<Diagnostic>) -> Policy {
    let mut policy = Policy {
        name: resolved.item.clone(),
        selector: Selector::All,
        rules: Vec::new(),
    };
    for stmt in &resolved.body {
        match stmt.keyword {
            Keyword::AppliesTo => policy.selector = selector(stmt, model, diags),
            Keyword::Rule => {
                if let Some(rule) = enabled_rule(stmt, diags) {
                    policy.rules.push(rule);
                }
            }
            _ => {}
        }
    }
    policy
}

fn selector(stmt: &Stmt, model: &Model, diags: &mut Vec<Diagnostic>) -> Selector {
    let words: Vec<&str> = stmt.values.iter().filter_map(|v| v.as_ident()).collect();
    let ident_at = |i: usize| {
        stmt.values.get(i).map(|v| Ident {
            text: v.as_ident().unwrap_or_default().to_string(),
            span: v.span,
        })
    };
    match (words.first().copied(), stmt.values.first().map(|v| &v.kind)) {
        (_, Some(ValueKind::List(items))) => {
            let names: Vec<Ident> = items
                .iter()
                .map(|v| Ident {
                    text: v.as_ident().unwrap_or_default().to_string(),
                    span: v.span,
                })
                .collect();
            let pipelines = || {
                model
                    .pipelines
                    .iter()
                    .filter(|p| !p.is_template)
                    .map(|p| p.name.text.as_str())
            };
            for name in &names {
                if !pipelines().any(|p| p == name.text) {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownName,
                            name.span,
                            format!("there is no pipeline named `{}`", name.text),
                        )
                        .label("unknown pipeline")
                        .help(crate::suggest::help(
                            &name.text,
                            "pipeline",
                            pipelines(),
                        )),
                    );
                }
            }
            Selector::Names(names)
        }
        (Some("tag"), _) => ident_at(1).map_or(Selector::All, Selector::Tag),
        (Some("extends"), _) => match ident_at(1) {
            Some(template) => {
                let templates = || {
                    model
                        .pipelines
                        .iter()
                        .filter(|p| p.is_template)
                        .map(|p| p.name.text.as_str())
                };
                if !templates().any(|t| t == template.text) {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownName,
                            template.span,
                            format!("there is no template named `{}`", template.text),
                        )
                        .label("unknown template")
                        .help(crate::suggest::help(
                            &template.text,
                            "template",
                            templates(),
                        )),
                    );
                }
                Selector::Extends(template)
            }
            None => Selector::All,
        },
        _ => Selector::All,
    }
}

fn enabled_rule(stmt: &Stmt, diags: &mut Vec<Diagnostic>) -> Option<EnabledRule> {
    let name = stmt.name.as_ref()?;
    let Some(def) = RULES.iter().find(|r| r.name == name.text) else {
        diags.push(
            Diagnostic::new(
                Code::UnknownName,
                name.span,
                format!("there is no rule named `{}`", name.text),
            )
            .label("unknown rule")
            .help(rule_help(&name.text)),
        );
        return None;
    };
    let severity = match stmt.values.first().and_then(|v| v.as_ident()) {
        Some("off") => None,
        Some("warn") => Some(Severity::Warning),
        Some("error") => Some(Severity::Error),
        _ => Some(def.default_severity),
    };
    Some(EnabledRule {
        def,
        severity,
        params: params::parse(def.name, def.params, stmt.body(), diags),
        final_span: stmt.final_span,
        name_span: name.span,
    })
}

/// "did you mean" for a misspelt rule, else where the list is.
pub fn rule_help(name: &str) -> String {
    match crate::suggest::closest(name, RULES.iter().map(|r| r.name)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "`sluice explain-code --list` lists the built-in rules".into(),
    }
}
