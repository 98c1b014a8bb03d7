//! Letters in the writer's order: a cell written `"A, R"` shows A, then R, on the pages
//! and in the CSV, XLSX and Markdown exports, whichever of the three cell forms wrote it;
//! `matrix.letter_order: rasci` shows R, A, S, C, I instead; the JSON export keeps RASCI
//! order (its contract). A selected row copies as its letters, while screen readers hear
//! the roles' names. The table's first head reads "Task & Involved party", or what
//! `labels.task_column` says.

use crate::support::{Project, build_clean, page, sel, text};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use scraper::ElementRef;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Cursor;

/// Every cell form, in an order other than RASCI's, and an override of one scope.
const TASKS: &str = r#"sections:
  - id: general
    tasks:
      - id: quoted
        title: Quoted
        rasci: { vendor: "A, R", customer: "I, C" }
      - id: bare
        title: Bare
        rasci: { vendor: CS, customer: AR }
      - id: listed
        title: Listed
        rasci: { vendor: [I, R], customer: [A, S] }
      - id: changed
        title: Changed in one scope
        rasci: { vendor: "R", customer: "A" }
        in: { second: { vendor: "C, A, R", customer: "I" } }
"#;

const SCOPES: &str = "scopes:
  - id: main
    name: Main
    sections: [general]
  - id: second
    name: Second
    sections: [general]
";

fn project(config: &str) -> crate::support::BuiltProject {
    Project::base()
        .file("rasci.yaml", config)
        .file("data/tasks.yaml", TASKS)
        .file("data/scopes.yaml", SCOPES)
        .build()
}

/// What one table cell shows, copies and reads out.
#[derive(Debug, PartialEq, Eq)]
struct CellText {
    /// The badges' letters in document order, joined by ", ".
    badges: String,
    /// The cell's text without the role names: what selecting it copies (the names are
    /// out of the selection, the separators are text of no width).
    copied: String,
    /// The cell's text without the visible letters: what a screen reader says.
    spoken: String,
}

fn cell_text(td: ElementRef<'_>) -> CellText {
    let badges: Vec<String> = td
        .select(&sel("abbr.badge > span[aria-hidden=true]"))
        .map(text)
        .collect();
    let mut copied = String::new();
    let mut spoken = String::new();
    for node in td.descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let parent = ElementRef::wrap(node.parent().unwrap()).unwrap();
        let is_name = parent.value().classes().any(|c| c == "badge-name");
        let is_letter = parent.value().attr("aria-hidden") == Some("true");
        if !is_name {
            copied.push_str(t);
        }
        if !is_letter {
            spoken.push_str(t);
        }
    }
    CellText {
        badges: badges.join(", "),
        copied,
        spoken,
    }
}

/// Per task row id, the text of each cell of the table on `path`.
fn table(files: &BTreeMap<String, Vec<u8>>, path: &str) -> BTreeMap<String, Vec<CellText>> {
    let doc = page(files, path);
    doc.select(&sel("table.rasci tbody tr[id]"))
        .map(|tr| {
            let id = tr.value().attr("id").unwrap().to_string();
            (id, tr.select(&sel("td")).map(cell_text).collect())
        })
        .collect()
}

