//! `sluice fmt` round-trips: formatting every fixture and example is
//! idempotent, keeps every comment, and resolves to the same model.

mod common;

use std::path::{Path, PathBuf};

use common::{root, sluice_in, TODAY};
use serde_json::Value;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join(format!("target/test-tmp/{}/fmt", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Diagnostics without positions: what must survive formatting.
fn findings(dir: &Path) -> Vec<(String, String, String)> {
    let run = sluice_in(dir, &["check", ".", "--format", "json", "--today", TODAY]);
    let json: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    let mut out: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].to_string(),
                d["code"].to_string(),
                d["message"].to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `explain --format json` with line and column removed.
/// `None` when the pipeline does not resolve (an unknown parent).
fn explained(dir: &Path, pipeline: &str) -> Option<Value> {
    let run = sluice_in(dir, &["explain", pipeline, ".", "--format", "json"]);
    if run.code == 2 {
        return None;
    }
    let mut json: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    strip_positions(&mut json);
    Some(json)
}

fn strip_positions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("line");
            map.remove("column");
            map.values_mut().for_each(strip_positions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_positions),
        _ => {}
    }
}

fn comments(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                out.extend(
                    text.lines()
                        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string())),
                );
            }
        }
    }
    out.sort();
    out
}

fn pipelines(dir: &Path) -> Vec<String> {
    let run = sluice_in(dir, &["check", ".", "--format", "json", "--today", TODAY]);
    assert!(run.code <= 1);
    let mut names = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    if let Some(rest) = line.trim_start().strip_prefix("pipeline ") {
                        names.push(rest.split_whitespace().next().unwrap().to_string());
                    }
                }
            }
        }
    }
    names
}

fn round_trip(name: &str, source: &Path) {
    let dir = scratch(name);
    copy_tree(source, &dir);
    let before = findings(&dir);
    let models: Vec<(String, Option<Value>)> = pipelines(&dir)
        .into_iter()
        .map(|p| (p.clone(), explained(&dir, &p)))
        .collect();
    let comments_before = comments(&dir);
    sluice_in(&dir, &["fmt", "."]);
    let again = sluice_in(&dir, &["fmt", "--check", "."]);
    assert_eq!(
        again.code, 0,
        "{name}: fmt is not idempotent: {}{}",
        again.stdout, again.stderr
    );
    assert_eq!(findings(&dir), before, "{name}: diagnostics changed");
    assert_eq!(comments(&dir), comments_before, "{name}: comments changed");
    for (pipeline, model) in models {
        assert_eq!(
            explained(&dir, &pipeline),
            model,
            "{name}: model of {pipeline} changed"
        );
    }
}

#[test]
fn examples_round_trip() {
    round_trip("examples", &root().join("examples"));
}

#[test]
fn passing_fixtures_round_trip() {
    round_trip("pass", &root().join("tests/fixtures/pass"));
}

#[test]
fn failing_fixtures_round_trip() {
    for entry in std::fs::read_dir(root().join("tests/fixtures/fail")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            round_trip(&format!("fail-{name}"), &path);
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the `unreadable-file` fixture is not UTF-8 on purpose
        };
        if ["parse-error", "nesting-too-deep", "invalid-value"]
            .iter()
            .any(|c| text.contains(c))
        {
            continue; // fmt refuses files whose text has errors: nothing to format
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = scratch(&format!("fail-src-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&path, dir.join("fixture.sluice")).unwrap();
        round_trip(&format!("fail-{name}"), &dir);
    }
}

#[test]
fn fmt_check_lists_unformatted_files_and_exits_1() {
    let dir = scratch("unformatted");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.sluice"), "alarm   a{cloudwatch \"x\"}").unwrap();
    let run = sluice_in(&dir, &["fmt", "--check", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("a.sluice"));
    assert_eq!(
        std::fs::read_to_string(dir.join("a.sluice")).unwrap(),
        "alarm   a{cloudwatch \"x\"}"
    );
    assert_eq!(sluice_in(&dir, &["fmt", "."]).code, 0);
    assert_eq!(sluice_in(&dir, &["fmt", "--check", "."]).code, 0);
}
