//! The Argo Workflows target: snapshots of every emitted file, a read-back
//! test that rebuilds the task graph from the `depends` expressions and
//! compares it with the plan, and a property test with hostile commands and
//! names whose container scripts are run with `sh` and the env they declare.

mod common;

#[path = "argo/read_back.rs"]
mod read_back;

#[path = "argo/emitted.rs"]
mod emitted;
#[path = "argo/fidelity.rs"]
mod fidelity;
#[path = "argo/hostile.rs"]
mod hostile;
#[path = "argo/runs.rs"]
mod runs;
