//! Views: the data each page kind and each partial of the theme is rendered from, as
//! serialisable structs, and the functions that fill them. The markup is the theme's
//! (`pages/*.html`, `partials/*.html`); nothing here writes HTML but what Markdown
//! renders. Text from the data stays text in a view, for the template to escape; the
//! fields named `*_html` hold Markdown already rendered and sanitised, the only ones a
//! template marks `safe`. Scope pages are built from these views, and content pages
//! embed the same partials with shortcodes.

use super::env::PageEnv;
use super::letters::LetterView;
use crate::diagrams::Diagram;
use crate::model::{Flow, Located, Project, Scope, StepKind, Summary, SummaryItem};
use crate::plan::urls;
use crate::resolve::Matrix;
use serde::Serialize;

/// Whether an item with an optional `scopes:` list shows on `scope`'s pages.
pub(crate) fn shows_in(
    scopes: &Option<Vec<crate::model::Located<String>>>,
    scope: Option<&Scope>,
) -> bool {
    match (scopes, scope) {
        (None, _) => true,
        (Some(list), Some(scope)) => list.iter().any(|s| s.value == scope.id.value),
        (Some(_), None) => true,
    }
}

/// A link: what it says and where it goes, relative to the page (not yet escaped).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub(crate) name: String,
    pub(crate) href: String,
}

/// `partials/matrix.html`: the RASCI table of one scope.
#[derive(Debug, Serialize)]
pub(crate) struct MatrixView {
    pub(crate) scope_id: String,
    pub(crate) scope_name: String,
    /// The operating model's name; `None` in a project without models.
    pub(crate) model_name: Option<String>,
    /// Id of the table's caption, which also names the scrolling region.
    pub(crate) caption_id: String,
    /// The column heads: one per party, linked to the party's page.
    pub(crate) parties: Vec<Link>,
    /// Parties plus the task column, for section rows spanning the table.
    pub(crate) columns: usize,
    pub(crate) sections: Vec<SectionView>,
    /// The conditions the table's rows and cells name, in the order of
    /// `data/conditions.yaml`: its legend and the reader's switches. Empty without any.
    pub(crate) conditions: Vec<ConditionView>,
    /// The notes of the table's rows and cells, numbered in table order: the list under
    /// the table. Empty without any.
    pub(crate) notes: Vec<NoteView>,
}

/// Where a note's marker in the table links to, and the id the list links back to.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoteRef {
    /// The note's number, from 1 in table order.
    pub(crate) number: usize,
    /// Id of the note's item in the list under the table.
    pub(crate) id: String,
    /// Id of the marker in the table.
    pub(crate) ref_id: String,
}

/// A note in the list under the table: what it is about and its text.
#[derive(Debug, Serialize)]
pub(crate) struct NoteView {
    #[serde(flatten)]
    pub(crate) at: NoteRef,
    /// The task's title, plain text.
    pub(crate) task: String,
    /// The party whose cell carries the note; `None` for a note on the whole row.
    pub(crate) party: Option<String>,
    pub(crate) note_html: String,
}

/// Numbers the next note of a table and renders it: the marker's ids are built from
/// the scope's id and the number only.
fn note_at(
    env: &mut PageEnv<'_>,
    matrix: &Matrix<'_>,
    note: &Located<String>,
    task: &str,
    party: Option<String>,
    notes: &mut Vec<NoteView>,
) -> NoteRef {
    let number = notes.len() + 1;
    let scope = &matrix.scope.id.value;
    let at = NoteRef {
        number,
        id: env.id(&format!("note-{scope}-{number}")),
        ref_id: env.id(&format!("note-ref-{scope}-{number}")),
    };
    let note_html = env.inline(&note.value, note.span);
    notes.push(NoteView {
        at: at.clone(),
        task: task.to_string(),
        party,
        note_html,
    });
    at
}

/// A condition as a badge, the legend and the switches show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConditionView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

