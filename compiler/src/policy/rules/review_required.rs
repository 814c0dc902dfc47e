//! `review-required`: merges to the pipeline's branch need approved review.

use crate::diagnostic::Severity;
use crate::policy::params::{ParamSpec, Params};
use crate::policy::rule::{Finding, RuleContext, RuleDef};

const APPROVALS: ParamSpec<u64> = ParamSpec {
    name: "approvals",
    default: || 1,
};

const BRANCH: ParamSpec<Option<String>> = ParamSpec {
    name: "branch",
    default: || None,
};

pub const RULE: RuleDef = RuleDef {
    name: "review-required",
    default_severity: Severity::Error,
    params: &[&APPROVALS, &BRANCH],
    explanation: r#"# review-required

Every change that reaches production was reviewed by someone other than its
author: the pipeline's `source` requires at least N approvals before a merge
to its branch.

Why: a second pair of eyes is the cheapest safety check there is, and the
only one that sees intent. An automated pipeline that deploys whatever lands
on `main` turns an unreviewed push into a production change.

```sluice
source {
  branch main
  review { approvals 1 }
}
```

Parameters: `approvals` (default `1`), and `branch` (default: any) — the
branch every pipeline must deploy from, so that a team cannot point its
pipeline at a branch whose merges nobody reviews: `rule review-required
{ branch main }`."#,
    check,
};

fn check(cx: &RuleContext<'_>, params: &Params) -> Vec<Finding> {
    let wanted = *params.get(&APPROVALS);
    let p = cx.pipeline;
    let mut out = Vec::new();
    if let Some(branch) = params.get(&BRANCH) {
        let written = p.source.as_ref().and_then(|s| s.branch.as_ref());
        if written.is_none_or(|b| &b.value != branch) {
            let span = written
                .map(|b| b.span)
                .or(p.source.as_ref().map(|s| s.span))
                .unwrap_or(p.name.span);
            out.push(
                Finding::new(
                    span,
                    match written {
                        Some(b) => format!(
                            "deploys from branch `{}`; the policy requires `{branch}`",
                            b.value
                        ),
                        None => format!("names no branch; the policy requires `{branch}`"),
                    },
                )
                .label("not the reviewed branch")
                .help(format!("write `branch {branch}` in `source`")),
            );
        }
    }
    let (span, have) = match &p.source {
        None => (p.name.span, None),
        Some(source) => match &source.approvals {
            None => (source.span, None),
            Some(a) => (a.span, Some(a.value)),
        },
    };
    if have.unwrap_or(0) >= wanted {
        return out;
    }
    let message = match have {
        Some(n) => format!("merges need {n} approving review(s); at least {wanted} required"),
        None => format!("merges are not reviewed; at least {wanted} approving review(s) required"),
    };
    out.push(
        Finding::new(span, message)
            .label("too few approvals")
            .help(format!(
                "require review in `source`: `review {{ approvals {wanted} }}`"
            )),
    );
    out
}
