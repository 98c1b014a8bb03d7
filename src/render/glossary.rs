//! Glossary terms marked where they are used. The first use of a term in a paragraph,
//! list item or table cell links to its entry on the glossary page and carries its
//! definition in the markup, shown on hover and on keyboard focus by CSS alone. Where a
//! term is written is found by `crate::model::terms`, which the language server shares.

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
        let spellings = if self.enabled {
            &self.glossary.spellings
        } else {
            &NO_TERMS
        };
        let (glossary, root, next_id) = (self.glossary, &self.root, &mut self.next_id);
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
