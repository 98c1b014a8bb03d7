//! Published versions: a repository made here with three tagged versions (a task added
//! and a letter moved, then a task removed and a party renamed), the working tree
//! listing the two earlier ones in `versions:`, built once: the addresses of every
//! version, the switcher's targets, the banner, search and sitemap per version, the same
//! bytes on every build, and the errors of a revision that is not there.

use crate::support::{Project, git, page, rasci, sel};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const TASKS_V1: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: \"A, R\", customer: \"C, I\" }
      - id: report
        title: Report on it
        rasci: { vendor: \"A, R\", customer: I }
";

/// Version 2: task `train` added, customer's I in `run` moved to the vendor.
const TASKS_V2: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: \"A, R, I\", customer: C }
      - id: report
        title: Report on it
        rasci: { vendor: \"A, R\", customer: I }
      - id: train
        title: Train the staff
        rasci: { vendor: \"A, R\", customer: S }
";

/// Version 3: task `report` removed, party `customer` renamed `client`.
const TASKS_V3: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: \"A, R, I\", client: C }
      - id: train
        title: Train the staff
        rasci: { vendor: \"A, R\", client: S }
";

const PARTIES_V3: &str = "parties:
  - id: vendor
    name: Vendor
  - id: client
    name: Client
    aliases: [customer]
";

const VERSIONS: &str = "title: Agreement
base_url: https://example.com/hub/
versions:
  - id: \"2025.2\"
    name: 2025.2 (October)
    revision: v2025.2
    effective: 2025-10-01
  - id: \"2025.1\"
    name: 2025.1 (April)
    revision: v2025.1
    effective: 2025-04-01
";

/// The repository: three tagged commits, then `versions:` in the working tree.
fn repository() -> crate::support::BuiltProject {
    let project = Project::base().file("data/tasks.yaml", TASKS_V1).build();
    let root = project.root();
    git(root, &["init", "-q"]);
    let commit = |tag: &str| {
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", tag]);
        git(root, &["tag", tag]);
    };
    commit("v2025.1");
    project.write("data/tasks.yaml", TASKS_V2);
    commit("v2025.2");
    project.write("data/tasks.yaml", TASKS_V3);
    project.write("data/parties.yaml", PARTIES_V3);
    project.write(
        "data/agreement.yaml",
        "agreement:\n  version: \"2026.1\"\n  effective: 2026-01-01\n",
    );
    commit("v2026.1");
    project.write("rasci.yaml", VERSIONS);
    project
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    rasci()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn files_of(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = rasci::load::files::relative(out, e.path());
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The repository and its site, built once for the tests of this file.
struct Built {
    project: crate::support::BuiltProject,
    files: BTreeMap<String, Vec<u8>>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let project = repository();
        let out: PathBuf = project.beside("out");
        let output = build(project.root(), &out);
        crate::support::assert_success(&output);
        let files = files_of(&out);
        Built { project, files }
    })
}

/// The hrefs and names of the version switcher of page `path`, and which is current.
fn switcher(path: &str) -> Vec<(String, String, bool)> {
    let html = page(&built().files, path);
    html.select(&sel("nav.switcher-version a"))
        .map(|a| {
            (
                crate::support::text(a),
                a.value().attr("href").unwrap().to_owned(),
                a.value().attr("aria-current") == Some("true"),
            )
        })
        .collect()
}

/// `href` of a link on page `path`, as a path from the site's root.
fn resolve(path: &str, href: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[test]
fn every_version_is_at_its_own_addresses() {
    let files = &built().files;
    for path in [
        "index.html",
        "main/index.html",
        "parties/client/index.html",
        "parties/customer/index.html",
        "v/2025.2/index.html",
        "v/2025.2/main/index.html",
        "v/2025.2/parties/customer/index.html",
        "v/2025.1/main/index.html",
        "v/2025.1/parties/customer/index.html",
    ] {
        assert!(files.contains_key(path), "{path} missing");
    }
    assert!(!files.contains_key("v/2025.1/parties/client/index.html"));
    // Each version's table is its own: the task added in 2025.2, gone again now.
    let rows = |path: &str| -> Vec<String> {
        page(files, path)
            .select(&sel("table.rasci tbody tr[id]"))
            .map(|row| row.value().id().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        rows("v/2025.1/main/index.html"),
        ["task-run", "task-report"]
    );
    assert_eq!(
        rows("v/2025.2/main/index.html"),
        ["task-run", "task-report", "task-train"]
    );
    assert_eq!(rows("main/index.html"), ["task-run", "task-train"]);
}

#[test]
fn the_switcher_keeps_the_page_and_leads_to_pages_that_exist() {
    let files = &built().files;
    assert_eq!(
        switcher("main/index.html"),
        [
            ("2026.1".to_owned(), "../main/index.html".to_owned(), true),
            (
                "2025.2 (October)".to_owned(),
                "../v/2025.2/main/index.html".to_owned(),
                false
            ),
            (
                "2025.1 (April)".to_owned(),
                "../v/2025.1/main/index.html".to_owned(),
                false
            ),
        ]
    );
    // The renamed party's old page leads to the current version's redirect page.
    assert_eq!(
        switcher("v/2025.1/parties/customer/index.html")[0].1,
        "../../../../parties/customer/index.html"
    );
    // The new party's page has no twin in the old versions: their home pages.
    assert_eq!(
        switcher("parties/client/index.html")[2].1,
        "../../v/2025.1/index.html"
    );
    // Every target of every page's switcher is a file of the site.
    for path in files
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
    {
        for (_, href, _) in switcher(path) {
            let target = resolve(path, &href);
            assert!(files.contains_key(&target), "{path} → {href} ({target})");
        }
    }
}

#[test]
fn an_older_version_s_pages_name_the_current_version_and_link_its_page() {
    let files = &built().files;
    let banner = |path: &str| {
        let html = page(files, path);
        html.select(&sel(".version-banner")).next().map(|b| {
            (
                crate::support::text(b),
                b.select(&sel("a"))
                    .next()
                    .unwrap()
                    .value()
                    .attr("href")
                    .unwrap()
                    .to_owned(),
            )
        })
    };
    assert_eq!(
        banner("v/2025.2/main/index.html"),
        Some((
            "You are reading an earlier version: 2025.2 (October). The current version is 2026.1."
                .to_owned(),
            "../../../main/index.html".to_owned()
        ))
    );
    assert_eq!(banner("main/index.html"), None);
    assert_eq!(banner("index.html"), None);
}

#[test]
fn search_stays_within_its_version_and_the_sitemap_lists_the_current_one() {
    let files = &built().files;
    let index = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    assert!(index("search-index.js").contains("Train the staff"));
    assert!(!index("search-index.js").contains("Report on it"));
    assert!(index("v/2025.1/search-index.js").contains("Report on it"));
    assert!(!index("v/2025.1/search-index.js").contains("Train the staff"));
    // An old page loads the search of its own version.
    let old = index("v/2025.1/main/index.html");
    assert!(
        old.contains("<script src=\"../static/js/search.js\""),
        "{old}"
    );
    let sitemap = index("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.com/hub/main/</loc>"));
    assert!(!sitemap.contains("/v/"), "{sitemap}");
    for own in ["sitemap.xml", "robots.txt", "404.html"] {
        assert!(!files.contains_key(&format!("v/2025.1/{own}")), "{own}");
    }
}

#[test]
fn the_whole_multi_version_build_is_the_same_every_time() {
    let again = built().project.beside("again");
    let output = build(built().project.root(), &again);
    crate::support::assert_success(&output);
    let files = files_of(&again);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        built().files.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &files {
        assert!(
            &built().files[path] == bytes,
            "{path} differs between two builds"
        );
    }
}

#[test]
fn a_revision_that_is_not_there_or_does_not_load_is_an_error_naming_it() {
    let project = repository();
    project.edit("rasci.yaml", "revision: v2025.1", "revision: v2024.9");
    let out = project.beside("out");
    let output = build(project.root(), &out);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("version `2025.1`: cannot read revision `v2024.9`"),
        "{stderr}"
    );
    assert!(!out.exists());

    // A revision whose data does not load.
    project.edit("rasci.yaml", "revision: v2024.9", "revision: broken");
    project.write("data/tasks.yaml", "sections: [\n");
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "broken"]);
    git(project.root(), &["tag", "broken"]);
    project.write("data/tasks.yaml", TASKS_V3);
    let output = build(project.root(), &out);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("version `2025.1`: its revision has "),
        "{stderr}"
    );
}
