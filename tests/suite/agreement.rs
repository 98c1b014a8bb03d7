//! Agreement data: the version, effective date, approvals and review interval a model (or
//! the project) carries, shown on the deployment pages and in the JSON export, and the
//! review judged against "today", which `SOURCE_DATE_EPOCH` fixes.

use crate::support::{self, Project, page, sel, text};

const AGREEMENT: &str = "agreement:
  version: \"2025.1\"
  effective: 2025-04-01
  approvals:
    - party: customer
      date: 2025-03-20
    - party: vendor
      date: 2025-03-18
  review_every: 12 months
";

/// 2026-03-31 and 2026-04-02, at noon UTC: the day before the review is due and the day
/// after.
const BEFORE_DUE: &str = "1774958400";
const AFTER_DUE: &str = "1775131200";

fn check_on(project: &support::BuiltProject, epoch: Option<&str>) -> support::Checked {
    let mut command = project.rasci();
    match epoch {
        Some(epoch) => command.env("SOURCE_DATE_EPOCH", epoch),
        None => command.env_remove("SOURCE_DATE_EPOCH"),
    };
    let output = command
        .args(["check", "--format", "json", "--root", "."])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    support::Checked {
        code: output.status.code().unwrap(),
        diagnostics: report["diagnostics"].as_array().unwrap().clone(),
    }
}

