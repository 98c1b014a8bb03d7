//! Hostile input: markup in the data stays text on every page, in the drawings, the
//! search index and the downloads; raw HTML in content pages is sanitised, with a warning
//! at its line, unless the project trusts it; CSV cells never start a formula.

use crate::support::{self, page, sel, text};
use assert_cmd::Command;
use rasci::diagnostic::Severity;
use scraper::Html;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Every attack in one string: a script, an attribute breaking out of its quotes with an
/// event handler, a closing script tag, and a script address.
const EVIL: &str =
    "<script>alert(1)</script> \"><img src=x onerror=alert(1)> </script> javascript:alert(1)";

/// The hostile value for the field marked `tag`, e.g. `F6 <script>…`.
fn evil(tag: &str) -> String {
    format!("{tag} {EVIL}")
}

/// As a single-quoted YAML scalar.
fn yaml(tag: &str) -> String {
    format!("'{}'", evil(tag).replace('\'', "''"))
}

/// Replaces `from` by `to` in a file of the project, which must hold it.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not hold {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The example project with a hostile string in one field of every kind of data.
fn hostile_example(dir: &TempDir) -> PathBuf {
    let root = support::copy_example(dir.path());
    let edits: &[(&str, &str, String)] = &[
        (
            "rasci.yaml",
            "title: GoLive! Operational Support",
            format!("title: {}", yaml("F0")),
        ),
        (
            "rasci.yaml",
            "description: Who does what in operational support for Anywhere365, per deployment.",
            format!("description: {}", yaml("F1")),
        ),
        (
            "data/parties.yaml",
            "name: Anywhere365",
            format!("name: {}", yaml("P1")),
        ),
        (
            "data/parties.yaml",
            "description: The vendor of the Anywhere365 contact-centre applications and of Dialogue Cloud.",
            format!("description: {}", yaml("F2")),
        ),
        (
            "data/scopes.yaml",
            "name: Dialogue Cloud",
            format!("name: {}", yaml("F3")),
        ),
        (
            "data/scopes.yaml",
            "description: Anywhere365 hosted by Anywhere365 in its Dialogue Cloud.",
            format!("description: {}", yaml("F4")),
        ),
        (
            "data/tasks.yaml",
            "title: Dialogue Cloud deployment specific",
            format!("title: {}", yaml("F5")),
        ),
        (
            "data/tasks.yaml",
            "title: Prime contact for end-users of Anywhere365",
            format!("title: {}", yaml("F6")),
        ),
        (
            "data/summaries.yaml",
            "title: Anywhere365 Responsibility Summary",
            format!("title: {}", yaml("F7")),
        ),
        (
            "data/summaries.yaml",
            "text: On-line documentation (https://golive.anywhere365.io/)",
            format!("text: {}", yaml("F8")),
        ),
        (
            "data/summaries.yaml",
            "heading: Anywhere365 Dialogue Cloud specific",
            format!("heading: {}", yaml("F9")),
        ),
        (
            "data/glossary.yaml",
            "term: CRM",
            format!("term: {}", yaml("F11")),
        ),
        (
            "data/glossary.yaml",
            "Session Border Controller: the network device",
            evil("F12"),
        ),
        (
            "data/glossary.yaml",
            "source: Microsoft documentation",
            format!("source: {}", yaml("F13")),
        ),
        (
            "data/systems.yaml",
            "name: Anywhere365 back-end",
            format!("name: {}", yaml("F14")),
        ),
        (
            "data/systems.yaml",
            "description: The Anywhere365 services that route and handle the dialogues.",
            format!("description: {}", yaml("F15")),
        ),
        (
            "data/systems.yaml",
            "label: Microsoft 365 / Teams",
            format!("label: {}", yaml("F16")),
        ),
        (
            "data/flows.yaml",
            "title: Support flow",
            format!("title: {}", yaml("F17")),
        ),
        (
            "data/flows.yaml",
            "description: How an incident travels from an end-user to Anywhere365 and back.",
            format!("description: {}", yaml("F18")),
        ),
        (
            "data/flows.yaml",
            "name: Customer L1 staff",
            format!("name: {}", yaml("F19")),
        ),
        (
            "data/flows.yaml",
            "text: Handle the problem internally",
            format!("text: {}", yaml("F20")),
        ),
        (
            "data/flows.yaml",
            "label: \"No\"",
            format!("label: {}", yaml("F21")),
        ),
        (
            "content/reading-the-matrix.md",
            "title: Reading the matrix",
            format!("title: {}", yaml("F22")),
        ),
    ];
    for (file, from, to) in edits {
        edit(&root, file, from, to);
    }
    root
}

