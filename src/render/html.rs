//! Small HTML helpers shared by the renderers.

/// Escapes text for use in element content and in double- or single-quoted attribute
/// values, of HTML pages and of SVG drawings alike.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are allowed neither in XML 1.0
            // nor in HTML text.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL fragment from a heading or name: lower case ASCII letters and digits joined by
/// single hyphens, so anchors stay readable in the address bar.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if hyphen && !slug.is_empty() {
                slug.push('-');
            }
            hyphen = false;
            slug.extend(c.to_lowercase());
        } else {
            hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// The text of an HTML fragment: tags removed, the common entities decoded, white space
/// collapsed. Used for the search index and for headings in the table of contents.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("Dialogue Cloud deployment specific"),
            "dialogue-cloud-deployment-specific"
        );
        assert_eq!(slugify("L2/L3 — support!"), "l2-l3-support");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn text_of_strips_tags() {
        assert_eq!(text_of("<p>a &amp; <b>b</b></p>"), "a & b");
    }
}
