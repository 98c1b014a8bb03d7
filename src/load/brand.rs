//! The `brand:` section of `rasci.yaml`, checked once so that the site is built only from
//! what passed: the logo read from a file inside the project, the accent colours parsed
//! and contrast-checked against the built-in theme's backgrounds, the links' addresses
//! parsed. Every problem is a `config/brand` error at the value, and the brand is then
//! left out of the site (the theme's own mark, colours and footer), so the other
//! findings still come.

use crate::config::{BrandLink, Branding};
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::located::Located;
use crate::model::Project;
use std::path::{Component, Path};

/// Largest logo read, in bytes: a favicon and a top-bar mark, never a photograph.
pub(crate) const MAX_LOGO_BYTES: u64 = 1 << 20;

/// Logo file types: the extension, as the site's copy is named.
const LOGO_TYPES: [&str; 6] = ["svg", "png", "jpg", "jpeg", "webp", "ico"];

/// The built-in theme's page, panel and raised backgrounds (`variables.css`), light and
/// dark: an accent is text and borders on each of them.
const LIGHT_BACKGROUNDS: [&str; 2] = ["#ffffff", "#f6f8fb"];
const DARK_BACKGROUNDS: [&str; 3] = ["#0f141b", "#151c25", "#18212c"];

/// WCAG 2 AA for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// Longest label or contact text, in characters.
const MAX_TEXT: usize = 500;

/// `#rgb` or `#rrggbb` as `[r, g, b]`.
pub(crate) fn parse_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize, len: usize| u8::from_str_radix(&hex[i..i + len], 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

/// The relative luminance of WCAG 2.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The WCAG 2 contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

fn finding(value: &Located<String>, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::new(RuleId::ConfigBrand, message)
        .at(value.span, label)
        .help(help)
}

/// An accent colour as `#rrggbb`, or the finding that it is not a colour or fails AA
/// against one of `backgrounds`.
fn accent(
    value: &Located<String>,
    key: &str,
    backgrounds: &[&str],
) -> Result<String, Box<Diagnostic>> {
    let Some(rgb) = parse_colour(&value.value) else {
        return Err(Box::new(finding(
            value,
            format!(
                "`brand.{key}` `{}` is not a colour",
                value.value.escape_debug()
            ),
            "not `#rgb` or `#rrggbb`",
            "write the colour in hex, like `#0f5bd8`",
        )));
    };
    for background in backgrounds {
        let ratio = contrast(
            rgb,
            parse_colour(background).expect("the theme's colours parse"),
        );
        if ratio < MIN_CONTRAST {
            return Err(Box::new(finding(
                value,
                format!(
                    "`brand.{key}` `{}` has a contrast of {ratio:.2}:1 against the theme's background `{background}`; WCAG AA needs {MIN_CONTRAST}:1",
                    value.value.escape_debug()
                ),
                "too little contrast to read",
                if backgrounds == DARK_BACKGROUNDS {
                    "choose a lighter colour for the dark theme"
                } else {
                    "choose a darker colour for the light backgrounds"
                },
            )));
        }
    }
    Ok(format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]))
}

/// A link's label (plain text, not empty) and address (`https`, `http` or `mailto`,
/// parsed and written back by the `url` crate).
fn link(link: &BrandLink) -> Result<(String, String), Box<Diagnostic>> {
    let label = link.label.value.trim();
    if label.is_empty() || label.chars().count() > MAX_TEXT {
        return Err(Box::new(finding(
            &link.label,
            "a brand link's `label` is empty or too long".into(),
            "1 to 500 characters",
            "write the text the link shows",
        )));
    }
    match url::Url::parse(link.url.value.trim()) {
        Ok(url) if matches!(url.scheme(), "https" | "http" | "mailto") => {
            Ok((label.to_string(), url.to_string()))
        }
        Ok(url) => Err(Box::new(finding(
            &link.url,
            format!(
                "the address `{}` cannot be linked",
                link.url.value.escape_debug()
            ),
            &format!("`{}:` addresses are not linked", url.scheme()),
            "use an `https://`, `http://` or `mailto:` address",
        ))),
        Err(error) => Err(Box::new(finding(
            &link.url,
            format!(
                "the address `{}` cannot be linked",
                link.url.value.escape_debug()
            ),
            &format!("not an address: {error}"),
            "write an absolute address, like `https://example.com/privacy`",
        ))),
    }
}

