//! Commands as data (SPEC 4.4).
//!
//! Every variable but `${version}` is known when the plan is made, so it is
//! substituted here, once, for every target. `${version}` is the commit SHA
//! of the run, known only at run time: it stays a typed [`Segment::Version`]
//! so that each target passes it through its own safe channel (an
//! environment variable) instead of splicing it into generated text. Nothing
//! here is quoted for a shell: quoting is the job of the renderer of each
//! target's language (see `shell.rs` for POSIX `sh`).

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A command (or probe text) after plan-time substitution: literal text and
/// the run-time version, in order. Adjacent literals are merged, empty ones
/// left out, so two commands with the same text compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Command {
    pub segments: Vec<Segment>,
}

/// One piece of a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text exactly as it must reach the shell (`$$` already turned into `$`).
    Literal(String),
    /// The commit SHA being promoted, supplied at run time.
    Version,
}

/// Literals print as JSON strings, the version as `{"var": "version"}`, so a
/// snapshot reads like the command and shows where the run-time value goes.
impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Segment::Literal(text) => serializer.serialize_str(text),
            Segment::Version => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("var", "version")?;
                map.end()
            }
        }
    }
}

impl Command {
    /// A command made of one literal text (no variables, no `$$` handling).
    pub fn literal(text: &str) -> Command {
        let mut command = Command::default();
        command.push_literal(text);
        command
    }

    /// The exact text the shell must receive once the version is known.
    pub fn resolve(&self, version: &str) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(text) => text.as_str(),
                Segment::Version => version,
            })
            .collect()
    }

    /// Whether the command needs the run-time version.
    pub fn uses_version(&self) -> bool {
        self.segments.contains(&Segment::Version)
    }

    fn push_literal(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Segment::Literal(last)) = self.segments.last_mut() {
            last.push_str(text);
        } else {
            self.segments.push(Segment::Literal(text.to_string()));
        }
    }
}

/// The plan-time values of SPEC 4.4 for one unit of work. An empty value is
/// substituted as empty text, as the SPEC says (`${cell}` is empty outside a
/// cell's deploy, `${wave}` outside production, ...).
#[derive(Debug, Clone, Default)]
pub struct Vars {
    pub pipeline: String,
    pub stage: String,
    pub wave: String,
    pub region: String,
    pub cell: String,
    pub phase: String,
    pub batch: String,
}

impl Vars {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "pipeline" => &self.pipeline,
            "stage" => &self.stage,
            "wave" => &self.wave,
            "region" => &self.region,
            "cell" => &self.cell,
            "phase" => &self.phase,
            "batch" => &self.batch,
            _ => return None,
        })
    }
}

/// Substitutes the variables of `text` (a string of the source, escapes
/// already applied). `$$` is a literal `$`, read before `${` exactly as the
/// compiler's `unknown-variable` check reads it. A `${name}` that is not a
/// variable, or is never closed, stays as written: the compiler has already
/// reported it, and the plan must not invent a meaning for it.
pub fn expand(text: &str, vars: &Vars) -> Command {
    let mut command = Command::default();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        command.push_literal(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("$$") {
            command.push_literal("$");
            rest = after;
            continue;
        }
        let variable = tail
            .strip_prefix("${")
            .and_then(|body| body.find('}').map(|end| &body[..end]));
        if variable == Some("version") {
            command.segments.push(Segment::Version);
            rest = &tail["${version}".len()..];
            continue;
        }
        if let Some((name, value)) = variable.and_then(|n| Some((n, vars.get(n)?))) {
            command.push_literal(value);
            rest = &tail[name.len() + "${}".len()..];
            continue;
        }
        command.push_literal("$");
        rest = &tail[1..];
    }
    command.push_literal(rest);
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars {
            pipeline: "p".into(),
            stage: "gamma".into(),
            region: "us-east-1".into(),
            phase: "one-box".into(),
            ..Vars::default()
        }
    }

    #[test]
    fn plan_time_variables_are_substituted_and_version_is_kept() {
        let c = expand("./d --r ${region} --p ${phase} --v ${version} x", &vars());
        assert_eq!(
            c.segments,
            vec![
                Segment::Literal("./d --r us-east-1 --p one-box --v ".into()),
                Segment::Version,
                Segment::Literal(" x".into()),
            ]
        );
        assert_eq!(c.resolve("abc"), "./d --r us-east-1 --p one-box --v abc x");
    }

    #[test]
    fn dollar_dollar_is_a_literal_dollar_read_first() {
        assert_eq!(expand("a $$ b", &vars()).resolve("v"), "a $ b");
        assert_eq!(expand("$${region}", &vars()).resolve("v"), "${region}");
        assert_eq!(expand("$$$${version}", &vars()).resolve("v"), "$${version}");
        assert_eq!(expand("$$${version}", &vars()).resolve("v"), "$v");
    }

    #[test]
    fn empty_values_and_unknown_or_open_variables() {
        assert_eq!(expand("[${cell}]", &vars()).resolve("v"), "[]");
        assert_eq!(
            expand("${nope} ${open", &vars()).resolve("v"),
            "${nope} ${open"
        );
        assert_eq!(expand("cost $5 ${", &vars()).resolve("v"), "cost $5 ${");
        assert!(expand("", &vars()).segments.is_empty());
    }

    #[test]
    fn snapshots_show_where_the_version_goes() {
        let json = serde_json::to_string(&expand("v=${version}", &vars())).unwrap();
        assert_eq!(json, r#"["v=",{"var":"version"}]"#);
    }
}
