//! Operating models: `data/models.yaml`, the `model:` key of tasks, summaries and flows
//! files, tasks that apply to some scopes only, one matrix per model and scope, the
//! findings that name the model, and exports of one model. The fixture project
//! `tests/fixtures/models` has two models (three and four parties) over two scopes.

use crate::support;
use rasci::model::{ModelIx, Project, ScopeIx};
use serde_json::Value;
use std::path::Path;

/// The findings of the fixture with `path` replaced by `text`.
fn findings_with(path: &str, text: &str) -> Vec<String> {
    let built = support::Project::models().file(path, text).build();
    support::check_lines(built.root())
}

/// The fixture's file `path` with the first `from` replaced by `to` (which must be there).
fn fixture_file_with(path: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(support::models_fixture().join(path)).unwrap();
    assert!(text.contains(from), "{from:?} in {path}");
    text.replacen(from, to, 1)
}

/// (model id, scope id) → task ids in matrix order, for every matrix of the project.
fn matrix_rows(project: &Project) -> Vec<(String, String, Vec<String>)> {
    rasci::resolve::resolve(project)
        .iter()
        .map(|m| {
            (
                project.model_at(m.model).id().unwrap_or("").to_string(),
                m.scope.id.value.clone(),
                m.rows().map(|r| r.task.id.value.clone()).collect(),
            )
        })
        .collect()
}

fn load(root: &Path) -> Project {
    let loaded = rasci::pipeline::load(root).expect("project loads");
    assert!(
        loaded.findings.diagnostics.is_empty(),
        "{:#?}",
        loaded.findings.diagnostics
    );
    loaded.project
}

#[test]
fn the_fixture_checks_clean() {
    let output = support::rasci()
        .args(["check", "--deny-warnings", "--root"])
        .arg(support::models_fixture())
        .output()
        .unwrap();
    support::assert_success(&output);
    assert_eq!(
        support::check_lines(&support::models_fixture()),
        Vec::<String>::new()
    );
}

#[test]
fn models_load_with_their_parties_scopes_and_files() {
    let project = load(&support::models_fixture());
    assert!(project.has_models());
    let ids: Vec<_> = project.models.iter().map(|m| m.id().unwrap()).collect();
    assert_eq!(ids, ["customer", "partner"]);
    assert_eq!(
        project.models[1].name(),
        Some("Partner provides implementation")
    );
    let party_ids = |model: usize| -> Vec<&str> {
        project.models[model]
            .parties
            .iter()
            .map(|&p| project.parties[p].id.as_str())
            .collect()
    };
    assert_eq!(party_ids(0), ["anywhere365", "customer", "end-users"]);
    assert_eq!(
        party_ids(1),
        ["anywhere365", "partner", "customer", "end-users"]
    );
    assert_eq!(project.models[0].scopes, [ScopeIx(0), ScopeIx(1)]);
    // Each file's sections, summaries and flows belong to the model it names.
    let section_models: Vec<(usize, &str)> = project
        .sections
        .iter()
        .map(|s| (s.model.0, s.id.as_str()))
        .collect();
    assert_eq!(
        section_models,
        [
            (0, "general"),
            (0, "cloud"),
            (0, "onprem"),
            (1, "general"),
            (1, "cloud"),
            (1, "onprem")
        ]
    );
    let summary_models: Vec<(usize, &str)> = project
        .summaries
        .iter()
        .map(|s| (s.model.0, s.party.as_str()))
        .collect();
    assert_eq!(
        summary_models,
        [
            (0, "anywhere365"),
            (0, "customer"),
            (1, "partner"),
            (1, "customer")
        ]
    );
    let flow_models: Vec<(usize, &str)> = project
        .flows
        .iter()
        .map(|f| (f.model.0, f.id.as_str()))
        .collect();
    assert_eq!(
        flow_models,
        [(0, "customer-support"), (1, "partner-support")]
    );
    let patching = project
        .tasks()
        .find(|(_, t)| t.id.value == "patching")
        .unwrap()
        .1;
    let scopes: Vec<&str> = patching
        .scopes
        .iter()
        .flatten()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(scopes, ["onprem"]);
}

