//! Text made safe for where it goes: the one escaping function for HTML pages and SVG
//! drawings alike ([`esc`]), and the one for names and text in terminal messages and YAML
//! comments ([`shown`]).
//!
//! It sits at the bottom so that both the renderer and the diagram writer use it without
//! the diagrams reaching into the renderer: text from data is text, whichever output it
//! ends up in.

/// Escapes text for use in element content and in double- or single-quoted attribute
/// values, of HTML pages and of SVG drawings alike.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    esc_into(text, &mut out);
    out
}

/// [`esc`] appended to `out`, for callers that build one string from many pieces and
/// would otherwise allocate a string per piece.
pub(crate) fn esc_into(text: &str, out: &mut String) {
    for_each_piece(text, true, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
}

/// [`esc_into`] for element content only, never an attribute value: there quotes need no
/// escape, and code is full of them (a JSON block is half quotes), so highlighted code
/// keeps them as they are.
pub(crate) fn esc_content_into(text: &str, out: &mut String) {
    for_each_piece(text, false, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
}

/// [`esc`] written to `out`, for the template engine, which writes into a buffer of its
/// own: no string is made for the escaped text.
pub(crate) fn esc_write(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for_each_piece(text, true, |piece| out.write_all(piece.as_bytes()))
}

/// Hands the escaped form of `text` to `emit` as runs of unchanged text and replacements.
/// Most text has nothing to escape, so it goes out as one run; the scan is over bytes,
/// as every character escaped is ASCII except U+FFFE and U+FFFF, whose UTF-8 forms
/// (`EF BF BE`, `EF BF BF`) are the only ones starting `EF BF` and ending `BE` or `BF`.
/// Quotes are escaped when `quotes` is set, as text in an attribute value needs.
fn for_each_piece<E>(
    text: &str,
    quotes: bool,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if quotes => ("&quot;", 1),
            b'\'' if quotes => ("&#39;", 1),
            // Control characters other than tab and newline are allowed neither in XML 1.0
            // nor in HTML text.
            b if b < 0x20 && b != b'\t' && b != b'\n' => (" ", 1),
            // Not characters in XML 1.0 either; a standalone SVG with one does not open.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("\u{FFFD}", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        if plain_from < i {
            emit(&text[plain_from..i])?;
        }
        emit(replacement)?;
        i += len;
        plain_from = i;
    }
    if plain_from < bytes.len() {
        emit(&text[plain_from..])?;
    }
    Ok(())
}

/// Text from a source file, or a file name, as it may be shown in a message or a YAML
/// comment: control
/// characters, line and paragraph separators and the marks that reorder text are
/// written as escapes (`\n`, `\u{1b}`), so a name can neither start a new line nor
/// command a terminal.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `c` is escaped by [`shown`].
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
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
        assert_eq!(
            esc("x\u{FFFF}y\u{FFFD}\u{EFBF}"),
            "x\u{FFFD}y\u{FFFD}\u{EFBF}"
        );
    }

    /// The byte scan must give what a character-by-character escape gives, for every
    /// character class it treats specially and for text with nothing to escape.
    #[test]
    fn every_form_gives_the_same_text() {
        let samples = [
            "",
            "plain text, nothing to escape",
            "Über <b>&</b> \"quoted\" 'single' \u{7}bell\r\n\t",
            "\u{FFFE}\u{FFFF}\u{FFFD}\u{FEFF}\u{EFFF}日本語",
        ];
        for sample in samples {
            let by_chars: String = sample
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c if (c as u32) < 0x20 && c != '\t' && c != '\n' => " ".to_string(),
                    '\u{FFFE}' | '\u{FFFF}' => "\u{FFFD}".to_string(),
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(esc(sample), by_chars);
            let mut appended = String::from("x");
            esc_into(sample, &mut appended);
            assert_eq!(appended, format!("x{by_chars}"));
            let mut written = Vec::new();
            esc_write(sample, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), by_chars);
        }
    }
}
