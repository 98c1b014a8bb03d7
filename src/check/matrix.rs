//! Matrix rules: what each scope's rows must and should hold.
//!
//! A task shown in several scopes is checked in each. When it breaks a rule the same way
//! in several scopes, that is one finding naming the scopes, not one per scope.

use crate::diagnostic::{Diagnostic, RuleId, closest, list_names};
use crate::model::{
    DataKind, Letter, LetterSet, Located, MAX_CONDITIONS_PER_SCOPE, Model, ModelIx, Project, Scope,
    ScopeIx, Task,
};
use crate::resolve::{Matrix, Row};
use std::collections::BTreeMap;

/// Findings equal under this key are one finding that holds in several scopes. Ordered
/// by its fields in this order, which is the order the findings are reported in.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TaskFindingKey {
    rule: &'static str,
    file: usize,
    /// Where the task's id starts in the file.
    task_at: usize,
    message: String,
}

pub(crate) fn check(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
    // With parties, scopes or tasks missing, every row would look wrong; the parse
    // finding that lost them is the one to fix first.
    if !DataKind::ALL
        .into_iter()
        .filter(|kind| kind.required())
        .all(|kind| project.complete(kind))
    {
        return;
    }
    let mut per_task: BTreeMap<TaskFindingKey, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for matrix in matrices {
        let model = project.model_at(matrix.model);
        for row in matrix.rows() {
            for diagnostic in row_findings(project, model, row, &matrix.scope.id.value) {
                let span = row.task.id.span;
                let key = TaskFindingKey {
                    rule: diagnostic.rule.as_str(),
                    file: span.file.0 as usize,
                    task_at: span.start,
                    message: diagnostic.message.clone(),
                };
                per_task
                    .entry(key)
                    .or_insert_with(|| (diagnostic, Vec::new()))
                    .1
                    .push(matrix.scope.id.value.clone());
            }
        }
    }
    for (_, (mut diagnostic, scopes)) in per_task {
        let noun = if scopes.len() == 1 { "scope" } else { "scopes" };
        diagnostic.message = format!("{} ({noun} {})", diagnostic.message, list_names(&scopes));
        found.push(diagnostic);
    }

    check_overrides(project, found);
    check_task_scopes(project, found);
    check_sections(project, found);
    check_idle_parties(project, matrices, found);
    check_uncovered_scopes(project, found);
    check_accountable_share(project, matrices, found);
}

/// A task as messages name it: its id, and its model when the project has models.
fn title(model: &Model, task: &Task) -> String {
    format!("`{}`{}", task.id.value, model.in_model())
}

/// Whether the party with id `id` takes part in `model` (is a known party and one of
/// the model's).
fn in_model_party(project: &Project, model: &Model, id: &str) -> bool {
    project
        .parties
        .iter()
        .position(|p| p.id.value == id)
        .is_some_and(|index| model.has_party(index))
}

/// Whether the scope with id `id` is known and covered by `model`.
fn in_model_scope(project: &Project, model: &Model, id: &str) -> bool {
    project
        .scopes
        .iter()
        .position(|s| s.id.value == id)
        .is_some_and(|index| model.has_scope(ScopeIx(index)))
}

/// What a row may be missing because of a mistake that is reported at its cause: a cell
/// of an unknown party, or an override for an unknown scope. A matrix rule that such a
/// cell could satisfy stays quiet for the row, so a typo is one finding, not three.
#[derive(Default)]
struct Doubt<'p> {
    /// Some cell of the row is in doubt.
    any: bool,
    /// The letters the cells in doubt give.
    letters: LetterSet,
    /// Known parties whose cell an override for an unknown scope may replace.
    parties: Vec<&'p str>,
}

