//! Guard: the one rule for every file rasci writes (the site, an export, an import, a new
//! project, the schemas, the folders `diff` reads a revision into).
//!
//! A project comes from anyone who can open a pull request, and its symbolic links come
//! with it. So every writer names the folder its files belong to (the project, the output
//! folder, a temporary folder) and plans all its files before it writes one:
//!
//! - every planned path must stay inside that folder once symbolic links are followed; a
//!   link on the way that dangles or leads out is refused, and named;
//! - a link on the way to that folder itself that lies in the current folder (or, for
//!   an export, in the project) must stay inside it too: a checkout's `exports` linked
//!   elsewhere sends nothing there;
//! - a file is never written through a symbolic link, even one that leads inside: it is
//!   written new beside its name and then takes the name, in a folder opened one name
//!   at a time without following a link, so a link put in the way after the check fails
//!   the write instead of redirecting it, and a file that stood there (a hard link to a
//!   file elsewhere, a named pipe) is replaced, never written into;
//! - a file where a folder is needed, and the root of the file system as the folder, are
//!   refused;
//! - all targets are checked before the first byte is written, so a refusal leaves
//!   nothing half done.

use std::ffi::OsString;
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// How many symbolic links one path may go through before it counts as a loop.
const MAX_LINKS: usize = 40;

#[derive(Debug)]
pub(crate) enum GuardError {
    /// A symbolic link that a write would go through: `why` says where it leads.
    Link {
        link: PathBuf,
        why: String,
    },
    /// A file (or something else) stands where a folder is needed.
    NotAFolder(PathBuf),
    /// A folder stands where a file is to be written.
    NotAFile(PathBuf),
    /// A device, a named pipe or a socket stands where a file is to be written: it is
    /// neither written into (a pipe would stall, a device take the bytes) nor replaced.
    NotRegular(PathBuf),
    /// The folder the files belong to is the root of the file system.
    FileSystemRoot(PathBuf),
    /// A planned name that is not a plain relative path (a programming error, kept as an
    /// error rather than a panic).
    BadName(PathBuf),
    /// A symbolic link loop.
    Loop(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardError::Link { link, why } => write!(
                f,
                "refusing to write through {}: it is a symbolic link {why}; rasci never \
                 writes through a link that dangles, leads out of the folder it writes \
                 into, or stands where a file is written",
                link.display()
            ),
            GuardError::NotAFolder(path) => write!(
                f,
                "cannot write into {}: it is a file, not a folder",
                path.display()
            ),
            GuardError::NotAFile(path) => write!(
                f,
                "cannot write {}: it is a folder, not a file",
                path.display()
            ),
            GuardError::NotRegular(path) => write!(
                f,
                "cannot write {}: it is a device, a named pipe or a socket, not a file; \
                 rasci replaces only files",
                path.display()
            ),
            GuardError::FileSystemRoot(path) => write!(
                f,
                "refusing to write into {}: it is the root of the file system; choose a \
                 folder of its own",
                path.display()
            ),
            GuardError::BadName(path) => {
                write!(f, "cannot write {}: not a plain file name", path.display())
            }
            GuardError::Loop(path) => write!(
                f,
                "cannot use {}: too many symbolic links (a loop?)",
                path.display()
            ),
            GuardError::Io(path, error) => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for GuardError {}

/// Resolves `path` as the system would, even where it does not exist yet: absolute,
/// `.` dropped, each symbolic link replaced by its target, `..` taking away the last
/// folder of the path resolved so far. A missing folder before `..` is dropped with it,
/// so `public/../data` resolves to `data` whether or not `public` exists.
pub(crate) fn real_path(path: &Path) -> Result<PathBuf, GuardError> {
    let start = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| GuardError::Io(path.to_path_buf(), e))?
            .join(path)
    };
    let mut pending: Vec<OsString> = Vec::new();
    let mut resolved = PathBuf::from("/");
    push_components(&start, &mut pending, &mut resolved);
    let mut links = 0;
    while let Some(part) = pending.pop() {
        if part == ".." {
            resolved.pop();
            continue;
        }
        let next = resolved.join(&part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(GuardError::Loop(path.to_path_buf()));
                }
                let target =
                    std::fs::read_link(&next).map_err(|e| GuardError::Io(next.clone(), e))?;
                if target.is_absolute() {
                    resolved = PathBuf::from("/");
                }
                push_components(&target, &mut pending, &mut resolved);
            }
            _ => resolved = next,
        }
    }
    Ok(resolved)
}

