//! `waiver-expiry`: exceptions are reviewed again soon.

use sluice_grammar::value::Duration;

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MAX: ParamSpec<Duration> = ParamSpec {
    name: "max",
    default: || Duration::from_secs(90 * 86_400),
};

pub const RULE: RuleDef = RuleDef {
    name: "waiver-expiry",
    default_severity: Severity::Error,
    params: &[&MAX],
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

Parameter: `max` (default `90d`)."#,
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
