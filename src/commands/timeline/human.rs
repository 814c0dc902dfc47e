//! The timeline as a table for a terminal: one line per stage or wave,
//! times in the zone of its window (or of the start) and in UTC, the time
//! spent waiting for a window, then the lead time.

use std::collections::BTreeMap;
use std::fmt::Write;

use sluice_compiler::simulate::{SimOptions, Timeline};

use super::format::{duration, local, utc};

pub fn render(timeline: &Timeline, options: &SimOptions) -> String {
    let zone = timeline.start.time_zone();
    let zone_name = zone.iana_name().unwrap_or("fixed offset");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} merged at {} ({zone_name})",
        timeline.pipeline,
        local(timeline.start.timestamp(), zone)
    );
    let _ = writeln!(
        out,
        "deploy steps take {}, run and check steps {}; blockers assumed clear, approvals immediate\n",
        options.deploy_time, options.step_time
    );
    let mut rows = vec![[
        "stage/wave".to_string(),
        "regions".into(),
        "start".into(),
        "end".into(),
        "start (UTC)".into(),
        "end (UTC)".into(),
        "waited".into(),
    ]];
    for stage in &timeline.stages {
        let regions = stage.region_names();
        let waited = stage.waited_seconds();
        rows.push([
            stage.label(),
            if regions.is_empty() {
                "-".into()
            } else {
                regions.join(", ")
            },
            local(stage.start, &stage.zone),
            local(stage.end, &stage.zone),
            utc(stage.start),
            utc(stage.end),
            match (&stage.window, waited) {
                (Some(window), w) if w > 0 => format!("{} for {window}", duration(w)),
                _ => "-".into(),
            },
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            // padded by hand: `{cell:<w$}` panics once `w` passes 65,535
            .map(|(cell, w)| {
                let padding = w.saturating_sub(cell.chars().count());
                format!("{cell}{}", " ".repeat(padding))
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    let _ = writeln!(
        out,
        "\nlead time: {}, to {} ({})",
        duration(timeline.lead_time_seconds()),
        local(timeline.end.timestamp(), zone),
        utc(timeline.end.timestamp())
    );
    let mut waits: BTreeMap<&str, i64> = BTreeMap::new();
    for stage in &timeline.stages {
        if let Some(window) = &stage.window {
            *waits.entry(window).or_default() += stage.waited_seconds();
        }
    }
    waits.retain(|_, w| *w > 0);
    if waits.is_empty() {
        out.push_str("no waiting for windows\n");
    } else {
        let list: Vec<String> = waits
            .iter()
            .map(|(window, w)| format!("{} for {window}", duration(*w)))
            .collect();
        let _ = writeln!(out, "waiting for windows: {}", list.join(", "));
    }
    out
}
