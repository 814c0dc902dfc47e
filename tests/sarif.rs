//! `--format sarif` validates against the official SARIF 2.1.0 schema, and
//! `--format github` emits one workflow command per diagnostic.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{root, sluice, TODAY};
use serde_json::Value;

const PACKAGE: &str = "@microsoft/jest-sarif@1.0.0-beta.0";
const SCHEMA: &str = "package/lib/schemas/sarif-2.1.0-rtm.5.json";

/// The schema, fetched once from the npm registry into `target/`; it is
/// not copied into the repository.
fn schema() -> Value {
    let dir = root().join("target/sarif-schema");
    let path: PathBuf = dir.join(SCHEMA);
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let pack = Command::new("npm")
            .args(["pack", PACKAGE, "--silent"])
            .current_dir(&dir)
            .output()
            .expect("npm is needed to fetch the SARIF schema (Node.js from Debian or nodejs.org)");
        assert!(
            pack.status.success(),
            "npm pack failed: {}",
            String::from_utf8_lossy(&pack.stderr)
        );
        let tarball = String::from_utf8_lossy(&pack.stdout).trim().to_string();
        let untar = Command::new("tar")
            .args(["xzf", &tarball, SCHEMA])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(untar.success(), "could not unpack {tarball}");
    }
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn sarif_of(args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "sarif", "--today", TODAY];
    all.extend_from_slice(args);
    let run = sluice(&all);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    for target in ["tests/fixtures/fail", "examples"] {
        let log = sarif_of(&[target]);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{target}: {errors:#?}");
        let mut broken = log.clone();
        broken["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] =
            "fatal".into();
        assert!(!validator.is_valid(&broken), "the schema is really applied");
    }
}

#[test]
fn sarif_describes_every_code_and_locates_every_result() {
    let log = sarif_of(&["tests/fixtures/fail/unknown-region.sluice"]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let list = sluice(&["explain-code", "--list"]);
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, list.stdout.lines().collect::<Vec<_>>());
    for rule in rules {
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-region");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "unknown-region"
    );
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "tests/fixtures/fail/unknown-region.sluice"
    );
    assert_eq!(location["region"]["startLine"], 8);
    assert_eq!(result["properties"]["pipeline"], "api");
}

#[test]
fn github_annotations_are_workflow_commands() {
    let run = sluice(&[
        "check",
        "tests/fixtures/fail/unknown-variable.sluice",
        "--format",
        "github",
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with(
        "::error file=tests/fixtures/fail/unknown-variable.sluice,line=1,col=51,endLine=1,endColumn=60,title=unknown-variable::unknown variable `${regoin}`%0Ahelp: "
    ), "{}", lines[0]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning ") && l.contains("line=6,")),
        "{}",
        run.stdout
    );
    assert!(lines.iter().all(|l| !l.contains('\r')));
}
