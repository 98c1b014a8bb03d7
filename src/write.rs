//! Write: put a rendered site on disk without ever costing the user a file.
//!
//! - The output path is resolved first: made absolute, `.` and `..` applied, and every
//!   symbolic link on the way followed, so the checks see the folder that would be replaced.
//! - The project root, its inputs, `.git`, and every folder holding one of them are never
//!   used as output, not even with `--force`.
//! - Without `--force`, an existing output is replaced only when it is empty or holds a
//!   previous build and nothing else: every build writes a manifest, `MARKER`, listing
//!   its files, and a folder holding any file not listed there is refused.
//! - The site is written into a staging folder beside the output (same file system), then
//!   swapped with the output in one step (`renameat2` with `RENAME_EXCHANGE` on Linux), so
//!   the output path always holds either the whole old site or the whole new one. The old
//!   site, now in the staging folder, is then removed.
//! - A file of the previous build that the new one writes again with the same bytes is
//!   not written: it is hard-linked into the staging folder, so the swap keeps it (its
//!   inode and date too). Writing it and, worse, freeing the blocks of the old copy cost
//!   most of a rebuild's disk time; reading it to compare costs less. Only a file listed
//!   in the previous build's manifest, reached without a link, regular, held by no other
//!   name, owned by the user and with the permissions a new file gets is kept, so a file
//!   linked in from elsewhere is never tied to the new site.
//! - Folders are walked open (`openat`, `unlinkat` on an open folder, never following a
//!   link), files are written and the old site removed on all cores.
//! - Staging folders of builds that were killed are removed by the next build, once their
//!   manifest shows they were written by rasci and their process is gone.

// Without the `site` feature only the checks of an export's path are used.
#![cfg_attr(not(feature = "site"), allow(dead_code))]

#[cfg(feature = "site")]
use crate::render::site::Site;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The manifest every build writes at the top of its output folder.
pub(crate) const MARKER: &str = ".rasci-build";

/// First line of the manifest; the file names of the build follow, one per line, sorted.
const MARKER_HEADER: &str =
    "# Written by `rasci build`. The next build replaces this folder whole; files below:";

/// Folders and files of a project that an output folder must not be, hold, or lie inside.
const SOURCE_ENTRIES: [&str; 8] = [
    "data",
    "content",
    "themes",
    "templates",
    "static",
    "schemas",
    ".git",
    crate::config::CONFIG_FILE,
];

/// The manifest while it is being written; renamed to [`MARKER`] once complete.
const MARKER_PARTIAL: &str = ".rasci-build.partial";

/// What the staging folders beside an output are called: `.<name>.rasci-staging-<pid>`.
const STAGING_INFIX: &str = ".rasci-staging-";

