//! The merge of SPEC 4.3: named blocks merge by kind and name, attributes
//! replace, `+=` appends, `drop` removes, `final` forbids all of that.

use std::collections::HashMap;

use sluice_grammar::{Keyword, Op, Span, Stmt, Value, ValueKind};

use crate::diagnostic::{Code, Diagnostic};

/// Where a merge happens, for messages: a child onto its parent, or a wave
/// onto the production defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeScope {
    Inheritance,
    WaveDefaults,
}

/// The identity of a statement inside one body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key<'a> {
    keyword: Keyword,
    name: Option<&'a str>,
}

fn key(stmt: &Stmt) -> Key<'_> {
    let keyword = match stmt.keyword {
        // `by cell` and `batch N%` are two values of one setting
        Keyword::Batch => Keyword::By,
        k => k,
    };
    Key {
        keyword,
        name: stmt.name_text(),
    }
}

fn is_block(keyword: Keyword) -> bool {
    stmt_has_body(keyword)
}

fn stmt_has_body(keyword: Keyword) -> bool {
    use Keyword as K;
    matches!(
        keyword,
        K::Source
            | K::Review
            | K::Stage
            | K::Production
            | K::Wave
            | K::Run
            | K::Check
            | K::Approval
            | K::OneBox
            | K::Rolling
            | K::Bake
            | K::Emergency
            | K::Waive
            | K::Rule
    )
}

/// Puts the short form `check NAME "cmd"` into the long form, so both merge.
pub fn normalize(stmt: &mut Stmt) {
    if stmt.keyword == Keyword::Check {
        if let Some(value) = stmt.values.pop() {
            let run = Stmt {
                keyword: Keyword::CheckRun,
                keyword_span: value.span,
                final_span: None,
                name: None,
                extends: None,
                op: Op::Set,
                values: vec![value],
                body: None,
                span: stmt.span,
            };
            stmt.body.get_or_insert_with(Vec::new).insert(0, run);
        }
    }
    for child in stmt.body.iter_mut().flatten() {
        normalize(child);
    }
}

/// Applies `child` on top of `parent`, in place. Problems are pushed to
/// `diagnostics`; the offending child statement is then ignored.
pub fn merge_body(
    parent: &mut Vec<Stmt>,
    child: &[Stmt],
    scope: MergeScope,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<Key<'_>, &Stmt> = HashMap::new();
    for stmt in child {
        if let Some(first) = seen.get(&key(stmt)) {
            diagnostics.push(duplicate_in_body(stmt, first));
            continue;
        }
        seen.insert(key(stmt), stmt);
        if stmt.keyword == Keyword::Drop {
            drop_stmt(parent, stmt, diagnostics);
            continue;
        }
        match parent.iter().position(|p| key(p) == key(stmt)) {
            None => {
                let mut fresh = stmt.clone();
                normalize(&mut fresh);
                if fresh.op == Op::Append {
                    fresh.op = Op::Set;
                }
                parent.push(fresh);
            }
            Some(i) => merge_stmt(&mut parent[i], stmt, scope, diagnostics),
        }
    }
}

fn merge_stmt(
    target: &mut Stmt,
    child: &Stmt,
    scope: MergeScope,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(final_span) = target.final_span {
        diagnostics.push(final_override(child, target, final_span, scope));
        return;
    }
    // SPEC 6.4 P4: a child's waiver replaces the inherited one whole, so
    // it cannot borrow the template's approver, reason or expiry
    if !is_block(target.keyword) || target.keyword == Keyword::Waive {
        if child.op == Op::Append {
            append(target, child);
        } else {
            *target = child.clone();
            normalize(target);
        }
        return;
    }
    let mut child = child.clone();
    normalize(&mut child);
    if !child.values.is_empty() {
        target.values = child.values;
    }
    if child.final_span.is_some() {
        target.final_span = child.final_span;
    }
    if let Some(body) = &child.body {
        let target_body = target.body.get_or_insert_with(Vec::new);
        merge_body(target_body, body, scope, diagnostics);
    }
}

/// `alarms += [x]`: the inherited items, then the new ones.
fn append(target: &mut Stmt, child: &Stmt) {
    let mut items: Vec<Value> = target.values.iter().flat_map(list_items).collect();
    items.extend(child.values.iter().flat_map(list_items));
    let span = child.values.first().map_or(child.span, |v| v.span);
    target.values = vec![Value {
        kind: ValueKind::List(items),
        span,
    }];
}

fn list_items(value: &Value) -> Vec<Value> {
    match &value.kind {
        ValueKind::List(items) => items.clone(),
        _ => vec![value.clone()],
    }
}

