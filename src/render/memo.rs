//! The render memo: what a build keeps for the next build in the same process, and the
//! rebuild that renders again only what changed on top of the previous site.

use super::data::SiteData;
use super::out::PageOut;
use super::outputs::{
    insert_data_files, insert_search_files, insert_search_index, insert_site_files, search_parts,
    written_links,
};
use super::site::Site;
use super::templates::{RenderError, Theme, ThemeError};
use super::{layout, links, pages, search};
use crate::load::content::{ContentIx, ContentPage};
use crate::model::{DataKind, Project};
use crate::plan::{PageIx, PageKind};
use std::sync::Arc;

/// What a build keeps for the next build in the same process (`serve` holds one).
///
/// A writer mostly edits the text of one Markdown page, or one data file. When nothing
/// but the bodies of some content pages changed since the previous build, only those
/// pages are rendered and laid out again, and only their links are checked; every other
/// file of the site is the previous build's. When the data changed too (but not the
/// glossary, nor any party's or scope's id or name, which every page shows), the pages
/// built from the data and the pages with shortcodes are rendered again as well (not a
/// scope's later pages of guides, made from the frame alone). Any
/// other change (config, theme, a page's front matter, a page added or removed), or a
/// re-rendered page whose anchors changed, renders the whole site.
///
/// The site is held by an [`Arc`] shared with [`super::Rendered::site`], never copied: between
/// builds the process holds one site. A build that reuses it makes its new site from the
/// previous one in place when nobody else holds it, and copies it when someone still does
/// (a preview keeps serving the previous site while the next one is made).
pub(crate) struct RenderMemo {
    /// Hash of every input except the bodies of content pages and the data.
    pub(super) frame: u64,
    /// Hash of the data (see [`data_hash`]).
    pub(super) data: u64,
    /// Hash of each content page's body, in content order, with the page's text it was
    /// hashed from: a page whose text is that very one (a preview's loads hand an
    /// unchanged page's text on) is not hashed again.
    pub(super) bodies: Vec<(Arc<str>, u64)>,
    /// The kind of each page of the plan the pages were rendered from, in plan order.
    pub(super) kinds: Vec<PageKind>,
    /// The pages as rendered, in plan order, with their findings and written links; their
    /// bodies are dropped once laid out (the site holds each page once, laid out).
    pub(super) outs: Vec<PageOut>,
    /// Each page's entries of the search index, in plan order, and the tasks' (see
    /// [`search::Part`]): a rebuild serialises only those of the pages it renders again.
    pub(super) search_pages: Vec<Vec<search::Part>>,
    pub(super) search_tasks: Vec<search::Part>,
    /// The broken links found, by page.
    pub(super) problems: Vec<links::Problem>,
    pub(super) site: Arc<Site>,
    /// How many pages the build that made this memo rendered.
    pub(crate) rendered_pages: usize,
    /// The site still holds the previous build's search index: the build that made this
    /// memo left it to [`RenderMemo::finish_search`] (see [`super::render`]).
    pub(crate) search_pending: bool,
    /// Rebuilds on top of this memo leave the search index to
    /// [`RenderMemo::finish_search`] (see [`super::render`]); set by the caller.
    pub(crate) search_later: bool,
    /// Raised by a rebuild on top of this memo when it renders every page after all (see
    /// `pipeline::rebuild_until`); set by the caller.
    pub(crate) renders_whole: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// The site's language, which the search index stems words in.
    pub(super) language: String,
}

impl RenderMemo {
    /// Makes the search index a rebuild left to later, on the site it made: `None` when
    /// there is nothing to make. The site is copied (its map, not its files) when it is
    /// still being served.
    pub(crate) fn finish_search(&mut self) -> Option<&Arc<Site>> {
        if !self.search_pending {
            return None;
        }
        let site = Arc::make_mut(&mut self.site);
        insert_search_index(&self.search_pages, &self.search_tasks, &self.language, site);
        self.search_pending = false;
        Some(&self.site)
    }

    /// The site this memo was made with: the same one the build returned, not a copy.
    pub(crate) fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// The findings met while rendering the pages (unknown shortcodes, unsafe HTML and
    /// the like), in plan order.
    pub(crate) fn page_findings(&self) -> impl Iterator<Item = &crate::diagnostic::Diagnostic> {
        self.outs.iter().flat_map(|out| out.diagnostics.iter())
    }
}

