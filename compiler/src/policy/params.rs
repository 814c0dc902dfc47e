//! Typed rule parameters: declared by each rule with a default, given in a
//! policy as `rule NAME { param value }`, checked here.

use std::collections::BTreeMap;

use sluice_grammar::value::{Day, Duration, Time};
use sluice_grammar::{Stmt, Value, ValueKind};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::CheckKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Duration,
    Percent,
    Count,
    Time,
    CheckKinds,
    Days,
}

impl ParamKind {
    fn example(self) -> &'static str {
        match self {
            ParamKind::Duration => "a duration like `12h`",
            ParamKind::Percent => "a percentage like `33%`",
            ParamKind::Count => "a whole number like `1`",
            ParamKind::Time => "a time like `09:00`",
            ParamKind::CheckKinds => "a list of check kinds like `[unit, integration]`",
            ParamKind::Days => "a list of days like `[mon, tue, wed, thu, fri]`",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Duration(Duration),
    Percent(u32),
    Count(u64),
    Time(Time),
    CheckKinds(Vec<CheckKind>),
    Days(Vec<Day>),
}

/// A parameter a rule accepts, with its default.
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: fn() -> ParamValue,
}

/// The parameters of one enabled rule: defaults, overridden by the policy.
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<&'static str, ParamValue>,
}

impl Params {
    pub fn defaults(specs: &[ParamSpec]) -> Params {
        Params {
            values: specs.iter().map(|s| (s.name, (s.default)())).collect(),
        }
    }

    pub fn duration(&self, name: &str) -> Duration {
        match self.values.get(name) {
            Some(ParamValue::Duration(d)) => *d,
            _ => Duration::default(),
        }
    }

    pub fn percent(&self, name: &str) -> u32 {
        match self.values.get(name) {
            Some(ParamValue::Percent(p)) => *p,
            _ => 100,
        }
    }

    pub fn count(&self, name: &str) -> u64 {
        match self.values.get(name) {
            Some(ParamValue::Count(n)) => *n,
            _ => 0,
        }
    }

    pub fn time(&self, name: &str) -> Time {
        match self.values.get(name) {
            Some(ParamValue::Time(t)) => *t,
            _ => Time { minutes: 0 },
        }
    }

    pub fn check_kinds(&self, name: &str) -> &[CheckKind] {
        match self.values.get(name) {
            Some(ParamValue::CheckKinds(k)) => k,
            _ => &[],
        }
    }

    pub fn days(&self, name: &str) -> &[Day] {
        match self.values.get(name) {
            Some(ParamValue::Days(d)) => d,
            _ => &[],
        }
    }
}

/// Reads the `{ params }` of a rule; unknown names and bad values are
/// reported and the default kept.
pub fn parse(
    rule: &str,
    specs: &'static [ParamSpec],
    body: &[Stmt],
    diags: &mut Vec<Diagnostic>,
) -> Params {
    let mut params = Params::defaults(specs);
    for stmt in body {
        let Some(name) = &stmt.name else { continue };
        let Some(spec) = specs.iter().find(|s| s.name == name.text) else {
            diags.push(unknown_param(rule, specs, name));
            continue;
        };
        match stmt.values.first().and_then(|v| value(spec.kind, &v.kind)) {
            Some(Ok(value)) => {
                params.values.insert(spec.name, value);
            }
            Some(Err(bad)) => diags.push(bad_value(rule, spec, stmt, Some(bad))),
            None => diags.push(bad_value(rule, spec, stmt, None)),
        }
    }
    params
}

/// `None` for the wrong kind of literal; `Err(item)` for a bad list item.
fn value(kind: ParamKind, literal: &ValueKind) -> Option<Result<ParamValue, &Value>> {
    Some(Ok(match (kind, literal) {
        (ParamKind::Duration, ValueKind::Duration(d)) => ParamValue::Duration(*d),
        (ParamKind::Percent, ValueKind::Percent(p)) => ParamValue::Percent(*p),
        (ParamKind::Count, ValueKind::Int(n)) => ParamValue::Count(*n),
        (ParamKind::Time, ValueKind::Time(t)) => ParamValue::Time(*t),
        (ParamKind::CheckKinds, ValueKind::List(items)) => {
            let mut kinds = Vec::new();
            for item in items {
                let text = item.as_ident().unwrap_or_default();
                match CheckKind::parse(text) {
                    Some(k) => kinds.push(k),
                    None => return Some(Err(item)),
                }
            }
            ParamValue::CheckKinds(kinds)
        }
        (ParamKind::Days, ValueKind::List(items)) => {
            let mut days = Vec::new();
            for item in items {
                let text = item.as_ident().unwrap_or_default();
                match Day::parse(text) {
                    Some(d) => days.push(d),
                    None => return Some(Err(item)),
                }
            }
            ParamValue::Days(days)
        }
        _ => return None,
    }))
}

fn unknown_param(rule: &str, specs: &[ParamSpec], name: &sluice_grammar::Ident) -> Diagnostic {
    let help = if specs.is_empty() {
        format!("`{rule}` takes no parameters; remove the block")
    } else {
        crate::suggest::help(&name.text, "parameter", specs.iter().map(|s| s.name))
    };
    Diagnostic::new(
        Code::UnknownName,
        name.span,
        format!("rule `{rule}` has no parameter `{}`", name.text),
    )
    .label("unknown parameter")
    .help(help)
}

fn bad_value(rule: &str, spec: &ParamSpec, stmt: &Stmt, item: Option<&Value>) -> Diagnostic {
    let (span, message) = match item {
        Some(item) => (
            item.span,
            format!(
                "`{}` is not valid in `{}` of rule `{rule}`",
                item.as_ident().unwrap_or_default(),
                spec.name
            ),
        ),
        None => (
            stmt.values.first().map_or(stmt.span, |v| v.span),
            format!(
                "`{}` of rule `{rule}` takes {}",
                spec.name,
                spec.kind.example()
            ),
        ),
    };
    Diagnostic::new(Code::InvalidValue, span, message)
        .label("wrong value")
        .help(format!(
            "write `{}` followed by {}",
            spec.name,
            spec.kind.example()
        ))
}
