//! Glossary terms marked where they are used. The first use of a term in a paragraph,
//! list item or table cell links to its entry on the glossary page and carries its
//! definition in the markup, shown on hover and on keyboard focus by CSS alone.

use crate::escape::{esc, esc_into};
use crate::load::ids::term_anchor;
use crate::model::{Project, Term};

/// The glossary's terms and spellings, longest first so "Azure tenant" wins over "tenant".
pub(crate) struct Glossary {
    spellings: Vec<Spelling>,
    terms: Vec<(String, String)>,
    /// Per first byte of the text at a word start, the spellings that may start there, in
    /// the order of `spellings`: most word starts begin no term and are passed over
    /// without comparing any spelling.
    by_first_byte: Vec<Vec<usize>>,
}

struct Spelling {
    text: String,
    term: usize,
    /// Lower-case terms ("tenant") match any case; "SIP" matches only "SIP".
    any_case: bool,
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

impl Glossary {
    pub(crate) fn new(project: &Project) -> Self {
        let mut spellings = Vec::new();
        let mut terms = Vec::new();
        for (
            index,
            Term {
                term,
                aliases,
                definition,
                ..
            },
        ) in project.glossary.iter().enumerate()
        {
            terms.push((term.value.clone(), definition.value.trim().to_string()));
            for text in std::iter::once(&term.value).chain(aliases.iter().map(|a| &a.value)) {
                if text.trim().is_empty() {
                    continue;
                }
                spellings.push(Spelling {
                    text: text.clone(),
                    term: index,
                    any_case: text.chars().all(|c| !c.is_uppercase()),
                });
            }
        }
        spellings.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
        let by_first_byte = first_byte_index(&spellings);
        Glossary {
            spellings,
            terms,
            by_first_byte,
        }
    }

    /// A glossary without terms.
    pub(crate) fn empty() -> Self {
        Glossary {
            spellings: Vec::new(),
            terms: Vec::new(),
            by_first_byte: vec![Vec::new(); 256],
        }
    }
}

/// Marks terms on one page. Tooltip ids count up per page, so two builds give the same
/// ids and no id repeats within a page.
pub(crate) struct Marker<'g> {
    glossary: &'g Glossary,
    /// Link prefix from the page to the site root, e.g. `../`.
    root: String,
    next_id: u32,
    marked: Vec<bool>,
    /// Off on the glossary page itself, where every term is already explained.
    enabled: bool,
}

impl<'g> Marker<'g> {
    pub(crate) fn new(glossary: &'g Glossary, root: &str) -> Self {
        Marker {
            glossary,
            root: root.to_string(),
            next_id: 0,
            marked: vec![false; glossary.terms.len()],
            enabled: true,
        }
    }

    pub(crate) fn disable(&mut self) {
        self.enabled = false;
    }

    /// A new paragraph, list item or cell: each term may be marked again once.
    pub(crate) fn start_block(&mut self) {
        self.marked.iter_mut().for_each(|m| *m = false);
    }

    /// Escapes `text` for HTML, marking glossary terms and linking bare web addresses.
    pub(crate) fn mark(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut plain_from = 0;
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            if !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let at_word_start = i == 0 || !is_word_byte(bytes[i - 1]);
            if at_word_start
                && (text[i..].starts_with("https://") || text[i..].starts_with("http://"))
            {
                let end = url_end(text, i);
                esc_into(&text[plain_from..i], &mut out);
                let url = esc(&text[i..end]);
                out.push_str("<a class=\"external\" href=\"");
                out.push_str(&url);
                out.push_str("\" rel=\"noopener\">");
                out.push_str(&url);
                out.push_str("</a>");
                i = end;
                plain_from = end;
                continue;
            }
            if at_word_start
                && self.enabled
                && let Some((len, term)) = self.match_at(text, i)
            {
                esc_into(&text[plain_from..i], &mut out);
                out.push_str(&self.term_html(&text[i..i + len], term));
                self.marked[term] = true;
                i += len;
                plain_from = i;
                continue;
            }
            i += 1;
        }
        esc_into(&text[plain_from..], &mut out);
        out
    }

    fn match_at(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let rest = &text[at..];
        let candidates = &self.glossary.by_first_byte[rest.as_bytes()[0] as usize];
        candidates.iter().find_map(|&index| {
            let s = &self.glossary.spellings[index];
            if self.marked[s.term]
                || rest.len() < s.text.len()
                || !rest.is_char_boundary(s.text.len())
            {
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

    fn term_html(&mut self, shown: &str, term: usize) -> String {
        let (name, definition) = &self.glossary.terms[term];
        self.next_id += 1;
        let id = format!("tip-{}", self.next_id);
        format!(
            "<span class=\"term\"><a class=\"term-link\" href=\"{root}glossary/index.html#{anchor}\" \
             aria-describedby=\"{id}\">{shown}</a><span class=\"term-def\" role=\"tooltip\" id=\"{id}\">\
             <strong>{name}</strong> {definition}</span></span>",
            root = self.root,
            anchor = term_anchor(name),
            shown = esc(shown),
            name = esc(name),
            definition = esc(definition),
        )
    }
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

    fn glossary(spellings: &[(&str, usize)]) -> Glossary {
        let mut spellings: Vec<Spelling> = spellings
            .iter()
            .map(|&(text, term)| Spelling {
                text: text.to_string(),
                term,
                any_case: text.chars().all(|c| !c.is_uppercase()),
            })
            .collect();
        spellings.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
        let by_first_byte = first_byte_index(&spellings);
        Glossary {
            spellings,
            terms: vec![
                ("tenant".into(), "An organisation.".into()),
                ("SIP".into(), "A protocol.".into()),
                ("Azure tenant".into(), "A directory.".into()),
            ],
            by_first_byte,
        }
    }

    /// The index by first byte must find what a scan of every spelling finds: any ASCII
    /// case for lower-case terms, the exact case for the others, the longest first.
    #[test]
    fn terms_are_found_by_their_first_byte_in_either_case() {
        let glossary = glossary(&[("tenant", 0), ("SIP", 1), ("Azure tenant", 2), ("1x", 0)]);
        // Sorted: "Azure tenant", "tenant", "SIP", "1x".
        assert_eq!(glossary.by_first_byte[b'A' as usize], vec![0]);
        assert!(glossary.by_first_byte[b'a' as usize].is_empty());
        assert_eq!(glossary.by_first_byte[b't' as usize], vec![1]);
        assert_eq!(glossary.by_first_byte[b'T' as usize], vec![1]);
        assert_eq!(glossary.by_first_byte[b'S' as usize], vec![2]);
        assert!(glossary.by_first_byte[b's' as usize].is_empty());
        assert_eq!(glossary.by_first_byte[b'1' as usize], vec![3]);
        let mut marker = Marker::new(&glossary, "../");
        let html = marker.mark("Tenant sip SIP; Azure tenant");
        assert_eq!(html.matches("class=\"term\"").count(), 3, "{html}");
        assert!(html.contains(">Tenant</a>"), "{html}");
        assert!(html.contains("sip "), "{html}");
        assert!(html.contains(">SIP</a>"), "{html}");
        assert!(html.contains(">Azure tenant</a>"), "{html}");
        assert!(!html.contains(">tenant</a>"), "{html}");
    }
}
