//! What a rule is: a name (its code), a default severity, typed parameters,
//! a long explanation, and a check over one resolved pipeline.

use sluice_grammar::Span;

use super::params::{AnyParamSpec, Params};
use crate::diagnostic::{Label, Severity};
use crate::model::{Model, Pipeline};

/// One built-in rule. Each lives in its own file under `rules/` and is
/// listed once in `rules::RULES`.
pub struct RuleDef {
    pub name: &'static str,
    pub default_severity: Severity,
    pub params: &'static [&'static dyn AnyParamSpec],
    /// Why the practice matters and how to comply (`sluice explain-code`).
    pub explanation: &'static str,
    pub check: fn(&RuleContext<'_>, &Params) -> Vec<Finding>,
}

/// What a rule sees.
pub struct RuleContext<'a> {
    pub pipeline: &'a Pipeline,
    pub model: &'a Model,
    pub today: jiff::civil::Date,
    /// Results shared between the pipelines of one check, for rules whose
    /// work is the same for pipelines that inherit the same thing.
    pub memo: &'a Memo,
}

/// A cache of rule findings by a key the rule computes; pipelines that
/// inherit an identical rollout share one 168-start simulation.
#[derive(Default)]
pub struct Memo {
    findings: std::sync::Mutex<std::collections::HashMap<String, Vec<Finding>>>,
}

impl Memo {
    /// The findings cached for `key`, or `compute`d and cached.
    pub fn get_or(&self, key: String, compute: impl FnOnce() -> Vec<Finding>) -> Vec<Finding> {
        if let Some(found) = self.findings.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let found = compute();
        if let Ok(mut map) = self.findings.lock() {
            map.insert(key, found.clone());
        }
        found
    }
}

/// A problem found by a rule, at the place in the source that caused it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
    pub secondary: Vec<Label>,
}

impl Finding {
    pub fn new(span: Span, message: impl Into<String>) -> Finding {
        Finding {
            span,
            message: message.into(),
            label: String::new(),
            help: String::new(),
            secondary: Vec::new(),
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = text.into();
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = text.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }
}
