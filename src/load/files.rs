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
    // A path the walk made from the root, with no `.`, `..` or doubled `/` in it, is its
    // text after the root's: found without taking both apart into components, which was
    // most of adding 10,000 unchanged pages to a rebuild's sources.
    if let (Some(root), Some(path)) = (root.to_str(), path.to_str())
        && let Some(rest) = path.strip_prefix(root)
        && let Some(rest) = rest.strip_prefix('/')
        && !root.is_empty()
        && !rest.is_empty()
        && rest
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && std::path::MAIN_SEPARATOR == '/'
    {
        return rest.to_string();
    }
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

/// What identifies one writing of a file: its size, modification and change times, and
/// inode. A file written again changes its change time, which no tool sets back (a
/// `touch -d` or a checkout sets the modification time only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    /// The stamp of the file at `path` now; `None` when it cannot be read.
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        })
    }
}

/// The text of the files the last load read from the disk, by path, each with its
/// [`Stamp`] taken before it was read: a file of the same stamp now is taken from here
/// rather than read and checked again (`serve` rebuilds on every save, and reading the
/// 10,000 pages of a site again was a fifth of a rebuild). The text is shared with the
/// sources of the load that read it, not copied. A file written between the stamp and the
/// read has a new stamp by the next load, so it is read then. `serve` also forgets the
/// files its watcher saw change (see [`TextMemo::forget`]).
///
/// When a watcher reports every change ([`TextMemo::watched`]), the memo also keeps the
/// last walk of the content folder, and neither walks it again nor reads the stamps of
/// its files unless the watcher saw a file come, go or change there: walking and stamping
/// 10,000 pages was a sixth of a rebuild after one save.
#[derive(Debug, Default)]
pub(crate) struct TextMemo {
    /// By the path as the walk made it, compared as bytes: a path's own equality and hash
    /// go by its components, which was most of taking 10,000 unchanged pages from here.
    by_path: std::collections::HashMap<std::ffi::OsString, (Stamp, std::sync::Arc<str>)>,
    /// A watcher reports every change of the project's input folders to
    /// [`TextMemo::forget`], including when it lost track.
    watched: bool,
    /// The last walk of the content folder, kept while `watched` and the walk met no
    /// symbolic link (a file behind one changes without an event for its path).
    walk: Option<(PathBuf, Vec<PathBuf>)>,
    /// The paths the watcher reported since the last load.
    reported: Vec<PathBuf>,
    /// More paths were reported since the last load than are kept one by one.
    reported_many: bool,
}

/// Whether `path` is `dir` or a path under it, by their text: `/a/b` is under `/a` but not
/// under `/a/b2`. Paths that are not plain text are compared by components.
fn is_under(path: &Path, dir: &Path) -> bool {
    match (path.to_str(), dir.to_str()) {
        (Some(path), Some(dir)) => path
            .strip_prefix(dir.trim_end_matches('/'))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        _ => path.starts_with(dir),
    }
}

/// Forgetting more paths than this at once forgets every file: a checkout of a branch
/// changes thousands.
const FORGET_ONE_BY_ONE: usize = 64;

/// A file as [`TextMemo::add_all`] found it: its text remembered, or read (with its stamp
/// before the read, `None` for an editor's text, which is never remembered).
enum Found {
    /// The file's path from the project root (made here, in parallel: it is most of what
    /// adding a kept file costs) and its text.
    Kept(String, std::sync::Arc<str>),
    Read(Option<Stamp>, Result<Vec<u8>, LoadError>),
}

impl TextMemo {
    /// How many files are remembered.
    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Forgets the files at `paths` and every file under a folder among them.
    pub(crate) fn forget(&mut self, paths: &[PathBuf]) {
        if self.reported_many || self.reported.len() + paths.len() > FORGET_ONE_BY_ONE {
            self.reported_many = true;
            self.reported.clear();
        } else {
            self.reported.extend(paths.iter().cloned());
        }
        if paths.len() > FORGET_ONE_BY_ONE {
            self.by_path.clear();
            return;
        }
        // A file saved is one entry. Anything else (a folder, a path gone, which may have
        // been a folder) forgets every entry under it, compared as text: comparing 10,000
        // paths by their components took milliseconds of every save.
        let (files, others): (Vec<&PathBuf>, Vec<&PathBuf>) =
            paths.iter().partition(|path| path.is_file());
        for file in files {
            self.by_path.remove(file.as_os_str());
        }
        if !others.is_empty() {
            self.by_path
                .retain(|path, _| !others.iter().any(|gone| is_under(Path::new(path), gone)));
        }
    }

