//! The gate library: one generated POSIX `sh` file, `sluice-gates.sh`, that
//! the emitted configurations call for what CI systems cannot express
//! natively: waiting for a window, refusing to start while a blocker fires,
//! and baking while polling alarms and counting datapoints (SPEC 3.3, 3.4,
//! 4.2). It is self-contained, so generated pipelines run without Sluice
//! installed in CI; every target ships the same bytes ([`library`]).
//!
//! # The command-line contract
//!
//! Emitters build these argument lists with [`StartGate`], [`WindowGate`],
//! [`blockers_args`] and [`BakeGate`] (from the plan: [`from_plan`]), and
//! run `sh <dir>/sluice-gates.sh ARGS...`, quoting every argument for the
//! target's shell. Probe texts and names are passed as separate arguments,
//! never parsed from one string.
//!
//! ```text
//! start [--emergency-mode [--require-reason]]
//! window --name NAME --zone ZONE [--allow 'DAYS HH:MM-HH:MM']...
//!        [--deny YYYY-MM-DD[..YYYY-MM-DD]]... [--max-wait DURATION]
//! blockers [--alarm NAME PROVIDER TEXT]...
//! bake --duration DURATION [--interval DURATION] [--alarm NAME PROVIDER TEXT]...
//!      [--datapoints N --datapoint-probe PROVIDER TEXT]
//!      [--max-wait DURATION] [--chunk DURATION] [--started-at EPOCH]
//! probe PROVIDER TEXT                        (prints OK or ALARM; for people)
//! datapoints PROVIDER TEXT [--since EPOCH]   (prints the count; for people)
//! ```
//!
//! * `start` runs first in every run, the same in every target: it reads
//!   the run's inputs from the environment, [`VERSION_ENV`],
//!   [`EMERGENCY_ENV`] and [`REASON_ENV`] (run-time values, which each
//!   target already passes that way). The version must be a full commit
//!   SHA (40 or 64 lower-case hex digits, not all zeros: SPEC 4.4 says
//!   `${version}` is the commit SHA); with `--emergency-mode` the flag must
//!   be `true` or `false`, and with `--require-reason` an emergency run
//!   needs a reason that is not blank (SPEC 9, S11).
//! * `PROVIDER` is `cloudwatch`, `prometheus` or `command`; `DURATION` is
//!   Sluice's syntax (`30s`, `1h30m`, `7d`).
//! * `window` checks now and then at every whole minute; the local date,
//!   weekday and time come from `TZ=ZONE date` for each instant, so DST
//!   follows the tz database. `DAYS` is a comma-separated list of days
//!   and ranges (`mon..thu`, `mon,wed..fri`); the hours are half-open and
//!   may end at `24:00`; denied dates are whole local days. `--max-wait`
//!   defaults to `7d`; `--name` is only for messages.
//! * `bake` prints `done` on stdout when the bake is complete. With
//!   `--chunk D` it stops after `D` without failing and prints `continue`;
//!   the next call passes `--started-at EPOCH` (printed in the message, the
//!   first call's start) so the bake time and datapoints count from the real
//!   start. `--interval` defaults to `1m`, `--max-wait` to duration + 24h.
//! * A probe that cannot be read is tried three times, ten seconds apart,
//!   then counts as firing: a gate fails closed.
//! * Exit status: 0 passed, 1 gate failed (window timeout, blocker or alarm
//!   firing or unreadable, datapoints missing), 2 usage or environment error
//!   (unknown zone, missing `aws`/`curl`, `PROMETHEUS_URL` unset). Messages
//!   go to stderr, prefixed `sluice-gates:`.
//!
//! Providers: `cloudwatch` runs `aws cloudwatch describe-alarms` (metric or
//! composite alarm; `INSUFFICIENT_DATA` is not ALARM, a missing alarm is an
//! error) and, for datapoints, `get-metric-statistics` Sum since the bake
//! started, the probe text being `METRIC` (namespace from
//! `$SLUICE_CLOUDWATCH_NAMESPACE`) or `NAMESPACE METRIC [DIM=VALUE]...`; the
//! aws CLI's own configuration (`AWS_REGION`, credentials) applies.
//! `prometheus` queries `$PROMETHEUS_URL/api/v1/query` with curl: ALARM when
//! the result vector is non-empty, datapoints the (summed) value. `command`
//! runs `sh -c TEXT`: exit 0 OK, 1 ALARM, other an error; for datapoints
//! the last line it prints is the number. Command probes see
//! `SLUICE_GATES_BAKE_START` (epoch seconds) during a bake.
//!
//! `date` must format a given instant: GNU coreutils and busybox take
//! `date -d @EPOCH`, BSD `date -r EPOCH`; the library detects which at start.
//! Windows need the tz database (Debian `tzdata`); an unknown zone is an
//! error rather than silently UTC.
//!
//! Tests pin the clock with `SLUICE_GATES_NOW=EPOCH`; with
//! `SLUICE_GATES_FAKE_SLEEP=1` every wait advances that clock instead of
//! sleeping (and exports it, so fake probes see the same "now").

mod cli;
pub mod from_plan;

pub use crate::plan::VERSION_ENV;
pub use cli::{blockers_args, resolve, Alarm, Allow, BakeGate, Probe, StartGate, WindowGate};

/// The environment variable saying whether a run is an emergency run
/// (`true` or `false`), in every target.
pub const EMERGENCY_ENV: &str = "SLUICE_EMERGENCY";
/// The environment variable holding why a run was started by hand.
pub const REASON_ENV: &str = "SLUICE_REASON";

/// The file name emitters give the library beside the configurations.
pub const FILE_NAME: &str = "sluice-gates.sh";

/// The source, with its "generated by Sluice, do not edit" header.
const SOURCE: &str = include_str!("sluice-gates.sh");

/// The gate library's text: the same bytes on every build and for every
/// target.
pub fn library() -> String {
    SOURCE.to_string()
}
