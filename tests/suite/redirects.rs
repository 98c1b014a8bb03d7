//! Addresses kept when things move: `aliases:` of content pages (earlier addresses) and of
//! scopes, models, parties, sections and tasks (former ids) give redirect pages or
//! anchors, the sitemap lists only the pages, and two things claiming one address is
//! `id/address-taken`, found by plain `rasci check`.

use crate::support::{Project, build_clean, page, page_source, sel};

type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// Where the redirect page at `path` sends the reader, with its canonical address; it
/// refreshes there at once, links there, is not indexed and runs no script.
fn redirect(files: &Files, path: &str) -> (String, String) {
    let doc = page(files, path);
    let attr = |selector: &str, name: &str| -> String {
        doc.select(&sel(selector))
            .next()
            .unwrap_or_else(|| panic!("{path} has no {selector}"))
            .value()
            .attr(name)
            .unwrap()
            .to_string()
    };
    let target = attr("meta[http-equiv=refresh]", "content")
        .strip_prefix("0; url=")
        .unwrap()
        .to_string();
    assert_eq!(attr("body a", "href"), target, "{path}");
    assert_eq!(attr("meta[name=robots]", "content"), "noindex", "{path}");
    assert!(!page_source(files, path).contains("<script"), "{path}");
    (target, attr("link[rel=canonical]", "href"))
}

fn aliased() -> Project {
    Project::base()
        .file(
            "rasci.yaml",
            "title: Aliases\nbase_url: https://docs.example.com/hub\n",
        )
        .file(
            "data/scopes.yaml",
            "scopes:\n  - id: main\n    name: Main\n    sections: [general]\n    aliases: [legacy]\n",
        )
        .file(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Vendor\n    aliases: [supplier]\n  - id: customer\n    name: Customer\n",
        )
        .file(
            "data/tasks.yaml",
            "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        aliases: [operate, run-it]\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
        )
        .file(
            "content/guide.md",
            "---\ntitle: A guide\naliases: [/old/guide/, /older]\n---\n\nText.\n",
        )
}

#[test]
fn aliases_and_former_ids_keep_their_addresses_as_redirect_pages() {
    let project = aliased().build();
    let files = build_clean(project.root());
    let base = "https://docs.example.com/hub/";
    for (path, target, canonical) in [
        (
            "old/guide/index.html",
            "../../main/guide/index.html",
            "main/guide/",
        ),
        (
            "older/index.html",
            "../main/guide/index.html",
            "main/guide/",
        ),
        ("legacy/index.html", "../main/index.html", "main/"),
        (
            "legacy/guide/index.html",
            "../../main/guide/index.html",
            "main/guide/",
        ),
        (
            "parties/supplier/index.html",
            "../../parties/vendor/index.html",
            "parties/vendor/",
        ),
    ] {
        assert_eq!(
            redirect(&files, path),
            (target.to_string(), format!("{base}{canonical}")),
            "{path}"
        );
        assert!(
            files.contains_key(target.trim_start_matches("../")),
            "{target}"
        );
    }
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    assert!(
        sitemap.contains(&format!("<loc>{base}main/guide/</loc>")),
        "{sitemap}"
    );
    for moved in ["old/guide/", "older/", "legacy/", "parties/supplier/"] {
        assert!(
            !sitemap.contains(&format!("{base}{moved}<")),
            "{moved} in {sitemap}"
        );
    }
    // A former task id is an anchor at the start of the task's row.
    let doc = page(&files, "main/index.html");
    let row = doc.select(&sel("tr#task-run")).next().expect("the row");
    let anchors: Vec<&str> = row
        .select(&sel("th span[id]"))
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(anchors, ["task-operate", "task-run-it"]);
}

#[test]
fn a_redirect_page_comes_from_the_theme() {
    let project = aliased()
        .file(
            "templates/pages/redirect.html",
            "<!DOCTYPE html><title>{{ title }}</title><meta http-equiv=\"refresh\" content=\"0; url={{ target }}\">\
             <link rel=\"canonical\" href=\"{{ canonical }}\"><meta name=\"robots\" content=\"noindex\">\
             <p class=\"own\"><a href=\"{{ target }}\">{{ title }}</a></p>",
        )
        .build();
    let files = build_clean(project.root());
    let doc = page(&files, "older/index.html");
    assert_eq!(doc.select(&sel("p.own a")).count(), 1);
}

#[test]
fn an_alias_that_is_no_address_of_the_site_is_a_located_error() {
    let project = Project::base()
        .file(
            "content/guide.md",
            "---\ntitle: A guide\naliases:\n  - /ok/\n  - /../up/\n  - https://elsewhere.example/\n  - old/page/\n  - /static/css/\n  - /Upper/\n---\n\nText.\n",
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let found = checked.with_rule("content/front-matter");
    let lines: Vec<(u64, u64)> = found
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [(5, 5), (6, 5), (7, 5), (8, 5), (9, 5)],
        "{found:#?}"
    );
    // The valid alias stays; the others give no file.
    let files = build_lenient(project.root());
    assert!(files.contains_key("ok/index.html"));
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with("up/") || p.contains("elsewhere"))
    );
}

/// The site even with errors, as `build` makes it before refusing to write it.
fn build_lenient(root: &std::path::Path) -> Files {
    let built = rasci::pipeline::build(root).expect("the project loads");
    built
        .site
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect()
}

#[test]
fn two_things_claiming_one_address_is_an_error_naming_both() {
    // A page's alias that is another page's address, and two aliases of one address.
    let project = Project::base()
        .file(
            "content/guide.md",
            "---\ntitle: A guide\naliases: [/main/other/]\n---\n\nText.\n",
        )
        .file(
            "content/other.md",
            "---\ntitle: Other\naliases: [/gone/]\n---\n\nText.\n",
        )
        .file(
            "content/third.md",
            "---\ntitle: Third\naliases: [/gone]\n---\n\nText.\n",
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let found = checked.with_rule("id/address-taken");
    assert_eq!(found.len(), 2, "{found:#?}");
    let taken = found
        .iter()
        .find(|d| d["file"] == "content/guide.md")
        .expect("the alias of another page's address");
    assert_eq!(
        (taken["line"].as_u64(), taken["column"].as_u64()),
        (Some(3), Some(11))
    );
    let message = taken["message"].as_str().unwrap();
    assert!(
        message.contains("/main/other/") && message.contains("Other"),
        "{message}"
    );
    let twice = found
        .iter()
        .find(|d| d["file"] == "content/third.md")
        .expect("the second alias of one address");
    let text = serde_json::to_string(twice).unwrap();
    assert!(text.contains("content/other.md"), "names the first: {text}");
}
