//! `sluice build`: check, then generate a target's files. Everything is
//! rendered in memory first, so a failure writes nothing; `--check` writes
//! nothing and reports drift (the code-review check that committed files
//! match their sources).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sluice_compiler::{compile, Compilation, Options};
use sluice_targets::output::{OutputFile, Pipeline};
use sluice_targets::plan::{plan, Plan};
use sluice_targets::registry::Target;

mod write;

use super::Result;
use crate::console::{errln, out, outln};
use crate::report;

/// What `sluice build` was asked to do.
pub struct Args<'a> {
    pub paths: Vec<PathBuf>,
    /// `--policy`: checked exactly as `check --policy` checks.
    pub policies: Vec<PathBuf>,
    pub target: &'a Target,
    pub out: &'a Path,
    /// `--check`: write nothing, report drift.
    pub check: bool,
}

pub fn run(args: Args<'_>) -> Result<ExitCode> {
    let Args {
        paths,
        policies,
        target,
        out,
        check,
    } = args;
    let compilation = compile(&Options {
        paths,
        policies,
        today: super::today(),
    })?;
    if compilation.has_errors() {
        out!(
            "{}",
            report::human::render(&compilation, report::human::Style::detect())
        );
        errln!("error: not building: `sluice check` reports errors (above)");
        return Ok(ExitCode::from(1));
    }
    let plans = plans(&compilation)?;
    let inputs: Vec<Pipeline<'_>> = plans
        .iter()
        .map(|(plan, source)| Pipeline { plan, source })
        .collect();
    // a pipeline the target cannot run as emitted: an error of the input
    let files = match (target.emit)(&inputs) {
        Ok(files) => files,
        Err(error) => {
            errln!("error: not building: {error}");
            return Ok(ExitCode::from(1));
        }
    };
    let names: Vec<&str> = plans.iter().map(|(p, _)| p.pipeline.as_str()).collect();
    let collisions = super::collisions::collisions(target, &names, &files, out);
    if !collisions.is_empty() {
        for collision in &collisions {
            errln!("error: {collision}");
        }
        errln!("error: not building: generated paths collide (above)");
        return Ok(ExitCode::from(1));
    }
    if check {
        return Ok(drift(out, &files));
    }
    let paths = files.iter().map(|f| (f.path.as_str(), f.contents.as_str()));
    write::write_all(out, paths)?;
    outln!("wrote {} files to {}", files.len(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// The plan of every pipeline (never a template), by name, with the file
/// it came from.
fn plans(compilation: &Compilation) -> Result<Vec<(Plan, String)>> {
    let mut plans: Vec<(Plan, String)> = Vec::new();
    for pipeline in compilation
        .model
        .pipelines
        .iter()
        .filter(|p| !p.is_template)
    {
        let source = compilation.sources.get(pipeline.span.file).name.clone();
        plans.push((
            plan(pipeline, &compilation.model)?,
            source.replace('\\', "/"),
        ));
    }
    plans.sort_by(|a, b| a.0.pipeline.cmp(&b.0.pipeline));
    Ok(plans)
}

/// Exit 1 and a line per file that is missing or differs (with the first
/// line that differs), or per generated workflow no source makes any more.
fn drift(out: &Path, files: &[OutputFile]) -> ExitCode {
    let mut problems = Vec::new();
    for file in files {
        match std::fs::read_to_string(out.join(&file.path)) {
            Err(_) => problems.push(format!("missing: {}", file.path)),
            Ok(text) if text != file.contents => {
                let line = text
                    .lines()
                    .zip(file.contents.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| text.lines().count().min(file.contents.lines().count()))
                    + 1;
                problems.push(format!("differs: {} (from line {line})", file.path));
            }
            Ok(_) => {}
        }
    }
    problems.extend(stale(out, files).into_iter().map(|p| format!("stale: {p}")));
    if problems.is_empty() {
        outln!("up to date: {} files in {}", files.len(), out.display());
        return ExitCode::SUCCESS;
    }
    for problem in &problems {
        outln!("{problem}");
    }
    errln!(
        "error: {} generated file(s) out of date: run `sluice build` and commit the result",
        problems.len()
    );
    ExitCode::from(1)
}

/// Generated files (their first lines say so: `collisions::is_generated`)
/// in the folders this build writes to, that this build no longer makes.
fn stale(out: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut folders: Vec<&str> = files
        .iter()
        .map(|f| f.path.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let mut stale = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(out.join(folder)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            let ours = std::fs::read_to_string(entry.path())
                .is_ok_and(|t| super::collisions::is_generated(&t));
            if ours && !files.iter().any(|f| f.path == path) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    stale
}

#[cfg(test)]
mod tests {
    use sluice_targets::output::GENERATED_MARK;

    use super::*;

    /// A target added through the registry's type alone: one file per
    /// pipeline, naming it.
    const FAKE: Target = Target {
        name: "fake",
        about: "a target for this test",
        pipeline_path: |pipeline| format!("fake/{pipeline}.txt"),
        emit: |pipelines| {
            Ok(pipelines
                .iter()
                .map(|p| OutputFile {
                    path: format!("fake/{}.txt", p.plan.pipeline),
                    contents: format!("{GENERATED_MARK} from {}\n", p.source),
                })
                .collect())
        },
    };

    #[test]
    fn a_registered_target_builds_and_checks_with_no_other_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = std::env::temp_dir().join(format!("fake-target-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let examples = vec![root.join("examples")];
        let build = |check: bool| {
            run(Args {
                paths: examples.clone(),
                policies: Vec::new(),
                target: &FAKE,
                out: &out,
                check,
            })
            .unwrap()
        };
        assert_eq!(build(false), ExitCode::SUCCESS);
        let path = out.join((FAKE.pipeline_path)("checkout-api"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("checkout-api.sluice"), "{text}");
        assert_eq!(build(true), ExitCode::SUCCESS);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(build(true), ExitCode::from(1));
    }
}
