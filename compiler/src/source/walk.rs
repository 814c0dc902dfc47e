//! The files a command-line path names: a file as given, or every
//! `*.sluice` below a folder, never through a link that leaves it; and the
//! root their imports must stay in.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::load::{LoadError, Origin, Pending};

/// The files a command-line path names, canonicalized: a directory once,
/// its files by joining their relative paths. They share one import root.
pub(super) fn roots(path: &Path) -> Result<Vec<Pending>, LoadError> {
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
pub(super) fn import_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Whether `path`, a symbolic link found in folder `base` (canonical),
/// leads out of it.
pub(super) fn leaves(path: &Path, base: &Path) -> bool {
    std::fs::canonicalize(path).map_or(true, |real| !real.starts_with(base))
}

/// A file itself, or every `*.sluice` under a directory, sorted; and which
/// of those are symbolic links (folders that are links are not entered).
pub(super) fn expand(path: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
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

pub(super) fn canonical(path: &Path) -> Result<PathBuf, LoadError> {
    std::fs::canonicalize(path).map_err(|error| LoadError::Unreadable {
        path: display(path),
        error,
    })
}

/// Removes `.` and folds `dir/..` without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
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

pub(super) fn display(path: &Path) -> String {
    let text = normalize(path).to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".into()
    } else {
        text
    }
}
