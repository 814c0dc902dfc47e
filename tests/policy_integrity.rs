//! SPEC 6.4: nothing a team writes weakens what `--policy` enforces, run
//! through the CLI exactly as CI runs it.

mod common;

use std::path::PathBuf;

use common::{sluice, sluice_in};

const FORMATS: [&str; 4] = ["human", "json", "sarif", "github"];

/// A fresh folder outside any git work tree (so the import root is the
/// folder given on the command line).
fn outside_git(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sluice-integrity-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// P2: `import "/proc/self/environ"` is refused before anything is read,
/// so no format prints a secret of the CI environment.
#[test]
fn no_format_prints_the_environment_through_an_import() {
    let dir = outside_git("environ");
    std::fs::write(
        dir.join("team.sluice"),
        "import \"/proc/self/environ\"\nimport \"../../../../../../proc/self/environ\"\n",
    )
    .unwrap();
    for format in FORMATS {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["check", ".", "--format", format])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("SLUICE_TEST_SECRET", "hunter2-do-not-print")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stdout}{stderr}");
        assert!(stdout.contains("unknown-import"), "{format}: {stdout}");
        for text in [&stdout, &stderr] {
            assert!(!text.contains("hunter2"), "{format} printed the secret");
            assert!(!text.contains("SLUICE_TEST_SECRET"), "{format}: {text}");
        }
    }
}

