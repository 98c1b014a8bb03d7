//! Glossary terms marked where they are used. The first use of a term in a paragraph,
//! list item or table cell links to its entry on the glossary page. The page carries each
//! term's definition once, in its first mark (shown on hover and on keyboard focus by CSS
//! alone); a later mark of the term is described by that definition (`aria-describedby`)
//! and the theme's script shows a copy of it there, so a page where a term is used five
//! times does not carry its definition five times. Where a term is written is found by
//! `crate::model::terms`, which the language server shares.

use crate::escape::{esc, esc_into};
use crate::load::ids::term_anchor;
use crate::model::terms::{Found, Terms};
use crate::model::{Project, Term};

/// The glossary's terms: their spellings, and each one's name and definition.
pub(crate) struct Glossary {
    spellings: Terms,
    terms: Vec<(String, String)>,
}

impl Glossary {
    pub(crate) fn new(project: &Project) -> Self {
        let terms = project
            .glossary
            .iter()
            .map(
                |Term {
                     term, definition, ..
                 }| (term.value.clone(), definition.value.trim().to_string()),
            )
            .collect();
        Glossary {
            spellings: Terms::new(project),
            terms,
        }
    }

    /// A glossary without terms.
    pub(crate) fn empty() -> Self {
        Glossary {
            spellings: Terms::none(),
            terms: Vec::new(),
        }
    }
}

/// Finds no term, for the glossary page itself.
static NO_TERMS: Terms = Terms::none();

/// Marks terms on one page. Tooltip ids count up per page, so two builds give the same
/// ids and no id repeats within a page.
pub(crate) struct Marker<'g> {
    glossary: &'g Glossary,
    /// Link prefix from the page to the site root, e.g. `../`.
    root: String,
    next_id: u32,
    /// The term each tooltip id so far was made for (id `tip-N` at `N - 1`).
    tips: Vec<usize>,
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
            tips: Vec::new(),
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
        let spellings = if self.enabled {
            &self.glossary.spellings
        } else {
            &NO_TERMS
        };
        let (glossary, root, next_id, tips) =
            (self.glossary, &self.root, &mut self.next_id, &mut self.tips);
        spellings.scan(
            text,
            Some(self.marked.as_mut_slice()),
            |found| match found {
                Found::Address(at) => {
                    esc_into(&text[plain_from..at.start], &mut out);
                    let url = esc(&text[at.clone()]);
                    out.push_str("<a class=\"external\" href=\"");
                    out.push_str(&url);
                    out.push_str("\" rel=\"noopener\">");
                    out.push_str(&url);
                    out.push_str("</a>");
                    plain_from = at.end;
                }
                Found::Term { at, term } => {
                    esc_into(&text[plain_from..at.start], &mut out);
                    *next_id += 1;
                    tips.push(term);
                    out.push_str(&term_html(
                        glossary,
                        root,
                        *next_id,
                        &text[at.clone()],
                        term,
                    ));
                    plain_from = at.end;
                }
            },
        );
        esc_into(&text[plain_from..], &mut out);
        out
    }

    /// The page's body with each term's definition kept in its first mark only, in the
    /// order of the page: every later mark of the term loses its own copy and is described
    /// by the first one's id instead. Runs on the whole body once it is rendered, so the
    /// definition kept is one the page shows, whatever order its parts were rendered in
    /// and whichever of them a theme leaves out.
    pub(crate) fn define_once(&self, body: String) -> String {
        if self.tips.is_empty() {
            return body;
        }
        const DESCRIBED: &str = "\" aria-describedby=\"tip-";
        let mut first: Vec<Option<&str>> = vec![None; self.glossary.terms.len()];
        let mut out = String::with_capacity(body.len());
        let mut copied = 0;
        let mut from = 0;
        while let Some(found) = body[from..].find(DESCRIBED) {
            let id_at = from + found + DESCRIBED.len() - "tip-".len();
            from = id_at;
            let Some(mark) = Mark::read(&body, id_at) else {
                continue;
            };
            let Some(&term) = mark.number.checked_sub(1).and_then(|n| self.tips.get(n)) else {
                continue;
            };
            match first[term] {
                None => first[term] = Some(mark.id),
                Some(id) => {
                    out.push_str(&body[copied..id_at]);
                    out.push_str(id);
                    out.push_str(&body[mark.id_end..mark.shown_end]);
                    copied = mark.end;
                    from = mark.end;
                }
            }
        }
        out.push_str(&body[copied..]);
        out
    }
}

/// One mark as [`term_html`] writes it, read from its `aria-describedby` value on.
struct Mark<'b> {
    /// `tip-N`.
    id: &'b str,
    number: usize,
    /// Where the id ends in the body.
    id_end: usize,
    /// Where the link (its `</a>`) ends.
    shown_end: usize,
    /// Where the definition (its `</span>`) ends.
    end: usize,
}

impl<'b> Mark<'b> {
    fn read(body: &'b str, id_at: usize) -> Option<Mark<'b>> {
        let rest = &body[id_at..];
        let digits = rest["tip-".len()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let id = &rest[.."tip-".len() + digits];
        let number = id["tip-".len()..].parse().ok()?;
        let id_end = id_at + id.len();
        let shown_end = id_end + body[id_end..].find("</a>")? + "</a>".len();
        let definition = format!("<span class=\"term-def\" role=\"tooltip\" id=\"{id}\">");
        let after = body[shown_end..].strip_prefix(definition.as_str())?;
        let end = body.len() - after.len() + after.find("</span>")? + "</span>".len();
        Some(Mark {
            id,
            number,
            id_end,
            shown_end,
            end,
        })
    }
}

fn term_html(glossary: &Glossary, root: &str, tip: u32, shown: &str, term: usize) -> String {
    let (name, definition) = &glossary.terms[term];
    let id = format!("tip-{tip}");
    format!(
        "<span class=\"term\"><a class=\"term-link\" href=\"{root}glossary/index.html#{anchor}\" \
         aria-describedby=\"{id}\">{shown}</a><span class=\"term-def\" role=\"tooltip\" id=\"{id}\">\
         <strong>{name}</strong> {definition}</span></span>",
        anchor = term_anchor(name),
        shown = esc(shown),
        name = esc(name),
        definition = esc(definition),
    )
}
