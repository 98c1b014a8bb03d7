//! Write: put a rendered site on disk without ever leaving a half-written output.
//!
//! The site goes into a temporary folder beside the output (same file system, so a rename
//! is cheap and cannot fail half-way), then the old output is moved aside and the new one
//! renamed into place. A folder that holds the project's sources is never used as output:
//! replacing it would delete them.

use crate::render::Site;
use std::path::{Path, PathBuf};

/// Folders and files of a project that an output folder must not be, nor contain.
const SOURCE_ENTRIES: [&str; 6] = [
    "data",
    "content",
    "themes",
    "templates",
    "static",
    crate::config::CONFIG_FILE,
];

#[derive(Debug)]
pub enum WriteError {
    /// The output folder would replace or hold the project's sources.
    HoldsSources {
        out: PathBuf,
        why: String,
    },
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::HoldsSources { out, why } => {
                write!(
                    f,
                    "refusing to write the site into {}: {why}",
                    out.display()
                )
            }
            WriteError::Io(path, error) => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// An absolute, cleaned path, whether or not it exists yet: existing ancestors are
/// canonicalized (resolving symbolic links), the rest is appended.
fn absolute(path: &Path) -> Result<PathBuf, WriteError> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| WriteError::Io(path.to_path_buf(), e))?
            .join(path)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(canonical) => {
                let mut result = canonical;
                for part in rest.iter().rev() {
                    result.push(part);
                }
                return Ok(result);
            }
            Err(_) => match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => return Ok(joined),
            },
        }
    }
}

/// Refuses an output folder that is the project root, one of its source folders, inside
/// one of them, or above the project (a parent folder holds the sources too).
pub fn check_output(root: &Path, out: &Path) -> Result<(), WriteError> {
    let root = absolute(root)?;
    let out_abs = absolute(out)?;
    let refuse = |why: String| {
        Err(WriteError::HoldsSources {
            out: out.to_path_buf(),
            why,
        })
    };
    if root.starts_with(&out_abs) {
        return refuse("it holds the project".into());
    }
    for entry in SOURCE_ENTRIES {
        let source = root.join(entry);
        if out_abs.starts_with(&source) {
            return refuse(format!("it is part of the project's `{entry}`"));
        }
    }
    Ok(())
}

/// Writes `site` to `out`, replacing what was there only once the new site is complete.
pub fn write_site(site: &Site, root: &Path, out: &Path) -> Result<(), WriteError> {
    check_output(root, out)?;
    let out = absolute(out)?;
    let parent = out
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(error) = write_all(site, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    let had_output = out.exists();
    if had_output {
        std::fs::rename(&out, &retired).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            WriteError::Io(out.clone(), e)
        })?;
    }
    if let Err(error) = std::fs::rename(&staging, &out) {
        // Put the previous site back so the output is never left missing.
        if had_output {
            let _ = std::fs::rename(&retired, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(WriteError::Io(out.clone(), error));
    }
    if had_output {
        std::fs::remove_dir_all(&retired).map_err(|e| WriteError::Io(retired.clone(), e))?;
    }
    Ok(())
}

fn write_all(site: &Site, dir: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
    for (path, bytes) in &site.files {
        let target = dir.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(|e| WriteError::Io(folder.to_path_buf(), e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| WriteError::Io(target.clone(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("data")).unwrap();
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, &root.join("data")).is_err());
        assert!(check_output(root, &root.join("data/x")).is_err());
        assert!(check_output(root, root.parent().unwrap()).is_err());
        assert!(check_output(root, &root.join("public")).is_ok());
    }

    #[test]
    fn writing_replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let mut site = Site::default();
        site.insert("index.html", "new");
        site.insert("a/b.txt", "b");
        write_site(&site, &dir.path().join("project"), &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }
}
