//! Byte offsets of rasci's spans to the positions of the Language Server Protocol and
//! back. A protocol position is a zero-based line and a column counted in UTF-16 code
//! units (the encoding every client supports), while a span is a byte range of UTF-8
//! text: an `é` is two bytes and one unit, an emoji four bytes and two units, a tab one
//! of each. A line ends at `\n`; the `\r` of a CRLF ending belongs to no column a client
//! can point at, so a column past the end of a line's text stops before it.

use lsp_types::{Position, Range};

/// Where each line of one text starts, to map many offsets of the same file.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The protocol position of a byte offset (clamped to the text and to the start of
    /// the character it falls in).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let column: usize = before.chars().map(char::len_utf16).sum();
        Position::new(to_u32(line), to_u32(column))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The byte offset of a protocol position; a line past the end is the end of the
    /// text, a column past the end of its line is the end of the line's text.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = self.text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&self.text[start..end]);
        let mut units = 0usize;
        for (at, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units.
        let text = "id: é😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(0, 7));
        assert_eq!(index.offset(Position::new(0, 7)), x);
        // Inside the emoji's bytes: the start of the emoji.
        assert_eq!(index.position(x - 1), Position::new(0, 5));
        assert_eq!(index.offset(Position::new(0, 5)), text.find('😀').unwrap());
    }

    #[test]
    fn crlf_endings_are_not_columns() {
        let text = "a: 1\r\nbé: 2\r\n";
        let index = LineIndex::new(text);
        let two = text.find('2').unwrap();
        assert_eq!(index.position(two), Position::new(1, 4));
        assert_eq!(index.offset(Position::new(1, 4)), two);
        // Past the end of line 0: before its `\r`, never on it.
        assert_eq!(index.offset(Position::new(0, 99)), 4);
        assert_eq!(index.position(6), Position::new(1, 0));
        // Past the last line: the end of the text.
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn a_tab_is_one_column() {
        let text = "\t- id: x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(0, 7));
        assert_eq!(index.offset(Position::new(0, 1)), 1);
    }

    #[test]
    fn a_range_never_ends_before_it_starts() {
        let index = LineIndex::new("abc");
        let range = index.range(2, 1);
        assert_eq!(range.start, range.end);
    }
}
