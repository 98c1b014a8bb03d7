//! The built site as data: every output path with its bytes. A leaf of the render stage,
//! so that the stage, the link check and the memo take it from here and not from the
//! stage's `mod.rs`.

use bytes::Bytes;
use std::collections::BTreeMap;

/// The built site: output path (with `/` separators) to file contents.
///
/// The contents are [`Bytes`], shared rather than copied: `serve` patches the site it is
/// still serving into the next one, which copies the map but not the 10,000 pages in it
/// (copying them was a third of a rebuild at that size), and answers a request without
/// copying the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Bytes>,
}

impl Site {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Bytes>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}
