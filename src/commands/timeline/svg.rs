//! `--format svg`: a Gantt chart for a design doc. One row per stage or
//! wave; inside a row one thin lane per region, its deploy, steps and bakes
//! in distinct colours; the time a stage waited for its window as a dashed
//! line; the periods its window is closed hatched; local midnights (in the
//! start's zone) as day lines with weekday labels; the lead time in the
//! title. Written by hand: the picture is simple and every piece of text is
//! escaped here, so no dependency is needed.

use std::fmt::Write;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use sluice_compiler::simulate::{SegmentKind, SimPlan, StageRun, Timeline};

use super::format::{duration, local};

const WIDTH: f64 = 1200.0;
const LABEL_WIDTH: f64 = 250.0;
const RIGHT_MARGIN: f64 = 110.0;
const TOP: f64 = 116.0;
const ROW: f64 = 40.0;
const BAR_PAD: f64 = 8.0;
const FONT: &str = "Helvetica, Arial, sans-serif";

/// Maps instants (Unix seconds) to x.
struct Scale {
    lo: i64,
    hi: i64,
}

impl Scale {
    fn x(&self, t: i64) -> f64 {
        let t = t.clamp(self.lo, self.hi);
        LABEL_WIDTH
            + (t - self.lo) as f64 / (self.hi - self.lo) as f64
                * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN)
    }

    fn px_per_hour(&self) -> f64 {
        3600.0 * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / (self.hi - self.lo) as f64
    }
}

pub fn render(timeline: &Timeline, plan: &mut SimPlan) -> String {
    let t0 = timeline.start.timestamp().as_second();
    let t1 = timeline.end.timestamp().as_second().max(t0 + 60);
    let pad = ((t1 - t0) / 40).max(300);
    let scale = Scale {
        lo: t0 - pad,
        hi: t1 + pad,
    };
    let bottom = TOP + ROW * timeline.stages.len() as f64;
    let height = bottom + 34.0;
    let zone = timeline.start.time_zone();
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">"##
    );
    svg.push_str(concat!(
        r##"<defs><pattern id="closed" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"##,
        r##"<rect width="8" height="8" fill="#eeeeee"/><line x1="0" y1="0" x2="0" y2="8" stroke="#c8c8c8" stroke-width="3"/></pattern></defs>"##,
        "\n",
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        "\n"
    ));
    header(&mut svg, timeline);
    axis(&mut svg, &scale, zone, bottom);
    for (i, stage) in timeline.stages.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        row(&mut svg, stage, y, i, &scale, plan);
    }
    // After the rows' backgrounds, so they stay visible; bars are at least
    // two pixels wide and half-transparent markers let them show through.
    marker(&mut svg, &scale, t0, bottom, "merged");
    marker(&mut svg, &scale, t1, bottom, "done");
    let _ = writeln!(
        svg,
        r##"<text x="12" y="{:.1}" font-size="11" fill="#666666">Simulated with sluice timeline: windows gate only starts; blockers assumed clear, approvals immediate. Times in {}.</text>"##,
        height - 12.0,
        escape(zone.iana_name().unwrap_or("the start's offset"))
    );
    svg.push_str("</svg>\n");
    svg
}

fn header(svg: &mut String, timeline: &Timeline) {
    let zone = timeline.start.time_zone();
    let _ = writeln!(
        svg,
        r##"<text x="12" y="30" font-size="18" font-weight="bold" fill="#222222">{} — lead time {}</text>"##,
        escape(&timeline.pipeline),
        duration(timeline.lead_time_seconds())
    );
    let _ = writeln!(
        svg,
        r##"<text x="12" y="52" font-size="12" fill="#444444">merged {}, reaches every region {}</text>"##,
        escape(&local(timeline.start.timestamp(), zone)),
        escape(&local(timeline.end.timestamp(), zone))
    );
    let legend = [
        ("deploy", Swatch::Fill(color(SegmentKind::Deploy))),
        (
            "run and check steps",
            Swatch::Fill(color(SegmentKind::Steps)),
        ),
        ("one-box bake", Swatch::Fill(color(SegmentKind::OneBoxBake))),
        ("bake", Swatch::Fill(color(SegmentKind::Bake))),
        ("waiting for the window", Swatch::Dashed),
        ("window closed", Swatch::Fill("url(#closed)")),
    ];
    let mut x = 12.0;
    for (text, swatch) in legend {
        match swatch {
            Swatch::Fill(fill) => {
                let _ = writeln!(
                    svg,
                    r##"<rect x="{x:.1}" y="64" width="14" height="10" fill="{fill}" stroke="#999999" stroke-width="0.5"/>"##
                );
            }
            Swatch::Dashed => {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x:.1}" y1="69" x2="{:.1}" y2="69" stroke="#888888" stroke-width="2" stroke-dasharray="3,2"/>"##,
                    x + 14.0
                );
            }
        }
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="73" font-size="11" fill="#333333">{text}</text>"##,
            x + 18.0
        );
        x += 26.0 + 6.2 * text.len() as f64;
    }
}

