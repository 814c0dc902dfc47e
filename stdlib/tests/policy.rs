//! std/policy: `safe-deployments` enables every built-in rule at its
//! defaults, and the standard template passes it.

mod common;

use common::{compile_text, diagnostics};
use sluice_compiler::policy::rules::RULES;

#[test]
fn safe_deployments_lists_every_rule() {
    let text = sluice_stdlib::module("policy").unwrap();
    for rule in RULES {
        assert!(
            text.contains(&format!("  rule {}\n", rule.name))
                || text.contains(&format!("  rule {} {{", rule.name)),
            "std/policy does not enable `{}`",
            rule.name
        );
    }
}

/// Passing means no error. In a week with a US holiday the six-wave
/// rollout takes a few hours more than `max-lead-time`'s 7 days, which the
/// rule reports as the warning it is by default (docs/stdlib/templates.md).
#[test]
fn a_service_on_the_standard_template_passes_safe_deployments() {
    let text = "import \"std/templates\"\nimport \"std/policy\"\n\n\
                pipeline plain-service extends regional-service {\n  owner \"team\"\n}\n";
    let compilation = compile_text("safe-deployments", text);
    assert!(
        !compilation.has_errors(),
        "{:#?}",
        diagnostics(&compilation)
    );
    for d in &compilation.diagnostics {
        assert_eq!(
            d.rule.as_deref(),
            Some("max-lead-time"),
            "{:#?}",
            diagnostics(&compilation)
        );
    }
}

#[test]
fn safe_deployments_catches_an_unsafe_override() {
    let text = "import \"std/templates\"\nimport \"std/policy\"\n\n\
                pipeline hasty extends regional-service {\n  production { wave 1 { bake 1h } }\n}\n";
    let compilation = compile_text("safe-deployments-hasty", text);
    let found = diagnostics(&compilation);
    assert!(
        found.iter().any(|d| d.starts_with("min-bake")),
        "{found:#?}"
    );
    let finding = compilation
        .diagnostics
        .iter()
        .find(|d| d.rule.as_deref() == Some("min-bake"))
        .unwrap();
    assert_eq!(finding.pipeline.as_deref(), Some("hasty"));
    assert!(
        finding.message.contains("policy `safe-deployments`"),
        "{}",
        finding.message
    );
}
