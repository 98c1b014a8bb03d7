//! Bounded fuzzing of Markdown rendering, and its limits.
//!
//! Random Markdown built from hostile pieces (raw HTML, scripts, handlers, addresses
//! that run code, shortcodes, headings, alerts, code fences, forged placeholders) and
//! mutated at random: rendering never panics, and the sanitised page never holds a
//! script, a frame, SVG or MathML, an event handler or an address that runs code.
//!
//! The number of cases is `PROPTEST_CASES` (default 256; whole-site builds get one
//! sixteenth of it), so a longer run is
//! `PROPTEST_CASES=20000 cargo test --release --test suite fuzz::`.

use crate::support::{Project, sel};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scraper::{ElementRef, Html};

/// Cases per property: `PROPTEST_CASES`, else `default`.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub(crate) fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"data:image/png;base64,AAAA\" alt=ok>",
    "<img srcset=\"javascript:alert(1)\">",
    "<iframe src=javascript:alert(1)></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">b</a>",
    "<a href=\"&#106;avascript:alert(1)\">c</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>",
    "<a href=\"vbscript:msgbox(1)\">e</a>",
    "<a href=\"https://example.com\" onclick=\"x()\">f</a>",
    "[x](javascript:alert(1))",
    "[y](JAVASCRIPT:alert(1) \"t\")",
    "![z](data:text/html,<script>alert(1)</script>)",
    "<javascript:alert(1)>",
    "<style>*{color:red}</style>",
    "<p style=\"background:url(javascript:alert(1))\">p</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>go</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:/>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<input type=text onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)><summary>s</summary>",
    "</details>",
    "<kbd>Ctrl</kbd>",
    "<abbr title=\"x\">X</abbr>",
    "<div title=\"",
    "\"",
    "'",
    "<!--",
    "-->",
    "<table><tr><td>",
    "</td></tr></table>",
    "# Title",
    "## Notes",
    "### Notes {#notes}",
    "## Id {#x\"onmouseover=\"alert(1)}",
    "{{ legend() }}",
    "{{ rasci_table(scope=\"cloud\") }}",
    "{{ diagram(flow=\"support\") }}",
    "{{",
    "}}",
    "> [!NOTE]",
    "> [!WARNING]",
    "```js",
    "```",
    "    indented code <script>",
    "`code <script>`",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | d |",
    "- [ ] task",
    "- [x] done",
    "[^1]",
    "[^1]: note <script>alert(1)</script>",
    "*em* **strong** ~~del~~",
    "&lt;script&gt;",
    "\u{FDD0}0\u{FDD1}",
    "\u{FDD0}",
    "tenant SIP https://example.com/a\"onmouseover=alert(1)",
    "text",
];

const GLUE: &[&str] = &["", " ", "\n", "\n\n", "\n> ", "\n- ", "\n    "];

/// Markdown from hostile pieces, then mutated: characters inserted, bytes cut.
fn markdown() -> impl Strategy<Value = String> {
    let piece =
        (0..PIECES.len(), 0..GLUE.len()).prop_map(|(p, g)| format!("{}{}", PIECES[p], GLUE[g]));
    let mutation = (
        any::<prop::sample::Index>(),
        prop::sample::select(vec![
            "<", ">", "\"", "'", "=", "/", "&", "#", "`", "{", "}", "[", "]", "(", ")", "!", "\n",
            " ", "\t", "\0", "\r", "é", "\u{FDD1}",
        ]),
    );
    (
        prop::collection::vec(piece, 0..24),
        prop::collection::vec(mutation, 0..6),
    )
        .prop_map(|(pieces, mutations)| {
            let mut text: String = pieces.concat();
            for (at, insert) in mutations {
                if text.is_empty() {
                    text.push_str(insert);
                    continue;
                }
                let mut i = at.index(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, insert);
            }
            text
        })
}

/// Elements the sanitised page may never hold.
const FORBIDDEN: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "form",
    "button", "textarea", "select", "base", "meta", "link", "noscript", "template", "applet",
];

/// Whether `url` runs code when followed or loaded, read as a browser reads it.
fn runs_code(url: &str, image: bool) -> bool {
    let squeezed: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    // A browser reads a `data:` address's media type with white space around it
    // trimmed (`data: image/png,…` is an image), as the fetch standard's data: URL
    // processor does.
    let data_image = squeezed
        .strip_prefix("data:")
        .is_some_and(|rest| rest.trim_start_matches([' ', '\x0c']).starts_with("image/"));
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || (squeezed.starts_with("data:") && !(image && data_image))
}

/// Everything wrong with one element of a sanitised page (not rasci's own markup).
fn problems_of(el: ElementRef<'_>, problems: &mut Vec<String>) {
    let name = el.value().name();
    if FORBIDDEN.contains(&name) {
        problems.push(format!("a <{name}> element"));
    }
    for (attribute, value) in el.value().attrs() {
        let attribute = attribute.to_ascii_lowercase();
        if attribute.starts_with("on") {
            problems.push(format!("<{name} {attribute}={value:?}>"));
        }
        if attribute == "style" && !value.trim().starts_with("text-align") {
            problems.push(format!("<{name} style={value:?}>"));
        }
        let image = name == "img" && attribute == "src";
        let url_attribute = matches!(
            attribute.as_str(),
            "href"
                | "src"
                | "srcset"
                | "action"
                | "formaction"
                | "data"
                | "poster"
                | "cite"
                | "background"
                | "xlink:href"
        );
        if url_attribute && runs_code(value, image) {
            problems.push(format!("<{name} {attribute}={value:?}>"));
        }
    }
}

