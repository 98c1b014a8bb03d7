//! The theme's templates: every page kind's body and every partial is a template file a
//! project can replace from its own `templates/` folder, the page's wording is the
//! template's, and a broken template is named in the error.

use crate::support as common;
use std::path::Path;
use tempfile::TempDir;

fn example() -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = common::copy_example(dir.path());
    (dir, root)
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_project_replaces_a_partial_on_every_page_that_uses_it() {
    let (_dir, root) = example();
    write(
        &root,
        "templates/partials/legend.html",
        "<p class=\"my-legend\">{% for letter in letters %}{{ letter.letter }}={{ letter.name }};{% endfor %}</p>\n",
    );
    // A content page that embeds the legend with a shortcode gets the same partial.
    write(
        &root,
        "content/legend-only.md",
        "---\ntitle: Legend only\n---\n\n{{ legend() }}\n",
    );
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let expected = "<p class=\"my-legend\">R=Responsible;A=Accountable;S=Supportive;C=Consulted;I=Informed;</p>";
    for path in [
        "cloud/index.html",
        "compare/index.html",
        "cloud/legend-only/index.html",
    ] {
        let html = common::page_source(&built.site.files, path);
        assert!(html.contains(expected), "{path}: {html}");
        assert!(
            !html.contains("class=\"legend\""),
            "{path} kept the theme's legend"
        );
    }
}

#[test]
fn a_page_kind_template_gives_the_title_and_headings_and_the_contents_follow() {
    let (_dir, root) = example();
    let theirs = include_str!("../../themes/golive/templates/pages/compare.html")
        .replace(
            "{% block title %}{{ labels.compare }}",
            "{% block title %}Cloud & on-premises",
        )
        .replace("text=\"Side by side\"", "text=\"Next to each other\"");
    write(&root, "templates/pages/compare.html", &theirs);
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let html = common::page_source(&built.site.files, "compare/index.html");
    assert!(html.contains("<h1>Cloud &amp; on-premises</h1>"), "{html}");
    assert!(html.contains("<title>Cloud &amp; on-premises · "), "{html}");
    assert!(
        html.contains("<a href=\"#side-by-side\">Next to each other</a>"),
        "the table of contents lists the template's heading: {html}"
    );
    assert!(!html.contains("Side by side"), "{html}");
}

#[test]
fn the_scope_template_is_still_replaced_under_its_old_name_and_the_new_one_wins() {
    let (_dir, root) = example();
    let theirs = |word: &str| {
        include_str!("../../themes/golive/templates/pages/scope.html").replace(
            "{% block body %}",
            &format!("{{% block body %}}<p class=\"replaced\">{word}</p>"),
        )
    };
    write(
        &root,
        "templates/pages/deployment.html",
        &theirs("old name"),
    );
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let html = common::page_source(&built.site.files, "cloud/index.html");
    assert!(
        html.contains("<p class=\"replaced\">old name</p>"),
        "{html}"
    );

    write(&root, "templates/pages/scope.html", &theirs("new name"));
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let html = common::page_source(&built.site.files, "cloud/index.html");
    assert!(
        html.contains("<p class=\"replaced\">new name</p>"),
        "{html}"
    );
    assert!(!html.contains("old name"), "{html}");
}

#[test]
fn a_template_that_fails_to_render_is_named_with_its_file() {
    let (_dir, root) = example();
    write(
        &root,
        "templates/partials/duties.html",
        "{{ duties.no_such_field }}\n",
    );
    let error = match rasci::pipeline::build(&root) {
        Ok(_) => panic!("a broken partial built a site"),
        Err(error) => error.to_string(),
    };
    assert!(
        error.contains("templates/partials/duties.html"),
        "the error names the file: {error}"
    );
}

