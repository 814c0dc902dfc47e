//! `sluice check`: every problem in every file, sorted, in one run.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::{compile, Options};

use super::Result;
use crate::cli::CheckFormat;
use crate::console::out;
use crate::report;

pub fn run(
    paths: Vec<PathBuf>,
    policies: Vec<PathBuf>,
    format: CheckFormat,
    today: Option<jiff::civil::Date>,
) -> Result<ExitCode> {
    // A `--policy` file joins the compilation like any other file: its
    // policies apply, a team cannot delete them from its own files, and its
    // definitions win over a team's of the same name (SPEC 6.4).
    let options = Options {
        paths,
        policies,
        today: today.unwrap_or_else(super::today),
    };
    let compilation = compile(&options)?;
    let output = match format {
        CheckFormat::Human => report::human::render(&compilation, report::human::Style::detect()),
        CheckFormat::Json => report::json::render(&compilation),
        CheckFormat::Sarif => report::sarif::render(&compilation),
        CheckFormat::Github => report::github::render(&compilation),
    };
    out!("{output}");
    let code = if compilation.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process exits next: freeing every tree one allocation at a time
    // would cost about a fifth of a 10,000-pipeline check (BENCHMARKS.md).
    std::mem::forget(compilation);
    Ok(code)
}
