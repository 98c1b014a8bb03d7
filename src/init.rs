//! `rasci init`: start a new project with a small, valid example to edit.

use std::path::{Path, PathBuf};

/// Files of a new project: (path, contents). The example checks with no finding, so a new
/// user's first `rasci check` is green and every later finding is their own.
const FILES: &[(&str, &str)] = &[
    (
        "rasci.yaml",
        "# yaml-language-server: $schema=schemas/rasci.schema.json\n\
         title: Operational Support\n\
         description: Who does what in operational support.\n",
    ),
    (
        "data/parties.yaml",
        "# yaml-language-server: $schema=../schemas/parties.schema.json\n\
         parties:\n  \
           - id: vendor\n    name: Vendor\n  \
           - id: customer\n    name: Customer\n",
    ),
    (
        "data/scopes.yaml",
        "# yaml-language-server: $schema=../schemas/scopes.schema.json\n\
         scopes:\n  \
           - id: cloud\n    name: Cloud\n    sections: [general]\n",
    ),
    (
        "data/tasks.yaml",
        "# yaml-language-server: $schema=../schemas/tasks.schema.json\n\
         sections:\n  \
           - id: general\n    tasks:\n      \
             - id: first-line-support\n        title: First-line support for users\n        \
               rasci: { customer: \"A, R\", vendor: I }\n      \
             - id: product-fixes\n        title: Fixing defects in the product\n        \
               rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Operational Support\ndescription: Who does what, per deployment.\n---\n\n\
         Welcome. Each deployment has a page with its RASCI matrix.\n",
    ),
];

#[derive(Debug)]
pub enum InitError {
    /// The folder already holds a project (or data that would be overwritten).
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Exists(path) => write!(
                f,
                "{} already exists; rasci init does not overwrite a project",
                path.display()
            ),
            InitError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// Writes a new project into `root` (created if missing) and returns the files written.
/// Nothing is written when any of them exists already.
pub fn init(root: &Path) -> Result<Vec<PathBuf>, InitError> {
    for (path, _) in FILES {
        let path = root.join(path);
        if path.exists() {
            return Err(InitError::Exists(path));
        }
    }
    let mut written = Vec::new();
    let mut write = |path: PathBuf, text: &str| -> Result<(), InitError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.into(), e))?;
        }
        std::fs::write(&path, text).map_err(|e| InitError::Io(path.clone(), e))?;
        written.push(path);
        Ok(())
    };
    for (path, text) in FILES {
        write(root.join(path), text)?;
    }
    for (name, schema) in crate::schema::all() {
        write(
            root.join("schemas").join(name),
            &crate::schema::to_text(&schema),
        )?;
    }
    Ok(written)
}
