//! Conditions (`data/conditions.yaml`, `when:`): the letter rules under every
//! combination, unknown and unused conditions, the bound per scope, the badges, legend
//! and switches of the built page, and the JSON export's fields.

use crate::support::{Project, build_clean, page, rasci, sel, text};

const CONDITIONS: &str = "conditions:
  - id: premium-plus
    name: Premium Plus support purchased
    description: The 24x7 line is included.
  - id: training
    name: Training purchased
";

/// The base project with `CONDITIONS` and `tasks` as its tasks file.
fn project(tasks: &str) -> crate::support::BuiltProject {
    Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file("data/tasks.yaml", tasks)
        .build()
}

const CONDITIONAL_A: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: \"A, R\", customer: \"C, I\" }
      - id: call
        title: Call the 24x7 line
        rasci:
          vendor: { letters: \"A, R\", when: [premium-plus] }
          customer: I
      - id: train
        title: Train the staff
        when: [training]
        rasci: { vendor: \"A, R\", customer: { letters: S, when: [premium-plus] } }
";

#[test]
fn a_task_whose_only_accountable_is_conditional_is_an_error_naming_the_condition() {
    let project = project(CONDITIONAL_A);
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let accountable = checked.with_rule("rasci/one-accountable");
    assert_eq!(accountable.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(
        accountable[0]["message"],
        "task `call` has no Accountable party without premium-plus (scope `main`)"
    );
    assert_eq!(accountable[0]["file"], "data/tasks.yaml");
    assert_eq!(
        (
            accountable[0]["line"].as_u64(),
            accountable[0]["column"].as_u64()
        ),
        (Some(7), Some(13))
    );
    let responsible = checked.with_rule("rasci/has-responsible");
    assert_eq!(responsible.len(), 1);
    assert_eq!(
        responsible[0]["message"],
        "task `call` has no Responsible party without premium-plus (scope `main`)"
    );
    // `train` applies only under training, where vendor is A and R whatever premium-plus
    // is; both conditions are used, so neither is left over.
    assert_eq!(checked.rules().len(), 2, "{:#?}", checked.diagnostics);
}

#[test]
fn a_conditional_cell_beside_an_unconditional_accountable_is_counted_only_where_it_applies() {
    // Under premium-plus the customer is a second Accountable party; without it, not.
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        when: [training]
        rasci:
          vendor: \"A, R\"
          customer: { letters: A, when: [premium-plus] }
",
    );
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let messages: Vec<&str> = checked
        .with_rule("rasci/one-accountable")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["task `run` has 2 Accountable parties under training, premium-plus (scope `main`)"]
    );
}

#[test]
fn a_project_whose_conditions_all_hold_together_is_clean() {
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C\", when: [premium-plus] }
      - id: train
        title: Train the staff
        when: [training]
        rasci: { vendor: \"A, R\", customer: I }
",
    );
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics);
}