enum Swatch {
    Fill(&'static str),
    Dashed,
}

/// Which local midnights get a line: every day while days are at least
/// [`MIN_LINE_GAP`] pixels apart, else the first of each month, else each
/// new year, so the picture of a long span has a few hundred lines at most
/// (its size does not grow with the span).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    Days,
    Months,
    Years,
}

const MIN_LINE_GAP: f64 = 3.0;

impl Lines {
    fn for_px_per_day(px_day: f64) -> Lines {
        if px_day >= MIN_LINE_GAP {
            Lines::Days
        } else if px_day * 28.0 >= MIN_LINE_GAP {
            Lines::Months
        } else {
            Lines::Years
        }
    }

    /// The first line at or before the start of `first`'s day.
    fn first(self, first: &jiff::Zoned) -> Option<jiff::Zoned> {
        let date = first.date();
        let date = match self {
            Lines::Days => date,
            Lines::Months => date.first_of_month(),
            Lines::Years => date.first_of_year(),
        };
        date.to_zoned(first.time_zone().clone())
            .ok()?
            .start_of_day()
            .ok()
    }

    /// The line after `at`: the next tick hour or midnight for days.
    fn next(self, at: &jiff::Zoned, step_hours: i8) -> Option<jiff::Zoned> {
        let date = match self {
            Lines::Days => return next_hour(at, step_hours),
            Lines::Months => at
                .date()
                .first_of_month()
                .checked_add(jiff::Span::new().months(1)),
            Lines::Years => at
                .date()
                .first_of_year()
                .checked_add(jiff::Span::new().years(1)),
        };
        date.ok()?
            .to_zoned(at.time_zone().clone())
            .ok()?
            .start_of_day()
            .ok()
    }
}

/// Day lines at local midnight with weekday labels, and hour ticks when
/// there is room for them.
fn axis(svg: &mut String, scale: &Scale, zone: &TimeZone, bottom: f64) {
    let px_day = scale.px_per_hour() * 24.0;
    let lines = Lines::for_px_per_day(px_day);
    let step_hours = [1, 3, 6, 12]
        .into_iter()
        .find(|h| scale.px_per_hour() * f64::from(*h) >= 34.0);
    let Ok(first) = Timestamp::from_second(scale.lo) else {
        return;
    };
    let first = first.to_zoned(zone.clone());
    // The day the chart begins in has its midnight off the left edge.
    let first_midnight = first.tomorrow().and_then(|d| d.start_of_day()).ok();
    if first_midnight.is_some_and(|m| scale.x(m.timestamp().as_second()) - LABEL_WIDTH > 80.0) {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="#333333">{}</text>"##,
            LABEL_WIDTH + 4.0,
            TOP - 24.0,
            first.strftime("%a %-d %b")
        );
    }
    let mut hour = lines.first(&first);
    while let Some(at) = hour {
        let t = at.timestamp().as_second();
        if t > scale.hi {
            break;
        }
        let midnight = at.hour() == 0;
        let x = scale.x(t);
        let inside = t >= scale.lo;
        if inside && midnight {
            let _ = writeln!(
                svg,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#9a9a9a" stroke-width="1"/>"##,
                TOP - 34.0
            );
            let labelled = match lines {
                Lines::Days => {
                    px_day >= 70.0
                        || (px_day >= 12.0 && at.weekday() == jiff::civil::Weekday::Monday)
                        || at.day() == 1
                }
                Lines::Months => px_day * 28.0 >= 70.0 || at.month() == 1,
                Lines::Years => px_day * 365.0 >= 70.0,
            };
            if labelled && x + 60.0 < WIDTH {
                let format = match lines {
                    Lines::Days => "%a %-d %b",
                    Lines::Months | Lines::Years => "%b %Y",
                };
                let _ = writeln!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="#333333">{}</text>"##,
                    x + 4.0,
                    TOP - 24.0,
                    at.strftime(format)
                );
            }
        } else if inside && step_hours.is_some_and(|h| at.hour() % h == 0) {
            let _ = writeln!(
                svg,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#e4e4e4" stroke-width="1"/>"##,
                TOP - 4.0
            );
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#777777">{}</text>"##,
                x + 2.0,
                TOP - 8.0,
                at.strftime("%H:%M")
            );
        }
        hour = lines.next(&at, step_hours.unwrap_or(24));
    }
}

/// The next whole hour on the local clock that is a multiple of `step` (or
/// the next midnight), so DST days still get their lines.
fn next_hour(at: &jiff::Zoned, step: i8) -> Option<jiff::Zoned> {
    let hour = jiff::SignedDuration::from_hours(1);
    let mut next = at.clone();
    for _ in 0..48 {
        let rounded = next
            .checked_add(hour)
            .ok()?
            .with()
            .minute(0)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()?;
        // Rounding down can step back in zones with half-hour shifts.
        next = if rounded.timestamp() > next.timestamp() {
            rounded
        } else {
            next.checked_add(hour).ok()?
        };
        if next.hour() == 0 || next.hour() % step == 0 {
            return Some(next);
        }
    }
    None
}

