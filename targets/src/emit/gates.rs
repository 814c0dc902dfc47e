//! The gate library as the Kubernetes targets ship it: a `ConfigMap`
//! holding `sluice-gates.sh`, which every step or container mounts
//! read-only. Tekton and Argo apply the same object.

use super::yaml::{Map, Yaml};
use crate::gates;

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
