//! Lists of scopes and sections that hide or repeat work: a task whose `scopes:` names
//! only scopes that do not show its section, a section listed twice, and the messages of
//! references between models, scopes and shortcodes.

use crate::support;
use std::path::Path;

/// The fixture's file `path` with the first `from` replaced by `to` (which must be there).
fn fixture_file_with(path: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(support::models_fixture().join(path)).unwrap();
    assert!(text.contains(from), "{from:?} in {path}");
    text.replacen(from, to, 1)
}

fn exit_code(root: &Path) -> Option<i32> {
    support::rasci()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap()
        .status
        .code()
}

#[test]
fn a_task_only_in_scopes_that_do_not_show_its_section_is_an_error() {
    // `provide-tenant` is in section `cloud`, which only scope `cloud` shows.
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "        title: Provide the tenant\n",
        "        title: Provide the tenant\n        scopes: [onprem]\n",
    );
    let built = support::Project::models()
        .file("data/tasks/customer.yaml", &text)
        .build();
    assert_eq!(
        support::check_lines(built.root()),
        [
            "rasci/task-outside-scopes | task `provide-tenant` in model `customer` applies only in scopes that do not show its section `cloud`, so no table shows it | data/tasks/customer.yaml:30:18 | section `cloud` is shown by scope `cloud`: list one of them in the task's `scopes:`, or show the section in this scope",
        ]
    );
    assert_eq!(exit_code(built.root()), Some(1));
}

#[test]
fn a_task_in_one_scope_that_shows_its_section_is_clean() {
    let text = fixture_file_with(
        "data/tasks/customer.yaml",
        "        title: Provide the tenant\n",
        "        title: Provide the tenant\n        scopes: [onprem, cloud]\n",
    );
    let built = support::Project::models()
        .file("data/tasks/customer.yaml", &text)
        .build();
    assert_eq!(support::check_lines(built.root()), Vec::<String>::new());
}

/// (model id, scope id) → task ids in matrix order.
fn matrix_rows(root: &Path) -> Vec<(String, String, Vec<String>)> {
    let loaded = rasci::pipeline::load(root).expect("project loads");
    let project = loaded.project;
    rasci::resolve::resolve(&project)
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

#[test]
fn a_section_listed_twice_in_a_scope_is_a_duplicate_and_shown_once() {
    let scopes = fixture_file_with(
        "data/scopes.yaml",
        "    sections: [general, cloud]\n",
        "    sections: [general, cloud, general]\n",
    );
    let built = support::Project::models()
        .file("data/scopes.yaml", &scopes)
        .build();
    assert_eq!(
        support::check_lines(built.root()),
        [
            "ref/duplicate-id | section `general` is listed twice in the sections of scope `cloud` | data/scopes.yaml:5:32 | list each section once",
        ]
    );
    assert_eq!(exit_code(built.root()), Some(1));
    let rows = matrix_rows(built.root());
    assert_eq!(
        rows[0].2,
        [
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "training",
            "provide-tenant"
        ]
    );
}

#[test]
fn a_section_listed_twice_in_a_models_sections_is_a_duplicate_and_shown_once() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n    sections:\n      onprem: [onprem, general, onprem]\n",
    );
    let built = support::Project::models()
        .file("data/models.yaml", &models)
        .build();
    assert_eq!(
        support::check_lines(built.root()),
        [
            "ref/duplicate-id | section `onprem` is listed twice in the sections of model `customer` for `onprem` | data/models.yaml:8:33 | list each section once",
        ]
    );
    let rows = matrix_rows(built.root());
    assert_eq!(
        rows[1].2,
        [
            "provide-servers",
            "prime-contact",
            "submit-case",
            "l2-3-support",
            "patching",
            "training"
        ]
    );
}

