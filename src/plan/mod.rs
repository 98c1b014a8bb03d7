//! Plan: every page of the site, decided once per build before anything is rendered.
//!
//! For each page: its kind, its path (made from validated ids only, see [`urls`]), its
//! title, the scope and operating model it belongs to, the key that pairs it with
//! the same page in other scopes and models, and its breadcrumb. For the site: the
//! navigation tree, built once, and a map from (model, scope, key) to page, so the
//! scope and model switchers of a page are a lookup per scope or model instead
//! of a search of all pages.
//!
//! The plan is output-neutral: it holds paths from the site root and plain text, never
//! HTML. The render stage makes links relative to each page and escapes the text.
//!
//! The words the plan adds of its own (the home page's name, the navigation's groups,
//! the titles of the comparison, glossary and 404 pages) are the config's
//! `Labels`, so no wording of the site is fixed here.

pub mod urls;
pub(crate) mod versions;

use crate::config::Labels;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::load::content::{ContentIx, ContentPage};
use crate::model::{ModelIx, Project, Scope, ScopeIx};
use crate::source::Span;
use serde::Serialize;
use std::collections::HashMap;

/// Which page to build. Models and scopes are indices into `project.models` and
/// `project.scopes`; a project without models has one implicit model, index 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PageKind {
    Home,
    /// A scope's RASCI page in one operating model.
    Scope {
        model: ModelIx,
        scope: ScopeIx,
    },
    /// A content page in one scope, or in none in a project without scopes; in a
    /// project with models, in one model (`None` without models), so that every link
    /// of the page (breadcrumb, switchers, guides) keeps its reader's model, and its
    /// passages for other models are left out.
    Content {
        page: ContentIx,
        scope: Option<ScopeIx>,
        model: Option<ModelIx>,
    },
    Party(usize),
    /// The scopes of one model side by side (built when it covers two or more).
    Compare {
        model: ModelIx,
    },
    /// Two models side by side for one scope both cover; `first` comes before
    /// `second` in the project's order of models.
    CompareModels {
        scope: ScopeIx,
        first: ModelIx,
        second: ModelIx,
    },
    /// A page of a scope's guides past those its RASCI page lists (see
    /// [`GUIDES_PER_PAGE`]): `page` 2 holds the next ones, and so on.
    Guides {
        scope: ScopeIx,
        page: usize,
    },
    Glossary,
    /// A control framework of `data/frameworks.yaml` (an index into
    /// `Project::frameworks`): its controls and the tasks that implement them.
    Framework(usize),
    NotFound,
    /// What changed in the version since the one before it, model by model and
    /// deployment by deployment: planned when versions are published and the version
    /// has one before it (see [`SitePlan::plan_changes`]).
    Changes,
}

impl PageKind {
    /// The scope the page belongs to.
    pub(crate) fn scope(self) -> Option<ScopeIx> {
        match self {
            PageKind::Scope { scope, .. }
            | PageKind::Content {
                scope: Some(scope), ..
            }
            | PageKind::CompareModels { scope, .. }
            | PageKind::Guides { scope, .. } => Some(scope),
            _ => None,
        }
    }

    /// The operating model the page belongs to: a scope page's, a comparison of one
    /// model's scopes, a content page's in a project with models. Party pages, the
    /// comparison of two models and the site-wide pages belong to none.
    pub(crate) fn model(self) -> Option<ModelIx> {
        match self {
            PageKind::Scope { model, .. } | PageKind::Compare { model } => Some(model),
            PageKind::Content { model, .. } => model,
            _ => None,
        }
    }
}

/// A link in the breadcrumb, by its path from the site root (made relative to the page
/// when the template is filled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Crumb {
    pub(crate) title: String,
    pub(crate) url: String,
}

/// One page of the site as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedPage {
    pub(crate) kind: PageKind,
    /// Path from the site root, e.g. `cloud/setup/index.html`.
    pub(crate) path: String,
    pub(crate) title: String,
    /// The scope the page belongs to.
    pub(crate) scope: Option<ScopeIx>,
    /// The operating model the page belongs to (see [`PageKind::model`]).
    pub(crate) model: Option<ModelIx>,
    /// Pages that share a key are the same page in different scopes or models.
    pub(crate) key: Option<String>,
    /// From the home page down to the page's parent.
    pub(crate) crumbs: Vec<Crumb>,
    /// Where the page sits in [`SitePlan::nav`].
    pub(crate) nav_at: Option<NavAt>,
    /// The scope the page's `<title>` names after the page's own title: a guide's,
    /// since the same guide is a page in every scope that shows it and a reader with
    /// two tabs open (or a browser history) must tell them apart. `None` elsewhere: a
    /// scope's RASCI page names its scope in its title already.
    pub(crate) title_scope: Option<ScopeIx>,
    /// The guides before and after this one in the navigation's order, within the same
    /// scope (indices into [`SitePlan::pages`]); `None` at either end and for every
    /// page that is not a guide.
    pub(crate) prev: Option<PageIx>,
    pub(crate) next: Option<PageIx>,
}

/// Index of a page in [`SitePlan::pages`]: a page of the built site, never a content
/// page of `content/` (those are `usize` indices into the loaded content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PageIx(pub(crate) usize);

/// The items of one group of [`SitePlan::nav`] that a page's fallback navigation shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NavShown {
    /// The group's index in [`SitePlan::nav`].
    pub(crate) group: usize,
    /// The indices of the items shown, in order.
    pub(crate) items: Vec<usize>,
}

/// Where a page sits in [`SitePlan::nav`]: the group, and the item within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NavAt {
    pub(crate) group: usize,
    pub(crate) item: usize,
}

/// A group of the navigation: the overview, one per scope, the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NavGroup {
    pub(crate) title: String,
    /// The scope whose pages the group lists; `None` for the site-wide groups.
    pub(crate) scope: Option<ScopeIx>,
    pub(crate) items: Vec<NavItem>,
}