impl<'p> Doubt<'p> {
    fn of(project: &Project, model: &Model, task: &'p Task, scope: &str) -> Self {
        let mut doubt = Doubt::default();
        let unknown_party =
            |cell: &crate::model::Cell| !in_model_party(project, model, &cell.party.value);
        let overrides_here = |party: &str| {
            task.scope_cells
                .iter()
                .any(|(s, cells)| s.value == scope && cells.iter().any(|c| c.party.value == party))
        };
        for cell in &task.cells {
            if unknown_party(cell) && !overrides_here(&cell.party.value) {
                doubt.add(split_letters(cell));
            }
        }
        for (id, cells) in &task.scope_cells {
            let unknown_scope = !in_model_scope(project, model, &id.value);
            if id.value != scope && !unknown_scope {
                continue;
            }
            for cell in cells {
                if unknown_scope || unknown_party(cell) {
                    doubt.add(split_letters(cell));
                }
                if unknown_scope && !unknown_party(cell) {
                    doubt.parties.push(&cell.party.value);
                }
            }
        }
        doubt
    }

    fn add(&mut self, letters: LetterSet) {
        self.any = true;
        for letter in letters.iter() {
            self.letters.insert(letter);
        }
    }

    /// Whether the cells in doubt could change who holds `letter`.
    fn touches(
        &self,
        project: &Project,
        letter: Letter,
        holders: &[(usize, &crate::model::Cell)],
    ) -> bool {
        self.letters.contains(letter)
            || holders
                .iter()
                .any(|(p, _)| self.parties.contains(&project.parties[*p].id.as_str()))
    }
}

/// The letters of a cell of an unknown party; for a key that YAML split off an unquoted
/// cell (`{ customer: A, R }` gives a party `R`), the letters its id spells.
fn split_letters(cell: &crate::model::Cell) -> LetterSet {
    let mut letters = cell.letters;
    if letters.is_empty() {
        for letter in cell.party.value.chars().filter_map(Letter::from_char) {
            letters.insert(letter);
        }
    }
    letters
}

fn row_findings(project: &Project, model: &Model, row: &Row<'_>, scope: &str) -> Vec<Diagnostic> {
    let task = row.task;
    let title = |task| title(model, task);
    let mut out = Vec::new();
    // Worked out only for rows that break a rule: most rows do not.
    let doubt = std::cell::OnceCell::new();
    let doubt = || doubt.get_or_init(|| Doubt::of(project, model, task, scope));
    if (0..row.cells.len()).all(|p| row.letters(p).is_empty()) {
        if doubt().any {
            return out;
        }
        out.push(
            Diagnostic::new(
                RuleId::RasciNoLetters,
                format!("task {} gives no party a letter", title(task)),
            )
            .at(task.id.span, "this task")
            .help("add a `rasci:` mapping such as `rasci: { customer: \"A, R\" }`"),
        );
        return out;
    }

    let count = |letter: Letter| {
        (0..row.cells.len())
            .filter(|&p| row.letters(p).contains(letter))
            .count()
    };
    let both_r_and_s = row
        .cells
        .iter()
        .flatten()
        .any(|c| c.letters.contains(Letter::R) && c.letters.contains(Letter::S));
    let conditions = row_conditions(row);
    // A misspelt condition is `ref/unknown-condition`'s finding; the letter rules would
    // only echo it under combinations of a condition that does not exist.
    if conditions.iter().any(|id| project.condition(id).is_none()) {
        return out;
    }
    if conditions.is_empty() && count(Letter::A) == 1 && count(Letter::R) > 0 && !both_r_and_s {
        return out; // the common case: nothing to report, nothing allocated
    }

    // The rules hold under every combination of the conditions the row names, among
    // those under which the task applies: a row without conditions has one, the empty.
    for on in 0..1u32 << conditions.len() {
        let holds = |when: &[Located<String>]| {
            when.iter().all(|id| {
                conditions
                    .iter()
                    .position(|c| *c == id.value)
                    .is_none_or(|i| on & (1 << i) != 0)
            })
        };
        if !holds(&task.when) {
            continue;
        }
        let under = combination(&conditions, on);
        let applying = |letter| -> Vec<(usize, &crate::model::Cell)> {
            row.holders(letter)
                .into_iter()
                .filter(|(_, cell)| holds(&cell.when))
                .collect()
        };
        let accountable = applying(Letter::A);
        if accountable.len() != 1 && !doubt().touches(project, Letter::A, &accountable) {
            let message = if accountable.is_empty() {
                format!("task {} has no Accountable party{under}", title(task))
            } else {
                format!(
                    "task {} has {} Accountable parties{under}",
                    title(task),
                    accountable.len()
                )
            };
            let mut diagnostic = Diagnostic::new(RuleId::RasciOneAccountable, message)
                .at(task.id.span, "in this task");
            for (party, cell) in &accountable {
                let span = letter_span(cell, Letter::A);
                let name = &project.parties[*party].id.value;
                diagnostic = diagnostic.label(span, format!("`{name}` is Accountable"));
            }
            diagnostic = diagnostic.help(if accountable.is_empty() {
                "give exactly one party the letter A: the one who answers for the task being done"
            } else {
                "keep A for the one party that answers for the task; the others can be R, S, C or I"
            });
            out.push(diagnostic);
        }

        if applying(Letter::R).is_empty() && !doubt().letters.contains(Letter::R) {
            out.push(
                Diagnostic::new(
                    RuleId::RasciHasResponsible,
                    format!("task {} has no Responsible party{under}", title(task)),
                )
                .at(task.id.span, "in this task")
                .help("give the party that does the work the letter R"),
            );
        }
    }

    for (party, cell) in row.cells.iter().enumerate() {
        let Some(cell) = cell else { continue };
        let name = &project.parties[party].id.value;
        if cell.letters.contains(Letter::R)
            && cell.letters.contains(Letter::S)
            && !doubt().parties.contains(&name.as_str())
        {
            out.push(
                Diagnostic::new(
                    RuleId::RasciResponsibleAndSupportive,
                    format!(
                        "`{name}` is both Responsible and Supportive for task {}",
                        title(task)
                    ),
                )
                .at(letter_span(cell, Letter::S), "Supportive here")
                .label(letter_span(cell, Letter::R), "Responsible here")
                .help("a party does not support its own work: keep R, or make it S if another party does the work"),
            );
        }
    }
    out
}

