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

/// The most candidates that get the full edit distance for one name: those
/// with the lowest cheap bounds (then alphabetically), so one unknown name
/// costs one cheap pass over the candidates and at most this many distances.
const MAX_COMPARED: usize = 64;

/// The candidate fewest Damerau-Levenshtein edits from `name`, among those
/// at most `max_edits(name, candidate)` away; ties go to the first in
/// alphabetical order. A cheap lower bound of the distance (length, letters
/// not shared) skips candidates that cannot be close enough, and the
/// distance is computed in the order of that bound until no candidate left
/// can do better: at most [`MAX_COMPARED`] times.
pub fn closest_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max_edits: impl Fn(&str, &str) -> usize,
) -> Option<&'a str> {
    let letters = Letters::of(name);
    // (lower bound, candidate, its edit budget)
    let mut near: Vec<(usize, &str, usize)> = candidates
        .into_iter()
        .filter_map(|c| {
            let max = max_edits(name, c);
            let bound = letters.lower_bound(c);
            (bound <= max).then_some((bound, c, max))
        })
        .collect();
    if near.len() > MAX_COMPARED {
        near.select_nth_unstable_by(MAX_COMPARED, |a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        near.truncate(MAX_COMPARED);
    }
    near.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut best: Option<(usize, &str)> = None;
    for (bound, candidate, max) in near {
        if best.is_some_and(|(distance, _)| bound > distance) {
            break;
        }
        let distance = strsim::damerau_levenshtein(name, candidate);
        if distance <= max && best.is_none_or(|b| (distance, candidate) < b) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// A word's length and letter counts, for a lower bound of the edits to
/// another word that is cheaper than the distance itself.
struct Letters<'w> {
    word: &'w str,
    chars: usize,
    /// Counts of ASCII characters; `None` when the word has others.
    ascii: Option<[i16; 128]>,
}

impl<'w> Letters<'w> {
    fn of(word: &'w str) -> Letters<'w> {
        let mut counts = [0i16; 128];
        let ascii = word.bytes().all(|b| match counts.get_mut(usize::from(b)) {
            Some(count) => {
                *count = count.saturating_add(1);
                true
            }
            None => false,
        });
        Letters {
            word,
            chars: word.chars().count(),
            ascii: ascii.then_some(counts),
        }
    }

    /// At most the Damerau-Levenshtein distance to `other`: the difference
    /// in length, and the larger number of letters either word has that
    /// the other lacks (an edit changes each count by at most one, a
    /// transposition by none). Linear in the two lengths.
    fn lower_bound(&self, other: &str) -> usize {
        let by_length = self.chars.abs_diff(other.chars().count());
        let Some(mut difference) = self.ascii else {
            return by_length;
        };
        for byte in other.bytes() {
            let Some(count) = difference.get_mut(usize::from(byte)) else {
                return by_length;
            };
            *count = count.saturating_sub(1);
        }
        let (mut only_mine, mut only_theirs) = (0usize, 0usize);
        for byte in self.word.bytes().chain(other.bytes()) {
            let count = &mut difference[usize::from(byte)];
            if *count > 0 {
                only_mine += count.unsigned_abs() as usize;
            } else {
                only_theirs += count.unsigned_abs() as usize;
            }
            *count = 0;
        }
        by_length.max(only_mine).max(only_theirs)
    }
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
    // at most nine distinct names are kept: more are not listed
    let mut all: Vec<&str> = Vec::new();
    for candidate in candidates {
        if !all.contains(&candidate) {
            all.push(candidate);
            if all.len() > 8 {
                break;
            }
        }
    }
    all.sort_unstable();
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
    fn the_cheap_bound_never_exceeds_the_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "us-east-1",
            "us-esat-1",
            "eu-west-1",
            "gamma",
            "gama",
            "stage",
            "stg",
            "région",
            "region",
            "zz",
            "t1234",
            "t1243",
            "u1234",
        ];
        for a in words {
            for b in words {
                let bound = Letters::of(a).lower_bound(b);
                let distance = strsim::damerau_levenshtein(a, b);
                assert!(bound <= distance, "{a} / {b}: {bound} > {distance}");
            }
        }
    }

    /// The definition, comparing every candidate.
    fn brute_force<'a>(name: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
        candidates
            .iter()
            .map(|c| (strsim::damerau_levenshtein(name, c), *c))
            .filter(|(d, _)| *d <= max)
            .min()
            .map(|(_, c)| c)
    }

    #[test]
    fn the_bounds_keep_the_answer_of_comparing_everything() {
        let mut names: Vec<String> = (0..60).map(|i| format!("k{i:03}")).collect();
        names
            .extend(["zbcd", "dcba", "abdc", "us-east-1", "eu-west-1", "base-7"].map(String::from));
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        for name in [
            "abcd", "k99x", "k0", "us-est-1", "bsae-7", "k059", "zzzz", "",
        ] {
            for max in 0..5 {
                assert_eq!(
                    closest_within(name, candidates.iter().copied(), |_, _| max),
                    brute_force(name, &candidates, max),
                    "{name} within {max}"
                );
            }
        }
    }

    #[test]
    fn the_closest_is_found_among_many_near_candidates() {
        // every candidate passes the cheap bound; the closest comes first by
        // its bound, whatever its name
        let mut names: Vec<String> = (0..1000).map(|i| format!("k{i:03}")).collect();
        names.push("zbcd".into());
        let best = closest_within("abcd", names.iter().map(String::as_str), |_, _| 4);
        assert_eq!(best, Some("zbcd"));
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
