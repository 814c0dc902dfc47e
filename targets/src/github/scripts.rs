//! The shell text of `run:` scripts. Every value from the source reaches
//! the script as one single-quoted `sh` word ([`sh_quote`],
//! [`Command::to_sh_word`]), which never contains `${{`, so GitHub has no
//! expression to expand and the shell nothing to interpret; the version
//! comes from `$SLUICE_VERSION`, set from `${{ github.sha }}` in `env`.

use sluice_grammar::value::Duration;

use crate::emit::gates::sh_words;
use crate::gates::{self, from_plan::gate_alarms};
use crate::plan::{AlarmCheck, Command};

/// Where the workflows find the gate library (relative to the checkout).
pub const GATES_PATH: &str = ".github/sluice/sluice-gates.sh";

/// `cmd=WORD` then `sh -c "$cmd"`: the shell runs exactly the command's
/// text, the version substituted. The property tests stub the last line.
pub fn run_command(command: &Command) -> String {
    format!("cmd={}\n{RUN_LINE}\n", command.to_sh_word())
}

/// The line that runs `$cmd`.
pub const RUN_LINE: &str = "sh -c \"$cmd\"";

/// `sh .github/sluice/sluice-gates.sh ARGS...`, each argument one word.
pub fn gates_call(args: &[Command]) -> String {
    format!("sh \"$gates\" {}", sh_words(args))
}

/// The prelude of a script that calls the gate library.
pub fn gates_prelude() -> String {
    format!("gates={GATES_PATH}\n")
}

/// `sh "$gates" blockers --alarm ...`: fails if one of `alarms` fires now.
pub fn alarms_call(alarms: &[AlarmCheck]) -> String {
    gates_call(&gates::blockers_args(&gate_alarms(alarms)))
}

pub fn duration(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{expand, Vars};

    #[test]
    fn gate_words_read_the_version_from_the_environment() {
        let command = expand("x ${version} '$(y)'", &Vars::default());
        assert_eq!(
            gates_call(&[command]),
            r#"sh "$gates" 'x '"$SLUICE_VERSION"' '\''$''(y)'\'"#
        );
    }
}
