//! What the targets hand the gate library, as the tests expect it, and
//! how a test runs an emitted script with the library or its stand-ins.

use std::path::Path;

use sluice_targets::gates::{Alarm, Probe as GateProbe};
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