/// What [`render_site`] or [`rerender_changed`] made, for [`Rendered`] and the next [`RenderMemo`].
pub(super) struct RenderedParts {
    pub(super) site: Arc<Site>,
    /// The pages in plan order, their bodies dropped once laid out.
    pub(super) outs: Vec<PageOut>,
    pub(super) search_pages: Vec<Vec<search::Part>>,
    pub(super) search_tasks: Vec<search::Part>,
    pub(super) problems: Vec<links::Problem>,
    /// How many pages were rendered to make it.
    pub(super) rendered_pages: usize,
    /// Its search index is still the previous build's (see [`RenderMemo::search_pending`]).
    pub(super) search_pending: bool,
}

pub(super) fn hash_of(value: impl std::hash::Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// The git history a render shows, and the hash of what the memo's frame is made from
/// but the theme ([`frame_hash`]), made while the theme is read.
pub(crate) struct Frame<'h> {
    pub(crate) history: &'h crate::load::history::History,
    pub(crate) hash: u64,
}

/// Everything a build reads but the bodies of content pages and the theme (whose
/// fingerprint [`super::render`] adds): config and data files whole, content pages up to
/// the end of their front matter, and the git history (a new commit changes the dates
/// pages show).
///
/// Of the data files only the glossary (its terms are marked on every page) and the
/// parties' and scopes' ids and names (they are in every page's navigation) count here;
/// the rest of the data is [`data_hash`]'s.
pub(crate) fn frame_hash(
    project: &Project,
    content: &[ContentPage],
    history: &crate::load::history::History,
) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(history, &mut hasher);
    for (path, text) in crate::load::content::heads(&project.sources, content) {
        if is_matrix_data(path) {
            continue;
        }
        std::hash::Hash::hash(path, &mut hasher);
        std::hash::Hash::hash(text, &mut hasher);
    }
    for party in &project.parties {
        std::hash::Hash::hash(&(&party.id.value, &party.name.value), &mut hasher);
    }
    for scope in &project.scopes {
        std::hash::Hash::hash(&(&scope.id.value, &scope.name.value), &mut hasher);
    }
    // Models are named in every page's navigation too, each with its scopes.
    for model in &project.models {
        std::hash::Hash::hash(&(model.id(), model.name(), &model.scopes), &mut hasher);
    }
    std::hash::Hasher::finish(&hasher)
}

/// Data files of the kinds only the pages built from data show (not the glossary, which
/// every page shows). Files under `data/` of no known kind count here too: they feed no
/// page at all.
fn is_matrix_data(path: &str) -> bool {
    path.starts_with("data/")
        && !crate::load::kinds::of_path(path).is_some_and(DataKind::shown_on_every_page)
}

/// Every data file but the glossary, whole.
pub(super) fn data_hash(project: &Project) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for (_, source) in project.sources.files() {
        if is_matrix_data(&source.path) {
            std::hash::Hash::hash(&(&source.path, &source.text), &mut hasher);
        }
    }
    std::hash::Hasher::finish(&hasher)
}

/// A page rendered again: its index in the plan, what rendering gave (its body dropped),
/// the page laid out, and its entries of the search index.
struct Redone {
    index: PageIx,
    out: PageOut,
    html: String,
    search: Vec<search::Part>,
}