/// One link of the navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    /// Path from the site root.
    pub(crate) path: String,
    /// Shown in every page's fallback navigation (the one read without scripts): the home
    /// page, each scope's RASCI page, the comparison and the glossary. Their number
    /// depends on the scopes, not on the number of pages.
    pub(crate) landmark: bool,
}

/// A link of the scope switcher: the same page in the scope when it exists
/// there, else the scope's RASCI page (in the page's model when it covers the
/// scope, else in the first model that does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SwitchTarget {
    pub(crate) scope: ScopeIx,
    pub(crate) path: String,
    pub(crate) current: bool,
}

/// A link of the model switcher: the same page in the model when it exists there (the
/// same scope, the same kind of page), else the model's first scope page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelTarget {
    pub(crate) model: ModelIx,
    pub(crate) path: String,
    pub(crate) current: bool,
    /// Whether the target is the same page in the model; `false` when the model lacks it
    /// (it does not cover the scope), and the link leads to another scope.
    pub(crate) same_page: bool,
}

/// Where a page sits among its twins: its model, its scope and its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageAt {
    model: Option<ModelIx>,
    scope: Option<ScopeIx>,
    key: String,
}

impl PageAt {
    /// The RASCI page of `scope` in `model`.
    fn scope_page(model: ModelIx, scope: ScopeIx) -> PageAt {
        PageAt {
            model: Some(model),
            scope: Some(scope),
            key: SCOPE_KEY.to_string(),
        }
    }
}

/// Two operating models that both cover one scope: a comparison of models the site has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelPair {
    pub(crate) scope: ScopeIx,
    /// Before `second` in the project's order of models.
    pub(crate) first: ModelIx,
    pub(crate) second: ModelIx,
}

/// An address the site keeps for a page that lives elsewhere now: a small page there
/// sends the reader on (the theme's `pages/redirect.html`). The sitemap never lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Redirect {
    /// Path from the site root, `…/index.html`, as a page's.
    pub(crate) path: String,
    /// The page the reader is sent to.
    pub(crate) to: PageIx,
}

/// How many neighbours on each side of the current page its group shows in the fallback
/// navigation: enough to step through a scope's guides one page at a time, and a
/// fixed number, so a page's size does not grow with the site.
pub const NAV_NEIGHBOURS: usize = 4;

/// Every page and the site's navigation.
#[derive(Debug, Clone)]
pub(crate) struct SitePlan {
    /// In a fixed order: home, scopes, content, parties, comparison, glossary,
    /// frameworks, 404.
    pub(crate) pages: Vec<PlannedPage>,
    pub(crate) nav: Vec<NavGroup>,
    /// Per group of `nav`, the indices of its landmark items, found once: a page's
    /// fallback navigation takes them and its neighbours without scanning every item,
    /// which made a build quadratic in its pages.
    nav_landmarks: Vec<Vec<usize>>,
    /// `(model, scope, key)` → index into `pages`.
    by_key: HashMap<PageAt, PageIx>,
    /// Per scope, its RASCI page in the first model that covers it: where the
    /// scope switcher leads when the page has no twin there.
    scope_landing: Vec<Option<PageIx>>,
    /// Per model, its first scope page: where the model switcher leads when the
    /// model lacks the page.
    model_landing: Vec<Option<PageIx>>,
    /// The content pages but the home page, in navigation order (see [`guide_order`]):
    /// sorted once, as the navigation and every scope page list them.
    pub(crate) guide_order: Vec<ContentIx>,
    /// The addresses pages had before, each leading to its page now (see
    /// [`Redirect`]), in page order; none of them is a page's path.
    pub(crate) redirects: Vec<Redirect>,
    /// `id/address-taken` findings: aliases and former ids that claim an address a page
    /// or another redirect has. The pipeline adds them to the check's findings.
    pub(crate) address_findings: Vec<Diagnostic>,
    /// The published versions, when `build` publishes more than the working tree: set
    /// by the pipeline once every version is planned (see [`versions`]).
    pub(crate) versions: Option<versions::SiteVersions>,
}

