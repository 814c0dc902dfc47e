//! Literal values of the language: durations, times of day, days and dates.

use std::fmt;

/// A length of time, in whole seconds (`1h30m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    pub seconds: u64,
}

impl Duration {
    /// The longest duration the language accepts, for every duration: a
    /// year. Longer bakes, timeouts and waits are mistakes, and a bound
    /// keeps what the simulation and the targets derive from a duration
    /// (bake chunks, poll cycles, ticks) bounded too.
    pub const MAX: Duration = Duration::from_secs(365 * 86_400);

    pub const fn from_secs(seconds: u64) -> Self {
        Duration { seconds }
    }

    /// Parses `<int><unit>` groups; `None` on overflow or bad syntax (not
    /// checked against [`Duration::MAX`]).
    pub fn parse(text: &str) -> Option<Duration> {
        let mut total: u64 = 0;
        let mut number: u64 = 0;
        let mut digits = 0;
        for c in text.chars() {
            if let Some(d) = c.to_digit(10) {
                number = number.checked_mul(10)?.checked_add(u64::from(d))?;
                digits += 1;
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return None,
            };
            if digits == 0 {
                return None;
            }
            total = total.checked_add(number.checked_mul(unit)?)?;
            number = 0;
            digits = 0;
        }
        (digits == 0).then_some(Duration { seconds: total })
    }

    pub fn is_zero(self) -> bool {
        self.seconds == 0
    }
}

/// Canonical form: largest units first, zero parts left out (`90m` →
/// `1h30m`). Days only for whole days from two on, so `24h` and `36h` stay
/// as people write bake times.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0s");
        }
        const DAY: u64 = 86_400;
        if self.seconds % DAY == 0 && self.seconds >= 2 * DAY {
            return write!(f, "{}d", self.seconds / DAY);
        }
        let mut rest = self.seconds;
        for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
            let n = rest / size;
            rest %= size;
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

/// A time of day in minutes since midnight; `24:00` (1440) is a valid end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub minutes: u16,
}

impl Time {
    /// Parses `HH:MM`; hours 00..=24, minutes 00..=59, `24:00` only exactly.
    pub fn parse(text: &str) -> Option<Time> {
        let (h, m) = text.split_once(':')?;
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return None;
        }
        Some(Time {
            minutes: h * 60 + m,
        })
    }

    pub fn hour(self) -> u16 {
        self.minutes / 60
    }

    pub fn minute(self) -> u16 {
        self.minutes % 60
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

/// A day of the week, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    pub fn parse(text: &str) -> Option<Day> {
        Day::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
            Day::Sat => "sat",
            Day::Sun => "sun",
        }
    }

    /// 0 for Monday .. 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A calendar date, validated by jiff (so `2026-02-30` is rejected).
pub type Date = jiff::civil::Date;

/// Parses `YYYY-MM-DD` into a real calendar date.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let y: i16 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let d: i8 = parts.next()?.parse().ok()?;
    Date::new(y, m, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_canonically() {
        assert_eq!(Duration::parse("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(Duration::parse("90m").unwrap().to_string(), "1h30m");
        assert_eq!(Duration::parse("2d").unwrap().to_string(), "2d");
        assert_eq!(Duration::parse("24h").unwrap().to_string(), "24h");
        assert_eq!(Duration::parse("1d12h").unwrap().to_string(), "36h");
        assert_eq!(Duration::parse("0s").unwrap().to_string(), "0s");
        assert_eq!(Duration::parse("h"), None);
        assert_eq!(Duration::parse("99999999999999999999d"), None);
        assert_eq!(Duration::parse("365d"), Some(Duration::MAX));
    }

    #[test]
    fn times_are_checked() {
        assert_eq!(Time::parse("09:30").unwrap().minutes, 570);
        assert_eq!(Time::parse("24:00").unwrap().to_string(), "24:00");
        assert_eq!(Time::parse("24:01"), None);
        assert_eq!(Time::parse("12:60"), None);
        assert_eq!(Time::parse("25:00"), None);
    }

    #[test]
    fn dates_are_real() {
        assert!(parse_date("2028-02-29").is_some());
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("2026-13-01").is_none());
    }
}
