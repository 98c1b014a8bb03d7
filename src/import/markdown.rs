//! The Markdown reader: GitHub-flavoured tables found with pulldown-cmark (tables
//! enabled). Each cell's raw source is kept, so bold and `<b>` section labels can still be
//! seen; positions are `matrix.md:LINE:COLUMN` of the cell's first character.

use super::{ImportError, SourceCell, SourceRow, Table};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Line and column (both from 1, the column in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Reads table `choice` (from 1) of the file, or its only table.
pub fn read(name: &str, text: &str, choice: Option<usize>) -> Result<Table, ImportError> {
    let mut tables: Vec<Table> = Vec::new();
    let mut row: Option<SourceRow> = None;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Table::default()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                let (line, _) = line_column(text, range.start);
                row = Some(SourceRow {
                    at: format!("{name} line {line}"),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let (Some(done), Some(table)) = (row.take(), tables.last_mut()) {
                    table.rows.push(done);
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(current) = row.as_mut() {
                    let raw = &text[range.clone()];
                    let raw = raw.trim_start_matches('|');
                    let lead = text[range.clone()].len() - raw.len();
                    let trimmed_start = raw.len() - raw.trim_start().len();
                    let raw = raw.trim().trim_end_matches('|').trim_end();
                    let (line, column) = line_column(text, range.start + lead + trimmed_start);
                    current.cells.push(SourceCell {
                        text: raw.to_string(),
                        at: format!("{name}:{line}:{column}"),
                    });
                }
            }
            _ => {}
        }
    }
    match (choice, tables.len()) {
        (_, 0) => Err(ImportError(format!("{name} holds no table"))),
        (None, 1) => Ok(tables.remove(0)),
        (None, n) => Err(ImportError(format!(
            "{name} holds {n} tables: choose one with --table (1 to {n})"
        ))),
        (Some(k), n) if k >= 1 && k <= n => Ok(tables.remove(k - 1)),
        (Some(k), n) => Err(ImportError(format!(
            "--table {k}: {name} holds {n} table{} (1 to {n})",
            if n == 1 { "" } else { "s" }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_source_and_position() {
        let text = "# M\n\n| Task | Ops |\n|---|---|\n| **Plan** | |\n| Run | A/R |\n";
        let table = read("m.md", text, None).unwrap();
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[1].cells[0].text, "**Plan**");
        assert_eq!(table.rows[2].cells[1].text, "A/R");
        assert_eq!(table.rows[2].cells[1].at, "m.md:6:9");
    }

    #[test]
    fn several_tables_need_a_choice() {
        let text = "| A | B |\n|---|---|\n| x | R |\n\ntext\n\n| C | D |\n|---|---|\n| y | A |\n";
        assert!(read("m.md", text, None).unwrap_err().0.contains("--table"));
        let second = read("m.md", text, Some(2)).unwrap();
        assert_eq!(second.rows[1].cells[0].text, "y");
        assert!(read("m.md", text, Some(3)).is_err());
    }
}
