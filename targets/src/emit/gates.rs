//! The gate library as the targets ship and call it: the `ConfigMap` that
//! Tekton and Argo apply (every step or container mounts it read-only), and
//! gate arguments rendered as `sh` words for the targets whose scripts
//! call the library (GitHub, Tekton, Argo).

use super::yaml::{Map, Yaml};
use crate::gates;
use crate::plan::Command;

/// The name of the ConfigMap holding the gate library.
pub const GATES_CONFIGMAP: &str = "sluice-gates";

/// The ConfigMap `sluice-gates` with the gate library, as a YAML document.
pub fn configmap() -> Yaml {
    Map::new()
        .with("apiVersion", "v1")
        .with("kind", "ConfigMap")
        .with(
            "metadata",
            Map::new().with("name", GATES_CONFIGMAP).with(
                "labels",
                Map::new().with("app.kubernetes.io/managed-by", "sluice"),
            ),
        )
        .with("data", Map::new().with(gates::FILE_NAME, gates::library()))
        .into()
}

/// Gate arguments as `sh` words separated by spaces (each one
/// [`Command::to_sh_word`]): for a script line, or for an environment value
/// that the script reads with `eval "set -- $VAR"`. The version is read
/// from `$SLUICE_VERSION` when the shell evaluates the words, and no word
/// holds an expression opener of a CI system.
pub fn sh_words(args: &[Command]) -> String {
    args.iter()
        .map(Command::to_sh_word)
        .collect::<Vec<_>>()
        .join(" ")
}
