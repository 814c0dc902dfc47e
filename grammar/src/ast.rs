//! The typed syntax tree.
//!
//! Sluice bodies are merged by kind and name (SPEC 4.3), so the tree is
//! uniform, like HCL's: every statement is a [`Stmt`] with a typed
//! [`Keyword`], an optional name, typed [`Value`]s and an optional body. The
//! grammar decides which statements may appear where; later phases read the
//! tree through the keyword. Every node keeps its span.

use crate::span::{FileId, Span};
use crate::value::{Date, Day, Duration, Time};

/// A parsed `.sluice` file.
#[derive(Debug, Clone)]
pub struct File {
    pub id: FileId,
    pub items: Vec<Stmt>,
    pub comments: Vec<Comment>,
}

/// A `# ...` comment; kept so that `fmt` can put it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    /// The text after `#`, without the line break.
    pub text: String,
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

/// `=` (replace, the default) or `+=` (append to the inherited list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Op {
    #[default]
    Set,
    Append,
}

/// One statement, block or top-level item.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub keyword: Keyword,
    pub keyword_span: Span,
    /// The span of `final` when the statement is marked final.
    pub final_span: Option<Span>,
    /// The name of a named block: `stage build`, `wave 1`, `run compile`, a
    /// top-level item, a `region`, a `rule`, a `waive`, the target of `drop`.
    pub name: Option<Ident>,
    /// `extends PARENT` of templates, pipelines and policies.
    pub extends: Option<Ident>,
    pub op: Op,
    pub values: Vec<Value>,
    pub body: Option<Vec<Stmt>>,
    /// The whole statement, from `final`/keyword to the closing brace.
    pub span: Span,
}

impl Stmt {
    pub fn is_final(&self) -> bool {
        self.final_span.is_some()
    }

    pub fn name_text(&self) -> Option<&str> {
        self.name.as_ref().map(|n| n.text.as_str())
    }

    pub fn body(&self) -> &[Stmt] {
        self.body.as_deref().unwrap_or(&[])
    }

    /// The first value, if any.
    pub fn value(&self) -> Option<&Value> {
        self.values.first()
    }
}

/// A literal value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// A name or a fixed word (`rest`, `all`, `cell`, `high`, `warn`, ...).
    Ident(String),
    Str(String),
    Int(u64),
    Duration(Duration),
    Percent(u32),
    Time(Time),
    TimeRange(Time, Time),
    Day(Day),
    DayRange(Day, Day),
    Date(Date),
    DateRange(Date, Date),
    List(Vec<Value>),
    /// `cloudwatch "..."`, `prometheus "..."`, `command "..."`.
    Probe(Provider, String),
}

impl Value {
    pub fn as_ident(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Ident(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) => Some(items),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Cloudwatch,
    Prometheus,
    Command,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Cloudwatch => "cloudwatch",
            Provider::Prometheus => "prometheus",
            Provider::Command => "command",
        }
    }
}

macro_rules! keywords {
    ($($(#[$meta:meta])* $variant:ident => $text:literal,)*) => {
        /// What a statement declares. `as_str` is the word written in source.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Keyword { $($(#[$meta])* $variant,)* }

        impl Keyword {
            pub fn as_str(self) -> &'static str {
                match self { $(Keyword::$variant => $text,)* }
            }
        }
    };
}

keywords! {
    Import => "import",
    Fleet => "fleet",
    Region => "region",
    Cells => "cells",
    Traffic => "traffic",
    Calendar => "calendar",
    /// A date line of a calendar; written without a keyword.
    Holiday => "",
    Window => "window",
    Timezone => "timezone",
    Allow => "allow",
    DenyCalendar => "deny calendar",
    DenyDates => "deny",
    Alarm => "alarm",
    /// The provider line inside an `alarm` block; the provider is the value.
    Probe => "",
    Template => "template",
    Pipeline => "pipeline",
    Policy => "policy",
    Owner => "owner",
    Tags => "tags",
    Source => "source",
    Branch => "branch",
    Review => "review",
    Approvals => "approvals",
    Paths => "paths",
    Stage => "stage",
    Production => "production",
    Wave => "wave",
    After => "after",
    Regions => "regions",
    Run => "run",
    Check => "check",
    Kind => "kind",
    /// `run "cmd"` inside the long form of `check`.
    CheckRun => "run",
    Timeout => "timeout",
    Approval => "approval",
    Approvers => "approvers",
    Deploy => "deploy",
    Rollback => "rollback",
    OneBox => "one-box",
    Rolling => "rolling",
    By => "by",
    Batch => "batch",
    Bake => "bake",
    Datapoints => "datapoints",
    Alarms => "alarms",
    Blockers => "blockers",
    Emergency => "emergency",
    BakeScale => "bake-scale",
    OverrideBlockers => "override-blockers",
    Waive => "waive",
    Reason => "reason",
    ApprovedBy => "approved-by",
    Expires => "expires",
    Drop => "drop",
    AppliesTo => "applies-to",
    Rule => "rule",
    /// A policy rule parameter; its name is the statement's name.
    Param => "",
}
