//! `rasci import`: each format read into data files that load, check and validate against
//! the schemas; the report names every changed and every unreadable cell by position; no
//! file is overwritten without `--force`; and an exported matrix comes back the same.

use crate::support::{self, rasci, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    support::fixtures().join("import").join(name)
}

/// Exit code and standard output of `rasci import FILE --root ROOT ARGS…`.
fn import(file: &Path, root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = rasci()
        .arg("import")
        .arg(file)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The resolved letters of every task of a scope, by task title then party name, as the
/// JSON export gives them.
fn letters_by_title(root: &Path, scope: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let output = rasci()
        .args(["export", "--format", "csv", "--scope", scope, "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut matrix = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let cells = header
            .iter()
            .zip(record.iter())
            .skip(2)
            .filter(|(_, letters)| !letters.is_empty())
            .map(|(party, letters)| (party.clone(), letters.to_string()))
            .collect();
        matrix.insert(record[1].to_string(), cells);
    }
    matrix
}

/// Every written file validates against its committed schema.
fn assert_valid(root: &Path) {
    for (file, schema) in [
        ("rasci.yaml", "rasci.schema.json"),
        ("data/parties.yaml", "parties.schema.json"),
        ("data/scopes.yaml", "scopes.schema.json"),
        ("data/tasks.yaml", "tasks.schema.json"),
    ] {
        let schema: Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("schemas").join(schema)).unwrap(),
        )
        .unwrap();
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let instance: Value = serde_saphyr::from_str(&text).unwrap();
        let errors = support::schema_errors(&schema, &instance);
        assert!(errors.is_empty(), "{file}: {errors:?}\n{text}");
    }
}

#[test]
fn csv_with_bold_and_b_section_rows_and_letter_forms() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let (code, stdout, stderr) = import(&fixture("plan.csv"), &root, &[]);
    assert!(code <= 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("3 parties, 2 sections, 4 tasks"),
        "{stdout}"
    );
    // Each cell whose form changed is named by its position.
    assert!(
        stdout.contains("plan.csv:3:2: \"A/R\" read as \"A, R\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("plan.csv:6:3: \"Responsible\" read as \"R\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("plan.csv:6:4: \"n/a\" read as no role"),
        "{stdout}"
    );
    assert!(
        stdout.contains("plan.csv:5:1: section title \"<b>Deployment</b>\" read as \"Deployment\""),
        "{stdout}"
    );
    assert_valid(&root);
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("  - id: \"planning-phase\"\n    title: \"Planning Phase\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("  - id: \"deployment\"\n    title: \"Deployment\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("      # plan.csv line 6\n      - id: \"deploy-to-staging\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("rasci: { \"project-manager\": \"A, R\", \"dev-team\": \"R\" }"),
        "{tasks}"
    );
    let parties = std::fs::read_to_string(root.join("data/parties.yaml")).unwrap();
    assert!(parties.contains("  - id: \"project-manager\"\n    name: \"Project Manager\""));
    let scopes = std::fs::read_to_string(root.join("data/scopes.yaml")).unwrap();
    assert!(scopes.contains("  - id: \"plan\"\n"), "{scopes}");
    assert!(
        scopes.contains("sections: [\"planning-phase\", \"deployment\"]"),
        "{scopes}"
    );
    // The same file gives the same bytes.
    let again = dir.path().join("again");
    import(&fixture("plan.csv"), &again, &[]);
    assert_eq!(
        tasks,
        std::fs::read_to_string(again.join("data/tasks.yaml")).unwrap()
    );
}

#[test]
fn full_words_are_read_as_letters() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = import(&fixture("words.csv"), dir.path(), &["--scope", "shop"]);
    assert_eq!(code, 0, "{stdout}");
    let tasks = std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("rasci: { \"owner\": \"A, R\", \"helper\": \"C\" }"),
        "{tasks}"
    );
    assert!(
        tasks.contains("rasci: { \"owner\": \"R\", \"helper\": \"A\" }"),
        "{tasks}"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("data/scopes.yaml"))
            .unwrap()
            .contains("id: \"shop\"")
    );
}

