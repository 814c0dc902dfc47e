//! The argument lists of the library's commands, typed, so emitters cannot
//! drift from what `sluice-gates.sh` parses. Each list starts with the
//! command (`window`, `blockers`, `bake`); the emitter prefixes
//! `sh <path>/sluice-gates.sh` and renders each argument for its language.
//!
//! Every argument is a [`Command`]: literal text, and the run's version
//! where a probe of the source names `${version}` (only the run knows it).
//! Targets render arguments as they render commands — one `sh` word by
//! [`Command::to_sh_word`], a Groovy expression in Jenkins — so the version
//! always reaches the library through `$SLUICE_VERSION`, never spliced
//! into generated text.

use sluice_grammar::value::{Date, Day, Duration, Time};
use sluice_grammar::Provider;

use crate::plan::Command;

/// A probe of SPEC 3.4: the provider, then its text (plan-time variables
/// substituted, the version left to the run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub provider: Provider,
    pub text: Command,
}

/// A named alarm; the name only appears in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub name: String,
    pub probe: Probe,
}

impl Alarm {
    fn push_args(&self, args: &mut Vec<Command>) {
        args.extend([
            arg("--alarm"),
            arg(&self.name),
            arg(self.probe.provider.as_str()),
            self.probe.text.clone(),
        ]);
    }
}

/// A literal argument.
fn arg(text: &str) -> Command {
    Command::literal(text)
}

/// The texts the library receives from `args` in a run of `version` (for
/// tests, and for people reproducing a gate by hand).
pub fn resolve(args: &[Command], version: &str) -> Vec<String> {
    args.iter().map(|a| a.resolve(version)).collect()
}

/// `allow DAYS HH:MM-HH:MM`: starts allowed on `days` from `from` up to,
/// not including, `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub days: Vec<Day>,
    pub from: Time,
    pub to: Time,
}

impl Allow {
    /// `mon..thu 09:00-16:00`: runs of consecutive days as ranges, joined
    /// by commas (`mon,wed..fri`).
    fn arg(&self) -> String {
        let mut runs: Vec<(Day, Day)> = Vec::new();
        for &day in &self.days {
            match runs.last_mut() {
                Some((_, last)) if last.index() + 1 == day.index() => *last = day,
                _ => runs.push((day, day)),
            }
        }
        let days: Vec<String> = runs
            .iter()
            .map(|(first, last)| {
                if first == last {
                    first.as_str().to_string()
                } else {
                    format!("{}..{}", first.as_str(), last.as_str())
                }
            })
            .collect();
        format!("{} {}-{}", days.join(","), self.from, self.to)
    }
}

/// `start`: refuse a run whose inputs are wrong (see the module
/// documentation of `gates`); the inputs come from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartGate {
    /// The pipeline has an emergency mode: check the emergency flag.
    pub emergency_mode: bool,
    /// An emergency run needs a reason.
    pub reason_required: bool,
}

impl StartGate {
    pub fn args(&self) -> Vec<Command> {
        let mut args = vec![arg("start")];
        if self.emergency_mode {
            args.push(arg("--emergency-mode"));
            if self.reason_required {
                args.push(arg("--require-reason"));
            }
        }
        args
    }
}

/// `window`: wait until the window is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowGate {
    pub name: String,
    /// An IANA time-zone name.
    pub zone: String,
    pub allow: Vec<Allow>,
    /// Denied local days, inclusive ranges (a single day is `(d, d)`):
    /// holidays of the window's calendars and its `deny` ranges.
    pub deny: Vec<(Date, Date)>,
    pub max_wait: Duration,
}

impl WindowGate {
    pub fn args(&self) -> Vec<Command> {
        let mut args = vec![
            arg("window"),
            arg("--name"),
            arg(&self.name),
            arg("--zone"),
            arg(&self.zone),
        ];
        for rule in &self.allow {
            args.push(arg("--allow"));
            args.push(arg(&rule.arg()));
        }
        for (from, to) in &self.deny {
            args.push(arg("--deny"));
            args.push(arg(&if from == to {
                from.to_string()
            } else {
                format!("{from}..{to}")
            }));
        }
        args.push(arg("--max-wait"));
        args.push(arg(&self.max_wait.to_string()));
        args
    }
}

/// `blockers`: fail if any of these alarms is in ALARM.
pub fn blockers_args(alarms: &[Alarm]) -> Vec<Command> {
    let mut args = vec![arg("blockers")];
    for alarm in alarms {
        alarm.push_args(&mut args);
    }
    args
}

/// `bake`: wait at least `duration` and until the datapoints are in,
/// polling the alarms every `interval`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BakeGate {
    pub duration: Duration,
    pub interval: Duration,
    pub alarms: Vec<Alarm>,
    /// At least this many datapoints, as this probe counts them.
    pub datapoints: Option<(u64, Probe)>,
    /// Give up waiting for datapoints after this long (library default:
    /// duration + 24h).
    pub max_wait: Option<Duration>,
    /// Return `continue` after this long (for runners with job limits); the
    /// next call appends `--started-at EPOCH` itself, a value known only at
    /// run time.
    pub chunk: Option<Duration>,
}

impl BakeGate {
    pub fn args(&self) -> Vec<Command> {
        let mut args = vec![
            arg("bake"),
            arg("--duration"),
            arg(&self.duration.to_string()),
            arg("--interval"),
            arg(&self.interval.to_string()),
        ];
        for alarm in &self.alarms {
            alarm.push_args(&mut args);
        }
        if let Some((n, probe)) = &self.datapoints {
            args.extend([
                arg("--datapoints"),
                arg(&n.to_string()),
                arg("--datapoint-probe"),
                arg(probe.provider.as_str()),
                probe.text.clone(),
            ]);
        }
        if let Some(max_wait) = self.max_wait {
            args.extend([arg("--max-wait"), arg(&max_wait.to_string())]);
        }
        if let Some(chunk) = self.chunk {
            args.extend([arg("--chunk"), arg(&chunk.to_string())]);
        }
        args
    }
}
