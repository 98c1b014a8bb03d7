//! The static site: the RASCI tables cell by cell against the seed pages, the deployment
//! switcher, glossary markup, the link check, determinism and the atomic write.

use crate::support::{self, page, repo, sel, text};
use assert_cmd::Command;
use scraper::{ElementRef, Html};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::build_clean as build;

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/site-basic")
}

/// The seed table: section, task, and letters of Anywhere365, Customer, End-users.
const SEED: [(&str, &str, [&str; 3]); 18] = [
    (
        "",
        "Prime contact for end-users of Anywhere365",
        ["", "A, R", ""],
    ),
    (
        "",
        "Submitting case to Anywhere365 according to guidelines",
        ["", "A, R", ""],
    ),
    ("", "L2-3 Support Anywhere365", ["A, R", "S, C, I", ""]),
    (
        "",
        "Root Cause Analyses (RCA) P1 incidents caused by Anywhere365",
        ["A, R", "S, C, I", ""],
    ),
    (
        "",
        "Root Cause Analyses (RCA) P1 incidents with other causes",
        ["S, C, I", "A, R", ""],
    ),
    ("", "Change request from end-user", ["C, S", "A, R", "C, I"]),
    (
        "",
        "Trained staff to support end-users",
        ["C, S", "A, R", ""],
    ),
    ("", "Providing Anywhere365 training", ["A, R", "S, I", ""]),
    (
        "Dialogue Cloud deployment specific",
        "Provide the Anywhere365 tenant",
        ["A, R", "I", ""],
    ),
    (
        "Dialogue Cloud deployment specific",
        "Configuring the Anywhere365 tenant (including configuration backups)",
        ["C", "A, R", "C, I"],
    ),
    (
        "Dialogue Cloud deployment specific",
        "Troubleshooting interfacing",
        ["R, S", "A, R", ""],
    ),
    (
        "Dialogue Cloud deployment specific",
        "Connections into Anywhere365 tenant",
        ["S, C", "A, R", ""],
    ),
    (
        "Dialogue Cloud deployment specific",
        "Entry points of Anywhere365 tenant",
        ["A, R", "S", ""],
    ),
    (
        "Dialogue Cloud deployment specific",
        "Monitoring and maintenance of Anywhere365",
        ["A, R", "I", ""],
    ),
    (
        "On-premises deployment specific",
        "Infrastructure on which Anywhere365 is running",
        ["C", "A, R", ""],
    ),
    (
        "On-premises deployment specific",
        "Initial installation of Anywhere365 on the infrastructure",
        ["A, R", "S", ""],
    ),
    (
        "On-premises deployment specific",
        "Upgrades to assure Anywhere365 is supported according to Anywhere365 Support End of Support Policy",
        ["C", "A, R", ""],
    ),
    (
        "On-premises deployment specific",
        "New versions and maintenance updates (via the Customer portal)",
        ["A, R", "S", ""],
    ),
];

/// Letters as a sorted set, so "A, R" and "R, A" compare equal.
fn letter_set(text: &str) -> Vec<char> {
    let mut letters: Vec<char> = text.chars().filter(|c| c.is_ascii_uppercase()).collect();
    letters.sort();
    letters
}

/// One row of a rendered table: section heading, task title, letters per party.
type TableRow = (String, String, Vec<Vec<char>>);

/// Reads a rendered RASCI table as its header cells and rows.
fn read_table(doc: &Html) -> (Vec<String>, Vec<TableRow>) {
    let table = doc
        .select(&sel("table.rasci"))
        .next()
        .expect("a RASCI table");
    let header: Vec<String> = table.select(&sel("thead th")).map(text).collect();
    let mut rows = Vec::new();
    let mut section = String::new();
    for tr in table.select(&sel("tbody tr")) {
        if let Some(th) = tr.select(&sel("th[scope=rowgroup]")).next() {
            section = text(th);
            continue;
        }
        let th = tr.select(&sel("th[scope=row]")).next().unwrap();
        // The row header's visible text, without tooltip definitions of glossary terms
        // and condition badges (the seeds say "when purchased" in the summaries only).
        let title: String = th
            .descendants()
            .filter_map(|n| n.value().as_text().map(|t| (n, t)))
            .filter(|(n, _)| {
                !n.ancestors().any(|a| {
                    ElementRef::wrap(a).is_some_and(|e| {
                        e.value()
                            .classes()
                            .any(|c| c == "term-def" || c == "condition-badge")
                    })
                })
            })
            .map(|(_, t)| t.to_string())
            .collect();
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let cells: Vec<Vec<char>> = tr
            .select(&sel("td"))
            .map(|td| {
                let letters: String = td
                    .select(&sel("abbr.badge > span[aria-hidden=true]"))
                    .map(text)
                    .collect();
                // Every badge names its letter for screen readers too.
                for abbr in td.select(&sel("abbr.badge")) {
                    let name = abbr.value().attr("title").unwrap();
                    let hidden = text(abbr.select(&sel(".visually-hidden")).next().unwrap());
                    assert_eq!(name, hidden);
                }
                letter_set(&letters)
            })
            .collect();
        rows.push((section.clone(), title, cells));
    }
    (header, rows)
}

