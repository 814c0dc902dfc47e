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
    /// For a pipeline whose own text drops stages or waves: each `drop`'s
    /// span with the body resolved without that one `drop`, so a finding
    /// the `drop` causes can be reported at it (SPEC 6.4 P5).
    pub drops: Vec<(sluice_grammar::Span, Vec<Stmt>)>,
}

/// Resolves every template and pipeline. Items whose chain is broken (an
/// unknown parent, a cycle) are reported and left out.
pub fn resolve_all(namespace: &Namespace<'_>, diagnostics: &mut Diagnostics) -> Vec<Arc<Resolved>> {
    let mut templates: HashMap<String, Option<Arc<Resolved>>> = HashMap::new();
    let mut policies: HashMap<String, Option<Arc<Resolved>>> = HashMap::new();
    let mut parent_diags = Vec::new();
    for template in namespace.items_of(Keyword::Template) {
        resolve_parent(namespace, template, &mut templates, &mut parent_diags);
    }
    for policy in namespace.items_of(Keyword::Policy) {
        resolve_parent(namespace, policy, &mut policies, &mut parent_diags);
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
            if resolved.chain.len() >= MAX_EXTENDS_DEPTH {
                diags.push(too_deep(stmt, &name));
                return None;
            }
            let mut chain = vec![parent.clone()];
            chain.extend(resolved.chain.iter().cloned());
            let mut spans = vec![resolved.span];
            spans.extend(resolved.chain_spans.iter().copied());
            (resolved.body.clone(), chain, spans)
        }
    };
    let parent = (!drop_spans(stmt.body()).is_empty()).then(|| body.clone());
    merge_body(&mut body, stmt.body(), MergeScope::Inheritance, diags);
    let drops = match parent {
        Some(parent) => drop_spans(stmt.body())
            .into_iter()
            .map(|span| {
                let mut without = parent.clone();
                let child = without_stmt(stmt.body(), span);
                merge_body(
                    &mut without,
                    &child,
                    MergeScope::Inheritance,
                    &mut Vec::new(),
                );
                (span, without)
            })
            .collect(),
        None => Vec::new(),
    };
    Some(Resolved {
        span: stmt.span,
        item: name,
        keyword: Keyword::Pipeline,
        chain,
        chain_spans,
        body,
        drops,
    })
}

/// The most ancestors a template, policy or pipeline may have. Real
/// hierarchies are a handful deep; the bound keeps the chains and bodies
/// each item keeps bounded too (they grow with the depth).
pub const MAX_EXTENDS_DEPTH: usize = 64;

/// Where a walk up an `extends` chain ended.
enum Top {
    /// At an item that extends nothing (the last one on the path).
    Root,
    /// At an item resolved before.
    Resolved(Arc<Resolved>),
    /// At a cycle or an unknown parent, already reported.
    Broken,
}

