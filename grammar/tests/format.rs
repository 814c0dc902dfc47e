//! The formatter's contract, checked on every fixture in `fixtures/format/`:
//! its output parses, means the same as the input (same tree, same
//! comments), is a fixed point, and is reviewed as an insta snapshot.

use sluice_grammar::{format_file, parse_file, File, FileId, Stmt, Value, ValueKind};

/// Declares one test per fixture; `FIXTURES` lets a meta-test check that
/// every file in the folder has one.
macro_rules! fixtures {
    ($($name:ident,)*) => {
        const FIXTURES: &[&str] = &[$(stringify!($name),)*];
        $(
            #[test]
            fn $name() {
                let source = include_str!(concat!("fixtures/format/", stringify!($name), ".sluice"));
                let formatted = check_format(source);
                insta::assert_snapshot!(stringify!($name), formatted);
            }
        )*
    };
}

fixtures! {
    spec_pipeline,
    spec_policy,
    spec_building_blocks,
    all_statements,
    comments,
    comments_eof,
    odd_spacing,
    strings,
    long_lines,
}

#[test]
fn every_fixture_has_a_test() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/format");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".sluice").map(String::from)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "add new fixtures to the `fixtures!` list");
}

/// Runs every property on one source text and returns its formatted form.
fn check_format(source: &str) -> String {
    let original = parse_ok(source);
    let formatted = format_file(&original, source);
    let reparsed = parse_ok(&formatted);
    assert_eq!(
        shape(&original),
        shape(&reparsed),
        "the tree changed:\n{formatted}"
    );
    assert_eq!(
        comment_texts(&original),
        comment_texts(&reparsed),
        "comments changed:\n{formatted}"
    );
    assert_eq!(
        format_file(&reparsed, &formatted),
        formatted,
        "not idempotent"
    );
    assert_layout(&formatted);
    formatted
}

fn parse_ok(source: &str) -> File {
    let (file, errors) = parse_file(FileId(0), source);
    assert!(errors.is_empty(), "{errors:#?}\nin:\n{source}");
    file.expect("no errors means a file")
}

/// Rules every output follows, whatever the input.
fn assert_layout(formatted: &str) {
    if formatted.is_empty() {
        return;
    }
    assert!(
        formatted.ends_with('\n') && !formatted.ends_with("\n\n"),
        "{formatted:?}"
    );
    for line in formatted.lines() {
        assert_eq!(line, line.trim_end(), "trailing white space: {line:?}");
        let indent = line.len() - line.trim_start().len();
        assert!(
            indent % 2 == 0 && !line.starts_with('\t'),
            "bad indent: {line:?}"
        );
    }
    assert!(!formatted.contains("\n\n\n"), "two blank lines in a row");
}

/// The tree without spans, one line per statement. Top-level imports are
/// listed first, as the formatter moves them there.
fn shape(file: &File) -> String {
    let imports = file
        .items
        .iter()
        .filter(|s| s.keyword == sluice_grammar::Keyword::Import);
    let others = file
        .items
        .iter()
        .filter(|s| s.keyword != sluice_grammar::Keyword::Import);
    let mut out = String::new();
    for stmt in imports.chain(others) {
        stmt_shape(stmt, 0, &mut out);
    }
    out
}

fn stmt_shape(stmt: &Stmt, depth: usize, out: &mut String) {
    let values: Vec<String> = stmt.values.iter().map(value_shape).collect();
    out.push_str(&format!(
        "{}{:?} final={} name={:?} extends={:?} op={:?} values=[{}] body={}\n",
        "  ".repeat(depth),
        stmt.keyword,
        stmt.is_final(),
        stmt.name_text(),
        stmt.extends.as_ref().map(|e| &e.text),
        stmt.op,
        values.join(", "),
        stmt.body
            .as_ref()
            .map_or("none".into(), |b| b.len().to_string()),
    ));
    for child in stmt.body() {
        stmt_shape(child, depth + 1, out);
    }
}

fn value_shape(value: &Value) -> String {
    match &value.kind {
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(value_shape).collect();
            format!("List[{}]", items.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// Comment texts as the formatter promises to keep them, in a stable order
/// (moving imports first may reorder them).
fn comment_texts(file: &File) -> Vec<String> {
    let mut texts: Vec<String> = file
        .comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect();
    texts.sort();
    texts
}

fn fmt(source: &str) -> String {
    check_format(source)
}

#[test]
fn durations_and_numbers_are_canonical() {
    let out = fmt(
        "template t { stage s { timeout 90m bake 3600s } source { review { approvals 007 } } }",
    );
    assert!(out.contains("    timeout 1h30m\n    bake 1h\n"), "{out}");
    assert!(out.contains("approvals 7"), "{out}");
}

#[test]
fn strings_are_re_escaped() {
    let out = fmt("pipeline p { owner \"a\\\"b\\\\c\\nd\\te\\u{1b}f\\u{e9}\" }");
    assert_eq!(
        out,
        "pipeline p {\n  owner \"a\\\"b\\\\c\\nd\\te\\u{1b}fé\"\n}\n"
    );
}

#[test]
fn short_leaf_blocks_are_inlined() {
    let out = fmt("alarm a {\n  cloudwatch \"A\"\n}\nfleet f {\n  region a {\n    cells [x, y]\n    traffic high\n  }\n}\n");
    assert_eq!(
        out,
        "alarm a { cloudwatch \"A\" }\n\nfleet f {\n  region a { cells [x, y] traffic high }\n}\n"
    );
}

#[test]
fn blocks_with_nested_bodies_are_expanded() {
    let out = fmt("fleet f { region a { traffic high } region b }");
    assert_eq!(
        out,
        "fleet f {\n  region a { traffic high }\n  region b\n}\n"
    );
}

#[test]
fn a_comment_stops_inlining() {
    let out = fmt("alarm a { cloudwatch \"A\" # why\n}");
    assert_eq!(out, "alarm a {\n  cloudwatch \"A\" # why\n}\n");
}

#[test]
fn trailing_comment_after_inline_block_stays_trailing() {
    let out = fmt("alarm a { cloudwatch \"A\" }   # why   \n");
    assert_eq!(out, "alarm a { cloudwatch \"A\" } # why\n");
}

#[test]
fn blank_lines_collapse_to_one_and_never_open_or_close_a_block() {
    let source =
        "pipeline p {\n\n\n  owner \"o\"\n\n\n\n  tags [a]\n  fleet f\n  stage s {}\n\n}\n";
    let out = fmt(source);
    assert_eq!(
        out,
        "pipeline p {\n  owner \"o\"\n\n  tags [a]\n  fleet f\n  stage s {}\n}\n"
    );
}

#[test]
fn top_level_items_are_separated_and_imports_come_first() {
    let out = fmt(
        "alarm a { cloudwatch \"A\" } alarm b { cloudwatch \"B\" }\nimport \"x\"\nimport \"y\"",
    );
    assert_eq!(
        out,
        "import \"x\"\nimport \"y\"\n\nalarm a { cloudwatch \"A\" }\n\nalarm b { cloudwatch \"B\" }\n"
    );
}

#[test]
fn crlf_input_gives_lf_output() {
    let source = "# head\r\n\r\nfleet f {\r\n  region a # r\r\n\r\n  region b\r\n}\r\n";
    let out = fmt(source);
    assert_eq!(
        out,
        "# head\n\nfleet f {\n  region a # r\n\n  region b\n}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("# one\n\n\n# two   "), "# one\n\n# two\n");
}