#[test]
fn the_review_is_overdue_the_day_after_it_was_due_and_not_before() {
    let project = Project::base()
        .file("data/agreement.yaml", AGREEMENT)
        .build();
    let before = check_on(&project, Some(BEFORE_DUE));
    assert!(before.diagnostics.is_empty(), "{:#?}", before.diagnostics);
    let after = check_on(&project, Some(AFTER_DUE));
    assert_eq!(after.code, 0);
    let found = after.one_at("agreement/review-overdue", "data/agreement.yaml", 9, 17);
    assert_eq!(
        found["message"],
        "the review of agreement version `2025.1` is overdue: it was due on 2026-04-01"
    );
    // Blocked in CI by --deny-warnings.
    let output = project
        .rasci()
        .env("SOURCE_DATE_EPOCH", AFTER_DUE)
        .args(["check", "--deny-warnings", "--root", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn without_source_date_epoch_today_is_the_clock_s_day() {
    // Long overdue on any day this test runs, and never due: the clock decides.
    let overdue = Project::base()
        .file(
            "data/agreement.yaml",
            "agreement:\n  version: \"1\"\n  effective: 2001-01-01\n  review_every: 1 year\n",
        )
        .build();
    let run = check_on(&overdue, None);
    let found = run.one_at("agreement/review-overdue", "data/agreement.yaml", 4, 17);
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .ends_with("due on 2002-01-01")
    );
    let future = Project::base()
        .file(
            "data/agreement.yaml",
            "agreement:\n  version: \"1\"\n  effective: 2999-01-01\n  review_every: 1 year\n",
        )
        .build();
    assert!(check_on(&future, None).diagnostics.is_empty());
    // Set, the variable wins over the clock.
    assert_eq!(
        check_on(&future, Some("32503766400")).rules(),
        ["agreement/review-overdue"]
    );
}

#[test]
fn dates_that_are_not_dates_and_strangers_approving_are_errors_at_their_place() {
    let project = Project::base()
        .file(
            "data/agreement.yaml",
            "agreement:\n  version: \"1\"\n  effective: 2025-02-29\n  approvals:\n    - party: customer\n      date: 20-03-2025\n    - party: custmer\n      date: 2025-03-20\n  review_every: 12 moons\n",
        )
        .build();
    let run = check_on(&project, Some(BEFORE_DUE));
    assert_eq!(run.code, 1);
    let values = run.with_rule("agreement/value");
    let at: Vec<(u64, u64)> = values
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(at, [(3, 14), (6, 13), (9, 17)], "{values:#?}");
    assert_eq!(values[0]["message"], "`2025-02-29` is not a date");
    assert_eq!(values[2]["message"], "`12 moons` is not a review interval");
    let stranger = run.one_at("agreement/unknown-approver", "data/agreement.yaml", 7, 14);
    assert_eq!(
        stranger["message"],
        "unknown party `custmer` approves an agreement"
    );
}

#[test]
fn a_model_s_own_agreement_wins_over_the_project_s_and_approvers_are_its_parties() {
    let models = std::fs::read_to_string(support::models_fixture().join("data/models.yaml"))
        .unwrap()
        .replace(
            "    scopes: [cloud, onprem]\n  - id: partner",
            "    scopes: [cloud, onprem]\n    agreement:\n      version: \"7\"\n      effective: 2025-01-01\n      approvals:\n        - party: partner\n          date: 2024-12-20\n  - id: partner",
        );
    let project = Project::models()
        .file("data/models.yaml", &models)
        .file(
            "data/agreement.yaml",
            AGREEMENT.replace("vendor", "anywhere365"),
        )
        .build();
    let run = check_on(&project, Some(BEFORE_DUE));
    let found = run.one_at("agreement/unknown-approver", "data/models.yaml", 11, 18);
    assert_eq!(
        found["message"],
        "party `partner` approves an agreement in model `customer` it takes no part in"
    );
    project.edit("data/models.yaml", "party: partner", "party: customer");
    assert!(check_on(&project, Some(BEFORE_DUE)).diagnostics.is_empty());

    let files = support::build_clean(project.root());
    let shown = |path: &str| {
        let html = page(&files, path);
        let block = html
            .select(&sel(".agreement"))
            .next()
            .expect("an agreement block");
        let parts: Vec<String> = block
            .select(&sel("dt, li, dd:not(:has(li))"))
            .map(text)
            .collect();
        parts.join(" | ")
    };
    assert_eq!(
        shown("cloud/index.html"),
        "Version | 7 | Effective | 2025-01-01 | Approved by | Customer, 2024-12-20"
    );
    assert_eq!(
        shown("partner/onprem/index.html"),
        "Version | 2025.1 | Effective | 2025-04-01 | Approved by | Customer, 2025-03-20 | \
         Anywhere365, 2025-03-18 | Reviewed every | 12 months"
    );

    let export = project
        .rasci()
        .args([
            "export", "--format", "json", "--model", "partner", "--root", ".",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(json["scopes"][0]["agreement"]["version"], "2025.1");
    assert_eq!(
        json["scopes"][0]["agreement"]["approvals"][1],
        serde_json::json!({ "party": "anywhere365", "date": "2025-03-18" })
    );
}

#[test]
fn the_agreement_comes_before_the_table_and_is_escaped_and_the_site_ignores_the_day() {
    let project = Project::base()
        .file(
            "data/agreement.yaml",
            AGREEMENT.replace("\"2025.1\"", "\"<b>2025</b>\""),
        )
        .build();
    let build = |epoch: &str| {
        let output = project
            .rasci()
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["build", "--root", ".", "--out"])
            .arg(project.beside(epoch))
            .output()
            .unwrap();
        support::assert_success(&output);
        project.beside(epoch)
    };
    let (early, late) = (build(BEFORE_DUE), build(AFTER_DUE));
    let early_page = std::fs::read_to_string(early.join("main/index.html")).unwrap();
    assert!(
        early_page.contains("<dd>&lt;b&gt;2025&lt;/b&gt;</dd>"),
        "{early_page}"
    );
    let agreement = early_page.find("class=\"agreement\"").unwrap();
    assert!(agreement < early_page.find("id=\"rasci-table\"").unwrap());
    for entry in walkdir::WalkDir::new(&early) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&early).unwrap();
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(late.join(relative)).unwrap(),
                "{} differs with the day of the build",
                relative.display()
            );
        }
    }
}
