//! `brand:` in `rasci.yaml`: a logo (also the favicon), accent colours checked for WCAG AA
//! contrast, footer links and a contact box beside each table, without templates; every
//! unusable value is a `config/brand` error at the value.

use crate::support::{Project, build_clean, page_source};

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n";

fn branded(brand: &str) -> Project {
    Project::base()
        .file("rasci.yaml", format!("title: x\nbrand:\n{brand}"))
        .file("assets/logo.svg", LOGO)
}

#[test]
fn a_brand_gives_logo_favicon_accent_footer_links_and_contact_box() {
    let built = branded(concat!(
        "  logo: assets/logo.svg\n",
        "  accent: \"#0B55C9\"\n",
        "  accent_dark: \"#7fb0ff\"\n",
        "  footer_links:\n",
        "    - label: Privacy & cookies\n",
        "      url: https://example.com/privacy?a=1&b=2\n",
        "    - label: Contact\n",
        "      url: mailto:support@example.com\n",
        "  contact:\n",
        "    title: Escalation\n",
        "    text: \"Call <the duty manager> 24x7\"\n",
        "    link:\n",
        "      label: Escalation policy\n",
        "      url: https://example.com/escalation\n",
    ))
    .build();
    let files = build_clean(built.root());
    assert_eq!(files["static/brand/logo.svg"], LOGO.as_bytes());
    let home = page_source(&files, "index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"static/brand/logo.svg\">"),
        "{home}"
    );
    assert!(home.contains("<img class=\"brand-mark brand-logo\" src=\"static/brand/logo.svg\""));
    assert!(
        !home.contains("static/img/favicon.svg"),
        "the theme's favicon is still there"
    );
    // Colours as parsed: lower case, six digits, for the light and the dark theme.
    assert!(
        home.contains(":root[data-theme=\"light\"]{--accent:#0b55c9;--link:#0b55c9}"),
        "{home}"
    );
    assert!(
        home.contains(":root[data-theme=\"dark\"]{--accent:#7fb0ff;"),
        "{home}"
    );
    // Links written back by the URL parser and escaped; labels escaped.
    assert!(
        home.contains(
            "<a href=\"https://example.com/privacy?a=1&amp;b=2\">Privacy &amp; cookies</a>"
        ),
        "{home}"
    );
    assert!(home.contains("<a href=\"mailto:support@example.com\">Contact</a>"));
    // The contact box is beside each table, its text escaped.
    let scopes: Vec<&String> = files
        .keys()
        .filter(|k| k.ends_with("/index.html") && k.matches('/').count() == 1)
        .collect();
    let deployment = page_source(&files, "main/index.html");
    assert!(
        deployment.contains("<aside class=\"contact-box\" aria-label=\"Escalation\">"),
        "{scopes:?}"
    );
    assert!(deployment.contains("Call &lt;the duty manager&gt; 24x7"));
    assert!(
        deployment.contains("<a href=\"https://example.com/escalation\">Escalation policy</a>")
    );
    assert!(
        !home.contains("contact-box"),
        "the box belongs beside a table"
    );
}

#[test]
fn without_a_brand_the_theme_keeps_its_mark_and_colours() {
    let files = build_clean(Project::base().build().root());
    let home = page_source(&files, "index.html");
    // The theme's favicon is a file of its own, not a data address repeated in every page.
    assert!(home.contains("<link rel=\"icon\" href=\"static/img/favicon.svg\">"));
    assert!(files.contains_key("static/img/favicon.svg"));
    assert!(!home.contains("data:image/svg+xml"));
    assert!(!home.contains("--accent:"));
    assert!(!home.contains("footer-links"));
    assert!(!files.keys().any(|k| k.starts_with("static/brand/")));
}

#[test]
fn an_accent_without_aa_contrast_is_an_error_naming_the_colour() {
    let checked = branded("  accent: \"#8fa3c0\"\n  accent_dark: \"#1d4ed8\"\n")
        .build()
        .check();
    assert_eq!(checked.code, 1);
    let found = checked.with_rule("config/brand");
    assert_eq!(found.len(), 2, "{found:#?}");
    let light = found[0]["message"].as_str().unwrap();
    assert!(
        light.contains("`#8fa3c0`") && light.contains("2.57:1") && light.contains("`#ffffff`"),
        "{light}"
    );
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(3), Some(11))
    );
    let dark = found[1]["message"].as_str().unwrap();
    assert!(
        dark.contains("`brand.accent_dark` `#1d4ed8`") && dark.contains("`#0f141b`"),
        "{dark}"
    );
    // A colour that is no colour.
    let checked = branded("  accent: blue\n").build().check();
    assert!(
        checked.one_at("config/brand", "rasci.yaml", 3, 11)["message"]
            .as_str()
            .unwrap()
            .contains("is not a colour")
    );
}

#[test]
fn a_logo_outside_the_project_or_of_another_type_and_an_unusable_link_are_errors() {
    for (logo, problem) in [
        ("../logo.svg", "not a path inside the project"),
        ("/etc/passwd", "not a path inside the project"),
        ("assets/logo.txt", "not an image file type"),
        ("assets/missing.svg", "cannot be read"),
        ("assets", "not an image file type"),
    ] {
        let checked = branded(&format!("  logo: \"{logo}\"\n")).build().check();
        assert_eq!(checked.code, 1, "{logo}");
        let found = checked.one_at("config/brand", "rasci.yaml", 3, 9);
        assert!(found.to_string().contains(problem), "{logo}: {found:#}");
    }
    let checked = branded(concat!(
        "  footer_links:\n",
        "    - label: Home\n",
        "      url: \"javascript:alert(1)\"\n",
        "    - label: Relative\n",
        "      url: /privacy\n",
    ))
    .build()
    .check();
    let found = checked.with_rule("config/brand");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0]
            .to_string()
            .contains("`javascript:` addresses are not linked"),
        "{:#}",
        found[0]
    );
    assert!(
        found[1].to_string().contains("not an address"),
        "{:#}",
        found[1]
    );
}
