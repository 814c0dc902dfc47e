//! Renderings of diagnostics: miette reports for people, JSON for tools.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::borrow::Cow;

use sluice_compiler::diagnostic::Severity;
use sluice_compiler::Compilation;

/// Counts for the summary line and the JSON `summary` object.
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub pipelines: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(compilation: &Compilation) -> Summary {
        let count = |s: Severity| {
            compilation
                .diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .count()
        };
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            pipelines: compilation
                .model
                .pipelines
                .iter()
                .filter(|p| !p.is_template)
                .count(),
            files: compilation.sources.len(),
        }
    }
}

/// `text` with every control character but tab, newline and carriage
/// return, and every bidirectional control (SPEC 6.4 P9), replaced by `?`
/// bytes (as many as the character has, so spans into the text stay
/// right): an ESC or BEL from a `.sluice` file never reaches a terminal or
/// a CI log raw, and a reported line reads in the order the compiler read it.
pub fn printable(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bad(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_replaced_byte_for_byte() {
        let text = "a\u{1b}[31mred\u{7}\u{85}b\tc\n";
        let shown = printable(text);
        assert_eq!(shown, "a?[31mred???b\tc\n");
        assert_eq!(shown.len(), text.len());
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        let trojan = "ok \u{202E}gnp.exe\u{2066}";
        assert_eq!(printable(trojan), "ok ???gnp.exe???");
    }

    use std::borrow::Cow;
}
