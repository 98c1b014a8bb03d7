//! Reading one cell's text: its formatting stripped, whether it is set in bold, and the
//! letters it stands for in any of the forms public matrices write them.

use crate::model::Letter;

/// The text without Markdown or HTML formatting: tags dropped, `**`, `__`, `` ` `` and
/// emphasis marks around words removed, `[text](url)` read as `text`, `\|` as `|`, runs of
/// white space made one space.
///
/// Stripping is repeated until nothing changes (`\*x\*` → `*x*` → `x`), so reading a
/// title again gives the same title: a matrix exported and imported keeps its titles.
/// Each pass is linear in the cell's length, and a pass that changes the text shortens
/// it; passes stop after `PLAIN_PASSES`, which only text nested deeper than any table
/// holds can reach.
pub fn plain(raw: &str) -> String {
    let mut text = plain_once(raw);
    for _ in 1..PLAIN_PASSES {
        let again = plain_once(&text);
        if again == text {
            break;
        }
        text = again;
    }
    text
}

/// The most passes of [`plain`].
const PLAIN_PASSES: usize = 8;

/// One pass of [`plain`]. Where the next `>`, `]` and `)` stand is found once, from the
/// end, so a cell of many `<` or `[` is not scanned again for each.
fn plain_once(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let next = |target: char| {
        let mut at = vec![usize::MAX; chars.len() + 1];
        for i in (0..chars.len()).rev() {
            at[i] = if chars[i] == target { i } else { at[i + 1] };
        }
        at
    };
    let (next_gt, next_close) = (next('>'), next(']'));
    let closing = closing_parens(&chars);
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '<' => {
                // An HTML tag: `<b>`, `</strong>`, `<br/>`. A lone `<` is text.
                let end = next_gt[i + 1];
                if end != usize::MAX {
                    let inner = &chars[i + 1..end];
                    let name = match inner.first() {
                        Some('/') => &inner[1..],
                        _ => inner,
                    };
                    if name.first().is_some_and(|ch| ch.is_ascii_alphabetic()) {
                        let br = name.len() >= 2
                            && name[0].eq_ignore_ascii_case(&'b')
                            && name[1].eq_ignore_ascii_case(&'r')
                            && matches!(name.get(2), None | Some(' ' | '/'));
                        if br {
                            out.push(' ');
                        }
                        i = end + 1;
                        continue;
                    }
                }
                out.push(c);
            }
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 1;
            }
            '*' | '`' | '~' => {
                // A run of marks beside text is emphasis, code or strike-through and is
                // dropped; one standing alone (`~`, `2 * 3`) is text.
                let end = i + chars[i..].iter().take_while(|&&d| d == c).count();
                let beside = |at: Option<&char>| at.is_some_and(|d| !d.is_whitespace());
                let touches = (i > 0 && beside(chars.get(i - 1))) || beside(chars.get(end));
                if !touches {
                    out.extend(&chars[i..end]);
                }
                i = end;
                continue;
            }
            '_' => {
                // Emphasis only at a word's edge; `snake_case` keeps its underscore.
                let before = i > 0 && chars[i - 1].is_alphanumeric();
                let after = i + 1 < chars.len() && chars[i + 1].is_alphanumeric();
                if before && after {
                    out.push(c);
                }
            }
            '[' => {
                // `[text](url)`: keep the text.
                let close = next_close[i + 1];
                if close != usize::MAX && chars.get(close + 1) == Some(&'(') {
                    let end = closing[close + 1];
                    if end != usize::MAX {
                        let text: String = chars[i + 1..close].iter().collect();
                        out.push_str(&plain_once(&text));
                        i = end + 1;
                        continue;
                    }
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For each `(`, where the `)` that closes it stands (`usize::MAX` for none), found in
/// one pass with a stack: an address may hold balanced parentheses
/// (`javascript:alert(1)`) and escaped ones, so a link ends at its own closing one, not at
/// the first `)`, which left the rest of the address in the text ("Run it)").
fn closing_parens(chars: &[char]) -> Vec<usize> {
    let mut closing = vec![usize::MAX; chars.len()];
    let mut open = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '(' => open.push(i),
            ')' => {
                if let Some(at) = open.pop() {
                    closing[at] = i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    closing
}

/// Whether the whole cell is set in bold: `**x**`, `__x__`, `<b>x</b>`, `<strong>x</strong>`.
pub(crate) fn is_bold(raw: &str) -> bool {
    let t = raw.trim();
    let wrapped = |open: &str, close: &str| {
        t.len() > open.len() + close.len()
            && t.get(..open.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(open))
            && t.get(t.len() - close.len()..)
                .is_some_and(|s| s.eq_ignore_ascii_case(close))
    };
    wrapped("**", "**")
        || wrapped("__", "__")
        || wrapped("<b>", "</b>")
        || wrapped("<strong>", "</strong>")
}

/// What a letter cell says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// No role: empty, `-`, `—`, `n/a`.
    None,
    Letters(Written),
    /// A part that is neither a letter nor a role's name; the cell is left out.
    Unreadable,
}

/// A cell's letters in the order the sheet writes them, each once. The data files keep a
/// cell's order and the site shows it, so an imported `A/R` stays "A, R" and `R/A` stays
/// "R, A".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Written(Vec<Letter>);

impl Written {
    /// Adds `letter` after the others, unless the cell gave it already.
    fn push(&mut self, letter: Letter) {
        if !self.0.contains(&letter) {
            self.0.push(letter);
        }
    }
}

impl std::fmt::Display for Written {
    /// `A, R`, as the data files write letters.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let letters: Vec<&str> = self.0.iter().map(|l| l.as_str()).collect();
        f.write_str(&letters.join(", "))
    }
}

/// Marks that say "no role".
const NONE_MARKS: &[&str] = &["-", "--", "—", "–", "n/a", "na", "none", "."];

/// Reads a cell's letters from `A/R`, `R/A`, `R, A`, `AR`, `A & R`, `A and R`,
/// `Responsible`, in any case. Separators are `/ , & + ;` and white space.
pub(crate) fn letters(raw: &str) -> Reading {
    let text = plain(raw);
    let lower = text.to_lowercase();
    if NONE_MARKS.contains(&lower.trim()) || lower.trim().is_empty() {
        return Reading::None;
    }
    let mut written = Written::default();
    for part in lower.split(|c: char| c.is_whitespace() || "/,&+;|".contains(c)) {
        if part.is_empty() || part == "and" {
            continue;
        }
        if let Some(letter) = role_name(part) {
            written.push(letter);
            continue;
        }
        if part.chars().all(|c| letter_of(c).is_some()) {
            for c in part.chars() {
                if let Some(letter) = letter_of(c) {
                    written.push(letter);
                }
            }
            continue;
        }
        return Reading::Unreadable;
    }
    if written.0.is_empty() {
        Reading::None
    } else {
        Reading::Letters(written)
    }
}

fn letter_of(c: char) -> Option<Letter> {
    Letter::from_char(c.to_ascii_uppercase())
}

/// A role written out: `Responsible`, `accountable`, `Support`, `Consult`, `Inform`.
fn role_name(word: &str) -> Option<Letter> {
    match word {
        "responsible" => Some(Letter::R),
        "accountable" => Some(Letter::A),
        "supportive" | "support" | "supporting" | "supports" => Some(Letter::S),
        "consulted" | "consult" => Some(Letter::C),
        "informed" | "inform" => Some(Letter::I),
        _ => None,
    }
}

/// Whether `raw` is already written the way the data files write letters (`A, R`, `AR`):
/// upper-case letters, commas and spaces only. Any other form is reported as changed.
pub(crate) fn is_native_form(raw: &str) -> bool {
    raw.chars().all(|c| "RASCI, ".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(letters: &[Letter]) -> Reading {
        let mut written = Written::default();
        for l in letters {
            written.push(*l);
        }
        Reading::Letters(written)
    }

    #[test]
    fn letter_forms() {
        let ar = set(&[Letter::A, Letter::R]);
        for form in [
            "A/R",
            "AR",
            "A & R",
            "a/r",
            "Accountable, Responsible",
            "**A/R**",
            "A and R",
            "A, R, A",
        ] {
            assert_eq!(letters(form), ar, "{form}");
        }
        // The order is the cell's own.
        let ra = set(&[Letter::R, Letter::A]);
        for form in ["R/A", "R, A", "ra", "Responsible and Accountable"] {
            assert_eq!(letters(form), ra, "{form}");
        }
        assert_eq!(letters("Responsible"), set(&[Letter::R]));
        assert_eq!(letters("I/C"), set(&[Letter::I, Letter::C]));
        for none in ["", "-", "—", "n/a", "N/A", " "] {
            assert_eq!(letters(none), Reading::None, "{none}");
        }
        for bad in ["X", "yes", "R?", "Owner", "ARX"] {
            assert_eq!(letters(bad), Reading::Unreadable, "{bad}");
        }
    }

    #[test]
    fn formatting_is_stripped() {
        assert_eq!(plain("**Planning Phase**"), "Planning Phase");
        assert_eq!(plain("<b>Deployment</b>"), "Deployment");
        assert_eq!(
            plain("See [the guide](https://x.test) `now`"),
            "See the guide now"
        );
        assert_eq!(plain("snake_case _word_"), "snake_case word");
        assert_eq!(plain("a\\|b  c"), "a|b c");
        // Marks standing alone are text: a party named `~`, a title `2 * 3`.
        assert_eq!(plain("~"), "~");
        assert_eq!(plain("2 * 3"), "2 * 3");
        assert_eq!(plain("~~old~~ **(new)**"), "old (new)");
        assert_eq!(plain("1 < 2"), "1 < 2");
        assert!(is_bold("**Planning**"));
        assert!(is_bold("<B>Deploy</B>"));
        assert!(!is_bold("Planning"));
        assert!(!is_bold("****"));
    }

    #[test]
    fn stripping_twice_changes_nothing() {
        for raw in [
            "\\_",
            "\\*x\\*",
            "[[a](b)](c)",
            "\\<b>x",
            "a\\\\_b",
            "1 < 2 > 0",
        ] {
            let once = plain(raw);
            assert_eq!(plain(&once), once, "{raw}");
        }
        assert_eq!(plain("[[a](b)](c)"), "a");
        // A link ends at the parenthesis that closes its address.
        assert_eq!(plain("Run [it](javascript:alert(1))"), "Run it");
        assert_eq!(
            plain("Open [the guide](https://example.org/a_(b) \"Guide (new)\") now"),
            "Open the guide now"
        );
    }
}
