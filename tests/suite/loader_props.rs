//! Hostile and broken input: whatever a data file holds, loading and checking end with
//! findings, never a panic or a hang, and positions stay right with a BOM or CRLF.
//!
//! Each fuzzed file gets `PROPTEST_CASES` cases (default 200), so a longer run is
//! `PROPTEST_CASES=20000 cargo test --release --test suite loader_props::`.

use crate::support::{self, BuiltProject, repo};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rasci::diagnostic::Diagnostic;
use rasci::model::Project;
use rasci::report::Format;
use std::path::Path;

/// Cases per fuzzed file when `PROPTEST_CASES` is not set.
const CASES: u32 = 200;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

/// A copy of the example project's configuration and data (no content pages), whose
/// files the tests then overwrite.
fn example_copy() -> BuiltProject {
    support::Project::empty()
        .file(
            "rasci.yaml",
            std::fs::read(repo().join("rasci.yaml")).unwrap(),
        )
        .folder("data", &repo().join("data"))
        .build()
}

/// Loads and checks `root`, and renders the findings in every format, which reads every
/// span back from the sources.
fn analyze_and_render(root: &Path) -> (Project, Vec<Diagnostic>) {
    let (project, findings) =
        rasci::pipeline::check_project(root).expect("a project with rasci.yaml loads");
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
        let text = rasci::report::render(format, &findings, &project.sources, false);
        assert!(!text.is_empty());
    }
    (project, findings.diagnostics)
}

/// Runs `strategy` against one data file of a copy of the example project.
fn fuzz_file(file: &str, strategy: impl Strategy<Value = Vec<u8>>) {
    let project = example_copy();
    let path = project.root().join(file);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            analyze_and_render(project.root());
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_bytes_never_panic() {
    fuzz_file(
        "data/tasks.yaml",
        prop::collection::vec(any::<u8>(), 0..400),
    );
}

/// Lines of YAML-ish text from a small grammar: indentation, list dashes, keys the
/// loader knows, and values of every shape it meets (letters, flows, anchors, aliases).
fn yamlish() -> impl Strategy<Value = Vec<u8>> {
    let key = prop::sample::select(vec![
        "sections",
        "id",
        "title",
        "tasks",
        "rasci",
        "in",
        "vendor",
        "customer",
        "general",
        "cloud",
        "anywhere365",
        "description",
        "x",
        "? complex",
        "<<",
    ]);
    let value = prop::sample::select(vec![
        "",
        " A, R",
        " \"S, C, I\"",
        " [A, R]",
        " {}",
        " []",
        " &a general",
        " *a",
        " ~",
        " |",
        " >-",
        " 'quoted'",
        " \"\\u00e9\\x\"",
        " !!int 3",
        " { customer: \"A, R\" }",
        " [",
        " -1e400",
        " # comment",
    ]);
    let line = (0usize..5, any::<bool>(), key, any::<bool>(), value).prop_map(
        |(indent, dash, key, colon, value)| {
            let mut line = "  ".repeat(indent);
            if dash {
                line.push_str("- ");
            }
            line.push_str(key);
            if colon {
                line.push(':');
            }
            line.push_str(value);
            line
        },
    );
    prop::collection::vec(line, 0..30).prop_map(|lines| (lines.join("\n") + "\n").into_bytes())
}

#[test]
fn random_yaml_structure_never_panics() {
    fuzz_file("data/tasks.yaml", yamlish());
}

/// One edit of a text: cut a range, insert a fragment, or repeat a range.
#[derive(Clone, Debug)]
enum Edit {
    Cut(usize, usize),
    Insert(usize, &'static str),
    Repeat(usize, usize),
}

fn apply(text: &[u8], edit: &Edit) -> Vec<u8> {
    let at = |i: usize| i % (text.len() + 1);
    let range = |a: usize, b: usize| {
        let (a, b) = (at(a), at(b));
        (a.min(b), a.max(b))
    };
    match *edit {
        Edit::Cut(a, b) => {
            let (a, b) = range(a, b);
            [&text[..a], &text[b..]].concat()
        }
        Edit::Insert(i, fragment) => {
            let i = at(i);
            [&text[..i], fragment.as_bytes(), &text[i..]].concat()
        }
        Edit::Repeat(a, b) => {
            let (a, b) = range(a, b);
            [&text[..b], &text[a..b], &text[b..]].concat()
        }
    }
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let fragment = prop::sample::select(vec![
        "\n",
        "  ",
        "\t",
        ":",
        "- ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "&x ",
        "*x",
        "#",
        "é",
        "\u{feff}",
        "\r\n",
        "---\n",
        "...\n",
        "A, A",
        "in: { cloud: { customer: X } }",
    ]);
    let edit = prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Cut(a, b)),
        (any::<usize>(), fragment).prop_map(|(i, f)| Edit::Insert(i, f)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Repeat(a, b)),
    ];
    prop::collection::vec(edit, 1..6)
}

