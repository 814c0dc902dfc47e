//! Any text given as a `.sluice` file yields diagnostics: never a panic or
//! a hang. Garbage made of the language's own tokens, every truncation of
//! every example and fixture, and deep nesting.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use sluice_compiler::{compile, Options};
use sluice_grammar::{parse_file, FileId};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 27)
}

/// Compiles one text as a file through every phase.
fn compile_text(dir: &Path, text: &str) -> usize {
    let path = dir.join("input.sluice");
    std::fs::write(&path, text).unwrap();
    let options = Options {
        paths: vec![path],
        policies: Vec::new(),
        today: today(),
    };
    compile(&options).map(|c| c.diagnostics.len()).unwrap_or(0)
}

fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join(format!("target/test-tmp/{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sources() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples", "tests/fixtures/pass", "tests/fixtures/fail"] {
        collect(&root().join(dir), &mut out);
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sluice") {
            out.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
        }
    }
}

#[test]
fn every_truncation_parses_or_reports() {
    let texts = sources();
    assert!(texts.len() >= 10);
    for text in &texts {
        for cut in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let (file, errors) = parse_file(FileId(0), &text[..cut]);
            assert!(
                file.is_some() || !errors.is_empty(),
                "no result and no error at {cut}"
            );
        }
    }
}

#[test]
fn truncations_go_through_every_phase() {
    let dir = scratch("truncations");
    for text in sources().iter().take(6) {
        let step = (text.len() / 40).max(1);
        for cut in (0..=text.len())
            .step_by(step)
            .filter(|i| text.is_char_boundary(*i))
        {
            compile_text(&dir, &text[..cut]);
        }
    }
}

/// A small deterministic generator; no need for a random crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const TOKENS: &[&str] = &[
    "pipeline",
    "template",
    "extends",
    "stage",
    "production",
    "wave",
    "final",
    "drop",
    "fleet",
    "region",
    "window",
    "alarm",
    "calendar",
    "policy",
    "rule",
    "bake",
    "one-box",
    "rolling",
    "by",
    "cell",
    "batch",
    "regions",
    "rest",
    "after",
    "alarms",
    "+=",
    "deploy",
    "check",
    "run",
    "{",
    "}",
    "[",
    "]",
    "\"x${region}\"",
    "\"${",
    "\"",
    "\\",
    "1h",
    "0s",
    "33%",
    "150%",
    "09:00-17:00",
    "mon..fri",
    "2026-02-30",
    "2026-12-25..2026-01-01",
    "12",
    "a",
    "b",
    "us-east-1",
    "#",
    "\n",
    ";",
    ",",
    "é",
    "\u{0}",
    "timezone",
    "allow",
    "deny",
    "waive",
    "import",
    "\"std/aws\"",
    "\"./x.sluice\"",
    "source",
    "review",
    "approvals",
    "emergency",
    "datapoints",
    "cloudwatch",
];

#[test]
fn token_garbage_gives_diagnostics_not_panics() {
    let dir = scratch("garbage");
    let mut rng = Lcg(7);
    for _ in 0..400 {
        let len = 1 + rng.next(60);
        let text: Vec<&str> = (0..len).map(|_| TOKENS[rng.next(TOKENS.len())]).collect();
        compile_text(&dir, &text.join(" "));
    }
}

#[test]
fn byte_garbage_gives_diagnostics_not_panics() {
    let mut rng = Lcg(11);
    for _ in 0..2000 {
        let len = rng.next(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next(128) as u8).collect();
        let text = String::from_utf8(bytes).unwrap();
        let (file, errors) = parse_file(FileId(0), &text);
        assert!(file.is_some() || !errors.is_empty());
    }
}

#[test]
fn deep_nesting_is_one_diagnostic() {
    let dir = scratch("deep");
    for depth in [9, 100, 100_000] {
        let text = format!(
            "pipeline p {}{}",
            "{ stage a ".repeat(depth),
            "}".repeat(depth)
        );
        let (file, errors) = parse_file(FileId(0), &text);
        assert!(file.is_none());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, sluice_grammar::SyntaxErrorKind::TooDeep);
        assert_eq!(compile_text(&dir, &text), 1);
    }
    let brackets = format!("pipeline p {{ tags {} }}", "[".repeat(50_000));
    assert_eq!(compile_text(&dir, &brackets), 1);
}

#[test]
fn long_flat_input_does_not_overflow() {
    let text = "alarm a { cloudwatch \"x\" }\n".to_string() + &"# comment\n".repeat(100_000);
    let (file, errors) = parse_file(FileId(0), &text);
    assert!(file.is_some() && errors.is_empty());
    let many = format!(
        "fleet f {{ {} }}",
        (0..20_000)
            .map(|i| format!("region r{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (file, errors) = parse_file(FileId(0), &many);
    assert!(file.is_some() && errors.is_empty(), "{errors:?}");
}
