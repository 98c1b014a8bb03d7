//! `rasci diff`: what changed in the matrices between two versions of a project.
//!
//! Each side is a project folder, or a git revision of the project whose files are
//! read into a temporary folder (`git`). Both sides run the pipeline's load and check
//! stages, and their resolved matrices are compared scope by scope, by task id: a review
//! asks "who became Accountable for what", which a line diff of the YAML does not show
//! (a section's tasks may move, an override may take away what the task grants).
//!
//! A side whose changed files do not load is an error naming that side, never a diff:
//! comparing half-read data would report changes nobody made.

pub(crate) mod format;
pub(crate) mod git;

use crate::diagnostic::{Findings, Severity};
use crate::load::Loaded;
use crate::load::files::LoadError;
use crate::model::{LetterSet, Project};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The version of the JSON output; raised when a field changes meaning or goes away.
pub(crate) const JSON_VERSION: u32 = 1;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Side {
    /// A project folder as it is on disk (the working tree, or any folder).
    Folder(PathBuf),
    /// The project root itself, as `NEW` is when not given.
    WorkingTree(PathBuf),
    /// A git revision of the repository holding the project root.
    Revision(String),
}

impl Side {
    /// How the side is named in the output and in errors.
    pub(crate) fn label(&self) -> String {
        match self {
            Side::Folder(path) => path.display().to_string(),
            Side::WorkingTree(_) => "working tree".to_owned(),
            Side::Revision(rev) => rev.clone(),
        }
    }
}

/// Why there is no diff.
#[derive(Debug)]
pub(crate) enum DiffError {
    /// The revision could not be read from git.
    Revision { side: String, message: String },
    /// The side is not a project at all, or a file of it cannot be read.
    Load { side: String, error: LoadError },
    /// Files that differ between the sides do not load on this side; `report` holds the
    /// findings as the human report renders them.
    Broken {
        side: String,
        files: Vec<String>,
        report: String,
    },
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffError::Revision { side, message } => {
                write!(f, "cannot read revision `{side}`: {message}")
            }
            DiffError::Load { side, error } => write!(f, "`{side}` does not load: {error}"),
            DiffError::Broken {
                side,
                files,
                report,
            } => {
                let names = if files.is_empty() {
                    "the project".to_owned()
                } else {
                    files.join(", ")
                };
                write!(f, "`{side}` does not load ({names} has errors):\n{report}")
            }
        }
    }
}

impl std::error::Error for DiffError {}

/// A party or a scope, as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Named {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// What was added, what was removed, and what was renamed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct AddedRemoved {
    pub(crate) added: Vec<Named>,
    pub(crate) removed: Vec<Named>,
    /// Parties whose id changed, the new one listing the old under `aliases:`: one
    /// party renamed, not one removed and another added. Left out of JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) renamed: Vec<Renamed>,
}

impl AddedRemoved {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.renamed.is_empty()
    }
}

/// A party under its old id and name and its new ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Renamed {
    pub(crate) old: Named,
    pub(crate) new: Named,
}

/// The letters one party holds in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PartyLetters {
    pub(crate) party: String,
    pub(crate) letters: String,
}

/// A task added to or removed from a matrix, with the letters it has there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaskEntry {
    pub(crate) task: String,
    pub(crate) title: String,
    pub(crate) section: String,
    pub(crate) letters: Vec<PartyLetters>,
}

/// A task shown under another section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Moved {
    pub(crate) task: String,
    pub(crate) title: String,
    pub(crate) from: String,
    pub(crate) to: String,
}

/// A task whose title changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Retitled {
    pub(crate) task: String,
    pub(crate) old: String,
    pub(crate) new: String,
}

/// The letters of one party in one task's row, before and after; `gained` and `lost`
/// are what a reviewer asks about, `old` and `new` what the cell reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct LetterChange {
    pub(crate) task: String,
    pub(crate) party: String,
    pub(crate) old: String,
    pub(crate) new: String,
    pub(crate) gained: String,
    pub(crate) lost: String,
}

/// Conditions a task (`party` is `None`) or a cell came to apply under, or no longer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ConditionChange {
    pub(crate) task: String,
    /// The party whose cell changed; `null` in JSON for the task's own `when:`.
    pub(crate) party: Option<String>,
    pub(crate) added: Vec<String>,
    pub(crate) removed: Vec<String>,
}

