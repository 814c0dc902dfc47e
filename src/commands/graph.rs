//! `sluice graph PIPELINE`: the stage graph as Graphviz DOT or a Mermaid
//! flowchart, for design docs and pull requests.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::graph::{render, StageGraph};
use sluice_compiler::{compile, Options};

use super::timeline::{find_pipeline, refuse_broken};
use super::Result;
use crate::cli::GraphFormat;
use crate::console::out;

pub fn run(name: &str, paths: Vec<PathBuf>, format: GraphFormat) -> Result<ExitCode> {
    let compilation = compile(&Options {
        paths,
        policies: Vec::new(),
        today: super::today(),
    })?;
    let pipeline = find_pipeline(&compilation, name)?;
    if let Some(code) = refuse_broken(&compilation) {
        return Ok(code);
    }
    let graph = StageGraph::build(pipeline, &mut Vec::new());
    let output = match format {
        GraphFormat::Dot => render::to_dot(&graph, pipeline),
        GraphFormat::Mermaid => render::to_mermaid(&graph, pipeline),
    };
    out!("{output}");
    Ok(ExitCode::SUCCESS)
}
