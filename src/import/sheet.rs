//! Readers of rows and columns: CSV (with the `csv` crate), XLSX (`calamine`'s streaming
//! cell reader) and ODS (its `content.xml` read as a stream). Positions are
//! `matrix.csv:LINE:FIELD` and `Sheet1!D7`, all counted from 1.
//!
//! Workbooks are read cell by cell into a sparse list and made a table only once its used
//! area is known to be within [`limits`]: a dense grid is never sized by what a file
//! declares (a far-away cell, a repeat count), so a small file cannot ask for gigabytes.
//!
//! Without the `spreadsheets` feature only `decode` is used (by the Markdown reader).

#![cfg_attr(not(feature = "spreadsheets"), allow(dead_code))]

use super::limits::{self, Tally};
use super::table::{ImportError, SourceCell, SourceRow, Table};
use crate::escape::shown;
#[cfg(feature = "spreadsheets")]
use calamine::{DataRef, Reader, Xlsx};
#[cfg(feature = "spreadsheets")]
use std::io::{BufReader, Cursor, Read};

/// The text of a source file: UTF-8 (a byte-order mark skipped), or UTF-16 with its
/// byte-order mark. Text that is neither is refused at the line and column (from 1) of
/// its first bad byte.
pub(crate) fn decode(name: &str, bytes: Vec<u8>) -> Result<String, ImportError> {
    let utf16 = |big: bool| {
        let body = &bytes[2..];
        let units = body.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        let mut text = String::with_capacity(body.len() / 2);
        let refuse = |text: &str| {
            let (line, column) = line_column(text, text.len());
            ImportError(format!(
                "{name}:{line}:{column}: not UTF-16 text, though the file starts as UTF-16; save it as UTF-8"
            ))
        };
        for unit in char::decode_utf16(units) {
            text.push(unit.map_err(|_| refuse(&text))?);
        }
        if body.len() % 2 == 1 {
            return Err(refuse(&text));
        }
        Ok(text)
    };
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(false);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(true);
    }
    let skip = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.drain(..skip);
            Ok(text)
        }
        Err(error) => {
            let bytes = error.as_bytes();
            let good = error.utf8_error().valid_up_to();
            let before = std::str::from_utf8(&bytes[skip..good]).unwrap_or_default();
            let (line, column) = line_column(before, before.len());
            Err(ImportError(format!(
                "{name}:{line}:{column}: not UTF-8 text; save the file as UTF-8"
            )))
        }
    }
}

/// Line and column (both from 1, the column in characters) of a byte offset. Linear in the
/// offset: callers that need many positions use a [`Lines`] index.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Reads a CSV file's text; rows may differ in length, blank lines are skipped.
///
/// Read one field at a time into a buffer of the longest cell, so a line of ten million
/// commas or one huge field is refused at its position before it is stored.
#[cfg(feature = "spreadsheets")]
pub fn read_csv(name: &str, text: &str) -> Result<Table, ImportError> {
    use csv_core::ReadFieldResult;
    let mut reader = csv_core::Reader::new();
    let mut input = text.as_bytes();
    let mut field = vec![0u8; 4 * limits::MAX_CELL_CHARS + 4];
    let mut filled = 0;
    let mut table = Table::default();
    let mut tally = Tally::default();
    let mut cells: Vec<SourceCell> = Vec::new();
    // Lines consumed so far, and the line the current record starts on.
    let mut lines = 0usize;
    let mut line = 1usize;
    loop {
        if cells.is_empty() && filled == 0 {
            // Blank lines between records, skipped here so the record's line is known.
            let blank = input
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .count();
            lines += input[..blank].iter().filter(|b| **b == b'\n').count();
            input = &input[blank..];
            line = lines + 1;
        }
        let (result, read, written) = reader.read_field(input, &mut field[filled..]);
        lines += input[..read].iter().filter(|b| **b == b'\n').count();
        input = &input[read..];
        filled += written;
        let at = || format!("{name}:{line}:{}", cells.len() + 1);
        match result {
            ReadFieldResult::InputEmpty => {}
            ReadFieldResult::OutputFull => {
                return Err(ImportError(format!(
                    "{}: a cell of more than {} characters; import reads cells of at most that",
                    at(),
                    limits::MAX_CELL_CHARS
                )));
            }
            ReadFieldResult::Field { record_end } => {
                let at = at();
                if cells.len() >= limits::MAX_COLUMNS {
                    return Err(limits::too_much(
                        &format!("{name}:{line}"),
                        format!("more than {} columns", limits::MAX_COLUMNS),
                    ));
                }
                let cell = String::from_utf8_lossy(&field[..filled]).into_owned();
                filled = 0;
                tally.text(&at, &cell)?;
                cells.push(SourceCell { text: cell, at });
                if record_end {
                    tally.row(&format!("{name}:{line}"), table.rows.len() + 1, cells.len())?;
                    table.rows.push(SourceRow {
                        at: format!("{name} line {line}"),
                        cells: std::mem::take(&mut cells),
                    });
                }
            }
            ReadFieldResult::End => break,
        }
    }
    Ok(table)
}