/// A task's (`party` is `None`) or a cell's note written, changed or removed: `None`
/// (`null` in JSON) on the side without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NoteChange {
    pub(crate) task: String,
    pub(crate) party: Option<String>,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

/// What changed in the matrix of one scope present on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct MatrixDiff {
    /// The operating model, in a project with models; left out of JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) model: Option<String>,
    pub(crate) scope: String,
    pub(crate) name: String,
    pub(crate) tasks_added: Vec<TaskEntry>,
    pub(crate) tasks_removed: Vec<TaskEntry>,
    pub(crate) tasks_moved: Vec<Moved>,
    pub(crate) tasks_retitled: Vec<Retitled>,
    pub(crate) letters: Vec<LetterChange>,
    /// Conditions added to or removed from the tasks both sides have and their cells;
    /// left out of JSON when none changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) conditions: Vec<ConditionChange>,
    /// Notes added, changed or removed on those tasks and cells; left out of JSON when
    /// none changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<NoteChange>,
}

impl MatrixDiff {
    fn is_empty(&self) -> bool {
        self.tasks_added.is_empty()
            && self.tasks_removed.is_empty()
            && self.tasks_moved.is_empty()
            && self.tasks_retitled.is_empty()
            && self.letters.is_empty()
            && self.conditions.is_empty()
            && self.notes.is_empty()
    }
}

/// An override (a task's letters for one scope and party) written, changed or removed.
/// `None` (`null` in JSON) means there was no override on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OverrideChange {
    /// The task's operating model, in a project with models; left out of JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) model: Option<String>,
    pub(crate) task: String,
    pub(crate) scope: String,
    pub(crate) party: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

/// The control references of one task added and removed (see `data/frameworks.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ControlChange {
    /// The task's operating model, in a project with models; left out of JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) model: Option<String>,
    pub(crate) task: String,
    /// References (`framework:control`) the new side has and the old one not.
    pub(crate) added: Vec<String>,
    pub(crate) removed: Vec<String>,
}

/// Everything that changed between two versions of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Diff {
    pub(crate) version: u32,
    pub(crate) old: String,
    pub(crate) new: String,
    pub(crate) changed: bool,
    pub(crate) parties: AddedRemoved,
    pub(crate) scopes: AddedRemoved,
    /// Scopes present on both sides whose matrix changed, in the new side's scope order.
    pub(crate) matrices: Vec<MatrixDiff>,
    pub(crate) overrides: Vec<OverrideChange>,
    /// Tasks whose control references changed, by model and task id; left out of JSON
    /// when none did, so the report of a project without them keeps its shape.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) controls: Vec<ControlChange>,
}

/// Compares the project at `old` with the project at `new`; `root` is the project root,
/// whose repository a [`Side::Revision`] is read from.
pub(crate) fn diff(root: &Path, old: &Side, new: &Side) -> Result<Diff, DiffError> {
    let old_tree = open(root, old)?;
    let new_tree = open(root, new)?;
    let old_loaded = load(old_tree.path(), old)?;
    let new_loaded = load(new_tree.path(), new)?;
    refuse_broken(old, &old_loaded, &new_loaded)?;
    refuse_broken(new, &new_loaded, &old_loaded)?;
    let before = Snapshot::of(old_loaded);
    let after = Snapshot::of(new_loaded);
    Ok(compare(old.label(), new.label(), before, &after))
}

/// A side's files on disk: the folder itself, or a revision read into a temporary folder
/// that is removed when this is dropped.
enum Tree {
    Folder(PathBuf),
    Temporary(git::TempDir),
}

impl Tree {
    fn path(&self) -> &Path {
        match self {
            Tree::Folder(path) => path,
            Tree::Temporary(dir) => dir.path(),
        }
    }
}

fn open(root: &Path, side: &Side) -> Result<Tree, DiffError> {
    match side {
        Side::Folder(path) | Side::WorkingTree(path) => Ok(Tree::Folder(path.clone())),
        Side::Revision(rev) => git::checkout(root, rev)
            .map(Tree::Temporary)
            .map_err(|message| DiffError::Revision {
                side: rev.clone(),
                message,
            }),
    }
}

