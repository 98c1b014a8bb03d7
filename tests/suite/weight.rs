//! What a reader's browser loads of a large site: a page references at most 100 KB of
//! script and data before it is usable (the navigation tree and the search index are
//! loaded on demand), and a first search loads at most 1 MB of the index (its shards).
//! Proportional to the site's size, so checked here at 1,000 guides, where the tree is
//! past the size pages load with them and the index is several megabytes; the `weight`
//! benchmark checks the same at 10,000 (`cargo bench --bench weight`).

#[path = "../../benches/common/documentation.rs"]
mod documentation;

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
