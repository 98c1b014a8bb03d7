//! The SARIF report validates against the official SARIF 2.1.0 JSON Schema (OASIS,
//! committed in tests/data), for a clean project, the example and a project with errors.

use crate::support::{self, repo};
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sarif_schema() -> Value {
    let text = std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

fn sarif(root: &Path) -> Value {
    let output = Command::cargo_bin("rasci")
        .unwrap()
        .args(["check", "--format", "sarif", "--root"])
        .arg(root)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn assert_valid(log: &Value) {
    let errors = support::schema_errors(&sarif_schema(), log);
    assert!(errors.is_empty(), "{errors:#?}");
}

fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

#[test]
fn sarif_of_a_clean_project_is_valid() {
    let log = sarif(&support::rule_fixture("rasci/one-accountable", "good"));
    assert_valid(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
}

#[test]
fn sarif_of_the_example_is_valid() {
    let log = sarif(repo());
    assert_valid(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
}

#[test]
fn sarif_with_errors_labels_and_several_files_is_valid() {
    let log = sarif(&fixture("projects/several"));
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "rasci");

    // Every result names a rule of the driver, by id and by index.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rasci::diagnostic::RuleId::ALL.len());
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert!(["error", "warning"].contains(&result["level"].as_str().unwrap()));
        assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
}

#[test]
fn sarif_driver_lists_every_registered_rule() {
    let log = sarif(repo());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let expected: Vec<Value> = rasci::diagnostic::RuleId::ALL
        .iter()
        .map(|rule| {
            serde_json::json!({
                "id": rule.as_str(),
                "shortDescription": {"text": rule.summary()},
                "defaultConfiguration": {"level": rule.default_severity().as_str()},
            })
        })
        .collect();
    assert_eq!(rules, &expected);
}

#[test]
fn the_schema_rejects_a_broken_log() {
    // The committed schema does constrain: a result with an unknown level fails it.
    let mut log = sarif(repo());
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!support::schema_errors(&sarif_schema(), &log).is_empty());
    let mut log = sarif(repo());
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!support::schema_errors(&sarif_schema(), &log).is_empty());
}
