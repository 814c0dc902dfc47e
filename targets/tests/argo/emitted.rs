//! What Argo emits: every file snapshotted, deterministically, and the
//! gate library's ConfigMap byte for byte.

use serde_yaml_ng::Value;
use sluice_targets::argo;
use sluice_targets::output::OutputFile;
use sluice_targets::plan::Plan;

use crate::common::{self, all_plans};

fn emit(plans: &[(Plan, String)]) -> Vec<OutputFile> {
    let inputs = common::pipelines(plans);
    argo::emit(&inputs).expect("Argo takes every plan")
}

#[test]
fn every_emitted_file_is_snapshotted() {
    for (name, file) in common::emitted(emit) {
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn emitting_is_deterministic() {
    assert_eq!(emit(&all_plans()), emit(&all_plans()));
}

#[test]
fn the_configmap_holds_the_gate_library_byte_for_byte() {
    let doc: Value = serde_yaml_ng::from_str(&argo::gates_configmap()).unwrap();
    assert_eq!(
        doc["data"][sluice_targets::gates::FILE_NAME].as_str(),
        Some(sluice_targets::gates::library().as_str())
    );
    assert!(argo::gates_configmap().contains(sluice_targets::output::GENERATED_MARK));
}
