//! `window`: open now, opening later, holidays and freezes, both
//! daylight-saving changes, the maximum wait, and agreement with the
//! timeline's window clock.

use sluice_grammar::value::{Day, Duration, Time};
use sluice_targets::gates::{Allow, WindowGate};

use crate::harness::{at, Sandbox, Shell, SHELLS};
use crate::{business_hours, secs, strs, LA};

/// The window gate of a compiled window, the way the plan describes it:
/// calendars expanded into days.
fn gate_of(name: &str, model: &sluice_compiler::model::Model, max_wait: Duration) -> WindowGate {
    let window = &model.windows[name];
    let days = |rule: &sluice_compiler::model::AllowRule| {
        Day::ALL[rule.first_day.index()..=rule.last_day.index()].to_vec()
    };
    let holidays = window.deny_calendars.iter().flat_map(|c| {
        model.calendars[&c.text]
            .days
            .iter()
            .map(|h| (h.date, h.date))
    });
    WindowGate {
        name: name.to_string(),
        zone: window.timezone.as_ref().unwrap().value.clone(),
        allow: window
            .allow
            .iter()
            .map(|rule| Allow {
                days: days(rule),
                from: rule.from,
                to: rule.to,
            })
            .collect(),
        deny: holidays
            .chain(window.deny_dates.iter().map(|d| (d.from, d.to)))
            .collect(),
        max_wait,
    }
}

/// Compiles one source file written into the sandbox.
fn compile(sandbox: &Sandbox, text: &str) -> sluice_compiler::Compilation {
    let source = sandbox.dir.join("windows.sluice");
    std::fs::write(&source, text).unwrap();
    let compilation = sluice_compiler::compile(&sluice_compiler::Options {
        paths: vec![source],
        policies: Vec::new(),
        today: jiff::civil::date(2026, 1, 1),
    })
    .unwrap();
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    compilation
}

#[test]
fn an_open_window_passes_at_once() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("window-open", shell);
        let now = at("2026-06-10T10:00:00[America/Los_Angeles]");
        sandbox.gates(now, &strs(&business_hours("7d"))).expect(0).says(
            "window 'business-hours' is open: 2026-06-10 Wed 10:00 PDT in America/Los_Angeles (waited 0s)",
        );
    }
}

#[test]
fn a_closed_window_is_polled_until_it_opens() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("window-opens", shell);
        let now = at("2026-06-10T08:57:30[America/Los_Angeles]");
        sandbox
            .gates(now, &strs(&business_hours("7d")))
            .expect(0)
            .says("window 'business-hours' is closed at 2026-06-10 Wed 08:57 PDT in America/Los_Angeles (outside the allowed hours); checking every minute, for at most 7d")
            .says("is open: 2026-06-10 Wed 09:00 PDT in America/Los_Angeles (waited 2m30s)");
        // Half-open: 12:00 on a Friday is already closed.
        let friday = at("2026-06-12T11:59:59[America/Los_Angeles]");
        sandbox
            .gates(friday, &strs(&business_hours("0s")))
            .expect(0);
        sandbox
            .gates(friday + 1, &strs(&business_hours("0s")))
            .expect(1);
    }
}

#[test]
fn a_holiday_is_closed_all_day_and_the_window_opens_the_day_after() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("window-holiday", shell);
        let thanksgiving = at("2026-11-26T10:00:00[America/Los_Angeles]");
        sandbox
            .gates(thanksgiving, &strs(&business_hours("1h")))
            .expect(1)
            .says("window 'business-hours' did not open within 1h: still closed at 2026-11-26 Thu 11:00 PST in America/Los_Angeles (2026-11-26 is a denied day)");
        // Before the holiday's opening hour: the next start is Friday.
        let morning = at("2026-11-26T08:30:00[America/Los_Angeles]");
        sandbox
            .gates(morning, &strs(&business_hours("7d")))
            .expect(0)
            .says(
                "still closed at 2026-11-26 Thu 10:30 PST (2026-11-26 is a denied day); waited 2h",
            )
            .says("is open: 2026-11-27 Fri 09:00 PST in America/Los_Angeles (waited 24h30m)");
        // A denied range covers every day from its first to its last.
        for (day, status) in [
            ("2026-12-18T10:00:00", 0),
            ("2026-12-21T10:00:00", 1),
            ("2027-01-04T10:00:00", 1),
            ("2027-01-05T10:00:00", 0),
        ] {
            let now = at(&format!("{day}[America/Los_Angeles]"));
            sandbox
                .gates(now, &strs(&business_hours("0s")))
                .expect(status);
        }
    }
}