fn check_against_seed(doc: &Html, expected_rows: usize) {
    let (header, rows) = read_table(doc);
    assert_eq!(
        header,
        [
            "Task & Involved party",
            "Anywhere365",
            "Customer",
            "End-users"
        ]
    );
    assert_eq!(rows.len(), expected_rows);
    for ((section, task, cells), (seed_section, seed_task, seed_cells)) in
        rows.iter().zip(SEED.iter())
    {
        assert_eq!(section, seed_section, "section of {task}");
        assert_eq!(task, seed_task);
        let seed: Vec<Vec<char>> = seed_cells.iter().map(|c| letter_set(c)).collect();
        assert_eq!(cells, &seed, "letters of {task}");
    }
}

#[test]
fn deployment_tables_match_the_seed_pages_cell_by_cell() {
    let files = build(repo());
    check_against_seed(&page(&files, "cloud/index.html"), 14);
    check_against_seed(&page(&files, "onprem/index.html"), 18);
}

#[test]
fn deployment_page_has_legend_summaries_systems_flow_and_downloads() {
    let files = build(repo());
    let doc = page(&files, "cloud/index.html");
    let legend: Vec<String> = doc
        .select(&sel(".rasci-block dl.legend dd"))
        .map(text)
        .collect();
    assert_eq!(legend.len(), 5);
    assert!(legend[0].starts_with("Responsible"));
    let headings: Vec<String> = doc.select(&sel(".summary h3")).map(text).collect();
    assert_eq!(
        headings,
        [
            "Anywhere365 Responsibility Summary",
            "Customer's Responsibility Summary"
        ]
    );
    // Scoped summary items show on their deployment only.
    let cloud_items = text(
        doc.select(&sel("#responsibility-summaries ~ .summary"))
            .nth(1)
            .unwrap(),
    );
    assert!(!cloud_items.contains("On-premises specific"));
    let onprem = page(&files, "onprem/index.html");
    let onprem_items = text(onprem.select(&sel(".summary")).nth(1).unwrap());
    assert!(onprem_items.contains("On-premises specific"));
    let systems: Vec<String> = doc
        .select(&sel("ul.systems > li .system-name"))
        .map(text)
        .collect();
    assert_eq!(systems.len(), 3, "{systems:?}");
    assert!(doc.select(&sel("ol.flow-steps > li")).count() >= 3);
    let downloads: Vec<&str> = doc
        .select(&sel("a.download"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        downloads,
        [
            "../cloud/rasci-cloud.csv",
            "../cloud/rasci-cloud.json",
            "../cloud/rasci-cloud.xlsx"
        ]
    );
    assert!(files.contains_key("cloud/rasci-cloud.csv"));
    assert!(files.contains_key("cloud/rasci-cloud.xlsx"));
    let guidelines = doc
        .select(&sel(".guides a"))
        .any(|a| a.value().attr("href") == Some("../cloud/submission-guidelines/index.html"));
    assert!(guidelines, "the page links to the submission guidelines");
}

#[test]
fn switcher_keeps_the_reader_on_the_same_page() {
    let files = build(&fixture());
    let switch = |path: &str| -> Vec<(String, String, bool)> {
        let doc = page(&files, path);
        doc.select(&sel("nav.switcher a"))
            .map(|a| {
                (
                    text(a),
                    a.value().attr("href").unwrap().to_string(),
                    a.value().attr("aria-current").is_some(),
                )
            })
            .collect()
    };
    assert_eq!(
        switch("cloud/index.html"),
        [
            ("Cloud".to_string(), "../cloud/index.html".to_string(), true),
            (
                "On Premises".to_string(),
                "../onprem/index.html".to_string(),
                false
            )
        ]
    );
    assert_eq!(
        switch("cloud/guide/index.html")[1].1,
        "../../onprem/guide/index.html"
    );
    // A page that exists in one deployment only leads to the other's RASCI page.
    assert_eq!(
        switch("onprem/onprem-only/index.html")[0].1,
        "../../cloud/index.html"
    );
    assert!(!files.contains_key("cloud/onprem-only/index.html"));
}

#[test]
fn glossary_terms_carry_their_definition_and_link_to_the_glossary() {
    let files = build(&fixture());
    let doc = page(&files, "cloud/guide/index.html");
    let terms: Vec<ElementRef<'_>> = doc.select(&sel("article .term")).collect();
    let tenant = terms
        .iter()
        .find(|t| {
            t.select(&sel("a.term-link"))
                .next()
                .is_some_and(|a| text(a) == "tenant")
        })
        .expect("tenant is marked");
    let link = tenant.select(&sel("a.term-link")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../../glossary/index.html#term-tenant")
    );
    let tip = tenant
        .select(&sel(".term-def[role=tooltip]"))
        .next()
        .unwrap();
    assert_eq!(
        link.value().attr("aria-describedby"),
        tip.value().attr("id")
    );
    assert!(text(tip).contains("An organisation's own instance of a cloud directory."));
    // Data text is marked too: the summary item names SIP.
    let home = page(&files, "cloud/index.html");
    assert!(
        home.select(&sel(".summary .term a[href$='#term-sip']"))
            .next()
            .is_some()
    );
    // The glossary page holds the anchors and marks nothing.
    let glossary = page(&files, "glossary/index.html");
    assert!(glossary.select(&sel("dt#term-tenant")).next().is_some());
    assert!(glossary.select(&sel("article .term")).next().is_none());
}

#[test]
fn markdown_features_render() {
    let files = build(&fixture());
    let doc = page(&files, "cloud/guide/index.html");
    assert_eq!(text(doc.select(&sel("h1")).next().unwrap()), "Guide");
    assert!(
        doc.select(&sel(".alert.alert-tip .alert-title"))
            .next()
            .is_some()
    );
    assert!(
        doc.select(&sel("pre.code[data-lang=yaml] span[class=a]"))
            .next()
            .is_some()
    );
    assert_eq!(doc.select(&sel("input[type=checkbox]")).count(), 2);
    assert!(doc.select(&sel("h2#guide-body")).next().is_some());
    assert!(
        doc.select(&sel(".toc a[href='#guide-body']"))
            .next()
            .is_some()
    );
    assert!(
        doc.select(&sel("table.rasci")).next().is_some(),
        "the shortcode's table"
    );
    assert!(doc.select(&sel(".footnote-definition")).next().is_some());
}

#[test]
fn site_wide_files_are_built_and_links_are_relative() {
    let files = build(&fixture());
    // No base_url in the fixture: a sitemap of relative addresses would be invalid.
    assert!(!files.contains_key("sitemap.xml"));
    assert!(!String::from_utf8_lossy(&files["robots.txt"]).contains("Sitemap"));
    for path in [
        "robots.txt",
        "404.html",
        "search-index.js",
        "compare/index.html",
        "parties/vendor/index.html",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    let entries = crate::support::search_entries(&files);
    assert!(
        entries
            .iter()
            .any(|e| e["u"] == "onprem/index.html#task-servers")
    );
    // Every page but 404.html, which is served at any address (tested below).
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && *p != "404.html")
    {
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&sel("[href], [src]")) {
            let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
            assert!(!target.starts_with('/'), "{path}: {target} is not relative");
            assert!(
                !target.starts_with("http") || el.value().name() == "a",
                "{path}: {target} loads from elsewhere"
            );
        }
    }
    let compare = page(&files, "compare/index.html");
    assert_eq!(compare.select(&sel("tr.row-only")).count(), 1);
}

