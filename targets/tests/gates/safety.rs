//! Hostile names and probe texts reach the providers unchanged; usage and
//! environment errors exit 2.

use sluice_grammar::Provider;
use sluice_targets::gates::blockers_args;

use crate::harness::{Sandbox, Shell, SHELLS};
use crate::{alarm, strs, EMPTY_VECTOR, LA};

#[test]
fn names_and_probe_texts_reach_the_providers_unchanged() {
    let hostile = "it's \"q\" $(touch pwned) `touch pwned` ${HOME} \\ ünï; *";
    for shell in SHELLS {
        let sandbox = Sandbox::new("hostile", shell);
        sandbox
            .rule("alarm", hostile, 0, "OK")
            .rule("promql", hostile, 0, EMPTY_VECTOR);
        // A command probe is shell text: it runs as written, once.
        let command = "printf '%s\\n' 'it'\\''s \"q\" $(x) `y` ${z}' > seen";
        let args = blockers_args(&[
            alarm(hostile, Provider::Cloudwatch, hostile),
            alarm(hostile, Provider::Prometheus, hostile),
            alarm(hostile, Provider::Command, command),
            alarm(
                "two\nlines",
                Provider::Command,
                "printf a > lines\nprintf b >> lines",
            ),
        ]);
        let run = sandbox.gates(1_000, &strs(&args));
        run.expect(0);
        assert_eq!(run.calls_to("aws")[0].args[3], hostile);
        assert_eq!(run.calls_to("curl")[0].args[5], format!("query={hostile}"));
        let seen = std::fs::read_to_string(sandbox.dir.join("seen")).unwrap();
        assert_eq!(seen, "it's \"q\" $(x) `y` ${z}\n");
        let lines = std::fs::read_to_string(sandbox.dir.join("lines")).unwrap();
        assert_eq!(lines, "ab");
        assert!(!sandbox.dir.join("pwned").exists());
    }
}

#[test]
fn usage_and_environment_errors_exit_2() {
    let sandbox = Sandbox::new("usage", Shell::Dash);
    let cases: &[(&[&str], &str)] = &[
        (&[], "no command"),
        (&["frobnicate"], "unknown command 'frobnicate'"),
        (&["window", "--zone", LA], "window: --name is required"),
        (&["window", "--name", "w"], "window: --zone is required"),
        (&["window", "--name"], "window: --name needs a value"),
        (
            &[
                "window",
                "--name",
                "w",
                "--zone",
                LA,
                "--allow",
                "mon..thu 9:00-16:00",
            ],
            "'9:00-16:00' is not HH:MM-HH:MM",
        ),
        (
            &[
                "window",
                "--name",
                "w",
                "--zone",
                LA,
                "--allow",
                "monday 09:00-16:00",
            ],
            "'monday' is not a day",
        ),
        (
            &[
                "window",
                "--name",
                "w",
                "--zone",
                LA,
                "--allow",
                "fri..mon 09:00-16:00",
            ],
            "'fri..mon' runs backwards",
        ),
        (
            &[
                "window",
                "--name",
                "w",
                "--zone",
                LA,
                "--deny",
                "2026-13-01",
            ],
            "--deny takes YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, not '2026-13-01'",
        ),
        (
            &["window", "--name", "w", "--zone", "../etc/passwd"],
            "is not an IANA time-zone name",
        ),
        (&["probe", "command", " \t\n"], "empty command probe"),
        (&["bake"], "bake: --duration is required"),
        (
            &["bake", "--duration", "12x"],
            "--duration takes a duration like 30m, 12h or 1h30m, not '12x'",
        ),
        (
            &["bake", "--duration", "1h", "--datapoints", "100"],
            "--datapoints needs --datapoint-probe",
        ),
        (
            &["bake", "--duration", "1h", "--max-wait", "30m"],
            "--max-wait is shorter than --duration",
        ),
        (
            &["blockers", "--alarm", "a", "carrier-pigeon", "x"],
            "unknown probe provider 'carrier-pigeon'",
        ),
        (
            &["blockers", "--alarm", "a", "cloudwatch"],
            "--alarm takes NAME PROVIDER TEXT",
        ),
        (
            &[
                "bake",
                "--duration",
                "1h",
                "--datapoints",
                "1",
                "--datapoint-probe",
                "cloudwatch",
                "Requests",
            ],
            "cloudwatch datapoint probe 'Requests' has no namespace",
        ),
    ];
    for (args, message) in cases {
        sandbox.gates(1_000, args).expect(2).says(message);
    }
    sandbox
        .gates_env(
            1_000,
            &[("PROMETHEUS_URL", "")],
            &["probe", "prometheus", "up"],
        )
        .expect(2)
        .says("the prometheus provider needs PROMETHEUS_URL");
    sandbox.rule("metric", "Requests", 0, "5");
    let run = sandbox.gates_env(
        1_000,
        &[("SLUICE_CLOUDWATCH_NAMESPACE", "Acme")],
        &[
            "bake",
            "--duration",
            "0s",
            "--datapoints",
            "5",
            "--datapoint-probe",
            "cloudwatch",
            "Requests",
        ],
    );
    run.expect(0);
    assert_eq!(
        run.calls_to("aws")[0].args[2..6],
        ["--namespace", "Acme", "--metric-name", "Requests"]
    );
}
