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

/// How the tasks of two operating models pair: by equal id first, then by a `same_as:`
/// key either side writes (naming the other model's task). The one pairing the
/// comparison pages and the check share, so a pair the check accepts is the pair the
/// site shows. Indices are into the two task lists given to [`pair_tasks`].
#[derive(Debug, Default)]
pub(crate) struct TaskPairs {
    /// `[first, second]`, in the first list's order.
    pub(crate) both: Vec<[usize; 2]>,
    /// Tasks of the first list without a partner, in order.
    pub(crate) only_first: Vec<usize>,
    /// Tasks of the second list without a partner, in order.
    pub(crate) only_second: Vec<usize>,
    /// Keys that would pair a task a second time; the first pairing stands.
    pub(crate) twice: Vec<PairedTwice>,
}

/// A task one key would pair with a second task: `task` (of the list `side`, 0 or 1) is
/// paired with `kept` of the other list, and `key` (a `same_as:` written on `writer`)
/// claims it for `claimant` as well.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairedTwice {
    pub(crate) side: usize,
    pub(crate) task: usize,
    pub(crate) kept: usize,
    pub(crate) claimant: usize,
    /// The side of the task that wrote the key.
    pub(crate) writer_side: usize,
}

/// Pairs two models' tasks (see [`TaskPairs`]). Linear in the number of tasks: ids and
/// keys are looked up in hash maps.
pub(crate) fn pair_tasks(lists: [&[&Task]; 2]) -> TaskPairs {
    let by_id = lists.map(|tasks| {
        let mut map: HashMap<&str, usize> = HashMap::new();
        for (i, task) in tasks.iter().enumerate() {
            map.entry(task.id.as_str()).or_insert(i);
        }
        map
    });
    let mut partner: [Vec<Option<usize>>; 2] = lists.map(|tasks| vec![None; tasks.len()]);
    for (i, task) in lists[0].iter().enumerate() {
        if let Some(&j) = by_id[1].get(task.id.as_str()) {
            partner[0][i] = Some(j);
            partner[1][j] = Some(i);
        }
    }
    let mut twice = Vec::new();
    for side in 0..2 {
        let other = 1 - side;
        for (i, task) in lists[side].iter().enumerate() {
            let Some(key) = &task.same_as else { continue };
            let Some(&j) = by_id[other].get(key.as_str()) else {
                continue;
            };
            match (partner[side][i], partner[other][j]) {
                (None, None) => {
                    partner[side][i] = Some(j);
                    partner[other][j] = Some(i);
                }
                // Both sides wrote the key, or it names the task of the same id.
                (Some(have), _) if have == j => {}
                // `kept` is not `i`: pairings are kept on both sides alike.
                (_, Some(kept)) => twice.push(PairedTwice {
                    side: other,
                    task: j,
                    kept,
                    claimant: i,
                    writer_side: side,
                }),
                (Some(kept), None) => twice.push(PairedTwice {
                    side,
                    task: i,
                    kept,
                    claimant: j,
                    writer_side: side,
                }),
            }
        }
    }
    let mut pairs = TaskPairs {
        twice,
        ..TaskPairs::default()
    };
    for (i, partner) in partner[0].iter().enumerate() {
        match partner {
            Some(j) => pairs.both.push([i, *j]),
            None => pairs.only_first.push(i),
        }
    }
    pairs.only_second = (0..lists[1].len())
        .filter(|&j| partner[1][j].is_none())
        .collect();
    pairs
}

/// The parties of two models that stand in one place, `[first, second]`: a party both
/// take part in stands for itself, and a model's `stands_for:` pairs one of its parties
/// with the other model's. A party with no counterpart is paired with `None`. First
/// model's parties in its column order, then the second's that are left.
pub(crate) fn party_pairs(project: &Project, models: [ModelIx; 2]) -> Vec<[Option<usize>; 2]> {
    let [first, second] = models.map(|m| project.model_at(m));
    let index = |id: &str| project.parties.iter().position(|p| p.id.value == id);
    // (own party, other party) as each model writes it.
    let written = |model: &crate::model::Model| -> Vec<(usize, usize)> {
        model
            .def
            .iter()
            .flat_map(|def| def.stands_for.iter())
            .filter_map(|(own, other)| Some((index(own.as_str())?, index(other.as_str())?)))
            .collect()
    };
    let (from_first, from_second) = (written(first), written(second));
    let mut taken = vec![false; project.parties.len()];
    let mut pairs = Vec::new();
    for &p in &first.parties {
        let counterpart = if second.has_party(p) {
            Some(p)
        } else {
            from_first
                .iter()
                .find(|&&(own, other)| own == p && second.has_party(other))
                .map(|&(_, other)| other)
                .or_else(|| {
                    from_second
                        .iter()
                        .find(|&&(own, other)| other == p && second.has_party(own))
                        .map(|&(own, _)| own)
                })
        }
        .filter(|&q| !taken[q]);
        if let Some(q) = counterpart {
            taken[q] = true;
        }
        pairs.push([Some(p), counterpart]);
    }
    pairs.extend(
        second
            .parties
            .iter()
            .filter(|&&q| !taken[q])
            .map(|&q| [None, Some(q)]),
    );
    pairs
}

/// The party pairs of [`party_pairs`] whose letters differ between two rows of one
/// task: a party without a counterpart holds no letters on the other side.
pub(crate) fn changed_parties(
    pairs: &[[Option<usize>; 2]],
    rows: [&Row<'_>; 2],
) -> Vec<[Option<usize>; 2]> {
    let letters =
        |row: &Row<'_>, party: Option<usize>| party.map(|p| row.letters(p)).unwrap_or_default();
    pairs
        .iter()
        .copied()
        .filter(|&[a, b]| letters(rows[0], a) != letters(rows[1], b))
        .collect()
}
