//! `missing-field` and `invalid-value`: required parts and values in range.

use sluice_grammar::Span;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Bake, CheckKind, Pipeline, RegionSpec, Stage};

pub fn check(pipeline: &Pipeline, diags: &mut Vec<Diagnostic>) {
    if !pipeline.is_template && pipeline.fleet.is_none() {
        if let Some(span) = first_regional(pipeline) {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    pipeline.name.span,
                    format!(
                        "pipeline `{}` deploys to regions but names no fleet",
                        pipeline.name.text
                    ),
                )
                .label("no `fleet`")
                .with_secondary(span, "regions used here")
                .help("add `fleet NAME` to the pipeline or to the template it extends"),
            );
        }
    }
    if let Some(production) = &pipeline.production {
        if production.waves.is_empty() && !pipeline.is_template {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    production.span,
                    "`production` has no waves",
                )
                .label("no `wave` blocks")
                .help("add `wave 1 { regions [...] }`, or remove `production`"),
            );
        }
    }
    for stage in pipeline.all_stages() {
        check_stage(stage, diags);
    }
}

fn first_regional(pipeline: &Pipeline) -> Option<Span> {
    pipeline.all_stages().find_map(|s| match &s.regions {
        RegionSpec::List(list) => list.first().map(|r| r.span),
        RegionSpec::Rest { span, .. } => Some(*span),
        RegionSpec::None => None,
    })
}

fn check_stage(stage: &Stage, diags: &mut Vec<Diagnostic>) {
    let what = match stage.kind {
        crate::model::StageKind::Stage => format!("stage `{}`", stage.name.text),
        crate::model::StageKind::Wave => format!("wave `{}`", stage.name.text),
    };
    if stage.deploy.is_none() {
        let needs_deploy = [
            stage.one_box.as_ref().map(|o| (o.span, "`one-box`")),
            stage.rolling.as_ref().map(|r| (r.span, "`rolling`")),
            stage.rollback.as_ref().map(|r| (r.span, "`rollback`")),
        ];
        if let Some((span, part)) = needs_deploy.into_iter().flatten().next() {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    span,
                    format!("{what} has {part} but no `deploy` command"),
                )
                .label(format!("{part} needs a deploy"))
                .with_secondary(stage.name.span, format!("{what} declared here"))
                .help("add `deploy \"./deploy.sh ...\"` to say how one unit is deployed"),
            );
        }
    }
    if let Some(rolling) = &stage.rolling {
        if rolling.mode.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    rolling.span,
                    "`rolling` says neither `by cell` nor `batch`",
                )
                .label("empty rolling")
                .help("write `rolling { by cell }` or `rolling { batch 33% }`"),
            );
        }
    }
    if let Some(bake) = &stage.bake {
        check_bake(bake, false, diags);
    }
    if let Some(one_box) = &stage.one_box {
        if let Some(bake) = &one_box.bake {
            check_bake(bake, true, diags);
        }
    }
    if let Some(timeout) = &stage.timeout {
        nonzero(timeout.value.seconds, timeout.span, "`timeout`", diags);
    }
    for step in &stage.steps {
        if step.command.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    step.name.span,
                    format!("check `{}` has no command", step.name.text),
                )
                .label("no `run`")
                .help("add `run \"command\"` inside the check"),
            );
        }
        if let Some(kind) = step
            .kind_name
            .as_ref()
            .filter(|k| CheckKind::parse(&k.text).is_none())
        {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    kind.span,
                    format!("`{}` is not a check kind", kind.text),
                )
                .label("unknown kind")
                .help(format!(
                    "use one of: {}, custom",
                    CheckKind::NAMED
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        if let Some(t) = &step.timeout {
            nonzero(t.value.seconds, t.span, "`timeout`", diags);
        }
    }
    for approval in &stage.approvals {
        match (approval.approvers.is_empty(), approval.approvers_span) {
            (true, Some(span)) => diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("approval `{}` lists no approvers", approval.name.text),
                )
                .label("empty list")
                .help("name who may approve, like `approvers [\"@org/release-managers\"]`"),
            ),
            (true, None) => diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    approval.name.span,
                    format!("approval `{}` names no approvers", approval.name.text),
                )
                .label("no `approvers`")
                .help("add `approvers [\"@org/team\"]` inside the approval"),
            ),
            _ => {}
        }
        if let Some(t) = &approval.timeout {
            nonzero(t.value.seconds, t.span, "`timeout`", diags);
        }
    }
}

fn check_bake(bake: &Bake, in_one_box: bool, diags: &mut Vec<Diagnostic>) {
    match &bake.duration {
        None => diags.push(
            Diagnostic::new(Code::MissingField, bake.span, "`bake` has no duration")
                .label("no duration")
                .help("write the minimum bake time, like `bake 2h`"),
        ),
        Some(d) if !in_one_box => nonzero(d.value.seconds, d.span, "a bake", diags),
        Some(_) => {}
    }
    if let Some(dp) = &bake.datapoints {
        if dp.count.value == 0 {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    dp.count.span,
                    "a datapoint minimum of 0 waits for nothing",
                )
                .label("zero datapoints")
                .help("require at least 1 datapoint, or remove `datapoints`"),
            );
        }
    }
}

fn nonzero(seconds: u64, span: Span, what: &str, diags: &mut Vec<Diagnostic>) {
    if seconds == 0 {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                span,
                format!("{what} of zero is not allowed here"),
            )
            .label("zero")
            .help("use a positive duration like `30m`; only a one-box bake may be `0s`"),
        );
    }
}
