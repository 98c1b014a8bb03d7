//! Lays a rendered page out with the theme: fills the template context with the page,
//! its fallback navigation, the scope and model switchers and the breadcrumb, all from the
//! [`SitePlan`] and with links relative to the page.
//!
//! The full navigation is not in the pages: it is written once, to [`urls::NAV_SCRIPT`],
//! and the theme's script builds it into each page. A page itself carries only a bounded
//! fallback ([`SitePlan::fallback_nav`]) for readers without scripts, so the size of a
//! page does not grow with the number of pages.
//!
//! A small site's pages load the whole tree with the page. Past [`NAV_EAGER_MAX`] bytes
//! (a site of some hundreds of guides) the pages do not reference it: the bounded
//! navigation the page carries is what the reader sees first, and the theme's script
//! fetches the tree when the reader reaches for it (pointer or focus on the navigation,
//! a group opened, the filter used). At
//! 10,000 guides the tree is about 680 KB, which every page parsed before it was usable.

use super::data::{SiteData, updated};
use super::out::PageOut;
use super::pages;
use super::templates::{RenderError, Theme};
use crate::model::ScopeIx;
use crate::plan::{NavAt, NavShown, PageIx, PageKind, SitePlan, urls};
use serde::Serialize;

#[derive(Serialize)]
struct Context<'a> {
    site: SiteInfo<'a>,
    /// Prefix from the page to the site root.
    root: &'a str,
    page: PageView<'a>,
    nav: Vec<NavGroup<'a>>,
    switcher: Vec<Switch<'a>>,
    /// The operating models, on a page of one model in a project with models; else empty.
    model_switcher: Vec<ModelSwitch>,
    /// The config's labels, for the theme's own wording around the page.
    labels: &'a crate::config::Labels,
    brand: BrandView<'a>,
    /// Whether the whole navigation tree ([`urls::NAV_SCRIPT`]) is left for the theme's
    /// script to fetch when the reader asks for it, rather than loaded with the page:
    /// when it is over [`NAV_EAGER_MAX`] bytes.
    nav_on_demand: bool,
    /// The published versions, newest first, each leading to this page where it has
    /// it (`partials/version_switcher.html`); empty when only one version is built.
    versions: Vec<VersionSwitch>,
    /// On an older version's page, the current version and its page
    /// (`partials/version_banner.html`); `None` on the current version's pages.
    version_banner: Option<VersionBanner>,
    /// The Changes page of the version being read, relative to this page, when it has
    /// one (every published version but the oldest); shown beside the switcher.
    changes_url: Option<String>,
    /// The Atom feed of the versions' changes (`changes.xml`), relative to this page,
    /// when it is written (versions published and `base_url` set).
    feed_url: Option<String>,
}

#[derive(Serialize)]
struct VersionSwitch {
    name: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct VersionBanner {
    /// The version this page is of.
    name: String,
    /// The current version's name, and this page (or its home page) there.
    current_name: String,
    url: String,
}

/// The largest navigation tree a page loads with it (48 KiB): with the theme's two
/// scripts (about 35 KB) a page stays under 100 KB of script and data before it is
/// usable. Decided from the tree's size, which only the front matter, the data's names
/// and the config change, so a rebuild that keeps pages keeps the decision too.
pub(crate) const NAV_EAGER_MAX: usize = 48 * 1024;

/// `brand:` of `rasci.yaml` as checked by the loader: every value parsed (colours are
/// `#rrggbb`, addresses written back by the `url` crate), text escaped by the template.
#[derive(Serialize)]
struct BrandView<'a> {
    /// The logo in the site, relative to the page; `None` for the theme's mark.
    logo_url: Option<String>,
    accent: Option<&'a str>,
    accent_dark: Option<&'a str>,
    footer_links: Vec<BrandLinkView<'a>>,
}

#[derive(Serialize)]
struct BrandLinkView<'a> {
    label: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    /// The page's visible heading: its own first heading, else the title.
    heading: &'a str,
    description: &'a str,
    body: &'a str,
    toc: &'a [super::markdown::TocEntry],
    breadcrumb: Vec<Link<'a>>,
    class: &'a str,
    path: &'a str,
    /// Name of the scope the page belongs to, or empty.
    scope_name: &'a str,
    /// Name of the operating model the page belongs to, or empty (always empty in a
    /// project without models).
    model_name: String,
    /// Index of that scope, or empty: the navigation script opens its group.
    scope_index: String,
    /// Index of the page's operating model in a project with models, or empty: the
    /// search lists that model's results first.
    model_index: String,
    is_home: bool,
    /// The scope's name when the `<title>` names it after the page's own title (a
    /// guide, which every scope shows), or empty.
    title_scope: String,
    /// The guides before and after this one in the navigation, in the same scope.
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    /// Where the page's source is edited (`edit_url`), when it has one source file.
    edit_url: Option<String>,
    /// The day the page last changed, `YYYY-MM-DD` (see [`updated`]); `None` without one.
    updated: Option<&'a str>,
    /// Whether the body holds a code block, so the page links the highlighting's
    /// stylesheet.
    has_code: bool,
}

