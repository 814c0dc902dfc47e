//! Windows: `unknown-timezone` (jiff's embedded database), a missing
//! `timezone`, unknown calendars, and windows that never open.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Model, Window};
use crate::suggest;

pub fn check_window(window: &Window, model: &Model, diags: &mut Vec<Diagnostic>) {
    match &window.timezone {
        None => diags.push(
            Diagnostic::new(
                Code::MissingField,
                window.name.span,
                format!("window `{}` has no `timezone`", window.name.text),
            )
            .label("no time zone")
            .help("add `timezone \"America/Los_Angeles\"` (an IANA time-zone name)"),
        ),
        Some(tz) => {
            if jiff::tz::TimeZone::get(&tz.value).is_err() {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownTimezone,
                        tz.span,
                        format!("`{}` is not an IANA time zone", tz.value),
                    )
                    .label("unknown time zone")
                    .help(timezone_help(&tz.value)),
                );
            }
        }
    }
    if window.allow.is_empty() {
        diags.push(
            Diagnostic::new(Code::InvalidValue, window.name.span, format!("window `{}` is never open", window.name.text))
                .severity(Severity::Warning)
                .label("no `allow`")
                .help("add `allow mon..fri 09:00-17:00`; a window without `allow` blocks every deployment"),
        );
    }
    for calendar in &window.deny_calendars {
        super::references::expect(calendar, "calendar", &model.calendars, diags);
    }
}

fn timezone_help(name: &str) -> String {
    let names = jiff::tz::db().available();
    let names: Vec<String> = names.map(|n| n.to_string()).collect();
    match suggest::closest(name, names.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "use an IANA time-zone name like `Europe/Berlin` or `UTC`".into(),
    }
}
