//! Reference rules: ids are unique, and every id that is referenced exists.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean};
use crate::model::{CellText, DataKind, Located, ModelIx, Project, SummaryItem};
use crate::source::Span;
use std::collections::HashMap;

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    let party_ids: Vec<&str> = project.parties.iter().map(|p| p.id.as_str()).collect();
    let scope_ids: Vec<&str> = project.scopes.iter().map(|s| s.id.as_str()).collect();
    let system_ids: Vec<&str> = project.systems.iter().map(|s| s.id.as_str()).collect();

    unique("party", project.parties.iter().map(|p| &p.id), "", found);
    unique("scope", project.scopes.iter().map(|s| &s.id), "", found);
    unique(
        "condition",
        project.conditions.iter().map(|c| &c.id),
        "",
        found,
    );
    unique(
        "framework",
        project.frameworks.iter().map(|f| &f.id),
        "",
        found,
    );
    for framework in &project.frameworks {
        let context = format!(" in framework `{}`", framework.id.value);
        unique(
            "control",
            framework.controls.iter().map(|c| &c.id),
            &context,
            found,
        );
    }
    let defs = || project.models.iter().filter_map(|m| m.def.as_ref());
    unique("model", defs().map(|d| &d.id), "", found);
    // Section and task ids are per model; with `data/models.yaml` unread, which model a
    // section belongs to is unknown, and equal ids may well be in different models.
    if project.complete(DataKind::Models) {
        for (index, model) in project.models() {
            let sections = || project.model_sections(index);
            let context = model.in_model();
            unique("section", sections().map(|s| &s.id), &context, found);
            let tasks = sections().flat_map(|s| s.tasks.iter().map(|t| &t.id));
            unique("task", tasks, &context, found);
        }
    }
    unique("system", project.systems.iter().map(|s| &s.id), "", found);
    unique("flow", project.flows.iter().map(|f| &f.id), "", found);
    unique_terms(project, found);

    let complete = |kind| project.complete(kind);
    let parties = Known::new(
        "party",
        RuleId::RefUnknownParty,
        party_ids.clone(),
        complete(DataKind::Parties),
    );
    let scopes = Known::new(
        "scope",
        RuleId::RefUnknownScope,
        scope_ids.clone(),
        complete(DataKind::Scopes),
    );
    let systems = Known::new(
        "system",
        RuleId::RefUnknownSystem,
        system_ids,
        complete(DataKind::Systems),
    );

    for def in defs() {
        let context = format!(" in model `{}`", def.id.value);
        listed_once("party", def.parties.iter(), &context, found);
        listed_once("scope", def.scopes.iter(), &context, found);
        for party in &def.parties {
            parties.check(party, found);
        }
        for scope in &def.scopes {
            scopes.check(scope, found);
        }
    }

    let per_model: Vec<InModel<'_>> = project
        .models()
        .map(|(index, _)| InModel::new(project, index))
        .collect();
    check_scope_sections(project, &per_model, found);

    for section in &project.sections {
        let Some(model) = per_model.get(section.model.0) else {
            continue;
        };
        for task in &section.tasks {
            for scope in task.scopes.iter().flatten() {
                model.scopes.check(scope, found);
            }
            check_cells(project, &task.rasci, &model.parties, found);
            for (scope, cells) in task.overrides.iter() {
                model.scopes.check(scope, found);
                check_cells(project, cells, &model.parties, found);
            }
        }
    }
    for summary in &project.summaries {
        let Some(model) = per_model.get(summary.model.0) else {
            continue;
        };
        model.parties.check(&summary.party, found);
        check_summary_scopes(&summary.items, &model.scopes, found);
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
        let Some(model) = per_model.get(flow.model.0) else {
            continue;
        };
        for scope in flow.scopes.iter().flatten() {
            model.scopes.check(scope, found);
        }
        unique("lane", flow.lanes.iter().map(|l| &l.id), "", found);
        unique("step", flow.steps.iter().map(|s| &s.id), "", found);
        let lane_ids: Vec<&str> = flow.lanes.iter().map(|l| l.id.as_str()).collect();
        let step_ids: Vec<&str> = flow.steps.iter().map(|s| s.id.as_str()).collect();
        let lanes = Known::new("lane", RuleId::RefUnknownLane, lane_ids, true);
        let steps = Known::new("step", RuleId::RefUnknownStep, step_ids, true);
        for lane in &flow.lanes {
            model.parties.check(&lane.party, found);
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
                model.tasks.check(task, found);
            }
        }
    }
}