fn row(svg: &mut String, stage: &StageRun, y: f64, i: usize, scale: &Scale, plan: &mut SimPlan) {
    let right = WIDTH - RIGHT_MARGIN;
    if i % 2 == 0 {
        let _ = writeln!(
            svg,
            r##"<rect x="0" y="{y:.1}" width="{WIDTH}" height="{ROW}" fill="#f6f8fa"/>"##
        );
    }
    if let Some(window) = &stage.window {
        if let Some(clock) = plan.clock(window) {
            let mut from = scale.lo;
            let open = clock.open_between(scale.lo, scale.hi);
            let closed_until = open.iter().copied().chain([(scale.hi, scale.hi)]);
            for (open_start, open_end) in closed_until {
                // an opening under a pixel wide is drawn closed, so a long
                // span is not a rectangle per night
                let visible = scale.x(open_end) - scale.x(open_start) >= 1.0;
                if open_start < scale.hi && !visible {
                    continue;
                }
                if open_start > from {
                    let (x0, x1) = (scale.x(from), scale.x(open_start));
                    let _ = writeln!(
                        svg,
                        r##"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="url(#closed)"><title>window {} closed</title></rect>"##,
                        y + 2.0,
                        x1 - x0,
                        ROW - 4.0,
                        escape(window)
                    );
                }
                from = from.max(open_end);
            }
        }
    }
    let _ = writeln!(
        svg,
        r##"<text x="12" y="{:.1}" font-size="13" font-weight="bold" fill="#222222">{}</text>"##,
        y + 17.0,
        escape(&stage.label())
    );
    let regions = stage.region_names().join(", ");
    let regions = if regions.chars().count() > 40 {
        format!("{}…", regions.chars().take(39).collect::<String>())
    } else {
        regions
    };
    let _ = writeln!(
        svg,
        r##"<text x="12" y="{:.1}" font-size="10" fill="#666666">{}</text>"##,
        y + 31.0,
        escape(&regions)
    );
    let (ready, start, end) = (
        stage.ready.as_second(),
        stage.start.as_second(),
        stage.end.as_second(),
    );
    let middle = y + ROW / 2.0;
    if start > ready {
        let _ = writeln!(
            svg,
            r##"<line x1="{:.1}" y1="{middle:.1}" x2="{:.1}" y2="{middle:.1}" stroke="#888888" stroke-width="2" stroke-dasharray="4,3"><title>waits {} for window {}</title></line>"##,
            scale.x(ready),
            scale.x(start),
            duration(start - ready),
            escape(stage.window.as_deref().unwrap_or(""))
        );
    }
    let lanes = stage.regions.len().max(1) as f64;
    let lane = (ROW - 2.0 * BAR_PAD) / lanes;
    for (j, region) in stage.regions.iter().enumerate() {
        let lane_y = y + BAR_PAD + lane * j as f64;
        let name = region.region.as_deref().unwrap_or(&stage.name);
        for segment in &region.segments {
            let (s, e) = (segment.start.as_second(), segment.end.as_second());
            let x0 = scale.x(s);
            let _ = writeln!(
                svg,
                r##"<rect x="{x0:.1}" y="{lane_y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {} {}, {} to {}</title></rect>"##,
                (scale.x(e) - x0).max(2.0),
                (lane - if lanes > 1.0 { 1.0 } else { 0.0 }).max(1.0),
                color(segment.kind),
                escape(name),
                segment.kind.as_str(),
                duration(e - s),
                escape(&local(segment.start, &stage.zone)),
                escape(&local(segment.end, &stage.zone))
            );
        }
    }
    let x_end = scale.x(end);
    let label = escape(
        &stage
            .end
            .to_zoned(stage.zone.clone())
            .strftime("%a %H:%M %Z")
            .to_string(),
    );
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#444444">{label}</text>"##,
        (x_end + 4.0).min(right + 4.0),
        middle + 3.5
    );
}

fn marker(svg: &mut String, scale: &Scale, t: i64, bottom: f64, text: &str) {
    let x = scale.x(t);
    let _ = writeln!(
        svg,
        r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#c0392b" stroke-width="1.5" stroke-opacity="0.6"/><text x="{x:.1}" y="{:.1}" font-size="10" fill="#c0392b" text-anchor="middle">{text}</text>"##,
        TOP - 2.0,
        bottom + 12.0
    );
}

fn color(kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::OneBoxDeploy => "#1f4e8c",
        SegmentKind::Deploy => "#2f7ed8",
        SegmentKind::Steps => "#4caf50",
        SegmentKind::OneBoxBake => "#f7c873",
        SegmentKind::Bake => "#e8892d",
    }
}

/// Text and attribute values: the five XML special characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_xml_characters_are_escaped() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
