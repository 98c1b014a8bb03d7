//! What every reader of a source produces, and the error every step of an import returns:
//! a leaf of `import/`, so the readers and the writer take them from here and not from
//! `mod.rs`, which calls them.

use std::fmt;

/// One cell of a source table as written, with where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCell {
    /// The raw text, formatting included: normalising strips it and reads what it meant.
    pub text: String,
    /// Where a person finds the cell: `Sheet1!D7`, `matrix.md:23:5`, `matrix.csv:4:3`.
    pub at: String,
}

/// One row of a source table, with the line or row number that names it in comments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRow {
    /// `matrix.csv row 4`, `Sheet1 row 7`, `matrix.md line 23`.
    pub at: String,
    pub cells: Vec<SourceCell>,
}

/// A table read from any format, before any interpretation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<SourceRow>,
    /// A Markdown file's footnotes, `[^label]: text`, by label: the notes its cells refer
    /// to. Empty for the other formats.
    pub footnotes: Vec<(String, String)>,
    /// Whether a task title's trailing braces may hold its conditions (`Train {training}`):
    /// in a Markdown table, where the Markdown export writes them so. A spreadsheet's
    /// conditions are in its `When` column, and braces in its titles are text.
    pub braced_titles: bool,
}

/// Why an import could not start or could not write: the file cannot be read, the choice
/// of sheet or table is ambiguous, or a file would be overwritten. In words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}