#[derive(Debug)]
pub(crate) enum WriteError {
    /// The output folder would replace or hold the project's sources: refused even with
    /// `--force`.
    HoldsSources {
        out: PathBuf,
        why: String,
    },
    /// The output exists and is not a previous build: refused unless `--force`.
    NotABuild {
        out: PathBuf,
        why: String,
    },
    /// The output folder is a mount point, which cannot be swapped.
    MountPoint {
        out: PathBuf,
    },
    /// A symbolic link loop or a path with no folder name.
    BadPath {
        out: PathBuf,
        why: String,
    },
    /// A file of the site refused by [`crate::guard`] (a link put in the staging folder).
    Guard(crate::guard::GuardError),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::HoldsSources { out, why } => write!(
                f,
                "refusing to write the site into {}: {why}; rasci never replaces the project, \
                 its inputs, `.git` or a folder holding them, not even with --force; choose \
                 another folder with --out",
                out.display()
            ),
            WriteError::NotABuild { out, why } => write!(
                f,
                "refusing to write the site into {}: {why}; rasci replaces only an empty \
                 folder or one it built before; choose another folder with --out, or pass \
                 --force to delete {} and build there",
                out.display(),
                out.display()
            ),
            WriteError::MountPoint { out } => write!(
                f,
                "refusing to write the site into {}: it is a mount point, which rasci cannot \
                 swap with a complete new site; build into a folder inside it (--out {}) \
                 or beside it",
                out.display(),
                out.join("site").display()
            ),
            WriteError::BadPath { out, why } => {
                write!(f, "cannot use {} as output: {why}", out.display())
            }
            WriteError::Guard(error) => error.fmt(f),
            WriteError::Io(path, error) => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// An output folder that passed the checks: its resolved path and what it holds now.
#[derive(Debug)]
pub(crate) struct Target {
    /// As the user wrote it, for messages.
    pub(crate) given: PathBuf,
    /// Absolute, without `.` or `..`, symbolic links followed.
    pub(crate) path: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(path.to_path_buf(), e)
}

/// [`crate::guard::real_path`], its errors as the output's.
pub(crate) fn real_path(path: &Path) -> Result<PathBuf, WriteError> {
    crate::guard::real_path(path).map_err(|error| match error {
        crate::guard::GuardError::Io(at, e) => WriteError::Io(at, e),
        _ => WriteError::BadPath {
            out: path.to_path_buf(),
            why: "too many symbolic links (a loop?)".into(),
        },
    })
}

/// Why writing `path` (resolved, absolute) would touch the sources of the project at
/// `root_abs`, if it would: the project itself, one of its inputs or `.git` (or a folder
/// holding one), or anything inside a `.git` folder. Shared by the site's output folder
/// and by `export --out`, so no output of rasci ever lands on what it reads.
pub(crate) fn sources_at(root_abs: &Path, path: &Path) -> Result<Option<String>, WriteError> {
    if root_abs.starts_with(path) {
        return Ok(Some(format!(
            "it holds the project ({})",
            root_abs.display()
        )));
    }
    for entry in SOURCE_ENTRIES {
        let source = root_abs.join(entry);
        // A source may itself be a link: protect the folder it points at too.
        let source_target = real_path(&source)?;
        for protected in [&source, &source_target] {
            if path.starts_with(protected) || protected.starts_with(path) {
                return Ok(Some(format!("it is or holds the project's `{entry}`")));
            }
        }
    }
    if path.components().any(|c| c.as_os_str() == ".git") {
        return Ok(Some(
            "it lies inside a git repository's `.git` folder".into(),
        ));
    }
    Ok(None)
}

/// Checks that `out` may be replaced by a build of the project at `root`. With `force`,
/// an existing folder or file of the user's is accepted too, but never the project's
/// sources.
/// Why an output path written inside the project leaves it once links are followed, if
/// it does. The project's own links come with every pull request, so `public` (or
/// `site/out`) linked to a folder elsewhere must not send the site there; an output
/// named outside the project (`--out /srv/site`) is the user's own choice, links and all.
fn leads_out_of_project(
    root: &Path,
    root_abs: &Path,
    out: &Path,
    resolved: &Path,
) -> Result<Option<String>, WriteError> {
    let cwd = std::env::current_dir().map_err(io(out))?;
    let (root_given, out_given) = (lexical(&cwd.join(root)), lexical(&cwd.join(out)));
    if out_given.starts_with(&root_given) && !resolved.starts_with(root_abs) {
        return Ok(Some(format!(
            "it lies in the project but a symbolic link on the way leads out of it (to {}); \
             rasci writes inside the project only where the project's files are",
            resolved.display()
        )));
    }
    Ok(None)
}

/// `path` with `.` dropped and each `..` taking away the name before it, without looking
/// at the file system: where the user wrote the path, before any link is followed.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn check_output(root: &Path, out: &Path, force: bool) -> Result<Target, WriteError> {
    let root_abs = real_path(root)?;
    let path = real_path(out)?;
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::symlink_metadata(&path).is_err()
    {
        return Err(WriteError::BadPath {
            out: out.to_path_buf(),
            why: format!(
                "it is a symbolic link that dangles (to {}); rasci does not create the \
                 folder a link points at",
                path.display()
            ),
        });
    }
    if let Some(why) = leads_out_of_project(root, &root_abs, out, &path)? {
        return Err(WriteError::BadPath {
            out: out.to_path_buf(),
            why,
        });
    }
    // The same of a link in the current folder (a checkout holding the project in a
    // folder of its own, built to `--out public` beside it).
    crate::guard::links_stay_inside(out, Path::new(".")).map_err(guarded)?;
    let sources = |why: String| {
        Err(WriteError::HoldsSources {
            out: out.to_path_buf(),
            why,
        })
    };
    if path.parent().is_none() || path.file_name().is_none() {
        return sources("it is the root of the file system".into());
    }
    if let Some(why) = sources_at(&root_abs, &path)? {
        return sources(why);
    }
    if std::fs::symlink_metadata(path.join(".git")).is_ok() {
        return sources("it holds a git repository (`.git`)".into());
    }
    if let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize())
        && cwd.starts_with(&path)
    {
        return sources("it holds the current folder".into());
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && real_path(Path::new(&home))
            .map(|h| h.starts_with(&path))
            .unwrap_or(false)
    {
        return sources("it holds the home folder".into());
    }
    if !force {
        holds_only_a_build(&path).map_err(|why| WriteError::NotABuild {
            out: out.to_path_buf(),
            why,
        })?;
    }
    if is_mount_point(&path) {
        return Err(WriteError::MountPoint {
            out: out.to_path_buf(),
        });
    }
    Ok(Target {
        given: out.to_path_buf(),
        path,
    })
}

