//! The crate's top-level modules depend downwards only.
//!
//! Every file under `src/` is read, and each reference to another top-level module
//! (`crate::load::…`, `crate::{load, model}`, a `super::` that climbs out of its top-level
//! module, and in the crate root a bare `load::…`) becomes an edge between two top-level
//! modules. Each edge must go to a module earlier in [`STAGES`]: a later stage may use an
//! earlier one and the bottom modules, never the reverse, so there can be no cycle either.
//!
//! Inside `render/` the same rule holds between its files ([`RENDER_FILES`]): the stage
//! is a quarter of the crate, and a circle between its files is as costly as one between
//! modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules in stage order. A module may use the modules before it, never a
/// module after it.
///
/// `export` sits before the site stages: it only reads resolved matrices, and the site's
/// downloads (CSV, JSON) are made by it. `pipeline` runs the stages for every command and
/// `serve` reruns the pipeline between edits, so `serve` comes after it. `schema` and
/// `init` are commands beside the stages; `import` writes data files with the loader's id
/// rules and leaves the check of what it wrote to the command line; `cli` is the edge that calls them all.
const STAGES: &[&str] = &[
    // Bottom: used by every stage.
    "source",
    "located",
    "diagnostic",
    "escape",
    // Every file rasci writes goes through it; it uses no other module.
    "guard",
    "config",
    "model",
    // The stages, in the order a build runs them.
    "load",
    "resolve",
    "check",
    "report",
    "export",
    "plan",
    "diagrams",
    "render",
    "write",
    "pipeline",
    "serve",
    // Compares two checked versions of a project, running the pipeline on each.
    "diff",
    // Commands beside the stages, and the command line.
    "schema",
    "init",
    "import",
    // The language server: loads and checks through the pipeline after every edit, and
    // reads the shortcode table of the render stage for completion.
    "lsp",
    "cli",
];

/// The crate root (`lib.rs`) declares the modules and holds no stage code of its own, so
/// it may use the bottom modules only. `main.rs` calls the command line and nothing else.
const ROOT: &str = "lib";
const ROOT_MAY_USE: &[&str] = &[
    "source",
    "located",
    "diagnostic",
    "escape",
    "config",
    "model",
];
const BINARY: &str = "main";
const BINARY_MAY_USE: &[&str] = &["cli"];

/// Uses that the stage order allows but the layout forbids: the site plan is
/// output-neutral data and writes no markup.
const FORBIDDEN: &[(&str, &str)] = &[("plan", "escape")];

/// Violations tolerated while modules of the layout are being moved into place; each
/// entry is removed once its module has moved, so that it cannot return. None are left.
const PENDING: &[(&str, &str)] = &[];

/// One use of a top-level module by another, with the file and line that shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    at: String,
}