/// A column's letters as a spreadsheet names it: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_name(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    name.iter().rev().collect()
}

/// The cells of one sheet as they are read, kept sparse; the used area is checked against
/// the limits as each cell arrives, before the table is made dense.
struct Sparse {
    /// The sheet's name as shown in positions.
    sheet: String,
    cells: Vec<(u32, u32, String)>,
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
    tally: Tally,
}

impl Sparse {
    fn new(sheet: &str) -> Self {
        Sparse {
            sheet: shown(sheet),
            cells: Vec::new(),
            rows: None,
            columns: None,
            tally: Tally::default(),
        }
    }

    fn at(&self, row: u32, column: u32) -> String {
        format!(
            "{}!{}{}",
            self.sheet,
            column_name(column),
            u64::from(row) + 1
        )
    }

    /// Adds a cell (row and column from 0); an empty one is left out, so a formatted but
    /// empty cell far away does not widen the table.
    fn push(&mut self, row: u32, column: u32, text: String) -> Result<(), ImportError> {
        if text.is_empty() {
            return Ok(());
        }
        let at = self.at(row, column);
        let rows = self
            .rows
            .map_or((row, row), |(a, b)| (a.min(row), b.max(row)));
        let columns = self
            .columns
            .map_or((column, column), |(a, b)| (a.min(column), b.max(column)));
        let height = (rows.1 - rows.0) as usize + 1;
        let width = (columns.1 - columns.0) as usize + 1;
        if height > limits::MAX_ROWS {
            return Err(limits::too_much(
                &at,
                format!("more than {} rows", limits::MAX_ROWS),
            ));
        }
        if width > limits::MAX_COLUMNS {
            return Err(limits::too_much(
                &at,
                format!("more than {} columns", limits::MAX_COLUMNS),
            ));
        }
        if height * width > limits::MAX_CELLS {
            return Err(limits::too_much(
                &at,
                format!(
                    "a used area of {height} rows by {width} columns, more than {} cells",
                    limits::MAX_CELLS
                ),
            ));
        }
        self.tally.text(&at, &text)?;
        self.rows = Some(rows);
        self.columns = Some(columns);
        self.cells.push((row, column, text));
        Ok(())
    }

    /// The dense table of the used area, from its first filled row and column.
    fn into_table(mut self) -> Table {
        let (Some((first_row, last_row)), Some((first_column, last_column))) =
            (self.rows, self.columns)
        else {
            return Table::default();
        };
        self.cells.sort_by_key(|&(row, column, _)| (row, column));
        let width = (last_column - first_column) as usize + 1;
        let mut rows: Vec<SourceRow> = (first_row..=last_row)
            .map(|row| SourceRow {
                at: format!("{} row {}", self.sheet, u64::from(row) + 1),
                cells: (first_column..=last_column)
                    .map(|column| SourceCell {
                        text: String::new(),
                        at: self.at(row, column),
                    })
                    .collect(),
            })
            .collect();
        debug_assert!(rows.iter().all(|r| r.cells.len() == width));
        for (row, column, text) in self.cells {
            rows[(row - first_row) as usize].cells[(column - first_column) as usize].text = text;
        }
        Table {
            rows,
            footnotes: Vec::new(),
            braced_titles: false,
        }
    }
}

/// Picks the sheet: `wanted` by name, or the only one. A workbook of several sheets
/// without a choice is an error naming them, rather than a guess.
fn choose(shown_file: &str, names: &[String], wanted: Option<&str>) -> Result<String, ImportError> {
    let list = || {
        names
            .iter()
            .map(|n| shown(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                ImportError(format!(
                    "{shown_file} has no sheet `{}`; its sheets: {}",
                    shown(wanted),
                    list()
                ))
            }),
        None => match names {
            [only] => Ok(only.clone()),
            [] => Err(ImportError(format!("{shown_file} has no sheet"))),
            _ => Err(ImportError(format!(
                "{shown_file} has several sheets: choose one with --sheet ({})",
                list()
            ))),
        },
    }
}

/// The text a workbook cell shows: numbers as written, a date as `YYYY-MM-DD` (with the
/// time when it has one), a duration as its number of days.
#[cfg(feature = "spreadsheets")]
fn cell_text(data: &DataRef<'_>) -> String {
    match data {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(x) => x.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
    }
}

