//! Source files and byte spans.
//!
//! Every value loaded from the project remembers where it came from as a [`Span`]: a file
//! id and a byte range. Line and column are derived on demand from the file's text, so the
//! model stays small and every reporter computes positions the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file. `start == end` marks a position rather than a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One file read from the project, with its path relative to the project root.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators, as shown in findings.
    pub(crate) path: String,
    /// The text, with a leading UTF-8 byte-order mark removed. Shared: a preview's
    /// rebuild takes the text of every unchanged file from the last load's.
    pub(crate) text: std::sync::Arc<str>,
    /// Where each line starts, found the first time a position in the file is asked for:
    /// most files of a large site never are (only files with findings), and finding the
    /// lines of every file was a tenth of loading 10,000 pages.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub(crate) fn new(path: String, text: impl Into<std::sync::Arc<str>>) -> Self {
        SourceFile {
            path,
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// Line and column of a byte offset (clamped to the text, and to a char boundary).
    pub(crate) fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub(crate) fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = rest.split_inclusive('\n').next().unwrap_or("");
        line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(start + line_text.len(), |(i, _)| start + i)
    }
}

/// Every file the project read, so that findings can quote them.
#[derive(Debug, Default)]
pub struct Sources {
    root: PathBuf,
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new(root: &Path) -> Self {
        Sources {
            root: root.to_path_buf(),
            files: Vec::new(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// How many files have been added.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// Makes room for `more` files, added one by one next.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.files.reserve(more);
    }

    pub(crate) fn add(&mut self, path: String, text: impl Into<std::sync::Arc<str>>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path, text));
        id
    }

    pub(crate) fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    /// The path to show in findings: relative to the working folder when the project root
    /// was given as a relative path (`--root docs` shows `docs/data/tasks.yaml`), so that
    /// editors, GitHub annotations and SARIF viewers run from there find the file;
    /// relative to the project root otherwise.
    pub(crate) fn display_path(&self, id: FileId) -> String {
        let path = self.path(id);
        if self.root.is_absolute() {
            return path.to_string();
        }
        let prefix: Vec<String> = self
            .root
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", prefix.join("/"))
        }
    }

    /// Every file, in the order it was read.
    pub(crate) fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The source text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        let text = &self.get(span.file).text;
        text.get(span.start..span.end).unwrap_or("")
    }

    pub fn start(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.start)
    }

    pub fn end(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.end)
    }
}

/// Values remembered per source file, by its path, from one build to the next in the
/// same process (`serve`): what the load or the check read of each page, kept while the
/// page stays the same.
#[derive(Debug)]
pub(crate) struct PathMemo<V> {
    by_path: HashMap<String, V>,
}

impl<V> Default for PathMemo<V> {
    fn default() -> Self {
        PathMemo {
            by_path: HashMap::new(),
        }
    }
}

impl<V> PathMemo<V> {
    pub(crate) fn get(&self, path: &str) -> Option<&V> {
        self.by_path.get(path)
    }

    /// How many files are remembered.
    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Makes the memo hold this build's files, `(path, reused)` in order: a reused file
    /// keeps what was remembered (moved, not copied), any other gets `fresh(index)`,
    /// where `None` forgets it; files not given are forgotten.
    pub(crate) fn renew<'p>(
        &mut self,
        files: impl IntoIterator<Item = (&'p str, bool)>,
        mut fresh: impl FnMut(usize) -> Option<V>,
    ) {
        // Renewed in place: after one save, a rebuild changes one entry of thousands, and
        // making the map anew (a key allocated and hashed per file) was most of the cost.
        let files: Vec<(&str, bool)> = files.into_iter().collect();
        let mut held = 0;
        for (index, &(path, reused)) in files.iter().enumerate() {
            if reused && self.by_path.contains_key(path) {
                held += 1;
                continue;
            }
            match fresh(index) {
                Some(value) => {
                    match self.by_path.get_mut(path) {
                        Some(slot) => *slot = value,
                        None => {
                            self.by_path.insert(path.to_string(), value);
                        }
                    }
                    held += 1;
                }
                None => {
                    self.by_path.remove(path);
                }
            }
        }
        if self.by_path.len() != held {
            let given: std::collections::HashSet<&str> = files.iter().map(|&(p, _)| p).collect();
            self.by_path.retain(|path, _| given.contains(path.as_str()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renewed_memo_holds_the_files_given_and_no_other() {
        let mut memo = PathMemo::default();
        memo.renew([("a", false), ("b", false), ("c", false)], |i| Some(i * 10));
        assert_eq!(
            (memo.get("a"), memo.get("b"), memo.len()),
            (Some(&0), Some(&10), 3)
        );
        // `a` kept, `b` made anew, `c` not given (forgotten), `d` new, `e` not kept.
        memo.renew(
            [("a", true), ("b", false), ("d", false), ("e", false)],
            |i| (i != 3).then_some(100 + i),
        );
        assert_eq!(memo.get("a"), Some(&0));
        assert_eq!(memo.get("b"), Some(&101));
        assert_eq!(memo.get("c"), None);
        assert_eq!(memo.get("d"), Some(&102));
        assert_eq!(memo.get("e"), None);
        assert_eq!(memo.len(), 3);
    }

    #[test]
    fn line_col_counts_characters_from_one() {
        let file = SourceFile::new("a".into(), "ab\r\ncé d\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 1 });
        // 'd' is after "cé " (é is two bytes)
        assert_eq!(file.line_col(8), LineCol { line: 2, column: 4 });
        assert_eq!(file.offset_of(2, 4), 8);
    }

    #[test]
    fn display_paths_follow_a_relative_root() {
        for (root, shown) in [
            (".", "data/a.yaml"),
            ("./docs/", "docs/data/a.yaml"),
            ("docs/site", "docs/site/data/a.yaml"),
            ("/abs/docs", "data/a.yaml"),
        ] {
            let mut sources = Sources::new(Path::new(root));
            let id = sources.add("data/a.yaml".into(), String::new());
            assert_eq!(sources.display_path(id), shown, "root {root}");
        }
    }
}
