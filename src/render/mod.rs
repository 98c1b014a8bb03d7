//! Render: the whole static site, in memory, from a project already loaded, resolved and
//! checked (see [`crate::pipeline`], which runs the stages). Page bodies are rendered in
//! parallel from the resolved matrices and the Markdown, the theme lays each page out,
//! and the site-wide files (search index, sitemap, downloads) are added. The result is a
//! [`Site`], a map from path to bytes; [`crate::write`] puts it on disk.
//!
//! Nothing here writes files, so `build` can refuse to write a site with errors and two
//! builds of the same input can be compared byte for byte.

// Findings are the project's `Diagnostic`, large but rare; boxing them only here would
// make the render stage differ from every other stage for no gain.
#![allow(clippy::result_large_err)]

pub mod budget;
mod diagrams;
mod env;
pub(crate) mod glossary;
mod highlight;
pub mod html;
mod layout;
pub mod links;
pub mod markdown;
mod pages;
pub mod sanitize;
mod search;
mod templates;
/// Where pages live; planned before rendering (see [`crate::plan`]).
pub use crate::plan::urls;
mod views;

use crate::load::content::ContentPage;
use crate::model::{DataKind, Flow, Project, Scope};
use crate::resolve::Matrix;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub use templates::{Theme, ThemeError};

/// The built site: output path (with `/` separators) to file contents.
///
/// The contents are [`Bytes`], shared rather than copied: `serve` patches the site it is
/// still serving into the next one, which copies the map but not the 10,000 pages in it
/// (copying them was a third of a rebuild at that size), and answers a request without
/// copying the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Bytes>,
}

impl Site {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Bytes>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// Everything the pages are rendered from, shared by all of them. It borrows the checked
/// project's matrices: rendering never resolves the project again.
pub struct SiteData<'p> {
    pub project: &'p Project,
    pub matrices: &'p [Matrix<'p>],
    pub content: &'p [ContentPage],
    glossary: glossary::Glossary,
    /// Indices of the content pages other than the home page, in navigation order: the
    /// plan's, sorted once.
    guide_order: &'p [usize],
    /// Every diagram, laid out once for all the pages that show it.
    diagrams: diagrams::Diagrams<'p>,
    /// The day each page last changed comes from these (see [`layout::PageDates`]).
    dates: layout::PageDates<'p>,
    /// `(model, scope)` → index into `matrices`.
    matrix_at: std::collections::HashMap<(usize, usize), usize>,
}

impl<'p> SiteData<'p> {
    /// The matrix of `scope` in `model`, when the model covers the deployment.
    pub fn matrix(&self, model: usize, scope: usize) -> Option<&'p Matrix<'p>> {
        let matrices: &'p [Matrix<'p>] = self.matrices;
        self.matrix_at
            .get(&(model, scope))
            .map(|&index| &matrices[index])
    }

    /// The site path of `scope`'s RASCI page in `model` (see [`urls::deployment`]).
    pub fn deployment_path(&self, model: usize, scope: usize) -> String {
        urls::deployment(
            self.project.models[model].id(),
            &self.project.scopes[scope].id.value,
        )
    }

    /// The site path of the page that holds a matrix's rows.
    pub fn matrix_path(&self, matrix: &Matrix<'_>) -> String {
        self.deployment_path(matrix.model, matrix.scope_index)
    }

    /// Where a page belongs, as search and headings name it: the deployment's name, led
    /// by the model's in a project with models.
    pub fn place_name(&self, model: Option<usize>, scope: usize) -> String {
        let scope = &self.project.scopes[scope].name.value;
        match model.and_then(|m| self.project.models[m].name()) {
            Some(model) => format!("{model} · {scope}"),
            None => scope.clone(),
        }
    }
}

impl SiteData<'_> {
    /// The anchor of a flow's section on a deployment page.
    pub fn flow_anchor(&self, flow: &Flow) -> String {
        format!("flow-{}", flow.id.value)
    }

    /// The index of a scope of the project, from the scope itself.
    pub fn scope_index(&self, scope: &Scope) -> Option<usize> {
        self.project
            .scopes
            .iter()
            .position(|s| s.id.value == scope.id.value)
    }
}

