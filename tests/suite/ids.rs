//! Ids never become paths or attributes, content pages get their URL by one rule, themes
//! and symbolic links stay inside the project. Every case goes through the command line:
//! what `rasci check` reports (rule, file, line, column), and that `rasci build` writes
//! exactly what `check` promised.

use crate::support::{BuiltProject, Checked, Project};
use serde_json::Value;
use std::path::Path;

/// The base project (two parties, one scope, one task), which checks clean.
fn clean_project() -> BuiltProject {
    Project::base().build()
}

/// A YAML double-quoted scalar of `text`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// `check` fails, and `build` then refuses too, writing nothing: never a build that fails
/// half-way with an error of the file system.
fn check_and_build_refuse(project: &BuiltProject) -> Checked {
    let checked = project.check();
    assert_eq!(checked.code, 1, "{:#?}", checked.diagnostics);
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("the site was not written"), "{stderr}");
    assert!(!out.exists());
    checked
}

// ---------------------------------------------------------------------------------------
// Id syntax

const HOSTILE: &[&str] = &[
    "../x",
    "a/b",
    ".hidden",
    "x\" onmouseover=\"alert(1)",
    "<b>",
    "",
    "Vendor",
    "a b",
    "a.b",
    "-x",
];

#[test]
fn hostile_party_ids_are_errors_at_the_id() {
    let long = "v".repeat(300);
    for id in HOSTILE.iter().copied().chain([long.as_str()]) {
        let project = clean_project();
        project.edit(
            "data/parties.yaml",
            "id: vendor",
            &format!("id: {}", quoted(id)),
        );
        project.edit(
            "data/tasks.yaml",
            "{ vendor:",
            &format!("{{ {}:", quoted(id)),
        );
        let checked = check_and_build_refuse(&project);
        let d = checked.one_at("id/syntax", "data/parties.yaml", 2, 9);
        assert_eq!(
            checked.rules(),
            ["id/syntax"],
            "{id:?}: {:#?}",
            checked.diagnostics
        );
        let help = d["help"].as_str().unwrap();
        assert!(help.contains("lowercase letters, digits"), "{help}");
        // The help shows a valid id, or says what one looks like.
        if let Some(start) = help.find("write it as `") {
            let rest = &help[start + 13..];
            let suggestion = &rest[..rest.find('`').unwrap()];
            assert!(
                rasci::load::ids::problem(suggestion).is_none(),
                "{suggestion}"
            );
        }
    }
}

#[test]
fn the_help_suggests_a_slug() {
    let project = clean_project();
    project.edit(
        "data/parties.yaml",
        "id: vendor",
        "id: \"x\\\" onmouseover=\\\"alert(1)\"",
    );
    let checked = project.check();
    let d = checked.one_at("id/syntax", "data/parties.yaml", 2, 9);
    assert_eq!(
        d["help"],
        "write it as `x-onmouseover-alert-1`: lowercase letters, digits, `-` and `_`"
    );
}

#[test]
fn every_kind_of_id_is_checked() {
    let project = clean_project();
    project.write(
        "data/scopes.yaml",
        "scopes:\n  - id: main\n    name: Main\n    sections: [\"Gen\"]\n",
    );
    project.write(
        "data/tasks.yaml",
        "sections:\n  - id: Gen\n    tasks:\n      - id: a/b\n        title: Run it\n        rasci: { vendor: \"A, R\", customer: \"C, I\" }\n",
    );
    project.write(
        "data/systems.yaml",
        "systems:\n  - id: \"<svg>\"\n    name: S\n    managed_by: vendor\n",
    );
    project.write(
        "data/flows.yaml",
        "flows:\n  - id: .f\n    title: F\n    lanes:\n      - { id: \"L 1\", party: vendor }\n    steps:\n      - { id: \"s'1\", lane: \"L 1\", kind: start, text: Go }\n",
    );
    let checked = check_and_build_refuse(&project);
    let at: Vec<(String, u64, u64)> = checked
        .with_rule("id/syntax")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("data/flows.yaml", 2, 9),
        ("data/flows.yaml", 5, 15),
        ("data/flows.yaml", 7, 15),
        ("data/systems.yaml", 2, 9),
        ("data/tasks.yaml", 2, 9),
        ("data/tasks.yaml", 4, 13),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(f, l, c)| (f.to_string(), *l, *c))
        .collect();
    assert_eq!(at, expected, "{:#?}", checked.diagnostics);
}

