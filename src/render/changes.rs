//! The Changes page of a published version (`pages/changes.html`): what changed since
//! the version before it, table by table, from the one comparison `rasci diff --format
//! json` makes (the same the "Changed in this version" section of each deployment page
//! shows, see `views::changed`), so the page and the command agree change for change.

use super::env::PageEnv;
use super::out::{PageOut, toc_of};
use super::templates::RenderError;
use crate::model::Project;
use crate::resolve::Matrix;
use serde::Serialize;

const CHANGES: &str = "pages/changes.html";

/// `pages/changes.html`: every table that changed since the version before.
#[derive(Debug, Serialize)]
pub(crate) struct ChangesPageView {
    /// The name of this version.
    pub(crate) version: String,
    /// The name of the version before it; `None` for the oldest (the page is not
    /// planned then).
    pub(crate) since: Option<String>,
    /// The `description` block's text, for the body's lead.
    pub(crate) description: String,
    pub(crate) tables: Vec<TableChanges>,
    /// The diff's `parties`: `added`, `removed`, `renamed`.
    pub(crate) parties: serde_json::Value,
}

/// One changed table: its deployment and model, a link to its page in this version
/// (none when the table is no longer there), and the diff's entry for it (`tasks_added`,
/// `tasks_removed`, `tasks_moved`, `tasks_retitled`, `letters`, each letter change also
/// with `party_name` and `title`).
#[derive(Debug, Serialize)]
pub(crate) struct TableChanges {
    pub(crate) id: String,
    pub(crate) scope: String,
    pub(crate) model: Option<String>,
    pub(crate) href: Option<String>,
    pub(crate) changes: serde_json::Value,
}

/// Names the party and the task of each letter change of a diff's table entry: a letter
/// change is of a task and a party of this version, the ids are kept where one is not
/// found.
pub(crate) fn name_letters(
    project: &Project,
    matrix: Option<&Matrix<'_>>,
    entry: &mut serde_json::Value,
) {
    let Some(letters) = entry["letters"].as_array_mut() else {
        return;
    };
    for change in letters {
        let party = change["party"].as_str().unwrap_or_default().to_owned();
        let task = change["task"].as_str().unwrap_or_default().to_owned();
        let name = project
            .party(&party)
            .map_or(party.clone(), |p| p.name.value.clone());
        let title = matrix
            .and_then(|m| m.rows().find(|row| row.task.id.value == task))
            .map_or(task.clone(), |row| row.task.title.value.clone());
        change["party_name"] = name.into();
        change["title"] = title.into();
    }
}

/// Gives the first change of each task in a table's entry, in the order the page lists
/// them (added, removed, moved, retitled, letters), the `anchor` a row's last change
/// links to ([`crate::plan::versions::change_anchor`]).
fn mark_anchors(
    env: &mut PageEnv<'_>,
    model: Option<&str>,
    scope: &str,
    entry: &mut serde_json::Value,
) {
    let mut seen = std::collections::HashSet::new();
    for list in [
        "tasks_added",
        "tasks_removed",
        "tasks_moved",
        "tasks_retitled",
        "letters",
    ] {
        for change in entry[list].as_array_mut().into_iter().flatten() {
            let task = change["task"].as_str().unwrap_or_default().to_owned();
            if seen.insert(task.clone()) {
                let anchor = crate::plan::versions::change_anchor(model, scope, &task);
                change["anchor"] = env.id(&anchor).into();
            }
        }
    }
}

/// Renders the Changes page of the version being built.
pub(crate) fn page(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    let versions = data.versions;
    let (since, diff) = match versions.and_then(|v| v.changes()) {
        Some((since, diff)) => (Some(since.to_owned()), diff.clone()),
        None => (None, serde_json::Value::Null),
    };
    let mut tables = Vec::new();
    for entry in diff["matrices"].as_array().into_iter().flatten() {
        let scope_id = entry["scope"].as_str().unwrap_or_default();
        let model_id = entry["model"].as_str();
        let matrix = data
            .matrices
            .iter()
            .find(|m| m.scope.id.value == scope_id && project.model_at(m.model).id() == model_id);
        let mut changes = entry.clone();
        name_letters(project, matrix, &mut changes);
        mark_anchors(env, model_id, scope_id, &mut changes);
        let wanted = match model_id {
            Some(model) => format!("{model}-{scope_id}"),
            None => scope_id.to_owned(),
        };
        tables.push(TableChanges {
            id: env.id(&wanted),
            scope: matrix.map_or(scope_id.to_owned(), |m| m.scope.name.value.clone()),
            model: model_id.map(|id| {
                matrix
                    .and_then(|m| project.model_at(m.model).name())
                    .unwrap_or(id)
                    .to_owned()
            }),
            href: matrix.map(|m| env.url(&data.matrix_path(m))),
            changes,
        });
    }
    let mut view = ChangesPageView {
        version: versions.map_or_else(String::new, |v| v.this_name().to_owned()),
        since,
        description: String::new(),
        tables,
        parties: diff["parties"].clone(),
    };
    out.title = Some(env.theme.render_text(CHANGES, "title", &view)?);
    out.description = env.theme.render_text(CHANGES, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(CHANGES, "body", &view)?;
    let ids: Vec<&str> = view.tables.iter().map(|t| t.id.as_str()).collect();
    out.toc = toc_of(&out.body, &ids, std::mem::take(&mut out.toc));
    Ok(())
}
