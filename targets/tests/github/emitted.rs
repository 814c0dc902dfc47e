//! What GitHub Actions gets: every file snapshotted (the gate library
//! checked byte for byte instead), deterministically.

use sluice_targets::github::{self, OutputFile};
use sluice_targets::plan::Plan;

use crate::common::{self, all_plans};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    github::emit(&inputs).expect("within GitHub's limits")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for (name, file) in common::emitted(emit) {
        if common::is_gate_library(&file) {
            continue;
        }
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}
