//! `max-batch`: batches are small shares of capacity.

use crate::diagnostic::Severity;
use crate::model::RollingMode;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MAX: ParamSpec<u32> = ParamSpec {
    name: "max",
    default: || 33,
};

pub const RULE: RuleDef = RuleDef {
    name: "max-batch",
    default_severity: Severity::Error,
    params: &[&MAX],
    explanation: r#"# max-batch

`rolling { batch N% }` deploys at most this share of a region's capacity at
once.

Why: while a batch is being replaced it serves no traffic, and if the new
version is bad the batch fails together. Small batches keep enough healthy
capacity to carry the load and to absorb a bad batch.

```sluice
rolling { batch 25% }
```

Parameter: `max` (default `33%`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    let max = *params.get(&MAX);
    cx.pipeline
        .all_stages()
        .filter_map(|s| s.rolling.as_ref()?.mode.as_ref())
        .filter_map(|m| match m.value {
            RollingMode::Batch(n) if n > max => Some(
                Finding::new(
                    m.span,
                    format!("batches of {n}% are larger than the {max}% allowed"),
                )
                .label(format!("{n}% at once"))
                .help(format!(
                    "use `batch {max}%` or less, or `rolling {{ by cell }}`"
                )),
            ),
            _ => None,
        })
        .collect()
}
