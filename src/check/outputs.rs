//! Output limits: what the downloads can hold, checked at the data so that a project that
//! checks clean always builds. A workbook cell holds at most [`CELL_TEXT_MAX`] UTF-16
//! units and a sheet at most [`SHEET_COLUMNS_MAX`] columns and [`SHEET_ROWS_MAX`] rows
//! (Excel's limits, which the workbook writer enforces by failing); without this rule the
//! download was left out and `build` failed later with a broken link in the built site.
//!
//! Sheet names need no rule: the writer makes them from scope names, cut and made unique.
//! Paths need none either: every part of a URL is an id (at most 64 characters) or a
//! content file or folder name (at most 100), checked by the loader.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::located::Located;
use crate::model::Project;
use crate::resolve::Matrix;

/// Longest text of a workbook cell, in UTF-16 units (Excel counts so).
pub(crate) const CELL_TEXT_MAX: usize = 32_767;
/// Columns of a sheet: the task column and one per party.
pub(crate) const SHEET_COLUMNS_MAX: usize = 16_384;
/// Rows of a sheet: the header, one per section title and one per task.
pub(crate) const SHEET_ROWS_MAX: usize = 1_048_576;

/// `Task (` and `)` around a model's name in the heading of a sheet's task column.
const TASK_HEADING_EXTRA: usize = "Task ()".len();

pub(crate) fn check(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
    let mut texts: Vec<(&Located<String>, &str, usize)> = Vec::new();
    for model in &project.models {
        if let Some(def) = &model.def {
            texts.push((&def.name, "a model's name", TASK_HEADING_EXTRA));
        }
    }
    for party in &project.parties {
        texts.push((&party.name, "a party's name", 0));
    }
    for section in &project.sections {
        if let Some(title) = &section.title {
            texts.push((title, "a section's title", 0));
        }
        for task in &section.tasks {
            texts.push((&task.title, "a task's title", 0));
        }
    }
    for (text, what, extra) in texts {
        let units = utf16_len(&text.value) + extra;
        if units > CELL_TEXT_MAX {
            found.push(
                Diagnostic::new(
                    RuleId::OutputLimit,
                    format!(
                        "{what} is too long for a workbook cell: {units} characters, at most {} (Excel counts a character beyond U+FFFF, such as an emoji, as two)",
                        CELL_TEXT_MAX - extra
                    ),
                )
                .at(text.span, "this text")
                .help("shorten it; a longer explanation belongs in the description"),
            );
        }
    }
    for matrix in matrices {
        let columns = matrix.parties.len() + 1;
        if columns > SHEET_COLUMNS_MAX {
            let model = project.model_at(matrix.model);
            let span = match &model.def {
                Some(def) => def.id.span,
                None => {
                    project.parties[matrix.parties[SHEET_COLUMNS_MAX - 1]]
                        .id
                        .span
                }
            };
            found.push(
                Diagnostic::new(
                    RuleId::OutputLimit,
                    format!(
                        "scope `{}` has {} parties, more than the {} columns a workbook sheet holds beside the tasks",
                        matrix.scope.id.value,
                        matrix.parties.len(),
                        SHEET_COLUMNS_MAX - 1
                    ),
                )
                .at(span, "the party past the limit")
                .help("split the parties into operating models (data/models.yaml)"),
            );
        }
        let rows = 1 + matrix
            .sections
            .iter()
            .map(|s| usize::from(s.section.title.is_some()) + s.rows.len())
            .sum::<usize>();
        if rows > SHEET_ROWS_MAX {
            found.push(
                Diagnostic::new(
                    RuleId::OutputLimit,
                    format!(
                        "scope `{}` has {rows} rows, more than the {SHEET_ROWS_MAX} a workbook sheet holds",
                        matrix.scope.id.value
                    ),
                )
                .at(matrix.scope.id.span, "this scope")
                .help("split the scope's sections over several scopes"),
            );
        }
    }
}

/// Length of `text` as Excel counts it.
fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}
