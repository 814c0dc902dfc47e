//! Files, imports, the embedded std modules, and line/column lookup.

mod imports;
mod load;
mod map;
mod walk;

pub use load::{load, load_roots, LoadError, Loaded, RootFile};
pub use map::{SourceFile, SourceMap};
