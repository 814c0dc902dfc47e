//! The Tekton target: snapshots of every emitted file, a read-back test
//! that rebuilds the task graph from the YAML (`runAfter`, `when`,
//! `finally`) and compares it with the plan, and a property test with
//! hostile commands, names and alarms whose step scripts are run by `sh`.

mod common;

#[path = "tekton/read_back.rs"]
mod read_back;

#[path = "tekton/emitted.rs"]
mod emitted;
#[path = "tekton/fidelity.rs"]
mod fidelity;
#[path = "tekton/hostile.rs"]
mod hostile;
#[path = "tekton/runs.rs"]
mod runs;
