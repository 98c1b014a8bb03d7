//! Every mistake is told once, at its cause, in the writer's words: one finding per
//! mistake (the rules that only fail because of it stay quiet), at the line of the
//! mistake, with the exact message and help asserted.

use crate::support::{self, BuiltProject};
use assert_cmd::Command;
use rasci::diagnostic::Diagnostic;
use rasci::model::Project;
use std::path::Path;

const CONFIG: &str = "title: Test\n";
const PARTIES: &str =
    "parties:\n  - id: vendor\n    name: Vendor\n  - id: customer\n    name: Customer\n";
const SCOPES: &str = "scopes:\n  - id: main\n    name: Main\n    sections: [general]\n";
const TASKS: &str = "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"C\", customer: \"A, R\" }\n";

/// A project of `files` (path, text) on top of the base project, whose one task is the
/// customer's (A, R) with the vendor consulted (C); a text of `None` removes the file.
fn project(files: &[(&str, Option<&str>)]) -> BuiltProject {
    let mut project = support::Project::base()
        .file("rasci.yaml", CONFIG)
        .file("data/tasks.yaml", TASKS);
    for (path, text) in files {
        project = match text {
            Some(text) => project.file(path, text),
            None => project.without(path),
        };
    }
    project.build()
}

/// The findings of `rasci check`, as the library computes them.
fn check(root: &Path) -> (Project, Vec<Diagnostic>) {
    let (project, findings) = rasci::pipeline::check_project(root).expect("project loads");
    (project, findings.diagnostics)
}

fn findings_of(files: &[(&str, Option<&str>)]) -> Vec<String> {
    let dir = project(files);
    let (project, diagnostics) = check(dir.root());
    support::finding_lines(&project, &diagnostics)
}

#[test]
fn the_clean_project_has_no_findings() {
    assert_eq!(findings_of(&[]), Vec::<String>::new());
}

#[test]
fn a_misspelt_party_in_a_cell_is_one_finding_and_the_matrix_rules_stay_quiet() {
    // Without the cause, this task has no A and no R, and `customer` holds no letter.
    let tasks = TASKS.replace("customer: \"A, R\"", "custmer: \"A, R\"");
    assert_eq!(
        findings_of(&[("data/tasks.yaml", Some(&tasks))]),
        [
            "ref/unknown-party | unknown party `custmer` | data/tasks.yaml:6:31 | did you mean `customer`?"
        ]
    );
}

#[test]
fn a_misspelt_party_does_not_hide_a_mistake_of_its_own_row() {
    // Two other parties are Accountable: that stays wrong whatever `custmer` was meant to be.
    let tasks = TASKS.replace(
        "{ vendor: \"C\", customer: \"A, R\" }",
        "{ vendor: \"A, R\", customer: \"A\", custmer: \"I\" }",
    );
    let found = findings_of(&[("data/tasks.yaml", Some(&tasks))]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("rasci/one-accountable | task `run` has 2 Accountable parties (scope `main`) | data/tasks.yaml:4:13"), "{found:#?}");
    assert!(found[1].starts_with("ref/unknown-party | unknown party `custmer` | data/tasks.yaml:6:49 | did you mean `customer`?"), "{found:#?}");
}

#[test]
fn an_override_for_a_misspelt_scope_is_one_finding() {
    // The override gives the only A; without it the task would have none in `main`.
    let tasks = TASKS.replace(
        "rasci: { vendor: \"C\", customer: \"A, R\" }",
        "rasci: { vendor: \"C\", customer: \"R\" }\n        in: { mian: { customer: \"A, R\" } }",
    );
    assert_eq!(
        findings_of(&[("data/tasks.yaml", Some(&tasks))]),
        ["ref/unknown-scope | unknown scope `mian` | data/tasks.yaml:7:15 | did you mean `main`?"]
    );
}

#[test]
fn a_misspelt_section_in_a_scope_is_one_finding() {
    // Without the cause, section `general` is shown by no scope.
    let scopes = SCOPES.replace("[general]", "[genral]");
    assert_eq!(
        findings_of(&[("data/scopes.yaml", Some(&scopes))]),
        [
            "ref/unknown-section | unknown section `genral` | data/scopes.yaml:4:16 | did you mean `general`?"
        ]
    );
}

