//! `blockers`: all clear, firing, and unreadable alarms; the exact
//! commands each provider runs.

use sluice_grammar::Provider;
use sluice_targets::gates::blockers_args;

use crate::harness::{Sandbox, SHELLS};
use crate::{alarm, strs, vector, EMPTY_VECTOR};

const QUERY: &str = r#"sum(rate(canary_failed_total{region="us-west-1"}[5m])) > 0"#;

#[test]
fn blockers_pass_when_none_fires_and_probes_are_called_exactly() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("blockers-clear", shell);
        sandbox
            .rule("alarm", "Team_High_Sev", 0, "OK")
            .rule("alarm", "New Alarm", 0, "INSUFFICIENT_DATA")
            .rule("promql", QUERY, 0, EMPTY_VECTOR)
            .rule("command", "deploys", 0, "OK");
        let args = blockers_args(&[
            alarm("high-sev", Provider::Cloudwatch, "Team_High_Sev"),
            alarm("new", Provider::Cloudwatch, "New Alarm"),
            alarm("canary", Provider::Prometheus, QUERY),
            alarm("deploys", Provider::Command, "probe-state deploys"),
        ]);
        let run = sandbox.gates(1_000, &strs(&args));
        run.expect(0).says("no blocker in ALARM (4 checked)");
        let aws = run.calls_to("aws");
        assert_eq!(
            aws[0].args,
            [
                "cloudwatch",
                "describe-alarms",
                "--alarm-names",
                "Team_High_Sev",
                "--alarm-types",
                "MetricAlarm",
                "CompositeAlarm",
                "--query",
                "(MetricAlarms[0] || CompositeAlarms[0]).StateValue",
                "--output",
                "text"
            ]
        );
        assert_eq!(aws[1].args[3], "New Alarm");
        assert_eq!(
            run.calls_to("curl")[0].args,
            [
                "-fsS",
                "--max-time",
                "60",
                "--get",
                "--data-urlencode",
                &format!("query={QUERY}"),
                "http://prometheus.test:9090/api/v1/query"
            ]
        );
        assert_eq!(run.calls_to("probe-state")[0].args, ["deploys"]);
    }
}

#[test]
fn a_firing_blocker_fails_the_gate() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("blockers-firing", shell);
        sandbox
            .rule("alarm", "Team_High_Sev", 0, "ALARM")
            .rule("promql", QUERY, 0, &vector(&["1"]))
            .rule("command", "deploys", 0, "OK");
        let args = blockers_args(&[
            alarm("high-sev", Provider::Cloudwatch, "Team_High_Sev"),
            alarm("canary", Provider::Prometheus, QUERY),
            alarm("deploys", Provider::Command, "probe-state deploys"),
        ]);
        sandbox
            .gates(1_000, &strs(&args))
            .expect(1)
            .says("blocker 'high-sev' is in ALARM (cloudwatch: Team_High_Sev)")
            .says(&format!(
                "blocker 'canary' is in ALARM (prometheus: {QUERY})"
            ))
            .says("2 of 3 blockers firing: not starting");
    }
}

#[test]
fn an_unreadable_blocker_is_retried_then_fails_closed() {
    for shell in SHELLS {
        let sandbox = Sandbox::new("blockers-unreadable", shell);
        sandbox
            .rule("alarm", "Gone", 0, "None")
            .rule("alarm", "Flaky", 0, "FAIL")
            .rule("alarm", "Flaky", 1_005, "OK");
        let gone = blockers_args(&[alarm("gone", Provider::Cloudwatch, "Gone")]);
        let run = sandbox.gates(1_000, &strs(&gone));
        run.expect(1)
            .says("no CloudWatch alarm named 'Gone'")
            .says("could not read alarm 'gone' (try 2 of 3); retrying in 10s")
            .says("blocker 'gone' cannot be read (cloudwatch: Gone); treating it as firing");
        let nows: Vec<i64> = run.calls_to("aws").iter().map(|c| c.now).collect();
        assert_eq!(nows, [1_000, 1_010, 1_020]);
        // A transient error is read again: the second try answers OK.
        let flaky = blockers_args(&[alarm("flaky", Provider::Cloudwatch, "Flaky")]);
        let run = sandbox.gates(1_000, &strs(&flaky));
        run.expect(0)
            .says("could not read alarm 'flaky' (try 1 of 3)");
        assert_eq!(run.calls_to("aws").len(), 2);
    }
}
