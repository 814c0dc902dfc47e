//! Kubernetes and Argo names from plan ids. Every name the target emits is
//! a DNS-1123 label: lower-case letters, digits and `-`, at most 63
//! characters (Argo allows 128 for template names; pod and node names are
//! built from them, so the tighter limit is kept everywhere).
//!
//! The mangling is readable, deterministic and collision-free: an id made
//! only of `a-z`, `0-9`, `-` and `/` (no `--`, no `-` beside a `/`,
//! starting with a letter, not ending in `-` or `/`) maps `/` to `--` and is otherwise kept, which can be undone;
//! any other id (upper case, `.`, `_`, other characters) or a name over the
//! limit is cut and gets `-` and an 8-hex-digit hash of the whole id.
//! Callers add a fixed prefix (`stage-`, `unit-`) so no mangled name can
//! clash with the emitter's own (`sluice-...`).

use crate::emit::names::{cut, with_hash};

/// Kubernetes object names and labels.
pub const MAX_LEN: usize = 63;

/// The name of `id`, at most `max` characters (at least 12).
pub fn mangle(id: &str, max: usize) -> String {
    let max = max.max(12);
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/')
        && !id.contains("--")
        && !id.contains("-/")
        && !id.contains("/-")
        && !id.contains("//")
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with(['-', '/']);
    let mut out = String::with_capacity(id.len() + 2);
    for c in id.chars() {
        match c {
            '/' => out.push_str("--"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => out.push('-'),
        }
    }
    if plain && out.len() <= max {
        return out;
    }
    let trimmed = |room: usize| cut(&out, room).trim_matches('-').to_string();
    let mut base = trimmed(max);
    // Argo's `depends` reads task names as identifiers: start with a letter
    // (and still fit)
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = format!("x{}", trimmed(max - 1));
    }
    with_hash(&base, id)
}

/// Whether `name` is a DNS-1123 label that starts with a letter.
pub fn is_dns_label(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.len() <= MAX_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_when_exact() {
        assert_eq!(
            mangle("gamma/us-east-1/one-box/deploy", 63),
            "gamma--us-east-1--one-box--deploy"
        );
    }

    #[test]
    fn hashed_when_lossy_or_long() {
        let names = [
            mangle("production.1/gate", 63),
            mangle("production-1/gate", 63),
            mangle("a--b", 63),
            mangle("a/b", 63),
            mangle("A/b", 63),
            mangle("${{ x }}", 63),
            mangle(&"x".repeat(200), 63),
            mangle("-", 20),
            mangle("\u{1}a/b", 63),
            mangle("1st/run/x", 63),
            mangle(&format!("2{}", "/x".repeat(40)), 63),
        ];
        for (i, a) in names.iter().enumerate() {
            assert!(is_dns_label(a), "{a}");
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(mangle(&"y".repeat(100), 40).len() <= 40);
    }
}