#[test]
fn windows_follow_daylight_saving_time() {
    let window = |allow: &str, max_wait: &str| {
        [
            "window",
            "--name",
            "night",
            "--zone",
            LA,
            "--allow",
            allow,
            "--max-wait",
            max_wait,
        ]
        .map(String::from)
        .to_vec()
    };
    for shell in SHELLS {
        let sandbox = Sandbox::new("window-dst", shell);
        // Spring forward: 02:00 PST is 03:00 PDT. Adding the winter offset
        // to the instant would call it 02:00 and keep the window shut.
        let before = at("2026-03-08T01:59:30-08:00[America/Los_Angeles]");
        sandbox
            .gates(before, &strs(&window("sun 03:00-04:00", "1h")))
            .expect(0)
            .says("closed at 2026-03-08 Sun 01:59 PST")
            .says("window 'night' is open: 2026-03-08 Sun 03:00 PDT in America/Los_Angeles (waited 30s)");
        // 02:00-03:00 does not exist that night: never open.
        let run = sandbox.gates(
            at("2026-03-08T01:00:00-08:00[America/Los_Angeles]"),
            &strs(&window("sun 02:00-03:00", "3h")),
        );
        run.expect(1)
            .says("still closed at 2026-03-08 Sun 03:00 PDT")
            .says("did not open within 3h: still closed at 2026-03-08 Sun 05:00 PDT");
        assert!(!run.stderr.contains("Sun 02:"), "{}", run.stderr);
        // Fall back: 01:00-02:00 happens twice; missing the first 01:30
        // (daylight time) waits for the second (standard time).
        let after_first = at("2026-11-01T01:50:00-07:00[America/Los_Angeles]");
        sandbox
            .gates(after_first, &strs(&window("sun 01:30-01:45", "1h")))
            .expect(0)
            .says("closed at 2026-11-01 Sun 01:50 PDT")
            .says("window 'night' is open: 2026-11-01 Sun 01:30 PST in America/Los_Angeles (waited 40m)");
    }
}

#[test]
fn a_bsd_date_is_detected_and_used() {
    let sandbox = Sandbox::new("bsd-date", Shell::Dash).with_bsd_date();
    let before = at("2026-03-08T01:59:30-08:00[America/Los_Angeles]");
    let args = [
        "window",
        "--name",
        "night",
        "--zone",
        LA,
        "--allow",
        "sun 03:00-04:00",
    ];
    let run = sandbox.gates(before, &args);
    run.expect(0).says(
        "window 'night' is open: 2026-03-08 Sun 03:00 PDT in America/Los_Angeles (waited 30s)",
    );
    let dates = run.calls_to("date");
    assert_eq!(dates[0].args[..2], ["-d", "@0"], "GNU style tried first");
    let opened = (before + 30).to_string();
    assert!(
        dates.iter().any(|c| c.args[..2] == ["-r", opened.as_str()]),
        "{dates:?}"
    );
}

#[test]
fn a_window_that_never_opens_fails_after_the_maximum_wait() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("window-max-wait", shell);
        let now = at("2026-06-10T10:00:00[America/Los_Angeles]");
        let args = [
            "window",
            "--name",
            "freeze",
            "--zone",
            LA,
            "--max-wait",
            "2h",
        ];
        sandbox
            .gates(now, &args)
            .expect(1)
            .says("window 'freeze' did not open within 2h: still closed at 2026-06-10 Wed 12:00 PDT in America/Los_Angeles (the window has no allow interval)");
        // Friday noon to midnight: nothing opens.
        let friday = at("2026-06-12T12:00:00[America/Los_Angeles]");
        sandbox
            .gates(friday, &strs(&business_hours("12h")))
            .expect(1)
            .says("window 'business-hours' did not open within 12h: still closed at 2026-06-13 Sat 00:00 PDT");
    }
}

