//! The `config/unknown-rule` family, and the severities `check.rules` in `rasci.yaml` sets.
//!
//! Findings are created at their rule's default severity by whichever stage finds them;
//! this is the one place that restyles them from the project's configuration, after every
//! other rule has run.

use crate::config::RuleLevel;
use crate::diagnostic::{Diagnostic, Findings, RuleId, Severity, did_you_mean};
use crate::model::Project;

/// Changes or drops findings as `check.rules` says, and reports unknown rule ids there.
pub(super) fn apply_severity_config(project: &Project, findings: &mut Findings) {
    let mut config_findings = Vec::new();
    for (id, _) in project.config.check.rules.iter() {
        match RuleId::from_id(&id.value) {
            Some(rule) if rule.configurable() => {}
            Some(rule) => config_findings.push(
                Diagnostic::new(
                    RuleId::ConfigUnknownRule,
                    format!("the severity of `{rule}` cannot be changed"),
                )
                .at(id.span, "not configurable")
                .help("files that cannot be read are always errors"),
            ),
            None => {
                let known = RuleId::ALL.iter().map(|r| r.as_str());
                let mut diagnostic = Diagnostic::new(
                    RuleId::ConfigUnknownRule,
                    format!("there is no rule `{}`", id.value),
                )
                .at(id.span, "unknown rule id");
                if let Some(suggestion) = did_you_mean(&id.value, known) {
                    diagnostic = diagnostic.help(suggestion);
                }
                config_findings.push(diagnostic);
            }
        }
    }
    restyle(project, findings);
    findings.extend(config_findings);
}

/// Sets the severities `check.rules` gives to `findings`: by the check, and again for the
/// findings of the stages after it (the render's, the links of the built site). Rules
/// whose severity cannot be changed, and unknown ids, are the check's findings.
pub(crate) fn restyle(project: &Project, findings: &mut Findings) {
    let levels: Vec<(RuleId, RuleLevel)> = project
        .config
        .check
        .rules
        .iter()
        .filter_map(|(id, level)| {
            let rule = RuleId::from_id(&id.value)?;
            rule.configurable().then_some((rule, level.value))
        })
        .collect();
    if levels.is_empty() {
        return;
    }
    findings.diagnostics.retain_mut(|diagnostic| {
        match levels
            .iter()
            .rev()
            .find(|(rule, _)| *rule == diagnostic.rule)
        {
            Some((_, RuleLevel::Off)) => false,
            Some((_, RuleLevel::Error)) => {
                diagnostic.severity = Severity::Error;
                true
            }
            Some((_, RuleLevel::Warning)) => {
                diagnostic.severity = Severity::Warning;
                true
            }
            None => true,
        }
    });
}
