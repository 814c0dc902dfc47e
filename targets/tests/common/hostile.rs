//! Hostile text for every target's property tests: one strategy whose
//! fragments are what each target's quoting has to survive (its own
//! expression syntax and every other target's), and the command and the
//! plan that carry it.

use proptest::prelude::*;
use sluice_targets::plan::{AlarmCheck, Command, GateCheck, Plan, Segment, UnitId, Work};

/// The fragments hostile text is made of, besides random text: shell
/// (`$(`, backticks, quotes, backslashes), Groovy (`${`, triple quotes,
/// `\u` escapes, comments), GitHub (`${{`), Argo (`{{`, `{{=`), Tekton
/// (`$(params.`, `$(tasks.`), YAML (`: `, `#`, `---`, plain scalars that
/// read as other types), line breaks and non-ASCII text.
pub const FRAGMENTS: &[&str] = &[
    "${x}",
    "$(id)",
    "`id`",
    "'\"",
    "'''",
    "\"\"\"",
    "\n",
    "\\",
    "\\u0027",
    "*/ /* //",
    "${{ github.token }}",
    "${{ x }}",
    "{{x}}",
    "{{x}} ${{ y }}",
    "{{",
    "{{workflow.parameters.image}}",
    "{{=sprig.env('X')}}",
    "$(params.version)",
    "$(tasks.status)",
    ": on yes null * # ",
    ": on yes null * # ---",
    "ünï ✓\u{2028}\u{85}\r",
    "ünï ✓ 日本\u{2028}\u{85}\r\t",
];

/// Texts that once broke a target (the cases the proptest regressions
/// files recorded), checked by every target besides the generated ones.
pub const KNOWN: &[&str] = &[
    "0: on yes null * # ",
    "ünï ✓\u{2028}\u{85}\r",
    "${{ github.token }}",
    "$(params.version)",
];

/// One to five pieces, each random text (no NUL) or one of the
/// [`FRAGMENTS`] (each fragment as likely as random text), concatenated.
pub fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            1 => "[^\u{0}]{0,8}",
            FRAGMENTS.len() as u32 => proptest::sample::select(FRAGMENTS).prop_map(String::from),
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat())
}

/// The hostile-text tests of a target whose `check(text, with_version)`
/// proves its property for one text: 48 generated texts, and the
/// [`KNOWN`] ones.
#[allow(unused_macros)] // Jenkins runs its texts in one groovy process instead
macro_rules! tests {
    ($check:ident) => {
        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

            #[test]
            fn hostile_text_cannot_escape(
                text in $crate::common::hostile::text(),
                with_version in proptest::prelude::any::<bool>(),
            ) {
                $check(&text, with_version)?;
            }
        }

        #[test]
        fn known_hostile_texts_cannot_escape() {
            for text in $crate::common::hostile::KNOWN {
                $check(text, false).unwrap();
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use tests;

/// `text` as a command, with `text` again after the version when
/// `with_version`.
pub fn command(text: &str, with_version: bool) -> Command {
    let mut command = Command::default();
    command.segments.push(Segment::Literal(text.to_string()));
    if with_version {
        command.segments.push(Segment::Version);
        command.segments.push(Segment::Literal(text.to_string()));
    }
    command
}

/// The build fixture's plan with `text` in every name and id a target
/// writes (pipeline, stages, regions, units, approvals, approvers, alarms)
/// and `command` as every deploy, rollback and probe: the input of each
/// target's hostile-string property test. Tekton refuses approvers it
/// cannot quote (its approval task takes them as params), so approvers are
/// made hostile only `with_approvers`.
pub fn plan(text: &str, command: &Command, with_approvers: bool) -> Plan {
    let (mut plan, _) = super::plans("tests/fixtures/build").remove(0);
    plan.pipeline = format!("p{text}");
    let hostile_alarms = |alarms: &mut Vec<AlarmCheck>| {
        for alarm in alarms {
            alarm.alarm = text.to_string();
            alarm.probe.query = command.clone();
        }
    };
    for stage in &mut plan.stages {
        stage.id = rename(&stage.id, text);
        stage.after = stage.after.iter().map(|a| rename(a, text)).collect();
        stage.concurrency = format!("{text}{}", stage.concurrency);
        if let Some(region) = stage.regions.first_mut() {
            if region.region.is_some() {
                region.region = Some(format!("{text}r"));
            }
        }
        let units = stage.gate.iter_mut().chain(
            stage
                .regions
                .iter_mut()
                .flat_map(|r| r.units.iter_mut().chain(r.rollback.iter_mut())),
        );
        for unit in units {
            unit.id = rename(&unit.id, text);
            unit.needs = unit.needs.iter().map(|n| rename(n, text)).collect();
            match &mut unit.work {
                Work::Deploy(deploy) => {
                    deploy.command = command.clone();
                    hostile_alarms(&mut deploy.alarms);
                }
                Work::Bake(bake) => hostile_alarms(&mut bake.alarms),
                Work::Rollback(rollback) => {
                    rollback.command = command.clone();
                    rollback.on_failure_of = rollback
                        .on_failure_of
                        .iter()
                        .map(|n| rename(n, text))
                        .collect();
                }
                Work::Gate(gate) => {
                    for check in &mut gate.checks {
                        match check {
                            GateCheck::Approval {
                                name, approvers, ..
                            } => {
                                name.push_str(text);
                                if with_approvers {
                                    approvers.push(text.to_string());
                                }
                            }
                            GateCheck::Blockers { alarms } => hostile_alarms(alarms),
                            GateCheck::Window { .. } => {}
                        }
                    }
                }
                Work::Step(_) => {}
            }
        }
    }
    plan
}

pub fn rename(id: &UnitId, prefix: &str) -> UnitId {
    UnitId(format!("{prefix}{}", id.0))
}
