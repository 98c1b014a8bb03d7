//! Exports (XLSX, Markdown), the GitLab Code Quality report, shell completions, the man
//! page, and help on every flag.

use crate::support::{Project, fixtures};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use clap::CommandFactory;
use std::io::Cursor;

fn project() -> crate::support::BuiltProject {
    Project::empty()
        .overlay(&fixtures().join("exports"))
        .build()
}

fn sheet(workbook: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<String>> {
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Empty => String::new(),
                    other => panic!("{name}: a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn xlsx_reads_back_to_the_matrix_cells() {
    let built = project();
    let out = built.beside("matrix.xlsx");
    built
        .rasci()
        .args(["export", "--format", "xlsx", "--out"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    // Both scopes share a name with characters Excel refuses: cleaned, then told apart.
    assert_eq!(
        workbook.sheet_names(),
        ["EU_ cloud _prod_", "EU_ cloud _prod_ (2)", "Legend"]
    );
    // A title that looks like a formula is a text cell (a formula would not read as text).
    assert_eq!(
        sheet(&mut workbook, "EU_ cloud _prod_"),
        strings(&[
            &["Task", "Vendor", "@Customer"],
            &["=1+1", "A, R", "C, I"],
            &["Operations | daily", "", ""],
            &["Watch the *queue*", "I", "R, A"],
        ])
    );
    assert_eq!(
        sheet(&mut workbook, "EU_ cloud _prod_ (2)"),
        strings(&[
            &["Task", "Vendor", "@Customer"],
            &["Operations | daily", "", ""],
            &["Watch the *queue*", "I", "R, A"],
        ])
    );
    let legend = sheet(&mut workbook, "Legend");
    assert_eq!(legend[0], ["Letter", "Role"]);
    assert_eq!(legend[1], ["R", "Responsible"]);
    assert_eq!(legend.len(), 6);
    let formulas = workbook.worksheet_formula("EU_ cloud _prod_").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn xlsx_is_byte_identical_across_runs_and_never_overwrites_without_force() {
    let built = project();
    let first = built.beside("first.xlsx");
    let second = built.beside("second.xlsx");
    for out in [&first, &second] {
        built
            .rasci()
            .args(["export", "--format", "xlsx", "--out"])
            .arg(out)
            .assert()
            .success();
    }
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );

    std::fs::write(&first, "keep me").unwrap();
    let refused = built
        .rasci()
        .args(["export", "--format", "xlsx", "--out"])
        .arg(&first)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "keep me");
    built
        .rasci()
        .args(["export", "--format", "xlsx", "--force", "--out"])
        .arg(&first)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

/// An export never lands on the project's sources, not even with `--force`: not on a
/// data file, not as a new file under `data/` (which the next check would read), not on
/// `rasci.yaml`.
#[test]
fn export_refuses_the_projects_sources_even_with_force() {
    let built = project();
    let tasks = built.read("data/tasks.yaml");
    for (out, force) in [
        ("data/tasks.yaml", true),
        ("data/new.yaml", false),
        ("rasci.yaml", true),
    ] {
        let mut command = built.rasci();
        command.args(["export", "--format", "json", "--out", out]);
        if force {
            command.arg("--force");
        }
        let refused = command.assert().code(2);
        let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
        assert!(
            stderr.contains("refusing to write the export"),
            "{out}: {stderr}"
        );
    }
    assert_eq!(built.read("data/tasks.yaml"), tasks);
    assert!(!built.root().join("data/new.yaml").exists());
}

#[test]
fn markdown_has_one_table_per_scope_with_cells_escaped() {
    let built = project();
    let output = built
        .rasci()
        .args(["export", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text,
        "## EU: cloud \\[prod\\]\n\n\
         | Task | Vendor | @Customer |\n\
         | --- | --- | --- |\n\
         | =1+1 | A, R | C, I |\n\
         | **Operations \\| daily** |  |  |\n\
         | Watch the \\*queue\\* | I | R, A |\n\
         \n\
         ## EU: cloud \\[prod\\]\n\n\
         | Task | Vendor | @Customer |\n\
         | --- | --- | --- |\n\
         | **Operations \\| daily** |  |  |\n\
         | Watch the \\*queue\\* | I | R, A |\n"
    );
    // Every table row has as many cells as the header: no pipe leaked out of a title.
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 4, "{line}");
    }
}

#[test]
fn the_site_offers_each_deployment_as_xlsx() {
    let built = Project::base().build();
    let (code, stderr, out) = built.build_site();
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(out.join("main/rasci-main.xlsx")).unwrap();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        sheet(&mut workbook, "Main"),
        strings(&[&["Task", "Vendor", "Customer"], &["Run it", "A, R", "C, I"]])
    );
    let page = std::fs::read_to_string(out.join("main/index.html")).unwrap();
    assert!(
        page.contains("rasci-main.xlsx"),
        "the page links the workbook"
    );
}

#[test]
fn gitlab_report_has_one_entry_per_finding_with_stable_fingerprints() {
    let built = Project::base()
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"R\", customer: \"C, I\" }\n",
        )
        .build();
    let run = || {
        let output = built
            .rasci()
            .args(["check", "--format", "gitlab"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let report = run();
    assert_eq!(report, run(), "the same findings give the same report");
    let issues = report.as_array().unwrap();
    assert!(!issues.is_empty());
    let checked = built.check();
    assert_eq!(issues.len(), checked.diagnostics.len());
    for issue in issues {
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(issue["check_name"].as_str().unwrap().starts_with("rasci/"));
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert!(fingerprint.len() == 32 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(["major", "minor"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], "data/tasks.yaml");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let missing_a = issues
        .iter()
        .find(|i| i["check_name"] == "rasci/one-accountable")
        .expect("the missing A is reported");
    assert_eq!(missing_a["severity"], "major");
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = crate::support::rasci()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for command in ["check", "export", "build", "serve", "init", "schema", "man"] {
            assert!(script.contains(command), "{shell} script lacks {command}");
        }
    }
}

#[test]
fn man_page_is_roff() {
    let output = crate::support::rasci().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH rasci"), "{page}");
    assert!(page.contains("export"));
}

#[test]
fn every_argument_of_every_command_has_help() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            if sub.get_about().is_none() && sub.get_name() != "help" {
                missing.push(format!("{path} {} (the command)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&rasci::cli::Cli::command(), "rasci", &mut missing);
    assert!(missing.is_empty(), "without help: {missing:?}");
}
