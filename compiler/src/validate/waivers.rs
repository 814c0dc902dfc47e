//! `waiver-invalid` for what needs no policy: a missing reason, approver or
//! expiry, and waivers already expired on `--today`.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Pipeline;

pub fn check(pipeline: &Pipeline, today: jiff::civil::Date, diags: &mut Vec<Diagnostic>) {
    for waiver in &pipeline.waivers {
        let missing: Vec<&str> = [
            waiver.reason.is_none().then_some("reason \"...\""),
            waiver
                .approved_by
                .is_none()
                .then_some("approved-by \"...\""),
            waiver.expires.is_none().then_some("expires YYYY-MM-DD"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::WaiverInvalid,
                    waiver.rule.span,
                    format!("the waiver of `{}` is incomplete", waiver.rule.text),
                )
                .label(format!("missing {}", missing.join(", ")))
                .help(format!(
                    "a waiver records why, who approved it and until when: add {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        for (what, text) in [
            ("reason", &waiver.reason),
            ("approved-by", &waiver.approved_by),
        ] {
            if let Some(text) = text.as_ref().filter(|t| t.value.trim().is_empty()) {
                diags.push(
                    Diagnostic::new(
                        Code::WaiverInvalid,
                        text.span,
                        format!("the waiver's `{what}` is empty"),
                    )
                    .label("empty")
                    .help(format!("write the {what} in the string")),
                );
            }
        }
        if let Some(expires) = &waiver.expires {
            if expires.value < today {
                diags.push(
                    Diagnostic::new(
                        Code::WaiverInvalid,
                        expires.span,
                        format!("the waiver of `{}` expired on {}", waiver.rule.text, expires.value),
                    )
                    .label(format!("expired (today is {today})"))
                    .help("fix the finding the waiver hides, or have the waiver approved again with a new expiry date"),
                );
            }
        }
    }
}
