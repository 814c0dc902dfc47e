//! End-to-end benchmark of `sluice check` over a generated organisation.
//!
//! The organisation is one template with four production waves over a
//! 30-region fleet, and 10,000 pipeline files that extend it with small
//! overrides. The benchmark runs the real release binary, as a user would, and
//! times the whole process: start-up, reading, parsing, resolving, validating
//! and printing the JSON report.
//!
//! Run with `cargo bench --bench check_org`; BENCHMARKS.md records the figures.
//! Two environment variables help when profiling:
//! `SLUICE_BENCH_PIPELINES` (default 10000) and `SLUICE_BENCH_RUNS` (default
//! 10 for the organisation, five times that for a single file).
//!
//! Run without `--bench` (as `cargo test --benches` does), it only checks that
//! a small generated organisation is clean, and times nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Bump when the generated text changes, so a stale organisation is rebuilt.
const GENERATOR_VERSION: &str = "check_org generator v2";
const MARKER: &str = ".generator";
const REGIONS: usize = 30;
const TODAY: &str = "2026-11-27";

fn main() {
    let timed = std::env::args().any(|arg| arg == "--bench");
    let pipelines = env_number("SLUICE_BENCH_PIPELINES", if timed { 10_000 } else { 20 });
    let runs = env_number("SLUICE_BENCH_RUNS", 10);
    let binary = Path::new(env!("CARGO_BIN_EXE_sluice"));
    let root = target_dir(binary).join(format!("bench-org-{pipelines}"));

    print_machine();
    generate(&root, pipelines);

    let whole = ["."];
    let single_file = format!("services/{}.sluice", service_name(0));
    let single = [single_file.as_str()];
    assert_clean(binary, &root, &whole, pipelines, pipelines + 2);
    assert_clean(binary, &root, &single, 1, 3);
    if !timed {
        println!("check_org: the generated organisation checks clean (not timed; use cargo bench)");
        return;
    }

    println!();
    println!(
        "command: sluice check <paths> --format json --today {TODAY}   (cwd {})",
        root.display()
    );
    let label = format!("check .  ({pipelines} pipelines, {} files)", pipelines + 2);
    report(&label, &time_runs(binary, &root, &whole, runs));
    report(
        &format!("check {single_file}  (1 pipeline + imports)"),
        &time_runs(binary, &root, &single, runs * 5),
    );
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a positive integer, not `{text}`")),
        Err(_) => default,
    }
}

/// `target/` holds `release/sluice`; the organisation goes beside it.
fn target_dir(binary: &Path) -> PathBuf {
    binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary lives in target/<profile>/")
        .to_path_buf()
}

fn print_machine() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("machine: {cores} cores, {cpu}");
    println!("load average before the runs: {}", load.trim());
}

// ------------------------------------------------------------- generation --

/// Writes the organisation unless the same generator already wrote it. The
/// text goes to a scratch directory first, so an interrupted run never leaves a
/// half-written organisation behind a valid marker.
fn generate(root: &Path, pipelines: usize) {
    let marker = format!("{GENERATOR_VERSION}\npipelines {pipelines}\n");
    if std::fs::read_to_string(root.join(MARKER)).is_ok_and(|m| m == marker) {
        println!("organisation: {} (reused)", root.display());
        return;
    }
    let started = Instant::now();
    let scratch = root.with_extension("tmp");
    remove_dir(&scratch);
    write(&scratch.join("org/fleet.sluice"), &fleet());
    write(&scratch.join("org/template.sluice"), &template());
    for i in 0..pipelines {
        let path = scratch.join(format!("services/{}.sluice", service_name(i)));
        write(&path, &service(i));
    }
    write(&scratch.join(MARKER), &marker);
    remove_dir(root);
    std::fs::rename(&scratch, root).expect("move the generated organisation into place");
    println!(
        "organisation: {} (generated in {:.1} s)",
        root.display(),
        started.elapsed().as_secs_f64()
    );
}

