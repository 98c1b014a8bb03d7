//! Render: the whole static site, in memory, from a project already loaded, resolved and
//! checked (see [`crate::pipeline`], which runs the stages). Page bodies are rendered in
//! parallel from the resolved matrices and the Markdown, the theme lays each page out,
//! and the site-wide files (search index, sitemap, downloads) are added. The result is a
//! [`Site`], a map from path to bytes; `crate::write` puts it on disk.
//!
//! Nothing here writes files, so `build` can refuse to write a site with errors and two
//! builds of the same input can be compared byte for byte.

// Findings are the project's `Diagnostic`, large but rare; boxing them only here would
// make the render stage differ from every other stage for no gain.
#![allow(clippy::result_large_err)]

mod agreements;
pub(crate) mod budget;
mod changes;
mod compare;
mod data;
mod dates;
mod diagrams;
mod duties;
mod env;
mod feed;
mod frameworks;
mod glossary;
mod guides;
pub mod highlight;
mod layout;
mod letters;
pub(crate) mod links;
pub mod markdown;
pub mod memo;
mod out;
mod outputs;
mod page_views;
mod pages;
pub mod sanitize;
mod search;
mod shards;
pub(crate) mod shortcodes;
pub mod site;
mod sitemap;
pub mod templates;
mod views;
mod words;

use crate::load::content::ContentPage;
use crate::model::Project;
use crate::plan::urls;
use crate::resolve::Matrix;
use data::SiteData;
use memo::{RenderMemo, RenderedParts, data_hash, hash_of, rerender_changed};
use outputs::{data_files, insert_redirects, insert_search_files, search_parts, written_links};
use site::Site;
use std::path::Path;
use std::sync::Arc;
use templates::{RenderError, Theme, ThemeError};

/// What the render stage made of a checked project.
pub(crate) struct Rendered {
    /// The whole site, shared with [`RenderMemo`]: one copy serves, writes and seeds the next
    /// build.
    pub(crate) site: Arc<Site>,
    /// The broken links of the built site, not yet turned into findings: that needs the
    /// links the Markdown sources wrote and adds built pages to the project's sources,
    /// which is the caller's (see [`links::report`]).
    pub(crate) problems: Vec<links::Problem>,
    /// What the next build in the same process may reuse.
    pub(crate) memo: RenderMemo,
}

/// Loads the theme the config names: the built-in theme with the project's
/// `themes/<name>/` and `templates/` over it.
pub(crate) fn load_theme(root: &Path, project: &Project) -> Result<Theme, ThemeError> {
    let mut theme = templates::load(root, &project.config.theme.value)?;
    theme.labels = project.config.labels.clone();
    theme.limits = budget::Limits {
        max_ms: project.config.templates.max_render_ms,
        max_bytes: project.config.templates.max_render_bytes,
    };
    Ok(theme)
}

