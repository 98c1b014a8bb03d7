//! Render: the whole static site, in memory. Content pages are read, page bodies are
//! rendered in parallel from the resolved matrices and the Markdown, the theme lays each
//! page out, and the site-wide files (search index, sitemap, downloads) are added. The
//! result is a [`Site`], a map from path to bytes; [`crate::write`] puts it on disk.
//!
//! Nothing here writes files, so `build` can refuse to write a site with errors and two
//! builds of the same input can be compared byte for byte.

// Findings are the project's `Diagnostic`, large but rare; boxing them only here would
// make the render stage differ from every other stage for no gain.
#![allow(clippy::result_large_err)]

pub mod content;
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

use crate::diagnostic::Findings;
use crate::model::{Flow, Project, Scope};
use crate::resolve::Matrix;
use std::collections::BTreeMap;
use std::path::Path;

pub use templates::ThemeError;

/// The built site: output path (with `/` separators) to file contents.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// Everything the pages are rendered from, shared by all of them.
pub struct SiteData<'p> {
    pub project: &'p Project,
    pub matrices: Vec<Matrix<'p>>,
    pub content: &'p [content::ContentPage],
    glossary: glossary::Glossary,
    /// Indices of the content pages other than the home page, in navigation order
    /// (weight, title, path): sorted once, as every page's navigation lists them.
    guide_order: Vec<usize>,
}

impl SiteData<'_> {
    /// The anchor of a flow's section on a deployment page.
    pub fn flow_anchor(&self, flow: &Flow) -> String {
        format!("flow-{}", flow.id.value)
    }

    pub fn scope_has_task(&self, scope: Option<&Scope>, task: &str) -> bool {
        let Some(scope) = scope else { return false };
        self.matrices
            .iter()
            .filter(|m| m.scope.id.value == scope.id.value)
            .any(|m| m.rows().any(|r| r.task.id.value == task))
    }
}

