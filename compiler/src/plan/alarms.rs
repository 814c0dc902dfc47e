//! Alarms and probes with their variables substituted for one unit.
//!
//! Alarm probes may use any variable (`canary_failed_total{region="${region}"}`):
//! an alarm is a family, one member per region or phase, and a unit polls
//! the member for its own context. Probes keep `${version}` as a typed
//! segment like commands do.

use crate::model::{Model, Probe as ModelProbe};
use sluice_grammar::Ident;

use super::command::{expand, Vars};
use super::types::{AlarmCheck, Probe};
use super::PlanError;

/// The checks of `names` in `vars`' context, without repeats, first
/// mention first (a one-box watches its own alarms plus the stage's, and a
/// name in both is polled once).
pub fn alarm_checks<'a>(
    names: impl IntoIterator<Item = &'a Ident>,
    vars: &Vars,
    model: &Model,
) -> Result<Vec<AlarmCheck>, PlanError> {
    let mut out: Vec<AlarmCheck> = Vec::new();
    for name in names {
        let check = alarm_check(&name.text, vars, model)?;
        if !out.contains(&check) {
            out.push(check);
        }
    }
    Ok(out)
}

/// Blocker checks for a stage: each alarm in the context of every region
/// the stage deploys to (one context without regions). The stage must not
/// start while the alarm fires for any of them; members whose probe does
/// not name `${region}` are identical and kept once.
pub fn blocker_checks(
    names: &[Ident],
    contexts: &[Vars],
    model: &Model,
) -> Result<Vec<AlarmCheck>, PlanError> {
    let mut out: Vec<AlarmCheck> = Vec::new();
    for name in names {
        for vars in contexts {
            let check = alarm_check(&name.text, vars, model)?;
            if !out.contains(&check) {
                out.push(check);
            }
        }
    }
    Ok(out)
}

fn alarm_check(name: &str, vars: &Vars, model: &Model) -> Result<AlarmCheck, PlanError> {
    let alarm = model.alarms.get(name).ok_or_else(|| PlanError::Missing {
        what: "alarm",
        name: name.to_string(),
    })?;
    let probe = alarm.probe.as_ref().ok_or_else(|| PlanError::Missing {
        what: "probe of alarm",
        name: name.to_string(),
    })?;
    Ok(AlarmCheck {
        alarm: name.to_string(),
        probe: probe_in(probe, vars),
    })
}

/// A probe of the model in a unit's context.
pub fn probe_in(probe: &ModelProbe, vars: &Vars) -> Probe {
    Probe {
        provider: probe.provider,
        query: expand(&probe.text, vars),
    }
}
