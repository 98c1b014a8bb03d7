//! Lays a rendered page out with the theme: fills the template context with the page,
//! its fallback navigation, the deployment and model switchers and the breadcrumb, all from the
//! [`SitePlan`] and with links relative to the page.
//!
//! The full navigation is not in the pages: it is written once, to [`urls::NAV_SCRIPT`],
//! and the theme's script builds it into each page. A page itself carries only a bounded
//! fallback ([`SitePlan::fallback_nav`]) for readers without scripts, so the size of a
//! page does not grow with the number of pages.

use super::SiteData;
use super::pages::{PageKind, PageOut};
use super::templates::{Theme, error_chain};
use super::urls;
use crate::load::history::History;
use crate::model::{DataKind, Project};
use crate::plan::SitePlan;
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
    /// Name of the deployment the page belongs to, or empty.
    scope_name: &'a str,
    /// Name of the operating model the page belongs to, or empty (always empty in a
    /// project without models).
    model_name: String,
    /// Index of that deployment, or empty: the navigation script opens its group.
    scope_index: String,
    is_home: bool,
    /// The deployment's name when the `<title>` names it after the page's own title (a
    /// guide, which every deployment shows), or empty.
    title_scope: String,
    /// The guides before and after this one in the navigation, in the same deployment.
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    /// Where the page's source is edited (`edit_url`), when it has one source file.
    edit_url: Option<String>,
    /// The day the page last changed, `YYYY-MM-DD` (see [`updated`]); `None` without one.
    updated: Option<&'a str>,
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
    /// Open when the page is in the group, or when the page belongs to no deployment.
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
    /// Whether the link keeps the page's deployment; `false` when the model does not
    /// cover it and the link leads to the model's first deployment.
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
pub fn page(
    data: &SiteData<'_>,
    theme: &Theme,
    plan: &SitePlan,
    index: usize,
    out: &PageOut,
) -> Result<String, String> {
    let project = data.project;
    let planned = &plan.pages[index];
    let root = if planned.path == urls::NOT_FOUND {
        not_found_root(project)
    } else {
        urls::root_of(&planned.path)
    };
    let rel = |site_path: &str| format!("{root}{site_path}");
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
            title: &out.title,
            heading: out.heading.as_deref().unwrap_or(&out.title),
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
            class: out.class,
            path: &planned.path,
            scope_name: planned
                .scope
                .map_or("", |i| project.scopes[i].name.value.as_str()),
            scope_index: planned.scope.map(|i| i.to_string()).unwrap_or_default(),
            model_name: planned
                .model
                .and_then(|m| project.models[m].name())
                .unwrap_or_default()
                .to_string(),
            is_home: matches!(planned.kind, PageKind::Home),
            title_scope: planned
                .title_scope
                .map(|i| project.scopes[i].name.value.clone())
                .unwrap_or_default(),
            prev: planned.prev.map(|i| Link {
                title: &plan.pages[i].title,
                url: rel(&plan.pages[i].path),
            }),
            next: planned.next.map(|i| Link {
                title: &plan.pages[i].title,
                url: rel(&plan.pages[i].path),
            }),
            edit_url: project.config.edit_link.as_ref().and_then(|link| {
                edit_source(data, planned.kind).map(|file| link.link(project.sources.path(file)))
            }),
            updated: updated(data, planned.kind),
        },
        nav: fallback_nav(plan, index, &rel),
        switcher: plan
            .switcher(project, index)
            .into_iter()
            .map(|target| Switch {
                name: &project.scopes[target.scope].name.value,
                url: rel(&target.path),
                current: target.current,
            })
            .collect(),
        model_switcher: plan
            .model_switcher(project, index)
            .into_iter()
            .map(|target| ModelSwitch {
                name: project.models[target.model]
                    .name()
                    .unwrap_or_default()
                    .to_string(),
                url: rel(&target.path),
                current: target.current,
                same_page: target.same_page,
            })
            .collect(),
        labels: &project.config.labels,
    };
    let template = if matches!(planned.kind, PageKind::Home) {
        "home.html"
    } else {
        "page.html"
    };
    let context = tera::Context::from_serialize(&context).map_err(|e| error_chain(&e))?;
    theme.render_context(template, &context)
}

/// The one file a reader would edit to change the page: a guide's Markdown file, and a
/// deployment page's tasks file when a single file holds every task of its table (split
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

/// What the dates of pages are made from: the git history, and the latest day a file of
/// each data kind changed, worked out once per build so that a page's date costs a few
/// lookups, not a pass over every file of the project.
pub struct PageDates<'p> {
    /// `last_updated` of the config: `false` leaves every date out.
    shown: bool,
    history: &'p History,
    /// Per kind of data file that has a date, the latest day one of its files changed.
    by_kind: Vec<(DataKind, &'p str)>,
}

