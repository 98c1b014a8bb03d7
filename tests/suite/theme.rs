//! The built-in theme's own sources stay readable: no template line runs past
//! [`MAX_COLUMNS`], so a template reads and diffs without scrolling. Tera's comments and
//! whitespace control keep the line breaks this needs out of the built pages.

use crate::support::repo;
use std::path::Path;

/// The widest line a theme template may have, in characters.
const MAX_COLUMNS: usize = 120;

/// Every file under `dir`, recursively, sorted.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `path:line: N columns` for every line of `text` wider than [`MAX_COLUMNS`].
fn long_lines(name: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.chars().count() > MAX_COLUMNS)
        .map(|(i, line)| format!("{name}:{}: {} columns", i + 1, line.chars().count()))
        .collect()
}

#[test]
fn no_template_line_is_wider_than_the_limit() {
    let dir = repo().join("themes/golive/templates");
    let templates = files(&dir);
    assert!(
        templates.len() >= 20,
        "templates not found in {}",
        dir.display()
    );
    let mut long = Vec::new();
    for path in &templates {
        let name = path.strip_prefix(repo()).unwrap().display().to_string();
        long.extend(long_lines(&name, &std::fs::read_to_string(path).unwrap()));
    }
    assert!(
        long.is_empty(),
        "template lines over {MAX_COLUMNS} columns:\n{}",
        long.join("\n")
    );
}

#[test]
fn columns_are_characters_not_bytes() {
    // `·` is two bytes: a line of 120 of them is at the limit, one more is over it.
    assert!(long_lines("t", &"·".repeat(MAX_COLUMNS)).is_empty());
    assert_eq!(
        long_lines("t", &format!("ok\n{}", "·".repeat(MAX_COLUMNS + 1))),
        ["t:2: 121 columns"]
    );
}
