//! Hostile input to `rasci import`: what a source file holds is written as data, never as
//! YAML syntax, and never reaches the terminal raw; small files that ask for huge tables
//! (a far-away cell, a zip bomb, a repeated row, a line of commas) are refused at their
//! position with exit 2 and nothing written; the limits agree with the loader's, at the
//! boundary; every step is linear; and random and mutated files of each format either
//! import into a project that loads, or are refused with nothing written.

use crate::fuzz::{cases, runner};
use crate::support::rasci;
use proptest::prelude::*;
use rasci::import::limits;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Exit code, standard output and standard error (as bytes) of
/// `rasci import FILE --root ROOT ARGS…`.
fn import(file: &Path, root: &Path, args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let output = rasci()
        .arg("import")
        .arg(file)
        .arg("--root")
        .arg(root)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        output.stderr,
    )
}

/// Asserts a refusal: exit 2, the message naming `at`, and not one file written.
/// Imports `file` into a new project at `root`, which must succeed and check without an
/// error; the project as loaded.
fn import_clean(file: &Path, root: &Path) -> rasci::model::Project {
    let (code, stdout, stderr) = import(file, root, &[]);
    assert_eq!(
        code,
        0,
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    let (project, findings) = rasci::pipeline::check_project(root).unwrap();
    assert_eq!(findings.errors(), 0);
    project
}

fn assert_refused(file: &Path, root: &Path, args: &[&str], at: &str, what: &str) {
    let (code, stdout, stderr) = import(file, root, args);
    let stderr = String::from_utf8_lossy(&stderr);
    assert_eq!(code, 2, "{}{stderr}", String::from_utf8_lossy(&stdout));
    assert!(stderr.contains(at), "{at} in {stderr}");
    assert!(stderr.contains(what), "{what} in {stderr}");
    assert!(
        !root.exists(),
        "something was written into {}",
        root.display()
    );
}

/// No byte of a terminal control sequence: ESC, BEL, or any other C0 control but the
/// line break and tab, nor DEL.
fn assert_no_raw_controls(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a raw control character in {what}: {text:?}"
    );
}

/// Rewrites a zip archive, part by part, through `edit`, storing every part uncompressed.
fn rewrite_zip(path: &Path, edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        parts.push((name.clone(), edit(&name, data)));
    }
    write_zip(path, &parts, zip::CompressionMethod::Stored);
}

fn write_zip(path: &Path, parts: &[(String, Vec<u8>)], method: zip::CompressionMethod) {
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut archive = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in parts {
        archive.start_file(name.as_str(), options).unwrap();
        archive.write_all(data).unwrap();
    }
    archive.finish().unwrap();
}

