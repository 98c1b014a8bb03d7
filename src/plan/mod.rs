//! Plan: every page of the site, decided once per build before anything is rendered.
//!
//! For each page: its kind, its path (made from validated ids only, see [`urls`]), its
//! title, the deployment it belongs to, the key that pairs it with the same page in other
//! deployments, and its breadcrumb. For the site: the navigation tree, built once, and a
//! map from (deployment, key) to page, so the deployment switcher of a page is a lookup
//! per deployment instead of a search of all pages.
//!
//! The plan is output-neutral: it holds paths from the site root and plain text, never
//! HTML. The render stage makes links relative to each page and escapes the text.
//!
//! The words the plan adds of its own (the home page's name, the navigation's groups,
//! the titles of the comparison, glossary and 404 pages) are the config's
//! [`Labels`](crate::config::Labels), so no wording of the site is fixed here.

pub mod urls;

use crate::config::Labels;
use crate::load::content::ContentPage;
use crate::model::{Project, Scope};
use serde::Serialize;
use std::collections::HashMap;

/// Which page to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Scope(usize),
    Content { page: usize, scope: Option<usize> },
    Party(usize),
    Compare,
    Glossary,
    NotFound,
}

/// A link in the breadcrumb, by its path from the site root (made relative to the page
/// when the template is filled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// One page of the site as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPage {
    pub kind: PageKind,
    /// Path from the site root, e.g. `cloud/setup/index.html`.
    pub path: String,
    pub title: String,
    /// The deployment the page belongs to.
    pub scope: Option<usize>,
    /// Pages that share a key are the same page in different deployments.
    pub key: Option<String>,
    /// From the home page down to the page's parent.
    pub crumbs: Vec<Crumb>,
    /// Where the page sits in [`SitePlan::nav`]: group index, item index.
    pub nav_at: Option<(usize, usize)>,
    /// The deployment the page's `<title>` names after the page's own title: a guide's,
    /// since the same guide is a page in every deployment that shows it and a reader with
    /// two tabs open (or a browser history) must tell them apart. `None` elsewhere: a
    /// deployment's RASCI page names its deployment in its title already.
    pub title_scope: Option<usize>,
    /// The guides before and after this one in the navigation's order, within the same
    /// deployment (indices into [`SitePlan::pages`]); `None` at either end and for every
    /// page that is not a guide.
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

/// A group of the navigation: the overview, one per deployment, the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavGroup {
    pub title: String,
    /// The deployment whose pages the group lists; `None` for the site-wide groups.
    pub scope: Option<usize>,
    pub items: Vec<NavItem>,
}

/// One link of the navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavItem {
    pub title: String,
    /// Path from the site root.
    pub path: String,
    /// Shown in every page's fallback navigation (the one read without scripts): the home
    /// page, each deployment's RASCI page, the comparison and the glossary. Their number
    /// depends on the deployments, not on the number of pages.
    pub landmark: bool,
}

/// A link of the deployment switcher: the same page in the deployment when it exists
/// there, else the deployment's RASCI page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchTarget {
    pub scope: usize,
    pub path: String,
    pub current: bool,
}

/// How many neighbours on each side of the current page its group shows in the fallback
/// navigation: enough to step through a deployment's guides one page at a time, and a
/// fixed number, so a page's size does not grow with the site.
pub const NAV_NEIGHBOURS: usize = 4;

/// Every page and the site's navigation.
#[derive(Debug, Clone)]
pub struct SitePlan {
    /// In a fixed order: home, deployments, content, parties, comparison, glossary, 404.
    pub pages: Vec<PlannedPage>,
    pub nav: Vec<NavGroup>,
    /// `(deployment, key)` → index into `pages`.
    by_key: HashMap<(usize, String), usize>,
    /// The content pages but the home page, in navigation order (see [`guide_order`]):
    /// sorted once, as the navigation and every deployment page list them.
    pub guide_order: Vec<usize>,
}

