//! The Markdown reader: GitHub-flavoured tables found with pulldown-cmark (tables
//! enabled). Each cell's raw source is kept, so bold and `<b>` section labels can still be
//! seen; positions are `matrix.md:LINE:COLUMN` of the cell's first character.

use super::limits::Tally;
use super::table::{ImportError, SourceCell, SourceRow, Table};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Line and column (both from 1, the column in characters) of byte offsets that only grow,
/// found by walking on from the last one: linear in the file, however many cells it has.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            // Never met in document order; start over rather than be wrong.
            *self = Lines::new(self.text);
        }
        for (i, byte) in self.text.as_bytes()[self.offset..offset].iter().enumerate() {
            if *byte == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        (
            self.line,
            self.text[self.line_start..offset].chars().count() + 1,
        )
    }
}

/// Reads table `choice` (from 1) of the file, or its only table. Only that table is kept;
/// the others are counted.
pub fn read(name: &str, text: &str, choice: Option<usize>) -> Result<Table, ImportError> {
    super::limits::check_markdown(name, text)?;
    let mut count = 0usize;
    let mut kept: Option<Table> = None;
    let mut keeping = false;
    let mut row: Option<SourceRow> = None;
    let mut lines = Lines::new(text);
    let mut tally = Tally::default();
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => {
                count += 1;
                keeping = match choice {
                    Some(k) => k == count,
                    None => count == 1,
                };
                if keeping {
                    kept = Some(Table::default());
                }
            }
            Event::Start(Tag::TableHead | Tag::TableRow) if keeping => {
                let (line, _) = lines.at(range.start);
                let rows = kept.as_ref().map_or(0, |t| t.rows.len());
                tally.row(&format!("{name}:{line}"), rows + 1, 0)?;
                row = Some(SourceRow {
                    at: format!("{name} line {line}"),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) if keeping => {
                if let (Some(done), Some(table)) = (row.take(), kept.as_mut()) {
                    table.rows.push(done);
                }
            }
            Event::Start(Tag::TableCell) if keeping => {
                if let Some(current) = row.as_mut() {
                    let raw = &text[range.clone()];
                    let raw = raw.trim_start_matches('|');
                    let lead = text[range.clone()].len() - raw.len();
                    let trimmed_start = raw.len() - raw.trim_start().len();
                    let raw = raw.trim().trim_end_matches('|').trim_end();
                    let (line, column) = lines.at(range.start + lead + trimmed_start);
                    let at = format!("{name}:{line}:{column}");
                    tally.row(&at, 1, 1)?;
                    if current.cells.len() >= super::limits::MAX_COLUMNS {
                        return Err(super::limits::too_much(
                            &at,
                            format!("more than {} columns", super::limits::MAX_COLUMNS),
                        ));
                    }
                    tally.text(&at, raw)?;
                    current.cells.push(SourceCell {
                        text: raw.to_string(),
                        at,
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(table) = kept.as_mut() {
        table.footnotes = footnotes(text);
        table.braced_titles = true;
    }
    match (choice, count, kept) {
        (_, 0, _) => Err(ImportError(format!("{name} holds no table"))),
        (None, 1, Some(table)) => Ok(table),
        (None, n, _) => Err(ImportError(format!(
            "{name} holds {n} tables: choose one with --table (1 to {n})"
        ))),
        (Some(_), _, Some(table)) => Ok(table),
        (Some(k), n, None) => Err(ImportError(format!(
            "--table {k}: {name} holds {n} table{} (1 to {n})",
            if n == 1 { "" } else { "s" }
        ))),
    }
}

/// The footnotes of the file, `[^label]: text` at the start of a line, as
/// `rasci export --format markdown` writes a note: label and text, in file order.
fn footnotes(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("[^")?;
            let (label, note) = rest.split_once("]:")?;
            let valid = !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric());
            valid.then(|| (label.to_string(), note.trim().to_string()))
        })
        .collect()
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