fn load(path: &Path, side: &Side) -> Result<Loaded, DiffError> {
    crate::pipeline::load(path).map_err(|error| match (side, error) {
        // The temporary folder's name would mean nothing to the user.
        (Side::Revision(rev), LoadError::NoConfig(_)) => DiffError::Revision {
            side: rev.clone(),
            message: format!(
                "the project's folder holds no {}",
                crate::config::CONFIG_FILE
            ),
        },
        (_, error) => DiffError::Load {
            side: side.label(),
            error,
        },
    })
}

/// Fails when `this` side has a load error in a file the `other` side does not hold with
/// the same text (an error in a file both sides share changes nothing in the comparison,
/// so it does not stop it). An error placed in no file stops it unless the other side
/// has the same one.
fn refuse_broken(side: &Side, this: &Loaded, other: &Loaded) -> Result<(), DiffError> {
    let other_texts: HashMap<&str, &str> = other
        .project
        .sources
        .files()
        .map(|(_, file)| (file.path.as_str(), &*file.text))
        .collect();
    let sources = &this.project.sources;
    let mut files = Vec::new();
    let mut fatal = Findings::default();
    for diagnostic in &this.findings.diagnostics {
        if diagnostic.severity != Severity::Error {
            continue;
        }
        let changed = match &diagnostic.primary {
            Some(label) => {
                let file = sources.get(label.span.file);
                let changed = other_texts.get(file.path.as_str()) != Some(&&*file.text);
                if changed && !files.contains(&file.path) {
                    files.push(file.path.clone());
                }
                changed
            }
            None => !other.findings.diagnostics.iter().any(|d| {
                d.severity == Severity::Error
                    && d.primary.is_none()
                    && d.message == diagnostic.message
            }),
        };
        if changed {
            fatal.push(diagnostic.clone());
        }
    }
    if fatal.diagnostics.is_empty() {
        return Ok(());
    }
    fatal.sort(sources);
    Err(DiffError::Broken {
        side: side.label(),
        files,
        report: crate::report::render(crate::report::Format::Human, &fatal, sources, false),
    })
}

/// A row of a matrix as the comparison reads it.
struct RowSnapshot {
    title: String,
    section: String,
    /// Party id → letters, for the parties with a cell.
    letters: BTreeMap<String, LetterSet>,
    /// The conditions and note of the task (party `None`) and of each cell in force,
    /// for those that have any.
    extras: BTreeMap<Option<String>, Extras>,
}

/// The conditions and the note of a task or a cell.
#[derive(Default, PartialEq, Eq)]
struct Extras {
    when: Vec<String>,
    note: Option<String>,
}

impl Extras {
    fn of(
        when: &[crate::model::Located<String>],
        note: Option<&crate::model::Located<String>>,
    ) -> Self {
        Extras {
            when: when.iter().map(|id| id.value.clone()).collect(),
            note: note.map(|n| n.value.clone()),
        }
    }
}

struct MatrixSnapshot {
    /// The model id; `None` for the implicit model. Matrices pair by model and scope.
    model: Option<String>,
    scope: Named,
    /// Task ids in matrix order, and each task's row (the first, if an id repeats: the
    /// check reports the duplicate).
    order: Vec<String>,
    rows: HashMap<String, RowSnapshot>,
}

/// (model, task, scope, party) of one override.
type OverrideKey = (Option<String>, String, String, String);

/// What the comparison needs of one side, owned, so the loaded project can go.
struct Snapshot {
    parties: Vec<Named>,
    /// The former ids (`aliases:`) of each party, beside `parties`.
    party_aliases: Vec<Vec<String>>,
    scopes: Vec<Named>,
    matrices: Vec<MatrixSnapshot>,
    /// (model, task, scope, party) → the override's letters; the model is `None` for
    /// the implicit model.
    overrides: BTreeMap<OverrideKey, LetterSet>,
    /// (model, task) → its control references, for the tasks that make any.
    controls: BTreeMap<(Option<String>, String), BTreeSet<String>>,
}