impl SitePlan {
    /// Plans the site of a project: computed once per build, before anything renders.
    pub(crate) fn new(project: &Project, content: &[ContentPage]) -> SitePlan {
        let guide_order = guide_order(content);
        let guide_order = guide_order.as_slice();
        // Each page is planned on its own (its path, title and breadcrumb), so in
        // parallel; the collect keeps the order of `kinds`.
        let mut pages: Vec<PlannedPage> = {
            use rayon::prelude::*;
            kinds(project, content)
                .into_par_iter()
                .map(|kind| plan_page(project, content, kind))
                .collect()
        };
        let nav = navigation(project, content, guide_order);
        let position: HashMap<&str, NavAt> = nav
            .iter()
            .enumerate()
            .flat_map(|(group, items)| {
                items
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(item, entry)| (entry.path.as_str(), NavAt { group, item }))
            })
            .collect();
        for page in &mut pages {
            page.nav_at = position.get(page.path.as_str()).copied();
        }
        link_guides(&mut pages, guide_order);
        let by_key: HashMap<PageAt, PageIx> = pages
            .iter()
            .enumerate()
            .filter_map(|(index, page)| {
                let at = PageAt {
                    model: page.model,
                    scope: page.scope,
                    key: page.key.clone()?,
                };
                Some((at, PageIx(index)))
            })
            .collect();
        let scope_page =
            |model: ModelIx, scope: ScopeIx| by_key.get(&PageAt::scope_page(model, scope)).copied();
        let scope_landing = project
            .scopes()
            .map(|(scope, _)| {
                project
                    .models()
                    .find_map(|(model, _)| scope_page(model, scope))
            })
            .collect();
        let model_landing = project
            .models()
            .map(|(model, def)| {
                def.scopes
                    .first()
                    .and_then(|&scope| scope_page(model, scope))
            })
            .collect();
        let (redirects, address_findings) = redirects(project, content, &pages);
        let nav_landmarks = nav
            .iter()
            .map(|group| {
                (group.items.iter().enumerate())
                    .filter(|(_, item)| item.landmark)
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        SitePlan {
            pages,
            nav,
            nav_landmarks,
            by_key,
            scope_landing,
            model_landing,
            guide_order: guide_order.to_vec(),
            redirects,
            address_findings,
            versions: None,
        }
    }

    /// Plans the Changes page of an earlier version, whose own `rasci.yaml` need not list
    /// the versions before it: the pipeline knows it has one. Added last, so no planned
    /// page moves; nothing when the page is planned already.
    pub(crate) fn plan_changes(&mut self, project: &Project, content: &[ContentPage]) {
        if self.pages.iter().any(|page| page.kind == PageKind::Changes) {
            return;
        }
        self.pages
            .push(plan_page(project, content, PageKind::Changes));
    }

    /// The paths of every page and redirect page, from the site's root: what another
    /// version's switcher may lead to. A page whose address changed between versions
    /// (a renamed party) is found through its redirect page.
    pub(crate) fn paths(&self) -> std::collections::HashSet<String> {
        self.pages
            .iter()
            .map(|page| &page.path)
            .filter(|path| *path != urls::NOT_FOUND)
            .chain(self.redirects.iter().map(|redirect| &redirect.path))
            .cloned()
            .collect()
    }

    /// The page at `index`'s twin in `model` and `scope`, if the site has one.
    fn twin(
        &self,
        index: PageIx,
        model: Option<ModelIx>,
        scope: Option<ScopeIx>,
    ) -> Option<PageIx> {
        let key = self.page(index).key.clone()?;
        self.by_key.get(&PageAt { model, scope, key }).copied()
    }

    /// Every file of the site the plan knows before rendering: the pages, the redirect
    /// pages, each matrix's downloads and the site-wide files (the sitemap only with
    /// `base_url`). The theme's static files and the diagrams are not among them.
    pub(crate) fn planned_files(
        &self,
        project: &Project,
        matrices: &[crate::resolve::Matrix<'_>],
    ) -> std::collections::HashSet<String> {
        let mut files: std::collections::HashSet<String> = self
            .pages
            .iter()
            .map(|page| page.path.clone())
            .chain(self.redirects.iter().map(|r| r.path.clone()))
            .collect();
        for matrix in matrices {
            let model = project.model_at(matrix.model).path_id();
            for extension in ["csv", "json", "xlsx"] {
                files.insert(urls::download(model, &matrix.scope.id.value, extension));
            }
        }
        files.extend([urls::SEARCH_INDEX_JS, urls::ROBOTS, urls::NOT_FOUND].map(str::to_string));
        if project.config.base_url.is_some() {
            files.insert(urls::SITEMAP.to_string());
        }
        files
    }

    /// The anchors the data gives the pages built from it, by page path: each scope
    /// page's task rows and titled sections (with their former ids), the glossary's
    /// terms and each framework page's controls. See `check::links::SiteAddresses`.
    pub(crate) fn data_anchors(
        &self,
        project: &Project,
        matrices: &[crate::resolve::Matrix<'_>],
    ) -> HashMap<String, std::collections::HashSet<String>> {
        let mut anchors: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
        for matrix in matrices {
            let Some(page) = self.scope_page(matrix.model, matrix.scope_index) else {
                continue;
            };
            let ids = anchors.entry(self.page(page).path.clone()).or_default();
            for section in &matrix.sections {
                if section.section.title.is_some() {
                    let section_ids =
                        std::iter::once(&section.section.id).chain(&section.section.aliases);
                    ids.extend(section_ids.map(|id| format!("section-{}", id.value)));
                }
                for row in &section.rows {
                    let task = row.task;
                    let task_ids = std::iter::once(&task.id).chain(&task.aliases);
                    ids.extend(task_ids.map(|id| urls::task_anchor(&id.value)));
                }
            }
        }
        for framework in &project.frameworks {
            anchors.insert(
                urls::framework(&framework.id.value),
                control_anchors(project, framework),
            );
        }
        anchors.insert(
            urls::GLOSSARY.to_string(),
            project
                .glossary
                .iter()
                .map(|term| crate::load::ids::term_anchor(&term.term.value))
                .collect(),
        );
        anchors
    }

    /// Per content page, the paths of the pages it is rendered on: one per scope that
    /// shows it, the home page for `_index.md`.
    pub(crate) fn content_paths(&self, content: &[ContentPage]) -> Vec<Vec<String>> {
        let mut paths: Vec<Vec<String>> = content
            .iter()
            .map(|page| {
                if page.is_home() {
                    vec![urls::HOME.to_string()]
                } else {
                    Vec::new()
                }
            })
            .collect();
        for page in &self.pages {
            if let PageKind::Content { page: index, .. } = page.kind {
                paths[index.0].push(page.path.clone());
            }
        }
        paths
    }

    /// The page at `index`.
    pub(crate) fn page(&self, index: PageIx) -> &PlannedPage {
        &self.pages[index.0]
    }

    /// The RASCI page of `scope` in `model`, if the model covers the scope.
    pub(crate) fn scope_page(&self, model: ModelIx, scope: ScopeIx) -> Option<PageIx> {
        self.by_key.get(&PageAt::scope_page(model, scope)).copied()
    }

    /// The kind of every page, in plan order.
    pub(crate) fn kinds(&self) -> Vec<PageKind> {
        self.pages.iter().map(|p| p.kind).collect()
    }

    /// One switcher link per scope for the page at `index`: the page's twin there
    /// (same model, same key), else the scope's RASCI page in the page's model, else
    /// its first RASCI page. A scope no model covers has no page, and no link.
    ///
    /// In a project with models, a page of no model and no scope (the home page, the
    /// glossary, a party's page) has no deployment switcher: a deployment's page is a
    /// page of one model, and such a page cannot tell which model its reader came from,
    /// so each link would lead to the first model, silently. The home page's grid and
    /// the navigation list every model's pages.
    pub(crate) fn switcher(&self, project: &Project, index: PageIx) -> Vec<SwitchTarget> {
        let page = self.page(index);
        if project.has_models() && page.model.is_none() && page.scope.is_none() {
            return Vec::new();
        }
        project
            .scopes()
            .filter_map(|(scope, _)| {
                let target = self
                    .twin(index, page.model, Some(scope))
                    .or_else(|| page.model.and_then(|m| self.scope_page(m, scope)))
                    .or(self.scope_landing[scope.0])?;
                Some(SwitchTarget {
                    scope,
                    path: self.page(target).path.clone(),
                    current: page.scope == Some(scope),
                })
            })
            .collect()
    }

    /// One switcher link per operating model for the page at `index`, when the project
    /// defines models and the page belongs to one; empty otherwise. Each leads to the
    /// page's twin in the model (same scope, same kind of page), else to the
    /// model's first scope page.
    pub(crate) fn model_switcher(&self, project: &Project, index: PageIx) -> Vec<ModelTarget> {
        let page = self.page(index);
        let Some(current) = page.model.filter(|_| project.has_models()) else {
            return Vec::new();
        };
        project
            .models()
            .filter_map(|(model, _)| {
                let twin = self.twin(index, Some(model), page.scope);
                let target = twin.or(self.model_landing[model.0])?;
                Some(ModelTarget {
                    model,
                    path: self.page(target).path.clone(),
                    current: model == current,
                    same_page: twin.is_some(),
                })
            })
            .collect()
    }

    /// Whether the group is shown open on the page: the site-wide groups always, a
    /// scope's group on its own pages and on pages of no scope.
    pub(crate) fn group_open(&self, index: PageIx, group: usize) -> bool {
        let page_scope = self.page(index).scope;
        match self.nav[group].scope {
            None => true,
            Some(scope) => page_scope.is_none_or(|s| s == scope),
        }
    }

    /// The navigation a page carries for readers without scripts: every landmark, and
    /// the page's neighbours in its own group. Bounded: its length depends on the
    /// scopes and [`NAV_NEIGHBOURS`], never on the number of pages. A group with no
    /// item shown is left out.
    pub(crate) fn fallback_nav(&self, index: PageIx) -> Vec<NavShown> {
        let at = self.page(index).nav_at;
        self.nav
            .iter()
            .zip(&self.nav_landmarks)
            .enumerate()
            .filter_map(|(g, (group, landmarks))| {
                let items: Vec<usize> = match at.filter(|at| at.group == g) {
                    Some(at) => {
                        // The neighbours, and the landmarks outside them, in order.
                        let near = at.item.saturating_sub(NAV_NEIGHBOURS)
                            ..=(at.item + NAV_NEIGHBOURS).min(group.items.len() - 1);
                        let mut items: Vec<usize> = (landmarks.iter().copied())
                            .filter(|i| !near.contains(i))
                            .chain(near.clone())
                            .collect();
                        items.sort_unstable();
                        items
                    }
                    None => landmarks.clone(),
                };
                (!items.is_empty()).then_some(NavShown { group: g, items })
            })
            .collect()
    }
}

/// The anchors of a framework's page: one per control it lists, or, when it lists
/// none, per control a task names of it.
fn control_anchors(
    project: &Project,
    framework: &crate::model::Framework,
) -> std::collections::HashSet<String> {
    let listed = framework.controls.iter().map(|c| c.id.as_str());
    let named = project
        .tasks()
        .flat_map(|(_, task)| task.controls.iter())
        .filter_map(|reference| crate::model::split_reference(&reference.value))
        .filter(|(id, _)| framework.controls.is_empty() && *id == framework.id.value)
        .map(|(_, control)| control);
    listed
        .chain(named)
        .filter(|control| crate::model::control_problem(control).is_none())
        .map(urls::control_anchor)
        .collect()
}

/// The title of the Changes page (the theme's `pages/changes.html` may word its heading
/// otherwise).
const CHANGES_TITLE: &str = "Changes";

/// The key every scope page shares: the same page in another scope or model.
const SCOPE_KEY: &str = "rasci";

/// Every page the site has, in a fixed order: home, the scope pages (model by model,
/// each in its order of scopes), content, parties, the comparisons, glossary, the
/// frameworks, 404.
fn kinds(project: &Project, content: &[ContentPage]) -> Vec<PageKind> {
    let mut kinds = vec![PageKind::Home];
    for (model, def) in project.models() {
        for &scope in &def.scopes {
            kinds.push(PageKind::Scope { model, scope });
        }
    }
    for (page_index, page) in content.iter().enumerate() {
        let page_index = ContentIx(page_index);
        if page.is_home() {
            continue;
        }
        if project.scopes.is_empty() {
            kinds.push(PageKind::Content {
                page: page_index,
                scope: None,
                model: None,
            });
        }
        for (scope_index, scope) in project.scopes() {
            if !page.applies_to(&scope.id.value) {
                continue;
            }
            for model in content_models(project, page, scope_index) {
                kinds.push(PageKind::Content {
                    page: page_index,
                    scope: Some(scope_index),
                    model,
                });
            }
        }
    }
    for (index, _) in project.parties.iter().enumerate() {
        kinds.push(PageKind::Party(index));
    }
    for (model, def) in project.models() {
        if def.scopes.len() > 1 {
            kinds.push(PageKind::Compare { model });
        }
    }
    for ModelPair {
        scope,
        first,
        second,
    } in model_pairs(project)
    {
        kinds.push(PageKind::CompareModels {
            scope,
            first,
            second,
        });
    }
    for (scope, def) in project.scopes() {
        for page in 2..=guide_pages(content, def) {
            kinds.push(PageKind::Guides { scope, page });
        }
    }
    kinds.push(PageKind::Glossary);
    kinds.extend((0..project.frameworks.len()).map(PageKind::Framework));
    kinds.push(PageKind::NotFound);
    // The working tree is the newest version: with `versions:` listed, the first of them
    // is the one before it.
    if !project.config.versions.is_empty() {
        kinds.push(PageKind::Changes);
    }
    kinds
}

/// The models a content page is shown in for `scope`: `None` alone in a project
/// without models; else each model that covers the scope and that the page is for (its
/// `models:`), in the project's order.
pub(crate) fn content_models(
    project: &Project,
    page: &ContentPage,
    scope: ScopeIx,
) -> Vec<Option<ModelIx>> {
    if !project.has_models() {
        return vec![None];
    }
    project
        .models()
        .filter(|(_, m)| m.has_scope(scope) && page.for_model(m.id()))
        .map(|(model, _)| Some(model))
        .collect()
}

/// The address of a content page in `scope` where a link that names no model leads: its
/// showing in the first model that has it (the default model's, when it has the page).
pub(crate) fn guide_path(project: &Project, page: &ContentPage, scope: Option<ScopeIx>) -> String {
    let scope_id = scope.map(|s| project.scope_at(s).id.as_str());
    let model = scope
        .and_then(|s| {
            let mut models = content_models(project, page, s).into_iter().flatten();
            let first = models.clone().next();
            models.find(|&m| project.model_at(m).is_default).or(first)
        })
        .and_then(|m| model_id(project, m));
    urls::content_in(model, scope_id, &page.slug)
}

/// How many guides a scope's RASCI page lists, and each page of its guides after it: a
/// scope with thousands of guides made an 800 KB page of one list.
pub const GUIDES_PER_PAGE: usize = 100;

/// How many pages list the guides of `scope`: its RASCI page, then pages of
/// [`GUIDES_PER_PAGE`] each.
fn guide_pages(content: &[ContentPage], scope: &Scope) -> usize {
    let guides = content
        .iter()
        .filter(|page| !page.is_home() && page.applies_to(&scope.id.value))
        .count();
    guides.div_ceil(GUIDES_PER_PAGE).max(1)
}

/// Every pair of models that cover one scope, scope by scope, each pair
/// in the project's order of models: the comparisons of models the site has. None in a
/// project without models.
pub(crate) fn model_pairs(project: &Project) -> Vec<ModelPair> {
    let mut pairs = Vec::new();
    if !project.has_models() {
        return pairs;
    }
    for (scope, _) in project.scopes() {
        let covering: Vec<ModelIx> = project
            .models()
            .filter(|(_, m)| m.has_scope(scope))
            .map(|(model, _)| model)
            .collect();
        for (i, &first) in covering.iter().enumerate() {
            for &second in &covering[i + 1..] {
                pairs.push(ModelPair {
                    scope,
                    first,
                    second,
                });
            }
        }
    }
    pairs
}

/// The id of a model as its paths use it: `None` for the implicit model of a project
/// without models and for the default model, whose pages keep the paths of a project
/// without models.
fn model_id(project: &Project, model: ModelIx) -> Option<&str> {
    project.model_at(model).path_id()
}

/// An id as a page's address uses it, and where it was written when it is a former id
/// (`None` for the id the thing has now).
type IdAt<'p> = (Option<&'p str>, Option<Span>);

/// The ids a model's pages can be found under in addresses: the one they use now
/// (`None` for the implicit and the default model), then the former ones: the default
/// model's own id (its pages were at `<model>/<scope>/` before it was the default), and
/// the model's `aliases:`. `real` asks for the ids of the comparison of two models,
/// which always names the models by id.
fn model_ids(project: &Project, model: ModelIx, real: bool) -> Vec<IdAt<'_>> {
    let model = project.model_at(model);
    let mut ids = vec![(if real { model.id() } else { model.path_id() }, None)];
    if let Some(def) = &model.def {
        if model.is_default && !real {
            ids.push((Some(def.id.as_str()), Some(def.id.span)));
        }
        ids.extend(def.aliases.iter().map(|a| (Some(a.as_str()), Some(a.span))));
    }
    ids
}

/// A scope's id, then its former ids (`aliases:`) with where each was written.
fn scope_ids(scope: &Scope) -> Vec<IdAt<'_>> {
    std::iter::once((Some(scope.id.as_str()), None))
        .chain(
            scope
                .aliases
                .iter()
                .map(|a| (Some(a.as_str()), Some(a.span))),
        )
        .collect()
}

