//! `unknown-name`: fleets, windows, alarms and calendars that do not exist.

use std::collections::BTreeMap;

use sluice_grammar::Ident;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Pipeline};
use crate::suggest;

pub fn check(pipeline: &Pipeline, model: &Model, diags: &mut Vec<Diagnostic>) {
    if let Some(fleet) = &pipeline.fleet {
        expect(fleet, "fleet", &model.fleets, diags);
    }
    for stage in pipeline.all_stages() {
        if let Some(window) = &stage.window {
            expect(window, "window", &model.windows, diags);
        }
        let one_box_alarms = stage.one_box.iter().flat_map(|o| o.alarms.iter());
        for alarm in stage
            .alarms
            .iter()
            .chain(&stage.blockers)
            .chain(one_box_alarms)
        {
            expect(alarm, "alarm", &model.alarms, diags);
        }
    }
}

/// Reports `name` unless `known` defines it.
pub fn expect<T>(
    name: &Ident,
    what: &str,
    known: &BTreeMap<String, T>,
    diags: &mut Vec<Diagnostic>,
) {
    if known.contains_key(&name.text) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::UnknownName,
            name.span,
            format!("there is no {what} named `{}`", name.text),
        )
        .label(format!("unknown {what}"))
        .help(suggest::help(
            &name.text,
            what,
            known.keys().map(String::as_str),
        )),
    );
}
