//! The search index: pages, their headings, glossary terms and tasks.
//!
//! The index is written once, as a script (`search-index.js`): the theme's search loads
//! it with a `<script>` element, which works when the site is opened from disk, where
//! fetching a JSON file is not allowed. A JSON copy of the same index was written as well
//! and read by nothing in the site; at 10,000 pages it doubled the index's bytes.
//!
//! Every scope repeats much of the site: its guides, its RASCI page's headings and
//! the tasks it shares with the other scopes. Each entry therefore carries the
//! scope it belongs to (`d`) and a group (`g`) that the copies of the same thing in
//! other scopes share, so the search shows the current scope's results by
//! default and, across all scopes, one result per group rather than one per copy.
//!
//! Stemming happens here, at build time, with the Snowball algorithm of the site's
//! `language` (`rust-stemmers`): the script also sets `window.RASCI_SEARCH_STEMS`, every
//! word of the index whose stem differs from it, with that stem. The search matches a
//! word of the query by its stem from that table or, for a word the index does not hold
//! ("closes" when the pages say "close" and "closing"), by the longest known stem the
//! word begins with, at most four letters shorter: no second stemmer in the browser to
//! keep in step, and the same code for every language. `docs/search-index.md` describes
//! the format.

use super::data::SiteData;
use super::out::PageOut;
use super::pages::searchable;
use super::words::visible_html;
use crate::load::markdown::text_of;
use crate::model::Project;
use crate::plan::{PageKind, PlannedPage, urls};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// One result of the search. Texts are borrowed where the page or the project already
/// holds them: at 10,000 pages the searched texts alone are tens of megabytes, and
/// copying them into the entries cost as much as writing the index.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    /// Title.
    t: Cow<'a, str>,
    /// Site path, relative to the root.
    u: Cow<'a, str>,
    /// Where it belongs, as the result shows it: the home label, a scope's name, the
    /// glossary or reference label, with the page or `task` label after a `·`.
    s: Cow<'a, str>,
    /// Text searched (and shown as an excerpt).
    x: Cow<'a, str>,
    /// The scope (its index in `scopes.yaml`) the entry belongs to; none for a
    /// page of the whole site.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<crate::model::ScopeIx>,
    /// The operating model the entry belongs to (its index in `models.yaml`), in a
    /// project with models: a model's RASCI pages, their headings and its tasks. The
    /// search lists the results of the page's own model first.
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<crate::model::ModelIx>,
    /// Entries of the same group are one thing shown in several scopes: a task,
    /// a guide, a heading of a guide or of the RASCI page.
    g: usize,
}

/// Numbers the groups in the order they are first met, so the index is the same bytes
/// for the same site.
#[derive(Default)]
pub(crate) struct Groups<'a> {
    by_key: HashMap<&'a str, usize>,
}

impl<'a> Groups<'a> {
    pub(crate) fn of(&mut self, key: &'a str) -> usize {
        let next = self.by_key.len();
        *self.by_key.entry(key).or_insert(next)
    }
}

/// Longest text kept per page: enough for every word of a guide, small enough to load.
const MAX_TEXT: usize = 4000;

