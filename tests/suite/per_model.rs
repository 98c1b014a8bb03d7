//! Content per operating model: guides shown once per model (the default model's at the
//! plain addresses), `models:` on pages and systems, passages for some models' readers,
//! a system's manager per model; and that every switcher and breadcrumb of a model's
//! page keeps its reader in that model. Read from the built `tests/fixtures/models`.

use crate::support::{Project, build_clean as build, models_fixture, page, sel, text};
use std::collections::BTreeMap;

/// The site path a link of the page at `from` leads to, without its fragment.
fn target(from: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn hrefs(files: &BTreeMap<String, Vec<u8>>, path: &str, selector: &str) -> Vec<String> {
    page(files, path)
        .select(&sel(selector))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

fn is_redirect(files: &BTreeMap<String, Vec<u8>>, path: &str) -> bool {
    String::from_utf8_lossy(&files[path]).contains("http-equiv=\"refresh\"")
}

/// Every link of the deployment switcher and of the breadcrumb on every page of the
/// partner model (its deployment pages, its comparison of deployments, its guides) leads
/// to the home page or to a page of the partner model; the home page and the glossary,
/// which belong to no model, have no deployment switcher that would lead to the first.
#[test]
fn a_partner_reader_stays_in_the_partner_model() {
    let files = build(&models_fixture());
    let partner_pages: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .filter(|p| p.starts_with("partner/") || p.starts_with("compare/partner/"))
        .filter(|p| !is_redirect(&files, p))
        .collect();
    for expected in [
        "partner/cloud/index.html",
        "partner/onprem/index.html",
        "compare/partner/index.html",
        "partner/cloud/submitting/index.html",
        "partner/onprem/escalating/index.html",
    ] {
        assert!(
            partner_pages.iter().any(|p| *p == expected),
            "{expected}: {partner_pages:?}"
        );
    }
    for path in partner_pages {
        let links: Vec<String> = [
            "nav.switcher[aria-label='Deployment'] a",
            "nav.breadcrumb a",
        ]
        .iter()
        .flat_map(|selector| hrefs(&files, path, selector))
        .collect();
        assert!(!links.is_empty(), "{path} has no switcher or breadcrumb");
        for href in links {
            let to = target(path, &href);
            let home = to == "index.html";
            let in_partner = to.starts_with("partner/") || to.starts_with("compare/partner/");
            assert!(
                home && (href.ends_with("index.html") || href.ends_with("#model-partner"))
                    || in_partner,
                "{path}: `{href}` leads to {to}, out of the partner model"
            );
            assert!(files.contains_key(&to), "{path}: `{href}` leads nowhere");
        }
    }
    // The partner's guide: its breadcrumb names the model once, then the partner's page
    // of the deployment; its model switcher leads to the same guide in the other model.
    let guide = page(&files, "partner/cloud/submitting/index.html");
    let crumbs: Vec<String> = guide.select(&sel("nav.breadcrumb li")).map(text).collect();
    assert_eq!(
        crumbs,
        [
            "Home",
            "Partner provides implementation",
            "Dialogue Cloud",
            "Submitting a ticket"
        ]
    );
    assert_eq!(
        hrefs(
            &files,
            "partner/cloud/submitting/index.html",
            "nav.switcher[aria-label='Operating model'] a"
        ),
        [
            "../../../cloud/submitting/index.html",
            "../../../partner/cloud/submitting/index.html"
        ]
    );
    for shared in [
        "index.html",
        "glossary/index.html",
        "parties/partner/index.html",
    ] {
        assert!(
            hrefs(&files, shared, "nav.switcher a").is_empty(),
            "{shared} has a switcher"
        );
    }
}

/// A guide is shown once per model: each showing keeps the passages of its model and
/// leaves out the others'; a page limited with `models:` is shown in those models only;
/// a link to another guide stays in the reader's model.
#[test]
fn each_model_reads_its_own_passages() {
    let files = build(&models_fixture());
    let article = |path: &str| text(page(&files, path).select(&sel("article")).next().unwrap());
    let customer = article("cloud/submitting/index.html");
    let partner = article("partner/cloud/submitting/index.html");
    assert!(
        customer.contains("The customer's own first-line staff"),
        "{customer}"
    );
    assert!(!customer.contains("service desk"), "{customer}");
    assert!(partner.contains("The partner's service desk"), "{partner}");
    assert!(!partner.contains("customer's own"), "{partner}");
    for text in [&customer, &partner] {
        assert!(!text.contains("passage"), "{text}");
        assert!(text.contains("Every ticket starts with first-line support."));
    }
    // `models: [partner]`: the partner's pages only; the plain address, where the page
    // was before it was limited to the partner, leads there.
    assert!(!is_redirect(&files, "partner/cloud/escalating/index.html"));
    assert!(is_redirect(&files, "cloud/escalating/index.html"));
    assert!(
        String::from_utf8_lossy(&files["cloud/escalating/index.html"])
            .contains("../partner/cloud/escalating/index.html")
    );
    assert_eq!(
        hrefs(&files, "partner/cloud/escalating/index.html", "article p a"),
        ["../../../partner/cloud/submitting/index.html"]
    );
    // The deployment page lists its model's guides at its model's addresses.
    assert_eq!(
        hrefs(&files, "partner/cloud/index.html", "ul.guides a"),
        [
            "../../partner/cloud/escalating/index.html",
            "../../partner/cloud/submitting/index.html"
        ]
    );
    assert_eq!(
        hrefs(&files, "cloud/index.html", "ul.guides a"),
        ["../cloud/submitting/index.html"]
    );
}

/// A system's manager per model: the partner's page names the partner, the customer's
/// the customer, and each model has its own drawing.
#[test]
fn a_system_names_the_manager_of_the_pages_model() {
    let files = build(&models_fixture());
    let managers = |path: &str| -> Vec<String> {
        page(&files, path)
            .select(&sel(".managed"))
            .map(text)
            .collect()
    };
    assert_eq!(
        managers("partner/onprem/index.html"),
        ["Managed by Anywhere365", "Managed by Partner"]
    );
    assert_eq!(
        managers("onprem/index.html"),
        ["Managed by Anywhere365", "Managed by Customer"]
    );
    assert!(files.contains_key("diagrams/rasci-systems-onprem.partner.svg"));
    let drawing = String::from_utf8_lossy(&files["diagrams/rasci-systems-onprem.partner.svg"]);
    assert!(!drawing.contains(">Customer<"), "{drawing}");
}

/// Unknown model ids in `models:`, in a passage and in a manager per model are findings
/// at the id with a suggestion; a manager that is no party of the model, and a model with
/// no manager, are errors at the system.
#[test]
fn model_ids_of_pages_passages_and_systems_are_checked() {
    let project = Project::models()
        .file(
            "content/escalating.md",
            "---\ntitle: Escalating\nmodels: [partnr]\n---\n\nText.\n",
        )
        .file(
            "content/submitting.md",
            "---\ntitle: Submitting\n---\n\n{{ passage(models=\"custmer\") }}\nText.\n{{ end_passage() }}\n",
        )
        .file(
            "data/systems.yaml",
            "systems:\n  - id: a\n    name: A\n    managed_by: partner\n  - id: b\n    name: B\n    managed_by: { partner: partner, resellr: partner }\n",
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let models = checked.with_rule("ref/unknown-model");
    let at: Vec<(String, u64, u64, String)> = models
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        at.contains(&(
            "content/escalating.md".into(),
            3,
            10,
            "did you mean `partner`?".into()
        )),
        "{at:#?}"
    );
    assert!(
        at.contains(&(
            "content/submitting.md".into(),
            5,
            20,
            "did you mean `customer`?".into()
        )),
        "{at:#?}"
    );
    assert!(
        at.iter().any(|a| a.0 == "data/systems.yaml" && a.1 == 7),
        "{at:#?}"
    );
    let parties: Vec<&str> = checked
        .with_rule("ref/unknown-party")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        parties.contains(&"party `partner` is not a party in model `customer`"),
        "{parties:?}"
    );
    assert!(
        parties.contains(&"system `b` has no manager in model `customer`"),
        "{parties:?}"
    );
}

/// A passage that is not closed, or a close with no passage, is a finding of `check`.
#[test]
fn a_passage_must_pair() {
    let project = Project::models()
        .file(
            "content/submitting.md",
            "---\ntitle: Submitting\n---\n\n{{ passage(models=\"partner\") }}\nText.\n",
        )
        .file(
            "content/other.md",
            "---\ntitle: Other\n---\n\nText.\n\n{{ end_passage() }}\n",
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let messages: Vec<&str> = checked
        .with_rule("content/shortcode")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"a passage is not closed"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"`end_passage` closes no passage"),
        "{messages:?}"
    );
}

