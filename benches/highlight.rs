//! The cost of highlighting one code block, by language: loading the syntaxes, the first
//! block of a language (which compiles the patterns it reaches) and each further block.
//!
//! ```sh
//! cargo bench --bench highlight
//! cargo bench --bench highlight -- --lang rust --blocks 1
//! ```
//!
//! The blocks are those of the site benchmark's pages (`benches/site.rs`), numbered as a
//! page's is, plus a TOML one. Wall times need a quiet machine; on a busy one, count
//! instructions instead: run the bench binary under `valgrind --tool=callgrind` with
//! `--lang L --blocks 0`, `1` and `101`: the first block is the difference of the first
//! two, a further block a hundredth of the difference of the last two.

use std::time::{Duration, Instant};

/// The languages measured, in order: the site benchmark's five, then TOML.
const LANGUAGES: [&str; 6] = ["rust", "yaml", "bash", "json", "python", "toml"];

/// Block `i` of `lang`: 6-14 lines, one of them carrying the number of its page.
fn block(lang: &str, i: usize) -> String {
    let priority = i % 4 + 1;
    match lang {
        "rust" => format!(
            "/// Escalates case {i} when its priority calls for it.\nfn escalate(case: &Case) -> Result<Level, Error> {{\n    let level = match case.priority {{\n        1 | 2 => Level::Second,\n        _ => Level::First,\n    }};\n    // Priority {priority}: log before handing over.\n    log::info!(\"case {{}} to {{:?}}\", case.id, level);\n    Ok(level)\n}}\n"
        ),
        "yaml" => format!(
            "case: {i}\npriority: P{priority}\nsteps:\n  - confirm\n  - collect   # logs and times\n  - escalate\nowner: customer\nnotify: [vendor, end-users]\n"
        ),
        "bash" => format!(
            "#!/usr/bin/env bash\n# Collect the logs of case {i} and open it.\nset -euo pipefail\nsince=\"$(date -d '-2 hours' +%s)\"\nfor host in sbc-1 sbc-2; do\n  ssh \"$host\" journalctl --since \"@$since\" > \"logs/$host.txt\"\ndone\ntar czf case-{i}.tgz logs/ && echo \"priority P{priority}\"\n"
        ),
        "json" => format!(
            "{{\n  \"case\": {i},\n  \"priority\": \"P{priority}\",\n  \"steps\": [\"confirm\", \"collect\", \"escalate\"],\n  \"owner\": {{ \"party\": \"customer\", \"line\": 1 }},\n  \"closed\": false\n}}\n"
        ),
        "python" => format!(
            "import json\n\ndef escalate(case: dict) -> str:\n    \"\"\"Return the line case {i} goes to.\"\"\"\n    if case[\"priority\"] in (\"P1\", \"P2\"):\n        return \"second\"\n    return \"first\"  # priority P{priority}\n\nprint(json.dumps({{\"case\": {i}, \"line\": escalate({{\"priority\": \"P{priority}\"}})}}))\n"
        ),
        "toml" => format!(
            "[package]\nname = \"case-{i}\"\nversion = \"0.{priority}.0\"\n\n[dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\n"
        ),
        other => panic!("no block in {other}: --lang takes {}", LANGUAGES.join(",")),
    }
}

/// Highlights `block(lang, i)`, which must be a known language.
fn highlight(lang: &str, i: usize) -> usize {
    let code = block(lang, i);
    rasci::render::highlight::highlight(&code, lang)
        .expect("a known language")
        .len()
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let blocks: usize = value("--blocks").map_or(200, |v| v.parse().expect("--blocks N"));
    let languages: Vec<String> = value("--lang").map_or_else(
        || LANGUAGES.iter().map(|l| l.to_string()).collect(),
        |v| v.split(',').map(str::to_string).collect(),
    );
    if value("--lang").is_some() {
        // The form to count instructions: the work alone, no clock and no table.
        let bytes: usize = languages
            .iter()
            .flat_map(|lang| (0..blocks).map(move |i| highlight(lang, i)))
            .sum();
        println!("{bytes} bytes of markup");
        return;
    }
    let started = Instant::now();
    assert!(rasci::render::highlight::highlight("", "no-such-language").is_none());
    println!("loading the syntaxes: {}", micros(started.elapsed()));
    println!(
        "| block | first block | each further block (median of {}) |",
        blocks - 1
    );
    println!("|---|---:|---:|");
    for lang in &languages {
        let started = Instant::now();
        highlight(lang, 0);
        let first = started.elapsed();
        let mut further: Vec<Duration> = (1..blocks)
            .map(|i| {
                let started = Instant::now();
                highlight(lang, i);
                started.elapsed()
            })
            .collect();
        further.sort();
        let median = further.get(further.len() / 2).copied().unwrap_or_default();
        println!("| {lang} | {} | {} |", micros(first), micros(median));
    }
}
