//! How the Markdown of content pages is read, where two stages must read it alike: the
//! check of links written in Markdown (`check::links`, which runs for plain `rasci check`)
//! and the renderer. Both parse with `options`, give headings ids with `ids::slugify` and
//! `UniqueIds`, and resolve link destinations with `is_external`, `normalize` and
//! `percent_decode`. Kept here, below both, so the check needs no part of the renderer
//! and the two cannot drift apart.

use pulldown_cmark::Options;
use std::collections::{HashMap, HashSet};

/// The Markdown extensions pages are rendered with; the link check reads them the same way.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The element ids of one page: each id asked for is given once, and a repeated one gets
/// the next free number (`notes`, `notes-2`, `notes-3` …). The next number to try is kept
/// per wanted id, so a page with thousands of equal headings costs one step per heading
/// rather than one per earlier heading.
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, u32>,
    /// Candidate ids tried so far, counted to show the work stays linear.
    pub(crate) probes: usize,
}

impl UniqueIds {
    pub(crate) fn get(&mut self, wanted: &str) -> String {
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
///
/// One pass over the fragment: a tag counts as a space, `&lt;` `&gt;` `&quot;` `&#39;`
/// `&amp;` are decoded once (so `&amp;lt;` gives `&lt;`), and each run of white space
/// becomes one space, none at either end. An entity never spans a tag, as a tag counts as
/// a space.
pub(crate) fn text_of(html: &str) -> String {
    const ENTITIES: [(&str, &str); 5] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ];
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut space_pending = false;
    let mut i = 0;
    while i < bytes.len() {
        let shown: &str = match bytes[i] {
            b'<' => {
                // A tag that is never closed runs to the end, as it did character by
                // character.
                match html[i..].find('>') {
                    Some(close) => {
                        i += close + 1;
                        space_pending = true;
                        continue;
                    }
                    None => break,
                }
            }
            b'&' => match ENTITIES
                .iter()
                .find(|(name, _)| html[i..].starts_with(name))
            {
                Some((name, decoded)) => {
                    i += name.len();
                    decoded
                }
                None => {
                    i += 1;
                    "&"
                }
            },
            // The ASCII white space of `char::is_whitespace`, vertical tab included.
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => {
                space_pending = true;
                i += 1;
                continue;
            }
            b if b < 0x80 => {
                // A run of ASCII text with nothing to change goes out in one piece.
                let run = bytes[i..]
                    .iter()
                    .position(|&b| {
                        b >= 0x80
                            || matches!(b, b'<' | b'&' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
                    })
                    .map_or(bytes.len(), |len| i + len);
                let piece = &html[i..run];
                i = run;
                piece
            }
            _ => {
                let c = html[i..].chars().next().unwrap_or(' ');
                let piece = &html[i..i + c.len_utf8()];
                i += c.len_utf8();
                if c.is_whitespace() {
                    space_pending = true;
                    continue;
                }
                piece
            }
        };
        if space_pending && !out.is_empty() {
            out.push(' ');
        }
        space_pending = false;
        out.push_str(shown);
    }
    out
}

/// Whether a link leaves the site (has a scheme such as `https:` or `mailto:`).
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(colon) => {
            let scheme = &dest[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..colon].contains('/')
        }
        None => false,
    }
}

/// Resolves `.` and `..` in a `/`-separated path; `..` never climbs above the top.
pub(crate) fn normalize(path: &str) -> String {
    if path.split('/').all(|part| !matches!(part, "" | "." | "..")) {
        return path.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `%20` and the other percent escapes decoded; an escape that is not UTF-8 is kept.
/// Text without `%` is given back as it is, not copied: most links have none, and every
/// link of a site is decoded on every check.
pub(crate) fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
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
    fn paths_and_escapes() {
        assert_eq!(normalize("content/a/../b/./c.md"), "content/b/c.md");
        assert_eq!(normalize("../../x"), "x");
        assert_eq!(percent_decode("My%20Page.md"), "My Page.md");
        assert_eq!(percent_decode("%FF%20"), "%FF%20");
        assert!(is_external("https://example.com") && is_external("//cdn.example"));
        assert!(!is_external("other.md") && !is_external("a/b:c"));
    }

    #[test]
    fn text_of_strips_tags() {
        assert_eq!(text_of("<p>a &amp; <b>b</b></p>"), "a & b");
    }

    /// The former way, step by step: strip tags, decode, collapse white space.
    fn text_of_in_steps(html: &str) -> String {
        let mut out = String::new();
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

    #[test]
    fn text_of_in_one_pass_gives_the_text_of_the_steps() {
        let samples = [
            "",
            "   ",
            "<p></p>",
            "plain",
            "  <h2 id=\"x\">Title &amp;lt; <code>a&lt;b</code></h2>\n\n<p>x &gt; y</p>  ",
            "&amp;amp; &#39;q&#39; &quot;d&quot; &am<b>p; &lt &",
            "a > b <unclosed tag &amp;",
            "Über\u{A0}uns\u{2003}日本 <br/>x&#39;",
            "&&lt;;&amp&gt",
            "<a>b</a>c<d>",
            "a\u{B}b\u{C}c\r\nd\u{85}e\u{2028}f\u{3000}g",
            "x<y",
            "<p>a</p>>b &#39",
        ];
        for sample in samples {
            assert_eq!(text_of(sample), text_of_in_steps(sample), "{sample:?}");
        }
    }
}
