//! Reading typed values out of resolved statements: the small helpers both
//! the pipeline builder (`build.rs`) and the shared items (`items.rs`) use.

use sluice_grammar::{Ident, Keyword, Stmt, Value, ValueKind};

use super::types::*;

/// The statement's name, or an empty one at the statement.
pub(super) fn ident(stmt: &Stmt) -> Ident {
    stmt.name.clone().unwrap_or_else(|| Ident {
        text: String::new(),
        span: stmt.span,
    })
}

pub(super) fn find(body: &[Stmt], keyword: Keyword) -> Option<&Stmt> {
    body.iter().find(|s| s.keyword == keyword)
}

pub(super) fn first_ident(stmt: &Stmt) -> Option<&str> {
    stmt.values.first().and_then(Value::as_ident)
}

pub(super) fn value_ident(value: &Value) -> Ident {
    Ident {
        text: value.as_ident().unwrap_or_default().to_string(),
        span: value.span,
    }
}

/// The identifiers of a list statement (`alarms [a, b]`, `after build`).
pub(super) fn idents(stmt: &Stmt) -> Vec<Ident> {
    stmt.values
        .iter()
        .flat_map(|v| match &v.kind {
            ValueKind::List(items) => items.iter().map(value_ident).collect(),
            ValueKind::Ident(_) => vec![value_ident(v)],
            _ => Vec::new(),
        })
        .collect()
}

pub(super) fn strings(stmt: &Stmt) -> Vec<Spanned<String>> {
    stmt.values
        .iter()
        .flat_map(|v| v.as_list().unwrap_or(std::slice::from_ref(v)))
        .filter_map(|v| Some(Spanned::new(v.as_str()?.to_string(), v.span)))
        .collect()
}

pub(super) fn string(stmt: &Stmt) -> Option<Spanned<String>> {
    let v = stmt.values.first()?;
    Some(Spanned::new(v.as_str()?.to_string(), v.span))
}

pub(super) fn command(stmt: &Stmt) -> Option<Command> {
    let v = stmt.values.first()?;
    Some(Command {
        text: v.as_str()?.to_string(),
        span: v.span,
    })
}

pub(super) fn duration(stmt: &Stmt) -> Option<Spanned<sluice_grammar::value::Duration>> {
    stmt.values.iter().find_map(|v| match v.kind {
        ValueKind::Duration(d) => Some(Spanned::new(d, v.span)),
        _ => None,
    })
}
