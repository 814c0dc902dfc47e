//! `sluice check`: every problem in every file, sorted, in one run.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::{compile, Options};

use super::Result;
use crate::cli::CheckFormat;
use crate::report;

pub fn run(
    paths: Vec<PathBuf>,
    format: CheckFormat,
    today: Option<jiff::civil::Date>,
) -> Result<ExitCode> {
    let options = Options {
        paths,
        today: today.unwrap_or_else(super::today),
    };
    let compilation = compile(&options)?;
    let output = match format {
        CheckFormat::Human => report::human::render(&compilation, report::human::Style::detect()),
        CheckFormat::Json => report::json::render(&compilation),
    };
    print!("{output}");
    Ok(if compilation.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
