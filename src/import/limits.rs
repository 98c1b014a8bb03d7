//! The bounds of an import. Every reader checks them before it stores what it read, so a
//! small hostile file (a far-away cell, a zip bomb, a row repeated a million times) is
//! refused with its position instead of filling memory; and they are drawn from the
//! loader's own limits, so import never writes a project that `check` then refuses for
//! its size.

use super::table::ImportError;
use std::io::Read;

/// The largest source file read, in bytes: a spreadsheet or table of a matrix is far
/// smaller, and with it every reader stays well under 256 MiB of memory.
pub const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// The most bytes the entries of a workbook (a zip archive) may inflate to, all entries
/// together; declared sizes are checked first, then the bytes really inflated.
pub(crate) const MAX_INFLATED_BYTES: u64 = 32 * 1024 * 1024;

/// The longest cell, in characters: the most a cell of the site's XLSX download holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most rows of a table. A task with one letter is nine YAML nodes in
/// `data/tasks.yaml` (its mapping, `id`, `title`, `rasci` and the letter's party, with
/// their values), and the loader reads at most [`loader_nodes`] in one file: 25,000 such
/// tasks stay within it. Wider rows are counted as they are written (see
/// `write::check_size`).
pub const MAX_ROWS: usize = 25_000;

/// The most columns of a table (parties, with the task and section columns).
pub const MAX_COLUMNS: usize = 1_024;

/// The most cells of a table, empty ones included: rows times columns of the used area.
pub(crate) const MAX_CELLS: usize = 500_000;

/// The most text of all cells together, in bytes. The written files then stay well within
/// the loader's 64 MiB of text, whatever a workbook's shared strings repeat.
pub(crate) const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// The most YAML nodes the loader reads in one file (its parser's budget): the written
/// files are counted against it before anything is written.
pub fn loader_nodes() -> usize {
    serde_saphyr::budget::Budget::default().max_nodes
}

/// The most lines of a Markdown file, and the most characters in it that Markdown may
/// read as markup (`|`, `[`, `<`, `*`, …): the Markdown parser keeps an item for each before
/// the tables are read, so these bound its memory.
pub const MAX_MARKDOWN_LINES: usize = 200_000;
pub const MAX_MARKDOWN_MARKS: usize = 250_000;

