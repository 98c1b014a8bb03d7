//! The command line as a user meets it: exit codes, output formats and exports, on the
//! example project at the repository root and on small fixture projects.

use crate::support;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn example() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// `rasci` with a clean environment for colour decisions.
fn rasci() -> Command {
    let mut command = Command::cargo_bin("rasci").unwrap();
    command.env_remove("NO_COLOR");
    command
}

fn stdout_of(command: &mut Command) -> String {
    let output = command.output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

// ---------------------------------------------------------------------------------------
// check: exit codes and human output

#[test]
fn example_project_checks_with_its_two_seed_warnings() {
    let output = rasci()
        .args(["check", "--root", example()])
        .env("NO_COLOR", "1")
        .assert()
        .code(0);
    let text = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains(
            "warning[rasci/responsible-and-supportive]: `anywhere365` is both Responsible and Supportive for task `troubleshoot-interfacing`"
        ),
        "{text}"
    );
    assert!(text.contains(" --> data/tasks.yaml:42:35"), "{text}");
    assert!(
        text.contains("warning[summary/empty-heading]: the summary heading \"Anywhere365 Dialogue Cloud specific\" has no items"),
        "{text}"
    );
    assert!(text.contains(" --> data/summaries.yaml:20:18"), "{text}");
    assert!(text.ends_with("\n0 errors, 2 warnings\n"), "{text}");
    assert_eq!(text.matches("warning[").count(), 2, "{text}");
    assert!(!text.contains("error["), "{text}");
}

#[test]
fn deny_warnings_fails_the_example_project() {
    rasci()
        .args(["check", "--deny-warnings", "--root", example()])
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with("0 errors, 2 warnings\n"));
}

#[test]
fn errors_exit_one_with_a_located_report() {
    rasci()
        .args(["check", "--root"])
        .arg(support::rule_fixture("rasci/has-responsible", "bad").root())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[rasci/has-responsible]: task `run` has no Responsible party (scope `main`)",
        ))
        .stdout(predicate::str::contains(" --> data/tasks.yaml:4:13"))
        .stdout(predicate::str::contains(
            "= help: give the party that does the work the letter R",
        ))
        .stdout(predicate::str::ends_with("\n1 error, 0 warnings\n"));
}

#[test]
fn a_folder_without_rasci_yaml_exits_two() {
    let empty = tempfile::tempdir().unwrap();
    rasci()
        .args(["check", "--root"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("no rasci.yaml in"));
}

#[test]
fn bad_usage_exits_two() {
    rasci().assert().code(2);
    rasci().args(["check", "--no-such-flag"]).assert().code(2);
    rasci()
        .args(["check", "--format", "xml", "--root", example()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("xml"));
    rasci().args(["frobnicate"]).assert().code(2);
    rasci()
        .args(["export", "--root", example()])
        .assert()
        .code(2);
}

#[test]
fn help_and_version_exit_zero() {
    rasci()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("check"));
    rasci()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_colour_when_not_a_terminal_or_with_no_color() {
    let project = support::rule_fixture("rasci/one-accountable", "bad");
    let piped = stdout_of(rasci().args(["check", "--root"]).arg(project.root()));
    assert!(piped.contains("error[rasci/one-accountable]"), "{piped}");
    assert!(
        !piped.contains('\u{1b}'),
        "escape codes in piped output: {piped:?}"
    );

    let no_color = stdout_of(
        rasci()
            .args(["check", "--root"])
            .arg(project.root())
            .env("NO_COLOR", "1"),
    );
    assert!(!no_color.contains('\u{1b}'), "{no_color:?}");
    assert_eq!(piped, no_color);
}

// ---------------------------------------------------------------------------------------
// check: machine formats

#[test]
fn github_format_annotates_file_line_and_column() {
    let text = stdout_of(rasci().args(["check", "--format", "github", "--root", example()]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines.contains(
            &"::warning file=data/tasks.yaml,line=42,col=35,endLine=42,endColumn=36,title=rasci/responsible-and-supportive::`anywhere365` is both Responsible and Supportive for task `troubleshoot-interfacing` (scopes `cloud` and `onprem`)%0Ahelp: a party does not support its own work: keep R, or make it S if another party does the work"
        ),
        "{text}"
    );
    assert!(
        lines.iter().any(
            |l| l.starts_with("::warning file=data/summaries.yaml,line=20,col=18,")
                && l.contains(",title=summary/empty-heading::")
        ),
        "{text}"
    );
}

#[test]
fn github_format_reports_errors_as_errors() {
    rasci()
        .args(["check", "--format", "github", "--root"])
        .arg(support::rule_fixture("ref/unknown-party", "bad").root())
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "::error file=data/tasks.yaml,line=6,col=49,endLine=6,endColumn=56,title=ref/unknown-party::unknown party `custmer`%0Ahelp: did you mean `customer`?\n",
        ));
}

#[test]
fn json_report_of_the_example() {
    let report: Value = serde_json::from_str(&stdout_of(rasci().args([
        "check",
        "--format",
        "json",
        "--root",
        example(),
    ])))
    .unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"], json!({"errors": 0, "warnings": 2}));
    let first = &report["diagnostics"][0];
    assert_eq!(first["id"], "summary/empty-heading");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "data/summaries.yaml");
    assert_eq!((&first["line"], &first["column"]), (&json!(20), &json!(18)));
    let second = &report["diagnostics"][1];
    assert_eq!(second["id"], "rasci/responsible-and-supportive");
    assert_eq!(
        second["labels"],
        json!([{
            "file": "data/tasks.yaml", "line": 42, "column": 32, "end": {"line": 42, "column": 33}, "label": "Responsible here"
        }])
    );
}

