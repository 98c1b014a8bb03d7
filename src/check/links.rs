//! Links written in the Markdown of content pages, checked without rendering: a link to
//! another page by its Markdown file (`other.md`, `../guides/intro.md#setup`) must name a
//! page that was read, and its `#fragment` a heading of that page. This runs for plain
//! `rasci check`, so it reads the Markdown the way the renderer does (the options and
//! heading ids of [`crate::load::markdown`]) but uses no part of the renderer. Links to
//! the site's own pages and files can only be judged on the built site
//! (`render::links`).

use crate::diagnostic::{Diagnostic, RuleId};
use crate::load::content::{CONTENT_DIR, ContentPage};
use crate::load::markdown::{self, is_external, normalize, percent_decode};
use crate::model::Project;
use crate::source::{PathMemo, Span};
use std::collections::{BTreeMap, BTreeSet};

/// A link written in a content page: the page (index into the content pages), where it
/// was written and its destination as written.
#[derive(Debug, Clone)]
pub(crate) struct SourceLink {
    pub(crate) page: usize,
    pub(crate) span: Span,
    pub(crate) dest: String,
}

/// The links and images each page's body holds, as the previous check of the same
/// project read them, for `serve`, which checks the project again on every save: reading
/// them means parsing the Markdown of every page, and a save changes one page. A page is
/// read again unless its body is the one remembered, byte for byte.
pub(crate) type LinkMemo = PathMemo<BodyLinks>;

/// A link in its page's body: where it starts and ends there, and its destination as
/// written.
#[derive(Debug, Clone)]
struct BodyLink {
    start: usize,
    end: usize,
    dest: String,
}

#[derive(Debug)]
pub(crate) struct BodyLinks {
    body: String,
    links: Vec<BodyLink>,
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
                dest: dest_url.to_string(),
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
            let body = page.body(&project.sources);
            let path = project.sources.path(page.file);
            match remembered.and_then(|m| m.get(path)) {
                Some(known) if known.body == body => (known.links.clone(), true),
                _ => (body_links(body), false),
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
                Some(BodyLinks {
                    body: content[index].body(&project.sources).to_string(),
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
    if body.contains("{{") || body.contains(" id=") {
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
    let path_of = |page: &ContentPage| project.sources.path(page.file).to_string();
    let by_path: BTreeMap<String, usize> = content
        .iter()
        .enumerate()
        .map(|(i, page)| (path_of(page), i))
        .collect();
    let mut ids: BTreeMap<usize, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut found = Vec::new();
    for link in links {
        let dest = link.dest.as_str();
        if dest.is_empty() || is_external(dest) {
            continue;
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], Some(&dest[i + 1..])),
            None => (dest, None),
        };
        let path = percent_decode(path.split('?').next().unwrap_or(""));
        let from = &content[link.page];
        let from_path = path_of(from);
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
            match by_path.get(&resolved) {
                Some(&i) => i,
                None => {
                    let root = project.sources.root();
                    if root.join(&resolved).is_file() && resolved.starts_with("content/") {
                        continue; // the page is there; its own finding says why it is not read
                    }
                    let candidates: Vec<String> = content
                        .iter()
                        .map(|page| {
                            let p = path_of(page);
                            match p.strip_prefix(&format!("{from_dir}/")) {
                                Some(rest) if !rest.contains('/') => rest.to_string(),
                                _ => format!("/{}", p.strip_prefix("content/").unwrap_or(&p)),
                            }
                        })
                        .collect();
                    let mut diagnostic =
                        Diagnostic::new(RuleId::LinkBroken, format!("broken link `{dest}`"))
                            .at(link.span, format!("there is no page `{resolved}`"));
                    diagnostic = match crate::diagnostic::closest(
                        &path,
                        candidates.iter().map(String::as_str),
                    ) {
                        Some(name) => diagnostic.help(format!("did you mean `{name}`?")),
                        None => diagnostic.help(format!(
                            "a link to a page names its Markdown file, relative to this page; the pages are {}",
                            crate::diagnostic::list_names(&candidates)
                        )),
                    };
                    found.push(diagnostic);
                    continue;
                }
            }
        } else {
            continue; // a page or file of the built site: judged there
        };
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            continue;
        };
        let fragment = percent_decode(fragment);
        let page = &content[target];
        let Some(known) = ids
            .entry(target)
            .or_insert_with(|| heading_ids(page.body(&project.sources)))
        else {
            continue;
        };
        if known.contains(&fragment) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(RuleId::LinkBroken, format!("broken link `{dest}`"))
            .at(
                link.span,
                format!("`{}` has no heading with id `{fragment}`", path_of(page)),
            );
        diagnostic = match crate::diagnostic::closest(&fragment, known.iter().map(String::as_str)) {
            Some(name) => diagnostic.help(format!("did you mean `#{name}`?")),
            None if known.is_empty() => diagnostic.help("the page has no headings to link to"),
            None => diagnostic.help(format!(
                "its headings have the ids {}",
                crate::diagnostic::list_names(&known.iter().collect::<Vec<_>>())
            )),
        };
        found.push(diagnostic);
    }
    found
}
