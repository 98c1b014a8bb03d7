//! Readers of rows and columns: CSV (with the `csv` crate) and workbooks, XLSX and ODS
//! (with `calamine`). Positions are `matrix.csv:LINE:FIELD` and `Sheet1!D7`.

use super::{ImportError, SourceCell, SourceRow, Table};
use calamine::{Reader, open_workbook_auto};
use std::path::Path;

/// Reads a CSV file; a UTF-8 byte-order mark is skipped, rows may differ in length.
pub fn read_csv(name: &str, bytes: &[u8]) -> Result<Table, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut table = Table::default();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError(format!("{name}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, text)| SourceCell {
                text: text.to_string(),
                at: format!("{name}:{line}:{}", i + 1),
            })
            .collect();
        table.rows.push(SourceRow {
            at: format!("{name} line {line}"),
            cells,
        });
    }
    Ok(table)
}

/// A column's letters as a spreadsheet names it: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_name(index: u32) -> String {
    let mut n = index + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Reads one sheet of a workbook: `sheet` by name, or the only one. A workbook of several
/// sheets without a choice is an error naming them, rather than a guess.
pub fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table, ImportError> {
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| ImportError(format!("cannot read {}: {e}", path.display())))?;
    let names = workbook.sheet_names();
    let chosen = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                ImportError(format!(
                    "{} has no sheet `{wanted}`; its sheets: {}",
                    path.display(),
                    names.join(", ")
                ))
            })?,
        None => match names.as_slice() {
            [only] => only.clone(),
            [] => return Err(ImportError(format!("{} has no sheet", path.display()))),
            _ => {
                return Err(ImportError(format!(
                    "{} has several sheets: choose one with --sheet ({})",
                    path.display(),
                    names.join(", ")
                )));
            }
        },
    };
    let range = workbook
        .worksheet_range(&chosen)
        .map_err(|e| ImportError(format!("cannot read sheet `{chosen}`: {e}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut table = Table::default();
    for (r, row) in range.rows().enumerate() {
        let row_number = first_row + r as u32 + 1;
        let cells = row
            .iter()
            .enumerate()
            .map(|(c, data)| SourceCell {
                text: data.to_string(),
                at: format!(
                    "{chosen}!{}{row_number}",
                    column_name(first_column + c as u32)
                ),
            })
            .collect();
        table.rows.push(SourceRow {
            at: format!("{chosen} row {row_number}"),
            cells,
        });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(3), "D");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn csv_positions_are_line_and_field() {
        let table = read_csv("m.csv", b"Task,Ops\nRun,A/R\n").unwrap();
        assert_eq!(table.rows[1].cells[1].at, "m.csv:2:2");
        assert_eq!(table.rows[1].cells[1].text, "A/R");
    }
}