/// In search, each model's pages are results of their own: the two models' pages of one
/// deployment (and their showings of one guide) share a title, but not a group, and no
/// group holds two entries of one deployment.
#[test]
fn search_keeps_each_models_pages_apart() {
    let files = build(&models_fixture());
    let entries = crate::support::search_entries(&files);
    let group = |url: &str| {
        entries
            .iter()
            .find(|e| e["u"] == url)
            .unwrap_or_else(|| panic!("no entry leads to {url}"))["g"]
            .clone()
    };
    for (customer, partner) in [
        ("cloud/index.html", "partner/cloud/index.html"),
        ("compare/index.html", "compare/partner/index.html"),
        (
            "cloud/submitting/index.html",
            "partner/cloud/submitting/index.html",
        ),
    ] {
        assert_ne!(group(customer), group(partner), "{customer} and {partner}");
    }
    // A guide is still one result over the deployments of one model.
    assert_eq!(
        group("partner/cloud/submitting/index.html"),
        group("partner/onprem/submitting/index.html")
    );
    let mut seen = std::collections::BTreeSet::new();
    for entry in &entries {
        let key = (entry["g"].as_u64(), entry.get("d").and_then(|d| d.as_u64()));
        assert!(
            seen.insert(key),
            "two entries of one deployment in a group: {entry}"
        );
    }
}