/// `rasci check --site` of the models fixture with a guide page `guide.md` whose body is
/// `body`: its exit code and its one `content/shortcode` finding (message, help, line,
/// column).
fn shortcode_finding(body: &str) -> (i32, String, String, u64, u64) {
    let built = support::Project::models().build();
    built.page("guide.md", "Guide", body);
    let checked = built.check_with(&["--site"]);
    let found = checked.with_rule("content/shortcode");
    assert_eq!(found.len(), 1, "{:#?}", checked.diagnostics);
    let d = found[0];
    assert_eq!(d["file"].as_str().unwrap(), "content/guide.md", "{d:#}");
    (
        checked.code,
        d["message"].as_str().unwrap().to_string(),
        d["help"].as_str().unwrap_or("").to_string(),
        d["line"].as_u64().unwrap(),
        d["column"].as_u64().unwrap(),
    )
}

#[test]
fn party_duties_of_a_party_outside_the_model_is_a_finding() {
    let (code, message, help, line, column) = shortcode_finding(
        "Intro.\n\n{{ party_duties(party=\"partner\", model=\"customer\", scope=\"cloud\") }}",
    );
    assert_eq!(code, 1);
    assert_eq!(
        message,
        "party `partner` does not take part in model `customer`"
    );
    assert_eq!(
        help,
        "the model's parties: `anywhere365`, `customer` and `end-users`"
    );
    assert_eq!((line, column), (6, 1));
}

#[test]
fn a_diagram_of_another_models_flow_is_a_finding() {
    let (code, message, help, _, _) =
        shortcode_finding("{{ diagram(flow=\"partner-support\", model=\"customer\") }}");
    assert_eq!(code, 1);
    assert_eq!(
        message,
        "flow `partner-support` is not a flow of model `customer` (it is of model `partner`)"
    );
    assert!(help.starts_with("flows of model `customer`: "), "{help}");
}

#[test]
fn an_argument_given_twice_is_a_finding() {
    for body in [
        "{{ rasci_table(model=\"customer\", model=\"partner\", scope=\"cloud\") }}",
        "{{ letters(set=\"A\", set=\"R\") }}",
    ] {
        let (code, message, _, line, column) = shortcode_finding(body);
        assert_eq!(code, 1, "{body}");
        assert!(
            message.starts_with("cannot read this shortcode: the argument `")
                && message.ends_with("` is given twice"),
            "{message}"
        );
        assert_eq!((line, column), (4, 1));
    }
}

#[test]
fn a_table_of_a_model_that_does_not_cover_the_scope_names_the_model() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud]\n",
    );
    let built = support::Project::models()
        .file("data/models.yaml", &models)
        .build();
    built.page(
        "guide.md",
        "Guide",
        "{{ rasci_table(model=\"customer\", scope=\"onprem\") }}",
    );
    let checked = built.check_with(&["--site"]);
    let d = checked.one_at("content/shortcode", "content/guide.md", 4, 1);
    assert_eq!(d["message"], "model `customer` does not cover `onprem`");
    assert_eq!(d["help"], "models that cover `onprem`: `partner`");
    assert_eq!(checked.code, 1);
}

#[test]
fn a_shortcode_split_by_markup_is_a_finding_not_text() {
    let built = support::Project::models().build();
    built.page("guide.md", "Guide", "{{ summaries(model=\"<b>\") }}");
    let checked = built.check_with(&["--site"]);
    let d = checked.one_at("content/shortcode", "content/guide.md", 4, 1);
    assert_eq!(
        d["message"],
        "cannot read this shortcode: it is not closed by `}}`"
    );
    assert_eq!(checked.code, 1);
}

#[test]
fn repeated_model_ids_are_listed_once_in_the_help() {
    let models =
        std::fs::read_to_string(support::models_fixture().join("data/models.yaml")).unwrap();
    let twice = models.replacen("  - id: partner\n", "  - id: customer\n", 1);
    let partner = fixture_file_with("data/tasks/partner.yaml", "model: partner", "model: partnr");
    let built = support::Project::models()
        .file("data/models.yaml", &twice)
        .file("data/tasks/partner.yaml", &partner)
        .build();
    let unknown: Vec<String> = support::check_lines(built.root())
        .into_iter()
        .filter(|f| f.starts_with("ref/unknown-model | unknown model `partnr`"))
        .collect();
    assert_eq!(
        unknown,
        [
            "ref/unknown-model | unknown model `partnr` | data/tasks/partner.yaml:1:8 | the models are `customer`"
        ]
    );
}

