//! Writing `sluice build`'s files into `--out` without following links
//! someone planted there. Every file is written to a temporary file with a
//! unique name, created with `O_EXCL` (it is never an existing file or a
//! link), in the file's own folder, then renamed over the file (a link at
//! the file's name is refused earlier, by `collisions`, and would be
//! replaced here, never followed); so a reader never sees half
//! a file, and builds running at once into one folder do not collide. The
//! folders inside `--out` that the build writes into must be real folders:
//! one that is a symbolic link is refused before anything is written.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Checks every folder first, then writes every file: a folder that is a
/// symbolic link (or not a folder) writes nothing.
pub fn write_all<'f>(
    out: &Path,
    files: impl IntoIterator<Item = (&'f str, &'f str)> + Clone,
) -> Result<(), String> {
    for (path, _) in files.clone() {
        for folder in folders(out, path)? {
            check_folder(&folder, false)?;
        }
    }
    // `--out` itself is the user's choice: a link there is followed
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (path, contents) in files {
        for folder in folders(out, path)? {
            create_folder(&folder)?;
        }
        write(&out.join(path), contents)?;
    }
    Ok(())
}

/// The folders between `out` and the file at `relative` (a `/`-separated
/// path that stays inside `out`), outermost first.
fn folders(out: &Path, relative: &str) -> Result<Vec<PathBuf>, String> {
    let inside = Path::new(relative)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !inside || relative.is_empty() {
        return Err(format!(
            "refusing to write `{relative}`: not a path inside --out"
        ));
    }
    let mut folders = Vec::new();
    let mut folder = out.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        folder.push(part);
        folders.push(folder.clone());
    }
    Ok(folders)
}

/// Ok when `folder` is a real folder, or is missing and need not exist
/// (it is created later).
fn check_folder(folder: &Path, must_exist: bool) -> Result<(), String> {
    match fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{}: is a symbolic link; refusing to write through it (replace it with a folder)",
            folder.display()
        )),
        Ok(meta) if !meta.is_dir() => Err(format!("{}: is not a folder", folder.display())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound && !must_exist => Ok(()),
        Err(e) => Err(format!("{}: {e}", folder.display())),
    }
}

/// Creates `folder` unless it exists (another build may create it at the
/// same moment), then checks it is a real folder.
fn create_folder(folder: &Path) -> Result<(), String> {
    match fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => check_folder(folder, true),
        Err(e) => Err(format!("{}: {e}", folder.display())),
    }
}

/// Makes temporary names unique within this process; the process id makes
/// them unique between processes, and `O_EXCL` makes sure.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Writes through a new temporary file beside `path` and a rename.
fn write(path: &Path, contents: &str) -> Result<(), String> {
    let (temporary, mut file) = create_temporary(path)?;
    let written = file
        .write_all(contents.as_bytes())
        .and_then(|()| file.flush());
    drop(file);
    let renamed = written.and_then(|()| fs::rename(&temporary, path));
    renamed.map_err(|e| {
        let _ = fs::remove_file(&temporary);
        format!("{}: {e}", path.display())
    })
}

/// A file created with `O_EXCL` at `.<name>.<pid>-<n>.sluice-tmp`, trying
/// other names while one exists.
fn create_temporary(path: &Path) -> Result<(PathBuf, fs::File), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tries = 0;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temporary =
            path.with_file_name(format!(".{name}.{}-{n}.sluice-tmp", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(format!("{}: {e}", temporary.display())),
        }
    }
}
