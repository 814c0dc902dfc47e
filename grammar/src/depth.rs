//! A nesting limit checked before parsing. The language nests at most five
//! blocks deep (pipeline → production → wave → one-box → bake), so deeper
//! text is an error anyway; refusing it up front keeps the recursive-descent
//! parser's stack bounded whatever bytes it is given.

use crate::span::{FileId, Span};

/// Generous: three more than the deepest valid file.
pub const MAX_DEPTH: usize = 8;

/// The span of the first `{` or `[` that opens a level past `MAX_DEPTH`.
pub fn too_deep(file: FileId, text: &str) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'{' | b'[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(Span::new(file, i, i + 1));
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_braces_outside_strings_and_comments() {
        assert_eq!(too_deep(FileId(0), "a { b { c } }"), None);
        let deep = "{".repeat(MAX_DEPTH + 1);
        assert_eq!(
            too_deep(FileId(0), &deep).map(|s| s.start),
            Some(MAX_DEPTH as u32)
        );
        let quoted = format!("\"{}\" # {}", "{".repeat(20), "{".repeat(20));
        assert_eq!(too_deep(FileId(0), &quoted), None);
    }
}
