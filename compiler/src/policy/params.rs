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
    /// One name or string, like a branch; the default is "any".
    Name,
    /// Names or strings, like alarms or time zones; the default is none.
    Names,
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
            ParamKind::Name => "a name like `main`",
            ParamKind::Names => "a list of names like `[a, b]` or `[\"a\", \"b\"]`",
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
    Name(Option<String>),
    Names(Vec<String>),
}

/// The Rust type a kind of parameter is read as (a percentage is a `u32`,
/// a count a `u64`).
pub trait ParamType: Sized + 'static {
    const KIND: ParamKind;
    fn into_value(self) -> ParamValue;
    fn from_value(value: &ParamValue) -> Option<&Self>;
}

macro_rules! param_type {
    ($($ty:ty => $kind:ident),* $(,)?) => {$(
        impl ParamType for $ty {
            const KIND: ParamKind = ParamKind::$kind;
            fn into_value(self) -> ParamValue {
                ParamValue::$kind(self)
            }
            fn from_value(value: &ParamValue) -> Option<&Self> {
                match value {
                    ParamValue::$kind(v) => Some(v),
                    _ => None,
                }
            }
        }
    )*};
}

param_type! {
    Duration => Duration,
    u32 => Percent,
    u64 => Count,
    Time => Time,
    Vec<CheckKind> => CheckKinds,
    Vec<Day> => Days,
    Option<String> => Name,
    Vec<String> => Names,
}

/// A parameter a rule accepts, with its default. Each rule declares its
/// parameters as consts, lists them in `RuleDef::params` and reads them
/// with `params.get(&CONST)`: a misspelt name does not compile, and the
/// value has the declared type.
pub struct ParamSpec<T> {
    pub name: &'static str,
    pub default: fn() -> T,
}

/// A parameter whatever its type: what policies are parsed against.
pub trait AnyParamSpec: Sync {
    fn name(&self) -> &'static str;
    fn kind(&self) -> ParamKind;
    fn default_value(&self) -> ParamValue;
}

impl<T: ParamType> AnyParamSpec for ParamSpec<T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn kind(&self) -> ParamKind {
        T::KIND
    }

    fn default_value(&self) -> ParamValue {
        (self.default)().into_value()
    }
}

/// The parameters of one enabled rule: defaults, overridden by the policy.
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<&'static str, ParamValue>,
}

impl Params {
    pub fn defaults(specs: &[&dyn AnyParamSpec]) -> Params {
        Params {
            values: specs
                .iter()
                .map(|s| (s.name(), s.default_value()))
                .collect(),
        }
    }

    /// The value of a parameter the rule declares.
    ///
    /// # Panics
    ///
    /// When the rule reads a parameter missing from its `RuleDef::params`:
    /// a bug in the rule, which the test running every rule over the
    /// fixtures catches, instead of a silent zero.
    pub fn get<T: ParamType>(&self, param: &ParamSpec<T>) -> &T {
        match self.values.get(param.name).and_then(T::from_value) {
            Some(value) => value,
            None => panic!(
                "a rule reads the parameter `{}` ({:?}) but does not declare it in its `params`",
                param.name,
                T::KIND
            ),
        }
    }
}

/// Reads the `{ params }` of a rule; unknown names and bad values are
/// reported and the default kept.
pub fn parse(
    rule: &str,
    specs: &[&dyn AnyParamSpec],
    body: &[Stmt],
    diags: &mut Vec<Diagnostic>,
) -> Params {
    let mut params = Params::defaults(specs);
    for stmt in body {
        let Some(name) = &stmt.name else { continue };
        let Some(spec) = specs.iter().find(|s| s.name() == name.text) else {
            diags.push(unknown_param(rule, specs, name));
            continue;
        };
        match stmt
            .values
            .first()
            .and_then(|v| value(spec.kind(), &v.kind))
        {
            Some(Ok(value)) => {
                params.values.insert(spec.name(), value);
            }
            Some(Err(bad)) => diags.push(bad_value(rule, *spec, stmt, Some(bad))),
            None => diags.push(bad_value(rule, *spec, stmt, None)),
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
        (ParamKind::Name, ValueKind::Ident(text) | ValueKind::Str(text)) => {
            ParamValue::Name(Some(text.clone()))
        }
        (ParamKind::Names, ValueKind::List(items)) => {
            let mut names = Vec::new();
            for item in items {
                match &item.kind {
                    ValueKind::Ident(text) | ValueKind::Str(text) if !text.is_empty() => {
                        names.push(text.clone())
                    }
                    _ => return Some(Err(item)),
                }
            }
            ParamValue::Names(names)
        }
        _ => return None,
    }))
}

fn unknown_param(
    rule: &str,
    specs: &[&dyn AnyParamSpec],
    name: &sluice_grammar::Ident,
) -> Diagnostic {
    let help = if specs.is_empty() {
        format!("`{rule}` takes no parameters; remove the block")
    } else {
        crate::suggest::help(&name.text, "parameter", specs.iter().map(|s| s.name()))
    };
    Diagnostic::new(
        Code::UnknownName,
        name.span,
        format!("rule `{rule}` has no parameter `{}`", name.text),
    )
    .label("unknown parameter")
    .help(help)
}

fn bad_value(rule: &str, spec: &dyn AnyParamSpec, stmt: &Stmt, item: Option<&Value>) -> Diagnostic {
    let (span, message) = match item {
        Some(item) => (
            item.span,
            format!(
                "`{}` is not valid in `{}` of rule `{rule}`",
                item.as_ident().unwrap_or_default(),
                spec.name()
            ),
        ),
        None => (
            stmt.values.first().map_or(stmt.span, |v| v.span),
            format!(
                "`{}` of rule `{rule}` takes {}",
                spec.name(),
                spec.kind().example()
            ),
        ),
    };
    Diagnostic::new(Code::InvalidValue, span, message)
        .label("wrong value")
        .help(format!(
            "write `{}` followed by {}",
            spec.name(),
            spec.kind().example()
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECLARED: ParamSpec<u64> = ParamSpec {
        name: "max",
        default: || 3,
    };

    #[test]
    fn a_declared_parameter_reads_its_default_or_the_policy_value() {
        let mut params = Params::defaults(&[&DECLARED]);
        assert_eq!(*params.get(&DECLARED), 3);
        params.values.insert("max", ParamValue::Count(5));
        assert_eq!(*params.get(&DECLARED), 5);
    }

    #[test]
    #[should_panic(expected = "does not declare it")]
    fn reading_an_undeclared_parameter_panics() {
        const UNDECLARED: ParamSpec<u64> = ParamSpec {
            name: "maximum",
            default: || 3,
        };
        Params::defaults(&[&DECLARED]).get(&UNDECLARED);
    }

    #[test]
    #[should_panic(expected = "does not declare it")]
    fn reading_a_parameter_as_another_type_panics() {
        const AS_PERCENT: ParamSpec<u32> = ParamSpec {
            name: "max",
            default: || 3,
        };
        Params::defaults(&[&DECLARED]).get(&AS_PERCENT);
    }
}
