//! `sluice explain PIPELINE`: the resolved pipeline with provenance.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::{compile, explain, Options};

use super::Result;
use crate::cli::ExplainFormat;
use crate::console::{errln, out, outln};

pub fn run(name: &str, paths: Vec<PathBuf>, format: ExplainFormat) -> Result<ExitCode> {
    let options = Options {
        paths,
        policies: Vec::new(),
        today: super::today(),
    };
    let compilation = compile(&options)?;
    // a template explains too: what its pipelines start from
    let found = compilation
        .model
        .pipelines
        .iter()
        .find(|p| p.name.text == name);
    let Some(pipeline) = found else {
        let names = compilation
            .model
            .pipelines
            .iter()
            .map(|p| p.name.text.as_str());
        let hint = sluice_compiler::suggest::help(name, "pipeline or template", names);
        return Err(format!("there is no pipeline or template named `{name}`: {hint}").into());
    };
    let tree = explain::explain(pipeline, &compilation);
    match format {
        ExplainFormat::Human => out!("{}", tree.to_text()),
        ExplainFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&tree.to_json()).unwrap_or_default()
        ),
    }
    if compilation.has_errors() {
        errln!("note: the files have errors; run `sluice check` to see them");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
