//! `max-lead-time`: a change merged at the worst moment of the week still
//! reaches every region in time.

use jiff::tz::TimeZone;
use sluice_grammar::value::Duration;

use crate::diagnostic::Severity;
use crate::model::Pipeline;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};
use crate::simulate::{worst_start_in_week, SimError, SimOptions};

const MAX: ParamSpec<Duration> = ParamSpec {
    name: "max",
    default: || Duration::from_secs(7 * 86_400),
};

pub const RULE: RuleDef = RuleDef {
    name: "max-lead-time",
    default_severity: Severity::Warning,
    params: &[&MAX],
    explanation: r#"# max-lead-time

The simulated time for a change merged at the worst moment of the week to
reach every region (SPEC 8) stays under `max`. The rule tries every start
hour of the week of `--today` (168 simulations, from Monday 00:00 in the zone
of the first wave's window) with the default deploy and step times, and
reports the worst start and its lead time, pointing at the window that
causes most of the waiting.

Why: safety that makes a fix take weeks to reach customers is not safe. Long
bakes, narrow windows and many waves multiply: a rollout that cannot finish
within a week means emergency fixes bypass it, and that is when it matters
most. Widen the window, shorten late bakes, or merge waves.

```sluice
window business-hours {
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
}
```

Parameter: `max` (default `7d`). Try `sluice timeline PIPELINE --start ...`
to see a rollout hour by hour."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) =
        super::missing_production(cx, "no wave reaches its regions on a schedule")
    {
        return vec![finding];
    }
    let p = cx.pipeline;
    let Some(production) = &p.production else {
        return Vec::new();
    };
    let max = *params.get(&MAX);
    let zone = production
        .waves
        .first()
        .and_then(|w| w.window.as_ref())
        .and_then(|w| cx.model.windows.get(&w.text))
        .and_then(|w| w.timezone.as_ref())
        .and_then(|tz| TimeZone::get(&tz.value).ok())
        .unwrap_or(TimeZone::UTC);
    let offset = i64::from(cx.today.weekday().to_monday_zero_offset());
    let monday = cx
        .today
        .checked_sub(jiff::Span::new().days(offset))
        .unwrap_or(cx.today);
    let Ok(week_start) = monday.to_zoned(zone) else {
        return Vec::new();
    };
    let key = format!("{week_start}|{max}|{}", fingerprint(p));
    cx.memo.get_or(key, || simulate(cx, &week_start, max))
}

/// Everything the simulation reads, with the spans a finding points at;
/// not the pipeline's name: pipelines that inherit the same rollout share
/// one key, and one 168-start simulation. The simulation times the
/// execution plan, which a pipeline naming an undefined alarm or a step
/// without a command does not have: the names and commands the plan looks
/// up are in the key too, so such a pipeline never shares a result with a
/// valid one.
fn fingerprint(p: &Pipeline) -> String {
    let names =
        |list: &[sluice_grammar::Ident]| list.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
    let mut key = format!("{:?}|", p.fleet.as_ref().map(|f| &f.text));
    for stage in p.all_stages() {
        let one_box = stage.one_box.as_ref();
        key.push_str(&format!(
            "{}:{:?}:{:?}:{:?}:{:?}:{:?}:{:?}:{}:{}:{}|",
            stage.name.text,
            stage.after.as_deref().map(names),
            stage.window.as_ref().map(|w| (&w.text, w.span)),
            names(stage.regions.regions()),
            stage
                .rolling
                .as_ref()
                .and_then(|r| r.mode.as_ref())
                .map(|m| m.value),
            one_box
                .and_then(|o| o.bake.as_ref())
                .and_then(|b| b.duration.as_ref())
                .map(|d| d.value),
            stage
                .bake
                .as_ref()
                .and_then(|b| b.duration.as_ref())
                .map(|d| d.value),
            stage.deploy.is_some(),
            stage.steps.len(),
            one_box.is_some(),
        ));
        key.push_str(&format!(
            "{:?}:{:?}:{:?}:{:?}|",
            names(&stage.alarms),
            one_box.map(|o| names(&o.alarms)),
            names(&stage.blockers),
            stage
                .steps
                .iter()
                .map(|s| s.command.is_some())
                .collect::<Vec<_>>(),
        ));
    }
    if let Some(production) = &p.production {
        key.push_str(&format!(
            "{:?}{:?}",
            production.span,
            production.after.as_deref().map(names)
        ));
    }
    key
}

fn simulate(cx: &RuleContext<'_>, week_start: &jiff::Zoned, max: Duration) -> Vec<Finding> {
    let p = cx.pipeline;
    let Some(production) = &p.production else {
        return Vec::new();
    };
    let worst = match worst_start_in_week(p, cx.model, week_start, &SimOptions::default()) {
        Ok(worst) => worst,
        // `sluice check` reports the unknown name or the loop itself: one
        // finding per cause
        Err(SimError::Unplannable { .. } | SimError::Graph { .. }) => return Vec::new(),
        Err(error) => {
            return vec![Finding::new(
                error.span(),
                format!("the rollout cannot be simulated: {error}"),
            )
            .label("never finishes")
            .help("make sure every window opens within two years")]
        }
    };
    let lead = worst.timeline.lead_time_seconds();
    if lead <= max.seconds as i64 {
        return Vec::new();
    }
    let lead_text = days_and_hours(lead);
    let start = worst.start.strftime("%a %Y-%m-%d %H:%M %Z");
    let mut finding = Finding::new(
        worst.cause.as_ref().map_or(production.span, |c| c.span),
        format!("a change merged {start} takes {lead_text} to reach every region; at most {max} allowed"),
    );
    match &worst.cause {
        Some(cause) => {
            let waited = days_and_hours(cause.waited_seconds);
            finding = finding
                .label(format!("waiting {waited} for window `{}`", cause.window))
                .help(format!(
                    "widen window `{}`, shorten the bakes, or use fewer waves; `sluice timeline PIPELINE --start ...` shows where the time goes",
                    cause.window
                ));
        }
        None => {
            finding = finding
                .label("the bakes alone take this long")
                .help("shorten the later bakes or use fewer waves");
        }
    }
    vec![finding]
}

/// `21d1h15m`: lead times run to days, which people count in days.
fn days_and_hours(seconds: i64) -> String {
    let minutes = seconds.max(0) as u64 / 60;
    let (days, rest) = (minutes / (24 * 60), minutes % (24 * 60) * 60);
    match (days, rest) {
        (0, _) => Duration::from_secs(rest).to_string(),
        (_, 0) => format!("{days}d"),
        _ => format!("{days}d{}", Duration::from_secs(rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;
    use crate::simulate::tests::compiled_with_errors;

    /// Two pipelines with the same rollout, one naming an undefined alarm
    /// (no plan, so no simulation): their keys differ, so whichever runs
    /// first cannot decide the other's result.
    #[test]
    fn a_pipeline_without_a_plan_never_shares_a_key_with_a_valid_one() {
        let c = compiled_with_errors(
            r#"
            alarm real { cloudwatch "Errors" }
            pipeline good {
              fleet f
              production { deploy "d" alarms [real] wave 1 { regions [r1] bake 2h } }
            }
            pipeline bad {
              fleet f
              production { deploy "d" alarms [nowhere] wave 1 { regions [r1] bake 2h } }
            }
            "#,
        );
        let key = |name: &str| fingerprint(c.model.pipeline(name).unwrap());
        assert_ne!(key("good"), key("bad"));
    }
}