/// The addresses a page had before that it no longer has, from the former ids of what
/// it belongs to, each with the former id (or front matter alias) that gives it. Each may
/// equal another page's path or another redirect's; [`redirects`] reports those.
fn former_paths(
    project: &Project,
    content: &[ContentPage],
    kind: PageKind,
    first_of_content: bool,
) -> Vec<(String, Span)> {
    // Every combination of the ids but the current one: each former path, with the span
    // of the first former id in it.
    fn combine<'p>(lists: &[Vec<IdAt<'p>>]) -> Vec<(Vec<Option<&'p str>>, Span)> {
        let mut out: Vec<(Vec<Option<&'p str>>, Option<Span>)> = vec![(Vec::new(), None)];
        for list in lists {
            out = out
                .into_iter()
                .flat_map(|(ids, span)| {
                    list.iter().map(move |&(id, at)| {
                        let mut ids = ids.clone();
                        ids.push(id);
                        (ids, span.or(at))
                    })
                })
                .collect();
        }
        out.into_iter()
            .filter_map(|(ids, span)| Some((ids, span?)))
            .collect()
    }
    let scope_of = |scope: ScopeIx| scope_ids(project.scope_at(scope));
    match kind {
        PageKind::Scope { model, scope } => {
            combine(&[model_ids(project, model, false), scope_of(scope)])
                .into_iter()
                .map(|(ids, span)| (urls::scope_page(ids[0], ids[1].unwrap_or_default()), span))
                .collect()
        }
        PageKind::Compare { model } => combine(&[model_ids(project, model, false)])
            .into_iter()
            .map(|(ids, span)| (urls::compare_scopes(ids[0]), span))
            .collect(),
        PageKind::CompareModels {
            scope,
            first,
            second,
        } => combine(&[
            scope_of(scope),
            model_ids(project, first, true),
            model_ids(project, second, true),
        ])
        .into_iter()
        .map(|(ids, span)| {
            let id = |i: usize| ids[i].unwrap_or_default();
            (urls::compare_models(id(0), id(1), id(2)), span)
        })
        .collect(),
        PageKind::Content { page, scope, model } => {
            let slug = &content[page].slug;
            // Guides had no address under the default model's own id: they were shared
            // by every model before they were shown per model.
            let models = match model {
                Some(model) => {
                    let own = project.model_at(model);
                    model_ids(project, model, false)
                        .into_iter()
                        .filter(|&(id, at)| !(own.is_default && at.is_some() && id == own.id()))
                        .collect()
                }
                None => vec![(None, None)],
            };
            let mut paths: Vec<(String, Span)> = match scope {
                Some(scope) => combine(&[models, scope_of(scope)])
                    .into_iter()
                    .map(|(ids, span)| (urls::content_in(ids[0], ids[1], slug), span))
                    .collect(),
                None => Vec::new(),
            };
            // A guide of a scope the default model does not cover was at the plain
            // address before guides were shown per model: its first model's keeps it.
            if let (Some(model), Some(scope)) = (model, scope)
                && !project.model_at(model).is_default
                && !project
                    .models
                    .iter()
                    .any(|m| m.is_default && m.has_scope(scope) && content[page].for_model(m.id()))
                && content_models(project, &content[page], scope).first() == Some(&Some(model))
            {
                let scope_id = project.scope_at(scope).id.as_str();
                paths.push((
                    urls::content(Some(scope_id), slug),
                    Span::new(content[page].file, 0, 0),
                ));
            }
            // A page's own aliases lead to its first page (its first scope's).
            if first_of_content {
                paths.extend(
                    content[page]
                        .front
                        .aliases
                        .iter()
                        .map(|alias| (urls::alias(&alias.value), alias.span)),
                );
            }
            paths
        }
        PageKind::Party(index) => project.parties[index]
            .aliases
            .iter()
            .map(|alias| (urls::party(&alias.value), alias.span))
            .collect(),
        PageKind::Home
        | PageKind::Guides { .. }
        | PageKind::Glossary
        | PageKind::Framework(_)
        | PageKind::NotFound
        | PageKind::Changes => Vec::new(),
    }
}

