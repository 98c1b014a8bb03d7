//! The habits of a documentation hub, in the built pages: previous and next links between
//! guides, "Edit this page" from `edit_url` (and the `config/edit-url` finding for a
//! pattern that cannot make links), "In this article" folded at the top of the article,
//! one `<title>` per deployment, the comparison's sections, and the `letters` shortcode.

use crate::support::{Project, build_clean, page, sel, text};
use scraper::Html;
use std::collections::BTreeMap;

type Files = BTreeMap<String, Vec<u8>>;

fn raw<'f>(files: &'f Files, path: &str) -> &'f str {
    std::str::from_utf8(&files[path]).unwrap()
}

/// `(rel, href, title)` of each link of the page's pager.
fn pager(html: &Html) -> Vec<(String, String, String)> {
    html.select(&sel("nav.pager a"))
        .map(|a| {
            (
                a.value().attr("rel").unwrap_or("").to_string(),
                a.value().attr("href").unwrap_or("").to_string(),
                text(a.select(&sel(".pager-title")).next().unwrap()),
            )
        })
        .collect()
}

fn title(html: &Html) -> String {
    text(html.select(&sel("title")).next().unwrap())
}

fn example_with(extra: &[(&str, &str)]) -> Files {
    let mut project = Project::example();
    for (path, contents) in extra {
        project = project.file(path, contents);
    }
    build_clean(&project.build())
}

const EDIT_URL: &str = "https://git.example.com/org/repo/-/edit/main/{path}";

fn with_edit_url(config_line: &str) -> String {
    let config = std::fs::read_to_string(crate::support::repo().join("rasci.yaml")).unwrap();
    format!("{config}{config_line}\n")
}

// ---------------------------------------------------------------------------------------
// Previous and next

#[test]
fn guides_link_their_neighbours_in_navigation_order_within_their_deployment() {
    // A guide of Dialogue Cloud only, between the two shared ones by weight.
    let files = example_with(&[(
        "content/cloud-only.md",
        "---\ntitle: Cloud <only> & co\nweight: 15\nscopes: [cloud]\n---\nText.\n",
    )]);
    let link = |rel: &str, href: &str, title: &str| (rel.into(), href.into(), title.into());
    assert_eq!(
        pager(&page(&files, "cloud/reading-the-matrix/index.html")),
        [link(
            "next",
            "../../cloud/cloud-only/index.html",
            "Cloud <only> & co"
        )]
    );
    assert_eq!(
        pager(&page(&files, "cloud/cloud-only/index.html")),
        [
            link(
                "prev",
                "../../cloud/reading-the-matrix/index.html",
                "Reading the matrix"
            ),
            link(
                "next",
                "../../cloud/submission-guidelines/index.html",
                "Submission guidelines"
            ),
        ]
    );
    // On Premises does not show the cloud-only guide: its two guides follow each other.
    assert_eq!(
        pager(&page(&files, "onprem/reading-the-matrix/index.html")),
        [link(
            "next",
            "../../onprem/submission-guidelines/index.html",
            "Submission guidelines"
        )]
    );
    assert_eq!(
        pager(&page(&files, "onprem/submission-guidelines/index.html")),
        [link(
            "prev",
            "../../onprem/reading-the-matrix/index.html",
            "Reading the matrix"
        )]
    );
    // A title from front matter is text in the pager.
    assert!(
        raw(&files, "cloud/reading-the-matrix/index.html")
            .contains("<span class=\"pager-title\">Cloud &lt;only&gt; &amp; co</span>")
    );
    // Pages that are not guides have no pager.
    for path in [
        "index.html",
        "cloud/index.html",
        "compare/index.html",
        "glossary/index.html",
        "parties/customer/index.html",
    ] {
        assert!(pager(&page(&files, path)).is_empty(), "{path}");
    }
}

#[test]
fn guides_of_a_project_without_deployments_link_each_other_too() {
    let project = Project::base()
        .file("data/scopes.yaml", "scopes: []\n")
        .file("content/b.md", "---\ntitle: Second\nweight: 2\n---\nB.\n")
        .file("content/a.md", "---\ntitle: First\nweight: 1\n---\nA.\n")
        .build();
    let files = build_clean(&project);
    let first = page(&files, "a/index.html");
    assert_eq!(
        pager(&first),
        [(
            "next".to_string(),
            "../b/index.html".to_string(),
            "Second".to_string()
        )]
    );
}