/// Builds in memory; no error findings allowed.
fn build(root: &Path) -> rasci::pipeline::Build {
    build_allowing(root, &[])
}

/// Builds in memory; no error findings allowed but those of the rules named.
fn build_allowing(root: &Path, allowed: &[&str]) -> rasci::pipeline::Build {
    let built = rasci::pipeline::build(root).expect("the project loads");
    let errors: Vec<String> = built
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !allowed.contains(&d.rule.as_str()))
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    built
}

/// The texts of the elements matching `selector`.
fn texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&sel(selector)).map(text).collect()
}

fn assert_has(html: &Html, selector: &str, tag: &str) {
    let want = evil(tag);
    let found = texts(html, selector);
    assert!(
        found.contains(&want),
        "no `{selector}` with the text {want:?}; found {found:#?}"
    );
}

/// The theme's scripts (and the generated navigation) are the only ones; no element carries an event handler, an
/// address that runs code, or a frame; the hostile image is nowhere.
fn assert_no_markup_from_data(path: &str, html: &Html) {
    let scripts: Vec<String> = html
        .select(&sel("script"))
        .map(|s| s.value().attr("src").unwrap_or("inline").to_string())
        .collect();
    let theme: Vec<&str> = scripts
        .iter()
        .map(|s| s.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        theme,
        ["inline", "nav.js", "site.js", "search.js"],
        "{path}: scripts {scripts:?}"
    );
    let inline = html.select(&sel("head script")).next().unwrap();
    assert!(
        inline
            .inner_html()
            .starts_with("(function(){var d=document.documentElement;"),
        "{path}: the inline script is not the theme's"
    );
    for el in html.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{path}: <{} {name}={value:?}>",
                el.value().name()
            );
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !squeezed.starts_with("javascript:") && !squeezed.starts_with("vbscript:"),
                "{path}: <{} {name}={value:?}>",
                el.value().name()
            );
        }
    }
    for selector in [
        "iframe",
        "object",
        "embed",
        "img[src=x]",
        "article svg[onload]",
    ] {
        assert_eq!(html.select(&sel(selector)).count(), 0, "{path}: {selector}");
    }
}

