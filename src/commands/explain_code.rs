//! `sluice explain-code CODE`: the long explanation of a code.

use std::process::ExitCode;

use sluice_compiler::diagnostic::Code;

use super::Result;

pub fn run(code: Option<&str>, list: bool) -> Result<ExitCode> {
    if list {
        for code in Code::ALL {
            println!("{code}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let code = code.unwrap_or_default();
    match Code::parse(code) {
        Some(code) => {
            print!("{}", code.explanation());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
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