/// Per task row id, the letters of each cell as its badges show them.
fn badges(files: &BTreeMap<String, Vec<u8>>, path: &str) -> BTreeMap<String, Vec<String>> {
    table(files, path)
        .into_iter()
        .map(|(id, cells)| (id, cells.into_iter().map(|c| c.badges).collect()))
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn export(project: &crate::support::BuiltProject, args: &[&str]) -> Vec<u8> {
    let output = project
        .rasci()
        .args(["export", "--root", "."])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn xlsx_sheet(bytes: Vec<u8>, name: &str) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|cell| match cell {
                    Data::String(s) => s.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn every_cell_form_shows_its_letters_as_written() {
    let project = project("title: x\n");
    let files = build_clean(&project);
    let main = badges(&files, "main/index.html");
    assert_eq!(main["task-quoted"], row(&["A, R", "I, C"]));
    assert_eq!(main["task-bare"], row(&["C, S", "A, R"]));
    assert_eq!(main["task-listed"], row(&["I, R", "A, S"]));
    assert_eq!(main["task-changed"], row(&["R", "A"]));
    // An override is shown as it is written, in its scope only.
    let second = badges(&files, "second/index.html");
    assert_eq!(second["task-changed"], row(&["C, A, R", "I"]));
    assert_eq!(second["task-quoted"], row(&["A, R", "I, C"]));
    // The comparison shows each deployment's cell as written too.
    let compare = page(&files, "compare/index.html");
    let changed: Vec<String> = compare
        .select(&sel("table.compare tbody tr"))
        .find(|tr| text(*tr).contains("Changed in one scope"))
        .unwrap()
        .select(&sel("td"))
        .map(|td| cell_text(td).badges)
        .collect();
    assert_eq!(changed, row(&["R", "A", "C, A, R", "I"]));

    // The downloads and the exports write the same order.
    let csv = String::from_utf8(files["main/rasci-main.csv"].clone()).unwrap();
    assert_eq!(
        csv,
        "Section,Task,Vendor,Customer\n\
         ,Quoted,\"A, R\",\"I, C\"\n\
         ,Bare,\"C, S\",\"A, R\"\n\
         ,Listed,\"I, R\",\"A, S\"\n\
         ,Changed in one scope,R,A\n"
    );
    let csv =
        String::from_utf8(export(&project, &["--format", "csv", "--scope", "second"])).unwrap();
    assert!(
        csv.contains(",Changed in one scope,\"C, A, R\",I\n"),
        "{csv}"
    );
    let markdown = String::from_utf8(export(&project, &["--format", "markdown"])).unwrap();
    assert!(markdown.contains("| Bare | C, S | A, R |"), "{markdown}");
    assert!(
        markdown.contains("| Changed in one scope | C, A, R | I |"),
        "{markdown}"
    );
    let sheet = xlsx_sheet(files["main/rasci-main.xlsx"].clone(), "Main");
    assert_eq!(sheet[3], row(&["Listed", "I, R", "A, S"]));
    // Search finds a task with its letters as the table shows them.
    let search = crate::support::search_scripts(&files);
    assert!(search.contains("Vendor: C, S; Customer: A, R"), "{search}");
}

#[test]
fn the_json_export_keeps_rasci_order() {
    let project = project("title: x\n");
    let json: Value = serde_json::from_slice(&export(&project, &["--format", "json"])).unwrap();
    let tasks = &json["scopes"][0]["sections"][0]["tasks"];
    assert_eq!(
        tasks[0]["assignments"]["vendor"],
        serde_json::json!(["R", "A"])
    );
    assert_eq!(
        tasks[0]["assignments"]["customer"],
        serde_json::json!(["C", "I"])
    );
    assert_eq!(
        tasks[1]["assignments"]["vendor"],
        serde_json::json!(["S", "C"])
    );
    let second = &json["scopes"][1]["sections"][0]["tasks"][3];
    assert_eq!(
        second["assignments"]["vendor"],
        serde_json::json!(["R", "A", "C"])
    );
    // The same in the site's download.
    let files = build_clean(&project);
    let download: Value = serde_json::from_slice(&files["main/rasci-main.json"]).unwrap();
    assert_eq!(
        download["scopes"][0]["sections"][0]["tasks"][2]["assignments"]["vendor"],
        serde_json::json!(["R", "I"])
    );
}

#[test]
fn letter_order_rasci_shows_every_cell_in_rasci_order() {
    let project = project("title: x\nmatrix:\n  letter_order: rasci\n");
    let files = build_clean(&project);
    let main = badges(&files, "main/index.html");
    assert_eq!(main["task-quoted"], row(&["R, A", "C, I"]));
    assert_eq!(main["task-bare"], row(&["S, C", "R, A"]));
    assert_eq!(main["task-listed"], row(&["R, I", "A, S"]));
    assert_eq!(
        badges(&files, "second/index.html")["task-changed"],
        row(&["R, A, C", "I"])
    );
    let csv = String::from_utf8(files["main/rasci-main.csv"].clone()).unwrap();
    assert!(csv.contains(",Quoted,\"R, A\",\"C, I\"\n"), "{csv}");
    let markdown = String::from_utf8(export(&project, &["--format", "markdown"])).unwrap();
    assert!(markdown.contains("| Bare | S, C | R, A |"), "{markdown}");
    let sheet = xlsx_sheet(files["main/rasci-main.xlsx"].clone(), "Main");
    assert_eq!(sheet[1], row(&["Quoted", "R, A", "C, I"]));
    // `written`, the default, can also be named.
    let written = build_clean(&self::project(
        "title: x\nmatrix:\n  letter_order: written\n",
    ));
    assert_eq!(
        badges(&written, "main/index.html")["task-quoted"],
        row(&["A, R", "I, C"])
    );
}

#[test]
fn an_unknown_letter_order_is_a_finding_at_its_value() {
    let project = project("title: x\nmatrix:\n  letter_order: alphabetical\n");
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let finding = checked
        .diagnostics
        .iter()
        .find(|d| d["file"] == "rasci.yaml")
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(3), Some(17)),
        "{finding:#}"
    );
    assert!(finding.to_string().contains("alphabetical"), "{finding:#}");
}

#[test]
fn a_repeated_letter_is_still_a_finding_and_shows_once() {
    let project = Project::base()
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R, A\", customer: [C, I, C] }\n",
        )
        .build();
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(checked.code, 1);
    let repeats = checked.with_rule("rasci/repeated-letter");
    assert_eq!(repeats.len(), 2, "{:#?}", checked.diagnostics);
    assert_eq!(
        (repeats[0]["line"].as_u64(), repeats[0]["column"].as_u64()),
        (Some(6), Some(33))
    );
    // The cell keeps each letter once, where it was first written.
    let files = crate::support::build_clean(&project);
    assert_eq!(
        badges(&files, "main/index.html")["task-run"],
        row(&["A, R", "C, I"])
    );
}

