//! The Sluice language: grammar, typed syntax tree with spans, and formatter.

pub mod ast;
mod comments;
mod depth;
pub mod error;
mod expected;
pub mod format;
mod keywords;
pub mod parse;
pub mod span;
pub mod suggest;
pub mod value;

pub use ast::{Comment, File, Ident, Keyword, Op, Provider, Stmt, Value, ValueKind};
pub use error::{SyntaxError, SyntaxErrorKind};
pub use format::format_file;
pub use parse::parse_file;
pub use span::{FileId, Span};

/// The pest parser generated from `sluice.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "sluice.pest"]
pub struct SluiceParser;
