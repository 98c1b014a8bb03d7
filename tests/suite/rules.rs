//! One `bad` and one `good` fixture project per rule of the registry.
//!
//! Each `tests/fixtures/rules/<rule id>/bad` project (the base project of
//! `tests/fixtures/base` with the fixture's files over it) must raise its rule (exit 1 for
//! errors; exit 0 for warnings, but 1 with `--deny-warnings`) and each `good` twin must
//! check clean. A rule added to the registry without a fixture pair fails this file.

use crate::support::{self, BuiltProject};
use assert_cmd::Command;
use rasci::check::rules::{RULES, Rule};
use rasci::diagnostic::{Diagnostic, Severity};
use rasci::model::Project;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    support::rule_fixtures()
}

/// Rules whose `bad` twin is written by this file rather than committed: their trigger
/// is bytes that are not text, or a file that is not there.
const GENERATED_BAD: &[&str] = &["file/encoding", "file/missing"];

/// Rules that only the site build raises (content pages), not `rasci check`:
/// the site tests cover them.
const BUILD_ONLY: &[&str] = &[
    "content/front-matter",
    "content/shortcode",
    "content/unsafe-html",
    "content/unsafe-url",
];

/// The rules `rasci check` can raise, each of which has a fixture pair.
fn check_rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(|r| !BUILD_ONLY.contains(&r.id))
}

/// A fixture project, written to a temporary folder: the base project with the
/// fixture's files over it, or with the change that makes a generated twin.
struct Fixture(BuiltProject);

impl Fixture {
    fn path(&self) -> &Path {
        self.0.root()
    }
}

/// The good twin of `rule` in a temporary folder, with `path` overwritten by `bytes`.
fn good_with(rule: &str, path: &str, bytes: &[u8]) -> BuiltProject {
    support::Project::base()
        .overlay(&fixtures().join(rule).join("good"))
        .file(path, bytes)
        .build()
}

/// Latin-1 text: `é` is the single byte 0xE9, which is not UTF-8.
const LATIN1_PARTIES: &[u8] =
    b"parties:\n  - id: vendor\n    name: Vend\xE9r\n  - id: customer\n    name: Customer\n";

fn bad_fixture(rule: &str) -> Fixture {
    match rule {
        "file/encoding" => Fixture(good_with(rule, "data/parties.yaml", LATIN1_PARTIES)),
        "file/missing" => Fixture(
            support::Project::base()
                .without("data/parties.yaml")
                .build(),
        ),
        _ => Fixture(support::rule_fixture(rule, "bad")),
    }
}

fn good_fixture(rule: &str) -> Fixture {
    Fixture(support::rule_fixture(rule, "good"))
}

/// Exit code and JSON findings of `rasci check`.
struct Run {
    code: i32,
    diagnostics: Vec<Value>,
}

impl Run {
    fn rules(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect()
    }
}

fn check(root: &Path, deny_warnings: bool) -> Run {
    let mut command = Command::cargo_bin("rasci").unwrap();
    command
        .args(["check", "--format", "json", "--root"])
        .arg(root);
    if deny_warnings {
        command.arg("--deny-warnings");
    }
    let output = command.output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "`rasci check` on {} did not print a JSON report ({e}); stderr:\n{}",
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Run {
        code: output.status.code().expect("exited normally"),
        diagnostics: report["diagnostics"].as_array().unwrap().clone(),
    }
}

