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

Some pre-production stage (the "gamma" stage) deploys through a one-box,
watches the same alarms as production, and finishes before production
starts: production depends on it, directly or through `after`.

Why: gamma is the last place a bad change can fail without customers
noticing. Running it the way production runs — one box first, the same
rollback alarms — exercises the deployment and the alarms themselves, so a
broken alarm or deploy script is found before the first wave. A rehearsal
that runs beside production (`production { after beta }` while gamma also
follows beta) finds nothing in time.

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
    let one_boxes: Vec<&Stage> = p
        .stages
        .iter()
        .filter(|s| s.deploy.is_some() && s.one_box.is_some())
        .collect();
    // a rehearsal counts only when production waits for it (SPEC 6.4 P10)
    let before = super::before_production(p).unwrap_or_default();
    let rehearsals: Vec<(&Stage, BTreeSet<&str>)> = one_boxes
        .iter()
        .filter(|s| before.contains(s.name.text.as_str()))
        .filter_map(|s| {
            let one_box = s.one_box.as_ref()?;
            Some((
                *s,
                s.alarms
                    .iter()
                    .chain(&one_box.alarms)
                    .map(|a| a.text.as_str())
                    .collect(),
            ))
        })
        .collect();
    if let (true, Some(gamma)) = (rehearsals.is_empty(), one_boxes.first()) {
        let span = match production.after.as_deref() {
            Some([first, .., last]) => first.span.to(last.span),
            Some([only]) => only.span,
            _ => production.span,
        };
        return vec![Finding::new(
            span,
            format!(
                "production does not wait for the one-box stage `{}`",
                gamma.name.text
            ),
        )
        .label("production starts before the rehearsal ends")
        .with_secondary(gamma.name.span, "the pre-production one-box stage")
        .help(format!(
            "make production run after it: `production {{ after {} }}`, or put `{}` before the stage production waits for",
            gamma.name.text, gamma.name.text
        ))];
    }
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
