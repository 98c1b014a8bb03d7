//! The agreement rules: dates that are dates, approvals by parties of the model, and a
//! review that is not overdue.
//!
//! "Today" is the one input of a check that is not in the project: it is read from
//! `SOURCE_DATE_EPOCH` when that is set, so tests and reproducible builds give the same
//! findings every day, and from the clock otherwise. Only findings depend on it; no page
//! of the site does.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::escape::shown;
use crate::model::{Agreement, Day, Interval, MAX_VERSION_LABEL, ModelIx, Project};

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    let today = today();
    for agreement in agreements(project) {
        check_values(agreement, today, found);
    }
    check_approvers(project, found);
}

/// Each agreement of the project once: the project's, then each model's own.
fn agreements(project: &Project) -> impl Iterator<Item = &Agreement> {
    project.agreement.iter().chain(
        project
            .models
            .iter()
            .filter_map(|model| model.def.as_ref()?.agreement.as_ref()),
    )
}

/// The day the check runs: `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set to a
/// whole number, the system clock otherwise.
fn today() -> Day {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        });
    Day::from_unix_days(seconds.div_euclid(86_400))
}

fn check_values(agreement: &Agreement, today: Day, found: &mut Vec<Diagnostic>) {
    let version = &agreement.version;
    let length = version.value.chars().count();
    if length == 0 || length > MAX_VERSION_LABEL {
        found.push(
            Diagnostic::new(
                RuleId::AgreementValue,
                format!(
                    "a version label has 1 to {MAX_VERSION_LABEL} characters; this one has {length}"
                ),
            )
            .at(version.span, "this label")
            .help("give the version a short label such as `2025.1`"),
        );
    }
    let effective = day_of(&agreement.effective, "effective date", found);
    for approval in &agreement.approvals {
        day_of(&approval.date, "approval date", found);
    }
    let Some(every) = &agreement.review_every else {
        return;
    };
    let Some(interval) = Interval::parse(&every.value) else {
        found.push(
            Diagnostic::new(
                RuleId::AgreementValue,
                format!(
                    "`{}` is not a review interval",
                    shown(&every.value)
                ),
            )
            .at(every.span, "not a number of days, weeks, months or years")
            .help("write it as `12 months`, `1 year`, `6 weeks` or `90 days`: a whole number from 1, at most 10 years"),
        );
        return;
    };
    let Some(effective) = effective else {
        return;
    };
    let due = effective.after(interval);
    if today > due {
        found.push(
            Diagnostic::new(
                RuleId::AgreementReviewOverdue,
                format!(
                    "the review of agreement version `{}` is overdue: it was due on {due}",
                    shown(&version.value)
                ),
            )
            .at(every.span, format!("every {} from {effective}", shown(&every.value)))
            .help("review the agreement and give it a new version and effective date, or set `review_every` to the interval agreed"),
        );
    }
}

/// The day `text` names, or `None` with a finding at it.
fn day_of(
    text: &crate::model::Located<String>,
    what: &str,
    found: &mut Vec<Diagnostic>,
) -> Option<Day> {
    let day = Day::parse(&text.value);
    if day.is_none() {
        found.push(
            Diagnostic::new(
                RuleId::AgreementValue,
                format!("`{}` is not a date", shown(&text.value)),
            )
            .at(text.span, format!("this {what}"))
            .help("write a calendar day as YYYY-MM-DD, such as 2025-04-01"),
        );
    }
    day
}

/// Each approval names a party of every model its agreement is for: the model's own
/// agreement, its model; the project's, the models without one of their own.
fn check_approvers(project: &Project, found: &mut Vec<Diagnostic>) {
    let mut reported = std::collections::HashSet::new();
    for (index, model) in project.models() {
        let Some(agreement) = project.agreement_of(index) else {
            continue;
        };
        for approval in &agreement.approvals {
            let party = approval.party.as_str();
            let known = project.parties.iter().position(|p| p.id.value == party);
            if known.is_some_and(|p| model.has_party(p)) {
                continue;
            }
            // A project agreement shared by several models is reported once per approval.
            if !reported.insert(approval.party.span) {
                continue;
            }
            found.push(unknown_approver(
                project,
                index,
                &approval.party,
                known.is_some(),
            ));
        }
    }
}

fn unknown_approver(
    project: &Project,
    model: ModelIx,
    party: &crate::model::Located<String>,
    in_project: bool,
) -> Diagnostic {
    let model = project.model_at(model);
    let names: Vec<&str> = model
        .parties
        .iter()
        .map(|&p| project.parties[p].id.as_str())
        .collect();
    let message = if in_project {
        format!(
            "party `{}` approves an agreement{} it takes no part in",
            shown(&party.value),
            model.in_model()
        )
    } else {
        format!(
            "unknown party `{}` approves an agreement",
            shown(&party.value)
        )
    };
    Diagnostic::new(RuleId::AgreementUnknownApprover, message)
        .at(party.span, "not a party of the agreement")
        .help(format!(
            "an approval names one of the parties: {}",
            crate::diagnostic::list_names(&names)
        ))
}
