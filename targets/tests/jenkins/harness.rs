//! Running Jenkinsfiles under `groovy` with `harness.groovy`, which
//! implements the declarative DSL as recording functions (`sh` and `git`
//! stubbed by `fake-sh` and `fake-git`), and reading the traces back.

use std::path::{Path, PathBuf};

use sluice_targets::jenkins;
use sluice_targets::plan::Plan;

use crate::common::root;

fn java_home() -> String {
    if let Ok(home) = std::env::var("JAVA_HOME") {
        if Path::new(&home).join("bin/java").exists() {
            return home;
        }
    }
    let javac = std::process::Command::new("sh")
        .arg("-c")
        .arg("readlink -f \"$(command -v javac)\"")
        .output()
        .expect("sh runs");
    let path = String::from_utf8_lossy(&javac.stdout).trim().to_string();
    assert!(
        !path.is_empty(),
        "no JDK (javac) found: run .ci/setup-jenkins"
    );
    Path::new(&path)
        .parent()
        .and_then(Path::parent)
        .expect("a JDK home")
        .to_string_lossy()
        .into_owned()
}

pub struct Case {
    pub jenkinsfile: String,
    pub props: Vec<(&'static str, String)>,
}

/// One recorded event: its kind and its fields, texts decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub fields: Vec<String>,
}

fn unhex(text: &str) -> String {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(bytes).expect("utf-8")
}

fn parse_event(line: &str) -> Event {
    let mut parts = line.split('\t');
    let kind = parts.next().unwrap().to_string();
    let raw: Vec<&str> = parts.collect();
    let fields = match kind.as_str() {
        "lock" | "unlock" | "parallel-begin" => raw[0].split(',').map(unhex).collect(),
        "stage-end" => vec![unhex(raw[0]), raw[1].to_string()],
        "result" => {
            let mut f = vec![raw[0].to_string()];
            f.extend(raw[1..].iter().map(|r| unhex(r)));
            f
        }
        "stage-begin" | "post-failure" | "input" | "echo" | "error" | "node" | "run" | "gates" => {
            raw.iter().map(|r| unhex(r)).collect()
        }
        _ => raw.iter().map(|r| r.to_string()).collect(),
    };
    Event { kind, fields }
}

/// A Java properties value: everything but letters and digits escaped.
fn property(text: &str) -> String {
    text.encode_utf16()
        .map(|u| match char::from_u32(u32::from(u)) {
            Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
            _ => format!("\\u{u:04x}"),
        })
        .collect()
}

/// Runs every case in one `groovy` process; the trace of each.
pub fn run_cases(tag: &str, cases: &[Case]) -> Vec<Vec<Event>> {
    // the process id: two test runs in one checkout must not share files
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("jenkins-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let harness = root().join("targets/tests/jenkins");
    for (stub, name) in [("fake-sh", "sh"), ("fake-git", "git")] {
        let path = dir.join("bin").join(name);
        std::fs::copy(harness.join(stub), &path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut dirs = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let case_dir = dir.join(format!("case-{index}"));
        std::fs::create_dir_all(&case_dir).unwrap();
        std::fs::write(case_dir.join("Jenkinsfile"), &case.jenkinsfile).unwrap();
        let props: String = case
            .props
            .iter()
            .map(|(k, v)| format!("{k}={}\n", property(v)))
            .collect();
        std::fs::write(case_dir.join("case.properties"), props).unwrap();
        dirs.push(case_dir);
    }
    let groovy = std::process::Command::new("groovy")
        .arg(harness.join("harness.groovy"))
        .args(&dirs)
        .env("JAVA_HOME", java_home())
        .output()
        .unwrap_or_else(|e| panic!("groovy does not run ({e}): run .ci/setup-jenkins"));
    assert!(
        groovy.status.success(),
        "groovy failed: {}{}",
        String::from_utf8_lossy(&groovy.stdout),
        String::from_utf8_lossy(&groovy.stderr)
    );
    let traces = dirs
        .iter()
        .map(|d| {
            std::fs::read_to_string(d.join("trace.txt"))
                .expect("a trace")
                .lines()
                .map(parse_event)
                .collect()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    traces
}

pub fn case(plan: &Plan, source: &str, props: &[(&'static str, &str)]) -> Case {
    Case {
        jenkinsfile: jenkins::jenkinsfile(plan, source),
        props: props.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    }
}

pub fn ev(kind: &str, fields: Vec<String>) -> Event {
    Event {
        kind: kind.to_string(),
        fields,
    }
}
