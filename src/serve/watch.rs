//! Watch: file events in, rebuilds out.
//!
//! Only the project's inputs are watched (the config, `data/`, `content/`, `themes/`,
//! `templates/`, `static/`), never the project root recursively: that would also watch
//! the output folder and whatever else lives beside the project. Editors save in many
//! ways (in place, to a temporary file renamed over the original, with backup and lock
//! files beside it); the debouncer gathers each save into one batch, and the files
//! editors leave around are ignored, so one save is one rebuild.

use super::builder::Builder;
use super::state::{ServeError, State};
use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, new_debouncer};
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long the watcher waits for a burst of file events to settle before rebuilding.
/// One save is one process's few system calls: an atomic save writes a temporary file and
/// renames it over the original (the rename is the one event that matters), an in-place
/// save truncates and writes, a save with a backup renames or copies the original first;
/// each burst lasts well under a millisecond to a few, so 20 ms gathers it into one
/// rebuild. It was 50 ms, a third of a 10,000-page site's edit-to-reload. A save split
/// anyway costs little: a later batch that changes the inputs again is rebuilt after the
/// rebuild under way (or in its place, when that one renders the whole site), and one
/// that changes nothing (a backup file, the same bytes) rebuilds nothing. (The debouncer looks for settled bursts every quarter of the wait, so a batch
/// goes out 20 to 25 ms after the last event.)
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(20);

/// Folders of the project whose files are inputs of the site.
pub(crate) const INPUT_DIRS: [&str; 5] = ["data", "content", "themes", "templates", "static"];

/// Stops the watcher and its rebuild thread when dropped.
pub(crate) struct Guard {
    stop: Arc<AtomicBool>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Watching that has started but does not rebuild yet. It starts before the first build
/// and records the inputs as they are then, so a save made while that build runs is
/// neither lost nor mistaken for no change: it rebuilds once [`Watch::run`] is called.
pub(crate) struct Watch {
    root: PathBuf,
    debouncer: Debouncer,
    events: mpsc::Receiver<DebounceEventResult>,
    watched: Watched,
    contents: Contents,
}

/// The input folders being watched, each with the identity of the folder watched: a
/// folder replaced by another of the same name (moved away and back, or removed and made
/// anew, as a checkout or an editor does) is watched again, since a watch follows the
/// folder it was set on, not its name.
type Watched = BTreeMap<&'static str, FolderId>;

type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

impl Watch {
    pub(crate) fn start(root: &Path) -> Result<Watch, ServeError> {
        let root = root.canonicalize().map_err(ServeError::Io)?;
        let (tx, events) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(ServeError::Watch)?;
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(ServeError::Watch)?;
        let mut watched = Watched::new();
        for dir in INPUT_DIRS {
            watch_dir(&mut debouncer, &root, dir, &mut watched, false)?;
        }
        let mut contents = Contents::default();
        contents.seed(&root);
        Ok(Watch {
            root,
            debouncer,
            events,
            watched,
            contents,
        })
    }

    /// Rebuilds on every batch of relevant changes, on a thread of its own so a slow
    /// build never blocks a request, until the guard is dropped.
    pub(crate) fn run(self, state: Arc<State>, mut builder: Builder) -> Result<Guard, ServeError> {
        let Watch {
            root,
            mut debouncer,
            events,
            mut watched,
            mut contents,
        } = self;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::Builder::new()
            .name("rasci-rebuild".into())
            .spawn(move || {
                // A save seen while a rebuild ran, which replaced that rebuild.
                let mut pending: Option<Vec<PathBuf>> = None;
                while !stopped.load(Ordering::Relaxed) {
                    let replacing = pending.is_some();
                    let mut changed = match pending.take() {
                        Some(changed) => changed,
                        None => match events.recv_timeout(Duration::from_millis(200)) {
                            Ok(batch) => relevant(&root, batch),
                            Err(RecvTimeoutError::Timeout) => continue,
                            Err(RecvTimeoutError::Disconnected) => break,
                        },
                    };
                    // Batches that arrived while the last build ran are one change to the
                    // project: build once for all of them.
                    while let Ok(batch) = events.try_recv() {
                        changed.extend(relevant(&root, batch));
                    }
                    for dir in INPUT_DIRS {
                        // A folder created after start (a first template override, say)
                        // or replaced is watched from now on; failing that, the next save
                        // still rebuilds.
                        let touched = changed.iter().any(|p| p == Path::new(dir));
                        let _ = watch_dir(&mut debouncer, &root, dir, &mut watched, touched);
                    }
                    if !contents.changed(&root, &changed) && !replacing {
                        continue;
                    }
                    builder.forget(&changed);
                    builder.rebuild(&state, || {
                        let mut seen = Vec::new();
                        while let Ok(batch) = events.try_recv() {
                            seen.extend(relevant(&root, batch));
                        }
                        if !seen.is_empty() && contents.changed(&root, &seen) {
                            pending = Some(seen);
                        }
                        pending.is_some()
                    });
                }
                drop(debouncer);
            })
            .map_err(ServeError::Io)?;
        Ok(Guard { stop })
    }
}

/// What the changed files held when last seen, so a save that changes nothing (a
/// `touch`, an editor's autosave, a checkout of the same content) does not rebuild and
/// reload every open page.
#[derive(Default)]
struct Contents {
    seen: HashMap<PathBuf, Option<u64>>,
}

impl Contents {
    /// Records every input file as the first build read it, so that even the first save
    /// of a file is compared with something.
    fn seed(&mut self, root: &Path) {
        let mut paths = vec![PathBuf::from(crate::config::CONFIG_FILE)];
        for dir in INPUT_DIRS {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if let Ok(relative) = entry.path().strip_prefix(root)
                    && entry.file_type().is_file()
                    && is_input(relative)
                {
                    paths.push(relative.to_path_buf());
                }
            }
        }
        self.changed(root, &paths);
    }

