//! The command line's contract: exit codes, I/O errors, explain, fmt.

mod common;

use common::{root, sluice, sluice_in, TODAY};

#[test]
fn examples_pass_with_no_finding() {
    let run = sluice(&["check", "examples", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]), "{}", run.stdout);
    assert!(json["summary"]["pipelines"].as_u64().unwrap() >= 3);
}

#[test]
fn a_missing_path_is_exit_2_with_a_message() {
    let run = sluice(&["check", "no/such/dir"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read `no/such/dir`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_non_utf8_file_is_a_diagnostic_and_the_rest_is_checked() {
    let dir = tempdir("non-utf8");
    std::fs::write(dir.join("bad.sluice"), b"pipeline \xff\xfe {}").unwrap();
    std::fs::write(dir.join("good.sluice"), "pipeline p { owner 7 }\n").unwrap();
    let run = sluice_in(&dir, &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, u64, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // the first bad byte, and the other file's own error
    assert_eq!(
        found[0],
        ("bad.sluice".into(), 1, 10, "unreadable-file".into())
    );
    assert!(found[1..].iter().all(|d| d.0 == "good.sluice"), "{found:?}");
    assert!(found.len() > 1, "{found:?}");
}

/// A FIFO or a device is never read (it could block forever): named on the
/// command line, or found in a folder.
#[cfg(unix)]
#[test]
fn special_files_are_a_diagnostic_not_a_hang() {
    let dir = tempdir("special");
    let fifo = dir.join("pipe.sluice");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available: skipping the FIFO case");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.sluice")).unwrap();
    for args in [
        vec!["check", ".", "--format", "json"],
        vec!["check", "pipe.sluice", "--format", "json"],
        vec!["check", "/dev/zero", "--format", "json"],
    ] {
        let run = sluice_in(&dir, &args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("unreadable-file"),
            "{args:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn bad_usage_is_exit_2() {
    assert_eq!(sluice(&["check", "--format", "xml"]).code, 2);
    assert_eq!(sluice(&["check", "--today", "yesterday"]).code, 2);
    assert_eq!(sluice(&["explain-code", "no-such-code"]).code, 2);
    assert_eq!(sluice(&["explain", "no-such-pipeline", "examples"]).code, 2);
}

#[test]
fn every_code_has_an_explanation() {
    let list = sluice(&["explain-code", "--list"]);
    for code in list.stdout.lines() {
        let run = sluice(&["explain-code", code]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.starts_with(&format!("# {code}")),
            "{code}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("```sluice"), "{code} has an example");
        assert!(
            run.stdout.lines().count() > 8,
            "{code} is explained at length"
        );
    }
}

#[test]
fn warnings_alone_exit_0() {
    let dir = tempdir("warnings");
    std::fs::write(dir.join("w.sluice"), "window never { timezone \"UTC\" }\n").unwrap();
    let run = sluice_in(&dir, &["check", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("is never open"), "{}", run.stdout);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = root()
        .join(format!("target/test-tmp/{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn examples_are_formatted() {
    let run = sluice(&["fmt", "--check", "examples"]);
    assert_eq!(run.code, 0, "run `sluice fmt examples`: {}", run.stdout);
}

#[test]
fn explain_shows_where_an_overridden_bake_and_an_appended_alarm_came_from() {
    let run = sluice(&["explain", "checkout-api", "examples"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let wave1 = run
        .stdout
        .split("    wave 1")
        .nth(1)
        .expect("wave 1 is shown");
    let bake = wave1
        .lines()
        .find(|l| l.starts_with("      bake "))
        .unwrap();
    assert!(
        bake.contains("\"24h\"") && bake.contains("examples/services/checkout-api.sluice"),
        "{bake}"
    );
    assert!(bake.ends_with("(checkout-api)"), "{bake}");
    let datapoints = wave1.lines().find(|l| l.contains("datapoints")).unwrap();
    assert!(
        datapoints.ends_with("(service)"),
        "kept from the template: {datapoints}"
    );
    let appended = wave1.lines().find(|l| l.contains("checkout-5xx")).unwrap();
    assert!(appended.ends_with("(checkout-api)"), "{appended}");
    let inherited = wave1
        .lines()
        .find(|l| l.contains("aggregate-high-sev"))
        .unwrap();
    assert!(inherited.ends_with("(service)"), "{inherited}");
    insta::assert_snapshot!("explain-checkout-api", run.stdout);

    let json = sluice(&["explain", "checkout-api", "examples", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["label"], "pipeline checkout-api");
    assert_eq!(
        value["from"]["file"],
        "examples/services/checkout-api.sluice"
    );
}

#[test]
fn explain_shows_a_template_and_suggests_names() {
    let run = sluice(&["explain", "service", "examples"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("template service"), "{}", run.stdout);
    let typo = sluice(&["explain", "servic", "examples"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `service`?"),
        "{}",
        typo.stderr
    );
}
