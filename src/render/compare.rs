//! The comparison pages: every scope's letters side by side (per operating model),
//! and two operating models side by side for one scope.

use super::env::PageEnv;
use super::letters::LetterView;
use super::out::{PageOut, toc_of};
use super::page_views as views;
use super::templates::RenderError;
use super::views::Link;
use crate::model::{ModelIx, ScopeIx};
use crate::plan::urls;

const COMPARE: &str = "pages/compare.html";
const COMPARE_MODELS: &str = "pages/compare_models.html";

/// Every scope's letters side by side, in one operating model.
pub(crate) fn compare(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    model: ModelIx,
) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    let def = project.model_at(model);
    let matrices: Vec<&crate::resolve::Matrix<'_>> = def
        .scopes
        .iter()
        .filter_map(|&scope| data.matrix(model, scope))
        .collect();
    // Tasks in order of first appearance across the scopes, each with the section
    // it is listed under (a task belongs to one section, whatever the scope).
    let mut tasks: Vec<(&str, &str, usize)> = Vec::new();
    let mut sections: Vec<&crate::model::Section> = Vec::new();
    for matrix in &matrices {
        for part in &matrix.sections {
            let section = match sections
                .iter()
                .position(|s| s.id.value == part.section.id.value)
            {
                Some(at) => at,
                None => {
                    sections.push(part.section);
                    sections.len() - 1
                }
            };
            for row in &part.rows {
                if !tasks.iter().any(|(id, ..)| *id == row.task.id.value) {
                    tasks.push((&row.task.id.value, &row.task.title.value, section));
                }
            }
        }
    }
    let table_id = env.id("side-by-side");
    let mut section_views: Vec<views::CompareSection> = sections
        .iter()
        .map(|section| views::CompareSection {
            title: section.title.as_ref().map(|t| t.value.clone()),
            heading_id: env.id(&format!("compare-{}", section.id.value)),
            rows: Vec::new(),
        })
        .collect();
    let mut differ_count = 0;
    let mut only_count = 0;
    let mut rows = Vec::new();
    for (task, title, section) in &tasks {
        let found: Vec<Option<&crate::resolve::Row<'_>>> = matrices
            .iter()
            .map(|m| m.rows().find(|r| r.task.id.value == *task))
            .collect();
        // Sets decide whether scopes differ: "A, R" and "R, A" give the same roles.
        let cells: Vec<Option<Vec<crate::model::LetterSet>>> = found
            .iter()
            .map(|row| row.map(|r| def.parties.iter().map(|&i| r.letters(i)).collect()))
            .collect();
        let present: Vec<&Vec<crate::model::LetterSet>> = cells.iter().flatten().collect();
        let status = if present.len() < cells.len() {
            only_count += 1;
            "only"
        } else if present.windows(2).any(|w| w[0] != w[1]) {
            differ_count += 1;
            "differs"
        } else {
            "same"
        };
        let row = views::CompareRow {
            title: title.to_string(),
            status,
            present_in: matrices
                .iter()
                .zip(&cells)
                .filter(|(_, c)| c.is_some())
                .map(|(m, _)| m.scope.name.value.clone())
                .collect(),
            cells: found
                .iter()
                .zip(&matrices)
                .map(|(row, matrix)| views::CompareCell {
                    scope_name: matrix.scope.name.value.clone(),
                    letters: row.map(|row| {
                        let order = project.config.matrix.letter_order;
                        def.parties
                            .iter()
                            .map(|&i| LetterView::cell(row.cells[i], order))
                            .collect()
                    }),
                    notes: row.map_or_else(Vec::new, |row| {
                        def.parties
                            .iter()
                            .map(|&i| row.cells[i].and_then(|c| c.note.as_ref()))
                            .map(|note| note.map(|n| env.inline(&n.value, n.span)))
                            .collect()
                    }),
                })
                .collect(),
            note_html: found
                .iter()
                .flatten()
                .next()
                .and_then(|row| row.task.note.as_ref())
                .map(|note| env.inline(&note.value, note.span)),
        };
        section_views[*section].rows.push(row.clone());
        rows.push(row);
    }
    let legend_id = env.id("legend");
    let mut view = views::CompareView {
        description: String::new(),
        model_name: def.name().map(str::to_string),
        scopes: matrices
            .iter()
            .map(|matrix| Link {
                name: matrix.scope.name.value.clone(),
                href: env.url(&data.matrix_path(matrix)),
            })
            .collect(),
        parties: def
            .parties
            .iter()
            .map(|&p| project.parties[p].name.value.clone())
            .collect(),
        party_count: def.parties.len(),
        task_count: tasks.len(),
        only_count,
        differ_count,
        table_id,
        legend_id,
        rows,
        sections: section_views,
    };
    out.title = Some(env.theme.render_text(COMPARE, "title", &view)?);
    out.description = env.theme.render_text(COMPARE, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(COMPARE, "body", &view)?;
    let mut ids: Vec<&str> = vec![&view.table_id];
    ids.extend(view.sections.iter().map(|s| s.heading_id.as_str()));
    ids.push(&view.legend_id);
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

/// The letters of one row for the given parties, as the templates show them (in the
/// config's letter order).
fn row_letters(
    row: &crate::resolve::Row<'_>,
    parties: &[usize],
    order: crate::config::LetterOrder,
) -> Vec<Vec<LetterView>> {
    parties
        .iter()
        .map(|&p| LetterView::cell(row.cells[p], order))
        .collect()
}

/// The notes of one row's cells for the given parties, rendered, in column order.
fn row_notes(
    env: &mut PageEnv<'_>,
    row: &crate::resolve::Row<'_>,
    parties: &[usize],
) -> Vec<Option<String>> {
    parties
        .iter()
        .map(|&p| row.cells[p].and_then(|c| c.note.as_ref()))
        .map(|note| note.map(|n| env.inline(&n.value, n.span)))
        .collect()
}

/// Two operating models side by side for one scope: the tasks both have (paired by
/// id, then by `same_as:`, as `resolve::pair_tasks` pairs them for the check too) with
/// their letters next to each other and the corresponding parties whose letters changed,
/// then the tasks only one of them has. Rows a model's scope does not show (a task's `scopes:`
/// leaving it out) are not in its matrix, so they are in no list here either.
pub(crate) fn compare_models(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    scope: ScopeIx,
    pair: [ModelIx; 2],
) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    let [first, second] = pair.map(|model| {
        data.matrix(model, scope).ok_or_else(|| {
            RenderError::other(format!(
                "no table of `{}` was resolved",
                project.scope_at(scope).id.value
            ))
        })
    });
    let (first, second) = (first?, second?);
    let column = |env: &PageEnv<'_>, matrix: &crate::resolve::Matrix<'_>| views::ModelColumn {
        name: project
            .model_at(matrix.model)
            .name()
            .unwrap_or_default()
            .to_string(),
        href: env.url(&data.matrix_path(matrix)),
        parties: matrix
            .parties
            .iter()
            .map(|&p| Link {
                name: project.parties[p].name.value.clone(),
                href: env.url(&urls::party(&project.parties[p].id.value)),
            })
            .collect(),
    };
    let link = |env: &PageEnv<'_>, matrix: &crate::resolve::Matrix<'_>, task: &str| {
        format!(
            "{}#{}",
            env.url(&data.matrix_path(matrix)),
            urls::task_anchor(task)
        )
    };
    let order = project.config.matrix.letter_order;
    let rows: [Vec<&crate::resolve::Row<'_>>; 2] =
        [first.rows().collect(), second.rows().collect()];
    let tasks = rows
        .each_ref()
        .map(|rows| rows.iter().map(|r| r.task).collect::<Vec<_>>());
    let pairs = crate::resolve::pair_tasks([&tasks[0], &tasks[1]]);
    let parties = crate::resolve::party_pairs(project, pair);
    let side = |party: Option<usize>, row: &crate::resolve::Row<'_>| {
        party.map(|p| views::ChangeSide {
            party: project.parties[p].name.value.clone(),
            letters: LetterView::cell(row.cells[p], order),
        })
    };
    let mut both: Vec<views::BothRow> = Vec::with_capacity(pairs.both.len());
    for &[i, j] in &pairs.both {
        let (row, other) = (rows[0][i], rows[1][j]);
        // Letters differ only where a party and its counterpart hold different ones.
        let changes: Vec<views::PartyChange> =
            crate::resolve::changed_parties(&parties, [row, other])
                .into_iter()
                .map(|[a, b]| views::PartyChange {
                    first: side(a, row),
                    second: side(b, other),
                })
                .collect();
        let mut task_notes: Vec<String> = [row, other]
            .iter()
            .filter_map(|r| r.task.note.as_ref())
            .map(|n| env.inline(&n.value, n.span))
            .collect();
        task_notes.dedup();
        let first_notes = row_notes(env, row, &first.parties);
        let second_notes = row_notes(env, other, &second.parties);
        both.push(views::BothRow {
            title: row.task.title.value.clone(),
            first_href: link(env, first, &row.task.id.value),
            second_href: link(env, second, &other.task.id.value),
            same: changes.is_empty(),
            changes,
            first: row_letters(row, &first.parties, order),
            second: row_letters(other, &second.parties, order),
            task_notes,
            first_notes,
            second_notes,
        });
    }
    let only = |env: &mut PageEnv<'_>,
                matrix: &crate::resolve::Matrix<'_>,
                at: &[usize],
                rows: &[&crate::resolve::Row<'_>]| {
        at.iter()
            .map(|&i| views::OnlyRow {
                title: rows[i].task.title.value.clone(),
                href: link(env, matrix, &rows[i].task.id.value),
                letters: row_letters(rows[i], &matrix.parties, order),
                note_html: rows[i]
                    .task
                    .note
                    .as_ref()
                    .map(|n| env.inline(&n.value, n.span)),
                notes: row_notes(env, rows[i], &matrix.parties),
            })
            .collect::<Vec<_>>()
    };
    let only_first = only(env, first, &pairs.only_first, &rows[0]);
    let only_second = only(env, second, &pairs.only_second, &rows[1]);
    let model_id = |m: ModelIx| project.model_at(m).id().unwrap_or_default();
    let both_id = env.id("in-both");
    let only = vec![
        views::OnlySection {
            id: env.id(&format!("only-{}", model_id(pair[0]))),
            part: "first",
            model: column(env, first),
            rows: only_first,
        },
        views::OnlySection {
            id: env.id(&format!("only-{}", model_id(pair[1]))),
            part: "second",
            model: column(env, second),
            rows: only_second,
        },
    ];
    let mut view = views::CompareModelsView {
        description: String::new(),
        scope_name: project.scope_at(scope).name.value.clone(),
        first: column(env, first),
        second: column(env, second),
        both_id,
        legend_id: env.id("legend"),
        differ_count: both.iter().filter(|r| !r.same).count(),
        both,
        only,
    };
    out.title = Some(env.theme.render_text(COMPARE_MODELS, "title", &view)?);
    out.description = env
        .theme
        .render_text(COMPARE_MODELS, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(COMPARE_MODELS, "body", &view)?;
    let mut ids: Vec<&str> = vec![&view.both_id];
    ids.extend(view.only.iter().map(|o| o.id.as_str()));
    ids.push(&view.legend_id);
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}