/// Where a page comes from, for a finding that names it: the id or file that gives its
/// address, when it has one of its own.
fn origin(project: &Project, content: &[ContentPage], kind: PageKind) -> Option<Span> {
    match kind {
        PageKind::Scope { scope, .. } => Some(project.scope_at(scope).id.span),
        PageKind::Content { page, .. } => Some(Span::new(content[page].file, 0, 0)),
        PageKind::Party(index) => Some(project.parties[index].id.span),
        PageKind::Framework(index) => Some(project.frameworks[index].id.span),
        _ => None,
    }
}

/// The redirects of the site: each page's former addresses, in page order, and a finding
/// (`id/address-taken`) for each that a page has or an earlier redirect took, naming both.
/// An alias that is the page's own address is no redirect and no finding.
fn redirects(
    project: &Project,
    content: &[ContentPage],
    pages: &[PlannedPage],
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let page_at: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(index, page)| (page.path.as_str(), index))
        .collect();
    let mut claimed: HashMap<String, Span> = HashMap::new();
    let mut redirects = Vec::new();
    let mut findings = Vec::new();
    let mut seen_content = std::collections::HashSet::new();
    for (index, page) in pages.iter().enumerate() {
        let first_of_content = match page.kind {
            PageKind::Content { page, .. } => seen_content.insert(page),
            _ => false,
        };
        for (path, span) in former_paths(project, content, page.kind, first_of_content) {
            let shown = path.strip_suffix("index.html").unwrap_or(&path);
            if let Some(&other) = page_at.get(path.as_str()) {
                if other == index {
                    continue;
                }
                let mut finding = Diagnostic::new(
                    RuleId::IdAddressTaken,
                    format!(
                        "`/{shown}` would lead to `{}`, but it is the address of `{}`",
                        page.title, pages[other].title
                    ),
                )
                .at(span, "gives this address");
                if let Some(at) = origin(project, content, pages[other].kind) {
                    finding = finding.label(at, "the page at this address");
                }
                findings.push(finding.help(
                    "a page keeps its address: remove this alias or former id, or move the other page",
                ));
                continue;
            }
            if let Some(&earlier) = claimed.get(&path) {
                findings.push(
                    Diagnostic::new(
                        RuleId::IdAddressTaken,
                        format!("two aliases or former ids claim the address `/{shown}`"),
                    )
                    .at(span, "claims this address")
                    .label(earlier, "claims it first")
                    .help("an address leads to one page: remove one of the two"),
                );
                continue;
            }
            claimed.insert(path.clone(), span);
            redirects.push(Redirect {
                path,
                to: PageIx(index),
            });
        }
    }
    (redirects, findings)
}

