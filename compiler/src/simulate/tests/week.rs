//! `worst_start_in_week`, the simulation behind `max-lead-time`.

use std::time::Instant;

use super::{at, compiled, BUILD_THEN_WAVE};
use crate::simulate::{worst_start_in_week, SimOptions};

#[test]
fn the_worst_start_is_just_after_the_friday_close() {
    let c = compiled(BUILD_THEN_WAVE);
    let p = c.model.pipeline("p").unwrap();
    let week = at("2026-11-09T00:00[America/Los_Angeles]");
    let worst = worst_start_in_week(p, &c.model, &week, &SimOptions::default()).unwrap();
    // Friday 12:00 is ready at 12:10, after the early close, and waits for
    // Monday 09:00. (11:00 is ready at 11:10 and starts at once.)
    assert_eq!(
        worst.start.strftime("%a %F %R").to_string(),
        "Fri 2026-11-13 12:00"
    );
    assert_eq!(
        worst.timeline.lead_time_seconds(),
        (2 * 24 + 21) * 3600 + 3600 + 15 * 60
    );
    let cause = worst.cause.expect("a window made it wait");
    assert_eq!(cause.window, "bh");
    assert_eq!(cause.stage, "wave 1");
    assert_eq!(cause.waited_seconds, (2 * 24 + 20) * 3600 + 50 * 60);
    assert_eq!(c.sources.text(cause.span), "bh");
}

#[test]
fn the_holiday_week_is_worse() {
    let c = compiled(BUILD_THEN_WAVE);
    let p = c.model.pipeline("p").unwrap();
    let week = at("2026-11-23T00:00[America/Los_Angeles]");
    let worst = worst_start_in_week(p, &c.model, &week, &SimOptions::default()).unwrap();
    // Wednesday 16:00 waits through Thanksgiving to Friday 09:00 — but
    // Friday 12:00 still waits longer, for Monday.
    assert_eq!(
        worst.start.strftime("%a %F %R").to_string(),
        "Fri 2026-11-27 12:00"
    );
}

#[test]
fn no_window_means_no_cause() {
    let c = compiled(r#"pipeline p { stage build { run compile "make" } }"#);
    let p = c.model.pipeline("p").unwrap();
    let week = at("2026-11-23T00:00[UTC]");
    let worst = worst_start_in_week(p, &c.model, &week, &SimOptions::default()).unwrap();
    assert_eq!(worst.timeline.lead_time_seconds(), 300);
    assert_eq!(worst.start, week, "ties keep the earliest start");
    assert!(worst.cause.is_none());
}

#[test]
fn a_week_of_starts_is_cheap() {
    let c = compiled(
        r#"
        pipeline p {
          fleet f
          stage build { run compile "make" check unit "make test" }
          stage gamma { regions [r1, r3] deploy "d" one-box { bake 30m } window bh }
          production {
            deploy "d" window bh one-box { bake 1h } rolling { by cell }
            wave 1 { regions [r2] bake 12h }
            wave 2 { regions [r1] bake 4h }
            wave 3 { regions [r3] bake 2h }
          }
        }
        "#,
    );
    let p = c.model.pipeline("p").unwrap();
    let week = at("2026-12-14T00:00[America/Los_Angeles]");
    let began = Instant::now();
    let worst = worst_start_in_week(p, &c.model, &week, &SimOptions::default()).unwrap();
    // the year-end freeze: a change merged that week waits into January
    assert!(worst.timeline.end.year() == 2027, "{}", worst.timeline.end);
    let elapsed = began.elapsed();
    assert!(
        elapsed.as_millis() < 500,
        "168 simulations took {elapsed:?}"
    );
}
