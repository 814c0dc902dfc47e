//! `extends` chains: each template is resolved once, then every pipeline is
//! merged onto its resolved parent, in parallel.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use sluice_grammar::{Ident, Keyword, Stmt};

use super::merge::{merge_body, MergeScope};
use super::namespace::Namespace;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// A template or pipeline with its inheritance applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub item: Ident,
    /// The whole item as written, to tell its own lines from inherited ones.
    pub span: sluice_grammar::Span,
    pub keyword: Keyword,
    /// The ancestors, nearest first: `[service, org-base]`.
    pub chain: Vec<Ident>,
    /// The whole text of each ancestor, in the order of `chain`.
    pub chain_spans: Vec<sluice_grammar::Span>,
    pub body: Vec<Stmt>,
}

/// Resolves every template and pipeline. Items whose chain is broken (an
/// unknown parent, a cycle) are reported and left out.
pub fn resolve_all(namespace: &Namespace<'_>, diagnostics: &mut Diagnostics) -> Vec<Arc<Resolved>> {
    let mut templates: HashMap<String, Option<Arc<Resolved>>> = HashMap::new();
    let mut policies: HashMap<String, Option<Arc<Resolved>>> = HashMap::new();
    let mut parent_diags = Vec::new();
    for template in namespace.items_of(Keyword::Template) {
        resolve_parent(
            namespace,
            template,
            &mut templates,
            &mut Vec::new(),
            &mut parent_diags,
        );
    }
    for policy in namespace.items_of(Keyword::Policy) {
        resolve_parent(
            namespace,
            policy,
            &mut policies,
            &mut Vec::new(),
            &mut parent_diags,
        );
    }
    diagnostics.extend(parent_diags);

    let pipelines = namespace.items_of(Keyword::Pipeline);
    let results: Vec<(Option<Resolved>, Vec<Diagnostic>)> = pipelines
        .par_iter()
        .map(|stmt| {
            let mut diags = Vec::new();
            let resolved = resolve_pipeline(namespace, stmt, &templates, &mut diags);
            let name = stmt.name_text().unwrap_or_default();
            for d in &mut diags {
                d.pipeline.get_or_insert_with(|| name.to_string());
            }
            (resolved, diags)
        })
        .collect();

    let mut out: Vec<Arc<Resolved>> = templates
        .into_values()
        .chain(policies.into_values())
        .flatten()
        .collect();
    out.sort_by_key(|r| (r.item.span.file, r.item.span.start));
    for (resolved, diags) in results {
        diagnostics.extend(diags);
        out.extend(resolved.map(Arc::new));
    }
    out
}

