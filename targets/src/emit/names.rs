//! Deterministic, collision-free names: every target mangles plan ids into
//! its own name rules (job ids, DNS-1123 labels, file names), and when the
//! mangling is lossy or too long it cuts the name and appends a hash of the
//! whole id, `-1a2b3c4d`, so two ids never share a name. The hash is
//! FNV-1a: stable across platforms and releases, so names never change
//! between builds.

/// The length of a hash suffix: `-` and 8 hex digits.
pub const HASH_SUFFIX_LEN: usize = 9;

/// FNV-1a, 32 bits.
pub fn fnv1a(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// `base`, then `-` and the hash of `id`.
pub fn with_hash(base: &str, id: &str) -> String {
    format!("{base}-{:08x}", fnv1a(id))
}

/// The start of `name` that leaves room for a hash suffix within `max`
/// bytes (cut at a character boundary).
pub fn cut(name: &str, max: usize) -> &str {
    let mut end = max.saturating_sub(HASH_SUFFIX_LEN).min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `name` shortened to at most `max` bytes with the hash of `id` at the
/// end: the name of an id whose readable form is lossy or too long.
pub fn shorten(name: &str, max: usize, id: &str) -> String {
    with_hash(cut(name, max), id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_names_fit() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(shorten(&"x".repeat(100), 20, "id").len(), 20);
        assert_eq!(shorten("short", 20, "id"), with_hash("short", "id"));
        assert_eq!(cut("日本語", 12), "日");
    }
}
