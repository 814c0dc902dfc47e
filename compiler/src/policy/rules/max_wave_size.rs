//! `max-wave-size`: no wave deploys too many regions at once.

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MAX_REGIONS: ParamSpec<u64> = ParamSpec {
    name: "max-regions",
    default: || 12,
};

const MAX_SHARE: ParamSpec<u32> = ParamSpec {
    name: "max-share",
    default: || 50,
};

pub const RULE: RuleDef = RuleDef {
    name: "max-wave-size",
    default_severity: Severity::Error,
    params: &[&MAX_REGIONS, &MAX_SHARE],
    explanation: r#"# max-wave-size

No wave deploys more than `max-regions` regions, or more than `max-share` of
the fleet's regions, at once.

Why: even late in a rollout, a bad change that slipped past every bake hits
everything in the wave at the same moment. Capping the wave size keeps some
of the fleet on the old version, so that an incident never becomes a global
outage.

```sluice
wave 4 { regions [eu-central-1, ap-southeast-2, sa-east-1] }
wave 5 { regions rest }
```

Parameters: `max-regions` (default `12`), `max-share` (default `50%`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "its regions are not split into waves") {
        return vec![finding];
    }
    let max_regions = *params.get(&MAX_REGIONS) as usize;
    let share = *params.get(&MAX_SHARE) as usize;
    let fleet_size = super::fleet(cx.pipeline, cx.model).map_or(0, |f| f.regions.len());
    let mut out = Vec::new();
    for wave in super::waves(cx.pipeline) {
        let count = wave.regions.regions().len();
        if count > max_regions {
            out.push(
                Finding::new(
                    super::regions_span(wave),
                    format!(
                        "{} deploys {count} regions at once; at most {max_regions} allowed",
                        super::wave_label(wave)
                    ),
                )
                .label(format!("{count} regions"))
                .help("split this wave into smaller waves"),
            );
        } else if fleet_size > 0 && count * 100 > share * fleet_size {
            out.push(
                Finding::new(
                    super::regions_span(wave),
                    format!(
                        "{} deploys {count} of the fleet's {fleet_size} regions at once; at most {share}% allowed",
                        super::wave_label(wave)
                    ),
                )
                .label(format!("{}% of the fleet", count * 100 / fleet_size))
                .help("split this wave so that no wave holds more than that share of the fleet"),
            );
        }
    }
    out
}
