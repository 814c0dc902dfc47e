//! Resolving `import` paths (SPEC 6.4 P2): a `std/` module, or a regular
//! `.sluice` file inside the importing file's root, found without reading
//! anything else; every refusal is an `unknown-import` that says why.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sluice_grammar::{File, Keyword};

use super::load::{Origin, Pending};
use super::walk::{display, normalize};
use crate::diagnostic::{Code, Diagnostic};

/// The imports of one file, resolved against it.
pub(super) fn imports_of(
    file: &File,
    importer: &Pending,
    resolver: &ImportResolver,
) -> Vec<Result<Pending, Box<Diagnostic>>> {
    file.items
        .iter()
        .filter(|i| i.keyword == Keyword::Import)
        .filter_map(|item| item.value())
        .map(|value| {
            let target = value.as_str().unwrap_or_default();
            resolver
                .resolve(target, importer)
                .map_err(|why| Box::new(unknown_import(target, why, value.span)))
        })
        .collect()
}

type ImportCache = HashMap<(PathBuf, String, Arc<Path>), Result<PathBuf, ImportRefusal>>;

/// Resolves import paths, asking the file system once per directory and
/// path: ten thousand services importing the same template cost one lookup.
#[derive(Default)]
pub(super) struct ImportResolver {
    cache: Mutex<ImportCache>,
}

impl ImportResolver {
    fn resolve(&self, target: &str, importer: &Pending) -> Result<Pending, ImportRefusal> {
        if let Some(module) = target.strip_prefix("std/") {
            let module = module.strip_suffix(".sluice").unwrap_or(module);
            let text = sluice_stdlib::module(module).ok_or(ImportRefusal::NoStdModule)?;
            return Ok(Pending {
                origin: Origin::Std(text),
                name: format!("std/{module}.sluice"),
                root: None,
                leaves_folder: false,
            });
        }
        // std modules import only std modules
        let (Origin::Disk(base), Some(root)) = (&importer.origin, &importer.root) else {
            return Err(ImportRefusal::Missing);
        };
        let relative = Path::new(target);
        if relative.has_root() || relative.is_absolute() {
            return Err(ImportRefusal::Absolute);
        }
        if relative.extension().is_none_or(|e| e != "sluice") {
            return Err(ImportRefusal::NotSluice);
        }
        let dir = base.parent().ok_or(ImportRefusal::Missing)?;
        let key = (dir.to_path_buf(), target.to_string(), root.clone());
        let cached = self.cache.lock().ok().and_then(|c| c.get(&key).cloned());
        let path = match cached {
            Some(found) => found?,
            None => {
                let found = locate(&dir.join(target), root);
                if let Ok(mut cache) = self.cache.lock() {
                    cache.insert(key, found.clone());
                }
                found?
            }
        };
        let display_dir = Path::new(&importer.name).parent().unwrap_or(Path::new(""));
        Ok(Pending {
            origin: Origin::Disk(path),
            name: display(&normalize(&display_dir.join(target))),
            root: Some(root.clone()),
            leaves_folder: false,
        })
    }
}

/// Why an import is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportRefusal {
    NoStdModule,
    Missing,
    Absolute,
    NotSluice,
    /// `..` or a symbolic link leads out of the root.
    OutsideRoot,
    /// A folder, a FIFO, a device: reading it could hang or never end.
    NotRegular,
}

/// The canonical path of an import candidate, when it is a regular file
/// inside `root` (after following every link).
fn locate(path: &Path, root: &Path) -> Result<PathBuf, ImportRefusal> {
    let found = std::fs::canonicalize(path).map_err(|_| ImportRefusal::Missing)?;
    if !found.starts_with(root) {
        return Err(ImportRefusal::OutsideRoot);
    }
    if found.extension().is_none_or(|e| e != "sluice") {
        return Err(ImportRefusal::NotSluice);
    }
    match std::fs::metadata(&found) {
        Ok(meta) if meta.is_file() => Ok(found),
        Ok(_) => Err(ImportRefusal::NotRegular),
        Err(_) => Err(ImportRefusal::Missing),
    }
}

fn unknown_import(target: &str, why: ImportRefusal, span: sluice_grammar::Span) -> Diagnostic {
    let relative_help =
        "import paths are relative to the importing file, like `\"../org/service.sluice\"`";
    let (message, help) = match why {
        ImportRefusal::NoStdModule => {
            let module = target.strip_prefix("std/").unwrap_or(target);
            let known = sluice_stdlib::MODULES
                .iter()
                .map(|m| format!("`std/{}`", m.name))
                .collect::<Vec<_>>()
                .join(", ");
            let suggestion =
                crate::suggest::closest(module, sluice_stdlib::MODULES.iter().map(|m| m.name))
                    .map(|s| format!("did you mean `std/{s}`? "))
                    .unwrap_or_default();
            (
                format!("there is no standard module `{target}`"),
                format!("{suggestion}the standard modules are: {known}"),
            )
        }
        ImportRefusal::Missing => (
            format!("cannot find the file `{target}` to import"),
            relative_help.to_string(),
        ),
        ImportRefusal::Absolute => (
            format!("`{target}` is an absolute path; imports are relative to the importing file"),
            relative_help.to_string(),
        ),
        ImportRefusal::NotSluice => (
            format!("`{target}` is not a `.sluice` file; only `.sluice` files can be imported"),
            "import a file whose name ends in `.sluice`, or a `std/` module".to_string(),
        ),
        ImportRefusal::OutsideRoot => (
            format!("`{target}` is outside this project; imports stay inside its root"),
            "the root is the git work tree of the files being checked (else the folder given on \
             the command line): move the file inside, or name it on the command line"
                .to_string(),
        ),
        ImportRefusal::NotRegular => (
            format!("`{target}` is not a regular file"),
            "import a `.sluice` file, not a folder, a pipe or a device".to_string(),
        ),
    };
    Diagnostic::new(Code::UnknownImport, span, message)
        .label("imported here")
        .help(help)
}