/// The text of a Rust file with comments and the contents of string and character
/// literals blanked out (line breaks are kept, so positions map to the same lines): a path
/// in a doc comment or a message is not a dependency.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &str| {
        out.extend(s.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
    };
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |at| at + 2);
            blank(&mut out, &rest[..end]);
            i += end;
        } else if let Some(hashes) = raw_string_start(rest) {
            let open = 2 + hashes;
            let close = format!("\"{}", "#".repeat(hashes));
            let end = rest[open..]
                .find(&close)
                .map_or(rest.len(), |at| open + at + close.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with('"') {
            let mut end = 1;
            let inner = rest.as_bytes();
            while end < inner.len() && inner[end] != b'"' {
                end += if inner[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if let Some(len) = char_literal(rest) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The number of `#` of a raw string starting here (`r"`, `r#"`, `br#"`), if one does.
fn raw_string_start(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after_r.bytes().take_while(|&b| b == b'#').count();
    after_r[hashes..].starts_with('"').then_some(hashes)
}

/// The length of a character literal starting here (`'a'`, `'\''`, `'{'`), if one does;
/// lifetimes (`'a`) are not literals.
fn char_literal(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    let after = if first == '\\' {
        // The escaped character, then the closing quote.
        body.get(2..)?.find('\'')? + 2
    } else {
        first.len_utf8()
    };
    body[after..].starts_with('\'').then_some(after + 2)
}

/// Whether `b` may continue an identifier.
fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let len = text.bytes().take_while(|&b| is_ident(b)).count();
    &text[..len]
}

/// The first segment of each path in a `{ … }` group that starts `text`: `{load, model::X,
/// check::{a, b}}` gives `load`, `model`, `check`.
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    for (at, c) in text.char_indices() {
        match c {
            '{' => {
                depth += 1;
                expect_head = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect_head = true,
            c if expect_head && depth == 1 && !c.is_whitespace() => {
                let head = ident(&text[at..]);
                if !head.is_empty() {
                    heads.push(head);
                }
                expect_head = false;
            }
            _ => {}
        }
    }
    heads
}

/// The module path of a file below `src/`: `load/mod.rs` is `[load]`, `load/ids.rs` is
/// `[load, ids]`, `lib.rs` is `[]`.
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative.split('/').map(str::to_string).collect();
    let file = parts.pop().unwrap();
    match file.as_str() {
        "mod.rs" | "lib.rs" | "main.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_string()),
    }
    parts
}

/// The byte offsets where each inline `mod name { … }` opens and closes, so that a
/// `super::` inside one (`mod tests { use super::*; }`) climbs from the right place.
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut spans = Vec::new();
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !is_ident(bytes[i - 1]);
        if word_start && code[i..].starts_with("mod ") {
            let name_at = i + 4;
            let name = ident(code[name_at..].trim_start());
            let after = code[name_at..].trim_start()[name.len()..].trim_start();
            if !name.is_empty() && after.starts_with('{') {
                let brace = code.len() - after.len();
                open.push(Some(i));
                i = brace + 1;
                continue;
            }
        }
        match bytes[i] {
            b'{' => open.push(None),
            b'}' => {
                if let Some(Some(start)) = open.pop() {
                    spans.push((start, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// The top-level modules a file refers to, each with its line.
fn references(relative: &str, text: &str, tops: &BTreeSet<String>) -> Vec<(String, usize)> {
    let code = code_only(text);
    let path = module_path(relative);
    let inline = inline_modules(&code);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b'$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let heads = if rest.starts_with('{') {
            group_heads(rest)
        } else {
            vec![ident(rest)]
        };
        found.extend(heads.into_iter().map(|h| (h.to_string(), line_of(at))));
    }
    for (at, _) in code.match_indices("super::") {
        if at > 0 && is_ident(bytes[at - 1]) {
            continue;
        }
        if at >= 7 && &code[at - 7..at] == "super::" {
            continue; // counted from the first `super::` of the chain
        }
        let mut climbs = 0;
        let mut rest = &code[at..];
        while let Some(after) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = after;
        }
        let depth = path.len() + inline.iter().filter(|(s, e)| *s < at && at < *e).count();
        if climbs == depth {
            let heads = if rest.starts_with('{') {
                group_heads(rest)
            } else {
                vec![ident(rest)]
            };
            found.extend(heads.into_iter().map(|h| (h.to_string(), line_of(at))));
        }
    }
    if path.is_empty() {
        // The crate root and the binary name modules without `crate::`.
        let prefix = if relative == "main.rs" { "rasci::" } else { "" };
        for top in tops {
            let needle = format!("{prefix}{top}::");
            for (at, _) in code.match_indices(&needle) {
                if at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':') {
                    continue;
                }
                found.push((top.clone(), line_of(at)));
            }
        }
    }
    found.retain(|(top, _)| tops.contains(top));
    found
}

/// The top-level module a file belongs to.
fn top_of(relative: &str) -> String {
    match relative {
        "lib.rs" => ROOT.to_string(),
        "main.rs" => BINARY.to_string(),
        _ => module_path(relative)[0].clone(),
    }
}

/// Every edge between two top-level modules in the source tree at `src`.
fn edges(src: &Path) -> (BTreeSet<String>, Vec<Edge>) {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let relative = entry
                .path()
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    let tops: BTreeSet<String> = files
        .iter()
        .map(|(relative, _)| top_of(relative))
        .filter(|top| top != ROOT && top != BINARY)
        .collect();
    let mut found = Vec::new();
    for (relative, text) in &files {
        let from = top_of(relative);
        for (to, line) in references(relative, text, &tops) {
            if to != from {
                found.push(Edge {
                    from: from.clone(),
                    to,
                    at: format!("src/{relative}:{line}"),
                });
            }
        }
    }
    found.sort();
    (tops, found)
}

/// What is wrong with one edge under the stage order, if anything.
fn violation(edge: &Edge) -> Option<String> {
    let (from, to) = (edge.from.as_str(), edge.to.as_str());
    let rank = |name: &str| STAGES.iter().position(|stage| *stage == name);
    let allowed = match from {
        ROOT => ROOT_MAY_USE.contains(&to),
        BINARY => BINARY_MAY_USE.contains(&to),
        _ => match (rank(from), rank(to)) {
            (Some(from_rank), Some(to_rank)) => to_rank < from_rank,
            _ => false,
        },
    };
    if !allowed {
        return Some(format!("{from} uses the later {to} ({})", edge.at));
    }
    if FORBIDDEN.contains(&(from, to)) {
        return Some(format!("{from} may not use {to} ({})", edge.at));
    }
    None
}

/// A cycle among the modules, if there is one, as `a -> b -> a`.
fn cycle(edges: &[Edge]) -> Option<String> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        graph.entry(&edge.from).or_default().insert(&edge.to);
    }
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut names = path[start..].to_vec();
            names.push(node);
            return Some(names.join(" -> "));
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(found) = visit(node, &graph, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
}

/// Asserts that every name found has a place in `order` (the table named `table`).
fn assert_placed<'a>(found: impl IntoIterator<Item = &'a String>, order: &[&str], table: &str) {
    let unplaced: Vec<&String> = found
        .into_iter()
        .filter(|name| !order.contains(&name.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "give these a place in {table}: {unplaced:?}"
    );
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_top_level_module_has_a_place_in_the_stage_order() {
    let (tops, _) = edges(&src());
    assert_placed(&tops, STAGES, "STAGES");
}

#[test]
fn modules_use_only_earlier_stages() {
    let (_, found) = edges(&src());
    assert!(!found.is_empty(), "no references found: the scan is broken");
    let violations: Vec<String> = found
        .iter()
        .filter(|edge| !PENDING.contains(&(edge.from.as_str(), edge.to.as_str())))
        .filter_map(violation)
        .collect();
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn there_is_no_cycle_between_modules() {
    let (_, found) = edges(&src());
    assert_eq!(cycle(&found), None);
}

// ---------------------------------------------------------------------------------------
// The scan itself, on small pieces of source.

fn tops(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn heads(relative: &str, text: &str) -> Vec<String> {
    let known = tops(&["load", "model", "render", "check", "source", "escape"]);
    references(relative, text, &known)
        .into_iter()
        .map(|(top, _)| top)
        .collect()
}

#[test]
fn the_scan_finds_paths_groups_and_climbing_supers() {
    assert_eq!(
        heads("check/refs.rs", "use crate::model::Project;"),
        ["model"]
    );
    assert_eq!(
        heads(
            "check/refs.rs",
            "use crate::{load::ids, model::{A, B}, source};"
        ),
        ["load", "model", "source"]
    );
    assert_eq!(
        heads("render/pages.rs", "use super::html::esc;"),
        Vec::<String>::new()
    );
    assert_eq!(
        heads("render/x/y.rs", "use super::super::super::load;"),
        ["load"]
    );
    assert_eq!(
        heads(
            "render/html.rs",
            "fn a() {}\nmod tests {\n    use super::*;\n}\n"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        heads(
            "render/html.rs",
            "mod tests {\n    use super::super::super::escape;\n}\n"
        ),
        ["escape"]
    );
    assert_eq!(heads("lib.rs", "let p = load::load(root)?;"), ["load"]);
    assert_eq!(heads("main.rs", "rasci::render::build();"), ["render"]);
}

#[test]
fn the_scan_skips_comments_and_strings() {
    let text = "//! See [`crate::render`].\n/* crate::check */\nlet s = \"crate::load\";\nlet r = r#\"crate::model\"#;\nlet c = '\"'; let d = crate::source::X;";
    assert_eq!(heads("diagrams/text.rs", text), ["source"]);
}

#[test]
fn a_reach_up_and_a_cycle_are_reported() {
    let edge = |from: &str, to: &str| Edge {
        from: from.into(),
        to: to.into(),
        at: "src/x.rs:1".into(),
    };
    assert!(violation(&edge("diagrams", "render")).is_some());
    assert!(violation(&edge("load", "check")).is_some());
    assert!(violation(&edge("model", "config")).is_none());
    assert!(violation(&edge("config", "model")).is_some());
    assert!(violation(&edge("plan", "escape")).is_some());
    assert!(violation(&edge("lib", "render")).is_some());
    assert!(violation(&edge("unknown", "source")).is_some());
    assert_eq!(
        cycle(&[edge("config", "model"), edge("model", "config")]),
        Some("config -> model -> config".to_string())
    );
    assert_eq!(cycle(&[edge("model", "config")]), None);
}

// ---------------------------------------------------------------------------------------
// Inside `render/`: the same rule between its files.

/// The files of `render/` in order, named by their path below `render/` without `.rs`
/// (`mod` is `render/mod.rs`). A file may use the files before it, never one after it, so
/// there is no circle between them either. `mod` runs the stage and comes last: its
/// children take what they share from leaves (`site`, `data`), never from it.
const RENDER_FILES: &[&str] = &[
    // Leaves: the budget of a template render, the Markdown chain.
    "budget",
    "highlight",
    "sanitize",
    "glossary",
    "markdown",
    // What rendering one page learns, and its table of contents.
    "out",
    // The theme, and the letters every template receives.
    "letters",
    "templates",
    // What every page is rendered from.
    "diagrams",
    "dates",
    "site",
    "data",
    // One page: its state, its views, the shortcodes that embed them, the page kinds.
    "env",
    "changes",
    "agreements",
    "views",
    "duties",
    "page_views",
    "shortcodes",
    "compare",
    "frameworks",
    "guides",
    "pages",
    // The site-wide outputs and the layout that wraps each page.
    "words",
    "search",
    "shards",
    "sitemap",
    "feed",
    "layout",
    "links",
    "outputs",
    // The render memo, then the stage.
    "memo",
    "mod",
];

/// The path of segments that starts `rest` (`a::b::c`), or one per entry of a group that
/// ends it (`a::{b, c::d}` gives `a::b` and `a::c`).
fn paths_from(rest: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = rest;
    loop {
        let head = ident(rest);
        if head.is_empty() {
            break;
        }
        segments.push(head.to_string());
        rest = &rest[head.len()..];
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => return vec![segments],
        }
    }
    if rest.starts_with('{') {
        group_heads(rest)
            .into_iter()
            .map(|head| {
                let mut path = segments.clone();
                path.push(head.to_string());
                path
            })
            .collect()
    } else {
        vec![segments]
    }
}

/// The render file a path below `render` names: the longest file the path starts with,
/// else `mod` (an item of `render/mod.rs`).
fn render_file_of(below: &[String], files: &BTreeSet<String>) -> String {
    (1..=below.len())
        .rev()
        .map(|len| below[..len].join("/"))
        .find(|name| files.contains(name))
        .unwrap_or_else(|| "mod".to_string())
}

/// The name of a file inside its top-level folder, as [`RENDER_FILES`] gives those of
/// `render/`: its path below the folder without `.rs`, and `mod` for the folder's `mod.rs`.
fn file_name(relative: &str) -> String {
    let path = module_path(relative);
    if path.len() == 1 {
        "mod".to_string()
    } else {
        path[1..].join("/")
    }
}

/// Every file-level use of one file of a top-level folder (`render/`, `check/`, …) by another, from the file's text:
/// `crate::render::x`, `super::x` (climbing as far as it does, counting inline modules),
/// `self::x`, and a bare `x::` that names a child module of the file's own module (how
/// `mod.rs` calls its children).
fn file_references(
    folder: &str,
    relative: &str,
    text: &str,
    files: &BTreeSet<String>,
) -> Vec<(String, usize)> {
    let code = code_only(text);
    let path = module_path(relative);
    let inline = inline_modules(&code);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let bytes = code.as_bytes();
    let own = file_name(relative);
    let mut found = Vec::new();
    let mut add = |absolute: Vec<String>, at: usize| {
        if absolute.len() > 1 && absolute[0] == folder {
            let to = render_file_of(&absolute[1..], files);
            found.push((to, line_of(at)));
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0 || !(is_ident(bytes[at - 1]) || bytes[at - 1] == b':');
        if !starts_word || !is_ident(bytes[at]) {
            at += 1;
            continue;
        }
        let rest = &code[at..];
        let word = ident(rest);
        // The module the code at `at` is in: the file's, and any inline module around it.
        let inside: Vec<String> = {
            let mut here = path.clone();
            here.extend(
                inline
                    .iter()
                    .filter(|(s, e)| *s < at && at < *e)
                    .map(|_| "(inline)".to_string()),
            );
            here
        };
        if word == "crate" && rest[5..].starts_with("::") {
            for p in paths_from(&rest[7..]) {
                add(p, at);
            }
        } else if word == "super" || word == "self" {
            let mut climbs = 0;
            let mut tail = rest;
            while let Some(after) = tail.strip_prefix("super::") {
                climbs += 1;
                tail = after;
            }
            if word == "self" {
                tail = tail.strip_prefix("self::").unwrap_or("");
            }
            if climbs <= inside.len() && !(word == "super" && climbs == 0) {
                let base = &inside[..inside.len() - climbs];
                if !base.iter().any(|s| s == "(inline)") {
                    for p in paths_from(tail) {
                        let mut absolute = base.to_vec();
                        absolute.extend(p);
                        add(absolute, at);
                    }
                }
            }
        } else if rest[word.len()..].starts_with("::") {
            let mut child = path.clone();
            child.push(word.to_string());
            if child.len() > 1 && child[0] == folder && files.contains(&child[1..].join("/")) {
                for p in paths_from(rest) {
                    let mut absolute = path.clone();
                    absolute.extend(p);
                    add(absolute, at);
                }
            }
        }
        at += word.len().max(1);
    }
    found.retain(|(to, _)| *to != own);
    found
}

/// Every edge between two files of one top-level folder under `src`, and the names of its
/// files.
fn folder_edges(src: &Path, folder: &str) -> (BTreeSet<String>, Vec<Edge>) {
    let root = src.join(folder);
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let relative = entry
                .path()
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            texts.push((relative, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    // A folder whose module file stands beside it (`model.rs` for `model/`): that file is
    // the folder's `mod`.
    let beside = src.join(format!("{folder}.rs"));
    if beside.is_file() {
        texts.push((
            format!("{folder}.rs"),
            std::fs::read_to_string(&beside).unwrap(),
        ));
    }
    let files: BTreeSet<String> = texts.iter().map(|(r, _)| file_name(r)).collect();
    let mut found = Vec::new();
    for (relative, text) in &texts {
        for (to, line) in file_references(folder, relative, text, &files) {
            found.push(Edge {
                from: file_name(relative),
                to,
                at: format!("src/{relative}:{line}"),
            });
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.from == b.from && a.to == b.to);
    (files, found)
}

/// What is wrong with one edge between render files under [`RENDER_FILES`], if anything.
fn render_violation(edge: &Edge) -> Option<String> {
    let rank = |name: &str| RENDER_FILES.iter().position(|file| *file == name);
    match (rank(&edge.from), rank(&edge.to)) {
        (Some(from), Some(to)) if to < from => None,
        _ => Some(format!(
            "render/{} uses render/{}, which does not come before it ({})",
            edge.from, edge.to, edge.at
        )),
    }
}

#[test]
fn every_render_file_has_a_place_in_the_order() {
    let (files, _) = folder_edges(&src(), "render");
    assert_placed(&files, RENDER_FILES, "RENDER_FILES");
}

#[test]
fn render_files_use_only_earlier_files_and_have_no_circle() {
    let (_, found) = folder_edges(&src(), "render");
    assert!(
        found.iter().any(|e| e.from == "mod"),
        "no references found: the scan is broken"
    );
    let violations: Vec<String> = found.iter().filter_map(render_violation).collect();
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(cycle(&found), None);
}

/// The top-level folders of `src/`, each a module of its own files.
fn folders(src: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

/// `render/` has an order of its files; every other folder is smaller, and only needs no
/// circle between its files: a child that takes an item from its `mod.rs` while `mod.rs`
/// calls it is one, however natural it looks.
#[test]
fn no_folder_has_a_circle_between_its_files() {
    let src = src();
    let all = folders(&src);
    assert!(all.len() >= 10, "too few folders found: {all:?}");
    let circles: Vec<String> = all
        .iter()
        .filter_map(|folder| {
            let (_, found) = folder_edges(&src, folder);
            cycle(&found).map(|circle| format!("{folder}/: {circle}"))
        })
        .collect();
    assert!(circles.is_empty(), "{circles:#?}");
}

#[test]
fn a_circle_between_a_mod_and_its_child_is_found() {
    let files: BTreeSet<String> = ["mod", "rules"].iter().map(|f| f.to_string()).collect();
    let mut found = Vec::new();
    for (relative, text) in [
        ("check/mod.rs", "fn run() { rules::all(); }"),
        ("check/rules.rs", "use super::Context;"),
    ] {
        for (to, _) in file_references("check", relative, text, &files) {
            found.push(Edge {
                from: file_name(relative),
                to,
                at: relative.to_string(),
            });
        }
    }
    assert!(cycle(&found).is_some(), "{found:?}");
}

fn render_heads(relative: &str, text: &str) -> Vec<String> {
    let files: BTreeSet<String> = ["mod", "env", "views", "site", "pages", "views/table"]
        .iter()
        .map(|f| f.to_string())
        .collect();
    file_references("render", relative, text, &files)
        .into_iter()
        .map(|(to, _)| to)
        .collect()
}

#[test]
fn the_render_scan_finds_files_items_of_mod_and_children() {
    assert_eq!(
        render_heads("render/env.rs", "use super::views::X;"),
        ["views"]
    );
    assert_eq!(
        render_heads("render/env.rs", "use super::{site::Site, SiteData};"),
        ["site", "mod"]
    );
    assert_eq!(
        render_heads("render/env.rs", "let p = crate::render::pages::render();"),
        ["pages"]
    );
    assert_eq!(
        render_heads(
            "render/mod.rs",
            "mod env;\nfn f() { env::PageEnv::new(); self::site::Site::default(); }"
        ),
        ["env", "site"]
    );
    assert_eq!(
        render_heads(
            "render/views/table.rs",
            "use super::super::env::PageEnv; use super::Row;"
        ),
        ["env", "views"]
    );
    assert_eq!(
        render_heads("render/env.rs", "mod tests {\n    use super::*;\n}\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        render_heads(
            "render/env.rs",
            "// super::views\nlet s = \"super::pages\";"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_circle_between_render_files_is_reported() {
    let edge = |from: &str, to: &str| Edge {
        from: from.into(),
        to: to.into(),
        at: "src/render/x.rs:1".into(),
    };
    // `views` uses `env`, and `env` using `views` back would close a circle.
    assert!(render_violation(&edge("views", "env")).is_none());
    assert!(render_violation(&edge("env", "views")).is_some());
    // A child taking a shared type from `mod.rs`, which calls it.
    assert!(render_violation(&edge("pages", "mod")).is_some());
    assert!(render_violation(&edge("unplaced", "site")).is_some());
    assert_eq!(
        cycle(&[edge("env", "views"), edge("views", "env")]),
        Some("env -> views -> env".to_string())
    );
}

#[test]
fn render_has_no_re_exports() {
    // A caller imports a function from the file that holds it: a `pub use` in `render/`
    // would hide where it lives.
    let root = src().join("render");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let code = code_only(&std::fs::read_to_string(entry.path()).unwrap());
            for (line, text) in code.lines().enumerate() {
                let text = text.trim_start();
                if text.starts_with("pub use ") || text.starts_with("pub(crate) use ") {
                    let name = entry.path().strip_prefix(&root).unwrap().display();
                    found.push(format!("src/render/{name}:{}", line + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "re-exports in render/: {found:#?}");
}

#[test]
fn no_render_file_is_over_700_lines() {
    // A file that grows past this holds more than one job: split it by job.
    let root = src().join("render");
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let lines = std::fs::read_to_string(entry.path())
                .unwrap()
                .lines()
                .count();
            if lines > 700 {
                let name = entry.path().strip_prefix(&root).unwrap().display();
                long.push(format!("src/render/{name}: {lines} lines"));
            }
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}