/// P2: `..` and a symbolic link that lead out of the root are refused, and
/// the outside file's text is never quoted.
#[test]
fn imports_stay_inside_the_root() {
    let dir = outside_git("root");
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    // would be a parse error quoting its text, if it were read
    std::fs::write(dir.join("outside.sluice"), "pipeline \"OUTSIDE-TEXT").unwrap();
    std::fs::write(
        project.join("inside.sluice"),
        "alarm a { cloudwatch \"A\" }\n",
    )
    .unwrap();
    std::fs::write(
        project.join("team.sluice"),
        "import \"../outside.sluice\"\nimport \"link.sluice\"\nimport \"inside.sluice\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("outside.sluice"), project.join("link.sluice")).unwrap();
    let run = sluice_in(&dir, &["check", "project/team.sluice", "--format", "json"]);
    // a single file's root is its own folder
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lines: Vec<(u64, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [(1, "unknown-import"), (2, "unknown-import")],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("outside this project"),
        "{}",
        run.stdout
    );
    for format in FORMATS {
        let run = sluice_in(&dir, &["check", "project", "--format", format]);
        assert!(
            !run.stdout.contains("OUTSIDE-TEXT"),
            "{format}: {}",
            run.stdout
        );
    }
}

/// Files named on the command line are read as given, wherever they are:
/// the organisation's `--policy` file may live outside the team's folder.
#[test]
fn command_line_files_are_read_as_given() {
    let dir = outside_git("given");
    std::fs::create_dir_all(dir.join("team")).unwrap();
    std::fs::write(
        dir.join("org.policy"),
        "policy org { rule review-required }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("team/p.sluice"),
        "pipeline p { stage build { run compile \"make\" } }\n",
    )
    .unwrap();
    let run = sluice_in(
        &dir.join("team"),
        &[
            "check",
            ".",
            "--policy",
            "../org.policy",
            "--format",
            "json",
        ],
    );
    assert!(run.stdout.contains("review-required"), "{}", run.stdout);
}

/// `fmt DIR` never rewrites a file outside DIR through a `*.sluice` link.
#[cfg(unix)]
#[test]
fn fmt_never_writes_through_a_link_out_of_its_folder() {
    let dir = outside_git("fmt-link");
    std::fs::create_dir_all(dir.join("team")).unwrap();
    let victim = dir.join("victim.sluice");
    std::fs::write(&victim, "alarm   a{cloudwatch \"x\"}").unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("team/link.sluice")).unwrap();
    let run = sluice(&["fmt", dir.join("team").to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("link.sluice"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "alarm   a{cloudwatch \"x\"}"
    );
    // checked, a link out of the folder is a diagnostic, not a read
    let check = sluice(&["check", dir.join("team").to_str().unwrap()]);
    assert!(check.stdout.contains("unreadable-file"), "{}", check.stdout);
}

/// SPEC 7.1: `build --policy` checks with the same policies as `check` and
/// refuses to emit (or to pass the drift check) when they find errors.
#[test]
fn build_refuses_what_check_policy_rejects() {
    let fixture = "tests/fixtures/fail/rule-min-bake-org-policy";
    let policy = format!("{fixture}/org.policy");
    let out = outside_git("build-policy");
    let out_arg = out.to_str().unwrap();
    let plain = sluice(&["build", fixture, "--target", "github", "--out", out_arg]);
    assert_eq!(plain.code, 0, "{}{}", plain.stdout, plain.stderr);
    for extra in [&[][..], &["--check"][..]] {
        let mut args = vec!["build", fixture, "--target", "github", "--out", out_arg];
        args.extend_from_slice(&["--policy", &policy]);
        args.extend_from_slice(extra);
        let run = sluice(&args);
        assert_eq!(run.code, 1, "{extra:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("min-bake"), "{}", run.stdout);
        assert!(run.stderr.contains("not building"), "{}", run.stderr);
    }
    let empty = outside_git("build-policy-empty");
    let run = sluice(&[
        "build",
        fixture,
        "--target",
        "github",
        "--policy",
        &policy,
        "--out",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0, "wrote files");
}

/// SPEC 7.1: a generated path never replaces a file Sluice did not write,
/// nor another generated file (the gate library, another pipeline's, or
/// one that differs only in case).
#[test]
fn generated_paths_never_collide() {
    let dir = outside_git("collide");
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    let org_check = "name: the org's own check\n";
    std::fs::write(dir.join(".github/workflows/sluice.yml"), org_check).unwrap();
    std::fs::write(
        dir.join("p.sluice"),
        "pipeline sluice { stage build { run compile \"make\" } }\n\
         pipeline sluice-gates { stage build { run compile \"make\" } }\n\
         pipeline P { stage build { run compile \"make\" } }\n\
         pipeline p-d50c118f { stage build { run compile \"make\" } }\n\
         pipeline api { stage build { run compile \"make\" } }\n\
         pipeline API { stage build { run compile \"make\" } }\n",
    )
    .unwrap();
    let expected: &[(&str, &[&str])] = &[
        (
            "github",
            &[
                ".github/workflows/sluice.yml` exists",
                "would be generated 2 times, for pipeline `API` and pipeline `api`",
            ],
        ),
        (
            "tekton",
            &[
                "for pipeline `P` and pipeline `p-d50c118f`",
                "for pipeline `sluice-gates` and the tekton target's own files",
            ],
        ),
        (
            "argo",
            &[
                "for pipeline `P` and pipeline `p-d50c118f`",
                "for pipeline `sluice-gates` and the argo target's own files",
            ],
        ),
        ("jenkins", &["for pipeline `API` and pipeline `api`"]),
    ];
    for (target, messages) in expected {
        for extra in [&[][..], &["--check"][..]] {
            let mut args = vec!["build", ".", "--target", target, "--out", "."];
            args.extend_from_slice(extra);
            let run = sluice_in(&dir, &args);
            assert_eq!(
                run.code, 1,
                "{target} {extra:?}: {}{}",
                run.stdout, run.stderr
            );
            for message in *messages {
                assert!(run.stderr.contains(message), "{target}: {}", run.stderr);
            }
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.join(".github/workflows/sluice.yml")).unwrap(),
        org_check
    );
    assert!(!dir.join("tekton").exists() && !dir.join("argo").exists());
}

/// SPEC 6.4 P5: a finding caused by a team's `drop` points at the `drop`
/// in the team's file (the GitHub annotation too), with the template's line
/// as a SARIF related location.
#[test]
fn a_finding_caused_by_a_drop_points_at_the_drop() {
    let fixture = "tests/fixtures/fail/drop-finding-place";
    let policy = format!("{fixture}/org.policy");
    let github = sluice(&["check", fixture, "--policy", &policy, "--format", "github"]);
    assert!(
        github
            .stdout
            .contains(&format!("::error file={fixture}/team.sluice,line=4,")),
        "{}",
        github.stdout
    );
    let sarif = sluice(&["check", fixture, "--policy", &policy, "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    let primary = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        primary["artifactLocation"]["uri"],
        format!("{fixture}/team.sluice")
    );
    let related = &result["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        format!("{fixture}/service.sluice"),
        "{result}"
    );
}
