//! `emergency-approval`: emergency runs are approved and still bake.

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const MIN_SCALE: ParamSpec<u32> = ParamSpec {
    name: "min-scale",
    default: || 10,
};

pub const RULE: RuleDef = RuleDef {
    name: "emergency-approval",
    default_severity: Severity::Error,
    params: &[&MIN_SCALE],
    explanation: r#"# emergency-approval

An `emergency` mode names who must approve an emergency run, and scales the
bakes down to no less than `min-scale` of their normal length.

Why: emergencies are when shortcuts are most tempting and most dangerous.
A named approver makes an emergency run a deliberate decision, and keeping
some bake means even the fix for an outage gets watched before it reaches
every region.

```sluice
emergency { bake-scale 25%  approvers ["@org/sre-leads"] }
```

Parameter: `min-scale` (default `10%`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    let Some(emergency) = &cx.pipeline.emergency else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if emergency.approvers.is_empty() {
        out.push(
            Finding::new(emergency.span, "the emergency mode names no approvers")
                .label("anyone could start it")
                .help("add `approvers [\"@org/team\"]` to `emergency`"),
        );
    }
    let min = *params.get(&MIN_SCALE);
    if let Some(scale) = emergency.bake_scale.as_ref().filter(|s| s.value < min) {
        out.push(
            Finding::new(
                scale.span,
                format!(
                    "emergency runs bake only {}% of the normal time; at least {min}% required",
                    scale.value
                ),
            )
            .label("too little bake")
            .help(format!("use `bake-scale {min}%` or more")),
        );
    }
    out
}
