//! One `bad` and one `good` fixture project per rule of the registry, and the guard that
//! the registry and the fixture folders name the same rules (`tests/suite/docs.rs` guards
//! the prose of each rule and the generated `docs/rules.md`).
//!
//! Each `tests/fixtures/rules/<rule id>/bad` project (the base project of
//! `tests/fixtures/base` with the fixture's files over it) must raise its rule (exit 1 for
//! errors; exit 0 for warnings, but 1 with `--deny-warnings`) and each `good` twin must
//! check clean. A rule added to the registry without a fixture pair fails this file, and
//! so does an id renamed in only one of the two places.

use crate::support::{self, BuiltProject};
use assert_cmd::Command;
use rasci::diagnostic::{Diagnostic, RuleId, Severity};
use rasci::model::Project;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    support::rule_fixtures()
}

/// Rules whose `bad` twin is written by this file rather than committed: their trigger
/// is bytes that are not text, or a file that is not there.
const GENERATED_BAD: &[RuleId] = &[RuleId::FileEncoding, RuleId::FileMissing];

/// Rules about content pages: most need the pages rendered (`rasci check --site`), so
/// their fixtures are not run as `rasci check` pairs here; the site tests cover them.
const BUILD_ONLY: &[RuleId] = &[
    RuleId::ContentFrontMatter,
    RuleId::ContentShortcode,
    RuleId::ContentUnsafeHtml,
    RuleId::ContentUnsafeUrl,
];

/// Build-only rules without a fixture folder: their findings are about single pages, and
/// the site tests write those pages inline.
const NO_FIXTURE_FOLDER: &[RuleId] = &[RuleId::ContentFrontMatter, RuleId::ContentShortcode];

/// The rules `rasci check` can raise, each of which has a fixture pair.
fn check_rules() -> impl Iterator<Item = RuleId> {
    RuleId::ALL
        .iter()
        .copied()
        .filter(|r| !BUILD_ONLY.contains(r))
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

fn bad_fixture(rule: RuleId) -> Fixture {
    match rule {
        RuleId::FileEncoding => Fixture(good_with(
            rule.as_str(),
            "data/parties.yaml",
            LATIN1_PARTIES,
        )),
        RuleId::FileMissing => Fixture(
            support::Project::base()
                .without("data/parties.yaml")
                .build(),
        ),
        _ => Fixture(support::rule_fixture(rule.as_str(), "bad")),
    }
}

fn good_fixture(rule: RuleId) -> Fixture {
    Fixture(support::rule_fixture(rule.as_str(), "good"))
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
    // The review rule compares with today: the fixtures are checked on 2026-01-01.
    command
        .env("SOURCE_DATE_EPOCH", "1767225600")
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
        let dir = fixtures().join(rule.as_str());
        if !dir.join("good").is_dir() {
            missing.push(format!("{rule}/good"));
        }
        let bad_committed = dir.join("bad").is_dir();
        if !bad_committed && !GENERATED_BAD.contains(&rule) {
            missing.push(format!("{rule}/bad"));
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures under tests/fixtures/rules: {missing:#?}"
    );
}

#[test]
fn build_only_rules_are_not_raised_by_the_check_stage() {
    let check = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
    for entry in walkdir::WalkDir::new(&check) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let source = std::fs::read_to_string(entry.path()).unwrap();
        for rule in BUILD_ONLY {
            let variant = format!("RuleId::{rule:?}");
            assert!(
                !source.contains(&variant),
                "{rule} is raised in {}: give it a fixture pair",
                entry.path().display()
            );
        }
    }
}

#[test]
fn the_fixture_folders_are_exactly_the_registered_rules() {
    let root = fixtures();
    let mut folders = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&root).min_depth(3).max_depth(3) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_str().unwrap();
        if name == "README.md" && entry.file_type().is_file() {
            // The rule's prose, joined into docs/rules.md (tests/suite/docs.rs).
            continue;
        }
        assert!(
            entry.file_type().is_dir() && (name == "good" || name == "bad"),
            "{} is neither a good nor a bad twin",
            entry.path().display()
        );
        folders.insert(rasci::load::files::relative(
            &root,
            entry.path().parent().unwrap(),
        ));
    }
    let expected: BTreeSet<String> = RuleId::ALL
        .iter()
        .filter(|r| !NO_FIXTURE_FOLDER.contains(r))
        .map(|r| r.as_str().to_string())
        .collect();
    assert_eq!(
        folders, expected,
        "the folders under tests/fixtures/rules differ from the registry"
    );
}

