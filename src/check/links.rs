//! Links written in the Markdown of content pages, checked without rendering: a link to
//! another page by its Markdown file (`other.md`, `../guides/intro.md#setup`) must name a
//! page that was read, and its `#fragment` a heading of that page. This runs for plain
//! `rasci check`, so it reads the Markdown the way the renderer does (the options and
//! heading ids of [`crate::load::markdown`]) but uses no part of the renderer.
//!
//! Links to the site's own pages and files (`/cloud/`, `../compare/`, `/parties/x/`) are
//! judged against the addresses the site plan gives ([`SiteAddresses`], handed in by the
//! pipeline, which plans the site at the end of the check): so plain `rasci check` finds
//! every broken link to a page that `build` finds, and the anchors the data gives
//! (task rows, section headings, glossary terms). Files only the render stage knows (the
//! theme's static files, diagrams) and the theme's own anchors are left to the check of
//! the built site (`render::links`).

use crate::diagnostic::{Diagnostic, RuleId};
use crate::load::content::{CONTENT_DIR, ContentPage};
use crate::load::markdown::{self, is_external, normalize, percent_decode};
use crate::model::Project;
use crate::source::{PathMemo, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A link written in a content page: the page (index into the content pages), where it
/// was written and its destination as written.
#[derive(Debug, Clone)]
pub(crate) struct SourceLink {
    pub(crate) page: usize,
    pub(crate) span: Span,
    /// Shared with the memo of the page's links ([`LinkMemo`]).
    pub(crate) dest: Arc<str>,
}

/// The links and images each page's body holds, as the previous check of the same
/// project read them, for `serve`, which checks the project again on every save: reading
/// them means parsing the Markdown of every page, and a save changes one page. A page is
/// read again unless its body is the one remembered, byte for byte: known without
/// comparing when the page's text is the very one remembered (the text memo of a preview
/// hands an unchanged page's text on, see `crate::load::files::TextMemo`).
pub(crate) type LinkMemo = PathMemo<BodyLinks>;

/// A link in its page's body: where it starts and ends there, and its destination as
/// written.
#[derive(Debug, Clone)]
struct BodyLink {
    start: usize,
    end: usize,
    dest: Arc<str>,
}

#[derive(Debug)]
pub(crate) struct BodyLinks {
    /// The page's whole text, shared with the sources it was read into.
    text: Arc<str>,
    body_start: usize,
    links: Vec<BodyLink>,
}

impl BodyLinks {
    /// Whether `page` has the body these links were read from.
    fn read_from(&self, sources: &crate::source::Sources, page: &ContentPage) -> bool {
        let text = &sources.get(page.file).text;
        (Arc::ptr_eq(&self.text, text) && self.body_start == page.body_start)
            || self.text[self.body_start..] == text[page.body_start..]
    }
}

/// The links of one body, with their places in the body.
fn body_links(body: &str) -> Vec<BodyLink> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut links = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            links.push(BodyLink {
                start: range.start,
                end: range.end,
                dest: Arc::from(&*dest_url),
            });
        }
    }
    links
}

/// [`source_links`], taking the links of unchanged pages from `memo` and leaving this
/// check's in it (see [`LinkMemo`]).
pub(crate) fn source_links_remembering(
    project: &Project,
    content: &[ContentPage],
    memo: Option<&mut LinkMemo>,
) -> Vec<SourceLink> {
    use rayon::prelude::*;
    let remembered = memo.as_deref();
    // Pages are parsed in parallel; the collect keeps page order, so the links (and the
    // findings made from them) come out as from one page after another.
    let per_page: Vec<(Vec<BodyLink>, bool)> = content
        .par_iter()
        .map(|page| {
            let path = project.sources.path(page.file);
            match remembered.and_then(|m| m.get(path)) {
                Some(known) if known.read_from(&project.sources, page) => {
                    (known.links.clone(), true)
                }
                _ => (body_links(page.body(&project.sources)), false),
            }
        })
        .collect();
    if let Some(memo) = memo {
        memo.renew(
            content
                .iter()
                .zip(&per_page)
                .map(|(page, (_, reused))| (project.sources.path(page.file), *reused)),
            |index| {
                let page = &content[index];
                Some(BodyLinks {
                    text: Arc::clone(&project.sources.get(page.file).text),
                    body_start: page.body_start,
                    links: per_page[index].0.clone(),
                })
            },
        );
    }
    per_page
        .into_iter()
        .zip(content)
        .enumerate()
        .flat_map(|(index, ((links, _), page))| {
            links
                .into_iter()
                .map(move |BodyLink { start, end, dest }| SourceLink {
                    page: index,
                    span: Span::new(page.file, page.body_start + start, page.body_start + end),
                    dest,
                })
        })
        .collect()
}

