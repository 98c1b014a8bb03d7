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
    // The current version has the task added in 2025.2; the oldest lacks it (its search
    // index is its own, not the current one's).
    // A version's search is its manifest and its shards under `static/search/`.
    let search = |prefix: &str| -> String {
        files
            .iter()
            .filter(|(path, _)| {
                path.strip_prefix(prefix).is_some_and(|rest| {
                    rest == "search-index.js" || rest.starts_with("static/search/")
                })
            })
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect()
    };
    assert!(search("").contains("Train the staff"));
    assert!(search("v/2025.1/").contains("Report on it"));
    assert!(!search("v/2025.1/").contains("Train the staff"));
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

/// The changes a page's "Changed in this version" lists: (kind, task, party).
fn page_changes(path: &str) -> Vec<(String, String, String)> {
    page(&built().files, path)
        .select(&sel(".changes li[data-change]"))
        .map(|li| {
            let attr = |name: &str| li.value().attr(name).unwrap_or_default().to_owned();
            (attr("data-change"), attr("data-task"), attr("data-party"))
        })
        .collect()
}

/// The same changes as `rasci diff OLD [NEW] --format json` gives them for scope `main`.
fn diff_changes(revisions: &[&str]) -> (Vec<(String, String, String)>, serde_json::Value) {
    let output = rasci()
        .arg("diff")
        .args(revisions)
        .args(["--format", "json", "--root"])
        .arg(built().project.root())
        .output()
        .unwrap();
    crate::support::assert_success(&output);
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut changes = Vec::new();
    for matrix in diff["matrices"].as_array().unwrap() {
        assert_eq!(matrix["scope"], "main");
        for (kind, list) in [
            ("added", "tasks_added"),
            ("removed", "tasks_removed"),
            ("moved", "tasks_moved"),
            ("retitled", "tasks_retitled"),
            ("letters", "letters"),
        ] {
            for change in matrix[list].as_array().unwrap() {
                let party = change["party"].as_str().unwrap_or_default();
                let task = change["task"].as_str().unwrap();
                changes.push((kind.to_owned(), task.to_owned(), party.to_owned()));
            }
        }
    }
    (changes, diff["parties"].clone())
}

#[test]
fn changed_in_this_version_lists_what_rasci_diff_says_change_for_change() {
    // 2025.2 → now: a task removed, a party renamed (its letters the same).
    let (now, parties) = diff_changes(&["v2025.2"]);
    assert_eq!(
        now,
        [("removed".to_owned(), "report".to_owned(), String::new())]
    );
    assert_eq!(page_changes("main/index.html"), now);
    assert_eq!(parties["renamed"][0]["old"]["id"], "customer");
    let html = page(&built().files, "main/index.html");
    let renamed: Vec<String> = html
        .select(&sel(".changes .change-renamed"))
        .map(crate::support::text)
        .collect();
    assert_eq!(renamed, ["Customer (customer) is now Client (client)."]);
    // 2025.1 → 2025.2: a task added and a letter moved.
    let (then, _) = diff_changes(&["v2025.1", "v2025.2"]);
    assert_eq!(
        then,
        [
            ("added".to_owned(), "train".to_owned(), String::new()),
            ("letters".to_owned(), "run".to_owned(), "vendor".to_owned()),
            (
                "letters".to_owned(),
                "run".to_owned(),
                "customer".to_owned()
            ),
        ]
    );
    assert_eq!(page_changes("v/2025.2/main/index.html"), then);
    // The oldest version has nothing before it.
    assert!(
        !String::from_utf8_lossy(&built().files["v/2025.1/main/index.html"])
            .contains("changed-in-this-version")
    );
}

