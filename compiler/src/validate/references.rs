//! `unknown-name`: fleets, windows, alarms and calendars that do not exist.

use sluice_grammar::Ident;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Pipeline};
use crate::suggest;

pub fn check(pipeline: &Pipeline, model: &Model, diags: &mut Vec<Diagnostic>) {
    if let Some(fleet) = &pipeline.fleet {
        expect(fleet, "fleet", model.fleets.keys(), diags);
    }
    for stage in pipeline.all_stages() {
        if let Some(window) = &stage.window {
            expect(window, "window", model.windows.keys(), diags);
        }
        let one_box_alarms = stage.one_box.iter().flat_map(|o| o.alarms.iter());
        for alarm in stage
            .alarms
            .iter()
            .chain(&stage.blockers)
            .chain(one_box_alarms)
        {
            expect(alarm, "alarm", model.alarms.keys(), diags);
        }
    }
}

/// Reports `name` unless it is one of `known`.
pub fn expect<'a>(
    name: &Ident,
    what: &str,
    known: impl Iterator<Item = &'a String> + Clone,
    diags: &mut Vec<Diagnostic>,
) {
    if known.clone().any(|k| *k == name.text) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::UnknownName,
            name.span,
            format!("there is no {what} named `{}`", name.text),
        )
        .label(format!("unknown {what}"))
        .help(suggest::help(&name.text, what, known.map(String::as_str))),
    );
}
