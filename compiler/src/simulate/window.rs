//! When a window is open (SPEC 3.3), as exact instants.
//!
//! A start at instant t is allowed when t, seen in the window's time zone,
//! falls inside an `allow` interval on a day that is not denied. Rather than
//! polling minute by minute, each local day's open intervals are computed
//! once as instants by walking the zone's offset transitions over the day, so
//! daylight-saving gaps and folds come out exactly as the time-zone database
//! says (a `02:30` opening on a spring-forward night opens at 03:00, and a
//! fold's repeated hour is open twice). Days are cached: the 168 simulations
//! of `worst_start_in_week` share them.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::{Model, Window};

/// Half-open `[start, end)` in Unix seconds.
pub type Span = (i64, i64);

/// One allow rule, reduced to what the clock needs.
#[derive(Debug, Clone, Copy)]
struct Allow {
    /// Bit `i` set: weekday `i` (Monday = 0) is allowed.
    days: u8,
    from_minutes: u16,
    to_minutes: u16,
}

/// A window's schedule: its zone, its rules and the days computed so far.
#[derive(Debug)]
pub struct WindowClock {
    pub name: String,
    pub tz: TimeZone,
    allow: Vec<Allow>,
    denied_days: BTreeSet<Date>,
    denied_ranges: Vec<(Date, Date)>,
    days: HashMap<Date, Vec<Span>>,
}

/// Why a window cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockError {
    NoTimezone,
    UnknownTimezone(String),
}

impl WindowClock {
    pub fn new(window: &Window, model: &Model) -> Result<WindowClock, ClockError> {
        let tz_name = window.timezone.as_ref().ok_or(ClockError::NoTimezone)?;
        let tz = TimeZone::get(&tz_name.value)
            .map_err(|_| ClockError::UnknownTimezone(tz_name.value.clone()))?;
        let allow = window
            .allow
            .iter()
            .map(|rule| {
                let days = (rule.first_day.index()..=rule.last_day.index())
                    .fold(0u8, |mask, i| mask | (1 << i));
                Allow {
                    days,
                    from_minutes: rule.from.minutes,
                    to_minutes: rule.to.minutes,
                }
            })
            .collect();
        let denied_days = window
            .deny_calendars
            .iter()
            .filter_map(|c| model.calendars.get(&c.text))
            .flat_map(|c| c.days.iter().map(|h| h.date))
            .collect();
        let denied_ranges = window.deny_dates.iter().map(|d| (d.from, d.to)).collect();
        Ok(WindowClock {
            name: window.name.text.clone(),
            tz,
            allow,
            denied_days,
            denied_ranges,
            days: HashMap::new(),
        })
    }

    /// The first instant at or after `t` at which a start is allowed,
    /// looking at most `horizon_days` local days ahead.
    pub fn next_open(&mut self, t: i64, horizon_days: u32) -> Option<i64> {
        let first = self.local_date(t)?;
        // One day back: in a fold across midnight, an instant after `t` can
        // still belong to the previous local date.
        let mut day = first.yesterday().ok()?;
        let mut best: Option<i64> = None;
        // Local dates run forward except inside a fold, so the day after
        // the first hit is the last one that could open earlier.
        let mut last_day_to_look: Option<u32> = None;
        for k in 0..=horizon_days.saturating_add(1) {
            if last_day_to_look.is_some_and(|last| k > last) {
                break;
            }
            let candidate = self
                .intervals_on(day)
                .iter()
                .find(|(_, end)| *end > t)
                .map(|(start, _)| (*start).max(t));
            if let Some(c) = candidate {
                best = Some(best.map_or(c, |b: i64| b.min(c)));
                last_day_to_look.get_or_insert(k + 1);
            }
            day = match day.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        best
    }

    /// The open intervals that meet `[from, to)`, clipped, sorted, merged:
    /// the picture shades everything else.
    pub fn open_between(&mut self, from: i64, to: i64) -> Vec<Span> {
        let (Some(first), Some(last)) = (self.local_date(from), self.local_date(to)) else {
            return Vec::new();
        };
        let mut spans = Vec::new();
        let mut day = first.yesterday().unwrap_or(first);
        while day <= last.tomorrow().unwrap_or(last) {
            spans.extend(
                self.intervals_on(day)
                    .iter()
                    .map(|(s, e)| ((*s).max(from), (*e).min(to)))
                    .filter(|(s, e)| s < e),
            );
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        merge(spans)
    }

    fn local_date(&self, t: i64) -> Option<Date> {
        let ts = Timestamp::from_second(t).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }

    /// The instants of `day` at which a start is allowed (cached).
    fn intervals_on(&mut self, day: Date) -> &[Span] {
        if !self.days.contains_key(&day) {
            let spans = if self.is_denied(day) {
                Vec::new()
            } else {
                self.compute_day(day)
            };
            self.days.insert(day, spans);
        }
        &self.days[&day]
    }

    fn is_denied(&self, day: Date) -> bool {
        self.denied_days.contains(&day)
            || self
                .denied_ranges
                .iter()
                .any(|(from, to)| *from <= day && day <= *to)
    }

    fn compute_day(&self, day: Date) -> Vec<Span> {
        let weekday = day.weekday().to_monday_zero_offset();
        let mut spans = Vec::new();
        for rule in &self.allow {
            if rule.days & (1 << weekday) == 0 || rule.from_minutes >= rule.to_minutes {
                continue;
            }
            let (Some(a), Some(b)) = (
                civil_seconds(day, rule.from_minutes),
                civil_seconds(day, rule.to_minutes),
            ) else {
                continue;
            };
            local_range_to_instants(&self.tz, a, b, &mut spans);
        }
        merge(spans)
    }
}

/// A local date and minute of day as seconds "as if UTC" (`24:00` is the
/// next midnight).
fn civil_seconds(day: Date, minutes: u16) -> Option<i64> {
    let midnight: DateTime = day.at(0, 0, 0, 0);
    let seconds = TimeZone::UTC.to_timestamp(midnight).ok()?.as_second();
    Some(seconds + i64::from(minutes) * 60)
}

/// Every instant whose local time, in `tz`, lies in `[a, b)` (local times
/// given as seconds "as if UTC"). Between two offset transitions the
/// offset is constant, so local = instant + offset there and each piece is
/// one interval; a gap leaves out what does not exist, a fold adds the
/// repeated part twice.
fn local_range_to_instants(tz: &TimeZone, a: i64, b: i64, out: &mut Vec<Span>) {
    // No zone is more than a day and a few hours from UTC.
    const SLACK: i64 = 30 * 3600;
    let (lo, hi) = (a - SLACK, b + SLACK);
    let Ok(lo_ts) = Timestamp::from_second(lo) else {
        return;
    };
    let mut offset = i64::from(tz.to_offset(lo_ts).seconds());
    let mut piece_start = lo;
    let mut transitions = tz
        .following(lo_ts)
        .map(|t| (t.timestamp().as_second(), i64::from(t.offset().seconds())))
        .take_while(|(at, _)| *at < hi);
    loop {
        let (piece_end, next_offset) = transitions.next().unwrap_or((hi, offset));
        let start = piece_start.max(a - offset);
        let end = piece_end.min(b - offset);
        if start < end {
            out.push((start, end));
        }
        if piece_end >= hi {
            break;
        }
        piece_start = piece_end;
        offset = next_offset;
    }
}

/// Sorts and joins overlapping or touching spans.
pub(crate) fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}
