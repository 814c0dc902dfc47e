//! Loading: the paths from the command line, then every import, each file
//! once. Files are read and parsed in parallel, one round per import depth.
//!
//! Files named on the command line are read as given. An import is read
//! only when it is a regular `.sluice` file inside the importing file's
//! root (SPEC 6.4 P2): a team's file can never make `check` read, and
//! quote, a secret like `/proc/self/environ`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sluice_grammar::{parse_file, File, FileId, SyntaxError, SyntaxErrorKind};

use super::imports::{imports_of, ImportResolver};
use super::map::SourceMap;
use super::walk::{canonical, display, expand, leaves, roots};
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
pub(super) enum Origin {
    Disk(PathBuf),
    Std(&'static str),
}

pub(super) struct Pending {
    pub(super) origin: Origin,
    pub(super) name: String,
    /// The folder this file's imports must stay in (canonical): the git
    /// work tree that holds the command-line path, else the command-line
    /// directory, else the file's own directory. `None` for std modules.
    pub(super) root: Option<Arc<Path>>,
    /// Found by walking a folder, through a symbolic link that leads out of
    /// it: reported, never read.
    pub(super) leaves_folder: bool,
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
            let mut text = String::from_utf8(bytes).map_err(|e| Unreadable::NotUtf8 {
                at: e.utf8_error().valid_up_to(),
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })?;
            // a byte-order mark some Windows editors write is not text
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
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
