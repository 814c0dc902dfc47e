//! std/windows: six business-hours windows, each closed on its country's
//! holidays.

mod common;

use common::import;
use sluice_grammar::value::Day;

const WINDOWS: [(&str, &str, &str); 6] = [
    (
        "business-hours-us-pacific",
        "America/Los_Angeles",
        "us-holidays",
    ),
    (
        "business-hours-us-eastern",
        "America/New_York",
        "us-holidays",
    ),
    ("business-hours-eu-central", "Europe/Berlin", "de-holidays"),
    ("business-hours-uk", "Europe/London", "uk-holidays"),
    ("business-hours-india", "Asia/Kolkata", "in-holidays"),
    ("business-hours-japan", "Asia/Tokyo", "jp-holidays"),
];

#[test]
fn windows_have_their_zone_hours_and_holidays() {
    let compilation = import("windows");
    assert_eq!(compilation.model.windows.len(), WINDOWS.len());
    for (name, zone, holidays) in WINDOWS {
        let window = &compilation.model.windows[name];
        assert_eq!(window.timezone.as_ref().unwrap().value, zone, "{name}");
        let denied: Vec<_> = window
            .deny_calendars
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(denied, [holidays], "{name}");
        let allowed: Vec<_> = window
            .allow
            .iter()
            .map(|a| (a.first_day, a.last_day, a.from.minutes, a.to.minutes))
            .collect();
        assert_eq!(
            allowed,
            [
                (Day::Mon, Day::Thu, 9 * 60, 16 * 60),
                (Day::Fri, Day::Fri, 9 * 60, 12 * 60)
            ],
            "{name}"
        );
    }
}