/// The heading ids of a page's Markdown, as the renderer gives them: `{#id}` or the
/// heading's text made a slug, numbered when repeated; an opening level-1 heading is the
/// page title and has none. `None` when the page makes ids the Markdown does not show
/// (shortcodes, raw HTML): its anchors are judged on the built site.
fn heading_ids(body: &str) -> Option<BTreeSet<String>> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    if crate::load::content::has_shortcodes(body) || body.contains(" id=") {
        return None;
    }
    let mut ids = BTreeSet::new();
    // The renderer's own numbering of repeated ids, so both agree and stay linear.
    let mut unique = markdown::UniqueIds::default();
    let mut heading: Option<(u8, Option<String>, Vec<Event<'_>>)> = None;
    let mut seen_block = false;
    for event in Parser::new_ext(body, markdown::options()) {
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, id, .. })) => {
                heading = Some((level as u8, id.map(|s| s.to_string()), Vec::new()));
            }
            (Some((level, explicit, inner)), Event::End(TagEnd::Heading(_))) => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, inner.drain(..));
                if *level == 1 && !seen_block {
                    seen_block = true;
                    heading = None;
                    continue;
                }
                let wanted = explicit
                    .clone()
                    .unwrap_or_else(|| crate::load::ids::slugify(&markdown::text_of(&html)));
                ids.insert(unique.get(&wanted));
                seen_block = true;
                heading = None;
            }
            (Some((_, _, inner)), event) => inner.push(event),
            (None, _) => seen_block = true,
        }
    }
    Some(ids)
}

/// `link/broken` findings for the links of content pages that lead to another page by
/// its Markdown file (`other.md`, `../guides/intro.md#setup`, `/other.md`) or to a heading
/// of the page itself (`#setup`), each at the link as written. Links to the site's own
/// pages and files are judged on the built site, where they exist.
pub(crate) fn check_sources(
    project: &Project,
    content: &[ContentPage],
    links: &[SourceLink],
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let pages = Pages {
        project,
        content,
        by_path: content
            .iter()
            .enumerate()
            .map(|(i, page)| (project.sources.path(page.file), i))
            .collect(),
        ids: std::iter::repeat_with(std::sync::OnceLock::new)
            .take(content.len())
            .collect(),
    };
    // A preview checks every link of every page on each save: in parallel, the findings
    // collected in link order, as from one link after another.
    links
        .par_iter()
        .filter_map(|link| pages.check_source_link(link))
        .collect()
}

/// The content pages as the check of links written as Markdown files sees them.
struct Pages<'a> {
    project: &'a Project,
    content: &'a [ContentPage],
    /// Each page by its path from the project root.
    by_path: HashMap<&'a str, usize>,
    /// Each page's heading ids ([`heading_ids`]), read when a link first needs them.
    ids: Vec<std::sync::OnceLock<Option<BTreeSet<String>>>>,
}

