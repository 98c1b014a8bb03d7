//! The views of the page kinds: what `pages/<kind>.html` is rendered from, filled in
//! `pages.rs` and `compare.rs`. The views the partials share are in `views.rs`.

use super::letters::LetterView;
use super::views::{DutiesView, FlowView, Link, MatrixView, SummaryView, SystemsView};
use serde::Serialize;

/// `pages/home.html`: the deployments, the home page's own text, the reference pages.
#[derive(Debug, Serialize)]
pub struct HomeView {
    /// Id of the heading over the deployments.
    pub deployments_id: String,
    /// Id of the heading over the reference pages.
    pub reference_id: String,
    /// The deployment cards of a project without models; empty with models, whose
    /// home page shows `grid` instead.
    pub deployments: Vec<DeploymentCard>,
    /// The grid of models × deployments, in a project with models.
    pub grid: Option<ModelGrid>,
    /// `content/_index.md` rendered, or empty.
    pub content_html: String,
    /// The comparison page, when there are two deployments or more.
    pub compare_href: Option<String>,
    pub parties: Vec<PartyCard>,
    pub glossary_href: String,
}

#[derive(Debug, Serialize)]
pub struct DeploymentCard {
    pub href: String,
    pub name: String,
    /// The deployment's description as plain text, or empty.
    pub description: String,
    /// Number of tasks in its table.
    pub tasks: usize,
    /// Number of content pages it shows.
    pub guides: usize,
}

/// The home page's grid of a project with models: a column per deployment, a row per
/// model.
#[derive(Debug, Serialize)]
pub struct ModelGrid {
    /// The column heads, in the project's order of deployments.
    pub scopes: Vec<GridScope>,
    pub rows: Vec<GridRow>,
    /// Per deployment (in column order), the comparisons of two models that both cover
    /// it.
    pub comparisons: Vec<GridComparisons>,
    /// Whether any deployment has a comparison (the grid then has a row of them).
    pub any_comparison: bool,
}

/// The comparisons of models in one deployment's column of the grid.
#[derive(Debug, Serialize)]
pub struct GridComparisons {
    pub scope_name: String,
    /// Empty for a deployment fewer than two models cover.
    pub links: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct GridScope {
    pub name: String,
    /// Number of content pages the deployment shows.
    pub guides: usize,
}

#[derive(Debug, Serialize)]
pub struct GridRow {
    /// The row's id: the breadcrumbs of the model's pages lead here.
    pub id: String,
    pub name: String,
    /// The model's description as plain text, or empty.
    pub description: String,
    /// One per deployment, in column order.
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Serialize)]
pub struct GridCell {
    pub scope_name: String,
    /// The model's page for the deployment; `None` when the model does not cover it.
    pub deployment: Option<GridLink>,
}

#[derive(Debug, Serialize)]
pub struct GridLink {
    pub href: String,
    /// Number of tasks in the model's table for the deployment.
    pub tasks: usize,
    /// Number of the model's parties (the table's columns).
    pub parties: usize,
}

#[derive(Debug, Serialize)]
pub struct PartyCard {
    pub href: String,
    pub name: String,
    pub description: Option<String>,
}