    /// Says that a watcher reports every change of the input folders to
    /// [`TextMemo::forget`] from now on, so the files it did not report are as the last
    /// load read them.
    pub(crate) fn watched(&mut self) {
        self.watched = true;
    }

    /// The files the last walk of the folder `dir` found (see [`TextMemo::keep_walk`]),
    /// when the watcher reported no path under `dir` since but files that walk found and
    /// that are still there. What was reported is forgotten either way: the caller walks
    /// when this says `None`.
    pub(crate) fn last_walk(&mut self, dir: &Path) -> Option<Vec<PathBuf>> {
        let reported = std::mem::take(&mut self.reported);
        let reported_many = std::mem::replace(&mut self.reported_many, false);
        let (walked, files) = self.walk.take()?;
        let unchanged = walked == dir
            && !reported_many
            && reported
                .iter()
                .filter(|path| path.starts_with(dir))
                .all(|path| path.is_file() && files.contains(path));
        if !unchanged {
            return None;
        }
        let kept = files.clone();
        self.walk = Some((walked, files));
        Some(kept)
    }

    /// Keeps the files a walk of `dir` found for [`TextMemo::last_walk`], when a watcher
    /// reports every change and the walk met no symbolic `links`.
    pub(crate) fn keep_walk(&mut self, dir: &Path, files: &[PathBuf], links: bool) {
        self.walk = (self.watched && !links).then(|| (dir.to_path_buf(), files.to_vec()));
    }

    /// Adds the files at `paths` to `sources` in order, as [`read_source`] does, taking
    /// the text of each file whose stamp is the one remembered from the memo, and makes
    /// the memo hold this load's files. The ids of the files added; a file whose text is
    /// not readable is a finding and has none.
    pub(crate) fn add_all(
        &mut self,
        sources: &mut Sources,
        root: &Path,
        paths: &[PathBuf],
        unsaved: &Unsaved,
        findings: &mut Findings,
    ) -> Result<Vec<FileId>, LoadError> {
        use rayon::prelude::*;
        // The watcher reported every file that changed since its text was kept, unless a
        // file lies behind a symbolic link (see `walk`): then the stamps tell.
        let trusted = self.watched && self.walk.is_some();
        let found: Vec<Found> = paths
            .par_iter()
            .map(|path| {
                if unsaved.get(path).is_some() {
                    return Found::Read(None, read_bytes(path, unsaved));
                }
                if trusted && let Some((_, text)) = self.by_path.get(path.as_os_str()) {
                    return Found::Kept(relative(root, path), std::sync::Arc::clone(text));
                }
                let stamp = Stamp::of(path);
                if let Some(stamp) = stamp
                    && let Some((known, text)) = self.by_path.get(path.as_os_str())
                    && *known == stamp
                {
                    return Found::Kept(relative(root, path), std::sync::Arc::clone(text));
                }
                Found::Read(stamp, read_bytes(path, unsaved))
            })
            .collect();
        // The memo is renewed in place: a rebuild after one save changes one entry.
        let mut held = 0;
        let mut files = Vec::with_capacity(paths.len());
        for (path, found) in paths.iter().zip(found) {
            match found {
                Found::Kept(name, text) => {
                    files.push(sources.add(name, text));
                    held += 1;
                }
                Found::Read(stamp, bytes) => {
                    let file = add_source(sources, root, path, bytes?, findings);
                    match stamp.zip(file) {
                        Some((stamp, file)) => {
                            let entry = (stamp, std::sync::Arc::clone(&sources.get(file).text));
                            match self.by_path.get_mut(path.as_os_str()) {
                                Some(slot) => *slot = entry,
                                None => {
                                    self.by_path.insert(path.clone().into_os_string(), entry);
                                }
                            }
                            held += 1;
                        }
                        None => {
                            self.by_path.remove(path.as_os_str());
                        }
                    }
                    files.extend(file);
                }
            }
        }
        if self.by_path.len() != held {
            let loaded: std::collections::HashSet<&std::ffi::OsStr> =
                paths.iter().map(|path| path.as_os_str()).collect();
            self.by_path
                .retain(|path, _| loaded.contains(path.as_os_str()));
        }
        Ok(files)
    }
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

#[cfg(test)]
mod tests {
    use super::{TextMemo, Unsaved, is_under, relative};
    use crate::diagnostic::Findings;
    use crate::source::Sources;
    use std::path::Path;