/// What a rendered body holds that it may not; empty when it is safe.
fn unsafe_parts(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    for raw in [
        "<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed",
    ] {
        if lower.contains(raw) {
            problems.push(format!("{raw} in the markup"));
        }
    }
    if html.contains(['\u{FDD0}', '\u{FDD1}']) {
        problems.push("a placeholder mark survived".into());
    }
    let fragment = Html::parse_fragment(html);
    for el in fragment.select(&sel("*")) {
        problems_of(el, &mut problems);
    }
    problems
}

#[test]
fn markdown_rendering_never_panics_and_never_lets_markup_through() {
    let mut runner = runner(cases(256));
    runner
        .run(&markdown(), |text| {
            let page = rasci::render::markdown::render_page(&text, false);
            let problems = unsafe_parts(&page.html);
            prop_assert!(
                problems.is_empty(),
                "{problems:#?}\n--- markdown:\n{text}\n--- html:\n{}",
                page.html
            );
            for (_, offset, _) in &page.findings {
                prop_assert!(*offset <= text.len());
            }
            // Trusting the HTML changes what is kept, never whether rendering ends.
            rasci::render::markdown::render_page(&text, true);
            Ok(())
        })
        .unwrap();
}

#[test]
fn raw_html_findings_point_into_the_page() {
    let mut runner = runner(cases(256));
    runner
        .run(&markdown(), |text| {
            let page = rasci::render::markdown::render_page(&text, false);
            for (rule, offset, message) in &page.findings {
                prop_assert!(
                    matches!(
                        rule.as_str(),
                        "content/unsafe-html" | "content/unsafe-url" | "content/shortcode"
                    ),
                    "{rule}: {message}"
                );
                prop_assert!(
                    text.is_char_boundary(*offset),
                    "{rule} at {offset}: {message}"
                );
            }
            Ok(())
        })
        .unwrap();
}

/// The whole site of the example project with a fuzzed guide: the build ends, and the
/// guide's article is as safe as a page rendered alone.
#[test]
fn a_fuzzed_guide_builds_into_a_safe_page() {
    let project = Project::example().build();
    let guide = project.root().join("content/fuzzed.md");
    let mut runner = runner((cases(256) / 16).max(4));
    runner
        .run(&markdown(), |text| {
            std::fs::write(&guide, format!("---\ntitle: Fuzzed\n---\n\n{text}")).unwrap();
            let built = rasci::pipeline::build(&project).expect("the project loads");
            let Some(bytes) = built.site.files.get("cloud/fuzzed/index.html") else {
                // A NUL byte makes the file binary: a finding, and no page.
                prop_assert!(
                    text.contains('\0')
                        && built
                            .findings
                            .diagnostics
                            .iter()
                            .any(|d| d.rule == rasci::diagnostic::RuleId::FileEncoding),
                    "no page: {:#?}",
                    built.findings.diagnostics
                );
                return Ok(());
            };
            let html = std::str::from_utf8(bytes).unwrap();
            let page = Html::parse_document(html);
            let mut problems = Vec::new();
            let article = page.select(&sel("article")).next().unwrap();
            // The data views' drawings are rasci's own SVG: skip what is inside them. A
            // writer cannot make such a figure: the sanitiser allows no class on it.
            for el in article.select(&sel("*")) {
                let in_drawing = el.ancestors().filter_map(ElementRef::wrap).any(|a| {
                    a.value().name() == "figure" && a.value().classes().any(|c| c == "diagram")
                });
                if !in_drawing {
                    problems_of(el, &mut problems);
                }
            }
            prop_assert!(problems.is_empty(), "{problems:#?}\n--- markdown:\n{text}");
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// Limits: repeated headings and shortcodes cost one step each.

#[test]
fn twenty_thousand_equal_headings_get_numbered_ids() {
    let text = "## Notes\n\n".repeat(20_000);
    let started = std::time::Instant::now();
    let page = rasci::render::markdown::render_page(&text, false);
    eprintln!("20,000 headings rendered in {:?}", started.elapsed());
    let ids: Vec<&str> = page.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 20_000);
    assert_eq!(ids[0], "notes");
    for (n, id) in ids.iter().enumerate().skip(1) {
        assert_eq!(*id, format!("notes-{}", n + 1));
    }
    let html = Html::parse_fragment(&page.html);
    let in_page: Vec<String> = html
        .select(&sel("h2[id]"))
        .map(|h| h.value().id().unwrap().to_string())
        .collect();
    assert_eq!(in_page, ids);
}

#[test]
fn a_page_of_repeated_headings_and_shortcodes_builds() {
    let body = "## Notes\n\n{{ legend() }}\n\n".repeat(5_000)
        + &"{{ rasci_table(scope=\"cloud\") }}\n\n".repeat(200);
    let project = Project::example()
        .file(
            "content/long.md",
            format!("---\ntitle: Long\n---\n\n{body}"),
        )
        .build();
    let started = std::time::Instant::now();
    let built = rasci::pipeline::build(&project).expect("the project loads");
    eprintln!(
        "5,000 headings, 5,000 legends and 200 tables built in {:?}",
        started.elapsed()
    );
    let html = std::str::from_utf8(&built.site.files["cloud/long/index.html"]).unwrap();
    let page = Html::parse_document(html);
    let ids: Vec<String> = page
        .select(&sel("article h2[id]"))
        .map(|h| h.value().id().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 5_000);
    assert_eq!(ids[4_999], "notes-5000");
    assert_eq!(page.select(&sel("article dl.legend")).count(), 5_000 + 200);
    let captions: Vec<String> = page
        .select(&sel("article table.rasci caption"))
        .map(|c| c.value().id().unwrap().to_string())
        .collect();
    assert_eq!(captions.len(), 200);
    assert_eq!(captions[0], "rasci-caption-cloud");
    assert_eq!(captions[199], "rasci-caption-cloud-200");
}