fn drop_stmt(parent: &mut Vec<Stmt>, drop: &Stmt, diagnostics: &mut Vec<Diagnostic>) {
    let kind = match drop.value().and_then(|v| v.as_ident()) {
        Some("wave") => Keyword::Wave,
        _ => Keyword::Stage,
    };
    let name = drop.name_text().unwrap_or_default();
    let span = drop.name.as_ref().map_or(drop.span, |n| n.span);
    // `drop wave N` at the pipeline level reaches into `production`
    let here = parent
        .iter()
        .any(|p| p.keyword == kind && p.name_text() == Some(name));
    if kind == Keyword::Wave && !here {
        if let Some(production) = parent.iter_mut().find(|p| p.keyword == Keyword::Production) {
            if let Some(final_span) = production.final_span {
                diagnostics.push(
                    Diagnostic::new(Code::FinalOverride, drop.span, format!("cannot drop wave `{name}` of the final `production`"))
                        .label("dropped here")
                        .with_secondary(final_span, "marked `final` here")
                        .help("keep the wave; a template marks `production` final so that no descendant changes it"),
                );
                return;
            }
            return drop_stmt(
                production.body.get_or_insert_with(Vec::new),
                drop,
                diagnostics,
            );
        }
    }
    match parent
        .iter()
        .position(|p| p.keyword == kind && p.name_text() == Some(name))
    {
        Some(i) => {
            if let Some(final_span) = parent[i].final_span {
                diagnostics.push(
                    Diagnostic::new(
                        Code::FinalOverride,
                        drop.span,
                        format!("cannot drop the final {} `{name}`", kind.as_str()),
                    )
                    .label("dropped here")
                    .with_secondary(final_span, "marked `final` here")
                    .help(format!(
                        "keep the {} `{name}`; a template marks it final so that no descendant removes it",
                        kind.as_str()
                    )),
                );
                return;
            }
            parent.remove(i);
        }
        None => {
            let inherited = parent
                .iter()
                .filter(|p| p.keyword == kind)
                .filter_map(|p| p.name_text());
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownName,
                    span,
                    format!("there is no inherited {} `{name}` to drop", kind.as_str()),
                )
                .label("not inherited")
                .help(crate::suggest::help(name, kind.as_str(), inherited)),
            );
        }
    }
}

fn describe(stmt: &Stmt) -> String {
    match stmt.name_text() {
        Some(name) => format!("{} `{name}`", stmt.keyword.as_str()),
        None => format!("`{}`", stmt.keyword.as_str()),
    }
}

fn final_override(child: &Stmt, target: &Stmt, final_span: Span, scope: MergeScope) -> Diagnostic {
    let what = describe(target);
    let (message, help) = match scope {
        MergeScope::Inheritance => (
            format!("cannot change the final {what}"),
            format!("remove this statement; a template marks {what} final so that descendants keep it as it is"),
        ),
        MergeScope::WaveDefaults => (
            format!("a wave cannot change the final production default {what}"),
            format!("remove this statement from the wave; {what} is final for every wave"),
        ),
    };
    Diagnostic::new(
        Code::FinalOverride,
        child.keyword_span.to(child.span),
        message,
    )
    .label("changed here")
    .with_secondary(final_span.to(target.keyword_span), "marked `final` here")
    .help(help)
}

fn duplicate_in_body(second: &Stmt, first: &Stmt) -> Diagnostic {
    let what = describe(second);
    Diagnostic::new(
        Code::DuplicateDefinition,
        second.name.as_ref().map_or(second.keyword_span, |n| n.span),
        format!("{what} appears twice in one block"),
    )
    .label("second here")
    .with_secondary(
        first.name.as_ref().map_or(first.keyword_span, |n| n.span),
        "first here",
    )
    .help(format!("merge the two into one {what}, or remove one"))
}

/// The statement of `parent` that the statement of `merged` holding `span`
/// replaced or appended to, found by the path of kinds and names that leads
/// to it. `None` when the statement is new in the child. (A merged block
/// keeps its parent's span while its statements keep the child's, so the
/// path is found by searching every depth, not by containment.)
pub fn overridden(parent: &[Stmt], merged: &[Stmt], span: Span) -> Option<Span> {
    let path = path_to(merged, span)?;
    let mut body = parent;
    let mut found = None;
    for stmt in &path {
        let before = body.iter().find(|p| key(p) == key(stmt))?;
        found = Some(before);
        body = before.body();
    }
    let (before, here) = (found?, path.last()?);
    // a merged block keeps the parent's span and takes the child's values
    let replaced = before.span != here.span
        || before
            .values
            .iter()
            .map(|v| v.span)
            .ne(here.values.iter().map(|v| v.span));
    replaced.then_some(before.span)
}

/// The statements from the top of `body` down to the deepest one whose
/// text holds `span`.
fn path_to(body: &[Stmt], span: Span) -> Option<Vec<&Stmt>> {
    for stmt in body {
        if let Some(mut deeper) = path_to(stmt.body(), span) {
            deeper.insert(0, stmt);
            return Some(deeper);
        }
        let holds = |s: Span| s.file == span.file && s.start <= span.start && span.end <= s.end;
        if holds(stmt.span) || stmt.values.iter().any(|v| holds(v.span)) {
            return Some(vec![stmt]);
        }
    }
    None
}
