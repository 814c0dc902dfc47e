//! std/calendars: the number of holidays per country and year, the unions,
//! and the dates that are easiest to get wrong (Easter, substitutes).

mod common;

use common::{calendar, import};
use jiff::civil::{date, Date};
use sluice_compiler::model::Calendar;

/// Holidays listed per country: 2026, 2027.
const COUNTS: [(&str, usize, usize); 10] = [
    ("us", 12, 15),
    ("uk", 9, 10),
    ("de", 9, 9),
    ("fr", 11, 11),
    ("ie", 11, 12),
    ("in", 3, 3),
    ("jp", 18, 17),
    ("cn", 33, 28),
    ("au", 8, 9),
    ("br", 10, 10),
];

fn dates(calendar: &Calendar) -> Vec<Date> {
    calendar.days.iter().map(|d| d.date).collect()
}

fn has(calendar: &Calendar, day: Date, name: &str) -> bool {
    calendar
        .days
        .iter()
        .any(|d| d.date == day && d.name.as_deref().is_some_and(|n| n.contains(name)))
}

#[test]
fn holidays_per_country_and_year() {
    let compilation = import("calendars");
    assert_eq!(compilation.model.calendars.len(), 3 * COUNTS.len());
    for (country, in_2026, in_2027) in COUNTS {
        for (year, expected) in [(2026, in_2026), (2027, in_2027)] {
            let name = format!("{country}-holidays-{year}");
            let cal = calendar(&compilation, &name);
            assert_eq!(cal.days.len(), expected, "{name}");
            let days = dates(cal);
            assert!(
                days.iter().all(|d| d.year() == year),
                "{name}: a date of another year"
            );
            assert!(
                days.windows(2).all(|w| w[0] < w[1]),
                "{name}: dates out of order or twice"
            );
            assert!(
                cal.days.iter().all(|d| d.name.is_some()),
                "{name}: a date without a name"
            );
        }
    }
}

#[test]
fn each_union_is_both_years() {
    let compilation = import("calendars");
    for (country, _, _) in COUNTS {
        let both: Vec<_> = ["2026", "2027"]
            .iter()
            .flat_map(|y| &calendar(&compilation, &format!("{country}-holidays-{y}")).days)
            .map(|d| (d.date, d.name.clone()))
            .collect();
        let union: Vec<_> = calendar(&compilation, &format!("{country}-holidays"))
            .days
            .iter()
            .map(|d| (d.date, d.name.clone()))
            .collect();
        assert_eq!(union, both, "{country}-holidays");
    }
}

#[test]
fn easter_based_holidays() {
    // Easter Sunday: 2026-04-05, 2027-03-28.
    let compilation = import("calendars");
    let cal = |name: &str| calendar(&compilation, name);
    for country in ["uk", "de", "au", "br"] {
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2026, 4, 3),
            "Good Friday"
        ));
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2027, 3, 26),
            "Good Friday"
        ));
    }
    for country in ["uk", "de", "fr", "ie", "au"] {
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2026, 4, 6),
            "Easter Monday"
        ));
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2027, 3, 29),
            "Easter Monday"
        ));
    }
    for country in ["de", "fr"] {
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2026, 5, 14),
            "Ascension"
        ));
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2027, 5, 6),
            "Ascension"
        ));
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2026, 5, 25),
            "Whit Monday"
        ));
        assert!(has(
            cal(&format!("{country}-holidays")),
            date(2027, 5, 17),
            "Whit Monday"
        ));
    }
}

#[test]
fn known_dates() {
    let compilation = import("calendars");
    let cal = |name: &str| calendar(&compilation, name);
    assert!(has(
        cal("us-holidays-2026"),
        date(2026, 11, 26),
        "Thanksgiving"
    ));
    assert!(has(
        cal("us-holidays-2026"),
        date(2026, 7, 3),
        "Independence Day (observed)"
    ));
    assert!(has(
        cal("us-holidays-2027"),
        date(2027, 12, 31),
        "New Year's Day 2028 (observed)"
    ));
    assert!(has(
        cal("uk-holidays-2027"),
        date(2027, 12, 28),
        "Boxing Day (substitute day)"
    ));
    assert!(has(
        cal("ie-holidays-2026"),
        date(2026, 2, 2),
        "St Brigid's Day"
    ));
    assert!(has(
        cal("ie-holidays-2027"),
        date(2027, 2, 1),
        "St Brigid's Day"
    ));
    assert!(has(
        cal("in-holidays-2026"),
        date(2026, 10, 2),
        "Gandhi Jayanti"
    ));
    assert!(has(
        cal("jp-holidays-2026"),
        date(2026, 5, 6),
        "Substitute holiday"
    ));
    assert!(has(
        cal("jp-holidays-2026"),
        date(2026, 9, 22),
        "Citizens' holiday"
    ));
    assert!(has(
        cal("jp-holidays-2027"),
        date(2027, 3, 21),
        "Vernal Equinox Day"
    ));
    assert!(has(
        cal("cn-holidays-2026"),
        date(2026, 2, 17),
        "Spring Festival"
    ));
    assert!(has(
        cal("cn-holidays-2027"),
        date(2027, 2, 6),
        "Spring Festival"
    ));
    assert!(has(
        cal("au-holidays-2026"),
        date(2026, 1, 26),
        "Australia Day"
    ));
    assert!(has(
        cal("br-holidays-2026"),
        date(2026, 11, 20),
        "Black Consciousness"
    ));
    assert!(has(
        cal("fr-holidays-2026"),
        date(2026, 7, 14),
        "Bastille Day"
    ));
    assert!(has(
        cal("de-holidays-2026"),
        date(2026, 10, 3),
        "German Unity Day"
    ));
}
