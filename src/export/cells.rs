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
