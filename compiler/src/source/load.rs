//! Loading: the paths from the command line, then every import, each file
//! once. Files are read and parsed in parallel, one round per import depth.
//!
//! Files named on the command line are read as given. An import is read
//! only when it is a regular `.sluice` file inside the importing file's
//! root (SPEC 6.4 P2): a team's file can never make `check` read, and
//! quote, a secret like `/proc/self/environ`.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sluice_grammar::{parse_file, File, FileId, Keyword, SyntaxError, SyntaxErrorKind};

use super::map::SourceMap;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// A problem with the command line or the file system: exit code 2.
#[derive(Debug)]
pub enum LoadError {
    Unreadable { path: String, error: std::io::Error },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Unreadable { path, error } => write!(f, "cannot read `{path}`: {error}"),
        }
    }
}

/// Why a file that was found is not read as Sluice text: an
/// `unreadable-file` diagnostic on that file, and the rest is checked.
#[derive(Debug)]
enum Unreadable {
    /// A folder, FIFO or device: reading it could block or never end.
    NotRegular,
    /// A link found in a folder that leads out of it.
    LeavesFolder,
    /// Not UTF-8 from this byte on; the text is the lossy decoding.
    NotUtf8 {
        text: String,
        at: usize,
    },
    Io(std::io::Error),
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
    /// The `--policy` files and every file they import, directly or not:
    /// the organisation's files, whose definitions win over a team's
    /// (SPEC 6.4 P1) and whose policies must select every pipeline (P7).
    pub policy_files: HashSet<FileId>,
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
    /// The folder this file's imports must stay in (canonical): the git
    /// work tree that holds the command-line path, else the command-line
    /// directory, else the file's own directory. `None` for std modules.
    root: Option<Arc<Path>>,
    /// Found by walking a folder, through a symbolic link that leads out of
    /// it: reported, never read.
    leaves_folder: bool,
}

/// Loads the paths, the `--policy` files and everything they import.
pub fn load(paths: &[PathBuf], policies: &[PathBuf]) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    let mut seen: HashMap<Origin, FileId> = HashMap::new();
    let mut round = Vec::new();
    for path in paths {
        round.extend(roots(path)?);
    }
    let mut policy_roots = Vec::new();
    for path in policies {
        let files = roots(path)?;
        policy_roots.extend(files.iter().map(|p| p.origin.clone()));
        round.extend(files);
    }
    // which file imports which, to find everything the policies import
    let mut imports_by_file: HashMap<FileId, Vec<Origin>> = HashMap::new();
    let mut is_root = true;
    while !round.is_empty() {
        round.retain(|p| !seen.contains_key(&p.origin));
        dedup_by_origin(&mut round);
        let texts: Vec<Result<String, Unreadable>> = round.par_iter().map(read).collect();
        let mut fresh = Vec::new();
        for (pending, text) in round.drain(..).zip(texts) {
            let (text, refused) = match text {
                Ok(text) => (text, None),
                Err(Unreadable::NotUtf8 { text, at }) => (
                    text,
                    Some(Unreadable::NotUtf8 {
                        text: String::new(),
                        at,
                    }),
                ),
                Err(why) => (String::new(), Some(why)),
            };
            let id = loaded.sources.add(pending.name.clone(), text);
            seen.insert(pending.origin.clone(), id);
            if is_root {
                loaded.roots.push(id);
            }
            if let Some(why) = &refused {
                let text = &loaded.sources.get(id).text;
                loaded.diagnostics.push(unreadable(id, text, why));
            }
            fresh.push((id, pending, refused.is_none()));
        }
        let resolver = ImportResolver::default();
        let parsed: Vec<Parsed> = fresh
            .par_iter()
            .map(|(id, pending, readable)| {
                if !readable {
                    return (None, Vec::new(), Vec::new());
                }
                let (file, errors) = parse_file(*id, &loaded.sources.get(*id).text);
                let imports = file
                    .as_ref()
                    .map(|f| imports_of(f, pending, &resolver))
                    .unwrap_or_default();
                (file, errors, imports)
            })
            .collect();
        for ((id, _, _), (file, errors, imports)) in fresh.into_iter().zip(parsed) {
            loaded
                .diagnostics
                .extend(errors.into_iter().map(syntax_diagnostic));
            for import in imports {
                match import {
                    Ok(pending) => {
                        imports_by_file
                            .entry(id)
                            .or_default()
                            .push(pending.origin.clone());
                        round.push(pending);
                    }
                    Err(diagnostic) => loaded.diagnostics.push(*diagnostic),
                }
            }
            debug_assert_eq!(loaded.files.len(), id.0 as usize);
            loaded.files.push(file);
        }
        is_root = false;
    }
    loaded.policy_files = reachable(&policy_roots, &seen, &imports_by_file);
    Ok(loaded)
}

/// The files `from` names and everything they import, directly or not.
fn reachable(
    from: &[Origin],
    ids: &HashMap<Origin, FileId>,
    imports: &HashMap<FileId, Vec<Origin>>,
) -> HashSet<FileId> {
    let mut found = HashSet::new();
    let mut stack: Vec<FileId> = from.iter().filter_map(|o| ids.get(o).copied()).collect();
    while let Some(id) = stack.pop() {
        if found.insert(id) {
            let next = imports.get(&id).into_iter().flatten();
            stack.extend(next.filter_map(|o| ids.get(o).copied()));
        }
    }
    found
}

fn dedup_by_origin(round: &mut Vec<Pending>) {
    let mut seen = std::collections::HashSet::new();
    round.retain(|p| seen.insert(p.origin.clone()));
}

