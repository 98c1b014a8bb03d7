//! Raw HTML in content pages, made safe to publish.
//!
//! Markdown lets writers mix in HTML. Unless `content.trust_html` is set, a page whose
//! Markdown holds raw HTML is run through an allowlist sanitiser: the elements and
//! attributes that Markdown and the theme use are kept (tables, `details`/`summary`,
//! `kbd`, `abbr`, `sub`/`sup`, images with safe addresses, heading ids, alerts,
//! footnotes, task lists), everything else is removed: scripts, styles, frames, SVG and
//! MathML with all they hold, event handler attributes, and addresses with a scheme that
//! runs code (`javascript:`, `vbscript:`, `data:` other than an image).
//!
//! `scan_from` finds what the sanitiser is going to remove, so that each removal can be told
//! to the writer at its line; `clean` does the removal. The markup rasci generates
//! itself (highlighted code, data views, glossary tooltips, heading anchors) does not go
//! through the sanitiser: the renderer sets it aside as `Slots` and puts it back after.

use crate::diagnostic::RuleId;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements writers may use in content pages.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with everything inside them: code, styles, embedded
/// documents, and the foreign SVG and MathML worlds, whose parsing rules differ from
/// HTML's.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet", "embed", "frame", "frameset", "iframe", "math", "noembed", "noframes", "noscript",
    "object", "script", "select", "style", "svg", "template", "textarea", "title", "xmp",
];

/// Elements whose content the HTML parser reads as plain text up to the closing tag.
const RAW_TEXT: &[&str] = &[
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp",
];

/// Attributes allowed on every element.
const GENERIC_ATTRIBUTES: &[&str] = &["dir", "lang", "title"];

/// Attributes allowed per element.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("bdo", &["dir"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("div", &["id"]),
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("img", &["alt", "height", "src", "width"]),
    ("input", &["checked", "disabled"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["reversed", "start"]),
    ("q", &["cite"]),
    ("td", &["colspan", "headers", "rowspan", "style"]),
    ("th", &["colspan", "headers", "rowspan", "scope", "style"]),
    ("time", &["datetime"]),
];

/// Classes allowed per element: the alert boxes, footnotes and the theme's helpers.
const CLASSES: &[(&str, &[&str])] = &[
    (
        "div",
        &[
            "alert",
            "alert-caution",
            "alert-important",
            "alert-note",
            "alert-tip",
            "alert-warning",
            "footnote-definition",
        ],
    ),
    ("sup", &["footnote-definition-label", "footnote-reference"]),
    ("kbd", &["kbd"]),
];

/// Attributes allowed only with one of these values.
const ATTRIBUTE_VALUES: &[(&str, &str, &[&str])] =
    &[("div", "role", &["note"]), ("input", "type", &["checkbox"])];

/// URL schemes a link or image may use; any other scheme is removed. `data:` is further
/// limited to images (see [`url_problem`]).
const URL_SCHEMES: &[&str] = &[
    "data", "ftp", "ftps", "geo", "http", "https", "irc", "ircs", "magnet", "mailto", "news",
    "nntp", "sip", "sips", "sms", "tel", "webcal", "xmpp",
];

/// Image types a `data:` address may hold. Browsers run no script in an image, SVG
/// included, when it is shown by `<img>`.
const DATA_IMAGES: &[&str] = &[
    "image/avif",
    "image/bmp",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/svg+xml",
    "image/webp",
];

/// Attributes that hold an address, for every element.
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "longdesc",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

/// Marks the start and end of a slot: noncharacters, which no text should hold. The
/// renderer replaces them in the writer's text before rendering (see [`neutralise`]).
pub(crate) const SLOT_OPEN: char = '\u{FDD0}';
pub(crate) const SLOT_CLOSE: char = '\u{FDD1}';

/// Replaces the slot marks in a writer's text, so that only the renderer can make slots.
/// Each mark and its replacement take three bytes, so offsets into the text still hold.
pub(crate) fn neutralise(text: &str) -> String {
    text.replace([SLOT_OPEN, SLOT_CLOSE], "\u{FFFD}")
}