impl Pages<'_> {
    fn path(&self, page: usize) -> &str {
        self.project.sources.path(self.content[page].file)
    }

    fn heading_ids(&self, page: usize) -> &Option<BTreeSet<String>> {
        self.ids[page].get_or_init(|| heading_ids(self.content[page].body(&self.project.sources)))
    }

    /// The finding for `link` when it leads to a page by its Markdown file that was not
    /// read, or to a heading the page it leads to does not have (see [`check_sources`]).
    fn check_source_link(&self, link: &SourceLink) -> Option<Diagnostic> {
        let dest = &*link.dest;
        if dest.is_empty() || is_external(dest) {
            return None;
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], Some(&dest[i + 1..])),
            None => (dest, None),
        };
        let path = percent_decode(path.split('?').next().unwrap_or(""));
        let from_path = self.path(link.page);
        let from_dir = from_path.rsplit_once('/').map_or("", |(d, _)| d);
        let target = if path.is_empty() {
            link.page
        } else if path.ends_with(".md") {
            let joined = match path.strip_prefix('/') {
                Some(absolute) => {
                    let absolute = absolute.strip_prefix("content/").unwrap_or(absolute);
                    format!("{}/{absolute}", CONTENT_DIR)
                }
                None => format!("{from_dir}/{path}"),
            };
            let resolved = normalize(&joined);
            match self.by_path.get(resolved.as_str()) {
                Some(&i) => i,
                None => {
                    let root = self.project.sources.root();
                    if root.join(&resolved).is_file() && resolved.starts_with("content/") {
                        return None; // the page is there; its own finding says why it is not read
                    }
                    return Some(self.no_page(link, &path, &resolved, from_dir));
                }
            }
        } else {
            return None; // a page or file of the built site: judged there
        };
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let fragment = percent_decode(fragment);
        let known = self.heading_ids(target).as_ref()?;
        if known.contains(&*fragment) {
            return None;
        }
        let diagnostic = Diagnostic::new(RuleId::LinkBroken, format!("broken link `{dest}`")).at(
            link.span,
            format!(
                "`{}` has no heading with id `{fragment}`",
                self.path(target)
            ),
        );
        Some(
            match crate::diagnostic::closest(&fragment, known.iter().map(String::as_str)) {
                Some(name) => diagnostic.help(format!("did you mean `#{name}`?")),
                None if known.is_empty() => diagnostic.help("the page has no headings to link to"),
                None => diagnostic.help(format!(
                    "its headings have the ids {}",
                    crate::diagnostic::list_names(&known.iter().collect::<Vec<_>>())
                )),
            },
        )
    }

    /// The finding for `link`, written in a page in `from_dir`, to the page `resolved`
    /// (`path` as written) that was not read: with the closest name of a page that was.
    fn no_page(&self, link: &SourceLink, path: &str, resolved: &str, from_dir: &str) -> Diagnostic {
        let candidates: Vec<String> = (0..self.content.len())
            .map(|page| {
                let p = self.path(page);
                match p.strip_prefix(&format!("{from_dir}/")) {
                    Some(rest) if !rest.contains('/') => rest.to_string(),
                    _ => format!("/{}", p.strip_prefix("content/").unwrap_or(p)),
                }
            })
            .collect();
        let diagnostic =
            Diagnostic::new(RuleId::LinkBroken, format!("broken link `{}`", link.dest))
                .at(link.span, format!("there is no page `{resolved}`"));
        match crate::diagnostic::closest(path, candidates.iter().map(String::as_str)) {
            Some(name) => diagnostic.help(format!("did you mean `{name}`?")),
            None => diagnostic.help(format!(
                "a link to a page names its Markdown file, relative to this page; the pages are {}",
                crate::diagnostic::list_names(&candidates)
            )),
        }
    }
}

/// The site as its plan knows it before anything is rendered: what a link written in
/// Markdown may lead to.
pub(crate) struct SiteAddresses {
    /// Every file the plan gives, by path from the site root: pages, redirect pages,
    /// downloads and the site-wide files.
    pub(crate) files: HashSet<String>,
    /// Top-level folders whose files only the render stage makes (the theme's static
    /// files, the diagrams): links into them are judged on the built site.
    pub(crate) unplanned: &'static [&'static str],
    /// Per content page (index into the content pages), the paths of its pages: one per
    /// scope that shows it.
    pub(crate) content_paths: Vec<Vec<String>>,
    /// Per page built from data, the anchors its data gives it: a scope page's task rows
    /// (`task-<id>`) and section headings (`section-<id>`), with their former ids, and the
    /// glossary's terms (`term-<term>`), and a framework page's controls
    /// (`control-<id>`). A fragment with one of [`DATA_ANCHORS`]'
    /// prefixes must be one of them; other anchors of those pages are the theme's.
    pub(crate) data_anchors: HashMap<String, HashSet<String>>,
}

/// The prefixes of the anchors the data gives pages built from it (see
/// [`SiteAddresses::data_anchors`]).
pub(crate) const DATA_ANCHORS: [&str; 4] = ["task-", "section-", "term-", "control-"];

