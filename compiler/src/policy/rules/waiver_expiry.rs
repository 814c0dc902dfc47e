//! `waiver-expiry`: exceptions are reviewed again soon.

use sluice_grammar::value::Duration;

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MAX: ParamSpec<Duration> = ParamSpec {
    name: "max",
    default: || Duration::from_secs(90 * 86_400),
};

/// Who may approve a waiver; empty: anyone (checked in `policy::waivers`).
pub(crate) const APPROVERS: ParamSpec<Vec<String>> = ParamSpec {
    name: "approvers",
    default: Vec::new,
};

pub const RULE: RuleDef = RuleDef {
    name: "waiver-expiry",
    default_severity: Severity::Error,
    params: &[&MAX, &APPROVERS],
    explanation: r#"# waiver-expiry

Waivers expire no more than `max` after today (`--today`).

Why: an exception granted for good reasons becomes permanent by neglect. A
short expiry makes someone look at it again — and either fix the finding or
approve the exception anew, on purpose.

```sluice
waive first-wave-single-region {
  reason "batch jobs run in two regions only"
  approved-by "jane.doe@example.com"
  expires 2027-02-28
}
```

Parameters: `max` (default `90d`) and `approvers` (default `[]`: anyone) —
the only people or teams whose `approved-by` makes a waiver valid, so that a
team cannot approve its own exceptions. A waiver approved by anyone else is
`waiver-invalid`, and the finding it would waive stays:

```sluice
policy acme {
  rule waiver-expiry { max 60d approvers ["jane.doe@example.com", "@acme/platform"] }
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    let max = *params.get(&MAX);
    let days = (max.seconds / 86_400) as i32;
    let Ok(limit) = cx.today.checked_add(jiff::Span::new().days(days)) else {
        return Vec::new();
    };
    cx.pipeline
        .waivers
        .iter()
        .filter_map(|w| {
            w.expires
                .as_ref()
                .filter(|e| e.value > limit)
                .map(|e| (w, e))
        })
        .map(|(w, e)| {
            Finding::new(
                e.span,
                format!(
                    "the waiver of `{}` lasts until {}, past the {days}-day limit ({limit})",
                    w.rule.text, e.value
                ),
            )
            .label("expires too late")
            .help(format!("set `expires` to {limit} or earlier"))
        })
        .collect()
}
