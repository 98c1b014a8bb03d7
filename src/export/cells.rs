//! The words every table export writes alike: a cell's letters, the task column's heading
//! and a matrix's title. A leaf of `export/`, so the Markdown and XLSX writers take them
//! from here and not from `export.rs`, which calls them.

use crate::model::Project;
use crate::resolve::Matrix;

/// The letters of `party` in `row` as the CSV, XLSX and Markdown exports write them: `A, R`,
/// in the order `matrix.letter_order` of the config asks for (as written by default); empty
/// when the party holds none. The JSON export keeps RASCI order, its documented contract.
pub(crate) fn cell_text(project: &Project, row: &crate::resolve::Row<'_>, party: usize) -> String {
    row.cells[party].map_or_else(String::new, |cell| {
        cell.text(project.config.matrix.letter_order)
    })
}

/// The heading of a table's task column: `Task`, or with models `Task (<model name>)`,
/// so that a sheet or table on its own still says which model it is.
pub(crate) fn task_heading(project: &Project, matrix: &Matrix<'_>) -> String {
    match project.model_at(matrix.model).name() {
        Some(name) => format!("Task ({name})"),
        None => "Task".to_string(),
    }
}

/// The title of one matrix: the scope's name, or with models `<model name> · <scope name>`.
pub(crate) fn matrix_title(project: &Project, matrix: &Matrix<'_>) -> String {
    match project.model_at(matrix.model).name() {
        Some(name) => format!("{name} · {}", matrix.scope.name.value),
        None => matrix.scope.name.value.clone(),
    }
}

/// Whether the table exports carry a column of control references: only for a project
/// with `data/frameworks.yaml`, so the exports of other projects keep their columns.
pub(crate) fn has_controls_column(project: &Project) -> bool {
    !project.frameworks.is_empty()
}

/// The heading of the column of control references.
pub(crate) const CONTROLS_HEADING: &str = "Controls";

/// A task's control references as the table exports write them: `iso27001:A.5.24,
/// iso27001:A.5.26`, in the order the task lists them.
pub(crate) fn controls_text(row: &crate::resolve::Row<'_>) -> String {
    let references: Vec<&str> = row.task.controls.iter().map(|c| c.as_str()).collect();
    references.join(", ")
}

/// Whether the CSV and XLSX tables end in a `When` column (a task's condition ids): the
/// project defines conditions. Decided for the whole project, so every table of one
/// project has the same columns, and one without conditions keeps the columns it had.
pub(crate) fn has_when_column(project: &Project) -> bool {
    !project.conditions.is_empty()
}

/// Whether the CSV and XLSX tables end in a `Notes` column (a task's note): some task or
/// cell of the project has a note.
pub(crate) fn has_notes_column(project: &Project) -> bool {
    project.sections.iter().flat_map(|s| &s.tasks).any(|task| {
        task.note.is_some()
            || task
                .cells
                .iter()
                .chain(task.scope_cells.iter().flat_map(|(_, cells)| cells))
                .any(|cell| cell.note.is_some())
    })
}

/// The headings of the columns after the parties': `When`, `Notes`, `Controls`, each only
/// when the project has what it holds.
pub(crate) fn extra_headings(project: &Project) -> Vec<String> {
    let mut headings = Vec::new();
    if has_when_column(project) {
        headings.push("When".to_string());
    }
    if has_notes_column(project) {
        headings.push("Notes".to_string());
    }
    if has_controls_column(project) {
        headings.push(CONTROLS_HEADING.to_string());
    }
    headings
}

/// A row's cells under [`extra_headings`]: the task's condition ids (`a, b`), its note and
/// its control references.
pub(crate) fn extra_cells(project: &Project, row: &crate::resolve::Row<'_>) -> Vec<String> {
    let mut cells = Vec::new();
    if has_when_column(project) {
        cells.push(ids_text(&row.task.when));
    }
    if has_notes_column(project) {
        cells.push(
            row.task
                .note
                .as_ref()
                .map_or_else(String::new, |n| one_line(&n.value)),
        );
    }
    if has_controls_column(project) {
        cells.push(controls_text(row));
    }
    cells
}

/// A cell as the CSV and XLSX exports write it: its letters (see [`cell_text`]), then the
/// conditions it applies under in braces, then its note in parentheses:
/// `R {premium-plus} (on site)`. A plain cell is its letters alone, as always.
pub(crate) fn cell_annotated(
    project: &Project,
    row: &crate::resolve::Row<'_>,
    party: usize,
) -> String {
    let mut parts = vec![cell_text(project, row, party)];
    if let Some(cell) = row.cells[party] {
        if !cell.when.is_empty() {
            parts.push(format!("{{{}}}", ids_text(&cell.when)));
        }
        if let Some(note) = &cell.note {
            parts.push(format!("({})", one_line(&note.value)));
        }
    }
    parts.retain(|part| !part.is_empty());
    parts.join(" ")
}

/// Condition ids separated by a comma and a space.
pub(crate) fn ids_text(ids: &[crate::model::Located<String>]) -> String {
    let ids: Vec<&str> = ids.iter().map(|id| id.value.as_str()).collect();
    ids.join(", ")
}

/// A note on one line: a table cell of the exports holds no line break.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