#[test]
fn unreadable_cells_are_left_out_and_named_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let (_, stdout, _) = import(&fixture("unreadable.csv"), dir.path(), &[]);
    assert!(stdout.contains("could not read 3 (left out)"), "{stdout}");
    for at in [
        "unreadable.csv:2:3: \"X\"",
        "unreadable.csv:3:2: \"yes\"",
        "unreadable.csv:4:3: \"R?\"",
    ] {
        assert!(stdout.contains(at), "{at} in {stdout}");
    }
    let tasks = std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("rasci: { \"ops\": \"A, R\" }"), "{tasks}");
    assert!(tasks.contains("rasci: { \"dev\": \"R, A\" }"), "{tasks}");
    assert!(tasks.contains("rasci: { \"ops\": \"A\" }"), "{tasks}");
}

#[test]
fn the_check_of_the_result_shows_rows_with_no_or_two_accountable() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = import(&fixture("findings.csv"), dir.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("task `no-accountable` has no Accountable party"),
        "{stdout}"
    );
    assert!(
        stdout.contains("task `two-accountable` has 2 Accountable parties"),
        "{stdout}"
    );
}

#[test]
fn a_markdown_file_of_several_tables_needs_table() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = import(&fixture("tables.md"), dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("holds 2 tables: choose one with --table"),
        "{stderr}"
    );
    assert!(!dir.path().join("data").exists());

    let (_, stdout, _) = import(&fixture("tables.md"), dir.path(), &["--table", "2"]);
    assert!(
        stdout.contains("tables.md:18:20: \"maybe\" is not a set"),
        "{stdout}"
    );
    assert_valid(dir.path());
    let tasks = std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("  # tables.md line 15\n  - id: \"daily\"\n    title: \"Daily\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("rasci: { \"operator\": \"A, R\", \"owner\": \"I\" }"),
        "{tasks}"
    );
    assert!(!tasks.contains("Draw the plan"), "{tasks}");

    let first = dir.path().join("first");
    let (code, stdout, _) = import(&fixture("tables.md"), &first, &["--table", "1"]);
    assert_eq!(code, 0, "{stdout}");
    let tasks = std::fs::read_to_string(first.join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("title: \"Design\""), "{tasks}");
    assert!(
        tasks.contains("rasci: { \"builder\": \"C\", \"owner\": \"A, R\" }"),
        "{tasks}"
    );
}