/// `Ok` when `path` is absent, an empty folder, or a previous build holding nothing but
/// the files its manifest lists; otherwise why not, in words.
fn holds_only_a_build(path: &Path) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read it ({e})")),
    };
    if !meta.is_dir() {
        return Err("it is a file, not a folder".into());
    }
    let mut entries = std::fs::read_dir(path).map_err(|e| format!("cannot read it ({e})"))?;
    if entries.next().is_none() {
        return Ok(());
    }
    let Some(listed) = read_manifest(path) else {
        return Err(format!(
            "it holds files and no `{MARKER}` manifest of a previous build"
        ));
    };
    let strays = unlisted_files(path, &listed);
    match strays.as_slice() {
        [] => Ok(()),
        [one] => Err(format!(
            "it holds `{}`, which rasci did not write",
            crate::escape::shown(one)
        )),
        [first, rest @ ..] => Err(format!(
            "it holds `{}` and {} more files that rasci did not write",
            crate::escape::shown(first),
            rest.len()
        )),
    }
}

/// The file names a build's manifest lists, or `None` when `dir` has no valid manifest.
fn read_manifest(dir: &Path) -> Option<std::collections::BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MARKER_HEADER {
        return None;
    }
    Some(lines.map(str::to_string).collect())
}

/// Files (and links, and anything else not a folder) under `dir` that the manifest does
/// not list, relative to `dir` with `/`, sorted.
fn unlisted_files(dir: &Path, listed: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut strays = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let Ok(entry) = entry else {
            strays.push("(an unreadable entry)".to_string());
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if relative != MARKER && !listed.contains(&relative) {
            strays.push(relative);
        }
    }
    strays
}

/// A folder on another file system than its parent. A bind mount of the same file system
/// is not seen here; the swap then fails with `EBUSY`, which reports the same error.
#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(meta), Some(parent)) = (std::fs::symlink_metadata(path), path.parent()) else {
        return false;
    };
    match std::fs::metadata(parent) {
        Ok(up) => meta.dev() != up.dev(),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_path: &Path) -> bool {
    false
}

