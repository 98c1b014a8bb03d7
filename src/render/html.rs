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
            // Not characters in XML 1.0 either; a standalone SVG with one does not open.
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

// What the renderer and the check of links written in Markdown must agree on lives with
// the content pages, so the check needs no part of the renderer.
pub use crate::load::markdown::{UniqueIds, slugify, text_of};
