//! `wave-growth`: waves never shrink.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "wave-growth",
    default_severity: Severity::Error,
    params: &[],
    explanation: r#"# wave-growth

The number of regions never decreases from one wave to the next.

Why: a staggered rollout builds confidence as it goes: each wave's bake is
evidence for a bigger next step. A wave smaller than the one before it spends
bake time without buying confidence, and usually means regions were put in
the wrong wave.

```sluice
wave 1 { regions [us-west-1] }
wave 2 { regions [us-east-2] }
wave 3 { regions [eu-west-1, ap-northeast-1, us-west-2] }
wave 4 { regions rest }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) =
        super::missing_production(cx, "its regions are not reached in growing waves")
    {
        return vec![finding];
    }
    super::waves(cx.pipeline)
        .windows(2)
        .filter_map(|pair| {
            let (before, after) = (
                pair[0].regions.regions().len(),
                pair[1].regions.regions().len(),
            );
            (after < before).then(|| {
                Finding::new(
                    super::regions_span(&pair[1]),
                    format!(
                        "{} deploys {after} region(s), fewer than the {before} of {}",
                        super::wave_label(&pair[1]),
                        super::wave_label(&pair[0])
                    ),
                )
                .label("the rollout shrinks here")
                .with_secondary(
                    super::regions_span(&pair[0]),
                    format!("{before} region(s) here"),
                )
                .help("order the waves from the fewest regions to the most")
            })
        })
        .collect()
}
