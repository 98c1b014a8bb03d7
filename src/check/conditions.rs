//! Condition rules: every `when:` names a condition of `data/conditions.yaml`, every
//! condition is used somewhere, and no scope uses more than
//! [`MAX_CONDITIONS_PER_SCOPE`] of them, so the matrix rules, which run under every
//! combination of a row's conditions (see `matrix`), stay bounded.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::{DataKind, Located, MAX_CONDITIONS_PER_SCOPE, Project, SummaryItem, Task};
use crate::resolve::Matrix;
use std::collections::{BTreeSet, HashSet};

pub(crate) fn check(project: &Project, matrices: &[Matrix<'_>], found: &mut Vec<Diagnostic>) {
    let uses = every_use(project);
    if project.complete(DataKind::Conditions) {
        for id in &uses {
            if project.condition(&id.value).is_none() {
                found.push(unknown(project, id));
            }
        }
        let used: HashSet<&str> = uses.iter().map(|id| id.value.as_str()).collect();
        for condition in &project.conditions {
            if !used.contains(condition.id.value.as_str()) {
                found.push(
                    Diagnostic::new(
                        RuleId::RasciUnusedCondition,
                        format!("condition `{}` is used nowhere", condition.id.value),
                    )
                    .at(condition.id.span, "defined here")
                    .help("name it under `when:` of a task, a cell, a summary item or a flow step, or remove it"),
                );
            }
        }
    }
    for matrix in matrices {
        let mut seen = BTreeSet::new();
        for row in matrix.rows() {
            for id in task_uses(row.task) {
                if seen.insert(id.value.as_str()) && seen.len() == MAX_CONDITIONS_PER_SCOPE + 1 {
                    found.push(
                        Diagnostic::new(
                            RuleId::RasciTooManyConditions,
                            format!(
                                "scope `{}` uses more than {MAX_CONDITIONS_PER_SCOPE} conditions",
                                matrix.scope.id.value
                            ),
                        )
                        .at(id.span, format!("condition number {}", seen.len()))
                        .help(format!(
                            "a scope's tasks use at most {MAX_CONDITIONS_PER_SCOPE} conditions, so that its checks under every combination of them stay bounded; split the scope or merge conditions"
                        )),
                    );
                }
            }
        }
    }
}

/// The conditions a task names: its own `when:` and its cells', overrides included.
pub(crate) fn task_uses(task: &Task) -> impl Iterator<Item = &Located<String>> {
    task.when.iter().chain(
        task.cells
            .iter()
            .chain(task.scope_cells.iter().flat_map(|(_, cells)| cells.iter()))
            .flat_map(|cell| cell.when.iter()),
    )
}

/// Every `when:` entry of the project, in source order of its kind.
fn every_use(project: &Project) -> Vec<&Located<String>> {
    let mut uses: Vec<&Located<String>> = project.tasks().flat_map(|(_, t)| task_uses(t)).collect();
    fn items<'p>(list: &'p [SummaryItem], uses: &mut Vec<&'p Located<String>>) {
        for item in list {
            uses.extend(&item.when);
            uses.extend(item.also.iter().flat_map(|clause| &clause.when));
            items(&item.items, uses);
        }
    }
    for summary in &project.summaries {
        items(&summary.items, &mut uses);
    }
    for flow in &project.flows {
        for step in &flow.steps {
            uses.extend(&step.when);
        }
    }
    uses
}

fn unknown(project: &Project, id: &Located<String>) -> Diagnostic {
    let known: Vec<&str> = project.conditions.iter().map(|c| c.id.as_str()).collect();
    let help = did_you_mean(&id.value, known.iter().copied()).unwrap_or_else(|| {
        if known.is_empty() {
            "define it in `data/conditions.yaml` with an id and a name".to_string()
        } else {
            format!("the conditions are {}", list_names(&known))
        }
    });
    Diagnostic::new(
        RuleId::RefUnknownCondition,
        format!("there is no condition `{}`", id.value),
    )
    .at(id.span, "not defined in data/conditions.yaml")
    .help(help)
}