/// The manifest of `site`: the header, then every file name, sorted (a `Site` keeps them
/// sorted), so two builds of one project write the same bytes.
#[cfg(feature = "site")]
fn manifest(site: &Site) -> String {
    let mut text = String::from(MARKER_HEADER);
    text.push('\n');
    for name in site.files.keys() {
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// Writes `site` to `out`, replacing what was there in one step once the new site is
/// complete. Checks `out` again first (it may have changed while the site was rendered).
#[cfg(feature = "site")]
pub(crate) fn write_site(
    site: &Site,
    root: &Path,
    out: &Path,
    force: bool,
) -> Result<(), WriteError> {
    let target = check_output(root, out, force)?;
    let out = &target.path;
    let parent = out.parent().expect("checked: the output has a parent");
    let name = out
        .file_name()
        .expect("checked: the output has a name")
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    remove_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}{STAGING_INFIX}{}", std::process::id()));
    if std::fs::symlink_metadata(&staging).is_ok() {
        remove_build(&staging).map_err(io(&staging))?;
    }
    // The files a previous build wrote, which this one may keep when they are the same.
    let previous = read_manifest(out).map(|listed| Previous { dir: out, listed });
    if let Err(error) = write_all(site, &staging, previous.as_ref()) {
        let _ = remove_build(&staging);
        return Err(match error {
            // The staging folder itself: name the output the user asked for.
            WriteError::Io(at, e) if at == staging => WriteError::Io(target.given.clone(), e),
            other => other,
        });
    }
    let swapped = swap_into_place(&staging, out);
    // On success the staging path holds the old site; on failure, the unused new one.
    let removed = match std::fs::symlink_metadata(&staging) {
        Ok(meta) if meta.is_dir() => remove_build(&staging),
        Ok(_) => std::fs::remove_file(&staging),
        Err(_) => Ok(()),
    };
    match swapped {
        Err(e) if e.raw_os_error().is_some_and(is_busy_or_cross_device) => {
            Err(WriteError::MountPoint {
                out: target.given.clone(),
            })
        }
        Err(e) => Err(WriteError::Io(target.given.clone(), e)),
        Ok(()) => removed.map_err(io(&staging)),
    }
}

#[cfg(target_os = "linux")]
fn is_busy_or_cross_device(code: i32) -> bool {
    code == libc::EBUSY || code == libc::EXDEV
}

#[cfg(not(target_os = "linux"))]
fn is_busy_or_cross_device(_code: i32) -> bool {
    false
}

/// Puts the complete site at `staging` in place at `out`. Afterwards `staging` holds the
/// previous output, if there was one.
fn swap_into_place(staging: &Path, out: &Path) -> std::io::Result<()> {
    let exists = std::fs::symlink_metadata(out).is_ok();
    if !exists {
        return std::fs::rename(staging, out);
    }
    match exchange(staging, out) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e) => rename_aside(staging, out),
        Err(e) => Err(e),
    }
}

/// Swaps two paths in one step (`renameat2` with `RENAME_EXCHANGE`), which the standard
/// library does not offer.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags};
    Ok(rustix::fs::renameat_with(
        CWD,
        a,
        CWD,
        b,
        RenameFlags::EXCHANGE,
    )?)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

fn exchange_unsupported(error: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if let Some(code) = error.raw_os_error() {
        use rustix::io::Errno;
        return [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP]
            .iter()
            .any(|e| e.raw_os_error() == code);
    }
    error.kind() == ErrorKind::Unsupported
}

/// Where the file system cannot swap: move the old output aside, the new one in, and the
/// old one to `staging`. The output is missing only between the two renames, and is put
/// back if the second fails.
fn rename_aside(staging: &Path, out: &Path) -> std::io::Result<()> {
    let aside = staging.with_file_name(format!(
        "{}-old",
        staging.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    std::fs::rename(&aside, staging)
}

/// Removes the staging folders (and old sites) that killed builds of `name` left in
/// `parent`: only folders named like rasci's staging, of a process that is gone, and
/// holding nothing rasci did not write ([`is_ours`]).
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_INFIX}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.strip_suffix("-old").unwrap_or(rest);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && crate::guard::process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && is_ours(&path) {
            let _ = remove_build(&path);
        }
    }
}

