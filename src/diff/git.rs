//! Reading a revision of the project out of git into a temporary folder, with the system
//! `git` (a library binding would be a large dependency for four commands).
//!
//! Only what the loader reads is written out: `rasci.yaml`, `data/`, `content/`,
//! `themes/` and `templates/` of the project's folder in the repository. Symbolic links
//! and submodules of the revision are left out, and every path is checked to stay inside
//! the temporary folder, whatever the repository holds.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, MutexGuard};

/// What the loader reads of a project; nothing else of a revision is written out.
const READ_BY_LOADER: &[&str] = &["rasci.yaml", "data/", "content/", "themes/", "templates/"];

/// The largest file of a revision that `diff` reads out of git. A blob of zeros packs
/// to a thousandth of its size, so a small commit could otherwise ask for more memory
/// and disk than the machine has; no data file or page comes near this.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most bytes of all files of one revision together, for the same reason.
pub(crate) const MAX_REVISION_BYTES: u64 = 512 << 20;

/// A folder removed (with what it holds) when dropped, or when the process is stopped by
/// SIGINT, SIGTERM or SIGHUP while it exists (see `install_cleanup`); one left by a
/// process killed otherwise is removed by the next `diff` (see `remove_leftovers`).
#[derive(Debug)]
pub(crate) struct TempDir {
    path: PathBuf,
}

