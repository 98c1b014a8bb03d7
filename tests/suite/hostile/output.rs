//! Hostile input against what rasci prints and writes: a closed standard output ends no
//! command in a panic; a finding on a line of megabytes or with a text of megabytes prints
//! a few lines at the right position; every limit of the downloads is a finding of `check`
//! at the data, so a project that checks clean builds.

use crate::support::{Project, fixtures};
use std::path::Path;
use std::process::{Command, Stdio};

/// `rasci ARGS` in `dir`, with standard output either thrown away or a pipe whose reading
/// end is closed before rasci writes: exit code and standard error.
fn run(dir: &Path, args: &[String], closed: bool) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rasci"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    command.stdout(if closed {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command.spawn().unwrap();
    // Closing the reading end at once: rasci is still starting, so its first write meets a
    // pipe nobody reads (a `| head -1` that has had its line).
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().expect("rasci exited, not killed"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_standard_output_ends_no_command_in_a_panic() {
    let project = Project::base().build();
    let root = project.root().to_str().unwrap().to_string();
    let old = fixtures().join("diff/old").to_str().unwrap().to_string();
    let new = fixtures().join("diff/new").to_str().unwrap().to_string();
    let csv = fixtures()
        .join("import/plan.csv")
        .to_str()
        .unwrap()
        .to_string();
    let mut cases: Vec<Vec<String>> = Vec::new();
    let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        cases.push(words(&format!("check --root {root} --format {format}")));
    }
    cases.push(words(&format!("check --root {root} --site")));
    for format in ["json", "csv", "markdown", "xlsx"] {
        cases.push(words(&format!("export --root {root} --format {format}")));
    }
    for format in ["human", "markdown", "json"] {
        cases.push(words(&format!("diff {old} {new} --format {format}")));
    }
    cases.push(words("schema --out schemas"));
    cases.push(words("init new"));
    cases.push(words(&format!("import {csv} --root imported")));
    cases.push(words("completions bash"));
    cases.push(words("man"));
    cases.push(words("--help"));
    cases.push(words("--version"));
    cases.push(words("check --help"));
    for args in &cases {
        // The same command with its output read and with its output closed, each in a
        // fresh folder: the closed one ends the same way, quietly, and does all its work.
        let read = tempfile::tempdir().unwrap();
        let closed = tempfile::tempdir().unwrap();
        let (code, stderr) = run(read.path(), args, false);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}\n{stderr}");
        let (closed_code, closed_stderr) = run(closed.path(), args, true);
        assert!(
            !closed_stderr.contains("panicked") && !closed_stderr.contains("Broken pipe"),
            "{args:?}:\n{closed_stderr}"
        );
        assert_eq!(closed_code, code, "{args:?}:\n{closed_stderr}");
        assert_eq!(
            files(closed.path()),
            files(read.path()),
            "{args:?} wrote the same files"
        );
    }
}

/// The paths of the files under `dir`, relative to it.
fn files(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    found.sort();
    found
}

