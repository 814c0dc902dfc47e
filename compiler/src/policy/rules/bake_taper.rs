//! `bake-taper`: later waves do not bake longer than earlier ones.

use crate::diagnostic::Severity;
use crate::policy::params::Params;
use crate::policy::rule::{Finding, RuleContext, RuleDef};

pub const RULE: RuleDef = RuleDef {
    name: "bake-taper",
    default_severity: Severity::Warning,
    params: &[],
    explanation: r#"# bake-taper

No wave bakes longer than an earlier wave.

Why: confidence grows with every wave that baked cleanly, so later waves need
less waiting, not more. A later wave with a longer bake usually means the
first waves bake too little — the place where waiting buys the most safety.

```sluice
wave 1 { bake 12h }
wave 2 { bake 4h }
wave 3 { bake 2h }
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, _: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave bakes") {
        return vec![finding];
    }
    let mut out = Vec::new();
    let mut shortest: Option<(&crate::model::Stage, u64)> = None;
    for wave in super::waves(cx.pipeline) {
        let Some(d) = wave.bake.as_ref().and_then(|b| b.duration.as_ref()) else {
            continue;
        };
        if let Some((earlier, seconds)) = shortest {
            if d.value.seconds > seconds {
                let earlier_span = earlier
                    .bake
                    .as_ref()
                    .and_then(|b| b.duration.as_ref())
                    .map_or(earlier.name.span, |e| e.span);
                out.push(
                    Finding::new(
                        d.span,
                        format!(
                            "{} bakes {} — longer than {}",
                            super::wave_label(wave),
                            d.value,
                            super::wave_label(earlier)
                        ),
                    )
                    .label("longer than an earlier wave")
                    .with_secondary(earlier_span, "the earlier, shorter bake")
                    .help("bake the earlier waves longer, or this one shorter"),
                );
            }
        }
        if shortest.is_none_or(|(_, s)| d.value.seconds < s) {
            shortest = Some((wave, d.value.seconds));
        }
    }
    out
}
