//! Resolve: one [`Matrix`] per operating model and scope, with the model's sections in
//! the scope's order, each task's per-scope overrides applied, and the tasks that do not
//! apply in the scope left out. Every later stage (checks, pages, exports) reads
//! matrices, so what a scope shows is decided here once.

use crate::model::{Cell, LetterSet, ModelIx, Project, Scope, ScopeIx, Section, Task};
use std::collections::{HashMap, HashSet};

/// What one scope shows in one model.
#[derive(Debug)]
pub struct Matrix<'p> {
    /// Index into `Project::models`.
    pub model: ModelIx,
    pub scope: &'p Scope,
    /// Index of `scope` into `Project::scopes`.
    pub scope_index: ScopeIx,
    /// The model's parties (project party indices) in column order: what a table shows.
    pub parties: Vec<usize>,
    pub sections: Vec<MatrixSection<'p>>,
}

#[derive(Debug)]
pub struct MatrixSection<'p> {
    pub section: &'p Section,
    pub(crate) rows: Vec<Row<'p>>,
}

/// A task as one scope shows it.
#[derive(Debug)]
pub struct Row<'p> {
    pub task: &'p Task,
    /// One entry per party of the project (not of the model), in the project's party
    /// order: the cell in force, if any; `None` for every party outside the model, so
    /// indices never mix the two orders. Tables iterate [`Matrix::parties`].
    pub cells: Vec<Option<&'p Cell>>,
}

impl Row<'_> {
    pub fn letters(&self, party: usize) -> LetterSet {
        self.cells[party].map(|c| c.letters).unwrap_or_default()
    }

    /// The parties (by index) that hold `letter` here, with the cell that gives it.
    pub(crate) fn holders(&self, letter: crate::model::Letter) -> Vec<(usize, &Cell)> {
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
    pub(crate) fn row_count(&self) -> usize {
        self.sections.iter().map(|s| s.rows.len()).sum()
    }
}

/// One matrix per model and scope: for each model in order, each of its scopes in the
/// model's order. Unknown section ids and parties (and parties outside the task's model)
/// are skipped here; the reference checks report them.
pub fn resolve(project: &Project) -> Vec<Matrix<'_>> {
    let resolver = Resolver::new(project);
    project
        .models()
        .flat_map(|(model, m)| m.scopes.iter().map(move |&scope| (model, scope)))
        .map(|(model, scope)| resolver.matrix(model, scope))
        .collect()
}

/// Lookups shared by all scopes: a task's own cells are placed by party once, and each
/// scope only applies its overrides on top. Keeps resolution linear in the number of
/// cells rather than in tasks × parties × cells.
struct Resolver<'p> {
    project: &'p Project,
    party_index: HashMap<&'p str, usize>,
    /// (model, section id) → index into `project.sections`: section ids are per model.
    section_index: HashMap<(ModelIx, &'p str), usize>,
    /// Per model, per project party: whether the party takes part in the model.
    member: Vec<Vec<bool>>,
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
            section_index
                .entry((section.model, section.id.as_str()))
                .or_insert(i);
        }
        let member = project
            .models
            .iter()
            .map(|model| {
                let mut member = vec![false; project.parties.len()];
                for &party in &model.parties {
                    member[party] = true;
                }
                member
            })
            .collect();
        let mut resolver = Resolver {
            project,
            party_index,
            section_index,
            member,
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
                        resolver.place(section.model, &mut cells, &task.cells);
                        cells
                    })
                    .collect()
            })
            .collect();
        resolver
    }

    /// Puts each cell in its party's slot; a later cell for the same party wins. Cells of
    /// parties outside `model` are left out.
    fn place(&self, model: ModelIx, slots: &mut [Option<&'p Cell>], cells: &'p [Cell]) {
        let Some(member) = self.member.get(model.0) else {
            return;
        };
        for cell in cells {
            if let Some(&i) = self.party_index.get(cell.party.as_str())
                && member[i]
            {
                slots[i] = Some(cell);
            }
        }
    }

    fn matrix(&self, model: ModelIx, scope_index: ScopeIx) -> Matrix<'p> {
        let scope = self.project.scope_at(scope_index);
        let definition = self.project.model_at(model);
        // A section listed twice is shown once, at its first place (the repeat is
        // `ref/duplicate-id`'s finding), so no task appears twice in a table.
        let mut shown = HashSet::new();
        let sections = definition
            .section_ids(scope)
            .iter()
            .filter_map(|id| self.section_index.get(&(model, id.as_str())).copied())
            .filter(|index| shown.insert(*index))
            .map(|index| {
                let section = &self.project.sections[index];
                let rows = section
                    .tasks
                    .iter()
                    .zip(&self.base[index])
                    .filter(|(task, _)| task.applies_in(&scope.id.value))
                    .map(|(task, base)| {
                        let mut cells = base.clone();
                        for (id, overrides) in &task.scope_cells {
                            if id.value == scope.id.value {
                                self.place(model, &mut cells, overrides);
                            }
                        }
                        Row { task, cells }
                    })
                    .collect();
                MatrixSection { section, rows }
            })
            .collect();
        Matrix {
            model,
            scope,
            scope_index,
            parties: definition.parties.clone(),
            sections,
        }
    }
}