/// Puts the components of `path` on `pending` so that the first is popped first; a root or
/// prefix component resets `resolved`.
fn push_components(path: &Path, pending: &mut Vec<OsString>, resolved: &mut PathBuf) {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => *resolved = PathBuf::from(prefix.as_os_str()),
            Component::RootDir => resolved.push(std::path::MAIN_SEPARATOR_STR),
            Component::CurDir => {}
            Component::ParentDir => parts.push(OsString::from("..")),
            Component::Normal(name) => parts.push(name.to_os_string()),
        }
    }
    pending.extend(parts.into_iter().rev());
}

/// Creates the file at `path` for writing without following a symbolic link at `path`
/// itself: a link there fails with [`GuardError::Link`] whatever it points at. Without
/// `replace` the file must not exist yet (checked by the create itself).
pub(crate) fn create_file(path: &Path, replace: bool) -> Result<std::fs::File, GuardError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|error| {
        let is_link = std::fs::symlink_metadata(path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if is_link {
            GuardError::Link {
                link: path.to_path_buf(),
                why: "where the file is to be written".into(),
            }
        } else {
            GuardError::Io(path.to_path_buf(), error)
        }
    })
}

/// Writes `bytes` to a file created by [`create_file`].
pub(crate) fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), GuardError> {
    create_file(path, replace)?
        .write_all(bytes)
        .map_err(|e| GuardError::Io(path.to_path_buf(), e))
}

/// The name of the file [`put_file`] writes beside `name` before giving it that name.
fn temporary_name(name: &std::ffi::OsStr, pid: u32, n: u32) -> OsString {
    let mut temporary = OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".rasci-{pid}-{n}.tmp"));
    temporary
}

/// Removes from `folder` the files that [`put_file`] of a process now gone left beside
/// `name` when it was killed: named as it names them, a file (never a link or a
/// folder), of a process that no longer runs.
pub(crate) fn remove_stale_temporaries(folder: &Path, name: &std::ffi::OsStr) {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".rasci-");
    let prefix = prefix.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((pid, n)) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.split_once('-'))
        else {
            continue;
        };
        let (Ok(pid), Ok(n)) = (pid.parse::<u32>(), n.parse::<u32>()) else {
            continue;
        };
        if temporary_name(name, pid, n) != entry.file_name()
            || pid == std::process::id()
            || process_alive(pid)
        {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// An error putting a file at `path`, as the guard names it: a link or a folder found
/// there after the check.
fn refusal(path: &Path, error: std::io::Error) -> GuardError {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => GuardError::Link {
            link: path.to_path_buf(),
            why: "where the file is to be written".into(),
        },
        Ok(meta) if meta.is_dir() => GuardError::NotAFile(path.to_path_buf()),
        _ => GuardError::Io(path.to_path_buf(), error),
    }
}

