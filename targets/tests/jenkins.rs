//! The Jenkins target: snapshots of every emitted file, and the emitted
//! Jenkinsfiles *run* under Debian's `groovy` with a harness
//! (`targets/tests/jenkins/harness.groovy`) that implements the declarative
//! DSL as recording functions, with `sh` and `git` stubbed. The recorded
//! traces are compared with the plans: order, parallel groups, locks,
//! gates, bakes, timeouts, and the rollback and failure of a run whose
//! deploy or alarm fails; hostile strings reach `sh` exactly; a pipeline of
//! 40 regions with many checks compiles (no JVM method over 64 KB).

mod common;

#[path = "jenkins/expect.rs"]
mod expect;
#[path = "jenkins/harness.rs"]
mod harness;

#[path = "jenkins/emitted.rs"]
mod emitted;
#[path = "jenkins/failures.rs"]
mod failures;
#[path = "jenkins/hostile.rs"]
mod hostile;
#[path = "jenkins/limits.rs"]
mod limits;
#[path = "jenkins/order.rs"]
mod order;