/// Renders again only the pages whose content body changed, and when the data changed
/// the pages built from it, on top of the previous site. `None` when that is not safe, and the whole site must be rendered: the plan of
/// pages differs, or a changed page's anchors changed (links elsewhere may point at them).
pub(super) fn rerender_changed(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &Theme,
    memo: RenderMemo,
    bodies: &[(Arc<str>, u64)],
    data_changed: bool,
    search_later: bool,
) -> Result<Option<RenderedParts>, ThemeError> {
    use rayon::prelude::*;
    let RenderMemo {
        bodies: old_bodies,
        kinds: old_kinds,
        mut outs,
        mut search_pages,
        mut search_tasks,
        site,
        problems: old_problems,
        search_pending,
        ..
    } = memo;
    let kinds = plan.kinds();
    if kinds != old_kinds {
        return Ok(None);
    }
    let changed = |page: ContentIx| old_bodies[page.0].1 != bodies[page.0].1;
    let home = data.content.iter().position(|p| p.is_home()).map(ContentIx);
    let redo: Vec<PageIx> = kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| match kind {
            // A page's own text; with new data, also every page that may embed a view of
            // it through a shortcode.
            PageKind::Content { page, .. } => {
                changed(*page) || data_changed && data.content[*page].shortcodes
            }
            PageKind::Home => data_changed || home.is_some_and(changed),
            // A scope's later pages of guides list titles and descriptions from the
            // guides' front matter, under the scope's name: all of the frame. At 10,000
            // guides they were most of what a data edit rendered again.
            PageKind::Guides { .. } => false,
            // The pages built from the data.
            _ => data_changed,
        })
        .map(|(i, _)| PageIx(i))
        .collect();
    if redo.is_empty() {
        return Ok(Some(RenderedParts {
            site,
            outs,
            search_pages,
            search_tasks,
            problems: old_problems,
            rendered_pages: 0,
            search_pending,
        }));
    }
    // Each page is rendered, laid out, compared with the page it replaces and indexed for
    // search on its own; one task per page, since a scope page listing thousands of
    // guides takes as long as hundreds of others.
    // The tree depends on the frame only, which is the same as the memo's: the previous
    // site's script of it is the one this build would make.
    let nav_on_demand = site
        .files
        .get(crate::plan::urls::NAV_SCRIPT)
        .is_some_and(|script| script.len() > layout::NAV_EAGER_MAX);
    let fresh: Vec<Option<Redone>> = redo
        .par_iter()
        .with_max_len(1)
        .map(|&i| {
            let planned = plan.page(i);
            let mut out = pages::render(data, theme, planned)?;
            let html = layout::page(data, theme, plan, i, &out, nav_on_demand)?;
            let old = site.files.get(&planned.path).map(|b| links::ids_of(b));
            if old != Some(links::ids_of(html.as_bytes())) {
                return Ok(None);
            }
            let search = search_parts(data, planned, &mut out);
            Ok(Some(Redone {
                index: i,
                out,
                html,
                search,
            }))
        })
        .collect::<Result<_, RenderError>>()
        .map_err(ThemeError::Render)?;
    let Some(fresh) = fresh.into_iter().collect::<Option<Vec<Redone>>>() else {
        // A page's anchors changed: links elsewhere may point at them.
        return Ok(None);
    };
    let mut laid_out = Vec::with_capacity(fresh.len());
    for Redone {
        index,
        out,
        html,
        search,
    } in fresh
    {
        laid_out.push((plan.page(index).path.clone(), html));
        outs[index.0] = out;
        search_pages[index.0] = search;
    }
    if data_changed {
        search_tasks = search::task_parts(data);
    }
    // The previous site is patched: in place when the memo held the only reference to
    // it, else (it is still being served) on a copy.
    let mut site = Arc::unwrap_or_clone(site);
    let mut changed_paths = Vec::with_capacity(laid_out.len());
    for (path, html) in laid_out {
        changed_paths.push(path.clone());
        site.insert(path, html);
    }
    if data_changed {
        insert_data_files(data, &mut site);
    }
    // A preview reloads before its search index is made: a reader searches after the page
    // is back, and the index of a 10,000-page site took longer than rendering the page.
    if search_later {
        insert_site_files(data, plan, &mut site);
    } else {
        insert_search_files(data, plan, &search_pages, &search_tasks, &mut site);
    }
    // The same files exist as before and the re-rendered pages kept their anchors, so the
    // other pages' links fare as they did: only the re-rendered pages are checked again.
    let mut problems: Vec<links::Problem> = old_problems
        .into_iter()
        .filter(|p| !changed_paths.contains(&p.page))
        .collect();
    problems.extend(links::check_pages(
        &site,
        &written_links(redo.iter().map(|&i| (plan.page(i), &outs[i.0]))),
        &changed_paths,
    ));
    Ok(Some(RenderedParts {
        site: Arc::new(site),
        outs,
        search_pages,
        search_tasks,
        problems,
        rendered_pages: redo.len(),
        search_pending: search_later || search_pending,
    }))
}