/// The ids one model knows, to check the references of its tasks, summaries and flows
/// against: its own parties, scopes, sections and tasks.
struct InModel<'a> {
    parties: Known<'a>,
    scopes: Known<'a>,
    sections: Known<'a>,
    tasks: Known<'a>,
}

impl<'a> InModel<'a> {
    fn new(project: &'a Project, index: ModelIx) -> Self {
        let model = project.model_at(index);
        let party_ids = model
            .parties
            .iter()
            .map(|&p| project.parties[p].id.as_str())
            .collect();
        let scope_ids = model
            .scopes
            .iter()
            .map(|&s| project.scope_at(s).id.as_str())
            .collect();
        let section_ids = project
            .model_sections(index)
            .map(|s| s.id.as_str())
            .collect();
        let task_ids = project
            .model_sections(index)
            .flat_map(|s| s.tasks.iter().map(|t| t.id.as_str()))
            .collect();
        let complete = |kind| project.complete(kind) && project.complete(DataKind::Models);
        let context = model.in_model();
        let known = |kind, rule, ids, complete, everywhere| {
            Known::new(kind, rule, ids, complete).within(context.clone(), everywhere)
        };
        InModel {
            parties: known(
                "party",
                RuleId::RefUnknownParty,
                party_ids,
                complete(DataKind::Parties),
                project.parties.iter().map(|p| p.id.as_str()).collect(),
            ),
            scopes: known(
                "scope",
                RuleId::RefUnknownScope,
                scope_ids,
                complete(DataKind::Scopes),
                project.scopes.iter().map(|s| s.id.as_str()).collect(),
            ),
            sections: known(
                "section",
                RuleId::RefUnknownSection,
                section_ids,
                complete(DataKind::Tasks),
                Vec::new(),
            ),
            tasks: known(
                "task",
                RuleId::RefUnknownTask,
                task_ids,
                complete(DataKind::Tasks),
                Vec::new(),
            ),
        }
    }
}