/// rasci's own markup, set aside while the writer's HTML is sanitised. When nothing
/// needs sanitising, [`Slots::keep`] returns the markup itself and nothing changes.
#[derive(Debug)]
pub(crate) struct Slots {
    on: bool,
    parts: Vec<String>,
}

impl Slots {
    pub(crate) fn new(on: bool) -> Self {
        Slots {
            on,
            parts: Vec::new(),
        }
    }

    /// The markup, or a placeholder for it when the page is to be sanitised.
    pub(crate) fn keep(&mut self, html: String) -> String {
        if !self.on {
            return html;
        }
        let n = self.parts.len();
        self.parts.push(html);
        format!("{SLOT_OPEN}{n}{SLOT_CLOSE}")
    }

    /// Sanitises `html` and puts the kept markup back in place of the placeholders.
    /// Placeholders can only be left in text: the sanitiser removes the slot marks from
    /// attribute values, comments are dropped, and raw text elements go whole.
    pub(crate) fn finish(self, html: String) -> String {
        if !self.on {
            return html;
        }
        let cleaned = clean(&html);
        let mut out = String::with_capacity(
            cleaned.len() + self.parts.iter().map(String::len).sum::<usize>(),
        );
        let mut rest = cleaned.as_str();
        while let Some(open) = rest.find(SLOT_OPEN) {
            out.push_str(&rest[..open]);
            let after = &rest[open + SLOT_OPEN.len_utf8()..];
            let index = after
                .find(SLOT_CLOSE)
                .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
            match index {
                Some((n, close)) if n < self.parts.len() => {
                    out.push_str(&self.parts[n]);
                    rest = &after[close + SLOT_CLOSE.len_utf8()..];
                }
                _ => rest = after,
            }
        }
        out.push_str(rest);
        out
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
        .collect();
    let classes: HashMap<&str, HashSet<&str>> = CLASSES
        .iter()
        .map(|(tag, classes)| (*tag, classes.iter().copied().collect()))
        .collect();
    let mut values: HashMap<&str, HashMap<&str, HashSet<&str>>> = HashMap::new();
    for (tag, attribute, allowed) in ATTRIBUTE_VALUES {
        values
            .entry(tag)
            .or_default()
            .insert(attribute, allowed.iter().copied().collect());
    }
    // A task list's box, as Markdown writes it: never a field to type into.
    let mut set_values: HashMap<&str, HashMap<&str, &str>> = HashMap::new();
    set_values.insert(
        "input",
        [("type", "checkbox"), ("disabled", "")]
            .into_iter()
            .collect(),
    );
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .tag_attribute_values(values)
        .set_tag_attribute_values(set_values)
        .allowed_classes(classes)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| {
            if URL_ATTRIBUTES.contains(&attribute)
                && url_problem(value, element == "img" && attribute == "src").is_some()
            {
                return None;
            }
            if value.contains([SLOT_OPEN, SLOT_CLOSE]) {
                return Some(Cow::Owned(value.replace([SLOT_OPEN, SLOT_CLOSE], "")));
            }
            Some(Cow::Borrowed(value))
        });
    builder
});