/// `rasci check` of `project` in the human format: exit code and standard output.
fn human(project: &crate::support::BuiltProject) -> (i32, String) {
    let output = project
        .rasci()
        .args(["check", "--root", "."])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// Ten megabytes of text on one line, in two-byte characters (a cut at a byte would
/// split one).
fn filler() -> String {
    "é".repeat(5_000_000)
}

#[test]
fn a_finding_on_a_line_of_ten_megabytes_prints_a_few_lines_at_its_position() {
    // One line: a task written as a flow mapping, `id` given near its start and again
    // after ten megabytes.
    let tasks = format!(
        "{{sections: [{{id: general, tasks: [{{id: run, title: Run it, rasci: {{vendor: \"A, R\", customer: \"C, I\"}}, description: \"{}\", id: again}}]}}]}}",
        filler()
    );
    let first = tasks.find("id: run").unwrap();
    let again = tasks.rfind("id: again").unwrap();
    let column = |byte: usize| tasks[..byte].chars().count() as u64 + 1;
    let project = Project::base().file("data/tasks.yaml", &tasks).build();

    let checked = project.check();
    assert_eq!(checked.code, 1);
    let finding = checked.one_at("yaml/duplicate-key", "data/tasks.yaml", 1, column(again));

    let (code, text) = human(&project);
    assert_eq!(code, 1);
    assert!(
        text.len() < 4_000,
        "{} bytes:\n{}",
        text.len(),
        &text[..4_000]
    );
    assert!(
        text.contains(&format!(" --> data/tasks.yaml:1:{}\n", column(again))),
        "{text}"
    );
    // Both labels are drawn: the first `id` near the start of the line, the second near
    // its end, each with its own context and the cut between them marked.
    assert!(text.contains("first given here"), "{text}");
    assert!(text.contains("given again here"), "{text}");
    assert!(
        text.contains("{sections: [{id: general, tasks: [{id: run"),
        "{text}"
    );
    assert!(text.contains("éé\", id: again}]}]}"), "{text}");
    assert!(text.contains('…'), "{text}");
    assert_eq!(finding["message"], "duplicate key `id`");
    assert!(first < again);
}

#[test]
fn a_finding_whose_text_is_megabytes_long_prints_a_bounded_report() {
    // An unknown field whose name is a million characters (an explicit `? key`, as a
    // plain key is at most 1,024): the message names it.
    let key = "k".repeat(1_000_000);
    let tasks = format!(
        "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: {{ vendor: \"A, R\", customer: \"C, I\" }}\n        ? {key}\n        : 1\n"
    );
    let project = Project::base().file("data/tasks.yaml", &tasks).build();
    let checked = project.check();
    let finding = checked.one_at("yaml/unknown-field", "data/tasks.yaml", 7, 11);
    // The machine formats keep the whole text; the human one cuts it.
    assert_eq!(
        finding["message"].as_str().unwrap().len(),
        key.len() + "unknown field ``".len()
    );
    let (code, text) = human(&project);
    assert_eq!(code, 1);
    assert!(text.len() < 6_000, "{} bytes", text.len());
    assert!(text.contains(" --> data/tasks.yaml:7:11\n"), "{text}");
    assert!(
        text.contains("error[yaml/unknown-field]: unknown field `kkk"),
        "{text}"
    );
}

/// A text of `units` UTF-16 units, starting with `Run it`, made of emoji (two units each)
/// and one `x` when `units` is odd.
fn text_of(units: usize) -> String {
    let rest = units - "Run it ".len();
    format!("Run it {}{}", "😀".repeat(rest / 2), "x".repeat(rest % 2))
}

fn with_title(title: &str) -> Project {
    Project::base().file(
        "data/tasks.yaml",
        format!(
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: \"{title}\"\n        rasci: {{ vendor: \"A, R\", customer: \"C, I\" }}\n"
        ),
    )
}

#[test]
fn a_title_that_fits_a_workbook_cell_checks_clean_and_builds_its_download() {
    let project = with_title(&text_of(32_767)).build();
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!((checked.code, checked.rules()), (0, vec![]));
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("main/rasci-main.xlsx").is_file());
}