#[test]
fn two_builds_are_byte_identical() {
    assert_eq!(build(&fixture()), build(&fixture()));
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        Command::cargo_bin("rasci")
            .unwrap()
            .args(["build", "--root"])
            .arg(fixture())
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    let read = |out: &str| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir.path().join(out))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(dir.path().join(out))
                        .unwrap()
                        .display()
                        .to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(read("a"), read("b"));
}

/// A copy of the fixture in a temporary folder, to break.
fn copy_fixture(into: &Path) -> PathBuf {
    support::copy_project(&fixture(), into)
}

#[test]
fn a_broken_link_fails_the_build_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    std::fs::write(
        root.join("content/broken.md"),
        "---\ntitle: Broken\n---\n\nFine text.\n\nSee [nowhere](missing.md) and [no anchor](guide.md#nope).\n\n{{ no_such_view() }}\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let assert = Command::cargo_bin("rasci")
        .unwrap()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("error[link/broken]"), "{stderr}");
    assert!(stderr.contains("content/broken.md:7:5"), "{stderr}");
    assert!(stderr.contains("has no element with id `nope`"), "{stderr}");
    assert!(
        stderr.contains("error[content/shortcode]: there is no shortcode `no_such_view`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/broken.md:9:1"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn bad_front_matter_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    std::fs::write(
        root.join("content/bad.md"),
        "---\ntitle: Bad\nweigth: 3\n---\nText\n",
    )
    .unwrap();
    let assert = Command::cargo_bin("rasci")
        .unwrap()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(dir.path().join("o"))
        .env("NO_COLOR", "1")
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("error[content/front-matter]: unknown field `weigth`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/bad.md:3:1"), "{stderr}");
}