fn resolve_pipeline(
    namespace: &Namespace<'_>,
    stmt: &Stmt,
    templates: &HashMap<String, Option<Arc<Resolved>>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Resolved> {
    let name = stmt.name.clone()?;
    let (mut body, chain, chain_spans) = match &stmt.extends {
        None => (Vec::new(), Vec::new(), Vec::new()),
        Some(parent) => {
            let resolved = match templates.get(&parent.text) {
                Some(found) => found.as_ref()?,
                None => {
                    diags.push(unknown_parent(namespace, parent, Keyword::Template));
                    return None;
                }
            };
            let mut chain = vec![parent.clone()];
            chain.extend(resolved.chain.iter().cloned());
            let mut spans = vec![resolved.span];
            spans.extend(resolved.chain_spans.iter().copied());
            (resolved.body.clone(), chain, spans)
        }
    };
    merge_body(&mut body, stmt.body(), MergeScope::Inheritance, diags);
    Some(Resolved {
        span: stmt.span,
        item: name,
        keyword: Keyword::Pipeline,
        chain,
        chain_spans,
        body,
    })
}

/// Resolves a template (or a policy: they inherit alike) once; `visiting` is
/// the current `extends` path, to report a cycle with its whole loop.
fn resolve_parent(
    namespace: &Namespace<'_>,
    stmt: &Stmt,
    done: &mut HashMap<String, Option<Arc<Resolved>>>,
    visiting: &mut Vec<Ident>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Resolved>> {
    let name = stmt.name.clone()?;
    let kind = stmt.keyword;
    if let Some(result) = done.get(&name.text) {
        return result.clone();
    }
    if let Some(at) = visiting.iter().position(|v| v.text == name.text) {
        diags.push(cycle(namespace, &visiting[at..]));
        for member in &visiting[at..] {
            done.insert(member.text.clone(), None);
        }
        return None;
    }
    visiting.push(name.clone());
    let result = match &stmt.extends {
        None => {
            let mut body = Vec::new();
            merge_body(&mut body, stmt.body(), MergeScope::Inheritance, diags);
            Some(Arc::new(Resolved {
                span: stmt.span,
                item: name.clone(),
                keyword: kind,
                chain: Vec::new(),
                chain_spans: Vec::new(),
                body,
            }))
        }
        Some(parent) => match namespace.get_kind(&parent.text, kind) {
            None => {
                diags.push(unknown_parent(namespace, parent, kind));
                None
            }
            Some(parent_stmt) => {
                resolve_parent(namespace, parent_stmt, done, visiting, diags).map(|p| {
                    let mut body = p.body.clone();
                    merge_body(&mut body, stmt.body(), MergeScope::Inheritance, diags);
                    let mut chain = vec![parent.clone()];
                    chain.extend(p.chain.iter().cloned());
                    let mut chain_spans = vec![p.span];
                    chain_spans.extend(p.chain_spans.iter().copied());
                    Arc::new(Resolved {
                        span: stmt.span,
                        item: name.clone(),
                        keyword: kind,
                        chain,
                        chain_spans,
                        body,
                    })
                })
            }
        },
    };
    visiting.pop();
    // a cycle found deeper may already have marked this template broken
    done.entry(name.text.clone()).or_insert(result).clone()
}

fn unknown_parent(namespace: &Namespace<'_>, parent: &Ident, kind: Keyword) -> Diagnostic {
    let found = namespace.get(&parent.text);
    let what = kind.as_str();
    let diagnostic = Diagnostic::new(
        Code::UnknownName,
        parent.span,
        format!("there is no {what} named `{}`", parent.text),
    )
    .label("extended here");
    match found {
        Some(other) => diagnostic.help(format!(
            "`{}` is a {}; only a {what} can be extended here",
            parent.text,
            other.keyword.as_str()
        )),
        None => diagnostic.help(crate::suggest::help(
            &parent.text,
            what,
            namespace.names_of(kind),
        )),
    }
}

/// One diagnostic per loop, at its first member in source order.
fn cycle(namespace: &Namespace<'_>, members: &[Ident]) -> Diagnostic {
    let mut members: Vec<&Ident> = members.iter().collect();
    let first = members
        .iter()
        .enumerate()
        .min_by_key(|(_, m)| (m.span.file, m.span.start))
        .map_or(0, |(i, _)| i);
    members.rotate_left(first);
    let mut path: Vec<&str> = members.iter().map(|m| m.text.as_str()).collect();
    path.push(members[0].text.as_str());
    let extends_span = |m: &Ident| {
        namespace
            .get(&m.text)
            .and_then(|s| s.extends.as_ref())
            .map_or(m.span, |e| e.span)
    };
    let mut diagnostic = Diagnostic::new(
        Code::Cycle,
        extends_span(members[0]),
        format!(
            "{}s extend each other in a loop: {}",
            kind_of(namespace, members[0]),
            path.join(" → ")
        ),
    )
    .label(format!("`{}` extends `{}`", path[0], path[1]));
    for (i, member) in members.iter().enumerate().skip(1) {
        diagnostic = diagnostic.with_secondary(
            extends_span(member),
            format!("`{}` extends `{}`", member.text, path[i + 1]),
        );
    }
    diagnostic.help("break the loop: one of these must not extend another in the loop")
}

fn kind_of(namespace: &Namespace<'_>, item: &Ident) -> &'static str {
    namespace
        .get(&item.text)
        .map_or("item", |s| s.keyword.as_str())
}
