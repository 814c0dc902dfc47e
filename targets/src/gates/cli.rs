//! The argument lists of the library's commands, typed, so emitters cannot
//! drift from what `sluice-gates.sh` parses. Each list starts with the
//! command (`window`, `blockers`, `bake`); the emitter prefixes
//! `sh <path>/sluice-gates.sh` and quotes each argument for its shell.

use sluice_grammar::value::{Date, Day, Duration, Time};
use sluice_grammar::Provider;

/// A probe of SPEC 3.4: the provider, then its text (variables already
/// substituted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub provider: Provider,
    pub text: String,
}

/// A named alarm; the name only appears in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub name: String,
    pub probe: Probe,
}

impl Alarm {
    fn push_args(&self, args: &mut Vec<String>) {
        args.extend([
            "--alarm".to_string(),
            self.name.clone(),
            self.probe.provider.as_str().to_string(),
            self.probe.text.clone(),
        ]);
    }
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
    pub fn args(&self) -> Vec<String> {
        let mut args = vec![
            "window".to_string(),
            "--name".to_string(),
            self.name.clone(),
            "--zone".to_string(),
            self.zone.clone(),
        ];
        for rule in &self.allow {
            args.push("--allow".to_string());
            args.push(rule.arg());
        }
        for (from, to) in &self.deny {
            args.push("--deny".to_string());
            args.push(if from == to {
                from.to_string()
            } else {
                format!("{from}..{to}")
            });
        }
        args.push("--max-wait".to_string());
        args.push(self.max_wait.to_string());
        args
    }
}

/// `blockers`: fail if any of these alarms is in ALARM.
pub fn blockers_args(alarms: &[Alarm]) -> Vec<String> {
    let mut args = vec!["blockers".to_string()];
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
    pub fn args(&self) -> Vec<String> {
        let mut args = vec![
            "bake".to_string(),
            "--duration".to_string(),
            self.duration.to_string(),
            "--interval".to_string(),
            self.interval.to_string(),
        ];
        for alarm in &self.alarms {
            alarm.push_args(&mut args);
        }
        if let Some((n, probe)) = &self.datapoints {
            args.extend([
                "--datapoints".to_string(),
                n.to_string(),
                "--datapoint-probe".to_string(),
                probe.provider.as_str().to_string(),
                probe.text.clone(),
            ]);
        }
        if let Some(max_wait) = self.max_wait {
            args.extend(["--max-wait".to_string(), max_wait.to_string()]);
        }
        if let Some(chunk) = self.chunk {
            args.extend(["--chunk".to_string(), chunk.to_string()]);
        }
        args
    }
}
