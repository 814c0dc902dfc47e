//! Walking the stage graph: which stage a node is, and an order in which
//! every stage comes after its dependencies.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::StageGraph;
use crate::model::{Pipeline, Stage};

impl StageGraph {
    /// The stage or wave of a node. `build` adds one node per entry of
    /// `Pipeline::all_stages`, in that order, so the index is the position.
    pub fn stage<'p>(&self, pipeline: &'p Pipeline, node: NodeIndex) -> Option<&'p Stage> {
        pipeline.all_stages().nth(node.index())
    }

    /// The nodes a node waits for, in source order.
    pub fn dependencies(&self, node: NodeIndex) -> Vec<NodeIndex> {
        let mut deps: Vec<NodeIndex> = self
            .graph
            .neighbors_directed(node, Direction::Incoming)
            .collect();
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    /// A topological order that keeps source order wherever the
    /// dependencies allow it (so output reads like the file); `None` when
    /// the stages wait for each other in a loop.
    pub fn order(&self) -> Option<Vec<NodeIndex>> {
        let mut waiting: Vec<usize> = self
            .graph
            .node_indices()
            .map(|n| self.dependencies(n).len())
            .collect();
        let mut ready: BinaryHeap<Reverse<NodeIndex>> = self
            .graph
            .node_indices()
            .filter(|n| waiting[n.index()] == 0)
            .map(Reverse)
            .collect();
        let mut order = Vec::with_capacity(waiting.len());
        while let Some(Reverse(node)) = ready.pop() {
            order.push(node);
            let mut next: Vec<NodeIndex> = self.graph.neighbors(node).collect();
            next.sort_unstable();
            next.dedup();
            for n in next {
                waiting[n.index()] -= 1;
                if waiting[n.index()] == 0 {
                    ready.push(Reverse(n));
                }
            }
        }
        (order.len() == waiting.len()).then_some(order)
    }
}