#[test]
fn an_unknown_condition_is_located_with_the_closest_id_and_an_unused_one_is_a_warning() {
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        when: [premium-pluss]
        rasci: { vendor: \"A, R\" }
",
    );
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let unknown = checked.with_rule("ref/unknown-condition");
    assert_eq!(unknown.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(
        unknown[0]["message"],
        "there is no condition `premium-pluss`"
    );
    assert_eq!(unknown[0]["help"], "did you mean `premium-plus`?");
    assert_eq!(
        (unknown[0]["line"].as_u64(), unknown[0]["column"].as_u64()),
        (Some(6), Some(16))
    );
    // Neither condition is used: both are warnings, at their definitions.
    let unused: Vec<(&str, u64)> = checked
        .with_rule("rasci/unused-condition")
        .iter()
        .map(|d| (d["message"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        unused,
        [
            ("condition `premium-plus` is used nowhere", 2),
            ("condition `training` is used nowhere", 5)
        ]
    );
}

#[test]
fn a_misspelt_condition_of_the_only_accountable_is_one_finding_at_its_cause() {
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        when: [training]
        rasci:
          vendor: { letters: \"A, R\", when: [premium-pluss] }
          customer: { letters: I, when: [premium-plus] }
",
    );
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(checked.code, 1);
    assert_eq!(
        checked.rules(),
        ["ref/unknown-condition"],
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn a_condition_in_a_summary_item_or_a_flow_step_is_checked_too() {
    let project = Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file(
            "data/summaries.yaml",
            "summaries:\n  - party: vendor\n    items:\n      - text: Training\n        when: [trainin]\n",
        )
        .file(
            "data/flows.yaml",
            "flows:\n  - id: f\n    title: F\n    lanes: [{ id: v, party: vendor }]\n    steps:\n      - { id: a, lane: v, text: Call, when: [premium-plus] }\n",
        )
        .build();
    let checked = project.check();
    let unknown = checked.with_rule("ref/unknown-condition");
    assert_eq!(unknown.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(unknown[0]["file"], "data/summaries.yaml");
    assert_eq!(unknown[0]["help"], "did you mean `training`?");
    // premium-plus is used by the flow step, training by nobody (the item misspells it).
    let unused = checked.with_rule("rasci/unused-condition");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["message"], "condition `training` is used nowhere");
}

#[test]
fn more_than_eight_conditions_in_one_scope_is_an_error_at_the_ninth() {
    let mut conditions = String::from("conditions:\n");
    let mut tasks = String::from("sections:\n  - id: general\n    tasks:\n");
    for i in 1..=9 {
        conditions.push_str(&format!("  - {{ id: c{i}, name: C{i} }}\n"));
        tasks.push_str(&format!(
            "      - id: t{i}\n        title: T{i}\n        when: [c{i}]\n        rasci: {{ vendor: \"A, R\" }}\n"
        ));
    }
    let project = Project::base()
        .file("data/conditions.yaml", conditions)
        .file("data/tasks.yaml", tasks)
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let too_many = checked.with_rule("rasci/too-many-conditions");
    assert_eq!(too_many.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(
        too_many[0]["message"],
        "scope `main` uses more than 8 conditions"
    );
    // The ninth task's `when: [c9]`.
    assert_eq!(
        (too_many[0]["line"].as_u64(), too_many[0]["column"].as_u64()),
        (Some(38), Some(16))
    );
}

#[test]
fn the_page_badges_conditional_rows_and_cells_and_lists_the_conditions_used() {
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C\", when: [premium-plus] }
      - id: train
        title: Train the staff
        when: [training]
        rasci: { vendor: \"A, R\", customer: I }
",
    );
    let files = build_clean(&project);
    let doc = page(&files, "main/index.html");
    let row = doc.select(&sel("tr#task-train")).next().unwrap();
    assert_eq!(row.value().attr("data-when"), Some("training"));
    let badge = row.select(&sel("th .condition-badge")).next().unwrap();
    assert_eq!(text(badge), "Training purchased");
    assert_eq!(badge.value().attr("data-condition"), Some("training"));
    let run = doc.select(&sel("tr#task-run")).next().unwrap();
    assert_eq!(run.value().attr("data-when"), None);
    let cells: Vec<Option<&str>> = run
        .select(&sel("td"))
        .map(|td| td.value().attr("data-when"))
        .collect();
    assert_eq!(cells, [None, Some("premium-plus")]);
    let cell_badge = run.select(&sel("td .condition-badge")).next().unwrap();
    assert_eq!(text(cell_badge), "Premium Plus support purchased");

    // The legend: the conditions the table uses, in the file's order, with descriptions.
    let legend: Vec<(String, String)> = doc
        .select(&sel(".conditions dl.condition-legend .condition-item"))
        .map(|item| {
            (
                text(item.select(&sel("dt")).next().unwrap()),
                text(item.select(&sel("dd")).next().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        legend[0],
        (
            "Premium Plus support purchased".to_string(),
            "The 24x7 line is included.".to_string()
        )
    );
    assert_eq!(legend[1].0, "Training purchased");
    // The switches: one checked box per condition, hidden until the script shows them,
    // so without it every row shows, badged.
    let switches = doc
        .select(&sel("fieldset.condition-switches"))
        .next()
        .unwrap();
    assert!(switches.value().attr("hidden").is_some());
    let boxes: Vec<(&str, bool)> = switches
        .select(&sel("input[type=checkbox]"))
        .map(|b| {
            (
                b.value().attr("value").unwrap(),
                b.value().attr("checked").is_some(),
            )
        })
        .collect();
    assert_eq!(boxes, [("premium-plus", true), ("training", true)]);
}

#[test]
fn a_page_without_conditions_has_no_badge_legend_or_switch() {
    let files = build_clean(&Project::base().build());
    let source = crate::support::page_source(&files, "main/index.html");
    for absent in ["condition", "data-when"] {
        assert!(
            !source.contains(absent),
            "{absent} in a page without conditions"
        );
    }
}

#[test]
fn the_example_badges_the_seeds_conditions() {
    let files = build_clean(crate::support::repo());
    let doc = page(&files, "onprem/index.html");
    let rows: Vec<&str> = doc
        .select(&sel("table.rasci tr[data-when]"))
        .map(|tr| tr.value().attr("id").unwrap())
        .collect();
    assert_eq!(rows, ["task-training", "task-initial-installation"]);
    let items = doc.select(&sel("section.summary li[data-when]")).count();
    assert_eq!(items, 3);
}

#[test]
fn the_json_export_carries_the_conditions_and_when() {
    let project = project(
        "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci:
          vendor: \"A, R\"
          customer: { letters: \"C\", when: [premium-plus] }
      - id: train
        title: Train the staff
        when: [training]
        rasci: { vendor: \"A, R\", customer: I }
",
    );
    let output = rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(project.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["conditions"][0]["id"], "premium-plus");
    assert_eq!(json["conditions"][1]["name"], "Training purchased");
    let tasks = &json["scopes"][0]["sections"][0]["tasks"];
    assert_eq!(
        tasks[0]["assignments"]["customer"],
        serde_json::json!(["C"])
    );
    assert_eq!(
        tasks[0]["assignments_when"],
        serde_json::json!({ "customer": ["premium-plus"] })
    );
    assert!(tasks[0].get("when").is_none());
    assert_eq!(tasks[1]["when"], serde_json::json!(["training"]));
    assert!(tasks[1].get("assignments_when").is_none());

    // Without conditions the export keeps the shape it always had.
    let plain = Project::base().build();
    let output = rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(plain.root())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json.get("conditions").is_none());
    let task = &json["scopes"][0]["sections"][0]["tasks"][0];
    assert!(task.get("when").is_none() && task.get("assignments_when").is_none());
}

#[test]
fn a_summary_items_conditional_clause_is_badged_and_switchable_on_its_own() {
    let project = Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        when: [training]\n        rasci: { vendor: \"A, R\", customer: I }\n",
        )
        .file(
            "data/summaries.yaml",
            "summaries:
  - party: vendor
    items:
      - text: Level 2/3 support
        also:
          - text: including *24x7*
            when: [premium-plus]
",
        )
        .build();
    let checked = project.check_with(&["--deny-warnings"]);
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics);
    let files = build_clean(&project);
    let doc = page(&files, "main/index.html");
    let item = doc.select(&sel("section.summary li")).next().unwrap();
    // The item itself always applies; only its clause is conditional.
    assert_eq!(item.value().attr("data-when"), None);
    let clause = item.select(&sel("span.summary-clause")).next().unwrap();
    assert_eq!(clause.value().attr("data-when"), Some("premium-plus"));
    let badge = clause.select(&sel(".condition-badge")).next().unwrap();
    assert_eq!(text(badge), "Premium Plus support purchased");
    let source = crate::support::page_source(&files, "main/index.html");
    assert!(source.contains("Level 2/3 support<span class=\"summary-clause\" data-when=\"premium-plus\">, including <em>24x7</em>"));

    // A clause's condition is checked like any other.
    let project = Project::base()
        .file("data/conditions.yaml", CONDITIONS)
        .file(
            "data/summaries.yaml",
            "summaries:\n  - party: vendor\n    items:\n      - text: Support\n        also: [{ text: at night, when: [premium-pluss] }]\n",
        )
        .build();
    let checked = project.check();
    let unknown = checked.one_at("ref/unknown-condition", "data/summaries.yaml", 5, 41);
    assert_eq!(unknown["help"], "did you mean `premium-plus`?");
}

#[test]
fn the_example_conditions_the_clauses_the_seeds_condition() {
    let files = build_clean(crate::support::repo());
    let doc = page(&files, "cloud/index.html");
    let clauses: Vec<(String, String)> = doc
        .select(&sel("section.summary span.summary-clause"))
        .map(|span| {
            (
                span.value().attr("data-when").unwrap().to_string(),
                text(span),
            )
        })
        .collect();
    assert_eq!(clauses.len(), 2, "{clauses:?}");
    assert!(clauses.iter().all(|(when, _)| when == "premium-plus"));
    assert!(
        clauses[0]
            .1
            .starts_with(", including 24x7 for Premium Plus Support"),
        "{clauses:?}"
    );
}
