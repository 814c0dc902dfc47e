//! SPEC 6.4 P6: `emergency { override-blockers }` lets an emergency run skip
//! blocker alarms. Blockers a template made `final` are the template's to
//! skip, not a descendant's: a descendant that writes `override-blockers`
//! over them is a `final-override`, like any other change to a final item.

use sluice_grammar::{Keyword, Span, Stmt};

use super::Resolved;
use crate::diagnostic::{Code, Diagnostic};

/// The `final-override` of a descendant's `override-blockers`, if any.
pub fn check(resolved: &Resolved) -> Option<Diagnostic> {
    let emergency = resolved
        .body
        .iter()
        .find(|s| s.keyword == Keyword::Emergency)?;
    let skip = emergency
        .body()
        .iter()
        .find(|s| s.keyword == Keyword::OverrideBlockers)?;
    let writer = owner(resolved, skip.span)?;
    let mut finals = Vec::new();
    final_blockers(&resolved.body, None, &mut finals);
    // a `final` written further up the chain than `override-blockers`
    let (blockers, final_span) = finals
        .into_iter()
        .find(|(_, final_span)| owner(resolved, *final_span).is_some_and(|o| o > writer))?;
    let mut d = Diagnostic::new(
        Code::FinalOverride,
        skip.span,
        "`override-blockers` cannot skip blockers a template made final",
    )
    .label("skips final blockers")
    .help("remove `override-blockers`; the template that made the blockers final decides whether emergencies may skip them");
    if blockers.start <= final_span.start && final_span.end <= blockers.end {
        d = d.with_secondary(blockers, "blockers marked `final` here");
    } else {
        d = d
            .with_secondary(blockers, "blockers inherited from a final block")
            .with_secondary(final_span, "marked `final` here");
    }
    Some(d)
}

/// Every `blockers` that is final itself or inside a final block: its span
/// and the span of the `final` that covers it.
fn final_blockers(body: &[Stmt], covering: Option<Span>, out: &mut Vec<(Span, Span)>) {
    for stmt in body {
        let final_span = covering.or(stmt.final_span);
        if stmt.keyword == Keyword::Blockers {
            if let Some(f) = final_span {
                out.push((stmt.span, f));
            }
        }
        if let Some(inner) = &stmt.body {
            final_blockers(inner, final_span, out);
        }
    }
}

/// Who wrote a span: 0 for the item itself, 1 for its parent, and so on.
fn owner(resolved: &Resolved, span: Span) -> Option<usize> {
    let within = |s: Span| span.file == s.file && span.start >= s.start && span.end <= s.end;
    std::iter::once(&resolved.span)
        .chain(&resolved.chain_spans)
        .position(|s| within(*s))
}