#[test]
fn a_project_without_models_is_one_implicit_model_of_everything() {
    let project = load(support::repo());
    assert!(!project.has_models());
    assert_eq!(project.models.len(), 1);
    let model = &project.models[0];
    assert!(model.is_implicit());
    assert_eq!(model.id(), None);
    assert_eq!(
        model.parties,
        (0..project.parties.len()).collect::<Vec<_>>()
    );
    assert_eq!(
        model.scopes,
        ScopeIx::all(project.scopes.len()).collect::<Vec<_>>()
    );
    assert!(project.sections.iter().all(|s| s.model == ModelIx(0)));
    let matrices = rasci::resolve::resolve(&project);
    assert_eq!(matrices.len(), project.scopes.len());
    for (index, matrix) in matrices.iter().enumerate() {
        assert_eq!(
            (matrix.model, matrix.scope_index),
            (ModelIx(0), ScopeIx(index))
        );
        assert_eq!(matrix.parties, model.parties);
    }
}

#[test]
fn there_is_one_matrix_per_model_and_scope_with_the_models_rows() {
    let project = load(&support::models_fixture());
    let general = |extra: &[&str]| -> Vec<String> {
        let mut ids = vec!["prime-contact", "submit-case", "l2-3-support"];
        ids.extend_from_slice(extra);
        ids.into_iter().map(str::to_string).collect()
    };
    let rows = matrix_rows(&project);
    let expected: Vec<(String, String, Vec<String>)> = vec![
        (
            "customer".into(),
            "cloud".into(),
            general(&["training", "provide-tenant"]),
        ),
        (
            "customer".into(),
            "onprem".into(),
            general(&["patching", "training", "provide-servers"]),
        ),
        (
            "partner".into(),
            "cloud".into(),
            general(&["implementation", "provide-tenant"]),
        ),
        (
            "partner".into(),
            "onprem".into(),
            general(&["patching", "implementation", "provide-servers"]),
        ),
    ];
    assert_eq!(rows, expected);
}

#[test]
fn a_matrix_holds_the_models_parties_and_no_cell_outside_them() {
    let project = load(&support::models_fixture());
    let matrices = rasci::resolve::resolve(&project);
    let partner = project.parties.iter().position(|p| p.id.value == "partner");
    let partner = partner.unwrap();
    let customer_cloud = &matrices[0];
    assert_eq!(customer_cloud.scope_index, ScopeIx(0));
    let names: Vec<&str> = customer_cloud
        .parties
        .iter()
        .map(|&p| project.parties[p].id.as_str())
        .collect();
    assert_eq!(names, ["anywhere365", "customer", "end-users"]);
    for row in customer_cloud.rows() {
        // Cells are indexed by project party; the partner is not in this model.
        assert_eq!(row.cells.len(), project.parties.len());
        assert!(row.cells[partner].is_none());
    }
    // The same task id has other letters in the other model, and the partner model's
    // override for `onprem` is applied there only.
    let letters = |matrix: &rasci::resolve::Matrix<'_>, task: &str, party: &str| {
        let index = project.parties.iter().position(|p| p.id.value == party);
        let row = matrix.rows().find(|r| r.task.id.value == task).unwrap();
        row.letters(index.unwrap()).to_string()
    };
    assert_eq!(letters(&matrices[0], "prime-contact", "customer"), "R, A");
    assert_eq!(letters(&matrices[2], "prime-contact", "partner"), "R, A");
    assert_eq!(letters(&matrices[2], "prime-contact", "customer"), "I");
    assert_eq!(letters(&matrices[3], "provide-servers", "partner"), "C");
}

#[test]
fn a_model_can_show_its_own_sections_in_a_scope() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, partner, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, partner, customer, end-users]\n    scopes: [cloud, onprem]\n    sections:\n      onprem: [onprem, general]\n",
    );
    let built = support::Project::models()
        .file("data/models.yaml", &models)
        .build();
    assert_eq!(support::check_lines(built.root()), Vec::<String>::new());
    let project = load(built.root());
    let rows = matrix_rows(&project);
    assert_eq!(
        rows[3].2,
        [
            "provide-servers",
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "patching",
            "implementation"
        ]
    );
    // The customer model keeps the scope's own order.
    assert_eq!(rows[1].2.last().unwrap(), "provide-servers");
}