#[test]
fn into_a_project_import_adds_files_of_its_own_and_overwrites_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    import(&fixture("words.csv"), dir.path(), &[]);
    let tasks = std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap();
    let (code, stdout, stderr) = import(&fixture("plan.csv"), dir.path(), &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("data/tasks/plan.yaml"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap(),
        tasks
    );
    for file in ["parties", "scopes", "tasks"] {
        assert!(dir.path().join(format!("data/{file}/plan.yaml")).is_file());
    }
    // The same scope again is not a guess at which to keep.
    let (code, _, stderr) = import(&fixture("plan.csv"), dir.path(), &["--force"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has a scope `plan` already"), "{stderr}");
    // A file of the addition's names is replaced only with --force.
    let mine = dir.path().join("data/tasks/again.yaml");
    std::fs::write(&mine, "sections: []\n").unwrap();
    let (code, _, stderr) = import(&fixture("plan.csv"), dir.path(), &["--scope", "again"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not overwriting"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "sections: []\n");
    let (code, stdout, stderr) = import(
        &fixture("plan.csv"),
        dir.path(),
        &["--scope", "again", "--force"],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        std::fs::read_to_string(&mine)
            .unwrap()
            .contains("Planning Phase")
    );
}

#[test]
fn into_a_project_parties_are_matched_by_name_and_never_guessed() {
    let project = support::Project::base().build();
    let file = project.beside("audit.csv");
    std::fs::write(&file, "Task,VENDOR,Auditor\nRun it,R,\nAudit it,C,A/R\n").unwrap();
    let (code, stdout, stderr) = import(&file, project.root(), &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    // `Run it` has no A: the check of the whole project shows it.
    assert!(stdout.contains("has no Accountable party"), "{stdout}");
    let parties = project.read("data/parties/audit.yaml");
    assert!(parties.contains("id: \"auditor\""), "{parties}");
    assert!(!parties.contains("vendor"), "{parties}");
    let tasks = project.read("data/tasks/audit.yaml");
    assert!(tasks.contains("rasci: { \"vendor\": \"R\" }"), "{tasks}");
    // Ids of the project's sections and tasks are not taken again.
    assert!(tasks.contains("  - id: \"general-2\"\n"), "{tasks}");
    assert!(tasks.contains("      - id: \"run-it\"\n"), "{tasks}");

    let project = support::Project::base()
        .file(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Supplier\n  - id: customer\n    name: Customer\n",
        )
        .build();
    let file = project.beside("ops.csv");
    std::fs::write(&file, "Task,Vendor\nRun,A/R\n").unwrap();
    let (code, _, stderr) = import(&file, project.root(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("its id would be `vendor`"), "{stderr}");
    assert!(!project.root().join("data/tasks/ops.yaml").exists());
}

#[test]
fn an_xlsx_workbook_is_read_with_sheet_positions() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("matrix.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let rows: [&[&str]; 5] = [
        &["Responsibility matrix", "", ""],
        &["Task", "Vendor", "Customer"],
        &["Setup", "", ""],
        &["Install", "A/R", "i"],
        &["Pay", "???", "A, R"],
    ];
    workbook.add_worksheet().set_name("Notes").unwrap();
    let sheet = workbook.add_worksheet().set_name("Matrix").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    workbook.save(&file).unwrap();
    let root = dir.path().join("project");
    let (code, _, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("several sheets: choose one with --sheet (Notes, Matrix)"),
        "{stderr}"
    );
    let (code, stdout, stderr) = import(&file, &root, &["--sheet", "Matrix"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Matrix row 1: a row above the header, with one cell only; left out"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Matrix!B4: \"A/R\" read as \"A, R\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("Matrix!C4: \"i\" read as \"I\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("Matrix!B5: \"???\" is not a set"),
        "{stdout}"
    );
    assert_valid(&root);
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("  # Matrix row 3\n  - id: \"setup\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("rasci: { \"vendor\": \"A, R\", \"customer\": \"I\" }"),
        "{tasks}"
    );
}

#[test]
fn an_exported_matrix_imports_to_the_same_letters() {
    let dir = tempfile::tempdir().unwrap();
    let output = rasci()
        .args(["export", "--format", "csv", "--scope", "cloud", "--root"])
        .arg(repo())
        .output()
        .unwrap();
    assert!(output.status.success());
    let file = dir.path().join("cloud.csv");
    std::fs::write(&file, &output.stdout).unwrap();
    let root = dir.path().join("project");
    let (code, stdout, stderr) = import(&file, &root, &[]);
    assert!(code <= 1, "{stdout}{stderr}");
    assert!(!stdout.contains("could not read"), "{stdout}");
    assert_valid(&root);
    let original = letters_by_title(repo(), "cloud");
    assert!(original.len() > 10);
    assert_eq!(letters_by_title(&root, "cloud"), original);
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("title: \"Dialogue Cloud deployment specific\""),
        "{tasks}"
    );
}

/// An OpenDocument spreadsheet of one sheet, written by hand: the three parts calamine
/// reads, with `rows` as string cells (an empty string is an empty cell).
fn write_ods(path: &Path, sheet: &str, rows: &[&[&str]]) {
    use std::io::Write;
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in *row {
            if cell.is_empty() {
                body.push_str("<table:table-cell/>");
            } else {
                body.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    escape(cell)
                ));
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut archive = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        archive.start_file(name, stored).unwrap();
        archive.write_all(text.as_bytes()).unwrap();
    }
    archive.finish().unwrap();
}

#[test]
fn an_ods_spreadsheet_is_read_with_sheet_positions() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roles.ods");
    write_ods(
        &file,
        "Roles",
        &[
            &["Task", "Vendor", "Customer"],
            &["<b>Running</b>", "", ""],
            &["Watch", "r/a", "Informed"],
            &["Report", "A", "??"],
        ],
    );
    let (code, stdout, stderr) = import(&file, dir.path(), &[]);
    assert!(code <= 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("Roles!B3: \"r/a\" read as \"R, A\""),
        "{stdout}"
    );
    assert!(stdout.contains("Roles!C4: \"??\" is not a set"), "{stdout}");
    assert_valid(dir.path());
    let tasks = std::fs::read_to_string(dir.path().join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("  - id: \"running\"\n    title: \"Running\""),
        "{tasks}"
    );
    assert!(
        tasks.contains("rasci: { \"vendor\": \"R, A\", \"customer\": \"I\" }"),
        "{tasks}"
    );
    let scopes = std::fs::read_to_string(dir.path().join("data/scopes.yaml")).unwrap();
    assert!(scopes.contains("id: \"roles\""), "{scopes}");
}

#[test]
fn hostile_names_and_titles_become_valid_ids_and_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil name!.csv");
    std::fs::write(
        &file,
        "Task,\"../../etc\",\"<script>alert(1)</script>Ops\",\"Ops\"\n\
         \"Say \"\"hi\"\": {{ x }}\",A/R,C,I\n\
         \"line\u{2028}break\",R,A,\n",
    )
    .unwrap();
    let root = dir.path().join("project");
    let (code, stdout, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_valid(&root);
    let parties = std::fs::read_to_string(root.join("data/parties.yaml")).unwrap();
    assert!(
        parties.contains("  - id: \"etc\"\n    name: \"../../etc\""),
        "{parties}"
    );
    assert!(
        parties.contains("  - id: \"alert-1-ops\"\n    name: \"alert(1)Ops\""),
        "{parties}"
    );
    assert!(parties.contains("  - id: \"ops\"\n"), "{parties}");
    let scopes = std::fs::read_to_string(root.join("data/scopes.yaml")).unwrap();
    assert!(scopes.contains("  - id: \"evil-name\"\n"), "{scopes}");
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(
        tasks.contains("title: \"Say \\\"hi\\\": {{ x }}\""),
        "{tasks}"
    );
    // A line separator is white space: the title stays one line.
    assert!(tasks.contains("title: \"line break\""), "{tasks}");
}

#[test]
fn a_scope_id_that_breaks_the_id_rules_or_takes_a_site_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (scope, says) in [
        ("../x", "an id holds only lowercase letters"),
        ("static", "a name the site uses for itself"),
    ] {
        let (code, _, stderr) = import(&fixture("words.csv"), dir.path(), &["--scope", scope]);
        assert_eq!(code, 2, "{scope}");
        assert!(stderr.contains(says), "{scope}: {stderr}");
    }
    assert!(!dir.path().join("data").exists());
}

/// The same round trip through the workbook `rasci export --format xlsx` writes: the
/// deployment's sheet, section rows set apart, imported back to the same letters.
#[test]
fn an_exported_workbook_imports_to_the_same_letters() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("matrices.xlsx");
    let output = rasci()
        .args(["export", "--format", "xlsx", "--out"])
        .arg(&file)
        .arg("--root")
        .arg(repo())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let root = dir.path().join("project");
    let (code, stdout, stderr) = import(
        &file,
        &root,
        &["--sheet", "Dialogue Cloud", "--scope", "cloud"],
    );
    assert!(code <= 1, "{stdout}{stderr}");
    assert!(!stdout.contains("could not read"), "{stdout}");
    assert_valid(&root);
    let original = letters_by_title(repo(), "cloud");
    assert!(original.len() > 10);
    assert_eq!(letters_by_title(&root, "cloud"), original);
}

