//! Builds the explain tree from the typed model.

use serde_json::{json, Value};
use sluice_grammar::{Ident, Span};

use crate::model::*;
use crate::Compilation;

/// Where a value was written.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The template or pipeline whose body holds the text.
    pub item: Option<String>,
}

/// One line of the explanation: `label value`, its origin, its children.
#[derive(Debug, Clone)]
pub struct Node {
    pub label: String,
    pub value: Option<Value>,
    pub origin: Option<Origin>,
    pub children: Vec<Node>,
}

struct Builder<'a> {
    compilation: &'a Compilation,
}

pub fn explain(pipeline: &Pipeline, compilation: &Compilation) -> Node {
    Builder { compilation }.pipeline(pipeline)
}

impl Builder<'_> {
    fn origin(&self, span: Span) -> Origin {
        let file = self.compilation.sources.get(span.file);
        let (line, column) = file.line_col(span.start);
        Origin {
            file: file.name.clone(),
            line,
            column,
            item: self.compilation.owner_of(span).map(String::from),
        }
    }

    fn leaf(&self, label: &str, value: Value, span: Span) -> Node {
        Node {
            label: label.into(),
            value: Some(value),
            origin: Some(self.origin(span)),
            children: Vec::new(),
        }
    }

    fn group(&self, label: String, span: Option<Span>, children: Vec<Node>) -> Node {
        Node {
            label,
            value: None,
            origin: span.map(|s| self.origin(s)),
            children,
        }
    }

    fn idents(&self, label: &str, items: &[Ident]) -> Option<Node> {
        if items.is_empty() {
            return None;
        }
        let children = items
            .iter()
            .map(|i| self.leaf("-", json!(i.text), i.span))
            .collect();
        Some(self.group(label.into(), None, children))
    }

    fn pipeline(&self, p: &Pipeline) -> Node {
        let mut children = Vec::new();
        let chain: Vec<&str> = p.chain.iter().map(|i| i.text.as_str()).collect();
        if !chain.is_empty() {
            children.push(Node {
                label: "extends".into(),
                value: Some(json!(chain)),
                origin: None,
                children: Vec::new(),
            });
        }
        if let Some(f) = &p.fleet {
            children.push(self.leaf("fleet", json!(f.text), f.span));
        }
        if let Some(o) = &p.owner {
            children.push(self.leaf("owner", json!(o.value), o.span));
        }
        children.extend(self.idents("tags", &p.tags));
        if let Some(s) = &p.source {
            let mut c = Vec::new();
            if let Some(b) = &s.branch {
                c.push(self.leaf("branch", json!(b.value), b.span));
            }
            if let Some(a) = &s.approvals {
                c.push(self.leaf("review approvals", json!(a.value), a.span));
            }
            for path in &s.paths {
                c.push(self.leaf("path", json!(path.value), path.span));
            }
            children.push(self.group("source".into(), Some(s.span), c));
        }
        for stage in &p.stages {
            children.push(self.stage(stage));
        }
        if let Some(prod) = &p.production {
            let mut c = Vec::new();
            if let Some(after) = prod.after.as_deref().and_then(|a| self.idents("after", a)) {
                c.push(after);
            }
            c.extend(prod.waves.iter().map(|w| self.stage(w)));
            children.push(self.group("production".into(), Some(prod.span), c));
        }
        if let Some(e) = &p.emergency {
            let mut c = Vec::new();
            if let Some(s) = &e.bake_scale {
                c.push(self.leaf("bake-scale", json!(format!("{}%", s.value)), s.span));
            }
            for a in &e.approvers {
                c.push(self.leaf("approver", json!(a.value), a.span));
            }
            if let Some(span) = e.override_blockers {
                c.push(self.leaf("override-blockers", json!(true), span));
            }
            children.push(self.group("emergency".into(), Some(e.span), c));
        }
        for w in &p.waivers {
            let mut c = Vec::new();
            if let Some(r) = &w.reason {
                c.push(self.leaf("reason", json!(r.value), r.span));
            }
            if let Some(a) = &w.approved_by {
                c.push(self.leaf("approved-by", json!(a.value), a.span));
            }
            if let Some(x) = &w.expires {
                c.push(self.leaf("expires", json!(x.value.to_string()), x.span));
            }
            children.push(self.group(format!("waive {}", w.rule.text), Some(w.span), c));
        }
        let kind = if p.is_template {
            "template"
        } else {
            "pipeline"
        };
        self.group(
            format!("{kind} {}", p.name.text),
            Some(p.name.span),
            children,
        )
    }

    fn stage(&self, s: &Stage) -> Node {
        let mut c = Vec::new();
        if let Some(after) = s.after.as_deref().and_then(|a| self.idents("after", a)) {
            c.push(after);
        }
        match &s.regions {
            RegionSpec::None => {}
            RegionSpec::List(list) => c.extend(self.idents("regions", list)),
            RegionSpec::Rest { span, regions } => {
                let names: Vec<&str> = regions.iter().map(|r| r.text.as_str()).collect();
                c.push(self.leaf("regions rest", json!(names), *span));
            }
        }
        for a in &s.approvals {
            let mut ac: Vec<Node> = a
                .approvers
                .iter()
                .map(|x| self.leaf("approver", json!(x.value), x.span))
                .collect();
            if let Some(t) = &a.timeout {
                ac.push(self.leaf("timeout", json!(t.value.to_string()), t.span));
            }
            c.push(self.group(format!("approval {}", a.name.text), Some(a.span), ac));
        }
        if let Some(w) = &s.window {
            c.push(self.leaf("window", json!(w.text), w.span));
        }
        c.extend(self.idents("blockers", &s.blockers));
        if let Some(d) = &s.deploy {
            c.push(self.leaf("deploy", json!(d.text), d.span));
        }
        if let Some(r) = &s.rollback {
            c.push(self.leaf("rollback", json!(r.text), r.span));
        }
        if let Some(o) = &s.one_box {
            let mut oc = Vec::new();
            if let Some(b) = &o.bake {
                oc.push(self.bake(b));
            }
            oc.extend(self.idents("alarms", &o.alarms));
            c.push(self.group("one-box".into(), Some(o.span), oc));
        }
        if let Some(mode) = s.rolling.as_ref().and_then(|r| r.mode.as_ref()) {
            let text = match mode.value {
                RollingMode::ByCell => "by cell".to_string(),
                RollingMode::Batch(p) => format!("batch {p}%"),
            };
            c.push(self.leaf("rolling", json!(text), mode.span));
        }
        for step in &s.steps {
            let label = match step.kind {
                StepKind::Run => format!("run {}", step.name.text),
                StepKind::Check(k) => format!("check {} (kind {})", step.name.text, k.as_str()),
            };
            let mut sc = Vec::new();
            if let Some(cmd) = &step.command {
                sc.push(self.leaf("command", json!(cmd.text), cmd.span));
            }
            if let Some(t) = &step.timeout {
                sc.push(self.leaf("timeout", json!(t.value.to_string()), t.span));
            }
            c.push(self.group(label, Some(step.span), sc));
        }
        if let Some(b) = &s.bake {
            c.push(self.bake(b));
        }
        c.extend(self.idents("alarms", &s.alarms));
        if let Some(t) = &s.timeout {
            c.push(self.leaf("timeout", json!(t.value.to_string()), t.span));
        }
        let label = match s.kind {
            StageKind::Stage => format!("stage {}", s.name.text),
            StageKind::Wave => format!("wave {}", s.name.text),
        };
        self.group(label, Some(s.name.span), c)
    }

    fn bake(&self, b: &Bake) -> Node {
        let mut node = match &b.duration {
            Some(d) => self.leaf("bake", json!(d.value.to_string()), d.span),
            None => self.group("bake".into(), Some(b.span), Vec::new()),
        };
        if let Some(dp) = &b.datapoints {
            node.children
                .push(self.leaf("datapoints", json!(dp.count.value), dp.count.span));
            node.children.push(self.leaf(
                dp.probe.provider.as_str(),
                json!(dp.probe.text),
                dp.probe.span,
            ));
        }
        node
    }
}