#[test]
fn markup_in_data_is_text_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_example(&dir);
    let built = build(&root);
    let files = &built.site.files;

    let mut pages = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let source = std::str::from_utf8(bytes).unwrap();
        for raw in ["<script>alert", "<img src=x", "\"><img"] {
            assert!(!source.contains(raw), "{path} holds {raw:?} unescaped");
        }
        assert_no_markup_from_data(path, &Html::parse_document(source));
        pages += 1;
    }
    assert!(pages > 10, "only {pages} pages");

    let home = page(files, "index.html");
    assert_has(&home, "title", "F0");
    assert_has(&home, ".card-deployment .card-title", "F3");
    assert_has(&home, ".card-deployment .card-text", "F4");
    assert_has(&home, ".cards-small .card-title", "P1");
    assert_has(&home, ".cards-small .card-text", "F2");
    let footer = texts(&home, ".page-footer p");
    assert_eq!(footer[0], format!("{} · {}", evil("F0"), evil("F1")));

    let cloud = page(files, "cloud/index.html");
    assert_has(&cloud, "th[scope=row]", "F6");
    assert_has(&cloud, "tr.section-row th", "F5");
    assert_has(&cloud, "thead th[scope=col] a", "P1");
    assert_has(&cloud, "section.summary h3", "F7");
    assert_has(&cloud, "section.summary li", "F8");
    assert_has(&cloud, "strong.summary-heading", "F9");
    assert_has(&cloud, ".systems .system-name", "F14");
    assert_has(&cloud, ".systems p.muted", "F15");
    assert_has(&cloud, "h2", "F17");
    assert_has(&cloud, ".flow-steps .lane", "F19");
    assert_has(&cloud, ".branches strong", "F21");
    assert_has(&cloud, ".page-header .eyebrow", "F3");
    assert_has(&cloud, "figure.diagram svg title", "F17");
    let steps = texts(&cloud, ".flow-steps li.flow-step");
    assert!(steps.iter().any(|s| s.contains(&evil("F20"))), "{steps:#?}");
    let flow_text = texts(&cloud, "h2 + p");
    assert!(flow_text.contains(&evil("F18")), "{flow_text:#?}");
    assert_has(&cloud, ".nav-group summary", "F3");
    assert_has(&cloud, ".nav-group a", "F22");

    let party = page(files, "parties/anywhere365/index.html");
    assert_has(&party, "h1", "P1");
    assert_has(&party, "p.lead", "F2");
    let description = party
        .select(&sel("meta[name=description]"))
        .next()
        .unwrap()
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(description, evil("F2"));

    let glossary = page(files, "glossary/index.html");
    assert_has(&glossary, "dt", "F11");
    let definitions = texts(&glossary, "dd p");
    assert!(
        definitions.iter().any(|d| d.starts_with(&evil("F12"))),
        "{definitions:#?}"
    );
    assert!(definitions.contains(&format!("Source: {}", evil("F13"))));

    let guide = page(files, "cloud/reading-the-matrix/index.html");
    assert_eq!(
        texts(&guide, "title"),
        // The guide's title, its deployment's name, the site's title.
        [format!("{} · {} · {}", evil("F22"), evil("F3"), evil("F0"))]
    );
    assert_has(&guide, ".breadcrumb [aria-current=page]", "F22");
}

#[test]
fn markup_in_data_is_text_in_the_drawings() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_example(&dir);
    let built = build(&root);
    let mut seen = String::new();
    for (path, bytes) in built.site.files.iter().filter(|(p, _)| p.ends_with(".svg")) {
        let source = std::str::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(source)
            .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert_ne!(node.tag_name().name(), "script", "{path}");
            assert_ne!(node.tag_name().name(), "foreignObject", "{path}");
            for attribute in node.attributes() {
                assert!(!attribute.name().starts_with("on"), "{path}: {attribute:?}");
                assert!(
                    !attribute.value().contains("javascript:"),
                    "{path}: {attribute:?}"
                );
            }
        }
        // Wrapped lines split the text at spaces (and cut long words): compare without
        // white space.
        for node in doc.descendants().filter(|n| n.is_text()) {
            seen.push_str(node.text().unwrap());
        }
        seen.push('\n');
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        if path.contains("flow") {
            assert_eq!(titles, [evil("F17")], "{path}");
        }
    }
    let squeezed: String = seen.chars().filter(|c| !c.is_whitespace()).collect();
    for tag in ["F14", "F16", "F19", "F20", "F21", "P1"] {
        let want: String = evil(tag).chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squeezed.contains(&want),
            "no {tag} in the drawings:\n{seen}"
        );
    }
}

