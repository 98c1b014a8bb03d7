//! The agreement a deployment page's model is under, what changed in its table since
//! the version before and when each of its rows last changed: the views of
//! `partials/agreement.html`, `partials/changes.html` and `partials/last_change.html`,
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

/// `partials/last_change.html`: the published version in which a task row last changed
/// (this one or one before it), and how, linking that version's Changes page at the
/// task's changes.
#[derive(Debug, Serialize)]
pub(crate) struct LastChangeView {
    /// The version's name.
    pub(crate) version: String,
    /// The day it took effect (`YYYY-MM-DD`), when known.
    pub(crate) effective: Option<String>,
    pub(crate) href: String,
    /// The task was added in that version (nothing else is said then).
    pub(crate) added: bool,
    pub(crate) retitled: bool,
    pub(crate) moved: bool,
    pub(crate) letters: Vec<LetterShiftView>,
}

/// The letters one party gained and lost in a row.
#[derive(Debug, Serialize)]
pub(crate) struct LetterShiftView {
    /// The party's name in the version read (its id, when no party of this version has
    /// that id or former id).
    pub(crate) party: String,
    pub(crate) gained: Vec<String>,
    pub(crate) lost: Vec<String>,
}

/// When the row of task `task` in the table of `matrix` last changed, if versions are
/// published and it changed since the oldest of them.
pub(crate) fn last_change(
    env: &mut PageEnv<'_>,
    matrix: &Matrix<'_>,
    task: &str,
) -> Option<LastChangeView> {
    let versions = env.data.versions?;
    let project = env.data.project;
    let model = project.model_at(matrix.model).id();
    let scope = matrix.scope.id.value.as_str();
    let change = versions.last_change(model, scope, task)?;
    let published = &versions.list[change.version];
    let anchor = crate::plan::versions::change_anchor(model, scope, task);
    // A party named in an older version's changes may have been renamed since: its old
    // id is then one of its `aliases:`.
    let party_name = |id: &str| {
        project
            .parties
            .iter()
            .find(|p| p.id.value == id)
            .or_else(|| {
                project
                    .parties
                    .iter()
                    .find(|p| p.aliases.iter().any(|alias| alias.value == id))
            })
            .map_or_else(|| id.to_owned(), |p| p.name.value.clone())
    };
    Some(LastChangeView {
        version: published.name.clone(),
        effective: published.effective.clone(),
        href: format!(
            "{}#{anchor}",
            env.url(&versions.changes_page(change.version))
        ),
        added: change.added,
        retitled: change.retitled,
        moved: change.moved,
        letters: change
            .letters
            .iter()
            .map(|(party, gained, lost)| LetterShiftView {
                party: party_name(party),
                gained: gained.clone(),
                lost: lost.clone(),
            })
            .collect(),
    })
}