/// An XLSX workbook of one sheet named `sheet` holding `rows` as strings.
fn xlsx(path: &Path, sheet: &str, rows: &[Vec<String>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                worksheet.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The `content.xml` of an ODS workbook with one table of raw row XML.
fn ods_content(sheet: &str, rows: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{rows}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    )
}

fn ods(path: &Path, content: &str) {
    write_zip(
        path,
        &[
            (
                "mimetype".into(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("content.xml".into(), content.as_bytes().to_vec()),
        ],
        zip::CompressionMethod::Stored,
    );
}

/// One ODS row of string cells.
fn ods_row(cells: &[&str], repeat: &str) -> String {
    let mut row = format!("<table:table-row{repeat}>");
    for cell in cells {
        row.push_str(&format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
        ));
    }
    row.push_str("</table:table-row>");
    row
}

fn csv_of(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

// ---------------------------------------------------------------------------------------
// Injection: data, never syntax; never raw on a terminal.

#[test]
fn a_sheet_name_with_a_line_break_adds_no_task_and_no_control_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.xlsx");
    let rows = vec![
        vec!["Task".to_string(), "Ops".into()],
        vec!["Run".into(), "A/R".into()],
    ];
    xlsx(&file, "Roles", &rows);
    // A name no spreadsheet program writes, but a file may hold.
    let evil = "Roles&#10;      - id: evil&#10;        title: Evil&#10;        rasci: { ops: A }&#10;      #&#27;]0;pwn&#7;";
    rewrite_zip(&file, |name, data| {
        if name == "xl/workbook.xml" {
            String::from_utf8(data)
                .unwrap()
                .replace("name=\"Roles\"", &format!("name=\"{evil}\""))
                .into_bytes()
        } else {
            data
        }
    });
    let root = dir.path().join("p");
    let (code, stdout, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    assert_no_raw_controls(&stdout, "standard output");
    assert_no_raw_controls(&stderr, "standard error");
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert_no_raw_controls(tasks.as_bytes(), "tasks.yaml");
    assert!(tasks.contains("# Roles\\n      - id: evil\\n"), "{tasks}");
    let (project, findings) = rasci::pipeline::check_project(&root).unwrap();
    assert_eq!(findings.errors(), 0);
    let ids: Vec<&str> = project
        .sections
        .iter()
        .flat_map(|s| &s.tasks)
        .map(|t| t.id.value.as_str())
        .collect();
    assert_eq!(ids, ["run"]);
    // The sheet's name, when asked for wrongly, is shown escaped too.
    let (code, _, stderr) = import(&file, &dir.path().join("q"), &["--sheet", "x\u{1b}[2J"]);
    assert_eq!(code, 2);
    assert_no_raw_controls(&stderr, "standard error");
    assert!(String::from_utf8_lossy(&stderr).contains("no sheet `x\\u{1b}[2J`"));
}

#[test]
fn yaml_words_and_control_characters_are_written_as_strings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m\u{1b}[31m.csv");
    let names = [
        "Null",
        "true",
        "no",
        "1e3",
        "0x1F",
        "on",
        "Yes",
        "2001-12-14",
    ];
    let mut header = vec!["Task".to_string()];
    header.extend(names.iter().map(|n| n.to_string()));
    let mut row = vec!["Run\u{7} \u{1b}[2J it: now # not a comment".to_string()];
    row.push("A/R".into());
    row.extend(names[1..].iter().map(|_| "C".to_string()));
    std::fs::write(&file, csv_of(&[header, row])).unwrap();
    let root = dir.path().join("p");
    let (code, stdout, stderr) = import(&file, &root, &["--scope", "m"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    assert_no_raw_controls(&stdout, "standard output");
    for file in ["data/tasks.yaml", "data/parties.yaml", "rasci.yaml"] {
        let text = std::fs::read(root.join(file)).unwrap();
        assert_no_raw_controls(&text, file);
    }
    let parties = std::fs::read_to_string(root.join("data/parties.yaml")).unwrap();
    assert!(
        parties.contains("  - id: \"null\"\n    name: \"Null\""),
        "{parties}"
    );
    let (project, findings) = rasci::pipeline::check_project(&root).unwrap();
    assert_eq!(findings.errors(), 0);
    let got: Vec<(&str, &str)> = project
        .parties
        .iter()
        .map(|p| (p.id.value.as_str(), p.name.value.as_str()))
        .collect();
    let ids = [
        "null",
        "true",
        "no",
        "1e3",
        "0x1f",
        "on",
        "yes",
        "2001-12-14",
    ];
    let want: Vec<(&str, &str)> = ids.iter().copied().zip(names.iter().copied()).collect();
    assert_eq!(got, want);
    let task = &project.sections[0].tasks[0];
    assert_eq!(
        task.title.value,
        "Run\u{7} \u{1b}[2J it: now # not a comment"
    );
}

// ---------------------------------------------------------------------------------------
// Bombs: refused at their position, before they are stored, with nothing written.

#[test]
fn a_far_away_cell_is_refused_before_a_grid_is_made() {
    let dir = tempfile::tempdir().unwrap();
    for (row, column, at) in [
        (99_999u32, 701u16, "S!ZZ100000"),
        (1_048_575, 16_383, "S!XFD1048576"),
    ] {
        let file = dir.path().join(format!("far-{column}.xlsx"));
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet().set_name("S").unwrap();
        sheet.write_string(0, 0, "Task").unwrap();
        sheet.write_string(0, 1, "Ops").unwrap();
        sheet.write_string(1, 0, "Run").unwrap();
        sheet.write_string(1, 1, "A/R").unwrap();
        sheet.write_string(row, column, "x").unwrap();
        workbook.save(&file).unwrap();
        assert_refused(
            &file,
            &dir.path().join(format!("p{column}")),
            &[],
            at,
            "more than",
        );
    }
    // Within the limits, a cell off to the side only widens the table.
    let file = dir.path().join("near.xlsx");
    let mut rows = vec![
        vec!["Task".to_string(), "Ops".into()],
        vec!["Run".into(), "A/R".into()],
    ];
    rows[1].resize(40, String::new());
    rows[1][39] = "note".into();
    xlsx(&file, "S", &rows);
    let (code, stdout, _) = import(&file, &dir.path().join("near"), &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stdout));
}

#[test]
fn a_zip_bomb_is_refused_while_it_inflates() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.xlsx");
    let rows = vec![
        vec!["Task".to_string(), "Ops".into()],
        vec!["Run".into(), "R".into()],
    ];
    xlsx(&file, "S", &rows);
    let bytes = std::fs::read(&file).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        parts.push((entry.name().unwrap().to_string(), data));
    }
    // 40 MiB of one letter in a cell: a few tens of kilobytes compressed.
    for (name, data) in &mut parts {
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data.clone()).unwrap();
            let cell = format!(
                "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>{}</t></is></c></row></sheetData>",
                "A".repeat(40 << 20)
            );
            *data = text.replace("</sheetData>", &cell).into_bytes();
        }
    }
    write_zip(&file, &parts, zip::CompressionMethod::Deflated);
    assert!(std::fs::metadata(&file).unwrap().len() < 1 << 20);
    assert_refused(
        &file,
        &dir.path().join("p"),
        &[],
        "bomb.xlsx",
        "inflates to more than 32 MiB",
    );
}