/// Whether a staging folder holds only what a build writes, wherever the build was
/// killed: its files are all listed by its manifest, or, before the manifest was in
/// place, there is no file but the manifest being written. [`write_all`] puts the
/// manifest in place before any other file and [`remove_build`] removes it last, so
/// every moment of a build leaves one of these two.
fn is_ours(dir: &Path) -> bool {
    let listed = read_manifest(dir).unwrap_or_default();
    unlisted_files(dir, &listed)
        .iter()
        .all(|stray| stray == MARKER_PARTIAL)
}

/// Removes a build's folder with its manifest last, so that a removal cut short leaves a
/// folder [`is_ours`] still recognises: files first, then the emptied folders, then the
/// manifest, then the folder itself. Links are removed, never followed.
#[cfg(unix)]
fn remove_build(dir: &Path) -> std::io::Result<()> {
    use crate::guard::at::Dir;
    use rayon::prelude::*;
    let meta = std::fs::symlink_metadata(dir)?;
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Err(ErrorKind::InvalidInput.into());
    };
    if !meta.is_dir() {
        return std::fs::remove_file(dir);
    }
    // The folder holding it, its links followed (the build's own paths are resolved
    // already); inside it, nothing is followed.
    let parent =
        crate::guard::real_path(parent).map_err(|e| std::io::Error::other(e.to_string()))?;
    let parent = Dir::open_real(&parent, false)?;
    let folder = parent.child(name)?;
    folder
        .entries()?
        .par_iter()
        .filter(|(entry, _)| entry != MARKER)
        .try_for_each(|(entry, is_folder)| remove_entry(&folder, entry, *is_folder))?;
    match folder.remove(std::ffi::OsStr::new(MARKER)) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    drop(folder);
    parent.remove_folder(name)
}

/// Removes `name` from the open folder `parent`: a file or link at once, a folder with
/// everything in it, its entries on all cores (each folder of a site has many).
#[cfg(unix)]
fn remove_entry(
    parent: &crate::guard::at::Dir,
    name: &std::ffi::OsStr,
    is_folder: bool,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if !is_folder {
        return parent.remove(name);
    }
    let folder = parent.child(name)?;
    folder
        .entries()?
        .par_iter()
        .try_for_each(|(entry, is_folder)| remove_entry(&folder, entry, *is_folder))?;
    drop(folder);
    parent.remove_folder(name)
}

