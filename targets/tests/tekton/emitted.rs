//! What Tekton emits: every file snapshotted (the gate library's
//! ConfigMap checked byte for byte instead), deterministically.

use sluice_targets::output::OutputFile;
use sluice_targets::plan::Plan;
use sluice_targets::tekton;

use crate::common::yaml::documents;
use crate::common::{self, all_plans};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    tekton::emit(&inputs).expect("Tekton can take it")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for (name, file) in common::emitted(emit) {
        if file.path == tekton::GATES_FILE {
            let docs = documents(&file.contents);
            let data = docs[0]["data"]["sluice-gates.sh"].as_str().unwrap();
            assert_eq!(data, sluice_targets::gates::library());
            continue;
        }
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}
