//! Writing to stdout and stderr without panicking. `print!` panics when the
//! reader has gone (`sluice check | head -1`: "failed printing to stdout:
//! Broken pipe"), so the binary denies it (main.rs) and writes through here.
//!
//! A closed pipe is the reader's choice, not a failure: the rest of that
//! stream is dropped quietly and the command ends with the exit code it
//! would have had anyway (so `set -o pipefail; sluice check | head` still
//! fails on errors). Any other write error (a full disk) is reported on
//! stderr and makes the exit code 2.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a stream has failed: nothing more is written to it.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set when a write failed for a reason other than a closed pipe.
static FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout; use through `out!` and `outln!`.
pub fn stdout(args: fmt::Arguments<'_>) {
    if let Err(error) = write(io::stdout().lock(), args, &STDOUT_CLOSED) {
        FAILED.store(true, Ordering::Relaxed);
        stderr(format_args!("error: writing to stdout: {error}\n"));
    }
}

/// Writes to stderr; use through `errln!`.
pub fn stderr(args: fmt::Arguments<'_>) {
    if write(io::stderr().lock(), args, &STDERR_CLOSED).is_err() {
        FAILED.store(true, Ordering::Relaxed);
    }
}

/// Whether some output was lost for a reason other than a closed pipe.
pub fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// Writes unless the stream is closed; a broken pipe closes it quietly,
/// another error closes it and is returned.
fn write(mut stream: impl Write, args: fmt::Arguments<'_>, closed: &AtomicBool) -> io::Result<()> {
    if closed.load(Ordering::Relaxed) {
        return Ok(());
    }
    match stream.write_fmt(args).and_then(|()| stream.flush()) {
        Ok(()) => Ok(()),
        Err(error) => {
            closed.store(true, Ordering::Relaxed);
            if error.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(error)
            }
        }
    }
}

/// `print!` that never panics (module doc).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::console::stdout(format_args!($($arg)*))
    };
}

/// `println!` that never panics (module doc).
macro_rules! outln {
    () => {
        $crate::console::stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::console::stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics (module doc).
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};