impl<'p> PageDates<'p> {
    pub fn new(project: &Project, history: &'p History) -> PageDates<'p> {
        let mut by_kind: Vec<(DataKind, &'p str)> = Vec::new();
        for (_, source) in project.sources.files() {
            let (Some(kind), Some(day)) = (
                crate::load::kinds::of_path(&source.path),
                history.date(&source.path),
            ) else {
                continue;
            };
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, held)) if *held >= day => {}
                Some((_, held)) => *held = day,
                None => by_kind.push((kind, day)),
            }
        }
        PageDates {
            shown: project.config.last_updated,
            history,
            by_kind,
        }
    }

    /// The latest day a data file of one of `kinds` changed.
    fn of_kinds(&self, kinds: &[DataKind]) -> Option<&'p str> {
        self.by_kind
            .iter()
            .filter(|(kind, _)| kinds.contains(kind))
            .map(|(_, day)| *day)
            .max()
    }
}

/// The data a deployment page shows besides its sections' tasks: its scope (from the
/// scopes file), the operating models, the parties heading its columns, their summaries,
/// its systems and flows.
/// The glossary only marks words on a page, as on every page, and dates none of them.
const DEPLOYMENT_DATA: &[DataKind] = &[
    DataKind::Models,
    DataKind::Parties,
    DataKind::Scopes,
    DataKind::Summaries,
    DataKind::Systems,
    DataKind::Flows,
];

/// The data a party page, the comparison and the home page's cards are made from: the
/// operating models, the parties, the deployments and the tasks' letters.
const MATRIX_DATA: &[DataKind] = &[
    DataKind::Models,
    DataKind::Parties,
    DataKind::Scopes,
    DataKind::Tasks,
];

/// The day the page of `kind` last changed, as pages show it and the sitemap's
/// `<lastmod>` gives it: the `updated:` of a content page's front matter when it has one,
/// else the day of the last commit that changed a file the page is built from. A content
/// page is built from its own file; the home page from `content/_index.md` and
/// [`MATRIX_DATA`]; a deployment page from the tasks files of the sections it shows and
/// [`DEPLOYMENT_DATA`]; a party page and the comparison from [`MATRIX_DATA`]; the
/// glossary from the glossary files. The page for a missing address has no date. `None`
/// when dates are turned off or no file of the page has a commit.
pub(super) fn updated<'d>(data: &'d SiteData<'_>, kind: PageKind) -> Option<&'d str> {
    let dates = &data.dates;
    if !dates.shown {
        return None;
    }
    let project = data.project;
    let own_date = |page: &'d crate::load::content::ContentPage| match &page.front.updated {
        Some(updated) => Some(updated.value.as_str()),
        None => dates.history.date(project.sources.path(page.file)),
    };
    match kind {
        PageKind::Content { page, .. } => own_date(&data.content[page]),
        PageKind::Home => {
            let text = data.content.iter().find(|page| page.is_home());
            // The front matter's date, when given, is the home page's date.
            if let Some(updated) = text.and_then(|page| page.front.updated.as_ref()) {
                return Some(updated.value.as_str());
            }
            text.and_then(own_date).max(dates.of_kinds(MATRIX_DATA))
        }
        PageKind::Scope { model, scope } => {
            let sections = data
                .matrix(model, scope)
                .into_iter()
                .flat_map(|matrix| matrix.sections.iter())
                .filter_map(|section| {
                    dates
                        .history
                        .date(project.sources.path(section.section.id.span.file))
                })
                .max();
            sections.max(dates.of_kinds(DEPLOYMENT_DATA))
        }
        PageKind::Party(_) | PageKind::Compare { .. } | PageKind::CompareModels { .. } => {
            dates.of_kinds(MATRIX_DATA)
        }
        PageKind::Glossary => dates.of_kinds(&[DataKind::Glossary]),
        PageKind::NotFound => None,
    }
}

/// The page's bounded navigation, for readers without scripts.
fn fallback_nav<'a>(
    plan: &'a SitePlan,
    index: usize,
    rel: &dyn Fn(&str) -> String,
) -> Vec<NavGroup<'a>> {
    let current = plan.pages[index].nav_at;
    plan.fallback_nav(index)
        .into_iter()
        .map(|(g, items)| {
            let group = &plan.nav[g];
            NavGroup {
                title: &group.title,
                open: plan.group_open(index, g),
                items: items
                    .into_iter()
                    .map(|i| NavItem {
                        title: &group.items[i].title,
                        url: rel(&group.items[i].path),
                        current: current == Some((g, i)),
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
    /// The deployment's index, or `null` for the site-wide groups (always open).
    s: Option<usize>,
    /// Items: `[title, path from the site root]`.
    i: Vec<(&'a str, &'a str)>,
}

/// `static/js/nav.js`: the whole navigation tree, once for the site, as a script (not
/// JSON, which a page opened from disk may not fetch). Each page names its own path and
/// deployment, from which the theme's script marks the current page and opens groups.
pub fn nav_script(plan: &SitePlan) -> String {
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
