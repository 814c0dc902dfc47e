//! "Did you mean ...?" suggestions for unknown names and misspelt keywords:
//! the one place that decides what counts as a typo. It lives in the grammar
//! crate so that parse errors and the compiler's diagnostics share it.

/// The candidate closest to `name`, if it is close enough to be a typo: at
/// most a third of the longer word's length in edits (at least one).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(name, candidates, |name, candidate| {
        (name.len().max(candidate.len()) / 3).max(1)
    })
}

/// The candidate fewest Damerau-Levenshtein edits from `name`, among those
/// at most `max_edits(name, candidate)` away; ties go to the first in
/// alphabetical order.
pub fn closest_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max_edits: impl Fn(&str, &str) -> usize,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= max_edits(name, c))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` or a fallback sentence listing what exists.
pub fn help<'a>(
    name: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    if let Some(best) = closest(name, candidates.clone()) {
        return format!("did you mean `{best}`?");
    }
    let mut all: Vec<&str> = candidates.into_iter().collect();
    all.sort_unstable();
    all.dedup();
    match all.len() {
        0 => format!("define the {what} `{name}`, or import the file that defines it"),
        1..=8 => format!(
            "the known {what}s are: {}",
            all.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("define the {what} `{name}`, or import the file that defines it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        assert_eq!(
            closest("us-east-l", ["us-east-1", "eu-west-1"]),
            Some("us-east-1")
        );
        assert_eq!(closest("gama", ["gamma", "beta"]), Some("gamma"));
        assert_eq!(closest("zzz", ["gamma", "beta"]), None);
    }

    #[test]
    fn callers_may_allow_more_edits() {
        // parse errors allow a third of the keyword, rounded up
        let keyword_bound = |_: &str, k: &str| k.len().div_ceil(3);
        assert_eq!(closest("stg", ["stage"]), None);
        assert_eq!(
            closest_within("stg", ["stage"], keyword_bound),
            Some("stage")
        );
    }
}