/// Why a site could not be built at all (as opposed to findings in the project).
#[derive(Debug)]
pub enum BuildError {
    Load(crate::load::LoadError),
    Io(std::path::PathBuf, std::io::Error),
    Theme(ThemeError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Load(e) => e.fmt(f),
            BuildError::Io(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            BuildError::Theme(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {}

/// A project loaded, checked and rendered. `site` is complete even when `findings` hold
/// errors; the caller decides not to write it.
pub struct Build {
    pub project: Project,
    pub findings: Findings,
    pub site: Site,
}

/// Runs the whole pipeline but the write: load, read content, resolve, check, render,
/// check links.
pub fn build(root: &Path) -> Result<Build, BuildError> {
    build_reusing(root, None).map(|(built, _)| built)
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
pub struct Cache {
    /// Hash of every input except the bodies of content pages and the data.
    frame: u64,
    /// Hash of the data (see [`data_hash`]).
    data: u64,
    /// Hash of each content page's body, in content order.
    bodies: Vec<u64>,
    /// The pages as rendered, in plan order, with their findings and written links.
    outs: Vec<pages::PageOut>,
    /// The broken links found, by page.
    problems: Vec<links::Problem>,
    site: Site,
    /// How many pages the build that made this cache rendered.
    pub rendered_pages: usize,
}

/// [`build`], reusing what `previous` rendered where the inputs allow (see [`Cache`]).
/// The result is the same as a full build's, byte for byte.
pub fn build_reusing(root: &Path, previous: Option<Cache>) -> Result<(Build, Cache), BuildError> {
    build_loaded(root, Loaded::read(root)?, previous)
}

/// A project read from disk with its content pages, not yet checked or rendered.
pub struct Loaded {
    pub project: Project,
    pub content: Vec<content::ContentPage>,
    /// What reading found.
    pub findings: Findings,
}

impl Loaded {
    pub fn read(root: &Path) -> Result<Loaded, BuildError> {
        let (mut project, mut findings) = crate::load::load(root).map_err(BuildError::Load)?;
        let content = content::load(&mut project, &mut findings).map_err(BuildError::Load)?;
        Ok(Loaded {
            project,
            content,
            findings,
        })
    }

    /// Every finding short of rendering, as `rasci check` reports them; cheap next to a
    /// render, so a preview can show data errors at once.
    pub fn check(&self) -> Findings {
        let mut findings = self.findings.clone();
        findings.extend(check_content_links(&self.project, &self.content));
        let matrices = crate::resolve::resolve(&self.project);
        crate::check::check(&self.project, &matrices, &mut findings);
        findings
    }
}

/// The broken links of the content pages that can be told from the Markdown alone, as
/// `rasci check` reports them (see [`links::check_sources`]).
pub fn check_content_links(
    project: &Project,
    content: &[content::ContentPage],
) -> Vec<crate::diagnostic::Diagnostic> {
    links::check_sources(project, content, &links::source_links(project, content))
}

/// [`build_reusing`] on a project already read.
pub fn build_loaded(
    root: &Path,
    loaded: Loaded,
    previous: Option<Cache>,
) -> Result<(Build, Cache), BuildError> {
    let Loaded {
        mut project,
        content,
        mut findings,
    } = loaded;
    let theme = templates::load(root, &project.config.theme.value).map_err(BuildError::Theme)?;
    let frame = frame_hash(&project, &content, &theme);
    let data = data_hash(&project);
    let bodies: Vec<u64> = content
        .iter()
        .map(|page| hash_of(page.body(&project.sources)))
        .collect();
    let written = links::source_links(&project, &content);
    let source_broken = links::check_sources(&project, &content, &written);
    let reported: Vec<crate::source::Span> = source_broken
        .iter()
        .filter_map(|d| d.primary.as_ref().map(|l| l.span))
        .collect();
    let (site, outs, problems, rendered_pages) = {
        let matrices = crate::resolve::resolve(&project);
        findings.extend(source_broken.iter().cloned());
        crate::check::check(&project, &matrices, &mut findings);
        let site_data = SiteData {
            project: &project,
            matrices,
            content: &content,
            glossary: glossary::Glossary::new(&project),
            guide_order: crate::plan::guide_order(&content),
        };
        let plan = crate::plan::SitePlan::new(&project, &content, &site_data.guide_order);
        let reusable = previous.filter(|c| c.frame == frame && c.bodies.len() == bodies.len());
        let rendered = match reusable {
            Some(cache) => {
                let data_changed = cache.data != data;
                rerender_changed(&site_data, &plan, &theme, cache, &bodies, data_changed)?
            }
            None => None,
        };
        match rendered {
            Some(rendered) => rendered,
            None => render_site(&site_data, &plan, &theme)?,
        }
    };
    for out in &outs {
        findings.extend(out.diagnostics.iter().cloned());
    }
    let cache = Cache {
        frame,
        data,
        bodies,
        outs,
        problems: problems.clone(),
        site: site.clone(),
        rendered_pages,
    };
    links::report(
        &mut project,
        &mut findings,
        problems,
        &site,
        &written,
        &reported,
    );
    findings.sort(&project.sources);
    Ok((
        Build {
            project,
            findings,
            site,
        },
        cache,
    ))
}

fn hash_of(value: impl std::hash::Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// Everything a build reads but the bodies of content pages: config and data files
/// whole, content pages up to the end of their front matter, and the theme.
///
/// Of the data files only the glossary (its terms are marked on every page) and the
/// parties' and scopes' ids and names (they are in every page's navigation) count here;
/// the rest of the data is [`data_hash`]'s.
fn frame_hash(
    project: &Project,
    content: &[content::ContentPage],
    theme: &templates::Theme,
) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
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
    std::hash::Hash::hash(&theme.fingerprint, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// Data files other than the glossary: what the pages built from data show.
fn is_matrix_data(path: &str) -> bool {
    path.starts_with("data/") && !path.starts_with("data/glossary")
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

/// The files made from the data alone: each deployment's matrix as CSV and JSON, and
/// every diagram as a standalone SVG.
fn insert_data_files(data: &SiteData<'_>, site: &mut Site) {
    for matrix in &data.matrices {
        let id = &matrix.scope.id.value;
        site.insert(
            urls::download(id, "csv"),
            crate::export::to_csv(data.project, matrix),
        );
        site.insert(
            urls::download(id, "json"),
            crate::export::to_json(data.project, &[matrix]),
        );
    }
    for (path, svg) in diagrams::files(data) {
        site.insert(path, svg);
    }
}

/// The files made from every page: the search index, robots.txt and, when `base_url`
/// is set, the sitemap (which robots.txt then names). A sitemap must list absolute
/// addresses, so without `base_url` there is none rather than an invalid one.
fn insert_search_files(data: &SiteData<'_>, outs: &[pages::PageOut], site: &mut Site) {
    site.insert(urls::SEARCH_INDEX_JS, search::index(data, outs));
    if data.project.config.base_url.is_some() {
        site.insert(urls::SITEMAP, search::sitemap(data.project, outs));
    }
    site.insert(urls::ROBOTS, search::robots(data.project));
}

/// A site, its pages, its broken links, and how many pages were rendered to make it.
type Rendered = (Site, Vec<pages::PageOut>, Vec<links::Problem>, usize);

/// The links each page's sources wrote, for reporting broken ones where they were written.
fn written_links(outs: &[pages::PageOut]) -> Vec<(String, Vec<(String, crate::source::Span)>)> {
    outs.iter()
        .map(|out| (out.path.clone(), out.links.clone()))
        .collect()
}

/// Renders again only the pages whose content body changed, and when the data changed
/// the pages built from it, on top of the previous site. `None` when that is not safe, and the whole site must be rendered: the plan of
/// pages differs, or a changed page's anchors changed (links elsewhere may point at them).
fn rerender_changed(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &templates::Theme,
    cache: Cache,
    bodies: &[u64],
    data_changed: bool,
) -> Result<Option<Rendered>, BuildError> {
    use rayon::prelude::*;
    let Cache {
        bodies: old_bodies,
        mut outs,
        mut site,
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
    let fresh: Vec<(usize, pages::PageOut)> = redo
        .par_iter()
        .map(|&i| (i, pages::render(data, kinds[i])))
        .collect();
    for (i, out) in fresh {
        outs[i] = out;
    }
    let mut changed_paths = Vec::new();
    for &i in &redo {
        let out = &outs[i];
        let html = layout::page(data, theme, plan, i, out)
            .map_err(|message| BuildError::Theme(ThemeError::Template(message)))?;
        let old = site.files.get(&out.path).map(|b| links::ids_of(b));
        if old != Some(links::ids_of(html.as_bytes())) {
            return Ok(None);
        }
        site.insert(out.path.clone(), html);
        changed_paths.push(out.path.clone());
    }
    if redo.is_empty() {
        return Ok(Some((site, outs, old_problems, 0)));
    }
    if data_changed {
        insert_data_files(data, &mut site);
    }
    insert_search_files(data, &outs, &mut site);
    // The same files exist as before and the re-rendered pages kept their anchors, so the
    // other pages' links fare as they did: only the re-rendered pages are checked again.
    let mut problems: Vec<links::Problem> = old_problems
        .into_iter()
        .filter(|p| !changed_paths.contains(&p.page))
        .collect();
    problems.extend(links::check_pages(
        &site,
        &written_links(&outs),
        &changed_paths,
    ));
    Ok(Some((site, outs, problems, redo.len())))
}

fn render_site(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &templates::Theme,
) -> Result<Rendered, BuildError> {
    use rayon::prelude::*;
    let kinds = plan.kinds();
    let outs: Vec<pages::PageOut> = kinds
        .par_iter()
        .map(|kind| pages::render(data, *kind))
        .collect();
    let mut site = Site::default();
    let rendered: Vec<(String, Result<String, String>)> = outs
        .par_iter()
        .enumerate()
        .map(|(i, out)| (out.path.clone(), layout::page(data, theme, plan, i, out)))
        .collect();
    for (path, html) in rendered {
        match html {
            Ok(html) => site.insert(path, html),
            Err(message) => return Err(BuildError::Theme(ThemeError::Template(message))),
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
    insert_data_files(data, &mut site);
    insert_search_files(data, &outs, &mut site);
    let problems = links::check(&site, &written_links(&outs));
    let rendered = outs.len();
    Ok((site, outs, problems, rendered))
}
