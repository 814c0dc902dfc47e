//! `business-hours`: windows open only when people are at work.

use std::collections::BTreeSet;

use sluice_grammar::value::{Day, Time};

use crate::diagnostic::Severity;
use crate::model::{AllowRule, Window};
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const EARLIEST: ParamSpec<Time> = ParamSpec {
    name: "earliest",
    default: || Time { minutes: 9 * 60 },
};

const LATEST: ParamSpec<Time> = ParamSpec {
    name: "latest",
    default: || Time { minutes: 17 * 60 },
};

const FRIDAY_LATEST: ParamSpec<Time> = ParamSpec {
    name: "friday-latest",
    default: || Time { minutes: 12 * 60 },
};

const DAYS: ParamSpec<Vec<Day>> = ParamSpec {
    name: "days",
    default: || vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
};

const TIMEZONES: ParamSpec<Vec<String>> = ParamSpec {
    name: "timezones",
    default: Vec::new,
};

const CALENDARS: ParamSpec<Vec<String>> = ParamSpec {
    name: "calendars",
    default: Vec::new,
};

pub const RULE: RuleDef = RuleDef {
    name: "business-hours",
    default_severity: Severity::Warning,
    params: &[
        &EARLIEST,
        &LATEST,
        &FRIDAY_LATEST,
        &DAYS,
        &TIMEZONES,
        &CALENDARS,
    ],
    explanation: r#"# business-hours

The windows of production waves open only on working days, between
`earliest` and `latest`, and close early on Fridays (`friday-latest`).

Why: a rollout started late in the day bakes overnight with nobody watching,
and one started on Friday afternoon fails into the weekend. Starting early in
the working day leaves hours for the people who own the service to notice
and fix what the alarms do not catch.

```sluice
window business-hours {
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
}
```

Parameters: `earliest` (default `09:00`), `latest` (`17:00`),
`friday-latest` (`12:00`), `days` (`[mon, tue, wed, thu, fri]`),
`timezones` (default `[]`: any) — the time zones a window may be written in,
so that a team cannot move "09:00" to the other side of the world — and
`calendars` (default `[]`: none) — holiday calendars every window must
`deny`:

```sluice
rule business-hours {
  timezones ["America/Los_Angeles", "Europe/Dublin"]
  calendars [us-holidays-2026]
}
```"#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    if let Some(finding) = super::missing_production(cx, "no wave starts within business hours") {
        return vec![finding];
    }
    let windows: BTreeSet<&str> = super::waves(cx.pipeline)
        .iter()
        .filter_map(|w| w.window.as_ref())
        .map(|w| w.text.as_str())
        .collect();
    let mut out = Vec::new();
    for name in windows {
        let Some(window) = cx.model.windows.get(name) else {
            continue;
        };
        out.extend(pinned(name, window, params));
        for allow in &window.allow {
            if let Some(problem) = problem(allow, params) {
                out.push(
                    Finding::new(allow.span, format!("window `{name}` {problem}"))
                        .label("outside business hours")
                        .help(format!(
                            "allow starts only on {} from {} to {} ({} on Fridays)",
                            params
                                .get(&DAYS)
                                .iter()
                                .map(|d| d.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            *params.get(&EARLIEST),
                            *params.get(&LATEST),
                            *params.get(&FRIDAY_LATEST),
                        )),
                );
            }
        }
    }
    out
}

/// The time zone and holiday calendars the policy pins.
fn pinned(name: &str, window: &Window, params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    let zones = params.get::<Vec<String>>(&TIMEZONES);
    if !zones.is_empty() {
        if let Some(tz) = window
            .timezone
            .as_ref()
            .filter(|tz| !zones.contains(&tz.value))
        {
            let list = zones
                .iter()
                .map(|z| format!("`{z}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::new(
                    tz.span,
                    format!("window `{name}` keeps time in `{}`, not a time zone the policy allows ({list})", tz.value),
                )
                .label("time zone not allowed")
                .help(format!("use one of {list}")),
            );
        }
    }
    if let Some(missing) = super::missing_names(
        params.get::<Vec<String>>(&CALENDARS),
        &window.deny_calendars,
    ) {
        out.push(
            Finding::new(
                window.name.span,
                format!("window `{name}` does not deny the required holiday calendar(s) {missing}"),
            )
            .label("required holidays missing")
            .help(format!("add `deny calendar NAME` for {missing}")),
        );
    }
    out
}

fn problem(allow: &AllowRule, params: &Params) -> Option<String> {
    let days = Day::ALL
        [allow.first_day.index()..=allow.last_day.index().max(allow.first_day.index())]
        .to_vec();
    if let Some(day) = days.iter().find(|d| !params.get(&DAYS).contains(d)) {
        return Some(format!("opens on `{}`, not a working day", day.as_str()));
    }
    if allow.from < *params.get(&EARLIEST) {
        return Some(format!(
            "opens at {}, before {}",
            allow.from,
            *params.get(&EARLIEST)
        ));
    }
    let latest = *params.get(&LATEST);
    if allow.to > latest {
        return Some(format!("stays open until {}, after {latest}", allow.to));
    }
    let friday_latest = *params.get(&FRIDAY_LATEST);
    if days.contains(&Day::Fri) && allow.to > friday_latest {
        return Some(format!(
            "stays open on Friday until {}, after {friday_latest}",
            allow.to
        ));
    }
    None
}
