//! What a reader's browser loads of a large site: a page references at most 100 KB of
//! script and data before it is usable (the navigation tree and the search index are
//! loaded on demand), and a first search loads at most 1 MB of the index (its shards).
//! Proportional to the site's size, so checked here at 1,000 guides, where the tree is
//! past the size pages load with them and the index is several megabytes; the `weight`
//! benchmark checks the same at 10,000 (`cargo bench --bench weight`).

#[path = "../../benches/common/documentation.rs"]
pub(crate) mod documentation;

use crate::support::build_clean;
use documentation::{first_search_bytes, generate, index_bytes, page_script_bytes};

#[test]
fn a_page_and_a_first_search_of_a_large_site_load_a_bounded_part_of_it() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 1_000);
    let files = build_clean(dir.path());

    // The whole index and tree are more than a page or a search may load.
    let index = index_bytes(&files);
    assert!(index > 2_000_000, "the index is {index} bytes");
    let nav = files["static/js/nav.js"].len();
    assert!(nav > 48 * 1024, "the navigation tree is {nav} bytes");

    for page in [
        "index.html",
        "cloud/index.html",
        "cloud/guides/00500/index.html",
        "onprem/guides/00999/index.html",
        "glossary/index.html",
    ] {
        let bytes = page_script_bytes(&files, page);
        assert!(bytes <= 100_000, "{page} loads {bytes} bytes of script");
        let html = String::from_utf8_lossy(&files[page]).into_owned();
        assert!(!html.contains("nav.js"), "{page} loads the navigation tree");
    }
    for query in [
        "tenant",
        "escalation priority",
        "guide 00500",
        "cust",
        "closed",
    ] {
        let bytes = first_search_bytes(&files, query);
        assert!(bytes <= 1_000_000, "\"{query}\" loads {bytes} bytes");
    }
}

#[test]
fn a_small_site_loads_its_navigation_with_each_page() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 20);
    let files = build_clean(dir.path());
    let html = String::from_utf8_lossy(&files["cloud/guides/00010/index.html"]).into_owned();
    assert!(
        html.contains("<script src=\"../../../static/js/nav.js\" defer></script>"),
        "{html}"
    );
    assert!(page_script_bytes(&files, "cloud/guides/00010/index.html") <= 100_000);
}

/// A deployment with more guides than its page lists links the rest in pages of
/// `GUIDES_PER_PAGE` (100): its RASCI page lists the first hundred and links every page;
/// `cloud/guides-2.html` lists the next. `check` knows those pages as the build writes
/// them.
#[test]
fn a_deployment_with_many_guides_lists_them_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    // 250 guides, every other one in Cloud: 125 there.
    generate(dir.path(), 250);
    let project = crate::support::Project::from_dir(dir.path())
        .file(
            "content/links.md",
            "---\ntitle: Links\nscopes: [cloud]\nweight: 1\n---\n\n\
             [second](/cloud/guides-2.html)\n",
        )
        .build();
    let files = build_clean(project.root());
    let scope = crate::support::page(&files, "cloud/index.html");
    let listed = scope
        .select(&crate::support::sel("ul.guides > li"))
        .collect::<Vec<_>>();
    assert_eq!(listed.len(), 100, "the RASCI page lists the first hundred");
    let pages: Vec<(String, String)> = scope
        .select(&crate::support::sel("nav.guide-pages a"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("1–100".to_string(), "../cloud/index.html".to_string()),
            ("101–126".into(), "../cloud/guides-2.html".into())
        ]
    );
    let second = crate::support::page(&files, "cloud/guides-2.html");
    let titles: Vec<String> = second
        .select(&crate::support::sel("ul.guides > li a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles.len(), 26, "{titles:#?}");
    assert!(titles[25].starts_with("Guide 00248"), "{titles:#?}");
    let title: String = second
        .select(&crate::support::sel("title"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(
        title.starts_with("Cloud: Guidance 101–126 of 126"),
        "{title}"
    );
    assert!(!files.contains_key("cloud/guides-3.html"));
    // On Premises has 125 guides: two pages too.
    assert!(files.contains_key("onprem/guides-2.html"));
    assert!(!files.contains_key("onprem/guides-3.html"));

    // `check` judges the links by the plan: the second page is there, a third is not.
    project.write(
        "content/links.md",
        "---\ntitle: Links\nscopes: [cloud]\nweight: 1\n---\n\n\
         [second](/cloud/guides-2.html) [third](/cloud/guides-3.html)\n",
    );
    let checked = project.check();
    let broken: Vec<&str> = checked
        .with_rule("link/broken")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert!(broken[0].contains("guides-3.html"), "{broken:#?}");
}

/// A page carries a glossary term's definition once: the term's first mark holds it, and
/// every later mark (one per paragraph, list item or cell) is described by that one
/// definition instead of carrying a copy of its own.
#[test]
fn a_term_used_five_times_on_a_page_carries_its_definition_once() {
    let mut guide = String::from("---\ntitle: Tenants\nweight: 5\n---\n\n");
    for n in 1..=5 {
        guide.push_str(&format!(
            "Paragraph {n} names the tenant, and the tenant again.\n\n"
        ));
    }
    let project = crate::support::Project::from_dir(&repo_fixture("site-basic"))
        .file("content/tenants.md", guide)
        .build();
    let files = build_clean(project.root());
    let html = crate::support::page_source(&files, "cloud/tenants/index.html");
    let doc = crate::support::page(&files, "cloud/tenants/index.html");
    let sel = crate::support::sel;
    let links: Vec<_> = doc
        .select(&sel("article .term a.term-link[href$='#term-tenant']"))
        .collect();
    assert_eq!(links.len(), 5, "one mark a paragraph: {html}");
    let definitions: Vec<_> = doc.select(&sel("article .term-def")).collect();
    assert_eq!(definitions.len(), 1, "{html}");
    let definition = definitions[0];
    assert_eq!(definition.value().attr("role"), Some("tooltip"));
    assert!(
        crate::support::text(definition)
            .contains("An organisation's own instance of a cloud directory."),
        "{html}"
    );
    // The definition sits in the first mark, and every mark is described by it.
    let first_mark = doc.select(&sel("article .term")).next().unwrap();
    assert!(first_mark.select(&sel(".term-def")).next().is_some());
    for link in &links {
        assert_eq!(
            link.value().attr("aria-describedby"),
            definition.value().attr("id"),
            "{html}"
        );
    }
    assert_eq!(html.matches("own instance of a cloud directory").count(), 1);
}

/// The page shell (head, top bar, navigation, footer) of a guide page of one word stays
/// at or under 6.2 KB: what a page weighs beyond that is what it carries.
#[test]
fn the_shell_of_a_one_word_guide_page_stays_under_6_2_kb() {
    let project = crate::support::Project::from_dir(&repo_fixture("site-basic"))
        .file(
            "content/word.md",
            "---\ntitle: Word\nweight: 5\n---\n\nWord\n",
        )
        .build();
    let files = build_clean(project.root());
    let bytes = files["cloud/word/index.html"].len();
    assert!(
        bytes <= 6_200,
        "a one-word guide page is {bytes} bytes:\n{}",
        crate::support::page_source(&files, "cloud/word/index.html")
    );
}

fn repo_fixture(name: &str) -> std::path::PathBuf {
    crate::support::repo().join("tests/fixtures").join(name)
}
