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
mod glossary;
mod highlight;
pub mod html;
mod layout;
mod links;
pub mod markdown;
mod pages;
mod search;
mod templates;
mod urls;
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
    let (mut project, mut findings) = crate::load::load(root).map_err(BuildError::Load)?;
    let content = content::load(&mut project, &mut findings).map_err(BuildError::Load)?;
    let theme = templates::load(root, &project.config.theme).map_err(BuildError::Theme)?;
    let (site, problems) = {
        let matrices = crate::resolve::resolve(&project);
        crate::check::check(&project, &matrices, &mut findings);
        let data = SiteData {
            project: &project,
            matrices,
            content: &content,
            glossary: glossary::Glossary::new(&project),
        };
        render_site(&data, &theme, &mut findings)?
    };
    links::report(&mut project, &mut findings, problems, &site);
    findings.sort(&project.sources);
    Ok(Build {
        project,
        findings,
        site,
    })
}

fn render_site(
    data: &SiteData<'_>,
    theme: &templates::Theme,
    findings: &mut Findings,
) -> Result<(Site, Vec<links::Problem>), BuildError> {
    use rayon::prelude::*;
    let kinds = pages::plan(data);
    let mut outs: Vec<pages::PageOut> = kinds
        .par_iter()
        .map(|kind| pages::render(data, *kind))
        .collect();
    let mut site = Site::default();
    let mut written_links = Vec::new();
    for out in &mut outs {
        findings.extend(std::mem::take(&mut out.diagnostics));
        written_links.push((out.path.clone(), std::mem::take(&mut out.links)));
    }
    let rendered: Vec<(String, Result<String, String>)> = outs
        .par_iter()
        .map(|out| (out.path.clone(), layout::page(data, theme, &outs, out)))
        .collect();
    for (path, html) in rendered {
        match html {
            Ok(html) => site.insert(path, html),
            Err(message) => return Err(BuildError::Theme(ThemeError::Template(message))),
        }
    }
    for (path, bytes) in &theme.statics {
        site.insert(format!("static/{path}"), bytes.clone());
    }
    site.insert(
        "static/css/generated.css",
        format!("{}\n{}", highlight::stylesheet(), diagrams::stylesheet()),
    );
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
    let (js, json) = search::index(data, &outs);
    site.insert(urls::SEARCH_INDEX_JS, js);
    site.insert(urls::SEARCH_INDEX_JSON, json);
    site.insert("sitemap.xml", search::sitemap(data.project, &outs));
    site.insert("robots.txt", search::robots(data.project));
    let problems = links::check(&site, &written_links);
    Ok((site, problems))
}
