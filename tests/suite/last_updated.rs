//! The day each page last changed: the front matter's `updated:` when given, else the
//! date of the last git commit of the files the page is built from, and nothing without
//! git history. The sitemap gives the same day as `<lastmod>`; `last_updated: false`
//! leaves every date out. The tests make their own repositories with fixed commit dates.

use crate::support::{BuiltProject, Project, build_clean, git_on, sel, text};
use scraper::Html;
use std::collections::BTreeMap;
use std::path::Path;

const CONFIG: &str = "title: x\nbase_url: https://example.com/docs/\n";

/// Commits everything under `dir` on `date`.
fn commit_all(dir: &Path, date: &str, message: &str) {
    git_on(dir, date, &["add", "--all"]);
    git_on(dir, date, &["commit", "--quiet", "-m", message]);
}

fn project(config: &str) -> BuiltProject {
    let project = Project::base().file("rasci.yaml", config).build();
    project.page("guide.md", "Guide", "Some text.");
    project
}

/// The date line of a built page: its `datetime` and its text, or `None` without one.
fn date_of(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Option<(String, String)> {
    let html = std::str::from_utf8(&files[path]).unwrap();
    let doc = Html::parse_document(html);
    let line = doc.select(&sel("p.last-updated")).next()?;
    let time = line.select(&sel("time")).next().unwrap();
    Some((
        time.value().attr("datetime").unwrap().to_string(),
        text(line),
    ))
}

fn day(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Option<String> {
    date_of(files, path).map(|(datetime, _)| datetime)
}

fn sitemap(files: &BTreeMap<String, Vec<u8>>) -> String {
    String::from_utf8(files["sitemap.xml"].clone()).unwrap()
}

#[test]
fn pages_show_the_last_commit_of_their_own_files() {
    let project = project(CONFIG);
    let root = project.root();
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    commit_all(root, "2024-01-02T10:00:00+00:00", "Start");
    project.page("guide.md", "Guide", "Better text.");
    commit_all(root, "2024-05-06T08:00:00+00:00", "Guide");
    project.write(
        "data/glossary.yaml",
        "glossary:\n  - term: tenant\n    definition: An instance.\n",
    );
    commit_all(root, "2024-07-08T08:00:00+00:00", "Glossary");

    let files = build_clean(root);
    let (datetime, line) = date_of(&files, "main/guide/index.html").expect("the guide has a date");
    assert_eq!(datetime, "2024-05-06");
    assert_eq!(line, "Last updated on 2024-05-06");
    // The deployment page is built from the data, which changed last in the first commit:
    // the glossary only marks words on it.
    assert_eq!(
        day(&files, "main/index.html").as_deref(),
        Some("2024-01-02")
    );
    assert_eq!(
        day(&files, "parties/vendor/index.html").as_deref(),
        Some("2024-01-02")
    );
    assert_eq!(day(&files, "index.html").as_deref(), Some("2024-01-02"));
    assert_eq!(
        day(&files, "glossary/index.html").as_deref(),
        Some("2024-07-08")
    );
    // The page for a missing address has no date.
    assert_eq!(date_of(&files, "404.html"), None);
    let map = sitemap(&files);
    assert!(
        map.contains(
            "<url><loc>https://example.com/docs/main/guide/</loc><lastmod>2024-05-06</lastmod></url>"
        ),
        "{map}"
    );
    assert!(
        map.contains(
            "<url><loc>https://example.com/docs/main/</loc><lastmod>2024-01-02</lastmod></url>"
        ),
        "{map}"
    );

    // A change of the tasks dates the pages built from them, and not the guide.
    project.edit("data/tasks.yaml", "Run it", "Run it well");
    commit_all(root, "2024-09-10T08:00:00+00:00", "Tasks");
    let files = build_clean(root);
    for path in [
        "main/index.html",
        "parties/customer/index.html",
        "index.html",
    ] {
        assert_eq!(day(&files, path).as_deref(), Some("2024-09-10"), "{path}");
    }
    assert_eq!(
        day(&files, "main/guide/index.html").as_deref(),
        Some("2024-05-06")
    );
    // The same checkout builds the same bytes.
    assert_eq!(files, build_clean(root));
}

#[test]
fn a_deployment_page_is_dated_by_the_sections_it_shows() {
    let project = Project::base()
        .file("rasci.yaml", CONFIG)
        .file("data/tasks.yaml", "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n")
        .file("data/tasks/extra.yaml", "sections:\n  - id: extra\n    title: Extra\n    tasks:\n      - id: more\n        title: More\n        rasci: { vendor: \"A, R\" }\n")
        .file("data/scopes.yaml", "scopes:\n  - id: main\n    name: Main\n    sections: [general]\n  - id: big\n    name: Big\n    sections: [general, extra]\n")
        .build();
    let root = project.root();
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    commit_all(root, "2024-01-02T10:00:00+00:00", "Start");
    project.edit("data/tasks/extra.yaml", "More", "More still");
    commit_all(root, "2024-02-03T10:00:00+00:00", "Extra");
    let files = build_clean(root);
    assert_eq!(
        day(&files, "main/index.html").as_deref(),
        Some("2024-01-02")
    );
    assert_eq!(day(&files, "big/index.html").as_deref(), Some("2024-02-03"));
}

#[test]
fn the_date_is_the_commits_own_day_whatever_the_builders_time_zone() {
    let project = project(CONFIG);
    let root = project.root();
    git_on(root, "2024-03-04T23:30:00-05:00", &["init", "--quiet"]);
    commit_all(root, "2024-03-04T23:30:00-05:00", "Late in the evening");
    // Built by the command line in a zone where it is already the next day.
    let out = project.beside("out");
    let output = crate::support::rasci()
        .env("TZ", "Asia/Tokyo")
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let guide = std::fs::read_to_string(out.join("main/guide/index.html")).unwrap();
    assert!(
        guide.contains(
            "<p class=\"last-updated\">Last updated on <time datetime=\"2024-03-04\">2024-03-04</time></p>"
        ),
        "{guide}"
    );
}

#[test]
fn updated_in_front_matter_wins_over_the_history() {
    let project = project(CONFIG);
    let root = project.root();
    project.write(
        "content/dated.md",
        "---\ntitle: Dated\nupdated: 2023-12-31\n---\nText.\n",
    );
    project.write(
        "content/_index.md",
        "---\ntitle: Home\nupdated: \"2022-02-02\"\n---\nWelcome.\n",
    );
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    commit_all(root, "2024-01-02T10:00:00+00:00", "Start");
    let files = build_clean(root);
    assert_eq!(
        day(&files, "main/dated/index.html").as_deref(),
        Some("2023-12-31")
    );
    assert_eq!(day(&files, "index.html").as_deref(), Some("2022-02-02"));
    assert_eq!(
        day(&files, "main/guide/index.html").as_deref(),
        Some("2024-01-02")
    );
    assert!(
        sitemap(&files).contains("main/dated/</loc><lastmod>2023-12-31</lastmod>"),
        "{}",
        sitemap(&files)
    );

    // Without git, `updated:` still dates its page, and no other page has a date.
    let plain = self::project(CONFIG);
    plain.write(
        "content/dated.md",
        "---\ntitle: Dated\nupdated: 2023-12-31\n---\nText.\n",
    );
    let files = build_clean(plain.root());
    assert_eq!(
        day(&files, "main/dated/index.html").as_deref(),
        Some("2023-12-31")
    );
    assert_eq!(date_of(&files, "main/guide/index.html"), None);
}

#[test]
fn last_updated_false_leaves_every_date_out() {
    let project = project("title: x\nbase_url: https://example.com/docs/\nlast_updated: false\n");
    let root = project.root();
    project.write(
        "content/dated.md",
        "---\ntitle: Dated\nupdated: 2023-12-31\n---\nText.\n",
    );
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    commit_all(root, "2024-01-02T10:00:00+00:00", "Start");
    let files = build_clean(root);
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = std::str::from_utf8(bytes).unwrap();
            assert!(!html.contains("last-updated"), "{path}");
        }
    }
    assert!(
        !sitemap(&files).contains("<lastmod>"),
        "{}",
        sitemap(&files)
    );
}

