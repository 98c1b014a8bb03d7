//! Where the glossary's terms are written in a text: the one matching rule the renderer
//! marks terms by and the language server finds their uses by, so the editor shows as a
//! use of a term exactly what the site links to its entry.
//!
//! A term or one of its aliases matches at a word start when the text there ends a word
//! after it; lower-case spellings match any ASCII case ("tenant", "Tenant"), others only
//! as written ("SIP"); the longest spelling wins ("Azure tenant" over "tenant"). A bare web
//! address is passed over whole, so no term is found inside one.

use super::{Project, Term};
use std::ops::Range;

/// The glossary's spellings, longest first, with an index by first byte.
pub(crate) struct Terms {
    spellings: Vec<Spelling>,
    /// Per first byte of the text at a word start, the spellings that may start there, in
    /// the order of `spellings`: most word starts begin no term and are passed over
    /// without comparing any spelling.
    by_first_byte: Vec<Vec<usize>>,
}

struct Spelling {
    text: String,
    /// The term's place in the project's glossary.
    term: usize,
    /// Lower-case terms ("tenant") match any case; "SIP" matches only "SIP".
    any_case: bool,
}

/// What [`Terms::scan`] finds in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A bare `http://` or `https://` address.
    Address(Range<usize>),
    /// A spelling of the glossary's term number `term`.
    Term { at: Range<usize>, term: usize },
}

impl Terms {
    /// The spellings of the project's glossary: each term and its aliases.
    pub(crate) fn new(project: &Project) -> Self {
        let mut spellings = Vec::new();
        for (index, Term { term, aliases, .. }) in project.glossary.iter().enumerate() {
            for text in std::iter::once(&term.value).chain(aliases.iter().map(|a| &a.value)) {
                if text.trim().is_empty() {
                    continue;
                }
                spellings.push(Spelling::new(text, index));
            }
        }
        Terms::of(spellings)
    }

    /// No terms: only addresses are found.
    pub(crate) const fn none() -> Self {
        Terms {
            spellings: Vec::new(),
            by_first_byte: Vec::new(),
        }
    }

    fn of(mut spellings: Vec<Spelling>) -> Self {
        spellings.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
        let by_first_byte = first_byte_index(&spellings);
        Terms {
            spellings,
            by_first_byte,
        }
    }

    /// Reports every bare address and term in `text`, in order. With `once`, a term
    /// marked there is passed over and a term found is marked (the renderer links a term
    /// once per paragraph); without, every use is found.
    pub(crate) fn scan(
        &self,
        text: &str,
        mut once: Option<&mut [bool]>,
        mut found: impl FnMut(Found),
    ) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            if !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let at_word_start = i == 0 || !is_word_byte(bytes[i - 1]);
            if !at_word_start {
                i += 1;
                continue;
            }
            if text[i..].starts_with("https://") || text[i..].starts_with("http://") {
                let end = url_end(text, i);
                found(Found::Address(i..end));
                i = end;
                continue;
            }
            let skip = |term: usize| once.as_deref().is_some_and(|marked| marked[term]);
            if let Some((len, term)) = self.match_at(text, i, skip) {
                if let Some(marked) = once.as_deref_mut() {
                    marked[term] = true;
                }
                found(Found::Term {
                    at: i..i + len,
                    term,
                });
                i += len;
                continue;
            }
            i += 1;
        }
    }

    /// The spelling that starts at word start `at` and ends a word, longest first, of a
    /// term `skip` does not pass over: its length and term.
    fn match_at(
        &self,
        text: &str,
        at: usize,
        skip: impl Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let rest = &text[at..];
        let candidates = self
            .by_first_byte
            .get(usize::from(*rest.as_bytes().first()?))?;
        candidates.iter().find_map(|&index| {
            let s = &self.spellings[index];
            if skip(s.term) || rest.len() < s.text.len() || !rest.is_char_boundary(s.text.len()) {
                return None;
            }
            let candidate = &rest[..s.text.len()];
            let same = if s.any_case {
                candidate.eq_ignore_ascii_case(&s.text)
            } else {
                candidate == s.text
            };
            let ends_word = rest
                .as_bytes()
                .get(s.text.len())
                .is_none_or(|b| !is_word_byte(*b));
            (same && ends_word).then_some((s.text.len(), s.term))
        })
    }
}