#[test]
fn an_erroring_project_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    let out = dir.path().join("public");
    Command::cargo_bin("rasci")
        .unwrap()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let before = std::fs::read(out.join("cloud/index.html")).unwrap();
    std::fs::write(root.join("data/tasks.yaml"), "sections:\n  - id: general\n    tasks:\n      - id: x\n        title: X\n        rasci: { nobody: A }\n").unwrap();
    Command::cargo_bin("rasci")
        .unwrap()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(out.join("cloud/index.html")).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no staging folder left: {names:?}");
}

#[test]
fn build_refuses_to_write_over_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    for out in [".", "data", "content/x", ".."] {
        let assert = Command::cargo_bin("rasci")
            .unwrap()
            .current_dir(&root)
            .args(["build", "--out", out])
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("refusing to write the site"),
            "{out}: {stderr}"
        );
    }
    assert!(root.join("data/parties.yaml").exists());
}

#[test]
fn key_pages_snapshot() {
    // A copy outside the repository: pages built in it carry no dates from its history.
    let dir = tempfile::tempdir().unwrap();
    let files = build(&copy_fixture(dir.path()));
    for path in ["cloud/index.html", "onprem/guide/index.html"] {
        let doc = page(&files, path);
        let article = doc.select(&sel("article")).next().unwrap().html();
        insta::assert_snapshot!(path.replace('/', "_"), article);
    }
}

#[test]
fn check_sees_front_matter_and_broken_links_with_and_without_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    std::fs::write(
        root.join("content/broken.md"),
        "---\ntitle: Broken\nweigth: 1\n---\n\nSee [nowhere](missing.md).\n",
    )
    .unwrap();
    let check = |site: bool| {
        let mut command = Command::cargo_bin("rasci").unwrap();
        command.args(["check", "--root"]).arg(&root);
        if site {
            command.arg("--site");
        }
        let assert = command.env("NO_COLOR", "1").assert().code(1);
        String::from_utf8(assert.get_output().stdout.clone()).unwrap()
    };
    // Without --site: the front matter is checked; the page it stops from loading has
    // no links to report, as that would echo the front-matter finding.
    let plain = check(false);
    assert!(plain.contains("error[content/front-matter]"), "{plain}");
    assert!(plain.contains("content/broken.md:3:1"), "{plain}");
    assert!(!plain.contains("link/broken"), "{plain}");

    // Fix the front matter: plain check and check --site both report the link, once.
    std::fs::write(
        root.join("content/broken.md"),
        "---\ntitle: Broken\n---\n\nSee [nowhere](missing.md).\n",
    )
    .unwrap();
    for site in [false, true] {
        let out = check(site);
        assert_eq!(out.matches("error[link/broken]").count(), 1, "{out}");
        assert!(
            out.contains(
                "error[link/broken]: broken link `missing.md`\n --> content/broken.md:5:5"
            ),
            "{out}"
        );
    }
    assert!(!root.join("public").exists(), "check --site writes nothing");
}