// The views borrow their text from the plan and the project: only the URLs, relative to
// each page, are made per page.
#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NavGroup<'a> {
    title: &'a str,
    /// Open when the page is in the group, or when the page belongs to no scope.
    open: bool,
    items: Vec<NavItem<'a>>,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Switch<'a> {
    name: &'a str,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct ModelSwitch {
    name: String,
    url: String,
    current: bool,
    /// Whether the link keeps the page's scope; `false` when the model does not
    /// cover it and the link leads to the model's first scope.
    same_page: bool,
}

/// The site root as seen from the 404 page. A static host serves that page for any
/// missing address, `/a/b/c/missing` too, where relative URLs would point nowhere: its
/// styles, scripts and links therefore start from `base_url` when it is set, and from
/// the host's root (`/`) when it is not.
fn not_found_root(project: &crate::model::Project) -> String {
    match &project.config.base_url {
        Some(base) => format!("{}/", base.value.trim_end_matches('/')),
        None => "/".to_string(),
    }
}

/// The full HTML of the page at `index` of the plan.
pub(crate) fn page(
    data: &SiteData<'_>,
    theme: &Theme,
    plan: &SitePlan,
    index: PageIx,
    out: &PageOut,
    nav_on_demand: bool,
) -> Result<String, RenderError> {
    let project = data.project;
    let planned = plan.page(index);
    let root = if planned.path == urls::NOT_FOUND {
        not_found_root(project)
    } else {
        urls::root_of(&planned.path)
    };
    let rel = |site_path: &str| format!("{root}{site_path}");
    // Another version's page, from the whole site's root; the 404 page, served at any
    // depth, switches nothing.
    let versions = plan
        .versions
        .as_ref()
        .filter(|_| planned.path != urls::NOT_FOUND);
    let to_site_root = versions.map(|v| format!("{root}{}", v.up_to_site_root()));
    let changes_url = versions
        .filter(|v| v.changes().is_some())
        .map(|_| rel(urls::CHANGES));
    let feed_url = versions
        .filter(|v| v.feed)
        .zip(to_site_root.as_deref())
        .map(|(_, up)| format!("{up}{}", super::feed::FEED));
    let branding = &project.config.branding;
    let context = Context {
        site: SiteInfo {
            title: &project.config.title.value,
            description: project
                .config
                .description
                .as_ref()
                .map_or("", |d| d.value.as_str()),
            lang: &project.config.language,
        },
        root: &root,
        page: PageView {
            title: out.title(planned),
            heading: out.heading.as_deref().unwrap_or(out.title(planned)),
            description: &out.description,
            body: &out.body,
            toc: &out.toc,
            breadcrumb: planned
                .crumbs
                .iter()
                .map(|c| Link {
                    title: &c.title,
                    url: rel(&c.url),
                })
                .collect(),
            class: pages::class(planned.kind),
            path: &planned.path,
            scope_name: planned
                .scope
                .map_or("", |i| project.scope_at(i).name.value.as_str()),
            scope_index: planned.scope.map(|i| i.0.to_string()).unwrap_or_default(),
            model_index: planned
                .model
                .filter(|_| project.has_models())
                .map(|i| i.0.to_string())
                .unwrap_or_default(),
            model_name: planned
                .model
                .and_then(|m| project.model_at(m).name())
                .unwrap_or_default()
                .to_string(),
            is_home: matches!(planned.kind, PageKind::Home),
            title_scope: planned
                .title_scope
                .map(|i| project.scope_at(i).name.value.clone())
                .unwrap_or_default(),
            prev: planned.prev.map(|i| Link {
                title: &plan.page(i).title,
                url: rel(&plan.page(i).path),
            }),
            next: planned.next.map(|i| Link {
                title: &plan.page(i).title,
                url: rel(&plan.page(i).path),
            }),
            edit_url: project.config.edit_link.as_ref().and_then(|link| {
                edit_source(data, planned.kind).map(|file| link.link(project.sources.path(file)))
            }),
            updated: updated(data, planned.kind),
            // Highlighted code is in `<pre>`; inline code has no colours to style.
            has_code: out.body.contains("<pre"),
        },
        nav: fallback_nav(plan, index, &rel),
        switcher: plan
            .switcher(project, index)
            .into_iter()
            .map(|target| Switch {
                name: &project.scope_at(target.scope).name.value,
                url: rel(&target.path),
                current: target.current,
            })
            .collect(),
        model_switcher: plan
            .model_switcher(project, index)
            .into_iter()
            .map(|target| ModelSwitch {
                name: project
                    .model_at(target.model)
                    .name()
                    .unwrap_or_default()
                    .to_string(),
                url: rel(&target.path),
                current: target.current,
                same_page: target.same_page,
            })
            .collect(),
        labels: &project.config.labels,
        brand: BrandView {
            logo_url: branding.logo.as_ref().map(|(path, _)| rel(path)),
            accent: branding.accent.as_deref(),
            accent_dark: branding.accent_dark.as_deref(),
            footer_links: branding
                .footer_links
                .iter()
                .map(|(label, url)| BrandLinkView { label, url })
                .collect(),
        },
        versions: versions
            .zip(to_site_root.as_deref())
            .map(|(versions, up)| {
                versions
                    .switcher(&planned.path)
                    .into_iter()
                    .map(|target| VersionSwitch {
                        name: target.name,
                        url: format!("{up}{}", target.path),
                        current: target.current,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        version_banner: versions
            .zip(to_site_root.as_deref())
            .and_then(|(versions, up)| {
                let target = versions.banner(&planned.path)?;
                Some(VersionBanner {
                    name: versions.this_name().to_owned(),
                    current_name: target.name,
                    url: format!("{up}{}", target.path),
                })
            }),
        nav_on_demand,
        changes_url,
        feed_url,
    };
    let template = if matches!(planned.kind, PageKind::Home) {
        "home.html"
    } else {
        "page.html"
    };
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| RenderError::other(super::templates::error_chain(&e)))?;
    theme.render_context(template, &context)
}

/// The one file a reader would edit to change the page: a guide's Markdown file, and a
/// scope page's tasks file when a single file holds every task of its table (split
/// over several files, no one file is the page, and a link to one of them would mislead).
/// The other pages are made from many files, or from none, and have no such link.
fn edit_source(data: &SiteData<'_>, kind: PageKind) -> Option<crate::source::FileId> {
    match kind {
        PageKind::Content { page, .. } => Some(data.content[page].file),
        PageKind::Scope { model, scope } => {
            let matrix = data.matrix(model, scope)?;
            let mut files = matrix.rows().map(|row| row.task.id.span.file);
            let first = files.next()?;
            files.all(|file| file == first).then_some(first)
        }
        _ => None,
    }
}

/// The page's bounded navigation, for readers without scripts.
fn fallback_nav<'a>(
    plan: &'a SitePlan,
    index: PageIx,
    rel: &dyn Fn(&str) -> String,
) -> Vec<NavGroup<'a>> {
    let current = plan.page(index).nav_at;
    plan.fallback_nav(index)
        .into_iter()
        .map(|NavShown { group: g, items }| {
            let group = &plan.nav[g];
            NavGroup {
                title: &group.title,
                open: plan.group_open(index, g),
                items: items
                    .into_iter()
                    .map(|i| NavItem {
                        title: &group.items[i].title,
                        url: rel(&group.items[i].path),
                        current: current == Some(NavAt { group: g, item: i }),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A group of the navigation as the theme's script reads it.
#[derive(Serialize)]
struct ScriptGroup<'a> {
    /// Title.
    t: &'a str,
    /// The scope's index, or `null` for the site-wide groups (always open).
    s: Option<ScopeIx>,
    /// Items: `[title, path from the site root]`.
    i: Vec<(&'a str, &'a str)>,
}

/// `static/js/nav.js`: the whole navigation tree, once for the site, as a script (not
/// JSON, which a page opened from disk may not fetch). Each page names its own path and
/// scope, from which the theme's script marks the current page and opens groups.
pub(crate) fn nav_script(plan: &SitePlan) -> String {
    let groups: Vec<ScriptGroup<'_>> = plan
        .nav
        .iter()
        .map(|group| ScriptGroup {
            t: &group.title,
            s: group.scope,
            i: group
                .items
                .iter()
                .map(|item| (item.title.as_str(), item.path.as_str()))
                .collect(),
        })
        .collect();
    let json = serde_json::to_string(&groups).expect("navigation serializes");
    format!(
        "window.RASCI_NAV = {};\n",
        super::search::script_safe(&json)
    )
}