/// The text the index keeps of a page's body: what a reader sees of it. Computed once per
/// rendered page, so a rebuild that keeps a page need not keep its body too.
pub(crate) fn page_text(body: &str) -> String {
    let mut text = text_of(&visible_html(body, &[]));
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// Longest text kept of one section of a page, for the entry of its heading.
const MAX_SECTION_TEXT: usize = 2000;

/// The visible text of each section of `body` that `toc` lists, from its heading to the
/// next listed heading, in the order of `toc`: what the entry of a heading is found by,
/// so that a section past the page's first [`MAX_TEXT`] characters is found too.
///
/// On a deployment's RASCI page the table and its legend are left out: every task is an
/// entry of its own.
pub fn section_texts(body: &str, toc: &[super::markdown::TocEntry], kind: PageKind) -> Vec<String> {
    let skip: &[&str] = match kind {
        PageKind::Scope { .. } => &["table", "dl"],
        _ => &[],
    };
    let starts: Vec<Option<usize>> = toc
        .iter()
        .map(|entry| body.find(&format!("id=\"{}\"", entry.id)))
        .collect();
    starts
        .iter()
        .map(|start| {
            let Some(start) = *start else {
                return String::new();
            };
            let end = starts
                .iter()
                .flatten()
                .filter(|&&s| s > start)
                .min()
                .copied()
                .unwrap_or(body.len());
            // From the end of the heading's tag, past its own text.
            let from = body[start..end]
                .find('>')
                .map_or(start, |at| start + at + 1);
            let mut text = text_of(&visible_html(&body[from..end], skip));
            if text.len() > MAX_SECTION_TEXT {
                let mut cut = MAX_SECTION_TEXT;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            text
        })
        .collect()
}

/// Where a page belongs, as its results name it. The home page is not a reference page,
/// though it belongs to no scope.
fn page_section(data: &SiteData<'_>, page: &PlannedPage) -> String {
    let labels = &data.project.config.labels;
    match (page.kind, page.scope) {
        (PageKind::Home, _) => labels.home.clone(),
        (_, Some(scope)) => data.place_name(page.model, scope),
        (_, None) => labels.reference.clone(),
    }
}

/// What makes two pages of different scopes the same page for search: the key the
/// scope switcher goes by, the same model and the same title. A scope's RASCI pages
/// share a key but not a title, and each stays a result of its own; two models' pages
/// of one scope (their deployment pages, their showings of a guide) share a key and a
/// title, and stay apart by their model.
fn page_group_key(page: &PlannedPage, out: &PageOut) -> String {
    let model = page.model.map(|m| m.0);
    match &page.key {
        Some(key) => format!("page\u{1f}{key}\u{1f}{model:?}\u{1f}{}", out.title(page)),
        None => format!("path\u{1f}{}", page.path),
    }
}

/// What makes two headings the same for search. A heading of a deployment's RASCI page
/// (its summaries, systems, flows) is one thing in every deployment that shows it: found
/// by its section's text, it is one result, not one per deployment. Other headings
/// belong to their page's group.
fn heading_group_key(
    page: &PlannedPage,
    page_key: &str,
    heading: &super::markdown::TocEntry,
) -> String {
    match (page.kind, &page.key) {
        (PageKind::Scope { model, .. }, Some(key)) => {
            format!(
                "scope-heading\u{1f}{key}\u{1f}{}\u{1f}{}\u{1f}{}",
                model.0, heading.id, heading.text
            )
        }
        _ => format!("{page_key}\u{1f}{}\u{1f}{}", heading.id, heading.text),
    }
}

/// One entry of the index, serialised but for its group number: the group is numbered
/// when the whole index is put together, in the order groups are first met, so a page's
/// entries can be kept from one build to the next while another page's new heading
/// shifts the numbers after it.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The entry as JSON, made script-safe, without its last field (`g`) and the closing
    /// `}`: `Entry` serialises `g` last.
    pub(crate) head: String,
    /// What the entry's group is known by (see [`Groups`]).
    pub(crate) group: String,
    /// The distinct words of the title, then those of the text that the title does not
    /// hold, joined by spaces: what the word shards list the entry under.
    pub(crate) words: String,
    /// How many of the words of `words` are the title's.
    pub(crate) title_words: usize,
    /// How many words the title has, repeated ones too: the search prefers the shorter
    /// title, and the title that is the query itself.
    pub(crate) title_len: usize,
    /// The entry's scope and model (its `d` and `m`).
    pub(crate) scope: Option<crate::model::ScopeIx>,
    pub(crate) model: Option<crate::model::ModelIx>,
}

/// The words of `text` as the theme's search splits them: lower case, at anything neither
/// letter nor digit.
pub(crate) fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

impl Part {
    fn new(entry: &Entry<'_>, group: String) -> Part {
        let title = entry.t.to_lowercase();
        let text = entry.x.to_lowercase();
        let mut seen = std::collections::HashSet::new();
        let mut words = String::new();
        let mut title_len = 0;
        for word in split_words(&title) {
            title_len += 1;
            if seen.insert(word) {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(word);
            }
        }
        let title_words = seen.len();
        for word in split_words(&text) {
            if seen.insert(word) {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(word);
            }
        }
        let json = serde_json::to_string(entry).expect("index entries serialize");
        let mut head = if json.contains('<') {
            script_safe(&json)
        } else {
            json
        };
        // `…,"g":0}` loses `,"g":0}`; the number is put back by `script`.
        let cut = head.rfind(",\"g\":").expect("an entry ends with its group");
        head.truncate(cut);
        Part {
            head,
            group,
            words,
            title_words,
            title_len,
            scope: entry.d,
            model: entry.m,
        }
    }
}

/// The parts of one page: the page itself and, for the kinds that have them, its
/// headings. Empty for a page search does not list.
pub(crate) fn page_parts(
    data: &SiteData<'_>,
    page: &PlannedPage,
    out: &PageOut,
    text: &str,
    sections: &[String],
) -> Vec<Part> {
    page_entries(data, page, out, text, sections)
        .into_iter()
        .map(|(entry, group)| Part::new(&entry, group))
        .collect()
}

/// The parts of the tasks of every matrix, in matrix order.
pub(crate) fn task_parts(data: &SiteData<'_>) -> Vec<Part> {
    use rayon::prelude::*;
    let entries = task_entries(data);
    entries
        .par_iter()
        .map(|(entry, group)| Part::new(entry, group.clone()))
        .collect()
}

/// A page's entries with the keys of their groups.
fn page_entries<'a>(
    data: &SiteData<'a>,
    page: &'a PlannedPage,
    out: &'a PageOut,
    text: &'a str,
    sections: &'a [String],
) -> Vec<(Entry<'a>, String)> {
    let project = data.project;
    let labels = &project.config.labels;
    let mut entries = Vec::new();
    // A page of a scope's guides only lists them: each is a result of its own.
    if !searchable(page.kind) || matches!(page.kind, PageKind::Guides { .. }) {
        return entries;
    }
    let page_title = out.title(page);
    let section = page_section(data, page);
    let model = page.model.filter(|_| project.has_models());
    let page_key = page_group_key(page, out);
    entries.push((
        Entry {
            t: Cow::Borrowed(page_title),
            u: Cow::Borrowed(&page.path),
            s: Cow::Owned(section.clone()),
            x: Cow::Borrowed(text),
            d: page.scope,
            m: model,
            g: 0,
        },
        page_key.clone(),
    ));
    // The headings of the written pages and of the RASCI pages are results of their
    // own, leading to their sections; on the glossary page the headings are the
    // terms, found by their aliases and definitions too. The headings of a party's
    // page and of the comparison only repeat scope names and the legend.
    for (at, heading) in out.toc.iter().enumerate() {
        let title = Cow::Borrowed(page_title);
        // The heading's section, after the page's title: what its entry is found by.
        let section_text = || match sections.get(at) {
            Some(text) if !text.is_empty() => Cow::Owned(format!("{page_title} {text}")),
            _ => Cow::Borrowed(page_title),
        };
        let (s, x) = match page.kind {
            PageKind::Glossary => (
                Cow::Borrowed(labels.glossary.as_str()),
                Cow::Owned(term_text(project, &heading.text)),
            ),
            PageKind::Home => (Cow::Owned(section.clone()), title),
            // The page's title names its scope already; a framework's names it.
            PageKind::Scope { .. } | PageKind::Framework(_) => (title, section_text()),
            PageKind::Content { .. } => (
                Cow::Owned(format!("{section} · {page_title}")),
                section_text(),
            ),
            PageKind::Party(_)
            | PageKind::Compare { .. }
            | PageKind::CompareModels { .. }
            | PageKind::Guides { .. }
            | PageKind::NotFound
            | PageKind::Changes => continue,
        };
        entries.push((
            Entry {
                t: Cow::Borrowed(&heading.text),
                u: Cow::Owned(format!("{}#{}", page.path, heading.id)),
                s,
                x,
                d: page.scope,
                m: model,
                g: 0,
            },
            heading_group_key(page, &page_key, heading),
        ));
    }
    entries
}

