//! `bake`: alarms firing mid-bake, the bake time, late and missing
//! datapoints, the providers' datapoint counts, and chunked long bakes.

use sluice_grammar::Provider;
use sluice_targets::gates::BakeGate;
use sluice_targets::plan::Command;

use crate::harness::{at, Sandbox, SHELLS};
use crate::{alarm, probe, secs, strs, vector};

#[test]
fn an_alarm_firing_mid_bake_fails_it_at_the_next_poll() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("bake-alarm", shell);
        let start = 1_000_000;
        sandbox
            .rule("alarm", "Team_High_Sev", 0, "OK")
            .rule("command", "errors", 0, "OK")
            .rule("command", "errors", start + 3 * 3600 + 120, "ALARM");
        let bake = BakeGate {
            duration: secs(12 * 3600),
            interval: secs(300),
            alarms: vec![
                alarm("high-sev", Provider::Cloudwatch, "Team_High_Sev"),
                alarm("errors", Provider::Command, "probe-state errors"),
            ],
            datapoints: None,
            max_wait: None,
            chunk: None,
        };
        let run = sandbox.gates(start, &strs(&bake.args()));
        run.expect(1)
            .says("baking for 12h (0s done); watching 2 alarms every 5m")
            .says("alarm 'errors' fired after 3h5m of the bake (command: probe-state errors)");
        assert_eq!(run.stdout, "");
        let polls = run.calls_to("probe-state");
        assert_eq!(polls.len(), 38, "polled every 5 minutes until 3h05");
        assert_eq!(polls.last().unwrap().now, start + 3 * 3600 + 300);
    }
}

#[test]
fn a_bake_without_datapoints_lasts_exactly_its_duration() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("bake-plain", shell);
        sandbox.rule("alarm", "Team_High_Sev", 0, "OK");
        let start = 1_000_000;
        let args = [
            "bake",
            "--duration",
            "25m",
            "--interval",
            "10m",
            "--alarm",
            "high-sev",
            "cloudwatch",
            "Team_High_Sev",
        ];
        let run = sandbox.gates(start, &args);
        run.expect(0).says("bake done after 25m; no alarm fired");
        assert_eq!(run.stdout, "done\n");
        let nows: Vec<i64> = run.calls_to("aws").iter().map(|c| c.now - start).collect();
        assert_eq!(nows, [0, 600, 1200, 1500]);
    }
}

#[test]
fn late_datapoints_make_the_bake_last_longer() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("bake-datapoints", shell);
        let start = at("2026-06-10T17:00:00Z[UTC]");
        sandbox
            .rule("alarm", "Team_High_Sev", 0, "OK")
            .rule("metric", "Requests", 0, "0")
            .rule("metric", "Requests", start + 1800, "40.0")
            .rule("metric", "Requests", start + 3600, "90.0")
            .rule("metric", "Requests", start + 4800, "130.0");
        let bake = BakeGate {
            duration: secs(3600),
            interval: secs(300),
            alarms: vec![alarm("high-sev", Provider::Cloudwatch, "Team_High_Sev")],
            datapoints: Some((
                100,
                probe(
                    Provider::Cloudwatch,
                    "Acme/Service Requests Region=us-west-1",
                ),
            )),
            max_wait: None,
            chunk: None,
        };
        let run = sandbox.gates(start, &strs(&bake.args()));
        run.expect(0)
            .says("bake time is up, but 90.0 of 100 datapoints so far; waiting for more")
            .says("bake done after 1h20m: 130.0 datapoints (needed 100); no alarm fired");
        assert_eq!(run.stdout, "done\n");
        let stats: Vec<_> = run
            .calls_to("aws")
            .into_iter()
            .filter(|c| c.args[1] == "get-metric-statistics")
            .collect();
        assert_eq!(stats.len(), 5, "read at 1h, 1h05, 1h10, 1h15, 1h20");
        assert_eq!(stats[0].now, start + 3600);
        assert_eq!(
            stats[0].args,
            [
                "cloudwatch",
                "get-metric-statistics",
                "--namespace",
                "Acme/Service",
                "--metric-name",
                "Requests",
                "--dimensions",
                "Name=Region,Value=us-west-1",
                "--start-time",
                "2026-06-10T17:00:00Z",
                "--end-time",
                "2026-06-10T18:00:00Z",
                "--period",
                "3600",
                "--statistics",
                "Sum",
                "--query",
                "sum(Datapoints[].Sum)",
                "--output",
                "text"
            ]
        );
        assert_eq!(stats[4].args[11], "2026-06-10T18:20:00Z");
    }
}