fn remove_dir(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file has a parent"))
        .unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn region(i: usize) -> String {
    format!("region-{i:02}")
}

fn fleet() -> String {
    let mut text = String::from(
        "# Generated by benches/check_org.rs: a 30-region fleet.\n\nfleet org-fleet {\n",
    );
    for i in 0..REGIONS {
        let traffic = match i {
            0 | 7 => "low",
            1..=4 => "high",
            _ => "medium",
        };
        // Every fifth region has no cells and deploys as one unit.
        if i % 5 == 4 {
            writeln!(text, "  region {} {{ traffic {traffic} }}", region(i)).unwrap();
            continue;
        }
        let cells: Vec<String> = (1..=2 + i % 3).map(|c| format!("r{i:02}-az{c}")).collect();
        writeln!(
            text,
            "  region {} {{ cells [{}] traffic {traffic} }}",
            region(i),
            cells.join(", ")
        )
        .unwrap();
    }
    text.push_str("}\n");
    text
}

fn template() -> String {
    let wave3: Vec<String> = (3..11).map(region).collect();
    format!(
        r#"# Generated by benches/check_org.rs: the organisation's service template.
import "./fleet.sluice"

calendar org-holidays-2026 {{
  2026-11-26 "Thanksgiving"
  2026-12-25 "Christmas Day"
}}

window business-hours {{
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
  deny calendar org-holidays-2026
  deny 2026-12-19..2027-01-04 "year-end freeze"
}}

alarm aggregate-high-sev {{ cloudwatch "Org_High_Severity_Aggregate" }}
alarm org-event          {{ cloudwatch "Org_Large_Scale_Event" }}
alarm latency-p99        {{ prometheus "histogram_quantile(0.99, rate(latency_bucket{{region=\"${{region}}\"}}[5m])) > 1" }}

template service {{
  fleet org-fleet
  owner "platform-team"
  tags [tier-1]

  source {{
    branch main
    review {{ approvals 1 }}
  }}

  stage build {{
    run compile "make build"
    check unit "make test"
  }}

  stage beta {{
    deploy "./deploy.sh --stage beta --version ${{version}}"
    check integration "make integ STAGE=beta"
  }}

  stage gamma {{
    regions [{r1}, {r2}]
    deploy   "./deploy.sh --stage gamma --region ${{region}} --phase ${{phase}}"
    rollback "./rollback.sh --stage gamma --region ${{region}}"
    one-box {{ bake 30m }}
    alarms [aggregate-high-sev]
    check integration "make integ STAGE=gamma REGION=${{region}}"
  }}

  production {{
    deploy   "./deploy.sh --stage prod --region ${{region}} --cell ${{cell}} --phase ${{phase}} --version ${{version}}"
    rollback "./rollback.sh --stage prod --region ${{region}}"
    final window business-hours
    blockers [aggregate-high-sev, org-event]
    alarms [aggregate-high-sev]
    one-box {{ bake 1h }}
    rolling {{ by cell }}

    wave 1 {{ regions [{w1}] bake 12h {{ datapoints 100 cloudwatch "Service.Requests" }} }}
    wave 2 {{ regions [{r1}, {r2}] bake 4h }}
    wave 3 {{ regions [{w3}] bake 2h }}
    wave 4 {{ regions rest bake 2h }}
  }}
}}
"#,
        r1 = region(1),
        r2 = region(2),
        w1 = region(0),
        w3 = wave3.join(", "),
    )
}

fn service_name(i: usize) -> String {
    format!("svc-{i:05}")
}

/// One team's pipeline: the template with small overrides. A quarter append an
/// alarm of their own to production, a fifth add a stage, a seventh add a tag,
/// and every eleventh rolls out in batches instead of by cell (with a deploy
/// command that names the batch, since `${cell}` would always be empty).
fn service(i: usize) -> String {
    let name = service_name(i);
    let mut text =
        String::from("# Generated by benches/check_org.rs.\nimport \"../org/template.sluice\"\n\n");
    if i % 4 == 0 {
        writeln!(
            text,
            "alarm {name}-errors {{ cloudwatch \"{name}_Errors\" }}\n"
        )
        .unwrap();
    }
    writeln!(text, "pipeline {name} extends service {{").unwrap();
    writeln!(text, "  owner \"team-{i:05}\"").unwrap();
    if i % 7 == 0 {
        writeln!(text, "  tags += [team-{i:05}]").unwrap();
    }
    writeln!(
        text,
        "  stage build {{ run compile \"make build-{i:05}\" }}"
    )
    .unwrap();
    if i % 5 == 0 {
        writeln!(
            text,
            "  stage contract {{\n    after beta\n    check contract {{ kind compat run \"make contract PIPELINE=${{pipeline}}\" timeout 30m }}\n  }}"
        )
        .unwrap();
    }
    text.push_str("  production {\n");
    if i % 4 == 0 {
        writeln!(text, "    alarms += [{name}-errors]").unwrap();
    }
    if i % 11 == 0 {
        text.push_str(
            "    deploy \"./deploy.sh --stage prod --region ${region} --batch ${batch} --phase ${phase} --version ${version}\"\n",
        );
        text.push_str("    rolling { batch 25% }\n");
    }
    text.push_str("    wave 1 { bake 24h }\n  }\n}\n");
    text
}

// ---------------------------------------------------------------- running --

fn check(binary: &Path, root: &Path, paths: &[&str]) -> std::process::Output {
    Command::new(binary)
        .current_dir(root)
        .arg("check")
        .args(paths)
        .args(["--format", "json", "--today", TODAY])
        .output()
        .expect("run the sluice binary")
}

/// A benchmark of a failing run measures nothing: the organisation must check
/// clean, with every pipeline and file counted.
fn assert_clean(binary: &Path, root: &Path, paths: &[&str], pipelines: usize, files: usize) {
    let output = check(binary, root, paths);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fail = |why: &str| -> ! {
        panic!(
            "`sluice check {}` in {}: {why}\nstdout (first 4000 bytes):\n{}\nstderr:\n{}",
            paths.join(" "),
            root.display(),
            &stdout[..stdout.len().min(4000)],
            String::from_utf8_lossy(&output.stderr)
        )
    };
    if !output.status.success() {
        fail(&format!("exit status {}", output.status));
    }
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| fail(&format!("not JSON: {e}")));
    let diagnostics = report["diagnostics"]
        .as_array()
        .map_or(usize::MAX, Vec::len);
    if diagnostics != 0 {
        fail(&format!("{diagnostics} diagnostics, expected none"));
    }
    let summary = &report["summary"];
    let count = |key: &str| summary[key].as_u64().map(|n| n as usize);
    if count("pipelines") != Some(pipelines) || count("files") != Some(files) {
        fail(&format!(
            "summary {summary}, expected {pipelines} pipelines in {files} files"
        ));
    }
}

fn time_runs(binary: &Path, root: &Path, paths: &[&str], runs: usize) -> Vec<Duration> {
    check(binary, root, paths); // warm the page cache
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            let output = check(binary, root, paths);
            let elapsed = started.elapsed();
            assert!(
                output.status.success(),
                "a timed run failed: {}",
                output.status
            );
            elapsed
        })
        .collect();
    times.sort();
    times
}

fn report(label: &str, sorted: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: min {:.1} ms  median {:.1} ms  max {:.1} ms  ({} runs)",
        ms(sorted[0]),
        ms(sorted[sorted.len() / 2]),
        ms(sorted[sorted.len() - 1]),
        sorted.len()
    );
}
