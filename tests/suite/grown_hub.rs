//! A hub grown the way a writer grows one: the customer-only example is published, then a
//! partner model with its own task ids and party names is added in a second commit. Every
//! address of the first site still answers in the second, as the page or as a redirect
//! page leading to a page that exists; and `check` and `build` agree on its links.

use crate::support::{build_clean, copy_example, git, page};
use std::collections::BTreeMap;
use std::path::Path;

type Files = BTreeMap<String, Vec<u8>>;

/// Prepends `line` to the file at `path` under `root`.
fn prepend(root: &Path, path: &str, line: &str) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{line}\n{text}")).unwrap();
}

/// The second commit: the existing data becomes the `customer` model (the first, so the
/// default), and a `partner` model joins it with its own party and task ids.
fn add_partner_model(root: &Path) {
    std::fs::write(
        root.join("data/models.yaml"),
        "models:\n\
         \x20 - id: customer\n\
         \x20   name: Customer provides support\n\
         \x20   parties: [anywhere365, customer, end-users]\n\
         \x20   scopes: [cloud, onprem]\n\
         \x20 - id: partner\n\
         \x20   name: Partner provides implementation\n\
         \x20   parties: [anywhere365, implementer, customer, end-users]\n\
         \x20   scopes: [cloud, onprem]\n\
         \x20   sections:\n\
         \x20     cloud: [general]\n\
         \x20     onprem: [general]\n",
    )
    .unwrap();
    for file in ["data/tasks.yaml", "data/summaries.yaml", "data/flows.yaml"] {
        prepend(root, file, "model: customer");
    }
    let parties = root.join("data/parties.yaml");
    let text = std::fs::read_to_string(&parties).unwrap();
    std::fs::write(
        &parties,
        format!("{text}  - id: implementer\n    name: Implementation partner\n"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("data/tasks")).unwrap();
    std::fs::write(
        root.join("data/tasks/partner.yaml"),
        "model: partner\n\
         sections:\n\
         \x20 - id: general\n\
         \x20   tasks:\n\
         \x20     - id: provide-the-anywhere365-tenant\n\
         \x20       title: Provide the tenant\n\
         \x20       rasci: { anywhere365: \"A, R\", implementer: C, customer: I }\n\
         \x20     - id: partner-first-line-support\n\
         \x20       title: First-line support\n\
         \x20       rasci: { implementer: \"A, R\", customer: C, end-users: I }\n",
    )
    .unwrap();
}

/// Where the redirect page at `path` leads, as a path from the site root; `None` when
/// the file is no redirect page.
fn redirect_target(files: &Files, path: &str) -> Option<String> {
    if !path.ends_with(".html") {
        return None;
    }
    let doc = page(files, path);
    let refresh = doc
        .select(&crate::support::sel("meta[http-equiv=refresh]"))
        .next()?
        .value()
        .attr("content")?
        .to_string();
    let target = refresh.strip_prefix("0; url=")?;
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn every_address_of_the_first_build_answers_after_a_model_is_added() {
    let temp = tempfile::tempdir().unwrap();
    let root = copy_example(temp.path());
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "The customer-only hub"]);
    let first = build_clean(&root);

    add_partner_model(&root);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "A partner model"]);
    let second = build_clean(&root);
    assert!(
        second.contains_key("partner/cloud/index.html"),
        "the partner model has its pages"
    );

    let mut lost = Vec::new();
    let mut redirected = 0;
    for path in first.keys() {
        if !second.contains_key(path) {
            lost.push(format!("{path}: gone"));
            continue;
        }
        if redirect_target(&first, path).is_some() {
            continue;
        }
        if let Some(target) = redirect_target(&second, path) {
            redirected += 1;
            if redirect_target(&second, &target).is_some() || !second.contains_key(&target) {
                lost.push(format!("{path}: redirects to {target}, which is no page"));
            }
        }
    }
    assert!(lost.is_empty(), "{lost:#?}");
    // The default model keeps the pages where they were: nothing had to be redirected.
    assert_eq!(redirected, 0);
    // The default model's addresses under its id lead to its pages.
    assert_eq!(
        redirect_target(&second, "customer/cloud/index.html").as_deref(),
        Some("cloud/index.html")
    );
    assert_eq!(
        redirect_target(&second, "compare/customer/index.html").as_deref(),
        Some("compare/index.html")
    );

    // Plain `check` of the grown hub finds every broken link `build` finds: none.
    let (_, findings) = rasci::pipeline::check_project(&root).unwrap();
    assert_eq!(findings.errors(), 0, "{:#?}", findings.diagnostics);
}
