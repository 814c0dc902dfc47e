//! `blockers-required`: waves do not start into an ongoing incident.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "blockers-required",
    default_severity: Severity::Error,
    params: &[],
    explanation: r#"# blockers-required

Every production wave has at least one blocker alarm: it does not start
while any of them is in ALARM.

Why: deploying during an incident makes it worse twice — the change may add
a second failure, and it muddies the diagnosis of the first. Blockers (an
aggregate high-severity alarm, an organisation-wide event) hold the rollout
until things are calm.

```sluice
production { blockers [aggregate-high-sev, org-event] }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave waits for blocker alarms") {
        return vec![finding];
    }
    super::waves(cx.pipeline)
        .iter()
        .filter(|w| w.blockers.is_empty())
        .map(|w| {
            Finding::new(
                w.name.span,
                format!("{} has no blocker alarm", super::wave_label(w)),
            )
            .label("no `blockers`")
            .help("add `blockers [...]` to `production` (every wave inherits it)")
        })
        .collect()
}
