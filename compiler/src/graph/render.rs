//! The stage graph as a picture (`sluice graph`): Graphviz DOT or a Mermaid
//! flowchart. Each node says what a reviewer asks about a stage before
//! approving a pipeline: where it deploys, what gates its start (window,
//! blockers, approvals), which checks it runs and how long it bakes.
//! Production's waves sit together in one box.

use std::fmt::Write;

use petgraph::graph::NodeIndex;

use super::StageGraph;
use crate::model::{Bake, Pipeline, RollingMode, Stage, StageKind};

/// The lines of a node: its title, then one line per fact.
pub fn describe(stage: &Stage) -> Vec<String> {
    let mut lines = vec![match stage.kind {
        StageKind::Stage => stage.name.text.clone(),
        StageKind::Wave => format!("wave {}", stage.name.text),
    }];
    let regions = stage.regions.regions();
    if !regions.is_empty() {
        lines.push(format!(
            "regions: {}",
            names(regions.iter().map(|r| &r.text))
        ));
    }
    if let Some(window) = &stage.window {
        lines.push(format!("window: {}", window.text));
    }
    if !stage.blockers.is_empty() {
        lines.push(format!(
            "blockers: {}",
            names(stage.blockers.iter().map(|b| &b.text))
        ));
    }
    for approval in &stage.approvals {
        let who = names(approval.approvers.iter().map(|a| &a.value));
        lines.push(if who.is_empty() {
            format!("approval: {}", approval.name.text)
        } else {
            format!("approval: {} by {who}", approval.name.text)
        });
    }
    let checks: Vec<String> = stage
        .steps
        .iter()
        .filter(|s| matches!(s.kind, crate::model::StepKind::Check(_)))
        .map(|s| s.name.text.clone())
        .collect();
    if !checks.is_empty() {
        lines.push(format!("checks: {}", checks.join(", ")));
    }
    if stage.deploy.is_some() {
        let mode = stage.rolling.as_ref().and_then(|r| r.mode.as_ref());
        lines.push(match mode.map(|m| m.value) {
            Some(RollingMode::ByCell) => "deploy: by cell".to_string(),
            Some(RollingMode::Batch(n)) => format!("deploy: batches of {n}%"),
            None => "deploy".to_string(),
        });
        if let Some(one_box) = &stage.one_box {
            lines.push(format!("one-box bake {}", bake_text(one_box.bake.as_ref())));
        }
    }
    if let Some(bake) = &stage.bake {
        lines.push(format!("bake {}", bake_text(Some(bake))));
    }
    lines
}

fn names<'a>(items: impl Iterator<Item = &'a String>) -> String {
    items.map(String::as_str).collect::<Vec<_>>().join(", ")
}

fn bake_text(bake: Option<&Bake>) -> String {
    let Some(bake) = bake else {
        return "0s".into();
    };
    let time = bake
        .duration
        .as_ref()
        .map_or("0s".to_string(), |d| d.value.to_string());
    match &bake.datapoints {
        Some(d) => format!("{time}, {} datapoints", d.count.value),
        None => time,
    }
}

/// Graphviz DOT; `dot -Tsvg` draws it left to right.
pub fn to_dot(graph: &StageGraph, pipeline: &Pipeline) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_quote(&pipeline.name.text));
    out.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, ");
    let _ = writeln!(
        out,
        "label={}];",
        dot_quote(&format!("pipeline {}", pipeline.name.text))
    );
    out.push_str("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [color=\"#555555\"];\n");
    let (stages, waves) = split(graph);
    for node in &stages {
        dot_node(&mut out, graph, pipeline, *node, "  ");
    }
    if !waves.is_empty() {
        out.push_str("  subgraph cluster_production {\n");
        out.push_str("    label=\"production\"; style=\"rounded,dashed\"; color=\"#888888\";\n");
        for node in &waves {
            dot_node(&mut out, graph, pipeline, *node, "    ");
        }
        out.push_str("  }\n");
    }
    for (from, to) in edges(graph) {
        let _ = writeln!(out, "  n{} -> n{};", from.index(), to.index());
    }
    out.push_str("}\n");
    out
}

fn dot_node(out: &mut String, graph: &StageGraph, p: &Pipeline, node: NodeIndex, indent: &str) {
    let Some(stage) = graph.stage(p, node) else {
        return;
    };
    let label = describe(stage)
        .iter()
        .map(|l| dot_escape(l))
        .collect::<Vec<_>>()
        .join("\\n");
    let _ = writeln!(out, "{indent}n{} [label=\"{label}\"];", node.index());
}

/// A DOT double-quoted string: `"` and `\` escaped, no raw line breaks.
fn dot_quote(text: &str) -> String {
    format!("\"{}\"", dot_escape(text))
}

fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid `flowchart`: labels quoted, special characters as Mermaid
/// entity codes (`#34;`), lines joined with `<br/>`.
pub fn to_mermaid(graph: &StageGraph, pipeline: &Pipeline) -> String {
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "  %% pipeline {}", mermaid_escape(&pipeline.name.text));
    let (stages, waves) = split(graph);
    for node in &stages {
        mermaid_node(&mut out, graph, pipeline, *node, "  ");
    }
    if !waves.is_empty() {
        out.push_str("  subgraph production[\"production\"]\n    direction LR\n");
        for node in &waves {
            mermaid_node(&mut out, graph, pipeline, *node, "    ");
        }
        out.push_str("  end\n");
    }
    for (from, to) in edges(graph) {
        let _ = writeln!(out, "  n{} --> n{}", from.index(), to.index());
    }
    out
}

fn mermaid_node(out: &mut String, graph: &StageGraph, p: &Pipeline, node: NodeIndex, indent: &str) {
    let Some(stage) = graph.stage(p, node) else {
        return;
    };
    let label = describe(stage)
        .iter()
        .map(|l| mermaid_escape(l))
        .collect::<Vec<_>>()
        .join("<br/>");
    let _ = writeln!(out, "{indent}n{}[\"{label}\"]", node.index());
}

/// Characters Mermaid would read as syntax or markup become entity codes.
pub fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '#' | '<' | '>' | '&' | '`' | '[' | ']' | '{' | '}' | '|' | ';' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Stages and waves, each in source order.
fn split(graph: &StageGraph) -> (Vec<NodeIndex>, Vec<NodeIndex>) {
    graph
        .graph
        .node_indices()
        .partition(|n| graph.graph[*n].kind == StageKind::Stage)
}

/// Every edge once, sorted, so output is deterministic.
fn edges(graph: &StageGraph) -> Vec<(NodeIndex, NodeIndex)> {
    let mut edges: Vec<(NodeIndex, NodeIndex)> = graph
        .graph
        .edge_indices()
        .filter_map(|e| graph.graph.edge_endpoints(e))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}
