//! The stage graph flattened into topological levels: a stage's level is
//! one more than the highest level of the stages it waits for (`after`),
//! so every stage of a level can run together once the level before has
//! finished. Jenkins then waits for *every* stage of the earlier levels,
//! which the graph may not require: [`Level::lost`] lists those waits.

use std::collections::{BTreeSet, HashMap};

use crate::plan::{Plan, StagePlan, UnitId};

/// The stages of one level, in plan order, with the waits that the
/// flattening adds.
#[derive(Debug, Clone)]
pub struct Level<'a> {
    pub stages: Vec<&'a StagePlan>,
    /// `(stage, stages it now also waits for)`, when not empty.
    pub lost: Vec<(UnitId, Vec<UnitId>)>,
}

/// The levels of `plan`, first to last.
pub fn levels(plan: &Plan) -> Vec<Level<'_>> {
    let mut level_of: HashMap<&UnitId, usize> = HashMap::new();
    let mut ancestors: HashMap<&UnitId, BTreeSet<&UnitId>> = HashMap::new();
    let mut out: Vec<Level<'_>> = Vec::new();
    // the plan lists each stage after the stages it waits for
    for stage in &plan.stages {
        let level = stage
            .after
            .iter()
            .filter_map(|a| level_of.get(a))
            .map(|l| l + 1)
            .max()
            .unwrap_or(0);
        let mut mine: BTreeSet<&UnitId> = BTreeSet::new();
        for a in &stage.after {
            mine.insert(a);
            if let Some(up) = ancestors.get(a) {
                mine.extend(up.iter().copied());
            }
        }
        level_of.insert(&stage.id, level);
        ancestors.insert(&stage.id, mine);
        while out.len() <= level {
            out.push(Level {
                stages: Vec::new(),
                lost: Vec::new(),
            });
        }
        out[level].stages.push(stage);
    }
    for index in 0..out.len() {
        let earlier: Vec<&UnitId> = out[..index]
            .iter()
            .flat_map(|l| l.stages.iter().map(|s| &s.id))
            .collect();
        let mut lost = Vec::new();
        for stage in &out[index].stages {
            let missing: Vec<UnitId> = earlier
                .iter()
                .filter(|e| !ancestors[&stage.id].contains(*e))
                .map(|e| (*e).clone())
                .collect();
            if !missing.is_empty() {
                lost.push((stage.id.clone(), missing));
            }
        }
        out[index].lost = lost;
    }
    out
}
