//! The stage graph (SPEC 4.2): stages by `after` (default: the previous
//! stage), production after the last stage (or its own `after`), waves one
//! after another. Built with petgraph; loops are reported with the loop.

mod order;
pub mod render;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use sluice_grammar::{Ident, Span};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Pipeline, StageKind};

/// A node: a stage or a wave of one pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub kind: StageKind,
    pub span: Span,
}

/// Edges point from a dependency to the stage that waits for it.
pub struct StageGraph {
    pub graph: DiGraph<Node, Span>,
}

impl StageGraph {
    /// Builds the graph; unknown `after` names and loops are diagnostics.
    pub fn build(pipeline: &Pipeline, diags: &mut Vec<Diagnostic>) -> StageGraph {
        let mut graph = DiGraph::new();
        let stage_nodes: Vec<NodeIndex> = pipeline
            .stages
            .iter()
            .map(|s| {
                graph.add_node(Node {
                    name: s.name.text.clone(),
                    kind: StageKind::Stage,
                    span: s.name.span,
                })
            })
            .collect();
        let find = |name: &str| pipeline.stages.iter().position(|s| s.name.text == name);
        let link = |graph: &mut DiGraph<Node, Span>,
                    deps: &[Ident],
                    to: NodeIndex,
                    diags: &mut Vec<Diagnostic>| {
            for dep in deps {
                match find(&dep.text) {
                    Some(i) => {
                        graph.add_edge(stage_nodes[i], to, dep.span);
                    }
                    None => diags.push(unknown_stage(pipeline, dep)),
                }
            }
        };
        for (i, stage) in pipeline.stages.iter().enumerate() {
            match &stage.after {
                Some(deps) => link(&mut graph, deps, stage_nodes[i], diags),
                None if i > 0 => {
                    graph.add_edge(stage_nodes[i - 1], stage_nodes[i], stage.name.span);
                }
                None => {}
            }
        }
        if let Some(production) = &pipeline.production {
            let mut previous: Option<NodeIndex> = None;
            for wave in &production.waves {
                let node = graph.add_node(Node {
                    name: wave.name.text.clone(),
                    kind: StageKind::Wave,
                    span: wave.name.span,
                });
                match previous {
                    Some(prev) => {
                        graph.add_edge(prev, node, wave.name.span);
                    }
                    None => match &production.after {
                        Some(deps) => link(&mut graph, deps, node, diags),
                        None => {
                            if let Some(last) = stage_nodes.last() {
                                graph.add_edge(*last, node, production.span);
                            }
                        }
                    },
                }
                previous = Some(node);
            }
        }
        let result = StageGraph { graph };
        diags.extend(result.cycles(pipeline));
        result
    }

    /// One diagnostic per loop, showing every `after` on it.
    fn cycles(&self, pipeline: &Pipeline) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for component in tarjan_scc(&self.graph) {
            let looped =
                component.len() > 1 || self.graph.find_edge(component[0], component[0]).is_some();
            if !looped {
                continue;
            }
            let path = self.loop_in(&component);
            let names: Vec<&str> = path.iter().map(|n| self.graph[*n].name.as_str()).collect();
            let mut shown = names.clone();
            shown.push(names[0]);
            let edge =
                |a: NodeIndex, b: NodeIndex| self.graph.find_edge(a, b).map(|e| self.graph[e]);
            let first_edge =
                edge(path[path.len() - 1], path[0]).unwrap_or(self.graph[path[0]].span);
            let mut d = Diagnostic::new(
                Code::Cycle,
                first_edge,
                format!(
                    "stages wait for each other in a loop: {}",
                    shown.join(" → ")
                ),
            )
            .label(format!(
                "`{}` waits for `{}`",
                names[0],
                names[names.len() - 1]
            ))
            .help("remove one `after` on this loop so that the stages can start in some order")
            .in_pipeline(&pipeline.name.text);
            for w in path.windows(2) {
                if let Some(span) = edge(w[0], w[1]) {
                    d = d.with_secondary(
                        span,
                        format!(
                            "`{}` waits for `{}`",
                            self.graph[w[1]].name, self.graph[w[0]].name
                        ),
                    );
                }
            }
            out.push(d);
        }
        out
    }

    /// A simple loop through the strongly connected component, starting at
    /// its first node in source order.
    fn loop_in(&self, component: &[NodeIndex]) -> Vec<NodeIndex> {
        let start = *component
            .iter()
            .min_by_key(|n| (self.graph[**n].span.file, self.graph[**n].span.start))
            .unwrap_or(&component[0]);
        // depth-first search back to `start`, staying inside the component
        let mut path = vec![start];
        let mut visited = vec![start];
        if self.dfs(start, start, component, &mut path, &mut visited) {
            path
        } else {
            vec![start]
        }
    }

    fn dfs(
        &self,
        node: NodeIndex,
        start: NodeIndex,
        component: &[NodeIndex],
        path: &mut Vec<NodeIndex>,
        visited: &mut Vec<NodeIndex>,
    ) -> bool {
        let mut next: Vec<NodeIndex> = self.graph.neighbors(node).collect();
        next.sort();
        for n in next {
            if n == start {
                return true;
            }
            if component.contains(&n) && !visited.contains(&n) {
                visited.push(n);
                path.push(n);
                if self.dfs(n, start, component, path, visited) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
}

fn unknown_stage(pipeline: &Pipeline, dep: &Ident) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownName,
        dep.span,
        format!(
            "there is no stage named `{}` in `{}`",
            dep.text, pipeline.name.text
        ),
    )
    .label("named in `after`")
    .help(crate::suggest::help(
        &dep.text,
        "stage",
        pipeline.stages.iter().map(|s| s.name.text.as_str()),
    ))
    .in_pipeline(&pipeline.name.text)
}