#[test]
fn a_template_that_does_not_parse_is_named() {
    let (_dir, root) = example();
    write(&root, "templates/partials/figure.html", "{% if %}\n");
    let error = match rasci::pipeline::build(&root) {
        Ok(_) => panic!("a broken partial built a site"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("templates/partials/figure.html"), "{error}");
}

#[test]
fn a_featured_guide_stands_out_in_its_deployment_list() {
    let (_dir, root) = example();
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let html = common::page_source(&built.site.files, "cloud/index.html");
    assert!(
        html.contains(
            "<li class=\"guide-primary\"><a href=\"../cloud/submission-guidelines/index.html\">"
        ),
        "{html}"
    );
    assert_eq!(html.matches("guide-primary").count(), 1, "{html}");
    // The emphasis comes from the front matter, not from the page's name.
    let path = root.join("content/submission-guidelines.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("featured: true\n", "")).unwrap();
    let built = rasci::pipeline::build(&root).expect("the project builds");
    assert!(!common::page_source(&built.site.files, "cloud/index.html").contains("guide-primary"));
}

#[test]
fn every_built_in_template_can_be_replaced_by_a_project() {
    let (_dir, example_root) = example();
    // The comparison of two operating models, and the redirects from the default model's
    // former addresses, exist only in a project with models.
    let models_dir = TempDir::new().unwrap();
    let models_root = common::copy_project(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models"),
        models_dir.path(),
    );
    // The pages of a deployment's guides past the first hundred, only in a large project.
    let large_dir = TempDir::new().unwrap();
    crate::weight::documentation::generate(large_dir.path(), 250);
    let large_root = large_dir.path().to_path_buf();
    // A framework's page exists only in a project with `data/frameworks.yaml`.
    let frameworks_dir = TempDir::new().unwrap();
    let frameworks_root = common::copy_project(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects/frameworks"),
        frameworks_dir.path(),
    );
    // A note's marker shows only where a task or a cell has a note; the example has none.
    let notes_dir = TempDir::new().unwrap();
    let notes_root = common::copy_example(notes_dir.path());
    common::edit(
        &notes_root.join("data/tasks.yaml"),
        "        rasci: { customer: \"A, R\" }\n",
        "        note: Within office hours\n        rasci: { customer: \"A, R\" }\n",
    );
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/golive/templates");
    for folder in ["pages", "partials"] {
        for entry in std::fs::read_dir(theme.join(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let template = format!("{folder}/{name}");
            // Built only when versions are published, from git revisions: the project's
            // copy is read as any page kind's or partial's (tests/suite/versions.rs builds
            // the page and the rows' last changes).
            if template == "pages/changes.html" || template == "partials/last_change.html" {
                continue;
            }
            let root = match template.as_str() {
                // Redirect pages: the default model's pages had `<model>/` addresses.
                "pages/compare_models.html" | "pages/redirect.html" => &models_root,
                "pages/guides.html" | "partials/guide_pages.html" => &large_root,
                "pages/framework.html" => &frameworks_root,
                "partials/notes.html" => &notes_root,
                _ => &example_root,
            };
            // Each template, replaced by a copy with a marker, shows the marker.
            let original = std::fs::read_to_string(theme.join(&template)).unwrap();
            let marker = format!("<!-- {template} -->");
            let replaced = match original.find("{% block body %}") {
                Some(at) => {
                    let at = at + "{% block body %}".len();
                    format!("{}{marker}{}", &original[..at], &original[at..])
                }
                None if original.starts_with("{% component") => {
                    let at = original.find("%}").unwrap() + 2;
                    format!("{}{marker}{}", &original[..at], &original[at..])
                }
                None => format!("{marker}{original}"),
            };
            write(root, &format!("templates/{template}"), &replaced);
            let built = rasci::pipeline::build(root).expect("the project builds");
            let shown = built
                .site
                .files
                .values()
                .any(|bytes| String::from_utf8_lossy(bytes).contains(&marker));
            assert!(shown, "the project's {template} is not used");
            std::fs::remove_file(root.join("templates").join(&template)).unwrap();
        }
    }
}

#[test]
fn data_in_a_title_block_stays_text() {
    let (_dir, root) = example();
    let path = root.join("data/scopes.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("name: Dialogue Cloud", "name: \"Cloud & <b>'x'</b>\""),
    )
    .unwrap();
    let built = rasci::pipeline::build(&root).expect("the project builds");
    let html = common::page_source(&built.site.files, "cloud/index.html");
    // The title block's text goes through HTML and back, and is escaped once where the
    // layout prints it.
    let escaped = "Cloud &amp; &lt;b&gt;&#39;x&#39;&lt;/b&gt;";
    assert!(
        html.contains(&format!(
            "<h1>{escaped}: RASCI for operational support</h1>"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<meta name=\"description\" content=\"Who is Responsible, Accountable, Supportive, Consulted and Informed in operational support for {escaped}.\">"
        )),
        "{html}"
    );
    assert!(!html.contains("<b>'x'</b>"), "{html}");
}