/// The entries of the tasks of every matrix with the keys of their groups.
fn task_entries<'a>(data: &SiteData<'a>) -> Vec<(Entry<'a>, String)> {
    let project = data.project;
    let labels = &project.config.labels;
    let mut entries = Vec::new();
    for matrix in data.matrices {
        let scope = Some(matrix.scope_index);
        let model = Some(matrix.model).filter(|_| project.has_models());
        for section in &matrix.sections {
            for row in &section.rows {
                let mut text: Vec<String> = matrix
                    .parties
                    .iter()
                    .filter(|&&i| !row.letters(i).is_empty())
                    .map(|&i| {
                        format!(
                            "{}: {}",
                            project.parties[i].name.value,
                            crate::export::cells::cell_text(project, row, i)
                        )
                    })
                    .collect();
                if let Some(title) = &section.section.title {
                    text.push(title.value.clone());
                }
                if let Some(description) = &row.task.description {
                    text.push(description.value.clone());
                }
                // A task is found by the controls it implements (`iso27001:A.5.24`).
                text.extend(row.task.controls.iter().map(|c| c.value.clone()));
                text.extend(note_texts(project, matrix, row));
                entries.push((
                    Entry {
                        t: Cow::Borrowed(&row.task.title.value),
                        u: Cow::Owned(format!(
                            "{}#{}",
                            data.matrix_path(matrix),
                            urls::task_anchor(&row.task.id.value)
                        )),
                        s: Cow::Owned(format!(
                            "{} · {}",
                            data.place_name(Some(matrix.model), matrix.scope_index),
                            labels.task
                        )),
                        x: Cow::Owned(text.join("; ")),
                        d: scope,
                        m: model,
                        g: 0,
                    },
                    format!("task\u{1f}{}\u{1f}{}", matrix.model.0, row.task.id.value),
                ));
            }
        }
    }
    entries
}