/// Refuses a symbolic link on the way to `path` that lies inside `anchor` (once links
/// are followed) and dangles or leads out of it. `path` is walked name by name as the
/// system would walk it, so `..` after a link goes up from where the link leads. Links
/// outside `anchor` are not looked at: `--out /srv/site` is the user's own choice. The
/// walk stops at the first name that does not exist yet.
pub(crate) fn links_stay_inside(path: &Path, anchor: &Path) -> Result<(), GuardError> {
    let cwd = std::env::current_dir().map_err(|e| GuardError::Io(path.to_path_buf(), e))?;
    let anchor_real = real_path(&cwd.join(anchor))?;
    let mut resolved = if path.is_absolute() {
        PathBuf::from("/")
    } else {
        real_path(&cwd)?
    };
    let mut shown = PathBuf::new();
    let mut links = 0;
    for component in path.components() {
        shown.push(component.as_os_str());
        let name = match component {
            Component::Prefix(_) | Component::RootDir => {
                resolved = PathBuf::from(component.as_os_str());
                continue;
            }
            Component::CurDir => continue,
            Component::ParentDir => {
                resolved.pop();
                continue;
            }
            Component::Normal(name) => name,
        };
        let next = resolved.join(name);
        let meta = match std::fs::symlink_metadata(&next) {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(GuardError::Io(shown, e)),
        };
        if !meta.file_type().is_symlink() {
            resolved = next;
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return Err(GuardError::Loop(path.to_path_buf()));
        }
        let target = real_path(&next)?;
        if next.starts_with(&anchor_real) {
            if std::fs::symlink_metadata(&target).is_err() {
                return Err(GuardError::Link {
                    link: shown,
                    why: format!("that dangles (to {})", target.display()),
                });
            }
            if !target.starts_with(&anchor_real) {
                return Err(GuardError::Link {
                    link: shown,
                    why: format!(
                        "that leads out of {} (to {})",
                        shown_folder(anchor),
                        target.display()
                    ),
                });
            }
        }
        resolved = target;
    }
    Ok(())
}

/// A folder as messages name it: the current folder has no name of its own.
fn shown_folder(folder: &Path) -> String {
    if folder.as_os_str().is_empty() || folder == Path::new(".") {
        "the current folder".to_owned()
    } else {
        folder.display().to_string()
    }
}

/// The bytes of the regular file at `path`, opened without following a link or waiting
/// on a named pipe; `None` for anything else.
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// One file a [`Plan`] writes.
#[derive(Debug)]
struct Planned {
    relative: PathBuf,
    bytes: Vec<u8>,
    /// Written only when nothing stands at its path (an existing `rasci.yaml` is kept).
    only_if_absent: bool,
}

/// What checking one planned path found.
enum Found {
    Absent,
    /// A file stands there (or a link to one inside the folder, for a file that is kept).
    Exists,
}

/// The files one command writes into one folder, checked all together before any is
/// written.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The folder as the user gave it, for messages and the returned paths.
    given: PathBuf,
    /// The folder resolved: every written path must lie inside it.
    base: PathBuf,
    files: Vec<Planned>,
}

impl Plan {
    /// A plan for files inside `base`, which need not exist yet. The root of the file
    /// system is refused: no command of rasci writes its files there.
    ///
    /// A link on the way to `base` that lies in the current folder must stay inside it
    /// ([`links_stay_inside`]): a checkout's `exports` or `docs` linked elsewhere does not
    /// send the files there.
    pub(crate) fn new(base: &Path) -> Result<Plan, GuardError> {
        links_stay_inside(base, Path::new("."))?;
        let resolved = real_path(base)?;
        if resolved.parent().is_none() {
            return Err(GuardError::FileSystemRoot(base.to_path_buf()));
        }
        Ok(Plan {
            given: base.to_path_buf(),
            base: resolved,
            files: Vec::new(),
        })
    }

    /// Plans `bytes` at `relative` (plain names only) inside the folder.
    pub(crate) fn file(&mut self, relative: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.push(Planned {
            relative: relative.into(),
            bytes: bytes.into(),
            only_if_absent: false,
        });
    }

    /// Plans a file that is written only when its path is free; an existing file there is
    /// kept as it is (and may be a link, as long as it leads to a file inside the folder).
    pub(crate) fn file_if_absent(
        &mut self,
        relative: impl Into<PathBuf>,
        bytes: impl Into<Vec<u8>>,
    ) {
        self.files.push(Planned {
            relative: relative.into(),
            bytes: bytes.into(),
            only_if_absent: true,
        });
    }

