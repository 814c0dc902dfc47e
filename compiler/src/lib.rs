//! The Sluice compiler: load → resolve → model → graph → validate.
//!
//! [`compile`] runs every phase and returns the model with all diagnostics;
//! each phase reports and goes on, so one run shows every problem.

pub mod diagnostic;
pub mod explain;
pub mod graph;
pub mod model;
pub mod plan;
pub mod policy;
pub mod resolve;
pub mod simulate;
pub mod source;
pub mod validate;

/// "Did you mean": shared with parse errors, so it lives in the grammar.
pub use sluice_grammar::suggest;

use std::path::PathBuf;

use diagnostic::{Diagnostic, Diagnostics};
use model::Model;
use source::{LoadError, Loaded, SourceMap};

/// Options of one compilation.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// `--policy` files: the organisation's (SPEC 6.4). Their definitions
    /// win over a team's, and with any of them every pipeline must be
    /// selected by one of their policies.
    pub policies: Vec<PathBuf>,
    /// The date waivers are checked against.
    pub today: jiff::civil::Date,
}

/// The result of a compilation: the model, the files and every diagnostic,
/// sorted by file and position.
pub struct Compilation {
    pub sources: SourceMap,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<Option<sluice_grammar::File>>,
    pub roots: Vec<sluice_grammar::FileId>,
    /// The resolved statement trees of templates, pipelines and policies.
    pub resolved: Vec<std::sync::Arc<resolve::Resolved>>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The name of the top-level item whose text holds this span: which
    /// template or pipeline wrote a value.
    pub fn owner_of(&self, span: sluice_grammar::Span) -> Option<&str> {
        let file = self.files.get(span.file.0 as usize)?.as_ref()?;
        let i = file
            .items
            .partition_point(|item| item.span.start <= span.start);
        let item = file.items.get(i.checked_sub(1)?)?;
        (span.end <= item.span.end)
            .then(|| item.name_text())
            .flatten()
    }
}

/// Loads, resolves, models and validates. Only I/O problems are `Err`.
pub fn compile(options: &Options) -> Result<Compilation, LoadError> {
    let mut timer = PhaseTimer::from_env();
    let Loaded {
        sources,
        files,
        roots,
        policy_files,
        mut diagnostics,
    } = source::load(&options.paths, &options.policies)?;
    timer.lap("load and parse");
    let org = Org {
        files: &policy_files,
        given: !options.policies.is_empty(),
    };
    let (model, resolved) = analyse(
        &sources,
        &files,
        org,
        options.today,
        &mut diagnostics,
        &mut timer,
    );
    let diagnostics = diagnostics.into_sorted();
    timer.lap("sort diagnostics");
    Ok(Compilation {
        sources,
        model,
        diagnostics,
        files,
        roots,
        resolved,
    })
}

/// `SLUICE_TIMINGS=1` prints the time of each phase to standard error, for
/// profiling (BENCHMARKS.md); never used by tests.
struct PhaseTimer {
    last: Option<std::time::Instant>,
}

impl PhaseTimer {
    fn from_env() -> Self {
        let on = std::env::var_os("SLUICE_TIMINGS").is_some();
        PhaseTimer {
            last: on.then(std::time::Instant::now),
        }
    }

    fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last {
            eprintln!(
                "{phase:>20}: {:>7.1} ms",
                last.elapsed().as_secs_f64() * 1000.0
            );
            self.last = Some(std::time::Instant::now());
        }
    }
}

/// The organisation's files: the `--policy` files and what they import.
#[derive(Debug, Clone, Copy)]
pub struct Org<'a> {
    pub files: &'a std::collections::HashSet<sluice_grammar::FileId>,
    /// Whether any `--policy` was given (then every pipeline must be
    /// selected by one of the organisation's policies).
    pub given: bool,
}

fn analyse(
    sources: &SourceMap,
    files: &[Option<sluice_grammar::File>],
    org: Org<'_>,
    today: jiff::civil::Date,
    diagnostics: &mut Diagnostics,
    timer: &mut PhaseTimer,
) -> (Model, Vec<std::sync::Arc<resolve::Resolved>>) {
    let namespace = resolve::Namespace::build(files, org.files, diagnostics);
    timer.lap("namespace");
    let resolved = resolve::resolve_all(&namespace, diagnostics);
    diagnostics.extend(
        resolved
            .iter()
            .filter_map(|r| resolve::override_blockers::check(r)),
    );
    timer.lap("resolve");
    let mut model_diags = Vec::new();
    let model = model::build_model(&namespace, &resolved, &mut model_diags);
    diagnostics.extend(model_diags);
    timer.lap("model");
    let context = validate::Context {
        model: &model,
        sources,
        today,
    };
    diagnostics.extend(validate::validate(&context));
    timer.lap("validate");
    diagnostics.extend(policy::check(&resolved, &model, org, today));
    timer.lap("policy");
    (model, resolved)
}
