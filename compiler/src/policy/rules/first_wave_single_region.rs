//! `first-wave-single-region`: the first wave deploys to few regions.

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MAX: ParamSpec<u64> = ParamSpec {
    name: "max",
    default: || 1,
};

pub const RULE: RuleDef = RuleDef {
    name: "first-wave-single-region",
    default_severity: Severity::Error,
    params: &[&MAX],
    explanation: r#"# first-wave-single-region

The first production wave deploys to at most N regions (default one).

Why: the first wave is where a change meets real traffic for the first time.
If it is bad, the damage is bounded by the size of that wave; one region
limits the blast radius to a single region's customers while the bake
watches for trouble.

```sluice
production {
  wave 1 { regions [us-west-1] bake 12h }
  wave 2 { regions [us-east-2, eu-west-1] bake 4h }
}
```

Parameter: `max` (default `1`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no small first wave limits a bad change")
    {
        return vec![finding];
    }
    let max = *params.get(&MAX) as usize;
    let Some(first) = super::waves(cx.pipeline).first() else {
        return Vec::new();
    };
    let count = first.regions.regions().len();
    if count <= max {
        return Vec::new();
    }
    vec![Finding::new(
        super::regions_span(first),
        format!("the first wave deploys to {count} regions; at most {max} allowed"),
    )
    .label(format!("{count} regions at once"))
    .help(format!(
        "deploy the first wave to at most {max} region(s) and move the others to a later wave"
    ))]
}
