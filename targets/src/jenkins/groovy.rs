//! Groovy text: single-quoted string literals (which never interpolate)
//! and comment-safe text. Every value from the source reaches a
//! Jenkinsfile through [`string`] only.

use crate::emit::header::one_line;

/// A single-quoted Groovy string literal whose value is `text`. `\` and
/// `'` are escaped, line breaks and other control characters become
/// escapes (a single-quoted literal cannot span lines), and `$` becomes
/// `\u0024`, so the file never even shows `${` (it would be inert here,
/// but a reviewer should not have to know that).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '$' => out.push_str("\\u0024"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `text` for a `//` comment: line breaks and control characters become
/// `?`, so the comment ends where it should; `${` becomes `$ {` so that no
/// interpolation opener appears anywhere in a Jenkinsfile.
pub fn comment(text: &str) -> String {
    one_line(&text.replace("${", "$ {"))
}

/// A Groovy list literal of expressions.
pub fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_by_example() {
        assert_eq!(string("a'b"), r"'a\'b'");
        assert_eq!(string("${x}"), r"'\u0024{x}'");
        assert_eq!(string("a\\\nb"), r"'a\\\nb'");
        assert_eq!(string("\u{0}"), r"'\u0000'");
        assert_eq!(comment("a\nb\u{2028}"), "a?b?");
    }
}