#[test]
fn markup_in_data_is_text_in_the_search_index_and_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_example(&dir);
    let built = build(&root);
    let files = &built.site.files;

    let js = crate::support::search_scripts(files);
    assert!(!js.to_ascii_lowercase().contains("</script"), "{js}");
    assert!(!js.contains("<!--"));
    let entries = crate::support::search_entries(files);
    let titles: Vec<&str> = entries.iter().map(|e| e["t"].as_str().unwrap()).collect();
    assert!(titles.contains(&evil("F6").as_str()), "{titles:#?}");
    assert!(titles.contains(&evil("F22").as_str()), "{titles:#?}");

    let csv = std::str::from_utf8(&files["cloud/rasci-cloud.csv"]).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert!(header.contains(&evil("P1")), "{header:?}");
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert!(rows.iter().any(|r| r[1] == evil("F6")), "{rows:#?}");
    assert!(rows.iter().any(|r| r[0] == evil("F5")), "{rows:#?}");

    let export: serde_json::Value =
        serde_json::from_slice(&files["cloud/rasci-cloud.json"]).unwrap();
    assert_eq!(export["parties"][0]["name"], evil("P1"));
    assert_eq!(export["scopes"][0]["name"], evil("F3"));
}

// ---------------------------------------------------------------------------------------
// CSV formulas.

