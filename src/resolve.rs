//! Resolve: one [`Matrix`] per scope, with its sections in the scope's order and each
//! task's per-scope overrides applied. Every later stage (checks, pages, exports) reads
//! matrices, so what a scope shows is decided here once.

use crate::model::{Cell, LetterSet, Party, Project, Scope, Section, Task};

/// What one scope shows.
#[derive(Debug)]
pub struct Matrix<'p> {
    pub scope: &'p Scope,
    pub sections: Vec<MatrixSection<'p>>,
}

#[derive(Debug)]
pub struct MatrixSection<'p> {
    pub section: &'p Section,
    pub rows: Vec<Row<'p>>,
}

/// A task as one scope shows it.
#[derive(Debug)]
pub struct Row<'p> {
    pub task: &'p Task,
    /// One entry per party of the project, in party order: the cell in force, if any.
    pub cells: Vec<Option<&'p Cell>>,
}

impl Row<'_> {
    pub fn letters(&self, party: usize) -> LetterSet {
        self.cells[party].map(|c| c.letters).unwrap_or_default()
    }

    /// The parties (by index) that hold `letter` here, with the cell that gives it.
    pub fn holders(&self, letter: crate::model::Letter) -> Vec<(usize, &Cell)> {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.filter(|c| c.letters.contains(letter)).map(|c| (i, c)))
            .collect()
    }
}

impl<'p> Matrix<'p> {
    pub fn rows(&self) -> impl Iterator<Item = &Row<'p>> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }
    pub fn row_count(&self) -> usize {
        self.sections.iter().map(|s| s.rows.len()).sum()
    }
}

/// One matrix per scope, in scope order. Unknown section ids and parties are skipped here;
/// the reference checks report them.
pub fn resolve(project: &Project) -> Vec<Matrix<'_>> {
    project
        .scopes
        .iter()
        .map(|scope| resolve_scope(project, scope))
        .collect()
}

pub fn resolve_scope<'p>(project: &'p Project, scope: &'p Scope) -> Matrix<'p> {
    let sections = scope
        .sections
        .iter()
        .filter_map(|id| project.section(&id.value))
        .map(|section| MatrixSection {
            section,
            rows: section
                .tasks
                .iter()
                .map(|task| row(&project.parties, scope, task))
                .collect(),
        })
        .collect();
    Matrix { scope, sections }
}

fn row<'p>(parties: &[Party], scope: &Scope, task: &'p Task) -> Row<'p> {
    let overrides: Vec<&Cell> = task
        .scope_cells
        .iter()
        .filter(|(id, _)| id.value == scope.id.value)
        .flat_map(|(_, cells)| cells.iter())
        .collect();
    let cells = parties
        .iter()
        .map(|party| {
            let is_party = |c: &&Cell| c.party.value == party.id.value;
            overrides
                .iter()
                .copied()
                .rfind(is_party)
                .or_else(|| task.cells.iter().rfind(is_party))
        })
        .collect();
    Row { task, cells }
}
