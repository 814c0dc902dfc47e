//! `--format json` of `check`, exactly as SPEC section 7 describes.

use serde::Serialize;
use sluice_compiler::Compilation;

use super::Summary;

#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    pipeline: Option<&'a str>,
    help: &'a str,
    rule: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    notes: usize,
    pipelines: usize,
    files: usize,
}

pub fn render(compilation: &Compilation) -> String {
    let diagnostics = compilation
        .diagnostics
        .iter()
        .map(|d| {
            let file = compilation.sources.get(d.primary.span.file);
            let (line, column) = file.line_col(d.primary.span.start);
            let (end_line, end_column) = file.line_col(d.primary.span.end);
            JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: &d.message,
                file: &file.name,
                line,
                column,
                end_line,
                end_column,
                pipeline: d.pipeline.as_deref(),
                help: &d.help,
                rule: d.rule.as_deref(),
            }
        })
        .collect();
    let s = Summary::of(compilation);
    let output = Output {
        diagnostics,
        summary: JsonSummary {
            errors: s.errors,
            warnings: s.warnings,
            notes: s.notes,
            pipelines: s.pipelines,
            files: s.files,
        },
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