/// `pages/deployment.html`: one deployment's RASCI page.
#[derive(Debug, Serialize)]
pub struct DeploymentView {
    pub scope: ScopeView,
    /// `subtitle` of `rasci.yaml`, as plain text (the template escapes it); `None` unset.
    pub subtitle: Option<String>,
    /// `brand.contact` of `rasci.yaml`, shown beside the table; `None` unset.
    pub contact: Option<ContactView>,
    /// The operating model the page shows; `None` in a project without models.
    pub model: Option<ModelView>,
    /// The other models that cover the deployment, each linked to its comparison with
    /// this page's model; empty in a project without models.
    pub comparisons: Vec<Link>,
    /// The parties' names, in the order of the model's columns.
    pub party_names: Vec<String>,
    pub task_count: usize,
    pub party_count: usize,
    pub section_count: usize,
    /// Id of the heading over the summaries; `None` when the project has none.
    pub summaries_id: Option<String>,
    pub summaries: Vec<SummaryView>,
    pub table_id: String,
    pub legend_id: String,
    pub csv_href: String,
    pub json_href: String,
    pub xlsx_href: String,
    pub matrix: MatrixView,
    /// Id of the heading over the systems; `None` when the deployment shows none.
    pub systems_id: Option<String>,
    pub systems: Option<SystemsView>,
    pub flows: Vec<FlowView>,
    /// Id of the heading over the guides; `None` when there are none.
    pub guidance_id: Option<String>,
    pub guides: Vec<GuideLink>,
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
pub struct ModelView {
    pub id: String,
    pub name: String,
    /// The model's description as inline HTML, or none.
    pub description_html: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ScopeView {
    pub id: String,
    pub name: String,
    /// The description as inline HTML, ending in exactly one full stop.
    pub description_html: Option<String>,
}

/// A content page in a deployment's list of guides.
#[derive(Debug, Serialize)]
pub struct GuideLink {
    pub href: String,
    pub title: String,
    pub description: Option<String>,
    /// `featured: true` in the page's front matter.
    pub featured: bool,
}

/// `pages/content.html`: a Markdown page.
#[derive(Debug, Serialize)]
pub struct ContentView {
    pub content_html: String,
}

/// `pages/party.html`: one party's responsibility summary and duties, per operating model
/// and deployment.
#[derive(Debug, Serialize)]
pub struct PartyView {
    pub name: String,
    pub description_html: Option<String>,
    /// Per model and deployment, the number of tasks in each letter (RASCI order).
    pub overview: Vec<CountsRow>,
    /// Whether the project defines operating models (the overview then names them).
    pub has_models: bool,
    /// The models the party takes part in, in the project's order; one, unnamed, in a
    /// project without models.
    pub models: Vec<PartyModel>,
}

#[derive(Debug, Serialize)]
pub struct CountsRow {
    pub href: String,
    pub name: String,
    /// The model's name; `None` in a project without models.
    pub model_name: Option<String>,
    pub counts: Vec<usize>,
}

/// A party's part in one operating model.
#[derive(Debug, Serialize)]
pub struct PartyModel {
    /// The model's heading id and name; `None` in a project without models, whose page
    /// has no heading per model.
    pub heading_id: Option<String>,
    pub name: Option<String>,
    /// The party's own responsibility summaries in the model.
    pub summaries: Vec<SummaryView>,
    pub deployments: Vec<PartyDeployment>,
}

#[derive(Debug, Serialize)]
pub struct PartyDeployment {
    pub heading_id: String,
    /// Level of the deployment's heading: 2, or 3 under a model's heading.
    pub level: u8,
    pub name: String,
    pub duties: DutiesView,
}

/// `pages/compare.html`: every deployment's letters side by side.
#[derive(Debug, Serialize)]
pub struct CompareView {
    /// The page's description (its template's `description` block), as text.
    pub description: String,
    /// The operating model whose deployments are compared; `None` without models.
    pub model_name: Option<String>,
    pub scopes: Vec<Link>,
    pub parties: Vec<String>,
    pub party_count: usize,
    pub task_count: usize,
    /// Tasks missing from some deployment.
    pub only_count: usize,
    /// Tasks with different letters in some deployment.
    pub differ_count: usize,
    pub table_id: String,
    pub legend_id: String,
    /// Every row, in order of first appearance across the deployments.
    pub rows: Vec<CompareRow>,
    /// The same rows under the section that lists them, sections in order of first
    /// appearance: the page's headings, so "In this article" leads to each part.
    pub sections: Vec<CompareSection>,
}

/// A section of the comparison: its tasks, under a heading of their own.
#[derive(Debug, Serialize)]
pub struct CompareSection {
    /// The section's title; `None` for an untitled section (the template names it).
    pub title: Option<String>,
    pub heading_id: String,
    pub rows: Vec<CompareRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    pub title: String,
    /// `same`, `differs` or `only` (in some deployments only).
    pub status: &'static str,
    /// Names of the deployments that have the task.
    pub present_in: Vec<String>,
    pub cells: Vec<CompareCell>,
}

/// One deployment's part of a row: the letters per party, or none when it lacks the task.
#[derive(Debug, Clone, Serialize)]
pub struct CompareCell {
    pub scope_name: String,
    pub letters: Option<Vec<Vec<LetterView>>>,
}

/// `pages/compare_models.html`: two operating models side by side for one deployment.
#[derive(Debug, Serialize)]
pub struct CompareModelsView {
    /// The page's description (its template's `description` block), as text.
    pub description: String,
    pub scope_name: String,
    /// The two models, in the project's order, each with its parties (its columns).
    pub first: ModelColumn,
    pub second: ModelColumn,
    /// Ids of the headings over the tasks in both and over the legend.
    pub both_id: String,
    pub legend_id: String,
    /// The tasks both models have (same id), in the first model's order.
    pub both: Vec<BothRow>,
    /// How many of them differ in some party's letters.
    pub differ_count: usize,
    /// The tasks only the first model has, then those only the second has.
    pub only: Vec<OnlySection>,
}

/// The tasks of a comparison that only one of the two models has, in its order.
#[derive(Debug, Serialize)]
pub struct OnlySection {
    /// Id of the section's heading.
    pub id: String,
    /// `first` or `second`.
    pub part: &'static str,
    pub model: ModelColumn,
    pub rows: Vec<OnlyRow>,
}

/// One model of a comparison: its name, its page for the deployment, its parties.
#[derive(Debug, Serialize)]
pub struct ModelColumn {
    pub name: String,
    pub href: String,
    pub parties: Vec<Link>,
}

/// A task both models have, with each model's letters per party (its own columns).
#[derive(Debug, Serialize)]
pub struct BothRow {
    pub title: String,
    pub first_href: String,
    pub second_href: String,
    /// Whether every party holds the same letters in both.
    pub same: bool,
    pub first: Vec<Vec<LetterView>>,
    pub second: Vec<Vec<LetterView>>,
}

/// A task only one model has, with its letters per party of that model.
#[derive(Debug, Serialize)]
pub struct OnlyRow {
    pub title: String,
    pub href: String,
    pub letters: Vec<Vec<LetterView>>,
}

/// `pages/glossary.html`: the terms, sorted.
#[derive(Debug, Serialize)]
pub struct GlossaryView {
    pub description: String,
    pub terms: Vec<TermView>,
}

#[derive(Debug, Serialize)]
pub struct TermView {
    pub id: String,
    pub term: String,
    pub definition_html: String,
    pub aliases: Vec<String>,
    pub source: Option<String>,
}
