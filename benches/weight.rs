//! Benchmark: what a reader's browser loads of a generated documentation hub of 10,000
//! guides (`--guides N` for another size). Run with `cargo bench --bench weight`.
//!
//! Builds the site in this process and prints, then asserts: the bytes of script and data
//! that a page references before it is usable (its inline scripts and the files of its
//! `<script src>` elements), for the home page, a deployment page and guides; the bytes a
//! first search can load for a few queries (the manifest, the word shards the theme's
//! search chooses, and at most the twelve largest record shards); and, for comparison,
//! the whole search index, the navigation tree and the largest page. The limits are 100 KB
//! for a page and 1 MB for a first search.

#[path = "common/documentation.rs"]
mod documentation;

use documentation::{first_search_bytes, generate, index_bytes, page_script_bytes};
use std::collections::BTreeMap;

const PAGE_LIMIT: usize = 100_000;
const SEARCH_LIMIT: usize = 1_000_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let guides = args
        .iter()
        .position(|a| a == "--guides")
        .and_then(|i| args.get(i + 1))
        .map_or(10_000, |n| n.replace('_', "").parse().expect("--guides N"));
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), guides);
    let built = rasci::pipeline::build(dir.path()).expect("the project loads");
    let files: BTreeMap<String, Vec<u8>> = built
        .site
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect();
    let largest = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .max_by_key(|(_, bytes)| bytes.len())
        .unwrap();
    println!("{guides} guides, {} files", files.len());
    println!(
        "whole search index {} bytes, navigation tree {} bytes, largest page {} ({} bytes)",
        index_bytes(&files),
        files["static/js/nav.js"].len(),
        largest.0,
        largest.1.len()
    );
    let mut over = Vec::new();
    let last = guides - 1;
    let pages = [
        "index.html".to_string(),
        "cloud/index.html".to_string(),
        "cloud/guides/00000/index.html".to_string(),
        format!(
            "{}/guides/{last:05}/index.html",
            ["cloud", "onprem"][last % 2]
        ),
    ];
    for page in &pages {
        let bytes = page_script_bytes(&files, page);
        println!("page {page}: {bytes} bytes of script and data before use");
        if bytes > PAGE_LIMIT {
            over.push(format!("{page}: {bytes}"));
        }
    }
    for query in [
        "tenant",
        "escalation priority",
        "guide 05000",
        "cust",
        "closed",
    ] {
        let bytes = first_search_bytes(&files, query);
        println!("first search \"{query}\": at most {bytes} bytes");
        if bytes > SEARCH_LIMIT {
            over.push(format!("\"{query}\": {bytes}"));
        }
    }
    assert!(over.is_empty(), "over the limits: {over:#?}");
}
