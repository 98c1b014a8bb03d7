//! Text measurement, wrapping, escaping and number formatting for the SVG writer.
//!
//! The diagrams are drawn at build time without a font engine, so widths are estimated:
//! an average glyph of a sans-serif face is about 0.55 em wide. Boxes get a little padding
//! on top of the estimate to absorb the error.

use std::fmt::Write;

/// Font size of text in boxes, in pixels.
pub(crate) const FONT: f64 = 13.0;
/// Distance between baselines of wrapped lines in boxes.
pub(crate) const LINE: f64 = 17.0;
/// Font size of arrow labels and the legend.
pub(crate) const SMALL_FONT: f64 = 12.0;
/// Distance between baselines of wrapped arrow labels.
pub(crate) const SMALL_LINE: f64 = 15.0;

const EM_PER_CHAR: f64 = 0.55;

/// Estimated width of `text` set at `font` pixels.
pub fn width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * EM_PER_CHAR * font
}

/// The widest of `lines`.
pub(crate) fn block_width(lines: &[String], font: f64) -> f64 {
    lines.iter().map(|l| width(l, font)).fold(0.0, f64::max)
}

/// Splits `text` into lines no wider than `max_width`, breaking between words; a word
/// longer than a whole line is cut.
pub(crate) fn wrap(text: &str, max_width: f64, font: f64) -> Vec<String> {
    let max_chars = ((max_width / (EM_PER_CHAR * font)).floor() as usize).max(4);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max_chars {
            if current_len > 0 {
                lines.push(std::mem::take(&mut current));
                current_len = 0;
            }
            let rest = word.split_off(max_chars);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let needed = if current_len == 0 {
            word.len()
        } else {
            current_len + 1 + word.len()
        };
        if needed > max_chars && current_len > 0 {
            lines.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if current_len > 0 {
            current.push(' ');
            current_len += 1;
        }
        current.extend(word.iter());
        current_len += word.len();
    }
    if current_len > 0 || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Escapes text for use in XML content and in double- or single-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    crate::escape::esc(text)
}

/// A coordinate as written into the SVG: rounded to a tenth, without trailing zeros, so
/// the output does not depend on how the float happened to be computed.
pub(crate) fn num(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    if abs.is_multiple_of(10) {
        format!("{sign}{}", abs / 10)
    } else {
        format!("{sign}{}.{}", abs / 10, abs % 10)
    }
}

/// A fragment usable in element ids: letters, digits, `-` and `_`; anything else becomes `-`.
pub(crate) fn id_fragment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes `lines` as one `<text>` element centred on `center`, one `<tspan>` per line.
pub(crate) fn write_lines(
    out: &mut String,
    lines: &[String],
    center_x: f64,
    center_y: f64,
    line: f64,
    font: f64,
    class: &str,
) {
    let first = center_y - (lines.len() as f64 - 1.0) * line / 2.0 + font * 0.35;
    let _ = write!(out, r#"<text class="{class}" text-anchor="middle">"#);
    for (i, l) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            num(center_x),
            num(first + i as f64 * line),
            escape(l)
        );
    }
    out.push_str("</text>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_between_words() {
        let lines = wrap("Handle the problem internally", 100.0, 13.0);
        assert_eq!(lines, vec!["Handle the", "problem", "internally"]);
        for l in &lines {
            assert!(width(l, 13.0) <= 100.0);
        }
    }

    #[test]
    fn cuts_overlong_words() {
        let lines = wrap("abcdefghijklmnopqrstuvwxyz", 40.0, 13.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "abcdefghijklmnopqrstuvwxyz");
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("", 100.0, 13.0), vec![String::new()]);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn formats_numbers_stably() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-3.5), "-3.5");
        assert_eq!(num(0.1 + 0.2), "0.3");
    }
}
