//! The rasci project of the site benchmark: 2 scopes, 6 parties, 40 tasks in 4 sections, a
//! small glossary and N content pages, each in one of the two scopes, written as
//! documentation is (2-4 KB of Markdown with headings, paragraphs with inline code, a list,
//! a table, a fenced block in one of five languages and links to other pages). Included with
//! `#[path]` by the `site` benchmark, which lays the same pages out for the peers, and by
//! the `serve` benchmark, which times a save on them.

use std::fmt::Write as _;
use std::path::Path;

const PARTIES: usize = 6;
const SECTIONS: usize = 4;
const TASKS_PER_SECTION: usize = 10;
const SCOPES: [(&str, &str); 2] = [("cloud", "Cloud"), ("onprem", "On Premises")];

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

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

/// The front matter of page `i` of `pages`, as YAML (rasci, Hugo).
pub fn front_matter(i: usize, with_scope: bool) -> String {
    let word = |k: usize| WORDS[(i * 7 + k * 3) % WORDS.len()];
    let mut text = format!(
        "---\ntitle: Guide {i:05} on {} {}\ndescription: How the {} of case {i} is handled, step by step.\nweight: {}\n",
        word(0),
        word(1),
        word(2),
        10 + i
    );
    if with_scope {
        writeln!(text, "scopes: [{}]", SCOPES[i % 2].0).unwrap();
    }
    text.push_str("---\n\n");
    text
}

/// The Markdown body of page `i` of `pages`, the same for every generator, written the way
/// documentation is: headings, paragraphs with inline code, a list, a table, one fenced
/// block whose language rotates through Rust, YAML, Bash, JSON and Python, and four links
/// to other pages. Pages come to 2-4 KB of Markdown. Links go to pages of the same scope
/// (same parity), so they resolve in the rasci site.
pub fn body(i: usize, pages: usize) -> String {
    let word = |k: usize| WORDS[(i * 7 + k * 3) % WORDS.len()];
    let links = [2, 10, 36, 98].map(|step| (i + step) % pages);
    let mut text = String::new();
    writeln!(text, "# Guide {i:05}: {} and {}\n", word(0), word(1)).unwrap();
    for (p, link) in links.iter().enumerate() {
        writeln!(
            text,
            "When a {} {} reaches the first line, the customer checks the {} before anything \
             else: the value of `{}_id` in the tenant settings, the {} and the {} are compared \
             with what was agreed, and the outcome is written down in the case so that the \
             next person can pick it up without asking again. If the `{}` queue is full, the \
             case waits in `pending` and the {} is told when it moves; nothing is closed \
             before the reporter confirms. Paragraph {p} of guide {i}, see [the {} guide]({:05}.md).\n",
            word(p),
            word(p + 1),
            word(p + 2),
            word(p + 3),
            word(p + 4),
            word(p + 5),
            word(p + 6),
            word(p + 7),
            word(p + 8),
            link
        )
        .unwrap();
    }
    writeln!(
        text,
        "## Steps\n\n1. Confirm the {} with `status --verbose`.\n2. Collect logs and the **time** of the {}.\n3. Open a case with priority `P{}`.\n4. Follow up until the case is closed.\n",
        word(5),
        word(6),
        i % 4 + 1
    )
    .unwrap();
    writeln!(
        text,
        "## Who does what\n\n| Party | Role | Notes |\n|---|---|---|\n| Customer | first line | owns the {} |\n| Vendor | second line | checks the `{}` |\n| End-users | reporters | describe the {} |\n",
        word(7),
        word(8),
        word(9)
    )
    .unwrap();
    text.push_str("## Example\n\n");
    text.push_str(&code_block(i));
    writeln!(
        text,
        "\n## See also\n\n- [The next guide]({:05}.md)\n- [A later guide]({:05}.md)\n",
        links[0], links[1]
    )
    .unwrap();
    text
}

