//! Reference rules: ids are unique, and every id that is referenced exists.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean};
use crate::model::{CellText, DataKind, Located, Project, SummaryItem};
use crate::source::Span;
use std::collections::HashMap;

pub fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    let party_ids: Vec<&str> = project.parties.iter().map(|p| p.id.as_str()).collect();
    let scope_ids: Vec<&str> = project.scopes.iter().map(|s| s.id.as_str()).collect();
    let section_ids: Vec<&str> = project.sections.iter().map(|s| s.id.as_str()).collect();
    let task_ids: Vec<&str> = project.tasks().map(|(_, t)| t.id.as_str()).collect();
    let system_ids: Vec<&str> = project.systems.iter().map(|s| s.id.as_str()).collect();

    unique("party", project.parties.iter().map(|p| &p.id), found);
    unique("scope", project.scopes.iter().map(|s| &s.id), found);
    unique("section", project.sections.iter().map(|s| &s.id), found);
    unique("task", project.tasks().map(|(_, t)| &t.id), found);
    unique("system", project.systems.iter().map(|s| &s.id), found);
    unique("flow", project.flows.iter().map(|f| &f.id), found);
    unique_terms(project, found);

    let complete = |kind| project.complete(kind);
    let parties = Known::new(
        "party",
        RuleId::RefUnknownParty,
        &party_ids,
        complete(DataKind::Parties),
    );
    let scopes = Known::new(
        "scope",
        RuleId::RefUnknownScope,
        &scope_ids,
        complete(DataKind::Scopes),
    );
    let sections = Known::new(
        "section",
        RuleId::RefUnknownSection,
        &section_ids,
        complete(DataKind::Tasks),
    );
    let tasks = Known::new(
        "task",
        RuleId::RefUnknownTask,
        &task_ids,
        complete(DataKind::Tasks),
    );
    let systems = Known::new(
        "system",
        RuleId::RefUnknownSystem,
        &system_ids,
        complete(DataKind::Systems),
    );

    for scope in &project.scopes {
        for section in &scope.sections {
            sections.check(section, found);
        }
    }
    for (_, task) in project.tasks() {
        check_cells(project, &task.rasci, &parties, found);
        for (scope, cells) in task.overrides.iter() {
            scopes.check(scope, found);
            check_cells(project, cells, &parties, found);
        }
    }
    for summary in &project.summaries {
        parties.check(&summary.party, found);
        check_summary_scopes(&summary.items, &scopes, found);
    }
    for system in &project.systems {
        parties.check(&system.managed_by, found);
        for scope in system.scopes.iter().flatten() {
            scopes.check(scope, found);
        }
        for connection in &system.connects_to {
            systems.check(&connection.to, found);
        }
    }
    for flow in &project.flows {
        for scope in flow.scopes.iter().flatten() {
            scopes.check(scope, found);
        }
        unique("lane", flow.lanes.iter().map(|l| &l.id), found);
        unique("step", flow.steps.iter().map(|s| &s.id), found);
        let lane_ids: Vec<&str> = flow.lanes.iter().map(|l| l.id.as_str()).collect();
        let step_ids: Vec<&str> = flow.steps.iter().map(|s| s.id.as_str()).collect();
        let lanes = Known::new("lane", RuleId::RefUnknownLane, &lane_ids, true);
        let steps = Known::new("step", RuleId::RefUnknownStep, &step_ids, true);
        for lane in &flow.lanes {
            parties.check(&lane.party, found);
        }
        for step in &flow.steps {
            lanes.check(&step.lane, found);
            for next in &step.next {
                steps.check(next, found);
            }
            for branch in &step.branches {
                steps.check(&branch.to, found);
            }
            if let Some(task) = &step.task {
                tasks.check(task, found);
            }
        }
    }
}

type Cells = crate::model::Entries<Located<String>, Located<CellText>>;

