//! Turns pest's "expected rules" into words a user understands.

use crate::Rule;

/// What a rule looks like to a person; `None` for rules never worth naming.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the file",
        ident => "a name like `us-east-1`",
        wave_name => "a wave name like `1` or `canary`",
        integer => "a whole number like `100`",
        string => "a quoted string like `\"make test\"`",
        duration => "a duration like `30m` or `1h30m`",
        percent => "a percentage like `33%`",
        time_range => "a time range like `09:00-16:00`",
        time => "a time like `09:00`",
        day_spec | day => "a day or day range like `mon..thu`",
        date_spec | date => "a date like `2026-12-25`",
        ident_list => "a list like `[a, b]`",
        string_list => "a list of strings like `[\"@org/team\"]`",
        open_brace => "`{`",
        close_brace => "`}`",
        open_bracket => "`[`",
        close_bracket => "`]`",
        append => "`+=`",
        extends | k_extends => "`extends`",
        provider | probe => "a probe: `cloudwatch`, `prometheus` or `command` and a string",
        traffic_level => "`low`, `medium` or `high`",
        severity => "a severity: `error`, `warn` or `off`",
        drop_kind => "`stage` or `wave`",
        final_ | k_final => "`final`",
        import | k_import => "`import`",
        fleet | fleet_ref | k_fleet => "`fleet`",
        region | k_region => "`region`",
        cells | k_cells => "`cells`",
        traffic | k_traffic => "`traffic`",
        calendar | k_calendar => "`calendar`",
        holiday => "a date like `2026-12-25`",
        window | window_ref | k_window => "`window`",
        timezone | k_timezone => "`timezone`",
        allow | k_allow => "`allow`",
        deny_calendar | deny_dates | k_deny => "`deny`",
        alarm | k_alarm => "`alarm`",
        template | k_template => "`template`",
        pipeline | k_pipeline => "`pipeline`",
        policy | k_policy => "`policy`",
        owner | k_owner => "`owner`",
        tags | k_tags => "`tags`",
        source | k_source => "`source`",
        branch | k_branch => "`branch`",
        review | k_review => "`review`",
        approvals | k_approvals => "`approvals`",
        paths | k_paths => "`paths`",
        stage | k_stage => "`stage`",
        production | k_production => "`production`",
        wave | k_wave => "`wave`",
        after | k_after => "`after`",
        regions | k_regions => "`regions`",
        k_rest => "`rest`",
        run | check_run | k_run => "`run`",
        check | k_check => "`check`",
        check_kind | k_kind => "`kind`",
        timeout | k_timeout => "`timeout`",
        approval | k_approval => "`approval`",
        approvers | k_approvers => "`approvers`",
        deploy | k_deploy => "`deploy`",
        rollback | k_rollback => "`rollback`",
        one_box | k_one_box => "`one-box`",
        rolling | k_rolling => "`rolling`",
        rolling_by | k_by => "`by cell`",
        k_cell => "`cell`",
        rolling_batch | k_batch => "`batch`",
        bake | k_bake => "`bake`",
        datapoints | k_datapoints => "`datapoints`",
        alarms | k_alarms => "`alarms`",
        blockers | k_blockers => "`blockers`",
        emergency | k_emergency => "`emergency`",
        bake_scale | k_bake_scale => "`bake-scale`",
        override_blockers | k_override_blockers => "`override-blockers`",
        waive | k_waive => "`waive`",
        reason | k_reason => "`reason`",
        approved_by | k_approved_by => "`approved-by`",
        expires | k_expires => "`expires`",
        drop | k_drop => "`drop`",
        applies_to | k_applies_to => "`applies-to`",
        k_all => "`all`",
        k_tag => "`tag`",
        policy_rule | k_rule => "`rule`",
        param => "a rule parameter like `max 1`",
        _ => return None,
    })
}

/// Statement keywords crowd out everything else in a message; past this many
/// the message says "a statement" and the help lists them.
const MAX_LISTED: usize = 4;

/// The message and help for a parse error with these expected rules.
pub fn describe_expected(positives: &[Rule], found: Option<String>) -> (String, String) {
    let token = found.clone();
    let mut words: Vec<&'static str> = Vec::new();
    for rule in positives {
        if let Some(word) = describe(*rule) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
    }
    let found = match found {
        Some(token) => format!(", found `{token}`"),
        None => ", found the end of the file".to_string(),
    };
    if words.is_empty() {
        return (
            format!("unexpected text{found}"),
            "check the statement against the language reference (SPEC sections 1-4)".into(),
        );
    }
    let keywords: Vec<&str> = words.iter().copied().filter(|w| is_keyword(w)).collect();
    let others: Vec<&str> = words.iter().copied().filter(|w| !is_keyword(w)).collect();
    let expected = if keywords.len() > MAX_LISTED {
        let mut parts = others.clone();
        parts.insert(0, "a statement");
        join_alternatives(&parts)
    } else {
        join_alternatives(&words)
    };
    let typo = token.as_deref().and_then(|t| closest_keyword(t, &keywords));
    if let (Some(found), Some(best)) = (token.as_deref(), typo) {
        return (
            format!("unknown statement `{found}`"),
            format!(
                "did you mean {best}? statements allowed here: {}",
                keywords.join(", ")
            ),
        );
    }
    let help = if keywords.len() > MAX_LISTED {
        format!("statements allowed here: {}", keywords.join(", "))
    } else if words.len() == 1 {
        format!("write {} here", words[0])
    } else {
        format!("write one of: {}", words.join(", "))
    };
    (format!("expected {expected}{found}"), help)
}

/// The keyword (written `` `deploy` ``) a misspelt word was meant to be.
/// Keywords are short, so a third of the keyword's length, rounded up, is
/// allowed; the word itself is never its own suggestion.
fn closest_keyword<'a>(word: &str, keywords: &[&'a str]) -> Option<&'a str> {
    if !word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let bare = keywords
        .iter()
        .map(|k| k.trim_matches('`'))
        .filter(|k| *k != word);
    let best = crate::suggest::closest_within(word, bare, |_, k| k.len().div_ceil(3))?;
    keywords
        .iter()
        .copied()
        .find(|k| k.trim_matches('`') == best)
}

fn is_keyword(word: &str) -> bool {
    word.starts_with('`')
        && word.ends_with('`')
        && word.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic())
}

fn join_alternatives(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}
