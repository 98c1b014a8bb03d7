//! The pipeline's promises: `rasci check` runs no part of the renderer, a preview's
//! rebuild resolves and checks the project once and renders from that check, and the
//! built site is held once, shared by the build and its memo.

use assert_cmd::Command;
use predicates::prelude::*;
use rasci::pipeline::{self, Rebuild, StageRuns, stage_runs};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::support as common;
use common::{copy_example, copy_project};

fn site_basic(into: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic");
    copy_project(&fixture, into)
}

fn rasci() -> Command {
    let mut command = Command::cargo_bin("rasci").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// The stages this thread ran while `work` ran.
fn runs_of<T>(work: impl FnOnce() -> T) -> (T, StageRuns) {
    let before = stage_runs();
    let result = work();
    (result, stage_runs().since(before))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_broken_theme_template_fails_the_build_but_not_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_basic(dir.path());
    std::fs::create_dir_all(root.join("templates")).unwrap();
    // `}` where `}}` should close the expression: Tera refuses to parse the template.
    std::fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}{{ page.body | safe }\n",
    )
    .unwrap();
    let theme_error = "theme template error";

    rasci()
        .args(["check", "--root"])
        .arg(&root)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings"))
        .stderr(predicate::str::contains(theme_error).not());
    rasci()
        .args(["check", "--site", "--root"])
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(theme_error).and(predicate::str::contains("page.html")));
    rasci()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(dir.path().join("public"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(theme_error));
    assert!(!dir.path().join("public").exists());

    // Plain check still finds a broken link written in Markdown, at the link.
    let guide = root.join("content/guide.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    let line = text.lines().count() + 2;
    std::fs::write(&guide, format!("{text}\nSee [the plan](missing.md).\n")).unwrap();
    rasci()
        .args(["check", "--root"])
        .arg(&root)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("broken link `missing.md`")
                .and(predicate::str::contains(format!(
                    "content/guide.md:{line}:5"
                )))
                .and(predicate::str::contains(theme_error).not()),
        );
}

#[test]
fn checking_runs_no_render() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let (checked, runs) = runs_of(|| pipeline::check_project(&root).unwrap());
    assert_eq!(
        runs,
        StageRuns {
            checks: 1,
            renders: 0,
            plans: 1,
        }
    );
    assert_eq!(checked.1.errors(), 0);
}

#[test]
fn a_rebuild_checks_once_and_renders_from_that_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let ((_, memo), runs) = runs_of(|| pipeline::build_reusing(&root, None).unwrap());
    let once = StageRuns {
        checks: 1,
        renders: 1,
        plans: 1,
    };
    assert_eq!(runs, once);

    // A text edit: checked once, rendered once, from the previous memo; planned not at
    // all, since no front matter, data file or config changed.
    edit(
        &root.join("content/submission-guidelines.md"),
        "P1",
        "P1 (urgent)",
    );
    let (rebuilt, runs) = runs_of(|| pipeline::rebuild(&root, Some(memo)).unwrap());
    assert_eq!(runs, StageRuns { plans: 0, ..once });
    let Rebuild::Built(built, memo) = rebuilt else {
        panic!("a clean project is rendered");
    };
    assert_eq!(built.findings.errors(), 0);
    assert_eq!(
        memo.rendered_pages(),
        2,
        "the guidelines, in each deployment"
    );

    // A data error: checked once, not rendered, and the memo is handed back.
    let tasks = root.join("data/tasks.yaml");
    edit(&tasks, "id: monitoring", "id: Monitoring!");
    let (rebuilt, runs) = runs_of(|| pipeline::rebuild(&root, Some(memo)).unwrap());
    assert_eq!(
        runs,
        StageRuns {
            checks: 1,
            renders: 0,
            plans: 0,
        }
    );
    let Rebuild::Stopped {
        findings, previous, ..
    } = rebuilt
    else {
        panic!("a project with errors is not rendered");
    };
    assert!(findings.errors() > 0);
    assert!(
        previous.site().is_some(),
        "the render memo given is handed back"
    );
    let memo = previous;

    // Fixed again: the handed-back memo still serves, so only what changed is rendered.
    edit(&tasks, "id: Monitoring!", "id: monitoring");
    edit(
        &root.join("content/submission-guidelines.md"),
        "P1 (urgent)",
        "P1 (urgent, as agreed)",
    );
    let (rebuilt, runs) = runs_of(|| pipeline::rebuild(&root, Some(memo)).unwrap());
    // The tasks file does not change the plan: it is kept.
    assert_eq!(runs, StageRuns { plans: 0, ..once });
    let Rebuild::Built(reused, memo) = rebuilt else {
        panic!("a clean project is rendered");
    };
    assert_eq!(memo.rendered_pages(), 2);
    let fresh = pipeline::build(&root).unwrap();
    assert!(
        *reused.site == *fresh.site,
        "the reused site equals a fresh one"
    );
    assert_eq!(reused.findings.diagnostics, fresh.findings.diagnostics);

    // A party renamed: its page's title and the navigation change, so the site is planned
    // again, and still equals a fresh build.
    edit(
        &root.join("data/parties.yaml"),
        "name: End-users",
        "name: End users",
    );
    let (rebuilt, runs) = runs_of(|| pipeline::rebuild(&root, Some(memo)).unwrap());
    assert_eq!(runs, once);
    let Rebuild::Built(reused, _) = rebuilt else {
        panic!("a clean project is rendered");
    };
    let fresh = pipeline::build(&root).unwrap();
    assert!(
        *reused.site == *fresh.site,
        "the reused site equals a fresh one"
    );
    assert_eq!(reused.findings.diagnostics, fresh.findings.diagnostics);
}

#[test]
fn the_build_and_its_memo_share_one_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let (built, memo) = pipeline::build_reusing(&root, None).unwrap();
    assert!(Arc::ptr_eq(&built.site, memo.site().unwrap()));
    assert_eq!(Arc::strong_count(&built.site), 2, "the build and the memo");

    // A rebuild made after the served site was let go patches the site in place of the
    // old one; the new one is again shared, not copied.
    drop(built);
    edit(
        &root.join("content/submission-guidelines.md"),
        "P1",
        "P1 (urgent)",
    );
    let (built, memo) = pipeline::build_reusing(&root, Some(memo)).unwrap();
    assert!(Arc::ptr_eq(&built.site, memo.site().unwrap()));
    assert_eq!(Arc::strong_count(&built.site), 2);
}
