//! Renderings of diagnostics: miette reports for people, JSON for tools.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use sluice_compiler::diagnostic::Severity;
use sluice_compiler::Compilation;

/// Counts for the summary line and the JSON `summary` object.
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub pipelines: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(compilation: &Compilation) -> Summary {
        let count = |s: Severity| {
            compilation
                .diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .count()
        };
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            pipelines: compilation
                .model
                .pipelines
                .iter()
                .filter(|p| !p.is_template)
                .count(),
            files: compilation.sources.len(),
        }
    }
}
