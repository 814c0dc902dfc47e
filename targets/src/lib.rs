//! Lowering a checked pipeline to what CI systems run: the target-neutral
//! execution plan every target lowers from, and the POSIX `sh` gate library
//! the emitted configurations call (windows, blockers, bakes, probes).

pub mod argo;
pub mod emit;
pub mod gates;
pub mod github;
pub mod jenkins;
pub mod output;
/// The execution plan lives in the compiler, where the timeline reads it too.
pub use sluice_compiler::plan;
pub mod registry;
pub mod tekton;