    /// Keeps, as [`Plan::file_if_absent`] would, every planned file that stands at its
    /// path already with the very bytes planned (a regular file, never read through a
    /// link): what a run killed half-way wrote, which the next run need not write again.
    /// Returns the paths kept, as given.
    pub(crate) fn keep_identical(&mut self) -> Vec<PathBuf> {
        let mut kept = Vec::new();
        for index in 0..self.files.len() {
            let planned = &self.files[index];
            if planned.only_if_absent || !matches!(self.check_one(planned), Ok(Found::Exists)) {
                continue;
            }
            let real = self.base.join(&planned.relative);
            if read_regular(&real).is_some_and(|bytes| bytes == planned.bytes) {
                kept.push(self.shown(&planned.relative));
                self.files[index].only_if_absent = true;
            }
        }
        kept
    }

    /// How many files are planned.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// The path of a planned file as the user would write it.
    fn shown(&self, relative: &Path) -> PathBuf {
        self.given.join(relative)
    }

    /// Checks every planned path and returns the files that exist already (as given),
    /// leaving out those planned [`Plan::file_if_absent`]. Writes nothing.
    pub(crate) fn check(&self) -> Result<Vec<PathBuf>, GuardError> {
        match std::fs::symlink_metadata(&self.base) {
            Ok(meta) if !meta.is_dir() => return Err(GuardError::NotAFolder(self.given.clone())),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(GuardError::Io(self.given.clone(), e)),
        }
        let mut existing = Vec::new();
        for planned in &self.files {
            if let Found::Exists = self.check_one(planned)?
                && !planned.only_if_absent
            {
                existing.push(self.shown(&planned.relative));
            }
        }
        Ok(existing)
    }