/// The conditions a row names (the task's and its cells'), each once, in the order
/// first named; none when the row names more than a scope may use, which is
/// `rasci/too-many-conditions`' finding (the rules then read every cell as applying).
fn row_conditions<'p>(row: &Row<'p>) -> Vec<&'p str> {
    let mut conditions: Vec<&str> = Vec::new();
    let cells = row.cells.iter().flatten().flat_map(|cell| cell.when.iter());
    for id in row.task.when.iter().chain(cells) {
        if !conditions.contains(&id.as_str()) {
            conditions.push(id.as_str());
        }
    }
    if conditions.len() > MAX_CONDITIONS_PER_SCOPE {
        conditions.clear();
    }
    conditions
}

/// How a finding names a combination: ` under premium-plus, without training`; empty
/// for a row without conditions.
fn combination(conditions: &[&str], on: u32) -> String {
    let (mut under, mut without) = (Vec::new(), Vec::new());
    for (i, id) in conditions.iter().enumerate() {
        if on & (1 << i) != 0 {
            under.push(*id);
        } else {
            without.push(*id);
        }
    }
    let mut text = String::new();
    if !under.is_empty() {
        text = format!(" under {}", under.join(", "));
    }
    if !without.is_empty() {
        let joint = if text.is_empty() { " " } else { ", " };
        text = format!("{text}{joint}without {}", without.join(", "));
    }
    text
}

fn letter_span(cell: &crate::model::Cell, letter: Letter) -> crate::source::Span {
    cell.letter_spans
        .iter()
        .find(|(l, _)| *l == letter)
        .map_or(cell.span, |(_, span)| *span)
}

