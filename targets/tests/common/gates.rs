//! What the targets hand the gate library, as the tests expect it, and
//! how a test runs an emitted script with the library or its stand-ins.

use std::path::Path;

use sluice_targets::gates::{blockers_args, Alarm, Probe as GateProbe};
use sluice_targets::plan::{AlarmCheck, Command, Probe};

/// A plan's probe as the gate library receives it in a run of `version`.
pub fn probe(probe: &Probe, version: &str) -> GateProbe {
    GateProbe {
        provider: probe.provider,
        text: Command::literal(&probe.query.resolve(version)),
    }
}

/// A plan's alarms as the gate library receives them in a run of
/// `version`.
pub fn alarms(alarms: &[AlarmCheck], version: &str) -> Vec<Alarm> {
    alarms
        .iter()
        .map(|a| Alarm {
            name: a.alarm.clone(),
            probe: probe(&a.probe, version),
        })
        .collect()
}

/// Gate-library arguments as the stand-in of [`stubbed`] prints them.
pub fn brackets(args: &[Command]) -> String {
    args.iter()
        .map(|a| format!("[{}]", a.resolve("")))
        .collect()
}

/// What a deploy of `command` watching `alarms` prints in a run of
/// `version` under [`stubbed`]: its blockers check (when it has alarms),
/// the command, the check again.
pub fn deploy_output(alarms: &[AlarmCheck], command: &Command, version: &str) -> String {
    let alarms = self::alarms(alarms, version);
    let check = if alarms.is_empty() {
        String::new()
    } else {
        brackets(&blockers_args(&alarms))
    };
    format!("{check}{}{check}", command.resolve(version))
}

/// Runs `command` (a script of gate-library calls) with `bin` first on
/// the PATH and the gate library's fake clock starting at `start` (a
/// zoned time): its exit code and what it wrote to stderr.
pub fn run_gated(command: &mut std::process::Command, bin: &Path, start: &str) -> (i32, String) {
    let now: jiff::Zoned = start.parse().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = command
        .env("PATH", path)
        .env("SLUICE_GATES_NOW", now.timestamp().as_second().to_string())
        .env("SLUICE_GATES_FAKE_SLEEP", "1")
        .output()
        .expect("sh runs");
    (
        run.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

/// `script` with the target's command runner (`run_line`) printing the
/// command and each gate-library call printing its arguments as `[arg]`.
pub fn stubbed(script: &str, run_line: &str) -> String {
    script
        .replace(run_line, "printf %s \"$cmd\"")
        .replace("sh \"$gates\"", "printf '[%s]'")
}

/// Writes each `(name, body)` under `dir` as an executable `sh` script.
pub fn write_scripts<B: AsRef<str>>(dir: &Path, scripts: &[(&str, B)]) {
    use std::os::unix::fs::PermissionsExt;
    for (name, body) in scripts {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{}", body.as_ref())).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
