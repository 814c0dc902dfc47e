//! `sluice explain`: the resolved pipeline as a tree of lines, each value
//! with where it was written and by which template or pipeline. One tree,
//! two renderings (text and JSON).

mod tree;

pub use tree::{explain, Node, Origin};
