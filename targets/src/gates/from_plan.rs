//! The gate library's arguments from the plan, built once for all four
//! targets: the start gate, alarms and probes (their text stays a
//! [`crate::plan::Command`], so `${version}` remains typed), the window gate
//! and the bake gate.

use sluice_grammar::value::Duration;

use super::{Alarm, Allow, BakeGate, Probe as GateProbe, StartGate, WindowGate};
use crate::plan::{AlarmCheck, Bake, Plan, Probe, WindowSpec};

/// The `start` gate of `plan`'s runs: the version always, and with an
/// emergency mode the emergency flag and, when the mode requires one, the
/// reason.
pub fn start_gate(plan: &Plan) -> StartGate {
    StartGate {
        emergency_mode: plan.emergency.is_some(),
        reason_required: plan.emergency.as_ref().is_some_and(|e| e.reason_required),
    }
}

pub fn gate_probe(probe: &Probe) -> GateProbe {
    GateProbe {
        provider: probe.provider,
        text: probe.query.clone(),
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

/// The `bake` gate of a bake of the plan, baking `seconds` (the bake's own
/// time, or its emergency time): its poll interval, alarms and datapoints.
/// The library's defaults for the maximum wait and no chunks; a target
/// that needs them sets `max_wait` and `chunk` on the result.
pub fn bake_gate(bake: &Bake, seconds: u64) -> BakeGate {
    BakeGate {
        duration: Duration::from_secs(seconds),
        interval: Duration::from_secs(bake.poll_seconds),
        alarms: gate_alarms(&bake.alarms),
        datapoints: bake
            .datapoints
            .as_ref()
            .map(|d| (d.count, gate_probe(&d.probe))),
        max_wait: None,
        chunk: None,
    }
}