/// The render stage: the site of a project that has been loaded, resolved and checked,
/// reusing what `previous` rendered where the inputs allow (see [`RenderMemo`]). It neither
/// resolves nor checks the project: `matrices` are the ones the check ran on. The result
/// is the same as without `previous`, byte for byte.
///
/// When `previous` says `search_later`, a rebuild on top of it leaves the site's search index as
/// it was, for [`RenderMemo::finish_search`] to make: a preview sends its pages the reload
/// first (the index of a 10,000-page site took as long as the rest of a rebuild of one
/// page). A whole site's render makes its index at once. When `previous` cannot be built
/// on, its [`RenderMemo::renders_whole`] is raised before every page is rendered.
pub(crate) fn render(
    project: &Project,
    content: &[ContentPage],
    matrices: &[Matrix<'_>],
    plan: &crate::plan::SitePlan,
    theme: &Theme,
    frame: &memo::Frame<'_>,
    previous: Option<RenderMemo>,
) -> Result<Rendered, ThemeError> {
    let search_later = previous.as_ref().is_some_and(|memo| memo.search_later);
    let renders_whole = previous
        .as_ref()
        .and_then(|memo| memo.renders_whole.clone());
    // The redirects are the plan's: a change of them (an alias, a default model) renders
    // the whole site rather than leave a redirect page of the previous build behind.
    let history = frame.history;
    let frame = hash_of((frame.hash, theme.fingerprint, &plan.redirects));
    let data = data_hash(project);
    let bodies: Vec<(Arc<str>, u64)> = {
        use rayon::prelude::*;
        let known = previous.as_ref().map_or(&[][..], |memo| &memo.bodies[..]);
        // In parallel, in order; a page whose text is the one the last build hashed keeps
        // its hash.
        content
            .par_iter()
            .enumerate()
            .map(|(index, page)| {
                let text = &project.sources.get(page.file).text;
                let hash = match known.get(index) {
                    Some((old, hash)) if Arc::ptr_eq(old, text) => *hash,
                    _ => hash_of(page.body(&project.sources)),
                };
                (Arc::clone(text), hash)
            })
            .collect()
    };
    let site_data = SiteData {
        project,
        matrices,
        content,
        glossary: glossary::Glossary::new(project),
        guide_order: &plan.guide_order,
        diagrams: diagrams::Diagrams::new(project),
        dates: dates::PageDates::new(project, history),
        matrix_at: matrices
            .iter()
            .enumerate()
            .map(|(index, matrix)| (data::MatrixAt::of(matrix), index))
            .collect(),
        versions: plan.versions.as_ref(),
        by_slug: {
            // The first page of a slug wins, as a scan in page order found it.
            let mut by_slug = std::collections::HashMap::with_capacity(content.len());
            for (index, page) in content.iter().enumerate() {
                by_slug
                    .entry(page.slug.as_str())
                    .or_insert(crate::load::content::ContentIx(index));
            }
            by_slug
        },
        guide_lists: SiteData::guide_list_keys(project),
    };
    let reusable = previous.filter(|c| c.frame == frame && c.bodies.len() == bodies.len());
    let rendered = match reusable {
        Some(memo) => {
            let data_changed = memo.data != data;
            rerender_changed(
                &site_data,
                plan,
                theme,
                memo,
                &bodies,
                data_changed,
                search_later,
            )?
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
        search_pending,
    } = match rendered {
        Some(rendered) => rendered,
        None => {
            if let Some(flag) = renders_whole {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            render_site(&site_data, plan, theme)?
        }
    };
    Ok(Rendered {
        site: Arc::clone(&site),
        problems: problems.clone(),
        memo: RenderMemo {
            frame,
            data,
            bodies,
            kinds: plan.kinds(),
            outs,
            search_pages,
            search_tasks,
            problems,
            site,
            rendered_pages,
            search_pending,
            search_later,
            renders_whole: None,
            language: project.config.language.clone(),
        },
    })
}

fn render_site(
    data: &SiteData<'_>,
    plan: &crate::plan::SitePlan,
    theme: &Theme,
) -> Result<RenderedParts, ThemeError> {
    use rayon::prelude::*;
    // The files made from the data alone are made beside the pages, not after them.
    let (outs, made_from_data) = rayon::join(
        || {
            plan.pages
                .par_iter()
                .map(|planned| pages::render(data, theme, planned))
                .collect::<Result<Vec<out::PageOut>, _>>()
        },
        || data_files(data),
    );
    let mut outs = outs.map_err(ThemeError::Render)?;
    let mut site = Site::default();
    let nav_script = layout::nav_script(plan);
    let nav_on_demand = nav_script.len() > layout::NAV_EAGER_MAX;
    let rendered: Vec<(String, Result<String, RenderError>)> = outs
        .par_iter()
        .enumerate()
        .map(|(i, out)| {
            let path = plan.pages[i].path.clone();
            (
                path,
                layout::page(
                    data,
                    theme,
                    plan,
                    crate::plan::PageIx(i),
                    out,
                    nav_on_demand,
                ),
            )
        })
        .collect();
    for (path, html) in rendered {
        match html {
            Ok(html) => site.insert(path, html),
            Err(message) => return Err(ThemeError::Render(message)),
        }
    }
    for (path, bytes) in &theme.statics {
        site.insert(format!("{}/{path}", urls::STATIC), bytes.clone());
    }
    // The brand's logo, read and checked by the loader.
    if let Some((path, bytes)) = &data.project.config.branding.logo {
        site.insert(path.clone(), bytes.clone());
    }
    // The diagrams' palette and the highlighting classes, unless the theme brings its
    // own stylesheet of that name: then the theme's replaces it.
    if !site.files.contains_key(outputs::GENERATED_CSS) {
        site.insert(outputs::GENERATED_CSS, outputs::generated_css());
    }
    if !site.files.contains_key(outputs::HIGHLIGHT_CSS) {
        site.insert(outputs::HIGHLIGHT_CSS, outputs::highlight_css());
    }
    site.insert(urls::NAV_SCRIPT, nav_script);
    site.files.extend(made_from_data);
    insert_redirects(data, theme, plan, &mut site).map_err(ThemeError::Render)?;
    let search_pages: Vec<Vec<search::Part>> = outs
        .par_iter_mut()
        .zip(&plan.pages)
        .map(|(out, planned)| search_parts(data, planned, out))
        .collect();
    let search_tasks = search::task_parts(data);
    insert_search_files(data, plan, &search_pages, &search_tasks, &mut site);
    let problems = links::check(&site, &written_links(plan.pages.iter().zip(&outs)));
    Ok(RenderedParts {
        site: Arc::new(site),
        rendered_pages: outs.len(),
        outs,
        search_pages,
        search_tasks,
        problems,
        search_pending: false,
    })
}