impl Snapshot {
    fn of(loaded: Loaded) -> Snapshot {
        let Loaded {
            project,
            content,
            findings,
        } = loaded;
        let checked = crate::pipeline::check(&project, &content, findings);
        Snapshot::of_checked(&project, &checked.matrices)
    }

    /// The snapshot of a project already loaded and checked, `matrices` being its check's.
    fn of_checked(project: &Project, matrices: &[crate::resolve::Matrix<'_>]) -> Snapshot {
        let matrices = matrices
            .iter()
            .map(|matrix| {
                let mut order = Vec::new();
                let mut rows = HashMap::new();
                for section in &matrix.sections {
                    for row in &section.rows {
                        let id = row.task.id.value.clone();
                        if rows.contains_key(&id) {
                            continue;
                        }
                        let letters = project
                            .parties
                            .iter()
                            .zip(&row.cells)
                            .filter_map(|(party, cell)| {
                                cell.map(|c| (party.id.value.clone(), c.letters))
                            })
                            .filter(|(_, letters)| !letters.is_empty())
                            .collect();
                        let mut extras = BTreeMap::new();
                        extras.insert(None, Extras::of(&row.task.when, row.task.note.as_ref()));
                        for (party, cell) in project.parties.iter().zip(&row.cells) {
                            if let Some(cell) = cell {
                                let party = Some(party.id.value.clone());
                                extras.insert(party, Extras::of(&cell.when, cell.note.as_ref()));
                            }
                        }
                        extras.retain(|_, e| *e != Extras::default());
                        order.push(id.clone());
                        rows.insert(
                            id,
                            RowSnapshot {
                                title: row.task.title.value.clone(),
                                section: section.section.id.value.clone(),
                                letters,
                                extras,
                            },
                        );
                    }
                }
                MatrixSnapshot {
                    model: project.model_at(matrix.model).id().map(str::to_owned),
                    scope: scope_named(matrix.scope),
                    order,
                    rows,
                }
            })
            .collect();
        Snapshot {
            parties: project
                .parties
                .iter()
                .map(|p| Named {
                    id: p.id.value.clone(),
                    name: p.name.value.clone(),
                })
                .collect(),
            party_aliases: project
                .parties
                .iter()
                .map(|p| p.aliases.iter().map(|a| a.value.clone()).collect())
                .collect(),
            scopes: project.scopes.iter().map(scope_named).collect(),
            matrices,
            overrides: overrides(project),
            controls: controls(project),
        }
    }
}

/// Each task's control references, by model id and task id.
fn controls(project: &Project) -> BTreeMap<(Option<String>, String), BTreeSet<String>> {
    project
        .tasks()
        .filter(|(_, task)| !task.controls.is_empty())
        .map(|(section, task)| {
            let model = project.model_at(section.model).id().map(str::to_owned);
            let references = task.controls.iter().map(|c| c.value.clone()).collect();
            ((model, task.id.value.clone()), references)
        })
        .collect()
}

/// The tasks whose control references differ between the two sides, in key order.
fn compare_controls(before: &Snapshot, after: &Snapshot) -> Vec<ControlChange> {
    let empty = BTreeSet::new();
    let keys: BTreeSet<&(Option<String>, String)> = before
        .controls
        .keys()
        .chain(after.controls.keys())
        .collect();
    keys.into_iter()
        .filter_map(|key| {
            let old = before.controls.get(key).unwrap_or(&empty);
            let new = after.controls.get(key).unwrap_or(&empty);
            (old != new).then(|| ControlChange {
                model: key.0.clone(),
                task: key.1.clone(),
                added: new.difference(old).cloned().collect(),
                removed: old.difference(new).cloned().collect(),
            })
        })
        .collect()
}

fn scope_named(scope: &crate::model::Scope) -> Named {
    Named {
        id: scope.id.value.clone(),
        name: scope.name.value.clone(),
    }
}

/// Every override of the project; a later cell for the same task, scope and party wins,
/// as in the resolved matrix.
fn overrides(project: &Project) -> BTreeMap<OverrideKey, LetterSet> {
    let mut all = BTreeMap::new();
    for (section, task) in project.tasks() {
        let model = project
            .models
            .get(section.model.0)
            .and_then(|m| m.id())
            .map(str::to_owned);
        for (scope, cells) in &task.scope_cells {
            for cell in cells {
                all.insert(
                    (
                        model.clone(),
                        task.id.value.clone(),
                        scope.value.clone(),
                        cell.party.value.clone(),
                    ),
                    cell.letters,
                );
            }
        }
    }
    all
}

/// The letters of `a` that `b` lacks.
fn minus(a: LetterSet, b: LetterSet) -> LetterSet {
    let mut left = LetterSet::default();
    for letter in a.iter().filter(|l| !b.contains(*l)) {
        left.insert(letter);
    }
    left
}

fn added_removed(before: &[Named], after: &[Named]) -> AddedRemoved {
    let has = |list: &[Named], id: &str| list.iter().any(|n| n.id == id);
    AddedRemoved {
        added: after
            .iter()
            .filter(|n| !has(before, &n.id))
            .cloned()
            .collect(),
        removed: before
            .iter()
            .filter(|n| !has(after, &n.id))
            .cloned()
            .collect(),
        renamed: Vec::new(),
    }
}

fn task_entry(id: &str, row: &RowSnapshot, parties: &[Named]) -> TaskEntry {
    TaskEntry {
        task: id.to_owned(),
        title: row.title.clone(),
        section: row.section.clone(),
        letters: party_order(row.letters.keys(), parties)
            .into_iter()
            .map(|party| PartyLetters {
                letters: row.letters[&party].to_string(),
                party,
            })
            .collect(),
    }
}

/// `ids` in the order of `parties`, then any not among them in id order.
fn party_order<'a>(ids: impl Iterator<Item = &'a String>, parties: &[Named]) -> Vec<String> {
    let mut ids: Vec<&String> = ids.collect();
    ids.sort_by_key(|id| {
        (
            parties
                .iter()
                .position(|p| &p.id == *id)
                .unwrap_or(usize::MAX),
            (*id).clone(),
        )
    });
    ids.into_iter().cloned().collect()
}

