//! SPEC 6.4 P6: who may approve. Every `approvers` entry is a team
//! (`@org/team`) or a login (`jane-doe`, or `@jane-doe`); targets hand them to
//! CI systems that split on `,`, treat `*` as anyone and read `group:...` as
//! a group of users, so nothing else is accepted.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Pipeline, Spanned};

pub fn check(pipeline: &Pipeline, diags: &mut Vec<Diagnostic>) {
    let approvals = pipeline
        .all_stages()
        .flat_map(|s| &s.approvals)
        .flat_map(|a| &a.approvers);
    let emergency = pipeline.emergency.iter().flat_map(|e| &e.approvers);
    for approver in approvals.chain(emergency) {
        if let Some(problem) = problem(&approver.value) {
            diags.push(invalid(approver, problem));
        }
    }
}

/// Why an approver is not a team or a login, if it is not.
pub fn problem(approver: &str) -> Option<&'static str> {
    let login = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let team = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if approver.is_empty() {
        return Some("is empty");
    }
    if let Some(bad) = approver
        .chars()
        .find(|c| matches!(c, ',' | '*' | ':') || c.is_whitespace())
    {
        return Some(match bad {
            ',' => "lists several names in one (CI systems split it at the comma)",
            '*' => "is a wildcard",
            ':' => "names a group of users, not a team or a login",
            _ => "contains white space",
        });
    }
    let name = approver.strip_prefix('@').unwrap_or(approver);
    let valid = match name.split_once('/') {
        Some((org, slug)) => approver.starts_with('@') && login(org) && team(slug),
        None => login(name),
    };
    (!valid).then_some("is neither a team `@org/team` nor a login")
}

fn invalid(approver: &Spanned<String>, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidValue,
        approver.span,
        format!("approver \"{}\" {problem}", approver.value.escape_debug()),
    )
    .label("not a team or a login")
    .help("write one team `\"@org/team\"` or one login `\"jane-doe\"` per string, like `approvers [\"@acme/sre\", \"jane-doe\"]`")
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn teams_and_logins_pass_and_nothing_else() {
        for good in [
            "@acme/sre",
            "@acme/release_managers",
            "jane-doe",
            "@jane",
            "J4ne",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
        for bad in [
            "",
            " ",
            "@acme/sre,authenticated",
            "group:system:authenticated",
            "*",
            "jane doe",
            "acme/sre",
            "@acme/",
            "@/sre",
            "@",
            "jane@example.com",
            "@acme/sre/x",
            "jane\u{202e}",
        ] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
    }
}
