//! How instants and durations read in every timeline format.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// `2d 21h 15m`; seconds only when there are some, `0m` for nothing.
pub fn duration(seconds: i64) -> String {
    if seconds == 0 {
        return "0m".into();
    }
    let sign = if seconds < 0 { "-" } else { "" };
    let mut rest = seconds.unsigned_abs();
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    format!("{sign}{}", parts.join(" "))
}

/// `Tue 2026-11-24 10:00 PST`: the weekday matters when windows do.
pub fn local(instant: Timestamp, zone: &TimeZone) -> String {
    let zoned = instant.to_zoned(zone.clone());
    let time = if zoned.second() == 0 {
        "%H:%M"
    } else {
        "%H:%M:%S"
    };
    zoned
        .strftime(&format!("%a %Y-%m-%d {time} %Z"))
        .to_string()
}

/// `2026-11-24 18:00Z`.
pub fn utc(instant: Timestamp) -> String {
    let zoned = instant.to_zoned(TimeZone::UTC);
    let time = if zoned.second() == 0 {
        "%H:%M"
    } else {
        "%H:%M:%S"
    };
    zoned.strftime(&format!("%Y-%m-%d {time}Z")).to_string()
}

/// RFC 3339 with the offset of the zone people read this instant in.
pub fn rfc3339(instant: Timestamp, zone: &TimeZone) -> String {
    instant
        .to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(90), "1m 30s");
        assert_eq!(duration(2 * 86_400 + 21 * 3600 + 15 * 60), "2d 21h 15m");
    }

    #[test]
    fn instants_show_their_zone() {
        let t: Timestamp = "2026-11-24T18:00:00Z".parse().unwrap();
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        assert_eq!(local(t, &la), "Tue 2026-11-24 10:00 PST");
        assert_eq!(utc(t), "2026-11-24 18:00Z");
        assert_eq!(rfc3339(t, &la), "2026-11-24T10:00:00-08:00");
    }
}
