//! The example's deployment pages against the seed pages they reproduce
//! (`tests/fixtures/seeds/`), element by element: title, subtitle, summaries, table,
//! legend, systems and flow summary. Every difference the example makes on purpose is
//! named here and in `tests/fixtures/seeds/README.md`; any other difference fails.

use crate::support::{build_clean, page, repo, sel};
use scraper::{ElementRef, Html};

/// A summary of a seed page: its title, its intro, and its items (nesting level, text).
type SeedSummary = (String, String, Vec<(usize, String)>);

/// One seed page, read from its flattened text.
#[derive(Debug, Default)]
struct Seed {
    title: String,
    subtitle: String,
    summaries: Vec<SeedSummary>,
    /// Rows: section heading ("" for the general rows), task, non-empty cells in order.
    rows: Vec<(String, String, Vec<String>)>,
    legend: Vec<(String, String)>,
    systems_heading: String,
    systems: Vec<String>,
    flow_summary: Vec<String>,
}

/// The definitions the flattening wrote into the running text (intended difference 4):
/// each from its first words to its last.
const INLINE_DEFINITIONS: [(&str, &str); 3] = [
    (
        "A dedicated and trusted instance",
        "[Taken from Microsoft Docs]",
    ),
    ("The Session Initiation Protocol", "HTTP and SMTP."),
    (
        "Customer Relationship Management, or CRM",
        "potential customers.",
    ),
];

/// Facts spelt otherwise on purpose (intended difference 5): seed form, example form.
const RESPELT: [(&str, &str); 2] = [
    ("ClientSecrets", "client secrets"),
    ("Connectionstrings", "connection strings"),
];

/// The summary headings each page shows (intended difference 6): heading, scope id.
const HEADING_SCOPES: [(&str, &str); 2] = [
    ("Anywhere365 Dialogue Cloud specific", "cloud"),
    ("On-premises specific", "onprem"),
];

fn strip_definitions(text: &str) -> String {
    let mut text = text.to_string();
    for (first, last) in INLINE_DEFINITIONS {
        if let Some(start) = text.find(first) {
            let end = text[start..].find(last).expect("a definition ends") + start + last.len();
            text.replace_range(start..end, "");
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cells at the end of a flattened row, in order: "C, S A, R C, I" → three cells.
fn split_row(line: &str) -> (String, Vec<String>) {
    let mut words: Vec<&str> = line.split(' ').collect();
    let mut cells: Vec<Vec<&str>> = Vec::new();
    while let Some(&word) = words.last() {
        let letter = word.trim_end_matches(',');
        if letter.len() != 1 || !"RASCI".contains(letter) {
            break;
        }
        words.pop();
        if word.ends_with(',') {
            cells
                .last_mut()
                .expect("a letter follows")
                .insert(0, letter);
        } else {
            cells.push(vec![letter]);
        }
    }
    let cells = cells.into_iter().rev().map(|c| c.join(", ")).collect();
    (words.join(" "), cells)
}

fn read_seed(name: &str) -> Seed {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/seeds").join(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut seed = Seed {
        title: lines[0].trim().to_string(),
        ..Seed::default()
    };
    let mut part = "";
    let mut section = String::new();
    for line in lines.iter().skip(1) {
        let bullet = line.trim_start().strip_prefix("• ");
        let level = (line.len() - line.trim_start().len()) / 4;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line {
            "Anywhere365 Responsibility Summary" | "Customer's Responsibility Summary" => {
                part = "summary";
                seed.summaries
                    .push((line.to_string(), String::new(), Vec::new()));
                continue;
            }
            "RASCI table" => {
                part = "table";
                continue;
            }
            "Flow" | "Summary" => continue,
            _ => {}
        }
        if line.starts_with("Systems overview") {
            part = "systems";
            seed.systems_heading = line.to_string();
            continue;
        }
        match part {
            "" if seed.subtitle.is_empty() => seed.subtitle = line.to_string(),
            "summary" => {
                let summary = seed.summaries.last_mut().unwrap();
                match bullet {
                    Some(item) => summary.2.push((level, strip_definitions(item))),
                    None => summary.1 = strip_definitions(line),
                }
            }
            "table" if line.starts_with("Task & Involved party") => {}
            "table" if line.len() > 2 && line.as_bytes()[1] == b':' => {
                let (letter, meaning) = line.split_once(": ").unwrap();
                seed.legend.push((letter.to_string(), meaning.to_string()));
            }
            "table" => {
                let (task, cells) = split_row(line);
                if cells.is_empty() {
                    section = task;
                } else {
                    seed.rows.push((section.clone(), task, cells));
                }
            }
            // The systems are "name: Managed by …"; the flow summary follows them.
            "systems" if line.contains(": Managed by ") => seed
                .systems
                .push(bullet.expect("systems are bullets").trim().to_string()),
            "systems" => seed.flow_summary.push(bullet.unwrap().trim().to_string()),
            _ => {}
        }
    }
    seed
}

/// The text a reader sees: without glossary definitions (tooltips), words for screen
/// readers only, "link to this section" anchors, and condition badges (intended
/// difference 10).
fn visible(element: ElementRef<'_>) -> String {
    let text: String = element
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors().any(|a| {
                ElementRef::wrap(a).is_some_and(|e| {
                    e.value().classes().any(|c| {
                        c == "term-def"
                            || c == "visually-hidden"
                            || c == "anchor"
                            || c == "condition-badge"
                    }) || e.value().attr("aria-hidden") == Some("true")
                        && e.value().name() != "span"
                })
            })
        })
        .map(|(_, t)| t.to_string())
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The facts of a sentence: words with a digit, a slash, two capitals or an address
/// (numbers, names such as `Anywhere365` and `PowerBI`, acronyms, URLs).
fn facts(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| "(),.;:".contains(c)))
        .filter(|w| {
            w.chars().any(|c| c.is_ascii_digit() || c == '/')
                || w.chars().filter(char::is_ascii_uppercase).count() >= 2
        })
        .map(|w| {
            RESPELT
                .iter()
                .find(|(seed, _)| *seed == w)
                .map_or(w.to_string(), |(_, ours)| ours.to_string())
        })
        .collect()
}