#[test]
fn a_count_of_shared_strings_the_part_cannot_hold_is_refused() {
    // A reader sets room aside for the declared count: 10^18 overflowed it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("count.xlsx");
    let rows = vec![
        vec!["Task".to_string(), "Ops".into()],
        vec!["Run".into(), "R".into()],
    ];
    xlsx(&file, "S", &rows);
    rewrite_zip(&file, |name, data| {
        if name != "xl/sharedStrings.xml" {
            return data;
        }
        let text = String::from_utf8(data).unwrap();
        let start = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = start + text[start..].find('"').unwrap();
        format!("{}1000000000000000000{}", &text[..start], &text[end..]).into_bytes()
    });
    assert_refused(
        &file,
        &dir.path().join("p"),
        &[],
        "xl/sharedStrings.xml declares 1000000000000000000 shared strings",
        "nothing was written",
    );
}

#[test]
fn shared_strings_repeated_past_the_text_budget_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.xlsx");
    let long = "x".repeat(30_000);
    let mut rows = vec![vec!["Task".to_string(), "Ops".into()]];
    for _ in 0..600 {
        rows.push(vec![long.clone(), "R".into()]);
    }
    xlsx(&file, "S", &rows);
    assert_refused(&file, &dir.path().join("p"), &[], "S!A", "MiB of text");
}

#[test]
fn a_row_repeated_a_million_times_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("repeat.ods");
    let rows = ods_row(&["Task", "Ops"], "")
        + &ods_row(&["Run", "R"], " table:number-rows-repeated=\"1000000\"");
    ods(&file, &ods_content("S", &rows));
    assert!(std::fs::metadata(&file).unwrap().len() < 2_000);
    assert_refused(
        &file,
        &dir.path().join("p"),
        &[],
        "S!A1000001",
        "more than import reads",
    );
    // A cell repeated across a billion columns, and a run of four billion spaces.
    let file = dir.path().join("wide.ods");
    let row = "<table:table-row><table:table-cell table:number-columns-repeated=\"1000000000\" office:value-type=\"string\"><text:p>R</text:p></table:table-cell></table:table-row>";
    ods(
        &file,
        &ods_content("S", &(ods_row(&["Task", "Ops"], "") + row)),
    );
    assert_refused(
        &file,
        &dir.path().join("q"),
        &[],
        "S!A2",
        "more than import reads",
    );
    let file = dir.path().join("spaces.ods");
    let row = ods_row(&["Run<text:s text:c=\"4000000000\"/>", "R"], "");
    ods(
        &file,
        &ods_content("S", &(ods_row(&["Task", "Ops"], "") + &row)),
    );
    assert_refused(&file, &dir.path().join("r"), &[], "S!A2", "a cell of");
    // Empty rows repeated to the end of the sheet, as spreadsheet programs write them,
    // only move the position on.
    let file = dir.path().join("tail.ods");
    let rows = ods_row(&["Task", "Ops"], "")
        + &ods_row(&["Run", "A/R"], "")
        + "<table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
    ods(&file, &ods_content("S", &rows));
    let (code, stdout, _) = import(&file, &dir.path().join("tail"), &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stdout));
}

