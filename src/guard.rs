//! Guard: the one rule for every file rasci writes (the site, an export, an import, a new
//! project, the schemas, the folders `diff` reads a revision into).
//!
//! A project comes from anyone who can open a pull request, and its symbolic links come
//! with it. So every writer names the folder its files belong to (the project, the output
//! folder, a temporary folder) and plans all its files before it writes one:
//!
//! - every planned path must stay inside that folder once symbolic links are followed; a
//!   link on the way that dangles or leads out is refused, and named;
//! - a file is never written through a symbolic link, even one that leads inside: the
//!   file itself is created with `O_NOFOLLOW`, so a link put there after the check fails
//!   the write instead of redirecting it;
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
pub enum GuardError {
    /// A symbolic link that a write would go through: `why` says where it leads.
    Link {
        link: PathBuf,
        why: String,
    },
    /// A file (or something else) stands where a folder is needed.
    NotAFolder(PathBuf),
    /// A folder stands where a file is to be written.
    NotAFile(PathBuf),
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
pub fn resolve(path: &Path) -> Result<PathBuf, GuardError> {
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
pub fn create_file(path: &Path, replace: bool) -> Result<std::fs::File, GuardError> {
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
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), GuardError> {
    create_file(path, replace)?
        .write_all(bytes)
        .map_err(|e| GuardError::Io(path.to_path_buf(), e))
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
pub struct Plan {
    /// The folder as the user gave it, for messages and the returned paths.
    given: PathBuf,
    /// The folder resolved: every written path must lie inside it.
    base: PathBuf,
    files: Vec<Planned>,
}

impl Plan {
    /// A plan for files inside `base`, which need not exist yet. The root of the file
    /// system is refused: no command of rasci writes its files there.
    pub fn new(base: &Path) -> Result<Plan, GuardError> {
        let resolved = resolve(base)?;
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
    pub fn file(&mut self, relative: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.push(Planned {
            relative: relative.into(),
            bytes: bytes.into(),
            only_if_absent: false,
        });
    }

    /// Plans a file that is written only when its path is free; an existing file there is
    /// kept as it is (and may be a link, as long as it leads to a file inside the folder).
    pub fn file_if_absent(&mut self, relative: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.push(Planned {
            relative: relative.into(),
            bytes: bytes.into(),
            only_if_absent: true,
        });
    }

    /// The path of a planned file as the user would write it.
    fn shown(&self, relative: &Path) -> PathBuf {
        self.given.join(relative)
    }

    /// Checks every planned path and returns the files that exist already (as given),
    /// leaving out those planned [`Plan::file_if_absent`]. Writes nothing.
    pub fn check(&self) -> Result<Vec<PathBuf>, GuardError> {
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
                let target = resolve(&real)?;
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
                            self.given.display(),
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
    pub fn write(self, replace: bool) -> Result<Vec<PathBuf>, GuardError> {
        self.check()?;
        let mut written = Vec::new();
        for planned in &self.files {
            let found = self.check_one(planned)?;
            if planned.only_if_absent && matches!(found, Found::Exists) {
                continue;
            }
            let shown = self.shown(&planned.relative);
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
                        // Checked above: a folder, or a link to a folder inside the base.
                        let target = resolve(&real)?;
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
            real.push(planned.relative.file_name().unwrap_or_default());
            let replace_this = replace && matches!(found, Found::Exists);
            write_file(&real, &planned.bytes, replace_this).map_err(|e| match e {
                GuardError::Link { why, .. } => GuardError::Link {
                    link: shown.clone(),
                    why,
                },
                GuardError::Io(_, e) => GuardError::Io(shown.clone(), e),
                other => other,
            })?;
            written.push(shown);
        }
        Ok(written)
    }
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
