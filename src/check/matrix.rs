//! Matrix rules: what each scope's rows must and should hold.
//!
//! A task shown in several scopes is checked in each. When it breaks a rule the same way
//! in several scopes, that is one finding naming the scopes, not one per scope.

use crate::diagnostic::{Diagnostic, RuleId, closest, list_names};
use crate::model::{DataKind, Letter, LetterSet, Project, Task};
use crate::resolve::{Matrix, Row};
use std::collections::BTreeMap;

/// (rule, file, task position, message): findings equal under this key are one finding
/// that holds in several scopes.
type TaskFindingKey = (&'static str, usize, usize, String);

pub fn check(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
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
        for row in matrix.rows() {
            for diagnostic in row_findings(project, row, &matrix.scope.id.value) {
                let span = row.task.id.span;
                let key = (
                    diagnostic.rule.as_str(),
                    span.file.0 as usize,
                    span.start,
                    diagnostic.message.clone(),
                );
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
    check_sections(project, found);
    check_idle_parties(project, matrices, found);
    check_accountable_share(project, matrices, found);
}

fn title(task: &Task) -> String {
    format!("`{}`", task.id.value)
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
    fn of(project: &Project, task: &'p Task, scope: &str) -> Self {
        let mut doubt = Doubt::default();
        let unknown_party = |cell: &crate::model::Cell| project.party(&cell.party.value).is_none();
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
            let unknown_scope = project.scope(&id.value).is_none();
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

fn row_findings(project: &Project, row: &Row<'_>, scope: &str) -> Vec<Diagnostic> {
    let task = row.task;
    let mut out = Vec::new();
    // Worked out only for rows that break a rule: most rows do not.
    let doubt = std::cell::OnceCell::new();
    let doubt = || doubt.get_or_init(|| Doubt::of(project, task, scope));
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
    if count(Letter::A) == 1 && count(Letter::R) > 0 && !both_r_and_s {
        return out; // the common case: nothing to report, nothing allocated
    }

    let accountable = row.holders(Letter::A);
    if accountable.len() != 1 && !doubt().touches(project, Letter::A, &accountable) {
        let message = if accountable.is_empty() {
            format!("task {} has no Accountable party", title(task))
        } else {
            format!(
                "task {} has {} Accountable parties",
                title(task),
                accountable.len()
            )
        };
        let mut diagnostic =
            Diagnostic::new(RuleId::RasciOneAccountable, message).at(task.id.span, "in this task");
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

    if row.holders(Letter::R).is_empty() && !doubt().letters.contains(Letter::R) {
        out.push(
            Diagnostic::new(
                RuleId::RasciHasResponsible,
                format!("task {} has no Responsible party", title(task)),
            )
            .at(task.id.span, "in this task")
            .help("give the party that does the work the letter R"),
        );
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

fn letter_span(cell: &crate::model::Cell, letter: Letter) -> crate::source::Span {
    cell.letter_spans
        .iter()
        .find(|(l, _)| *l == letter)
        .map_or(cell.span, |(_, span)| *span)
}

/// An override names a scope that does not show the task's section.
fn check_overrides(project: &Project, found: &mut Vec<Diagnostic>) {
    for (section, task) in project.tasks() {
        for (scope_id, _) in task.overrides.iter() {
            let Some(scope) = project.scope(&scope_id.value) else {
                continue; // reported as an unknown scope
            };
            if !scope.sections.iter().any(|s| s.value == section.id.value)
                && !meant_section(project, scope, &section.id.value)
            {
                found.push(
                    Diagnostic::new(
                        RuleId::RasciOverrideOutsideScope,
                        format!(
                            "task `{}` overrides its letters for scope `{}`, which does not show section `{}`",
                            task.id.value, scope_id.value, section.id.value
                        ),
                    )
                    .at(scope_id.span, "this scope never shows the task")
                    .label(scope.id.span, "scope defined here")
                    .help(format!(
                        "add `{}` to the scope's sections, or remove this override",
                        section.id.value
                    )),
                );
            }
        }
    }
}

fn check_sections(project: &Project, found: &mut Vec<Diagnostic>) {
    for section in &project.sections {
        if section.tasks.is_empty() {
            found.push(
                Diagnostic::new(
                    RuleId::RasciEmptySection,
                    format!("section `{}` has no tasks", section.id.value),
                )
                .at(section.id.span, "empty section")
                .help("add tasks to it, or remove it"),
            );
        }
        let shown = project
            .scopes
            .iter()
            .any(|scope| scope.sections.iter().any(|s| s.value == section.id.value));
        let meant = project
            .scopes
            .iter()
            .any(|scope| meant_section(project, scope, &section.id.value));
        if !shown && !meant && !project.scopes.is_empty() {
            found.push(
                Diagnostic::new(
                    RuleId::RasciUnusedSection,
                    format!("no scope shows section `{}`", section.id.value),
                )
                .at(section.id.span, "never shown")
                .help("list the section under a scope's `sections:`"),
            );
        }
    }
}

/// Whether `scope` lists an unknown section that is most likely `section` misspelt: the unknown
/// section is then the finding, and what follows from the section being missing is not.
fn meant_section(project: &Project, scope: &crate::model::Scope, section: &str) -> bool {
    let known = || project.sections.iter().map(|s| s.id.as_str());
    scope
        .sections
        .iter()
        .any(|s| project.section(&s.value).is_none() && closest(&s.value, known()) == Some(section))
}

/// Whether a letter was meant for `party` but given where it does not count: under a
/// misspelt party id close to it, or in an override for an unknown scope.
fn meant_party(project: &Project, party: &str) -> bool {
    let known = || project.parties.iter().map(|p| p.id.as_str());
    project.tasks().any(|(_, task)| {
        let cells = task
            .cells
            .iter()
            .chain(task.scope_cells.iter().flat_map(|(_, cells)| cells));
        cells.clone().any(|cell| {
            project.party(&cell.party.value).is_none()
                && closest(&cell.party.value, known()) == Some(party)
        }) || task.scope_cells.iter().any(|(scope, cells)| {
            project.scope(&scope.value).is_none() && cells.iter().any(|c| c.party.value == party)
        })
    })
}

fn check_idle_parties(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
    for (index, party) in project.parties.iter().enumerate() {
        let holds_any = matrices
            .iter()
            .flat_map(|m| m.rows())
            .any(|row| !row.letters(index).is_empty());
        // Letters in a section that only a misspelt section id keeps out of every scope.
        let holds_in_meant = project.sections.iter().any(|section| {
            project
                .scopes
                .iter()
                .any(|scope| meant_section(project, scope, &section.id.value))
                && section.tasks.iter().any(|task| {
                    task.cells
                        .iter()
                        .any(|c| c.party.value == party.id.value && !c.letters.is_empty())
                })
        });
        if !holds_any && !holds_in_meant && !meant_party(project, &party.id.value) {
            found.push(
                Diagnostic::new(
                    RuleId::RasciIdleParty,
                    format!("party `{}` holds no letter in any scope", party.id.value),
                )
                .at(party.id.span, "this party")
                .help("give it letters where it takes part, or remove it"),
            );
        }
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
        for (index, party) in project.parties.iter().enumerate() {
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
                            "`{}` is Accountable for {count} of {total} tasks ({:.0}%) in scope `{}`",
                            party.id.value,
                            share * 100.0,
                            matrix.scope.id.value
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
