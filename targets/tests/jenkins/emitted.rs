//! What Jenkins gets: every file snapshotted (the gate library checked
//! byte for byte instead), deterministically, and no Groovy interpolation.

use sluice_targets::jenkins::{self, HELPERS};
use sluice_targets::output::{OutputFile, GENERATED_MARK};
use sluice_targets::plan::Plan;

use crate::common::{self, all_plans};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    jenkins::emit(&inputs).expect("Jenkins takes every plan")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for (name, file) in common::emitted(emit) {
        if common::is_gate_library(&file) {
            continue;
        }
        assert!(file
            .contents
            .lines()
            .next()
            .unwrap()
            .contains(GENERATED_MARK));
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}

#[test]
fn no_groovy_interpolation_anywhere() {
    for (plan, source) in all_plans() {
        let text = jenkins::jenkinsfile(&plan, &source);
        assert!(!text.contains("${"), "{}", plan.pipeline);
        // the generated part has no double-quoted (GString) literal outside
        // single-quoted strings
        let generated = &text[..text.len() - HELPERS.len()];
        assert!(outside_single_quotes(generated).all(|c| c != '"'));
    }
}

/// The characters of Groovy `text` outside single-quoted literals and `//`
/// comments.
fn outside_single_quotes(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut quoted = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '\\') => {
                    chars.next();
                }
                (_, '\'') => quoted = !quoted,
                (false, c) => out.push(c),
                _ => {}
            }
        }
    }
    out.into_iter()
}
