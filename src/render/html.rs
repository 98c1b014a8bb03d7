//! Small HTML helpers shared by the renderers.

use std::collections::{HashMap, HashSet};

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
            // Not characters in XML 1.0 either; a standalone SVG with one does not open.
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The element ids of one page: each id asked for is given once, and a repeated one gets
/// the next free number (`notes`, `notes-2`, `notes-3` …). The next number to try is kept
/// per wanted id, so a page with thousands of equal headings costs one step per heading
/// rather than one per earlier heading.
#[derive(Debug, Default)]
pub struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, u32>,
    /// Candidate ids tried so far, counted to show the work stays linear.
    pub probes: usize,
}

impl UniqueIds {
    pub fn get(&mut self, wanted: &str) -> String {
        self.probes += 1;
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let n = self.next.entry(wanted.to_string()).or_insert(1);
        loop {
            self.probes += 1;
            *n += 1;
            let id = format!("{wanted}-{n}");
            // `notes-2` may have been taken by a heading of that very text.
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
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
    fn repeated_ids_are_numbered_with_one_probe_each() {
        let mut ids = UniqueIds::default();
        let got: Vec<String> = (0..20_000).map(|_| ids.get("notes")).collect();
        assert_eq!(got[0], "notes");
        assert_eq!(got[1], "notes-2");
        assert_eq!(got[19_999], "notes-20000");
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), 20_000);
        // One probe for the first, two for each later one: linear, not quadratic.
        assert_eq!(ids.probes, 1 + 2 * 19_999);
    }

    #[test]
    fn numbered_ids_skip_ids_already_taken() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.get("a-2"), "a-2");
        assert_eq!(ids.get("a"), "a");
        assert_eq!(ids.get("a"), "a-3");
        assert_eq!(ids.get("a-2"), "a-2-2");
    }

    #[test]
    fn text_of_strips_tags() {
        assert_eq!(text_of("<p>a &amp; <b>b</b></p>"), "a & b");
    }
}
