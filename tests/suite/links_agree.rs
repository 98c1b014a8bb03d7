//! `rasci check` and `rasci build` agree on links: every broken link written in a source
//! that `build` reports, plain `check` (which renders nothing) reports too, at the same
//! place. Run over every fixture project that builds and the example.

use crate::support::{Project, copy_example, fixtures, rule_fixtures};
use rasci::diagnostic::RuleId;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The broken links written in the project's own files, as `path:start`: the finding's
/// place, when it is a file of the project rather than a built page.
fn written_broken(
    project: &rasci::model::Project,
    findings: &rasci::diagnostic::Findings,
) -> BTreeSet<String> {
    findings
        .diagnostics
        .iter()
        .filter(|d| d.rule == RuleId::LinkBroken)
        .filter_map(|d| {
            let span = d.primary.as_ref()?.span;
            let path = project.sources.path(span.file);
            (path.starts_with("content/") || path.starts_with("data/"))
                .then(|| format!("{path}:{}", span.start))
        })
        .collect()
}

/// What `build` reports of written links that `check` does not; empty when they agree.
fn disagreement(root: &Path) -> Vec<String> {
    let Ok(built) = rasci::pipeline::build(root) else {
        return Vec::new(); // a project that does not load builds nothing
    };
    let (project, findings) = rasci::pipeline::check_project(root).expect("it loaded for build");
    let checked = written_broken(&project, &findings);
    written_broken(&built.project, &built.findings)
        .into_iter()
        .filter(|place| !checked.contains(place))
        .collect()
}

/// Every project folder among the fixtures: a folder with `data/` or `rasci.yaml`.
fn fixture_projects() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![fixtures()];
    while let Some(dir) = stack.pop() {
        if dir.starts_with(rule_fixtures()) {
            continue; // overlays on the base project: built as such below
        }
        if dir.join("data").is_dir() || dir.join("rasci.yaml").is_file() {
            found.push(dir.clone());
        }
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir()
                && path
                    .file_name()
                    .is_some_and(|n| n != "data" && n != "content")
            {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn build_reports_no_broken_link_that_check_did_not() {
    let mut disagreements = Vec::new();
    let mut projects = 0;
    for dir in fixture_projects() {
        let temp = tempfile::tempdir().unwrap();
        let root = crate::support::copy_project(&dir, temp.path());
        projects += 1;
        for place in disagreement(&root) {
            disagreements.push(format!("{}: {place}", dir.display()));
        }
    }
    for rule_dir in std::fs::read_dir(rule_fixtures()).unwrap() {
        let family = rule_dir.unwrap().path();
        if !family.is_dir() {
            continue;
        }
        for rule in std::fs::read_dir(&family).unwrap() {
            let rule = rule.unwrap().path();
            for twin in ["bad", "good"] {
                if !rule.join(twin).is_dir() {
                    continue;
                }
                let id = format!(
                    "{}/{}",
                    family.file_name().unwrap().to_str().unwrap(),
                    rule.file_name().unwrap().to_str().unwrap()
                );
                let built = crate::support::rule_fixture(&id, twin);
                projects += 1;
                for place in disagreement(built.root()) {
                    disagreements.push(format!("{id}/{twin}: {place}"));
                }
            }
        }
    }
    let temp = tempfile::tempdir().unwrap();
    let example = copy_example(temp.path());
    projects += 1;
    disagreements.extend(disagreement(&example));
    // A project with broken links to the site's pages, which only the plan can judge.
    let broken = links_to_pages();
    let built = rasci::pipeline::build(broken.root()).unwrap();
    assert_eq!(written_broken(&built.project, &built.findings).len(), 6);
    disagreements.extend(disagreement(broken.root()));
    assert!(projects > 80, "only {projects} projects were built");
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

/// Links to pages of the site that it will not have are found by plain `check`, at the
/// link, and links to pages, redirects and downloads it will have are not.
/// A project whose guide links to pages, a redirect and a download the site will have,
/// and to six it will not (among them a task row and a glossary term).
fn links_to_pages() -> crate::support::BuiltProject {
    Project::base()
        .file(
            "data/scopes.yaml",
            "scopes:\n  - id: main\n    name: Main\n    sections: [general]\n    aliases: [old]\n",
        )
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        aliases: [operate]\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .file(
            "data/glossary.yaml",
            "glossary:\n  - term: SIP\n    definition: A protocol.\n",
        )
        .file(
            "content/guide.md",
            "---\ntitle: A guide\n---\n\n\
             [fine](/main/) [fine](../../parties/vendor/) [redirect](/old/) [csv](/main/rasci-main.csv)\n\
             [heading](/main/guide/#setup) [glossary](/glossary/)\n\n\
             [gone](/nowhere/) [up](../../../x/) [folder](/main) [anchor](/main/guide/#nope)\n\n\
             [row](/main/#task-run) [former](/main/#task-operate) [term](/glossary/#term-sip) [top](/main/#main)\n\n\
             [no row](/main/#task-nope) [no term](/glossary/#term-nope)\n\n\
             ## Setup\n",
        )
        .build()
}

#[test]
fn plain_check_judges_links_to_the_sites_pages() {
    let project = links_to_pages();
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    assert!(
        checked.rules().iter().all(|rule| *rule == "link/broken"),
        "{:?}",
        checked.rules()
    );
    let found: Vec<(u64, u64, String)> = checked
        .with_rule("link/broken")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (8, 1, "broken link `/nowhere/`".to_string()),
            (8, 19, "broken link `../../../x/`".to_string()),
            (8, 37, "broken link `/main`".to_string()),
            (8, 53, "broken link `/main/guide/#nope`".to_string()),
            (12, 1, "broken link `/main/#task-nope`".to_string()),
            (12, 28, "broken link `/glossary/#term-nope`".to_string()),
        ],
        "{:#?}",
        checked.diagnostics
    );
}

/// `check.rules` sets the severity of a broken link however it is found: one only the
/// built site shows (a theme file the plan does not know) is a warning when the project
/// says so, and the build succeeds.
#[test]
fn a_broken_link_of_the_built_site_takes_the_severity_the_project_sets() {
    let config = std::fs::read_to_string(crate::support::repo().join("rasci.yaml")).unwrap();
    let config = config.replace("  rules:\n", "  rules:\n    link/broken: warning\n");
    assert!(config.contains("link/broken: warning"));
    let project = crate::support::Project::example()
        .file("rasci.yaml", config)
        .file(
            "content/extra.md",
            "---\ntitle: Extra\n---\n\nSee [the picture](/static/missing.png).\n",
        )
        .build();
    let (code, stderr, _) = project.build_site();
    assert!(
        stderr.contains("warning[link/broken]") && stderr.contains("/static/missing.png"),
        "{stderr}"
    );
    assert!(!stderr.contains("error[link/broken]"), "{stderr}");
    assert_eq!(code, 0, "{stderr}");
}
