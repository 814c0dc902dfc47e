//! Command-line arguments (SPEC section 7).

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};
use sluice_grammar::value::Duration;
use sluice_targets::registry::{self, Target, TARGETS};

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
    /// Generate a CI system's configuration from the pipelines.
    Build {
        /// Files or directories (searched recursively for *.sluice).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The CI system to emit for.
        #[arg(long, value_parser = target_parser())]
        target: &'static Target,
        /// A policy file to enforce, as `check --policy` does: a pipeline
        /// that breaks it is not built (repeatable).
        #[arg(long = "policy", value_name = "FILE")]
        policies: Vec<PathBuf>,
        /// The directory the files go into (normally the repository root).
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// Write nothing; exit 1 when the files in --out differ from what
        /// would be generated.
        #[arg(long)]
        check: bool,
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
    /// Simulate when a change merged at --start reaches each region.
    Timeline {
        pipeline: String,
        /// Files or directories (searched recursively for *.sluice).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// When the change merges: `2026-11-24T10:00[America/Los_Angeles]`
        /// or RFC 3339 with an offset.
        #[arg(long, value_name = "INSTANT", value_parser = parse_start)]
        start: jiff::Zoned,
        /// How long one deploy step takes (the one-box, a cell, a batch).
        #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
        deploy_time: sluice_grammar::value::Duration,
        /// How long one `run` or `check` step takes.
        #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
        step_time: sluice_grammar::value::Duration,
        #[arg(long, value_enum, default_value_t = TimelineFormat::Human)]
        format: TimelineFormat,
    },
    /// Draw a pipeline's stage graph as Graphviz DOT or a Mermaid flowchart.
    Graph {
        pipeline: String,
        /// Files or directories (searched recursively for *.sluice).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Human,
    Json,
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// `--target`: exactly the names in the target registry.
fn target_parser() -> impl TypedValueParser<Value = &'static Target> {
    PossibleValuesParser::new(
        TARGETS
            .iter()
            .map(|t| PossibleValue::new(t.name).help(t.about)),
    )
    .try_map(|name| registry::find(TARGETS, &name).ok_or(format!("no target `{name}`")))
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date like 2026-11-27: {e}"))
}

/// `--start`: `2026-11-24T10:00[America/Los_Angeles]`, or RFC 3339 with an
/// offset (`2026-11-24T18:00:00Z`), which keeps that offset as its zone.
fn parse_start(text: &str) -> Result<jiff::Zoned, String> {
    const EXPECTED: &str =
        "expected an instant like `2026-11-24T10:00[America/Los_Angeles]` or `2026-11-24T18:00:00Z`";
    if text.contains('[') {
        return text
            .parse::<jiff::Zoned>()
            .map_err(|e| format!("{EXPECTED}: {e}"));
    }
    let timestamp: jiff::Timestamp = text.parse().map_err(|e| format!("{EXPECTED}: {e}"))?;
    let offset = match Pieces::parse(text).ok().and_then(|p| p.offset()) {
        Some(PiecesOffset::Numeric(n)) => n.offset(),
        _ => Offset::UTC,
    };
    let zone = if offset == Offset::UTC {
        TimeZone::UTC
    } else {
        TimeZone::fixed(offset)
    };
    Ok(timestamp.to_zoned(zone))
}

/// `--deploy-time` and `--step-time`: a Sluice duration like `15m`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    match Duration::parse(text) {
        Some(duration) if duration <= Duration::MAX => Ok(duration),
        Some(_) => Err("durations are at most `365d`".into()),
        None => Err("expected a duration like `15m`, `1h30m` or `0s`".into()),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, Command, TARGETS};

    fn target(name: &str) -> Result<&'static str, clap::Error> {
        let cli = Cli::try_parse_from(["sluice", "build", "--target", name])?;
        match cli.command {
            Command::Build { target, .. } => Ok(target.name),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn build_accepts_exactly_the_registry_targets() {
        for t in TARGETS {
            assert_eq!(target(t.name).unwrap(), t.name);
        }
        let error = target("no-such-ci").unwrap_err().to_string();
        for t in TARGETS {
            assert!(error.contains(t.name), "{error}");
        }
    }
}