/// `link/broken` findings for the links of content pages to the site's own pages and
/// files (every link but a Markdown file's, an external one and a bare `#anchor`), judged
/// from each page the content page becomes against `site`, as the built site will have
/// them: a link written `/x/` starts from the site root, `x/` from the page, and a
/// folder is its `index.html` (as the renderer rewrites them). A `#fragment` of a link to
/// a content page must be one of its headings. Each link is reported once, at the link,
/// naming the first page it is broken on.
pub(crate) fn check_site_links(
    project: &Project,
    content: &[ContentPage],
    links: &[SourceLink],
    site: &SiteAddresses,
) -> Vec<Diagnostic> {
    let content_at: HashMap<&str, usize> = site
        .content_paths
        .iter()
        .enumerate()
        .flat_map(|(index, paths)| paths.iter().map(move |p| (p.as_str(), index)))
        .collect();
    let mut ids: BTreeMap<usize, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut found = Vec::new();
    for link in links {
        let dest = &*link.dest;
        if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
            continue;
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], Some(&dest[i + 1..])),
            None => (dest, None),
        };
        let path = percent_decode(path.split('?').next().unwrap_or(""));
        if path.is_empty() || path.ends_with(".md") {
            continue; // the page itself, or a page by its file: `check_sources`
        }
        let Some(paths) = site.content_paths.get(link.page) else {
            continue;
        };
        let broken = paths.iter().find_map(|from| {
            let reason = judge(site, from, &path)?;
            Some((from, reason))
        });
        let reason = match broken {
            Some((from, Judged::Broken(reason))) => Some((from.clone(), reason)),
            Some((_, Judged::Unknown)) => None,
            None => fragment.filter(|f| !f.is_empty()).and_then(|fragment| {
                // Every page the link is on reaches the same target when it starts from
                // the root; otherwise the first page's target is judged, as above.
                let from = paths.first()?;
                let target = target_of(from, &path)?;
                let fragment_text = percent_decode(fragment);
                if let Some(known) = site.data_anchors.get(&target) {
                    let judged = DATA_ANCHORS.iter().any(|p| fragment_text.starts_with(p));
                    return (judged && !known.contains(&*fragment_text)).then(|| {
                        (
                            from.clone(),
                            format!(
                                "`/{}` has no row, section, term or control with id `{fragment_text}`",
                                shown(&target)
                            ),
                        )
                    });
                }
                let &index = content_at.get(target.as_str())?;
                let known = ids
                    .entry(index)
                    .or_insert_with(|| heading_ids(content[index].body(&project.sources)))
                    .as_ref()?;
                let fragment = percent_decode(fragment);
                (!known.contains(&*fragment)).then(|| {
                    (
                        from.clone(),
                        format!("`/{}` has no heading with id `{fragment}`", shown(&target)),
                    )
                })
            }),
        };
        if let Some((from, reason)) = reason {
            let how = "a link to a page of the site names its address from the site root (`/cloud/`) or from the page, or its Markdown file (`other.md`)";
            // A link from the root leads to one place from every page; one from the page
            // is named with the page it was judged on.
            let help = if path.starts_with('/') || paths.len() == 1 {
                how.to_string()
            } else {
                format!("from the page `/{}`: {how}", shown(&from))
            };
            found.push(
                Diagnostic::new(RuleId::LinkBroken, format!("broken link `{dest}`"))
                    .at(link.span, reason)
                    .help(help),
            );
        }
    }
    found
}

/// What judging a link found: broken, with why, or leading where the plan cannot tell.
enum Judged {
    Broken(String),
    Unknown,
}

/// The address `path` shows as: without its `index.html`.
fn shown(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// The site path a link written `path` on the page at `from` leads to, as the renderer
/// rewrites it (`/x/` from the root, `x/` from the page, a folder as its `index.html`);
/// `None` when it climbs above the site root.
fn target_of(from: &str, path: &str) -> Option<String> {
    let with_index = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(from_root) = with_index.strip_prefix('/') {
        return Some(normalize(from_root));
    }
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let depth = dir.split('/').filter(|p| !p.is_empty()).count();
    if with_index.split('/').filter(|p| *p == "..").count() > depth {
        return None;
    }
    Some(normalize(&format!("{dir}/{with_index}")))
}

/// Whether the link `path` on the page at `from` is broken; `None` when it leads to a
/// file the site will have.
fn judge(site: &SiteAddresses, from: &str, path: &str) -> Option<Judged> {
    let Some(target) = target_of(from, path) else {
        return Some(Judged::Broken("the link leaves the site".into()));
    };
    let top = target.split('/').next().unwrap_or("");
    if site.unplanned.contains(&top) {
        return Some(Judged::Unknown);
    }
    if site.files.contains(&target) {
        return None;
    }
    if site.files.contains(&format!("{target}/index.html")) {
        return Some(Judged::Broken(format!(
            "`/{target}` is a folder: end the link with `/`"
        )));
    }
    Some(Judged::Broken(format!(
        "the site has no page or file `/{}`",
        shown(&target)
    )))
}
