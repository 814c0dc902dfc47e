//! `start`: the version must be a full commit SHA; with an emergency mode
//! the flag must be `true` or `false`, and an emergency run needs a reason.

use sluice_targets::gates::StartGate;

use crate::harness::{Sandbox, SHELLS};
use crate::strs;

const SHA1: &str = "0123456789abcdef0123456789abcdef01234567";

const EMERGENCY_MODE: StartGate = StartGate {
    emergency_mode: true,
    reason_required: true,
};

#[test]
fn the_version_is_a_full_commit_sha() {
    let sha256 = "ab".repeat(32);
    for shell in SHELLS {
        let sandbox = Sandbox::new("start-version", shell);
        let start =
            |version: &str| sandbox.gates_env(1_000, &[("SLUICE_VERSION", version)], &["start"]);
        start(SHA1)
            .expect(0)
            .says(&format!("starting, version {SHA1}"));
        start(&sha256).expect(0);
        for bad in [
            "",
            "0123abcd",
            &SHA1.to_uppercase(),
            &format!("{SHA1}0"),
            &"0".repeat(40),
            "REPLACE-WITH-THE-COMMIT-SHA",
            &format!("{} ", SHA1),
            "$(touch pwned)",
        ] {
            start(bad).expect(1).says("is not a commit SHA");
        }
        // no version at all
        sandbox.gates(1_000, &["start"]).expect(1);
        assert!(!sandbox.dir.join("pwned").exists());
    }
}

#[test]
fn an_emergency_run_needs_a_reason() {
    let gate = EMERGENCY_MODE.args();
    let args = strs(&gate);
    for shell in SHELLS {
        let sandbox = Sandbox::new("start-emergency", shell);
        let start = |emergency: &str, reason: &str| {
            let env = [
                ("SLUICE_VERSION", SHA1),
                ("SLUICE_EMERGENCY", emergency),
                ("SLUICE_REASON", reason),
            ];
            sandbox.gates_env(1_000, &env, &args)
        };
        start("false", "").expect(0);
        start("false", "deploy by hand")
            .expect(0)
            .says("started by hand");
        start("true", "")
            .expect(1)
            .says("an emergency run needs a reason");
        start("true", " \t\n").expect(1);
        start("true", "sev1 $(x) `y` 'q'")
            .expect(0)
            .says("emergency run, version");
        start("yes", "r").expect(1).says("must be true or false");
        start("", "r").expect(1);
        // without an emergency mode the flag is not read
        let plain = [("SLUICE_VERSION", SHA1), ("SLUICE_EMERGENCY", "yes")];
        sandbox.gates_env(1_000, &plain, &["start"]).expect(0);
        sandbox
            .gates_env(1_000, &plain, &["start", "--nope"])
            .expect(2);
    }
}

#[test]
fn the_arguments_follow_the_plan() {
    let plain = StartGate {
        emergency_mode: false,
        reason_required: true,
    };
    assert_eq!(strs(&plain.args()), ["start"]);
    assert_eq!(
        strs(&EMERGENCY_MODE.args()),
        ["start", "--emergency-mode", "--require-reason"]
    );
}