/// The temporary folders that exist now. Held locked while a folder is made, filled or
/// removed, so the signal handler never removes a folder that is then written again.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TempDir {
    /// A new, empty folder under the system's temporary folder, made by this process
    /// alone (`create_dir` fails on a name already taken, and the next name is tried).
    fn new() -> std::io::Result<TempDir> {
        install_cleanup();
        let base = std::env::temp_dir();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        remove_leftovers(&base);
        let mut live = live();
        for attempt in 0..100u32 {
            let path = base.join(format!(
                "rasci-diff-{}-{stamp}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    live.push(path.clone());
                    return Ok(TempDir { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free temporary folder name"))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// [`checkout`] as `build` opens a published version (`pipeline::OpenRevision`).
#[cfg(feature = "site")]
pub(crate) fn open_revision(root: &Path, rev: &str) -> Result<Box<dyn AsRef<Path> + Send>, String> {
    checkout(root, rev).map(|dir| Box::new(dir) as Box<dyn AsRef<Path> + Send>)
}

/// Removes from `base` the temporary folders of `diff`s that are gone without removing
/// them (killed by SIGKILL, or a machine that stopped): only folders (never a link)
/// named as [`TempDir::new`] names them, of a process that no longer runs.
fn remove_leftovers(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("rasci-diff-") else {
            continue;
        };
        let parts: Vec<&str> = rest.split('-').collect();
        let [pid, stamp, attempt] = parts.as_slice() else {
            continue;
        };
        let (Ok(pid), true, true) = (
            pid.parse::<u32>(),
            stamp.parse::<u128>().is_ok(),
            attempt.parse::<u32>().is_ok(),
        ) else {
            continue;
        };
        if pid == std::process::id() || crate::guard::process_alive(pid) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let mut live = live();
        let _ = std::fs::remove_dir_all(&self.path);
        live.retain(|p| p != &self.path);
    }
}

/// Starts, once per process, a thread that waits for SIGINT, SIGTERM and SIGHUP (a
/// closed terminal) and then removes every temporary folder before exiting (130, 143
/// and 129, as a shell reports those signals).
/// Without it a Ctrl-C or a cancelled CI job would leave a revision's files behind. It
/// returns once the handlers are in place, so no folder is made before they are.
#[cfg(unix)]
fn install_cleanup() {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        let (ready, wait) = std::sync::mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("rasci-diff-signals".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                else {
                    let _ = ready.send(());
                    return;
                };
                runtime.block_on(async move {
                    use tokio::signal::unix::{SignalKind, signal};
                    let (Ok(mut interrupt), Ok(mut terminate), Ok(mut hangup)) = (
                        signal(SignalKind::interrupt()),
                        signal(SignalKind::terminate()),
                        signal(SignalKind::hangup()),
                    ) else {
                        let _ = ready.send(());
                        return;
                    };
                    let _ = ready.send(());
                    let code = tokio::select! {
                        _ = interrupt.recv() => 130,
                        _ = terminate.recv() => 143,
                        _ = hangup.recv() => 129,
                    };
                    let live = live();
                    for path in live.iter() {
                        let _ = std::fs::remove_dir_all(path);
                    }
                    eprintln!("rasci diff: stopped; its temporary folders are removed");
                    // Exits with the lock held: no other thread writes into a folder again.
                    std::process::exit(code);
                });
            });
        if spawned.is_ok() {
            let _ = wait.recv();
        }
    });
}

#[cfg(not(unix))]
fn install_cleanup() {}

/// Runs `git` in `dir` and returns its standard output, or its standard error as the
/// message when it fails.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = crate::load::history::git(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// The files of the project at `root` as revision `rev` holds them, in a new temporary
/// folder. The error is a message for the user.
pub(crate) fn checkout(root: &Path, rev: &str) -> Result<TempDir, String> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err("not a revision name".to_owned());
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        if e.is_empty() {
            format!("no such revision in the repository at {}", root.display())
        } else {
            e
        }
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let prefix = git(root, &["rev-parse", "--show-prefix"])?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_owned();
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "-l",
            "-z",
            "--full-tree",
            &format!("{commit}:{prefix}"),
        ],
    )
    .map_err(|e| format!("the project's folder `{prefix}` is not in it: {e}"))?;
    let mut blobs: Vec<(String, PathBuf)> = Vec::new();
    let mut total: u64 = 0;
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        // `-l` pads the size with spaces.
        let mut fields = meta.split_whitespace();
        let (Some(mode), Some(kind), Some(object), size) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let regular = kind == "blob" && (mode == "100644" || mode == "100755");
        let wanted = READ_BY_LOADER
            .iter()
            .any(|w| path == *w || (w.ends_with('/') && path.starts_with(w)));
        if regular
            && wanted
            && let Some(relative) = safe_relative(path)
        {
            let size = size.and_then(|s| s.parse::<u64>().ok()).unwrap_or(u64::MAX);
            total = total.saturating_add(size);
            if size > MAX_FILE_BYTES {
                return Err(format!(
                    "{path} is {size} bytes; rasci diff reads no file of more than {} MiB \
                     out of git",
                    MAX_FILE_BYTES >> 20
                ));
            }
            if total > MAX_REVISION_BYTES {
                return Err(format!(
                    "its files are more than {} MiB together; rasci diff reads no more out \
                     of git",
                    MAX_REVISION_BYTES >> 20
                ));
            }
            blobs.push((object.to_owned(), relative));
        }
    }
    let dir = TempDir::new().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let contents = read_blobs(root, blobs.iter().map(|(object, _)| object.as_str()))?;
    let mut plan = crate::guard::Plan::new(dir.path()).map_err(|e| e.to_string())?;
    for ((_, relative), bytes) in blobs.iter().zip(contents) {
        plan.file(relative, bytes);
    }
    {
        let _live = live();
        plan.write(false).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// `path` as a relative path of plain names only, or `None` (`..`, a root, `.`).
fn safe_relative(path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
}

/// The contents of each blob, in order, from one `git cat-file --batch`. The object ids
/// are written from a thread while the output is read here, so neither pipe can fill up
/// and stall the other.
fn read_blobs<'a>(
    root: &Path,
    objects: impl Iterator<Item = &'a str>,
) -> Result<Vec<Vec<u8>>, String> {
    let mut expected = 0;
    let request: String = objects
        .inspect(|_| expected += 1)
        .map(|o| format!("{o}\n"))
        .collect();
    if request.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = crate::load::history::git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git has no input")?;
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let stdout = child.stdout.take().ok_or("git has no output")?;
    let mut reader = BufReader::new(stdout);
    let mut contents = Vec::new();
    let mut header = String::new();
    loop {
        header.clear();
        let read = reader
            .read_line(&mut header)
            .map_err(|e| format!("cannot read from git: {e}"))?;
        if read == 0 {
            break;
        }
        let size = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| format!("unexpected answer from git: {}", header.trim_end()))?;
        let mut bytes = vec![0; size + 1];
        reader
            .read_exact(&mut bytes)
            .map_err(|e| format!("cannot read from git: {e}"))?;
        bytes.pop();
        contents.push(bytes);
    }
    let _ = writer.join();
    let _ = child.wait();
    if contents.len() != expected {
        return Err("git did not give every file of the revision".to_owned());
    }
    Ok(contents)
}