#[test]
fn the_changes_page_of_each_version_lists_what_rasci_diff_says_change_for_change() {
    // The current version: since 2025.2, as `rasci diff v2025.2` says it.
    let (now, _) = diff_changes(&["v2025.2"]);
    assert_eq!(page_changes("changes/index.html"), now);
    let html = page(&built().files, "changes/index.html");
    // The deployment is called `main`, as the page shell's `<main>` is: every id once.
    let mut ids = std::collections::BTreeSet::new();
    for element in html.select(&sel("[id]")) {
        let id = element.value().attr("id").unwrap();
        assert!(
            ids.insert(id.to_owned()),
            "id {id} twice on the Changes page"
        );
    }
    let tables: Vec<(String, String)> = html
        .select(&sel(".changes-table"))
        .map(|s| {
            let scope = s.value().attr("data-scope").unwrap_or_default().to_owned();
            let link = s
                .select(&sel("p a"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_default()
                .to_owned();
            (scope, link)
        })
        .collect();
    assert_eq!(
        tables,
        [("main".to_owned(), "../main/index.html".to_owned())]
    );
    let renamed: Vec<String> = html
        .select(&sel(".changes-page .change-renamed"))
        .map(crate::support::text)
        .collect();
    assert_eq!(renamed, ["Customer (customer) is now Client (client)."]);
    // 2025.2, whose own rasci.yaml lists no versions: since 2025.1.
    let (then, _) = diff_changes(&["v2025.1", "v2025.2"]);
    assert_eq!(page_changes("v/2025.2/changes/index.html"), then);
    // The oldest version has none, and its pages link none.
    assert!(!built().files.contains_key("v/2025.1/changes/index.html"));
    let changes_link = |path: &str| -> Vec<String> {
        page(&built().files, path)
            .select(&sel("a.switcher-changes"))
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect()
    };
    assert_eq!(changes_link("main/index.html"), ["../changes/index.html"]);
    assert_eq!(changes_link("v/2025.2/index.html"), ["changes/index.html"]);
    assert!(changes_link("v/2025.1/main/index.html").is_empty());
}

#[test]
fn the_atom_feed_has_one_entry_per_version_dated_by_its_effective_day() {
    let xml = String::from_utf8(built().files["changes.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(atom));
    assert_eq!(root.tag_name().name(), "feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| -> String {
        node.children()
            .find(|n| n.has_tag_name((atom, name)))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(child(root, "updated"), "2026-01-01T00:00:00Z");
    let entries: Vec<(String, String, String, String)> = root
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .map(|e| {
            let link = e
                .children()
                .find(|n| n.has_tag_name((atom, "link")))
                .and_then(|n| n.attribute("href"))
                .unwrap_or_default()
                .to_owned();
            (child(e, "title"), child(e, "updated"), child(e, "id"), link)
        })
        .collect();
    let entry = |t: &str, u: &str, i: &str, l: &str| {
        (t.to_owned(), u.to_owned(), i.to_owned(), l.to_owned())
    };
    assert_eq!(
        entries,
        [
            entry(
                "2026.1",
                "2026-01-01T00:00:00Z",
                "tag:example.com,2026-01-01:changes/",
                "https://example.com/hub/changes/"
            ),
            entry(
                "2025.2 (October)",
                "2025-10-01T00:00:00Z",
                "tag:example.com,2025-10-01:v/2025.2/changes/",
                "https://example.com/hub/v/2025.2/changes/"
            ),
            entry(
                "2025.1 (April)",
                "2025-04-01T00:00:00Z",
                "tag:example.com,2025-04-01:v/2025.1/changes/",
                "https://example.com/hub/v/2025.1/"
            ),
        ]
    );
    let summaries: Vec<String> = root
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .map(|e| child(e, "summary"))
        .collect();
    assert_eq!(
        summaries[0],
        "Customer (customer) is now Client (client).\nmain: removed Report on it."
    );
    assert!(
        summaries[1].starts_with("main: added Train the staff.\n"),
        "{}",
        summaries[1]
    );
    assert_eq!(summaries[2], "The oldest version published.");
    // Only the current version writes it; every page's head names it.
    assert!(!built().files.contains_key("v/2025.2/changes.xml"));
    let feed_link = |path: &str| -> Vec<String> {
        page(&built().files, path)
            .select(&sel("link[rel=alternate][type=\"application/atom+xml\"]"))
            .filter_map(|l| l.value().attr("href").map(str::to_owned))
            .collect()
    };
    assert_eq!(feed_link("main/index.html"), ["../changes.xml"]);
    assert_eq!(
        feed_link("v/2025.1/main/index.html"),
        ["../../../changes.xml"]
    );
}

/// The last-change line of each row of the table on page `path`: (task anchor, the
/// line's text, its link as a path from the site's root with its anchor).
fn last_changes(path: &str) -> Vec<(String, String, String)> {
    let html = page(&built().files, path);
    html.select(&sel("table.rasci tbody tr[id]"))
        .filter_map(|row| {
            let line = row.select(&sel(".last-change")).next()?;
            let href = line.select(&sel("a")).next()?.value().attr("href")?;
            Some((
                row.value().id().unwrap().to_owned(),
                crate::support::text(line),
                resolve(path, href),
            ))
        })
        .collect()
}

#[test]
fn each_row_says_in_which_version_it_last_changed_and_how() {
    // The current version renamed a party only: no row changed in it, so `run` shows the
    // letter the vendor took from the customer (named as the party is now) in 2025.2, and
    // `train` the version it was added in; the oldest version's rows show nothing.
    let run = (
        "task-run".to_owned(),
        "Changed in 2025.2 (October): Vendor +I, Client −I".to_owned(),
        "v/2025.2/changes/index.html#change.main.run".to_owned(),
    );
    let train = |text: &str| {
        (
            "task-train".to_owned(),
            text.to_owned(),
            "v/2025.2/changes/index.html#change.main.train".to_owned(),
        )
    };
    assert_eq!(
        last_changes("main/index.html"),
        [run.clone(), train("Added in 2025.2 (October)")]
    );
    // In 2025.2 itself, the same changes, named as that version names the party, on its
    // own Changes page; `report` is unchanged since 2025.1.
    let mut run_then = run.clone();
    run_then.1 = "Changed in 2025.2 (October): Vendor +I, Customer −I".to_owned();
    assert_eq!(
        last_changes("v/2025.2/main/index.html"),
        [run_then, train("Added in 2025.2 (October)")]
    );
    assert!(last_changes("v/2025.1/main/index.html").is_empty());
    assert!(
        !String::from_utf8_lossy(&built().files["v/2025.1/main/index.html"])
            .contains("last-change")
    );
}

#[test]
fn each_last_change_link_leads_to_an_existing_page_and_anchor() {
    let mut links = 0;
    for path in ["main/index.html", "v/2025.2/main/index.html"] {
        for (_, _, target) in last_changes(path) {
            let (file, anchor) = target.split_once('#').unwrap();
            let html = page(&built().files, file);
            let found = html
                .select(&sel("[id]"))
                .find(|e| e.value().id() == Some(anchor))
                .unwrap_or_else(|| panic!("{file} has no id {anchor}"));
            // The anchor is the task's first change on that page.
            assert_eq!(
                found.value().attr("data-task"),
                anchor.rsplit('.').next(),
                "{target}"
            );
            links += 1;
        }
    }
    assert_eq!(links, 4);
}

#[test]
fn an_older_version_s_pages_link_its_own_changes_page_and_its_other_pages() {
    // Version 2025.2's own rasci.yaml lists no versions, so it planned no Changes page of
    // its own; published as an earlier version, it has one, and its guide's links to it
    // and to another of its pages stay within the version and pass the link check.
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
    project.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n\nSee [what changed](/changes/) and [the first step](steps.md#the-first-step).\n",
    );
    project.write(
        "content/steps.md",
        "---\ntitle: Steps\n---\n\n## The first step\n\nAsk.\n",
    );
    commit("v2025.2");
    project.write("data/tasks.yaml", TASKS_V3);
    project.write("data/parties.yaml", PARTIES_V3);
    project.write("rasci.yaml", VERSIONS);
    let out = project.beside("out");
    let output = build(root, &out);
    crate::support::assert_success(&output);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("link"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = files_of(&out);
    let guide = files
        .keys()
        .find(|path| path.starts_with("v/2025.2/") && path.ends_with("guide/index.html"))
        .expect("the guide of 2025.2")
        .clone();
    let html = page(&files, &guide);
    let targets: Vec<String> = html
        .select(&sel("main a"))
        .filter(|a| ["what changed", "the first step"].contains(&crate::support::text(*a).as_str()))
        .map(|a| resolve(&guide, a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert_eq!(targets[0], "v/2025.2/changes/index.html");
    let (steps, anchor) = targets[1].split_once('#').unwrap();
    assert!(
        steps.starts_with("v/2025.2/") && steps.ends_with("steps/index.html"),
        "{steps}"
    );
    assert!(files.contains_key(&targets[0]));
    let steps = page(&files, steps);
    assert!(
        steps
            .select(&sel("[id]"))
            .any(|e| e.value().id() == Some(anchor))
    );
}