#[test]
fn csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let root = support::copy_example(dir.path());
    edit(
        &root,
        "data/parties.yaml",
        "name: Customer",
        "name: '@SUM(1+1)'",
    );
    edit(
        &root,
        "data/tasks.yaml",
        "title: Dialogue Cloud deployment specific",
        "title: '-2+3'",
    );
    edit(
        &root,
        "data/tasks.yaml",
        "title: Prime contact for end-users of Anywhere365",
        "title: '=HYPERLINK(\"https://example.com\",\"x\")'",
    );
    edit(
        &root,
        "data/tasks.yaml",
        "title: Provide the Anywhere365 tenant",
        "title: '+1'",
    );
    let site = build(&root).site;
    let from_cli = Command::cargo_bin("rasci")
        .unwrap()
        .args(["export", "--format", "csv", "--scope", "cloud", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(from_cli.status.code(), Some(0));
    for csv in [
        site.files["cloud/rasci-cloud.csv"].to_vec(),
        from_cli.stdout,
    ] {
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert!(header.contains(&"'@SUM(1+1)".to_string()), "{header:?}");
        let cells: Vec<String> = reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .collect();
        for want in ["'-2+3", "'=HYPERLINK(\"https://example.com\",\"x\")", "'+1"] {
            assert!(cells.iter().any(|c| c == want), "no {want:?} in {cells:#?}");
        }
        for cell in header.iter().chain(&cells) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    // The pages show the titles as written.
    let cloud = page(&site.files, "cloud/index.html");
    assert!(
        texts(&cloud, "th[scope=row]")
            .contains(&"=HYPERLINK(\"https://example.com\",\"x\")".to_string())
    );
}

// ---------------------------------------------------------------------------------------
// Raw HTML in content pages.

const HOSTILE_PAGE: &str = "---
title: Hostile page
---

Intro text.

<script>alert(1)</script>

A picture <img src=\"https://example.com/x.png\" onerror=alert(1)> inline.

[click me](javascript:alert(1)) and ![pic](data:text/html,x)

<iframe src=\"https://example.com\"></iframe>

<svg onload=alert(1)><circle r=\"1\"/></svg>

<a href=\"jav&#x09;ascript:alert(1)\">tabbed</a>

<details><summary>More</summary>

Kept *text* with <kbd>Ctrl</kbd>, H<sub>2</sub>O, <abbr title=\"Session Initiation Protocol\">SIP</abbr>.

</details>

| a | b |
|---|---|
| <img src=\"data:image/png;base64,AAAA\" alt=\"dot\"> | <span onclick=\"x()\">cell</span> |

> [!NOTE]
> An alert with <b onmouseover=\"x()\">bold</b>.

{{ legend() }}

## Notes

```yaml
key: <script>
```
";

fn hostile_page_project(dir: &TempDir, trust: bool) -> PathBuf {
    let root = support::copy_example(dir.path());
    std::fs::write(root.join("content/hostile.md"), HOSTILE_PAGE).unwrap();
    if trust {
        let config = std::fs::read_to_string(root.join("rasci.yaml")).unwrap();
        std::fs::write(
            root.join("rasci.yaml"),
            format!("{config}content:\n  trust_html: true\n"),
        )
        .unwrap();
    }
    root
}

/// `(rule, line, message)` of the findings about `content/hostile.md`.
fn page_findings(built: &rasci::pipeline::Build) -> Vec<(&'static str, usize, String)> {
    built
        .findings
        .diagnostics
        .iter()
        .filter_map(|d| {
            let label = d.primary.as_ref()?;
            let path = built.project.sources.path(label.span.file);
            (path == "content/hostile.md").then(|| {
                let at = built.project.sources.start(label.span);
                (d.rule.as_str(), at.line, d.message.clone())
            })
        })
        .collect()
}

#[test]
fn raw_html_in_content_is_sanitised_with_a_warning_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_page_project(&dir, false);
    let built = build(&root);
    let findings = page_findings(&built);
    let at: Vec<(&str, usize)> = findings.iter().map(|(r, l, _)| (*r, *l)).collect();
    assert_eq!(
        at,
        [
            ("content/unsafe-html", 7),
            ("content/unsafe-html", 9),
            ("content/unsafe-url", 11),
            ("content/unsafe-url", 11),
            ("content/unsafe-html", 13),
            ("content/unsafe-html", 15),
            ("content/unsafe-url", 17),
            ("content/unsafe-html", 27),
            ("content/unsafe-html", 30),
        ],
        "{findings:#?}"
    );
    assert!(findings.iter().all(|(r, ..)| {
        rasci::diagnostic::RuleId::from_id(r)
            .is_some_and(|rule| rule.default_severity() == Severity::Warning)
    }));
    let messages: Vec<&str> = findings.iter().map(|(_, _, m)| m.as_str()).collect();
    assert!(messages[0].contains("`<script>`"), "{messages:#?}");
    assert!(messages[1].contains("`onerror`"), "{messages:#?}");
    assert!(messages[2].contains("`javascript:`"), "{messages:#?}");
    assert!(messages[3].contains("data:"), "{messages:#?}");
    assert!(messages[4].contains("`<iframe>`"), "{messages:#?}");
    assert!(messages[5].contains("`<svg>`"), "{messages:#?}");
    assert!(messages[7].contains("`onclick`"), "{messages:#?}");
    assert!(messages[8].contains("`onmouseover`"), "{messages:#?}");

    let html = page(&built.site.files, "cloud/hostile/index.html");
    assert_no_markup_from_data("cloud/hostile/index.html", &html);
    let article = html.select(&sel("article")).next().unwrap();
    for gone in [
        "script",
        "iframe",
        "svg",
        "circle",
        "img[src=x]",
        "[onclick]",
        "[onmouseover]",
    ] {
        assert_eq!(article.select(&sel(gone)).count(), 0, "{gone}");
    }
    let links: Vec<String> = article
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(
        links
            .iter()
            .all(|l| !l.contains("script:") && !l.starts_with("data:")),
        "{links:?}"
    );
    let body = text(article);
    assert!(
        body.contains("click me"),
        "the dropped link keeps its text: {body}"
    );
    assert!(body.contains("tabbed"));
    assert!(!body.contains("alert(1)"), "{body}");
    // What Markdown and the theme need stays.
    for kept in [
        "details > summary",
        "kbd",
        "sub",
        "abbr[title=\"Session Initiation Protocol\"]",
        "table td img[src^=\"data:image/png\"]",
        "div.alert.alert-note[role=note] > p.alert-title > span.alert-icon",
        "div.alert b",
        "dl.legend abbr.badge",
        "h2#notes > a.anchor[href=\"#notes\"]",
        "pre.code[data-lang=yaml] span",
        "p em",
    ] {
        assert_eq!(
            article.select(&sel(kept)).count().min(1),
            1,
            "{kept} is gone"
        );
    }
    let code = text(article.select(&sel("pre.code")).next().unwrap());
    assert_eq!(code, "key: <script>");
}

#[test]
fn trusted_raw_html_stays_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_page_project(&dir, true);
    // The trusted `<a href="jav&#x09;ascript:…">` is kept, and the link check reads it
    // as a page of the site.
    let built = build_allowing(&root, &["link/broken"]);
    let findings = page_findings(&built);
    assert!(
        findings
            .iter()
            .all(|(rule, ..)| *rule == "content/unsafe-url"),
        "only Markdown links are checked when the HTML is trusted: {findings:#?}"
    );
    // Markdown links that run code are still dropped.
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let html = page(&built.site.files, "cloud/hostile/index.html");
    let article = html.select(&sel("article")).next().unwrap();
    for kept in [
        "script",
        "iframe",
        "svg[onload]",
        "img[onerror]",
        "span[onclick]",
    ] {
        assert_eq!(article.select(&sel(kept)).count(), 1, "{kept} was removed");
    }
    let script = article.select(&sel("script")).next().unwrap();
    assert_eq!(script.inner_html(), "alert(1)");
}

