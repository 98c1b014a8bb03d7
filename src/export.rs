//! Export: the resolved matrices as JSON (a public contract, see the README), as CSV, as
//! an Excel workbook ([`xlsx`]) or as Markdown tables ([`markdown`]).

pub mod markdown;
pub mod xlsx;

pub use markdown::to_markdown;
pub use xlsx::to_xlsx;

use crate::model::Project;
use crate::resolve::Matrix;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON export's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Export<'a> {
    pub version: u32,
    pub parties: Vec<ExportParty<'a>>,
    pub scopes: Vec<ExportScope<'a>>,
}

#[derive(Serialize)]
pub struct ExportParty<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct ExportScope<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub sections: Vec<ExportSection<'a>>,
}

#[derive(Serialize)]
pub struct ExportSection<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub tasks: Vec<ExportTask<'a>>,
}

#[derive(Serialize)]
pub struct ExportTask<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Party id → letters in RASCI order; parties without letters are left out.
    pub assignments: BTreeMap<&'a str, Vec<&'static str>>,
}

/// The export document for the given matrices (all scopes, or the one asked for).
pub fn document<'a>(project: &'a Project, matrices: &[&Matrix<'a>]) -> Export<'a> {
    Export {
        version: VERSION,
        parties: project
            .parties
            .iter()
            .map(|p| ExportParty {
                id: &p.id.value,
                name: &p.name.value,
            })
            .collect(),
        scopes: matrices
            .iter()
            .map(|matrix| ExportScope {
                id: &matrix.scope.id.value,
                name: &matrix.scope.name.value,
                sections: matrix
                    .sections
                    .iter()
                    .map(|s| ExportSection {
                        id: &s.section.id.value,
                        title: s.section.title.as_ref().map(|t| t.value.as_str()),
                        tasks: s
                            .rows
                            .iter()
                            .map(|row| ExportTask {
                                id: &row.task.id.value,
                                title: &row.task.title.value,
                                assignments: project
                                    .parties
                                    .iter()
                                    .enumerate()
                                    .filter(|(i, _)| !row.letters(*i).is_empty())
                                    .map(|(i, p)| {
                                        let letters =
                                            row.letters(i).iter().map(|l| l.as_str()).collect();
                                        (p.id.value.as_str(), letters)
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn to_json(project: &Project, matrices: &[&Matrix<'_>]) -> String {
    let mut text = serde_json::to_string_pretty(&document(project, matrices))
        .expect("export values always serialize");
    text.push('\n');
    text
}

/// A CSV cell that a spreadsheet will show as text: a cell starting with `=`, `+`, `-`
/// or `@` (also after spaces, and their full-width forms), or with a tab or carriage
/// return, would be read as a formula, so it gets a leading `'`, as OWASP recommends.
pub fn csv_cell(text: &str) -> String {
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠');
    let first = text.chars().next();
    let first_visible = text.trim_start_matches(' ').chars().next();
    if first.is_some_and(|c| matches!(c, '\t' | '\r' | '\n')) || first_visible.is_some_and(formula)
    {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The letters of `party` in `row` as the CSV, XLSX and Markdown exports write them: `A, R`,
/// in the order `matrix.letter_order` of the config asks for (as written by default); empty
/// when the party holds none. The JSON export keeps RASCI order, its documented contract.
pub fn cell_text(project: &Project, row: &crate::resolve::Row<'_>, party: usize) -> String {
    row.cells[party].map_or_else(String::new, |cell| {
        cell.text(project.config.matrix.letter_order)
    })
}

/// One scope's matrix as CSV: `Section,Task,<party names…>`, letters as `A, R` (see
/// [`cell_text`]). Cells
/// that a spreadsheet would run as formulas are defused (see [`csv_cell`]).
pub fn to_csv(project: &Project, matrix: &Matrix<'_>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["Section".to_string(), "Task".to_string()];
    header.extend(project.parties.iter().map(|p| csv_cell(&p.name.value)));
    writer.write_record(&header).expect("writing to memory");
    for section in &matrix.sections {
        let title = section
            .section
            .title
            .as_ref()
            .map_or("", |t| t.value.as_str());
        for row in &section.rows {
            let mut record = vec![csv_cell(title), csv_cell(&row.task.title.value)];
            record.extend((0..project.parties.len()).map(|i| cell_text(project, row, i)));
            writer.write_record(&record).expect("writing to memory");
        }
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_prefixed() {
        for formula in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =HYPERLINK(\"x\")",
            "＝1",
        ] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        for text in ["Log a case", "R, A", "", "a=b", "e-mail"] {
            assert_eq!(csv_cell(text), text);
        }
    }
}
