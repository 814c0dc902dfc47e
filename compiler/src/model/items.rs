//! The shared items of a compilation: fleets, calendars, windows, alarms.

use sluice_grammar::{Keyword, Stmt, Value, ValueKind};

use super::read::{find, first_ident, ident, idents, string, value_ident};
use super::types::*;

pub(super) fn fleet(stmt: &Stmt) -> Fleet {
    let regions = stmt
        .body()
        .iter()
        .filter(|s| s.keyword == Keyword::Region)
        .map(|r| RegionDef {
            name: ident(r),
            cells: find(r.body(), Keyword::Cells)
                .map(idents)
                .unwrap_or_default(),
            traffic: match find(r.body(), Keyword::Traffic).and_then(first_ident) {
                Some("low") => Traffic::Low,
                Some("high") => Traffic::High,
                _ => Traffic::Medium,
            },
        })
        .collect();
    Fleet {
        name: ident(stmt),
        regions,
    }
}

pub(super) fn calendar(stmt: &Stmt) -> Calendar {
    let days = stmt
        .body()
        .iter()
        .filter_map(|h| {
            let date = match h.values.first()?.kind {
                ValueKind::Date(d) => d,
                _ => return None,
            };
            let name = h.values.get(1).and_then(Value::as_str).map(String::from);
            Some(Holiday {
                date,
                name,
                span: h.span,
            })
        })
        .collect();
    Calendar {
        name: ident(stmt),
        days,
    }
}

pub(super) fn window(stmt: &Stmt) -> Window {
    let mut window = Window {
        name: ident(stmt),
        timezone: None,
        allow: Vec::new(),
        deny_calendars: Vec::new(),
        deny_dates: Vec::new(),
        span: stmt.span,
    };
    for s in stmt.body() {
        match s.keyword {
            Keyword::Timezone => window.timezone = string(s),
            Keyword::Allow => {
                let (first_day, last_day) = match s.values.first().map(|v| &v.kind) {
                    Some(ValueKind::Day(d)) => (*d, *d),
                    Some(ValueKind::DayRange(a, b)) => (*a, *b),
                    _ => continue,
                };
                let Some(ValueKind::TimeRange(from, to)) = s.values.get(1).map(|v| &v.kind) else {
                    continue;
                };
                window.allow.push(AllowRule {
                    first_day,
                    last_day,
                    from: *from,
                    to: *to,
                    span: s.span,
                });
            }
            Keyword::DenyCalendar => {
                if let Some(v) = s.values.first() {
                    window.deny_calendars.push(value_ident(v));
                }
            }
            Keyword::DenyDates => {
                let (from, to) = match s.values.first().map(|v| &v.kind) {
                    Some(ValueKind::Date(d)) => (*d, *d),
                    Some(ValueKind::DateRange(a, b)) => (*a, *b),
                    _ => continue,
                };
                window.deny_dates.push(DenyDates {
                    from,
                    to,
                    reason: s.values.get(1).and_then(Value::as_str).map(String::from),
                    span: s.span,
                });
            }
            _ => {}
        }
    }
    window
}

pub(super) fn alarm(stmt: &Stmt) -> Alarm {
    Alarm {
        name: ident(stmt),
        probe: stmt
            .body()
            .iter()
            .find_map(|s| s.values.first().and_then(probe)),
    }
}

pub(super) fn probe(value: &Value) -> Option<Probe> {
    match &value.kind {
        ValueKind::Probe(provider, text) => Some(Probe {
            provider: *provider,
            text: text.clone(),
            span: value.span,
        }),
        _ => None,
    }
}
