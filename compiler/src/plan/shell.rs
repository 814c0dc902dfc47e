//! Rendering a [`Command`] as one POSIX `sh` word.
//!
//! Targets write commands into scripts that a shell runs. The word rendered
//! here evaluates, in any POSIX shell, to exactly the command's text with
//! the version read from `$SLUICE_VERSION` at run time; the target then runs
//! it with `sh -c "$cmd"` (or `eval`). Literal text is single-quoted, where
//! nothing is special, so no quote, `$(`, backtick or newline of the source
//! can break out.
//!
//! The word also never contains the openers of the targets' own expression
//! languages — `${{` (GitHub), `$(` (Tekton), `{{` (Argo), `${` (Groovy
//! GStrings) — because the quote is closed and reopened after every `$` and
//! `{`: `${{` renders as `'$''{''{'`. Those systems expand their expressions
//! even inside shell quotes, so shell quoting alone would not be enough.

use super::command::{Command, Segment};

/// The environment variable through which every target passes the version
/// (the commit SHA being promoted) to the shell.
pub const VERSION_ENV: &str = "SLUICE_VERSION";

impl Command {
    /// One `sh` word whose value is this command's text, the version taken
    /// from `$SLUICE_VERSION` (see the module documentation).
    pub fn to_sh_word(&self) -> String {
        if self.segments.is_empty() {
            return "''".to_string();
        }
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => out.push_str(&sh_quote(text)),
                Segment::Version => {
                    out.push_str("\"$");
                    out.push_str(VERSION_ENV);
                    out.push('"');
                }
            }
        }
        out
    }
}

/// Single-quotes `text` for POSIX `sh`: one word whose value is `text`. A
/// `'` becomes `\'` between quoted runs; a run ends after each `$` and `{`
/// so that no expression opener of a CI system appears in the output.
pub fn sh_quote(text: &str) -> String {
    if text.is_empty() {
        return "''".to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    let mut open = false;
    for c in text.chars() {
        if c == '\'' {
            if open {
                out.push('\'');
                open = false;
            }
            out.push_str("\\'");
            continue;
        }
        if !open {
            out.push('\'');
            open = true;
        }
        out.push(c);
        if c == '$' || c == '{' {
            out.push('\'');
            open = false;
        }
    }
    if open {
        out.push('\'');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::command::{expand, Vars};
    use proptest::prelude::*;

    /// What `sh -c "printf %s <word>"` prints, with the version in the
    /// environment: the shell's own reading of the rendered word.
    fn shell_value(word: &str, version: &str) -> String {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .env(VERSION_ENV, version)
            .output()
            .expect("sh runs");
        assert!(output.status.success(), "sh failed on {word}");
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Backticks need no check: they are inert inside single quotes and no
    /// CI system expands them.
    fn assert_no_openers(word: &str) {
        for opener in ["${{", "$(", "{{", "${"] {
            assert!(!word.contains(opener), "{word:?} contains {opener:?}");
        }
    }

    #[test]
    fn quoting_by_example() {
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("make test"), "'make test'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote("${{ x }}"), "'$''{''{'' x }}'");
        assert_eq!(sh_quote("'"), r"\'");
        let word = expand("./d --v ${version}", &Vars::default()).to_sh_word();
        assert_eq!(word, "'./d --v '\"$SLUICE_VERSION\"");
        assert_eq!(Command::default().to_sh_word(), "''");
    }

    #[test]
    fn hostile_strings_survive_the_shell() {
        let hostile = [
            "echo 'single' \"double\" \\back",
            "line one\nline two\n",
            "${{ github.event.issue.title }}",
            "$(rm -rf /) `id` $HOME ${HOME}",
            "{{inputs.parameters.x}} $(params.x)",
            "ünïcödé ✓ 日本語 \t tab",
            "'''",
            "$",
            "{",
            "trailing\\",
        ];
        for text in hostile {
            let word = Command::literal(text).to_sh_word();
            assert_no_openers(&word);
            assert_eq!(shell_value(&word, "v"), text, "through {word}");
        }
    }

    #[test]
    fn the_version_comes_from_the_environment_verbatim() {
        let command = expand("deploy ${version}; echo '$$x'", &Vars::default());
        let word = command.to_sh_word();
        let version = "$(touch /tmp/pwned) `id` '\"";
        assert_eq!(shell_value(&word, version), command.resolve(version));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any text (no NUL: a shell argument cannot hold one) reaches the
        /// shell exactly, and the word never holds a CI expression opener.
        #[test]
        fn any_text_survives(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[^\u{0}]{0,12}",
                    Just("${{".to_string()),
                    Just("$(".to_string()),
                    Just("`".to_string()),
                    Just("'".to_string()),
                    Just("\n".to_string()),
                    Just("{{".to_string()),
                    Just("${version}".to_string()),
                    Just("$$".to_string()),
                ],
                0..8,
            )
        ) {
            let text: String = parts.concat();
            let command = expand(&text, &Vars::default());
            let word = command.to_sh_word();
            assert_no_openers(&word);
            prop_assert_eq!(shell_value(&word, "0123abcd"), command.resolve("0123abcd"));
        }
    }
}