impl Node {
    /// Indented text, each value followed by `← where`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_text(0, &mut out);
        out
    }

    fn write_text(&self, depth: usize, out: &mut String) {
        let mut line = format!("{}{}", "  ".repeat(depth), self.label);
        if let Some(value) = &self.value {
            line.push(' ');
            line.push_str(&match value {
                Value::String(s) => format!("{s:?}"),
                other => other.to_string(),
            });
        }
        if let Some(origin) = &self.origin {
            let pad = 60usize.saturating_sub(line.chars().count()).max(2);
            line.push_str(&" ".repeat(pad));
            line.push_str(&format!(
                "← {}:{}:{}",
                origin.file, origin.line, origin.column
            ));
            if let Some(item) = &origin.item {
                line.push_str(&format!(" ({item})"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for child in &self.children {
            child.write_text(depth + 1, out);
        }
    }

    /// `{"label", "value", "from": {"file","line","column","item"}, "children"}`.
    pub fn to_json(&self) -> Value {
        let mut object = serde_json::Map::new();
        object.insert("label".into(), json!(self.label));
        if let Some(value) = &self.value {
            object.insert("value".into(), value.clone());
        }
        if let Some(o) = &self.origin {
            object.insert(
                "from".into(),
                json!({"file": o.file, "line": o.line, "column": o.column, "item": o.item}),
            );
        }
        if !self.children.is_empty() {
            object.insert(
                "children".into(),
                Value::Array(self.children.iter().map(Node::to_json).collect()),
            );
        }
        Value::Object(object)
    }
}