/// What the render stage made of a checked project.
pub struct Rendered {
    /// The whole site, shared with [`Cache`]: one copy serves, writes and seeds the next
    /// build.
    pub site: Arc<Site>,
    /// The broken links of the built site, not yet turned into findings: that needs the
    /// links the Markdown sources wrote and adds built pages to the project's sources,
    /// which is the caller's (see [`links::report`]).
    pub problems: Vec<links::Problem>,
    /// What the next build in the same process may reuse.
    pub cache: Cache,
}

/// What a build keeps for the next build in the same process (`serve` holds one).
///
/// A writer mostly edits the text of one Markdown page, or one data file. When nothing
/// but the bodies of some content pages changed since the previous build, only those
/// pages are rendered and laid out again, and only their links are checked; every other
/// file of the site is the previous build's. When the data changed too (but not the
/// glossary, nor any party's or scope's id or name, which every page shows), the pages
/// built from the data and the pages with shortcodes are rendered again as well. Any
/// other change (config, theme, a page's front matter, a page added or removed), or a
/// re-rendered page whose anchors changed, renders the whole site.
///
/// The site is held by an [`Arc`] shared with [`Rendered::site`], never copied: between
/// builds the process holds one site. A build that reuses it makes its new site from the
/// previous one in place when nobody else holds it, and copies it when someone still does
/// (a preview keeps serving the previous site while the next one is made).
pub struct Cache {
    /// Hash of every input except the bodies of content pages and the data.
    frame: u64,
    /// Hash of the data (see [`data_hash`]).
    data: u64,
    /// Hash of each content page's body, in content order.
    bodies: Vec<u64>,
    /// The pages as rendered, in plan order, with their findings and written links; their
    /// bodies are dropped once laid out (the site holds each page once, laid out).
    outs: Vec<pages::PageOut>,
    /// Each page's entries of the search index, in plan order, and the tasks' (see
    /// [`search::Part`]): a rebuild serialises only those of the pages it renders again.
    search_pages: Vec<Vec<search::Part>>,
    search_tasks: Vec<search::Part>,
    /// The broken links found, by page.
    problems: Vec<links::Problem>,
    site: Arc<Site>,
    /// How many pages the build that made this cache rendered.
    pub rendered_pages: usize,
}

impl Cache {
    /// The site this cache was made with: the same one the build returned, not a copy.
    pub fn site(&self) -> &Arc<Site> {
        &self.site
    }

    /// The findings met while rendering the pages (unknown shortcodes, unsafe HTML and
    /// the like), in plan order.
    pub fn page_findings(&self) -> impl Iterator<Item = &crate::diagnostic::Diagnostic> {
        self.outs.iter().flat_map(|out| out.diagnostics.iter())
    }
}

/// Loads the theme the config names: the built-in theme with the project's
/// `themes/<name>/` and `templates/` over it.
pub fn load_theme(root: &Path, project: &Project) -> Result<Theme, ThemeError> {
    let mut theme = templates::load(root, &project.config.theme.value)?;
    theme.labels = project.config.labels.clone();
    theme.limits = budget::Limits {
        max_ms: project.config.templates.max_render_ms,
        max_bytes: project.config.templates.max_render_bytes,
    };
    Ok(theme)
}

