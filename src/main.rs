//! The `sluice` command line: argument parsing, reading files and rendering
//! reports. Everything else lives in the library crates.

mod cli;
mod commands;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// A check allocates many small trees across threads; mimalloc does that
/// markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
