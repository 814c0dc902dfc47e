//! SPEC 6.4 P9: Unicode bidirectional control characters make text display
//! in another order than the compiler reads it ("Trojan Source",
//! CVE-2021-42574): a reviewer would approve what they do not see. They are
//! refused anywhere in a file, comments included. So are other control
//! characters (NUL, ESC, BEL, ...; tab, newline and carriage return are
//! text): a NUL cannot pass through a shell, and an ESC would drive the
//! reviewer's terminal. Those are reported once per file, at the first.

use sluice_grammar::Span;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceMap;

pub fn check(sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    for file in sources.files() {
        let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        if let Some((at, c)) = file.text.char_indices().find(|(_, c)| control(*c)) {
            let count = file.text.chars().filter(|c| control(*c)).count();
            let more = match count {
                1 => String::new(),
                n => format!(" (and {} more in this file)", n - 1),
            };
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    Span::new(file.id, at, at + c.len_utf8()),
                    format!(
                        "the text holds U+{:04X}, a control character{more}",
                        u32::from(c)
                    ),
                )
                .label("a control character")
                .help("remove it; write `\\n` or `\\t` in a string for a line break or a tab"),
            );
        }
        for (at, c) in file.text.char_indices() {
            let Some(name) = bidi_name(c) else { continue };
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    Span::new(file.id, at, at + c.len_utf8()),
                    format!(
                        "the text holds U+{:04X} {name}, a bidirectional control character",
                        u32::from(c)
                    ),
                )
                .label("shown out of order")
                .help("remove the character; write right-to-left text without direction overrides"),
            );
        }
    }
}

fn bidi_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => return None,
    })
}