fn read(pending: &Pending) -> Result<String, Unreadable> {
    match &pending.origin {
        Origin::Std(text) => Ok((*text).to_string()),
        Origin::Disk(path) => {
            if pending.leaves_folder {
                return Err(Unreadable::LeavesFolder);
            }
            let meta = std::fs::metadata(path).map_err(Unreadable::Io)?;
            if !meta.is_file() {
                return Err(Unreadable::NotRegular);
            }
            let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
            String::from_utf8(bytes).map_err(|e| Unreadable::NotUtf8 {
                at: e.utf8_error().valid_up_to(),
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })
        }
    }
}

/// The `unreadable-file` diagnostic: at the first bad byte of a file that
/// is not UTF-8, else at the start of the (empty) file.
fn unreadable(file: FileId, text: &str, why: &Unreadable) -> Diagnostic {
    let (span, message, help) = match why {
        Unreadable::NotUtf8 { at, .. } => (
            sluice_grammar::Span::new(file, *at, (*at + '\u{fffd}'.len_utf8()).min(text.len())),
            "this file is not UTF-8 text from here on".to_string(),
            "save the file as UTF-8".to_string(),
        ),
        Unreadable::NotRegular => (
            sluice_grammar::Span::new(file, 0, 0),
            "not a regular file: a folder, pipe or device is never read".to_string(),
            "name a `.sluice` file".to_string(),
        ),
        Unreadable::LeavesFolder => (
            sluice_grammar::Span::new(file, 0, 0),
            "this symbolic link leads out of the folder being checked, so it is not read"
                .to_string(),
            "name the file it points to on the command line, or copy it into the folder"
                .to_string(),
        ),
        Unreadable::Io(error) => (
            sluice_grammar::Span::new(file, 0, 0),
            format!("cannot read this file: {error}"),
            "check that the file exists and is readable".to_string(),
        ),
    };
    Diagnostic::new(Code::UnreadableFile, span, message)
        .label("not read")
        .help(help)
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
                .map_err(|why| Box::new(unknown_import(target, why, value.span)))
        })
        .collect()
}

type ImportCache = HashMap<(PathBuf, String, Arc<Path>), Result<PathBuf, ImportRefusal>>;

/// Resolves import paths, asking the file system once per directory and
/// path: ten thousand services importing the same template cost one lookup.
#[derive(Default)]
struct ImportResolver {
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

/// The files a command-line path names, canonicalized: a directory once,
/// its files by joining their relative paths. They share one import root.
fn roots(path: &Path) -> Result<Vec<Pending>, LoadError> {
    let (files, links) = expand(path)?;
    let base = if path.is_dir() {
        Some(canonical(path)?)
    } else {
        None
    };
    let root: Option<Arc<Path>> = base.as_deref().map(|dir| import_root(dir).into());
    files
        .into_iter()
        .map(|file| {
            let origin = match (&base, file.strip_prefix(path)) {
                (Some(base), Ok(relative)) => base.join(relative),
                _ => canonical(&file)?,
            };
            let root = match &root {
                Some(root) => root.clone(),
                None => import_root(origin.parent().unwrap_or(Path::new("/"))).into(),
            };
            // a link inside a folder must stay inside it
            let leaves_folder =
                links.contains(&file) && base.as_ref().is_some_and(|base| leaves(&origin, base));
            Ok(Pending {
                origin: Origin::Disk(origin),
                name: display(&file),
                root: Some(root),
                leaves_folder,
            })
        })
        .collect()
}

/// The root for files found from `dir` (canonical): the git work tree that
/// holds it, else `dir` itself.
fn import_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Whether `path`, a symbolic link found in folder `base` (canonical),
/// leads out of it.
fn leaves(path: &Path, base: &Path) -> bool {
    std::fs::canonicalize(path).map_or(true, |real| !real.starts_with(base))
}

/// A file itself, or every `*.sluice` under a directory, sorted; and which
/// of those are symbolic links (folders that are links are not entered).
fn expand(path: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
    let meta = std::fs::metadata(path).map_err(|error| LoadError::Unreadable {
        path: display(path),
        error,
    })?;
    if !meta.is_dir() {
        return Ok((vec![path.to_path_buf()], Vec::new()));
    }
    let mut out = Vec::new();
    let mut links = Vec::new();
    walk(path, &mut out, &mut links)?;
    out.sort();
    links.sort();
    Ok((out, links))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, links: &mut Vec<PathBuf>) -> Result<(), LoadError> {
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
            walk(&path, out, links)?;
        } else if path.extension().is_some_and(|e| e == "sluice") {
            if kind.is_symlink() {
                links.push(path.clone());
            }
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
        let (found, links) = expand(path)?;
        let base = canonical(path)?;
        // `fmt` rewrites files: never one outside the folder it was given
        if let Some(link) = links.iter().find(|link| leaves(link, &base)) {
            return Err(LoadError::Unreadable {
                path: display(link),
                error: std::io::Error::other(describe(&Unreadable::LeavesFolder)),
            });
        }
        files.extend(found);
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
                root: None,
                leaves_folder: false,
            };
            let text = read(&pending).map_err(|why| LoadError::Unreadable {
                path: pending.name.clone(),
                error: match why {
                    Unreadable::Io(error) => error,
                    other => std::io::Error::other(describe(&other)),
                },
            })?;
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

fn describe(why: &Unreadable) -> &'static str {
    match why {
        Unreadable::NotRegular => "not a regular file",
        Unreadable::LeavesFolder => "a symbolic link out of the folder",
        Unreadable::NotUtf8 { .. } => "not valid UTF-8 text",
        Unreadable::Io(_) => "unreadable",
    }
}
