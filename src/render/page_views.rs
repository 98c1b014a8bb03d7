//! The views of the page kinds: what `pages/<kind>.html` is rendered from, filled in
//! `pages.rs` and `compare.rs`. The views the partials share are in `views.rs`.

use super::duties::DutiesView;
use super::letters::LetterView;
use super::views::{FlowView, Link, MatrixView, SummaryView, SystemsView};
use serde::Serialize;

/// `pages/home.html`: the scopes, the home page's own text, the reference pages.
#[derive(Debug, Serialize)]
pub(crate) struct HomeView {
    /// Id of the heading over the scopes.
    pub(crate) scopes_id: String,
    /// Id of the heading over the reference pages.
    pub(crate) reference_id: String,
    /// The scope cards of a project without models; empty with models, whose
    /// home page shows `grid` instead.
    pub(crate) scopes: Vec<ScopeCard>,
    /// The grid of models × scopes, in a project with models.
    pub(crate) grid: Option<ModelGrid>,
    /// `content/_index.md` rendered, or empty.
    pub(crate) content_html: String,
    /// The comparison page, when there are two scopes or more.
    pub(crate) compare_href: Option<String>,
    pub(crate) parties: Vec<PartyCard>,
    pub(crate) glossary_href: String,
    /// The pages of the frameworks of `data/frameworks.yaml`; empty without them.
    pub(crate) frameworks: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ScopeCard {
    pub(crate) href: String,
    pub(crate) name: String,
    /// The scope's description as plain text, or empty.
    pub(crate) description: String,
    /// Number of tasks in its table.
    pub(crate) tasks: usize,
    /// Number of content pages it shows.
    pub(crate) guides: usize,
}

/// The home page's grid of a project with models: a column per scope, a row per
/// model.
#[derive(Debug, Serialize)]
pub(crate) struct ModelGrid {
    /// The column heads, in the project's order of scopes.
    pub(crate) scopes: Vec<GridScope>,
    pub(crate) rows: Vec<GridRow>,
    /// Per scope (in column order), the comparisons of two models that both cover
    /// it.
    pub(crate) comparisons: Vec<GridComparisons>,
    /// Whether any scope has a comparison (the grid then has a row of them).
    pub(crate) any_comparison: bool,
}

/// The comparisons of models in one scope's column of the grid.
#[derive(Debug, Serialize)]
pub(crate) struct GridComparisons {
    pub(crate) scope_name: String,
    /// Empty for a scope fewer than two models cover.
    pub(crate) links: Vec<GridCompare>,
}

/// A comparison of two models in the grid: its address and the two models' names, which
/// the template words into the link ("Compare … with …").
#[derive(Debug, Serialize)]
pub(crate) struct GridCompare {
    pub(crate) href: String,
    /// Kept for themes made before `first` and `second`: "first / second".
    pub(crate) name: String,
    pub(crate) first: String,
    pub(crate) second: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct GridScope {
    pub(crate) name: String,
    /// Number of content pages the scope shows.
    pub(crate) guides: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct GridRow {
    /// The row's id: the breadcrumbs of the model's pages lead here.
    pub(crate) id: String,
    pub(crate) name: String,
    /// The model's description as plain text, or empty.
    pub(crate) description: String,
    /// One per scope, in column order.
    pub(crate) cells: Vec<GridCell>,
}

#[derive(Debug, Serialize)]
pub(crate) struct GridCell {
    pub(crate) scope_name: String,
    /// The model's page for the scope; `None` when the model does not cover it.
    pub(crate) page: Option<GridLink>,
}

#[derive(Debug, Serialize)]
pub(crate) struct GridLink {
    pub(crate) href: String,
    /// Number of tasks in the model's table for the scope.
    pub(crate) tasks: usize,
    /// Number of the model's parties (the table's columns).
    pub(crate) parties: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PartyCard {
    pub(crate) href: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

/// `pages/scope.html`: one scope's RASCI page.
#[derive(Debug, Serialize)]
pub(crate) struct ScopePageView {
    pub(crate) scope: ScopeView,
    /// `subtitle` of `rasci.yaml`, as plain text (the template escapes it); `None` unset.
    pub(crate) subtitle: Option<String>,
    /// `brand.contact` of `rasci.yaml`, shown beside the table; `None` unset.
    pub(crate) contact: Option<ContactView>,
    /// The operating model the page shows; `None` in a project without models.
    pub(crate) model: Option<ModelView>,
    /// The agreement data of the page's model (`partials/agreement.html`); `None`
    /// when the model has none.
    pub(crate) agreement: Option<super::agreements::AgreementView>,
    /// The other models that cover the scope, each linked to its comparison with
    /// this page's model; empty in a project without models.
    pub(crate) comparisons: Vec<Link>,
    /// The parties' names, in the order of the model's columns.
    pub(crate) party_names: Vec<String>,
    pub(crate) task_count: usize,
    pub(crate) party_count: usize,
    pub(crate) section_count: usize,
    /// Id of the heading over the summaries; `None` when the project has none.
    pub(crate) summaries_id: Option<String>,
    pub(crate) summaries: Vec<SummaryView>,
    pub(crate) table_id: String,
    pub(crate) legend_id: String,
    pub(crate) csv_href: String,
    pub(crate) json_href: String,
    pub(crate) xlsx_href: String,
    pub(crate) matrix: MatrixView,
    /// What changed in this page's table since the version before this one
    /// (`partials/changes.html`); `None` unless `build` publishes versions and this one
    /// has a predecessor.
    pub(crate) changed: Option<super::agreements::ChangedView>,
    /// Id of the heading over the systems; `None` when the scope shows none.
    pub(crate) systems_id: Option<String>,
    pub(crate) systems: Option<SystemsView>,
    pub(crate) flows: Vec<FlowView>,
    /// Id of the heading over the guides; `None` when there are none.
    pub(crate) guidance_id: Option<String>,
    /// The first [`crate::plan::GUIDES_PER_PAGE`] guides of the scope.
    pub(crate) guides: Vec<GuideLink>,
    /// How many guides the scope has.
    pub(crate) guide_count: usize,
    /// The pages of the scope's guides, this one first; empty when this page lists them
    /// all.
    pub(crate) guide_pages: Vec<GuidePageLink>,
}

/// A link to one page of a scope's guides: its RASCI page (number 1), or a page of
/// `pages/guides.html`.
#[derive(Debug, Serialize)]
pub(crate) struct GuidePageLink {
    pub(crate) number: usize,
    /// The number of the first and the last guide the page lists.
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) href: String,
    pub(crate) current: bool,
}

/// `pages/guides.html`: one page of a scope's guides after those its RASCI page lists.
#[derive(Debug, Serialize)]
pub(crate) struct GuidesView {
    pub(crate) scope_name: String,
    /// The number of the first and the last guide listed, and of all the scope's guides.
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) guide_count: usize,
    pub(crate) guides: Vec<GuideLink>,
    /// Every page of the scope's guides, the RASCI page first.
    pub(crate) guide_pages: Vec<GuidePageLink>,
}

/// The contact box beside a RASCI table: plain text, and a link whose address the
/// loader parsed.
#[derive(Debug, Serialize)]
pub struct ContactView {
    pub title: String,
    pub text: String,
    pub link: Option<Link>,
}

/// An operating model, as the pages that show one name it.
#[derive(Debug, Serialize)]
pub(crate) struct ModelView {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The model's description as inline HTML, or none.
    pub(crate) description_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ScopeView {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The description as inline HTML, ending in exactly one full stop.
    pub(crate) description_html: Option<String>,
}

/// A content page in a scope's list of guides.
#[derive(Debug, Serialize)]
pub(crate) struct GuideLink {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// `featured: true` in the page's front matter.
    pub(crate) featured: bool,
}

/// `pages/content.html`: a Markdown page.
#[derive(Debug, Serialize)]
pub(crate) struct ContentView {
    pub(crate) content_html: String,
}

/// `pages/party.html`: one party's responsibility summary and duties, per operating model
/// and scope.
#[derive(Debug, Serialize)]
pub(crate) struct PartyView {
    pub(crate) name: String,
    pub(crate) description_html: Option<String>,
    /// Per model and scope, the number of tasks in each letter (RASCI order).
    pub(crate) overview: Vec<CountsRow>,
    /// Whether the project defines operating models (the overview then names them).
    pub(crate) has_models: bool,
    /// The models the party takes part in, in the project's order; one, unnamed, in a
    /// project without models.
    pub(crate) models: Vec<PartyModel>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CountsRow {
    pub(crate) href: String,
    pub(crate) name: String,
    /// The model's name; `None` in a project without models.
    pub(crate) model_name: Option<String>,
    pub(crate) counts: Vec<usize>,
}

/// A party's part in one operating model.
#[derive(Debug, Serialize)]
pub(crate) struct PartyModel {
    /// The model's heading id and name; `None` in a project without models, whose page
    /// has no heading per model.
    pub(crate) heading_id: Option<String>,
    pub(crate) name: Option<String>,
    /// The party's own responsibility summaries in the model.
    pub(crate) summaries: Vec<SummaryView>,
    pub(crate) scopes: Vec<PartyScope>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PartyScope {
    pub(crate) heading_id: String,
    /// Level of the scope's heading: 2, or 3 under a model's heading.
    pub(crate) level: u8,
    pub(crate) name: String,
    pub(crate) duties: DutiesView,
}

/// `pages/compare.html`: every scope's letters side by side.
#[derive(Debug, Serialize)]
pub(crate) struct CompareView {
    /// The page's description (its template's `description` block), as text.
    pub(crate) description: String,
    /// The operating model whose scopes are compared; `None` without models.
    pub(crate) model_name: Option<String>,
    pub(crate) scopes: Vec<Link>,
    pub(crate) parties: Vec<String>,
    pub(crate) party_count: usize,
    pub(crate) task_count: usize,
    /// Tasks missing from some scope.
    pub(crate) only_count: usize,
    /// Tasks with different letters in some scope.
    pub(crate) differ_count: usize,
    pub(crate) table_id: String,
    pub(crate) legend_id: String,
    /// Every row, in order of first appearance across the scopes.
    pub(crate) rows: Vec<CompareRow>,
    /// The same rows under the section that lists them, sections in order of first
    /// appearance: the page's headings, so "In this article" leads to each part.
    pub(crate) sections: Vec<CompareSection>,
}

/// A section of the comparison: its tasks, under a heading of their own.
#[derive(Debug, Serialize)]
pub(crate) struct CompareSection {
    /// The section's title; `None` for an untitled section (the template names it).
    pub(crate) title: Option<String>,
    pub(crate) heading_id: String,
    pub(crate) rows: Vec<CompareRow>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompareRow {
    pub(crate) title: String,
    /// `same`, `differs` or `only` (in some scopes only).
    pub(crate) status: &'static str,
    /// Names of the scopes that have the task.
    pub(crate) present_in: Vec<String>,
    pub(crate) cells: Vec<CompareCell>,
    /// The task's note, rendered; `None` without one.
    pub(crate) note_html: Option<String>,
}

/// One scope's part of a row: the letters per party, or none when it lacks the task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompareCell {
    pub(crate) scope_name: String,
    pub(crate) letters: Option<Vec<Vec<LetterView>>>,
    /// Beside `letters`, one per party: the cell's note, rendered.
    pub(crate) notes: Vec<Option<String>>,
}

/// `pages/compare_models.html`: two operating models side by side for one scope.
#[derive(Debug, Serialize)]
pub(crate) struct CompareModelsView {
    /// The page's description (its template's `description` block), as text.
    pub(crate) description: String,
    pub(crate) scope_name: String,
    /// The two models, in the project's order, each with its parties (its columns).
    pub(crate) first: ModelColumn,
    pub(crate) second: ModelColumn,
    /// Ids of the headings over the tasks in both and over the legend.
    pub(crate) both_id: String,
    pub(crate) legend_id: String,
    /// The tasks both models have (same id), in the first model's order.
    pub(crate) both: Vec<BothRow>,
    /// How many of them differ in some party's letters.
    pub(crate) differ_count: usize,
    /// The tasks only the first model has, then those only the second has.
    pub(crate) only: Vec<OnlySection>,
}

/// The tasks of a comparison that only one of the two models has, in its order.
#[derive(Debug, Serialize)]
pub(crate) struct OnlySection {
    /// Id of the section's heading.
    pub(crate) id: String,
    /// `first` or `second`.
    pub(crate) part: &'static str,
    pub(crate) model: ModelColumn,
    pub(crate) rows: Vec<OnlyRow>,
}

/// One model of a comparison: its name, its page for the scope, its parties.
#[derive(Debug, Serialize)]
pub(crate) struct ModelColumn {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) parties: Vec<Link>,
}

/// A task both models have, with each model's letters per party (its own columns).
#[derive(Debug, Serialize)]
pub(crate) struct BothRow {
    pub(crate) title: String,
    pub(crate) first_href: String,
    pub(crate) second_href: String,
    /// Whether every party holds the same letters in both as its counterpart in the other
    /// model (the same party, or the one a model's `stands_for:` names).
    pub(crate) same: bool,
    /// The parties whose letters differ from their counterpart's, in column order.
    pub(crate) changes: Vec<PartyChange>,
    pub(crate) first: Vec<Vec<LetterView>>,
    pub(crate) second: Vec<Vec<LetterView>>,
    /// The task's notes, rendered: the first model's, then the second's when it says
    /// something else (each model writes its own task).
    pub(crate) task_notes: Vec<String>,
    /// Beside `first` and `second`, one per party: the cell's note, rendered.
    pub(crate) first_notes: Vec<Option<String>>,
    pub(crate) second_notes: Vec<Option<String>>,
}

/// One party of a compared task whose letters differ from its counterpart's in the
/// other model: "Partner: A, R → Anywhere365: C". A side is `None` where the party has no
/// counterpart there.
#[derive(Debug, Serialize)]
pub(crate) struct PartyChange {
    pub(crate) first: Option<ChangeSide>,
    pub(crate) second: Option<ChangeSide>,
}

/// A party's name and its letters in one model of a comparison.
#[derive(Debug, Serialize)]
pub(crate) struct ChangeSide {
    pub(crate) party: String,
    pub(crate) letters: Vec<LetterView>,
}

/// A task only one model has, with its letters per party of that model.
#[derive(Debug, Serialize)]
pub(crate) struct OnlyRow {
    pub(crate) title: String,
    pub(crate) href: String,
    pub(crate) letters: Vec<Vec<LetterView>>,
    /// The task's note, rendered; `None` without one.
    pub(crate) note_html: Option<String>,
    /// Beside `letters`, one per party: the cell's note, rendered.
    pub(crate) notes: Vec<Option<String>>,
}

/// `pages/glossary.html`: the terms, sorted.
#[derive(Debug, Serialize)]
pub(crate) struct GlossaryView {
    pub(crate) description: String,
    pub(crate) terms: Vec<TermView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TermView {
    pub(crate) id: String,
    pub(crate) term: String,
    pub(crate) definition_html: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) source: Option<String>,
}