    /// Walks `planned.relative` from the folder, one name at a time, as the system would.
    fn check_one(&self, planned: &Planned) -> Result<Found, GuardError> {
        let names: Vec<&std::ffi::OsStr> = planned
            .relative
            .components()
            .map(|c| match c {
                Component::Normal(name) => Ok(name),
                _ => Err(GuardError::BadName(planned.relative.clone())),
            })
            .collect::<Result<_, _>>()?;
        if names.is_empty() {
            return Err(GuardError::BadName(planned.relative.clone()));
        }
        let mut real = self.base.clone();
        let mut shown = self.given.clone();
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == names.len();
            real.push(name);
            shown.push(name);
            let meta = match std::fs::symlink_metadata(&real) {
                Ok(meta) => meta,
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Found::Absent),
                Err(e) => return Err(GuardError::Io(shown, e)),
            };
            if meta.file_type().is_symlink() {
                let target = real_path(&real)?;
                let target_meta = match std::fs::metadata(&target) {
                    Ok(meta) => meta,
                    Err(_) => {
                        return Err(GuardError::Link {
                            link: shown,
                            why: format!("that dangles (to {})", target.display()),
                        });
                    }
                };
                if !target.starts_with(&self.base) {
                    return Err(GuardError::Link {
                        link: shown,
                        why: format!(
                            "that leads out of {} (to {})",
                            shown_folder(&self.given),
                            target.display()
                        ),
                    });
                }
                if last {
                    if planned.only_if_absent && target_meta.is_file() {
                        return Ok(Found::Exists);
                    }
                    return Err(GuardError::Link {
                        link: shown,
                        why: "where the file is to be written".into(),
                    });
                }
                if !target_meta.is_dir() {
                    return Err(GuardError::NotAFolder(shown));
                }
                real = target;
            } else if last {
                if meta.is_dir() {
                    return Err(GuardError::NotAFile(shown));
                }
                if !meta.is_file() {
                    return Err(GuardError::NotRegular(shown));
                }
                return Ok(Found::Exists);
            } else if !meta.is_dir() {
                return Err(GuardError::NotAFolder(shown));
            }
        }
        Ok(Found::Absent)
    }

    /// Checks every file again, then writes them in order: folders are made one by one
    /// (never through a link), files without following a link. A file that exists is
    /// replaced only with `replace`; a caller that refuses existing files asks
    /// [`Plan::check`] first. Returns the paths written, as given.
    pub(crate) fn write(self, replace: bool) -> Result<Vec<PathBuf>, GuardError> {
        self.check()?;
        let mut written = Vec::new();
        for planned in &self.files {
            let found = self.check_one(planned)?;
            if planned.only_if_absent && matches!(found, Found::Exists) {
                continue;
            }
            let shown = self.shown(&planned.relative);
            let replace_this = replace && matches!(found, Found::Exists);
            self.write_one(planned, replace_this).map_err(|e| match e {
                GuardError::Link { link, why } if link == self.base.join(&planned.relative) => {
                    GuardError::Link {
                        link: shown.clone(),
                        why,
                    }
                }
                GuardError::Io(_, e) => GuardError::Io(shown.clone(), e),
                GuardError::NotAFile(_) => GuardError::NotAFile(shown.clone()),
                other => other,
            })?;
            written.push(shown);
        }
        Ok(written)
    }

    /// Writes one planned file, its folders made as needed. Every folder is opened from
    /// the one before it without following a link, so a link swapped in for a folder
    /// after the check fails the write instead of redirecting it; a link that was there
    /// at the check (leading inside, or [`Plan::check`] refused it) is resolved again and
    /// must still lead inside.
    #[cfg(unix)]
    fn write_one(&self, planned: &Planned, replace: bool) -> Result<(), GuardError> {
        let io = |at: &Path| {
            let at = at.to_path_buf();
            move |e| GuardError::Io(at, e)
        };
        let mut dir = at::Dir::open_real(&self.base, true).map_err(|e| {
            if at::is_link_or_file(&e) {
                GuardError::Link {
                    link: self.given.clone(),
                    why: "that appeared while writing (or a folder on its way did)".into(),
                }
            } else {
                GuardError::Io(self.given.clone(), e)
            }
        })?;
        let mut real = self.base.clone();
        let mut folder_shown = self.given.clone();
        let parent = planned.relative.parent().unwrap_or(Path::new(""));
        for name in parent.components() {
            let name = name.as_os_str();
            folder_shown.push(name);
            dir = match dir.child(name) {
                Ok(child) => {
                    real.push(name);
                    child
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    match dir.make_folder(name) {
                        Ok(()) => {}
                        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                        Err(e) => return Err(GuardError::Io(folder_shown, e)),
                    }
                    real.push(name);
                    dir.child(name).map_err(io(&folder_shown))?
                }
                Err(e) if at::is_link_or_file(&e) => {
                    let target = real_path(&real.join(name))?;
                    if !target.starts_with(&self.base) || !target.is_dir() {
                        return Err(GuardError::Link {
                            link: folder_shown,
                            why: "that appeared while writing".into(),
                        });
                    }
                    real = target;
                    at::Dir::open_real(&real, false).map_err(io(&folder_shown))?
                }
                Err(e) => return Err(GuardError::Io(folder_shown, e)),
            };
        }
        let name = planned.relative.file_name().unwrap_or_default();
        remove_stale_temporaries(&real, name);
        let path = real.join(name);
        let (temporary, mut file) = (0u32..)
            .map(|n| temporary_name(name, std::process::id(), n))
            .find_map(|temporary| match dir.create_new(&temporary) {
                Ok(file) => Some(Ok((temporary, file))),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => None,
                Err(e) => Some(Err(GuardError::Io(path.clone(), e))),
            })
            .expect("the names beside a file are endless")?;
        let placed = file
            .write_all(&planned.bytes)
            .and_then(|()| file.flush())
            .map_err(io(&path))
            .and_then(|()| {
                drop(file);
                if replace {
                    dir.rename(&temporary, name)
                } else {
                    dir.link(&temporary, name)
                }
                .map_err(|e| refusal(&path, e))
            });
        let _ = dir.remove(&temporary);
        placed
    }

    /// [`Plan::write`] of one file where folders cannot be opened one from another.
    #[cfg(not(unix))]
    fn write_one(&self, planned: &Planned, replace: bool) -> Result<(), GuardError> {
        let mut real = self.base.clone();
        std::fs::create_dir_all(&real).map_err(|e| GuardError::Io(self.given.clone(), e))?;
        let mut folder_shown = self.given.clone();
        let parent = planned.relative.parent().unwrap_or(Path::new(""));
        for name in parent.components() {
            real.push(name);
            folder_shown.push(name);
            match std::fs::create_dir(&real) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let target = real_path(&real)?;
                    if !target.starts_with(&self.base) || !target.is_dir() {
                        return Err(GuardError::Link {
                            link: folder_shown,
                            why: "that appeared while writing".into(),
                        });
                    }
                    real = target;
                }
                Err(e) => return Err(GuardError::Io(folder_shown, e)),
            }
        }
        let name = planned.relative.file_name().unwrap_or_default();
        remove_stale_temporaries(&real, name);
        put_file(&real.join(name), &planned.bytes, replace)
    }
}