#[test]
fn a_title_too_long_for_a_workbook_cell_is_a_finding_of_check_at_the_title() {
    let project = with_title(&text_of(32_768)).build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let finding = checked.one_at("output/limit", "data/tasks.yaml", 5, 16);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("a task's title is too long for a workbook cell: 32768 characters"),
        "{finding:#}"
    );
    assert_eq!(checked.rules(), vec!["output/limit"]);
    // The build stops at the same finding, not at a download left out of the site.
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 1);
    assert!(stderr.contains("error[output/limit]"), "{stderr}");
    assert!(!stderr.contains("link/broken"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_party_name_too_long_for_a_workbook_cell_is_a_finding_at_the_name() {
    let project = Project::base()
        .file(
            "data/parties.yaml",
            format!(
                "parties:\n  - id: vendor\n    name: {}\n  - id: customer\n    name: Customer\n",
                "v".repeat(40_000)
            ),
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    checked.one_at("output/limit", "data/parties.yaml", 3, 11);
}

/// A project of `count` parties, one of which holds the task's letters.
fn with_parties(count: usize) -> crate::support::BuiltProject {
    let mut parties = String::from("parties:\n");
    for i in 0..count {
        parties.push_str(&format!("  - {{ id: p{i}, name: P{i} }}\n"));
    }
    Project::base()
        .file("data/parties.yaml", &parties)
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { p0: \"A, R\" }\n",
        )
        .build()
}

#[test]
fn more_parties_than_a_sheet_has_columns_is_a_finding_at_the_first_party_past_the_limit() {
    // 16,383 parties and the task column fill a sheet's 16,384 columns: only the
    // warnings for idle parties.
    let checked = with_parties(16_383).check();
    assert_eq!(checked.code, 0);
    assert!(checked.with_rule("output/limit").is_empty());

    let checked = with_parties(16_384).check();
    assert_eq!(checked.code, 1);
    // Party 16,384 (`p16383`, on line 16,385) is the one with no column left.
    let finding = checked.one_at("output/limit", "data/parties.yaml", 16_385, 11);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("has 16384 parties, more than the 16383 columns"),
        "{finding:#}"
    );
}

#[test]
fn an_imported_link_to_a_script_leaves_exactly_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("matrix.csv");
    std::fs::write(
        &csv,
        "Task,Vendor,Customer\nRun [it](javascript:alert(1)),\"A, R\",C\nOpen [the guide](https://example.org/a_(b) \"Guide (new)\") now,\"A, R\",I\n",
    )
    .unwrap();
    let root = dir.path().join("project");
    let output = crate::support::rasci()
        .arg("import")
        .arg(&csv)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    crate::support::assert_success(&output);
    let exported = crate::support::rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let json = String::from_utf8(exported.stdout).unwrap();
    assert!(json.contains("\"Run it\""), "{json}");
    assert!(json.contains("\"Open the guide now\""), "{json}");
    assert!(
        !json.contains("it)") && !json.contains("javascript"),
        "{json}"
    );
}

#[test]
fn a_dropped_link_to_a_script_leaves_exactly_its_text_in_pages_and_data() {
    let project = Project::base()
        .file(
            "data/scopes.yaml",
            "scopes:\n  - id: main\n    name: Main\n    description: 'Run [it](javascript:alert(1)) now.'\n    sections: [general]\n",
        )
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\n\nRun [it](javascript:alert(1)) now.\n",
        )
        .build();
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
    for page in ["main/index.html", "main/page/index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(html.contains("Run it now."), "{page}");
        assert!(!html.contains("javascript"), "{page}");
    }
}

