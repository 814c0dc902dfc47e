//! `rollback-alarms`: what deploys to regions can roll itself back.

use crate::diagnostic::Severity;
use crate::model::{RegionSpec, StageKind};
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const ALARMS: ParamSpec<Vec<String>> = ParamSpec {
    name: "alarms",
    default: Vec::new,
};

pub const RULE: RuleDef = RuleDef {
    name: "rollback-alarms",
    default_severity: Severity::Error,
    params: &[&ALARMS],
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
```

Parameter: `alarms` (default `[]`: any alarm will do) names rollback alarms
every production wave and every stage deploying to regions must watch, so
that a team cannot swap the organisation's alarms for its own:
`rule rollback-alarms { alarms [aggregate-high-sev] }`."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
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
        } else if let Some(missing) =
            super::missing_names(params.get::<Vec<String>>(&ALARMS), &stage.alarms)
        {
            out.push(
                Finding::new(
                    stage.name.span,
                    format!("{what} does not watch the required rollback alarm(s) {missing}"),
                )
                .label("required alarms missing")
                .help(format!("add {missing} to its `alarms`")),
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