    #[test]
    fn a_path_is_under_its_folders_and_no_other() {
        let under = |path: &str, dir: &str| is_under(Path::new(path), Path::new(dir));
        assert!(under("/p/content/a.md", "/p/content"));
        assert!(under("/p/content/a.md", "/p/content/"));
        assert!(under("/p/content", "/p/content"));
        assert!(!under("/p/content2/a.md", "/p/content"));
        assert!(!under("/p/con", "/p/content"));
    }

    /// The quick way of [`relative`] and the one by components agree, on paths it takes
    /// and on paths it leaves to the other.
    #[test]
    fn a_path_from_the_root_is_its_text_after_the_root() {
        for (root, path, expected) in [
            ("/p", "/p/content/a.md", "content/a.md"),
            ("docs", "docs/content/guides/b.md", "content/guides/b.md"),
            ("./docs", "./docs/data/tasks.yaml", "data/tasks.yaml"),
            ("/p/", "/p/content/a.md", "content/a.md"),
            ("/p", "/p/content/./a.md", "content/a.md"),
            ("/p", "/p//content/a.md", "content/a.md"),
            // Not under the root (its name only begins the same): shown by components.
            ("/p", "/pq/content/a.md", "//pq/content/a.md"),
            ("/p", "/p/content/../a.md", "content/../a.md"),
        ] {
            assert_eq!(
                relative(Path::new(root), Path::new(path)),
                expected,
                "{path}"
            );
        }
    }

    /// A file of the stamp remembered is taken from the memo, not read; one the watcher
    /// saw change, or of another stamp, is read from the disk.
    #[test]
    fn unchanged_files_are_taken_from_the_memo() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        std::fs::write(&a, "alpha").unwrap();
        std::fs::write(&b, "beta").unwrap();
        let paths = [a.clone(), b.clone()];
        let unsaved = Unsaved::default();
        let mut memo = TextMemo::default();
        let read = |memo: &mut TextMemo, unsaved: &Unsaved| -> Vec<String> {
            let mut sources = Sources::new(dir.path());
            let mut findings = Findings::default();
            let files = memo
                .add_all(&mut sources, dir.path(), &paths, unsaved, &mut findings)
                .unwrap();
            files
                .into_iter()
                .map(|file| sources.get(file).text.to_string())
                .collect()
        };
        assert_eq!(read(&mut memo, &unsaved), ["alpha", "beta"]);
        assert_eq!(memo.len(), 2);
        // What the memo holds is what a file of the same stamp gives: it is not read.
        memo.by_path.get_mut(a.as_os_str()).unwrap().1 = "ALPHA".into();
        assert_eq!(read(&mut memo, &unsaved)[0], "ALPHA");
        // Forgotten (the watcher saw it change): read again.
        memo.forget(std::slice::from_ref(&a));
        assert_eq!(read(&mut memo, &unsaved)[0], "alpha");
        // Another stamp (here another size): read again.
        memo.by_path.get_mut(b.as_os_str()).unwrap().1 = "BETA".into();
        std::fs::write(&b, "beta, longer").unwrap();
        assert_eq!(read(&mut memo, &unsaved)[1], "beta, longer");
        // A file no longer loaded is forgotten.
        assert_eq!(memo.len(), 2);
        let mut sources = Sources::new(dir.path());
        memo.add_all(
            &mut sources,
            dir.path(),
            &paths[..1],
            &unsaved,
            &mut Findings::default(),
        )
        .unwrap();
        assert_eq!(memo.len(), 1);
        // A folder forgets what is under it; an editor's text is never remembered.
        memo.forget(&[dir.path().to_path_buf()]);
        assert_eq!(memo.len(), 0);
        let mut editor = Unsaved::default();
        editor.set(a.clone(), "unsaved".into());
        assert_eq!(read(&mut memo, &editor)[0], "unsaved");
        assert_eq!(memo.len(), 1);
    }
}
