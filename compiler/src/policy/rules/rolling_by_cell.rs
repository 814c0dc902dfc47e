//! `rolling-by-cell`: regions with cells roll one cell at a time.

use crate::diagnostic::Severity;
use crate::model::RollingMode;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "rolling-by-cell",
    default_severity: Severity::Warning,
    params: &[],
    explanation: r#"# rolling-by-cell

Every production wave whose regions have cells rolls out one cell at a time.

Why: cells (availability zones, or a service's own shards) are built to fail
independently. Deploying one cell at a time keeps that independence during a
deployment: a bad change takes down one cell, which the others absorb.

```sluice
production {
  rolling { by cell }
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave rolls out cell by cell") {
        return vec![finding];
    }
    let Some(fleet) = super::fleet(cx.pipeline, cx.model) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for wave in super::waves(cx.pipeline) {
        let has_cells = wave
            .regions
            .regions()
            .iter()
            .any(|r| fleet.region(&r.text).is_some_and(|d| !d.cells.is_empty()));
        let mode = wave.rolling.as_ref().and_then(|r| r.mode.as_ref());
        if !has_cells || mode.is_some_and(|m| m.value == RollingMode::ByCell) {
            continue;
        }
        let span = mode.map_or(wave.name.span, |m| m.span);
        out.push(
            Finding::new(
                span,
                format!(
                    "{} does not roll out cell by cell although its regions have cells",
                    super::wave_label(wave)
                ),
            )
            .label("not `by cell`")
            .help("use `rolling { by cell }`"),
        );
    }
    out
}
