//! Notes and conditions in every export (JSON fields, CSV and XLSX columns and annotated
//! cells, Markdown braces and footnotes) and read back by `import`: each format round
//! trips, and a workbook made by another program with a `Notes` column and
//! `A, R (when purchased)` cells is read too.

use crate::support::{Project, rasci};
use serde_json::{Value, json};
use std::path::Path;

const CONDITIONS: &str = "conditions:
  - id: premium-plus
    name: Premium Plus support purchased
  - id: training
    name: Training purchased
";

const TASKS: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        note: \"Only during office hours\"
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C, I\", note: when purchased }
      - id: train
        title: Train the staff
        when: [training]
        rasci:
          vendor: \"A, R\"
          customer: { letters: S, when: [premium-plus], note: \"on site (2 days)\" }
";

fn project() -> crate::support::BuiltProject {
    Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file("data/tasks.yaml", TASKS)
        .build()
}

fn export(root: &Path, format: &str) -> Vec<u8> {
    let output = rasci()
        .args(["export", "--format", format, "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    output.stdout
}

/// What the JSON export says of each task: title, `when`, note, cell conditions and notes.
fn extras(root: &Path) -> Vec<Value> {
    let json: Value = serde_json::from_slice(&export(root, "json")).unwrap();
    json["scopes"][0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tasks"].as_array().unwrap().clone())
        .map(|t| {
            json!({
                "title": t["title"],
                "assignments": t["assignments"],
                "when": t.get("when"),
                "note": t.get("note"),
                "assignments_when": t.get("assignments_when"),
                "assignments_notes": t.get("assignments_notes"),
            })
        })
        .collect()
}

fn expected() -> Vec<Value> {
    vec![
        json!({
            "title": "Run it",
            "assignments": { "vendor": ["R", "A"], "customer": ["C", "I"] },
            "when": null,
            "note": "Only during office hours",
            "assignments_when": null,
            "assignments_notes": { "customer": "when purchased" },
        }),
        json!({
            "title": "Train the staff",
            "assignments": { "vendor": ["R", "A"], "customer": ["S"] },
            "when": ["training"],
            "note": null,
            "assignments_when": { "customer": ["premium-plus"] },
            "assignments_notes": { "customer": "on site (2 days)" },
        }),
    ]
}

#[test]
fn the_json_export_carries_notes_beside_conditions() {
    let project = project();
    assert_eq!(extras(project.root()), expected());
    // Without notes the tasks keep the shape they had.
    let plain = Project::base().build();
    let json: Value = serde_json::from_slice(&export(plain.root(), "json")).unwrap();
    let task = &json["scopes"][0]["sections"][0]["tasks"][0];
    assert!(task.get("note").is_none() && task.get("assignments_notes").is_none());
}

#[test]
fn the_csv_export_ends_in_when_and_notes_and_annotates_cells() {
    let project = project();
    let csv = String::from_utf8(export(project.root(), "csv")).unwrap();
    assert_eq!(
        csv,
        "Section,Task,Vendor,Customer,When,Notes\n\
         ,Run it,\"A, R\",\"C, I (when purchased)\",,Only during office hours\n\
         ,Train the staff,\"A, R\",S {premium-plus} (on site (2 days)),training,\n"
    );
    // A project without conditions or notes keeps its columns.
    let plain = Project::base().build();
    let csv = String::from_utf8(export(plain.root(), "csv")).unwrap();
    assert_eq!(
        csv,
        "Section,Task,Vendor,Customer\n,Run it,\"A, R\",\"C, I\"\n"
    );
}

#[test]
fn the_markdown_export_writes_conditions_in_braces_and_notes_as_footnotes() {
    let project = project();
    let markdown = String::from_utf8(export(project.root(), "markdown")).unwrap();
    assert_eq!(
        markdown,
        "## Main\n\n\
         | Task | Vendor | Customer |\n\
         | --- | --- | --- |\n\
         | Run it[^1] | A, R | C, I[^2] |\n\
         | Train the staff {training} | A, R | S {premium-plus}[^3] |\n\
         \n\
         [^1]: Only during office hours\n\
         [^2]: when purchased\n\
         [^3]: on site (2 days)\n"
    );
}

/// Imports `file` into a new folder and returns the folder, after a clean check.
fn imported(file: &Path, dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let root = dir.join("imported");
    let output = rasci()
        .arg("import")
        .arg(file)
        .args(args)
        .args(["--scope", "main", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    root
}

#[test]
fn csv_xlsx_and_markdown_exports_import_back_with_their_notes_and_conditions() {
    let project = project();
    for (format, name, args) in [
        ("csv", "matrix.csv", &[][..]),
        ("xlsx", "matrix.xlsx", &["--sheet", "Main"][..]),
        ("markdown", "matrix.md", &[][..]),
    ] {
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join(name);
        let output = rasci()
            .args(["export", "--format", format, "--out"])
            .arg(&file)
            .arg("--root")
            .arg(project.root())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let root = imported(&file, dir.path(), args);
        assert_eq!(extras(&root), expected(), "{format}");
        // The conditions the import met are defined, named after their ids.
        let conditions = std::fs::read_to_string(root.join("data/conditions.yaml")).unwrap();
        assert!(conditions.contains("- id: \"training\""), "{conditions}");
        assert!(
            conditions.contains("- id: \"premium-plus\""),
            "{conditions}"
        );
    }
}

#[test]
fn a_workbook_made_elsewhere_gives_notes_from_a_notes_column_and_parentheses() {
    // Written here with rust_xlsxwriter, as a spreadsheet program would lay it out.
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("agreement.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows: [&[&str]; 3] = [
        &["Task", "Provider", "Customer", "Notes"],
        &["Training of customers", "A, R", "C, I (when purchased)", ""],
        &["Initial deployment", "A, R", "I", "If purchased"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    workbook.save(&file).unwrap();
    let root = imported(&file, dir.path(), &[]);
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains(
            "rasci: { \"provider\": \"A, R\", \"customer\": { letters: \"C, I\", note: \"when purchased\" } }"
        ),
        "{tasks}"
    );
    assert!(
        tasks.contains("        note: \"If purchased\"\n"),
        "{tasks}"
    );
    // No condition was named, so none is written.
    assert!(!root.join("data/conditions.yaml").exists());
}

/// `rasci diff OLD NEW --format FORMAT`: exit code and output.
fn diff(old: &Path, new: &Path, format: &str) -> (i32, String) {
    let output = rasci()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(["--format", format])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn diff_reports_conditions_and_notes_added_changed_and_removed() {
    let old = project();
    // The task `run` loses its note and gains a condition; the customer's cell of `run`
    // changes its note; `train` loses its condition, and its customer cell its
    // condition and note.
    let new = Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file(
            "data/tasks.yaml",
            "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        when: [premium-plus]
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C, I\", note: if purchased }
      - id: train
        title: Train the staff
        rasci:
          vendor: \"A, R\"
          customer: { letters: S, note: \"on site\" }
",
        )
        .build();
    let (code, text) = diff(old.root(), new.root(), "json");
    assert_eq!(code, 0, "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["changed"], true);
    let main = &json["matrices"][0];
    assert_eq!(
        main["conditions"],
        json!([
            { "task": "run", "party": null, "added": ["premium-plus"], "removed": [] },
            { "task": "train", "party": null, "added": [], "removed": ["training"] },
            { "task": "train", "party": "customer", "added": [], "removed": ["premium-plus"] },
        ])
    );
    assert_eq!(
        main["notes"],
        json!([
            { "task": "run", "party": null, "old": "Only during office hours", "new": null },
            { "task": "run", "party": "customer", "old": "when purchased", "new": "if purchased" },
            { "task": "train", "party": "customer", "old": "on site (2 days)", "new": "on site" },
        ])
    );
    assert!(main.get("letters").unwrap().as_array().unwrap().is_empty());

    let (code, text) = diff(old.root(), new.root(), "human");
    assert_eq!(code, 0);
    let lines: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(
        lines,
        [
            "  + condition `premium-plus` on task `run`",
            "  - condition `training` on task `train`",
            "  - condition `premium-plus` on task `train`, party `customer`",
            "  - note on task `run`: \"Only during office hours\"",
            "  ~ note on task `run`, party `customer`: \"when purchased\" → \"if purchased\"",
            "  ~ note on task `train`, party `customer`: \"on site (2 days)\" → \"on site\"",
        ]
    );
    let (_, text) = diff(old.root(), new.root(), "markdown");
    assert!(
        text.contains("| note | run | customer | when purchased | if purchased |"),
        "{text}"
    );
    assert!(
        text.contains("| conditions | train | task | removed: training | added: — |"),
        "{text}"
    );

    // The same project on both sides: nothing changed, and no new field is written.
    let (_, text) = diff(old.root(), old.root(), "json");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["changed"], false);
    assert!(json["matrices"].as_array().unwrap().is_empty());
}