/// Resolves a template (or a policy: they inherit alike) once, with every
/// ancestor not resolved yet. The chain is walked without recursion, since
/// a file may make it thousands long; a loop is reported with its members,
/// and the first item past [`MAX_EXTENDS_DEPTH`] is reported once (its
/// descendants are left out silently, like those of a loop).
fn resolve_parent(
    namespace: &Namespace<'_>,
    stmt: &Stmt,
    done: &mut HashMap<String, Option<Arc<Resolved>>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Resolved>> {
    let kind = stmt.keyword;
    // `stmt` first, then its parent, ...: the items to resolve
    let mut path: Vec<(&Stmt, &Ident)> = Vec::new();
    let mut on_path: HashMap<&str, usize> = HashMap::new();
    let mut current = stmt;
    let top = loop {
        let Some(name) = &current.name else {
            break Top::Broken;
        };
        if let Some(result) = done.get(&name.text) {
            break result.clone().map_or(Top::Broken, Top::Resolved);
        }
        if let Some(&at) = on_path.get(name.text.as_str()) {
            let members: Vec<Ident> = path[at..].iter().map(|(_, n)| (*n).clone()).collect();
            diags.push(cycle(namespace, &members));
            for member in members {
                done.insert(member.text, None);
            }
            path.truncate(at);
            break Top::Broken;
        }
        on_path.insert(&name.text, path.len());
        path.push((current, name));
        match &current.extends {
            None => break Top::Root,
            Some(parent) => match namespace.get_kind(&parent.text, kind) {
                Some(parent_stmt) => current = parent_stmt,
                None => {
                    diags.push(unknown_parent(namespace, parent, kind));
                    break Top::Broken;
                }
            },
        }
    };
    // `None`: broken; `Some(None)`: no parent; `Some(Some(p))`: parent `p`
    let mut above: Option<Option<Arc<Resolved>>> = match top {
        Top::Root => Some(None),
        Top::Resolved(parent) => Some(Some(parent)),
        Top::Broken => None,
    };
    for (item, name) in path.iter().rev() {
        let result = above.and_then(|parent| match parent {
            Some(parent) if parent.chain.len() >= MAX_EXTENDS_DEPTH => {
                diags.push(too_deep(item, name));
                None
            }
            parent => Some(Arc::new(resolve_onto(parent.as_deref(), item, name, diags))),
        });
        done.insert(name.text.clone(), result.clone());
        above = result.map(Some);
    }
    done.get(stmt.name.as_ref()?.text.as_str())
        .cloned()
        .flatten()
}

/// `stmt`'s body merged onto its resolved parent's (or onto nothing).
fn resolve_onto(
    parent: Option<&Resolved>,
    stmt: &Stmt,
    name: &Ident,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    let (mut body, chain, chain_spans) = match (parent, &stmt.extends) {
        (Some(p), Some(parent_name)) => {
            let mut chain = vec![parent_name.clone()];
            chain.extend(p.chain.iter().cloned());
            let mut chain_spans = vec![p.span];
            chain_spans.extend(p.chain_spans.iter().copied());
            (p.body.clone(), chain, chain_spans)
        }
        _ => (Vec::new(), Vec::new(), Vec::new()),
    };
    merge_body(&mut body, stmt.body(), MergeScope::Inheritance, diags);
    Resolved {
        span: stmt.span,
        item: name.clone(),
        keyword: stmt.keyword,
        chain,
        chain_spans,
        body,
        drops: Vec::new(),
    }
}

/// An item whose parent already has [`MAX_EXTENDS_DEPTH`] ancestors.
fn too_deep(stmt: &Stmt, name: &Ident) -> Diagnostic {
    let at = stmt.extends.as_ref().map_or(name.span, |e| e.span);
    Diagnostic::new(
        Code::NestingTooDeep,
        at,
        format!(
            "`{}` has more than {MAX_EXTENDS_DEPTH} ancestors through `extends`",
            name.text
        ),
    )
    .label("one level too many")
    .help(format!(
        "a chain of `extends` is at most {MAX_EXTENDS_DEPTH} deep: extend an ancestor directly, or merge templates"
    ))
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

/// The spans of every `drop` in a body, at any depth (`production { drop
/// wave 3 }` too).
fn drop_spans(body: &[Stmt]) -> Vec<sluice_grammar::Span> {
    let mut out = Vec::new();
    for stmt in body {
        if stmt.keyword == Keyword::Drop {
            out.push(stmt.span);
        }
        out.extend(drop_spans(stmt.body()));
    }
    out
}

/// `body` without the statement at `span`, at any depth.
fn without_stmt(body: &[Stmt], span: sluice_grammar::Span) -> Vec<Stmt> {
    body.iter()
        .filter(|s| s.span != span)
        .map(|s| {
            let mut s = s.clone();
            if let Some(children) = &s.body {
                s.body = Some(without_stmt(children, span));
            }
            s
        })
        .collect()
}