/// Checks one pair and describes every way it falls short.
fn check_pair(rule: RuleId) -> Vec<String> {
    let mut problems = Vec::new();
    let id = rule.as_str();

    let bad = bad_fixture(rule);
    let run = check(bad.path(), false);
    if !run.rules().contains(&id) {
        problems.push(format!(
            "{id}: bad twin does not raise it (found {:?})",
            run.rules()
        ));
    }
    match rule.default_severity() {
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

    let good = good_fixture(rule);
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
        RuleId::FileEncoding.as_str(),
        "data/parties.yaml",
        b"parties:\n  - id: ven\0dor\n    name: Vendor\n",
    );
    let run = check(dir.root(), false);
    assert_eq!(run.code, 1);
    let finding = &run.diagnostics[0];
    assert_eq!(finding["id"], RuleId::FileEncoding.as_str());
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
    let (project, findings) = rasci::pipeline::check_project(root).expect("fixture loads");
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

fn only(diagnostics: &[Diagnostic], rule: RuleId) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn bad(rule: RuleId) -> BuiltProject {
    support::rule_fixture(rule.as_str(), "bad")
}

#[test]
fn one_accountable_points_at_the_task_and_labels_every_a() {
    let (project, diagnostics) = analyze(&bad(RuleId::RasciOneAccountable));
    let found = only(&diagnostics, RuleId::RasciOneAccountable);
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
    let (project, diagnostics) = analyze(&bad(RuleId::YamlDuplicateKey));
    let found = only(&diagnostics, RuleId::YamlDuplicateKey);
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
    let (project, diagnostics) = analyze(&bad(RuleId::YamlUnknownField));
    let found = only(&diagnostics, RuleId::YamlUnknownField);
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
    let (project, diagnostics) = analyze(&bad(RuleId::RefUnknownParty));
    let found = only(&diagnostics, RuleId::RefUnknownParty);
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
    let (_, diagnostics) = analyze(&bad(RuleId::FileUnknownKind));
    let d = only(&diagnostics, RuleId::FileUnknownKind)[0];
    assert_eq!(d.message, "`partys` is not a kind of data file");
    assert_eq!(d.help.as_deref(), Some("did you mean `parties`?"));

    let (project, diagnostics) = analyze(&bad(RuleId::ConfigUnknownRule));
    let d = only(&diagnostics, RuleId::ConfigUnknownRule)[0];
    assert_eq!(d.message, "there is no rule `rasci/idle-partys`");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "rasci.yaml:4:5"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `rasci/idle-party`?"));
}

#[test]
fn responsible_and_supportive_points_at_the_s_and_labels_the_r() {
    let (project, diagnostics) = analyze(&bad(RuleId::RasciResponsibleAndSupportive));
    let d = only(&diagnostics, RuleId::RasciResponsibleAndSupportive)[0];
    let primary = d.primary.as_ref().unwrap();
    assert_eq!(at(&project, primary.span), "data/tasks.yaml:6:33");
    assert_eq!(project.sources.slice(primary.span), "S");
    assert_eq!(at(&project, d.labels[0].span), "data/tasks.yaml:6:30");
    assert_eq!(project.sources.slice(d.labels[0].span), "R");
}

#[test]
fn encoding_finding_points_after_the_readable_prefix() {
    let dir = good_with(
        RuleId::FileEncoding.as_str(),
        "data/parties.yaml",
        LATIN1_PARTIES,
    );
    let (project, diagnostics) = analyze(dir.root());
    let d = only(&diagnostics, RuleId::FileEncoding)[0];
    assert_eq!(d.message, "the file contains bytes that are not UTF-8");
    assert_eq!(
        at(&project, d.primary.as_ref().unwrap().span),
        "data/parties.yaml:3:15"
    );
}
