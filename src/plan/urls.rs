//! Where each page of the site lives. Every link is written relative to the page that
//! holds it and names `index.html` explicitly, so the site works from any sub-path and
//! when opened from disk.

pub const HOME: &str = "index.html";
pub const GLOSSARY: &str = "glossary/index.html";
pub const COMPARE: &str = "compare/index.html";
pub const SEARCH_INDEX_JS: &str = "search-index.js";
/// The navigation tree, written once for the whole site (see `render::layout`).
pub const NAV_SCRIPT: &str = "static/js/nav.js";
pub const NOT_FOUND: &str = "404.html";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The theme's static files, and the generated stylesheet.
pub const STATIC: &str = "static";

/// Every name the site writes at its top level for itself, next to one folder per
/// deployment (or per content page, in a project without deployments). A scope id or a
/// top-level content page that takes one of these names is an error (`id/reserved`).
pub const SITE_NAMES: &[&str] = &[
    HOME,
    NOT_FOUND,
    SEARCH_INDEX_JS,
    SITEMAP,
    ROBOTS,
    STATIC,
    "glossary",
    "compare",
    "parties",
    "diagrams",
];

/// The prefix that leads from the page at `path` back to the site root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A deployment's RASCI page.
pub fn scope(id: &str) -> String {
    format!("{id}/index.html")
}

pub fn party(id: &str) -> String {
    format!("parties/{id}/index.html")
}

/// A content page, inside its deployment's folder when it belongs to one.
pub fn content(scope: Option<&str>, slug: &str) -> String {
    if slug == "_index" || slug.is_empty() {
        return HOME.to_string();
    }
    match scope {
        Some(scope) => format!("{scope}/{slug}/index.html"),
        None => format!("{slug}/index.html"),
    }
}

pub fn download(scope: &str, extension: &str) -> String {
    format!("{scope}/rasci-{scope}.{extension}")
}

/// A diagram's standalone `.svg` file, named by the diagram's id.
pub fn diagram(id: &str) -> String {
    format!("diagrams/{id}.svg")
}

pub fn task_anchor(task: &str) -> String {
    format!("task-{task}")
}
