//! `gamma-one-box`: a pre-production stage deploys through a one-box that
//! watches the production alarms.

use std::collections::BTreeSet;

use crate::diagnostic::Severity;
use crate::model::Stage;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "gamma-one-box",
    default_severity: Severity::Warning,
    params: &[],
    explanation: r#"# gamma-one-box

Some pre-production stage (the "gamma" stage) deploys through a one-box and
watches the same alarms as production.

Why: gamma is the last place a bad change can fail without customers
noticing. Running it the way production runs — one box first, the same
rollback alarms — exercises the deployment and the alarms themselves, so a
broken alarm or deploy script is found before the first wave.

```sluice
stage gamma {
  regions [us-east-1]
  deploy "./deploy.sh gamma ${region}"
  one-box { bake 30m }
  alarms [aggregate-high-sev]     # the same alarms as production
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) =
        super::missing_production(cx, "no production rollout follows a one-box rehearsal")
    {
        return vec![finding];
    }
    let p = cx.pipeline;
    let Some(production) = &p.production else {
        return Vec::new();
    };
    let Some(first) = production.waves.first() else {
        return Vec::new();
    };
    let rehearsals: Vec<(&Stage, BTreeSet<&str>)> = p
        .stages
        .iter()
        .filter(|s| s.deploy.is_some())
        .filter_map(|s| {
            let one_box = s.one_box.as_ref()?;
            Some((
                s,
                s.alarms
                    .iter()
                    .chain(&one_box.alarms)
                    .map(|a| a.text.as_str())
                    .collect(),
            ))
        })
        .collect();
    // the stage that watches the most production alarms is the gamma stage
    let best = rehearsals.iter().max_by_key(|(s, watched)| {
        (
            first
                .alarms
                .iter()
                .filter(|a| watched.contains(a.text.as_str()))
                .count(),
            std::cmp::Reverse(s.span.start),
        )
    });
    let Some((gamma, watched)) = best else {
        return vec![Finding::new(production.span, "no pre-production stage deploys through a one-box")
            .label("production starts without a rehearsal")
            .help("give a pre-production stage `deploy`, `one-box { bake 30m }` and the production `alarms [...]`")];
    };
    first
        .alarms
        .iter()
        .filter(|a| !watched.contains(a.text.as_str()))
        .map(|alarm| {
            Finding::new(
                alarm.span,
                format!(
                    "production alarm `{}` is not watched by the one-box stage `{}`",
                    alarm.text, gamma.name.text
                ),
            )
            .label("not rehearsed before production")
            .with_secondary(gamma.name.span, "the pre-production one-box stage")
            .help(format!(
                "add `{}` to the `alarms` of stage `{}`",
                alarm.text, gamma.name.text
            ))
        })
        .collect()
}
