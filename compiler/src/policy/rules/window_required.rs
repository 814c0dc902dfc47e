//! `window-required`: waves start only inside a deployment window.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "window-required",
    default_severity: Severity::Error,
    params: &[],
    explanation: r#"# window-required

Every production wave has a deployment window.

Why: a change that starts at 3 a.m. on a Saturday fails when nobody who can
fix it is awake. Windows make rollouts start when the owning team is at
work, and not on holidays.

```sluice
production { window business-hours }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave waits for a deployment window") {
        return vec![finding];
    }
    super::waves(cx.pipeline)
        .iter()
        .filter(|w| w.window.is_none())
        .map(|w| {
            Finding::new(
                w.name.span,
                format!("{} has no deployment window", super::wave_label(w)),
            )
            .label("no `window`")
            .help("add `window NAME` to `production` (every wave inherits it)")
        })
        .collect()
}
