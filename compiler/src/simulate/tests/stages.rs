//! Starts against windows, through whole pipelines.

use super::{compiled, run, times, BUILD_THEN_WAVE};
use crate::simulate::{simulate, SimError, SimOptions};

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn a_start_inside_the_window_does_not_wait() {
    let c = compiled(BUILD_THEN_WAVE);
    let t = run(&c.model, "2026-11-24T10:00[America/Los_Angeles]");
    assert_eq!(
        times(&t, "build"),
        pair("Tue 2026-11-24T10:00", "Tue 2026-11-24T10:10")
    );
    assert_eq!(
        times(&t, "wave 1"),
        pair("Tue 2026-11-24T10:10", "Tue 2026-11-24T11:25")
    );
    assert_eq!(t.lead_time_seconds(), 3600 + 25 * 60);
    assert!(t.stages.iter().all(|s| s.waited_seconds() == 0));
    assert_eq!(t.stages[1].name, "production");
    assert_eq!(t.stages[1].wave.as_deref(), Some("1"));
}

#[test]
fn a_start_outside_the_window_waits_for_the_next_opening() {
    let c = compiled(BUILD_THEN_WAVE);
    let t = run(&c.model, "2026-11-24T17:00[America/Los_Angeles]");
    // build is not windowed: it runs at once, in the evening
    assert_eq!(
        times(&t, "build"),
        pair("Tue 2026-11-24T17:00", "Tue 2026-11-24T17:10")
    );
    assert_eq!(
        times(&t, "wave 1"),
        pair("Wed 2026-11-25T09:00", "Wed 2026-11-25T10:15")
    );
    assert_eq!(t.stages[1].waited_seconds(), 15 * 3600 + 50 * 60);
    // an early-morning start waits for 09:00 the same day
    let t = run(&c.model, "2026-11-24T03:00[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Tue 2026-11-24T09:00");
}

#[test]
fn the_end_of_an_allow_interval_is_excluded() {
    let c = compiled(BUILD_THEN_WAVE);
    // ready at 15:59: still open
    let t = run(&c.model, "2026-11-24T15:49[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Tue 2026-11-24T15:59");
    // ready at exactly 16:00: closed, so the next morning
    let t = run(&c.model, "2026-11-24T15:50[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Wed 2026-11-25T09:00");
    // a wave that starts just before closing runs on into the night
    let t = run(&c.model, "2026-11-24T15:49:59[America/Los_Angeles]");
    assert_eq!(
        times(&t, "wave 1"),
        pair("Tue 2026-11-24T15:59", "Tue 2026-11-24T17:14")
    );
}

#[test]
fn a_holiday_and_a_weekend_are_skipped() {
    let c = compiled(BUILD_THEN_WAVE);
    // Wednesday after closing; Thursday is Thanksgiving; Friday opens
    let t = run(&c.model, "2026-11-25T16:30[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Fri 2026-11-27T09:00");
    // Friday after its early close: Saturday and Sunday are closed
    let t = run(&c.model, "2026-11-27T11:55[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Mon 2026-11-30T09:00");
    // into the year-end freeze: the next opening is Tuesday 5 January
    let t = run(&c.model, "2026-12-18T11:55[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Tue 2027-01-05T09:00");
}

#[test]
fn a_start_given_in_another_zone_is_the_same_instant() {
    let c = compiled(BUILD_THEN_WAVE);
    let la = run(&c.model, "2026-11-24T17:00[America/Los_Angeles]");
    let berlin = run(&c.model, "2026-11-25T02:00[Europe/Berlin]");
    assert_eq!(la.end.timestamp(), berlin.end.timestamp());
    assert_eq!(berlin.end.time_zone().iana_name(), Some("Europe/Berlin"));
}

#[test]
fn a_window_that_never_opens_is_an_error_naming_it() {
    let c = compiled(
        r#"
        window frozen {
          timezone "UTC"
          allow mon 09:00-10:00
          deny 2026-01-01..2029-12-31 "rewrite"
        }
        pipeline p {
          fleet f
          production { deploy "d" window frozen wave 1 { regions [r1] } }
        }
        "#,
    );
    let p = c.model.pipeline("p").unwrap();
    let start = super::at("2026-11-24T10:00[UTC]");
    let error = simulate(p, &c.model, &start, &SimOptions::default()).unwrap_err();
    let SimError::WindowNeverOpens { window, stage, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!((window.as_str(), stage.as_str()), ("frozen", "wave 1"));
    assert!(
        error.to_string().contains("window `frozen` never opens"),
        "{error}"
    );
    // the span points at `window frozen` in the production block
    assert_eq!(c.sources.text(error.span()), "frozen");
}

#[test]
fn a_window_opening_past_the_horizon_is_never_open() {
    let c = compiled(
        r#"
        window late {
          timezone "UTC"
          allow mon..sun 09:00-10:00
          deny 2026-11-01..2027-06-30 "long freeze"
        }
        pipeline p { production { window late wave 1 { run smoke "s" } } }
        "#,
    );
    let p = c.model.pipeline("p").unwrap();
    let start = super::at("2026-11-24T10:00[UTC]");
    let short = SimOptions {
        horizon_days: 100,
        ..SimOptions::default()
    };
    assert!(matches!(
        simulate(p, &c.model, &start, &short),
        Err(SimError::WindowNeverOpens { .. })
    ));
    let t = simulate(p, &c.model, &start, &SimOptions::default()).unwrap();
    assert_eq!(t.stages[0].start.to_string(), "2027-07-01T09:00:00Z");
}

#[test]
fn stages_follow_the_graph_not_the_text() {
    let c = compiled(
        r#"
        pipeline p {
          stage a { run x "x" }
          stage c { after b  run x "x" }
          stage b { after a  run x "x"  run y "y" }
        }
        "#,
    );
    let t = run(&c.model, "2026-11-24T10:00[UTC]");
    let order: Vec<String> = t.stages.iter().map(|s| s.label()).collect();
    assert_eq!(order, ["a", "b", "c"]);
    assert_eq!(t.stages[2].end.to_string(), "2026-11-24T10:20:00Z");
    assert_eq!(t.lead_time_seconds(), 20 * 60);
}

/// The simulation reads the execution plan; a pipeline that names an
/// undefined alarm has none. `check` reports the unknown name once, and
/// `max-lead-time` adds nothing about it.
#[test]
fn a_pipeline_without_a_plan_is_reported_once_by_check() {
    let c = super::compiled_with_errors(
        r#"
        policy lead { rule max-lead-time { max 1h } }
        pipeline p {
          fleet f
          production {
            deploy "d"
            alarms [nowhere]
            wave 1 { regions [r1] bake 2h }
          }
        }
        "#,
    );
    let p = c.model.pipeline("p").unwrap();
    let start = super::at("2026-11-24T10:00[UTC]");
    let error = simulate(p, &c.model, &start, &SimOptions::default()).unwrap_err();
    assert!(matches!(error, SimError::Unplannable { .. }), "{error:?}");
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unknown-name"], "{:#?}", c.diagnostics);
}
