//! `sluice timeline PIPELINE --start T`: when a change merged at T reaches
//! each region (SPEC 8), as a table, JSON or a Gantt chart.

mod format;
mod human;
mod json;
mod svg;

use std::path::PathBuf;
use std::process::ExitCode;

use jiff::Zoned;
use sluice_compiler::diagnostic::Code;
use sluice_compiler::model::Pipeline;
use sluice_compiler::simulate::{SimOptions, SimPlan};
use sluice_compiler::{compile, Compilation, Options};
use sluice_grammar::value::Duration;

use super::Result;
use crate::cli::TimelineFormat;
use crate::console::{errln, out};

pub struct Args {
    pub pipeline: String,
    pub paths: Vec<PathBuf>,
    pub start: Zoned,
    pub deploy_time: Duration,
    pub step_time: Duration,
    pub format: TimelineFormat,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let compilation = compile(&Options {
        paths: args.paths,
        policies: Vec::new(),
        today: super::today(),
    })?;
    let pipeline = find_pipeline(&compilation, &args.pipeline)?;
    if let Some(code) = refuse_broken(&compilation) {
        return Ok(code);
    }
    let options = SimOptions {
        deploy_time: args.deploy_time,
        step_time: args.step_time,
        ..SimOptions::default()
    };
    let simulated = SimPlan::new(pipeline, &compilation.model, &options).and_then(|mut plan| {
        let timeline = plan.run(&args.start)?;
        Ok((plan, timeline))
    });
    let (mut plan, timeline) = match simulated {
        Ok(done) => done,
        Err(error) => {
            let at = compilation.sources.location(error.span());
            errln!("error: {error}\n  --> {at}");
            return Ok(ExitCode::from(1));
        }
    };
    let output = match args.format {
        TimelineFormat::Human => human::render(&timeline, &options),
        TimelineFormat::Json => json::render(&timeline),
        TimelineFormat::Svg => svg::render(&timeline, &mut plan),
    };
    out!("{output}");
    Ok(ExitCode::SUCCESS)
}

/// The pipeline called `name`, or a usage error with the closest name.
pub(super) fn find_pipeline<'c>(compilation: &'c Compilation, name: &str) -> Result<&'c Pipeline> {
    if let Some(pipeline) = compilation.model.pipeline(name) {
        return Ok(pipeline);
    }
    let names = compilation
        .model
        .pipelines
        .iter()
        .filter(|p| !p.is_template)
        .map(|p| p.name.text.as_str());
    let hint = sluice_compiler::suggest::help(name, "pipeline", names);
    Err(format!("there is no pipeline named `{name}`: {hint}").into())
}

/// Pictures of a pipeline with language errors would be pictures of a
/// guess, so they are refused (exit 1). Policy findings do not matter here.
pub(super) fn refuse_broken(compilation: &Compilation) -> Option<ExitCode> {
    let errors = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && Code::ALL.contains(&d.code))
        .count();
    (errors > 0).then(|| {
        errln!("error: the files have {errors} error(s); run `sluice check` to see them");
        ExitCode::from(1)
    })
}
