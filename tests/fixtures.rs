//! Fixtures carry their expectations: a trailing `#~ error: CODE` (or
//! `warning`, `note`) marks the line a diagnostic must point at; one line
//! may carry several markers. A fixture is a file, or a folder checked as a
//! whole.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{fixtures, relative, sluice, TODAY};
use serde_json::Value;

type Expectation = (String, usize, String, String);

/// `(file, line, severity, code)` for every marker under `path`.
fn markers(path: &Path) -> BTreeSet<Expectation> {
    let files = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = BTreeSet::new();
    for file in files {
        // lossy: the `unreadable-file` fixture is not UTF-8 on purpose
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for (i, line) in text.lines().enumerate() {
            // several causes on one line: `#~ error: a #~ warning: b`
            for marker in line.split("#~ ").skip(1) {
                let (severity, code) = marker.split_once(": ").expect("marker is `severity: code`");
                out.insert((
                    relative(&file),
                    i + 1,
                    severity.trim().into(),
                    code.trim().into(),
                ));
            }
        }
    }
    out
}

/// `--policy FILE` for every `*.policy` file in a fixture folder: the
/// organisation's policy, given on the command line.
fn policy_args(path: &str) -> Vec<String> {
    let dir = common::root().join(path);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "policy"))
        .map(|p| relative(&p))
        .collect();
    files.sort();
    files
        .into_iter()
        .flat_map(|f| ["--policy".to_string(), f])
        .collect()
}

fn check_json(path: &str) -> Value {
    let mut args: Vec<String> = ["check", path, "--format", "json", "--today", TODAY]
        .map(String::from)
        .to_vec();
    args.extend(policy_args(path));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = sluice(&args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{path}: {e}\n{}{}", run.stdout, run.stderr))
}

fn reported(json: &Value) -> BTreeSet<Expectation> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["severity"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn failing_fixtures_report_exactly_their_markers() {
    for path in fixtures("fail") {
        let rel = relative(&path);
        let expected = markers(&path);
        assert!(!expected.is_empty(), "{rel} has no `#~` marker");
        let json = check_json(&rel);
        assert_eq!(reported(&json), expected, "diagnostics of {rel}");
        for d in json["diagnostics"].as_array().unwrap() {
            assert!(
                !d["help"].as_str().unwrap().is_empty(),
                "{rel}: every diagnostic has help: {d}"
            );
            assert!(
                !d["message"].as_str().unwrap().contains('\n'),
                "{rel}: one-line message: {d}"
            );
        }
        let mut args: Vec<String> = ["check", &rel, "--today", TODAY].map(String::from).to_vec();
        args.extend(policy_args(&rel));
        let human = sluice(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let has_error = expected.iter().any(|(_, _, s, _)| s == "error");
        assert_eq!(
            human.code,
            if has_error { 1 } else { 0 },
            "exit code of {rel}"
        );
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("fail-{name}"), human.stdout);
    }
}

#[test]
fn passing_fixtures_are_clean() {
    for path in fixtures("pass") {
        let rel = relative(&path);
        let json = check_json(&rel);
        assert_eq!(json["diagnostics"], Value::Array(vec![]), "{rel} must pass");
        assert!(json["summary"]["files"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn every_code_has_a_failing_fixture() {
    let all: BTreeSet<String> = fixtures("fail")
        .iter()
        .flat_map(|p| markers(p))
        .map(|m| m.3)
        .collect();
    let run = sluice(&["explain-code", "--list"]);
    let codes: Vec<&str> = run.stdout.lines().collect();
    assert!(codes.len() >= 12, "{}", run.stdout);
    for code in codes {
        assert!(all.contains(code), "no failing fixture marks `{code}`");
    }
}

#[test]
fn the_json_format_has_the_spec_shape() {
    let json = check_json("tests/fixtures/fail/unknown-region.sluice");
    let d = &json["diagnostics"][0];
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "pipeline",
        "help",
        "rule",
    ]
    .into();
    assert_eq!(keys, expected);
    assert_eq!(d["code"], "unknown-region");
    assert_eq!(d["file"], "tests/fixtures/fail/unknown-region.sluice");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(8), Some(37))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(8), Some(46))
    );
    assert_eq!(d["pipeline"], "api");
    assert_eq!(d["rule"], Value::Null);
    let summary = &json["summary"];
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["pipelines"], 1);
    assert_eq!(summary["files"], 1);
}

#[test]
fn all_files_are_reported_in_one_run_sorted() {
    let json = check_json("tests/fixtures/fail");
    let found: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted);
    // every single-file fixture is reported in the one run (folders may
    // need their `--policy` files to report anything)
    let files: BTreeSet<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    for fixture in fixtures("fail").iter().filter(|p| p.is_file()) {
        assert!(files.contains(relative(fixture).as_str()), "{fixture:?}");
    }
}

#[test]
fn the_all_rules_fixture_enables_every_rule() {
    let text = std::fs::read_to_string(
        common::root().join("tests/fixtures/pass/policy-all-rules/org.sluice"),
    )
    .unwrap();
    let list = sluice(&["explain-code", "--list"]);
    let language: BTreeSet<String> = sluice(&["explain-code", "--list"])
        .stdout
        .lines()
        .filter(|c| {
            std::fs::metadata(common::root().join(format!("compiler/src/diagnostic/codes/{c}.md")))
                .is_ok()
        })
        .map(String::from)
        .collect();
    for rule in list.stdout.lines().filter(|c| !language.contains(*c)) {
        assert!(
            text.contains(&format!("rule {rule}\n")),
            "policy-all-rules does not enable `{rule}`"
        );
    }
}