#[test]
fn a_model_key_without_a_value_says_so() {
    let text = fixture_file_with("data/tasks/customer.yaml", "model: customer", "model: null");
    let built = support::Project::models()
        .file("data/tasks/customer.yaml", &text)
        .build();
    let checked = built.check();
    let d = checked.one_at("ref/missing-model", "data/tasks/customer.yaml", 1, 1);
    let labels = d.to_string();
    assert!(labels.contains("the `model:` key has no value"), "{d:#}");
}

#[test]
fn an_unknown_export_scope_suggests_the_closest() {
    let built = support::Project::models().build();
    let output = built
        .rasci()
        .args([
            "export", "--format", "csv", "--model", "customer", "--scope", "onprm",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("there is no scope `onprm` (did you mean `onprem`?)"),
        "{stderr}"
    );
}

#[test]
fn last_updated_given_a_list_asks_for_true_or_false() {
    let built = support::Project::base()
        .file("rasci.yaml", "title: x\nlast_updated: [x]\n")
        .build();
    let checked = built.check();
    let d = checked.one_at("yaml/invalid-value", "rasci.yaml", 2, 15);
    assert_eq!(
        d["message"],
        "expected true or false here, not a list or a mapping"
    );
    assert_eq!(checked.code, 1);
}

#[test]
fn an_empty_scopes_list_is_an_error_at_the_list() {
    let tasks = fixture_file_with(
        "data/tasks/customer.yaml",
        "        scopes: [onprem]\n",
        "        scopes: []\n",
    );
    let built = support::Project::models()
        .file("data/tasks/customer.yaml", &tasks)
        .build();
    built.write(
        "content/guide.md",
        "---\ntitle: Guide\nscopes: []\n---\nBody.\n",
    );
    let checked = built.check();
    // In front matter the finding is the page's own rule.
    let mut in_either = checked.with_rule("content/front-matter");
    in_either.extend(checked.with_rule("yaml/invalid-value"));
    let found: Vec<(String, u64, u64)> = in_either
        .iter()
        .map(|d| {
            assert_eq!(
                d["message"],
                "`scopes:` is an empty list, so this applies in no scope"
            );
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("content/guide.md".to_string(), 3, 9),
            ("data/tasks/customer.yaml".to_string(), 17, 17),
        ]
    );
    assert_eq!(checked.code, 1);
}

#[test]
fn a_model_of_no_scope_is_an_error_at_the_list() {
    let models = fixture_file_with(
        "data/models.yaml",
        "    parties: [anywhere365, customer, end-users]\n    scopes: [cloud, onprem]\n",
        "    parties: [anywhere365, customer, end-users]\n    scopes: []\n",
    );
    let built = support::Project::models()
        .file("data/models.yaml", &models)
        .build();
    let checked = built.check();
    assert_eq!(checked.with_rule("yaml/invalid-value").len(), 1);
    checked.one_at("yaml/invalid-value", "data/models.yaml", 6, 13);
    assert_eq!(checked.code, 1);
}

#[test]
fn an_empty_scopes_list_written_inline_is_an_error_too() {
    let summaries = fixture_file_with(
        "data/summaries/customer.yaml",
        "      - text: Level 2/3 support\n",
        "      - { text: Level 2/3 support, scopes: [] }\n",
    );
    let built = support::Project::models()
        .file("data/summaries/customer.yaml", &summaries)
        .build();
    let checked = built.check();
    checked.one_at("yaml/invalid-value", "data/summaries/customer.yaml", 6, 44);
    assert_eq!(checked.code, 1);
}
