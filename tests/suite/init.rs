//! `rasci init` writes a project that checks and builds without a finding, and never
//! overwrites an existing one.

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn init_writes_a_project_that_checks_and_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hub");
    Command::cargo_bin("rasci")
        .unwrap()
        .arg("init")
        .arg(&root)
        .assert()
        .success()
        .stdout(predicate::str::contains("rasci.yaml"));
    for file in [
        "rasci.yaml",
        "data/parties.yaml",
        "data/scopes.yaml",
        "data/tasks.yaml",
        "content/_index.md",
        "schemas/tasks.schema.json",
    ] {
        assert!(root.join(file).is_file(), "{file} was not written");
    }

    let (_, findings) = rasci::pipeline::check_project(&root).unwrap();
    assert!(
        findings.diagnostics.is_empty(),
        "{:?}",
        findings.diagnostics
    );
    let built = rasci::pipeline::build(&root).unwrap();
    assert!(
        built.findings.diagnostics.is_empty(),
        "{:?}",
        built.findings.diagnostics
    );
    assert!(built.site.files.contains_key("cloud/index.html"));
}

#[test]
fn init_refuses_to_overwrite_a_project() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rasci.yaml"), "title: mine\n").unwrap();
    Command::cargo_bin("rasci")
        .unwrap()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rasci.yaml")).unwrap(),
        "title: mine\n"
    );
    assert!(!dir.path().join("data").exists());
}