#[test]
fn deployment_pages_draw_their_diagrams_and_link_the_svg_files() {
    let files = build(repo());
    for (scope, systems) in [("cloud", 3), ("onprem", 3)] {
        let doc = page(&files, &format!("{scope}/index.html"));
        let svgs: Vec<_> = doc.select(&sel("figure.diagram svg[role=img]")).collect();
        assert_eq!(
            svgs.len(),
            2,
            "{scope}: a systems overview and the support flow"
        );
        let components = doc
            .select(&sel("svg.rasci-diagram-systems .rasci-component"))
            .count();
        assert_eq!(components, systems, "{scope}: components drawn");
        for link in doc.select(&sel("figure.diagram a.diagram-download")) {
            let href = link.value().attr("href").unwrap();
            let target = href.trim_start_matches("../");
            let svg = String::from_utf8(files[target].clone()).unwrap();
            assert!(
                svg.starts_with("<?xml"),
                "{target} is a standalone SVG file"
            );
            assert!(
                svg.contains("xmlns=\"http://www.w3.org/2000/svg\""),
                "{target}"
            );
        }
    }
    // In print the light palette applies, whatever the screen theme.
    let css = String::from_utf8(files["static/css/generated.css"].clone()).unwrap();
    assert!(
        !css.contains("\n:root[data-theme=\"dark\"] .rasci-diagram"),
        "{css}"
    );
    assert!(css.contains("@media screen { :root[data-theme=\"dark\"] .rasci-diagram"));
}

#[test]
fn the_sitemap_lists_absolute_addresses_when_base_url_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    let config = root.join("rasci.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("base_url: https://docs.example.com/support/\n");
    std::fs::write(&config, text).unwrap();
    let files = build(&root);
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > 3, "{sitemap}");
    for loc in &locs {
        assert!(
            loc.starts_with("https://docs.example.com/support/"),
            "{loc}"
        );
    }
    assert!(locs.contains(&"https://docs.example.com/support/"));
    assert!(
        String::from_utf8_lossy(&files["robots.txt"])
            .contains("Sitemap: https://docs.example.com/support/sitemap.xml")
    );
}

/// Links, styles and scripts of a 404 page, which a host serves at any missing address.
fn not_found_urls(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let doc = Html::parse_document(&String::from_utf8_lossy(&files["404.html"]));
    let mut urls = Vec::new();
    for el in doc.select(&sel("[href], [src]")) {
        for name in ["href", "src"] {
            if let Some(url) = el.value().attr(name)
                && !url.starts_with('#')
                && !url.starts_with("data:")
            {
                urls.push(url.to_string());
            }
        }
    }
    for name in [
        "variables",
        "layout",
        "components",
        "matrix",
        "diagrams",
        "print",
    ] {
        assert!(
            urls.iter()
                .any(|u| u.ends_with(&format!("static/css/{name}.css")))
        );
    }
    assert!(urls.iter().any(|u| u.ends_with("static/js/site.js")));
    urls
}