/// Every fact of the seed's sentence is in the page's (intended difference 3: the words
/// around them are the project's own).
fn assert_same_facts(what: &str, seed: &str, ours: &str) {
    for fact in facts(seed) {
        assert!(
            ours.contains(&fact),
            "{what}: the seed's `{fact}` is missing from {ours:?} (seed: {seed:?})"
        );
    }
}

fn compare(doc: &Html, seed: &Seed, scope: &str) {
    // 1: the title is the deployment's name and the page's label.
    let h1 = visible(doc.select(&sel("h1")).next().unwrap());
    assert_eq!(h1, format!("{}: RASCI for operational support", seed.title));
    let subtitle = doc.select(&sel("main p.subtitle")).next().map(visible);
    assert_eq!(subtitle.as_deref(), Some(seed.subtitle.as_str()));

    // Summaries: title exact, intro and items fact for fact, nesting kept; headings of
    // another deployment left out (6).
    let sections: Vec<ElementRef> = doc.select(&sel("section.summary")).collect();
    assert_eq!(sections.len(), seed.summaries.len());
    for (section, (title, intro, items)) in sections.iter().zip(&seed.summaries) {
        assert_eq!(visible(section.select(&sel("h3")).next().unwrap()), *title);
        let our_intro = visible(section.select(&sel(":scope > p")).next().unwrap());
        assert_same_facts(title, intro, &our_intro);
        let mut expected: Vec<(usize, String)> = Vec::new();
        let mut skipping = false;
        for (level, text) in items {
            if *level == 0 {
                skipping = HEADING_SCOPES
                    .iter()
                    .any(|(heading, only)| heading == text && *only != scope);
            }
            if !skipping {
                expected.push((*level, text.clone()));
            }
        }
        let ours: Vec<(usize, String)> = section
            .select(&sel("li"))
            .map(|li| {
                let level = li
                    .ancestors()
                    .filter(|a| ElementRef::wrap(*a).is_some_and(|e| e.value().name() == "li"));
                let text = match li.select(&sel(":scope > strong.summary-heading")).next() {
                    Some(heading) => visible(heading),
                    None => visible(li),
                };
                (level.count(), text)
            })
            .collect();
        assert_eq!(
            ours.len(),
            expected.len(),
            "{title} on {scope}: {ours:#?} against {expected:#?}"
        );
        for ((level, text), (seed_level, seed_text)) in ours.iter().zip(&expected) {
            assert_eq!(level, seed_level, "nesting of {text:?}");
            if HEADING_SCOPES.iter().any(|(h, _)| h == seed_text) {
                assert_eq!(text, seed_text);
            } else {
                assert_same_facts(title, seed_text, text);
            }
        }
    }

    // The table: sections, tasks and the letters of every non-empty cell, in the writer's
    // order; the flattened seed lost the empty cells, so those are compared in order.
    let table = doc.select(&sel("table.rasci")).next().unwrap();
    let header: Vec<String> = table.select(&sel("thead th")).map(visible).collect();
    assert_eq!(
        header,
        [
            "Task & Involved party",
            "Anywhere365",
            "Customer",
            "End-users"
        ]
    );
    let mut rows = Vec::new();
    let mut section = String::new();
    for tr in table.select(&sel("tbody tr")) {
        if let Some(th) = tr.select(&sel("th[scope=rowgroup]")).next() {
            section = visible(th);
            continue;
        }
        let task = visible(tr.select(&sel("th[scope=row]")).next().unwrap());
        let cells: Vec<String> = tr
            .select(&sel("td"))
            .map(|td| {
                td.select(&sel("abbr.badge > span[aria-hidden=true]"))
                    .map(|s| s.text().collect::<String>())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|cell| !cell.is_empty())
            .collect();
        rows.push((section.clone(), task, cells));
    }
    assert_eq!(rows, seed.rows);

    // The legend, letter for letter and word for word.
    let legend: Vec<(String, String)> = doc
        .select(&sel(".rasci-block dl.legend .legend-item"))
        .map(|item| {
            let letter = item
                .select(&sel("dt span[aria-hidden=true]"))
                .next()
                .unwrap();
            let meaning = visible(item.select(&sel("dd")).next().unwrap());
            (letter.text().collect(), meaning)
        })
        .collect();
    assert_eq!(legend, seed.legend);

    // Systems: the heading with its qualifier, each system and its manager (7: the
    // party's name as the parties file writes it).
    let systems_heading = doc.select(&sel("h2#systems-overview")).next().unwrap();
    assert_eq!(visible(systems_heading), seed.systems_heading);
    let systems: Vec<String> = doc
        .select(&sel("ul.systems > li"))
        .map(|li| {
            let name = visible(li.select(&sel(".system-name")).next().unwrap());
            let managed = visible(li.select(&sel(".managed")).next().unwrap());
            format!("{name}: {managed}").to_lowercase()
        })
        .collect();
    let seed_systems: Vec<String> = seed.systems.iter().map(|s| s.to_lowercase()).collect();
    assert_eq!(systems, seed_systems);
    // 8: the drawing shows the same systems and no other.
    let drawing = doc.select(&sel("svg.rasci-diagram-systems")).next();
    if let Some(svg) = drawing {
        let labels = svg
            .select(&sel("text"))
            .map(|t| t.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        // A long name is set on two lines (tspans): compare without spaces.
        let labels: String = labels.split_whitespace().collect();
        for system in &seed.systems {
            let name: String = system
                .split(": Managed by")
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            assert!(labels.contains(&name), "{name} is not drawn: {labels}");
        }
        assert!(
            !labels.contains("infrastructure"),
            "the drawing has a system the seeds lack: {labels}"
        );
    }

    // 9: the flow summary, bullet for bullet and fact for fact.
    let flow: Vec<String> = doc
        .select(&sel("ul.flow-summary > li"))
        .map(visible)
        .collect();
    assert_eq!(flow.len(), seed.flow_summary.len(), "{flow:#?}");
    for (ours, theirs) in flow.iter().zip(&seed.flow_summary) {
        assert_same_facts("flow summary", theirs, ours);
    }
}

#[test]
fn seed_files_read_as_the_pages_they_flatten() {
    let cloud = read_seed("dialogue-cloud.txt");
    assert_eq!(cloud.title, "Dialogue Cloud");
    assert_eq!(
        cloud.subtitle,
        "RASCI Customer - Anywhere365 for Operational Support"
    );
    assert_eq!(cloud.rows.len(), 14);
    assert_eq!(
        cloud.rows[5],
        (
            String::new(),
            "Change request from end-user".to_string(),
            vec!["C, S".to_string(), "A, R".into(), "C, I".into()]
        )
    );
    assert_eq!(cloud.legend.len(), 5);
    assert_eq!(cloud.systems.len(), 3);
    assert_eq!(cloud.flow_summary.len(), 3);
    assert_eq!(cloud.summaries.len(), 2);
    assert!(!cloud.summaries[1].1.contains("Microsoft Docs"));
    let onprem = read_seed("on-premises.txt");
    assert_eq!(onprem.title, "On Premises");
    assert_eq!(onprem.rows.len(), 18);
    assert_eq!(onprem.flow_summary.len(), 3);
}

#[test]
fn deployment_pages_match_the_seed_pages_element_by_element() {
    let files = build_clean(repo());
    compare(
        &page(&files, "cloud/index.html"),
        &read_seed("dialogue-cloud.txt"),
        "cloud",
    );
    compare(
        &page(&files, "onprem/index.html"),
        &read_seed("on-premises.txt"),
        "onprem",
    );
}

#[test]
fn the_seed_comparison_finds_a_changed_fact() {
    let mut seed = read_seed("dialogue-cloud.txt");
    seed.flow_summary[1] = seed.flow_summary[1].replace("L2/L3", "L4");
    let files = build_clean(repo());
    let doc = page(&files, "cloud/index.html");
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        compare(&doc, &seed, "cloud")
    }));
    assert!(
        failed.is_err(),
        "a fact the page lacks must fail the comparison"
    );
}