#[cfg(not(unix))]
fn remove_build(dir: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return std::fs::remove_file(dir);
    }
    let marker = dir.join(MARKER);
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.path() == marker {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::remove_dir(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// The output a previous build wrote, and the files its manifest lists: the only ones
/// a new build may keep.
struct Previous<'a> {
    dir: &'a Path,
    listed: std::collections::BTreeSet<String>,
}

/// Writes the manifest first, complete (written under [`MARKER_PARTIAL`], then renamed), so
/// that a staging folder of a killed build is recognised as rasci's, then every file, each
/// created new and never through a link, or kept from `previous` when it is the same.
#[cfg(feature = "site")]
fn write_all(site: &Site, dir: &Path, previous: Option<&Previous>) -> Result<(), WriteError> {
    std::fs::create_dir(dir).map_err(io(dir))?;
    let partial = dir.join(MARKER_PARTIAL);
    crate::guard::write_file(&partial, manifest(site).as_bytes(), false).map_err(guarded)?;
    let marker = dir.join(MARKER);
    std::fs::rename(&partial, &marker).map_err(io(&marker))?;
    for path in site.files.keys() {
        if !is_plain(path) {
            return Err(WriteError::Guard(crate::guard::GuardError::BadName(
                PathBuf::from(path),
            )));
        }
    }
    write_files(site, dir, previous)
}

/// Whether a file name of the site is plain: folders and a name, none empty, `.` or `..`.
fn is_plain(path: &str) -> bool {
    path.split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\0'))
}

/// Writes the files of `site` into the staging folder `dir`, on all cores: the sorted
/// names are cut into runs, and each run keeps open the folders of its last file, so a
/// folder is opened once per run and never by its path.
#[cfg(all(feature = "site", unix))]
fn write_files(site: &Site, dir: &Path, previous: Option<&Previous>) -> Result<(), WriteError> {
    use crate::guard::at::Dir;
    use rayon::prelude::*;
    let staging = Dir::open_real(dir, false).map_err(io(dir))?;
    // What a file written now gets (the mode less the umask), read off the manifest.
    let permissions = staging
        .permissions(std::ffi::OsStr::new(MARKER))
        .map_err(io(dir))?;
    let old = previous.and_then(|p| Some((Dir::open_real(p.dir, false).ok()?, &p.listed)));
    let files: Vec<(&String, &bytes::Bytes)> = site.files.iter().collect();
    let run = files
        .len()
        .div_ceil(rayon::current_num_threads() * 8)
        .max(1);
    files.par_chunks(run).try_for_each(|run| {
        let mut open = OpenFolders {
            staging: &staging,
            old: old.as_ref().map(|(d, _)| d),
            path: Vec::new(),
        };
        for (path, bytes) in run {
            let target = || dir.join(path);
            let (folders, name) = match path.rsplit_once('/') {
                Some((folders, name)) => (folders.split('/').collect::<Vec<_>>(), name),
                None => (Vec::new(), path.as_str()),
            };
            let name = std::ffi::OsStr::new(name);
            let (into, from) = open
                .enter(&folders)
                .map_err(|e| WriteError::Io(target(), e))?;
            let listed = old
                .as_ref()
                .is_some_and(|(_, listed)| listed.contains(*path));
            if let (Some(from), true) = (from, listed)
                && into
                    .link_same(from, name, bytes, permissions)
                    .map_err(|e| WriteError::Io(target(), e))?
            {
                continue;
            }
            use std::io::Write;
            into.create_new(name)
                .and_then(|mut file| file.write_all(bytes))
                .map_err(|e| WriteError::Io(target(), e))?;
        }
        Ok(())
    })
}

/// The folders of the last file written, open in the staging folder and, where it has
/// them, in the previous output.
#[cfg(unix)]
struct OpenFolders<'a> {
    staging: &'a crate::guard::at::Dir,
    old: Option<&'a crate::guard::at::Dir>,
    path: Vec<(String, crate::guard::at::Dir, Option<crate::guard::at::Dir>)>,
}

#[cfg(unix)]
impl OpenFolders<'_> {
    /// Opens `folders` (made in the staging folder where missing), keeping those the last
    /// file shared; returns the innermost in the staging folder and in the old output.
    fn enter(
        &mut self,
        folders: &[&str],
    ) -> std::io::Result<(&crate::guard::at::Dir, Option<&crate::guard::at::Dir>)> {
        let shared = self
            .path
            .iter()
            .zip(folders)
            .take_while(|((name, _, _), folder)| name == *folder)
            .count();
        self.path.truncate(shared);
        for folder in &folders[shared..] {
            let name = std::ffi::OsStr::new(folder);
            let (staging, old) = match self.path.last() {
                Some((_, staging, old)) => (staging, old.as_ref()),
                None => (self.staging, self.old),
            };
            match staging.make_folder(name) {
                Err(e) if e.kind() != ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
            let opened = (staging.child(name)?, old.and_then(|d| d.child(name).ok()));
            self.path.push((folder.to_string(), opened.0, opened.1));
        }
        Ok(match self.path.last() {
            Some((_, staging, old)) => (staging, old.as_ref()),
            None => (self.staging, self.old),
        })
    }
}

#[cfg(all(feature = "site", not(unix)))]
fn write_files(site: &Site, dir: &Path, _previous: Option<&Previous>) -> Result<(), WriteError> {
    for (path, bytes) in &site.files {
        let target = dir.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
        }
        crate::guard::write_file(&target, bytes, false).map_err(guarded)?;
    }
    Ok(())
}