#[test]
fn csv_and_markdown_past_the_limits_are_refused_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("commas.csv");
    std::fs::write(
        &file,
        format!("Task,Ops\nRun,R\n{}\n", ",".repeat(5_000_000)),
    )
    .unwrap();
    assert_refused(
        &file,
        &dir.path().join("a"),
        &[],
        "commas.csv:3",
        "more than 1024 columns",
    );
    let file = dir.path().join("long.csv");
    let cell = "y".repeat(limits::MAX_CELL_CHARS + 1);
    std::fs::write(&file, format!("Task,Ops\n\"{cell}\",R\n")).unwrap();
    assert_refused(
        &file,
        &dir.path().join("b"),
        &[],
        "long.csv:2:1",
        "a cell of 32768 characters",
    );
    let file = dir.path().join("huge.csv");
    std::fs::write(&file, vec![b'z'; limits::MAX_SOURCE_BYTES as usize + 1]).unwrap();
    assert_refused(
        &file,
        &dir.path().join("c"),
        &[],
        "huge.csv",
        "at most 10 MiB",
    );
    let file = dir.path().join("long.md");
    std::fs::write(
        &file,
        format!("intro\n\n| Task | Ops |\n|---|---|\n| {cell} | R |\n"),
    )
    .unwrap();
    assert_refused(
        &file,
        &dir.path().join("d"),
        &[],
        "long.md:5:3",
        "a cell of 32768",
    );
    // Markup the Markdown parser would keep an item for, and lines, before any table.
    let file = dir.path().join("marks.md");
    let marks = "[".repeat(limits::MAX_MARKDOWN_MARKS);
    std::fs::write(&file, format!("| a | b |\n|---|---|\n| {marks} | R |\n")).unwrap();
    assert_refused(
        &file,
        &dir.path().join("f"),
        &[],
        "marks.md:3:",
        "of Markdown markup",
    );
    let file = dir.path().join("lines.md");
    std::fs::write(&file, "a\n".repeat(limits::MAX_MARKDOWN_LINES)).unwrap();
    let line = format!("lines.md:{}", limits::MAX_MARKDOWN_LINES + 1);
    assert_refused(&file, &dir.path().join("g"), &[], &line, "lines");
    let file = dir.path().join("old.xls");
    std::fs::write(&file, b"\xD0\xCF\x11\xE0").unwrap();
    assert_refused(
        &file,
        &dir.path().join("e"),
        &[],
        "old.xls",
        "save the workbook as .xlsx",
    );
}

// ---------------------------------------------------------------------------------------
// The limits agree with the loader's: at the boundary, what import writes loads.

#[test]
fn the_row_limit_is_one_the_loader_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Task,Ops\n");
    for i in 1..limits::MAX_ROWS {
        text.push_str(&format!("Task {i},A/R\n"));
    }
    let file = dir.path().join("most.csv");
    std::fs::write(&file, &text).unwrap();
    let root = dir.path().join("most");
    let project = import_clean(&file, &root);
    assert_eq!(project.sections[0].tasks.len(), limits::MAX_ROWS - 1);
    text.push_str("One more,A/R\n");
    let file = dir.path().join("more.csv");
    std::fs::write(&file, &text).unwrap();
    let line = format!("more.csv:{}", limits::MAX_ROWS + 1);
    assert_refused(
        &file,
        &dir.path().join("more"),
        &[],
        &line,
        "more than 25000 rows",
    );
}

#[test]
fn a_table_whose_file_the_loader_would_refuse_is_refused_at_its_row() {
    // 12 parties with letters in every cell: 31 YAML nodes a task, so about 8,060 tasks
    // fill the loader's budget of one file.
    let dir = tempfile::tempdir().unwrap();
    let parties = 12;
    let mut text = String::from("Task");
    for p in 0..parties {
        text.push_str(&format!(",P{p}"));
    }
    text.push('\n');
    let row = |i: usize| format!("T{i},A/R{}\n", ",C".repeat(parties - 1));
    let fit = (limits::loader_nodes() - 3 - 5) / (7 + 2 * parties);
    for i in 0..fit {
        text.push_str(&row(i));
    }
    let file = dir.path().join("fits.csv");
    std::fs::write(&file, &text).unwrap();
    let root = dir.path().join("fits");
    import_clean(&file, &root);
    text.push_str(&row(fit));
    let file = dir.path().join("over.csv");
    std::fs::write(&file, &text).unwrap();
    let line = format!("over.csv line {}", fit + 2);
    assert_refused(&file, &dir.path().join("over"), &[], &line, "YAML nodes");
}

