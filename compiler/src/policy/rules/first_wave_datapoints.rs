//! `first-wave-datapoints`: the first bake waits for enough traffic.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "first-wave-datapoints",
    default_severity: Severity::Warning,
    params: &[],
    explanation: r#"# first-wave-datapoints

The first wave's bake has a datapoint minimum: it lasts until the probe has
seen enough requests, not only for a fixed time.

Why: a twelve-hour bake over a quiet night proves little. Requiring a number
of datapoints makes sure the new version actually served traffic — enough
for the alarms to have had a chance to fire — before the rollout goes on.

```sluice
wave 1 { bake 12h { datapoints 100 cloudwatch "Orders.Requests" } }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no first wave bakes on datapoints") {
        return vec![finding];
    }
    let Some(first) = super::waves(cx.pipeline).first() else {
        return Vec::new();
    };
    if first.bake.as_ref().is_some_and(|b| b.datapoints.is_some()) {
        return Vec::new();
    }
    let span = first.bake.as_ref().map_or(first.name.span, |b| b.span);
    vec![
        Finding::new(span, "the first wave's bake has no datapoint minimum")
            .label("time alone")
            .help("add `{ datapoints 100 cloudwatch \"Metric\" }` to the first wave's bake"),
    ]
}
