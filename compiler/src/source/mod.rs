//! Files, imports, the embedded std modules, and line/column lookup.

mod load;
mod map;

pub use load::{load, load_roots, LoadError, Loaded, RootFile};
pub use map::{SourceFile, SourceMap};
