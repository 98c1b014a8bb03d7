//! Control references (`data/frameworks.yaml`, a task's `controls:`): the checks and their
//! positions, the framework pages (each control with its tasks and who is Accountable and
//! Responsible for them, the controls no task covers), the references on task rows, the
//! links the check judges, the exports, `rasci diff` and search.

use crate::support::{Project, build_clean, fixtures, page, page_source, rasci, sel, text};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use std::io::Cursor;

/// The frameworks fixture: ISO/IEC 27001 (four controls listed, one of them named by
/// no task) and NIST SP 800-53 (no controls listed), two scopes, overrides that move A
/// and R to the customer on premises.
fn fixture() -> Project {
    Project::from_dir(&fixtures().join("projects/frameworks"))
}

const FRAMEWORKS: &str = "frameworks:
  - id: iso27001
    name: ISO/IEC 27001:2022 Annex A
    controls:
      - id: A.5.24
        title: Information security incident management planning and preparation
      - id: A.5.26
";

fn with_tasks(controls: &str) -> crate::support::BuiltProject {
    Project::base()
        .file("data/frameworks.yaml", FRAMEWORKS)
        .file(
            "data/tasks.yaml",
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        controls: {controls}\n        rasci: {{ vendor: \"A, R\", customer: \"C, I\" }}\n"
            ),
        )
        .build()
}

#[test]
fn a_framework_page_lists_each_control_with_who_is_accountable_and_responsible_per_scope() {
    let built = fixture().build();
    let files = build_clean(built.root());
    let html = page(&files, "frameworks/iso27001/index.html");
    let headings: Vec<(String, String)> = html
        .select(&sel("article h2"))
        .map(|h| (h.value().id().unwrap().to_string(), text(h)))
        .collect();
    assert_eq!(
        headings,
        [
            ("control-A.5.24".to_string(), "A.5.24".to_string()),
            ("control-A.5.26".to_string(), "A.5.26".to_string()),
            ("control-A.8.13".to_string(), "A.8.13".to_string()),
            (
                "uncovered".to_string(),
                "Controls no task implements".to_string()
            ),
        ]
    );
    let tables: Vec<Vec<Vec<String>>> = html
        .select(&sel("table.control-tasks"))
        .map(|table| {
            table
                .select(&sel("tbody tr"))
                .map(|row| row.select(&sel("th, td")).map(text).collect())
                .collect()
        })
        .collect();
    let row = |cells: [&str; 4]| cells.map(str::to_string).to_vec();
    assert_eq!(
        tables[0],
        [
            row(["Plan incident response", "Cloud", "Vendor", "Vendor"]),
            row([
                "Plan incident response",
                "On premises",
                "Customer",
                "Customer"
            ]),
        ]
    );
    assert_eq!(
        tables[2],
        [
            row(["Back up the data", "Cloud", "Vendor", "Vendor"]),
            row(["Back up the data", "On premises", "Customer", "Customer"]),
        ]
    );
    let task_link = html
        .select(&sel("table.control-tasks tbody th a"))
        .next()
        .unwrap();
    assert_eq!(
        task_link.value().attr("href"),
        Some("../../cloud/index.html#task-incident-plan")
    );
    let uncovered: Vec<String> = html
        .select(&sel("ul.controls-uncovered li"))
        .map(text)
        .collect();
    assert_eq!(uncovered, ["A.5.30: ICT readiness for business continuity"]);
    // The control's description, its id put into the framework's pattern.
    let external: Vec<&str> = html
        .select(&sel("article a[rel=external]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        external[0],
        "https://www.iso.org/obp/ui/#iso:std:iso-iec:27001:ed-3:v1:en:sec:A.5.24"
    );

    // A framework that lists no controls shows those the tasks name, in their order,
    // and no section of uncovered controls.
    let nist = page(&files, "frameworks/nist80053/index.html");
    let ids: Vec<&str> = nist
        .select(&sel("article h2"))
        .filter_map(|h| h.value().id())
        .collect();
    assert_eq!(ids, ["control-IR-8", "control-IR-4"]);
}

#[test]
fn task_rows_link_their_references_and_home_and_navigation_reach_the_framework_pages() {
    let built = fixture().build();
    let files = build_clean(built.root());
    let cloud = page(&files, "cloud/index.html");
    let links: Vec<(String, String)> = cloud
        .select(&sel("tr#task-incident-plan small.controls a"))
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "iso27001:A.5.24".to_string(),
                "../frameworks/iso27001/index.html#control-A.5.24".to_string()
            ),
            (
                "nist80053:IR-8".to_string(),
                "../frameworks/nist80053/index.html#control-IR-8".to_string()
            ),
        ]
    );
    assert_eq!(
        cloud.select(&sel("tr#task-support small.controls")).count(),
        0
    );
    let home = page(&files, "index.html");
    let cards: Vec<&str> = home
        .select(&sel("a.card"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.starts_with("frameworks/"))
        .collect();
    assert_eq!(
        cards,
        [
            "frameworks/iso27001/index.html",
            "frameworks/nist80053/index.html"
        ]
    );
    let nav = page_source(&files, "static/js/nav.js");
    assert!(nav.contains("frameworks/iso27001/index.html"), "{nav}");
    // Search finds a task by the control ids it names.
    let index = crate::support::search_scripts(&files);
    let entry = index
        .split("},{")
        .find(|e| e.contains("cloud/index.html#task-incident-plan"))
        .unwrap();
    assert!(entry.contains("iso27001:A.5.24"), "{entry}");
}