/// An override names a scope that does not show the task's section in its model, or a
/// scope the task does not apply to: the letters it gives would never be shown.
fn check_overrides(project: &Project, found: &mut Vec<Diagnostic>) {
    for section in &project.sections {
        let Some(model) = project.models.get(section.model.0) else {
            continue;
        };
        for task in &section.tasks {
            for (scope_id, _) in task.overrides.iter() {
                let Some(scope) = project.scope(&scope_id.value) else {
                    continue; // reported as an unknown scope
                };
                if !in_model_scope(project, model, &scope_id.value) {
                    continue; // reported as a scope the model does not cover
                }
                if !task.applies_in(&scope_id.value) {
                    if !meant_task_scope(project, model, task, &scope_id.value) {
                        found.push(outside_task_scopes(model, task, scope_id));
                    }
                    continue;
                }
                let shown = model
                    .section_ids(scope)
                    .iter()
                    .any(|s| s.value == section.id.value);
                if !shown && !meant_section(project, section.model, scope, &section.id.value) {
                    let help = match model.own_section_ids(scope) {
                        Some(_) => format!(
                            "add `{}` to the `sections:` of model `{}` for `{}`, or remove this override",
                            section.id.value,
                            model.id().unwrap_or_default(),
                            scope_id.value
                        ),
                        None => format!(
                            "add `{}` to the scope's sections, or remove this override",
                            section.id.value
                        ),
                    };
                    found.push(
                        Diagnostic::new(
                            RuleId::RasciOverrideOutsideScope,
                            format!(
                                "task {} overrides its letters for scope `{}`, which does not show section `{}`",
                                title(model, task), scope_id.value, section.id.value
                            ),
                        )
                        .at(scope_id.span, "this scope never shows the task")
                        .label(scope.id.span, "scope defined here")
                        .help(help),
                    );
                }
            }
        }
    }
}

/// The finding for an override for a scope that the task's own `scopes:` leaves out.
fn outside_task_scopes(
    model: &Model,
    task: &Task,
    scope_id: &crate::model::Located<String>,
) -> Diagnostic {
    let listed: Vec<&str> = task.scopes.iter().flatten().map(|s| s.as_str()).collect();
    let mut diagnostic = Diagnostic::new(
        RuleId::RasciOverrideOutsideScope,
        format!(
            "task {} overrides its letters for scope `{}`, to which it does not apply",
            title(model, task),
            scope_id.value
        ),
    )
    .at(scope_id.span, "the task is absent from this scope");
    if let Some(first) = task.scopes.iter().flatten().next() {
        let label = if listed.is_empty() {
            "the task applies in no scope".to_string()
        } else {
            format!("the task applies only in {}", list_names(&listed))
        };
        diagnostic = diagnostic.label(first.span, label);
    }
    diagnostic.help(format!(
        "add `{}` to the task's `scopes:`, or remove this override",
        scope_id.value
    ))
}

/// Whether the task's `scopes:` holds an id that is not a scope of its model and most
/// likely misspells `scope`: that id is the finding, not the override for `scope`.
fn meant_task_scope(project: &Project, model: &Model, task: &Task, scope: &str) -> bool {
    let known = || {
        model
            .scopes
            .iter()
            .map(|&i| project.scope_at(i).id.as_str())
    };
    task.scopes.iter().flatten().any(|s| {
        !in_model_scope(project, model, &s.value) && closest(&s.value, known()) == Some(scope)
    })
}

/// A task whose `scopes:` names only scopes of its model that do not show its section
/// would appear in no table at all. Quiet when one of the ids is not a scope of the model
/// (that id is the finding) or when no scope shows the section (`rasci/unused-section`).
fn check_task_scopes(project: &Project, found: &mut Vec<Diagnostic>) {
    for section in &project.sections {
        let Some(model) = project.models.get(section.model.0) else {
            continue;
        };
        let showing: Vec<&str> = model
            .scopes
            .iter()
            .map(|&i| project.scope_at(i))
            .filter(|scope| {
                model
                    .section_ids(scope)
                    .iter()
                    .any(|s| s.value == section.id.value)
            })
            .map(|scope| scope.id.as_str())
            .collect();
        if showing.is_empty() {
            continue;
        }
        for task in &section.tasks {
            let Some(listed) = &task.scopes else { continue };
            let Some(first) = listed.first() else {
                continue;
            };
            let all_in_model = listed
                .iter()
                .all(|s| in_model_scope(project, model, &s.value));
            if !all_in_model || listed.iter().any(|s| showing.contains(&s.as_str())) {
                continue;
            }
            let noun = if showing.len() == 1 {
                "scope"
            } else {
                "scopes"
            };
            found.push(
                Diagnostic::new(
                    RuleId::RasciTaskOutsideScopes,
                    format!(
                        "task {} applies only in scopes that do not show its section `{}`, so no table shows it",
                        title(model, task),
                        section.id.value
                    ),
                )
                .at(first.span, "this scope does not show the section")
                .help(format!(
                    "section `{}` is shown by {noun} {}: list one of them in the task's `scopes:`, or show the section in this scope",
                    section.id.value,
                    list_names(&showing)
                )),
            );
        }
    }
}

