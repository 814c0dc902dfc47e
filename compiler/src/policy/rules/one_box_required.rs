//! `one-box-required`: every wave deploys through a one-box.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "one-box-required",
    default_severity: Severity::Error,
    params: &[],
    explanation: r#"# one-box-required

Every production wave deploys to a single box first and bakes it before the
rest of the region.

Why: a one-box takes a small share of a region's traffic. A change that
crashes, leaks or errors shows itself there while the rest of the region is
still on the old version, and the rollback touches one machine instead of a
region.

```sluice
production {
  one-box { bake 1h }     # inherited by every wave
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave deploys through a one-box") {
        return vec![finding];
    }
    super::waves(cx.pipeline)
        .iter()
        .filter(|w| w.one_box.is_none())
        .map(|w| {
            Finding::new(w.name.span, format!("{} deploys without a one-box", super::wave_label(w)))
                .label("no `one-box`")
                .help("add `one-box { bake 1h }` to `production` (every wave inherits it) or to this wave")
        })
        .collect()
}
