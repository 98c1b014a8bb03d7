//! Reading a project's files: the text of each file checked and added to the sources, the
//! paths findings show, and the error that stops a load. A leaf of `load/`, so the walkers
//! and readers of each kind of file take it from here and not from `mod.rs`, which calls
//! them.

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::source::{FileId, Sources, Span};
use std::path::{Path, PathBuf};

/// The project could not be read at all: exit code 2 territory.
#[derive(Debug)]
pub enum LoadError {
    NoConfig(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NoConfig(root) => write!(
                f,
                "no {CONFIG_FILE} in {}: not a rasci project (run `rasci init` to start one)",
                root.display()
            ),
            LoadError::Io(path, error) => write!(f, "cannot read {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Path relative to the root with `/` separators, as findings show it.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file into `sources`. Text that is not UTF-8, or binary, is a finding at the
/// first bad byte and the file is skipped; a leading byte-order mark is dropped.
pub(crate) fn read_source(
    sources: &mut Sources,
    root: &Path,
    path: &Path,
    findings: &mut Findings,
    unsaved: &Unsaved,
) -> Result<Option<FileId>, LoadError> {
    let bytes = read_bytes(path, unsaved)?;
    Ok(add_source(sources, root, path, bytes, findings))
}

/// A file's bytes, the part of [`read_source`] that may run on many files at once: the
/// editor's text where `unsaved` holds one, the disk's otherwise.
pub(crate) fn read_bytes(path: &Path, unsaved: &Unsaved) -> Result<Vec<u8>, LoadError> {
    if let Some(text) = unsaved.get(path) {
        return Ok(text.as_bytes().to_vec());
    }
    std::fs::read(path).map_err(|e| LoadError::Io(path.to_path_buf(), e))
}

/// The part of [`read_source`] after the read: the text checked and added to `sources`,
/// or a finding and `None`.
pub(crate) fn add_source(
    sources: &mut Sources,
    root: &Path,
    path: &Path,
    bytes: Vec<u8>,
    findings: &mut Findings,
) -> Option<FileId> {
    let name = relative(root, path);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (valid, problem) = match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(at) => (at, Some("a NUL byte: this looks like a binary file")),
            None => (text.len(), None),
        },
        Err(error) => (error.valid_up_to(), Some("bytes that are not UTF-8")),
    };
    match problem {
        None => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            Some(sources.add(name, text))
        }
        Some(problem) => {
            // Keep the readable prefix so the finding can show line and column.
            let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let end = text.len();
            let file = sources.add(name, text);
            findings.push(
                Diagnostic::new(RuleId::FileEncoding, format!("the file contains {problem}"))
                    .at(Span::new(file, end, end), "first bad byte here")
                    .help("rasci reads config, data and content files as UTF-8 text"),
            );
            None
        }
    }
}

/// The text of files an editor holds open, by absolute path, read instead of the disk:
/// the language server checks what the writer sees, saved or not, and writes nothing.
/// Every other command loads with none. A file held here is still found by walking the
/// project's folders, so it must exist on disk.
#[derive(Debug, Default, Clone)]
pub struct Unsaved {
    by_path: std::collections::HashMap<PathBuf, String>,
}

impl Unsaved {
    /// Holds `text` for the file at `path`, instead of what the disk has.
    pub fn set(&mut self, path: PathBuf, text: String) {
        self.by_path.insert(path, text);
    }

    /// Reads `path` from the disk again.
    pub fn remove(&mut self, path: &Path) {
        self.by_path.remove(path);
    }

    /// The text held for `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }

    /// The files held, in no order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.by_path.keys().map(PathBuf::as_path)
    }
}