impl SitePlan {
    /// Plans the site of a project: computed once per build, before anything renders.
    pub fn new(project: &Project, content: &[ContentPage]) -> SitePlan {
        let guide_order = guide_order(content);
        let guide_order = guide_order.as_slice();
        let mut pages: Vec<PlannedPage> = kinds(project, content)
            .into_iter()
            .map(|kind| plan_page(project, content, kind))
            .collect();
        let nav = navigation(project, content, guide_order);
        let position: HashMap<&str, (usize, usize)> = nav
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(i, item)| (item.path.as_str(), (g, i)))
            })
            .collect();
        for page in &mut pages {
            page.nav_at = position.get(page.path.as_str()).copied();
        }
        link_guides(&mut pages, guide_order);
        let by_key = pages
            .iter()
            .enumerate()
            .filter_map(|(index, page)| Some(((page.scope?, page.key.clone()?), index)))
            .collect();
        SitePlan {
            pages,
            nav,
            by_key,
            guide_order: guide_order.to_vec(),
        }
    }

    /// The kind of every page, in plan order.
    pub fn kinds(&self) -> Vec<PageKind> {
        self.pages.iter().map(|p| p.kind).collect()
    }

    /// One switcher link per deployment for the page at `index`.
    pub fn switcher(&self, project: &Project, index: usize) -> Vec<SwitchTarget> {
        let page = &self.pages[index];
        project
            .scopes
            .iter()
            .enumerate()
            .map(|(scope_index, scope)| {
                let same = page
                    .key
                    .as_ref()
                    .and_then(|key| self.by_key.get(&(scope_index, key.clone())));
                SwitchTarget {
                    scope: scope_index,
                    path: same.map_or_else(
                        || urls::scope(&scope.id.value),
                        |&i| self.pages[i].path.clone(),
                    ),
                    current: page.scope == Some(scope_index),
                }
            })
            .collect()
    }

    /// Whether the group is shown open on the page: the site-wide groups always, a
    /// deployment's group on its own pages and on pages of no deployment.
    pub fn group_open(&self, index: usize, group: usize) -> bool {
        let page_scope = self.pages[index].scope;
        match self.nav[group].scope {
            None => true,
            Some(scope) => page_scope.is_none_or(|s| s == scope),
        }
    }

    /// The navigation a page carries for readers without scripts: every landmark, and
    /// the page's neighbours in its own group. Bounded: its length depends on the
    /// deployments and [`NAV_NEIGHBOURS`], never on the number of pages. Returns, per
    /// group, the indices of the items shown; a group with none is left out.
    pub fn fallback_nav(&self, index: usize) -> Vec<(usize, Vec<usize>)> {
        let at = self.pages[index].nav_at;
        self.nav
            .iter()
            .enumerate()
            .filter_map(|(g, group)| {
                let near = |i: usize| {
                    at.is_some_and(|(ag, ai)| ag == g && i.abs_diff(ai) <= NAV_NEIGHBOURS)
                };
                let items: Vec<usize> = (0..group.items.len())
                    .filter(|&i| group.items[i].landmark || near(i))
                    .collect();
                (!items.is_empty()).then_some((g, items))
            })
            .collect()
    }
}

/// Every page the site has, in a fixed order.
fn kinds(project: &Project, content: &[ContentPage]) -> Vec<PageKind> {
    let mut kinds = vec![PageKind::Home];
    for (index, _) in project.scopes.iter().enumerate() {
        kinds.push(PageKind::Scope(index));
    }
    for (page_index, page) in content.iter().enumerate() {
        if page.is_home() {
            continue;
        }
        if project.scopes.is_empty() {
            kinds.push(PageKind::Content {
                page: page_index,
                scope: None,
            });
        }
        for (scope_index, scope) in project.scopes.iter().enumerate() {
            if page.applies_to(&scope.id.value) {
                kinds.push(PageKind::Content {
                    page: page_index,
                    scope: Some(scope_index),
                });
            }
        }
    }
    for (index, _) in project.parties.iter().enumerate() {
        kinds.push(PageKind::Party(index));
    }
    if project.scopes.len() > 1 {
        kinds.push(PageKind::Compare);
    }
    kinds.push(PageKind::Glossary);
    kinds.push(PageKind::NotFound);
    kinds
}

/// The path of a page from the site root.
pub fn path_of(project: &Project, content: &[ContentPage], kind: PageKind) -> String {
    match kind {
        PageKind::Home => urls::HOME.to_string(),
        PageKind::Scope(i) => urls::scope(&project.scopes[i].id.value),
        PageKind::Content { page, scope } => urls::content(
            scope.map(|i| project.scopes[i].id.as_str()),
            &content[page].slug,
        ),
        PageKind::Party(i) => urls::party(&project.parties[i].id.value),
        PageKind::Compare => urls::COMPARE.to_string(),
        PageKind::Glossary => urls::GLOSSARY.to_string(),
        PageKind::NotFound => urls::NOT_FOUND.to_string(),
    }
}

fn plan_page(project: &Project, content: &[ContentPage], kind: PageKind) -> PlannedPage {
    let labels = &project.config.labels;
    let scope = match kind {
        PageKind::Scope(i) | PageKind::Content { scope: Some(i), .. } => Some(i),
        _ => None,
    };
    let title = match kind {
        PageKind::Home => content
            .iter()
            .find(|p| p.is_home() && !p.front.title.value.is_empty())
            .map_or_else(
                || project.config.title.value.clone(),
                |p| p.front.title.value.clone(),
            ),
        PageKind::Scope(i) => scope_page_title(labels, &project.scopes[i]),
        PageKind::Content { page, .. } => content[page].front.title.value.clone(),
        PageKind::Party(i) => project.parties[i].name.value.clone(),
        PageKind::Compare => labels.compare.clone(),
        PageKind::Glossary => labels.glossary.clone(),
        PageKind::NotFound => labels.not_found.clone(),
    };
    let key = match kind {
        PageKind::Scope(_) => Some("rasci".to_string()),
        PageKind::Content { page, .. } => Some(format!("content:{}", content[page].slug)),
        _ => None,
    };
    let crumbs = match kind {
        PageKind::Home => Vec::new(),
        PageKind::Content { scope: Some(i), .. } => {
            vec![home_crumb(labels), scope_crumb(&project.scopes[i])]
        }
        _ => vec![home_crumb(labels)],
    };
    PlannedPage {
        kind,
        path: path_of(project, content, kind),
        title,
        scope,
        key,
        crumbs,
        nav_at: None,
        title_scope: match kind {
            PageKind::Content { scope, .. } => scope,
            _ => None,
        },
        prev: None,
        next: None,
    }
}