// ---------------------------------------------------------------------------------------
// Titles

#[test]
fn every_page_has_a_title_of_its_own_and_a_guide_names_its_deployment() {
    let files = example_with(&[]);
    assert_eq!(
        title(&page(&files, "cloud/submission-guidelines/index.html")),
        "Submission guidelines · Dialogue Cloud · GoLive! Operational Support"
    );
    assert_eq!(
        title(&page(&files, "onprem/submission-guidelines/index.html")),
        "Submission guidelines · On Premises · GoLive! Operational Support"
    );
    // The deployment's own page names it once, in its title.
    assert_eq!(
        title(&page(&files, "onprem/index.html")),
        "On Premises: RASCI for operational support · GoLive! Operational Support"
    );
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        let t = title(&page(&files, path));
        if let Some(other) = seen.insert(t.clone(), path) {
            panic!("{path} and {other} share the title {t:?}");
        }
    }
    assert!(seen.len() >= 13, "{seen:#?}");
}

// ---------------------------------------------------------------------------------------
// Edit this page

fn edit_link(files: &Files, path: &str) -> Option<String> {
    let html = page(files, path);
    let links: Vec<String> = html
        .select(&sel(".edit-page a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(links.len() <= 1, "{path}: {links:?}");
    links.into_iter().next()
}

#[test]
fn with_edit_url_a_guide_links_its_markdown_file_and_a_deployment_its_tasks_file() {
    let files = example_with(&[(
        "rasci.yaml",
        &with_edit_url(&format!("edit_url: {EDIT_URL}")),
    )]);
    let base = "https://git.example.com/org/repo/-/edit/main/";
    for scope in ["cloud", "onprem"] {
        assert_eq!(
            edit_link(&files, &format!("{scope}/submission-guidelines/index.html")),
            Some(format!("{base}content/submission-guidelines.md"))
        );
        assert_eq!(
            edit_link(&files, &format!("{scope}/index.html")),
            Some(format!("{base}data/tasks.yaml"))
        );
    }
    assert_eq!(
        text(
            page(&files, "cloud/reading-the-matrix/index.html")
                .select(&sel(".edit-page a"))
                .next()
                .unwrap()
        ),
        "Edit this page"
    );
    // Pages made from many files, or none, have no link.
    for path in [
        "index.html",
        "compare/index.html",
        "glossary/index.html",
        "parties/anywhere365/index.html",
        "404.html",
    ] {
        assert_eq!(edit_link(&files, path), None, "{path}");
    }
    // Without `edit_url`, no page has one.
    let plain = example_with(&[]);
    assert!(
        plain
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .all(|(_, b)| !std::str::from_utf8(b).unwrap().contains("edit-page")),
    );
}

#[test]
fn the_edit_link_percent_encodes_the_path_and_is_escaped_in_its_attribute() {
    let files = example_with(&[
        (
            "rasci.yaml",
            &with_edit_url("edit_url: \"https://git.example.com/edit?file={path}&ref=main\""),
        ),
        (
            "content/Über uns & \"co\" #1?.md",
            "---\ntitle: About us\n---\nText.\n",
        ),
    ]);
    let path = files
        .keys()
        .find(|p| p.starts_with("cloud/ber-uns") && p.ends_with("index.html"))
        .unwrap_or_else(|| panic!("{:?}", files.keys().collect::<Vec<_>>()))
        .clone();
    assert_eq!(
        edit_link(&files, &path).unwrap(),
        "https://git.example.com/edit?file=content/%C3%9Cber%20uns%20%26%20%22co%22%20%231%3F.md&ref=main"
    );
    assert!(raw(&files, &path).contains(
        "href=\"https://git.example.com/edit?file=content/%C3%9Cber%20uns%20%26%20%22co%22%20%231%3F.md&amp;ref=main\""
    ));
}

#[test]
fn a_deployment_whose_tasks_are_split_over_files_has_no_edit_link() {
    let project = Project::base()
        .without("data/tasks.yaml")
        .file(
            "rasci.yaml",
            "title: x\nedit_url: https://git.example.com/edit/{path}\n",
        )
        .file(
            "data/tasks/one.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .file(
            "data/tasks/two.yaml",
            "sections:\n  - id: extra\n    title: Extra\n    tasks:\n      - id: stop\n        title: Stop it\n        rasci: { vendor: \"A, R\" }\n",
        )
        .file(
            "data/scopes.yaml",
            "scopes:\n  - id: main\n    name: Main\n    sections: [general, extra]\n",
        )
        .build();
    let files = build_clean(&project);
    assert_eq!(edit_link(&files, "main/index.html"), None);
    // One file of tasks: the page links it.
    let single = Project::base()
        .file(
            "rasci.yaml",
            "title: x\nedit_url: https://git.example.com/edit/{path}\n",
        )
        .build();
    assert_eq!(
        edit_link(&build_clean(&single), "main/index.html").as_deref(),
        Some("https://git.example.com/edit/data/tasks.yaml")
    );
}

#[test]
fn an_edit_url_that_cannot_make_links_is_a_finding_at_its_value() {
    let cases: [(&str, &str); 8] = [
        ("https://github.com/org/repo/edit/main/", "`{path}` 0 times"),
        ("https://github.com/{path}/edit/{path}", "`{path}` 2 times"),
        ("\"javascript:alert(1)//{path}\"", "not an absolute"),
        ("ftp://example.com/{path}", "not an absolute"),
        ("https://{path}", "no host"),
        (
            "\"https://x.example/{path}\\\" onmouseover=\\\"alert(1)\"",
            "cannot stand",
        ),
        ("\"https://x.example/{path}<script>\"", "cannot stand"),
        ("https://x.example/{branch}/{path}", "only placeholder"),
    ];
    for (value, why) in cases {
        let project = Project::base()
            .file("rasci.yaml", format!("title: x\nedit_url: {value}\n"))
            .build();
        let checked = project.check();
        assert_eq!(checked.code, 1, "{value}: {:#?}", checked.diagnostics);
        let finding = checked.one_at("config/edit-url", "rasci.yaml", 2, 11);
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("`edit_url`"), "{message}");
        let label = finding.to_string();
        assert!(label.contains(why), "{value}: {finding:#}");
        // The rest of the project is still checked, and the site still builds nothing
        // with a broken link: the build refuses, as for every error.
        let (code, _, _) = project.build_site();
        assert_eq!(code, 1, "{value}");
    }
    // The fixture pair agrees.
    let good = crate::support::rule_fixture("config/edit-url", "good").check();
    assert!(good.with_rule("config/edit-url").is_empty());
}

#[test]
fn edit_url_patterns_are_read_once_and_paths_encoded() {
    use rasci::config::EditUrl;
    let link = EditUrl::parse("https://h.example/e/{path}?plain=1").unwrap();
    assert_eq!(
        link.link("content/a b/c.md"),
        "https://h.example/e/content/a%20b/c.md?plain=1"
    );
    assert_eq!(
        link.link("content/../x?y#z.md"),
        "https://h.example/e/content/../x%3Fy%23z.md?plain=1"
    );
    assert!(EditUrl::parse("http://h.example/{path}").is_ok());
    assert!(EditUrl::parse("HTTPS://h.example/{path}").is_err());
    assert!(EditUrl::parse("https://h.example/{path}\n").is_err());
    assert!(EditUrl::parse("").is_err());
}

// ---------------------------------------------------------------------------------------
// In this article, on every width

#[test]
fn the_contents_are_also_folded_at_the_top_of_the_article() {
    let files = example_with(&[(
        "content/plain.md",
        "---\ntitle: Plain\n---\nNo headings here.\n",
    )]);
    let html = page(&files, "cloud/submission-guidelines/index.html");
    let side: Vec<(String, String)> = html
        .select(&sel("aside.toc a"))
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    let folded: Vec<(String, String)> = html
        .select(&sel("article details.toc-inline a"))
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    assert_eq!(folded, side);
    assert_eq!(
        folded[2],
        (
            "#step-3-set-the-priority".to_string(),
            "Step 3: set the priority".to_string()
        )
    );
    let summary = html.select(&sel("details.toc-inline > summary")).next();
    assert_eq!(summary.map(text).as_deref(), Some("In this article"));
    // Folded at first: the article comes first.
    assert!(
        html.select(&sel("details.toc-inline[open]"))
            .next()
            .is_none()
    );
    // The home page has its own layout, and the same folded contents.
    let home = page(&files, "index.html");
    let home_side: Vec<String> = home.select(&sel("aside.toc a")).map(text).collect();
    let home_folded: Vec<String> = home
        .select(&sel("details.toc-inline a"))
        .map(text)
        .collect();
    assert!(!home_folded.is_empty());
    assert_eq!(home_folded, home_side);
    // A page without headings has neither.
    let plain = page(&files, "cloud/plain/index.html");
    assert!(plain.select(&sel("details.toc-inline")).next().is_none());
    assert!(plain.select(&sel("aside.toc nav")).next().is_none());
}

// ---------------------------------------------------------------------------------------
// The comparison

#[test]
fn the_comparison_has_a_heading_and_a_table_per_section_listed_in_the_contents() {
    let files = example_with(&[]);
    let html = page(&files, "compare/index.html");
    let headings: Vec<(String, String)> = html
        .select(&sel("article h2, article h3"))
        .map(|h| (h.value().attr("id").unwrap().to_string(), text(h)))
        .collect();
    let expected = [
        ("side-by-side", "Side by side"),
        ("compare-general", "General"),
        ("compare-cloud", "Dialogue Cloud deployment specific"),
        ("compare-onprem", "On-premises deployment specific"),
        ("legend", "Legend"),
    ];
    assert_eq!(
        headings,
        expected.map(|(id, t)| (id.to_string(), t.to_string()))
    );
    let toc: Vec<String> = html
        .select(&sel("aside.toc a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(toc, expected.map(|(id, _)| format!("#{id}")));
    // Each section's table holds its own tasks: 8 general, 6 Dialogue Cloud, 4 on premises.
    let tables: Vec<Vec<String>> = html
        .select(&sel("table.compare"))
        .map(|t| {
            t.select(&sel("tbody th[scope=row]"))
                .map(|th| text(th))
                .collect()
        })
        .collect();
    assert_eq!(tables.iter().map(Vec::len).collect::<Vec<_>>(), [8, 6, 4]);
    assert!(tables[0][0].starts_with("Prime contact for end-users"));
    assert!(
        tables[2].iter().all(|t| t.contains("Only in On Premises")),
        "{tables:?}"
    );
    let regions: Vec<&str> = html
        .select(&sel("div.table-wrap[role=region]"))
        .map(|d| d.value().attr("aria-label").unwrap())
        .collect();
    assert_eq!(
        regions,
        [
            "Comparison: General",
            "Comparison: Dialogue Cloud deployment specific",
            "Comparison: On-premises deployment specific"
        ]
    );
}

#[test]
fn reading_the_matrix_links_the_comparison() {
    let files = example_with(&[]);
    for scope in ["cloud", "onprem"] {
        let html = page(&files, &format!("{scope}/reading-the-matrix/index.html"));
        let link = html
            .select(&sel("article a[href='../../compare/index.html']"))
            .next()
            .unwrap_or_else(|| panic!("{scope}: no link to the comparison"));
        assert_eq!(text(link), "comparison of deployments");
    }
}

// ---------------------------------------------------------------------------------------
// The letters shortcode

/// The letters of each `.badges` group of a page, as shown.
fn badge_groups(html: &Html) -> Vec<String> {
    html.select(&sel("article .badges"))
        .map(|group| {
            group
                .select(&sel(".badge span[aria-hidden=true]"))
                .map(text)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[test]
fn the_letters_shortcode_shows_the_tables_badges_in_the_tables_order() {
    let project = Project::example()
        .file(
            "content/badges.md",
            "---\ntitle: Badges\n---\nA cell reads {{ letters(set=\"A, R\") }}, or {{ letters(set='I C S') }}.\n\n| Letter | Role |\n|---|---|\n| {{ letters(set=\"R\") }} | Responsible |\n",
        )
        .build();
    let files = build_clean(&project);
    let html = page(&files, "cloud/badges/index.html");
    // As written, like a table's cell by default.
    assert_eq!(badge_groups(&html), ["A,R", "I,C,S", "R"]);
    // With `letter_order: rasci` the tables and the shortcode both read R, A, S, C, I.
    let rasci_order = Project::example()
        .file(
            "content/badges.md",
            "---\ntitle: Badges\n---\nA cell reads {{ letters(set=\"A, R\") }}, or {{ letters(set='I C S') }}.\n",
        )
        .file(
            "rasci.yaml",
            format!(
                "{}matrix:\n  letter_order: rasci\n",
                std::fs::read_to_string(project.root().join("rasci.yaml")).unwrap()
            ),
        )
        .build();
    let rasci_files = build_clean(&rasci_order);
    assert_eq!(
        badge_groups(&page(&rasci_files, "cloud/badges/index.html")),
        ["R,A", "S,C,I"]
    );
    // The same markup as a table's cell: the badge partial.
    let matrix = page(&files, "cloud/index.html");
    let in_table = matrix
        .select(&sel("table.rasci td abbr.badge-r"))
        .next()
        .unwrap()
        .html();
    let in_guide = html
        .select(&sel("article p abbr.badge-r"))
        .next()
        .unwrap()
        .html();
    assert_eq!(in_guide, in_table);
    assert!(
        html.select(&sel("td .badges abbr.badge-r[title=Responsible]"))
            .next()
            .is_some()
    );
    // The example's guides use it where they speak of letters.
    let guide = page(&files, "cloud/reading-the-matrix/index.html");
    let groups = badge_groups(&guide);
    assert!(groups.contains(&"A,R".to_string()), "{groups:?}");
    assert!(groups.contains(&"S,C,I".to_string()), "{groups:?}");
    let code: Vec<String> = guide.select(&sel("article code")).map(text).collect();
    assert_eq!(
        code,
        ["A, R", "R, A"],
        "only the two spellings the text compares are left as code"
    );
}

#[test]
fn a_bad_letters_shortcode_is_a_finding_where_it_was_written() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "{{ letters(set=\"R, X\") }}",
            "`X` is not a RASCI letter",
            "R, A, S, C and I",
        ),
        (
            "{{ letters(set=\"r\") }}",
            "`r` is not a RASCI letter",
            "write `R`",
        ),
        (
            "{{ letters(set=\"R, R\") }}",
            "`R` is given twice",
            "remove the repeat",
        ),
        (
            "{{ letters(set=\"\") }}",
            "needs the letters",
            "set=\\\"R, A\\\"",
        ),
        (
            "{{ letters(of=\"R\") }}",
            "takes no argument `of`",
            "arguments: `set`",
        ),
        (
            "{{ leters(set=\"R\") }}",
            "there is no shortcode `leters`",
            "letters",
        ),
    ];
    for (call, message, help) in cases {
        let project = Project::base()
            .file(
                "content/guide.md",
                format!("---\ntitle: Guide\n---\nIntro.\n\nThe vendor holds {call} here.\n"),
            )
            .build();
        let checked = project.check_with(&["--site"]);
        assert_eq!(checked.code, 1, "{call}: {:#?}", checked.diagnostics);
        let finding = checked.one_at("content/shortcode", "content/guide.md", 6, 18);
        assert!(
            finding["message"].as_str().unwrap().contains(message),
            "{call}: {finding:#}"
        );
        assert!(finding.to_string().contains(help), "{call}: {finding:#}");
    }
}

// ---------------------------------------------------------------------------------------
// Summaries

#[test]
fn a_summary_heading_without_items_here_says_so_as_a_note() {
    let files = example_with(&[]);
    let html = page(&files, "cloud/index.html");
    let notes: Vec<String> = html
        .select(&sel(
            "section.summary li > .summary-heading + .summary-empty",
        ))
        .map(text)
        .collect();
    assert_eq!(notes, ["No specific items."]);
    assert!(!raw(&files, "cloud/index.html").contains("(no specific items)"));
}
