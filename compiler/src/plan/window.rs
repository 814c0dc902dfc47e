//! A window's data as the gate library needs it (SPEC 3.3): the zone, the
//! allow intervals with their days spelled out, and every denied day —
//! calendars expanded to their dates — so no target has to look back into
//! the model.

use std::fmt::Display;

use crate::model::Model;
use serde::{Serialize, Serializer};
use sluice_grammar::value::{Date, Day, Time};

use super::PlanError;

/// A window: starts are allowed at instants that, seen in `timezone`, fall
/// in some `allow` interval and on no `deny` day.
#[derive(Debug, Clone, Serialize)]
pub struct WindowSpec {
    /// An IANA time zone name.
    pub timezone: String,
    pub allow: Vec<AllowSpec>,
    /// Sorted by first day; may overlap (a holiday inside a freeze).
    pub deny: Vec<DenySpec>,
}

/// Starts allowed on `days`, from `from` up to, not including, `to`
/// (`to` may be `24:00`).
#[derive(Debug, Clone, Serialize)]
pub struct AllowSpec {
    #[serde(serialize_with = "days")]
    pub days: Vec<Day>,
    #[serde(serialize_with = "display")]
    pub from: Time,
    #[serde(serialize_with = "display")]
    pub to: Time,
}

/// Whole days, `from` to `to` inclusive, in the window's zone.
#[derive(Debug, Clone, Serialize)]
pub struct DenySpec {
    #[serde(serialize_with = "display")]
    pub from: Date,
    #[serde(serialize_with = "display")]
    pub to: Date,
    pub reason: Option<String>,
    /// The calendar the day came from, for messages ("Thanksgiving, from
    /// us-holidays-2026"); `None` for a `deny` range.
    pub calendar: Option<String>,
}

/// The data of window `name`, or why it cannot be planned.
pub fn window_spec(name: &str, model: &Model) -> Result<WindowSpec, PlanError> {
    let window = model.windows.get(name).ok_or_else(|| PlanError::Missing {
        what: "window",
        name: name.to_string(),
    })?;
    let timezone = window
        .timezone
        .as_ref()
        .ok_or_else(|| PlanError::Missing {
            what: "time zone of window",
            name: name.to_string(),
        })?
        .value
        .clone();
    let allow = window
        .allow
        .iter()
        .map(|rule| AllowSpec {
            // the parser forbids ranges that wrap past `sun`
            days: Day::ALL
                .get(rule.first_day.index()..=rule.last_day.index())
                .map(<[Day]>::to_vec)
                .unwrap_or_default(),
            from: rule.from,
            to: rule.to,
        })
        .collect();
    let mut deny = Vec::new();
    for calendar in &window.deny_calendars {
        let days = model
            .calendars
            .get(&calendar.text)
            .ok_or_else(|| PlanError::Missing {
                what: "calendar",
                name: calendar.text.clone(),
            })?;
        deny.extend(days.days.iter().map(|holiday| DenySpec {
            from: holiday.date,
            to: holiday.date,
            reason: holiday.name.clone(),
            calendar: Some(calendar.text.clone()),
        }));
    }
    deny.extend(window.deny_dates.iter().map(|range| DenySpec {
        from: range.from,
        to: range.to,
        reason: range.reason.clone(),
        calendar: None,
    }));
    // stable: equal first days keep calendar order, then ranges
    deny.sort_by_key(|d| (d.from, d.to));
    Ok(WindowSpec {
        timezone,
        allow,
        deny,
    })
}

fn display<S: Serializer, T: Display>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

fn days<S: Serializer>(days: &[Day], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(days.iter().map(|d| d.as_str()))
}