/// The conditions named by `when`, in the order written; an id that names no condition
/// is the check's finding, and the site is not built with it.
fn conditions_of(project: &Project, when: &[Located<String>]) -> Vec<ConditionView> {
    when.iter()
        .filter_map(|id| project.condition(&id.value))
        .map(|condition| ConditionView {
            id: condition.id.value.clone(),
            name: condition.name.value.clone(),
            description: condition.description.as_ref().map(|d| d.value.clone()),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct SectionView {
    /// The section's title; untitled sections have no header row.
    pub(crate) title: Option<String>,
    /// Id of the header row, when there is one.
    pub(crate) id: Option<String>,
    /// The anchors of the section's former ids (`aliases:`), kept in its header row so
    /// that links written to them still land there; empty when it has no header row.
    pub(crate) former_ids: Vec<String>,
    pub(crate) rows: Vec<RowView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RowView {
    /// The row's anchor, linked from flows and party pages.
    pub(crate) id: String,
    /// The anchors of the task's former ids (`aliases:`): empty elements at the start
    /// of the row, so that a link written to an old id still lands on it.
    pub(crate) former_ids: Vec<String>,
    pub(crate) title_html: String,
    /// One cell per party: its letters in the configured order (as written by default),
    /// none for an empty cell.
    pub(crate) cells: Vec<Vec<LetterView>>,
    /// The conditions under which the task applies; empty when it always does.
    pub(crate) when: Vec<ConditionView>,
    /// Beside `cells`, one per party: the conditions under which the cell applies.
    pub(crate) cell_when: Vec<Vec<ConditionView>>,
    /// The controls the task implements (`framework:control`), each linked to its
    /// framework's page; empty when it names none.
    pub(crate) controls: Vec<Link>,
    /// The marker of the task's note, when it has one.
    pub(crate) note: Option<NoteRef>,
    /// Beside `cells`, one per party: the marker of the cell's note, when it has one.
    pub(crate) cell_notes: Vec<Option<NoteRef>>,
    /// When the row last changed, when versions are published and it changed since
    /// the oldest.
    pub(crate) last_change: Option<super::agreements::LastChangeView>,
}

/// The RASCI table of one scope: a column per party, a header row per titled
/// section, the task titles as row headers.
pub(crate) fn matrix(env: &mut PageEnv<'_>, matrix: &Matrix<'_>) -> MatrixView {
    let project = env.data.project;
    let caption_id = env.id(&format!("rasci-caption-{}", matrix.scope.id.value));
    // The model's parties, in the model's column order; cells are indexed by the
    // project's party index, so each column reads its own party's cell.
    let parties = matrix
        .parties
        .iter()
        .map(|&index| {
            let party = &project.parties[index];
            Link {
                name: party.name.value.clone(),
                href: env.url(&urls::party(&party.id.value)),
            }
        })
        .collect();
    let mut sections = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut notes = Vec::new();
    for section in &matrix.sections {
        let id = section
            .section
            .title
            .as_ref()
            .map(|_| env.id(&format!("section-{}", section.section.id.value)));
        let former_ids = match id {
            Some(_) => section
                .section
                .aliases
                .iter()
                .map(|alias| env.id(&format!("section-{}", alias.value)))
                .collect(),
            None => Vec::new(),
        };
        let mut rows = Vec::new();
        for row in &section.rows {
            let id = env.id(&urls::task_anchor(&row.task.id.value));
            let former_ids = row
                .task
                .aliases
                .iter()
                .map(|alias| env.id(&urls::task_anchor(&alias.value)))
                .collect();
            let title_html = env.inline(&row.task.title.value, row.task.title.span);
            let order = project.config.matrix.letter_order;
            let cells = matrix
                .parties
                .iter()
                .map(|&index| LetterView::cell(row.cells[index], order))
                .collect();
            let cell_when: Vec<Vec<ConditionView>> = matrix
                .parties
                .iter()
                .map(|&index| {
                    row.cells[index].map_or_else(Vec::new, |c| conditions_of(project, &c.when))
                })
                .collect();
            let when = conditions_of(project, &row.task.when);
            for condition in when.iter().chain(cell_when.iter().flatten()) {
                used.insert(condition.id.clone());
            }
            let task = &row.task.title.value;
            let note = row
                .task
                .note
                .as_ref()
                .map(|note| note_at(env, matrix, note, task, None, &mut notes));
            let mut cell_notes = Vec::with_capacity(matrix.parties.len());
            for &index in &matrix.parties {
                let note = row.cells[index].and_then(|cell| cell.note.as_ref());
                let party = Some(project.parties[index].name.value.clone());
                cell_notes
                    .push(note.map(|note| note_at(env, matrix, note, task, party, &mut notes)));
            }
            rows.push(RowView {
                id,
                former_ids,
                title_html,
                cells,
                when,
                cell_when,
                controls: row_controls(env, row.task),
                note,
                cell_notes,
                last_change: super::agreements::last_change(env, matrix, &row.task.id.value),
            });
        }
        sections.push(SectionView {
            title: section.section.title.as_ref().map(|t| t.value.clone()),
            id,
            former_ids,
            rows,
        });
    }
    MatrixView {
        scope_id: matrix.scope.id.value.clone(),
        scope_name: matrix.scope.name.value.clone(),
        model_name: project.model_at(matrix.model).name().map(str::to_string),
        caption_id,
        parties,
        columns: matrix.parties.len() + 1,
        sections,
        conditions: project
            .conditions
            .iter()
            .filter(|condition| used.contains(&condition.id.value))
            .flat_map(|condition| conditions_of(project, std::slice::from_ref(&condition.id)))
            .collect(),
        notes,
    }
}

/// One responsibility summary, in `partials/summaries.html` (`summaries`).
#[derive(Debug, Serialize)]
pub(crate) struct SummaryView {
    /// The heading's id.
    pub(crate) id: String,
    /// The id of a heading that names the summary's context (its model, on a party page
    /// of a project with models), so that two summaries of one party with the same title
    /// are regions of different names; `None` elsewhere.
    pub(crate) context_id: Option<String>,
    /// Heading level: 3 under the scope page's heading of summaries.
    pub(crate) level: u8,
    /// The summary's own title; without one the template names it after the party.
    pub(crate) title: Option<String>,
    pub(crate) party_name: String,
    pub(crate) intro_html: Option<String>,
    pub(crate) items: Vec<SummaryItemView>,
}

/// An item of a summary, in `partials/summary_items.html` (which lists its own items).
#[derive(Debug, Serialize)]
pub(crate) struct SummaryItemView {
    pub(crate) heading: Option<String>,
    /// A heading whose items all belong to other scopes.
    pub(crate) empty: bool,
    pub(crate) text_html: Option<String>,
    pub(crate) items: Vec<SummaryItemView>,
    /// The conditions under which the item applies; empty when it always does.
    pub(crate) when: Vec<ConditionView>,
    /// The clauses of the item that apply only under conditions, after its text.
    pub(crate) also: Vec<ClauseView>,
}

/// A conditional clause of a summary item.
#[derive(Debug, Serialize)]
pub(crate) struct ClauseView {
    pub(crate) text_html: String,
    pub(crate) when: Vec<ConditionView>,
}

/// The responsibility summaries that apply to the page's scope. Each summary's
/// heading gets an id; the table of contents finds it in the rendered page.
/// The summaries of the page's model (every summary in a project without models).
pub(crate) fn summaries(env: &mut PageEnv<'_>, level: u8) -> Vec<SummaryView> {
    let model = env.model.unwrap_or_default();
    summaries_where(env, level, &|s| s.model == model)
}

/// The summaries `keep` selects, as [`summaries`] shows them.
pub(crate) fn summaries_where(
    env: &mut PageEnv<'_>,
    level: u8,
    keep: &dyn Fn(&Summary) -> bool,
) -> Vec<SummaryView> {
    let project = env.data.project;
    let mut views = Vec::new();
    for summary in project.summaries.iter().filter(|s| keep(s)) {
        let party = project.party(&summary.party.value);
        let id = env.id(&format!("summary-{}", summary.party.value));
        let intro_html = summary
            .intro
            .as_ref()
            .map(|intro| env.inline(&intro.value, intro.span));
        let items = summary_items(env, &summary.items);
        views.push(SummaryView {
            id,
            context_id: None,
            level,
            title: summary.title.as_ref().map(|t| t.value.clone()),
            party_name: party.map_or_else(|| summary.party.value.clone(), |p| p.name.value.clone()),
            intro_html,
            items,
        });
    }
    views
}

fn summary_items(env: &mut PageEnv<'_>, items: &[SummaryItem]) -> Vec<SummaryItemView> {
    let mut views = Vec::new();
    let scope = env.scope;
    for item in items.iter().filter(|i| shows_in(&i.scopes, scope)) {
        let empty =
            item.heading.is_some() && item.items.iter().all(|i| !shows_in(&i.scopes, scope));
        let text_html = item
            .text
            .as_ref()
            .map(|text| env.inline(&text.value, text.span));
        let items = summary_items(env, &item.items);
        let also = item
            .also
            .iter()
            .map(|clause| ClauseView {
                text_html: env.inline(&clause.text.value, clause.text.span),
                when: conditions_of(env.data.project, &clause.when),
            })
            .collect();
        views.push(SummaryItemView {
            heading: item.heading.as_ref().map(|h| h.value.clone()),
            empty,
            text_html,
            items,
            when: conditions_of(env.data.project, &item.when),
            also,
        });
    }
    views
}

/// `partials/figure.html`: a drawing with a link to its `.svg` file.
#[derive(Debug, Serialize)]
pub(crate) struct FigureView {
    pub(crate) title: String,
    /// Natural width in whole CSS pixels.
    pub(crate) width: i64,
    /// The inline `<svg>`, drawn from escaped text.
    pub(crate) svg_html: String,
    pub(crate) href: String,
}

fn figure(env: &PageEnv<'_>, diagram: &Diagram) -> FigureView {
    FigureView {
        title: diagram.title.clone(),
        width: diagram.width.round() as i64,
        svg_html: diagram.svg.clone(),
        href: env.url(&urls::diagram(&diagram.id)),
    }
}

/// The drawing of a flow.
pub(crate) fn flow_figure(env: &PageEnv<'_>, flow: &Flow) -> Option<FigureView> {
    Some(figure(env, env.data.diagrams.flow(flow)?))
}

/// The drawing of the systems of the page's scope in the page's model; none outside a
/// scope.
pub(crate) fn systems_figure(env: &PageEnv<'_>) -> Option<FigureView> {
    let scope = env.scope?;
    let model = systems_model(env);
    Some(figure(env, env.data.diagrams.systems(model, scope)?))
}

/// The model whose systems the page shows: its own, else (a page of no model) the
/// default model.
fn systems_model(env: &PageEnv<'_>) -> crate::model::ModelIx {
    let project = env.data.project;
    env.model.unwrap_or_else(|| {
        project
            .models()
            .find(|(_, m)| m.is_default)
            .map_or(crate::model::ModelIx(0), |(ix, _)| ix)
    })
}

/// `partials/systems.html`: the systems of a scope and who manages each.
#[derive(Debug, Serialize)]
pub(crate) struct SystemsView {
    pub(crate) figure: Option<FigureView>,
    pub(crate) systems: Vec<SystemView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SystemView {
    pub(crate) name_html: String,
    /// The managing party, linked; `None` when `managed_by` names no party.
    pub(crate) manager: Option<Link>,
    /// The manager's id in the page's model, as written.
    pub(crate) managed_by: String,
    pub(crate) description_html: Option<String>,
    /// The manager's colour class in the drawing (`rasci-party-N`), so the card and the
    /// drawing agree; empty when `managed_by` names no party.
    pub(crate) party_class: String,
}

pub(crate) fn systems(env: &mut PageEnv<'_>) -> SystemsView {
    let project = env.data.project;
    let figure = systems_figure(env);
    let scope = env.scope;
    let model = project.model_at(systems_model(env)).id();
    let mut systems = Vec::new();
    for system in project
        .systems
        .iter()
        .filter(|s| shows_in(&s.scopes, scope) && s.in_model(model))
    {
        // The manager in the page's model: a partner's page names the partner's.
        let managed_by = system
            .manager_in(model)
            .map(|m| m.value)
            .unwrap_or_default();
        let manager = project.party(&managed_by).map(|party| Link {
            name: party.name.value.clone(),
            href: env.url(&urls::party(&party.id.value)),
        });
        let name_html = env.inline(&system.name.value, system.name.span);
        let description_html = system
            .description
            .as_ref()
            .map(|d| env.inline(&d.value, d.span));
        let party_class = project
            .parties
            .iter()
            .position(|p| p.id.value == managed_by)
            .map(crate::diagrams::style::party_class)
            .unwrap_or_default();
        systems.push(SystemView {
            name_html,
            manager,
            managed_by,
            description_html,
            party_class,
        });
    }
    SystemsView { figure, systems }
}

/// `partials/flow.html`: a flow's steps as an ordered list, with its drawing.
#[derive(Debug, Serialize)]
pub(crate) struct FlowView {
    pub(crate) title: String,
    /// Id of the flow's heading on a scope page (unused by the partial itself).
    pub(crate) heading_id: String,
    pub(crate) description_html: Option<String>,
    /// The flow's `summary:` bullets, inline Markdown rendered; empty when it has none.
    pub(crate) summary_html: Vec<String>,
    pub(crate) figure: Option<FigureView>,
    pub(crate) steps: Vec<StepView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepView {
    pub(crate) id: String,
    /// `start`, `step`, `decision` or `end`.
    pub(crate) kind: &'static str,
    /// Name of the step's lane (its own name, else its party's).
    pub(crate) lane: String,
    pub(crate) text_html: String,
    /// The step's task on this scope's page, when the page has it.
    pub(crate) task: Option<Link>,
    /// A decision's ways out: label and the text of the step it leads to.
    pub(crate) branches: Vec<BranchView>,
    /// The conditions under which the step is taken; empty when it always is.
    pub(crate) when: Vec<ConditionView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BranchView {
    pub(crate) label: String,
    pub(crate) target: String,
}

/// A flow's steps, lane by lane; decisions list their ways out. `heading_id` is the id
/// the caller gave the flow's heading, if any.
pub(crate) fn flow(env: &mut PageEnv<'_>, flow: &Flow, heading_id: String) -> FlowView {
    let project = env.data.project;
    let description_html = flow
        .description
        .as_ref()
        .map(|d| env.inline(&d.value, d.span));
    let summary_html = flow
        .summary
        .iter()
        .map(|line| env.inline(&line.value, line.span))
        .collect();
    let figure = flow_figure(env, flow);
    let anchor = env.data.flow_anchor(flow);
    let mut steps = Vec::new();
    for step in &flow.steps {
        let lane = flow.lanes.iter().find(|l| l.id.value == step.lane.value);
        let lane_name = lane
            .and_then(|l| {
                l.name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .or_else(|| project.party(&l.party.value).map(|p| p.name.value.clone()))
            })
            .unwrap_or_else(|| step.lane.value.clone());
        let id = env.id(&format!("step-{anchor}-{}", step.id.value));
        let kind = match step.kind {
            StepKind::Start => "start",
            StepKind::Step => "step",
            StepKind::Decision => "decision",
            StepKind::End => "end",
        };
        let text_html = env.inline(&step.text.value, step.text.span);
        // Link the step to its task's row on the scope page of the flow's model,
        // when that page has it.
        let task = match (&step.task, env.scope) {
            (Some(task), Some(scope)) => env
                .data
                .scope_index(scope)
                .and_then(|scope| env.data.matrix(flow.model, scope))
                .and_then(|matrix| {
                    let row = matrix.rows().find(|r| r.task.id.value == task.value)?;
                    Some(Link {
                        name: row.task.title.value.clone(),
                        href: format!(
                            "{}#{}",
                            env.url(&env.data.matrix_path(matrix)),
                            urls::task_anchor(&task.value)
                        ),
                    })
                }),
            _ => None,
        };
        let branches = step
            .branches
            .iter()
            .map(|branch| BranchView {
                label: branch.label.value.clone(),
                target: flow
                    .steps
                    .iter()
                    .find(|s| s.id.value == branch.to.value)
                    .map_or_else(|| branch.to.value.clone(), |s| s.text.value.clone()),
            })
            .collect();
        steps.push(StepView {
            id,
            kind,
            lane: lane_name,
            text_html,
            task,
            branches,
            when: conditions_of(env.data.project, &step.when),
        });
    }
    FlowView {
        title: flow.title.value.clone(),
        heading_id,
        description_html,
        summary_html,
        figure,
        steps,
    }
}

/// The references of a task row, each linked to its control on its framework's page.
/// References that are not well formed or name no framework are left out: the check
/// reports them.
pub(crate) fn row_controls(env: &PageEnv<'_>, task: &crate::model::Task) -> Vec<Link> {
    let project = env.data.project;
    task.controls
        .iter()
        .filter_map(|reference| {
            let (framework, control) = crate::model::split_reference(&reference.value)?;
            if crate::model::control_problem(control).is_some() {
                return None;
            }
            let framework = project.framework(framework)?;
            Some(Link {
                name: reference.value.clone(),
                href: format!(
                    "{}#{}",
                    env.url(&urls::framework(&framework.id.value)),
                    urls::control_anchor(control)
                ),
            })
        })
        .collect()
}

/// A view with nothing in it, for partials that need only `letters`.
#[derive(Debug, Serialize)]
pub(crate) struct Empty {}
