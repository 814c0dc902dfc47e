//! Loading: the paths from the command line, then every import, each file
//! once. Files are read and parsed in parallel, one round per import depth.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use sluice_grammar::{parse_file, File, FileId, Keyword, SyntaxError, SyntaxErrorKind};

use super::map::SourceMap;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// A problem with the command line or the file system: exit code 2.
#[derive(Debug)]
pub enum LoadError {
    Unreadable { path: String, error: std::io::Error },
    NotUtf8 { path: String },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Unreadable { path, error } => write!(f, "cannot read `{path}`: {error}"),
            LoadError::NotUtf8 { path } => write!(f, "`{path}` is not valid UTF-8 text"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Every file of one compilation, parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Parsed files by `FileId`; `None` where the file did not parse.
    pub files: Vec<Option<File>>,
    /// Files named on the command line (not only imported).
    pub roots: Vec<FileId>,
    pub diagnostics: Diagnostics,
}

/// Where a file comes from: disk (canonical path) or the embedded std.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Origin {
    Disk(PathBuf),
    Std(&'static str),
}

struct Pending {
    origin: Origin,
    name: String,
}

/// Loads the paths and everything they import.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    let mut seen: HashMap<Origin, FileId> = HashMap::new();
    let mut round = Vec::new();
    for path in paths {
        round.extend(roots(path)?);
    }
    let mut is_root = true;
    while !round.is_empty() {
        round.retain(|p| !seen.contains_key(&p.origin));
        dedup_by_origin(&mut round);
        let texts: Vec<Result<String, LoadError>> = round.par_iter().map(read).collect();
        let mut fresh = Vec::new();
        for (pending, text) in round.drain(..).zip(texts) {
            let id = loaded.sources.add(pending.name.clone(), text?);
            seen.insert(pending.origin.clone(), id);
            if is_root {
                loaded.roots.push(id);
            }
            fresh.push((id, pending));
        }
        let resolver = ImportResolver::default();
        let parsed: Vec<Parsed> = fresh
            .par_iter()
            .map(|(id, pending)| {
                let (file, errors) = parse_file(*id, &loaded.sources.get(*id).text);
                let imports = file
                    .as_ref()
                    .map(|f| imports_of(f, pending, &resolver))
                    .unwrap_or_default();
                (file, errors, imports)
            })
            .collect();
        for ((id, _), (file, errors, imports)) in fresh.into_iter().zip(parsed) {
            loaded
                .diagnostics
                .extend(errors.into_iter().map(syntax_diagnostic));
            for import in imports {
                match import {
                    Ok(pending) => round.push(pending),
                    Err(diagnostic) => loaded.diagnostics.push(*diagnostic),
                }
            }
            debug_assert_eq!(loaded.files.len(), id.0 as usize);
            loaded.files.push(file);
        }
        is_root = false;
    }
    Ok(loaded)
}

fn dedup_by_origin(round: &mut Vec<Pending>) {
    let mut seen = std::collections::HashSet::new();
    round.retain(|p| seen.insert(p.origin.clone()));
}

fn read(pending: &Pending) -> Result<String, LoadError> {
    match &pending.origin {
        Origin::Std(text) => Ok((*text).to_string()),
        Origin::Disk(path) => {
            let bytes = std::fs::read(path).map_err(|error| LoadError::Unreadable {
                path: pending.name.clone(),
                error,
            })?;
            String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 {
                path: pending.name.clone(),
            })
        }
    }
}

fn syntax_diagnostic(error: SyntaxError) -> Diagnostic {
    let code = match error.kind {
        SyntaxErrorKind::Parse => Code::ParseError,
        SyntaxErrorKind::InvalidValue => Code::InvalidValue,
        SyntaxErrorKind::TooDeep => Code::NestingTooDeep,
    };
    Diagnostic::new(code, error.span, error.message).help(error.help)
}

/// A parsed file, its syntax errors, and its imports (or why one failed).
type Parsed = (
    Option<File>,
    Vec<SyntaxError>,
    Vec<Result<Pending, Box<Diagnostic>>>,
);

/// The imports of one file, resolved against it.
fn imports_of(
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
                .ok_or_else(|| Box::new(unknown_import(target, value.span)))
        })
        .collect()
}

