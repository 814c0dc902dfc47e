//! Compiling `.sluice` text that imports the std modules, through the real
//! compiler, so the tests see exactly what `sluice check` sees.

#![allow(dead_code)] // each test file uses some of the helpers

use std::path::PathBuf;

use sluice_compiler::model::{Calendar, Fleet, Pipeline};
use sluice_compiler::{compile, Compilation, Options};

pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 27)
}

/// Writes `text` to a file of its own and compiles it. Each call gets its
/// own folder: tests run in parallel and may compile the same text.
pub fn compile_text(name: &str, text: &str) -> Compilation {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("main.sluice");
    std::fs::write(&file, text).unwrap();
    compile_paths(vec![file])
}

pub fn compile_paths(paths: Vec<PathBuf>) -> Compilation {
    compile(&Options {
        paths,
        policies: Vec::new(),
        today: today(),
    })
    .unwrap()
}

/// Compiles `import "std/<module>"` and nothing else.
pub fn import(module: &str) -> Compilation {
    compile_text(
        &format!("import-{module}"),
        &format!("import \"std/{module}\"\n"),
    )
}

/// Every diagnostic as one line, for assertion messages.
pub fn diagnostics(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}",
                d.code,
                d.rule.as_deref().unwrap_or(""),
                d.message
            )
        })
        .collect()
}

pub fn fleet<'a>(compilation: &'a Compilation, name: &str) -> &'a Fleet {
    compilation
        .model
        .fleets
        .get(name)
        .unwrap_or_else(|| panic!("no fleet `{name}`"))
}

pub fn calendar<'a>(compilation: &'a Compilation, name: &str) -> &'a Calendar {
    compilation
        .model
        .calendars
        .get(name)
        .unwrap_or_else(|| panic!("no calendar `{name}`"))
}

pub fn region_names(fleet: &Fleet) -> Vec<&str> {
    fleet.regions.iter().map(|r| r.name.text.as_str()).collect()
}

pub fn template<'a>(compilation: &'a Compilation, name: &str) -> &'a Pipeline {
    compilation
        .model
        .pipelines
        .iter()
        .find(|p| p.name.text == name)
        .unwrap_or_else(|| panic!("no template `{name}`"))
}
