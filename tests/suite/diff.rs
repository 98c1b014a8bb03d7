//! `rasci diff`: two folders, a git revision against the working tree, each kind of
//! change, each format, `--exit-code`, and revisions that cannot be compared.

use crate::support::{Project, fixtures, git, rasci};
use serde_json::Value;

fn old_dir() -> std::path::PathBuf {
    fixtures().join("diff/old")
}

fn new_dir() -> std::path::PathBuf {
    fixtures().join("diff/new")
}

/// `rasci diff OLD NEW --format FORMAT` of the fixture folders: exit code and output.
fn folders(format: &str, extra: &[&str]) -> (i32, String) {
    let output = rasci()
        .arg("diff")
        .arg(old_dir())
        .arg(new_dir())
        .args(["--format", format])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn json() -> Value {
    let (code, text) = folders("json", &[]);
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn json_is_versioned_and_lists_parties_and_scopes_added_and_removed() {
    let diff = json();
    assert_eq!(diff["version"], 1);
    assert_eq!(diff["changed"], true);
    assert_eq!(diff["parties"]["added"][0]["id"], "auditor");
    assert_eq!(diff["parties"]["removed"][0]["id"], "partner");
    assert_eq!(diff["scopes"]["added"][0]["id"], "cloud");
    assert_eq!(diff["scopes"]["removed"][0]["id"], "legacy");
    // Only the scope on both sides is compared matrix by matrix.
    let matrices = diff["matrices"].as_array().unwrap();
    assert_eq!(matrices.len(), 1);
    assert_eq!(matrices[0]["scope"], "main");
}

#[test]
fn json_lists_tasks_added_removed_moved_and_retitled() {
    let diff = json();
    let main = &diff["matrices"][0];
    assert_eq!(
        main["tasks_added"],
        serde_json::json!([{
            "task": "fresh",
            "title": "Fresh | new",
            "section": "general",
            "letters": [
                {"party": "vendor", "letters": "A"},
                {"party": "customer", "letters": "R"}
            ]
        }])
    );
    assert_eq!(main["tasks_removed"][0]["task"], "gone");
    assert_eq!(
        main["tasks_moved"],
        serde_json::json!([{
            "task": "stay", "title": "Stay where you are", "from": "general", "to": "other"
        }])
    );
    assert_eq!(
        main["tasks_retitled"],
        serde_json::json!([{"task": "stay", "old": "Stay put", "new": "Stay where you are"}])
    );
}

#[test]
fn json_lists_letters_gained_and_lost_per_party_and_overrides_changed() {
    let diff = json();
    let letters = diff["matrices"][0]["letters"].as_array().unwrap();
    let change = |task: &str, party: &str| {
        letters
            .iter()
            .find(|l| l["task"] == task && l["party"] == party)
            .unwrap_or_else(|| panic!("no change of {task}/{party} in {letters:?}"))
    };
    assert_eq!(
        change("run", "customer"),
        &serde_json::json!({
            "task": "run", "party": "customer", "old": "C, I", "new": "A, I",
            "gained": "A", "lost": "C"
        })
    );
    assert_eq!(change("run", "vendor")["lost"], "A");
    assert_eq!(change("run", "auditor")["gained"], "C");
    assert_eq!(change("run", "partner")["new"], "");
    // The override's change shows in the matrix and as an override.
    assert_eq!(change("keep", "customer")["new"], "R, I");
    assert_eq!(
        diff["overrides"],
        serde_json::json!([{
            "task": "keep", "scope": "main", "party": "customer", "old": "R, C", "new": "R, I"
        }])
    );
    // Untouched tasks are not mentioned.
    assert!(letters.iter().all(|l| l["task"] != "stay"));
}

#[test]
fn markdown_is_a_table_per_scope_with_titles_escaped() {
    let (code, text) = folders("markdown", &[]);
    assert_eq!(code, 0);
    assert!(text.starts_with("### rasci diff: "), "{text}");
    assert!(
        text.contains("- Party added: auditor (Auditor)\n"),
        "{text}"
    );
    assert!(
        text.contains("- Scope removed: legacy (Legacy)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "#### Scope main (Main)\n\n| Change | Task | Party / section | Before | After |\n|---|---|---|---|---|\n"
        ),
        "{text}"
    );
    // A `|` in a title is escaped, so the row keeps its five cells.
    assert!(
        text.contains("| added | fresh (Fresh \\| new) | general | — | vendor: A; customer: R |\n"),
        "{text}"
    );
    assert!(text.contains("| moved | stay (Stay where you are) | section | general | other |\n"));
    assert!(text.contains("| retitled | stay | title | Stay put | Stay where you are |\n"));
    assert!(text.contains("| letters | run | customer | C, I | A, I |\n"));
    assert!(text.contains("| letters | run | auditor | — | C |\n"));
    assert!(text.contains("#### Overrides\n\n| Task | Scope | Party | Before | After |\n"));
    assert!(text.contains("| keep | main | customer | R, C | R, I |\n"));
}

#[test]
fn human_names_each_change() {
    let (code, text) = folders("human", &[]);
    assert_eq!(code, 0);
    for line in [
        "+ party `auditor` (Auditor)",
        "- scope `legacy` (Legacy)",
        "scope `main` (Main):",
        "  + task `fresh` \"Fresh | new\" in section `general`: vendor A; customer R",
        "  - task `gone` \"Gone soon\" from section `general`",
        "  ~ task `stay` moved from section `general` to `other`",
        "  ~ task `run`, party `customer`: C, I → A, I (gained A, lost C)",
        "  ~ task `keep` in scope `main`, party `customer`: R, C → R, I",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
}

#[test]
fn exit_code_is_one_when_anything_changed_and_zero_otherwise() {
    assert_eq!(folders("human", &["--exit-code"]).0, 1);
    let same = rasci()
        .arg("diff")
        .arg(old_dir())
        .arg(old_dir())
        .args(["--exit-code", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let diff: Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(diff["changed"], false);
    assert_eq!(diff["matrices"], serde_json::json!([]));
}

/// The base project in a git repository of its own, committed once.
fn repository() -> crate::support::BuiltProject {
    let project = Project::base().build();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "first"]);
    project
}

#[test]
fn head_against_the_working_tree() {
    let project = repository();
    let unchanged = project
        .rasci()
        .args(["diff", "HEAD", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(unchanged.status.code(), Some(0));
    project.edit("data/tasks.yaml", "customer: \"C, I\"", "customer: \"C\"");
    let output = project
        .rasci()
        .args(["diff", "HEAD", "--format", "json", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diff["old"], "HEAD");
    assert_eq!(diff["new"], "working tree");
    assert_eq!(
        diff["matrices"][0]["letters"],
        serde_json::json!([{
            "task": "run", "party": "customer", "old": "C, I", "new": "C",
            "gained": "", "lost": "I"
        }])
    );
}

#[test]
fn two_revisions_of_a_project_in_a_subfolder_of_the_repository() {
    let project = repository();
    // Move the project into a subfolder, as in a repository that holds more than it.
    let top = project.beside("repo");
    std::fs::create_dir(&top).unwrap();
    std::fs::rename(project.root(), top.join("matrices")).unwrap();
    std::fs::rename(top.join("matrices/.git"), top.join(".git")).unwrap();
    git(&top, &["add", "-A"]);
    git(&top, &["commit", "-q", "-m", "move"]);
    crate::support::edit(
        &top.join("matrices/data/tasks.yaml"),
        "title: Run it",
        "title: Run it well",
    );
    git(&top, &["commit", "-q", "-am", "retitle"]);
    let output = rasci()
        .current_dir(&top)
        .args([
            "diff", "HEAD~1", "HEAD", "--root", "matrices", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        diff["matrices"][0]["tasks_retitled"],
        serde_json::json!([{"task": "run", "old": "Run it", "new": "Run it well"}])
    );
}

#[test]
fn a_revision_whose_changed_file_does_not_load_is_an_error_naming_it() {
    let project = repository();
    project.write("data/tasks.yaml", "sections: [\n");
    git(project.root(), &["commit", "-q", "-am", "broken"]);
    project.write(
        "data/tasks.yaml",
        &std::fs::read_to_string(fixtures().join("base/data/tasks.yaml")).unwrap(),
    );
    let output = project.rasci().args(["diff", "HEAD"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`HEAD` does not load (data/tasks.yaml has errors)"),
        "{stderr}"
    );
    assert!(stderr.contains("yaml/syntax"), "{stderr}");
}

#[test]
fn an_unknown_revision_is_an_error_naming_it() {
    let project = repository();
    for rev in ["no-such-branch", "--exit-code=x"] {
        let output = project.rasci().args(["diff", "--", rev]).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains(&format!("cannot read revision `{rev}`")),
            "{stderr}"
        );
    }
}

#[test]
fn a_folder_that_is_no_project_is_an_error_naming_it() {
    let project = Project::base().build();
    let empty = project.beside("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = project.rasci().arg("diff").arg(&empty).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("`{}` does not load", empty.display())),
        "{stderr}"
    );
}

fn yaml_file(name: &str) -> Value {
    let text = std::fs::read_to_string(crate::support::repo().join(name)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_github_action_installs_check_and_diff_only_cached_then_checks_and_summarises() {
    let action = yaml_file("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        steps
            .iter()
            .all(|s| s["shell"] == "bash" || s["uses"].is_string())
    );
    let named = |id: &str| {
        steps
            .iter()
            .position(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no step `{id}`"))
    };
    // The binary is cached under a key of the runner and the action's own sources.
    let (key, cache) = (named("key"), named("cache"));
    assert_eq!(
        steps[key]["env"]["ACTION_PATH"],
        "${{ github.action_path }}"
    );
    let key_run = steps[key]["run"].as_str().unwrap();
    for part in [
        "Cargo.lock",
        "Cargo.toml",
        "src",
        "$RUNNER_OS",
        "$RUNNER_ARCH",
    ] {
        assert!(
            key_run.contains(part),
            "the key leaves out {part}: {key_run}"
        );
    }
    assert!(
        steps[cache]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@")
    );
    assert_eq!(steps[cache]["with"]["key"], "${{ steps.key.outputs.key }}");
    assert_eq!(steps[cache]["with"]["path"], "${{ steps.key.outputs.dir }}");
    // Installed only on a miss, from the action's checkout, with what check and diff need.
    let install = steps
        .iter()
        .position(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .unwrap();
    assert!(key < cache && cache < install);
    assert_eq!(
        steps[install]["if"],
        "steps.cache.outputs.cache-hit != 'true'"
    );
    assert_eq!(
        steps[install]["run"],
        "cargo install --locked --no-default-features --path \"$ACTION_PATH\" --root \"$INSTALL_DIR\""
    );
    assert_eq!(
        steps[install]["env"]["INSTALL_DIR"],
        "${{ steps.key.outputs.dir }}"
    );
    // The cached or installed binary is the one the next steps run.
    assert!(
        steps[install + 1]["run"]
            .as_str()
            .unwrap()
            .contains("echo \"$INSTALL_DIR/bin\" >> \"$GITHUB_PATH\"")
    );
    assert!(runs.iter().any(|r| r.contains("--format github")));
    let summary = runs
        .iter()
        .find(|r| r.contains("GITHUB_STEP_SUMMARY"))
        .unwrap();
    assert!(summary.contains("rasci diff \"origin/$BASE\""), "{summary}");
    assert!(summary.contains("--format markdown"), "{summary}");
    // The last step fails the job when the check did.
    let last = steps.last().unwrap();
    assert_eq!(last["if"], "steps.check.outputs.status != '0'");
    assert!(last["run"].as_str().unwrap().contains("exit 1"));
    for input in ["root", "deny-warnings", "diff"] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "{input}"
        );
    }
}

#[test]
fn the_pre_commit_hook_runs_rasci_check_once_on_project_files() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "rasci-check");
    assert_eq!(hook["entry"], "rasci check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    assert!(hook["files"].as_str().unwrap().contains("rasci\\.yaml"));
}

#[test]
fn a_revision_before_the_project_existed_is_an_error_naming_it() {
    let project = repository();
    std::fs::write(project.root().join("notes.txt"), "first\n").unwrap();
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "notes"]);
    git(project.root(), &["rm", "-q", "-r", "rasci.yaml", "data"]);
    git(project.root(), &["commit", "-q", "-m", "no project"]);
    git(project.root(), &["checkout", "-q", "HEAD~1", "--", "."]);
    let output = project.rasci().args(["diff", "HEAD"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read revision `HEAD`: the project's folder holds no rasci.yaml"),
        "{stderr}"
    );
}

/// The base project with party `customer` renamed `client` (listing `customer` under
/// `aliases:`), holding `client_letters` in task `run` and an override in scope `main`.
fn renamed_customer(client_letters: &str) -> crate::support::BuiltProject {
    Project::base()
        .file(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Vendor\n  - id: client\n    name: Client\n    aliases: [customer]\n",
        )
        .file(
            "data/tasks.yaml",
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: {{ vendor: \"A, R\", client: \"{client_letters}\" }}\n        in: {{ main: {{ client: \"C\" }} }}\n"
            ),
        )
        .build()
}

fn diff_of(old: &std::path::Path, new: &std::path::Path, format: &str) -> String {
    let output = rasci()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(["--format", format])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_party_renamed_with_an_alias_is_renamed_and_its_letters_compare_across_the_rename() {
    let old = Project::base()
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n        in: { main: { customer: \"C\" } }\n",
        )
        .build();
    // Renamed only: its letters and its override (written under the new id) are the
    // same, so no matrix and no override changed.
    let same = renamed_customer("C, I");
    let diff: Value = serde_json::from_str(&diff_of(old.root(), same.root(), "json")).unwrap();
    assert_eq!(
        diff["parties"],
        serde_json::json!({
            "added": [], "removed": [],
            "renamed": [{
                "old": { "id": "customer", "name": "Customer" },
                "new": { "id": "client", "name": "Client" }
            }]
        })
    );
    assert_eq!(diff["matrices"], serde_json::json!([]));
    assert_eq!(diff["overrides"], serde_json::json!([]));
    assert_eq!(diff["changed"], true);

    let human = diff_of(old.root(), same.root(), "human");
    assert!(
        human.contains("~ party `customer` (Customer) renamed `client` (Client)\n"),
        "{human}"
    );
    assert!(!human.contains("+ party"), "{human}");
    assert!(!human.contains("- party"), "{human}");
    let markdown = diff_of(old.root(), same.root(), "markdown");
    assert!(
        markdown.contains("- Party renamed: customer (Customer) → client (Client)\n"),
        "{markdown}"
    );
}

#[test]
fn letters_of_a_renamed_party_are_compared_with_its_old_letters() {
    let old = Project::base().build();
    let new = Project::base()
        .file(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Vendor\n  - id: client\n    name: Client\n    aliases: [customer]\n",
        )
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci: { vendor: \"A, R\", client: \"C\" }\n",
        )
        .build();
    let diff: Value = serde_json::from_str(&diff_of(old.root(), new.root(), "json")).unwrap();
    assert_eq!(
        diff["matrices"][0]["letters"],
        serde_json::json!([{
            "task": "run", "party": "client", "old": "C, I", "new": "C",
            "gained": "", "lost": "I"
        }])
    );
    assert_eq!(diff["parties"]["added"], serde_json::json!([]));
    assert_eq!(diff["parties"]["removed"], serde_json::json!([]));
}
