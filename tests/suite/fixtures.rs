//! The test projects themselves: the base project is clean, the rule fixtures hold only
//! what sets them apart from it, and the project builder writes exactly what it is given.

use crate::support::{Project, fixtures, rule_fixtures};
use std::path::{Path, PathBuf};

/// Every file under `dir` (symbolic links included, not followed), relative to `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// The `good` and `bad` folders under `tests/fixtures/rules`.
fn twin_folders() -> Vec<PathBuf> {
    walkdir::WalkDir::new(rule_fixtures())
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir() && (e.file_name() == "good" || e.file_name() == "bad"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn the_base_project_checks_clean() {
    let project = Project::base().build();
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(
        (checked.code, checked.rules()),
        (0, Vec::new()),
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn rule_fixtures_hold_only_what_differs_from_the_base() {
    let base = fixtures().join("base");
    let folders = twin_folders();
    assert!(folders.len() > 70, "only {} fixture folders", folders.len());
    let mut problems = Vec::new();
    for folder in &folders {
        let files = files_under(folder);
        let name = folder.strip_prefix(rule_fixtures()).unwrap().display();
        if files.is_empty() {
            problems.push(format!(
                "{name} is empty: git does not keep it; add a .gitkeep"
            ));
        }
        for file in &files {
            let in_base = base.join(file);
            let path = folder.join(file);
            if file.file_name().unwrap() == ".gitkeep" {
                if files.len() > 1 {
                    problems.push(format!("{name} holds files and a .gitkeep"));
                }
            } else if !path.is_symlink()
                && in_base.is_file()
                && std::fs::read(&path).unwrap() == std::fs::read(&in_base).unwrap()
            {
                problems.push(format!(
                    "{name}/{} is the base project's: remove it",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_project_is_written_with_its_changes_and_nothing_else() {
    let project = Project::base()
        .file("data/tasks.yaml", "sections: []\n")
        .file("content/guide.md", "---\ntitle: Guide\n---\n")
        .without("data/scopes.yaml")
        .build();
    let mut expected: Vec<PathBuf> = files_under(&fixtures().join("base"))
        .into_iter()
        .filter(|f| f != Path::new("data/scopes.yaml"))
        .chain([PathBuf::from("content/guide.md")])
        .collect();
    expected.sort();
    assert_eq!(files_under(project.root()), expected);
    assert_eq!(project.read("data/tasks.yaml"), "sections: []\n");
    assert_eq!(
        project.read("data/parties.yaml"),
        std::fs::read_to_string(fixtures().join("base/data/parties.yaml")).unwrap()
    );
    assert!(
        !project.beside("out").starts_with(project.root()),
        "beside() is outside the project"
    );
}

#[test]
#[should_panic(expected = "the project holds no data/flows.yaml")]
fn removing_a_file_the_project_does_not_hold_is_a_mistake_of_the_test() {
    let _ = Project::base().without("data/flows.yaml");
}

#[cfg(unix)]
#[test]
fn links_within_a_fixture_stay_within_and_links_out_of_it_lead_out() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("fixture");
    std::fs::create_dir_all(fixture.join("data")).unwrap();
    std::fs::create_dir_all(fixture.join("shared")).unwrap();
    std::fs::write(fixture.join("shared/glossary.yaml"), "terms: []\n").unwrap();
    std::fs::write(dir.path().join("outside.yaml"), "terms: []\n").unwrap();
    std::os::unix::fs::symlink("../shared/glossary.yaml", fixture.join("data/inside.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("../../outside.yaml", fixture.join("data/outside.yaml")).unwrap();

    let project = Project::empty().overlay(&fixture).build();
    assert_eq!(
        std::fs::read_link(project.root().join("data/inside.yaml")).unwrap(),
        Path::new("../shared/glossary.yaml")
    );
    let out = std::fs::read_link(project.root().join("data/outside.yaml")).unwrap();
    assert_eq!(
        out,
        std::fs::canonicalize(dir.path().join("outside.yaml")).unwrap()
    );
    assert!(!out.starts_with(project.root()));
}