#[test]
fn markdown_links_in_data_that_run_code_are_dropped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = support::copy_example(dir.path());
    edit(
        &root,
        "data/tasks.yaml",
        "title: Prime contact for end-users of Anywhere365",
        "title: 'Prime [contact](javascript:alert(1)) <b onclick=\"x()\">now</b>'",
    );
    let built = build(&root);
    let findings: Vec<(&str, String)> = built
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_str().starts_with("content/unsafe"))
        .map(|d| {
            let label = d.primary.as_ref().unwrap();
            let at = built.project.sources.start(label.span);
            (
                d.rule.as_str(),
                format!(
                    "{}:{}",
                    built.project.sources.path(label.span.file),
                    at.line
                ),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [("content/unsafe-url", "data/tasks.yaml:6".to_string())],
        "one finding, at the title, however many pages show it"
    );
    let cloud = page(&built.site.files, "cloud/index.html");
    assert!(
        texts(&cloud, "th[scope=row]")
            .contains(&"Prime contact <b onclick=\"x()\">now</b>".to_string())
    );
    assert_no_markup_from_data("cloud/index.html", &cloud);
}

/// A view shows data texts; a shortcode in one would make the view render itself
/// without end. In data, shortcodes are text.
#[test]
fn shortcodes_in_data_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = support::copy_example(dir.path());
    edit(
        &root,
        "data/summaries.yaml",
        "text: On-line documentation (https://golive.anywhere365.io/)",
        "text: '{{ summaries() }}'",
    );
    edit(
        &root,
        "data/tasks.yaml",
        "title: Prime contact for end-users of Anywhere365",
        "title: '{{ rasci_table(scope=\"cloud\") }}'",
    );
    let built = build(&root);
    let cloud = page(&built.site.files, "cloud/index.html");
    assert!(texts(&cloud, "section.summary li").contains(&"{{ summaries() }}".to_string()));
    assert!(
        texts(&cloud, "th[scope=row]").contains(&"{{ rasci_table(scope=\"cloud\") }}".to_string())
    );
    assert_eq!(cloud.select(&sel("table.rasci")).count(), 1);
}

/// The fixture pairs of the two content rules: the bad page raises its rule in `build`,
/// the good one builds without findings.
#[test]
fn content_rule_fixtures_raise_their_rule() {
    for rule in ["unsafe-html", "unsafe-url"] {
        let bad = build(&support::rule_fixture(&format!("content/{rule}"), "bad"));
        let rules: Vec<&str> = bad
            .findings
            .diagnostics
            .iter()
            .map(|d| d.rule.as_str())
            .collect();
        assert!(
            rules.contains(&format!("content/{rule}").as_str()),
            "{rule}: {rules:?}"
        );
        let good = build(&support::rule_fixture(&format!("content/{rule}"), "good"));
        assert!(
            good.findings.diagnostics.is_empty(),
            "{rule}: {:#?}",
            good.findings.diagnostics
        );
    }
}
