//! Which pest rule declares which statement, and which rules are keyword
//! tokens: the tables `parse.rs` reads the tree with.

use crate::ast::Keyword;
use crate::Rule;

pub fn keyword_of(rule: Rule) -> Option<Keyword> {
    use Keyword as K;
    Some(match rule {
        Rule::import => K::Import,
        Rule::fleet | Rule::fleet_ref => K::Fleet,
        Rule::region => K::Region,
        Rule::cells => K::Cells,
        Rule::traffic => K::Traffic,
        Rule::calendar => K::Calendar,
        Rule::holiday => K::Holiday,
        Rule::window | Rule::window_ref => K::Window,
        Rule::timezone => K::Timezone,
        Rule::allow => K::Allow,
        Rule::deny_calendar => K::DenyCalendar,
        Rule::deny_dates => K::DenyDates,
        Rule::alarm => K::Alarm,
        Rule::probe => K::Probe,
        Rule::template => K::Template,
        Rule::pipeline => K::Pipeline,
        Rule::policy => K::Policy,
        Rule::owner => K::Owner,
        Rule::tags => K::Tags,
        Rule::source => K::Source,
        Rule::branch => K::Branch,
        Rule::review => K::Review,
        Rule::approvals => K::Approvals,
        Rule::paths => K::Paths,
        Rule::stage => K::Stage,
        Rule::production => K::Production,
        Rule::wave => K::Wave,
        Rule::after => K::After,
        Rule::regions => K::Regions,
        Rule::run => K::Run,
        Rule::check => K::Check,
        Rule::check_kind => K::Kind,
        Rule::check_run => K::CheckRun,
        Rule::timeout => K::Timeout,
        Rule::approval => K::Approval,
        Rule::approvers => K::Approvers,
        Rule::deploy => K::Deploy,
        Rule::rollback => K::Rollback,
        Rule::one_box => K::OneBox,
        Rule::rolling => K::Rolling,
        Rule::rolling_by => K::By,
        Rule::rolling_batch => K::Batch,
        Rule::bake => K::Bake,
        Rule::datapoints => K::Datapoints,
        Rule::alarms => K::Alarms,
        Rule::blockers => K::Blockers,
        Rule::emergency => K::Emergency,
        Rule::bake_scale => K::BakeScale,
        Rule::override_blockers => K::OverrideBlockers,
        Rule::waive => K::Waive,
        Rule::reason => K::Reason,
        Rule::approved_by => K::ApprovedBy,
        Rule::expires => K::Expires,
        Rule::drop => K::Drop,
        Rule::applies_to => K::AppliesTo,
        Rule::policy_rule => K::Rule,
        Rule::param => K::Param,
        _ => return None,
    })
}

/// Statements whose first identifier is their name rather than a value.
pub fn is_named(keyword: Keyword, rule: Rule) -> bool {
    use Keyword as K;
    match keyword {
        K::Fleet | K::Window => matches!(rule, Rule::fleet | Rule::window),
        K::Region
        | K::Calendar
        | K::Alarm
        | K::Template
        | K::Pipeline
        | K::Policy
        | K::Stage
        | K::Run
        | K::Check
        | K::Approval
        | K::Waive
        | K::Rule
        | K::Param => true,
        _ => false,
    }
}

pub fn is_keyword_token(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        k_import
            | k_fleet
            | k_region
            | k_cells
            | k_traffic
            | k_calendar
            | k_window
            | k_timezone
            | k_allow
            | k_deny
            | k_alarm
            | k_template
            | k_pipeline
            | k_policy
            | k_extends
            | k_final
            | k_owner
            | k_tags
            | k_source
            | k_branch
            | k_review
            | k_approvals
            | k_paths
            | k_stage
            | k_production
            | k_wave
            | k_after
            | k_regions
            | k_rest
            | k_run
            | k_check
            | k_kind
            | k_timeout
            | k_approval
            | k_approvers
            | k_deploy
            | k_rollback
            | k_one_box
            | k_rolling
            | k_by
            | k_cell
            | k_batch
            | k_bake
            | k_datapoints
            | k_alarms
            | k_blockers
            | k_emergency
            | k_bake_scale
            | k_override_blockers
            | k_waive
            | k_reason
            | k_approved_by
            | k_expires
            | k_drop
            | k_applies_to
            | k_all
            | k_tag
            | k_rule
    )
}
