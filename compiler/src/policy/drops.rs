//! SPEC 6.4 P5: a finding caused by a pipeline's `drop` points at the
//! `drop`, with the template's line as a related location. Which `drop`
//! caused a finding is decided by asking the rule again about the pipeline
//! resolved without that one `drop`: a finding that is then gone was caused
//! by it. Only pipelines that drop something pay for the second question.

use crate::diagnostic::Label;
use crate::model::{build_pipeline, Model, Pipeline};
use crate::resolve::Resolved;

use super::definition::EnabledRule;
use super::rule::{Finding, RuleContext};

/// The pipeline as it would be without each of its `drop`s.
#[derive(Default)]
pub struct Counterfactuals {
    without: Vec<(sluice_grammar::Span, Pipeline)>,
}

impl Counterfactuals {
    pub fn build(resolved: &Resolved, model: &Model) -> Counterfactuals {
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
        Counterfactuals { without }
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
        if self.without.is_empty() || own(finding.span) {
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
