//! Resolve: one [`Matrix`] per scope, with its sections in the scope's order and each
//! task's per-scope overrides applied. Every later stage (checks, pages, exports) reads
//! matrices, so what a scope shows is decided here once.

use crate::model::{Cell, LetterSet, Project, Scope, Section, Task};
use std::collections::HashMap;

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
    let resolver = Resolver::new(project);
    project
        .scopes
        .iter()
        .map(|scope| resolver.matrix(scope))
        .collect()
}

/// The matrix of one scope.
pub fn resolve_scope<'p>(project: &'p Project, scope: &'p Scope) -> Matrix<'p> {
    Resolver::new(project).matrix(scope)
}

/// Lookups shared by all scopes: a task's own cells are placed by party once, and each
/// scope only applies its overrides on top. Keeps resolution linear in the number of
/// cells rather than in tasks × parties × cells.
struct Resolver<'p> {
    project: &'p Project,
    party_index: HashMap<&'p str, usize>,
    section_index: HashMap<&'p str, usize>,
    /// Per section, per task: the task's own cell for each party.
    base: Vec<Vec<Vec<Option<&'p Cell>>>>,
}

impl<'p> Resolver<'p> {
    fn new(project: &'p Project) -> Self {
        let mut party_index = HashMap::new();
        for (i, party) in project.parties.iter().enumerate() {
            party_index.entry(party.id.as_str()).or_insert(i);
        }
        let mut section_index = HashMap::new();
        for (i, section) in project.sections.iter().enumerate() {
            section_index.entry(section.id.as_str()).or_insert(i);
        }
        let mut resolver = Resolver {
            project,
            party_index,
            section_index,
            base: Vec::new(),
        };
        resolver.base = project
            .sections
            .iter()
            .map(|section| {
                section
                    .tasks
                    .iter()
                    .map(|task| {
                        let mut cells = vec![None; project.parties.len()];
                        resolver.place(&mut cells, &task.cells);
                        cells
                    })
                    .collect()
            })
            .collect();
        resolver
    }

    /// Puts each cell in its party's slot; a later cell for the same party wins.
    fn place(&self, slots: &mut [Option<&'p Cell>], cells: &'p [Cell]) {
        for cell in cells {
            if let Some(&i) = self.party_index.get(cell.party.as_str()) {
                slots[i] = Some(cell);
            }
        }
    }

    fn matrix(&self, scope: &'p Scope) -> Matrix<'p> {
        let sections = scope
            .sections
            .iter()
            .filter_map(|id| self.section_index.get(id.as_str()).copied())
            .map(|index| {
                let section = &self.project.sections[index];
                let rows = section
                    .tasks
                    .iter()
                    .zip(&self.base[index])
                    .map(|(task, base)| {
                        let mut cells = base.clone();
                        for (id, overrides) in &task.scope_cells {
                            if id.value == scope.id.value {
                                self.place(&mut cells, overrides);
                            }
                        }
                        Row { task, cells }
                    })
                    .collect();
                MatrixSection { section, rows }
            })
            .collect();
        Matrix { scope, sections }
    }
}