fn compare_matrix(
    before: &MatrixSnapshot,
    after: &MatrixSnapshot,
    old_parties: &[Named],
    new_parties: &[Named],
) -> MatrixDiff {
    let mut diff = MatrixDiff {
        model: after.model.clone(),
        scope: after.scope.id.clone(),
        name: after.scope.name.clone(),
        tasks_added: Vec::new(),
        tasks_removed: Vec::new(),
        tasks_moved: Vec::new(),
        tasks_retitled: Vec::new(),
        letters: Vec::new(),
        conditions: Vec::new(),
        notes: Vec::new(),
    };
    for id in &before.order {
        if !after.rows.contains_key(id) {
            diff.tasks_removed
                .push(task_entry(id, &before.rows[id], old_parties));
        }
    }
    for id in &after.order {
        let new_row = &after.rows[id];
        let Some(old_row) = before.rows.get(id) else {
            diff.tasks_added.push(task_entry(id, new_row, new_parties));
            continue;
        };
        if old_row.section != new_row.section {
            diff.tasks_moved.push(Moved {
                task: id.clone(),
                title: new_row.title.clone(),
                from: old_row.section.clone(),
                to: new_row.section.clone(),
            });
        }
        if old_row.title != new_row.title {
            diff.tasks_retitled.push(Retitled {
                task: id.clone(),
                old: old_row.title.clone(),
                new: new_row.title.clone(),
            });
        }
        let parties = party_order(
            old_row.letters.keys().chain(
                new_row
                    .letters
                    .keys()
                    .filter(|k| !old_row.letters.contains_key(*k)),
            ),
            new_parties,
        );
        for party in parties {
            let old = old_row.letters.get(&party).copied().unwrap_or_default();
            let new = new_row.letters.get(&party).copied().unwrap_or_default();
            if old != new {
                diff.letters.push(LetterChange {
                    task: id.clone(),
                    old: old.to_string(),
                    new: new.to_string(),
                    gained: minus(new, old).to_string(),
                    lost: minus(old, new).to_string(),
                    party,
                });
            }
        }
        compare_extras(&mut diff, id, old_row, new_row, new_parties);
    }
    diff
}