/// The library and `sluice timeline` (the compiler's window clock) agree
/// on when the same window is open, around holidays, a freeze and both
/// daylight-saving changes.
#[test]
fn the_window_gate_agrees_with_the_timeline_clock() {
    let sandbox = Sandbox::new("window-vs-clock", Shell::Dash);
    let compilation = compile(
        &sandbox,
        r#"
calendar holidays {
  2026-11-26 "Thanksgiving"
  2026-12-25 "Christmas Day"
}

window business-hours {
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
  allow sun 01:30-02:30
  deny calendar holidays
  deny 2026-12-19..2027-01-04 "year-end freeze"
}
"#,
    );
    let model = &compilation.model;
    let gate = gate_of("business-hours", model, secs(0));
    let window = &model.windows["business-hours"];
    let mut clock = sluice_compiler::simulate::WindowClock::new(window, model).unwrap();

    let mut instants = Vec::new();
    let mut sweep = |from: &str, hours: i64, step_minutes: i64| {
        let start = at(from);
        instants.extend((0..hours * 60 / step_minutes).map(|k| start + k * step_minutes * 60));
    };
    sweep("2026-03-07T23:00:00-08:00[America/Los_Angeles]", 6, 10);
    sweep("2026-11-01T00:00:00-07:00[America/Los_Angeles]", 5, 10);
    sweep("2026-11-25T08:00:00[America/Los_Angeles]", 72, 50);
    sweep("2026-12-18T08:00:00[America/Los_Angeles]", 26, 60);
    sweep("2027-01-04T15:00:00[America/Los_Angeles]", 24, 45);
    sweep("2026-06-01T00:00:00[America/Los_Angeles]", 24 * 14, 247);

    let args = gate.args();
    for t in instants {
        let expected = clock.next_open(t, 1) == Some(t);
        let run = sandbox.gates(t, &strs(&args));
        assert_eq!(
            run.status == 0,
            expected,
            "at {t}: the timeline says open = {expected}\n{}",
            run.stderr
        );
    }
}

#[test]
fn window_arguments_follow_the_contract() {
    let sandbox = Sandbox::new("window-args", Shell::Dash);
    let compilation = compile(
        &sandbox,
        r#"
calendar holidays {
  2026-11-26 "Thanksgiving"
  2026-12-25 "Christmas Day"
}
window business-hours {
  timezone "America/Los_Angeles"
  allow mon..thu 09:00-16:00
  allow fri 09:00-12:00
  deny calendar holidays
  deny 2026-12-19..2027-01-04 "year-end freeze"
}
"#,
    );
    let gate = gate_of("business-hours", &compilation.model, secs(7 * 86_400));
    assert_eq!(strs(&gate.args()), strs(&business_hours("7d")));
    // Days that are not one run become a list, which the library reads.
    let weekend = WindowGate {
        name: "weekend".to_string(),
        zone: LA.to_string(),
        allow: vec![Allow {
            days: vec![Day::Mon, Day::Wed, Day::Thu, Day::Sat, Day::Sun],
            from: Time::parse("10:00").unwrap(),
            to: Time::parse("24:00").unwrap(),
        }],
        deny: vec![],
        max_wait: secs(0),
    };
    let args = weekend.args();
    assert_eq!(strs(&args)[6], "mon,wed..thu,sat..sun 10:00-24:00");
    for (day, status) in [
        ("2026-06-08T23:59:59", 0), // Monday
        ("2026-06-09T12:00:00", 1), // Tuesday
        ("2026-06-11T10:00:00", 0), // Thursday
        ("2026-06-12T12:00:00", 1), // Friday
        ("2026-06-14T09:59:59", 1), // Sunday, too early
        ("2026-06-14T10:00:00", 0),
    ] {
        let now = at(&format!("{day}[America/Los_Angeles]"));
        sandbox.gates(now, &strs(&args)).expect(status);
    }
}

#[test]
fn an_unknown_zone_is_an_error_not_utc() {
    let run = Sandbox::new("window-zone", Shell::Dash).gates(
        0,
        &[
            "window",
            "--name",
            "w",
            "--zone",
            "Mars/Olympus",
            "--allow",
            "mon 09:00-10:00",
        ],
    );
    run.expect(2)
        .says("unknown time zone 'Mars/Olympus': not in the tz database");
}