// ---------------------------------------------------------------------------------------
// export

fn export_json(root: &Path) -> Value {
    let output = rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn tasks_of(scope: &Value) -> Vec<&Value> {
    scope["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tasks"].as_array().unwrap())
        .collect()
}

fn task<'a>(scope: &'a Value, id: &str) -> &'a Value {
    tasks_of(scope)
        .into_iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no task {id} in scope {}", scope["id"]))
}

#[test]
fn json_export_shape() {
    let export = export_json(Path::new(example()));
    assert_eq!(export["version"], 1);
    assert_eq!(
        export["parties"],
        json!([
            {"id": "anywhere365", "name": "Anywhere365"},
            {"id": "customer", "name": "Customer"},
            {"id": "end-users", "name": "End-users"},
        ])
    );
    let scopes = export["scopes"].as_array().unwrap();
    let ids: Vec<&str> = scopes.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cloud", "onprem"]);
    let (cloud, onprem) = (&scopes[0], &scopes[1]);
    assert_eq!(cloud["name"], "Dialogue Cloud");
    assert_eq!(onprem["name"], "On Premises");

    let sections: Vec<(&Value, &Value)> = onprem["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (&s["id"], &s["title"]))
        .collect();
    assert_eq!(
        sections,
        [
            (&json!("general"), &Value::Null),
            (
                &json!("cloud"),
                &json!("Dialogue Cloud deployment specific")
            ),
            (&json!("onprem"), &json!("On-premises deployment specific")),
        ]
    );

    // Tasks in source order.
    let general: Vec<&str> = cloud["sections"][0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        general,
        [
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "rca-anywhere365",
            "rca-other",
            "change-request",
            "trained-staff",
            "training",
        ]
    );
    assert_eq!(tasks_of(cloud).len(), 14);
    assert_eq!(tasks_of(onprem).len(), 18);

    // Letters in RASCI order, whatever order the data file gives them in.
    let support = task(cloud, "l2-3-support");
    assert_eq!(support["title"], "L2-3 Support Anywhere365");
    assert_eq!(
        support["assignments"],
        json!({"anywhere365": ["R", "A"], "customer": ["S", "C", "I"]})
    );
    assert_eq!(
        task(cloud, "change-request")["assignments"],
        json!({"anywhere365": ["S", "C"], "customer": ["R", "A"], "end-users": ["C", "I"]})
    );
}

#[test]
fn csv_export_of_one_scope() {
    let text = stdout_of(rasci().args([
        "export",
        "--format",
        "csv",
        "--scope",
        "cloud",
        "--root",
        example(),
    ]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "Section",
            "Task",
            "Anywhere365",
            "Customer",
            "End-users",
            "When"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 14);
    assert_eq!(
        rows[2],
        ["", "L2-3 Support Anywhere365", "A, R", "S, C, I", "", ""]
    );
    assert_eq!(
        rows[8],
        [
            "Dialogue Cloud deployment specific",
            "Provide the Anywhere365 tenant",
            "A, R",
            "I",
            "",
            ""
        ]
    );
    // The example defines conditions: its training row names its condition.
    let training = rows.iter().find(|r| r[1].ends_with("training")).unwrap();
    assert_eq!(training[5], "training");
}

#[test]
fn csv_needs_a_scope_when_there_are_several() {
    rasci()
        .args(["export", "--format", "csv", "--root", example()])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--scope"));
    rasci()
        .args([
            "export",
            "--format",
            "csv",
            "--scope",
            "nowhere",
            "--root",
            example(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scope `nowhere`"));
}

#[test]
fn export_refuses_a_project_with_errors() {
    rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(support::rule_fixture("rasci/has-responsible", "bad").root())
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("error[rasci/has-responsible]"));
}

#[test]
fn a_scope_override_applies_in_that_scope_only() {
    let root = fixture("projects/override");
    rasci()
        .args(["check", "--deny-warnings", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    let export = export_json(&root);
    let (cloud, onprem) = (&export["scopes"][0], &export["scopes"][1]);
    assert_eq!(
        (&cloud["id"], &onprem["id"]),
        (&json!("cloud"), &json!("onprem"))
    );
    assert_eq!(
        task(cloud, "install")["assignments"],
        json!({"vendor": ["R", "A"], "customer": ["I"]})
    );
    assert_eq!(
        task(onprem, "install")["assignments"],
        json!({"vendor": ["C"], "customer": ["R", "A"]})
    );
    // A task without an override is the same in both.
    assert_eq!(
        task(cloud, "report")["assignments"],
        task(onprem, "report")["assignments"]
    );

    let csv = stdout_of(
        rasci()
            .args(["export", "--format", "csv", "--scope", "onprem", "--root"])
            .arg(&root),
    );
    assert_eq!(
        csv,
        "Section,Task,Vendor,Customer\n,Install it,C,\"A, R\"\n,Report problems,I,\"A, R\"\n"
    );
}

#[test]
fn a_file_that_does_not_parse_gives_one_finding_not_an_echo_per_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(example()).join("rasci.yaml"),
        dir.path().join("rasci.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    for entry in std::fs::read_dir(Path::new(example()).join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("data").join(entry.file_name()),
        )
        .unwrap();
    }
    let parties = dir.path().join("data/parties.yaml");
    let text = std::fs::read_to_string(&parties).unwrap();
    std::fs::write(
        &parties,
        text.replace("    name: Customer", "    nam: Customer"),
    )
    .unwrap();

    let out = stdout_of(
        rasci()
            .args(["check", "--format", "json", "--root"])
            .arg(dir.path()),
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert_eq!(errors[0]["id"], "yaml/unknown-field");
    assert_eq!(errors[0]["file"], "data/parties.yaml");
}
