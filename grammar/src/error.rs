//! Errors found while reading the text of one file.

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text does not match the grammar.
    Parse,
    /// The text matches, but a literal is out of range (`120%`, `2026-02-30`).
    InvalidValue,
    /// Blocks nested past the limit, or input past the parser's work limit.
    TooDeep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
    pub help: String,
}