// ---------------------------------------------------------------------------------------
// Linear time: inputs that took minutes finish (60 s is a bound for "does not hang").

#[test]
fn rows_of_one_title_and_many_small_tables_do_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Task,Ops\n");
    for _ in 0..24_000 {
        text.push_str("Review,A/R\n");
    }
    let file = dir.path().join("same.csv");
    std::fs::write(&file, text).unwrap();
    let root = dir.path().join("same");
    let (code, _, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("- id: \"review-24000\""));
    let mut text = String::new();
    for _ in 0..16_000 {
        text.push_str("| Task | Ops |\n|---|---|\n| Run | A/R |\n\n");
    }
    let file = dir.path().join("tables.md");
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = import(&file, &dir.path().join("tables"), &["--table", "16000"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    // One long table: each cell's line and column found without reading from the start.
    let mut text = String::from("| Task | Ops |\n|---|---|\n");
    for i in 0..20_000 {
        text.push_str(&format!("| Task {i} | A/R |\n"));
    }
    let file = dir.path().join("long.md");
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = import(&file, &dir.path().join("long"), &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let cell = format!("| {} | A/R |", "<a[b](".repeat(5_000));
    let file = dir.path().join("brackets.md");
    std::fs::write(&file, format!("| Task | Ops |\n|---|---|\n{cell}\n")).unwrap();
    let (code, _, stderr) = import(&file, &dir.path().join("brackets"), &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
}

// ---------------------------------------------------------------------------------------
// Smaller defects.

#[test]
fn dates_read_as_dates_and_utf16_csv_reads_and_positions_count_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dates.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("S").unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "Task").unwrap();
    sheet.write_string(0, 1, "Ops").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
    sheet
        .write_datetime_with_format(1, 0, &date, &format)
        .unwrap();
    sheet.write_string(1, 1, "A/R").unwrap();
    workbook.save(&file).unwrap();
    let root = dir.path().join("dates");
    let (code, _, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let tasks = std::fs::read_to_string(root.join("data/tasks.yaml")).unwrap();
    assert!(tasks.contains("title: \"2024-03-05\""), "{tasks}");

    let file = dir.path().join("wide.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Task,Ops\nRun,A/R\nFix,R\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&file, bytes).unwrap();
    let root = dir.path().join("wide");
    let (code, stdout, stderr) = import(&file, &root, &[]);
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&stderr));
    assert!(String::from_utf8_lossy(&stdout).contains("wide.csv:2:2: \"A/R\" read as \"A, R\""));

    let file = dir.path().join("latin.csv");
    std::fs::write(&file, b"Task,Ops\nRun,A/R\nCaf\xE9,R\n").unwrap();
    assert_refused(
        &file,
        &dir.path().join("latin"),
        &[],
        "latin.csv:3:4",
        "not UTF-8 text",
    );
}

// ---------------------------------------------------------------------------------------
// Properties: arbitrary strings round-trip; random and mutated files never escape.

/// Strings that have broken YAML writers: keywords, comment and mapping marks, quotes,
/// line breaks of every kind, controls, spaces at the edges, non-ASCII.
fn hostile_string() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Null",
        "null",
        "~",
        "true",
        "No",
        "on",
        "1e3",
        "0x1F",
        "-",
        ".inf",
        "2001-12-14",
        "# x",
        "a: b",
        "- c",
        "[d]",
        "{e}",
        "&f",
        "*g",
        "!h",
        "|",
        ">",
        "'",
        "\"",
        "%",
        "@",
        "`",
        "\\",
        "---",
        "...",
        "\u{1b}[31m",
        "\u{7}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "\u{202e}",
        "\r\n",
        "\t",
        " ",
        "é",
        "日本",
        "🦀",
    ]);
    prop::collection::vec(
        prop_oneof![
            words.prop_map(str::to_string),
            "[ -~]{0,6}",
            any::<char>().prop_map(String::from),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

/// The letters a cell holds, as the data files write them.
fn letters() -> impl Strategy<Value = String> {
    prop::sample::subsequence(vec!["R", "A", "S", "C", "I"], 1..=5).prop_map(|l| l.join(", "))
}

/// Tasks and letters, read back from the CSV export: (title, [(party, letters)]).
fn exported(root: &Path) -> Vec<(String, Vec<(String, String)>)> {
    let output = rasci()
        .args(["export", "--format", "csv", "--scope", "m", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(output.status.code() == Some(0) || output.status.code() == Some(1));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let cells = header
                .iter()
                .zip(record.iter())
                .skip(2)
                .map(|(party, letters)| (party.clone(), letters.to_string()))
                .collect();
            (record[1].to_string(), cells)
        })
        .collect()
}

#[test]
fn arbitrary_strings_round_trip_through_import_and_export() {
    let strategy = (
        hostile_string(),
        hostile_string(),
        prop::collection::vec(hostile_string(), 1..4),
        prop::collection::vec(
            (hostile_string(), prop::collection::vec(letters(), 4)),
            1..5,
        ),
        any::<bool>(),
    );
    runner(cases(24))
        .run(&strategy, |(file_stem, sheet, names, rows, as_xlsx)| {
            let plain = rasci::import::text::plain;
            // Each name and title as import reads it, made non-empty and the names distinct,
            // so the table says exactly which parties and tasks it has.
            let mut seen = BTreeSet::new();
            let names: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let read = plain(name).to_lowercase();
                    if read.is_empty() || read == "task" || !seen.insert(read) {
                        let name = format!("{name} P{i}");
                        seen.insert(plain(&name).to_lowercase());
                        name
                    } else {
                        name.clone()
                    }
                })
                .collect();
            let rows: Vec<(String, Vec<String>)> = rows
                .into_iter()
                .enumerate()
                .map(|(i, (title, letters))| {
                    let title = if plain(&title).is_empty() {
                        format!("{title} T{i}")
                    } else {
                        title
                    };
                    // Exactly one A and at least one R, so that the project checks clean
                    // and exports; the other letters as drawn.
                    let mut letters: Vec<String> = letters[..names.len()]
                        .iter()
                        .map(|l| l.replace("A, ", "").replace(", A", "").replace('A', ""))
                        .collect();
                    letters[0] = if letters[0].is_empty() {
                        "R, A".into()
                    } else {
                        format!("{}, A", letters[0])
                    };
                    if !letters.iter().any(|l| l.contains('R')) {
                        letters[0] = format!("R, {}", letters[0]);
                    }
                    (title, letters)
                })
                .collect();
            let mut table = vec![
                std::iter::once("Task".to_string())
                    .chain(names.iter().cloned())
                    .collect::<Vec<_>>(),
            ];
            for (title, letters) in &rows {
                table.push(
                    std::iter::once(title.clone())
                        .chain(letters.iter().cloned())
                        .collect(),
                );
            }
            let dir = tempfile::tempdir().unwrap();
            let stem: String = file_stem
                .chars()
                .map(|c| if c == '/' || c == '\0' { '_' } else { c })
                .take(60)
                .collect();
            let file: PathBuf = if as_xlsx {
                let file = dir.path().join(format!("{stem}.xlsx"));
                let mut workbook = rust_xlsxwriter::Workbook::new();
                let worksheet = workbook.add_worksheet();
                if worksheet.set_name(&sheet).is_err() {
                    worksheet.set_name("Sheet").unwrap();
                }
                for (r, row) in table.iter().enumerate() {
                    for (c, text) in row.iter().enumerate() {
                        worksheet.write_string(r as u32, c as u16, text).unwrap();
                    }
                }
                workbook.save(&file).unwrap();
                file
            } else {
                let file = dir.path().join(format!("{stem}.csv"));
                std::fs::write(&file, csv_of(&table)).unwrap();
                file
            };
            let root = dir.path().join("first");
            let (code, stdout, stderr) = import(&file, &root, &["--scope", "m"]);
            prop_assert!(
                code == 0 || code == 1,
                "exit {code}: {}",
                String::from_utf8_lossy(&stderr)
            );
            assert_no_raw_controls(&stdout, "standard output");
            assert_no_raw_controls(&stderr, "standard error");
            let (project, findings) = rasci::pipeline::check_project(&root).unwrap();
            let broken: Vec<&str> = findings
                .diagnostics
                .iter()
                .map(|d| d.rule.as_str())
                .filter(|r| !r.starts_with("rasci/"))
                .collect();
            prop_assert!(broken.is_empty(), "{broken:?}");
            let got_names: Vec<&str> = project
                .parties
                .iter()
                .map(|p| p.name.value.as_str())
                .collect();
            let want_names: Vec<String> = names.iter().map(|n| plain(n)).collect();
            prop_assert_eq!(
                got_names,
                want_names.iter().map(String::as_str).collect::<Vec<_>>()
            );
            let got_titles: Vec<&str> = project
                .sections
                .iter()
                .flat_map(|s| &s.tasks)
                .map(|t| t.title.value.as_str())
                .collect();
            let want_titles: Vec<String> = rows.iter().map(|(t, _)| plain(t)).collect();
            prop_assert_eq!(
                got_titles,
                want_titles.iter().map(String::as_str).collect::<Vec<_>>()
            );
            let first = exported(&root);
            let set = |l: &str| {
                l.chars()
                    .filter(char::is_ascii_uppercase)
                    .collect::<BTreeSet<char>>()
            };
            prop_assert_eq!(first.len(), rows.len());
            for ((_, cells), (_, letters)) in first.iter().zip(&rows) {
                let got: Vec<_> = cells.iter().map(|(_, l)| set(l)).collect();
                let want: Vec<_> = letters.iter().map(|l| set(l)).collect();
                prop_assert_eq!(got, want);
            }
            // Export, import the export, export again: the same letters.
            let again = dir.path().join("again.csv");
            let output = rasci()
                .args(["export", "--format", "csv", "--scope", "m", "--root"])
                .arg(&root)
                .output()
                .unwrap();
            std::fs::write(&again, output.stdout).unwrap();
            let second_root = dir.path().join("second");
            let (code, _, stderr) = import(&again, &second_root, &["--scope", "m"]);
            prop_assert!(
                code == 0 || code == 1,
                "exit {code}: {}",
                String::from_utf8_lossy(&stderr)
            );
            let second = exported(&second_root);
            let letters_of = |rows: &[(String, Vec<(String, String)>)]| {
                rows.iter()
                    .map(|(t, c)| (t.clone(), c.clone()))
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(letters_of(&first), letters_of(&second));
            Ok(())
        })
        .unwrap();
}

/// The outcome every input must have: a project that loads without a finding of its
/// files, or a refusal that names the file and wrote nothing. Runs in this process.
fn import_never_escapes(file: &Path, root: &Path) -> Result<(), TestCaseError> {
    let options = rasci::import::Options {
        file: file.to_path_buf(),
        root: root.to_path_buf(),
        sheet: None,
        table: None,
        scope: Some("m".into()),
        force: false,
    };
    match rasci::import::import(&options) {
        Ok(imported) => {
            prop_assert!(imported.matrix.task_count() <= limits::MAX_ROWS);
            let (_, findings) = rasci::pipeline::check_project(root).unwrap();
            let broken: Vec<String> = findings
                .diagnostics
                .iter()
                .filter(|d| !d.rule.as_str().starts_with("rasci/"))
                .map(|d| format!("{}: {}", d.rule.as_str(), d.message))
                .collect();
            prop_assert!(broken.is_empty(), "{broken:?}");
        }
        Err(error) => {
            prop_assert!(!error.0.is_empty());
            prop_assert!(!error.0.chars().any(char::is_control), "{:?}", error.0);
            prop_assert!(!root.exists(), "written before refusing: {}", error.0);
        }
    }
    Ok(())
}

/// Flips, drops and repeats bytes of `bytes` at the given places.
fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(at, kind, value) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => bytes[at] = value,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, value),
            _ => {
                let end = (at + 8).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                for _ in 0..(value % 8) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..6)
}

