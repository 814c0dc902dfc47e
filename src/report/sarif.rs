//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. One run; the
//! driver describes every code (language codes and rules) with its help.

use serde_json::{json, Value};
use sluice_compiler::diagnostic::{Code, Diagnostic, Severity};
use sluice_compiler::policy::rules::RULES;
use sluice_compiler::source::SourceMap;
use sluice_compiler::Compilation;

/// Every code with its default level and explanation, in a stable order.
fn descriptors() -> Vec<(&'static str, Severity, &'static str)> {
    Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.default_severity(), c.explanation()))
        .chain(
            RULES
                .iter()
                .map(|r| (r.name, r.default_severity, r.explanation)),
        )
        .collect()
}

/// The first paragraph after the `# code` title.
fn summary(explanation: &str) -> String {
    explanation
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or_default()
        .replace('\n', " ")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub fn render(compilation: &Compilation) -> String {
    let descriptors = descriptors();
    let rules: Vec<Value> = descriptors
        .iter()
        .map(|(id, severity, explanation)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": summary(explanation)},
                "fullDescription": {"text": explanation.trim()},
                "help": {"text": explanation.trim(), "markdown": explanation.trim()},
                "defaultConfiguration": {"level": level(*severity)},
            })
        })
        .collect();
    let results: Vec<Value> = compilation
        .diagnostics
        .iter()
        .map(|d| result(d, &descriptors, &compilation.sources))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sluice",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/sluice-dev/sluice",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn result(d: &Diagnostic, descriptors: &[(&str, Severity, &str)], sources: &SourceMap) -> Value {
    let index = descriptors
        .iter()
        .position(|(id, _, _)| *id == d.code.as_str())
        .unwrap_or(0);
    let mut text = d.message.clone();
    if !d.help.is_empty() {
        text.push_str(&format!("\nhelp: {}", d.help));
    }
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut l = location(label.span, sources);
            l["id"] = json!(i);
            l["message"] = json!({"text": label.text});
            l
        })
        .collect();
    let mut value = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [location(d.primary.span, sources)],
        "properties": {"pipeline": d.pipeline, "help": d.help, "rule": d.rule},
    });
    if !related.is_empty() {
        value["relatedLocations"] = Value::Array(related);
    }
    value
}

fn location(span: sluice_grammar::Span, sources: &SourceMap) -> Value {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": file.name},
        "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
    }})
}