#[cfg(unix)]
pub(crate) mod at {
    //! Folders opened one at a time without following links, and files made, renamed and
    //! linked inside an open folder: a link swapped in after the check cannot send a write
    //! elsewhere. The calls are rustix's safe wrappers of `openat`, `mkdirat`, `renameat`,
    //! `linkat` and `unlinkat`, which the standard library does not offer.
    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
    use std::ffi::{OsStr, OsString};
    use std::os::fd::OwnedFd;
    use std::path::{Component, Path};

    /// An open folder.
    pub(crate) struct Dir(OwnedFd);

    /// Whether opening a folder failed because a link or a file stands at its name.
    pub(crate) fn is_link_or_file(error: &std::io::Error) -> bool {
        matches!(
            error.raw_os_error(),
            Some(code) if code == rustix::io::Errno::LOOP.raw_os_error()
                || code == rustix::io::Errno::NOTDIR.raw_os_error()
        )
    }

    const FOLDER: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    impl Dir {
        /// Opens `path`, absolute and free of links, from the root one folder at a time
        /// without following a link; with `create`, missing folders are made.
        pub(crate) fn open_real(path: &Path, create: bool) -> std::io::Result<Dir> {
            let mut dir = Dir(rustix::fs::openat(CWD, "/", FOLDER, Mode::empty())?);
            for component in path.components() {
                let Component::Normal(part) = component else {
                    continue;
                };
                dir = match dir.child(part) {
                    Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => {
                        match dir.make_folder(part) {
                            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                                return Err(e);
                            }
                            _ => dir.child(part)?,
                        }
                    }
                    other => other?,
                };
            }
            Ok(dir)
        }

        /// The folder `folder` in this one, not through a link.
        pub(crate) fn child(&self, folder: &OsStr) -> std::io::Result<Dir> {
            Ok(Dir(rustix::fs::openat(
                &self.0,
                folder,
                FOLDER,
                Mode::empty(),
            )?))
        }

        pub(crate) fn make_folder(&self, folder: &OsStr) -> std::io::Result<()> {
            Ok(rustix::fs::mkdirat(
                &self.0,
                folder,
                Mode::from_raw_mode(0o777),
            )?)
        }