/// The render stage: the site of a project that has been loaded, resolved and checked,
/// reusing what `previous` rendered where the inputs allow (see [`Cache`]). It neither
/// resolves nor checks the project: `matrices` are the ones the check ran on. The result
/// is the same as without `previous`, byte for byte.
pub fn render(
    project: &Project,
    content: &[ContentPage],
    matrices: &[Matrix<'_>],
    plan: &crate::plan::SitePlan,
    theme: &Theme,
    history: &crate::load::history::History,
    previous: Option<Cache>,
) -> Result<Rendered, ThemeError> {
    let frame = frame_hash(project, content, theme, history);
    let data = data_hash(project);
    let bodies: Vec<u64> = {
        use rayon::prelude::*;
        // Every page body is hashed on every rebuild of a preview: in parallel, in order.
        content
            .par_iter()
            .map(|page| hash_of(page.body(&project.sources)))
            .collect()
    };
    let site_data = SiteData {
        project,
        matrices,
        content,
        glossary: glossary::Glossary::new(project),
        guide_order: &plan.guide_order,
        diagrams: diagrams::Diagrams::new(project),
        dates: layout::PageDates::new(project, history),
        matrix_at: matrices
            .iter()
            .enumerate()
            .map(|(index, matrix)| ((matrix.model, matrix.scope_index), index))
            .collect(),
    };
    let reusable = previous.filter(|c| c.frame == frame && c.bodies.len() == bodies.len());
    let rendered = match reusable {
        Some(cache) => {
            let data_changed = cache.data != data;
            rerender_changed(&site_data, plan, theme, cache, &bodies, data_changed)?
        }
        None => None,
    };
    let RenderedParts {
        site,
        outs,
        search_pages,
        search_tasks,
        problems,
        rendered_pages,
    } = match rendered {
        Some(rendered) => rendered,
        None => render_site(&site_data, plan, theme)?,
    };
    Ok(Rendered {
        site: Arc::clone(&site),
        problems: problems.clone(),
        cache: Cache {
            frame,
            data,
            bodies,
            outs,
            search_pages,
            search_tasks,
            problems,
            site,
            rendered_pages,
        },
    })
}

fn hash_of(value: impl std::hash::Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// Everything a build reads but the bodies of content pages: config and data files
/// whole, content pages up to the end of their front matter, the theme, and the git
/// history (a new commit changes the dates pages show).
///
/// Of the data files only the glossary (its terms are marked on every page) and the
/// parties' and scopes' ids and names (they are in every page's navigation) count here;
/// the rest of the data is [`data_hash`]'s.
fn frame_hash(
    project: &Project,
    content: &[ContentPage],
    theme: &Theme,
    history: &crate::load::history::History,
) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(history, &mut hasher);
    let bodies: std::collections::HashMap<crate::source::FileId, usize> = content
        .iter()
        .map(|page| (page.file, page.body_start))
        .collect();
    for (file, source) in project.sources.files() {
        if is_matrix_data(&source.path) {
            continue;
        }
        std::hash::Hash::hash(&source.path, &mut hasher);
        let text = match bodies.get(&file) {
            Some(&body_start) => &source.text[..body_start],
            None => source.text.as_str(),
        };
        std::hash::Hash::hash(text, &mut hasher);
    }
    for party in &project.parties {
        std::hash::Hash::hash(&(&party.id.value, &party.name.value), &mut hasher);
    }
    for scope in &project.scopes {
        std::hash::Hash::hash(&(&scope.id.value, &scope.name.value), &mut hasher);
    }
    // Models are named in every page's navigation too, each with its deployments.
    for model in &project.models {
        std::hash::Hash::hash(&(model.id(), model.name(), &model.scopes), &mut hasher);
    }
    std::hash::Hash::hash(&theme.fingerprint, &mut hasher);
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
fn data_hash(project: &Project) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for (_, source) in project.sources.files() {
        if is_matrix_data(&source.path) {
            std::hash::Hash::hash(&(&source.path, &source.text), &mut hasher);
        }
    }
    std::hash::Hasher::finish(&hasher)
}

/// The files made from the data alone: each deployment's matrix as CSV, JSON and XLSX,
/// and every diagram as a standalone SVG. Each matrix's files are made on their own, in
/// parallel: compressing the XLSX workbooks was a fifth of building the example.
fn data_files(data: &SiteData<'_>) -> Vec<(String, Bytes)> {
    use rayon::prelude::*;
    let per_matrix: Vec<Vec<(String, Bytes)>> = data
        .matrices
        .par_iter()
        .map(|matrix| {
            let id = &matrix.scope.id.value;
            let model = data.project.models[matrix.model].id();
            let mut files = vec![
                (
                    urls::download(model, id, "csv"),
                    Bytes::from(crate::export::to_csv(data.project, matrix)),
                ),
                (
                    urls::download(model, id, "json"),
                    Bytes::from(crate::export::to_json(data.project, &[matrix])),
                ),
            ];
            // Only a limit of the format fails here (a cell over 32,767 characters), which
            // the check reports at the data (`output/limit`); the file is then left out.
            if let Ok(bytes) = crate::export::to_xlsx(data.project, &[matrix]) {
                files.push((urls::download(model, id, "xlsx"), Bytes::from(bytes)));
            }
            files
        })
        .collect();
    let mut files: Vec<(String, Bytes)> = per_matrix.into_iter().flatten().collect();
    for (path, svg) in data.diagrams.files() {
        files.push((path, Bytes::from(svg)));
    }
    files
}

fn insert_data_files(data: &SiteData<'_>, site: &mut Site) {
    site.files.extend(data_files(data));
}

/// The files made from every page: the search index, robots.txt and, when `base_url`
/// is set, the sitemap (which robots.txt then names). A sitemap must list absolute
/// addresses, so without `base_url` there is none rather than an invalid one.
fn insert_search_files(
    data: &SiteData<'_>,
    outs: &[pages::PageOut],
    search_pages: &[Vec<search::Part>],
    search_tasks: &[search::Part],
    site: &mut Site,
) {
    site.insert(
        urls::SEARCH_INDEX_JS,
        search::script(search_pages, search_tasks),
    );
    if data.project.config.base_url.is_some() {
        site.insert(urls::SITEMAP, search::sitemap(data, outs));
    }
    site.insert(urls::ROBOTS, search::robots(data.project));
}

/// What [`render_site`] or [`rerender_changed`] made, for [`Rendered`] and the next [`Cache`].
struct RenderedParts {
    site: Arc<Site>,
    /// The pages in plan order, their bodies dropped once laid out.
    outs: Vec<pages::PageOut>,
    search_pages: Vec<Vec<search::Part>>,
    search_tasks: Vec<search::Part>,
    problems: Vec<links::Problem>,
    /// How many pages were rendered to make it.
    rendered_pages: usize,
}

/// Each page's entries of the search index, made from its text, then its body dropped:
/// laid out, the page is in the site, and nothing else reads the body again.
fn search_parts(data: &SiteData<'_>, out: &mut pages::PageOut) -> Vec<search::Part> {
    let text = search::page_text(&std::mem::take(&mut out.body));
    search::page_parts(data, out, &text)
}

/// The links each page's sources wrote, for reporting broken ones where they were written.
fn written_links<'a>(
    outs: impl IntoIterator<Item = &'a pages::PageOut>,
) -> Vec<links::Written<'a>> {
    outs.into_iter()
        .map(|out| (out.path.as_str(), out.links.as_slice()))
        .collect()
}

