//! The OSCAL export (`rasci export --format oscal`): read back task by task, the parties
//! Accountable and Responsible for each task in each scope (and model) are those of the
//! matrix; party UUIDs are stable; conditions and control references are carried; the
//! document depends on SOURCE_DATE_EPOCH, not on the clock.

use crate::support::{Project, fixtures, models_fixture, rasci, repo};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const NS: &str = "urn:x-rasci:oscal";

fn export(root: &Path, format: &str, epoch: &str) -> std::process::Output {
    rasci()
        .args(["export", "--format", format, "--root"])
        .arg(root)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap()
}

fn json(root: &Path, format: &str) -> Value {
    let output = export(root, format, "1700000000");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The value of the rasci property `name` of an OSCAL object, if it has one.
fn prop<'v>(object: &'v Value, name: &str) -> Option<&'v str> {
    object["props"]
        .as_array()?
        .iter()
        .find_map(|p| (p["ns"] == NS && p["name"] == name).then(|| p["value"].as_str().unwrap()))
}

/// (model, scope, task) → (accountable party ids, responsible party ids).
type Holders = BTreeMap<(String, String, String), (BTreeSet<String>, BTreeSet<String>)>;

/// A and R of every task of every matrix, from the JSON export.
fn from_matrix(export: &Value) -> Holders {
    let mut holders = Holders::new();
    for scope in export["scopes"].as_array().unwrap() {
        let model = scope["model"].as_str().unwrap_or_default().to_string();
        for section in scope["sections"].as_array().unwrap() {
            for task in section["tasks"].as_array().unwrap() {
                let with = |letter: &str| -> BTreeSet<String> {
                    task["assignments"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .filter(|(_, letters)| {
                            letters.as_array().unwrap().iter().any(|l| l == letter)
                        })
                        .map(|(party, _)| party.clone())
                        .collect()
                };
                let key = (
                    model.clone(),
                    scope["id"].as_str().unwrap().to_string(),
                    task["id"].as_str().unwrap().to_string(),
                );
                assert!(holders.insert(key, (with("A"), with("R"))).is_none());
            }
        }
    }
    holders
}

/// A and R of every component, read back from the OSCAL document: role ids, and party
/// UUIDs looked up in the metadata's parties.
fn from_oscal(document: &Value) -> Holders {
    let definition = &document["component-definition"];
    let parties: BTreeMap<&str, &str> = definition["metadata"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["uuid"].as_str().unwrap(), prop(p, "party").unwrap()))
        .collect();
    let roles: BTreeSet<&str> = definition["metadata"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut holders = Holders::new();
    for component in definition["components"].as_array().unwrap() {
        assert_eq!(component["type"], "process-procedure");
        let with = |role: &str| -> BTreeSet<String> {
            assert!(roles.contains(role));
            component["responsible-roles"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["role-id"] == role)
                .flat_map(|r| r["party-uuids"].as_array().unwrap())
                .map(|uuid| parties[uuid.as_str().unwrap()].to_string())
                .collect()
        };
        let key = (
            prop(component, "model").unwrap_or_default().to_string(),
            prop(component, "scope").unwrap().to_string(),
            prop(component, "task").unwrap().to_string(),
        );
        assert!(
            holders
                .insert(key, (with("accountable"), with("responsible")))
                .is_none()
        );
    }
    holders
}

#[test]
fn accountable_and_responsible_read_back_from_oscal_equal_the_matrix_task_by_task() {
    let frameworks = fixtures().join("projects/frameworks");
    let models = models_fixture();
    for root in [repo(), frameworks.as_path(), models.as_path()] {
        let matrix = from_matrix(&json(root, "json"));
        let oscal = from_oscal(&json(root, "oscal"));
        assert!(matrix.len() > 3, "{}", root.display());
        assert_eq!(oscal, matrix, "{}", root.display());
    }
}

#[test]
fn party_uuids_are_stable_and_the_document_depends_on_source_date_epoch_alone() {
    let frameworks = fixtures().join("projects/frameworks");
    let first = export(&frameworks, "oscal", "1700000000");
    let second = export(&frameworks, "oscal", "1700000000");
    assert_eq!(first.stdout, second.stdout);
    let document: Value = serde_json::from_slice(&first.stdout).unwrap();
    let metadata = &document["component-definition"]["metadata"];
    assert_eq!(metadata["last-modified"], "2023-11-14T22:13:20Z");
    assert_eq!(metadata["version"], "2023-11-14");
    assert_eq!(metadata["oscal-version"], "1.1.2");
    // The same party id has the same UUID in another project with other parties.
    let vendor = |document: &Value| -> String {
        document["component-definition"]["metadata"]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| prop(p, "party") == Some("vendor"))
            .map(|p| p["uuid"].as_str().unwrap().to_string())
            .unwrap()
    };
    let base = Project::base()
        .file(
            "data/parties.yaml",
            "parties:\n  - id: auditor\n    name: Auditor\n  - id: customer\n    name: Customer\n  - id: vendor\n    name: The vendor\n",
        )
        .build();
    let other = json(base.root(), "oscal");
    assert_eq!(vendor(&document), vendor(&other));

    let bad = export(&frameworks, "oscal", "yesterday");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("SOURCE_DATE_EPOCH is `yesterday`"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn control_references_and_conditions_are_carried() {
    let frameworks = fixtures().join("projects/frameworks");
    let document = json(&frameworks, "oscal");
    let definition = &document["component-definition"];
    let component = definition["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| prop(c, "task") == Some("incident-plan") && prop(c, "scope") == Some("onprem"))
        .unwrap();
    let implementations = component["control-implementations"].as_array().unwrap();
    let controls: Vec<(String, Vec<&str>)> = implementations
        .iter()
        .map(|implementation| {
            let source = implementation["source"].as_str().unwrap();
            let resource = definition["back-matter"]["resources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| format!("#{}", r["uuid"].as_str().unwrap()) == source)
                .unwrap();
            (
                prop(resource, "framework").unwrap().to_string(),
                implementation["implemented-requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["control-id"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        controls,
        [
            ("iso27001".to_string(), vec!["A.5.24"]),
            ("nist80053".to_string(), vec!["IR-8"]),
        ]
    );

    // The example's conditions: each task's `when` as `condition` properties.
    let export = json(repo(), "json");
    let oscal = json(repo(), "oscal");
    let mut conditional = 0;
    for scope in export["scopes"].as_array().unwrap() {
        for section in scope["sections"].as_array().unwrap() {
            for task in section["tasks"].as_array().unwrap() {
                let component = oscal["component-definition"]["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| {
                        prop(c, "task") == task["id"].as_str()
                            && prop(c, "scope") == scope["id"].as_str()
                    })
                    .unwrap();
                let conditions: Vec<&str> = component["props"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["name"] == "condition")
                    .map(|p| p["value"].as_str().unwrap())
                    .collect();
                let when: Vec<&str> = task["when"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| c.as_str().unwrap())
                    .collect();
                assert_eq!(conditions, when);
                conditional += usize::from(!when.is_empty());
            }
        }
    }
    assert!(conditional > 0, "the example has no conditional task");
}