    /// Records the files' contents; whether any differs from what was last seen. A file
    /// not seen before counts as changed: the first event about it may be its creation.
    fn changed(&mut self, root: &Path, paths: &[PathBuf]) -> bool {
        let mut changed = false;
        for path in paths {
            let full = root.join(path);
            let now = if full.is_dir() {
                None
            } else {
                std::fs::read(&full).ok().map(|bytes| {
                    let mut hasher = DefaultHasher::new();
                    bytes.hash(&mut hasher);
                    hasher.finish()
                })
            };
            let before = self.seen.insert(path.clone(), now);
            // A folder (made, moved or removed whole, which may come as one event for the
            // folder and none for its files) or a file gone always counts.
            changed |= now.is_none() || before != Some(now);
        }
        changed
    }
}

/// Watches the input folder `dir` when it is not watched yet, or when the folder of that
/// name is not the one watched (or was `touched`: moved or made anew, maybe back in
/// place). A folder that is gone is forgotten, to be watched once it is back.
fn watch_dir(
    debouncer: &mut Debouncer,
    root: &Path,
    dir: &'static str,
    watched: &mut Watched,
    touched: bool,
) -> Result<(), ServeError> {
    let path = root.join(dir);
    let now = folder_id(&path);
    let before = watched.get(dir).copied();
    if before.is_some() && (touched || before != now) {
        // The old watch may already be gone with its folder.
        let _ = debouncer.unwatch(&path);
        watched.remove(dir);
    }
    if let Some(id) = now
        && !watched.contains_key(dir)
    {
        debouncer
            .watch(&path, RecursiveMode::Recursive)
            .map_err(ServeError::Watch)?;
        watched.insert(dir, id);
    }
    Ok(())
}

/// Tells one folder from another that later takes its name.
type FolderId = (u64, u64);

/// The identity of the folder at `path`, `None` when there is none: its device and
/// inode where there are such, else a folder is only known to be there.
fn folder_id(path: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// The changed input files of one batch, relative to the root; errors of the watcher
/// are reported and otherwise ignored.
fn relevant(root: &Path, batch: DebounceEventResult) -> Vec<PathBuf> {
    match batch {
        // The watcher lost track (its queue overflowed): any file may have changed.
        Ok(events) if events.iter().any(|e| e.need_rescan()) => every_input(),
        Ok(events) => events
            .iter()
            .filter(|e| changes_content(e))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| p.strip_prefix(root).ok())
            .filter(|p| is_input(p))
            .map(Path::to_path_buf)
            .collect(),
        Err(errors) => {
            for error in errors {
                eprintln!("warning: watching for changes: {error}");
            }
            every_input()
        }
    }
}

/// The config and every input folder: what a batch reports when the watcher may have
/// missed changes, so the next rebuild reads every file again (see
/// `pipeline::Memo::watched`).
fn every_input() -> Vec<PathBuf> {
    std::iter::once(crate::config::CONFIG_FILE)
        .chain(INPUT_DIRS)
        .map(PathBuf::from)
        .collect()
}

/// Reading a file changes nothing; closing one written to is a save.
fn changes_content(event: &DebouncedEvent) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether a path (relative to the root) is an input of the site: the config, or a file
/// in an input folder that is not an editor's temporary, backup or lock file.
pub(crate) fn is_input(relative: &Path) -> bool {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if first == crate::config::CONFIG_FILE && relative.components().count() == 1 {
        return true;
    }
    if !INPUT_DIRS.contains(&first.as_ref()) {
        return false;
    }
    // Hidden folders inside inputs (`.git`, `.obsidian`) are not inputs either.
    if relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    !is_editor_file(&name)
}

