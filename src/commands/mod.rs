//! One module per subcommand.

mod build;
mod check;
mod collisions;
mod explain;
mod explain_code;
mod fmt;
mod graph;
mod timeline;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// A usage or I/O problem: exit code 2.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check {
            paths,
            policies,
            format,
            today,
        } => check::run(paths, policies, format, today),
        Command::Build {
            paths,
            target,
            policies,
            out,
            check,
        } => build::run(build::Args {
            paths,
            policies,
            target,
            out: &out,
            check,
        }),
        Command::Explain {
            pipeline,
            paths,
            format,
        } => explain::run(&pipeline, paths, format),
        Command::Fmt { paths, check } => fmt::run(paths, check),
        Command::ExplainCode { code, list } => explain_code::run(code.as_deref(), list),
        Command::Timeline {
            pipeline,
            paths,
            start,
            deploy_time,
            step_time,
            format,
        } => timeline::run(timeline::Args {
            pipeline,
            paths,
            start,
            deploy_time,
            step_time,
            format,
        }),
        Command::Graph {
            pipeline,
            paths,
            format,
        } => graph::run(&pipeline, paths, format),
    }
}

/// The current date in the system time zone, for `--today`'s default.
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
