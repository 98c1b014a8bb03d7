//! The wording the templates put around the data, for every combination of a project
//! with and without operating models, with and without model descriptions, with the
//! default labels and with labels of its own: the titles, the breadcrumbs and the lead
//! sentences of the deployment pages, the comparison of deployments and a guide, read
//! from the built pages and compared word for word.

use crate::support::{Project, build_clean as build, page, sel, text};
use std::collections::BTreeMap;

/// One combination: whether the project has models, whether they have descriptions, and
/// whether `rasci.yaml` names labels of its own.
#[derive(Debug, Clone, Copy)]
struct Case {
    models: bool,
    described: bool,
    labelled: bool,
}

impl Case {
    fn home(self) -> &'static str {
        if self.labelled { "Start" } else { "Home" }
    }
    fn deployment_title(self) -> &'static str {
        if self.labelled {
            "Who does what"
        } else {
            "RASCI for operational support"
        }
    }
    fn compare(self) -> &'static str {
        if self.labelled {
            "Side by side"
        } else {
            "Compare deployments"
        }
    }
}

/// Two deployments (one described without a full stop, one not described), three
/// parties, one task, one guide; with models, two of them over both deployments.
fn hub(case: Case) -> Project {
    let mut config = "title: Hub\n".to_string();
    if case.labelled {
        config.push_str(
            "labels:\n  home: Start\n  deployment_title: Who does what\n  compare: Side by side\n",
        );
    }
    let tasks = |model: &str, party: &str| {
        format!(
            "{model}sections:\n  - id: general\n    tasks:\n      - id: contact\n        title: Prime contact\n        rasci: {{ {party}: \"A, R\", vendor: I }}\n"
        )
    };
    let mut project = Project::empty()
        .file("rasci.yaml", config)
        .file(
            "data/parties.yaml",
            "parties:\n  - { id: vendor, name: Vendor }\n  - { id: customer, name: Customer }\n  - { id: partner, name: Partner }\n",
        )
        .file(
            "data/scopes.yaml",
            "scopes:\n  - { id: cloud, name: Cloud, description: Hosted by the vendor, sections: [general] }\n  - { id: onprem, name: On premises, sections: [general] }\n",
        )
        .file(
            "content/guide.md",
            "---\ntitle: A guide\ndescription: How a ticket is raised.\n---\n\nText.\n",
        );
    if case.models {
        let description = |text: &str| {
            if case.described {
                format!("    description: {text}\n")
            } else {
                String::new()
            }
        };
        project = project
            .file(
                "data/models.yaml",
                format!(
                    "models:\n  - id: customer\n    name: Customer provides support\n{}    parties: [vendor, customer]\n    scopes: [cloud, onprem]\n  - id: partner\n    name: Partner provides support\n{}    parties: [vendor, partner]\n    scopes: [cloud, onprem]\n",
                    description("The customer's staff give first-line support"),
                    description("A partner gives first-line support."),
                ),
            )
            .file("data/tasks/customer.yaml", tasks("model: customer\n", "customer"))
            .file("data/tasks/partner.yaml", tasks("model: partner\n", "partner"));
    } else {
        project = project.file("data/tasks.yaml", tasks("", "customer"));
    }
    project
}

fn all_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for labelled in [false, true] {
        cases.push(Case {
            models: false,
            described: false,
            labelled,
        });
        for described in [false, true] {
            cases.push(Case {
                models: true,
                described,
                labelled,
            });
        }
    }
    cases
}

/// What one page says: its `<title>`, eyebrow, H1, breadcrumb and lead sentences, and
/// the texts of the links in its article that lead to a comparison.
struct Words {
    title: String,
    eyebrow: Option<String>,
    h1: String,
    crumbs: Vec<String>,
    leads: Vec<String>,
    comparison_links: Vec<String>,
}