/// The notes of a row, as its search entry finds them: the task's, then each cell's
/// after its party's name.
fn note_texts(
    project: &Project,
    matrix: &crate::resolve::Matrix<'_>,
    row: &crate::resolve::Row<'_>,
) -> Vec<String> {
    let task = row.task.note.iter().map(|note| note.value.clone());
    let cells = matrix.parties.iter().filter_map(|&i| {
        let note = row.cells[i]?.note.as_ref()?;
        Some(format!("{}: {}", project.parties[i].name.value, note.value))
    });
    task.chain(cells).collect()
}

/// What a glossary term is found by besides its name: its aliases and its definition.
fn term_text(project: &Project, term: &str) -> String {
    project
        .glossary
        .iter()
        .find(|t| t.term.value == term)
        .map(|t| {
            let aliases: Vec<&str> = t.aliases.iter().map(|a| a.value.as_str()).collect();
            if aliases.is_empty() {
                t.definition.value.clone()
            } else {
                format!("{} ({})", t.definition.value, aliases.join(", "))
            }
        })
        .unwrap_or_default()
}

/// JSON made safe to inline in a `<script>` element, with the same meaning as script:
/// `</` (as in a `</script>` written in the data) cannot end the element early, and `<!--`
/// cannot switch the HTML parser into its script-comment state.
pub(crate) fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

#[cfg(test)]
mod tests {
    use super::super::words::{Stems, stemmer};
    use super::{Entry, Groups, Part, page_text, script_safe};
    use std::borrow::Cow;

