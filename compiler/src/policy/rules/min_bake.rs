//! `min-bake`: production bakes are long enough.

use sluice_grammar::value::Duration;

use crate::diagnostic::Severity;
use sluice_grammar::Span;

use crate::model::Bake;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const ONE_BOX: ParamSpec<Duration> = ParamSpec {
    name: "one-box",
    default: || Duration::from_secs(3600),
};

const FIRST_WAVE: ParamSpec<Duration> = ParamSpec {
    name: "first-wave",
    default: || Duration::from_secs(12 * 3600),
};

const WAVE: ParamSpec<Duration> = ParamSpec {
    name: "wave",
    default: || Duration::from_secs(2 * 3600),
};

pub const RULE: RuleDef = RuleDef {
    name: "min-bake",
    default_severity: Severity::Error,
    params: &[&ONE_BOX, &FIRST_WAVE, &WAVE],
    explanation: r#"# min-bake

Production bakes last at least: `one-box` for every wave's one-box, 
`first-wave` for the first wave, and `wave` for every later wave.

Why: many failures take time to show — a memory leak, a daily batch job, the
morning traffic peak, a certificate cache that expires. A bake is the time a
change runs under real traffic, watched by alarms, before it goes further.
The first wave bakes longest because it is the first real evidence.

```sluice
production {
  one-box { bake 1h }
  wave 1 { regions [us-west-1] bake 12h }
  wave 2 { regions [us-east-2] bake 2h }
}
```

Parameters: `one-box` (default `1h`), `first-wave` (`12h`), `wave` (`2h`)."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave bakes") {
        return vec![finding];
    }
    let mut out = Vec::new();
    for (i, wave) in super::waves(cx.pipeline).iter().enumerate() {
        let (what, min) = if i == 0 {
            (
                format!("the first wave, {},", super::wave_label(wave)),
                *params.get(&FIRST_WAVE),
            )
        } else {
            (super::wave_label(wave), *params.get(&WAVE))
        };
        out.extend(short(
            wave.bake.as_ref(),
            wave.name.span,
            &what,
            min,
            "bake",
        ));
        if let Some(one_box) = &wave.one_box {
            // one message for every wave that shares a one-box from `production`
            let min = *params.get(&ONE_BOX);
            out.extend(short(
                one_box.bake.as_ref(),
                one_box.span,
                "a one-box",
                min,
                "one-box { bake",
            ));
        }
    }
    out
}

fn short(
    bake: Option<&Bake>,
    owner: Span,
    what: &str,
    min: Duration,
    syntax: &str,
) -> Option<Finding> {
    let close = if syntax.contains('{') { " }" } else { "" };
    match bake.and_then(|b| b.duration.as_ref()) {
        Some(d) if d.value >= min => None,
        Some(d) => Some(
            Finding::new(
                d.span,
                format!("{what} bakes only {}; at least {min} required", d.value),
            )
            .label(format!("shorter than {min}"))
            .help(format!("bake at least `{syntax} {min}{close}`")),
        ),
        None => Some(
            Finding::new(
                owner,
                format!("{what} does not bake; at least {min} required"),
            )
            .label("no bake")
            .help(format!("add `{syntax} {min}{close}`")),
        ),
    }
}
