//! Runs the gate library for real: written to a sandbox folder, run by a
//! POSIX shell with the fake clock, and with fake `aws`, `curl` and probe
//! commands (the scripts beside this file) first on `PATH`. The fakes answer
//! from a rules file the test writes and log every call they get.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fake commands, copied into the sandbox's `bin/`.
pub const FAKES: [&str; 6] = [
    "aws",
    "curl",
    "probe-state",
    "fake-lookup",
    "log-call",
    "bsd-date",
];

/// The tools the library uses that busybox replaces in `Shell::Busybox`.
const BUSYBOX_APPLETS: [&str; 6] = ["sh", "date", "awk", "sed", "tr", "sleep"];

/// The shells every scenario runs under: dash (Debian's `/bin/sh`), bash
/// in POSIX mode, and busybox's ash with busybox's `date`, `awk`, `sed`
/// and `tr` (Alpine-like images).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Dash,
    BashPosix,
    Busybox,
}

pub const SHELLS: [Shell; 3] = [Shell::Dash, Shell::BashPosix, Shell::Busybox];

impl Shell {
    fn command(self) -> Command {
        let (program, args): (&str, &[&str]) = match self {
            Shell::Dash => ("/bin/sh", &[]),
            Shell::BashPosix => ("bash", &["--posix"]),
            Shell::Busybox => ("busybox", &["sh"]),
        };
        let mut command = Command::new(program);
        command.args(args);
        command
    }

    fn name(self) -> &'static str {
        match self {
            Shell::Dash => "sh",
            Shell::BashPosix => "bash-posix",
            Shell::Busybox => "busybox",
        }
    }
}

/// Where a program is on `PATH`, or a failure saying how to install it.
pub fn require(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("`{program}` not found: run .ci/setup-gates"))
}

/// One command a fake received: the fake clock's now, the program, argv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub now: i64,
    pub program: String,
    pub args: Vec<String>,
}

/// What one run of the library did.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub calls: Vec<Call>,
}

impl Run {
    /// Asserts the exit status, showing the messages when it differs.
    pub fn expect(&self, status: i32) -> &Run {
        assert_eq!(
            self.status, status,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts a message was printed (on stderr).
    pub fn says(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "expected on stderr: {text}\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// The calls one fake program received.
    pub fn calls_to(&self, program: &str) -> Vec<&Call> {
        self.calls.iter().filter(|c| c.program == program).collect()
    }
}

/// A folder with the library, the fakes and their rules.
pub struct Sandbox {
    pub dir: PathBuf,
    pub shell: Shell,
    pub library: PathBuf,
}

impl Sandbox {
    pub fn new(test: &str, shell: Shell) -> Sandbox {
        // The process id keeps concurrent `cargo test` runs apart.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("gates")
            .join(format!("{test}-{}-{}", shell.name(), std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let bin = dir.join("bin");
        fs::create_dir_all(&bin).unwrap();
        let fakes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gates");
        for fake in FAKES {
            let to = bin.join(fake);
            fs::copy(fakes.join(fake), &to).unwrap();
            fs::set_permissions(&to, fs::Permissions::from_mode(0o755)).unwrap();
        }
        if shell == Shell::Busybox {
            let busybox = require("busybox");
            for applet in BUSYBOX_APPLETS {
                std::os::unix::fs::symlink(&busybox, bin.join(applet)).unwrap();
            }
        }
        let library = dir.join(sluice_targets::gates::FILE_NAME);
        fs::write(&library, sluice_targets::gates::library()).unwrap();
        fs::write(dir.join("rules"), "").unwrap();
        Sandbox {
            dir,
            shell,
            library,
        }
    }

    /// Puts a BSD-style `date` (no `-d`, only `-r SECONDS`) first on `PATH`.
    pub fn with_bsd_date(self) -> Sandbox {
        let bin = self.dir.join("bin");
        fs::rename(bin.join("bsd-date"), bin.join("date")).unwrap();
        self
    }

    /// From the instant `from` on, the fakes answer `answer` for this kind
    /// (`alarm`, `metric`, `promql`, `command`) and key. Later rules for the
    /// same key must come later in time.
    pub fn rule(&self, kind: &str, key: &str, from: i64, answer: &str) -> &Sandbox {
        assert!(!format!("{kind}{key}{answer}").contains(['\t', '\n']));
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(self.dir.join("rules"))
            .unwrap();
        writeln!(file, "{kind}\t{key}\t{from}\t{answer}").unwrap();
        self
    }

    /// Runs `sh sluice-gates.sh ARGS` with the fake clock at `now`.
    pub fn gates(&self, now: i64, args: &[&str]) -> Run {
        self.gates_env(now, &[], args)
    }

    /// Like `gates`, with extra environment variables.
    pub fn gates_env(&self, now: i64, env: &[(&str, &str)], args: &[&str]) -> Run {
        let calls = self.dir.join("calls");
        let (out, err) = (self.dir.join("stdout"), self.dir.join("stderr"));
        fs::write(&calls, "").unwrap();
        let path = format!(
            "{}:{}",
            self.dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = self.shell.command();
        command
            .arg(&self.library)
            .args(args)
            .env_clear()
            .env("PATH", path)
            .env("LC_ALL", "C")
            .env("FAKE_DIR", &self.dir)
            .env("PROMETHEUS_URL", "http://prometheus.test:9090/")
            .env("SLUICE_GATES_NOW", now.to_string())
            .env("SLUICE_GATES_FAKE_SLEEP", "1")
            .envs(env.iter().copied())
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(fs::File::create(&out).unwrap())
            .stderr(fs::File::create(&err).unwrap());
        let status = wait_at_most(command, Duration::from_secs(120));
        Run {
            status,
            stdout: fs::read_to_string(out).unwrap(),
            stderr: fs::read_to_string(err).unwrap(),
            calls: parse_calls(&fs::read(calls).unwrap()),
        }
    }
}

/// A passing test leaves nothing behind; a failing one keeps its folder
/// (rules, calls, stdout, stderr) to look at.
impl Drop for Sandbox {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Runs the command; a library stuck in a loop fails the test, not CI.
fn wait_at_most(mut command: Command, limit: Duration) -> i32 {
    let mut child = command.spawn().expect("run the shell");
    let start = Instant::now();
    let mut pause = Duration::from_micros(100);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().expect("exit status");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the gate library ran longer than {limit:?}");
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// Records of `log-call`: NUL-terminated fields, the number of arguments
/// first, then now, the program and the arguments.
fn parse_calls(bytes: &[u8]) -> Vec<Call> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut fields = text.split('\0');
    let mut calls = Vec::new();
    while let Some(count) = fields.next().filter(|f| !f.is_empty()) {
        let count: usize = count.parse().unwrap();
        let now = fields.next().unwrap().parse().unwrap();
        let program = fields.next().unwrap().to_string();
        let args = (0..count)
            .map(|_| fields.next().unwrap().to_string())
            .collect();
        calls.push(Call { now, program, args });
    }
    calls
}

/// Seconds since the epoch of a civil time in a zone, e.g.
/// `2026-03-08T01:59:30-08:00[America/Los_Angeles]`.
pub fn at(text: &str) -> i64 {
    text.parse::<jiff::Zoned>()
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .timestamp()
        .as_second()
}