    #[test]
    fn the_index_joined_part_by_part_is_the_list_serialised_at_once() {
        let entry = |t: &'static str, x: &'static str, d: Option<usize>, g: usize| Entry {
            d: d.map(crate::model::ScopeIx),
            t: Cow::Borrowed(t),
            u: Cow::Borrowed("a/index.html#b"),
            s: Cow::Owned(format!("Cloud · {t}")),
            x: Cow::Borrowed(x),
            m: None,
            g,
        };
        // Groups are numbered in the order first met, over the pages and then the tasks.
        let pages = [
            vec![
                (
                    entry("</script><script>alert(1)</script>", "<!-- x", None, 0),
                    "p",
                ),
                (
                    entry("Two \"quoted\", \"g\":", "a < b and c </ d", Some(1), 1),
                    "q",
                ),
            ],
            vec![],
            vec![(entry("Ünïcode \u{2028}", "tab\there", Some(0), 0), "p")],
        ];
        let tasks = [
            (entry("Task", "x", Some(1), 2), "t"),
            (entry("Task", "x", Some(0), 1), "q"),
        ];
        let all: Vec<&Entry> = pages
            .iter()
            .flatten()
            .chain(&tasks)
            .map(|(e, _)| e)
            .collect();
        let at_once = serde_json::to_string(&all).unwrap();
        // Each entry serialised on its own and given its group number, joined with
        // commas: the same bytes as the list serialised at once (what the record shards
        // hold), made script-safe.
        let mut groups = Groups::default();
        let joined: Vec<String> = pages
            .iter()
            .flatten()
            .chain(&tasks)
            .map(|(e, key)| {
                let part = Part::new(e, key.to_string());
                format!("{},\"g\":{}}}", part.head, groups.of(key))
            })
            .collect();
        assert_eq!(format!("[{}]", joined.join(",")), script_safe(&at_once));
        let part = Part::new(&tasks[0].0, "t".into());
        assert_eq!(
            (part.words.as_str(), part.title_words, part.title_len),
            ("task x", 1, 1)
        );
    }

    #[test]
    fn groups_are_numbered_in_the_order_first_met() {
        let mut groups = Groups::default();
        let numbers: Vec<usize> = ["task-b", "task-a", "task-b", "page", "task-a"]
            .into_iter()
            .map(|key| groups.of(key))
            .collect();
        assert_eq!(numbers, [0, 1, 0, 2, 1]);
    }

    #[test]
    fn data_cannot_close_or_comment_out_the_script() {
        let json = serde_json::to_string(&["</script><script>alert(1)</script>", "<!--x"]).unwrap();
        let js = script_safe(&json);
        assert!(!js.to_ascii_lowercase().contains("</script"), "{js}");
        assert!(!js.contains("<!--"), "{js}");
        // The same strings, read back as script reads them (JSON allows `\/`; `\!` is a
        // plain `!` in a script string).
        let back: Vec<String> = serde_json::from_str(&js.replace("<\\!", "<!")).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script>", "<!--x"]);
    }

    #[test]
    fn the_index_keeps_the_text_a_reader_sees() {
        let body = concat!(
            "<p>Its <span class=\"term\"><a href=\"g\">SBC</a><span class=\"term-def\" ",
            "role=\"tooltip\"><strong>SBC</strong> Session <em>Border</em> Controller</span>",
            "</span> &amp; trunk.</p><td><abbr class=\"badge\"><span aria-hidden=\"true\">A",
            "</span><span class=\"visually-hidden badge-name\">Accountable</span></abbr>, R<br>",
            "</td><svg><style>.x{fill:red}</style><text>Back-end</text></svg>"
        );
        // A drawing's words are in the list beside it: the SVG is left out.
        assert_eq!(page_text(body), "Its SBC & trunk. A , R");
        assert_eq!(page_text("<p>a &lt;b&gt;</p>"), "a <b>");
    }

    #[test]
    fn words_are_stemmed_in_the_site_language() {
        let english = Stems::new("en-GB");
        assert_eq!(english.of("closes").as_deref(), Some("close"));
        assert_eq!(english.of("closing").as_deref(), Some("close"));
        assert_eq!(english.of("incidents").as_deref(), Some("incid"));
        // A word whose stem is itself, and a word of two characters, have none.
        assert_eq!(english.of("the"), None);
        assert_eq!(english.of("is"), None);
        let german = Stems::new("de-CH");
        assert_eq!(german.of("aufgaben").as_deref(), Some("aufgab"));
        assert!(stemmer("xx").is_none());
        assert_eq!(Stems::new("xx").of("closes"), None);
    }
}
