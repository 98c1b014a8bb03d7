//! The matrices as an Excel workbook: one sheet per scope and a legend sheet. Compliance
//! teams exchange matrices as workbooks, so the file must open cleanly in a spreadsheet
//! and read back to the same cells.

use crate::model::{Letter, Project};
use crate::resolve::Matrix;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::collections::HashSet;

/// Name of the sheet that explains the letters; scope sheets never take it.
pub(crate) const LEGEND_SHEET: &str = "Legend";

/// Longest sheet name Excel accepts.
const SHEET_NAME_MAX: usize = 31;

/// Column width bounds, in Excel's character units: wide enough for a letter set, never
/// so wide that one long title pushes the matrix off screen.
const WIDTH_MIN: usize = 8;
const WIDTH_MAX: usize = 60;

/// The workbook as bytes. The creation time is fixed (and the archive's own timestamps
/// are fixed by the writer), so the same matrices always give the same bytes.
pub(crate) fn to_xlsx(project: &Project, matrices: &[&Matrix<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let fixed_time = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&fixed_time));
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2));
    let section = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEDEDED));
    let mut taken: HashSet<String> = HashSet::from([LEGEND_SHEET.to_lowercase()]);
    for matrix in matrices {
        // Model ids rather than names: a sheet name has room for 31 characters only.
        let wanted = match project.model_at(matrix.model).id() {
            Some(model) => format!("{model} · {}", matrix.scope.name.value),
            None => matrix.scope.name.value.clone(),
        };
        let name = sheet_name(&wanted, &mut taken);
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let grid = grid(project, matrix);
        let columns = grid.iter().map(|row| row.cells.len()).max().unwrap_or(1);
        let mut widths = vec![WIDTH_MIN; columns];
        for (row_index, row) in grid.iter().enumerate() {
            let format = match row.kind {
                RowKind::Header => Some(&header),
                RowKind::Section => Some(&section),
                RowKind::Task => None,
            };
            for (column, text) in row.cells.iter().enumerate() {
                widths[column] = widths[column].max(text.chars().count() + 2);
                // Always string cells: text that starts with `=` stays text, never a formula.
                let (r, c) = (row_index as u32, column as u16);
                match format {
                    Some(format) => sheet.write_string_with_format(r, c, text, format)?,
                    None => sheet.write_string(r, c, text)?,
                };
            }
        }
        for (column, width) in widths.iter().enumerate() {
            sheet.set_column_width(column as u16, (*width).min(WIDTH_MAX) as f64)?;
        }
        sheet.set_freeze_panes(1, 1)?;
    }
    let legend = workbook.add_worksheet();
    legend.set_name(LEGEND_SHEET)?;
    legend.write_string_with_format(0, 0, "Letter", &header)?;
    legend.write_string_with_format(0, 1, "Role", &header)?;
    for (i, letter) in Letter::ALL.iter().enumerate() {
        legend.write_string(i as u32 + 1, 0, letter.as_str())?;
        legend.write_string(i as u32 + 1, 1, letter.name())?;
    }
    legend.set_column_width(0, WIDTH_MIN as f64)?;
    legend.set_column_width(1, 16)?;
    workbook.save_to_buffer()
}

/// What a row of a scope sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    Header,
    Section,
    Task,
}

/// One row of a scope sheet, as text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct GridRow {
    pub(crate) kind: RowKind,
    pub(crate) cells: Vec<String>,
}

/// A scope sheet's cells: the header (`Task`, or `Task (<model name>)` with models, then
/// the names of the model's parties), then per section a row with its title alone (when
/// it has one) and one row per task with its letters as the CSV export writes them
/// (`A, R`), and a last column of control references in a project with frameworks.
/// Public so tests can compare a file read back.
pub(crate) fn grid(project: &Project, matrix: &Matrix<'_>) -> Vec<GridRow> {
    let mut rows = Vec::with_capacity(matrix.row_count() + matrix.sections.len() + 1);
    let mut header = vec![super::cells::task_heading(project, matrix)];
    header.extend(
        matrix
            .parties
            .iter()
            .map(|&p| project.parties[p].name.value.clone()),
    );
    let controls = super::cells::has_controls_column(project);
    if controls {
        header.push(super::cells::CONTROLS_HEADING.to_string());
    }
    rows.push(GridRow {
        kind: RowKind::Header,
        cells: header,
    });
    for section in &matrix.sections {
        if let Some(title) = &section.section.title {
            rows.push(GridRow {
                kind: RowKind::Section,
                cells: vec![title.value.clone()],
            });
        }
        for row in &section.rows {
            let mut cells = vec![row.task.title.value.clone()];
            cells.extend(
                matrix
                    .parties
                    .iter()
                    .map(|&i| super::cells::cell_text(project, row, i)),
            );
            if controls {
                cells.push(super::cells::controls_text(row));
            }
            rows.push(GridRow {
                kind: RowKind::Task,
                cells,
            });
        }
    }
    rows
}

/// A sheet name Excel accepts, made from `wanted` and not in `taken` (compared without
/// case, as Excel does), which it joins. Excel refuses names over 31 characters, names
/// holding any of `[]:*?/\`, names starting or ending with `'`, and the name `History`.
pub(crate) fn sheet_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let mut base: String = cleaned.chars().take(SHEET_NAME_MAX).collect();
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = format!("Sheet {base}").trim().to_string();
    }
    let mut candidate = base.clone();
    let mut counter = 2;
    while taken.contains(&candidate.to_lowercase()) {
        let suffix = format!(" ({counter})");
        let room = SHEET_NAME_MAX - suffix.chars().count();
        let stem: String = base.chars().take(room).collect();
        candidate = format!("{}{suffix}", stem.trim_end());
        counter += 1;
    }
    taken.insert(candidate.to_lowercase());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = HashSet::from([LEGEND_SHEET.to_lowercase()]);
        assert_eq!(
            sheet_name("EU: cloud [prod]", &mut taken),
            "EU_ cloud _prod_"
        );
        assert_eq!(sheet_name("legend", &mut taken), "legend (2)");
        let long = "A very long deployment name that goes on";
        let first = sheet_name(long, &mut taken);
        let second = sheet_name(long, &mut taken);
        assert_eq!(first.chars().count(), 31);
        assert!(second.chars().count() <= 31 && second.ends_with(" (2)"));
        assert_ne!(first, second);
        assert_eq!(sheet_name("'quoted'", &mut taken), "quoted");
        assert_eq!(sheet_name("", &mut taken), "Sheet");
        assert_eq!(sheet_name("History", &mut taken), "Sheet History");
        assert_eq!(sheet_name("a/b\\c*d?e", &mut taken), "a_b_c_d_e");
    }
}
