//! The `sluice` command line: argument parsing, reading files and rendering
//! reports. Everything else lives in the library crates.

// `print!` panics on a closed pipe: output goes through `console`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod console;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// A check allocates many small trees across threads; mimalloc does that
/// markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            console::errln!("error: {error}");
            ExitCode::from(2)
        }
    };
    if console::failed() {
        return ExitCode::from(2);
    }
    code
}
