//! The GitHub Actions target: snapshots of every emitted file, a read-back
//! test that rebuilds the job graph from the YAML and compares it with the
//! plan, and a property test with hostile commands and names.

mod common;

#[path = "github/read_back.rs"]
mod read_back;

#[path = "github/emitted.rs"]
mod emitted;
#[path = "github/fidelity.rs"]
mod fidelity;
#[path = "github/hostile.rs"]
mod hostile;
#[path = "github/limits.rs"]
mod limits;
#[path = "github/runs.rs"]
mod runs;
