//! The gate library's arguments from the plan's alarms and probes. A probe
//! may name `${version}`, which only the run knows: it is written as
//! [`VERSION_MARK`], which each target's shell rendering turns into
//! `"$SLUICE_VERSION"` (a NUL never occurs in source text: the compiler
//! refuses it).

use super::{Alarm, Probe as GateProbe};
use crate::plan::{AlarmCheck, Command, Probe, Segment};

/// Stands for the run's version inside a gate argument.
pub const VERSION_MARK: &str = "\u{0}version\u{0}";

/// The command's text, with the version as [`VERSION_MARK`].
pub fn marked(command: &Command) -> String {
    command
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => text.as_str(),
            Segment::Version => VERSION_MARK,
        })
        .collect()
}

pub fn gate_probe(probe: &Probe) -> GateProbe {
    GateProbe {
        provider: probe.provider,
        text: marked(&probe.query),
    }
}

pub fn gate_alarms(alarms: &[AlarmCheck]) -> Vec<Alarm> {
    alarms
        .iter()
        .map(|a| Alarm {
            name: a.alarm.clone(),
            probe: gate_probe(&a.probe),
        })
        .collect()
}