#[test]
fn mutations_of_the_example_tasks_never_panic() {
    let original = std::fs::read(repo().join("data/tasks.yaml")).unwrap();
    fuzz_file(
        "data/tasks.yaml",
        edits().prop_map(move |edits| {
            edits
                .iter()
                .fold(original.clone(), |text, edit| apply(&text, edit))
        }),
    );
}

#[test]
fn mutations_of_the_example_flows_never_panic() {
    let original = std::fs::read(repo().join("data/flows.yaml")).unwrap();
    fuzz_file(
        "data/flows.yaml",
        edits().prop_map(move |edits| {
            edits
                .iter()
                .fold(original.clone(), |text, edit| apply(&text, edit))
        }),
    );
}

// ---------------------------------------------------------------------------------------
// Explicit hostile documents

/// The findings of the example project with `file` replaced by `text`.
fn findings_with(file: &str, text: &str) -> (Project, Vec<Diagnostic>) {
    let project = example_copy();
    std::fs::write(project.root().join(file), text).unwrap();
    analyze_and_render(project.root())
}

/// The one finding of `rule`s in `file`, with its line.
fn located<'a>(
    project: &Project,
    diagnostics: &'a [Diagnostic],
    rules: &[&str],
    file: &str,
) -> (&'a Diagnostic, usize) {
    let found: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| rules.contains(&d.rule.as_str()))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one of {rules:?}: {diagnostics:#?}"
    );
    let primary = found[0].primary.as_ref().expect("located");
    assert_eq!(project.sources.path(primary.span.file), file);
    (found[0], project.sources.start(primary.span).line)
}

#[test]
fn an_alias_bomb_is_a_located_limit_finding() {
    // Ten anchors, each ten aliases of the one before: 10^9 nodes once expanded.
    let mut text =
        String::from("summaries:\n  - party: customer\n    items:\n      - &a0 {text: lol}\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("      - &a{level} {{items: [{aliases}]}}\n"));
    }
    let (project, diagnostics) = findings_with("data/summaries.yaml", &text);
    let (finding, line) = located(
        &project,
        &diagnostics,
        &["yaml/limit"],
        "data/summaries.yaml",
    );
    assert!((5..=13).contains(&line), "line {line}");
    // Said in a reader's words, not as the parser's debug dump.
    assert_eq!(finding.message, "the document is too large");
}

#[test]
fn an_alias_bomb_in_the_config_is_a_located_finding() {
    let mut text =
        String::from("title: x\ncheck:\n  rules:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("    a{level}: &a{level} [{aliases}]\n"));
    }
    let (project, diagnostics) = findings_with("rasci.yaml", &text);
    located(
        &project,
        &diagnostics,
        &["yaml/limit", "yaml/invalid-value", "yaml/syntax"],
        "rasci.yaml",
    );
}

