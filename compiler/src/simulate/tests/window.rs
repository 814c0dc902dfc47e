//! The window clock on its own: exact openings, daylight saving, `24:00`.

use jiff::Timestamp;

use super::{at, compiled, run, times, BUILD_THEN_WAVE};
use crate::simulate::WindowClock;

fn clock(allow: &str, tz: &str) -> WindowClock {
    let c = compiled(&format!("window w {{ timezone \"{tz}\" {allow} }}"));
    WindowClock::new(&c.model.windows["w"], &c.model).unwrap()
}

fn secs(utc: &str) -> i64 {
    utc.parse::<Timestamp>().unwrap().as_second()
}

fn show(t: Option<i64>) -> String {
    t.map(|s| Timestamp::from_second(s).unwrap().to_string())
        .unwrap_or_else(|| "never".into())
}

#[test]
fn a_fold_opens_the_repeated_hour_twice() {
    // 2026-11-01 in Los Angeles: 02:00 PDT becomes 01:00 PST
    let mut w = clock("allow sun 01:30-01:45", "America/Los_Angeles");
    let next = |w: &mut WindowClock, t: &str| show(w.next_open(secs(t), 30));
    assert_eq!(next(&mut w, "2026-11-01T08:00:00Z"), "2026-11-01T08:30:00Z"); // 01:30 PDT
    assert_eq!(next(&mut w, "2026-11-01T08:50:00Z"), "2026-11-01T09:30:00Z"); // 01:30 PST
    assert_eq!(next(&mut w, "2026-11-01T09:40:00Z"), "2026-11-01T09:40:00Z");
    assert_eq!(next(&mut w, "2026-11-01T09:45:00Z"), "2026-11-08T09:30:00Z");
}

#[test]
fn a_gap_opens_when_the_clock_jumps_into_the_interval() {
    // 2026-03-08 in Los Angeles: 02:00 PST becomes 03:00 PDT
    let mut w = clock("allow sun 02:30-04:00", "America/Los_Angeles");
    assert_eq!(
        show(w.next_open(secs("2026-03-08T08:00:00Z"), 30)),
        "2026-03-08T10:00:00Z" // 03:00 PDT, the first instant at or after 02:30
    );
    // an interval entirely inside the gap does not exist that day
    let mut w = clock("allow sun 02:10-02:50", "America/Los_Angeles");
    assert_eq!(
        show(w.next_open(secs("2026-03-08T08:00:00Z"), 30)),
        "2026-03-15T09:10:00Z"
    );
}

#[test]
fn business_hours_follow_the_zone_across_a_dst_change() {
    let c = compiled(BUILD_THEN_WAVE);
    // Friday after closing, in daylight time; Monday opens in standard time
    let t = run(&c.model, "2026-10-30T13:00[America/Los_Angeles]");
    assert_eq!(times(&t, "wave 1").0, "Mon 2026-11-02T09:00");
    assert_eq!(t.stages[1].start.to_string(), "2026-11-02T17:00:00Z");
    // 13:10 PDT Friday to 09:00 PST Monday is one hour longer than it looks
    assert_eq!(
        t.stages[1].waited_seconds(),
        (2 * 24 + 19) * 3600 + 50 * 60 + 3600
    );
}

#[test]
fn twenty_four_hundred_ends_at_midnight() {
    let mut w = clock("allow sat 22:00-24:00", "UTC");
    let next = |w: &mut WindowClock, t: &str| show(w.next_open(secs(t), 30));
    assert_eq!(next(&mut w, "2026-11-28T23:59:59Z"), "2026-11-28T23:59:59Z");
    assert_eq!(next(&mut w, "2026-11-29T00:00:00Z"), "2026-12-05T22:00:00Z");
}

#[test]
fn overlapping_allows_are_one_interval() {
    let mut w = clock("allow mon..wed 09:00-12:00 allow tue 11:00-15:00", "UTC");
    let open = w.open_between(secs("2026-11-23T00:00:00Z"), secs("2026-11-26T00:00:00Z"));
    let shown: Vec<String> = open
        .iter()
        .map(|(s, e)| format!("{}..{}", show(Some(*s)), show(Some(*e))))
        .collect();
    assert_eq!(
        shown,
        [
            "2026-11-23T09:00:00Z..2026-11-23T12:00:00Z",
            "2026-11-24T09:00:00Z..2026-11-24T15:00:00Z",
            "2026-11-25T09:00:00Z..2026-11-25T12:00:00Z",
        ]
    );
}

#[test]
fn open_periods_skip_denied_days() {
    let c = compiled("");
    let mut w = WindowClock::new(&c.model.windows["bh"], &c.model).unwrap();
    let from = at("2026-11-23T00:00[America/Los_Angeles]")
        .timestamp()
        .as_second();
    let to = at("2026-11-30T00:00[America/Los_Angeles]")
        .timestamp()
        .as_second();
    let open = w.open_between(from, to);
    let hours: Vec<i64> = open.iter().map(|(s, e)| (e - s) / 3600).collect();
    assert_eq!(
        hours,
        [7, 7, 7, 3],
        "Mon, Tue, Wed, then Thanksgiving, then Friday"
    );
}

#[test]
fn a_window_without_allow_never_opens() {
    let mut w = clock("", "UTC");
    assert_eq!(w.next_open(secs("2026-11-23T00:00:00Z"), 800), None);
}