#[test]
fn braces_after_a_spreadsheet_title_are_text_and_after_a_markdown_title_conditions() {
    let dir = tempfile::tempdir().unwrap();
    // A CSV carries conditions in its `When` column: a title's braces are its own.
    let csv = dir.path().join("plan.csv");
    std::fs::write(
        &csv,
        "Task,Vendor\nSetup {beta},\"A, R\"\nNull{e},\"A, R\"\n",
    )
    .unwrap();
    let root = dir.path().join("from-csv");
    let (code, stdout, stderr) = import(&csv, &root, &["--scope", "main"]);
    assert!(code <= 1, "{stdout}{stderr}");
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("title: \"Setup {beta}\""), "{tasks}");
    assert!(tasks.contains("title: \"Null{e}\""), "{tasks}");
    assert!(!tasks.contains("when:"), "{tasks}");
    assert!(!root.join("data/conditions.yaml").exists());
    // The Markdown export writes a task's conditions so, and they are read back.
    let md = dir.path().join("plan.md");
    std::fs::write(
        &md,
        "| Task | Vendor |\n|---|---|\n| Setup {beta} | A, R |\n",
    )
    .unwrap();
    let root = dir.path().join("from-md");
    let (code, stdout, stderr) = import(&md, &root, &["--scope", "main"]);
    assert!(code <= 1, "{stdout}{stderr}");
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("title: \"Setup\"\n"), "{tasks}");
    let when = tasks
        .lines()
        .find(|l| l.contains("when:"))
        .unwrap_or_default();
    assert!(when.contains("beta"), "{tasks}");
}