/// The path of a page from the site root.
pub(crate) fn path_of(project: &Project, content: &[ContentPage], kind: PageKind) -> String {
    match kind {
        PageKind::Home => urls::HOME.to_string(),
        PageKind::Scope { model, scope } => {
            urls::scope_page(model_id(project, model), &project.scope_at(scope).id.value)
        }
        PageKind::Content { page, scope, model } => urls::content_in(
            model.and_then(|m| model_id(project, m)),
            scope.map(|i| project.scope_at(i).id.as_str()),
            &content[page].slug,
        ),
        PageKind::Party(i) => urls::party(&project.parties[i].id.value),
        PageKind::Compare { model } => urls::compare_scopes(model_id(project, model)),
        PageKind::CompareModels {
            scope,
            first,
            second,
        } => urls::compare_models(
            &project.scope_at(scope).id.value,
            project.model_at(first).id().unwrap_or_default(),
            project.model_at(second).id().unwrap_or_default(),
        ),
        PageKind::Glossary => urls::GLOSSARY.to_string(),
        PageKind::Guides { scope, page } => urls::guides(&project.scope_at(scope).id.value, page),
        PageKind::Framework(i) => urls::framework(&project.frameworks[i].id.value),
        PageKind::NotFound => urls::NOT_FOUND.to_string(),
        PageKind::Changes => urls::CHANGES.to_string(),
    }
}

