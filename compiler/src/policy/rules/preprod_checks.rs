//! `preprod-checks`: production is preceded by checks of these kinds.

use std::collections::HashSet;

use crate::diagnostic::Severity;
use crate::model::{CheckKind, StepKind};
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const KINDS: ParamSpec<Vec<CheckKind>> = ParamSpec {
    name: "kinds",
    default: || vec![CheckKind::Unit, CheckKind::Integration],
};

pub const RULE: RuleDef = RuleDef {
    name: "preprod-checks",
    default_severity: Severity::Error,
    params: &[&KINDS],
    explanation: r#"# preprod-checks

Production is preceded — transitively, through the stage graph — by required
checks of these kinds, so that no change reaches a customer without having
passed them.

Why: unit tests catch logic errors in minutes, integration tests catch the
contract errors unit tests cannot; both are far cheaper before production
than after. A stage that runs the checks but that production does not wait
for protects nothing.

```sluice
stage build { check unit "make test" }
stage beta  { deploy "./deploy.sh beta"  check integration "make integ" }
```

Parameter: `kinds` (default `[unit, integration]`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) =
        super::missing_production(cx, "nothing makes its deploys wait for the required checks")
    {
        return vec![finding];
    }
    let p = cx.pipeline;
    let Some(production) = &p.production else {
        return Vec::new();
    };
    let Some(before) = super::before_production(p) else {
        return Vec::new();
    };
    let found: HashSet<CheckKind> = p
        .stages
        .iter()
        .filter(|s| before.contains(s.name.text.as_str()))
        .flat_map(|s| s.steps.iter())
        .filter_map(|step| match step.kind {
            StepKind::Check(k) => Some(k),
            StepKind::Run => None,
        })
        .collect();
    params
        .get(&KINDS)
        .iter()
        .filter(|k| !found.contains(k))
        .map(|k| {
            Finding::new(
                production.span,
                format!("no `{}` check runs before production", k.as_str()),
            )
            .label(format!("no `{}` check before this", k.as_str()))
            .help(format!(
                "add `check {0} \"...\"` to a stage that production waits for (directly or through `after`)",
                k.as_str()
            ))
        })
        .collect()
}
