//! Unit tests of the simulator, on pipelines compiled from small texts.

mod stages;
mod week;
mod window;
mod work;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::Zoned;

use super::{simulate, SimOptions, Timeline};
use crate::model::Model;
use crate::{compile, Compilation, Options};

/// A fleet, a holiday calendar and Acme's business hours, shared by tests.
pub const ORG: &str = r#"
fleet f {
  region r1 { cells [a1, a2, a3] }
  region r2
  region r3 { cells [c1, c2] }
}
calendar hol { 2026-11-26 "Thanksgiving" }
window bh {
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
  deny calendar hol
  deny 2026-12-19..2027-01-04 "year-end freeze"
}
"#;

/// Compiles `text` (after [`ORG`]) from a fresh temporary file and fails
/// the test on any language error.
pub fn compiled(text: &str) -> Compilation {
    let compilation = compiled_with_errors(text);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    compilation
}

/// Compiles `text` (after [`ORG`]), errors and all.
pub fn compiled_with_errors(text: &str) -> Compilation {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "sluice-simulate-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("test.sluice");
    std::fs::write(&file, format!("{ORG}\n{text}")).unwrap();
    let compilation = compile(&Options {
        paths: vec![file],
        policies: Vec::new(),
        today: jiff::civil::date(2026, 11, 1),
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    compilation
}

pub fn at(text: &str) -> Zoned {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Simulates pipeline `p` of `model` from `start`, with default options.
pub fn run(model: &Model, start: &str) -> Timeline {
    simulate(
        model.pipeline("p").expect("pipeline p"),
        model,
        &at(start),
        &SimOptions::default(),
    )
    .unwrap()
}

/// A stage's (or `wave N`'s) start and end in Los Angeles time, like
/// `2026-11-24T10:10`.
pub fn times(timeline: &Timeline, label: &str) -> (String, String) {
    let stage = timeline
        .stages
        .iter()
        .find(|s| s.label() == label)
        .unwrap_or_else(|| panic!("no {label}"));
    let la = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
    let show = |t: jiff::Timestamp| t.to_zoned(la.clone()).strftime("%a %FT%R").to_string();
    (show(stage.start), show(stage.end))
}

/// Build (two 5-minute steps) then one wave in business hours: 15 minutes
/// of deploy and a one-hour bake.
pub const BUILD_THEN_WAVE: &str = r#"
pipeline p {
  fleet f
  stage build { run compile "make"  check unit "make test" }
  production {
    deploy "./deploy ${region}"
    window bh
    wave 1 { regions [r2] bake 1h }
  }
}
"#;
