//! SPEC 6.4 P5: a finding caused by a pipeline's `drop` points at the
//! `drop`, and one about a value the pipeline overrides or appends to
//! points at the pipeline's line; both name the template's line as a
//! related location. Which `drop` caused a finding is decided by asking the
//! rule again about the pipeline resolved without that one `drop`: a
//! finding that is then gone was caused by it. Only pipelines that drop
//! something pay for the second question.

use sluice_grammar::Stmt;

use crate::diagnostic::Label;
use crate::model::{build_pipeline, Model, Pipeline};
use crate::resolve::{overridden, Resolved};

use super::definition::EnabledRule;
use super::rule::{Finding, RuleContext};

/// What placing a pipeline's findings needs: the pipeline as it would be
/// without each of its `drop`s, its resolved body and its parent's.
#[derive(Default)]
pub struct Places<'a> {
    without: Vec<(sluice_grammar::Span, Pipeline)>,
    merged: &'a [Stmt],
    parent: &'a [Stmt],
}

impl<'a> Places<'a> {
    pub fn build(
        resolved: &'a Resolved,
        parent: Option<&'a Resolved>,
        model: &Model,
    ) -> Places<'a> {
        let without = resolved
            .drops
            .iter()
            .map(|(span, body)| {
                let undropped = Resolved {
                    body: body.clone(),
                    drops: Vec::new(),
                    ..resolved.clone()
                };
                (*span, build_pipeline(&undropped, model, &mut Vec::new()))
            })
            .collect();
        Places {
            without,
            merged: &resolved.body,
            parent: parent.map_or(&[], |p| p.body.as_slice()),
        }
    }

    /// Moves `finding` to the `drop` that causes it, when its place is
    /// inherited (outside the pipeline's own text) and one does.
    pub fn place(
        &self,
        mut finding: Finding,
        pipeline: &Pipeline,
        rule: &EnabledRule,
        cx: &RuleContext<'_>,
    ) -> Finding {
        let own = |span: sluice_grammar::Span| {
            span.file == pipeline.span.file
                && span.start >= pipeline.span.start
                && span.end <= pipeline.span.end
        };
        if own(finding.span) {
            if let Some(template) = overridden(self.parent, self.merged, finding.span) {
                finding.secondary.push(Label {
                    span: template,
                    text: "the template's line this overrides".into(),
                });
            }
            return finding;
        }
        for (drop, undropped) in &self.without {
            let cx = RuleContext {
                pipeline: undropped,
                ..*cx
            };
            let again = (rule.def.check)(&cx, &rule.params);
            let same = |f: &Finding| f.span == finding.span && f.message == finding.message;
            if !again.iter().any(same) {
                finding.secondary.push(Label {
                    span: finding.span,
                    text: "the inherited line this `drop` affects".into(),
                });
                finding.span = *drop;
                finding.label = format!("{} (caused by this `drop`)", finding.label);
                return finding;
            }
        }
        finding
    }
}