#[test]
fn a_missing_data_file_is_one_finding_naming_it() {
    for kind in ["parties", "scopes", "tasks"] {
        let path = format!("data/{kind}.yaml");
        assert_eq!(
            findings_of(&[(&path, None)]),
            [format!(
                "file/missing | there is no `data/{kind}.yaml`: the project defines no {kind} | - | create `data/{kind}.yaml` (or files in `data/{kind}/`); `rasci init` writes an example of each"
            )],
            "{kind}"
        );
    }
}

#[test]
fn files_in_a_folder_of_the_kind_count_as_present() {
    let found = findings_of(&[
        ("data/parties.yaml", None),
        ("data/parties/all.yaml", Some(PARTIES)),
    ]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_missing_data_file_is_named_by_check_with_exit_1() {
    let dir = project(&[("data/parties.yaml", None)]);
    let output = Command::cargo_bin("rasci")
        .unwrap()
        .args(["check", "--root"])
        .arg(dir.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(
            "error[file/missing]: there is no `data/parties.yaml`: the project defines no parties\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 error, 0 warnings\n"), "{text}");
}

#[test]
fn an_unquoted_cell_split_by_yaml_says_so_and_shows_the_quoted_form() {
    let tasks = TASKS.replace("customer: \"A, R\"", "customer: A, R");
    assert_eq!(
        findings_of(&[("data/tasks.yaml", Some(&tasks))]),
        [
            "ref/unknown-party | YAML split the cell `customer: A, R` at its comma | data/tasks.yaml:6:41 | quote letters that hold a comma: `{ customer: \"A, R\" }`"
        ]
    );
    // Three letters: still one finding for the cell.
    let tasks = TASKS.replace("customer: \"A, R\"", "customer: A, R, I");
    assert_eq!(
        findings_of(&[("data/tasks.yaml", Some(&tasks))]),
        [
            "ref/unknown-party | YAML split the cell `customer: A, R, I` at its comma | data/tasks.yaml:6:41 | quote letters that hold a comma: `{ customer: \"A, R, I\" }`"
        ]
    );
}

/// The one finding of a `data/parties.yaml` holding `text`.
fn parties_finding(text: &str) -> String {
    let found = findings_of(&[("data/parties.yaml", Some(text))]);
    assert_eq!(found.len(), 1, "{found:#?}");
    for jargon in ["saphyr", "serde", "invalid type", "scalar", "i64"] {
        assert!(!found[0].contains(jargon), "{found:#?}");
    }
    found[0].clone()
}

#[test]
fn a_tab_used_for_indentation_is_reported_at_its_line() {
    let text = "parties:\n  - id: vendor\n    name: Vendor\n  - id: customer\n\tname: Customer\n";
    assert_eq!(
        parties_finding(text),
        "yaml/syntax | a tab is used for indentation | data/parties.yaml:5:1 | YAML indents with spaces only: replace the tab with spaces"
    );
}

#[test]
fn a_tab_deep_in_a_file_is_reported_at_its_line_not_the_one_before() {
    let mut text = String::from("parties:\n");
    for i in 0..19 {
        text.push_str(&format!("  - id: p{i}\n    name: P{i}\n"));
    }
    // Line 40 is the `name:` line of the last party.
    text.push_str("  - id: customer\n    name: Customer\n");
    text.push_str("\t  description: Buys\n");
    assert_eq!(text.lines().nth(41), Some("\t  description: Buys"));
    assert_eq!(
        parties_finding(&text),
        "yaml/syntax | a tab is used for indentation | data/parties.yaml:42:1 | YAML indents with spaces only: replace the tab with spaces"
    );
}

#[test]
fn an_unclosed_quote_points_at_the_quote() {
    let text =
        "parties:\n  - id: vendor\n    name: \"Vendor\n  - id: customer\n    name: Customer\n";
    assert_eq!(
        parties_finding(text),
        "yaml/syntax | this quote is never closed | data/parties.yaml:3:11 | end the text with the same quote mark; inside \"…\" write a quote as \\\", inside '…' as ''"
    );
}

#[test]
fn an_unclosed_bracket_points_at_the_bracket() {
    let text = "parties:\n  - id: vendor\n    name: Vendor\n  - { id: customer, name: Customer\n";
    assert_eq!(
        parties_finding(text),
        "yaml/syntax | this `{` is never closed | data/parties.yaml:4:5 | close it with `}`, or write the items as indented lines instead"
    );
}

#[test]
fn a_missing_space_after_a_colon_shows_the_fixed_line() {
    let text = "parties:\n  - id: vendor\n    name:Vendor\n  - id: customer\n    name: Customer\n";
    assert_eq!(
        parties_finding(text),
        "yaml/syntax | a key's `:` needs a space after it | data/parties.yaml:3:5 | write `name: Vendor`"
    );
    let text = "parties:\n  - id:vendor\n    name: Vendor\n";
    assert_eq!(
        parties_finding(text),
        "yaml/invalid-value | expected `key: value` lines here | data/parties.yaml:2:5 | write a space after the colon: `id: vendor`"
    );
}

#[test]
fn a_list_item_under_a_value_is_named() {
    let text = "parties:\n  - id: vendor\n    name: Vendor\n    - x\n  - id: customer\n    name: Customer\n";
    assert_eq!(
        parties_finding(text),
        "yaml/syntax | a list item where a key was expected | data/parties.yaml:4:5 | a key with a value cannot also hold a list: put the list under a key of its own (`key:` and then indented `- item` lines), or indent the item like the list above it"
    );
}

#[test]
fn values_of_the_wrong_type_are_told_in_plain_words() {
    assert_eq!(
        parties_finding("parties: everyone\n"),
        "yaml/invalid-value | expected a list here | data/parties.yaml:1:10 | write each item on its own line starting with `- `, or as `[a, b]`"
    );
    assert_eq!(
        parties_finding("parties:\n  - id: [vendor]\n    name: V\n"),
        "yaml/invalid-value | expected a text here, not a list or a mapping | data/parties.yaml:2:9 | write the value on the line of its key; quote it if it holds `: `, `#`, `[` or `{`"
    );
}

// ---------------------------------------------------------------------------------------
// Links in content pages.

const GUIDE: &str = "---\ntitle: Guide\n---\n\n## Setup\n\nDone.\n";

fn link_findings(root: &Path) -> Vec<String> {
    let (project, diagnostics) = check(root);
    support::finding_lines(&project, &diagnostics)
}

#[test]
fn a_broken_link_is_reported_once_by_check_and_by_build_with_did_you_mean() {
    let start =
        "---\ntitle: Start\n---\n\nRead [the guide](guid.md) and [setup](guide.md#setpu).\n";
    let dir = project(&[
        ("content/start.md", Some(start)),
        ("content/guide.md", Some(GUIDE)),
    ]);
    let expected = [
        "link/broken | broken link `guid.md` | content/start.md:5:6 | did you mean `guide.md`?",
        "link/broken | broken link `guide.md#setpu` | content/start.md:5:31 | did you mean `#setup`?",
    ];
    assert_eq!(link_findings(dir.root()), expected);
    let built = rasci::pipeline::build(dir.root()).unwrap();
    assert_eq!(
        support::finding_lines(&built.project, &built.findings.diagnostics),
        expected
    );
}

#[test]
fn a_link_broken_in_every_deployment_is_reported_once_at_the_link() {
    // Two deployments show the page; the link to a site page leads nowhere from both. An
    // anchor the theme would give is judged on the built site only.
    let scopes = "scopes:\n  - id: a\n    name: A\n    sections: [general]\n  - id: b\n    name: B\n    sections: [general]\n";
    let start = "---\ntitle: Start\n---\n\nSee [the glossary](/glossary/#nope).\n";
    let dir = project(&[
        ("data/scopes.yaml", Some(scopes)),
        ("content/start.md", Some(start)),
    ]);
    assert_eq!(
        link_findings(dir.root()),
        Vec::<String>::new(),
        "judged on the built site"
    );
    let built = rasci::pipeline::build(dir.root()).unwrap();
    assert_eq!(
        support::finding_lines(&built.project, &built.findings.diagnostics),
        [
            "link/broken | broken link `/glossary/#nope` | content/start.md:5:5 | it leads nowhere from the built pages `a/start/index.html` and `b/start/index.html`"
        ]
    );
}

#[test]
fn a_link_to_a_missing_term_is_reported_once_by_check_and_by_build() {
    // A glossary term's anchor is the data's: plain check judges it from the plan.
    let scopes = "scopes:\n  - id: a\n    name: A\n    sections: [general]\n  - id: b\n    name: B\n    sections: [general]\n";
    let start = "---\ntitle: Start\n---\n\nSee [the glossary](/glossary/#term-nope).\n";
    let dir = project(&[
        ("data/scopes.yaml", Some(scopes)),
        ("content/start.md", Some(start)),
    ]);
    let expected = [
        "link/broken | broken link `/glossary/#term-nope` | content/start.md:5:5 | a link to a page of the site names its address from the site root (`/cloud/`) or from the page, or its Markdown file (`other.md`)",
    ];
    assert_eq!(link_findings(dir.root()), expected);
    let built = rasci::pipeline::build(dir.root()).unwrap();
    assert_eq!(
        support::finding_lines(&built.project, &built.findings.diagnostics),
        expected
    );
}

#[test]
fn file_names_with_spaces_and_non_ascii_letters_link() {
    let start = "---\ntitle: Start\n---\n\n[a](My%20Page.md#hi), [b](<My Page.md>), [c](%C3%84rger.md), [d](Ärger.md), [e](#über-uns)\n\n## Über uns\n";
    let dir = project(&[
        ("content/start.md", Some(start)),
        (
            "content/My Page.md",
            Some("---\ntitle: My Page\n---\n\n## Hi\n"),
        ),
        (
            "content/Ärger.md",
            Some("---\ntitle: Ärger\n---\n\nText.\n"),
        ),
    ]);
    assert_eq!(link_findings(dir.root()), Vec::<String>::new());
    let built = rasci::pipeline::build(dir.root()).unwrap();
    let errors: Vec<String> = support::finding_lines(&built.project, &built.findings.diagnostics);
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn a_link_to_a_page_whose_front_matter_fails_is_not_an_echo() {
    let start = "---\ntitle: Start\n---\n\nRead [the guide](guide.md).\n";
    let dir = project(&[
        ("content/start.md", Some(start)),
        ("content/guide.md", Some("---\ntitel: Guide\n---\n")),
    ]);
    let found = link_findings(dir.root());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("content/front-matter | unknown field `titel`"),
        "{found:#?}"
    );
}

#[test]
fn a_misspelt_step_in_a_flow_is_one_finding_and_the_steps_after_it_stay_reachable() {
    let flows = "flows:\n  - id: f\n    title: F\n    lanes:\n      - { id: v, party: vendor }\n    steps:\n      - { id: start, lane: v, kind: start, text: Go, next: [middle] }\n      - { id: midle, lane: v, text: Work, next: [end] }\n      - { id: end, lane: v, kind: end, text: Done }\n";
    let flows = flows
        .replace("id: midle", "id: middle")
        .replace("next: [middle]", "next: [midle]");
    assert_eq!(
        findings_of(&[("data/flows.yaml", Some(&flows))]),
        ["ref/unknown-step | unknown step `midle` | data/flows.yaml:7:61 | did you mean `middle`?"]
    );
}

#[test]
fn an_empty_data_file_says_so() {
    assert_eq!(
        parties_finding("# nothing yet\n"),
        "yaml/syntax | the file is empty | data/parties.yaml:1:1 | give the file its content, starting with its top-level key (such as `parties:`)"
    );
}

#[test]
fn repeated_headings_are_numbered_alike_by_check_and_build() {
    // `## Notes 2` takes `notes-2`, so the second `## Notes` must move on to `notes-3`.
    let start = "---\ntitle: Start\n---\n\n[a](#notes) [b](#notes-2) [c](#notes-3) [d](#notes-4) [e](#notes-5)\n\n## Notes 2\n\n## Notes\n\n## Notes\n\n## Notes\n";
    let dir = project(&[("content/start.md", Some(start))]);
    let findings = link_findings(dir.root());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0].starts_with("link/broken | broken link `#notes-5` | content/start.md:5:"),
        "{findings:#?}"
    );
    let built = rasci::pipeline::build(dir.root()).unwrap();
    let built_findings = support::finding_lines(&built.project, &built.findings.diagnostics);
    assert_eq!(built_findings.len(), 1, "{built_findings:#?}");
    assert!(
        built_findings[0].contains("`#notes-5`"),
        "{built_findings:#?}"
    );
}