fn check_sections(project: &Project, found: &mut Vec<Diagnostic>) {
    for section in &project.sections {
        let Some(model) = project.models.get(section.model.0) else {
            continue;
        };
        let in_model = model.in_model();
        if section.tasks.is_empty() {
            found.push(
                Diagnostic::new(
                    RuleId::RasciEmptySection,
                    format!("section `{}`{in_model} has no tasks", section.id.value),
                )
                .at(section.id.span, "empty section")
                .help("add tasks to it, or remove it"),
            );
        }
        let scopes = || model.scopes.iter().map(|&i| project.scope_at(i));
        let shown = scopes().any(|scope| {
            model
                .section_ids(scope)
                .iter()
                .any(|s| s.value == section.id.value)
        });
        // Whether a misspelling was meant is asked only of a section that is not shown:
        // it compares ids, and most sections are shown.
        let meant = || {
            scopes().any(|scope| meant_section(project, section.model, scope, &section.id.value))
        };
        // A model of no scope shows none of its sections; the implicit model has no
        // scopes only when the project has none, which is reported on its own.
        let judged = !model.scopes.is_empty() || !model.is_implicit();
        if !shown && judged && !meant() {
            let help = if model.is_implicit() {
                "list the section under a scope's `sections:`"
            } else {
                "list the section under a scope's `sections:`, or under the model's `sections:` for a scope"
            };
            found.push(
                Diagnostic::new(
                    RuleId::RasciUnusedSection,
                    format!("no scope shows section `{}`{in_model}", section.id.value),
                )
                .at(section.id.span, "never shown")
                .help(help),
            );
        }
    }
}

/// Whether model `model` lists, for `scope`, an unknown section that is most likely
/// `section` misspelt: the unknown section is then the finding, and what follows from the
/// section being missing is not.
fn meant_section(project: &Project, model: ModelIx, scope: &Scope, section: &str) -> bool {
    let Some(definition) = project.models.get(model.0) else {
        return false;
    };
    let known = || project.model_sections(model).map(|s| s.id.as_str());
    definition
        .section_ids(scope)
        .iter()
        .any(|s| !known().any(|k| k == s.value) && closest(&s.value, known()) == Some(section))
}

/// Whether a letter was meant for `party` in model `model` but given where it does not
/// count: under a misspelt party id close to it, or in an override for an unknown scope.
fn meant_party(project: &Project, model: ModelIx, party: &str) -> bool {
    let Some(definition) = project.models.get(model.0) else {
        return false;
    };
    let known = || {
        definition
            .parties
            .iter()
            .map(|&i| project.parties[i].id.as_str())
    };
    let tasks = || project.model_sections(model).flat_map(|s| s.tasks.iter());
    tasks().any(|task| {
        let cells = task
            .cells
            .iter()
            .chain(task.scope_cells.iter().flat_map(|(_, cells)| cells));
        cells.clone().any(|cell| {
            !in_model_party(project, definition, &cell.party.value)
                && closest(&cell.party.value, known()) == Some(party)
        }) || task.scope_cells.iter().any(|(scope, cells)| {
            !in_model_scope(project, definition, &scope.value)
                && cells.iter().any(|c| c.party.value == party)
        })
    })
}