/// The fenced block of page `i`: 8-14 lines of Rust, YAML, Bash, JSON or Python, in turn.
fn code_block(i: usize) -> String {
    let priority = i % 4 + 1;
    match i % 5 {
        0 => format!(
            "```rust\n/// Escalates case {i} when its priority calls for it.\nfn escalate(case: &Case) -> Result<Level, Error> {{\n    let level = match case.priority {{\n        1 | 2 => Level::Second,\n        _ => Level::First,\n    }};\n    // Priority {priority}: log before handing over.\n    log::info!(\"case {{}} to {{:?}}\", case.id, level);\n    Ok(level)\n}}\n```\n"
        ),
        1 => format!(
            "```yaml\ncase: {i}\npriority: P{priority}\nsteps:\n  - confirm\n  - collect   # logs and times\n  - escalate\nowner: customer\nnotify: [vendor, end-users]\n```\n"
        ),
        2 => format!(
            "```bash\n#!/usr/bin/env bash\n# Collect the logs of case {i} and open it.\nset -euo pipefail\nsince=\"$(date -d '-2 hours' +%s)\"\nfor host in sbc-1 sbc-2; do\n  ssh \"$host\" journalctl --since \"@$since\" > \"logs/$host.txt\"\ndone\ntar czf case-{i}.tgz logs/ && echo \"priority P{priority}\"\n```\n"
        ),
        3 => format!(
            "```json\n{{\n  \"case\": {i},\n  \"priority\": \"P{priority}\",\n  \"steps\": [\"confirm\", \"collect\", \"escalate\"],\n  \"owner\": {{ \"party\": \"customer\", \"line\": 1 }},\n  \"closed\": false\n}}\n```\n"
        ),
        _ => format!(
            "```python\nimport json\n\ndef escalate(case: dict) -> str:\n    \"\"\"Return the line case {i} goes to.\"\"\"\n    if case[\"priority\"] in (\"P1\", \"P2\"):\n        return \"second\"\n    return \"first\"  # priority P{priority}\n\nprint(json.dumps({{\"case\": {i}, \"line\": escalate({{\"priority\": \"P{priority}\"}})}}))\n```\n"
        ),
    }
}

/// Writes the rasci project of `pages` content pages at `root`.
pub fn generate(root: &Path, pages: usize) {
    write(
        &root.join("rasci.yaml"),
        "title: Generated support hub\ndescription: A generated project for timing site builds.\n",
    );
    let mut parties = String::from("parties:\n");
    for p in 0..PARTIES {
        writeln!(
            parties,
            "  - id: party-{p}\n    name: Party {p}\n    description: Party number {p} of the generated project."
        )
        .unwrap();
    }
    write(&root.join("data/parties.yaml"), &parties);

    let sections: Vec<String> = (0..SECTIONS).map(|s| format!("section-{s}")).collect();
    let mut scopes = String::from("scopes:\n");
    for (n, (id, name)) in SCOPES.iter().enumerate() {
        // The first scope has the first three sections, the second all four.
        let own = &sections[..SECTIONS - 1 + n];
        writeln!(
            scopes,
            "  - id: {id}\n    name: {name}\n    description: The {name} deployment.\n    sections: [{}]",
            own.join(", ")
        )
        .unwrap();
    }
    write(&root.join("data/scopes.yaml"), &scopes);

    let mut tasks = String::from("sections:\n");
    for (s, id) in sections.iter().enumerate() {
        writeln!(tasks, "  - id: {id}\n    title: Section {s}\n    tasks:").unwrap();
        for t in 0..TASKS_PER_SECTION {
            let n = s * TASKS_PER_SECTION + t;
            let a = n % PARTIES;
            let s_ = (n + 1) % PARTIES;
            let c = (n + 2) % PARTIES;
            let i = (n + 3) % PARTIES;
            writeln!(
                tasks,
                "      - id: task-{n}\n        title: Task {n} on the tenant and its {}\n        rasci: {{ party-{a}: \"A, R\", party-{s_}: S, party-{c}: C, party-{i}: I }}",
                WORDS[n % WORDS.len()]
            )
            .unwrap();
        }
    }
    write(&root.join("data/tasks.yaml"), &tasks);

    write(
        &root.join("data/glossary.yaml"),
        "glossary:\n  - term: tenant\n    definition: One organisation's instance of the platform.\n  \
         - term: escalation\n    definition: Handing a case to the next line of support.\n",
    );
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Generated support hub\ndescription: Who does what, per deployment.\n---\n\n\
         # Generated support hub\n\nThis hub is generated to time site builds.\n",
    );
    for i in 0..pages {
        write(
            &root.join(format!("content/guides/{i:05}.md")),
            &(front_matter(i, true) + &body(i, pages)),
        );
    }
}