/// Resolves import paths, asking the file system once per directory and
/// path: ten thousand services importing the same template cost one lookup.
#[derive(Default)]
struct ImportResolver {
    cache: Mutex<HashMap<(PathBuf, String), Option<PathBuf>>>,
}

impl ImportResolver {
    fn resolve(&self, target: &str, importer: &Pending) -> Option<Pending> {
        if let Some(module) = target.strip_prefix("std/") {
            let module = module.strip_suffix(".sluice").unwrap_or(module);
            let text = sluice_stdlib::module(module)?;
            return Some(Pending {
                origin: Origin::Std(text),
                name: format!("std/{module}.sluice"),
            });
        }
        let Origin::Disk(base) = &importer.origin else {
            return None; // std modules import only std modules
        };
        let dir = base.parent()?;
        let key = (dir.to_path_buf(), target.to_string());
        let cached = self.cache.lock().ok().and_then(|c| c.get(&key).cloned());
        let path = match cached {
            Some(found) => found?,
            None => {
                let found = canonical(&dir.join(target)).ok().filter(|p| p.is_file());
                if let Ok(mut cache) = self.cache.lock() {
                    cache.insert(key, found.clone());
                }
                found?
            }
        };
        let display_dir = Path::new(&importer.name).parent().unwrap_or(Path::new(""));
        Some(Pending {
            origin: Origin::Disk(path),
            name: display(&normalize(&display_dir.join(target))),
        })
    }
}

fn unknown_import(target: &str, span: sluice_grammar::Span) -> Diagnostic {
    let (message, help) = if let Some(module) = target.strip_prefix("std/") {
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
    } else {
        (
            format!("cannot find the file `{target}` to import"),
            "import paths are relative to the importing file, like `\"../org/service.sluice\"`"
                .to_string(),
        )
    };
    Diagnostic::new(Code::UnknownImport, span, message)
        .label("imported here")
        .help(help)
}

/// The files a command-line path names, canonicalized: a directory once,
/// its files by joining their relative paths.
fn roots(path: &Path) -> Result<Vec<Pending>, LoadError> {
    let files = expand(path)?;
    let base = if path.is_dir() {
        Some(canonical(path)?)
    } else {
        None
    };
    files
        .into_iter()
        .map(|file| {
            let origin = match (&base, file.strip_prefix(path)) {
                (Some(base), Ok(relative)) => base.join(relative),
                _ => canonical(&file)?,
            };
            Ok(Pending {
                origin: Origin::Disk(origin),
                name: display(&file),
            })
        })
        .collect()
}

/// A file itself, or every `*.sluice` under a directory, sorted.
fn expand(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|error| LoadError::Unreadable {
        path: display(path),
        error,
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(path, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|error| LoadError::Unreadable {
        path: display(dir),
        error,
    })?;
    for entry in entries {
        let entry = entry.map_err(|error| LoadError::Unreadable {
            path: display(dir),
            error,
        })?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|error| LoadError::Unreadable {
            path: display(&path),
            error,
        })?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sluice") {
            out.push(path);
        }
    }
    Ok(())
}

fn canonical(path: &Path) -> Result<PathBuf, LoadError> {
    std::fs::canonicalize(path).map_err(|error| LoadError::Unreadable {
        path: display(path),
        error,
    })
}

/// Removes `.` and folds `dir/..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn display(path: &Path) -> String {
    let text = normalize(path).to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".into()
    } else {
        text
    }
}

/// One file named on the command line, parsed on its own (for `fmt`).
pub struct RootFile {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    /// `None` when the file does not parse.
    pub ast: Option<File>,
}

/// Reads and parses the given files and directories, without imports.
pub fn load_roots(paths: &[PathBuf]) -> Result<Vec<RootFile>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        files.extend(expand(path)?);
    }
    files.sort();
    files.dedup();
    files
        .into_par_iter()
        .enumerate()
        .map(|(i, path)| {
            let pending = Pending {
                origin: Origin::Disk(path.clone()),
                name: display(&path),
            };
            let text = read(&pending)?;
            let (ast, errors) = parse_file(FileId(i as u32), &text);
            Ok(RootFile {
                name: pending.name,
                path,
                ast: ast.filter(|_| errors.is_empty()),
                text,
            })
        })
        .collect()
}
