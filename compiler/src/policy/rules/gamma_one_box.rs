//! `gamma-one-box`: a pre-production stage deploys through a one-box that
//! watches the production alarms.

use std::collections::BTreeSet;

use crate::diagnostic::Severity;
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
    let p = cx.pipeline;
    let Some(production) = &p.production else {
        return Vec::new();
    };
    let Some(first) = production.waves.first() else {
        return Vec::new();
    };
    let wanted: BTreeSet<&str> = first.alarms.iter().map(|a| a.text.as_str()).collect();
    let covered = p.stages.iter().filter(|s| s.deploy.is_some()).any(|s| {
        let Some(one_box) = &s.one_box else {
            return false;
        };
        let watched: BTreeSet<&str> = s
            .alarms
            .iter()
            .chain(&one_box.alarms)
            .map(|a| a.text.as_str())
            .collect();
        wanted.is_subset(&watched)
    });
    if covered {
        return Vec::new();
    }
    let missing = if wanted.is_empty() {
        String::new()
    } else {
        format!(
            " watching {}",
            wanted
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    vec![Finding::new(production.span, "no pre-production stage deploys through a one-box with the production alarms")
        .label("production starts without a rehearsal")
        .help(format!("give a pre-production stage `deploy`, `one-box {{ bake 30m }}` and `alarms [...]`{missing}"))]
}
