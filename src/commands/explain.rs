//! `sluice explain PIPELINE`: the resolved pipeline with provenance.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::{compile, explain, Options};

use super::Result;
use crate::cli::ExplainFormat;

pub fn run(name: &str, paths: Vec<PathBuf>, format: ExplainFormat) -> Result<ExitCode> {
    let options = Options {
        paths,
        today: super::today(),
    };
    let compilation = compile(&options)?;
    let Some(pipeline) = compilation.model.pipeline(name) else {
        let names = compilation
            .model
            .pipelines
            .iter()
            .filter(|p| !p.is_template)
            .map(|p| p.name.text.as_str());
        let hint = sluice_compiler::suggest::help(name, "pipeline", names);
        return Err(format!("there is no pipeline named `{name}`: {hint}").into());
    };
    let tree = explain::explain(pipeline, &compilation);
    match format {
        ExplainFormat::Human => print!("{}", tree.to_text()),
        ExplainFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&tree.to_json()).unwrap_or_default()
        ),
    }
    if compilation.has_errors() {
        eprintln!("note: the files have errors; run `sluice check` to see them");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