#[test]
fn without_history_there_are_no_dates_and_the_site_is_as_before() {
    // Not a repository at all.
    let project = project(CONFIG);
    let files = build_clean(project.root());
    assert!(files.keys().any(|p| p == "main/guide/index.html"));
    for (path, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("last-updated\""),
            "{path}"
        );
    }
    assert!(!sitemap(&files).contains("<lastmod>"));
    // The same bytes as with dates turned off: no git, no difference.
    let off = crate::support::build_clean(
        &Project::base()
            .file(
                "rasci.yaml",
                "title: x\nbase_url: https://example.com/docs/\nlast_updated: false\n",
            )
            .file("content/guide.md", "---\ntitle: Guide\n---\nSome text.\n")
            .build(),
    );
    assert_eq!(files, off);

    // A repository without commits, and a page git does not track.
    let root = project.root();
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    assert_eq!(build_clean(root), files);
    git_on(
        root,
        "2024-01-02T10:00:00+00:00",
        &["add", "data", "rasci.yaml"],
    );
    git_on(
        root,
        "2024-01-02T10:00:00+00:00",
        &["commit", "--quiet", "-m", "Data only"],
    );
    let files = build_clean(root);
    assert_eq!(date_of(&files, "main/guide/index.html"), None);
    assert_eq!(
        day(&files, "main/index.html").as_deref(),
        Some("2024-01-02")
    );
}

