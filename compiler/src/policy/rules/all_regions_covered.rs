//! `all-regions-covered`: production reaches every fleet region.

use std::collections::HashSet;

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const FLEETS: ParamSpec<Vec<String>> = ParamSpec {
    name: "fleets",
    default: Vec::new,
};

pub const RULE: RuleDef = RuleDef {
    name: "all-regions-covered",
    default_severity: Severity::Error,
    params: &[&FLEETS],
    explanation: r#"# all-regions-covered

Production reaches every region of the pipeline's fleet exactly once.

Why: a region that no wave names never gets the change — it silently drifts
behind, and the next deployment there carries weeks of changes at once. A
region named twice is reported by `region-overlap`.

```sluice
production {
  wave 1 { regions [us-west-1] }
  wave 2 { regions rest }       # every region no other wave names
}
```

Parameter: `fleets` (default `[]`: any fleet) names the fleets a pipeline
may deploy to, so that a team cannot cover "every region" of a fleet of its
own with fewer regions: `rule all-regions-covered { fleets [acme-cloud] }`."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave reaches its regions") {
        return vec![finding];
    }
    let allowed = params.get(&FLEETS);
    if let Some(named) = cx.pipeline.fleet.as_ref() {
        if !allowed.is_empty() && !allowed.contains(&named.text) {
            let list = allowed
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return vec![Finding::new(
                named.span,
                format!(
                    "fleet `{}` is not one the policy allows ({list})",
                    named.text
                ),
            )
            .label("not an allowed fleet")
            .help(format!("deploy to one of {list}"))];
        }
    }
    let Some(production) = &cx.pipeline.production else {
        return Vec::new();
    };
    let Some(fleet) = super::fleet(cx.pipeline, cx.model) else {
        return Vec::new();
    };
    let reached: HashSet<&str> = production
        .waves
        .iter()
        .flat_map(|w| w.regions.regions())
        .map(|r| r.text.as_str())
        .collect();
    let missing: Vec<&str> = fleet
        .regions
        .iter()
        .map(|r| r.name.text.as_str())
        .filter(|r| !reached.contains(r))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let list = missing
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![Finding::new(
        production.span,
        format!(
            "production never deploys to {} region(s) of fleet `{}`: {list}",
            missing.len(),
            fleet.name.text
        ),
    )
    .label("regions left behind")
    .help("add the regions to a wave, or end with `wave N { regions rest }`")]
}
