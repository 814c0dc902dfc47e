//! Kubernetes names from plan ids. Pipeline task names and object names
//! must be DNS-1123 labels: lower-case letters, digits and `-`, starting
//! with a letter (Tekton also wants one for task names), ending with a
//! letter or digit, at most [`MAX_LEN`] characters.
//!
//! The mangling is readable and deterministic: letters are lower-cased,
//! every other run of characters outside the set becomes one `-`
//! (`production.1/us-west-1/bake` → `production-1-us-west-1-bake`). That
//! is lossy (`a/b` and `a-b` meet), so [`Names`] checks the names of one
//! pipeline together: a name that is too long, or that two ids would share,
//! is cut and given an 8-hex-digit hash of its id instead
//! (`…-1a2b3c4d`), which keeps every name of a pipeline distinct.

use std::collections::{BTreeMap, HashMap};

use crate::emit::names::{cut, with_hash};

/// The longest DNS-1123 label.
pub const MAX_LEN: usize = 63;

/// The readable form of `id`; may be too long, or shared with another id.
fn readable(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "x-");
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `id`'s readable form cut to leave room for the hash, then the hash.
fn hashed(id: &str) -> String {
    let base = readable(id);
    with_hash(cut(&base, MAX_LEN).trim_end_matches('-'), id)
}

/// One name on its own (a pipeline's): the id when it is already a valid
/// label, the hashed form otherwise.
pub fn label(id: &str) -> String {
    if is_label(id) {
        id.to_string()
    } else {
        hashed(id)
    }
}

/// Collision-free names for a set of ids (one pipeline's tasks).
#[derive(Debug, Clone, Default)]
pub struct Names {
    by_id: HashMap<String, String>,
}

impl Names {
    /// Names for `ids`; duplicates in `ids` are one id.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Names {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for id in &ids {
            groups.entry(readable(id)).or_default().push(id);
        }
        let mut by_id = HashMap::new();
        for (name, members) in &groups {
            for id in members {
                let name = if members.len() == 1 && name.len() <= MAX_LEN {
                    name.clone()
                } else {
                    hashed(id)
                };
                by_id.insert(id.to_string(), name);
            }
        }
        // a hashed name that meets a readable one: hash everything
        let mut seen: Vec<&String> = by_id.values().collect();
        seen.sort_unstable();
        let before = seen.len();
        seen.dedup();
        if seen.len() != before {
            by_id = ids.iter().map(|id| (id.to_string(), hashed(id))).collect();
        }
        Names { by_id }
    }

    /// The name of `id` (one of the ids the set was made from).
    pub fn get(&self, id: &str) -> &str {
        self.by_id
            .get(id)
            .unwrap_or_else(|| panic!("no Tekton name for {id:?}"))
    }
}

/// Whether `name` is a DNS-1123 label that starts with a letter.
pub fn is_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_LEN
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_when_unique() {
        let names = Names::new(["production.1/us-west-1/bake", "build/gate"]);
        assert_eq!(
            names.get("production.1/us-west-1/bake"),
            "production-1-us-west-1-bake"
        );
        assert_eq!(names.get("build/gate"), "build-gate");
    }

    #[test]
    fn hashed_when_shared_long_or_odd() {
        let names = Names::new(["a/b", "a-b", "A.B"]);
        let all = [names.get("a/b"), names.get("a-b"), names.get("A.B")];
        assert!(all.iter().all(|n| is_label(n)), "{all:?}");
        assert_ne!(all[0], all[1]);
        assert_ne!(all[1], all[2]);
        let long = "x/".repeat(80);
        let names = Names::new([long.as_str(), "1st", "${{ x }}", "", "日本"]);
        for id in [long.as_str(), "1st", "${{ x }}", "", "日本"] {
            assert!(is_label(names.get(id)), "{:?}", names.get(id));
        }
        assert_eq!(label("checkout-api"), "checkout-api");
        assert!(is_label(&label("Checkout_API")));
    }
}
