//! The reports of one project with findings in several files, as snapshots: what a
//! reader sees (human, without colour), and what machines read (JSON, SARIF).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn several() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects/several")
}

fn report(format: &str) -> String {
    let output = Command::cargo_bin("rasci")
        .unwrap()
        .args(["check", "--format", format, "--root"])
        .arg(several())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the project has errors");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn human_report() {
    insta::assert_snapshot!("human", report("human"));
}

#[test]
fn json_report() {
    insta::assert_snapshot!("json", report("json"));
}

#[test]
fn sarif_report() {
    // The tool version and the registry of rules change as rasci grows (tests/sarif.rs
    // checks the rules against the registry); the rest of the log should not.
    let mut log: serde_json::Value = serde_json::from_str(&report("sarif")).unwrap();
    let driver = &mut log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "[rasci version]".into();
    driver["rules"] = "[every registered rule]".into();
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).unwrap());
}
