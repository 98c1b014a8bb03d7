//! A generated documentation hub of N guides, written as `benches/site.rs` writes its
//! rasci project (2 deployments, 6 parties, 40 tasks, a small glossary, guides of 2-4 KB
//! with headings, paragraphs with inline code, a list, a table, a code block and links),
//! and what a reader's browser loads of its built site: the script and data a page
//! references before it is usable, and the shards a first search needs. Included with
//! `#[path]` by the `weight` benchmark (10,000 guides) and by the suite's `weight` test.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const WORDS: [&str; 16] = [
    "incident",
    "customer",
    "tenant",
    "support",
    "escalation",
    "priority",
    "platform",
    "change",
    "request",
    "outage",
    "backup",
    "monitoring",
    "release",
    "contract",
    "queue",
    "handover",
];

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes the project of `guides` guides at `root`, each in one of two deployments.
pub fn generate(root: &Path, guides: usize) {
    write(&root.join("rasci.yaml"), "title: Generated support hub\n");
    let mut parties = String::from("parties:\n");
    for p in 0..6 {
        writeln!(parties, "  - id: party-{p}\n    name: Party {p}").unwrap();
    }
    write(&root.join("data/parties.yaml"), &parties);
    write(
        &root.join("data/scopes.yaml"),
        "scopes:\n  - id: cloud\n    name: Cloud\n    sections: [section-0, section-1]\n  \
         - id: onprem\n    name: On Premises\n    sections: [section-0, section-1]\n",
    );
    let mut tasks = String::from("sections:\n");
    for s in 0..2 {
        writeln!(
            tasks,
            "  - id: section-{s}\n    title: Section {s}\n    tasks:"
        )
        .unwrap();
        for t in 0..20 {
            let n = s * 20 + t;
            writeln!(
                tasks,
                "      - id: task-{n}\n        title: Task {n} on the tenant and its {}\n        \
                 rasci: {{ party-{}: \"A, R\", party-{}: C }}",
                WORDS[n % WORDS.len()],
                n % 6,
                (n + 1) % 6
            )
            .unwrap();
        }
    }
    write(&root.join("data/tasks.yaml"), &tasks);
    write(
        &root.join("data/glossary.yaml"),
        "glossary:\n  - term: tenant\n    definition: One organisation's instance of the platform.\n",
    );
    for i in 0..guides {
        let word = |k: usize| WORDS[(i * 7 + k * 3) % WORDS.len()];
        let mut text = format!(
            "---\ntitle: Guide {i:05} on {} {}\ndescription: How the {} of case {i} is handled.\n\
             weight: {}\nscopes: [{}]\n---\n\n# Guide {i:05}: {} and {}\n\n",
            word(0),
            word(1),
            word(2),
            10 + i,
            ["cloud", "onprem"][i % 2],
            word(0),
            word(1)
        );
        for p in 0..4 {
            let link = (i + [2, 10, 36, 98][p]) % guides;
            writeln!(
                text,
                "When a {} {} reaches the first line, the customer checks the {} before anything \
                 else: the value of `{}_id` in the tenant settings, the {} and the {} are compared \
                 with what was agreed, and the outcome is written down in the case so that the \
                 next person can pick it up without asking again. If the `{}` queue is full, the \
                 case waits in `pending`. Paragraph {p} of guide {i}, see [the guide]({link:05}.md).\n",
                word(p),
                word(p + 1),
                word(p + 2),
                word(p + 3),
                word(p + 4),
                word(p + 5),
                word(p + 6),
            )
            .unwrap();
        }
        writeln!(
            text,
            "## Steps\n\n1. Confirm the {} with `status --verbose`.\n2. Collect logs.\n\n\
             ## Who does what\n\n| Party | Role |\n|---|---|\n| Customer | owns the {} |\n\n\
             ## Example\n\n```yaml\ncase: {i}\nowner: customer\n```\n",
            word(5),
            word(7)
        )
        .unwrap();
        write(&root.join(format!("content/guides/{i:05}.md")), &text);
    }
}