/// A party of a model that holds no letter in any of the model's matrices; with models,
/// also a party that takes part in no model at all.
fn check_idle_parties(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
    for (model_index, model) in project.models() {
        for &index in &model.parties {
            let party = &project.parties[index];
            let holds_any = matrices
                .iter()
                .filter(|m| m.model == model_index)
                .flat_map(|m| m.rows())
                .any(|row| !row.letters(index).is_empty());
            if holds_any {
                continue;
            }
            // Letters in a section that only a misspelt section id keeps out of every scope.
            let holds_in_meant = project.model_sections(model_index).any(|section| {
                model.scopes.iter().any(|&scope| {
                    meant_section(
                        project,
                        model_index,
                        project.scope_at(scope),
                        &section.id.value,
                    )
                }) && section.tasks.iter().any(|task| {
                    task.cells
                        .iter()
                        .any(|c| c.party.value == party.id.value && !c.letters.is_empty())
                })
            });
            if holds_in_meant || meant_party(project, model_index, &party.id.value) {
                continue;
            }
            let (span, message) = match &model.def {
                None => (
                    party.id.span,
                    format!("party `{}` holds no letter in any scope", party.id.value),
                ),
                Some(def) => (
                    def.parties
                        .iter()
                        .find(|p| p.value == party.id.value)
                        .map_or(party.id.span, |p| p.span),
                    format!(
                        "party `{}` holds no letter in any scope of model `{}`",
                        party.id.value, def.id.value
                    ),
                ),
            };
            found.push(
                Diagnostic::new(RuleId::RasciIdleParty, message)
                    .at(span, "this party")
                    .help("give it letters where it takes part, or remove it"),
            );
        }
    }
    if project.has_models() {
        for (index, party) in project.parties.iter().enumerate() {
            if !project.models.iter().any(|m| m.has_party(index)) {
                found.push(
                    Diagnostic::new(
                        RuleId::RasciIdleParty,
                        format!("party `{}` takes part in no model", party.id.value),
                    )
                    .at(party.id.span, "this party")
                    .help("add it to the `parties:` of a model in data/models.yaml, or remove it"),
                );
            }
        }
    }
}

/// With models, a scope that no model covers has no matrix at all: its page would be
/// empty. (Without models the implicit model covers every scope.)
fn check_uncovered_scopes(project: &Project, found: &mut Vec<Diagnostic>) {
    if !project.has_models() || !project.complete(DataKind::Models) {
        return;
    }
    for (index, scope) in project.scopes() {
        if project.models.iter().any(|m| m.has_scope(index)) {
            continue;
        }
        // A model listing a misspelling of this scope meant it; the unknown scope is
        // the finding.
        let meant = project
            .models
            .iter()
            .filter_map(|m| m.def.as_ref())
            .any(|def| {
                def.scopes.iter().any(|s| {
                    project.scope(&s.value).is_none()
                        && closest(&s.value, project.scopes.iter().map(|s| s.id.as_str()))
                            == Some(scope.id.as_str())
                })
            });
        if meant {
            continue;
        }
        found.push(
            Diagnostic::new(
                RuleId::RasciUncoveredScope,
                format!("no model covers scope `{}`", scope.id.value),
            )
            .at(scope.id.span, "no model's `scopes:` lists this scope")
            .help(format!(
                "add `{}` to the `scopes:` of a model in data/models.yaml, or remove the scope",
                scope.id.value
            )),
        );
    }
}

/// Smallest matrix for which the accountable share is judged: in a tiny one any party is
/// Accountable for "most" tasks.
const MIN_TASKS_FOR_SHARE: usize = 5;

fn check_accountable_share(
    project: &Project,
    matrices: &[Matrix<'_>],
    found: &mut Vec<Diagnostic>,
) {
    let limit = project.config.check.max_accountable_share;
    for matrix in matrices {
        let total = matrix.row_count();
        if total < MIN_TASKS_FOR_SHARE {
            continue;
        }
        let model = project.model_at(matrix.model);
        let place = match model.id() {
            Some(id) => format!("model `{id}`, scope `{}`", matrix.scope.id.value),
            None => format!("scope `{}`", matrix.scope.id.value),
        };
        for &index in &matrix.parties {
            let party = &project.parties[index];
            let count = matrix
                .rows()
                .filter(|row| row.letters(index).contains(Letter::A))
                .count();
            let share = count as f64 / total as f64;
            if share > limit {
                found.push(
                    Diagnostic::new(
                        RuleId::RasciAccountableShare,
                        format!(
                            "`{}` is Accountable for {count} of {total} tasks ({:.0}%) in {place}",
                            party.id.value,
                            share * 100.0,
                        ),
                    )
                    .at(party.id.span, "this party")
                    .help(format!(
                        "the limit is {:.0}% (`check.max_accountable_share` in rasci.yaml)",
                        limit * 100.0
                    )),
                );
            }
        }
    }
}
