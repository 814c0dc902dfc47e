//! The targets `sluice build` knows, in one list. The CLI's `--target`
//! values, `build --check` and the build tests all read [`TARGETS`], so a
//! new target is its folder plus one line here.

use crate::output::{EmitError, OutputFile, Pipeline};
use crate::{argo, github, jenkins, tekton};

/// Turns the plans of every pipeline into the target's files, all in
/// memory: an error (a pipeline the target cannot run as emitted) means
/// nothing is written.
pub type Emit = fn(&[Pipeline<'_>]) -> Result<Vec<OutputFile>, EmitError>;

/// One CI system `sluice build` emits for.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The `--target` value.
    pub name: &'static str,
    /// One line for `--help`: what the target writes.
    pub about: &'static str,
    /// The path of the file a pipeline becomes, relative to `--out`.
    pub pipeline_path: fn(&str) -> String,
    pub emit: Emit,
}

/// Every target, in the order `--help` lists them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "github",
        about: "GitHub Actions workflows",
        pipeline_path: github::workflow_path,
        emit: github::emit,
    },
    Target {
        name: "tekton",
        about: "Tekton Pipelines (a Pipeline and a PipelineRun template per pipeline)",
        pipeline_path: tekton::pipeline_path,
        emit: tekton::emit,
    },
    Target {
        name: "jenkins",
        about: "Jenkins declarative pipelines (a Jenkinsfile per pipeline)",
        pipeline_path: jenkins::jenkinsfile_path,
        emit: jenkins::emit,
    },
    Target {
        name: "argo",
        about: "Argo Workflows (a WorkflowTemplate and an example Workflow per pipeline)",
        pipeline_path: argo::workflow_path,
        emit: argo::emit,
    },
];

/// The target called `name`, in `targets`.
pub fn find<'a>(targets: &'a [Target], name: &str) -> Option<&'a Target> {
    targets.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lower_case() {
        for (i, target) in TARGETS.iter().enumerate() {
            assert!(
                target
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                target.name
            );
            assert_eq!(
                find(TARGETS, target.name).map(|t| t.name),
                Some(target.name)
            );
            assert!(TARGETS[..i].iter().all(|t| t.name != target.name));
        }
        assert!(find(TARGETS, "no-such-ci").is_none());
    }

    #[test]
    fn every_target_puts_a_pipeline_in_its_own_file() {
        for target in TARGETS {
            let a = (target.pipeline_path)("orders");
            let b = (target.pipeline_path)("payments");
            assert!(a.contains("orders") && a != b, "{}: {a}", target.name);
        }
    }
}