/// The path from the site root that `src`, written in the page at `page`, leads to.
fn resolve(page: &str, src: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in src.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The bytes of script and data the page at `path` loads before it is usable: its inline
/// scripts and the files its `<script src>` elements name (what the theme's scripts load
/// later, on the reader's request, is not among them).
pub fn page_script_bytes<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, path: &str) -> usize {
    let html = std::str::from_utf8(files[path].as_ref()).unwrap();
    let mut total = 0;
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        rest = &rest[at..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let close = rest.find("</script>").unwrap();
        total += close - tag_end - 1;
        if let Some(src) = tag.split("src=\"").nth(1) {
            let src = src.split('"').next().unwrap();
            let target = resolve(path, src);
            total += files
                .get(&target)
                .unwrap_or_else(|| panic!("{path} loads {target}, which the site lacks"))
                .as_ref()
                .len();
        }
        rest = &rest[close..];
    }
    total
}

/// The longest prefix of `word` among `keys` (the manifest's buckets, as `[key, file]`).
fn own_bucket(keys: &[serde_json::Value], word: &str) -> Option<usize> {
    keys.iter()
        .enumerate()
        .filter(|(_, key)| word.starts_with(key[0].as_str().unwrap()))
        .max_by_key(|(_, key)| key[0].as_str().unwrap().len())
        .map(|(n, _)| n)
}

/// The most bytes the first search for `query` can load, as the theme's search chooses
/// them: the manifest; the word shards of the query's words, of their first two letters
/// swapped and, within the search's budget of 480 KiB, of longer words they begin; and,
/// at most, the twelve largest record shards (the first twelve results).
pub fn first_search_bytes<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, query: &str) -> usize {
    let script = std::str::from_utf8(files["search-index.js"].as_ref()).unwrap();
    let json = script
        .strip_prefix("window.RASCI_SEARCH = ")
        .and_then(|rest| rest.strip_suffix(";\n"))
        .expect("search-index.js sets window.RASCI_SEARCH");
    let manifest: serde_json::Value = serde_json::from_str(json).unwrap();
    let keys = manifest["words"].as_array().unwrap();
    let sizes: Vec<usize> = manifest["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as usize)
        .collect();
    let file_of = |n: usize| keys[n][1].as_u64().unwrap() as usize;
    let mut needed = std::collections::BTreeSet::new();
    let mut extra = Vec::new();
    for word in query
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars: Vec<char> = word.chars().collect();
        if chars.len() > 1 {
            chars.swap(0, 1);
        }
        let swapped: String = chars.into_iter().collect();
        for own in [own_bucket(keys, word), own_bucket(keys, &swapped)]
            .into_iter()
            .flatten()
        {
            needed.insert(file_of(own));
        }
        for (n, key) in keys.iter().enumerate() {
            let key = key[0].as_str().unwrap();
            if key.len() > word.len() && key.starts_with(word) {
                extra.push(file_of(n));
            }
        }
    }
    let mut budget = 0;
    for file in extra {
        if !needed.contains(&file) && budget + sizes[file] <= 480 * 1024 {
            budget += sizes[file];
            needed.insert(file);
        }
    }
    let words: usize = needed.iter().map(|&file| sizes[file]).sum();
    let mut records: Vec<usize> = files
        .iter()
        .filter(|(path, _)| path.starts_with("static/search/r"))
        .map(|(_, bytes)| bytes.as_ref().len())
        .collect();
    records.sort_unstable_by(|a, b| b.cmp(a));
    script.len() + words + records.iter().take(12).sum::<usize>()
}

/// The bytes of the whole search index: the manifest and every shard.
pub fn index_bytes<B: AsRef<[u8]>>(files: &BTreeMap<String, B>) -> usize {
    files
        .iter()
        .filter(|(path, _)| *path == "search-index.js" || path.starts_with("static/search/"))
        .map(|(_, bytes)| bytes.as_ref().len())
        .sum()
}