#[test]
fn every_registered_rule_has_a_fixture_pair() {
    let mut missing = Vec::new();
    for rule in check_rules() {
        let dir = fixtures().join(rule.id);
        if !dir.join("good").is_dir() {
            missing.push(format!("{}/good", rule.id));
        }
        let bad_committed = dir.join("bad").is_dir();
        if !bad_committed && !GENERATED_BAD.contains(&rule.id) {
            missing.push(format!("{}/bad", rule.id));
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures under tests/fixtures/rules: {missing:#?}"
    );
}

#[test]
fn build_only_rules_are_registered_and_not_raised_by_check() {
    for id in BUILD_ONLY {
        assert!(
            rasci::check::rules::find(id).is_some(),
            "{id} is not registered"
        );
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/mod.rs"))
                .unwrap();
        assert!(
            !source.contains(id),
            "{id} is raised by check: give it a fixture pair"
        );
    }
}

#[test]
fn every_fixture_belongs_to_a_registered_rule() {
    let root = fixtures();
    let mut stale = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_str().unwrap();
        if entry.file_type().is_dir() && (name == "good" || name == "bad") {
            let rule = rasci::load::relative(&root, entry.path().parent().unwrap());
            if rasci::check::rules::find(&rule).is_none() {
                stale.push(rule);
            }
        }
    }
    assert!(stale.is_empty(), "fixtures of unknown rules: {stale:?}");
}

/// Checks one pair and describes every way it falls short.
fn check_pair(rule: &Rule) -> Vec<String> {
    let mut problems = Vec::new();
    let id = rule.id;

    let bad = bad_fixture(id);
    let run = check(bad.path(), false);
    if !run.rules().contains(&id) {
        problems.push(format!(
            "{id}: bad twin does not raise it (found {:?})",
            run.rules()
        ));
    }
    match rule.severity {
        Severity::Error => {
            if run.code != 1 {
                problems.push(format!("{id}: bad twin exits {} instead of 1", run.code));
            }
        }
        Severity::Warning => {
            if run.code != 0 {
                problems.push(format!(
                    "{id}: bad twin of a warning exits {} without --deny-warnings (found {:?})",
                    run.code,
                    run.rules()
                ));
            }
            let denied = check(bad.path(), true);
            if denied.code != 1 {
                problems.push(format!(
                    "{id}: bad twin exits {} with --deny-warnings instead of 1",
                    denied.code
                ));
            }
        }
    }

    let good = good_fixture(id);
    let run = check(good.path(), true);
    if run.code != 0 || !run.diagnostics.is_empty() {
        problems.push(format!(
            "{id}: good twin is not clean: exit {}, findings {:?}",
            run.code,
            run.rules()
        ));
    }
    problems
}

#[test]
fn bad_twins_raise_their_rule_and_good_twins_check_clean() {
    let problems: Vec<String> = check_rules().flat_map(check_pair).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_binary_file_is_an_encoding_finding() {
    let dir = good_with(
        "file/encoding",
        "data/parties.yaml",
        b"parties:\n  - id: ven\0dor\n    name: Vendor\n",
    );
    let run = check(dir.root(), false);
    assert_eq!(run.code, 1);
    let finding = &run.diagnostics[0];
    assert_eq!(finding["id"], "file/encoding");
    assert!(
        finding["message"].as_str().unwrap().contains("NUL"),
        "{finding}"
    );
    assert_eq!(
        (&finding["line"], &finding["column"]),
        (&2.into(), &12.into())
    );
}

// ---------------------------------------------------------------------------------------
// Positions, through the library.

/// Findings of a fixture, loaded and checked by the library as `rasci check` does.
fn analyze(root: &Path) -> (Project, Vec<Diagnostic>) {
    let (project, findings) = rasci::analyze(root).expect("fixture loads");
    (project, findings.diagnostics)
}

/// `path:line:column`, as a reader finds it.
fn at(project: &Project, span: rasci::source::Span) -> String {
    let start = project.sources.start(span);
    format!(
        "{}:{}:{}",
        project.sources.path(span.file),
        start.line,
        start.column
    )
}

fn only<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn bad(rule: &str) -> BuiltProject {
    support::rule_fixture(rule, "bad")
}

#[test]
fn one_accountable_points_at_the_task_and_labels_every_a() {
    let (project, diagnostics) = analyze(&bad("rasci/one-accountable"));
    let found = only(&diagnostics, "rasci/one-accountable");
    assert_eq!(found.len(), 2, "{found:#?}");

    let none = found[0];
    assert_eq!(
        none.message,
        "task `nobody` has no Accountable party (scope `main`)"
    );
    let primary = none.primary.as_ref().unwrap();
    assert_eq!(at(&project, primary.span), "data/tasks.yaml:4:13");
    assert_eq!(project.sources.slice(primary.span), "nobody");
    assert!(none.labels.is_empty(), "no A to label: {:?}", none.labels);
    assert!(none.help.as_deref().unwrap().contains("exactly one party"));

    let two = found[1];
    assert_eq!(
        two.message,
        "task `both` has 2 Accountable parties (scope `main`)"
    );
    assert_eq!(
        at(&project, two.primary.as_ref().unwrap().span),
        "data/tasks.yaml:7:13"
    );
    let labels: Vec<(String, &str, &str)> = two
        .labels
        .iter()
        .map(|l| {
            (
                at(&project, l.span),
                project.sources.slice(l.span),
                l.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            (
                "data/tasks.yaml:9:27".to_string(),
                "A",
                "`vendor` is Accountable"
            ),
            (
                "data/tasks.yaml:9:45".to_string(),
                "A",
                "`customer` is Accountable"
            ),
        ]
    );
}

#[test]
fn duplicate_key_names_both_lines() {
    let (project, diagnostics) = analyze(&bad("yaml/duplicate-key"));
    let found = only(&diagnostics, "yaml/duplicate-key");
    assert_eq!(found.len(), 1);
    let d = found[0];
    assert_eq!(d.message, "duplicate key `title`");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "data/tasks.yaml:7:9"
    );
    assert_eq!(d.labels.len(), 1);
    assert_eq!(at(&project, d.labels[0].span), "data/tasks.yaml:5:9");
    assert_eq!(project.sources.slice(d.labels[0].span), "title");
    assert_eq!(d.labels[0].message, "first given here");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("already given on line 5"),
        "{:?}",
        d.help
    );
}

#[test]
fn unknown_field_suggests_the_documented_one() {
    let (project, diagnostics) = analyze(&bad("yaml/unknown-field"));
    let found = only(&diagnostics, "yaml/unknown-field");
    assert_eq!(found.len(), 1);
    let d = found[0];
    assert_eq!(d.message, "unknown field `titel`");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "data/tasks.yaml:5:9"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn unknown_party_suggests_the_closest_party() {
    let (project, diagnostics) = analyze(&bad("ref/unknown-party"));
    let found = only(&diagnostics, "ref/unknown-party");
    assert_eq!(found.len(), 1);
    let d = found[0];
    assert_eq!(d.message, "unknown party `custmer`");
    let span = d.primary.as_ref().unwrap().span;
    assert_eq!(at(&project, span), "data/tasks.yaml:6:49");
    assert_eq!(project.sources.slice(span), "custmer");
    assert_eq!(d.help.as_deref(), Some("did you mean `customer`?"));
}

#[test]
fn unknown_kind_and_unknown_rule_suggest_names() {
    let (_, diagnostics) = analyze(&bad("file/unknown-kind"));
    let d = only(&diagnostics, "file/unknown-kind")[0];
    assert_eq!(d.message, "`partys` is not a kind of data file");
    assert_eq!(d.help.as_deref(), Some("did you mean `parties`?"));

    let (project, diagnostics) = analyze(&bad("config/unknown-rule"));
    let d = only(&diagnostics, "config/unknown-rule")[0];
    assert_eq!(d.message, "there is no rule `rasci/idle-partys`");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "rasci.yaml:4:5"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `rasci/idle-party`?"));
}

#[test]
fn responsible_and_supportive_points_at_the_s_and_labels_the_r() {
    let (project, diagnostics) = analyze(&bad("rasci/responsible-and-supportive"));
    let d = only(&diagnostics, "rasci/responsible-and-supportive")[0];
    let primary = d.primary.as_ref().unwrap();
    assert_eq!(at(&project, primary.span), "data/tasks.yaml:6:33");
    assert_eq!(project.sources.slice(primary.span), "S");
    assert_eq!(at(&project, d.labels[0].span), "data/tasks.yaml:6:30");
    assert_eq!(project.sources.slice(d.labels[0].span), "R");
}

#[test]
fn encoding_finding_points_after_the_readable_prefix() {
    let dir = good_with("file/encoding", "data/parties.yaml", LATIN1_PARTIES);
    let (project, diagnostics) = analyze(dir.root());
    let d = only(&diagnostics, "file/encoding")[0];
    assert_eq!(d.message, "the file contains bytes that are not UTF-8");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "data/parties.yaml:3:15"
    );
}
