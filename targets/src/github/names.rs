//! GitHub names from plan ids: job ids match `^[A-Za-z_][A-Za-z0-9_-]*$`,
//! environment names use the same characters. The mangling is readable,
//! deterministic and collision-free: `/` becomes `__` and `.` becomes `_`
//! (Sluice identifiers have neither), anything else outside the set becomes
//! `-`; when that replacement was lossy, or the name is longer than
//! [`MAX_LEN`], the name is cut and an 8-hex-digit hash of the original id
//! is appended, so two ids never share a name.

use crate::emit::names::shorten;

/// Job ids and environment names stay well below GitHub's limits.
pub const MAX_LEN: usize = 90;

/// The GitHub name of `id`.
pub fn mangle(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 2);
    let mut lossy = false;
    for c in id.chars() {
        match c {
            '/' => out.push_str("__"),
            '.' => out.push('_'),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => out.push(c),
            _ => {
                lossy = true;
                out.push('-');
            }
        }
    }
    // `__` and `_` are this encoding's own: an id that has them is ambiguous
    if id.contains('_') {
        lossy = true;
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    if lossy || out.len() > MAX_LEN {
        return shorten(&out, MAX_LEN, id);
    }
    out
}

/// Whether `name` is a valid job id.
pub fn is_job_id(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_when_exact() {
        assert_eq!(
            mangle("gamma/us-east-1/deploy/one-box"),
            "gamma__us-east-1__deploy__one-box"
        );
        assert_eq!(mangle("production.1/gate"), "production_1__gate");
    }

    #[test]
    fn hashed_when_lossy_or_long() {
        let a = mangle("a b");
        let b = mangle("a:b");
        assert_ne!(a, b);
        assert!(is_job_id(&a) && is_job_id(&b));
        assert_ne!(mangle("a__b"), mangle("a/b"));
        let long = mangle(&"x".repeat(200));
        assert!(long.len() <= MAX_LEN && is_job_id(&long));
        assert!(is_job_id(&mangle("1st")) && is_job_id(&mangle("${{ x }}")));
    }
}