/// The logo: a relative path of plain names inside the project, to a regular file (not a
/// link) of a known image type, at most [`MAX_LOGO_BYTES`], read.
fn logo(root: &Path, value: &Located<String>) -> Result<(String, Vec<u8>), Box<Diagnostic>> {
    let bad = |label: String, help: &str| {
        Box::new(finding(
            value,
            format!(
                "`brand.logo` `{}` cannot be used",
                value.value.escape_debug()
            ),
            &label,
            help,
        ))
    };
    let path = Path::new(value.value.trim());
    if value.value.trim().is_empty()
        || !path.components().all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(bad(
            "not a path inside the project (an absolute path, `..` or `.`)".into(),
            "write the path from the project root, like `static/logo.svg`",
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| LOGO_TYPES.contains(&e.as_str()));
    let Some(extension) = extension else {
        return Err(bad(
            "not an image file type rasci publishes".into(),
            "use an .svg, .png, .jpg, .jpeg, .webp or .ico file",
        ));
    };
    let full = root.join(path);
    let meta = match std::fs::symlink_metadata(&full) {
        Ok(meta) => meta,
        Err(error) => {
            return Err(bad(
                format!("cannot be read: {error}"),
                "put the image in the project and write its path",
            ));
        }
    };
    if !meta.file_type().is_file() {
        return Err(bad(
            "not a regular file (a folder or a symbolic link)".into(),
            "point to the image file itself",
        ));
    }
    if meta.len() > MAX_LOGO_BYTES {
        return Err(bad(
            format!("{} bytes, over the limit of {MAX_LOGO_BYTES}", meta.len()),
            "use a smaller image: a logo needs a few kilobytes",
        ));
    }
    let bytes = std::fs::read(&full).map_err(|error| {
        bad(
            format!("cannot be read: {error}"),
            "put the image in the project and write its path",
        )
    })?;
    Ok((format!("static/brand/logo.{extension}"), bytes))
}

/// The value, or none with its finding kept.
fn keep<T>(findings: &mut Findings, result: Result<T, Box<Diagnostic>>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(diagnostic) => {
            findings.push(*diagnostic);
            None
        }
    }
}

/// Checks `brand:` and keeps what passed as the config's `branding`.
pub(crate) fn check(root: &Path, project: &mut Project, findings: &mut Findings) {
    let brand = project.config.brand.clone();
    let mut branding = Branding {
        logo: brand
            .logo
            .as_ref()
            .and_then(|v| keep(findings, logo(root, v))),
        accent: brand
            .accent
            .as_ref()
            .and_then(|v| keep(findings, accent(v, "accent", &LIGHT_BACKGROUNDS))),
        accent_dark: brand
            .accent_dark
            .as_ref()
            .and_then(|v| keep(findings, accent(v, "accent_dark", &DARK_BACKGROUNDS))),
        footer_links: brand
            .footer_links
            .iter()
            .filter_map(|l| keep(findings, link(l)))
            .collect(),
        contact: None,
    };
    if let Some(contact) = &brand.contact {
        let title = contact.title.value.trim().to_string();
        let text = contact.text.value.trim().to_string();
        let mut usable = true;
        for (value, what) in [(&contact.title, &title), (&contact.text, &text)] {
            if what.is_empty() || what.chars().count() > MAX_TEXT {
                findings.push(finding(
                    value,
                    "the contact box's `title` or `text` is empty or too long".into(),
                    "1 to 500 characters",
                    "write whom to contact, and when",
                ));
                usable = false;
            }
        }
        let contact_link = contact.link.as_ref().map(|l| keep(findings, link(l)));
        if usable && !matches!(contact_link, Some(None)) {
            branding.contact = Some((title, text, contact_link.flatten()));
        }
    }
    project.config.branding = branding;
}