/// A refusal of the guard as an error of the output.
fn guarded(error: crate::guard::GuardError) -> WriteError {
    match error {
        crate::guard::GuardError::Io(at, e) => WriteError::Io(at, e),
        other => WriteError::Guard(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir_all(root.join("data")).unwrap();
        for out in [
            root.clone(),
            root.join("data"),
            root.join("data/x"),
            root.join("public/../data"),
            root.join("nope/../../project"),
            root.join(".git"),
            root.join("schemas"),
            dir.path().to_path_buf(),
        ] {
            assert!(
                matches!(
                    check_output(&root, &out, true),
                    Err(WriteError::HoldsSources { .. })
                ),
                "{}",
                out.display()
            );
        }
        assert!(check_output(&root, &root.join("public"), false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn resolving_follows_links_and_applies_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
        assert_eq!(
            real_path(&base.join("link/../c")).unwrap(),
            base.join("a/c")
        );
        assert_eq!(
            real_path(&base.join("missing/../x")).unwrap(),
            base.join("x")
        );
        assert_eq!(real_path(&base.join("./a/./b/")).unwrap(), base.join("a/b"));
        std::os::unix::fs::symlink(base.join("loop"), base.join("loop")).unwrap();
        assert!(real_path(&base.join("loop/x")).is_err());
    }

    #[test]
    #[cfg(feature = "site")]
    fn writing_replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut site = Site::default();
        site.insert("index.html", "old");
        site.insert("stale.html", "old");
        write_site(&site, &dir.path().join("project"), &out, false).unwrap();
        let mut site = Site::default();
        site.insert("index.html", "new");
        site.insert("a/b.txt", "b");
        write_site(&site, &dir.path().join("project"), &out, false).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            format!("{MARKER_HEADER}\na/b.txt\nindex.html\n")
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }

    #[test]
    #[cfg(feature = "site")]
    fn a_file_added_to_a_build_makes_it_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut site = Site::default();
        site.insert("index.html", "old");
        write_site(&site, &dir.path().join("project"), &out, false).unwrap();
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let error = write_site(&site, &dir.path().join("project"), &out, false).unwrap_err();
        assert!(error.to_string().contains("`CNAME`"), "{error}");
        assert!(out.join("CNAME").exists());
    }

    #[test]
    fn leftovers_of_a_dead_build_are_removed_and_foreign_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = u32::MAX / 2; // no such process
        let ours = dir.path().join(format!(".public{STAGING_INFIX}{dead}"));
        std::fs::create_dir_all(ours.join("a")).unwrap();
        std::fs::write(ours.join(MARKER), format!("{MARKER_HEADER}\na/x.html\n")).unwrap();
        std::fs::write(ours.join("a/x.html"), "x").unwrap();
        let foreign = dir
            .path()
            .join(format!(".public{STAGING_INFIX}{}", dead + 1));
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        remove_leftovers(dir.path(), "public");
        assert!(!ours.exists());
        assert!(foreign.join("notes.txt").exists());
    }

    #[test]
    fn a_build_killed_before_its_manifest_was_complete_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let dead = u32::MAX / 2;
        let partial = dir.path().join(format!(".public{STAGING_INFIX}{dead}"));
        std::fs::create_dir_all(&partial).unwrap();
        std::fs::write(partial.join(MARKER_PARTIAL), &MARKER_HEADER[..10]).unwrap();
        // Its files listed, some of them removed: the removal of an old site cut short.
        let half_removed = dir
            .path()
            .join(format!(".public{STAGING_INFIX}{}", dead + 1));
        std::fs::create_dir_all(half_removed.join("a")).unwrap();
        std::fs::write(
            half_removed.join(MARKER),
            format!("{MARKER_HEADER}\na/x.html\nb.html\n"),
        )
        .unwrap();
        std::fs::write(half_removed.join("a/x.html"), "x").unwrap();
        remove_leftovers(dir.path(), "public");
        assert!(!partial.exists());
        assert!(!half_removed.exists());
    }
}