/// The section ids that scopes and models list. A scope's own `sections:` is the list of
/// every model that covers the scope without a list of its own for it, so its ids are
/// checked in each such model; a model's `sections:` lists are checked in the model, and
/// their keys are scopes the model covers.
fn check_scope_sections(project: &Project, per_model: &[InModel<'_>], found: &mut Vec<Diagnostic>) {
    for (scope_index, scope) in project.scopes() {
        let users: Vec<ModelIx> = project
            .models()
            .filter(|(_, m)| m.has_scope(scope_index) && m.own_section_ids(scope).is_none())
            .map(|(i, _)| i)
            .collect();
        let context = format!(" in the sections of scope `{}`", scope.id.value);
        listed_once("section", scope.sections.iter(), &context, found);
        for section in &scope.sections {
            for &model in &users {
                per_model[model.0].sections.check(section, found);
            }
        }
    }
    for (index, model) in project.models() {
        let Some(def) = &model.def else { continue };
        for (scope, sections) in def.sections.iter() {
            let context = format!(
                " in the sections of model `{}` for `{}`",
                def.id.value, scope.value
            );
            listed_once("section", sections.iter(), &context, found);
            per_model[index.0].scopes.check(scope, found);
            for section in sections {
                per_model[index.0].sections.check(section, found);
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
    ids: Vec<&'a str>,
    /// False when a file defining such ids could not be read: then no reference is
    /// reported as unknown, since it may well be defined there.
    complete: bool,
    /// Where the ids are looked up, for messages: " in model `x`", or empty for the
    /// whole project.
    context: String,
    /// With a context: the ids of the whole project, to tell a typo from an id that is
    /// known but outside the model. Only parties and scopes are given one: they are what
    /// a model lists.
    everywhere: Vec<&'a str>,
}

impl<'a> Known<'a> {
    fn new(kind: &'static str, rule: RuleId, ids: Vec<&'a str>, complete: bool) -> Self {
        Known {
            kind,
            rule,
            ids,
            complete,
            context: String::new(),
            everywhere: Vec::new(),
        }
    }

    /// The same ids, looked up within one model; `everywhere` are the project's.
    fn within(mut self, context: String, everywhere: Vec<&'a str>) -> Self {
        self.context = context;
        self.everywhere = everywhere;
        self
    }

    fn check(&self, reference: &Located<String>, found: &mut Vec<Diagnostic>) {
        if !self.complete || self.ids.contains(&reference.as_str()) {
            return;
        }
        if !self.context.is_empty() && self.everywhere.contains(&reference.as_str()) {
            found.push(
                Diagnostic::new(
                    self.rule,
                    format!(
                        "{} `{}` is not a {}{}",
                        self.kind, reference.value, self.kind, self.context
                    ),
                )
                .at(
                    reference.span,
                    format!("a {} of the project, not of this model", self.kind),
                )
                .help({
                    let list = if self.kind == "party" { "parties" } else { "scopes" };
                    if self.ids.is_empty() {
                        format!(
                            "the model's `{list}:` is empty; add `{}` to it in data/models.yaml if it takes part",
                            reference.value
                        )
                    } else {
                        format!(
                            "the model's {list} are {}; add `{}` to its `{list}:` in data/models.yaml if it takes part",
                            crate::diagnostic::list_names(&self.ids),
                            reference.value
                        )
                    }
                }),
            );
            return;
        }
        let label = if self.context.is_empty() {
            format!("no {} has this id", self.kind)
        } else {
            format!("no {} of this model has this id", self.kind)
        };
        let mut diagnostic = Diagnostic::new(
            self.rule,
            format!(
                "unknown {} `{}`{}",
                self.kind, reference.value, self.context
            ),
        )
        .at(reference.span, label);
        diagnostic = match did_you_mean(&reference.value, self.ids.iter().copied()) {
            Some(suggestion) => diagnostic.help(suggestion),
            None if self.ids.is_empty() => diagnostic.help(format!(
                "no {} is defined{} at all",
                self.kind, self.context
            )),
            None => diagnostic.help(format!(
                "known {} ids{}: {}",
                self.kind,
                self.context,
                crate::diagnostic::list_names(&self.ids)
            )),
        };
        found.push(diagnostic);
    }
}

/// Reports every id given again, pointing at both places.
/// `context` (" in model `x`", or empty) ends the message.
fn unique<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a Located<String>>,
    context: &str,
    found: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, &Located<String>> = HashMap::new();
    for id in ids {
        match first.get(id.as_str()) {
            Some(earlier) => found.push(
                Diagnostic::new(
                    RuleId::RefDuplicateId,
                    format!("{kind} id `{}` is defined twice{context}", id.value),
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

/// Reports an id listed again in a list of references (a model's `parties:` or
/// `scopes:`): once per id, at its first repeat, since repeating a reference changes
/// nothing and a long list of one id is one mistake.
fn listed_once<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a Located<String>>,
    context: &str,
    found: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, (&Located<String>, bool)> = HashMap::new();
    for id in ids {
        match first.get_mut(id.as_str()) {
            Some((_, true)) => {}
            Some((earlier, reported)) => {
                *reported = true;
                found.push(
                    Diagnostic::new(
                        RuleId::RefDuplicateId,
                        format!("{kind} `{}` is listed twice{context}", id.value),
                    )
                    .at(id.span, "listed again here")
                    .label(earlier.span, "first listed here")
                    .help(format!("list each {kind} once")),
                );
            }
            None => {
                first.insert(id.as_str(), (id, false));
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
