//! Models that pair across ids: two models written independently (same titles, other
//! ids) pair by the `same_as:` keys the check suggests, a model's `stands_for:` makes the
//! comparison compare corresponding parties, and bad keys are located errors.

use crate::support::{Project, build_clean as build, check_lines, edit, page, sel, text};
use scraper::Html;

const CUSTOMER_TASKS: &str = "model: customer
sections:
  - id: general
    tasks:
      - id: provide-tenant
        title: Provide the tenant
        rasci: { vendor: \"A, R\", customer: C }
      - id: train-users
        title: Train the users
        rasci: { customer: \"A, R\", vendor: I }
      - id: patch
        title: Patch the servers
        rasci: { vendor: \"A, R\" }
";

const PARTNER_TASKS: &str = "model: partner
sections:
  - id: general
    tasks:
      - id: provide-the-anywhere365-tenant
        title: Provide the tenant
        rasci: { vendor: \"A, R\", enterprise: C }
      - id: user-training
        title: Train the users
        rasci: { enterprise: C, vendor: \"A, R\" }
      - id: patching
        title: Patch the Servers.
        rasci: { vendor: \"A, R\" }
";

/// A customer model and a partner model written by different people: the same three
/// titles, other ids; the partner model's `enterprise` stands where `customer` stands.
fn independent(stands_for: &str) -> Project {
    Project::empty()
        .file("rasci.yaml", "title: Hub\n")
        .file(
            "data/parties.yaml",
            "parties:\n\
             \x20 - { id: vendor, name: Vendor }\n\
             \x20 - { id: customer, name: Customer }\n\
             \x20 - { id: enterprise, name: Anywhere365 }\n",
        )
        .file(
            "data/scopes.yaml",
            "scopes:\n  - { id: cloud, name: Cloud, sections: [general] }\n",
        )
        .file(
            "data/models.yaml",
            format!(
                "models:\n\
                 \x20 - id: customer\n\
                 \x20   name: Customer\n\
                 \x20   parties: [vendor, customer]\n\
                 \x20   scopes: [cloud]\n\
                 \x20 - id: partner\n\
                 \x20   name: Partner\n\
                 \x20   parties: [vendor, enterprise]\n\
                 \x20   scopes: [cloud]\n{stands_for}"
            ),
        )
        .file("data/tasks/customer.yaml", CUSTOMER_TASKS)
        .file("data/tasks/partner.yaml", PARTNER_TASKS)
}

const STANDS_FOR: &str = "    stands_for: { enterprise: customer }\n";

const COMPARISON: &str = "compare/cloud/customer/partner/index.html";

/// Each row of a part of the comparison: its title (without flags and changes), whether
/// it is flagged as differing, and the changes it shows.
fn rows(doc: &Html, part: &str) -> Vec<(String, bool, Vec<String>)> {
    doc.select(&sel(&format!("table[data-part='{part}'] tbody tr")))
        .map(|tr| {
            let th = tr.select(&sel("th")).next().unwrap();
            let title = th
                .children()
                .filter_map(|n| n.value().as_text().map(|t| t.trim().to_string()))
                .collect::<String>();
            let changes = th.select(&sel(".party-change")).map(text).collect();
            (
                title,
                th.select(&sel(".flag-differs")).next().is_some(),
                changes,
            )
        })
        .collect()
}

/// `(key, task)` of each `model/likely-pair` finding: the `same_as:` it tells the writer
/// to write, and the task to write it on.
fn suggested_keys(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter(|l| l.starts_with("model/likely-pair"))
        .map(|l| {
            let help = l.rsplit(" | ").next().unwrap();
            let key = help.split("`same_as: ").nth(1).unwrap();
            let key = &key[..key.find('`').unwrap()];
            let task = help.split("` on task `").nth(1).unwrap();
            let task = &task[..task.find('`').unwrap()];
            (key.to_string(), task.to_string())
        })
        .collect()
}

#[test]
fn independent_models_pair_every_task_once_the_suggested_keys_are_written() {
    let project = independent(STANDS_FOR).build();
    let lines = check_lines(project.root());
    assert_eq!(
        lines,
        [
            "model/likely-pair | task `provide-the-anywhere365-tenant` of model `partner` looks like \
             task `provide-tenant` of model `customer` (the same title, in a section of the same id), \
             but the two pair by nothing | data/tasks/partner.yaml:5:13 | if they are one task, write \
             `same_as: provide-tenant` on task `provide-the-anywhere365-tenant`; if not, give them \
             titles that tell them apart",
            "model/likely-pair | task `user-training` of model `partner` looks like task `train-users` \
             of model `customer` (the same title, in a section of the same id), but the two pair by \
             nothing | data/tasks/partner.yaml:8:13 | if they are one task, write `same_as: \
             train-users` on task `user-training`; if not, give them titles that tell them apart",
            "model/likely-pair | task `patching` of model `partner` looks like task `patch` of model \
             `customer` (the same title, in a section of the same id), but the two pair by nothing | \
             data/tasks/partner.yaml:11:13 | if they are one task, write `same_as: patch` on task \
             `patching`; if not, give them titles that tell them apart",
        ]
    );
    // Before the keys, the comparison has no task in both.
    let before = page(&build(project.root()), COMPARISON);
    assert!(rows(&before, "both").is_empty());
    assert_eq!(rows(&before, "only-second").len(), 3);

    let keys = suggested_keys(&lines);
    let tasks = project.root().join("data/tasks/partner.yaml");
    for (key, task) in &keys {
        edit(
            &tasks,
            &format!("      - id: {task}\n"),
            &format!("      - id: {task}\n        same_as: {key}\n"),
        );
    }
    assert_eq!(check_lines(project.root()), Vec::<String>::new());
    let after = page(&build(project.root()), COMPARISON);
    let both = rows(&after, "both");
    assert_eq!(
        both.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["Provide the tenant", "Train the users", "Patch the servers"]
    );
    assert!(rows(&after, "only-first").is_empty());
    assert!(rows(&after, "only-second").is_empty());
}

/// With `stands_for:`, a row differs only where a party and its counterpart hold
/// different letters, and shows which party changed and how.
#[test]
fn the_comparison_compares_corresponding_parties() {
    let keyed = |project: Project| {
        project.file(
            "data/tasks/partner.yaml",
            PARTNER_TASKS
                .replace(
                    "id: provide-the-anywhere365-tenant\n",
                    "id: provide-the-anywhere365-tenant\n        same_as: provide-tenant\n",
                )
                .replace(
                    "id: user-training\n",
                    "id: user-training\n        same_as: train-users\n",
                )
                .replace("id: patching\n", "id: patching\n        same_as: patch\n"),
        )
    };
    let project = keyed(independent(STANDS_FOR)).build();
    let doc = page(&build(project.root()), COMPARISON);
    assert_eq!(
        rows(&doc, "both"),
        [
            ("Provide the tenant".to_string(), false, vec![]),
            (
                "Train the users".to_string(),
                true,
                vec![
                    "Vendor: I → A, R".to_string(),
                    "Customer: A, R → Anywhere365: C".to_string()
                ]
            ),
            ("Patch the servers".to_string(), false, vec![]),
        ]
    );
    // Without the correspondence, Customer and Anywhere365 are parties of one model each.
    let project = keyed(independent("")).build();
    let doc = page(&build(project.root()), COMPARISON);
    assert_eq!(
        rows(&doc, "both")[0],
        (
            "Provide the tenant".to_string(),
            true,
            vec![
                "Customer: C → no counterpart".to_string(),
                "no counterpart → Anywhere365: C".to_string()
            ]
        )
    );
}

#[test]
fn bad_keys_and_correspondences_are_located_errors() {
    let project = independent("    stands_for: { enterprize: customer, enterprise: custmer }\n")
        .file(
            "data/tasks/partner.yaml",
            PARTNER_TASKS
                .replace(
                    "id: provide-the-anywhere365-tenant\n",
                    "id: provide-the-anywhere365-tenant\n        same_as: provide-tennant\n",
                )
                // Paired by its key with `patch`, which `patching` claims as well.
                .replace(
                    "id: user-training\n",
                    "id: user-training\n        same_as: patch\n",
                )
                .replace("id: patching\n", "id: patching\n        same_as: patch\n"),
        )
        .build();
    let lines = check_lines(project.root());
    let errors: Vec<&String> = lines.iter().filter(|l| !l.starts_with("model/")).collect();
    assert_eq!(
        errors,
        [
            "ref/unknown-party | party `enterprize` of `stands_for:` does not take part in model \
             `partner` | data/models.yaml:10:19 | did you mean `enterprise`?",
            "ref/unknown-party | party `custmer` that `enterprise` stands for takes part in no other \
             model | data/models.yaml:10:53 | did you mean `customer`?",
            "ref/unknown-task | task `provide-tennant` named by `same_as:` of task \
             `provide-the-anywhere365-tenant` of model `partner` is in no other model | \
             data/tasks/partner.yaml:6:18 | did you mean `provide-tenant`?",
            "ref/paired-twice | task `patch` of model `customer` is paired twice: with `user-training` \
             and with `patching` of model `partner` | data/tasks/partner.yaml:14:18 | a task pairs \
             with one task of another model; keep one pairing: remove this `same_as:`, or the key or \
             id that pairs `patch` with `user-training`",
        ]
    );
}

/// A near title pairs by nothing either: the check suggests the key for it too, when the
/// two tasks are in sections of the same id.
#[test]
fn a_near_title_in_the_same_section_is_suggested() {
    let project = independent(STANDS_FOR)
        .file(
            "data/tasks/partner.yaml",
            PARTNER_TASKS.replace("title: Patch the Servers.", "title: Patch the server"),
        )
        .build();
    let lines = check_lines(project.root());
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[2].starts_with(
            "model/likely-pair | task `patching` of model `partner` looks like task `patch` of \
             model `customer` (a near title in a section of the same id), but the two pair by nothing"
        ),
        "{lines:#?}"
    );
    assert_eq!(
        suggested_keys(&lines)[2],
        ("patch".to_string(), "patching".to_string())
    );
}
