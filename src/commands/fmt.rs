//! `sluice fmt [--check]`: the canonical layout, comments kept.

use std::path::PathBuf;
use std::process::ExitCode;

use sluice_compiler::source::{load_roots, LoadError};
use sluice_grammar::format::format_file;

use super::Result;
use crate::console::{errln, outln};

pub fn run(paths: Vec<PathBuf>, check: bool) -> Result<ExitCode> {
    let files = load_roots(&paths)?;
    let mut unformatted = Vec::new();
    let mut unparsable = Vec::new();
    for file in &files {
        let Some(ast) = &file.ast else {
            unparsable.push(file.name.clone());
            continue;
        };
        let formatted = format_file(ast, &file.text);
        if formatted == file.text {
            continue;
        }
        if check {
            unformatted.push(file.name.clone());
        } else {
            std::fs::write(&file.path, formatted).map_err(|error| LoadError::Unreadable {
                path: file.name.clone(),
                error,
            })?;
            errln!("formatted {}", file.name);
        }
    }
    for name in &unparsable {
        errln!("error: {name} has syntax errors and was not formatted; run `sluice check {name}` to see them");
    }
    for name in &unformatted {
        outln!("{name}");
    }
    if !unformatted.is_empty() {
        errln!(
            "{} file(s) are not formatted; run `sluice fmt` to fix them",
            unformatted.len()
        );
    }
    Ok(if unformatted.is_empty() && unparsable.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
