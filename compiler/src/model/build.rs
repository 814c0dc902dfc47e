//! From resolved statement trees to the typed model.

use sluice_grammar::{Ident, Keyword, Stmt, ValueKind};

use super::items::{alarm, calendar, fleet, probe, window};
use super::read::{
    command, duration, find, first_ident, ident, idents, string, strings, value_ident,
};
use super::types::*;
use crate::diagnostic::Diagnostic;
use crate::resolve::{merge_body, MergeScope, Namespace, Resolved};

/// Builds the shared items (fleets, windows, ...) and every pipeline.
pub fn build_model(
    namespace: &Namespace<'_>,
    resolved: &[std::sync::Arc<Resolved>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let mut model = Model::default();
    for stmt in namespace.items_of(Keyword::Fleet) {
        let fleet = fleet(stmt);
        model.fleets.insert(fleet.name.text.clone(), fleet);
    }
    for stmt in namespace.items_of(Keyword::Calendar) {
        let calendar = calendar(stmt);
        model.calendars.insert(calendar.name.text.clone(), calendar);
    }
    for stmt in namespace.items_of(Keyword::Window) {
        let window = window(stmt);
        model.windows.insert(window.name.text.clone(), window);
    }
    for stmt in namespace.items_of(Keyword::Alarm) {
        let alarm = alarm(stmt);
        model.alarms.insert(alarm.name.text.clone(), alarm);
    }
    let pipelines: Vec<(Pipeline, Vec<Diagnostic>)> = {
        use rayon::prelude::*;
        resolved
            .par_iter()
            .filter(|r| r.keyword != Keyword::Policy)
            .map(|r| {
                let mut diags = Vec::new();
                let p = build_pipeline(r, &model, &mut diags);
                (p, diags)
            })
            .collect()
    };
    for (pipeline, diags) in pipelines {
        diagnostics.extend(diags);
        model.pipelines.push(pipeline);
    }
    model
}

/// Builds one pipeline; waves get the production defaults merged in.
pub fn build_pipeline(resolved: &Resolved, model: &Model, diags: &mut Vec<Diagnostic>) -> Pipeline {
    let body = &resolved.body;
    let mut pipeline = Pipeline {
        name: resolved.item.clone(),
        span: resolved.span,
        is_template: resolved.keyword == Keyword::Template,
        chain: resolved.chain.clone(),
        chain_spans: resolved.chain_spans.clone(),
        fleet: find(body, Keyword::Fleet)
            .and_then(|s| s.values.first())
            .map(value_ident),
        owner: find(body, Keyword::Owner).and_then(string),
        tags: find(body, Keyword::Tags).map(idents).unwrap_or_default(),
        source: find(body, Keyword::Source).map(source),
        stages: body
            .iter()
            .filter(|s| s.keyword == Keyword::Stage)
            .map(|s| stage(s, StageKind::Stage))
            .collect(),
        production: find(body, Keyword::Production).map(|p| production(p, diags)),
        emergency: find(body, Keyword::Emergency).map(emergency),
        waivers: body
            .iter()
            .filter(|s| s.keyword == Keyword::Waive)
            .map(waiver)
            .collect(),
    };
    expand_rest(&mut pipeline, model);
    pipeline
}

/// `regions rest`: every fleet region no other wave names, in fleet order.
fn expand_rest(pipeline: &mut Pipeline, model: &Model) {
    let Some(fleet) = pipeline
        .fleet
        .as_ref()
        .and_then(|f| model.fleets.get(&f.text))
    else {
        return;
    };
    let Some(production) = &mut pipeline.production else {
        return;
    };
    let Some(rest) = production
        .waves
        .iter()
        .position(|w| matches!(w.regions, RegionSpec::Rest { .. }))
    else {
        return;
    };
    let named: std::collections::HashSet<&str> = production
        .waves
        .iter()
        .filter_map(|w| match &w.regions {
            RegionSpec::List(list) => Some(list.iter().map(|r| r.text.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    let RegionSpec::Rest { span, .. } = production.waves[rest].regions else {
        return;
    };
    let regions: Vec<Ident> = fleet
        .regions
        .iter()
        .filter(|r| !named.contains(r.name.text.as_str()))
        .map(|r| Ident {
            text: r.name.text.clone(),
            span,
        })
        .collect();
    production.waves[rest].regions = RegionSpec::Rest { span, regions };
}

fn production(stmt: &Stmt, diags: &mut Vec<Diagnostic>) -> Production {
    let defaults: Vec<Stmt> = stmt
        .body()
        .iter()
        .filter(|s| s.keyword != Keyword::Wave)
        .cloned()
        .collect();
    let waves = stmt
        .body()
        .iter()
        .filter(|s| s.keyword == Keyword::Wave)
        .map(|w| {
            let mut body = defaults.clone();
            body.retain(|s| s.keyword != Keyword::After);
            merge_body(&mut body, w.body(), MergeScope::WaveDefaults, diags);
            let merged = Stmt {
                keyword: w.keyword,
                keyword_span: w.keyword_span,
                final_span: w.final_span,
                name: w.name.clone(),
                extends: None,
                op: w.op,
                values: Vec::new(),
                body: Some(body),
                span: w.span,
            };
            stage(&merged, StageKind::Wave)
        })
        .collect();
    Production {
        span: stmt.keyword_span,
        after: find(stmt.body(), Keyword::After).map(idents),
        waves,
    }
}

fn stage(stmt: &Stmt, kind: StageKind) -> Stage {
    let body = stmt.body();
    Stage {
        name: ident(stmt),
        kind,
        span: stmt.span,
        after: find(body, Keyword::After).map(idents),
        regions: match find(body, Keyword::Regions) {
            None => RegionSpec::None,
            Some(s) => match s.values.first() {
                Some(v) if v.as_ident() == Some("rest") => RegionSpec::Rest {
                    span: v.span,
                    regions: Vec::new(),
                },
                _ => RegionSpec::List(idents(s)),
            },
        },
        steps: body.iter().filter_map(step).collect(),
        approvals: body
            .iter()
            .filter(|s| s.keyword == Keyword::Approval)
            .map(approval)
            .collect(),
        deploy: find(body, Keyword::Deploy).and_then(command),
        rollback: find(body, Keyword::Rollback).and_then(command),
        one_box: find(body, Keyword::OneBox).map(|o| OneBox {
            bake: find(o.body(), Keyword::Bake).map(bake),
            alarms: find(o.body(), Keyword::Alarms)
                .map(idents)
                .unwrap_or_default(),
            span: o.span,
        }),
        rolling: find(body, Keyword::Rolling).map(rolling),
        bake: find(body, Keyword::Bake).map(bake),
        alarms: find(body, Keyword::Alarms).map(idents).unwrap_or_default(),
        blockers: find(body, Keyword::Blockers)
            .map(idents)
            .unwrap_or_default(),
        window: find(body, Keyword::Window)
            .and_then(|s| s.values.first())
            .map(value_ident),
        timeout: find(body, Keyword::Timeout).and_then(duration),
    }
}

fn step(stmt: &Stmt) -> Option<Step> {
    let name = stmt.name.clone()?;
    match stmt.keyword {
        Keyword::Run => Some(Step {
            kind: StepKind::Run,
            kind_name: None,
            command: command(stmt),
            timeout: None,
            span: stmt.span,
            name,
        }),
        Keyword::Check => {
            let kind_stmt = find(stmt.body(), Keyword::Kind);
            let kind = match kind_stmt.and_then(first_ident) {
                Some(k) => CheckKind::parse(k).unwrap_or(CheckKind::Custom),
                None => CheckKind::parse(&name.text)
                    .filter(|k| *k != CheckKind::Custom)
                    .unwrap_or(CheckKind::Custom),
            };
            Some(Step {
                kind: StepKind::Check(kind),
                kind_name: kind_stmt.and_then(|k| k.values.first()).map(value_ident),
                command: find(stmt.body(), Keyword::CheckRun)
                    .and_then(command)
                    .or_else(|| command(stmt)),
                timeout: find(stmt.body(), Keyword::Timeout).and_then(duration),
                span: stmt.span,
                name,
            })
        }
        _ => None,
    }
}

fn approval(stmt: &Stmt) -> Approval {
    Approval {
        name: ident(stmt),
        approvers: find(stmt.body(), Keyword::Approvers)
            .map(strings)
            .unwrap_or_default(),
        approvers_span: find(stmt.body(), Keyword::Approvers).map(|s| s.span),
        timeout: find(stmt.body(), Keyword::Timeout).and_then(duration),
        span: stmt.span,
    }
}

fn rolling(stmt: &Stmt) -> Rolling {
    let mode = stmt.body().iter().find_map(|s| match s.keyword {
        Keyword::By => Some(Spanned::new(RollingMode::ByCell, s.span)),
        Keyword::Batch => match s.values.first()?.kind {
            ValueKind::Percent(p) => Some(Spanned::new(RollingMode::Batch(p), s.span)),
            _ => None,
        },
        _ => None,
    });
    Rolling {
        mode,
        span: stmt.span,
    }
}

fn bake(stmt: &Stmt) -> Bake {
    Bake {
        duration: duration(stmt),
        datapoints: find(stmt.body(), Keyword::Datapoints).and_then(|d| {
            let count = match d.values.first()?.kind {
                ValueKind::Int(n) => Spanned::new(n, d.values[0].span),
                _ => return None,
            };
            Some(Datapoints {
                count,
                probe: probe(d.values.get(1)?)?,
                span: d.span,
            })
        }),
        span: stmt.span,
    }
}

fn source(stmt: &Stmt) -> SourceTrigger {
    let body = stmt.body();
    SourceTrigger {
        branch: find(body, Keyword::Branch).and_then(|s| {
            let v = s.values.first()?;
            let text = v.as_ident().or_else(|| v.as_str())?;
            Some(Spanned::new(text.to_string(), v.span))
        }),
        approvals: find(body, Keyword::Review)
            .and_then(|r| find(r.body(), Keyword::Approvals))
            .and_then(|a| match a.values.first()?.kind {
                ValueKind::Int(n) => Some(Spanned::new(n, a.values[0].span)),
                _ => None,
            }),
        paths: find(body, Keyword::Paths).map(strings).unwrap_or_default(),
        span: stmt.span,
    }
}

fn emergency(stmt: &Stmt) -> Emergency {
    let body = stmt.body();
    Emergency {
        bake_scale: find(body, Keyword::BakeScale).and_then(|s| match s.values.first()?.kind {
            ValueKind::Percent(p) => Some(Spanned::new(p, s.values[0].span)),
            _ => None,
        }),
        approvers: find(body, Keyword::Approvers)
            .map(strings)
            .unwrap_or_default(),
        override_blockers: find(body, Keyword::OverrideBlockers).map(|s| s.span),
        span: stmt.keyword_span,
    }
}

fn waiver(stmt: &Stmt) -> Waiver {
    let body = stmt.body();
    Waiver {
        rule: ident(stmt),
        reason: find(body, Keyword::Reason).and_then(string),
        approved_by: find(body, Keyword::ApprovedBy).and_then(string),
        expires: find(body, Keyword::Expires).and_then(|s| match s.values.first()?.kind {
            ValueKind::Date(d) => Some(Spanned::new(d, s.values[0].span)),
            _ => None,
        }),
        span: stmt.span,
    }
}
