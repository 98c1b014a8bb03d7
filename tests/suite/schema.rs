//! The published JSON Schemas: committed copies match what the code generates, they are
//! draft-07, and the example data (and every clean rule fixture) validates against them.

use crate::support::{self, repo};
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The schema file a data file is checked against: `schemas/<kind>.schema.json`.
fn schema_name_for(file: &Path) -> String {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    format!("{stem}.schema.json")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A YAML file as the JSON an editor validates: YAML 1.2 core schema, where `off` and `yes`
/// are strings (as in `rasci/idle-party: off`), not booleans.
fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<Value>(&text, options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `rasci.yaml` and the files under `data/` of a project.
fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("rasci.yaml")];
    let data = root.join("data");
    if data.is_dir() {
        let mut data_files: Vec<PathBuf> = std::fs::read_dir(data)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        data_files.sort();
        files.extend(data_files);
    }
    files
}

/// Validation errors of a YAML file against its committed schema, as readable lines.
fn schema_errors(file: &Path) -> Vec<String> {
    let schema = read_json(&repo().join("schemas").join(schema_name_for(file)));
    let instance = yaml_as_json(file);
    support::schema_errors(&schema, &instance)
        .into_iter()
        .map(|e| format!("{}: {e}", file.display()))
        .collect()
}

#[test]
fn there_is_one_schema_for_the_config_and_one_per_kind_of_data_file() {
    let names: Vec<String> = rasci::schema::all()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut expected = vec!["rasci.schema.json".to_string()];
    expected.extend(
        rasci::model::DataKind::ALL
            .iter()
            .map(|kind| format!("{kind}.schema.json")),
    );
    assert_eq!(names, expected);
    // The file a schema describes is one the loader reads as that kind.
    for kind in rasci::model::DataKind::ALL {
        let file = format!("data/{kind}.yaml");
        assert_eq!(rasci::load::kinds::of_path(&file), Some(kind), "{file}");
    }
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    let generated = rasci::schema::all();
    let mut names: Vec<&str> = generated.iter().map(|(name, _)| name.as_str()).collect();
    for (name, schema) in &generated {
        let path = repo().join("schemas").join(name);
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run `rasci schema`", path.display()));
        assert!(
            committed == rasci::schema::to_text(schema),
            "{name} differs from the generated schema; run `rasci schema` and commit the result"
        );
    }
    let mut committed: Vec<String> = std::fs::read_dir(repo().join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    committed.sort();
    names.sort();
    assert_eq!(
        committed, names,
        "schemas/ holds exactly the generated schemas"
    );
}

#[test]
fn schema_command_writes_the_committed_files() {
    let out = tempfile::tempdir().unwrap();
    let assert = Command::cargo_bin("rasci")
        .unwrap()
        .args(["schema", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for (name, _) in rasci::schema::all() {
        let written = std::fs::read_to_string(out.path().join(&name)).unwrap();
        let committed = std::fs::read_to_string(repo().join("schemas").join(&name)).unwrap();
        assert_eq!(written, committed, "{name}");
        assert!(stdout.contains(&name), "{stdout}");
    }
}

#[test]
fn schemas_are_draft_07() {
    for (name, _) in rasci::schema::all() {
        let schema = read_json(&repo().join("schemas").join(&name));
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        assert!(schema["title"].is_string(), "{name} has a title");
        assert!(
            support::is_draft7_schema(&schema),
            "{name} is not a valid draft-07 schema"
        );
    }
}

#[test]
fn example_data_validates_against_the_schemas() {
    let files = project_files(repo());
    assert!(files.len() >= 8, "{files:?}");
    let errors: Vec<String> = files.iter().flat_map(|f| schema_errors(f)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn clean_rule_fixtures_validate_against_the_schemas() {
    let fixtures = support::rule_fixtures();
    let mut errors = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&fixtures) {
        let entry = entry.unwrap();
        if entry.file_name() == "good" {
            let rule = rasci::load::files::relative(&fixtures, entry.path().parent().unwrap());
            let project = support::rule_fixture(&rule, "good");
            for file in project_files(&project) {
                errors.extend(schema_errors(&file));
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} files checked");
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn schemas_reject_what_the_loader_rejects() {
    let bad = repo().join("tests/fixtures/rules");
    for (file, what) in [
        ("yaml/unknown-field/bad/data/tasks.yaml", "a misspelt field"),
        (
            "yaml/missing-field/bad/data/parties.yaml",
            "a missing field",
        ),
        (
            "yaml/invalid-value/bad/data/scopes.yaml",
            "a mapping for a list",
        ),
        (
            "rasci/unknown-letter/bad/data/tasks.yaml",
            "an unknown letter",
        ),
    ] {
        assert!(
            !schema_errors(&bad.join(file)).is_empty(),
            "{what} passes the schema"
        );
    }
}

#[test]
fn example_files_name_their_schema_on_the_first_line() {
    for file in project_files(repo()) {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or("");
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} starts with {first:?}", file.display()));
        // The path is relative to the file, and leads to the file's own schema.
        let schema = file.parent().unwrap().join(target);
        assert!(
            schema.is_file(),
            "{}: {target} does not exist",
            file.display()
        );
        assert_eq!(
            schema.canonicalize().unwrap(),
            repo()
                .join("schemas")
                .join(schema_name_for(&file))
                .canonicalize()
                .unwrap(),
            "{}",
            file.display()
        );
    }
}