        /// A new file in this folder; fails when the name is taken, even by a link.
        pub(crate) fn create_new(&self, file: &OsStr) -> std::io::Result<std::fs::File> {
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.0, file, flags, Mode::from_raw_mode(0o666))?;
            Ok(std::fs::File::from(fd))
        }

        /// Gives `from` the name `to`, replacing what has it (a link is replaced, not
        /// followed).
        pub(crate) fn rename(&self, from: &OsStr, to: &OsStr) -> std::io::Result<()> {
            Ok(rustix::fs::renameat(&self.0, from, &self.0, to)?)
        }

        /// Gives `from` the name `to` too, failing when `to` is taken (a link too); where
        /// the file system has no hard links, writes `from`'s bytes to `to`, created new.
        pub(crate) fn link(&self, from: &OsStr, to: &OsStr) -> std::io::Result<()> {
            match rustix::fs::linkat(&self.0, from, &self.0, to, AtFlags::empty()) {
                Ok(()) => Ok(()),
                Err(e) if e == rustix::io::Errno::EXIST => Err(e.into()),
                Err(_) => {
                    use std::io::{Read, Write};
                    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                    let source = rustix::fs::openat(&self.0, from, flags, Mode::empty())?;
                    let mut bytes = Vec::new();
                    std::fs::File::from(source).read_to_end(&mut bytes)?;
                    self.create_new(to)?.write_all(&bytes)
                }
            }
        }

        pub(crate) fn remove(&self, file: &OsStr) -> std::io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.0, file, AtFlags::empty())?)
        }

        /// Removes the empty folder `folder` of this one.
        pub(crate) fn remove_folder(&self, folder: &OsStr) -> std::io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.0, folder, AtFlags::REMOVEDIR)?)
        }

        /// The names in this folder (not `.` and `..`), each with whether it is a folder;
        /// a link is never one, wherever it leads.
        pub(crate) fn entries(&self) -> std::io::Result<Vec<(OsString, bool)>> {
            use std::os::unix::ffi::OsStrExt;
            // A copy of the descriptor, not the folder opened again by name.
            let mut listing = rustix::fs::Dir::new(self.0.try_clone()?)?;
            let mut entries = Vec::new();
            while let Some(entry) = listing.read() {
                let entry = entry?;
                let name = OsStr::from_bytes(entry.file_name().to_bytes());
                if name == "." || name == ".." {
                    continue;
                }
                let is_folder = match entry.file_type() {
                    FileType::Directory => true,
                    FileType::Unknown => {
                        let stat = rustix::fs::statat(&self.0, name, AtFlags::SYMLINK_NOFOLLOW)?;
                        FileType::from_raw_mode(stat.st_mode) == FileType::Directory
                    }
                    _ => false,
                };
                entries.push((name.to_os_string(), is_folder));
            }
            Ok(entries)
        }

        /// The permission bits of the file `file` of this folder (not through a link).
        // The fields of `stat` are of other widths on other systems.
        #[allow(clippy::useless_conversion)]
        pub(crate) fn permissions(&self, file: &OsStr) -> std::io::Result<u32> {
            let stat = rustix::fs::statat(&self.0, file, AtFlags::SYMLINK_NOFOLLOW)?;
            Ok(u32::from(stat.st_mode) & 0o7777)
        }

        /// Gives the file `name` of the folder `old` the same name in this folder too (a
        /// hard link, no byte written), when it is a file rasci could have written itself:
        /// a regular file, reached without a link, held by no other name (a hard link to
        /// a file elsewhere would tie the two), owned by this process's user, with the
        /// permissions `permissions`, and holding exactly `bytes`. `Ok(false)` when it is
        /// not, or when the link cannot be made: nothing is then left at `name` here, and
        /// the caller writes the file. The link made is checked to be the very file
        /// compared, so a name swapped in `old` meanwhile is not kept either.
        // The fields of `stat` are of other widths on other systems.
        #[allow(clippy::useless_conversion)]
        pub(crate) fn link_same(
            &self,
            old: &Dir,
            name: &OsStr,
            bytes: &[u8],
            permissions: u32,
        ) -> std::io::Result<bool> {
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            // Reading without touching the access time, which would write the inode again
            // (its change time is newer, from the last build's link); allowed to the
            // file's owner only, and a file of another user is not kept anyway.
            #[cfg(any(target_os = "linux", target_os = "android"))]
            let flags = flags | OFlags::NOATIME;
            let Ok(fd) = rustix::fs::openat(&old.0, name, flags, Mode::empty()) else {
                return Ok(false);
            };
            let stat = rustix::fs::fstat(&fd)?;
            let own = FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile
                && u64::from(stat.st_nlink) == 1
                && stat.st_uid == rustix::process::geteuid().as_raw()
                && u32::from(stat.st_mode) & 0o7777 == permissions
                && u64::try_from(stat.st_size).ok() == u64::try_from(bytes.len()).ok();
            if !own || !same_bytes(std::fs::File::from(fd), bytes)? {
                return Ok(false);
            }
            if rustix::fs::linkat(&old.0, name, &self.0, name, AtFlags::empty()).is_err() {
                return Ok(false);
            }
            let linked = rustix::fs::statat(&self.0, name, AtFlags::SYMLINK_NOFOLLOW)?;
            if linked.st_dev != stat.st_dev || linked.st_ino != stat.st_ino {
                self.remove(name)?;
                return Ok(false);
            }
            Ok(true)
        }
    }

    /// Whether `file` holds exactly `bytes`, read a block at a time.
    fn same_bytes(mut file: std::fs::File, bytes: &[u8]) -> std::io::Result<bool> {
        use std::io::Read;
        let mut block = vec![0; 64 * 1024];
        let mut rest = bytes;
        loop {
            let read = match file.read(&mut block) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => other?,
            };
            if read == 0 {
                return Ok(rest.is_empty());
            }
            if read > rest.len() || block[..read] != rest[..read] {
                return Ok(false);
            }
            rest = &rest[read..];
        }
    }
}

