//! Waivers against the policies that apply to a pipeline (SPEC 6.3): a
//! valid waiver turns its rule's findings into notes that still show.

use sluice_grammar::Span;

use super::definition::Policy;
use super::rules::RULES;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Pipeline, Waiver};

pub struct Waivers<'a> {
    valid: Vec<&'a Waiver>,
    /// `waiver-invalid` for what needs a policy to know.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Waivers<'a> {
    pub fn check(
        pipeline: &'a Pipeline,
        policies: &[&Policy],
        today: jiff::civil::Date,
    ) -> Waivers<'a> {
        let mut valid = Vec::new();
        let mut diagnostics = Vec::new();
        for waiver in &pipeline.waivers {
            match problem(waiver, policies) {
                Some(d) => diagnostics.push(d.in_pipeline(&pipeline.name.text)),
                None if complete(waiver, today) => valid.push(waiver),
                None => {} // incomplete or expired: reported by the language checks
            }
        }
        Waivers { valid, diagnostics }
    }

    /// Turns a finding into a note when a valid waiver covers its rule.
    pub fn apply(&self, mut finding: Diagnostic) -> Diagnostic {
        let Some(rule) = finding.rule.as_deref() else {
            return finding;
        };
        let Some(waiver) = self.valid.iter().find(|w| w.rule.text == rule) else {
            return finding;
        };
        let text = |s: &Option<crate::model::Spanned<String>>| {
            s.as_ref().map_or(String::new(), |s| s.value.clone())
        };
        let until = waiver
            .expires
            .as_ref()
            .map_or(String::new(), |e| e.value.to_string());
        finding.severity = Severity::Note;
        finding.message = format!(
            "{} — waived until {until}: \"{}\" (approved by {})",
            finding.message,
            text(&waiver.reason),
            text(&waiver.approved_by)
        );
        finding = finding.with_secondary(waiver.rule.span, "waived here");
        finding
    }
}

fn complete(waiver: &Waiver, today: jiff::civil::Date) -> bool {
    waiver.reason.is_some()
        && waiver.approved_by.is_some()
        && waiver.expires.as_ref().is_some_and(|e| e.value >= today)
}

fn problem(waiver: &Waiver, policies: &[&Policy]) -> Option<Diagnostic> {
    let name = &waiver.rule.text;
    if !RULES.iter().any(|r| r.name == name) {
        return Some(
            Diagnostic::new(
                Code::WaiverInvalid,
                waiver.rule.span,
                format!("there is no rule named `{name}` to waive"),
            )
            .label("unknown rule")
            .help(super::definition::rule_help(name)),
        );
    }
    if name == "waiver-expiry" {
        return Some(
            Diagnostic::new(
                Code::WaiverInvalid,
                waiver.rule.span,
                "`waiver-expiry` cannot be waived",
            )
            .label("a waiver that would extend every other waiver")
            .help("remove this waiver; shorten the other waivers' `expires` dates instead"),
        );
    }
    let enabling: Vec<(&Policy, Option<Span>)> = policies
        .iter()
        .flat_map(|p| {
            p.rules
                .iter()
                .filter(|r| r.def.name == name && r.severity.is_some())
                .map(move |r| (*p, r.final_span))
        })
        .collect();
    if enabling.is_empty() {
        return Some(
            Diagnostic::new(
                Code::WaiverInvalid,
                waiver.rule.span,
                format!("no policy that applies to this pipeline enables `{name}`"),
            )
            .label("nothing to waive")
            .help("remove the waiver; a rule no policy enables reports nothing"),
        );
    }
    if let Some(d) = unapproved(waiver, policies) {
        return Some(d);
    }
    if let Some((policy, Some(final_span))) = enabling.iter().find(|(_, f)| f.is_some()) {
        return Some(
            Diagnostic::new(
                Code::WaiverInvalid,
                waiver.rule.span,
                format!("`{name}` is final in policy `{}` and cannot be waived", policy.name.text),
            )
            .label("waiver of a final rule")
            .with_secondary(*final_span, "marked `final` here")
            .help("fix what the rule reports; the organisation does not allow exceptions to this rule"),
        );
    }
    None
}

/// SPEC 6.4 P4: `waiver-expiry { approvers [..] }` names who may approve a
/// waiver; an approver outside any such list makes the waiver invalid.
fn unapproved(waiver: &Waiver, policies: &[&Policy]) -> Option<Diagnostic> {
    let approved_by = waiver.approved_by.as_ref()?;
    let (policy, allowed) = policies.iter().find_map(|p| {
        p.rules
            .iter()
            .filter(|r| r.def.name == "waiver-expiry" && r.severity.is_some())
            .map(|r| r.params.get(&super::rules::waiver_expiry::APPROVERS))
            .find(|allowed| !allowed.is_empty() && !allowed.contains(&approved_by.value))
            .map(|allowed| (*p, allowed))
    })?;
    let names = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        Diagnostic::new(
            Code::WaiverInvalid,
            approved_by.span,
            format!(
                "`{}` may not approve waivers under policy `{}`",
                approved_by.value, policy.name.text
            ),
        )
        .label("not an allowed approver")
        .help(format!("have one of {names} approve the waiver")),
    )
}