/// Files editors write beside the one being edited: swap and backup files (vim, emacs,
/// many others), vim's write probe `4913`, and the temporary files of atomic saves.
fn is_editor_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".temp",
            ".bak",
            ".orig",
            ".crdownload",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || name.contains(".tmp.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watcher_that_lost_track_reports_every_input() {
        use notify::event::{EventKind, Flag};
        let root = Path::new("/project");
        let saved = notify::Event::new(EventKind::Any).add_path(root.join("content/a.md"));
        let batch = |events: Vec<notify::Event>| -> DebounceEventResult {
            Ok(events
                .into_iter()
                .map(|e| DebouncedEvent::new(e, std::time::Instant::now()))
                .collect())
        };
        assert_eq!(
            relevant(root, batch(vec![saved.clone()])),
            [PathBuf::from("content/a.md")]
        );
        let every = every_input();
        assert!(every.contains(&PathBuf::from("rasci.yaml")));
        assert!(every.contains(&PathBuf::from("content")));
        assert!(every.contains(&PathBuf::from("data")));
        let overflow = notify::Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert_eq!(relevant(root, batch(vec![saved, overflow])), every);
        let failed: DebounceEventResult = Err(vec![notify::Error::generic("queue lost")]);
        assert_eq!(relevant(root, failed), every);
    }

    #[test]
    fn inputs_are_the_config_and_input_folders() {
        assert!(is_input(Path::new("rasci.yaml")));
        assert!(is_input(Path::new("data/tasks.yaml")));
        assert!(is_input(Path::new("content/guide/page.md")));
        assert!(is_input(Path::new("themes/golive/templates/base.html")));
        assert!(is_input(Path::new("templates/page.html")));
        assert!(is_input(Path::new("content")));
        assert!(!is_input(Path::new("public/index.html")));
        assert!(!is_input(Path::new("target/debug/rasci")));
        assert!(!is_input(Path::new("README.md")));
        assert!(!is_input(Path::new("other/rasci.yaml")));
    }

    #[test]
    fn saving_the_same_content_is_no_change() {
        let root = tempfile::tempdir().unwrap();
        let file = PathBuf::from("page.md");
        let mut contents = Contents::default();
        std::fs::write(root.path().join(&file), "one").unwrap();
        assert!(contents.changed(root.path(), std::slice::from_ref(&file)));
        assert!(!contents.changed(root.path(), std::slice::from_ref(&file)));
        std::fs::write(root.path().join(&file), "two").unwrap();
        assert!(contents.changed(root.path(), std::slice::from_ref(&file)));
        std::fs::remove_file(root.path().join(&file)).unwrap();
        assert!(contents.changed(root.path(), std::slice::from_ref(&file)));
        assert!(!contents.changed(root.path(), &[]));
    }

    #[test]
    fn a_folder_removed_whole_is_a_change() {
        let root = tempfile::tempdir().unwrap();
        let folder = PathBuf::from("content/bulk");
        std::fs::create_dir_all(root.path().join(&folder)).unwrap();
        std::fs::write(root.path().join("content/bulk/page.md"), "text").unwrap();
        let mut contents = Contents::default();
        contents.seed(root.path());
        assert!(contents.changed(root.path(), std::slice::from_ref(&folder)));
        std::fs::remove_dir_all(root.path().join(&folder)).unwrap();
        assert!(contents.changed(root.path(), std::slice::from_ref(&folder)));
    }

    #[test]
    fn input_files_are_known_from_the_start() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        std::fs::write(root.path().join("content/page.md"), "text").unwrap();
        std::fs::write(root.path().join("rasci.yaml"), "title: T").unwrap();
        let mut contents = Contents::default();
        contents.seed(root.path());
        let page = PathBuf::from("content/page.md");
        assert!(!contents.changed(root.path(), std::slice::from_ref(&page)));
        std::fs::write(root.path().join("rasci.yaml"), "title: U").unwrap();
        assert!(contents.changed(root.path(), &[PathBuf::from("rasci.yaml")]));
    }

    #[test]
    fn editor_files_are_not_inputs() {
        for name in [
            "content/.page.md.swp",
            "content/page.md~",
            "content/#page.md#",
            "content/.#page.md",
            "content/4913",
            "data/tasks.yaml.tmp",
            "data/tasks.yaml.tmp.1234",
            "data/.tasks.yaml.kate-swp",
            "content/.git/HEAD",
        ] {
            assert!(!is_input(Path::new(name)), "{name}");
        }
    }
}
