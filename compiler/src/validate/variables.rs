//! `${name}` in command strings (SPEC 4.4): unknown names are errors; a name
//! that can never have a value where it is used is a warning.

use sluice_grammar::Span;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Alarm, Command, Pipeline, RegionSpec, RollingMode, Stage, StageKind};
use crate::source::SourceMap;
use crate::suggest;

pub const VARIABLES: [&str; 8] = [
    "pipeline", "stage", "wave", "region", "cell", "phase", "batch", "version",
];

/// A `${name}` found in a string, with its span in the file.
struct Use<'a> {
    name: &'a str,
    span: Span,
}

/// Finds `${...}` uses in the string's source text (quotes included), so
/// that each use gets its exact span; `$$` is a literal `$`.
fn uses(text: &str, span: Span) -> Vec<Use<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            let rest = &text[i + 2..];
            let (name, len) = match rest.find('}') {
                Some(end) => (&rest[..end], end + 3),
                None => (rest.trim_end_matches('"'), rest.len() + 2),
            };
            let start = span.start as usize + i;
            let var_span = Span::new(span.file, start, (start + len).min(span.end as usize));
            out.push(Use {
                name,
                span: var_span,
            });
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

fn unknown(name: &str, span: Span) -> Diagnostic {
    let help = match suggest::closest(name, VARIABLES) {
        Some(best) => {
            format!("did you mean `${{{best}}}`? write `$${{{name}}}` for a literal `${{{name}}}`")
        }
        None => format!(
            "the variables are {}; write `$$` for a literal `$`",
            VARIABLES
                .iter()
                .map(|v| format!("`${{{v}}}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::new(
        Code::UnknownVariable,
        span,
        format!("unknown variable `${{{name}}}`"),
    )
    .label("not a Sluice variable")
    .help(help)
}

/// Alarm probes may use any variable: they run in the context of a stage.
pub fn check_alarm(alarm: &Alarm, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    if let Some(probe) = &alarm.probe {
        for u in uses(sources.text(probe.span), probe.span) {
            if !VARIABLES.contains(&u.name) {
                diags.push(unknown(u.name, u.span));
            }
        }
    }
}

pub fn check(pipeline: &Pipeline, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    for stage in pipeline.all_stages() {
        let commands = stage
            .deploy
            .iter()
            .chain(&stage.rollback)
            .chain(stage.steps.iter().filter_map(|s| s.command.as_ref()));
        for command in commands {
            check_command(command, stage, sources, diags);
        }
        let probes = [
            &stage.bake,
            &stage.one_box.as_ref().and_then(|o| o.bake.clone()),
        ]
        .into_iter()
        .flatten()
        .filter_map(|b| b.datapoints.as_ref())
        .map(|d| Command {
            text: d.probe.text.clone(),
            span: d.probe.span,
        })
        .collect::<Vec<_>>();
        for command in &probes {
            check_command(command, stage, sources, diags);
        }
        if let Some(deploy) = &stage.deploy {
            check_unit(deploy, stage, sources, diags);
        }
    }
}

/// SPEC 6.4 P8: a `deploy` run once per one-box, cell or batch deploys the
/// whole region each time unless it uses the variable that names the unit.
fn check_unit(deploy: &Command, stage: &Stage, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let used = uses(sources.text(deploy.span), deploy.span);
    let uses_var = |name: &str| used.iter().any(|u| u.name == name);
    let mut missing = Vec::new();
    if let Some(one_box) = stage.one_box.as_ref().filter(|_| !uses_var("phase")) {
        missing.push((
            "phase",
            "the one-box deploys the whole region",
            one_box.span,
            "`one-box` here",
        ));
    }
    if let Some(mode) = stage.rolling.as_ref().and_then(|r| r.mode.as_ref()) {
        match mode.value {
            RollingMode::ByCell if !uses_var("cell") => missing.push((
                "cell",
                "each cell's deploy deploys the whole region",
                mode.span,
                "`rolling { by cell }` here",
            )),
            RollingMode::Batch(_) if !uses_var("batch") => missing.push((
                "batch",
                "each batch deploys the whole region",
                mode.span,
                "`rolling { batch }` here",
            )),
            _ => {}
        }
    }
    for (name, effect, cause, cause_label) in missing {
        diags.push(
            Diagnostic::new(
                Code::UnknownVariable,
                deploy.span,
                format!("`deploy` does not use `${{{name}}}`: {effect}"),
            )
            .severity(Severity::Warning)
            .label(format!("no `${{{name}}}`"))
            .with_secondary(cause, cause_label)
            .help(format!(
                "pass `${{{name}}}` to the deploy command so that it deploys only that unit"
            )),
        );
    }
}

fn check_command(
    command: &Command,
    stage: &Stage,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    for u in uses(sources.text(command.span), command.span) {
        if !VARIABLES.contains(&u.name) {
            diags.push(unknown(u.name, u.span));
            continue;
        }
        if let Some(why) = never_set(u.name, stage) {
            diags.push(
                Diagnostic::new(
                    Code::UnknownVariable,
                    u.span,
                    format!("`${{{}}}` is always empty here", u.name),
                )
                .severity(Severity::Warning)
                .label(why)
                .help(format!(
                    "remove `${{{}}}` from this command, or write `$${{{}}}` for the literal text",
                    u.name, u.name
                )),
            );
        }
    }
}

/// Why a known variable can never have a value in this stage, if so.
fn never_set(name: &str, stage: &Stage) -> Option<String> {
    // built only when a warning is due: this runs for every variable use
    let what = || match stage.kind {
        StageKind::Stage => format!("stage `{}`", stage.name.text),
        StageKind::Wave => format!("wave `{}`", stage.name.text),
    };
    let mode = stage
        .rolling
        .as_ref()
        .and_then(|r| r.mode.as_ref())
        .map(|m| m.value);
    match name {
        "region" if matches!(stage.regions, RegionSpec::None) => {
            Some(format!("{} has no regions", what()))
        }
        "wave" if stage.kind == StageKind::Stage => {
            Some("`${wave}` is empty outside production".into())
        }
        "cell" if mode != Some(RollingMode::ByCell) => {
            Some(format!("{} does not roll `by cell`", what()))
        }
        "batch" if !matches!(mode, Some(RollingMode::Batch(_))) => {
            Some(format!("{} does not roll in batches", what()))
        }
        _ => None,
    }
}
