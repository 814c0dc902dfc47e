//! Deploy steps, bakes and parallel regions.

use super::{compiled, run, times};
use crate::simulate::{simulate, SegmentKind, SimOptions, Timeline};

fn steps(t: &Timeline, label: &str) -> Vec<(String, u64)> {
    let stage = t.stages.iter().find(|s| s.label() == label).unwrap();
    stage
        .regions
        .iter()
        .map(|r| (r.region.clone().unwrap_or_default(), r.deploy_steps))
        .collect()
}

fn owned(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

const ROLLOUTS: &str = r#"
pipeline p {
  fleet f
  stage cells   { regions [r1, r2, r3] deploy "d" one-box { bake 0s } rolling { by cell } }
  stage batches { regions [r1] deploy "d" one-box { bake 30m } rolling { batch 30% } }
  stage whole   { regions [r1] deploy "d" rolling { batch 100% } }
  stage plain   { regions [r1] deploy "d" }
  stage global  { deploy "d" rolling { by cell } }
  stage tests   { check integration "make integ" }
}
"#;

#[test]
fn deploy_steps_follow_the_rolling_mode() {
    let c = compiled(ROLLOUTS);
    let t = run(&c.model, "2026-11-24T10:00[UTC]");
    // one-box + one per cell; a region without cells is one unit
    assert_eq!(
        steps(&t, "cells"),
        owned(&[("r1", 4), ("r2", 2), ("r3", 3)])
    );
    // one-box + ceil(100 / 30) = 4 batches
    assert_eq!(steps(&t, "batches"), owned(&[("r1", 5)]));
    assert_eq!(steps(&t, "whole"), owned(&[("r1", 1)]));
    assert_eq!(steps(&t, "plain"), owned(&[("r1", 1)]));
    // a stage without regions runs its work once
    assert_eq!(steps(&t, "global"), owned(&[("", 1)]));
    assert_eq!(steps(&t, "tests"), owned(&[("", 0)]));
    // 4 steps of 15m; the 0s one-box bake takes no time
    assert_eq!(times(&t, "cells").1, "Tue 2026-11-24T03:00");
    // 15m one-box, 30m bake, 4 x 15m batches
    let batches = t.stages.iter().find(|s| s.name == "batches").unwrap();
    let kinds: Vec<_> = batches.regions[0]
        .segments
        .iter()
        .map(|s| (s.kind, s.end.as_second() - s.start.as_second()))
        .collect();
    assert_eq!(
        kinds,
        [
            (SegmentKind::OneBoxDeploy, 900),
            (SegmentKind::OneBoxBake, 1800),
            (SegmentKind::Deploy, 3600)
        ]
    );
}

#[test]
fn deploy_and_step_times_are_options() {
    let c = compiled(ROLLOUTS);
    let options = SimOptions {
        deploy_time: sluice_grammar::value::Duration::from_secs(60),
        step_time: sluice_grammar::value::Duration::from_secs(1),
        ..SimOptions::default()
    };
    let p = c.model.pipeline("p").unwrap();
    let t = simulate(p, &c.model, &super::at("2026-11-24T10:00[UTC]"), &options).unwrap();
    let tests = t.stages.iter().find(|s| s.name == "tests").unwrap();
    assert_eq!(tests.end.as_second() - tests.start.as_second(), 1);
    let cells = t.stages.iter().find(|s| s.name == "cells").unwrap();
    assert_eq!(cells.end.as_second() - cells.start.as_second(), 4 * 60);
}

#[test]
fn a_stage_without_deploy_has_no_deploy_steps_and_no_one_box() {
    let c = compiled(
        r#"pipeline p { fleet f stage s { regions [r1] deploy "d" one-box { bake 1h } bake 2h } }"#,
    );
    let mut p = c.model.pipeline("p").unwrap().clone();
    p.stages[0].deploy = None; // only the library can build this
    let t = simulate(
        &p,
        &c.model,
        &super::at("2026-11-24T10:00[UTC]"),
        &SimOptions::default(),
    )
    .unwrap();
    let region = &t.stages[0].regions[0];
    assert_eq!(region.deploy_steps, 0);
    let kinds: Vec<_> = region.segments.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SegmentKind::Bake]);
}

#[test]
fn parallel_regions_end_with_the_slowest() {
    let c = compiled(
        r#"
        pipeline p {
          fleet f
          stage gamma { regions [r1, r2] deploy "d" one-box { bake 30m } rolling { by cell } bake 1h }
        }
        "#,
    );
    let t = run(&c.model, "2026-11-24T10:00[UTC]");
    let gamma = &t.stages[0];
    let ends: Vec<String> = gamma.regions.iter().map(|r| r.end.to_string()).collect();
    // r1: 15m + 30m + 3 x 15m + 1h = 2h30m; r2: 15m + 30m + 15m + 1h = 2h
    assert_eq!(ends, ["2026-11-24T12:30:00Z", "2026-11-24T12:00:00Z"]);
    assert_eq!(gamma.end.to_string(), "2026-11-24T12:30:00Z");
}

#[test]
fn parallel_stages_with_different_bakes_join_at_the_slowest() {
    let c = compiled(
        r#"
        pipeline p {
          fleet f
          stage build { run b "b" }
          stage east { after build regions [r2] deploy "d" one-box { bake 2h } bake 4h }
          stage west { after build regions [r3] deploy "d" bake 1h }
          stage done { after [east, west] run n "n" }
        }
        "#,
    );
    let t = run(&c.model, "2026-11-24T10:00[UTC]");
    assert_eq!(times(&t, "east").0, times(&t, "west").0);
    // east: 5m + 15m + 2h + 15m + 4h; west: 5m + 15m + 1h
    assert_eq!(times(&t, "east").1, "Tue 2026-11-24T08:35");
    assert_eq!(times(&t, "west").1, "Tue 2026-11-24T03:20");
    assert_eq!(times(&t, "done").0, "Tue 2026-11-24T08:35");
    assert_eq!(t.lead_time_seconds(), 6 * 3600 + 40 * 60);
}

#[test]
fn running_past_the_year_9999_is_an_error_not_a_panic() {
    // durations are at most a year, so only a late start gets there
    let c = compiled(r#"pipeline p { stage s { run x "x" bake 365d } }"#);
    let p = c.model.pipeline("p").unwrap();
    let error = simulate(
        p,
        &c.model,
        &super::at("9999-11-24T10:00[UTC]"),
        &SimOptions::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("after the year 9999"), "{error}");
}
