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
pub(crate) enum InitError {
    /// The folder already holds a project (or data that would be overwritten).
    Exists(PathBuf),
    /// A path is refused by the rule every writer follows (a link, a file for a folder).
    Refused(crate::guard::GuardError),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Exists(path) => write!(
                f,
                "{} already exists; rasci init does not overwrite a project",
                path.display()
            ),
            InitError::Refused(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for InitError {}

/// Writes a new project into `root` (created if missing) and returns the files written.
/// Every file is planned and checked first ([`crate::guard`]): nothing is written when any
/// of them exists already with other contents (or all of them do), or when a link on the
/// way dangles or leads out of `root`.
pub(crate) fn init(root: &Path) -> Result<Vec<PathBuf>, InitError> {
    let mut plan = crate::guard::Plan::new(root).map_err(InitError::Refused)?;
    for (path, text) in FILES {
        plan.file(path, *text);
    }
    for (name, schema) in crate::schema::all() {
        plan.file(
            Path::new("schemas").join(name),
            crate::schema::to_text(&schema),
        );
    }
    plan.check().map_err(InitError::Refused)?;
    // Files an init killed half-way wrote, unchanged since, are taken as written, so
    // running it again completes the project; a project that is whole is refused.
    let kept = plan.keep_identical();
    let existing = plan.check().map_err(InitError::Refused)?;
    if let Some(first) = existing.into_iter().next() {
        return Err(InitError::Exists(first));
    }
    if kept.len() == plan.len()
        && let Some(first) = kept.into_iter().next()
    {
        return Err(InitError::Exists(first));
    }
    plan.write(false).map_err(InitError::Refused)
}
