//! `sluice graph`: DOT that Graphviz accepts and Mermaid flowcharts that a
//! structural parser of the flowchart syntax accepts, for every example
//! pipeline and for labels full of characters that need escaping.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::{root, sluice, sluice_in};

const PIPELINES: [&str; 3] = ["checkout-api", "catalog-search", "payments-ledger"];

fn graph(pipeline: &str, format: &str) -> String {
    let run = sluice(&["graph", pipeline, "examples", "--format", format]);
    assert_eq!(run.code, 0, "{pipeline}: {}{}", run.stdout, run.stderr);
    run.stdout
}

#[test]
fn dot_of_every_example_is_drawn_by_graphviz() {
    for pipeline in PIPELINES {
        let svg = dot_to_svg(&graph(pipeline, "dot"));
        assert!(svg.contains("<svg"), "{pipeline}");
        assert!(svg.contains("wave 1"), "{pipeline}: waves are labelled");
    }
}

#[test]
fn mermaid_of_every_example_is_a_valid_flowchart() {
    for pipeline in PIPELINES {
        let text = graph(pipeline, "mermaid");
        if let Err(e) = check_mermaid(&text) {
            panic!("{pipeline}: {e}\n{text}");
        }
    }
}

#[test]
fn the_example_graphs_are_stable() {
    insta::assert_snapshot!(
        "graph-catalog-search-mermaid",
        graph("catalog-search", "mermaid")
    );
    insta::assert_snapshot!("graph-payments-ledger-dot", graph("payments-ledger", "dot"));
}

#[test]
fn labels_with_special_characters_are_escaped() {
    let dir = tempdir("graph-escape");
    std::fs::write(
        dir.join("p.sluice"),
        r#"
pipeline p {
  stage build { check unit "make test" }
  stage release {
    approval sign-off { approvers ["@org/\"quoted\" <team> #1 [x] {y} a|b; c & d \\ e"] }
  }
}
"#,
    )
    .unwrap();
    // such an approver is refused (SPEC 6.4 P6), so `sluice graph` draws
    // nothing; the renderers still escape whatever text reaches them
    let refused = sluice_in(&dir, &["graph", "p", "--format", "mermaid"]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    let compilation = sluice_compiler::compile(&sluice_compiler::Options {
        paths: vec![dir.join("p.sluice")],
        policies: Vec::new(),
        today: jiff::civil::date(2026, 6, 1),
    })
    .unwrap();
    let p = compilation.model.pipeline("p").unwrap();
    let stages = sluice_compiler::graph::StageGraph::build(p, &mut Vec::new());
    let mermaid = sluice_compiler::graph::render::to_mermaid(&stages, p);
    if let Err(e) = check_mermaid(&mermaid) {
        panic!("{e}\n{mermaid}");
    }
    assert!(mermaid.contains("#34;quoted#34;"), "{mermaid}");
    let dot = sluice_compiler::graph::render::to_dot(&stages, p);
    let svg = dot_to_svg(&dot);
    assert!(
        svg.contains("&quot;quoted&quot;") || svg.contains("\"quoted\""),
        "{svg}"
    );
}

#[test]
fn the_mermaid_checker_rejects_broken_flowcharts() {
    let ok = "flowchart LR\n  n0[\"a\"]\n  n1[\"b\"]\n  n0 --> n1\n";
    assert!(check_mermaid(ok).is_ok());
    for bad in [
        "graph LR\n  n0[\"a\"]\n",
        "flowchart LR\n  n0[\"a \"b\" c\"]\n",
        "flowchart LR\n  n0[\"a\"]\n  n0 --> n9\n",
        "flowchart LR\n  subgraph s[\"x\"]\n  n0[\"a\"]\n",
        "flowchart LR\n  n0[\"a <b> c\"]\n",
        "flowchart LR\n  n0[a b]\n",
    ] {
        assert!(check_mermaid(bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn unknown_pipelines_and_formats_are_exit_2() {
    assert_eq!(sluice(&["graph", "nope", "examples"]).code, 2);
    assert_eq!(
        sluice(&["graph", "checkout-api", "examples", "--format", "png"]).code,
        2
    );
}

/// The subset of Mermaid's flowchart grammar that `sluice graph` writes,
/// checked strictly: a `flowchart DIR` header; nodes `ID["label"]` whose
/// label has no raw `"` and no HTML but `<br/>`; `subgraph ID["label"]` …
/// `end` balanced; `direction DIR`; edges `ID --> ID` between defined
/// nodes; `%%` comments.
fn check_mermaid(text: &str) -> Result<(), String> {
    const DIRECTIONS: [&str; 5] = ["LR", "RL", "TD", "TB", "BT"];
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines.next().ok_or("empty")?;
    match header.split_once(' ') {
        Some(("flowchart", dir)) if DIRECTIONS.contains(&dir) => {}
        _ => return Err(format!("bad header `{header}`")),
    }
    let is_id = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let (mut nodes, mut edges, mut depth) = (BTreeSet::new(), Vec::new(), 0usize);
    for line in lines {
        if line.starts_with("%%") {
            continue;
        }
        if line == "end" {
            depth = depth.checked_sub(1).ok_or("`end` without `subgraph`")?;
        } else if let Some(dir) = line.strip_prefix("direction ") {
            if !DIRECTIONS.contains(&dir) {
                return Err(format!("bad direction `{line}`"));
            }
        } else if let Some((from, to)) = line.split_once(" --> ") {
            if !is_id(from) || !is_id(to) {
                return Err(format!("bad edge `{line}`"));
            }
            edges.push((from.to_string(), to.to_string()));
        } else {
            let (subgraph, def) = match line.strip_prefix("subgraph ") {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let (id, label) = def
                .split_once("[\"")
                .and_then(|(id, rest)| Some((id, rest.strip_suffix("\"]")?)))
                .ok_or_else(|| format!("bad line `{line}`"))?;
            if !is_id(id) {
                return Err(format!("bad id in `{line}`"));
            }
            if label.contains('"') || label.replace("<br/>", "").contains(['<', '>']) {
                return Err(format!("unescaped label in `{line}`"));
            }
            if subgraph {
                depth += 1;
            } else if !nodes.insert(id.to_string()) {
                return Err(format!("node `{id}` defined twice"));
            }
        }
    }
    if depth != 0 {
        return Err("a `subgraph` is not closed".into());
    }
    for (from, to) in &edges {
        for id in [from, to] {
            if !nodes.contains(id) {
                return Err(format!("edge to undefined node `{id}`"));
            }
        }
    }
    Ok(())
}

/// Runs Graphviz, which `.ci/setup` installs; missing is a failure, never
/// a skip, so CI cannot pass without the check.
fn dot_to_svg(dot: &str) -> String {
    let found = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "`dot` (Graphviz) is not installed: run .ci/setup");
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "dot: {stderr}\n{dot}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = root()
        .join(format!("target/test-tmp/{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
