//! One diagnostic type for every problem Sluice reports, and the registry of
//! codes. Only the CLI turns diagnostics into text, JSON or SARIF.

mod code;

pub use code::Code;

use serde::Serialize;
use sluice_grammar::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A place in the source with a short text saying what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// Where it is wrong; the label says why this place.
    pub primary: Label,
    /// Other places that explain it (the first definition, the `final` item).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: String,
    pub pipeline: Option<String>,
    pub rule: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: Label {
                span,
                text: String::new(),
            },
            secondary: Vec::new(),
            help: String::new(),
            pipeline: None,
            rule: None,
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn in_pipeline(mut self, pipeline: impl Into<String>) -> Self {
        self.pipeline = Some(pipeline.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Collects diagnostics; passes take `&mut Diagnostics` and keep going.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, position, then code; exact duplicates removed (a
    /// template's problem found once per pipeline that extends it).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (
                a.primary.span.file,
                a.primary.span.start,
                a.primary.span.end,
                a.code,
                &a.message,
                &a.pipeline,
            )
                .cmp(&(
                    b.primary.span.file,
                    b.primary.span.start,
                    b.primary.span.end,
                    b.code,
                    &b.message,
                    &b.pipeline,
                ))
        });
        // a rule finding names its pipeline, so it is kept once per pipeline
        self.items.dedup_by(|a, b| {
            a.code == b.code
                && a.primary.span == b.primary.span
                && a.message == b.message
                && (a.rule.is_none() || a.pipeline == b.pipeline)
        });
        self.items
    }
}
