//! `first-wave-low-traffic`: the first wave avoids the busiest regions.

use crate::diagnostic::Severity;
use crate::model::Traffic;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "first-wave-low-traffic",
    default_severity: Severity::Warning,
    params: &[],
    explanation: r#"# first-wave-low-traffic

The first wave's regions are not `traffic high`.

Why: the first wave is the most likely place for a bad change to show
itself. Putting it in a high-traffic region means the most customers see the
problem before the bake catches it. A low- or medium-traffic region still
gets real load but limits the impact.

```sluice
fleet aws {
  region us-west-1 { traffic low }
  region us-east-1 { traffic high }
}
production { wave 1 { regions [us-west-1] } }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) =
        super::missing_production(cx, "no first wave starts in a low-traffic region")
    {
        return vec![finding];
    }
    let Some(first) = super::waves(cx.pipeline).first() else {
        return Vec::new();
    };
    let Some(fleet) = super::fleet(cx.pipeline, cx.model) else {
        return Vec::new();
    };
    first
        .regions
        .regions()
        .iter()
        .filter(|r| {
            fleet
                .region(&r.text)
                .is_some_and(|d| d.traffic == Traffic::High)
        })
        .map(|r| {
            Finding::new(
                r.span,
                format!(
                    "the first wave deploys to `{}`, a high-traffic region",
                    r.text
                ),
            )
            .label("traffic high")
            .with_secondary(
                fleet.region(&r.text).map_or(r.span, |d| d.name.span),
                "marked `traffic high` in the fleet",
            )
            .help("start with a `traffic low` or `medium` region and move this one to a later wave")
        })
        .collect()
}
