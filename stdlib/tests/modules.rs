//! Every std module parses, resolves, passes `check` with no diagnostic, is
//! in canonical format, and has its reference page.

mod common;

use common::{compile_text, diagnostics, import};
use sluice_grammar::{format_file, parse_file, FileId};
use sluice_stdlib::MODULES;

#[test]
fn every_module_checks_clean() {
    for module in MODULES {
        let compilation = import(module.name);
        assert!(
            compilation.diagnostics.is_empty(),
            "std/{}: {:#?}",
            module.name,
            diagnostics(&compilation)
        );
    }
}

#[test]
fn all_modules_together_check_clean() {
    let text: String = MODULES
        .iter()
        .map(|m| format!("import \"std/{}\"\n", m.name))
        .collect();
    let compilation = compile_text("all-modules", &text);
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        diagnostics(&compilation)
    );
}

#[test]
fn every_module_is_formatted() {
    for module in MODULES {
        let (file, errors) = parse_file(FileId(0), module.text);
        assert!(errors.is_empty(), "std/{} does not parse", module.name);
        let formatted = format_file(&file.unwrap(), module.text);
        assert!(
            formatted == module.text,
            "std/{} is not formatted: run `sluice fmt stdlib/std`",
            module.name
        );
    }
}

#[test]
fn every_module_has_a_reference_page() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/stdlib");
    for module in MODULES {
        let page = format!("{docs}/{}.md", module.name);
        let text = std::fs::read_to_string(&page)
            .unwrap_or_else(|_| panic!("std/{} has no page {page}", module.name));
        assert!(
            text.contains(&format!("import \"std/{}\"", module.name)),
            "{page} does not show how to import the module"
        );
    }
}