/// Refuses a Markdown file past [`MAX_MARKDOWN_LINES`] or [`MAX_MARKDOWN_MARKS`], at the
/// line and column where it passes, before it is parsed.
pub(crate) fn check_markdown(name: &str, text: &str) -> Result<(), ImportError> {
    let (mut line, mut line_start, mut marks) = (1usize, 0usize, 0usize);
    for (i, byte) in text.bytes().enumerate() {
        let column = || text[line_start..i].chars().count() + 1;
        match byte {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                if line > MAX_MARKDOWN_LINES {
                    return Err(too_much(
                        &format!("{name}:{line}"),
                        format!("more than {MAX_MARKDOWN_LINES} lines"),
                    ));
                }
            }
            b'|' | b'[' | b']' | b'(' | b')' | b'<' | b'>' | b'*' | b'_' | b'`' | b'~' | b'!'
            | b'\\' | b'&' => {
                marks += 1;
                if marks > MAX_MARKDOWN_MARKS {
                    return Err(too_much(
                        &format!("{name}:{line}:{}", column()),
                        format!("more than {MAX_MARKDOWN_MARKS} characters of Markdown markup"),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// What a table read so far holds, checked as each row and cell arrives.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    cells: usize,
    text: usize,
}

impl Tally {
    /// Counts a row of `columns` cells at `row` (from 1), before the row is stored.
    pub(crate) fn row(&mut self, at: &str, row: usize, columns: usize) -> Result<(), ImportError> {
        if row > MAX_ROWS {
            return Err(too_much(at, format!("more than {MAX_ROWS} rows")));
        }
        if columns > MAX_COLUMNS {
            return Err(too_much(at, format!("more than {MAX_COLUMNS} columns")));
        }
        self.cells = self.cells.saturating_add(columns);
        if self.cells > MAX_CELLS {
            return Err(too_much(at, format!("more than {MAX_CELLS} cells")));
        }
        Ok(())
    }

    /// Counts one cell's text, before it is stored.
    pub(crate) fn text(&mut self, at: &str, text: &str) -> Result<(), ImportError> {
        // Bytes bound characters from above: count them only when they could be too many.
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(ImportError(format!(
                "{at}: a cell of {} characters; import reads cells of at most {MAX_CELL_CHARS}",
                text.chars().count()
            )));
        }
        self.text = self.text.saturating_add(text.len());
        if self.text > MAX_TEXT_BYTES {
            return Err(too_much(
                at,
                format!("more than {} MiB of text", MAX_TEXT_BYTES >> 20),
            ));
        }
        Ok(())
    }
}

/// The error for a table past one of the limits, at the cell or row that passes it.
pub(crate) fn too_much(at: &str, what: String) -> ImportError {
    ImportError(format!(
        "{at}: the table has {what}, more than import reads (see `rasci import` in the README for its limits); nothing was written"
    ))
}

/// Reads a whole file of at most [`MAX_SOURCE_BYTES`], refusing a larger one before
/// reading it (and one that grows while it is read).
pub(crate) fn read_file(path: &std::path::Path, shown: &str) -> Result<Vec<u8>, ImportError> {
    let file =
        std::fs::File::open(path).map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?;
    let size = file
        .metadata()
        .map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?
        .len();
    if size > MAX_SOURCE_BYTES {
        return Err(source_too_large(shown, size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(source_too_large(shown, bytes.len() as u64));
    }
    Ok(bytes)
}

fn source_too_large(shown: &str, size: u64) -> ImportError {
    ImportError(format!(
        "{shown}: the file has {size} bytes; import reads files of at most {} MiB",
        MAX_SOURCE_BYTES >> 20
    ))
}

/// Checks a workbook's zip archive before any reader inflates it: each entry's declared
/// size, then the bytes each really inflates to, counted as they stream by and never
/// kept, stay within [`MAX_INFLATED_BYTES`] all together.
#[cfg(feature = "spreadsheets")]
pub(crate) fn check_archive(bytes: &[u8], shown: &str) -> Result<(), ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError(format!("cannot read {shown}: not a workbook ({e})")))?;
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?;
        declared = declared.saturating_add(entry.size());
        if declared > MAX_INFLATED_BYTES {
            return Err(inflates_too_much(shown, &entry_name(entry.name())));
        }
    }
    let mut inflated: u64 = 0;
    let mut sink = [0u8; 16 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?;
        let name = entry_name(entry.name());
        loop {
            let n = entry
                .read(&mut sink)
                .map_err(|e| ImportError(format!("cannot read {shown} ({name}): {e}")))?;
            if n == 0 {
                break;
            }
            inflated += n as u64;
            if inflated > MAX_INFLATED_BYTES {
                return Err(inflates_too_much(shown, &name));
            }
        }
    }
    // A shared-strings part declares how many strings it holds, and a reader may set room
    // aside for that many before reading one: a count the part has no room for is refused.
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| ImportError(format!("cannot read {shown}: {e}")))?;
        let (name, size) = (entry_name(entry.name()), entry.size());
        if let Some(count) = declared_strings(entry)
            && count > size / 5
        {
            return Err(ImportError(format!(
                "{shown}: its part {name} declares {count} shared strings but has room for at most {}; nothing was written",
                size / 5
            )));
        }
    }
    Ok(())
}

/// The `uniqueCount` of a part whose first element is `sst` (at least five bytes a
/// string: `<si/>`), read up to that element only.
#[cfg(feature = "spreadsheets")]
fn declared_strings(part: impl Read) -> Option<u64> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                if e.local_name().as_ref() != "sst" {
                    return None;
                }
                let count = e.try_get_attribute("uniqueCount").ok()??;
                return count.value.trim().parse::<u64>().ok();
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// An entry's name as shown in a message.
#[cfg(feature = "spreadsheets")]
fn entry_name(name: Result<std::borrow::Cow<'_, str>, zip::result::ZipError>) -> String {
    name.map_or_else(|_| "?".to_string(), |n| crate::escape::shown(&n))
}

#[cfg(feature = "spreadsheets")]
fn inflates_too_much(shown: &str, entry: &str) -> ImportError {
    ImportError(format!(
        "{shown}: the workbook inflates to more than {} MiB (at its part {entry}); import reads workbooks of at most that; nothing was written",
        MAX_INFLATED_BYTES >> 20
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fit_the_loader() {
        // Nine nodes for a task of one letter, and room for the sections.
        assert!(MAX_ROWS * 9 + 1_000 < loader_nodes());
    }

    #[test]
    fn a_long_cell_is_refused_at_its_position() {
        let mut tally = Tally::default();
        assert!(tally.text("m.csv:1:1", &"é".repeat(MAX_CELL_CHARS)).is_ok());
        let error = tally
            .text("m.csv:2:1", &"a".repeat(MAX_CELL_CHARS + 1))
            .unwrap_err();
        assert!(error.0.starts_with("m.csv:2:1: a cell of 32768 characters"));
    }
}