#[test]
fn a_model_key_without_models_is_one_finding() {
    let built = support::Project::base()
        .file(
            "data/tasks.yaml",
            "model: direct\nsections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .build();
    assert_eq!(
        support::check_lines(built.root()),
        [
            "ref/unknown-model | this file names model `direct`, but the project defines no models | data/tasks.yaml:1:8 | define the model in `data/models.yaml`, or remove the `model:` key"
        ]
    );
}

#[test]
fn model_keys_in_a_project_that_defines_no_models_give_no_echoes() {
    // Both models' files meet in the one implicit model: their shared ids are not
    // reported as duplicates, only each key is.
    let found = findings_with("data/models.yaml", "models: []\n");
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|f| f.starts_with("ref/unknown-model | this file names model `")),
        "{found:#?}"
    );
}

#[test]
fn an_unknown_model_is_one_finding_with_a_suggestion() {
    let text = fixture_file_with("data/tasks/partner.yaml", "model: partner", "model: partnr");
    // The file's tasks are left out, and so is every echo of them (the partner flow's
    // steps name them).
    assert_eq!(
        findings_with("data/tasks/partner.yaml", &text),
        [
            "ref/unknown-model | unknown model `partnr` | data/tasks/partner.yaml:1:8 | did you mean `partner`?"
        ]
    );
}

#[test]
fn a_file_without_a_model_is_an_error_once_models_exist() {
    let text = fixture_file_with("data/summaries/partner.yaml", "model: partner\n", "");
    assert_eq!(
        findings_with("data/summaries/partner.yaml", &text),
        [
            "ref/missing-model | `data/summaries/partner.yaml` names no model, and the project defines models | data/summaries/partner.yaml:1:1 | start the file with `model: <id>`, one of `customer` and `partner`"
        ]
    );
}

#[test]
fn a_cell_for_a_party_outside_the_model_names_the_model() {
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "rasci: { customer: \"A, R\", end-users: \"I\" }",
        "rasci: { customer: \"A, R\", end-users: \"I\", partner: \"I\" }",
    );
    assert_eq!(
        findings_with("data/tasks/customer.yaml", &text),
        [
            "ref/unknown-party | party `partner` is not a party in model `customer` | data/tasks/customer.yaml:7:52 | the model's parties are `anywhere365`, `customer` and `end-users`; add `partner` to its `parties:` in data/models.yaml if it takes part"
        ]
    );
}

#[test]
fn a_misspelt_party_is_suggested_among_the_models_parties() {
    let text = fixture_file_with(
        "data/tasks/partner.yaml",
        "rasci: { partner: \"A, R\", anywhere365: \"I\" }",
        "rasci: { partner: \"A, R\", anywhere36: \"I\" }",
    );
    assert_eq!(
        findings_with("data/tasks/partner.yaml", &text),
        [
            "ref/unknown-party | unknown party `anywhere36` in model `partner` | data/tasks/partner.yaml:10:35 | did you mean `anywhere365`?"
        ]
    );
}

#[test]
fn task_ids_are_unique_per_model() {
    // The fixture shares ids between the models; twice in one model is an error.
    let text = fixture_file_with(
        "data/tasks/partner.yaml",
        "      - id: implementation\n",
        "      - id: patching\n",
    );
    assert_eq!(
        findings_with("data/tasks/partner.yaml", &text),
        [
            "ref/duplicate-id | task id `patching` is defined twice in model `partner` | data/tasks/partner.yaml:21:13 | give each task its own id"
        ]
    );
}

#[test]
fn model_ids_follow_the_id_rules_and_stay_clear_of_scopes_and_site_names() {
    let models = "models:\n  - id: cloud\n    name: A\n    parties: [customer]\n    scopes: [cloud]\n  - id: static\n    name: B\n    parties: [customer]\n    scopes: [cloud]\n  - id: Big Model\n    name: C\n    parties: [customer]\n    scopes: [cloud]\n  - id: cloud\n    name: D\n    parties: [customer]\n    scopes: [cloud]\n";
    let found = findings_with("data/models.yaml", models);
    let of = |rule: &str| -> Vec<&String> {
        found
            .iter()
            .filter(|f| f.starts_with(&format!("{rule} |")))
            .collect()
    };
    assert_eq!(
        of("id/collision"),
        [
            "id/collision | model `cloud` has the id of scope `cloud` | data/models.yaml:2:9 | give the model an id that no scope has",
            "id/collision | model `cloud` has the id of scope `cloud` | data/models.yaml:14:9 | give the model an id that no scope has"
        ]
    );
    assert_eq!(of("id/reserved").len(), 1, "{found:#?}");
    assert!(
        of("id/reserved")[0].contains("| data/models.yaml:6:9 |"),
        "{found:#?}"
    );
    assert_eq!(
        of("id/syntax"),
        [
            "id/syntax | the model id `Big Model` cannot be used | data/models.yaml:10:9 | write it as `big-model`: lowercase letters, digits, `-` and `_`"
        ]
    );
    assert_eq!(
        of("ref/duplicate-id"),
        [
            "ref/duplicate-id | model id `cloud` is defined twice | data/models.yaml:14:9 | give each model its own id"
        ]
    );
}

