//! Human reports: one miette report per diagnostic, with the code, the
//! labelled source, and the help; then a summary line.

use std::fmt;
use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use sluice_compiler::diagnostic::{Diagnostic, Severity};
use sluice_compiler::source::SourceMap;

use super::printable;
use sluice_compiler::Compilation;

use super::Summary;

/// Colour for terminals; plain for pipes, files and snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Colour,
    Plain,
}

impl Style {
    pub fn detect() -> Style {
        if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            Style::Colour
        } else {
            Style::Plain
        }
    }
}

/// Fixed so that reports are identical on every machine.
const WIDTH: usize = 100;

/// miette pads to a label's column with `{:width$}`, which panics past
/// 65,535; a column is at most four cells per byte (a tab), so a label
/// this many bytes into its line or further is reported without the
/// source snippet, with its `file:line:column` in the message instead.
const MAX_SNIPPET_COLUMN: usize = 10_000;

pub fn render(compilation: &Compilation, style: Style) -> String {
    let theme = match style {
        Style::Colour => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
        // names like `us-east-1` and dates must not be split at hyphens
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for diagnostic in &compilation.diagnostics {
        let report = Report::new(diagnostic, &compilation.sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&diagnostic.message);
        }
        out.push('\n');
    }
    out.push_str(&summary_line(&Summary::of(compilation)));
    out
}

fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} in {} ({})\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        plural(s.files, "file"),
        plural(s.pipelines, "pipeline"),
    )
}

/// A diagnostic seen through miette: labels in the primary file, and a
/// related report for each label in another file.
struct Report {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: String,
    /// `None` when a label is too far into its line to show.
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Report {
        let primary = diagnostic.primary.span;
        let file = sources.get(primary.file);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            non_empty(&printable(&diagnostic.primary.text)),
            span(primary),
        )];
        let mut related = Vec::new();
        for label in &diagnostic.secondary {
            if label.span.file == primary.file {
                labels.push(LabeledSpan::new_with_span(
                    non_empty(&printable(&label.text)),
                    span(label.span),
                ));
            } else {
                let other = sources.get(label.span.file);
                let mut report = Report {
                    code: diagnostic.code.as_str(),
                    severity: miette::Severity::Advice,
                    message: printable(&label.text).into_owned(),
                    help: String::new(),
                    source: Some(NamedSource::new(
                        printable(&other.name),
                        printable(&other.text).into_owned(),
                    )),
                    labels: vec![LabeledSpan::new_primary_with_span(None, span(label.span))],
                    related: Vec::new(),
                };
                if too_wide(&other.text, label.span) {
                    report.without_snippet(&sources.location(label.span));
                }
                related.push(report);
            }
        }
        let mut message = diagnostic.message.clone();
        if let Some(pipeline) = &diagnostic.pipeline {
            if diagnostic.severity != Severity::Note || !message.contains(pipeline.as_str()) {
                message = format!("{message} (pipeline `{pipeline}`)");
            }
        }
        let mut report = Report {
            code: diagnostic.code.as_str(),
            severity: match diagnostic.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            message: printable(&message).into_owned(),
            help: printable(&diagnostic.help).into_owned(),
            source: Some(NamedSource::new(
                printable(&file.name),
                printable(&file.text).into_owned(),
            )),
            labels,
            related,
        };
        let mut same_file = std::iter::once(primary).chain(
            diagnostic
                .secondary
                .iter()
                .map(|label| label.span)
                .filter(|s| s.file == primary.file),
        );
        if same_file.any(|s| too_wide(&file.text, s)) {
            report.without_snippet(&sources.location(primary));
        }
        report
    }

    /// The report without source or labels, saying where it points.
    fn without_snippet(&mut self, location: &str) {
        self.source = None;
        self.labels.clear();
        self.message = format!(
            "{}\n--> {location} (the line is too long to show)",
            self.message
        );
    }
}

/// Whether either end of a span is too far into its line for miette.
fn too_wide(text: &str, span: sluice_grammar::Span) -> bool {
    [span.start as usize, span.end as usize]
        .into_iter()
        .any(|offset| {
            let offset = offset.min(text.len());
            let line_start = text.as_bytes()[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            offset - line_start >= MAX_SNIPPET_COLUMN
        })
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn span(span: sluice_grammar::Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
