//! The `labels:` of `rasci.yaml`: the words the site adds around the data (the home
//! page's name, the navigation's groups, the titles of the pages built from no file, the
//! sections of the search index) come from the config, are text wherever they are shown,
//! and an unknown key is a finding like any other misspelt setting.

use crate::support::Project;
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every label named, none in the English of the defaults.
const GERMAN: &str = "\
title: Betrieb
language: de
labels:
  home: Startseite
  overview: Überblick
  reference: Nachschlagen
  deployment_page: RASCI und Zuständigkeiten
  deployment_title: RASCI für den Betrieb
  compare: Bereitstellungen vergleichen
  glossary: Glossar
  not_found: Seite nicht gefunden
  task: Aufgabe
";

/// A label that would close the navigation script, or open an element, were it not text.
const HOSTILE: &str = "</script><b>x";

/// The example project (two deployments, guides, parties, a glossary) with `config` as
/// its `rasci.yaml`, built in memory: path → bytes.
use crate::support::build_clean as build;

fn build_example(config: &str) -> BTreeMap<String, Vec<u8>> {
    let project = Project::example().file("rasci.yaml", config).build();
    build(&project)
}

fn text<'f>(files: &'f BTreeMap<String, Vec<u8>>, path: &str) -> &'f str {
    std::str::from_utf8(&files[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The JSON a site script assigns to `window.<global>`, read back as a script reads it
/// (`<\!` in a script string is `<!`).
fn script_data(script: &str, global: &str) -> Value {
    // The first statement: the search index's script sets its table of stems after it.
    let json = script
        .split_once(";\n")
        .and_then(|(first, _)| first.strip_prefix(&format!("window.{global} = ")))
        .unwrap_or_else(|| panic!("the script sets window.{global}"));
    serde_json::from_str(&json.replace("<\\!", "<!")).unwrap()
}

/// Group titles and item titles of `static/js/nav.js`.
fn nav_titles(files: &BTreeMap<String, Vec<u8>>) -> (Vec<String>, Vec<String>) {
    let tree = script_data(text(files, "static/js/nav.js"), "RASCI_NAV");
    let groups = tree.as_array().unwrap();
    let group_titles = groups
        .iter()
        .map(|g| g["t"].as_str().unwrap().to_string())
        .collect();
    let item_titles = groups
        .iter()
        .flat_map(|g| g["i"].as_array().unwrap())
        .map(|item| item[0].as_str().unwrap().to_string())
        .collect();
    (group_titles, item_titles)
}

/// The search index's entries.
fn search_entries(files: &BTreeMap<String, Vec<u8>>) -> Vec<Value> {
    crate::support::search_entries(files)
}

/// The text of every element `selector` finds in the page at `path`.
fn texts_of(files: &BTreeMap<String, Vec<u8>>, path: &str, selector: &str) -> Vec<String> {
    let page = Html::parse_document(text(files, path));
    page.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect())
        .collect()
}

#[test]
fn labels_in_another_language_name_the_navigation_breadcrumb_titles_and_search() {
    let files = build_example(GERMAN);

    let (groups, items) = nav_titles(&files);
    assert_eq!(groups.first().map(String::as_str), Some("Überblick"));
    assert_eq!(groups.last().map(String::as_str), Some("Nachschlagen"));
    for label in [
        "Startseite",
        "RASCI und Zuständigkeiten",
        "Bereitstellungen vergleichen",
        "Glossar",
    ] {
        assert!(items.iter().any(|t| t == label), "{label}: {items:#?}");
    }
    for english in [
        "Home",
        "Overview",
        "Reference",
        "RASCI and responsibilities",
        "Compare deployments",
        "Glossary",
    ] {
        assert!(
            !groups.iter().chain(&items).any(|t| t == english),
            "{english} is left in the navigation"
        );
    }

    // The breadcrumb starts at the home page under its label, on every page but home.
    for path in [
        "glossary/index.html",
        "cloud/index.html",
        "compare/index.html",
    ] {
        let crumbs = texts_of(&files, path, "nav.breadcrumb a");
        assert_eq!(
            crumbs.first().map(String::as_str),
            Some("Startseite"),
            "{path}"
        );
    }
    assert_eq!(
        texts_of(
            &files,
            "glossary/index.html",
            "nav.breadcrumb [aria-current]"
        ),
        ["Glossar"]
    );

    for (path, title) in [
        ("glossary/index.html", "Glossar · Betrieb"),
        (
            "compare/index.html",
            "Bereitstellungen vergleichen · Betrieb",
        ),
        ("404.html", "Seite nicht gefunden · Betrieb"),
        (
            "cloud/index.html",
            "Dialogue Cloud: RASCI für den Betrieb · Betrieb",
        ),
    ] {
        assert_eq!(texts_of(&files, path, "head > title"), [title], "{path}");
    }

    let entries = search_entries(&files);
    let glossary = entries
        .iter()
        .find(|e| e["u"] == "glossary/index.html")
        .expect("the glossary is searchable");
    assert_eq!(
        (&glossary["t"], &glossary["s"]),
        (&"Glossar".into(), &"Nachschlagen".into())
    );
    let task_sections: Vec<&str> = entries
        .iter()
        .filter(|e| e["u"].as_str().unwrap().contains("#task-"))
        .map(|e| e["s"].as_str().unwrap())
        .collect();
    assert!(!task_sections.is_empty());
    assert!(
        task_sections.iter().all(|s| s.ends_with(" · Aufgabe")),
        "{task_sections:#?}"
    );
    assert!(
        entries.iter().all(|e| e["s"] != "Reference"),
        "the English section is left in the search index"
    );
}

#[test]
fn a_label_holding_markup_stays_text() {
    let config = format!(
        "title: Ops\nlabels:\n  home: '{HOSTILE}'\n  reference: '{HOSTILE}'\n  glossary: '{HOSTILE}'\n"
    );
    let files = build_example(&config);

    for script in ["static/js/nav.js", "search-index.js"] {
        let js = if script == "search-index.js" {
            crate::support::search_scripts(&files)
        } else {
            text(&files, script).to_string()
        };
        assert!(
            !js.to_ascii_lowercase().contains("</script"),
            "{script}: {js}"
        );
    }
    let (groups, items) = nav_titles(&files);
    assert!(groups.iter().any(|t| t == HOSTILE), "{groups:#?}");
    assert!(items.iter().any(|t| t == HOSTILE), "{items:#?}");
    let entries = search_entries(&files);
    let glossary = entries
        .iter()
        .find(|e| e["u"] == "glossary/index.html")
        .unwrap();
    assert_eq!(
        (&glossary["t"], &glossary["s"]),
        (&HOSTILE.into(), &HOSTILE.into())
    );

    // In the pages: shown as the same characters, never parsed as an element.
    let page = "glossary/index.html";
    assert_eq!(
        texts_of(&files, page, "nav.breadcrumb a")
            .first()
            .map(String::as_str),
        Some(HOSTILE)
    );
    assert_eq!(
        texts_of(&files, page, "head > title"),
        [format!("{HOSTILE} · Ops")]
    );
    assert!(
        texts_of(&files, page, "b").is_empty(),
        "a <b> element was made"
    );
    assert!(!text(&files, page).contains("<b>x"));
}

#[test]
fn an_unknown_label_is_a_finding_at_its_key() {
    let project = Project::base()
        .file(
            "rasci.yaml",
            "title: x\nlabels:\n  home: Start\n  hoem: Start\n",
        )
        .build();
    let checked = project.check();
    assert_ne!(checked.code, 0);
    checked.one_at("yaml/unknown-field", "rasci.yaml", 4, 3);
}

#[test]
fn labels_left_out_keep_their_english_default() {
    let files = build_example("title: Ops\nlabels:\n  home: Start\n");
    let (groups, items) = nav_titles(&files);
    assert_eq!(groups.first().map(String::as_str), Some("Overview"));
    assert!(items.iter().any(|t| t == "Start"), "{items:#?}");
    assert!(items.iter().any(|t| t == "Glossary"), "{items:#?}");
}