/// A page rendered again: its index in the plan, what rendering gave (its body dropped),
/// the page laid out, and its entries of the search index.
struct Redone {
    index: usize,
    out: pages::PageOut,
    html: String,
    search: Vec<search::Part>,
}

/// Renders again only the pages whose content body changed, and when the data changed
/// the pages built from it, on top of the previous site. `None` when that is not safe, and the whole site must be rendered: the plan of
/// pages differs, or a changed page's anchors changed (links elsewhere may point at them).
fn rerender_changed(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &Theme,
    cache: Cache,
    bodies: &[u64],
    data_changed: bool,
) -> Result<Option<RenderedParts>, ThemeError> {
    use rayon::prelude::*;
    let Cache {
        bodies: old_bodies,
        mut outs,
        mut search_pages,
        mut search_tasks,
        site,
        problems: old_problems,
        ..
    } = cache;
    let kinds = plan.kinds();
    if kinds.len() != outs.len() || kinds.iter().zip(&outs).any(|(k, o)| *k != o.kind) {
        return Ok(None);
    }
    let changed = |page: usize| old_bodies[page] != bodies[page];
    let home = data.content.iter().position(|p| p.is_home());
    let redo: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| match kind {
            // A page's own text; with new data, also every page that may embed a view of
            // it through a shortcode.
            pages::PageKind::Content { page, .. } => {
                changed(*page)
                    || data_changed
                        && data.content[*page]
                            .body(&data.project.sources)
                            .contains("{{")
            }
            pages::PageKind::Home => data_changed || home.is_some_and(changed),
            // The pages built from the data.
            _ => data_changed,
        })
        .map(|(i, _)| i)
        .collect();
    if redo.is_empty() {
        return Ok(Some(RenderedParts {
            site,
            outs,
            search_pages,
            search_tasks,
            problems: old_problems,
            rendered_pages: 0,
        }));
    }
    // Each page is rendered, laid out, compared with the page it replaces and indexed for
    // search on its own; one task per page, since a deployment page listing thousands of
    // guides takes as long as hundreds of others.
    let fresh: Vec<Option<Redone>> = redo
        .par_iter()
        .with_max_len(1)
        .map(|&i| {
            let mut out = pages::render(data, theme, kinds[i])?;
            let html = layout::page(data, theme, plan, i, &out)?;
            let old = site.files.get(&out.path).map(|b| links::ids_of(b));
            if old != Some(links::ids_of(html.as_bytes())) {
                return Ok(None);
            }
            let search = search_parts(data, &mut out);
            Ok(Some(Redone {
                index: i,
                out,
                html,
                search,
            }))
        })
        .collect::<Result<_, String>>()
        .map_err(ThemeError::Template)?;
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
        laid_out.push((out.path.clone(), html));
        outs[index] = out;
        search_pages[index] = search;
    }
    if data_changed {
        search_tasks = search::task_parts(data);
    }
    // The previous site is patched: in place when the cache held the only reference to
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
    insert_search_files(data, &outs, &search_pages, &search_tasks, &mut site);
    // The same files exist as before and the re-rendered pages kept their anchors, so the
    // other pages' links fare as they did: only the re-rendered pages are checked again.
    let mut problems: Vec<links::Problem> = old_problems
        .into_iter()
        .filter(|p| !changed_paths.contains(&p.page))
        .collect();
    problems.extend(links::check_pages(
        &site,
        &written_links(redo.iter().map(|&i| &outs[i])),
        &changed_paths,
    ));
    Ok(Some(RenderedParts {
        site: Arc::new(site),
        outs,
        search_pages,
        search_tasks,
        problems,
        rendered_pages: redo.len(),
    }))
}