/// The HTML with everything outside the allowlist removed.
pub(crate) fn clean(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Why an address may not be used, or `None` when it may. `image` says it is the source
/// of an image, where `data:` images are allowed. The scheme is read as a browser reads
/// it: white space and control characters around it and tabs and line breaks inside it
/// do not hide it (`java\tscript:`).
pub(crate) fn url_problem(url: &str, image: bool) -> Option<String> {
    let squeezed: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = squeezed.find(':')?;
    let scheme = &squeezed[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "data" {
        let media = squeezed[colon + 1..]
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if image && DATA_IMAGES.contains(&media.as_str()) {
            return None;
        }
        return Some(if image {
            format!("a `data:` address that is not an image ({media})")
        } else {
            "a `data:` address outside an image".to_string()
        });
    }
    if URL_SCHEMES.contains(&scheme.as_str()) {
        None
    } else {
        Some(format!("the `{scheme}:` scheme"))
    }
}

/// Something the sanitiser will remove from a piece of raw HTML, at a byte offset in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub(crate) offset: usize,
    pub(crate) len: usize,
    /// [`RuleId::ContentUnsafeHtml`] or [`RuleId::ContentUnsafeUrl`].
    pub(crate) rule: RuleId,
    pub(crate) message: String,
}

/// What [`clean`] will remove from `html`, tag by tag, for the findings. It reads the
/// tags the way the sanitiser's parser does in the common cases; the sanitiser, not this
/// scan, is what keeps pages safe. A page may hold several pieces of HTML, read in
/// order: `inside` is the
/// element whose content the sanitiser removes (or reads as text) that an earlier piece
/// opened and no piece has closed yet, as in `<svg>`, `<circle/>`, `</svg>` written inline.
pub(crate) fn scan_from(html: &str, inside: &mut Option<String>) -> Vec<Removal> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    if let Some(name) = inside.take() {
        match find_ascii_case_insensitive(html, &format!("</{name}")) {
            Some(end) => i = end,
            None => {
                *inside = Some(name);
                return found;
            }
        }
    }
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(html.len(), |e| start + e + 1);
            continue;
        }
        let name_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map_or(rest.len(), |e| e + 1);
        let name = rest[1..name_end].to_ascii_lowercase();
        if name.is_empty() || !bytes[start + 1].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let (attributes, tag_end) = attributes(html, start + name_end);
        let len = tag_end - start;
        if REMOVED_WITH_CONTENT.contains(&name.as_str()) {
            found.push(Removal {
                offset: start,
                len,
                rule: RuleId::ContentUnsafeHtml,
                message: format!("the `<{name}>` element is removed, with everything in it"),
            });
        } else if !TAGS.contains(&name.as_str()) {
            found.push(Removal {
                offset: start,
                len,
                rule: RuleId::ContentUnsafeHtml,
                message: format!("the `<{name}>` element is removed; its text stays"),
            });
        } else {
            let mut removed = Vec::new();
            for (attribute, value) in &attributes {
                if URL_ATTRIBUTES.contains(&attribute.as_str()) && allowed(&name, attribute) {
                    let image = name == "img" && attribute == "src";
                    if let Some(why) = url_problem(&decode_entities(value), image) {
                        found.push(Removal {
                            offset: start,
                            len,
                            rule: RuleId::ContentUnsafeUrl,
                            message: format!(
                                "the `{attribute}` of this `<{name}>` is removed: it uses {why}"
                            ),
                        });
                    }
                } else if !allowed(&name, attribute) && !is_allowed_value(&name, attribute, value) {
                    removed.push(format!("`{attribute}`"));
                }
            }
            if !removed.is_empty() {
                let s = if removed.len() == 1 { "" } else { "s" };
                found.push(Removal {
                    offset: start,
                    len,
                    rule: RuleId::ContentUnsafeHtml,
                    message: format!(
                        "the attribute{s} {} of this `<{name}>` {} removed",
                        removed.join(", "),
                        if removed.len() == 1 { "is" } else { "are" }
                    ),
                });
            }
        }
        i = tag_end;
        let void = matches!(name.as_str(), "embed" | "frame");
        if RAW_TEXT.contains(&name.as_str())
            || (REMOVED_WITH_CONTENT.contains(&name.as_str()) && !void)
        {
            // Raw text up to the closing tag, or content that goes with the element:
            // nothing in between is worth a finding of its own.
            let closing = format!("</{name}");
            match find_ascii_case_insensitive(&html[i..], &closing) {
                Some(e) => i += e,
                None => {
                    *inside = Some(name);
                    i = html.len();
                }
            }
        }
    }
    found
}

/// Whether an attribute survives on an element (classes: whether any may).
fn allowed(tag: &str, attribute: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attribute)
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attributes)| *t == tag && attributes.contains(&attribute))
        || (attribute == "class" && CLASSES.iter().any(|(t, _)| *t == tag))
}

