//! Running the real `sluice` binary from tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixed date the fixtures are checked against.
pub const TODAY: &str = "2026-11-27";

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `sluice ARGS` in the repository root, without colour.
pub fn sluice(args: &[&str]) -> Run {
    sluice_in(&root(), args)
}

pub fn sluice_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the sluice binary runs");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// Every `*.sluice` file directly in a fixtures folder, sorted.
pub fn fixtures(folder: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures").join(folder);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sluice") || p.is_dir())
        .collect();
    out.sort();
    out
}

/// The path relative to the repository root, with `/` separators.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