#[test]
fn a_models_parties_scopes_and_sections_are_references() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, partner, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, partner, customer, end-users, partnr]\n    scopes: [cloud, onprem, onperm]\n    sections:\n      onprem: [general, onprm]\n      edge: [general]\n",
    );
    assert_eq!(
        findings_with("data/models.yaml", &models),
        [
            "ref/unknown-party | unknown party `partnr` | data/models.yaml:10:58 | did you mean `partner`?",
            "ref/unknown-scope | unknown scope `onperm` | data/models.yaml:11:29 | did you mean `onprem`?",
            "ref/unknown-section | unknown section `onprm` in model `partner` | data/models.yaml:13:25 | did you mean `onprem`?",
            "ref/unknown-scope | unknown scope `edge` in model `partner` | data/models.yaml:14:7 | known scope ids in model `partner`: `cloud` and `onprem`",
        ]
    );
}

#[test]
fn a_tasks_scopes_are_references_and_an_override_outside_them_is_an_error() {
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "        scopes: [onprem]\n        when: [maintenance]\n",
        "        scopes: [onprem, clod]\n        when: [maintenance]\n",
    );
    let text = text.replacen(
        "        title: Training the customer's staff\n        rasci: { anywhere365: \"A, R\", customer: \"I\" }\n",
        "        title: Training the customer's staff\n        scopes: [cloud]\n        rasci: { anywhere365: \"A, R\", customer: \"I\" }\n        in:\n          onprem: { customer: \"C\" }\n",
        1,
    );
    assert_eq!(
        findings_with("data/tasks/customer.yaml", &text),
        [
            "ref/unknown-scope | unknown scope `clod` in model `customer` | data/tasks/customer.yaml:17:26 | did you mean `cloud`?",
            "rasci/override-outside-scope | task `training` in model `customer` overrides its letters for scope `onprem`, to which it does not apply | data/tasks/customer.yaml:26:11 | add `onprem` to the task's `scopes:`, or remove this override",
        ]
    );
}

#[test]
fn matrix_findings_name_the_model_and_only_the_scopes_a_task_applies_to() {
    // `patching` applies on premises only: its missing A is reported for `onprem` alone.
    let text = fixture_file_with(
        "data/tasks/partner.yaml",
        "rasci: { anywhere365: \"C\", partner: \"A, R\", customer: \"I\" }",
        "rasci: { anywhere365: \"C\", partner: \"R\", customer: \"I\" }",
    );
    assert_eq!(
        findings_with("data/tasks/partner.yaml", &text),
        [
            "rasci/one-accountable | task `patching` in model `partner` has no Accountable party under maintenance (scope `onprem`) | data/tasks/partner.yaml:15:13 | give exactly one party the letter A: the one who answers for the task being done"
        ]
    );
}

#[test]
fn a_party_idle_in_one_model_is_a_warning_naming_the_model() {
    // End-users hold letters in the customer model only through `prime-contact`.
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "rasci: { customer: \"A, R\", end-users: \"I\" }",
        "rasci: { customer: \"A, R\" }",
    );
    assert_eq!(
        findings_with("data/tasks/customer.yaml", &text),
        [
            "rasci/idle-party | party `end-users` holds no letter in any scope of model `customer` | data/models.yaml:5:38 | give it letters where it takes part, or remove it"
        ]
    );
}

