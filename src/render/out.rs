//! What rendering one page learns, and the table of contents read from its body: a
//! leaf, shared by the page kinds, search, the layout and the memo.

use super::markdown::TocEntry;
use crate::diagnostic::Diagnostic;
use crate::plan::PlannedPage;
use crate::source::Span;

/// What rendering a planned page learns: its body and what is read from it. Where the
/// page lives, its scope, model, key and breadcrumb are the plan's
/// ([`PlannedPage`]), never repeated here.
#[derive(Debug, Clone)]
pub(crate) struct PageOut {
    /// The title the page's template gave it (a scope page, the comparisons, the
    /// glossary, the page for a missing address); `None` where the plan's title is the
    /// page's (see [`PageOut::title`]).
    pub(crate) title: Option<String>,
    /// The heading shown on the page, when it differs from the title.
    pub(crate) heading: Option<String>,
    pub(crate) description: String,
    pub(crate) body: String,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) links: Vec<(String, Span)>,
}

impl PageOut {
    /// The page's title: its template's, else the plan's.
    pub(crate) fn title<'a>(&'a self, planned: &'a PlannedPage) -> &'a str {
        self.title.as_deref().unwrap_or(&planned.title)
    }
}

// The table of contents of a rendered body: the headings with the ids in `ids` that
/// the template wrote (one it left out is not listed), and `written`, the headings of
/// Markdown in the body, all in the order they appear.
pub(crate) fn toc_of(body: &str, ids: &[&str], written: Vec<TocEntry>) -> Vec<TocEntry> {
    let position = |id: &str| body.find(&format!(" id=\"{}\"", crate::escape::esc(id)));
    let mut entries: Vec<(usize, TocEntry)> = written
        .into_iter()
        .map(|entry| (position(&entry.id).unwrap_or(usize::MAX), entry))
        .collect();
    for id in ids {
        let Some(at) = position(id) else { continue };
        let Some(open) = body[..at].rfind('<') else {
            continue;
        };
        let tag = &body[open + 1..at];
        let level = match tag.as_bytes() {
            [b'h', digit @ b'1'..=b'6'] => digit - b'0',
            _ => continue,
        };
        let Some(start) = body[at..].find('>').map(|i| at + i + 1) else {
            continue;
        };
        let close = format!("</h{level}>");
        let Some(end) = body[start..].find(&close).map(|i| start + i) else {
            continue;
        };
        entries.push((
            at,
            TocEntry {
                level,
                id: id.to_string(),
                text: crate::load::markdown::text_of(&body[start..end]),
            },
        ));
    }
    entries.sort_by_key(|(at, _)| *at);
    entries.into_iter().map(|(_, entry)| entry).collect()
}