/// The party ids of one `rasci:` mapping. An unquoted `{ customer: A, R }` is split by
/// YAML at the comma into `customer: A` and a key `R` without a value; that is one
/// finding at the cell, showing the quoted form, and not an unknown party `R`.
fn check_cells(project: &Project, cells: &Cells, parties: &Known<'_>, found: &mut Vec<Diagnostic>) {
    let entries: Vec<_> = cells.iter().collect();
    for (i, (party, _)) in entries.iter().enumerate() {
        if i > 0 && split_off(project, &entries[i]) {
            if split_off(project, &entries[i - 1]) {
                continue; // reported with the cell it was split from
            }
            let (owner, value) = entries[i - 1];
            let end = entries[i..]
                .iter()
                .take_while(|entry| split_off(project, entry))
                .last()
                .map_or(party.span.end, |(key, _)| key.span.end);
            let written = Span::new(value.span.file, value.span.start, end);
            let letters = project.sources.slice(written).trim();
            found.push(
                Diagnostic::new(
                    RuleId::RefUnknownParty,
                    format!(
                        "YAML split the cell `{}: {letters}` at its comma",
                        owner.value
                    ),
                )
                .at(
                    written,
                    "read as two entries: the letters after the comma became a party id",
                )
                .help(format!(
                    "quote letters that hold a comma: `{{ {}: \"{letters}\" }}`",
                    owner.value
                )),
            );
            continue;
        }
        parties.check(party, found);
    }
}

/// Whether a cell's key is letters that YAML split off the cell before it: capitals of
/// RASCI only, no value, and no `:` after it in the file.
fn split_off(project: &Project, (key, value): &&(Located<String>, Located<CellText>)) -> bool {
    let letters_only = !key.value.is_empty()
        && key.value.chars().all(|c| "RASCI, ".contains(c))
        && project.party(&key.value).is_none();
    let no_value = matches!(&value.value, CellText::Text(t) if t.is_empty());
    let text = &project.sources.get(key.span.file).text;
    let after = text.get(key.span.end..).unwrap_or("").trim_start();
    letters_only && no_value && !after.starts_with(':')
}

/// The scopes named by a summary's items, at every depth.
fn check_summary_scopes(items: &[SummaryItem], scopes: &Known<'_>, found: &mut Vec<Diagnostic>) {
    for item in items {
        for scope in item.scopes.iter().flatten() {
            scopes.check(scope, found);
        }
        check_summary_scopes(&item.items, scopes, found);
    }
}

/// Ids of one kind, to check references against.
struct Known<'a> {
    kind: &'static str,
    rule: RuleId,
    ids: &'a [&'a str],
    /// False when a file defining such ids could not be read: then no reference is
    /// reported as unknown, since it may well be defined there.
    complete: bool,
}

impl<'a> Known<'a> {
    fn new(kind: &'static str, rule: RuleId, ids: &'a [&'a str], complete: bool) -> Self {
        Known {
            kind,
            rule,
            ids,
            complete,
        }
    }

    fn check(&self, reference: &Located<String>, found: &mut Vec<Diagnostic>) {
        if !self.complete || self.ids.contains(&reference.as_str()) {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            self.rule,
            format!("unknown {} `{}`", self.kind, reference.value),
        )
        .at(reference.span, format!("no {} has this id", self.kind));
        diagnostic = match did_you_mean(&reference.value, self.ids.iter().copied()) {
            Some(suggestion) => diagnostic.help(suggestion),
            None if self.ids.is_empty() => {
                diagnostic.help(format!("no {} is defined at all", self.kind))
            }
            None => diagnostic.help(format!(
                "known {} ids: {}",
                self.kind,
                crate::diagnostic::list_names(self.ids)
            )),
        };
        found.push(diagnostic);
    }
}

/// Reports every id given again, pointing at both places.
fn unique<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a Located<String>>,
    found: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, &Located<String>> = HashMap::new();
    for id in ids {
        match first.get(id.as_str()) {
            Some(earlier) => found.push(
                Diagnostic::new(
                    RuleId::RefDuplicateId,
                    format!("{kind} id `{}` is defined twice", id.value),
                )
                .at(id.span, "defined again here")
                .label(earlier.span, "first defined here")
                .help(format!("give each {kind} its own id")),
            ),
            None => {
                first.insert(id.as_str(), id);
            }
        }
    }
}

fn unique_terms(project: &Project, found: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &Located<String>> = HashMap::new();
    let names = project
        .glossary
        .iter()
        .flat_map(|t| std::iter::once(&t.term).chain(t.aliases.iter()));
    for name in names {
        let key = name.value.to_lowercase();
        match first.get(&key) {
            Some(earlier) => found.push(
                Diagnostic::new(
                    RuleId::RefDuplicateId,
                    format!("glossary term `{}` is defined twice", name.value),
                )
                .at(name.span, "defined again here")
                .label(earlier.span, "first defined here")
                .help("terms are compared without regard to case"),
            ),
            None => {
                first.insert(key, name);
            }
        }
    }
}
