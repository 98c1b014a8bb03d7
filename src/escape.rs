//! Text made safe to place in markup: the one escaping function for HTML pages and SVG
//! drawings alike.
//!
//! It sits at the bottom so that both the renderer and the diagram writer use it without
//! the diagrams reaching into the renderer: text from data is text, whichever output it
//! ends up in.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(esc("a\u{1}b\tc\nd"), "a b\tc\nd");
        assert_eq!(esc("\u{FFFE}"), "\u{FFFD}");
    }
}
