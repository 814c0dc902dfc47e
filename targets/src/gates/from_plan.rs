//! The gate library's arguments from the plan's alarms and probes. A probe
//! may name `${version}`, which only the run knows: it is written as
//! [`VERSION_MARK`], which each target's shell rendering turns into
//! `"$SLUICE_VERSION"` (a NUL never occurs in source text: the compiler
//! refuses it).

use sluice_grammar::value::Duration;

use super::{Alarm, Allow, Probe as GateProbe, WindowGate};
use crate::plan::{AlarmCheck, Command, Probe, Segment, WindowSpec};

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

/// The `window` gate for a window of the plan, waiting at most `max_wait`
/// in one call (each target chooses how long one of its steps may wait).
pub fn window_gate(name: &str, spec: &WindowSpec, max_wait: Duration) -> WindowGate {
    WindowGate {
        name: name.to_string(),
        zone: spec.timezone.clone(),
        allow: spec
            .allow
            .iter()
            .map(|a| Allow {
                days: a.days.clone(),
                from: a.from,
                to: a.to,
            })
            .collect(),
        deny: spec.deny.iter().map(|d| (d.from, d.to)).collect(),
        max_wait,
    }
}