#[test]
fn site_names_cannot_be_scope_ids() {
    for name in [
        "index.html",
        "static",
        "glossary",
        "parties",
        "sitemap.xml",
        "404.html",
    ] {
        let project = clean_project();
        project.edit(
            "data/scopes.yaml",
            "id: main",
            &format!("id: {}", quoted(name)),
        );
        let checked = check_and_build_refuse(&project);
        let d = checked.one_at("id/reserved", "data/scopes.yaml", 2, 9);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains(&format!("site's own `{name}`")),
            "{d:#}"
        );
        assert_eq!(
            checked.rules(),
            ["id/reserved"],
            "{:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn site_names_are_every_top_level_name_the_site_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = rasci::pipeline::build(root).unwrap();
    let scopes: Vec<&str> = built.project.scopes.iter().map(|s| s.id.as_str()).collect();
    let names = rasci::load::ids::SITE_NAMES;
    for path in built.site.files.keys() {
        let top = path.split('/').next().unwrap();
        assert!(
            names.contains(&top) || scopes.contains(&top),
            "`{top}` (from {path}) is written by the site but not in SITE_NAMES"
        );
    }
    // And no name of the list is a leftover: each is written by the example's site, but
    // the sitemap, which is written only with a `base_url` (the example has none), and
    // `v`, `changes` and `changes.xml`, the published versions' folder, Changes page
    // and feed (tests/suite/versions.rs writes them);
    // the framework pages, only with `data/frameworks.yaml` (the example has none either;
    // the frameworks fixture writes them).
    assert!(built.project.config.base_url.is_none());
    assert!(built.project.frameworks.is_empty());
    let fixture = rasci::pipeline::build(&root.join("tests/fixtures/projects/frameworks")).unwrap();
    assert!(
        fixture
            .site
            .files
            .keys()
            .any(|p| p.starts_with("frameworks/"))
    );
    for name in names.iter().filter(|n| {
        **n != rasci::plan::urls::SITEMAP
            && !["frameworks", "v", "changes", "changes.xml"].contains(*n)
    }) {
        assert!(
            built
                .site
                .files
                .keys()
                .any(|p| p == name || p.starts_with(&format!("{name}/"))),
            "{name} is not written"
        );
    }
}

#[test]
fn the_schemas_state_the_id_syntax() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let parties: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("parties.schema.json")).unwrap())
            .unwrap();
    let text = parties.to_string();
    assert!(text.contains(&format!(
        "\"pattern\":{}",
        quoted(rasci::load::ids::PATTERN)
    )));
    assert!(text.contains(&format!("\"maxLength\":{}", rasci::load::ids::MAX_LEN)));
    for kind in ["scopes", "tasks", "systems", "flows"] {
        let text = std::fs::read_to_string(root.join(format!("{kind}.schema.json"))).unwrap();
        assert!(
            text.contains(rasci::load::ids::PATTERN.replace('\\', "\\\\").as_str()),
            "{kind}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Anchors

#[test]
fn two_glossary_terms_with_one_anchor_are_an_error_naming_both() {
    let project = clean_project();
    project.write(
        "data/glossary.yaml",
        "glossary:\n  - term: C++\n    definition: One.\n  - term: C#\n    definition: Two.\n",
    );
    let checked = check_and_build_refuse(&project);
    let d = checked.one_at("id/collision", "data/glossary.yaml", 4, 11);
    assert_eq!(
        d["message"],
        "glossary terms `C++` and `C#` get the same anchor `term-c`"
    );
    assert_eq!(d["labels"][0]["line"], 2, "{d:#}");
}

#[test]
fn two_flow_steps_with_one_anchor_are_an_error() {
    let project = clean_project();
    let flow = |id: &str, step: &str| {
        format!(
            "  - id: {id}\n    title: F\n    lanes: [{{ id: l, party: vendor }}]\n    steps: [{{ id: {step}, lane: l, kind: start, text: Go }}]\n"
        )
    };
    project.write(
        "data/flows.yaml",
        &format!("flows:\n{}{}", flow("a", "b-c"), flow("a-b", "c")),
    );
    let checked = check_and_build_refuse(&project);
    let d = checked.one_at("id/collision", "data/flows.yaml", 9, 19);
    assert!(
        d["message"].as_str().unwrap().contains("`step-flow-a-b-c`"),
        "{d:#}"
    );

    // A flow whose SVG id is another flow's arrowhead or step item.
    for other in ["a-arrow", "a-step-x"] {
        project.write(
            "data/flows.yaml",
            &format!("flows:\n{}{}", flow("a", "x"), flow(other, "y")),
        );
        let checked = check_and_build_refuse(&project);
        let d = checked.one_at("id/collision", "data/flows.yaml", 6, 9);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`rasci-flow-{other}`")),
            "{d:#}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Content URLs

#[test]
fn pages_with_spaces_and_non_ascii_names_build_and_link() {
    let project = clean_project();
    project.page(
        "_index.md",
        "Home",
        "[About](<My Page.md>), [Team](%C3%9Cber%20uns.md#team) and [Again](My%20Page.md).",
    );
    project.page("My Page.md", "My page", "Back [home](_index.md).");
    project.page(
        "Über uns.md",
        "Über uns",
        "## Team\n\nSee [about](<My Page.md>).",
    );
    let checked = project.check();
    assert_eq!(checked.code, 0, "{:#?}", checked.diagnostics);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("main/my-page/index.html").is_file());
    assert!(out.join("main/ber-uns/index.html").is_file());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"main/my-page/index.html\""), "{home}");
    assert!(
        home.contains("href=\"main/ber-uns/index.html#team\""),
        "{home}"
    );
    let team = std::fs::read_to_string(out.join("main/ber-uns/index.html")).unwrap();
    assert!(
        team.contains("href=\"../../main/my-page/index.html\""),
        "{team}"
    );
}

#[test]
fn x_md_and_x_md_md_are_two_pages() {
    let project = clean_project();
    project.page("x.md", "X", "[other](x.md.md)");
    project.page("x.md.md", "X md", "[back](x.md)");
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
    let x = std::fs::read_to_string(out.join("main/x/index.html")).unwrap();
    assert!(x.contains("href=\"../../main/x-md/index.html\""), "{x}");
    assert!(out.join("main/x-md/index.html").is_file());
}

#[test]
fn two_pages_with_one_url_are_an_error_naming_both() {
    for (first, second, url) in [
        ("My Page.md", "my-page.md", "my-page"),
        ("x-md.md", "x.md.md", "x-md"),
        ("a.b.md", "a-b.md", "a-b"),
    ] {
        let project = clean_project();
        project.page(first, "One", "");
        project.page(second, "Two", "");
        let checked = check_and_build_refuse(&project);
        let d = &checked.with_rule("id/collision");
        assert_eq!(d.len(), 1, "{:#?}", checked.diagnostics);
        let message = d[0]["message"].as_str().unwrap();
        assert!(message.contains(&format!("`content/{first}`")), "{message}");
        assert!(
            message.contains(&format!("`content/{second}`")),
            "{message}"
        );
        assert!(message.contains(&format!("`{url}/`")), "{message}");
    }
}

#[test]
fn page_names_that_give_no_url_or_too_long_a_one_are_caught_by_check() {
    for name in ["???.md", "Ωμέγα.md", &format!("{}.md", "a".repeat(200))] {
        let project = clean_project();
        project.page(name, "T", "");
        let checked = check_and_build_refuse(&project);
        checked.one_at("id/syntax", &format!("content/{name}"), 1, 1);
    }
}

#[test]
fn top_level_pages_of_a_project_without_scopes_cannot_take_site_names() {
    let project = clean_project();
    project.write("data/scopes.yaml", "scopes: []\n");
    project.write("data/tasks.yaml", "sections: []\n");
    project.write("data/parties.yaml", "parties: []\n");
    project.page("Static.md", "Static", "");
    let checked = project.check();
    checked.one_at("id/reserved", "content/Static.md", 1, 1);
}

// ---------------------------------------------------------------------------------------
// Themes

#[test]
fn theme_paths_and_unknown_themes_are_errors_at_the_value() {
    for (theme, words) in [
        ("../../etc", "`..`"),
        ("/abs", "absolute path"),
        ("golvie", "no folder `themes/golvie/`"),
        (".hidden", "dot"),
        ("a/b", "without `/`"),
    ] {
        let project = clean_project();
        project.write("rasci.yaml", &format!("title: Test\ntheme: {theme}\n"));
        let checked = check_and_build_refuse(&project);
        let d = checked.one_at("config/theme", "rasci.yaml", 2, 8);
        assert!(d["label"].as_str().unwrap().contains(words), "{d:#}");
        assert_eq!(checked.rules(), ["config/theme"]);
        if theme == "golvie" {
            assert_eq!(d["help"], "did you mean `golive`?");
        }
    }
}

#[test]
fn a_theme_folder_of_the_project_is_used_and_suggested() {
    let project = clean_project();
    project.write("themes/plain/templates/nav.html", "<nav>PLAIN NAV</nav>");
    project.write("rasci.yaml", "title: Test\ntheme: plian\n");
    let d = project.check();
    assert_eq!(
        d.one_at("config/theme", "rasci.yaml", 2, 8)["help"],
        "did you mean `plain`?"
    );
    project.write("rasci.yaml", "title: Test\ntheme: plain\n");
    assert_eq!(project.check().code, 0);
    let (code, stderr, _) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
}

// ---------------------------------------------------------------------------------------
// Symbolic links

#[test]
fn a_link_to_a_data_file_inside_the_project_is_followed() {
    let project = clean_project();
    project.write(
        "shared/glossary.yaml",
        "glossary:\n  - term: tenant\n    definition: A customer organisation.\n",
    );
    project.symlink("data/glossary.yaml", "../shared/glossary.yaml");
    let checked = project.check();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let (code, stderr, out) = project.build_site();
    assert_eq!(code, 0, "{stderr}");
    let glossary = std::fs::read_to_string(out.join("glossary/index.html")).unwrap();
    assert!(glossary.contains("id=\"term-tenant\""), "{glossary}");
}

#[test]
fn a_link_leading_outside_the_project_is_a_finding_at_the_link() {
    let project = clean_project();
    let outside = project.beside("glossary.yaml");
    std::fs::write(
        &outside,
        "glossary:\n  - term: tenant\n    definition: A customer organisation.\n",
    )
    .unwrap();
    project.symlink("data/glossary.yaml", outside.to_str().unwrap());
    let checked = check_and_build_refuse(&project);
    let d = checked.one_at("file/symlink", "data/glossary.yaml", 1, 1);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("leads outside the project"),
        "{d:#}"
    );
    assert_eq!(checked.rules(), ["file/symlink"]);
}