#[test]
fn a_copied_row_gives_the_letters_and_a_screen_reader_the_roles() {
    let files = build_clean(&project("title: x\n"));
    let main = table(&files, "main/index.html");
    let quoted = &main["task-quoted"];
    assert_eq!(quoted[0].copied, "A, R");
    assert_eq!(quoted[0].spoken, "Accountable, Responsible");
    assert_eq!(quoted[1].copied, "I, C");
    assert_eq!(quoted[1].spoken, "Informed, Consulted");
    let one = &main["task-changed"][0];
    assert_eq!(
        (one.copied.as_str(), one.spoken.as_str()),
        ("R", "Responsible")
    );
    // Each badge still carries its role's name as a tooltip.
    let doc = page(&files, "main/index.html");
    let titles: Vec<&str> = doc
        .select(&sel("tr#task-bare td abbr.badge"))
        .map(|abbr| abbr.value().attr("title").unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Consulted", "Supportive", "Accountable", "Responsible"]
    );
}

#[test]
fn the_example_shows_the_seed_as_written() {
    let files = build_clean(&Project::example().build());
    let cloud = badges(&files, "cloud/index.html");
    // Anywhere365, Customer, End-users, as the seed page writes them.
    assert_eq!(cloud["task-change-request"], row(&["C, S", "A, R", "C, I"]));
    assert_eq!(cloud["task-l2-3-support"], row(&["A, R", "S, C, I", ""]));
    assert_eq!(cloud["task-tenant-connections"], row(&["S, C", "A, R", ""]));
    let doc = page(&files, "onprem/index.html");
    let head = doc.select(&sel("table.rasci thead th")).next().unwrap();
    assert_eq!(text(head), "Task & Involved party");
}

#[test]
fn the_task_column_head_is_a_label_and_text() {
    let files = build_clean(&project(
        "title: x\nlabels:\n  task_column: \"Aufgabe </th><script>x</script>\"\n",
    ));
    for path in ["main/index.html", "second/index.html"] {
        let html = std::str::from_utf8(&files[path]).unwrap();
        assert!(!html.contains("<script>x"), "{path}");
        let doc = page(&files, path);
        let head = doc.select(&sel("table.rasci thead th")).next().unwrap();
        assert_eq!(text(head), "Aufgabe </th><script>x</script>", "{path}");
    }
    // The default wording, when the label is not set.
    let files = build_clean(&project("title: x\n"));
    let doc = page(&files, "main/index.html");
    let head = doc.select(&sel("table.rasci thead th")).next().unwrap();
    assert_eq!(text(head), "Task & Involved party");
}
