//! A party's duties in one deployment (`partials/duties.html`, the party pages and the
//! `party_duties()` shortcode): each task once, grouped by the set of letters the party
//! holds, in RASCI order of the sets.

use super::env::PageEnv;
use super::letters::LetterView;
use super::views::Link;
use crate::model::{Letter, LetterSet, Party};
use crate::plan::urls;
use crate::resolve::Matrix;
use serde::Serialize;

/// `partials/duties.html`: what a party does in one scope, each task once, grouped
/// by the letters the party holds in it.
#[derive(Debug, Serialize)]
pub(crate) struct DutiesView {
    pub(crate) party_name: String,
    pub(crate) scope_name: String,
    /// The operating model's name; `None` in a project without models.
    pub(crate) model_name: Option<String>,
    /// Level of the groups' headings, below the heading the partial is placed under.
    pub(crate) level: u8,
    /// One group per distinct set of letters the party holds, in RASCI order of the sets
    /// (see [`letter_set_order`]).
    pub(crate) groups: Vec<DutyGroup>,
}

/// The tasks in which a party holds exactly the same letters.
#[derive(Debug, Serialize)]
pub(crate) struct DutyGroup {
    /// The letters, in RASCI order; the template names the group after them.
    pub(crate) letters: Vec<LetterView>,
    /// The tasks, in table order, linked to their rows on the scope page.
    pub(crate) tasks: Vec<Link>,
    /// Beside `tasks`: the note of the party's cell, or else of the task, rendered.
    pub(crate) notes: Vec<Option<String>>,
}

/// The sort key of a set of letters: its letters in RASCI order, compared
/// lexicographically, so `R` < `R, A` < `A` < `A, C` < `I`. A fixed order, so a party's
/// page reads the same way in every scope.
pub(crate) fn letter_set_order(letters: LetterSet) -> Vec<Letter> {
    letters.iter().collect()
}

/// A party's tasks in one matrix, each once, under the set of letters it holds there.
/// `scope_page` is the site path of the page holding the matrix's rows.
pub(crate) fn duties(
    env: &mut PageEnv<'_>,
    party: &Party,
    matrix: &Matrix<'_>,
    scope_page: &str,
    level: u8,
) -> DutiesView {
    let project = env.data.project;
    let index = project
        .parties
        .iter()
        .position(|p| p.id.value == party.id.value);
    let mut groups: Vec<(LetterSet, Vec<Link>, Vec<Option<String>>)> = Vec::new();
    for row in matrix.rows() {
        let Some(index) = index else { break };
        let letters = row.letters(index);
        if letters.is_empty() {
            continue;
        }
        let link = Link {
            name: row.task.title.value.clone(),
            href: format!(
                "{}#{}",
                env.url(scope_page),
                urls::task_anchor(&row.task.id.value)
            ),
        };
        let note = row.cells[index]
            .and_then(|cell| cell.note.as_ref())
            .or(row.task.note.as_ref())
            .map(|note| env.inline(&note.value, note.span));
        match groups.iter_mut().find(|(set, _, _)| *set == letters) {
            Some((_, tasks, notes)) => {
                tasks.push(link);
                notes.push(note);
            }
            None => groups.push((letters, vec![link], vec![note])),
        }
    }
    groups.sort_by_key(|(set, _, _)| letter_set_order(*set));
    DutiesView {
        party_name: party.name.value.clone(),
        scope_name: matrix.scope.name.value.clone(),
        model_name: None,
        level,
        groups: groups
            .into_iter()
            .map(|(set, tasks, notes)| DutyGroup {
                letters: LetterView::set(set),
                tasks,
                notes,
            })
            .collect(),
    }
}
