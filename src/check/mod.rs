//! Check: the rules run over a loaded project and its resolved matrices. Each rule family
//! lives in its own file; [`rules`] is the registry of their ids.

mod flows;
pub mod links;
mod matrix;
mod refs;
pub mod rules;

use crate::config::RuleLevel;
use crate::diagnostic::{Diagnostic, Findings, Severity, did_you_mean};
use crate::model::Project;
use crate::resolve::Matrix;

/// Runs every rule and applies the severities set in `rasci.yaml`.
pub fn check(project: &Project, matrices: &[Matrix<'_>], findings: &mut Findings) {
    let mut found = Vec::new();
    refs::check(project, &mut found);
    matrix::check(project, matrices, &mut found);
    flows::check(project, &mut found);
    findings.extend(found);
    apply_severity_config(project, findings);
    findings.sort(&project.sources);
}

/// Changes or drops findings as `check.rules` says, and reports unknown rule ids there.
fn apply_severity_config(project: &Project, findings: &mut Findings) {
    let mut config_findings = Vec::new();
    let mut levels = Vec::new();
    for (id, level) in project.config.check.rules.iter() {
        match rules::find(&id.value) {
            Some(rule) if rule.configurable => levels.push((rule.id, level.value)),
            Some(rule) => config_findings.push(
                Diagnostic::new(
                    "config/unknown-rule",
                    format!("the severity of `{}` cannot be changed", rule.id),
                )
                .at(id.span, "not configurable")
                .help("files that cannot be read are always errors"),
            ),
            None => {
                let known = rules::RULES.iter().map(|r| r.id);
                let mut diagnostic = Diagnostic::new(
                    "config/unknown-rule",
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
    findings.diagnostics.retain_mut(|diagnostic| {
        match levels.iter().rev().find(|(id, _)| *id == diagnostic.rule) {
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
    findings.extend(config_findings);
}