#[test]
fn the_404_page_works_at_a_nested_missing_address() {
    let files = build(&fixture());
    for url in not_found_urls(&files) {
        let path = url
            .strip_prefix('/')
            .unwrap_or_else(|| panic!("{url} is relative: it breaks at /a/b/missing"));
        assert!(files.contains_key(path), "{url}");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir.path());
    let config = root.join("rasci.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("base_url: https://docs.example.com/support\n");
    std::fs::write(&config, text).unwrap();
    let files = build(&root);
    for url in not_found_urls(&files) {
        let path = url
            .strip_prefix("https://docs.example.com/support/")
            .unwrap_or_else(|| panic!("{url} does not start from base_url"));
        assert!(files.contains_key(path), "{url}");
    }
}

#[test]
fn a_theme_replaces_the_highlighting_and_diagram_stylesheet() {
    let project = support::Project::base()
        .file("rasci.yaml", "title: x\ntheme: plain\n")
        .file(
            "themes/plain/static/css/generated.css",
            "/* the theme's own */\n",
        )
        .build();
    let files = build(project.root());
    let css = String::from_utf8_lossy(&files["static/css/generated.css"]);
    assert!(
        css == "/* the theme's own */\n",
        "the theme's stylesheet was overwritten ({} bytes)",
        css.len()
    );
    // Without one, the theme gets the stylesheet made from code.
    let project = support::Project::base().build();
    let css = String::from_utf8(build(project.root())["static/css/generated.css"].clone()).unwrap();
    assert!(css.contains(".rasci-diagram"), "{css}");
}

#[test]
fn only_pages_with_code_link_the_highlighting_stylesheet() {
    let project = support::Project::base()
        .file(
            "content/code.md",
            "---\ntitle: Code\n---\nAn `inline` word.\n\n```yaml\nkey: value\n```\n",
        )
        .file(
            "content/prose.md",
            "---\ntitle: Prose\n---\nOnly `inline` code.\n",
        )
        .build();
    let files = build(project.root());
    let link = "static/css/highlight.css";
    let css = String::from_utf8_lossy(&files[link]);
    assert!(css.contains("Code highlighting"), "{css}");
    let generated = String::from_utf8_lossy(&files["static/css/generated.css"]);
    assert!(
        !generated.contains("Code highlighting"),
        "the highlighting is in every page's CSS"
    );
    let linking: Vec<&String> = files
        .iter()
        .filter(|(path, bytes)| {
            path.ends_with(".html") && String::from_utf8_lossy(bytes).contains(link)
        })
        .map(|(path, _)| path)
        .collect();
    assert_eq!(linking.len(), 1, "{linking:?}");
    assert!(linking[0].ends_with("code/index.html"), "{linking:?}");
    // The example has no code block: none of its pages loads the stylesheet.
    let example = build(repo());
    assert!(
        example
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains(link))
    );
}

/// Highlighted code weighs about what its text does: real code blocks (from crates'
/// READMEs) come out as flat spans of one short class each, never a span inside another,
/// at most twice the bytes of the code and a line's worth more (a YAML block of short
/// lines with a key, a tag, a value and a comment on each comes closest), and read back as
/// the code.
#[test]
fn highlighted_code_is_flat_and_at_most_twice_its_text() {
    let markdown =
        std::fs::read_to_string(repo().join("tests/fixtures/highlight/readme-blocks.md")).unwrap();
    let codes: Vec<&str> = markdown
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|block| block.split_once('\n').unwrap().1)
        .collect();
    assert_eq!(codes.len(), 8);
    let project = support::Project::base()
        .file("content/blocks.md", &markdown)
        .build();
    let files = build(project.root());
    let path = files
        .keys()
        .find(|path| path.ends_with("blocks/index.html"))
        .unwrap();
    let source = support::page_source(&files, path);
    let blocks: Vec<&str> = source
        .split("<pre class=\"code\" data-lang=\"")
        .skip(1)
        .map(|block| {
            let body = block.split_once("><code>").unwrap().1;
            body.split_once("</code></pre>").unwrap().0
        })
        .collect();
    assert_eq!(blocks.len(), codes.len());
    // Highlighted, though a block of commands with nothing but names in them has no span.
    let mut all_spans = 0;
    for (html, code) in blocks.iter().zip(&codes) {
        // Flat: every span closes before the next opens.
        let mut depth = 0;
        let mut spans = 0;
        let mut text = String::new();
        let mut rest = *html;
        while let Some(at) = rest.find('<') {
            text.push_str(&rest[..at]);
            let tag_end = rest[at..].find('>').unwrap() + at;
            let tag = &rest[at..=tag_end];
            if tag == "</span>" {
                depth -= 1;
            } else {
                assert!(tag.starts_with("<span class="), "{tag} in {html}");
                let class = &tag["<span class=".len()..tag.len() - 1];
                assert!(
                    class.len() == 1 && "csnkftaidh".contains(class),
                    "{tag} in {html}"
                );
                depth += 1;
                spans += 1;
                assert_eq!(depth, 1, "a span inside another: {html}");
            }
            rest = &rest[tag_end + 1..];
        }
        text.push_str(rest);
        assert_eq!(depth, 0, "{html}");
        all_spans += spans;
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(&text, code);
        assert!(
            html.len() <= 2 * code.len() + 64,
            "{} bytes of markup for {} bytes of code: {html}",
            html.len(),
            code.len()
        );
    }
    assert!(all_spans > 8 * blocks.len(), "{all_spans} spans");
}
