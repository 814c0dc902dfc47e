//! `sluice explain-code CODE`: the long explanation of a code.

use std::process::ExitCode;

use sluice_compiler::diagnostic::Code;
use sluice_compiler::policy::rules;

use super::Result;
use crate::console::outln;

pub fn run(code: Option<&str>, list: bool) -> Result<ExitCode> {
    if list {
        for code in Code::ALL {
            outln!("{code}");
        }
        for rule in rules::RULES {
            outln!("{}", rule.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let code = code.unwrap_or_default();
    let explanation = Code::parse(code)
        .map(Code::explanation)
        .or_else(|| sluice_compiler::policy::explanation(code));
    match explanation {
        Some(text) => {
            outln!("{}", text.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let names: Vec<&str> = Code::ALL
                .iter()
                .map(|c| c.as_str())
                .chain(rules::RULES.iter().map(|r| r.name))
                .collect();
            let hint = sluice_compiler::suggest::closest(code, names.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(format!(
                "unknown code `{code}`{hint}; the codes are: {}",
                names.join(", ")
            )
            .into())
        }
    }
}