/// Whether the process `pid` runs (or runs as another user).
#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn plan_in(base: &Path, name: &str) -> Plan {
        let mut plan = Plan::new(base).unwrap();
        plan.file(name, "x");
        plan
    }

    #[test]
    fn links_that_dangle_or_lead_out_are_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("p");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(base.join("inner")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        symlink(&outside, base.join("out")).unwrap();
        symlink(outside.join("gone"), base.join("dangling")).unwrap();
        symlink(base.join("inner"), base.join("in")).unwrap();
        for (name, expect) in [
            ("out/a.yaml", "leads out"),
            ("dangling", "dangles"),
            ("dangling/a.yaml", "dangles"),
            ("in", "where the file is to be written"),
        ] {
            let mut plan = plan_in(&base, "first.yaml");
            plan.file(name, "x");
            let error = plan.write(true).unwrap_err().to_string();
            assert!(error.contains(expect), "{name}: {error}");
            assert!(!base.join("first.yaml").exists(), "{name}");
        }
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        // A link to a folder inside is followed.
        let written = plan_in(&base, "in/b.yaml").write(false).unwrap();
        assert_eq!(written, vec![base.join("in/b.yaml")]);
        assert!(base.join("inner/b.yaml").exists());
    }

    #[test]
    fn a_file_is_never_written_through_a_link_even_one_put_there_after_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "mine").unwrap();
        let at = dir.path().join("out.json");
        symlink(&victim, &at).unwrap();
        for replace in [false, true] {
            let error = write_file(&at, b"theirs", replace).unwrap_err();
            assert!(matches!(error, GuardError::Link { .. }), "{error}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
    }

    #[test]
    fn a_file_where_a_folder_is_needed_and_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data"), "").unwrap();
        let error = plan_in(dir.path(), "data/x.yaml").check().unwrap_err();
        assert!(matches!(error, GuardError::NotAFolder(_)), "{error}");
        assert!(matches!(
            Plan::new(Path::new("/")),
            Err(GuardError::FileSystemRoot(_))
        ));
        assert!(matches!(
            Plan::new(Path::new("/tmp/..")),
            Err(GuardError::FileSystemRoot(_))
        ));
    }
}
