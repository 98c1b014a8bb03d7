//! Walking the project's folders (`data/`, `content/`, the theme and `templates/`) with
//! one rule for symbolic links: a link is followed when its target lies inside the
//! project root, and refused otherwise. A refused link, a link to nothing and a loop of
//! links are each reported at the link; no file is ever skipped without a word.

use super::files::LoadError;
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::source::{Sources, Span};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file found by [`walk`]: its path (through links, as the writer sees it) and its depth
/// below the folder walked (1 for a file directly in it).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) path: PathBuf,
    pub(crate) depth: usize,
}

/// A link that was not followed, and why.
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    pub(crate) path: PathBuf,
    pub(crate) reason: String,
}

/// The files under `dir` in path order, and the links refused on the way. Nothing when
/// `dir` is absent.
pub(crate) fn walk(root: &Path, dir: &Path) -> Result<(Vec<Found>, Vec<Refused>), LoadError> {
    walk_noting_links(root, dir).map(|walked| (walked.files, walked.refused))
}

/// What [`walk_noting_links`] found.
pub(crate) struct Walked {
    pub(crate) files: Vec<Found>,
    pub(crate) refused: Vec<Refused>,
    /// Whether a symbolic link was followed (or refused) on the way: a file reached
    /// through one may change without an event for the path the walk gave.
    pub(crate) links: bool,
}

/// [`walk`], telling whether it met a symbolic link.
pub(crate) fn walk_noting_links(root: &Path, dir: &Path) -> Result<Walked, LoadError> {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let mut links = false;
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(Walked {
            files,
            refused,
            links,
        });
    }
    let canonical_root = root
        .canonicalize()
        .map_err(|e| LoadError::Io(root.to_path_buf(), e))?;
    // `dir` itself may lie behind a link in one of its parents (`themes -> /elsewhere`).
    match dir.canonicalize() {
        Ok(target) if !target.starts_with(&canonical_root) => {
            refused.push(Refused {
                path: dir.to_path_buf(),
                reason: format!("it leads outside the project, to {}", target.display()),
            });
            return Ok(Walked {
                files,
                refused,
                links: true,
            });
        }
        Ok(target) if dir.is_absolute() && target != dir => links = true,
        _ => {}
    }
    let mut outside = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if !entry.path_is_symlink() {
                return true;
            }
            links = true;
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => true,
                Ok(target) => {
                    outside.push(Refused {
                        path: entry.path().to_path_buf(),
                        reason: format!("it leads outside the project, to {}", target.display()),
                    });
                    false
                }
                Err(error) => {
                    outside.push(Refused {
                        path: entry.path().to_path_buf(),
                        reason: format!("it cannot be followed ({error})"),
                    });
                    false
                }
            }
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() {
                    files.push(Found {
                        depth: entry.depth(),
                        path: entry.into_path(),
                    });
                }
            }
            Err(error) => {
                let path = error.path().unwrap_or(dir).to_path_buf();
                if let Some(ancestor) = error.loop_ancestor() {
                    refused.push(Refused {
                        reason: format!(
                            "it leads back to {}, a folder that holds it (a loop of links)",
                            super::files::relative(root, ancestor)
                        ),
                        path,
                    });
                } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) {
                    let why = error
                        .io_error()
                        .map_or_else(|| error.to_string(), ToString::to_string);
                    refused.push(Refused {
                        reason: format!("it cannot be followed ({why})"),
                        path,
                    });
                } else {
                    return Err(LoadError::Io(path, error.into()));
                }
            }
        }
    }
    refused.extend(outside);
    refused.sort_by(|a, b| a.path.cmp(&b.path));
    links |= !refused.is_empty();
    Ok(Walked {
        files,
        refused,
        links,
    })
}

/// Reports each refused link as a finding at the link.
pub(crate) fn report(
    root: &Path,
    refused: &[Refused],
    sources: &mut Sources,
    findings: &mut Findings,
) {
    for link in refused {
        let name = super::files::relative(root, &link.path);
        let file = sources.add(name.clone(), String::new());
        findings.push(
            Diagnostic::new(
                RuleId::FileSymlink,
                format!("`{name}` is a symbolic link that is not followed: {}", link.reason),
            )
            .at(Span::new(file, 0, 0), "not read")
            .help("links are followed only to files and folders inside the project folder; copy the file into the project or point the link inside it"),
        );
    }
}
