//! Small HTML helpers shared by the renderers.

pub use crate::escape::esc;
pub use crate::load::ids::slugify;
use std::collections::{HashMap, HashSet};

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
