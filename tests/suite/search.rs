//! The search index (`search-index.js`): what each entry says and where it leads. The
//! theme's search ranks and filters these entries in the browser (tests/browser/search.mjs);
//! what it can find, under which label, and what counts as the same thing in two
//! deployments is decided here.

use crate::support::{Project, build_clean};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The entries of the index of `project`, built in memory; the index must not be able to
/// end its script element early.
fn entries_of(project: Project) -> Vec<Value> {
    let built = project.build();
    let files = build_clean(&built);
    let script = crate::support::search_scripts(&files);
    assert!(
        !script.to_ascii_lowercase().contains("</script"),
        "the index can close its script element"
    );
    crate::support::search_entries(&files)
}

fn example() -> Vec<Value> {
    entries_of(Project::example())
}

fn at<'e>(entries: &'e [Value], url: &str) -> &'e Value {
    entries
        .iter()
        .find(|e| e["u"] == url)
        .unwrap_or_else(|| panic!("no entry leads to {url}"))
}

fn str_of<'e>(entry: &'e Value, key: &str) -> &'e str {
    entry[key].as_str().unwrap_or_default()
}

#[test]
fn glossary_terms_are_entries_found_by_their_aliases_and_definition() {
    let entries = example();
    let tenant = at(&entries, "glossary/index.html#term-tenant");
    assert_eq!(str_of(tenant, "t"), "tenant");
    assert_eq!(str_of(tenant, "s"), "Glossary");
    let text = str_of(tenant, "x");
    assert!(
        text.starts_with("A dedicated, trusted instance of Azure AD"),
        "{text}"
    );
    assert!(
        text.contains("tenants") && text.contains("Azure tenant"),
        "{text}"
    );
    // A term belongs to no deployment.
    assert!(tenant.get("d").is_none(), "{tenant}");
    // Every term of the glossary, once.
    let terms: Vec<&str> = entries
        .iter()
        .filter(|e| str_of(e, "u").starts_with("glossary/index.html#"))
        .map(|e| str_of(e, "t"))
        .collect();
    assert_eq!(
        terms,
        [
            "CRM",
            "L1",
            "L2/L3",
            "P1",
            "Premium Plus",
            "RCA",
            "SBC",
            "SIP",
            "tenant"
        ]
    );
}

#[test]
fn headings_of_guides_lead_to_their_sections_in_each_deployment() {
    let entries = example();
    let cloud = at(
        &entries,
        "cloud/submission-guidelines/index.html#step-3-set-the-priority",
    );
    let onprem = at(
        &entries,
        "onprem/submission-guidelines/index.html#step-3-set-the-priority",
    );
    assert_eq!(str_of(cloud, "t"), "Step 3: set the priority");
    assert_eq!(str_of(cloud, "s"), "Dialogue Cloud · Submission guidelines");
    assert_eq!(str_of(onprem, "s"), "On Premises · Submission guidelines");
    assert_eq!((&cloud["d"], &onprem["d"]), (&0.into(), &1.into()));
    // The same heading of the same guide: one group, shown once across deployments.
    assert_eq!(cloud["g"], onprem["g"]);
    // The RASCI page's headings, named after the page (which names the deployment).
    let flow = at(&entries, "cloud/index.html#flow-support");
    assert_eq!(str_of(flow, "t"), "Support flow");
    assert_eq!(
        str_of(flow, "s"),
        "Dialogue Cloud: RASCI for operational support"
    );
    // A party's page only repeats the deployments' names as its headings.
    assert!(
        !entries
            .iter()
            .any(|e| str_of(e, "u").starts_with("parties/") && str_of(e, "u").contains('#')),
        "a party page's heading is an entry"
    );
}

#[test]
fn a_task_of_two_deployments_is_one_group_and_each_page_its_own() {
    let entries = example();
    let cloud = at(&entries, "cloud/index.html#task-provide-tenant");
    let onprem = at(&entries, "onprem/index.html#task-provide-tenant");
    assert_eq!(cloud["g"], onprem["g"]);
    assert_eq!(str_of(cloud, "s"), "Dialogue Cloud · task");
    assert_eq!(
        str_of(cloud, "x"),
        "Anywhere365: A, R; Customer: I; Dialogue Cloud deployment specific"
    );
    // Same key, different titles: the two RASCI pages are two results.
    assert_ne!(
        at(&entries, "cloud/index.html")["g"],
        at(&entries, "onprem/index.html")["g"]
    );
    // The guides of the two deployments are one.
    assert_eq!(
        at(&entries, "cloud/reading-the-matrix/index.html")["g"],
        at(&entries, "onprem/reading-the-matrix/index.html")["g"]
    );
    // No group holds two entries of one deployment (or two of the whole site): within a
    // deployment, nothing is listed twice.
    let mut seen: BTreeMap<u64, BTreeSet<Option<u64>>> = BTreeMap::new();
    for entry in &entries {
        let group = entry["g"].as_u64().expect("every entry has a group");
        let scope = entry.get("d").map(|d| d.as_u64().unwrap());
        assert!(
            seen.entry(group).or_default().insert(scope),
            "group {group} holds two entries of {scope:?}: {entry}"
        );
    }
    // An entry of a deployment names it: d is the index of the scope.
    for entry in entries
        .iter()
        .filter(|e| str_of(e, "u").starts_with("onprem/"))
    {
        assert_eq!(entry["d"], 1, "{entry}");
    }
}

