//! What every page of a build is rendered from: the checked project, its matrices, the
//! glossary, the diagrams laid out once, and the dates. A leaf under the page renderers,
//! the layout and the site-wide outputs, which all take it from here.

use super::dates::{MATRIX_DATA, PageDates, SCOPE_DATA};
use super::diagrams::Diagrams;
use super::glossary::Glossary;
use crate::load::content::{ContentIx, ContentPage};
use crate::model::{DataKind, Flow, ModelIx, Project, Scope, ScopeIx};
use crate::plan::{PageKind, urls};
use crate::resolve::Matrix;

/// Everything the pages are rendered from, shared by all of them. It borrows the checked
/// project's matrices: rendering never resolves the project again.
pub(crate) struct SiteData<'p> {
    pub(crate) project: &'p Project,
    pub(crate) matrices: &'p [Matrix<'p>],
    pub(crate) content: &'p [ContentPage],
    pub(crate) glossary: Glossary,
    /// Indices of the content pages other than the home page, in navigation order: the
    /// plan's, sorted once.
    pub(crate) guide_order: &'p [ContentIx],
    /// Every diagram, laid out once for all the pages that show it.
    pub(crate) diagrams: Diagrams<'p>,
    /// The day each page last changed comes from these (see [`PageDates`]).
    pub(crate) dates: PageDates<'p>,
    /// Where each matrix is in `matrices`.
    pub(crate) matrix_at: std::collections::HashMap<MatrixAt, usize>,
    /// The published versions, when `build` publishes more than one (the plan's).
    pub(crate) versions: Option<&'p crate::plan::versions::SiteVersions>,
    /// Each content page by its slug: every link in every page looks its target up here,
    /// so a scan of the pages per link would make a build quadratic in the pages.
    pub(crate) by_slug: std::collections::HashMap<&'p str, ContentIx>,
    /// The guides of each scope for each model's readers, in navigation order, each list
    /// made the first time a page asks for it (see [`SiteData::guides_in`]). One key per
    /// model and scope, made with the data.
    pub(crate) guide_lists:
        std::collections::HashMap<MatrixAt, std::sync::OnceLock<Vec<ContentIx>>>,
}

/// The key of a matrix: the operating model and the scope it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MatrixAt {
    pub(crate) model: ModelIx,
    pub(crate) scope: ScopeIx,
}

impl MatrixAt {
    /// Where `matrix` sits.
    pub(crate) fn of(matrix: &Matrix<'_>) -> MatrixAt {
        MatrixAt {
            model: matrix.model,
            scope: matrix.scope_index,
        }
    }
}

impl<'p> SiteData<'p> {
    /// An empty list per model and scope of `project`, for [`SiteData::guide_lists`].
    pub(crate) fn guide_list_keys(
        project: &Project,
    ) -> std::collections::HashMap<MatrixAt, std::sync::OnceLock<Vec<ContentIx>>> {
        project
            .models()
            .flat_map(|(model, _)| {
                project
                    .scopes()
                    .map(move |(scope, _)| (MatrixAt { model, scope }, Default::default()))
            })
            .collect()
    }

    /// The guides of `scope` for the readers of `model`, in navigation order. A scope of
    /// thousands of guides has one listing page per hundred, and each used to filter every
    /// guide again: the list is made once.
    pub(crate) fn guides_in(&self, scope: ScopeIx, model: ModelIx) -> &[ContentIx] {
        let make = || {
            let scope_id = &self.project.scope_at(scope).id.value;
            let model_id = self.project.model_at(model).id();
            self.guide_order
                .iter()
                .copied()
                .filter(|&i| {
                    let page = &self.content[i.0];
                    page.applies_to(scope_id) && page.for_model(model_id)
                })
                .collect()
        };
        self.guide_lists
            .get(&MatrixAt { model, scope })
            .expect("a list for every model and scope")
            .get_or_init(make)
    }

    /// The content page of `slug`, when there is one.
    pub(crate) fn content_page(&self, slug: &str) -> Option<&'p ContentPage> {
        let content: &'p [ContentPage] = self.content;
        self.by_slug.get(slug).map(|&index| &content[index])
    }

    /// The matrix of `scope` in `model`, when the model covers the scope.
    pub(crate) fn matrix(&self, model: ModelIx, scope: ScopeIx) -> Option<&'p Matrix<'p>> {
        let matrices: &'p [Matrix<'p>] = self.matrices;
        self.matrix_at
            .get(&MatrixAt { model, scope })
            .map(|&index| &matrices[index])
    }

    /// The site path of `scope`'s RASCI page in `model` (see [`urls::scope_page`]).
    pub(crate) fn scope_path(&self, model: ModelIx, scope: ScopeIx) -> String {
        urls::scope_page(
            self.project.model_at(model).path_id(),
            &self.project.scope_at(scope).id.value,
        )
    }

    /// The site path of the page that holds a matrix's rows.
    pub(crate) fn matrix_path(&self, matrix: &Matrix<'_>) -> String {
        self.scope_path(matrix.model, matrix.scope_index)
    }

    /// Where a page belongs, as search and headings name it: the scope's name, led
    /// by the model's in a project with models.
    pub(crate) fn place_name(&self, model: Option<ModelIx>, scope: ScopeIx) -> String {
        let scope = &self.project.scope_at(scope).name.value;
        match model.and_then(|m| self.project.model_at(m).name()) {
            Some(model) => format!("{model} · {scope}"),
            None => scope.clone(),
        }
    }
}

impl SiteData<'_> {
    /// The anchor of a flow's section on a scope page.
    pub(crate) fn flow_anchor(&self, flow: &Flow) -> String {
        format!("flow-{}", flow.id.value)
    }

    /// The index of a scope of the project, from the scope itself.
    pub(crate) fn scope_index(&self, scope: &Scope) -> Option<ScopeIx> {
        self.project
            .scopes()
            .find(|(_, s)| s.id.value == scope.id.value)
            .map(|(index, _)| index)
    }
}

/// The day the page of `kind` last changed, as pages show it and the sitemap's
/// `<lastmod>` gives it: the `updated:` of a content page's front matter when it has one,
/// else the day of the last commit that changed a file the page is built from. A content
/// page is built from its own file; the home page from `content/_index.md` and
/// [`MATRIX_DATA`]; a scope page from the tasks files of the sections it shows and
/// [`SCOPE_DATA`]; a party page and the comparison from [`MATRIX_DATA`]; the
/// glossary from the glossary files. The page for a missing address has no date. `None`
/// when dates are turned off or no file of the page has a commit.
pub(crate) fn updated<'d>(data: &'d SiteData<'_>, kind: PageKind) -> Option<&'d str> {
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
            sections.max(dates.of_kinds(SCOPE_DATA))
        }
        PageKind::Party(_) | PageKind::Compare { .. } | PageKind::CompareModels { .. } => {
            dates.of_kinds(MATRIX_DATA)
        }
        PageKind::Glossary => dates.of_kinds(&[DataKind::Glossary]),
        PageKind::Framework(_) => dates
            .of_kinds(MATRIX_DATA)
            .max(dates.of_kinds(&[DataKind::Frameworks])),
        PageKind::Guides { .. } | PageKind::NotFound | PageKind::Changes => None,
    }
}
