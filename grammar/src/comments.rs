//! Finds `#` comments outside strings, so the formatter can keep them.

use crate::ast::Comment;
use crate::span::{FileId, Span};

pub fn collect(file: FileId, text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'\n' => in_string = false,
            b'#' if !in_string => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let body = text[i + 1..end].trim_end_matches('\r');
                comments.push(Comment {
                    span: Span::new(file, i, i + 1 + body.len()),
                    text: body.to_string(),
                });
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    comments
}