#[test]
fn the_home_page_is_labelled_home_and_pages_of_no_deployment_reference() {
    let entries = example();
    let home = at(&entries, "index.html");
    assert_eq!(str_of(home, "s"), "Home");
    assert!(home.get("d").is_none());
    assert_eq!(
        str_of(at(&entries, "index.html#two-deployments"), "s"),
        "Home"
    );
    for path in [
        "parties/customer/index.html",
        "compare/index.html",
        "glossary/index.html",
    ] {
        assert_eq!(str_of(at(&entries, path), "s"), "Reference", "{path}");
    }
    assert!(
        !entries
            .iter()
            .any(|e| str_of(e, "s") == "Reference" && str_of(e, "u").starts_with("index.html")),
        "a part of the home page is labelled Reference"
    );
}

#[test]
fn the_home_label_comes_from_the_config() {
    let config = "title: Betrieb\nlabels:\n  home: Startseite\n  glossary: Glossar\n";
    let entries = entries_of(Project::example().file("rasci.yaml", config));
    assert_eq!(str_of(at(&entries, "index.html"), "s"), "Startseite");
    assert_eq!(
        str_of(at(&entries, "glossary/index.html#term-sip"), "s"),
        "Glossar"
    );
}

#[test]
fn headings_and_terms_written_as_markup_are_text_in_the_index() {
    let term = "</script><b>x</b>";
    let project = Project::example()
        .file(
            "data/glossary.yaml",
            format!(
                "glossary:\n  - term: \"{term}\"\n    aliases: [\"<!--y\"]\n    definition: \"<img src=x onerror=alert(1)>\"\n"
            ),
        )
        .file(
            "content/hostile.md",
            "---\ntitle: Hostile\n---\n## Tom & \"Jerry\" <i>x</i>\n\nText.\n",
        );
    let entries = entries_of(project);
    let entry = entries
        .iter()
        .find(|e| str_of(e, "u").starts_with("glossary/index.html#term-"))
        .expect("the term is an entry");
    assert_eq!(str_of(entry, "t"), term);
    assert!(str_of(entry, "x").contains("<img src=x onerror=alert(1)>"));
    assert!(str_of(entry, "x").contains("<!--y"));
    let heading = entries
        .iter()
        .find(|e| str_of(e, "u").starts_with("cloud/hostile/index.html#"))
        .expect("the heading is an entry");
    assert_eq!(str_of(heading, "t"), "Tom & \"Jerry\" x");
}

/// The table of stems the index script sets after the entries.
fn stems_of(project: Project) -> BTreeMap<String, String> {
    let built = project.build();
    let files = build_clean(&built);
    crate::support::search_stems(&files)
}

#[test]
fn the_index_carries_the_stems_of_its_words_in_the_site_language() {
    let stems = stems_of(Project::example());
    assert_eq!(stems.get("closing").map(String::as_str), Some("close"));
    assert_eq!(stems.get("incidents").map(String::as_str), Some("incid"));
    assert!(
        !stems.contains_key("close"),
        "a word that is its own stem is left out"
    );
    // The language chooses the algorithm: German stems "Aufgaben" to "aufgab"; a language
    // without a stemmer gives an empty table.
    let german = Project::base().file(
        "content/seite.md",
        "---\ntitle: Aufgaben\n---\nDie Aufgaben der Parteien.\n",
    );
    let config =
        std::fs::read_to_string(crate::support::fixtures().join("base/rasci.yaml")).unwrap();
    let stems = stems_of(german.file("rasci.yaml", format!("{config}language: de\n")));
    assert_eq!(stems.get("aufgaben").map(String::as_str), Some("aufgab"));
    let none = Project::base().file("rasci.yaml", format!("{config}language: xx\n"));
    assert!(stems_of(none).is_empty());
}

#[test]
fn a_heading_of_a_deployment_page_is_found_by_its_section_text_once() {
    let entries = example();
    let flows: Vec<&Value> = entries
        .iter()
        .filter(|e| str_of(e, "u").ends_with("index.html#flow-support"))
        .collect();
    assert_eq!(flows.len(), 2, "one per deployment");
    assert_eq!(flows[0]["g"], flows[1]["g"], "one group across deployments");
    let text = str_of(flows[0], "x");
    assert!(text.contains("close the incident"), "{text}");
    // The table's tasks are entries of their own, not repeated in its heading's text.
    let table = entries
        .iter()
        .find(|e| str_of(e, "u") == "cloud/index.html#rasci-table")
        .unwrap();
    assert!(!str_of(table, "x").contains("Prime contact"), "{table}");
    // Glossary definitions and screen-reader words are not part of any text.
    for entry in &entries {
        let x = str_of(entry, "x");
        assert!(!x.contains("SBC SBC"), "{x}");
        assert!(!x.contains("A Accountable, R"), "{x}");
    }
}