/// The conditions and notes that changed on a task present on both sides: the task's
/// own first, then its cells in the order of `parties`.
fn compare_extras(
    diff: &mut MatrixDiff,
    task: &str,
    old_row: &RowSnapshot,
    new_row: &RowSnapshot,
    parties: &[Named],
) {
    let cells = party_order(
        old_row.extras.keys().chain(new_row.extras.keys()).flatten(),
        parties,
    );
    let mut keys: Vec<Option<String>> = vec![None];
    for party in cells {
        if !keys.contains(&Some(party.clone())) {
            keys.push(Some(party));
        }
    }
    let none = Extras::default();
    for party in keys {
        let old = old_row.extras.get(&party).unwrap_or(&none);
        let new = new_row.extras.get(&party).unwrap_or(&none);
        let added: Vec<String> = new
            .when
            .iter()
            .filter(|id| !old.when.contains(id))
            .cloned()
            .collect();
        let removed: Vec<String> = old
            .when
            .iter()
            .filter(|id| !new.when.contains(id))
            .cloned()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            diff.conditions.push(ConditionChange {
                task: task.to_owned(),
                party: party.clone(),
                added,
                removed,
            });
        }
        if old.note != new.note {
            diff.notes.push(NoteChange {
                task: task.to_owned(),
                party,
                old: old.note.clone(),
                new: new.note.clone(),
            });
        }
    }
}

/// The parties renamed between `before` and `after`: a new party whose `aliases:` name
/// an old party that is gone. Each old party is renamed once, to the first new party
/// (in file order) that claims it.
fn party_renames(before: &Snapshot, after: &Snapshot) -> Vec<Renamed> {
    let has = |list: &[Named], id: &str| list.iter().any(|n| n.id == id);
    let mut renames: Vec<Renamed> = Vec::new();
    for (party, aliases) in after.parties.iter().zip(&after.party_aliases) {
        if has(&before.parties, &party.id) {
            continue;
        }
        let old = aliases.iter().find_map(|alias| {
            let old = before.parties.iter().find(|p| &p.id == alias)?;
            let free = !has(&after.parties, alias) && !renames.iter().any(|r| &r.old.id == alias);
            free.then_some(old)
        });
        if let Some(old) = old {
            renames.push(Renamed {
                old: old.clone(),
                new: party.clone(),
            });
        }
    }
    renames
}

impl Snapshot {
    /// The snapshot with each renamed party under its new id, so that its letters and
    /// overrides compare with the new side's as those of one party.
    fn with_renames(mut self, renames: &[Renamed]) -> Snapshot {
        if renames.is_empty() {
            return self;
        }
        let new_id = |id: &str| {
            renames
                .iter()
                .find(|r| r.old.id == id)
                .map(|r| r.new.id.clone())
        };
        for party in &mut self.parties {
            if let Some(id) = new_id(&party.id) {
                party.id = id;
            }
        }
        for matrix in &mut self.matrices {
            for row in matrix.rows.values_mut() {
                row.letters = std::mem::take(&mut row.letters)
                    .into_iter()
                    .map(|(party, letters)| (new_id(&party).unwrap_or(party), letters))
                    .collect();
                row.extras = std::mem::take(&mut row.extras)
                    .into_iter()
                    .map(|(party, extras)| (party.map(|p| new_id(&p).unwrap_or(p)), extras))
                    .collect();
            }
        }
        self.overrides = std::mem::take(&mut self.overrides)
            .into_iter()
            .map(|((model, task, scope, party), letters)| {
                (
                    (model, task, scope, new_id(&party).unwrap_or(party)),
                    letters,
                )
            })
            .collect();
        self
    }
}

