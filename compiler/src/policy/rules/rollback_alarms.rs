//! `rollback-alarms`: what deploys to regions can roll itself back.

use crate::diagnostic::Severity;
use crate::model::{RegionSpec, StageKind};
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "rollback-alarms",
    default_severity: Severity::Error,
    params: &[],
    explanation: r#"# rollback-alarms

Every production wave, and every stage that deploys to regions, has at least
one rollback alarm and a `rollback` command.

Why: a deployment that cannot notice it is failing, or cannot undo itself,
waits for a human to be paged. Automatic rollback on an alarm turns a bad
change into minutes of impact in one region instead of an incident.

```sluice
production {
  rollback "./rollback.sh --region ${region}"
  alarms [aggregate-high-sev]
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave rolls back on an alarm") {
        return vec![finding];
    }
    let mut out = Vec::new();
    for stage in cx.pipeline.all_stages() {
        let deploys_regions = stage.deploy.is_some() && !matches!(stage.regions, RegionSpec::None);
        if stage.kind == StageKind::Stage && !deploys_regions {
            continue;
        }
        let what = match stage.kind {
            StageKind::Stage => format!("stage `{}`", stage.name.text),
            StageKind::Wave => super::wave_label(stage),
        };
        if stage.alarms.is_empty() {
            out.push(
                Finding::new(stage.name.span, format!("{what} has no rollback alarm"))
                    .label("no `alarms`")
                    .help("add `alarms [...]` naming the alarms that must roll the region back"),
            );
        }
        if stage.rollback.is_none() {
            out.push(
                Finding::new(stage.name.span, format!("{what} has no `rollback` command"))
                    .label("no `rollback`")
                    .help("add `rollback \"./rollback.sh --region ${region}\"`"),
            );
        }
    }
    out
}
