//! The site of a project with operating models: the pages of each model and deployment
//! and where they are written, the model's columns in each table, the two switchers, the
//! home page's grid, the comparison of two models, the party pages; and that a project
//! without models builds the site it built before models existed.

use crate::support::{Project, build_clean as build, page, repo, sel, text};
use scraper::Html;

/// A row of the home grid as read: its id, its header, its cells' text, its links.
type GridRow = (Option<String>, String, Vec<String>, Vec<String>);

/// The name of a group of duties: its heading's own words, without the letter badges
/// before them and the count after them.
fn group_name(heading: scraper::ElementRef<'_>) -> String {
    let words: String = heading
        .children()
        .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
        .collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(text).collect()
}

fn hrefs(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

/// Two models over three deployments: `customer` (three parties) covers cloud and
/// onprem, `partner` (four parties, in another order) covers all three. Both have the
/// tasks `contact` and `fix` (same ids); `servers` is the customer model's and applies
/// to onprem only; `onboard` is the partner model's alone.
fn two_models() -> Project {
    Project::empty()
        .file("rasci.yaml", "title: Hub\n")
        .file(
            "data/parties.yaml",
            "parties:\n\
             \x20 - { id: vendor, name: Vendor }\n\
             \x20 - { id: customer, name: Customer }\n\
             \x20 - { id: partner, name: Partner }\n\
             \x20 - { id: users, name: End-users }\n",
        )
        .file(
            "data/scopes.yaml",
            "scopes:\n\
             \x20 - { id: cloud, name: Cloud, sections: [general] }\n\
             \x20 - { id: onprem, name: On premises, sections: [general] }\n\
             \x20 - { id: edge, name: Edge, sections: [general] }\n",
        )
        .file(
            "data/models.yaml",
            "models:\n\
             \x20 - id: customer\n\
             \x20   name: Customer provides support\n\
             \x20   description: The customer's staff give first-line support.\n\
             \x20   parties: [vendor, customer, users]\n\
             \x20   scopes: [cloud, onprem]\n\
             \x20 - id: partner\n\
             \x20   name: Partner provides implementation\n\
             \x20   parties: [vendor, partner, customer, users]\n\
             \x20   scopes: [cloud, onprem, edge]\n",
        )
        .file(
            "data/tasks/customer.yaml",
            "model: customer\n\
             sections:\n\
             \x20 - id: general\n\
             \x20   tasks:\n\
             \x20     - id: contact\n\
             \x20       title: Prime contact\n\
             \x20       rasci: { customer: \"A, R\", users: I }\n\
             \x20     - id: fix\n\
             \x20       title: Fix defects\n\
             \x20       rasci: { vendor: \"A, R\", customer: \"S, C\" }\n\
             \x20     - id: servers\n\
             \x20       title: Run the servers\n\
             \x20       scopes: [onprem]\n\
             \x20       rasci: { customer: \"A, R\", vendor: C }\n",
        )
        .file(
            "data/tasks/partner.yaml",
            "model: partner\n\
             sections:\n\
             \x20 - id: general\n\
             \x20   tasks:\n\
             \x20     - id: contact\n\
             \x20       title: Prime contact\n\
             \x20       rasci: { partner: \"A, R\", customer: C, users: I }\n\
             \x20     - id: fix\n\
             \x20       title: Fix defects\n\
             \x20       rasci: { vendor: \"A, R\", customer: \"S, C\" }\n\
             \x20     - id: onboard\n\
             \x20       title: Onboard the customer\n\
             \x20       rasci: { partner: \"A, R\", customer: I, vendor: S }\n",
        )
        .file(
            "data/summaries/customer.yaml",
            "model: customer\n\
             summaries:\n\
             \x20 - party: customer\n\
             \x20   title: What the customer does itself\n\
             \x20   items:\n\
             \x20     - text: First-line support\n",
        )
        .file("content/guide.md", "---\ntitle: A guide\n---\n\nText.\n")
}

/// Every model's page for every deployment it covers: the default model's (the first)
/// at the addresses of a project without models, the others' under their id, and a
/// redirect page at each address the default model's pages had under its id.
#[test]
fn each_model_has_a_page_per_deployment_it_covers() {
    let project = two_models().build();
    let files = build(project.root());
    for path in [
        "cloud/index.html",
        "onprem/index.html",
        "partner/cloud/index.html",
        "partner/onprem/index.html",
        "partner/edge/index.html",
        "cloud/rasci-cloud.csv",
        "cloud/rasci-cloud.json",
        "cloud/rasci-cloud.xlsx",
        "partner/edge/rasci-partner-edge.csv",
        "compare/index.html",
        "compare/partner/index.html",
        "compare/cloud/customer/partner/index.html",
        "compare/onprem/customer/partner/index.html",
        "cloud/guide/index.html",
        "partner/cloud/guide/index.html",
        "partner/edge/guide/index.html",
    ] {
        assert!(files.contains_key(path), "{path} is written");
        if path.ends_with(".html") {
            assert!(!is_redirect(&files, path), "{path} is a page");
        }
    }
    for (path, target) in [
        ("customer/cloud/index.html", "../../cloud/index.html"),
        ("customer/onprem/index.html", "../../onprem/index.html"),
        ("compare/customer/index.html", "../../compare/index.html"),
        // A guide is shown per model; in a deployment the default model does not cover,
        // the address it had before stays, leading to its first model's.
        (
            "edge/guide/index.html",
            "../../partner/edge/guide/index.html",
        ),
    ] {
        assert_eq!(
            redirect_target(&files, path).as_deref(),
            Some(target),
            "{path}"
        );
    }
    for path in [
        "customer/edge/index.html",
        "edge/index.html",
        "customer/cloud/rasci-customer-cloud.csv",
        "partner/cloud/rasci-cloud.csv",
        // Only one model covers edge: nothing to compare there.
        "compare/edge/customer/partner/index.html",
    ] {
        assert!(!files.contains_key(path), "{path} is not written");
    }
    let doc = page(&files, "cloud/index.html");
    assert_eq!(
        hrefs(&doc, "p.downloads a"),
        [
            "../cloud/rasci-cloud.csv",
            "../cloud/rasci-cloud.json",
            "../cloud/rasci-cloud.xlsx"
        ]
    );
}

/// Whether the file at `path` is a redirect page.
fn is_redirect(files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str) -> bool {
    redirect_target(files, path).is_some()
}

/// Where the redirect page at `path` sends the reader: its meta refresh's address, which
/// its visible link and (without `base_url`) its canonical link repeat; `None` when the
/// file is no redirect page.
fn redirect_target(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    path: &str,
) -> Option<String> {
    let doc = page(files, path);
    let refresh = doc
        .select(&sel("meta[http-equiv=refresh]"))
        .next()?
        .value()
        .attr("content")?
        .to_string();
    let target = refresh.strip_prefix("0; url=")?.to_string();
    assert_eq!(
        hrefs(&doc, "body a"),
        std::slice::from_ref(&target),
        "{path}"
    );
    assert_eq!(
        hrefs(&doc, "link[rel=canonical]"),
        std::slice::from_ref(&target),
        "{path}"
    );
    assert_eq!(
        doc.select(&sel("meta[name=robots][content=noindex]"))
            .count(),
        1
    );
    assert_eq!(
        doc.select(&sel("script")).count(),
        0,
        "{path} runs no script"
    );
    Some(target)
}

/// A model's table has the model's parties as its columns, in the model's order, and
/// each cell holds that party's letters; a task limited to other deployments is absent.
#[test]
fn a_models_table_has_its_own_party_columns_in_its_order() {
    let project = two_models().build();
    let files = build(project.root());
    let table = |path: &str| {
        let doc = page(&files, path);
        let header = texts(&doc, "table.rasci thead th");
        let rows: Vec<Vec<String>> = doc
            .select(&sel("table.rasci tbody tr:not(.section-row)"))
            .map(|tr| {
                let mut cells = vec![text(tr.select(&sel("th")).next().unwrap())];
                cells.extend(tr.select(&sel("td")).map(|td| {
                    td.select(&sel("abbr.badge > span[aria-hidden=true]"))
                        .map(text)
                        .collect::<Vec<_>>()
                        .join(", ")
                }));
                cells
            })
            .collect();
        (header[1..].to_vec(), rows)
    };
    let (header, rows) = table("cloud/index.html");
    assert_eq!(header, ["Vendor", "Customer", "End-users"]);
    assert_eq!(
        rows,
        [
            ["Prime contact", "", "A, R", "I"],
            ["Fix defects", "A, R", "S, C", ""],
        ]
    );
    let (_, rows) = table("onprem/index.html");
    assert_eq!(rows.len(), 3, "servers applies to onprem: {rows:?}");
    assert_eq!(rows[2], ["Run the servers", "C", "A, R", ""]);
    let (header, rows) = table("partner/cloud/index.html");
    assert_eq!(header, ["Vendor", "Partner", "Customer", "End-users"]);
    assert_eq!(
        rows,
        [
            ["Prime contact", "", "A, R", "C", "I"],
            ["Fix defects", "A, R", "", "S, C", ""],
            ["Onboard the customer", "S", "A, R", "I", ""],
        ]
    );
    let doc = page(&files, "partner/cloud/index.html");
    assert_eq!(
        texts(&doc, "table.rasci caption"),
        ["RASCI table: Partner provides implementation, Cloud"]
    );
}

/// The model switcher keeps the deployment and leads elsewhere only where a model does
/// not cover it; the deployment switcher keeps the model.
#[test]
fn the_switchers_keep_the_deployment_and_the_model() {
    let project = two_models().build();
    let files = build(project.root());
    let switch = |path: &str, label: &str| -> Vec<(String, String, bool)> {
        let doc = page(&files, path);
        doc.select(&sel(&format!("nav.switcher[aria-label='{label}'] a")))
            .map(|a| {
                (
                    text(a),
                    a.value().attr("href").unwrap().to_string(),
                    a.value().attr("aria-current") == Some("true"),
                )
            })
            .collect()
    };
    let owned = |rows: &[(&str, &str, bool)]| -> Vec<(String, String, bool)> {
        rows.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect()
    };
    assert_eq!(
        switch("onprem/index.html", "Operating model"),
        owned(&[
            ("Customer provides support", "../onprem/index.html", true),
            (
                "Partner provides implementation",
                "../partner/onprem/index.html",
                false
            ),
        ])
    );
    assert_eq!(
        switch("onprem/index.html", "Deployment"),
        owned(&[
            ("Cloud", "../cloud/index.html", false),
            ("On premises", "../onprem/index.html", true),
            // The customer model does not cover edge: its only page is the partner's.
            ("Edge", "../partner/edge/index.html", false),
        ])
    );
    // From edge, the customer model lacks the page: its first deployment, marked so.
    let doc = page(&files, "partner/edge/index.html");
    let customer = doc
        .select(&sel("nav.switcher[aria-label='Operating model'] a"))
        .next()
        .unwrap();
    assert_eq!(
        customer.value().attr("href"),
        Some("../../cloud/index.html")
    );
    assert_eq!(customer.value().attr("class"), Some("other-deployment"));
    // The comparison of a model's deployments switches to the other model's.
    assert_eq!(
        switch("compare/index.html", "Operating model"),
        owned(&[
            ("Customer provides support", "../compare/index.html", true),
            (
                "Partner provides implementation",
                "../compare/partner/index.html",
                false
            ),
        ])
    );
    // A guide is shown per model: both switchers keep the guide, and the deployment
    // switcher keeps the model.
    assert_eq!(
        switch("cloud/guide/index.html", "Operating model"),
        owned(&[
            (
                "Customer provides support",
                "../../cloud/guide/index.html",
                true
            ),
            (
                "Partner provides implementation",
                "../../partner/cloud/guide/index.html",
                false
            ),
        ])
    );
    assert_eq!(
        switch("cloud/guide/index.html", "Deployment"),
        owned(&[
            ("Cloud", "../../cloud/guide/index.html", true),
            ("On premises", "../../onprem/guide/index.html", false),
            // The customer model does not cover edge: the partner's page of it.
            ("Edge", "../../partner/edge/index.html", false),
        ])
    );
    assert_eq!(
        switch("partner/cloud/guide/index.html", "Deployment"),
        owned(&[
            ("Cloud", "../../../partner/cloud/guide/index.html", true),
            (
                "On premises",
                "../../../partner/onprem/guide/index.html",
                false
            ),
            ("Edge", "../../../partner/edge/guide/index.html", false),
        ])
    );
}

/// The home page's grid: a row per model, a column per deployment, a link per page, a
/// note where a model does not cover a deployment, and the comparisons.
#[test]
fn the_home_page_shows_the_grid_of_models_and_deployments() {
    let project = two_models().build();
    let files = build(project.root());
    let doc = page(&files, "index.html");
    let grid = doc.select(&sel("table.model-grid")).next().expect("a grid");
    let header: Vec<String> = grid.select(&sel("thead th")).map(text).collect();
    assert_eq!(header, ["Operating model", "Cloud", "On premises", "Edge"]);
    let rows: Vec<GridRow> = grid
        .select(&sel("tbody tr"))
        .map(|tr| {
            (
                tr.value().attr("id").map(str::to_string),
                text(tr.select(&sel("th")).next().unwrap()),
                tr.select(&sel("td")).map(text).collect(),
                tr.select(&sel("td a"))
                    .map(|a| a.value().attr("href").unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(rows[0].0.as_deref(), Some("model-customer"));
    assert!(rows[0].1.starts_with("Customer provides support"));
    assert_eq!(rows[0].3, ["cloud/index.html", "onprem/index.html"]);
    assert_eq!(rows[0].2[2], "Edge: Not covered by this model");
    assert_eq!(
        rows[1].3,
        [
            "partner/cloud/index.html",
            "partner/onprem/index.html",
            "partner/edge/index.html"
        ]
    );
    assert!(
        rows[1].2[0].contains("3 tasks · 4 parties"),
        "{:?}",
        rows[1].2
    );
    assert_eq!(
        rows[2].3,
        [
            "compare/cloud/customer/partner/index.html",
            "compare/onprem/customer/partner/index.html"
        ]
    );
    // The breadcrumb of a model's page leads to its row.
    let model_page = page(&files, "partner/cloud/index.html");
    assert_eq!(
        hrefs(&model_page, "nav.breadcrumb a"),
        ["../../index.html", "../../index.html#model-partner"]
    );
    // The model's page links to its comparison with the other model.
    assert!(
        hrefs(&model_page, "p.model-note a")
            .contains(&"../../compare/cloud/customer/partner/index.html".to_string())
    );
}

/// The comparison pairs tasks by id: those in both with each model's letters (and, where
/// they differ, which party changed and how), then those in one model only; a task whose `scopes:` leave the deployment out is in no list.
#[test]
fn the_comparison_of_two_models_lists_shared_and_own_tasks() {
    let project = two_models().build();
    let files = build(project.root());
    let rows = |doc: &Html, part: &str| -> Vec<Vec<String>> {
        doc.select(&sel(&format!("table[data-part='{part}'] tbody tr")))
            .map(|tr| {
                let mut cells = vec![text(tr.select(&sel("th")).next().unwrap())];
                cells.extend(tr.select(&sel("td")).map(|td| {
                    td.select(&sel("abbr.badge > span[aria-hidden=true]"))
                        .map(text)
                        .collect::<Vec<_>>()
                        .join(", ")
                }));
                cells
            })
            .collect()
    };
    let cloud = page(&files, "compare/cloud/customer/partner/index.html");
    let headings = texts(&cloud, "article h2");
    assert_eq!(
        headings,
        [
            "Tasks in both models",
            "Only in Customer provides support",
            "Only in Partner provides implementation",
            "Legend"
        ]
    );
    // Vendor, Customer, End-users; then Vendor, Partner, Customer, End-users.
    assert_eq!(
        rows(&cloud, "both"),
        [
            vec![
                "Prime contact Differs Customer: A, R → C no counterpart → Partner: A, R",
                "",
                "A, R",
                "I",
                "",
                "A, R",
                "C",
                "I"
            ],
            vec!["Fix defects", "A, R", "S, C", "", "A, R", "", "S, C", ""],
        ]
    );
    assert!(rows(&cloud, "only-first").is_empty());
    assert_eq!(
        rows(&cloud, "only-second"),
        [["Onboard the customer", "S", "A, R", "I", ""]]
    );
    let onprem = page(&files, "compare/onprem/customer/partner/index.html");
    assert_eq!(
        rows(&onprem, "only-first"),
        [["Run the servers", "C", "A, R", ""]]
    );
    let toc: Vec<String> = texts(&cloud, ".toc a");
    assert_eq!(toc.len(), 4, "{toc:?}");
}

/// A party's page lists each task once per model and deployment, under the letters it
/// holds there, named from the letters' names, after the party's own summary.
#[test]
fn a_party_page_lists_each_task_once_under_its_letters() {
    let project = two_models().build();
    let files = build(project.root());
    let doc = page(&files, "parties/customer/index.html");
    assert_eq!(
        texts(&doc, "article h2"),
        [
            "Customer provides support",
            "Partner provides implementation"
        ]
    );
    assert_eq!(
        texts(&doc, "article h3:not(.duty-title)"),
        [
            "What the customer does itself",
            "Cloud",
            "On premises",
            "Cloud",
            "On premises",
            "Edge"
        ]
    );
    // Per deployment section: group heading (without its count) and its tasks.
    let groups = |id: &str| -> Vec<(String, Vec<String>)> {
        let heading = doc
            .select(&sel(&format!("h3[id='{id}']")))
            .next()
            .unwrap_or_else(|| panic!("a heading {id}"));
        let duties = heading
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .next()
            .unwrap();
        duties
            .select(&sel(".duty"))
            .map(|duty| {
                let title = duty.select(&sel(".duty-title")).next().unwrap();
                (
                    group_name(title),
                    duty.select(&sel("li")).map(text).collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        groups("in-customer-onprem"),
        [
            (
                "Responsible and Accountable".to_string(),
                vec!["Prime contact".to_string(), "Run the servers".to_string()]
            ),
            (
                "Supportive and Consulted".to_string(),
                vec!["Fix defects".to_string()]
            ),
        ]
    );
    assert_eq!(
        groups("in-partner-cloud"),
        [
            (
                "Supportive and Consulted".to_string(),
                vec!["Fix defects".to_string()]
            ),
            ("Consulted".to_string(), vec!["Prime contact".to_string()]),
            (
                "Informed".to_string(),
                vec!["Onboard the customer".to_string()]
            ),
        ]
    );
    // Each task link appears once per model and deployment.
    let links = hrefs(&doc, ".duties a");
    let mut unique = links.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(links.len(), unique.len(), "{links:#?}");
    assert!(links.contains(&"../../partner/edge/index.html#task-onboard".to_string()));
    // The partner takes part in one model only.
    let partner = page(&files, "parties/partner/index.html");
    assert_eq!(
        texts(&partner, "article h2"),
        ["Partner provides implementation"]
    );
}

/// The example's party page: each task once per deployment, the groups named after the
/// letters, the summary first.
#[test]
fn the_example_party_page_groups_tasks_by_letters() {
    let files = build(repo());
    let doc = page(&files, "parties/anywhere365/index.html");
    assert_eq!(
        texts(&doc, "article h2"),
        [
            "Anywhere365 Responsibility Summary",
            "Dialogue Cloud",
            "On Premises"
        ]
    );
    let groups: Vec<(String, String)> = doc
        .select(&sel("#in-cloud + .duties .duty-title"))
        .map(|title| {
            let count = text(title.select(&sel(".count")).next().unwrap());
            (group_name(title), count)
        })
        .collect();
    let expected = [
        ("Responsible and Accountable", "6 tasks"),
        ("Responsible and Supportive", "1 task"),
        ("Supportive and Consulted", "3 tasks"),
        ("Supportive, Consulted and Informed", "1 task"),
        ("Consulted", "1 task"),
    ];
    assert_eq!(
        groups,
        expected.map(|(name, count)| (name.to_string(), count.to_string()))
    );
    // Anywhere365 holds letters in 12 of the 14 cloud tasks: each is listed once.
    let links = hrefs(&doc, "#in-cloud + .duties a");
    assert_eq!(links.len(), 12, "{links:#?}");
    let mut unique = links.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 12, "{links:#?}");
}

/// Without models the site keeps its paths, its navigation and its home page as they
/// were before models existed: no grid, no model switcher, no model folders. The
/// snapshots hold the list of files, the navigation script and the home page.
#[test]
fn a_project_without_models_keeps_its_paths_and_pages() {
    let files = build(repo());
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    insta::assert_snapshot!("example_paths", paths.join("\n"));
    insta::assert_snapshot!(
        "example_nav_js",
        std::str::from_utf8(&files["static/js/nav.js"]).unwrap()
    );
    let home = page(&files, "index.html");
    assert!(home.select(&sel("table.model-grid")).next().is_none());
    insta::assert_snapshot!(
        "example_home_main",
        home.select(&sel("main")).next().unwrap().html()
    );
    for path in [
        "cloud/index.html",
        "cloud/reading-the-matrix/index.html",
        "compare/index.html",
    ] {
        let doc = page(&files, path);
        assert!(
            doc.select(&sel("nav.switcher[aria-label='Operating model']"))
                .next()
                .is_none(),
            "{path} has no model switcher"
        );
        assert_eq!(
            texts(&doc, "nav.switcher[aria-label='Deployment'] a"),
            ["Dialogue Cloud", "On Premises"],
            "{path}"
        );
    }
}

/// A model's name is data: it reaches the grid, the switcher, the headings, the
/// navigation script and the search index as text, never as markup.
#[test]
fn a_models_name_stays_text_everywhere() {
    let evil = "<img src=x onerror=alert(1)> & \"co\"";
    let models = std::fs::read_to_string(two_models().build().root().join("data/models.yaml"))
        .unwrap()
        .replace(
            "name: Partner provides implementation",
            &format!("name: '{evil}'"),
        );
    let project = two_models().file("data/models.yaml", models).build();
    let files = build(project.root());
    for (path, doc) in [
        ("index.html", page(&files, "index.html")),
        (
            "partner/cloud/index.html",
            page(&files, "partner/cloud/index.html"),
        ),
        (
            "compare/cloud/customer/partner/index.html",
            page(&files, "compare/cloud/customer/partner/index.html"),
        ),
        (
            "parties/partner/index.html",
            page(&files, "parties/partner/index.html"),
        ),
    ] {
        assert!(
            doc.select(&sel("img")).next().is_none(),
            "{path} has no img"
        );
        let html = String::from_utf8_lossy(&files[path]).into_owned();
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{path}"
        );
    }
    let model_page = page(&files, "cloud/index.html");
    assert!(
        texts(&model_page, "nav.switcher[aria-label='Operating model'] a")
            .contains(&evil.to_string())
    );
    // The scripts hold it as a JSON string, which the theme puts in as text.
    let json = serde_json::to_string(evil).unwrap();
    let inner = &json[1..json.len() - 1];
    for script in ["static/js/nav.js", "search-index.js"] {
        let text = if script == "search-index.js" {
            crate::support::search_scripts(&files)
        } else {
            std::str::from_utf8(&files[script]).unwrap().to_string()
        };
        assert!(text.contains(inner), "{script} holds the name in a string");
    }
}

/// A guide's shortcode names the model whose table it shows; a model that does not exist
/// or does not cover the deployment is a finding at the shortcode.
#[test]
fn a_shortcode_takes_the_model_and_reports_a_wrong_one() {
    let guide = "---\ntitle: A guide\nscopes: [edge]\n---\n\n\
                 {{ rasci_table(model=\"partner\") }}\n\n\
                 {{ rasci_table(model=\"customer\") }}\n\n\
                 {{ rasci_table(model=\"partnr\") }}\n";
    let project = two_models().file("content/guide.md", guide).build();
    let (code, stderr, _) = project.build_site();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[content/shortcode]: model `customer` does not cover `edge`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/guide.md:8:1"), "{stderr}");
    assert!(
        stderr.contains("error[content/shortcode]: there is no operating model `partnr`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/guide.md:10:1"), "{stderr}");
    assert!(stderr.contains("partner"), "did you mean: {stderr}");

    let guide = "---\ntitle: A guide\nscopes: [cloud]\n---\n\n\
                 {{ rasci_table(model=\"partner\") }}\n";
    let project = two_models().file("content/guide.md", guide).build();
    let files = build(project.root());
    let doc = page(&files, "cloud/guide/index.html");
    assert_eq!(
        texts(&doc, "table.rasci thead th")[1..],
        ["Vendor", "Partner", "Customer", "End-users"]
    );
}

/// A rebuild that reuses the previous one (as `serve` does) gives the site a fresh build
/// gives after a model's name, a model's parties or a task's letters change: the names are
/// in every page's navigation, the parties only in the model's pages.
#[test]
fn a_rebuild_after_editing_a_model_equals_a_fresh_build() {
    use rasci::pipeline::{build as fresh_build, build_reusing};
    let dir = tempfile::tempdir().unwrap();
    let root = crate::support::copy_project(&repo().join("tests/fixtures/models"), dir.path());
    let (_, mut memo) = build_reusing(&root, None).unwrap();
    for (file, from, to) in [
        (
            "data/models.yaml",
            "name: Partner provides implementation",
            "name: Partner implements",
        ),
        (
            "data/models.yaml",
            "parties: [anywhere365, customer, end-users]",
            "parties: [customer, anywhere365, end-users]",
        ),
        (
            "data/tasks/partner.yaml",
            "customer: { letters: \"A\", note: \"signs off the acceptance test\" }",
            "customer: { letters: \"A\", note: \"signs the acceptance test off\" }",
        ),
    ] {
        crate::support::edit(&root.join(file), from, to);
        let (reused, next) = build_reusing(&root, Some(memo)).unwrap();
        let fresh = fresh_build(&root).unwrap();
        assert_eq!(
            reused.site.files.keys().collect::<Vec<_>>(),
            fresh.site.files.keys().collect::<Vec<_>>(),
            "after editing {file}"
        );
        for (path, bytes) in &fresh.site.files {
            assert!(
                reused.site.files[path] == *bytes,
                "{path} differs after editing {file}: {from} → {to}"
            );
        }
        memo = next;
    }
}

/// A guide shown in a model that does not cover the deployment its shortcode names shows
/// that deployment's table in the first model that covers it, as a page of no model did.
#[test]
fn a_shortcode_of_a_deployment_the_guides_model_lacks_uses_one_that_covers_it() {
    let guide = "---\ntitle: A guide\nscopes: [cloud]\n---\n\n{{ rasci_table(scope=\"edge\") }}\n";
    let project = two_models().file("content/guide.md", guide).build();
    let files = build(project.root());
    for path in ["cloud/guide/index.html", "partner/cloud/guide/index.html"] {
        let doc = page(&files, path);
        assert_eq!(
            texts(&doc, "table.rasci thead th")[1..],
            ["Vendor", "Partner", "Customer", "End-users"],
            "{path}"
        );
    }
}

/// The hub fixture's condition, notes and framework reach its pages: the condition's
/// badge on the conditional task of each model, the mark of a task's note and of a cell's
/// note with the numbered list under the table, and the framework's page listing the
/// tasks of both models that implement its controls.
#[test]
fn the_fixtures_condition_notes_and_framework_show_on_its_pages() {
    let files = build(&crate::support::models_fixture());
    for path in ["onprem/index.html", "partner/onprem/index.html"] {
        let doc = page(&files, path);
        assert_eq!(
            texts(&doc, "#task-patching .condition-badge"),
            ["Maintenance contract purchased"],
            "{path}"
        );
    }
    // A task's note: the mark in the row's header, the list naming the task.
    let cloud = page(&files, "cloud/index.html");
    assert_eq!(
        hrefs(&cloud, "#task-submit-case th sup.note-ref a"),
        ["#note-cloud-1"]
    );
    assert_eq!(
        texts(&cloud, "ol.matrix-notes li"),
        [
            "Submitting a case to Anywhere365: Through the support portal, or by phone when it is urgent"
        ]
    );
    // A cell's note: the mark in the cell, the list naming the task and the party.
    let partner = page(&files, "partner/onprem/index.html");
    assert_eq!(
        hrefs(&partner, "#task-implementation td sup.note-ref a"),
        ["#note-onprem-1"]
    );
    assert_eq!(
        texts(&partner, "ol.matrix-notes li"),
        ["Implementing the applications · Customer: signs off the acceptance test"]
    );
    let framework = page(&files, "frameworks/iso27001/index.html");
    assert_eq!(texts(&framework, "article h2"), ["A.5.26", "A.8.8"]);
    let rows: Vec<(String, String)> = framework
        .select(&sel("table.control-tasks tbody tr"))
        .map(|tr| {
            let link = tr.select(&sel("th a")).next().unwrap();
            let href = link.value().attr("href").unwrap().to_string();
            (href, text(tr.select(&sel("td")).next().unwrap()))
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "../../partner/cloud/index.html#task-l2-3-support",
                "Partner provides implementation · Dialogue Cloud"
            ),
            (
                "../../partner/onprem/index.html#task-l2-3-support",
                "Partner provides implementation · On Premises"
            ),
            (
                "../../onprem/index.html#task-patching",
                "Customer provides support · On Premises"
            ),
            (
                "../../partner/onprem/index.html#task-patching",
                "Partner provides implementation · On Premises"
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

/// The comparison of two models shows notes as the comparison of deployments does: a
/// task's note beside its title, a cell's note beside the cell's letters.
#[test]
fn the_comparison_of_two_models_shows_the_notes() {
    let files = build(&crate::support::models_fixture());
    for scope in ["cloud", "onprem"] {
        let doc = page(
            &files,
            &format!("compare/{scope}/customer/partner/index.html"),
        );
        let both: Vec<(String, Vec<String>)> = doc
            .select(&sel("table[data-part='both'] tbody tr"))
            .map(|tr| {
                let th = tr.select(&sel("th")).next().unwrap();
                let notes = th.select(&sel(".cell-note")).map(text).collect();
                (text(th.select(&sel("a")).next().unwrap_or(th)), notes)
            })
            .filter(|(_, notes): &(String, Vec<String>)| !notes.is_empty())
            .collect();
        assert_eq!(both.len(), 1, "{scope}: {both:?}");
        assert_eq!(
            both[0].1,
            ["Through the support portal, or by phone when it is urgent"],
            "{scope}"
        );
        assert_eq!(
            texts(&doc, "table[data-part='both'] td .cell-note"),
            Vec::<String>::new()
        );
        // Columns of the partner model: Anywhere365, Partner, Customer, End-users.
        let cells: Vec<Vec<String>> = doc
            .select(&sel("table[data-part='only-second'] tbody tr"))
            .map(|tr| {
                tr.select(&sel("td"))
                    .map(|td| {
                        td.select(&sel(".cell-note"))
                            .map(text)
                            .collect::<Vec<_>>()
                            .join("")
                    })
                    .collect()
            })
            .filter(|cells: &Vec<String>| cells.iter().any(|c| !c.is_empty()))
            .collect();
        assert_eq!(
            cells,
            [["", "", "signs off the acceptance test", ""]],
            "{scope}"
        );
    }
}
