//! Lists of scopes and sections that hide or repeat work: a task whose `scopes:` names
//! only scopes that do not show its section, a section listed twice, and the messages of
//! references between models, scopes and shortcodes.

use crate::support;
use rasci::diagnostic::Diagnostic;
use rasci::model::Project;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    support::fixtures().join("models")
}

fn models_project() -> support::Project {
    support::Project::from_dir(&fixture())
}

/// `rule | message | path:line:col | help` of each finding of the project at `root`.
fn findings(root: &Path) -> Vec<String> {
    let (project, findings) = rasci::pipeline::check_project(root).expect("project loads");
    lines(&project, &findings.diagnostics)
}

fn lines(project: &Project, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let at = match &d.primary {
                Some(label) => {
                    let start = project.sources.start(label.span);
                    format!(
                        "{}:{}:{}",
                        project.sources.path(label.span.file),
                        start.line,
                        start.column
                    )
                }
                None => "-".to_string(),
            };
            format!(
                "{} | {} | {at} | {}",
                d.rule,
                d.message,
                d.help.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// The fixture's file `path` with the first `from` replaced by `to` (which must be there).
fn fixture_file_with(path: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(fixture().join(path)).unwrap();
    assert!(text.contains(from), "{from:?} in {path}");
    text.replacen(from, to, 1)
}

fn exit_code(root: &Path) -> Option<i32> {
    support::rasci()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap()
        .status
        .code()
}

#[test]
fn a_task_only_in_scopes_that_do_not_show_its_section_is_an_error() {
    // `provide-tenant` is in section `cloud`, which only scope `cloud` shows.
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "        title: Provide the tenant\n",
        "        title: Provide the tenant\n        scopes: [onprem]\n",
    );
    let built = models_project()
        .file("data/tasks/customer.yaml", &text)
        .build();
    assert_eq!(
        findings(built.root()),
        [
            "rasci/task-outside-scopes | task `provide-tenant` in model `customer` applies only in scopes that do not show its section `cloud`, so no table shows it | data/tasks/customer.yaml:27:18 | section `cloud` is shown by scope `cloud`: list one of them in the task's `scopes:`, or show the section in this scope",
        ]
    );
    assert_eq!(exit_code(built.root()), Some(1));
}

#[test]
fn a_task_in_one_scope_that_shows_its_section_is_clean() {
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "        title: Provide the tenant\n",
        "        title: Provide the tenant\n        scopes: [onprem, cloud]\n",
    );
    let built = models_project()
        .file("data/tasks/customer.yaml", &text)
        .build();
    assert_eq!(findings(built.root()), Vec::<String>::new());
}

/// (model id, scope id) → task ids in matrix order.
fn matrix_rows(root: &Path) -> Vec<(String, String, Vec<String>)> {
    let loaded = rasci::pipeline::load(root).expect("project loads");
    let project = loaded.project;
    rasci::resolve::resolve(&project)
        .iter()
        .map(|m| {
            (
                project.models[m.model].id().unwrap_or("").to_string(),
                m.scope.id.value.clone(),
                m.rows().map(|r| r.task.id.value.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn a_section_listed_twice_in_a_scope_is_a_duplicate_and_shown_once() {
    let scopes = fixture_file_with(
        "data/scopes.yaml",
        "    sections: [general, cloud]\n",
        "    sections: [general, cloud, general]\n",
    );
    let built = models_project().file("data/scopes.yaml", &scopes).build();
    assert_eq!(
        findings(built.root()),
        [
            "ref/duplicate-id | section `general` is listed twice in the sections of scope `cloud` | data/scopes.yaml:5:32 | list each section once",
        ]
    );
    assert_eq!(exit_code(built.root()), Some(1));
    let rows = matrix_rows(built.root());
    assert_eq!(
        rows[0].2,
        [
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "training",
            "provide-tenant"
        ]
    );
}

#[test]
fn a_section_listed_twice_in_a_models_sections_is_a_duplicate_and_shown_once() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n    sections:\n      onprem: [onprem, general, onprem]\n",
    );
    let built = models_project().file("data/models.yaml", &models).build();
    assert_eq!(
        findings(built.root()),
        [
            "ref/duplicate-id | section `onprem` is listed twice in the sections of model `customer` for `onprem` | data/models.yaml:8:33 | list each section once",
        ]
    );
    let rows = matrix_rows(built.root());
    assert_eq!(
        rows[1].2,
        [
            "provide-servers",
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "patching",
            "training"
        ]
    );
}