#[test]
fn a_control_id_is_percent_encoded_into_the_framework_address() {
    let built = Project::base()
        .file(
            "data/frameworks.yaml",
            "frameworks:\n  - id: nist\n    name: NIST\n    url: https://example.org/controls/{control}?v=5\n",
        )
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        controls: [\"nist:AC-2(1)\"]\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .build();
    let files = build_clean(built.root());
    let html = page(&files, "frameworks/nist/index.html");
    let href = html
        .select(&sel("article a[rel=external]"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_string();
    assert_eq!(href, "https://example.org/controls/AC-2%281%29?v=5");
}

#[test]
fn unknown_frameworks_and_controls_are_errors_at_the_reference_with_the_closest_id() {
    let checked = with_tasks("[iso2701:A.5.24, iso27001:A.5.25]").check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let framework = checked.one_at("ref/unknown-framework", "data/tasks.yaml", 6, 20);
    assert_eq!(framework["message"], "there is no framework `iso2701`");
    assert_eq!(framework["help"], "did you mean `iso27001`?");
    let control = checked.one_at("ref/unknown-control", "data/tasks.yaml", 6, 36);
    assert_eq!(
        control["message"],
        "framework `iso27001` has no control `A.5.25`"
    );
    assert_eq!(checked.rules().len(), 2, "{:#?}", checked.diagnostics);

    // Without data/frameworks.yaml, a reference names a framework that is not defined.
    let bare = Project::base()
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        controls: [iso27001:A.5.24]\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .build()
        .check();
    let finding = bare.one_at("ref/unknown-framework", "data/tasks.yaml", 6, 20);
    assert_eq!(
        finding["help"],
        "define it in `data/frameworks.yaml` with an id and a name"
    );
}

#[test]
fn limits_and_forms_are_errors_where_they_are_broken() {
    // A reference without `:`, and one whose control id holds a space.
    let checked = with_tasks("[iso27001, \"iso27001:A 5\"]").check();
    assert_eq!(checked.code, 1);
    let found = checked.with_rule("rasci/framework-limits");
    assert_eq!(found.len(), 2, "{:#?}", checked.diagnostics);
    assert_eq!(found[0]["message"], "`iso27001` is no control reference");
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(6), Some(20))
    );
    assert_eq!(found[1]["column"].as_u64(), Some(30));

    // 33 references: the 33rd is one too many.
    let many: Vec<String> = (0..33).map(|i| format!("nist:C-{i}")).collect();
    let checked = Project::base()
        .file(
            "data/frameworks.yaml",
            "frameworks:\n  - id: nist\n    name: NIST\n",
        )
        .file(
            "data/tasks.yaml",
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        controls:\n{}        rasci: {{ vendor: \"A, R\", customer: \"C, I\" }}\n",
                many.iter().map(|c| format!("          - {c}\n")).collect::<String>()
            ),
        )
        .build()
        .check();
    let finding = checked.one_at("rasci/framework-limits", "data/tasks.yaml", 39, 13);
    assert_eq!(finding["message"], "task `run` names more than 32 controls");

    // A pattern that is not https, and a control id with a slash.
    let checked = Project::base()
        .file(
            "data/frameworks.yaml",
            "frameworks:\n  - id: iso\n    name: ISO\n    url: \"javascript:alert(1)//{control}\"\n    controls:\n      - id: A/5\n",
        )
        .build()
        .check();
    let found = checked.with_rule("rasci/framework-limits");
    assert_eq!(found.len(), 2, "{:#?}", checked.diagnostics);
    // In the order of the file: the address, then the control.
    assert_eq!(
        found[0]["message"],
        "the `url` of framework `iso` cannot make a link"
    );
    assert_eq!(found[0]["line"].as_u64(), Some(4));
    assert_eq!(found[1]["message"], "`A/5` is no control id");
    assert_eq!(
        (found[1]["line"].as_u64(), found[1]["column"].as_u64()),
        (Some(6), Some(13))
    );
}

#[test]
fn plain_check_judges_links_to_framework_pages_and_their_controls() {
    let checked = fixture()
        .file(
            "content/guide.md",
            "---\ntitle: A guide\n---\n\n\
             [fine](/frameworks/iso27001/#control-A.5.24) [listed](/frameworks/iso27001/#control-A.5.30) [named](/frameworks/nist80053/#control-IR-8)\n\n\
             [no control](/frameworks/iso27001/#control-A.9.99) [no framework](/frameworks/nope/)\n",
        )
        .build()
        .check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let broken: Vec<(u64, u64)> = checked
        .with_rule("link/broken")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(broken, [(7, 1), (7, 52)], "{:#?}", checked.diagnostics);
}

fn export(built: &crate::support::BuiltProject, args: &[&str]) -> Vec<u8> {
    let output = built.rasci().arg("export").args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_exports_carry_the_references() {
    let built = fixture().build();
    let json: Value = serde_json::from_slice(&export(&built, &["--format", "json"])).unwrap();
    assert_eq!(json["frameworks"][0]["id"], "iso27001");
    assert_eq!(json["frameworks"][0]["controls"][2]["id"], "A.5.30");
    assert_eq!(json["frameworks"][1]["controls"], serde_json::json!([]));
    let tasks = &json["scopes"][0]["sections"][1]["tasks"];
    assert_eq!(
        tasks[0]["controls"],
        serde_json::json!(["iso27001:A.5.24", "nist80053:IR-8"])
    );
    assert!(
        json["scopes"][0]["sections"][0]["tasks"][0]
            .get("controls")
            .is_none()
    );

    let csv = String::from_utf8(export(&built, &["--format", "csv", "--scope", "cloud"])).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Section,Task,Vendor,Customer,Controls");
    assert_eq!(
        lines[2],
        "Security,Plan incident response,\"A, R\",\"C, I\",\"iso27001:A.5.24, nist80053:IR-8\""
    );

    let markdown = String::from_utf8(export(&built, &["--format", "markdown"])).unwrap();
    assert!(
        markdown.contains("| Task | Vendor | Customer | Controls |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Back up the data | C | A, R | iso27001:A.8.13 |"),
        "{markdown}"
    );

    let xlsx = export(&built, &["--format", "xlsx"]);
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = workbook.worksheet_range("Cloud").unwrap();
    let row = |r: usize| -> Vec<String> {
        range
            .rows()
            .nth(r)
            .unwrap()
            .iter()
            .map(|c| match c {
                Data::String(s) => s.clone(),
                _ => String::new(),
            })
            .collect()
    };
    assert_eq!(row(0), ["Task", "Vendor", "Customer", "Controls"]);
    assert_eq!(
        row(4),
        [
            "Respond to incidents",
            "A, R",
            "I",
            "iso27001:A.5.26, nist80053:IR-4"
        ]
    );

    // Without frameworks every export keeps its columns.
    let plain = Project::base().build();
    let json: Value = serde_json::from_slice(&export(&plain, &["--format", "json"])).unwrap();
    assert!(json.get("frameworks").is_none());
    let csv = String::from_utf8(export(&plain, &["--format", "csv"])).unwrap();
    assert_eq!(csv.lines().next(), Some("Section,Task,Vendor,Customer"));
}

#[test]
fn diff_reports_the_references_added_and_removed() {
    let old = fixture().build();
    let new = fixture().build();
    new.edit(
        "data/tasks.yaml",
        "controls: [iso27001:A.5.24, nist80053:IR-8]",
        "controls: [iso27001:A.5.24, iso27001:A.5.30]",
    );
    let output = rasci()
        .arg("diff")
        .arg(old.root())
        .arg(new.root())
        .args(["--format", "json", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        diff["controls"],
        serde_json::json!([{
            "task": "incident-plan",
            "added": ["iso27001:A.5.30"],
            "removed": ["nist80053:IR-8"]
        }])
    );
    assert_eq!(diff["matrices"], serde_json::json!([]));
    let human = rasci()
        .arg("diff")
        .arg(old.root())
        .arg(new.root())
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("control references:\n  + task `incident-plan`: iso27001:A.5.30\n  - task `incident-plan`: nist80053:IR-8\n"),
        "{human}"
    );
    let markdown = rasci()
        .arg("diff")
        .arg(old.root())
        .arg(new.root())
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains(
            "#### Control references\n\n| Task | Added | Removed |\n|---|---|---|\n| incident-plan | iso27001:A.5.30 | nist80053:IR-8 |\n"
        ),
        "{markdown}"
    );
    // The same project twice: nothing changed, and no `controls` key.
    let same = rasci()
        .arg("diff")
        .arg(old.root())
        .arg(old.root())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let same: Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(same["changed"], false);
    assert!(same.get("controls").is_none());
}
