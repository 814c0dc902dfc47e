//! The resolved, typed model: what a pipeline means after inheritance.
//!
//! Every field keeps the span it was written at (its provenance). Building
//! the model never fails: missing or malformed parts are `None` or empty, and
//! `validate` reports them.

mod build;
mod items;
mod read;
mod types;

pub use build::{build_model, build_pipeline};
pub use types::*;
