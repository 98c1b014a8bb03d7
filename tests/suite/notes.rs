//! Notes (`note:` on a task and on a cell): the length bound checked at load, the markers
//! in the table and the list under it linked both ways, the party page, the comparison
//! and the search index.

use crate::support::{Project, build_clean, page, page_source, sel, text};

const NOTED: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        note: \"Only *during* office hours <script>x</script>\"
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C, I\", note: when purchased }
      - id: plain
        title: Watch it
        rasci: { vendor: \"A, R\", customer: I }
";

const TWO_SCOPES: &str = "scopes:
  - id: main
    name: Main
    sections: [general]
  - id: other
    name: Other
    sections: [general]
";

fn noted() -> crate::support::BuiltProject {
    Project::base()
        .file("data/tasks.yaml", NOTED)
        .file("data/scopes.yaml", TWO_SCOPES)
        .build()
}

#[test]
fn the_table_marks_noted_rows_and_cells_and_lists_the_notes_linked_both_ways() {
    let project = noted();
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics);
    let files = build_clean(&project);
    let doc = page(&files, "main/index.html");
    let run = doc.select(&sel("tr#task-run")).next().unwrap();
    let row_marker = run.select(&sel("th sup.note-ref a")).next().unwrap();
    assert_eq!(text(row_marker), "Note 1");
    assert_eq!(row_marker.value().attr("href"), Some("#note-main-1"));
    assert_eq!(row_marker.value().attr("id"), Some("note-ref-main-1"));
    let cells: Vec<Option<&str>> = run
        .select(&sel("td"))
        .map(|td| {
            td.select(&sel("sup.note-ref a"))
                .next()
                .and_then(|a| a.value().attr("href"))
        })
        .collect();
    assert_eq!(cells, [None, Some("#note-main-2")]);
    let plain = doc.select(&sel("tr#task-plain")).next().unwrap();
    assert_eq!(plain.select(&sel("sup.note-ref")).count(), 0);

    // The list under the table: each item back to its marker, the place and the text,
    // Markdown rendered and raw HTML shown as text.
    let items: Vec<(String, String, String)> = doc
        .select(&sel("ol.matrix-notes li"))
        .map(|li| {
            let back = li.select(&sel("a")).next().unwrap();
            (
                li.value().attr("id").unwrap().to_string(),
                back.value().attr("href").unwrap().to_string(),
                text(li),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (
                "note-main-1".to_string(),
                "#note-ref-main-1".to_string(),
                "Run it: Only during office hours <script>x</script>".to_string()
            ),
            (
                "note-main-2".to_string(),
                "#note-ref-main-2".to_string(),
                "Run it · Customer: when purchased".to_string()
            ),
        ]
    );
    let source = page_source(&files, "main/index.html");
    assert!(source.contains("Only <em>during</em> office hours"));
    assert!(!source.contains("<script>x"));
}

#[test]
fn a_page_without_notes_has_no_marker_or_list() {
    let files = build_clean(&Project::base().build());
    let source = page_source(&files, "main/index.html");
    for absent in ["note-ref", "matrix-notes", "note-main"] {
        assert!(!source.contains(absent), "{absent} in a page without notes");
    }
}

#[test]
fn the_party_page_and_the_comparison_show_the_notes() {
    let files = build_clean(&noted());
    let party = page(&files, "parties/customer/index.html");
    let items: Vec<String> = party.select(&sel(".duties li")).map(text).collect();
    assert!(
        items.contains(&"Run it: when purchased".to_string()),
        "{items:?}"
    );
    let vendor = page(&files, "parties/vendor/index.html");
    let items: Vec<String> = vendor.select(&sel(".duties li")).map(text).collect();
    assert!(
        items.contains(&"Run it: Only during office hours <script>x</script>".to_string()),
        "{items:?}"
    );
    let compare = page(&files, "compare/index.html");
    let notes: Vec<String> = compare.select(&sel("tr .cell-note")).map(text).collect();
    assert_eq!(
        notes,
        [
            "Only during office hours <script>x</script>",
            "when purchased",
            "when purchased"
        ]
    );
}

#[test]
fn notes_are_searchable() {
    let files = build_clean(&noted());
    let script = crate::support::search_scripts(&files);
    assert!(script.contains("Only *during* office hours"), "{script}");
    assert!(script.contains("Customer: when purchased"), "{script}");
}

#[test]
fn a_note_over_the_limit_is_a_located_error() {
    let long = "x".repeat(501);
    let project = Project::base()
        .file(
            "data/tasks.yaml",
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci:\n          vendor: \"A, R\"\n          customer: {{ letters: I, note: {long} }}\n"
            ),
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let finding = checked.one_at("yaml/invalid-value", "data/tasks.yaml", 8, 41);
    assert_eq!(finding["message"], "a note is at most 500 characters");

    // 500 characters are fine.
    let project = Project::base()
        .file(
            "data/tasks.yaml",
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        note: {}\n        rasci: {{ vendor: \"A, R\", customer: I }}\n",
                "y".repeat(500)
            ),
        )
        .build();
    assert_eq!(project.check_with(&["--deny-warnings"]).code, 0);
}