/// The findings of `check` of the base project with `line` added to `rasci.yaml`: (rule,
/// line, column, message) of each.
fn config_findings(line: &str) -> Vec<(String, u64, u64, String)> {
    let rasci_yaml = format!(
        "{}{line}\n",
        std::fs::read_to_string(fixtures().join("base/rasci.yaml")).unwrap()
    );
    let project = Project::base().file("rasci.yaml", rasci_yaml).build();
    project
        .check()
        .diagnostics
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_base_url_that_does_not_parse_is_a_finding_at_the_value() {
    for value in ["http://example.org:99999/", "'https://[::1/'"] {
        let found = config_findings(&format!("base_url: {value}"));
        assert_eq!(found.len(), 1, "{value}: {found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1, found[0].2),
            ("config/base-url", 2, 11),
            "{value}"
        );
    }
    assert_eq!(
        config_findings("base_url: https://example.org:8080/support/"),
        vec![]
    );
}

#[test]
fn a_share_outside_zero_to_one_is_a_finding_at_the_value() {
    for value in ["-0.5", ".nan", "1.5", ".inf"] {
        let found = config_findings(&format!("check:\n  max_accountable_share: {value}"));
        assert_eq!(found.len(), 1, "{value}: {found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1, found[0].2),
            ("yaml/invalid-value", 3, 26),
            "{value}"
        );
        assert!(found[0].3.contains("from 0 to 1"), "{found:?}");
    }
    for value in ["0", "1", "0.6"] {
        assert_eq!(
            config_findings(&format!("check:\n  max_accountable_share: {value}")),
            vec![],
            "{value}"
        );
    }
}

#[test]
fn a_language_that_is_no_language_tag_is_a_finding_at_the_value() {
    for value in ["\"en\\nx\"", "'<x>'", "e", "''", "en-", "\"en\\u001b[31m\""] {
        let found = config_findings(&format!("language: {value}"));
        assert_eq!(found.len(), 1, "{value}: {found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1, found[0].2),
            ("yaml/invalid-value", 2, 11),
            "{value}"
        );
        assert!(found[0].3.contains("language tag"), "{found:?}");
    }
    for value in ["en", "de-CH", "zh-Hant-TW"] {
        assert_eq!(
            config_findings(&format!("language: {value}")),
            vec![],
            "{value}"
        );
    }
}

#[test]
fn no_finding_names_a_rust_type() {
    let cases = [
        ("title:", 1, 6, "expected a text here, found nothing"),
        ("title: ~", 1, 8, "expected a text here, found nothing"),
        (
            "title: x\nlanguage:",
            2,
            9,
            "expected a text here, found nothing",
        ),
        (
            "title: x\ncheck:\n  rules:\n    rasci/idle-party:",
            4,
            21,
            "expected one of `error`, `warning` and `off` here, found nothing",
        ),
        (
            "title: x\ncheck:\n  rules:\n    rasci/idle-party: loud",
            4,
            23,
            "expected one of `error`, `warning` and `off` here, found `loud`",
        ),
    ];
    for (rasci_yaml, line, column, message) in cases {
        let project = Project::base().file("rasci.yaml", rasci_yaml).build();
        let checked = project.check();
        let finding = checked.one_at("yaml/invalid-value", "rasci.yaml", line, column);
        assert_eq!(finding["message"], message, "{rasci_yaml}");
        let text = finding.to_string();
        for rust in ["Option<", "deserialize", "variant", "String"] {
            assert!(!text.contains(rust), "{rasci_yaml}: {text}");
        }
    }
}

#[test]
fn a_markdown_diff_mentions_nobody_and_links_no_issue() {
    let old = Project::base().build();
    let new = Project::base()
        .file(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Vendor\n  - id: customer\n    name: Customer\n  - id: team\n    name: '@org/team'\n",
        )
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: 'Run it, see #123 and @alice'\n        rasci: { vendor: \"A, R\", customer: \"C, I\", team: I }\n",
        )
        .build();
    let output = crate::support::rasci()
        .arg("diff")
        .arg(old.root())
        .arg(new.root())
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("@\u{2060}org/team"), "{text}");
    assert!(text.contains("@\u{2060}alice"), "{text}");
    assert!(text.contains("#\u{2060}123"), "{text}");
    // No `@` or `#` from the data is followed by what a forge would link.
    for (at, _) in text.match_indices(['@', '#']) {
        let next = text[at + 1..].chars().next();
        assert!(
            next.is_none_or(|c| !c.is_alphanumeric()),
            "{:?}",
            &text[at.saturating_sub(10)..(at + 10).min(text.len())]
        );
    }
}

#[test]
fn serve_keeps_serving_with_a_closed_standard_output() {
    use std::io::{Read, Write};
    let project = Project::base().build();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasci"))
        .args(["serve", "--root"])
        .arg(project.root())
        .args(["--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The address line is written to a pipe nobody reads.
    drop(child.stdout.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut answer = String::new();
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("serve ended with {status}");
        }
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let request =
                format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_string(&mut answer);
                if !answer.is_empty() {
                    break;
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