#[test]
fn datapoints_that_never_come_fail_the_bake_after_the_maximum_wait() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("bake-no-datapoints", shell);
        let start = 1_000_000;
        sandbox.rule("command", "requests", 0, "50");
        let args = [
            "bake",
            "--duration",
            "1h",
            "--interval",
            "10m",
            "--max-wait",
            "3h",
            "--datapoints",
            "100",
            "--datapoint-probe",
            "command",
            "probe-state requests",
        ];
        let run = sandbox.gates(start, &args);
        run.expect(1).says(
            "bake got 50 of 100 datapoints within 3h (command: probe-state requests): failing it",
        );
        assert_eq!(
            run.calls_to("probe-state").last().unwrap().now,
            start + 3 * 3600
        );
    }
}

#[test]
fn prometheus_and_command_probes_count_datapoints() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("datapoints", shell);
        let requests = r#"sum(increase(requests_total{region="us-west-1"}[1h]))"#;
        let by_region = "sum by (region) (increase(requests_total[1h]))";
        let scalar = "scalar(vector(7))";
        sandbox
            .rule("promql", requests, 0, &vector(&["120"]))
            .rule("promql", by_region, 0, &vector(&["1.5e+02", "30"]))
            .rule("promql", "nan", 0, &vector(&["NaN"]))
            .rule("promql", scalar, 0, r#"{"status":"success","data":{"resultType":"scalar","result":[1781290800.5,"7"]}}"#)
            .rule("promql", "down", 0, "FAIL")
            .rule("command", "requests", 0, "42");
        let count =
            |provider: &str, text: &str| sandbox.gates(1_000, &["datapoints", provider, text]);
        assert_eq!(count("prometheus", requests).expect(0).stdout, "120\n");
        assert_eq!(count("prometheus", by_region).expect(0).stdout, "180\n");
        assert_eq!(count("prometheus", scalar).expect(0).stdout, "7\n");
        count("prometheus", "nan")
            .expect(1)
            .says("has a value that is not a number");
        count("prometheus", "down")
            .expect(1)
            .says("Prometheus query failed: down");
        assert_eq!(
            count("command", "probe-state requests").expect(0).stdout,
            "42\n"
        );
        count("command", "echo lots")
            .expect(1)
            .says("datapoint command printed 'lots', not a number");
        let probe = |provider: &str, text: &str| sandbox.gates(1_000, &["probe", provider, text]);
        assert_eq!(probe("prometheus", requests).expect(0).stdout, "ALARM\n");
        probe("prometheus", scalar)
            .expect(1)
            .says("returns a scalar, not a vector");
        probe("command", "exit 3")
            .expect(1)
            .says("probe command exited with 3 (0 = OK, 1 = ALARM): exit 3");
    }
}

#[test]
fn a_long_bake_runs_in_chunks_from_its_real_start() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("bake-chunks", shell);
        let start = 1_000_000;
        sandbox.rule("command", "errors", 0, "OK");
        let bake = BakeGate {
            duration: secs(12 * 3600),
            interval: secs(1800),
            alarms: vec![alarm("errors", Provider::Command, "probe-state errors")],
            datapoints: None,
            max_wait: None,
            chunk: Some(secs(5 * 3600)),
        };
        let mut args = bake.args();
        let first = sandbox.gates(start, &strs(&args));
        first.expect(0).says(&format!(
            "bake continues after 5h of 12h: call again with --started-at {start}"
        ));
        assert_eq!(first.stdout, "continue\n");
        args.extend([
            Command::literal("--started-at"),
            Command::literal(&start.to_string()),
        ]);
        // The next job starts a little later; the bake time counts on.
        let second = sandbox.gates(start + 5 * 3600 + 90, &strs(&args));
        second.expect(0).says("baking for 12h (5h1m30s done)");
        assert_eq!(second.stdout, "continue\n");
        let third = sandbox.gates(start + 10 * 3600 + 200, &strs(&args));
        third.expect(0).says("bake done after 12h; no alarm fired");
        assert_eq!(third.stdout, "done\n");
        assert_eq!(
            third.calls_to("probe-state").last().unwrap().now,
            start + 12 * 3600
        );
    }
}
