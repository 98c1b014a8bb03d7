//! Helpers shared by the integration tests and benchmarks (each includes this file as a
//! module, and each uses only some of it).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Copies the folder `from` into `to`, recursively, creating `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Copies a project's `rasci.yaml`, `data/` and `content/` (whichever exist) from
/// `project` to `into/project`, and returns the copy's root.
pub fn copy_project(project: &Path, into: &Path) -> PathBuf {
    let root = into.join("project");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(project.join("rasci.yaml"), root.join("rasci.yaml")).unwrap();
    for folder in ["data", "content"] {
        if project.join(folder).is_dir() {
            copy_dir(&project.join(folder), &root.join(folder));
        }
    }
    root
}

/// The repository's own example project, copied into `into/project`.
pub fn copy_example(into: &Path) -> PathBuf {
    copy_project(Path::new(env!("CARGO_MANIFEST_DIR")), into)
}