/// Links each guide to the guides before and after it in `guide_order`, deployment by
/// deployment (a project without deployments has one run of guides): the order the
/// navigation lists them in, so "next" is the link below in the sidebar.
fn link_guides(pages: &mut [PlannedPage], guide_order: &[usize]) {
    let rank: HashMap<usize, usize> = guide_order
        .iter()
        .enumerate()
        .map(|(rank, &page)| (page, rank))
        .collect();
    let mut runs: HashMap<Option<usize>, Vec<(usize, usize)>> = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        if let PageKind::Content {
            page: content,
            scope,
        } = page.kind
            && let Some(&at) = rank.get(&content)
        {
            runs.entry(scope).or_default().push((at, index));
        }
    }
    for mut run in runs.into_values() {
        run.sort_unstable();
        for pair in run.windows(2) {
            let (before, after) = (pair[0].1, pair[1].1);
            pages[before].next = Some(after);
            pages[after].prev = Some(before);
        }
    }
}

/// The title of a deployment's RASCI page: its name, then the `deployment_title` label.
pub fn scope_page_title(labels: &Labels, scope: &Scope) -> String {
    format!("{}: {}", scope.name.value, labels.deployment_title)
}

/// The first link of a breadcrumb: the home page, under the `home` label.
pub fn home_crumb(labels: &Labels) -> Crumb {
    Crumb {
        title: labels.home.clone(),
        url: urls::HOME.into(),
    }
}

pub fn scope_crumb(scope: &Scope) -> Crumb {
    Crumb {
        title: scope.name.value.clone(),
        url: urls::scope(&scope.id.value),
    }
}

/// The navigation tree: the overview (home), one group per deployment (its RASCI page
/// and its guides), the reference (guides of a project without deployments, the
/// comparison, the parties, the glossary). Groups and fixed pages are named by the labels.
fn navigation(project: &Project, content: &[ContentPage], guide_order: &[usize]) -> Vec<NavGroup> {
    let labels = &project.config.labels;
    let item = |title: &str, path: String, landmark: bool| NavItem {
        title: title.to_string(),
        path,
        landmark,
    };
    let mut groups = vec![NavGroup {
        title: labels.overview.clone(),
        scope: None,
        items: vec![item(&labels.home, urls::HOME.to_string(), true)],
    }];
    for (index, scope) in project.scopes.iter().enumerate() {
        let mut items = vec![item(
            &labels.deployment_page,
            urls::scope(&scope.id.value),
            true,
        )];
        for guide in sorted_guides(content, guide_order, Some(&scope.id.value)) {
            items.push(item(
                &guide.front.title.value,
                urls::content(Some(&scope.id.value), &guide.slug),
                false,
            ));
        }
        groups.push(NavGroup {
            title: scope.name.value.clone(),
            scope: Some(index),
            items,
        });
    }
    let mut reference = Vec::new();
    if project.scopes.is_empty() {
        for guide in sorted_guides(content, guide_order, None) {
            reference.push(item(
                &guide.front.title.value,
                urls::content(None, &guide.slug),
                false,
            ));
        }
    }
    if project.scopes.len() > 1 {
        reference.push(item(&labels.compare, urls::COMPARE.to_string(), true));
    }
    for party in &project.parties {
        reference.push(item(&party.name.value, urls::party(&party.id.value), false));
    }
    reference.push(item(&labels.glossary, urls::GLOSSARY.to_string(), true));
    groups.push(NavGroup {
        title: labels.reference.clone(),
        scope: None,
        items: reference,
    });
    groups
}

/// Content pages of a deployment (or all, with `None`) in navigation order.
pub fn sorted_guides<'c>(
    content: &'c [ContentPage],
    guide_order: &[usize],
    scope: Option<&str>,
) -> Vec<&'c ContentPage> {
    guide_order
        .iter()
        .map(|&i| &content[i])
        .filter(|p| scope.is_none_or(|s| p.applies_to(s)))
        .collect()
}

/// The content pages but the home page, by weight, then title, then path.
pub fn guide_order(content: &[ContentPage]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..content.len())
        .filter(|&i| !content[i].is_home())
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&content[a], &content[b]);
        (a.front.weight.unwrap_or(0), &a.front.title.value, &a.slug).cmp(&(
            b.front.weight.unwrap_or(0),
            &b.front.title.value,
            &b.slug,
        ))
    });
    order
}
