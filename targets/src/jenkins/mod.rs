//! The Jenkins target: from each pipeline's [`Plan`], a declarative
//! pipeline `jenkins/<pipeline>.Jenkinsfile`; beside them, once, the gate
//! library `jenkins/sluice-gates.sh`. See `docs/targets/jenkins.md`.
//!
//! * **Levels** (`levels.rs`): declarative pipelines have no general DAG
//!   and forbid nested `parallel`, so the stage graph is flattened into
//!   topological levels. A level is one top-level stage holding the
//!   `lock`s of its stages; inside it, the gates of its stages (in
//!   `parallel` when more than one), then every region of every stage of
//!   the level in one `parallel`. Where this loses overlap the graph
//!   allows, the Jenkinsfile says so in a comment at that level.
//! * **Executors**: `agent none` everywhere; commands and gate checks run
//!   in `node(params.agent_label)` blocks inside helper methods, so `input`,
//!   `sleep` (bakes, windows) and `lock` hold no executor.
//! * **Method size**: the `pipeline {}` block holds only structure; each
//!   gate, region and rollback is a generated method after it, calling
//!   shared helpers (`helpers.groovy`), so no method grows with the size of
//!   the organisation (the JVM limits a method to 64 KB of bytecode).
//! * **Safety**: every value of the source is a single-quoted Groovy
//!   string ([`groovy::string`]), reaching `sh` only through `withEnv`;
//!   the version is `env.SLUICE_VERSION`, read from the checkout.

pub mod groovy;
mod jenkinsfile;
pub mod levels;
mod methods;

use crate::emit::names::{shorten, with_hash};
use crate::gates;
use crate::output::{EmitError, OutputFile, Pipeline};

pub use jenkinsfile::{jenkinsfile, method_name, AGENT_DEFAULT};

/// Where the Jenkinsfiles find the gate library (relative to the checkout).
pub const GATES_PATH: &str = "jenkins/sluice-gates.sh";

/// The helper methods every Jenkinsfile ends with.
pub const HELPERS: &str = include_str!("helpers.groovy");

/// Every file of the target, sorted by path. Jenkins takes every plan.
pub fn emit(pipelines: &[Pipeline<'_>]) -> Result<Vec<OutputFile>, EmitError> {
    let mut files: Vec<OutputFile> = pipelines
        .iter()
        .map(|p| OutputFile {
            path: jenkinsfile_path(&p.plan.pipeline),
            contents: jenkinsfile(p.plan, p.source),
        })
        .collect();
    files.push(OutputFile {
        path: GATES_PATH.to_string(),
        contents: gates::library(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// File systems refuse names over 255 bytes; long pipeline names are cut
/// well below that, with a hash of the whole name, as the other targets do.
const MAX_FILE_STEM: usize = 100;

/// `jenkins/<pipeline>.Jenkinsfile`; a name with characters outside
/// `[A-Za-z0-9._-]` gets them replaced and a hash appended.
pub fn jenkinsfile_path(pipeline: &str) -> String {
    let mut name: String = pipeline
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.len() > MAX_FILE_STEM {
        name = shorten(&name, MAX_FILE_STEM, pipeline);
    } else if name != pipeline || name.starts_with('.') || name.is_empty() {
        name = with_hash(&name, pipeline);
    }
    format!("jenkins/{name}.Jenkinsfile")
}
