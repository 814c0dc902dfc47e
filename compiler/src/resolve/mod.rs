//! Inheritance (SPEC 4.3): the namespace of top-level items, `extends`
//! chains, and the merge of a child body onto its resolved parent.
//!
//! The resolved body is again a tree of syntax statements: every statement
//! and value keeps the span it was written at, which is its provenance. The
//! owner of a span (which template wrote it) comes from [`Namespace::owner_of`].

mod inherit;
mod merge;
mod namespace;
pub mod override_blockers;

pub use inherit::{resolve_all, Resolved};
pub use merge::{merge_body, overridden, MergeScope};
pub use namespace::Namespace;
