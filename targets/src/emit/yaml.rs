//! A small YAML emitter for the YAML targets (GitHub, Tekton, Argo): block
//! mappings and sequences in a fixed key order, and scalars quoted
//! conservatively so that no parser — YAML 1.1 or 1.2, GitHub's,
//! actionlint's, PyYAML's — reads a string as anything else (`on`, `yes`,
//! `null`, `*`, `: `, `#`, leading spaces).
//!
//! A string is written plain only when it is made of "boring" characters
//! and is no keyword of either YAML version; otherwise single-quoted when it
//! is one printable line, as a literal block (`|`) when it is printable
//! lines ending in one newline, and double-quoted with escapes otherwise
//! (control characters, `\r`, the Unicode line separators, a BOM).

use std::fmt::Write;

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Str(String),
    Int(u64),
    Bool(bool),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
    /// A plain scalar followed by a comment: `uses: x@sha # v4.2.2`. Only
    /// for text the emitter writes itself.
    Commented(String, String),
}

impl From<&str> for Yaml {
    fn from(text: &str) -> Yaml {
        Yaml::Str(text.to_string())
    }
}

impl From<String> for Yaml {
    fn from(text: String) -> Yaml {
        Yaml::Str(text)
    }
}

/// A mapping built in order.
#[derive(Debug, Default, Clone)]
pub struct Map(pub Vec<(String, Yaml)>);

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn with(mut self, key: &str, value: impl Into<Yaml>) -> Map {
        self.0.push((key.to_string(), value.into()));
        self
    }

    pub fn push(&mut self, key: &str, value: impl Into<Yaml>) {
        self.0.push((key.to_string(), value.into()));
    }
}

impl From<Map> for Yaml {
    fn from(map: Map) -> Yaml {
        Yaml::Map(map.0)
    }
}

/// The document text of `node` (a mapping), ending in a newline.
pub fn to_string(node: &Yaml) -> String {
    let mut out = String::new();
    match node {
        Yaml::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        other => {
            write_inline(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, entries: &[(String, Yaml)], depth: usize) {
    for (key, value) in entries {
        indent(out, depth);
        out.push_str(&scalar(key));
        out.push(':');
        write_value(out, value, depth);
    }
}

/// A value after `key:` or `- `: nested collections on the next lines.
fn write_value(out: &mut String, value: &Yaml, depth: usize) {
    match value {
        Yaml::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_map(out, entries, depth + 1);
        }
        Yaml::Seq(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                indent(out, depth + 1);
                out.push('-');
                match item {
                    Yaml::Map(entries) if !entries.is_empty() => {
                        // the first key on the dash line, the rest aligned
                        let mut first = String::new();
                        write_map(&mut first, entries, depth + 2);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    other => write_value(out, other, depth + 1),
                }
            }
        }
        other => {
            out.push(' ');
            write_inline(out, other, depth);
            out.push('\n');
        }
    }
}

fn write_inline(out: &mut String, value: &Yaml, depth: usize) {
    match value {
        Yaml::Str(text) => out.push_str(&string(text, depth)),
        Yaml::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Yaml::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Yaml::Map(_) => out.push_str("{}"),
        Yaml::Seq(_) => out.push_str("[]"),
        Yaml::Commented(text, comment) => {
            out.push_str(&scalar(text));
            out.push_str(" # ");
            out.push_str(comment);
        }
    }
}

/// A one-line scalar (keys and short values).
fn scalar(text: &str) -> String {
    if is_plain_safe(text) || is_plain_expression(text) {
        text.to_string()
    } else if text
        .chars()
        .all(|c| is_printable(c) && c != '\n' && c != '\t')
    {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        double_quoted(text)
    }
}

/// Any string value: a literal block for multi-line printable text.
fn string(text: &str, depth: usize) -> String {
    if text.contains('\n') && is_block_safe(text) {
        let mut out = String::from("|");
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            out.push('\n');
            if !line.is_empty() {
                for _ in 0..=depth {
                    out.push_str("  ");
                }
                out.push_str(line);
            }
        }
        out
    } else {
        scalar(text)
    }
}

/// `${{ ... }}` on one line, as GitHub's documentation writes it: plain
/// when nothing in it ends the scalar early (`: `, ` #`).
fn is_plain_expression(text: &str) -> bool {
    text.starts_with("${{ ")
        && text.ends_with(" }}")
        && !text.contains(": ")
        && !text.contains(" #")
        && text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

const KEYWORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

/// Letters, digits and `_ - . / @ ( ) ,` and inner single spaces, starting
/// with a letter, `_`, `.` or `/`, and no YAML keyword or number.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '/' || first == '.') {
        return false;
    }
    if text.ends_with(' ') || text.contains("  ") {
        return false;
    }
    if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(text)) {
        return false;
    }
    // `.inf`, `.nan` and the like
    if first == '.' && text.len() > 1 {
        return false;
    }
    text.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | '/' | '@' | '(' | ')' | ',' | ' ')
    })
}

/// YAML's printable set, minus what YAML 1.1 reads as a line break and the
/// byte-order mark.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Lines of printable text (tabs allowed) ending in exactly one newline,
/// the first line not starting with a space (no indentation indicator).
fn is_block_safe(text: &str) -> bool {
    text.ends_with('\n')
        && !text.ends_with("\n\n")
        && !text.starts_with([' ', '\n', '\t'])
        && text.chars().all(is_printable)
}

fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_indicators_are_quoted() {
        for text in [
            "on", "Yes", "null", "~", "*", ": a", "#x", "-", "1", "a: b", " x", "",
        ] {
            assert_ne!(scalar(text), text, "{text:?}");
        }
        assert_eq!(scalar("it's *"), "'it''s *'");
        assert_eq!(scalar("a\u{1}"), "\"a\\u0001\"");
        assert_eq!(scalar("ubuntu-24.04"), "ubuntu-24.04");
    }

    #[test]
    fn documents_nest() {
        let doc = Yaml::from(
            Map::new()
                .with("on", Map::new().with("push", Map::new()))
                .with(
                    "seq",
                    Yaml::Seq(vec![Map::new().with("a", "x").with("b", "y").into()]),
                )
                .with("run", "set -eu\n  echo 'a'\n"),
        );
        assert_eq!(
            to_string(&doc),
            "'on':\n  push: {}\nseq:\n  - a: x\n    b: 'y'\nrun: |\n  set -eu\n    echo 'a'\n"
        );
    }
}