#[test]
fn links_in_content_and_theme_follow_the_same_rule() {
    let project = clean_project();
    let outside = project.beside("secret.md");
    std::fs::write(&outside, "---\ntitle: Secret\n---\n").unwrap();
    project.symlink("content/secret.md", outside.to_str().unwrap());
    project.write("themes/plain/static/css/x.css", "");
    project.symlink("themes/plain/static/css/site.css", "/etc/hostname");
    project.write("rasci.yaml", "title: Test\ntheme: plain\n");
    let checked = check_and_build_refuse(&project);
    let files: Vec<&str> = checked
        .with_rule("file/symlink")
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["content/secret.md", "themes/plain/static/css/site.css"]
    );
}

#[test]
fn a_theme_folder_behind_a_linked_parent_is_refused() {
    let project = clean_project();
    let elsewhere = project.beside("elsewhere");
    std::fs::create_dir_all(elsewhere.join("plain/templates")).unwrap();
    std::fs::write(
        elsewhere.join("plain/templates/nav.html"),
        "<nav>OUTSIDE</nav>",
    )
    .unwrap();
    project.symlink("themes", elsewhere.to_str().unwrap());
    project.write("rasci.yaml", "title: Test\ntheme: plain\n");
    let checked = check_and_build_refuse(&project);
    checked.one_at("file/symlink", "themes/plain", 1, 1);
}

#[test]
fn a_loop_of_links_is_a_finding_not_an_empty_project() {
    let project = clean_project();
    project.symlink("data/tasks/again", "..");
    project.symlink("content/self.md", "self.md");
    let checked = check_and_build_refuse(&project);
    let found: Vec<(&str, &str)> = checked
        .with_rule("file/symlink")
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "content/self.md");
    assert!(found[0].1.contains("cannot be followed"), "{found:#?}");
    assert_eq!(found[1].0, "data/tasks/again");
    assert!(found[1].1.contains("a loop of links"), "{found:#?}");
    // The rest of the project is read: nothing else is reported.
    assert_eq!(checked.rules(), ["file/symlink", "file/symlink"]);
}
