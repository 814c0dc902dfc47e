//! `--format json` (SPEC 8): `{"pipeline","start","end","lead_time_seconds",
//! "stages":[{"name","wave","regions","start","end"}]}` with RFC 3339
//! instants, plus `ready`, `waited_seconds` and `window` per stage so tools
//! can tell waiting from working.

use serde::Serialize;
use sluice_compiler::simulate::Timeline;

use super::format::rfc3339;

#[derive(Serialize)]
struct Json<'t> {
    pipeline: &'t str,
    start: String,
    end: String,
    lead_time_seconds: i64,
    stages: Vec<StageJson<'t>>,
}

#[derive(Serialize)]
struct StageJson<'t> {
    name: &'t str,
    wave: Option<&'t str>,
    regions: Vec<&'t str>,
    start: String,
    end: String,
    ready: String,
    waited_seconds: i64,
    window: Option<&'t str>,
}

pub fn render(timeline: &Timeline) -> String {
    let zone = timeline.start.time_zone();
    let json = Json {
        pipeline: &timeline.pipeline,
        start: rfc3339(timeline.start.timestamp(), zone),
        end: rfc3339(timeline.end.timestamp(), zone),
        lead_time_seconds: timeline.lead_time_seconds(),
        stages: timeline
            .stages
            .iter()
            .map(|s| StageJson {
                name: &s.name,
                wave: s.wave.as_deref(),
                regions: s.region_names(),
                start: rfc3339(s.start, &s.zone),
                end: rfc3339(s.end, &s.zone),
                ready: rfc3339(s.ready, &s.zone),
                waited_seconds: s.waited_seconds(),
                window: s.window.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}