#[test]
fn ten_thousand_open_brackets_are_a_located_finding() {
    let text = format!("sections: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (project, diagnostics) = findings_with("data/tasks.yaml", &text);
    let (_, line) = located(
        &project,
        &diagnostics,
        &["yaml/limit", "yaml/syntax", "yaml/invalid-value"],
        "data/tasks.yaml",
    );
    assert_eq!(line, 1);
}

#[test]
fn ten_thousand_nested_summary_items_are_a_limit_finding() {
    // Summary items nest by design, so this depth gets past the types to the limit.
    let depth = 10_000;
    let text = format!(
        "summaries:\n  - party: customer\n    items: {}[]{}\n",
        "[{text: t, items: ".repeat(depth),
        "}]".repeat(depth)
    );
    let (project, diagnostics) = findings_with("data/summaries.yaml", &text);
    let (finding, line) = located(
        &project,
        &diagnostics,
        &["yaml/limit", "yaml/syntax"],
        "data/summaries.yaml",
    );
    assert_eq!(line, 3);
    assert_eq!(finding.rule, rasci::diagnostic::RuleId::YamlLimit);
}

#[test]
fn ten_thousand_nested_block_lists_are_a_located_finding() {
    // `- - - x` is a list in a list in a list, in block style, on one line.
    let text = format!("parties:\n{}x\n", "- ".repeat(10_000));
    let (project, diagnostics) = findings_with("data/parties.yaml", &text);
    located(
        &project,
        &diagnostics,
        &["yaml/limit", "yaml/syntax", "yaml/invalid-value"],
        "data/parties.yaml",
    );
}

// ---------------------------------------------------------------------------------------
// Byte-order marks and CRLF line endings

/// (rule, file, line, column, text under the span) of every finding.
fn positions(root: &Path) -> Vec<(String, String, usize, usize, String)> {
    let (project, diagnostics) = analyze_and_render(root);
    diagnostics
        .iter()
        .map(|d| {
            let span = d.primary.as_ref().unwrap().span;
            let start = project.sources.start(span);
            (
                d.rule.to_string(),
                project.sources.path(span.file).to_string(),
                start.line,
                start.column,
                project.sources.slice(span).to_string(),
            )
        })
        .collect()
}

/// Rewrites every YAML file of `root` with `change`.
fn rewrite_all(root: &Path, change: impl Fn(&str) -> String) {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(entry.path(), change(&text)).unwrap();
        }
    }
}

#[test]
fn bom_and_crlf_keep_every_position() {
    let project = example_copy();
    // A few findings spread over the files, on top of the example's two warnings.
    let edit = |file: &str, from: &str, to: &str| {
        let path = project.root().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} holds {from:?}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "data/tasks.yaml",
        "rasci: { customer: \"A, R\" }",
        "rasci: { custmer: \"A, R\" }",
    );
    edit(
        "data/glossary.yaml",
        "    source: Microsoft",
        "    sources: Microsoft",
    );
    edit("data/flows.yaml", "to: log-case", "to: log-cases");
    let before = positions(project.root());
    assert!(before.len() >= 4, "{before:#?}");

    rewrite_all(project.root(), |text| {
        format!("\u{feff}{}", text.replace('\n', "\r\n"))
    });
    let after = positions(project.root());
    assert_eq!(before, after);
}

#[test]
fn a_bom_does_not_shift_the_first_line() {
    let project = example_copy();
    std::fs::write(
        project.root().join("data/parties.yaml"),
        "\u{feff}partys:\r\n  - id: customer\r\n    name: Customer\r\n",
    )
    .unwrap();
    let found = positions(project.root());
    let unknown: Vec<_> = found
        .iter()
        .filter(|f| f.0 == "yaml/unknown-field")
        .collect();
    assert_eq!(
        unknown,
        [&(
            "yaml/unknown-field".to_string(),
            "data/parties.yaml".to_string(),
            1,
            1,
            "partys".to_string()
        )]
    );
}

#[test]
fn crlf_letters_are_found_at_their_column() {
    let project = example_copy();
    let tasks = std::fs::read_to_string(project.root().join("data/tasks.yaml")).unwrap();
    std::fs::write(
        project.root().join("data/tasks.yaml"),
        tasks.replace('\n', "\r\n"),
    )
    .unwrap();
    let found = positions(project.root());
    assert!(
        found.contains(&(
            "rasci/responsible-and-supportive".to_string(),
            "data/tasks.yaml".to_string(),
            42,
            35,
            "S".to_string()
        )),
        "{found:#?}"
    );
}