fn plan_page(project: &Project, content: &[ContentPage], kind: PageKind) -> PlannedPage {
    let labels = &project.config.labels;
    let model_name = |m: ModelIx| project.model_at(m).name().unwrap_or_default().to_string();
    let title = match kind {
        PageKind::Home => content
            .iter()
            .find(|p| p.is_home() && !p.front.title.value.is_empty())
            .map_or_else(
                || project.config.title.value.clone(),
                |p| p.front.title.value.clone(),
            ),
        // The model is not in the title of its pages: the eyebrow, the breadcrumb and
        // the `<title>` name it once each (see `base.html`), and "Model: Scope: Title"
        // would be a title of two colons.
        PageKind::Scope { scope, .. } => scope_page_title(labels, project.scope_at(scope)),
        PageKind::Content { page, .. } => content[page].front.title.value.clone(),
        PageKind::Party(i) => project.parties[i].name.value.clone(),
        PageKind::Compare { .. } => labels.compare.clone(),
        PageKind::CompareModels {
            scope,
            first,
            second,
        } => compare_models_title(project, scope, first, second),
        PageKind::Glossary => labels.glossary.clone(),
        // The template gives the page its title; this one names it where a
        // template's does not reach (the plan's own uses).
        PageKind::Guides { scope, page } => format!(
            "{} {}–{}",
            project.scope_at(scope).name.value,
            (page - 1) * GUIDES_PER_PAGE + 1,
            page * GUIDES_PER_PAGE
        ),
        PageKind::Framework(i) => project.frameworks[i].name.value.clone(),
        PageKind::NotFound => labels.not_found.clone(),
        PageKind::Changes => CHANGES_TITLE.to_string(),
    };
    let key = match kind {
        PageKind::Scope { .. } => Some(SCOPE_KEY.to_string()),
        PageKind::Content { page, .. } => Some(format!("content:{}", content[page].slug)),
        PageKind::Compare { .. } => Some("compare".to_string()),
        PageKind::CompareModels { first, second, .. } => {
            Some(format!("compare-models:{}:{}", first.0, second.0))
        }
        PageKind::Guides { page, .. } => Some(format!("guides:{page}")),
        _ => None,
    };
    let model_crumb = |model: ModelIx| Crumb {
        title: model_name(model),
        url: format!("{}#{}", urls::HOME, model_anchor(project, model)),
    };
    let crumbs = match kind {
        PageKind::Home => Vec::new(),
        // A guide of a model: home, the model, the model's page of the scope; the model
        // is named once, and every link keeps the reader in it.
        PageKind::Content {
            scope: Some(i),
            model: Some(model),
            ..
        } if project.has_models() => vec![
            home_crumb(labels),
            model_crumb(model),
            Crumb {
                title: project.scope_at(i).name.value.clone(),
                url: urls::scope_page(model_id(project, model), &project.scope_at(i).id.value),
            },
        ],
        PageKind::Content { scope: Some(i), .. }
        | PageKind::CompareModels { scope: i, .. }
        | PageKind::Guides { scope: i, .. } => {
            vec![home_crumb(labels), scope_crumb_in(project, i)]
        }
        PageKind::Scope { model, .. } | PageKind::Compare { model } if project.has_models() => {
            vec![home_crumb(labels), model_crumb(model)]
        }
        _ => vec![home_crumb(labels)],
    };
    PlannedPage {
        kind,
        path: path_of(project, content, kind),
        title,
        scope: kind.scope(),
        model: kind.model(),
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

/// Links each guide to the guides before and after it in `guide_order`, scope by
/// scope and model by model (a project without scopes has one run of guides): the order the
/// navigation lists them in, so "next" is the link below in the sidebar.
fn link_guides(pages: &mut [PlannedPage], guide_order: &[ContentIx]) {
    let rank: HashMap<ContentIx, usize> = guide_order
        .iter()
        .enumerate()
        .map(|(rank, &page)| (page, rank))
        .collect();
    // Per scope, each guide's page as (rank in `guide_order`, page).
    /// The guides of one scope in one model: one run of previous and next.
    #[derive(PartialEq, Eq, Hash)]
    struct Run {
        scope: Option<ScopeIx>,
        model: Option<ModelIx>,
    }
    let mut runs: HashMap<Run, Vec<(usize, PageIx)>> = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        if let PageKind::Content {
            page: content,
            scope,
            model,
        } = page.kind
            && let Some(&at) = rank.get(&content)
        {
            runs.entry(Run { scope, model })
                .or_default()
                .push((at, PageIx(index)));
        }
    }
    for mut run in runs.into_values() {
        run.sort_unstable();
        for pair in run.windows(2) {
            let (before, after) = (pair[0].1, pair[1].1);
            pages[before.0].next = Some(after);
            pages[after.0].prev = Some(before);
        }
    }
}

/// The title of the comparison of two models for one scope, from their names, as
/// the plan knows it (the page's template words its own title).
pub(crate) fn compare_models_title(
    project: &Project,
    scope: ScopeIx,
    first: ModelIx,
    second: ModelIx,
) -> String {
    format!(
        "{}: {}",
        project.scope_at(scope).name.value,
        compare_pair_name(project, first, second)
    )
}

/// How a link within a scope names the comparison of two models: their names.
pub(crate) fn compare_pair_name(project: &Project, first: ModelIx, second: ModelIx) -> String {
    let name = |m: ModelIx| project.model_at(m).name().unwrap_or_default();
    format!("{} / {}", name(first), name(second))
}

/// The anchor of a model's row in the home page's grid, which the model's breadcrumb
/// links to (a model has no page of its own). Made from the model's validated id.
pub(crate) fn model_anchor(project: &Project, model: ModelIx) -> String {
    format!("model-{}", project.model_at(model).id().unwrap_or_default())
}

/// The title of a scope's RASCI page: its name, then the `deployment_title` label.
pub(crate) fn scope_page_title(labels: &Labels, scope: &Scope) -> String {
    format!("{}: {}", scope.name.value, labels.deployment_title)
}

/// The first link of a breadcrumb: the home page, under the `home` label.
fn home_crumb(labels: &Labels) -> Crumb {
    Crumb {
        title: labels.home.clone(),
        url: urls::HOME.into(),
    }
}

/// The breadcrumb link of the scope at `index`: its RASCI page in the first model
/// that covers it (the page the scope switcher leads to), else the home page.
fn scope_crumb_in(project: &Project, index: ScopeIx) -> Crumb {
    let scope = project.scope_at(index);
    let url = project
        .models()
        .find(|(_, m)| m.has_scope(index))
        .map_or_else(
            || urls::HOME.to_string(),
            |(m, _)| urls::scope_page(model_id(project, m), &scope.id.value),
        );
    Crumb {
        title: scope.name.value.clone(),
        url,
    }
}

/// The navigation tree: the overview (home), one group per scope (its RASCI page
/// and its guides), the reference (guides of a project without scopes, the
/// comparison, the parties, the glossary). Groups and fixed pages are named by the labels.
///
/// A project with operating models has, after the overview, one group per model (its
/// scope pages, named by the scopes, and the comparison of its scopes),
/// then one group per scope with comparisons of models or guides (a comparison
/// named by its two models), and the reference.
fn navigation(
    project: &Project,
    content: &[ContentPage],
    guide_order: &[ContentIx],
) -> Vec<NavGroup> {
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
    let has_models = project.has_models();
    if has_models {
        for (model, def) in project.models() {
            let id = model_id(project, model);
            let mut items: Vec<NavItem> = def
                .scopes
                .iter()
                .map(|&scope| {
                    let scope = project.scope_at(scope);
                    item(
                        &scope.name.value,
                        urls::scope_page(id, &scope.id.value),
                        true,
                    )
                })
                .collect();
            if def.scopes.len() > 1 {
                items.push(item(&labels.compare, urls::compare_scopes(id), false));
            }
            groups.push(NavGroup {
                title: def.name().unwrap_or_default().to_string(),
                scope: None,
                items,
            });
        }
    }
    let pairs = model_pairs(project);
    for (index, scope) in project.scopes() {
        let mut items = Vec::new();
        if !has_models {
            items.push(item(
                &labels.deployment_page,
                urls::scope(&scope.id.value),
                true,
            ));
        }
        // With models, a scope's group starts with its comparisons of two models.
        for &ModelPair { first, second, .. } in pairs.iter().filter(|p| p.scope == index) {
            items.push(item(
                &compare_pair_name(project, first, second),
                path_of(
                    project,
                    content,
                    PageKind::CompareModels {
                        scope: index,
                        first,
                        second,
                    },
                ),
                false,
            ));
        }
        for guide in sorted_guides(content, guide_order, Some(&scope.id.value)) {
            if has_models && content_models(project, guide, index).is_empty() {
                continue;
            }
            items.push(item(
                &guide.front.title.value,
                guide_path(project, guide, Some(index)),
                false,
            ));
        }
        if items.is_empty() {
            continue;
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
    if !has_models && project.scopes.len() > 1 {
        reference.push(item(&labels.compare, urls::COMPARE.to_string(), true));
    }
    for party in &project.parties {
        reference.push(item(&party.name.value, urls::party(&party.id.value), false));
    }
    reference.push(item(&labels.glossary, urls::GLOSSARY.to_string(), true));
    for framework in &project.frameworks {
        reference.push(item(
            &framework.name.value,
            urls::framework(&framework.id.value),
            false,
        ));
    }
    groups.push(NavGroup {
        title: labels.reference.clone(),
        scope: None,
        items: reference,
    });
    groups
}

/// Content pages of a scope (or all, with `None`) in navigation order.
pub(crate) fn sorted_guides<'c>(
    content: &'c [ContentPage],
    guide_order: &[ContentIx],
    scope: Option<&str>,
) -> Vec<&'c ContentPage> {
    guide_order
        .iter()
        .map(|&i| &content[i])
        .filter(|p| scope.is_none_or(|s| p.applies_to(s)))
        .collect()
}

/// The content pages but the home page, by weight, then title, then path.
pub(crate) fn guide_order(content: &[ContentPage]) -> Vec<ContentIx> {
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
    order.into_iter().map(ContentIx).collect()
}