fn is_allowed_value(tag: &str, attribute: &str, value: &str) -> bool {
    ATTRIBUTE_VALUES
        .iter()
        .any(|(t, a, values)| *t == tag && *a == attribute && values.contains(&value))
}

/// The attributes of a start tag whose name ends at `from`, lower-cased names with their
/// values as written, and the offset after the tag's `>`.
fn attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = from;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (found, html.len());
        }
        if bytes[i] == b'>' {
            return (found, i + 1);
        }
        let name_start = i;
        i += 1;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if j < bytes.len() && bytes[j] == b'=' {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| j + 1 + e);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(html.len());
                }
                _ => {
                    let end = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| j + e);
                    value = html[j..end].to_string();
                    j = end;
                }
            }
            i = j;
        }
        found.push((name, value));
    }
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let hay = haystack.as_bytes();
    let needle = needle.as_bytes();
    (0..=hay.len().checked_sub(needle.len())?)
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Character references in an attribute value, decoded as far as a scheme check needs:
/// numeric ones and the names that spell out a scheme's punctuation.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let used = end + usize::from(after[end..].starts_with(';'));
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_bad_urls_go() {
        let html = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script><img src=x onerror=alert(1)>\
             <a href=\"javascript:alert(1)\">j</a><svg onload=alert(1)><circle/></svg>\
             <iframe src=\"https://x\"></iframe></p>",
        );
        assert_eq!(html, "<p>a<img src=\"x\"><a>j</a></p>");
    }

    #[test]
    fn markdown_and_theme_markup_stays() {
        for html in [
            "<details open=\"\"><summary>S</summary><p><kbd>Ctrl</kbd> <abbr title=\"x\">X</abbr> H<sub>2</sub>O<sup>2</sup></p></details>",
            "<table><thead><tr><th style=\"text-align:left\">a</th></tr></thead><tbody><tr><td style=\"text-align:center\">1</td></tr></tbody></table>",
            "<div class=\"alert alert-note\" role=\"note\"><p>hi</p></div>",
            "<h2 id=\"x\">X</h2><img src=\"data:image/png;base64,AA\" alt=\"a\">",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">a</li></ul>",
        ] {
            assert_eq!(clean(html), html);
        }
    }

    #[test]
    fn data_urls_only_for_images() {
        assert_eq!(url_problem("data:image/png;base64,AA", true), None);
        assert!(url_problem("data:image/png;base64,AA", false).is_some());
        assert!(url_problem("data:text/html,<script>", true).is_some());
        assert!(url_problem(" JaVa\tScRiPt:alert(1)", false).is_some());
        assert!(url_problem("vbscript:x", false).is_some());
        assert_eq!(url_problem("https://example.com/a:b", false), None);
        assert_eq!(url_problem("../page/index.html#a:b", false), None);
        assert_eq!(url_problem("mailto:a@b.c", false), None);
    }

    #[test]
    fn scan_names_what_goes() {
        let found = scan_from(
            "<script>if (a<b) {}</script>\n<img src=x onerror=alert(1)>\n\
             <a href=\"&#106;avascript:x\">j</a> <b>ok</b>",
            &mut None,
        );
        let rules: Vec<(RuleId, usize)> = found.iter().map(|r| (r.rule, r.offset)).collect();
        assert_eq!(
            rules,
            vec![
                (RuleId::ContentUnsafeHtml, 0),
                (RuleId::ContentUnsafeHtml, 29),
                (RuleId::ContentUnsafeUrl, 58)
            ],
            "{found:#?}"
        );
        assert!(
            found[1].message.contains("`onerror`"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn placeholders_in_attributes_lose_their_marks() {
        let mut slots = Slots::new(true);
        let kept = slots.keep("<b>trusted</b>".to_string());
        let html = slots.finish(format!("<p title=\"{kept}\">{kept}</p>"));
        assert_eq!(html, "<p title=\"0\"><b>trusted</b></p>");
    }
}
