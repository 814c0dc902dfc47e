//! The Sluice compiler: load → resolve → model → graph → validate.
//!
//! [`compile`] runs every phase and returns the model with all diagnostics;
//! each phase reports and goes on, so one run shows every problem.

pub mod diagnostic;
pub mod explain;
pub mod graph;
pub mod model;
pub mod policy;
pub mod resolve;
pub mod source;
pub mod suggest;
pub mod validate;

use std::path::PathBuf;

use diagnostic::{Diagnostic, Diagnostics};
use model::Model;
use source::{LoadError, Loaded, SourceMap};

/// Options of one compilation.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
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
    let Loaded {
        sources,
        files,
        roots,
        mut diagnostics,
    } = source::load(&options.paths)?;
    let model = analyse(&sources, &files, options.today, &mut diagnostics);
    Ok(Compilation {
        sources,
        model,
        diagnostics: diagnostics.into_sorted(),
        files,
        roots,
    })
}

fn analyse(
    sources: &SourceMap,
    files: &[Option<sluice_grammar::File>],
    today: jiff::civil::Date,
    diagnostics: &mut Diagnostics,
) -> Model {
    let namespace = resolve::Namespace::build(files, diagnostics);
    let resolved = resolve::resolve_all(&namespace, diagnostics);
    let mut model_diags = Vec::new();
    let model = model::build_model(&namespace, &resolved, &mut model_diags);
    diagnostics.extend(model_diags);
    let context = validate::Context {
        model: &model,
        sources,
        today,
    };
    diagnostics.extend(validate::validate(&context));
    diagnostics.extend(policy::check(&resolved, &model, today));
    model
}
