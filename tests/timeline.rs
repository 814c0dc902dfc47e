//! `sluice timeline`: the example organisation's pipeline from a fixed
//! merge instant, as a table, JSON and a picture; and its usage errors.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{root, sluice, sluice_in};

/// A Tuesday morning in the business-hours window of the examples.
const START: &str = "2026-11-24T10:00[America/Los_Angeles]";

fn timeline(format: &str) -> common::Run {
    let run = sluice(&[
        "timeline",
        "checkout-api",
        "examples",
        "--start",
        START,
        "--format",
        format,
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run
}

#[test]
fn human_table_of_the_example() {
    insta::assert_snapshot!("timeline-checkout-api-human", timeline("human").stdout);
}

#[test]
fn json_of_the_example() {
    let run = timeline("json");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in ["pipeline", "start", "end", "lead_time_seconds", "stages"] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    for stage in json["stages"].as_array().unwrap() {
        for key in ["name", "wave", "regions", "start", "end"] {
            assert!(stage.get(key).is_some(), "{key} in {stage}");
        }
        let start = stage["start"].as_str().unwrap();
        assert!(
            start.parse::<jiff::Timestamp>().is_ok(),
            "RFC 3339: {start}"
        );
    }
    let end: jiff::Timestamp = json["end"].as_str().unwrap().parse().unwrap();
    let start: jiff::Timestamp = json["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        json["lead_time_seconds"].as_i64().unwrap(),
        end.as_second() - start.as_second()
    );
    insta::assert_snapshot!("timeline-checkout-api-json", run.stdout);
}

#[test]
fn svg_renders_to_a_non_empty_png() {
    let run = timeline("svg");
    assert!(run.stdout.starts_with("<svg "), "{}", &run.stdout[..80]);
    assert!(run.stdout.contains("checkout-api — lead time"));
    let dir = tempdir("timeline-svg");
    let svg = dir.join("checkout-api.svg");
    let png = dir.join("checkout-api.png");
    std::fs::write(&svg, &run.stdout).unwrap();
    let status = tool("rsvg-convert")
        .arg(&svg)
        .arg("-o")
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success(), "rsvg-convert failed on {}", svg.display());
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    // width and height from the IHDR chunk
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert!(width >= 600 && height >= 200, "{width}x{height}");
    assert!(bytes.len() > 5_000, "a picture, not an empty canvas");
}

#[test]
fn a_start_with_an_offset_is_accepted() {
    let tz = sluice(&[
        "timeline",
        "checkout-api",
        "examples",
        "--start",
        START,
        "--format",
        "json",
    ]);
    let offset = sluice(&[
        "timeline",
        "checkout-api",
        "examples",
        "--start",
        "2026-11-24T18:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(offset.code, 0, "{}", offset.stderr);
    let end = |run: &common::Run| {
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        json["end"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
    };
    assert_eq!(end(&tz), end(&offset));
}

#[test]
fn usage_errors_are_exit_2_with_a_message() {
    let cases: [&[&str]; 5] = [
        &[
            "timeline",
            "checkout-api",
            "examples",
            "--start",
            "tomorrow",
        ],
        &[
            "timeline",
            "checkout-api",
            "examples",
            "--start",
            "2026-11-24T10:00",
        ],
        &[
            "timeline",
            "checkout-api",
            "examples",
            "--start",
            "2026-11-24T10:00[Mars/Base]",
        ],
        &[
            "timeline",
            "checkout-api",
            "examples",
            "--start",
            START,
            "--deploy-time",
            "soon",
        ],
        &["timeline", "no-such-pipeline", "examples", "--start", START],
    ];
    for args in cases {
        let run = sluice(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert_eq!(
        sluice(&["timeline", "checkout-api", "examples"]).code,
        2,
        "--start is required"
    );
    let unknown = sluice(&["timeline", "checkout-ap", "examples", "--start", START]);
    assert!(
        unknown.stderr.contains("checkout-api"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_window_that_never_opens_is_exit_1_naming_it() {
    let dir = tempdir("timeline-never");
    std::fs::write(
        dir.join("p.sluice"),
        r#"
window frozen { timezone "UTC" allow mon 09:00-10:00 deny 2026-01-01..2030-12-31 "rewrite" }
pipeline p { stage s { run x "x" window frozen } }
"#,
    )
    .unwrap();
    let run = sluice_in(&dir, &["timeline", "p", "--start", "2026-11-24T10:00:00Z"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("window `frozen` never opens"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("p.sluice:3:"),
        "points at the stage's `window`: {}",
        run.stderr
    );
}

#[test]
fn files_with_errors_are_refused() {
    let dir = tempdir("timeline-broken");
    std::fs::write(
        dir.join("p.sluice"),
        "pipeline p { stage s { after nowhere } }\n",
    )
    .unwrap();
    let run = sluice_in(&dir, &["timeline", "p", "--start", "2026-11-24T10:00:00Z"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("run `sluice check`"), "{}", run.stderr);
}

/// A command the project's `.ci/setup` installs; missing is a failure,
/// never a skip, so CI cannot pass without the check.
fn tool(name: &str) -> Command {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "`{name}` is not installed: run .ci/setup");
    Command::new(name)
}

fn tempdir(name: &str) -> PathBuf {
    let dir = root()
        .join(format!("target/test-tmp/{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The README's example and docs/timeline-example.svg are the real output.
#[test]
fn the_docs_show_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = format!("$ sluice timeline checkout-api examples/ --start \"{START}\"\n");
    let shown = readme
        .split_once(&command)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the README shows `sluice timeline checkout-api`");
    assert_eq!(
        shown,
        timeline("human").stdout,
        "update the README's timeline example"
    );
    let svg = std::fs::read_to_string(root().join("docs/timeline-example.svg")).unwrap();
    assert!(
        svg == timeline("svg").stdout,
        "regenerate docs/timeline-example.svg and .png (see docs/timeline.md)"
    );
    let png = std::fs::metadata(root().join("docs/timeline-example.png")).unwrap();
    assert!(png.len() > 5_000);
}
