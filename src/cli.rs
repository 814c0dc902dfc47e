//! Command-line arguments (SPEC section 7).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "sluice",
    version,
    about = "Pipeline-as-code compiler and policy checker"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories and report every problem.
    Check {
        /// Files or directories (searched recursively for *.sluice).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// A policy file to enforce besides the policies in PATHS (repeatable).
        #[arg(long = "policy", value_name = "FILE")]
        policies: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// The date waivers are checked against (YYYY-MM-DD); default today.
        #[arg(long, value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Show a resolved pipeline and where every value came from.
    Explain {
        pipeline: String,
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
        format: ExplainFormat,
    },
    /// Rewrite files in the one canonical layout.
    Fmt {
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Write nothing; exit 1 when a file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Print the long explanation of a diagnostic code.
    ExplainCode {
        #[arg(required_unless_present = "list")]
        code: Option<String>,
        /// List every code instead.
        #[arg(long, conflicts_with = "code")]
        list: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Human,
    Json,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date like 2026-11-27: {e}"))
}