/// `rasci export` of the fixture with `args`: exit code, standard output, standard error.
fn export(args: &[&str]) -> (i32, String, String) {
    let output = support::rasci()
        .args(["export", "--root"])
        .arg(support::models_fixture())
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn csv_of_one_model_and_scope_has_the_models_columns_and_names_it() {
    let (code, csv, _) = export(&["--format", "csv", "--model", "partner", "--scope", "onprem"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Section,Task (Partner provides implementation),Anywhere365,Partner,Customer,End-users,When,Notes,Controls"
    );
    assert_eq!(lines.len(), 7, "{csv}");
    assert!(csv.contains(",Installing maintenance updates,"), "{csv}");
    let (code, csv, _) = export(&["--format", "csv", "--model", "customer", "--scope", "cloud"]);
    assert_eq!(code, 0);
    assert!(
        csv.starts_with(
            "Section,Task (Customer provides support),Anywhere365,Customer,End-users,When,Notes,Controls\n"
        )
    );
    // A task for on premises only is not in the cloud matrix.
    assert!(!csv.contains("Installing maintenance updates"), "{csv}");
}

#[test]
fn csv_needs_the_model_when_there_are_several() {
    let (code, _, stderr) = export(&["--format", "csv", "--scope", "cloud"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CSV holds one matrix: choose one with --model (`customer` and `partner`)"),
        "{stderr}"
    );
    let (code, _, stderr) = export(&["--format", "csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "choose one with --model (`customer` and `partner`) and --scope (`cloud` and `onprem`)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_unknown_model_or_a_scope_outside_it_is_a_clear_error() {
    let (code, stdout, stderr) = export(&["--format", "json", "--model", "partnr"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "there is no model `partnr` (did you mean `partner`?); models: `customer` and `partner`"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = export(&["--format", "json", "--scope", "edge"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("there is no scope `edge`; scopes: `cloud` and `onprem`"),
        "{stderr}"
    );
    // In a project without models, --model names nothing.
    let example = support::rasci()
        .args([
            "export", "--format", "json", "--model", "customer", "--root",
        ])
        .arg(support::repo())
        .output()
        .unwrap();
    assert_eq!(example.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&example.stderr)
            .contains("there is no model `customer`: the project defines no models")
    );
}

#[test]
fn json_names_the_model_of_each_matrix() {
    let (code, json, _) = export(&["--format", "json", "--model", "partner"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["version"], 1);
    let models = doc["models"].as_array().unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(models[0]["id"], "partner");
    assert_eq!(
        models[0]["parties"],
        serde_json::json!(["anywhere365", "partner", "customer", "end-users"])
    );
    let scopes = doc["scopes"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> = scopes
        .iter()
        .map(|s| (s["model"].as_str().unwrap(), s["id"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs, [("partner", "cloud"), ("partner", "onprem")]);
    assert_eq!(scopes[0]["parties"], models[0]["parties"]);

    let (_, all, _) = export(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&all).unwrap();
    assert_eq!(doc["scopes"].as_array().unwrap().len(), 4);
    assert_eq!(doc["models"].as_array().unwrap().len(), 2);
}

#[test]
fn exports_of_a_project_without_models_keep_their_shape() {
    let output = support::rasci()
        .args(["export", "--format", "json", "--root"])
        .arg(support::repo())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(doc.get("models").is_none());
    for scope in doc["scopes"].as_array().unwrap() {
        assert!(scope.get("model").is_none() && scope.get("parties").is_none());
    }
    let csv = support::rasci()
        .args(["export", "--format", "csv", "--scope", "cloud", "--root"])
        .arg(support::repo())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&csv.stdout)
            .starts_with("Section,Task,Anywhere365,Customer,End-users,When\n")
    );
}

#[test]
fn markdown_headings_name_the_model() {
    let (code, markdown, _) = export(&["--format", "markdown", "--model", "customer"]);
    assert_eq!(code, 0);
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Customer provides support · Dialogue Cloud",
            "## Customer provides support · On Premises"
        ]
    );
    assert!(
        markdown
            .contains("| Task (Customer provides support) | Anywhere365 | Customer | End-users |")
    );
}

#[test]
fn import_refuses_to_add_to_a_project_with_models_and_writes_nothing() {
    let built = support::Project::models().build();
    let before = built.read("data/scopes.yaml");
    let output = support::rasci()
        .arg("import")
        .arg(support::fixtures().join("import").join("plan.csv"))
        .arg("--root")
        .arg(built.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("defines operating models"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(built.read("data/scopes.yaml"), before);
    assert_eq!(support::check_lines(built.root()), Vec::<String>::new());
}

#[test]
fn a_party_listed_many_times_in_a_model_is_one_finding() {
    let repeated = vec!["customer"; 2000].join(", ");
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, customer, end-users]\n",
        &format!("    parties: [anywhere365, customer, end-users, {repeated}]\n"),
    );
    assert_eq!(
        findings_with("data/models.yaml", &models),
        [
            "ref/duplicate-id | party `customer` is listed twice in model `customer` | data/models.yaml:5:49 | list each party once"
        ]
    );
}

#[test]
fn model_names_are_text_in_every_export() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    name: Partner provides implementation\n",
        "    name: \"=HYPERLINK(\\\"x\\\") | <b>bold</b>\"\n",
    );
    let built = support::Project::models()
        .file("data/models.yaml", &models)
        .build();
    let run = |format: &str| {
        let output = support::rasci()
            .args([
                "export", "--format", format, "--model", "partner", "--scope", "cloud", "--root",
            ])
            .arg(built.root())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    // Not a formula: the heading starts with `Task`.
    assert!(run("csv").starts_with("Section,\"Task (=HYPERLINK(\"\"x\"\") | <b>bold</b>)\","));
    let markdown = run("markdown");
    assert!(
        markdown.starts_with("## =HYPERLINK(\"x\") | \\<b\\>bold\\</b\\> · Dialogue Cloud\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Task (=HYPERLINK(\"x\") \\| \\<b\\>bold\\</b\\>) |"),
        "{markdown}"
    );
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["models"][0]["name"], "=HYPERLINK(\"x\") | <b>bold</b>");
}

#[test]
fn a_scope_the_model_does_not_cover_is_named_as_such() {
    // The partner model now covers the cloud only: its on-premises section is shown
    // nowhere, and its task scopes and override name a scope outside the model.
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, partner, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, partner, customer, end-users]\n    scopes: [cloud]\n",
    );
    let help = "the model's scopes are `cloud`; add `onprem` to its `scopes:` in data/models.yaml if it takes part";
    assert_eq!(
        findings_with("data/models.yaml", &models),
        [
            format!("ref/unknown-scope | scope `onprem` is not a scope in model `partner` | data/tasks/partner.yaml:17:18 | {help}"),
            "rasci/unused-section | no scope shows section `onprem` in model `partner` | data/tasks/partner.yaml:35:9 | list the section under a scope's `sections:`, or under the model's `sections:` for a scope".to_string(),
            format!("ref/unknown-scope | scope `onprem` is not a scope in model `partner` | data/tasks/partner.yaml:42:11 | {help}"),
        ]
    );
}

#[test]
fn diff_compares_matrices_per_model_and_scope() {
    let text = fixture_file_with(
        "data/tasks/partner.yaml",
        "rasci: { anywhere365: \"A, R\", partner: \"I\" }",
        "rasci: { anywhere365: \"A, R\", partner: \"C, I\" }",
    );
    let changed = support::Project::models()
        .file("data/tasks/partner.yaml", &text)
        .build();
    let output = support::rasci()
        .arg("diff")
        .arg(support::models_fixture())
        .arg(changed.root())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    let matrices = diff["matrices"].as_array().unwrap();
    // The customer model has a task of the same id whose letters did not change.
    assert_eq!(matrices.len(), 1, "{diff:#}");
    assert_eq!(matrices[0]["model"], "partner");
    assert_eq!(matrices[0]["scope"], "cloud");
    assert_eq!(matrices[0]["letters"][0]["task"], "provide-tenant");
    assert_eq!(matrices[0]["letters"][0]["gained"], "C");
}

#[test]
fn a_scope_no_model_covers_is_a_warning_unless_a_model_misspells_it() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    scopes: [cloud, onprem]\n",
        "    scopes: [cloud]\n",
    );
    let models = models.replacen("    scopes: [cloud, onprem]\n", "    scopes: [cloud]\n", 1);
    let found = findings_with("data/models.yaml", &models);
    let uncovered: Vec<&String> = found
        .iter()
        .filter(|f| f.starts_with("rasci/uncovered-scope"))
        .collect();
    assert_eq!(
        uncovered,
        [
            "rasci/uncovered-scope | no model covers scope `onprem` | data/scopes.yaml:6:9 | add `onprem` to the `scopes:` of a model in data/models.yaml, or remove the scope"
        ]
    );
    let misspelt = models.replacen("    scopes: [cloud]\n", "    scopes: [cloud, onprm]\n", 1);
    let found = findings_with("data/models.yaml", &misspelt);
    assert!(
        !found.iter().any(|f| f.starts_with("rasci/uncovered-scope")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("ref/unknown-scope | unknown scope `onprm` |")),
        "{found:#?}"
    );
}