fn words(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Words {
    let doc = page(files, path);
    let all = |selector: &str| -> Vec<String> { doc.select(&sel(selector)).map(text).collect() };
    let one = |selector: &str| all(selector).into_iter().next();
    Words {
        title: one("title").unwrap(),
        eyebrow: one("article .eyebrow"),
        h1: one("h1").unwrap(),
        crumbs: all("nav.breadcrumb li"),
        leads: all("article p.lead, article p.model-note"),
        comparison_links: doc
            .select(&sel("article a:not(.card)"))
            .filter(|a| {
                a.value()
                    .attr("href")
                    .is_some_and(|h| h.contains("compare/"))
            })
            .map(text)
            .collect(),
    }
}

/// What holds of every page's words in every combination: no title of two colons, a
/// breadcrumb that names a model once at most, leads that end with a full stop, and
/// links to a comparison that say so.
fn assert_well_worded(case: Case, path: &str, words: &Words) {
    let context = format!("{case:?} {path}");
    for text in [&words.title, &words.h1] {
        assert!(!text.contains("::"), "{context}: {text}");
        assert!(
            text.matches(':').count() <= 1,
            "{context}: two colons in {text}"
        );
    }
    for model in ["Customer provides support", "Partner provides support"] {
        let named = words.crumbs.iter().filter(|c| c.contains(model)).count();
        assert!(
            named <= 1,
            "{context}: {:?} names {model} twice",
            words.crumbs
        );
    }
    for lead in &words.leads {
        assert!(
            lead.ends_with('.'),
            "{context}: `{lead}` ends without a full stop"
        );
        assert!(!lead.contains(".."), "{context}: {lead}");
        assert!(!lead.contains(" ."), "{context}: {lead}");
    }
    for link in &words.comparison_links {
        assert!(
            link.contains("Compare"),
            "{context}: comparison link `{link}`"
        );
    }
}

#[test]
fn titles_breadcrumbs_and_leads_read_well_in_every_combination() {
    for case in all_cases() {
        let project = hub(case).build();
        let files = build(project.root());
        let home = case.home();
        let rasci = case.deployment_title();
        // The deployment pages, in each model.
        let models: &[(Option<&str>, &str, &str)] = if case.models {
            &[
                (
                    None,
                    "Customer provides support",
                    "Partner provides support",
                ),
                (
                    Some("partner"),
                    "Partner provides support",
                    "Customer provides support",
                ),
            ]
        } else {
            &[(None, "", "")]
        };
        for &(prefix, model, other) in models {
            let at = |path: &str| match prefix {
                Some(prefix) => format!("{prefix}/{path}"),
                None => path.to_string(),
            };
            let path = at("cloud/index.html");
            let w = words(&files, &path);
            assert_well_worded(case, &path, &w);
            let h1 = format!("Cloud: {rasci}");
            assert_eq!(w.h1, h1, "{case:?}");
            if case.models {
                assert_eq!(w.title, format!("{h1} · {model} · Hub"));
                assert_eq!(
                    w.eyebrow.as_deref(),
                    Some(format!("{model} · Cloud").as_str())
                );
                assert_eq!(w.crumbs, [home, model, h1.as_str()]);
                let description = match (case.described, model.starts_with("Customer")) {
                    (false, _) => String::new(),
                    (true, true) => " The customer's staff give first-line support.".into(),
                    (true, false) => " A partner gives first-line support.".into(),
                };
                assert_eq!(
                    w.leads[1],
                    format!("Operating model: {model}.{description} Compare it with {other}."),
                    "{case:?}"
                );
            } else {
                assert_eq!(w.title, format!("{h1} · Hub"));
                assert_eq!(w.crumbs, [home, h1.as_str()]);
            }
            let parties = if !case.models {
                "Vendor, Customer and Partner"
            } else if model.starts_with("Partner") {
                "Vendor and Partner"
            } else {
                "Vendor and Customer"
            };
            assert_eq!(
                w.leads[0],
                format!(
                    "This page sets out how operational support is divided between {parties} when the deployment is Cloud: Hosted by the vendor."
                ),
                "{case:?}"
            );
            let path = at("onprem/index.html");
            let w = words(&files, &path);
            assert_well_worded(case, &path, &w);
            assert_eq!(
                w.leads[0],
                format!(
                    "This page sets out how operational support is divided between {parties} when the deployment is On premises."
                )
            );

            // The comparison of the model's deployments.
            let path = match prefix {
                Some(prefix) => format!("compare/{prefix}/index.html"),
                None => "compare/index.html".to_string(),
            };
            let w = words(&files, &path);
            assert_well_worded(case, &path, &w);
            assert_eq!(w.h1, case.compare());
            if case.models {
                assert_eq!(w.eyebrow.as_deref(), Some(model));
                assert_eq!(w.crumbs, [home, model, case.compare()]);
                assert_eq!(w.title, format!("{} · {model} · Hub", case.compare()));
            } else {
                assert_eq!(w.eyebrow, None);
                assert_eq!(w.crumbs, [home, case.compare()]);
            }

            // A guide.
            let path = at("cloud/guide/index.html");
            let w = words(&files, &path);
            assert_well_worded(case, &path, &w);
            assert_eq!(w.h1, "A guide");
            assert_eq!(w.leads, ["How a ticket is raised."]);
            if case.models {
                assert_eq!(w.crumbs, [home, model, "Cloud", "A guide"]);
                assert_eq!(w.title, format!("A guide · Cloud · {model} · Hub"));
            } else {
                assert_eq!(w.crumbs, [home, "Cloud", "A guide"]);
                assert_eq!(w.title, "A guide · Cloud · Hub");
            }
        }
        // The home page: its comparisons of models say so, its cards speak of models.
        let w = words(&files, "index.html");
        assert_well_worded(case, "index.html", &w);
        let doc = page(&files, "index.html");
        let cards: Vec<String> = doc.select(&sel("a.card .card-text")).map(text).collect();
        if case.models {
            assert_eq!(
                w.comparison_links,
                [
                    "Compare Customer provides support with Partner provides support",
                    "Compare Customer provides support with Partner provides support"
                ]
            );
            assert!(
                cards
                    .iter()
                    .any(|c| c == "Its duties in each operating model and deployment."),
                "{cards:?}"
            );
            assert!(
                !cards.iter().any(|c| c.contains("per deployment")),
                "{cards:?}"
            );
        } else {
            assert!(
                cards.iter().any(|c| c == "Its duties per deployment."),
                "{cards:?}"
            );
        }
    }
}