fn render_site(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &Theme,
) -> Result<RenderedParts, ThemeError> {
    use rayon::prelude::*;
    let kinds = plan.kinds();
    // The files made from the data alone are made beside the pages, not after them.
    let (outs, made_from_data) = rayon::join(
        || {
            kinds
                .par_iter()
                .map(|kind| pages::render(data, theme, *kind))
                .collect::<Result<Vec<pages::PageOut>, _>>()
        },
        || data_files(data),
    );
    let mut outs = outs.map_err(ThemeError::Template)?;
    let mut site = Site::default();
    let rendered: Vec<(String, Result<String, String>)> = outs
        .par_iter()
        .enumerate()
        .map(|(i, out)| (out.path.clone(), layout::page(data, theme, plan, i, out)))
        .collect();
    for (path, html) in rendered {
        match html {
            Ok(html) => site.insert(path, html),
            Err(message) => return Err(ThemeError::Template(message)),
        }
    }
    for (path, bytes) in &theme.statics {
        site.insert(format!("{}/{path}", urls::STATIC), bytes.clone());
    }
    site.insert(
        "static/css/generated.css",
        format!("{}\n{}", highlight::stylesheet(), diagrams::stylesheet()),
    );
    site.insert(urls::NAV_SCRIPT, layout::nav_script(plan));
    site.files.extend(made_from_data);
    let search_pages: Vec<Vec<search::Part>> = outs
        .par_iter_mut()
        .map(|out| search_parts(data, out))
        .collect();
    let search_tasks = search::task_parts(data);
    insert_search_files(data, &outs, &search_pages, &search_tasks, &mut site);
    let problems = links::check(&site, &written_links(&outs));
    Ok(RenderedParts {
        site: Arc::new(site),
        rendered_pages: outs.len(),
        outs,
        search_pages,
        search_tasks,
        problems,
    })
}
