//! The last check of one project, as the requests read it, and the check that makes it:
//! a leaf of `lsp/`, so the requests (`features`) and the loop (`mod`) both take it from
//! here.

use super::index::Index;
use crate::diagnostic::Findings;
use crate::load::content::ContentPage;
use crate::load::files::Unsaved;
use crate::model::Project;
use crate::source::FileId;
use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The last check of one project.
pub struct Checked {
    pub root: PathBuf,
    pub project: Project,
    pub content: Vec<ContentPage>,
    pub findings: Findings,
    pub index: Arc<Index>,
    /// When a data file could not be read or parsed in this check (the writer is in the
    /// middle of typing), the index of the last check that read them all: completion
    /// still offers the ids the broken file defined.
    pub earlier: Option<Arc<Index>>,
    /// The load failed as a whole (no `rasci.yaml` any more, a folder unreadable).
    pub failure: Option<String>,
}

impl Checked {
    /// The file id of an absolute path, if the project read it.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let relative = crate::load::files::relative(Path::new(""), relative);
        self.project
            .sources
            .files()
            .find(|(_, f)| f.path == relative)
            .map(|(id, _)| id)
    }

    pub fn path(&self, file: FileId) -> PathBuf {
        self.root.join(self.project.sources.path(file))
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.project.sources.get(file).text
    }
}

pub(crate) fn empty(root: &Path) -> Checked {
    Checked {
        root: root.to_path_buf(),
        project: crate::load::empty_project(root),
        content: Vec::new(),
        findings: Findings::default(),
        index: Arc::default(),
        earlier: None,
        failure: None,
    }
}

/// Loads and checks the project at `root` as `rasci check` does, on the editor's text of
/// open files. A panic anywhere in the stages is a bug, but it stops one check, never the
/// server: the project is then shown as not checked.
pub fn check(root: &Path, unsaved: &Unsaved, memo: &mut crate::pipeline::Memo) -> Checked {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::pipeline::check_unsaved(root, unsaved, memo)
    }));
    match result {
        Ok(Ok((project, content, mut findings))) => {
            findings.sort(&project.sources);
            let index = Arc::new(Index::build(&project, &content));
            Checked {
                root: root.to_path_buf(),
                project,
                content,
                findings,
                index,
                earlier: None,
                failure: None,
            }
        }
        Ok(Err(error)) => Checked {
            failure: Some(error.to_string()),
            ..empty(root)
        },
        Err(_) => {
            *memo = crate::pipeline::Memo::default();
            Checked {
                failure: Some("the check stopped on an internal error; please report it".into()),
                ..empty(root)
            }
        }
    }
}

/// The `file:` URI of a local path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}
