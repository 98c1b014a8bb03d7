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

/// What was added and what was removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct AddedRemoved {
    pub(crate) added: Vec<Named>,
    pub(crate) removed: Vec<Named>,
}

impl AddedRemoved {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
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
}

impl MatrixDiff {
    fn is_empty(&self) -> bool {
        self.tasks_added.is_empty()
            && self.tasks_removed.is_empty()
            && self.tasks_moved.is_empty()
            && self.tasks_retitled.is_empty()
            && self.letters.is_empty()
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
    Ok(compare(old.label(), new.label(), &before, &after))
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
        .map(|(_, file)| (file.path.as_str(), file.text.as_str()))
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
                let changed = other_texts.get(file.path.as_str()) != Some(&file.text.as_str());
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
        let matrices = checked
            .matrices
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
                        order.push(id.clone());
                        rows.insert(
                            id,
                            RowSnapshot {
                                title: row.task.title.value.clone(),
                                section: section.section.id.value.clone(),
                                letters,
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
            scopes: project.scopes.iter().map(scope_named).collect(),
            matrices,
            overrides: overrides(&project),
            controls: controls(&project),
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
    }
    diff
}

fn compare(old: String, new: String, before: &Snapshot, after: &Snapshot) -> Diff {
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
    let parties = added_removed(&before.parties, &after.parties);
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