const CSV_PIECES: &[&str] = &[
    "Task", "Ops", "Dev", ",", ",", "\n", "\r\n", "\"", "\"\"", "A/R", "R", "**Plan**", "-",
    "<b>x</b>", "[a](b)", "Null", "\u{1b}", "é", "\u{0}", "X",
];

#[test]
fn fuzzed_csv_and_markdown_import_or_are_refused_cleanly() {
    let strategy = (
        prop::collection::vec(prop::sample::select(CSV_PIECES), 0..60),
        edits(),
        any::<bool>(),
    );
    runner(cases(64))
        .run(&strategy, |(pieces, edits, markdown)| {
            let dir = tempfile::tempdir().unwrap();
            let mut text = String::from("Task,Ops,Dev\n");
            text.push_str(&pieces.concat());
            let (name, bytes) = if markdown {
                let md = text
                    .lines()
                    .enumerate()
                    .map(|(i, l)| {
                        let row = format!("| {} |", l.replace(',', " | "));
                        if i == 0 {
                            format!("{row}\n|---|---|---|")
                        } else {
                            row
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                ("m.md", mutate(md.into_bytes(), &edits))
            } else {
                ("m.csv", mutate(text.into_bytes(), &edits))
            };
            let file = dir.path().join(name);
            std::fs::write(&file, bytes).unwrap();
            import_never_escapes(&file, &dir.path().join("p"))
        })
        .unwrap();
}

#[test]
fn fuzzed_workbooks_import_or_are_refused_cleanly() {
    let strategy = (
        prop::collection::vec(
            prop::collection::vec(prop::sample::select(CSV_PIECES), 0..4),
            1..6,
        ),
        prop::collection::vec(
            (
                any::<usize>(),
                prop::sample::select(vec![
                    " table:number-rows-repeated=\"70000\"",
                    " table:number-columns-repeated=\"5000\"",
                    "<text:s text:c=\"99999\"/>",
                    "<table:table-row/>",
                    "</table:table-row>",
                    "&amp;",
                    "&bogus;",
                    "<c r=\"XFD1048576\"><v>1</v></c>",
                    "<c r=\"A1\" t=\"s\"><v>999</v></c>",
                    "\u{1b}",
                    " uniqueCount=\"99999999\"",
                    "<numFmt numFmtId=\"999999\" formatCode=\"yyyy\"/>",
                    "<xf numFmtId=\"14\"/>",
                    " s=\"99999\"",
                    "<sheet name=\"T\" sheetId=\"9\" r:id=\"rId99\"/>",
                ]),
            ),
            0..3,
        ),
        edits(),
        any::<bool>(),
        prop::sample::select(vec![
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "xl/_rels/workbook.xml.rels",
        ]),
    );
    runner(cases(48))
        .run(&strategy, |(rows, inserts, edits, as_ods, part)| {
            let dir = tempfile::tempdir().unwrap();
            let mut table = vec![vec!["Task".to_string(), "Ops".into(), "Dev".into()]];
            table.extend(
                rows.iter()
                    .map(|r| r.iter().map(|s| s.to_string()).collect()),
            );
            let file = if as_ods {
                let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
                let mut body = String::new();
                for row in &table {
                    let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
                    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                    body.push_str(&ods_row(&cells, ""));
                }
                let mut content = ods_content("S", &body);
                for (at, piece) in &inserts {
                    let mut at = at % content.len();
                    while !content.is_char_boundary(at) {
                        at -= 1;
                    }
                    content.insert_str(at, piece);
                }
                let file = dir.path().join("m.ods");
                ods(&file, &content);
                file
            } else {
                let file = dir.path().join("m.xlsx");
                let table: Vec<Vec<String>> = table
                    .iter()
                    .map(|r| r.iter().map(|c| c.replace('\u{0}', "")).collect())
                    .collect();
                xlsx(&file, "S", &table);
                rewrite_zip(&file, |name, data| {
                    if name != part {
                        return data;
                    }
                    let mut text = String::from_utf8(data).unwrap();
                    for (at, piece) in &inserts {
                        let mut at = at % text.len();
                        while !text.is_char_boundary(at) {
                            at -= 1;
                        }
                        text.insert_str(at, piece);
                    }
                    text.into_bytes()
                });
                file
            };
            // And the archive's own bytes, mutated.
            let bytes = mutate(std::fs::read(&file).unwrap(), &edits);
            std::fs::write(&file, bytes).unwrap();
            import_never_escapes(&file, &dir.path().join("p"))
        })
        .unwrap();
}

/// A workbook written by another program (openpyxl, a Python library): a date cell, and
/// columns named by YAML words.
#[test]
fn a_workbook_from_another_writer_reads_dates_and_yaml_words_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = crate::support::fixtures().join("import/openpyxl.xlsx");
    let root = dir.path().join("p");
    let project = import_clean(&file, &root);
    let parties: Vec<&str> = project
        .parties
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    assert_eq!(parties, ["null", "true", "owner"]);
    let titles: Vec<&str> = project.sections[0]
        .tasks
        .iter()
        .map(|t| t.title.value.as_str())
        .collect();
    assert_eq!(titles, ["Ship the release", "2024-03-05", "Review at noon"]);
}
