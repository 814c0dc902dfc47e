//! `blockers-required`: waves do not start into an ongoing incident.

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const BLOCKERS: ParamSpec<Vec<String>> = ParamSpec {
    name: "blockers",
    default: Vec::new,
};

pub const RULE: RuleDef = RuleDef {
    name: "blockers-required",
    default_severity: Severity::Error,
    params: &[&BLOCKERS],
    explanation: r#"# blockers-required

Every production wave has at least one blocker alarm: it does not start
while any of them is in ALARM.

Why: deploying during an incident makes it worse twice — the change may add
a second failure, and it muddies the diagnosis of the first. Blockers (an
aggregate high-severity alarm, an organisation-wide event) hold the rollout
until things are calm.

```sluice
production { blockers [aggregate-high-sev, org-event] }
```

Parameter: `blockers` (default `[]`: any blocker will do) names blockers
every wave must list, so that the organisation, not the team, decides which
incidents hold a rollout: `rule blockers-required { blockers [org-event] }`."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave waits for blocker alarms") {
        return vec![finding];
    }
    let required = params.get::<Vec<String>>(&BLOCKERS);
    super::waves(cx.pipeline)
        .iter()
        .filter_map(|w| {
            if w.blockers.is_empty() {
                return Some(
                    Finding::new(
                        w.name.span,
                        format!("{} has no blocker alarm", super::wave_label(w)),
                    )
                    .label("no `blockers`")
                    .help("add `blockers [...]` to `production` (every wave inherits it)"),
                );
            }
            let missing = super::missing_names(required, &w.blockers)?;
            Some(
                Finding::new(
                    w.name.span,
                    format!(
                        "{} does not wait for the required blocker(s) {missing}",
                        super::wave_label(w)
                    ),
                )
                .label("required blockers missing")
                .help(format!("add {missing} to the `blockers` of `production`")),
            )
        })
        .collect()
}