impl Spelling {
    fn new(text: &str, term: usize) -> Self {
        Spelling {
            text: text.to_string(),
            term,
            any_case: text.chars().all(|c| !c.is_uppercase()),
        }
    }
}

/// For each byte, the indexes of the spellings whose text may start with it: a spelling
/// matching any case is listed under both ASCII cases of its first byte, as the match
/// ignores ASCII case only.
fn first_byte_index(spellings: &[Spelling]) -> Vec<Vec<usize>> {
    let mut index = vec![Vec::new(); 256];
    for (at, spelling) in spellings.iter().enumerate() {
        let Some(&first) = spelling.text.as_bytes().first() else {
            continue;
        };
        let mut starts = vec![first];
        if spelling.any_case {
            starts.push(first.to_ascii_lowercase());
            starts.push(first.to_ascii_uppercase());
        }
        starts.sort_unstable();
        starts.dedup();
        for start in starts {
            index[start as usize].push(at);
        }
    }
    index
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

/// A bare address ends at white space or a closing bracket; a final full stop or comma
/// belongs to the sentence.
fn url_end(text: &str, start: usize) -> usize {
    let mut end = text[start..]
        .find(|c: char| c.is_whitespace() || c == ')' || c == '<' || c == '"')
        .map_or(text.len(), |i| start + i);
    while end > start && text[..end].ends_with(['.', ',', ';', ':']) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(spellings: &[(&str, usize)]) -> Terms {
        Terms::of(
            spellings
                .iter()
                .map(|&(text, term)| Spelling::new(text, term))
                .collect(),
        )
    }

    fn found(terms: &Terms, text: &str, once: bool) -> Vec<(String, usize)> {
        let mut marked = [false; 3];
        let mut out = Vec::new();
        terms.scan(text, once.then_some(&mut marked[..]), |f| match f {
            Found::Term { at, term } => out.push((text[at].to_string(), term)),
            Found::Address(at) => out.push((text[at].to_string(), usize::MAX)),
        });
        out
    }

    /// The index by first byte must find what a scan of every spelling finds: any ASCII
    /// case for lower-case terms, the exact case for the others, the longest first.
    #[test]
    fn terms_are_found_by_their_first_byte_in_either_case() {
        let terms = terms(&[("tenant", 0), ("SIP", 1), ("Azure tenant", 2), ("1x", 0)]);
        // Sorted: "Azure tenant", "tenant", "SIP", "1x".
        assert_eq!(terms.by_first_byte[b'A' as usize], vec![0]);
        assert!(terms.by_first_byte[b'a' as usize].is_empty());
        assert_eq!(terms.by_first_byte[b't' as usize], vec![1]);
        assert_eq!(terms.by_first_byte[b'T' as usize], vec![1]);
        assert_eq!(terms.by_first_byte[b'S' as usize], vec![2]);
        assert!(terms.by_first_byte[b's' as usize].is_empty());
        assert_eq!(terms.by_first_byte[b'1' as usize], vec![3]);
        let text = "Tenant sip SIP; Azure tenant";
        let all = found(&terms, text, false);
        assert_eq!(
            all,
            [
                ("Tenant".to_string(), 0),
                ("SIP".to_string(), 1),
                ("Azure tenant".to_string(), 2)
            ]
        );
    }

    /// Once per text when asked (the renderer's rule), every use otherwise; never inside
    /// an address or a longer word.
    #[test]
    fn uses_are_found_once_or_all_and_never_inside_an_address() {
        let terms = terms(&[("tenant", 0)]);
        let text = "A tenant, tenants, https://x.org/tenant. Tenant";
        let all = found(&terms, text, false);
        assert_eq!(
            all,
            [
                ("tenant".to_string(), 0),
                ("https://x.org/tenant".to_string(), usize::MAX),
                ("Tenant".to_string(), 0)
            ]
        );
        assert_eq!(found(&terms, text, true).len(), 2);
        assert_eq!(found(&Terms::none(), text, false).len(), 1);
    }
}
