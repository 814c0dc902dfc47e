//! `--format github`: workflow commands that GitHub Actions turns into
//! annotations on the pull request's changed lines.

use sluice_compiler::diagnostic::Severity;
use sluice_compiler::Compilation;

use super::Summary;

pub fn render(compilation: &Compilation) -> String {
    let mut out = String::new();
    for d in &compilation.diagnostics {
        let file = compilation.sources.get(d.primary.span.file);
        let (line, col) = file.line_col(d.primary.span.start);
        let (end_line, end_col) = file.line_col(d.primary.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let title = match &d.pipeline {
            Some(p) => format!("{} ({p})", d.code),
            None => d.code.to_string(),
        };
        let mut message = d.message.clone();
        if !d.help.is_empty() {
            message.push_str("\nhelp: ");
            message.push_str(&d.help);
        }
        out.push_str(&format!(
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            property(&file.name),
            property(&title),
            data(&message),
        ));
    }
    let s = Summary::of(compilation);
    out.push_str(&format!(
        "sluice: {} error(s), {} warning(s), {} note(s) in {} file(s)\n",
        s.errors, s.warnings, s.notes, s.files
    ));
    out
}

/// Escapes the message part of a workflow command.
fn data(text: &str) -> String {
    super::printable(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a `key=value` property of a workflow command.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cannot_end_the_command_early() {
        assert_eq!(data("50%\nnext::x"), "50%25%0Anext::x");
        assert_eq!(property("a,b:c\r"), "a%2Cb%3Ac%0D");
    }
}