#[test]
fn a_project_in_a_folder_of_a_repository_reads_its_own_files() {
    let project = project(CONFIG);
    // The repository holds the project's folder and a file beside it.
    let repository = project.beside("");
    std::fs::write(project.beside("notes.md"), "elsewhere\n").unwrap();
    project.write(
        "content/Über uns.md",
        "---\ntitle: About\n---\nWho we are.\n",
    );
    git_on(
        &repository,
        "2024-01-02T10:00:00+00:00",
        &["init", "--quiet"],
    );
    commit_all(&repository, "2024-01-02T10:00:00+00:00", "Start");
    std::fs::write(project.beside("notes.md"), "changed\n").unwrap();
    commit_all(&repository, "2024-06-01T10:00:00+00:00", "Notes");
    let files = build_clean(project.root());
    assert_eq!(
        day(&files, "main/guide/index.html").as_deref(),
        Some("2024-01-02")
    );
    // A file name git would quote is read as it is.
    assert_eq!(
        day(&files, "main/ber-uns/index.html").as_deref(),
        Some("2024-01-02")
    );
    assert_eq!(
        day(&files, "main/index.html").as_deref(),
        Some("2024-01-02")
    );
}

#[test]
fn a_malformed_updated_is_a_finding_at_its_value() {
    for (value, column) in [
        ("2024-02-30", 10),
        ("\"31.01.2024\"", 10),
        ("2024-1-5", 10),
        ("yesterday", 10),
    ] {
        let project = project(CONFIG);
        project.write(
            "content/dated.md",
            &format!("---\ntitle: Dated\nupdated: {value}\n---\nText.\n"),
        );
        let checked = project.check();
        assert_eq!(checked.code, 1, "{value}");
        let finding = checked.one_at("content/front-matter", "content/dated.md", 3, column);
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("is not a date"),
            "{finding:#}"
        );
    }
    // A number is not a date either; the YAML reading of the page says so.
    let project = project(CONFIG);
    project.write(
        "content/dated.md",
        "---\ntitle: Dated\nupdated: 2024\n---\nText.\n",
    );
    let checked = project.check();
    assert_eq!(checked.code, 1);
    checked.one_at("content/front-matter", "content/dated.md", 3, 10);
}

#[test]
fn a_rebuild_after_a_commit_shows_the_new_dates() {
    // The page is on disk but not yet committed: no date. Committing it changes no file
    // the site reads, only the history, and the rebuild of a preview must show it.
    let project = project(CONFIG);
    let root = project.root();
    git_on(root, "2024-01-02T10:00:00+00:00", &["init", "--quiet"]);
    git_on(
        root,
        "2024-01-02T10:00:00+00:00",
        &["add", "data", "rasci.yaml"],
    );
    git_on(
        root,
        "2024-01-02T10:00:00+00:00",
        &["commit", "--quiet", "-m", "Data"],
    );
    let (first, memo) = rasci::pipeline::build_reusing(root, None).unwrap();
    let guide = |site: &rasci::render::site::Site| {
        String::from_utf8(site.files["main/guide/index.html"].to_vec()).unwrap()
    };
    assert!(!guide(&first.site).contains("last-updated"));
    commit_all(root, "2024-04-05T10:00:00+00:00", "Guide");
    let (again, _) = rasci::pipeline::build_reusing(root, Some(memo)).unwrap();
    assert!(
        guide(&again.site).contains("<time datetime=\"2024-04-05\">"),
        "{}",
        guide(&again.site)
    );
    assert_eq!(again.site, rasci::pipeline::build(root).unwrap().site);
}