/// Reads one sheet of an XLSX workbook's bytes, cell by cell.
#[cfg(feature = "spreadsheets")]
pub(crate) fn read_xlsx(
    shown_file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Table, ImportError> {
    limits::check_archive(bytes, shown_file)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        ImportError(format!(
            "cannot read {shown_file}: {}",
            shown(&e.to_string())
        ))
    })?;
    let chosen = choose(shown_file, &workbook.sheet_names(), sheet)?;
    let mut sparse = Sparse::new(&chosen);
    let error = |e: calamine::XlsxError| {
        ImportError(format!(
            "cannot read sheet `{}` of {shown_file}: {}",
            shown(&chosen),
            shown(&e.to_string())
        ))
    };
    let mut cells = workbook.worksheet_cells_reader(&chosen).map_err(error)?;
    while let Some(cell) = cells.next_cell().map_err(error)? {
        let (row, column) = cell.get_position();
        let value = cell.get_value();
        // A cell's text is measured before it is copied out of the shared strings.
        if let DataRef::SharedString(s) = value {
            sparse.tally.text(&sparse.at(row, column), s)?;
        }
        sparse.push(row, column, cell_text(value))?;
    }
    Ok(sparse.into_table())
}

/// Reads one sheet of an ODS workbook's bytes: `content.xml` as a stream of rows and
/// cells, where a repeated row or cell counts as often as it is repeated (against the
/// limits, before it is copied) and an empty one only moves the position on. A cell's
/// text is the text it displays (dates as the sheet formats them).
#[cfg(feature = "spreadsheets")]
pub fn read_ods(shown_file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportError> {
    use quick_xml::events::Event;
    limits::check_archive(bytes, shown_file)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError(format!("cannot read {shown_file}: {e}")))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| ImportError(format!("cannot read {shown_file}: it has no content.xml")))?;
    let mut xml =
        quick_xml::Reader::from_reader(BufReader::new(content.take(limits::MAX_INFLATED_BYTES)));
    let bad = |e: &dyn std::fmt::Display| {
        ImportError(format!(
            "cannot read {shown_file}: its content.xml is not valid ({})",
            shown(&e.to_string())
        ))
    };
    let number = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> Result<u64, ImportError> {
        match e.try_get_attribute(key).map_err(|e| bad(&e))? {
            Some(value) => value.value.trim().parse::<u64>().map_err(|e| bad(&e)),
            None => Ok(1),
        }
    };

    let mut names: Vec<String> = Vec::new();
    // The sheet being kept: the one asked for, or the first while no choice is made.
    let mut kept: Option<Sparse> = None;
    let mut keeping = false;
    let (mut row, mut column): (u64, u64) = (0, 0);
    let mut row_repeat: u64 = 1;
    let mut column_repeat: u64 = 1;
    let mut row_cells: Vec<(u64, String)> = Vec::new();
    let mut cell: Option<String> = None;
    let mut paragraphs = 0usize;
    let mut skipping = 0usize;
    let mut buf = Vec::new();
    // Positions past the limits are refused when a cell with text stands there.
    let max = u64::from(u32::MAX);
    let past = |sparse: &Sparse, row: u64, column: u64| {
        limits::too_much(
            &sparse.at(row.min(max) as u32, column.min(max) as u32),
            format!(
                "a cell beyond {} rows or {} columns",
                limits::MAX_ROWS,
                limits::MAX_COLUMNS
            ),
        )
    };
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| bad(&e))?;
        match event {
            Event::Eof => break,
            Event::Start(_) if skipping > 0 => skipping += 1,
            Event::Empty(_) if skipping > 0 => {}
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        let name = match e.try_get_attribute("table:name").map_err(|e| bad(&e))? {
                            Some(value) => value
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|e| bad(&e))?
                                .into_owned(),
                            None => format!("Sheet{}", names.len() + 1),
                        };
                        keeping = match sheet {
                            Some(wanted) => wanted == name,
                            None => names.is_empty(),
                        };
                        if keeping {
                            kept = Some(Sparse::new(&name));
                        }
                        names.push(name);
                        (row, column) = (0, 0);
                    }
                    "table:table-row" => {
                        row_repeat = number(e, "table:number-rows-repeated")?;
                        column = 0;
                        row_cells.clear();
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        column_repeat = number(e, "table:number-columns-repeated")?;
                        if empty {
                            column = column.saturating_add(column_repeat);
                        } else {
                            cell = Some(String::new());
                            paragraphs = 0;
                        }
                    }
                    "office:annotation" if cell.is_some() && !empty => skipping = 1,
                    "text:p" | "text:h" if cell.is_some() => {
                        if let Some(text) = cell.as_mut()
                            && paragraphs > 0
                        {
                            text.push('\n');
                        }
                        paragraphs += 1;
                    }
                    "text:s" if cell.is_some() => {
                        let count = number(e, "text:c")?;
                        push_text(
                            &mut cell,
                            &" ".repeat(count.min(limits::MAX_CELL_CHARS as u64 + 1) as usize),
                            &kept,
                            row,
                            column,
                        )?;
                    }
                    "text:tab" if cell.is_some() => push_text(&mut cell, "\t", &kept, row, column)?,
                    "text:line-break" if cell.is_some() => {
                        push_text(&mut cell, "\n", &kept, row, column)?
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if cell.is_some() && keeping => {
                push_text(&mut cell, &t.xml10_content(), &kept, row, column)?;
            }
            Event::CData(ref t) if cell.is_some() && keeping => {
                push_text(&mut cell, &t.xml10_content(), &kept, row, column)?;
            }
            Event::GeneralRef(ref r) if cell.is_some() && keeping => {
                let c = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c,
                    None => match &**r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(bad(&format!("unknown entity &{other};"))),
                    },
                };
                push_text(&mut cell, c.encode_utf8(&mut [0; 4]), &kept, row, column)?;
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    let text = cell.take().unwrap_or_default();
                    if keeping && !text.is_empty() {
                        let sparse = kept.as_ref().expect("a kept sheet");
                        let last = column.saturating_add(column_repeat);
                        if last > limits::MAX_COLUMNS as u64 || row >= limits::MAX_ROWS as u64 {
                            return Err(past(sparse, row, column));
                        }
                        for c in column..last {
                            row_cells.push((c, text.clone()));
                        }
                    }
                    column = column.saturating_add(column_repeat);
                }
                "table:table-row" => {
                    if keeping && !row_cells.is_empty() {
                        let sparse = kept.as_mut().expect("a kept sheet");
                        let last = row.saturating_add(row_repeat);
                        if last > limits::MAX_ROWS as u64 {
                            return Err(past(sparse, last - 1, row_cells[0].0));
                        }
                        // Each repetition adds at least one cell, so the cell limit ends a
                        // long repeat after a bounded number of rounds.
                        for r in row..last {
                            for (c, text) in &row_cells {
                                sparse.push(r as u32, *c as u32, text.clone())?;
                            }
                        }
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => keeping = false,
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    let chosen = choose(shown_file, &names, sheet)?;
    match kept {
        Some(sparse) if sparse.sheet == shown(&chosen) => Ok(sparse.into_table()),
        _ => Ok(Table::default()),
    }
}

/// Adds text to the cell being read, refusing a cell that grows past the longest one read.
#[cfg(feature = "spreadsheets")]
fn push_text(
    cell: &mut Option<String>,
    text: &str,
    kept: &Option<Sparse>,
    row: u64,
    column: u64,
) -> Result<(), ImportError> {
    let Some(cell) = cell.as_mut() else {
        return Ok(());
    };
    // Bytes bound characters from above: four bytes a character at the most.
    if cell.len() + text.len() > 4 * limits::MAX_CELL_CHARS {
        let at = kept.as_ref().map_or_else(String::new, |s| {
            s.at(
                row.min(u64::from(u32::MAX)) as u32,
                column.min(u64::from(u32::MAX)) as u32,
            )
        });
        return Err(ImportError(format!(
            "{at}: a cell of more than {} characters; import reads cells of at most that",
            limits::MAX_CELL_CHARS
        )));
    }
    cell.push_str(text);
    Ok(())
}

#[cfg(feature = "spreadsheets")]
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
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn csv_positions_are_line_and_field() {
        let table = read_csv("m.csv", "Task,Ops\nRun,A/R\n").unwrap();
        assert_eq!(table.rows[1].cells[1].at, "m.csv:2:2");
        assert_eq!(table.rows[1].cells[1].text, "A/R");
    }

    #[test]
    fn text_is_utf8_or_utf16_with_a_mark() {
        assert_eq!(decode("m.csv", b"\xEF\xBB\xBFa,b".to_vec()).unwrap(), "a,b");
        let le: Vec<u8> = [0xFF, 0xFE, b'a', 0, b',', 0, b'b', 0].to_vec();
        assert_eq!(decode("m.csv", le).unwrap(), "a,b");
        let be: Vec<u8> = [0xFE, 0xFF, 0, b'a', 0, b'\n', 0, b'c'].to_vec();
        assert_eq!(decode("m.csv", be).unwrap(), "a\nc");
        let error = decode("m.csv", b"ab\ncd\xFF".to_vec()).unwrap_err();
        assert_eq!(error.0, "m.csv:2:3: not UTF-8 text; save the file as UTF-8");
    }
}
