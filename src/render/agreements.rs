//! The agreement a deployment page's model is under and what changed in its table since
//! the version before: the views of `partials/agreement.html` and `partials/changes.html`,
//! kept apart from the matrix's views because they come from the agreement data and the
//! published versions rather than from the matrix itself.

use super::env::PageEnv;
use crate::model::Project;
use crate::resolve::Matrix;
use serde::Serialize;

/// `partials/agreement.html`: the agreement a model's matrices are, as written (dates
/// as the data writes them: the check has judged them).
#[derive(Debug, Serialize)]
pub(crate) struct AgreementView {
    pub(crate) version: String,
    pub(crate) effective: String,
    /// Each approval: the party's name (its id when it is not a party) and the day.
    pub(crate) approvals: Vec<ApprovalView>,
    pub(crate) review_every: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ApprovalView {
    pub(crate) party: String,
    pub(crate) date: String,
}

/// The agreement data of model `model`, if it has any.
pub(crate) fn agreement(project: &Project, model: crate::model::ModelIx) -> Option<AgreementView> {
    let agreement = project.agreement_of(model)?;
    Some(AgreementView {
        version: agreement.version.value.clone(),
        effective: agreement.effective.value.clone(),
        approvals: agreement
            .approvals
            .iter()
            .map(|approval| ApprovalView {
                party: project
                    .party(&approval.party.value)
                    .map_or(&approval.party.value, |party| &party.name.value)
                    .clone(),
                date: approval.date.value.clone(),
            })
            .collect(),
        review_every: agreement.review_every.as_ref().map(|r| r.value.clone()),
    })
}

/// `partials/changes.html`: what changed in one table since the version before, as
/// `rasci diff --format json` writes it for the table's model and scope (`matrix`:
/// `tasks_added`, `tasks_removed`, `tasks_moved`, `tasks_retitled`, `letters`), each
/// letter change also with the party's `party_name` and the task's `title`.
#[derive(Debug, Serialize)]
pub(crate) struct ChangedView {
    pub(crate) heading_id: String,
    /// The name of the version before this one.
    pub(crate) since: String,
    /// `None` when the table did not change.
    pub(crate) matrix: Option<serde_json::Value>,
    /// The diff's `parties`: `added`, `removed`, `renamed`.
    pub(crate) parties: serde_json::Value,
}

/// The changes of the table of `matrix` since the version before, if versions are
/// published and this one has a predecessor.
pub(crate) fn changed(env: &mut PageEnv<'_>, matrix: &Matrix<'_>) -> Option<ChangedView> {
    let (since, diff) = env.data.versions?.changes()?;
    let project = env.data.project;
    let model = project.model_at(matrix.model).id();
    let mut entry = diff["matrices"]
        .as_array()?
        .iter()
        .find(|m| m["scope"] == matrix.scope.id.value.as_str() && m["model"].as_str() == model)
        .cloned();
    if let Some(entry) = entry.as_mut() {
        super::changes::name_letters(project, Some(matrix), entry);
    }
    Some(ChangedView {
        heading_id: env.id("changed-in-this-version"),
        since: since.to_owned(),
        matrix: entry,
        parties: diff["parties"].clone(),
    })
}
