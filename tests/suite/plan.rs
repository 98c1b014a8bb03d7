//! The site plan as the built site shows it: the navigation is written once for the whole
//! site, every page once in it; each page carries only a bounded fallback navigation, so
//! its size does not grow with the number of pages.

use crate::support as common;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::build_clean as build;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic")
}

/// The basic fixture with `count` more content pages, `content/many/pNNNN.md`, in both
/// deployments, listed after the fixture's own pages.
fn project_with_pages(dir: &Path, count: usize) -> PathBuf {
    let root = common::copy_project(&fixture(), dir);
    std::fs::create_dir_all(root.join("content/many")).unwrap();
    for i in 0..count {
        std::fs::write(
            root.join(format!("content/many/p{i:04}.md")),
            format!(
                "---\ntitle: Page {i:04}\nweight: {}\n---\n\nText of page {i}.\n",
                100 + i
            ),
        )
        .unwrap();
    }
    root
}

/// The groups of `static/js/nav.js`: title, deployment index, `[title, path]` items.
fn nav_tree(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    let script = std::str::from_utf8(&files["static/js/nav.js"]).unwrap();
    let json = script
        .strip_prefix("window.RASCI_NAV = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("nav.js sets window.RASCI_NAV");
    serde_json::from_str(json).unwrap()
}

fn nav_paths(tree: &serde_json::Value) -> Vec<String> {
    tree.as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["i"].as_array().unwrap())
        .map(|item| item[1].as_str().unwrap().to_string())
        .collect()
}

/// The links of a page's fallback navigation, as written (relative to the page).
fn fallback_links(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Vec<(String, bool)> {
    let html = Html::parse_document(std::str::from_utf8(&files[path]).unwrap());
    let links = Selector::parse("#sidebar nav[data-nav] a").unwrap();
    html.select(&links)
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.value().attr("aria-current") == Some("page"),
            )
        })
        .collect()
}

#[test]
fn a_page_does_not_grow_with_the_number_of_pages() {
    let small_dir = tempfile::tempdir().unwrap();
    let large_dir = tempfile::tempdir().unwrap();
    let small = build(&project_with_pages(small_dir.path(), 10));
    let large = build(&project_with_pages(large_dir.path(), 200));
    assert!(
        large.len() > small.len() + 300,
        "the large site has more pages"
    );
    // A content page, a deployment page's neighbour, and a page of no deployment.
    for path in [
        "cloud/guide/index.html",
        "onprem/many/p0005/index.html",
        "glossary/index.html",
    ] {
        let (a, b) = (small[path].len(), large[path].len());
        // The navigation of 380 more pages would add tens of kilobytes; what may differ
        // is at most a few numbers (counts, positions), never a list of pages.
        assert!(
            a.abs_diff(b) <= 64,
            "{path}: {a} bytes with 10 content pages, {b} with 200"
        );
    }
    // The whole tree is still shipped, once.
    assert!(nav_paths(&nav_tree(&large)).len() > 400);
}

#[test]
fn the_navigation_lists_every_page_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = build(&project_with_pages(dir.path(), 12));
    let listed = nav_paths(&nav_tree(&files));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &listed {
        *counts.entry(path).or_default() += 1;
    }
    let pages: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    for page in &pages {
        assert_eq!(counts.get(page), Some(&1), "{page} in the navigation");
    }
    assert_eq!(listed.len(), pages.len(), "only pages: {listed:#?}");
    // Every page loads the tree, and names its own path for marking it current.
    for page in pages {
        let html = std::str::from_utf8(&files[page]).unwrap();
        assert!(html.contains("static/js/nav.js\" defer"), "{page}");
        assert!(html.contains(&format!("data-path=\"{page}\"")), "{page}");
    }
}

#[test]
fn without_scripts_a_page_shows_landmarks_and_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let files = build(&project_with_pages(dir.path(), 40));
    let links = fallback_links(&files, "cloud/many/p0020/index.html");
    let hrefs: Vec<&str> = links.iter().map(|(h, _)| h.as_str()).collect();
    for landmark in [
        "../../../index.html",
        "../../../cloud/index.html",
        "../../../onprem/index.html",
        "../../../compare/index.html",
        "../../../glossary/index.html",
    ] {
        assert!(hrefs.contains(&landmark), "{landmark} in {hrefs:#?}");
    }
    let neighbours: Vec<&str> = hrefs
        .iter()
        .copied()
        .filter(|h| h.starts_with("../../../cloud/many/"))
        .collect();
    let window = rasci::plan::NAV_NEIGHBOURS;
    let expected: Vec<String> = (20 - window..=20 + window)
        .map(|i| format!("../../../cloud/many/p{i:04}/index.html"))
        .collect();
    assert_eq!(neighbours, expected);
    let current: Vec<&str> = links
        .iter()
        .filter(|(_, current)| *current)
        .map(|(h, _)| h.as_str())
        .collect();
    assert_eq!(
        current,
        ["../../../cloud/many/p0020/index.html"],
        "the page itself is marked"
    );
    // The other deployment's pages are not repeated here.
    assert!(
        !hrefs.iter().any(|h| h.contains("onprem/many")),
        "{hrefs:#?}"
    );
}

#[test]
fn titles_in_the_navigation_script_are_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = project_with_pages(dir.path(), 1);
    let title = "</script><script>alert(1)</script><!-- x";
    std::fs::write(
        root.join("content/many/hostile.md"),
        format!("---\ntitle: '{title}'\n---\n\nText.\n"),
    )
    .unwrap();
    let files = build(&root);
    let script = std::str::from_utf8(&files["static/js/nav.js"]).unwrap();
    assert!(
        !script.to_ascii_lowercase().contains("</script"),
        "{script}"
    );
    assert!(!script.contains("<!--"), "{script}");
    // Read back as a script reads it, the title is the same text.
    let tree: serde_json::Value = serde_json::from_str(
        script
            .strip_prefix("window.RASCI_NAV = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap()
            .replace("<\\!", "<!")
            .as_str(),
    )
    .unwrap();
    let titles: Vec<&str> = tree
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["i"].as_array().unwrap())
        .map(|item| item[0].as_str().unwrap())
        .collect();
    assert!(titles.contains(&title), "{titles:#?}");
}
