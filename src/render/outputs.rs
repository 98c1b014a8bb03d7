//! The site-wide outputs, made from all the pages or from the data alone: the downloads
//! of each matrix, the standalone diagrams, the search index, the sitemap and robots.txt.

use super::data::SiteData;
use super::out::PageOut;
use super::site::Site;
use super::templates::{RenderError, Theme};
use super::{diagrams, highlight, links, search, shards, sitemap};
use crate::plan::{PlannedPage, SitePlan, urls};
use bytes::Bytes;

/// The files made from the data alone: each scope's matrix as CSV, JSON and XLSX,
/// and every diagram as a standalone SVG. Each matrix's files are made on their own, in
/// parallel: compressing the XLSX workbooks was a fifth of building the example.
pub(super) fn data_files(data: &SiteData<'_>) -> Vec<(String, Bytes)> {
    use rayon::prelude::*;
    let per_matrix: Vec<Vec<(String, Bytes)>> = data
        .matrices
        .par_iter()
        .map(|matrix| {
            let id = &matrix.scope.id.value;
            let model = data.project.model_at(matrix.model).path_id();
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

pub(super) fn insert_data_files(data: &SiteData<'_>, site: &mut Site) {
    site.files.extend(data_files(data));
}

/// The files made from every page: the search index (see [`insert_search_index`]),
/// robots.txt and, when `base_url` is set, the sitemap (which robots.txt then names). A
/// sitemap must list absolute addresses, so without `base_url` there is none rather than
/// an invalid one.
pub(super) fn insert_search_files(
    data: &SiteData<'_>,
    plan: &SitePlan,
    search_pages: &[Vec<search::Part>],
    search_tasks: &[search::Part],
    site: &mut Site,
) {
    insert_search_index(
        search_pages,
        search_tasks,
        &data.project.config.language,
        site,
    );
    insert_site_files(data, plan, site);
}

/// The search index's files, in place of the ones `site` held: an index of fewer shards
/// than the last leaves none of the last one's behind.
pub(super) fn insert_search_index(
    search_pages: &[Vec<search::Part>],
    search_tasks: &[search::Part],
    language: &str,
    site: &mut Site,
) {
    site.files.retain(|path, _| !urls::is_search_index(path));
    for (path, script) in shards::files(search_pages, search_tasks, language) {
        site.insert(path, script);
    }
}

/// robots.txt, the sitemap and the feed: the files made from every page but the search
/// index.
pub(super) fn insert_site_files(data: &SiteData<'_>, plan: &SitePlan, site: &mut Site) {
    if data.project.config.base_url.is_some() {
        for (name, xml) in sitemap::sitemaps(data, plan) {
            site.insert(name, xml);
        }
    }
    site.insert(urls::ROBOTS, sitemap::robots(data.project));
    let base_url = data.project.config.base_url.as_ref();
    if let Some(xml) = data.versions.and_then(|versions| {
        super::feed::feed(
            &data.project.config.title.value,
            base_url.map(|b| b.value.as_str()),
            versions,
        )
    }) {
        site.insert(super::feed::FEED, xml);
    }
}

/// What `pages/redirect.html` receives: where the reader goes, relative to the redirect
/// page so it works from disk, and the address search engines should keep instead.
#[derive(serde::Serialize)]
struct RedirectView<'a> {
    lang: &'a str,
    title: &'a str,
    target: String,
    canonical: String,
}

/// The redirect pages: one at each address the site keeps for a page that lives
/// elsewhere now (see `plan::Redirect`), from the theme's `pages/redirect.html`. Its
/// canonical address is absolute when `base_url` is set, else the relative target.
pub(super) fn insert_redirects(
    data: &SiteData<'_>,
    theme: &Theme,
    plan: &SitePlan,
    site: &mut Site,
) -> Result<(), RenderError> {
    let base = data.project.config.base_url.as_ref();
    for redirect in &plan.redirects {
        let page = plan.page(redirect.to);
        let target = format!("{}{}", urls::root_of(&redirect.path), page.path);
        let canonical = match base {
            Some(base) => format!(
                "{}/{}",
                base.value.trim_end_matches('/'),
                page.path.strip_suffix("index.html").unwrap_or(&page.path)
            ),
            None => target.clone(),
        };
        let html = theme.render(
            "pages/redirect.html",
            &RedirectView {
                lang: &data.project.config.language,
                title: &page.title,
                target,
                canonical,
            },
        )?;
        site.insert(redirect.path.clone(), html);
    }
    Ok(())
}

/// Each page's entries of the search index, made from its text, then its body dropped:
/// laid out, the page is in the site, and nothing else reads the body again.
pub(super) fn search_parts(
    data: &SiteData<'_>,
    planned: &PlannedPage,
    out: &mut PageOut,
) -> Vec<search::Part> {
    let body = std::mem::take(&mut out.body);
    let text = search::page_text(&body);
    let sections = search::section_texts(&body, &out.toc, planned.kind);
    search::page_parts(data, planned, out, &text, &sections)
}

/// The links each page's sources wrote, for reporting broken ones where they were written.
pub(super) fn written_links<'a>(
    pages: impl IntoIterator<Item = (&'a PlannedPage, &'a PageOut)>,
) -> Vec<links::Written<'a>> {
    pages
        .into_iter()
        .map(|(planned, out)| (planned.path.as_str(), out.links.as_slice()))
        .collect()
}

/// Where the stylesheet made from code goes: the diagram palette. A theme's own
/// `static/css/generated.css` takes its place.
pub(super) const GENERATED_CSS: &str = "static/css/generated.css";

/// Where the code highlighting's stylesheet goes: linked only by pages that hold code (at
/// 28 KB it was most of the CSS of a page without any). A theme's own
/// `static/css/highlight.css` takes its place.
pub(super) const HIGHLIGHT_CSS: &str = "static/css/highlight.css";

/// The stylesheet made from code: the diagrams' palette.
pub(super) fn generated_css() -> String {
    diagrams::stylesheet()
}

/// The code highlighting's classes, light and dark.
pub(super) fn highlight_css() -> String {
    highlight::stylesheet().to_string()
}
