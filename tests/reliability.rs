//! Hostile and extreme inputs through the real binary (issue 16): never a
//! panic (exit 101), never a hang or a blow-up. Tests of blow-ups run the
//! binary under a memory cap and a generous timeout; none asserts timings.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{root, Run};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("reliability-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `sluice ARGS` in `dir` with at most `memory_mb` of address space
/// (`ulimit -v`) and killed after `timeout`; panics if it was killed.
fn sluice_limited(dir: &Path, args: &[&str], memory_mb: u64, timeout: Duration) -> Run {
    let script = format!("ulimit -v {}; exec \"$0\" \"$@\"", memory_mb * 1024);
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    // read both pipes on threads so a large output cannot block the child
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sluice {args:?} still running after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        code: status.code().unwrap_or(-1),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != 101,
        "sluice {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

const GENEROUS: Duration = Duration::from_secs(60);
const MEMORY_MB: u64 = 2048;

/// A minimal valid pipeline over `regions` (a fleet body) named `name`.
fn pipeline(name: &str, regions: &str) -> String {
    pipeline_with(name, regions, "wave 1 { regions rest bake 1h }")
}

fn pipeline_with(name: &str, regions: &str, waves: &str) -> String {
    format!(
        "fleet f {{ {regions} }}\n\
         window always {{ timezone \"UTC\"; allow mon..sun 00:00-24:00 }}\n\
         pipeline {name} {{\n  fleet f\n  owner \"o\"\n  source {{ branch main }}\n  \
         production {{\n    deploy \"./d ${{region}}\"\n    rollback \"./r\"\n    window always\n    \
         {waves}\n  }}\n}}\n"
    )
}

#[test]
fn a_diagnostic_past_column_65536_is_reported_without_its_snippet() {
    let dir = scratch("column");
    std::fs::write(
        dir.join("x.sluice"),
        format!("{}oops\n", " ".repeat(65_536)),
    )
    .unwrap();
    let commands: [&[&str]; 2] = [&["check"], &["build", "--target", "github", "--out", "out"]];
    for command in commands {
        let args = [command, &["x.sluice"]].concat();
        let run = sluice_limited(&dir, &args, MEMORY_MB, GENEROUS);
        assert_eq!(run.code, 1, "{command:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("--> x.sluice:1:65537 (the line is too long to show)"),
            "{command:?}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("1 error"), "{}", run.stdout);
    }
    // tabs are four columns wide for miette: a shorter line of them too
    std::fs::write(
        dir.join("x.sluice"),
        format!("{}oops\n", "\t".repeat(20_000)),
    )
    .unwrap();
    let run = sluice_limited(&dir, &["check", "x.sluice"], MEMORY_MB, GENEROUS);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
}

#[test]
fn the_timeline_table_takes_cells_wider_than_65536() {
    let dir = scratch("timeline-wide");
    let regions: Vec<String> = (0..12_000).map(|i| format!("region r{i}")).collect();
    std::fs::write(dir.join("fleet.sluice"), pipeline("p", &regions.join(" "))).unwrap();
    let long_name = format!("p{}", "x".repeat(70_000));
    std::fs::write(dir.join("long.sluice"), pipeline(&long_name, "region r1")).unwrap();
    let start = "2026-03-02T10:00:00Z";
    for (name, file) in [("p", "fleet.sluice"), (long_name.as_str(), "long.sluice")] {
        let args = ["timeline", name, file, "--start", start];
        let run = sluice_limited(&dir, &args, MEMORY_MB, GENEROUS);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("lead time:"), "{}", run.stdout);
    }
}

/// Runs `sluice ARGS` with its stdout closed before it writes anything, as
/// `head` does once it has its lines.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sluice binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_commands_own_exit_code() {
    let start = "2026-11-24T10:00[America/Los_Angeles]";
    let cases: &[(&[&str], i32)] = &[
        (&["check", "tests/fixtures/fail"], 1),
        (&["check", "--format", "sarif", "tests/fixtures/fail"], 1),
        (&["check", "--format", "json", "examples"], 0),
        (&["build", "--target", "github", "tests/fixtures/fail"], 1),
        (&["explain", "checkout-api", "examples"], 0),
        (
            &["explain", "checkout-api", "examples", "--format", "json"],
            0,
        ),
        (&["explain-code", "--list"], 0),
        (&["explain-code", "cycle"], 0),
        (&["graph", "checkout-api", "examples"], 0),
        (
            &["timeline", "checkout-api", "examples", "--start", start],
            0,
        ),
        (
            &[
                "timeline",
                "checkout-api",
                "examples",
                "--start",
                start,
                "--format",
                "svg",
            ],
            0,
        ),
    ];
    for (args, expected) in cases {
        let (code, stderr) = with_closed_stdout(args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, *expected, "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn durations_longer_than_a_year_are_refused_before_anything_is_built() {
    let dir = scratch("durations");
    let waves = "wave 1 { regions rest bake 9999999999999d }";
    std::fs::write(dir.join("p.sluice"), pipeline_with("p", "region r1", waves)).unwrap();
    let run = sluice_limited(&dir, &["check", "p.sluice"], MEMORY_MB, GENEROUS);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("longer than a year"), "{}", run.stdout);
    for target in ["github", "argo", "tekton", "jenkins"] {
        let args = ["build", "--target", target, "--out", "out", "p.sluice"];
        let run = sluice_limited(&dir, &args, MEMORY_MB, GENEROUS);
        assert_eq!(run.code, 1, "{target}: {}{}", run.stdout, run.stderr);
    }
    assert!(!dir.join("out").exists());
    let start = ["--start", "2026-03-02T10:00:00Z"];
    let run = sluice_limited(
        &dir,
        &[
            &["timeline", "p", "p.sluice", "--deploy-time", "366d"][..],
            &start,
        ]
        .concat(),
        MEMORY_MB,
        GENEROUS,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("at most `365d`"), "{}", run.stderr);
}

#[test]
fn the_svg_of_years_of_bakes_stays_small() {
    let dir = scratch("svg-span");
    // three waves of a year each, in a window open eight hours on weekdays
    let waves = "wave 1 { regions [r1] bake 365d }\n    \
                 wave 2 { regions [r2] bake 365d }\n    \
                 wave 3 { regions rest bake 365d }";
    let text = pipeline_with("p", "region r1 region r2 region r3", waves)
        .replace("mon..sun 00:00-24:00", "mon..fri 09:00-17:00");
    std::fs::write(dir.join("p.sluice"), text).unwrap();
    let args = [
        "timeline",
        "p",
        "p.sluice",
        "--start",
        "2026-03-02T10:00:00Z",
        "--format",
        "svg",
    ];
    let run = sluice_limited(&dir, &args, MEMORY_MB, GENEROUS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(">Jan 2028<"), "{}", run.stdout);
    // a line per day and a rectangle per closed night would be ~250 KB
    assert!(run.stdout.len() < 30_000, "{} bytes", run.stdout.len());
}

/// `template t0 {}` and `template tN extends tN-1 {}` up to `depth`, in
/// source order or children first.
fn extends_chain(depth: usize, children_first: bool) -> String {
    let mut lines: Vec<String> = (0..=depth)
        .map(|i| match i {
            0 => "template t0 { owner \"o\" }".to_string(),
            i => format!("template t{i} extends t{} {{}}", i - 1),
        })
        .collect();
    if children_first {
        lines.reverse();
    }
    lines.push(format!("pipeline p extends t{depth} {{}}"));
    lines.join("\n") + "\n"
}

#[test]
fn a_30000_deep_extends_chain_is_one_diagnostic_in_bounded_memory() {
    let dir = scratch("extends-depth");
    for children_first in [false, true] {
        std::fs::write(
            dir.join("deep.sluice"),
            extends_chain(30_000, children_first),
        )
        .unwrap();
        let run = sluice_limited(&dir, &["check", "deep.sluice"], 1024, GENEROUS);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(
            run.stdout.matches("nesting-too-deep").count(),
            1,
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("`t65` has more than 64 ancestors"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn many_unknown_parents_get_their_suggestions_without_blowing_up() {
    let dir = scratch("suggestions");
    let mut lines: Vec<String> = (0..1500)
        .map(|i| format!("template base-{i} {{ owner \"o\" }}"))
        .collect();
    lines.extend((0..1500).map(|i| format!("pipeline p{i} extends missing-{i} {{}}")));
    lines.push("pipeline typo extends bsae-7 {}".into());
    std::fs::write(dir.join("p.sluice"), lines.join("\n")).unwrap();
    let args = ["check", "--format", "json", "p.sluice"];
    let run = sluice_limited(&dir, &args, MEMORY_MB, GENEROUS);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("did you mean `base-7`?"),
        "{}",
        run.stdout
    );
}

fn build_examples(out: &Path) -> Run {
    let out = out.to_str().unwrap();
    common::sluice(&["build", "examples", "--target", "github", "--out", out])
}

#[cfg(unix)]
#[test]
fn build_never_writes_through_a_planted_link() {
    use std::os::unix::fs::symlink;
    let dir = scratch("planted-link");
    let out = dir.join("out");
    let workflows = out.join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let victim = dir.join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    // the temporary name builds used to write through
    symlink(&victim, workflows.join("checkout-api.sluice-tmp")).unwrap();
    let run = build_examples(&out);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    // a link at a file's own name is a file Sluice did not generate: the
    // build refuses and writes nothing (SPEC 7.1)
    let link = workflows.join("catalog-search.yml");
    std::fs::remove_file(&link).unwrap();
    symlink(&victim, &link).unwrap();
    let run = build_examples(&out);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("catalog-search.yml"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

#[cfg(unix)]
#[test]
fn build_refuses_a_linked_folder_inside_out_and_writes_nothing() {
    use std::os::unix::fs::symlink;
    let dir = scratch("linked-folder");
    let out = dir.join("out");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(out.join(".github")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, out.join(".github/workflows")).unwrap();
    let run = build_examples(&out);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    let entries: Vec<_> = std::fs::read_dir(out.join(".github")).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing but the link: {entries:?}");
}

#[test]
fn concurrent_builds_into_one_folder_both_succeed_without_drift() {
    let dir = scratch("concurrent");
    let out = dir.join("out");
    let out_arg = out.to_str().unwrap();
    for round in 0..4 {
        let builds: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_sluice"))
                    .args(["build", "examples", "--target", "github", "--out", out_arg])
                    .current_dir(root())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for build in builds {
            let output = build.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "round {round}: {stderr}");
        }
    }
    let check = common::sluice(&[
        "build", "examples", "--target", "github", "--out", out_arg, "--check",
    ]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let leftovers: Vec<String> = std::fs::read_dir(out.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("sluice-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// ESC and BEL from a `.sluice` file never reach a terminal or a CI log
/// raw, in any format (JSON escapes them itself).
#[test]
fn control_characters_are_never_printed_raw() {
    let fixture = "tests/fixtures/fail/invalid-value-control.sluice";
    for format in ["human", "github", "json", "sarif"] {
        let run = common::sluice(&["check", fixture, "--format", format]);
        assert_eq!(run.code, 1, "{format}");
        for c in ['\u{1b}', '\u{7}'] {
            assert!(!run.stdout.contains(c), "{format}: {:?}", run.stdout);
            assert!(!run.stderr.contains(c), "{format}: {:?}", run.stderr);
        }
    }
}

/// A 250-character pipeline name builds for every target (Jenkins used to
/// fail with "File name too long"), and an out-of-range literal is quoted
/// by its start and length, not printed back in full.
#[test]
fn long_names_build_and_long_literals_are_not_echoed() {
    let dir = scratch("long-names");
    let name = "p".repeat(250);
    std::fs::write(
        dir.join("p.sluice"),
        format!("pipeline {name} {{ stage build {{ run compile \"make\" }} }}\n"),
    )
    .unwrap();
    for target in sluice_targets::registry::TARGETS {
        let out = dir.join(format!("out-{}", target.name));
        let run = common::sluice(&[
            "build",
            dir.join("p.sluice").to_str().unwrap(),
            "--target",
            target.name,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}: {}{}", target.name, run.stdout, run.stderr);
    }
    let number = "9".repeat(100_000);
    std::fs::write(
        dir.join("n.sluice"),
        format!("pipeline q {{ stage build {{ timeout {number}m }} }}\n"),
    )
    .unwrap();
    let run = common::sluice(&["check", dir.join("n.sluice").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.len() < 5_000, "{} bytes", run.stdout.len());
}

/// A leading UTF-8 byte-order mark (Windows editors write one) is not a
/// parse error.
#[test]
fn a_byte_order_mark_is_not_text() {
    let dir = scratch("bom");
    std::fs::write(
        dir.join("p.sluice"),
        "\u{feff}pipeline p { stage build { run compile \"make\" } }\n",
    )
    .unwrap();
    let run = common::sluice(&["check", dir.join("p.sluice").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}
