//! Reading emitted YAML back.

use serde::Deserialize;
use serde_yaml_ng::Value;

/// Every document of `yaml`.
pub fn documents(yaml: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("each document parses"))
        .collect()
}

/// A string value's text.
pub fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_string()
}