fn compare(old: String, new: String, before: Snapshot, after: &Snapshot) -> Diff {
    let renamed = party_renames(&before, after);
    let before = &before.with_renames(&renamed);
    let matrices: Vec<MatrixDiff> = after
        .matrices
        .iter()
        .filter_map(|new_matrix| {
            let old_matrix = before
                .matrices
                .iter()
                .find(|m| m.model == new_matrix.model && m.scope.id == new_matrix.scope.id)?;
            let diff = compare_matrix(old_matrix, new_matrix, &before.parties, &after.parties);
            (!diff.is_empty()).then_some(diff)
        })
        .collect();
    let mut keys: Vec<&OverrideKey> = before.overrides.keys().collect();
    keys.extend(
        after
            .overrides
            .keys()
            .filter(|k| !before.overrides.contains_key(*k)),
    );
    keys.sort();
    let overrides: Vec<OverrideChange> = keys
        .into_iter()
        .filter_map(|key| {
            let old = before.overrides.get(key);
            let new = after.overrides.get(key);
            (old != new).then(|| OverrideChange {
                model: key.0.clone(),
                task: key.1.clone(),
                scope: key.2.clone(),
                party: key.3.clone(),
                old: old.map(ToString::to_string),
                new: new.map(ToString::to_string),
            })
        })
        .collect();
    let parties = AddedRemoved {
        renamed,
        ..added_removed(&before.parties, &after.parties)
    };
    let scopes = added_removed(&before.scopes, &after.scopes);
    let controls = compare_controls(before, after);
    let changed = !parties.is_empty()
        || !scopes.is_empty()
        || !matrices.is_empty()
        || !overrides.is_empty()
        || !controls.is_empty();
    Diff {
        version: JSON_VERSION,
        old,
        new,
        changed,
        parties,
        scopes,
        matrices,
        overrides,
        controls,
    }
}

/// The comparison of `rasci diff --format json` of two projects that `build` has loaded
/// and checked for their own sites (`pipeline::CompareVersions`): each published version
/// is loaded and checked once per build, never again for the comparisons it is a side
/// of. `old` and `new` are left empty for the caller to name.
#[cfg(feature = "site")]
pub(crate) fn compare_checked(
    old: &Project,
    old_matrices: &[crate::resolve::Matrix<'_>],
    new: &Project,
    new_matrices: &[crate::resolve::Matrix<'_>],
) -> Result<serde_json::Value, String> {
    let before = Snapshot::of_checked(old, old_matrices);
    let after = Snapshot::of_checked(new, new_matrices);
    serde_json::to_value(compare(String::new(), String::new(), before, &after))
        .map_err(|error| error.to_string())
}

#[cfg(all(test, feature = "site"))]
mod tests {
    /// Runs git in `root` as a fixed author, with none of the machine's git settings.
    fn git(root: &std::path::Path, args: &[&str]) {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=Writer",
                "-c",
                "user.email=writer@example.com",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }

    /// A build of two published versions loads and checks three projects (the working
    /// tree and the two revisions), once each: the comparisons behind the Changes pages
    /// reuse what the versions' own sites were built from.
    #[test]
    fn a_build_of_versions_checks_each_version_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(crate::config::CONFIG_FILE, "title: Support\n");
        write(
            "data/parties.yaml",
            "parties:\n  - id: vendor\n    name: Vendor\n  - id: customer\n    name: Customer\n",
        );
        write(
            "data/scopes.yaml",
            "scopes:\n  - id: main\n    name: Main\n    sections: [general]\n",
        );
        let tasks = |title: &str| {
            format!(
                "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: {title}\n        \
                 rasci: {{ vendor: \"A, R\", customer: I }}\n"
            )
        };
        write("data/tasks.yaml", &tasks("Run it"));
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "first"]);
        git(root, &["tag", "v1"]);
        write("data/tasks.yaml", &tasks("Run it well"));
        git(root, &["commit", "-q", "-a", "-m", "second"]);
        git(root, &["tag", "v2"]);
        let config = root.join(crate::config::CONFIG_FILE);
        let mut text = std::fs::read_to_string(&config).unwrap();
        for (id, day) in [("2", "2025-10-01"), ("1", "2025-04-01")] {
            text.push_str(&format!(
                "{}  - id: \"{id}\"\n    name: Version {id}\n    revision: v{id}\n    effective: {day}\n",
                if id == "2" { "versions:\n" } else { "" }
            ));
        }
        std::fs::write(&config, text).unwrap();
        let before = crate::pipeline::stage_runs();
        let built = crate::pipeline::build_published(
            root,
            super::git::open_revision,
            super::compare_checked,
        )
        .unwrap();
        let after = crate::pipeline::stage_runs();
        assert_eq!(after.checks - before.checks, 3);
        assert_eq!(after.renders - before.renders, 3);
        assert!(built.site.files.contains_key("v/2/changes/index.html"));
        assert!(built.site.files.contains_key("changes/index.html"));
    }
}
