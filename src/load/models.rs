//! Operating models: each tasks, summaries and flows file is given to the model its
//! `model:` key names, and the models' party and scope ids become indices.
//!
//! This runs once every data file is parsed, because a file's model is defined in
//! another file (`data/models.yaml`), read in path order after some of them.

use crate::diagnostic::{Diagnostic, Findings, RuleId, did_you_mean, list_names};
use crate::model::{
    DataKind, Flow, Located, Model, ModelDef, ModelIx, Project, ScopeIx, Section, Summary,
};
use crate::source::{FileId, Sources, Span};
use std::collections::{HashMap, HashSet};

/// The items of one file whose model is not known yet: the file, its `model:` key, and
/// what it holds.
type Pending<T> = Vec<(FileId, Option<Located<String>>, Vec<T>)>;

/// The tasks, summaries and flows files read, waiting for their models.
#[derive(Default)]
pub(crate) struct Owned {
    pub(crate) sections: Pending<Section>,
    pub(crate) summaries: Pending<Summary>,
    pub(crate) flows: Pending<Flow>,
}

/// Makes the project's models from `defs` (the implicit model when there are none) and
/// moves each file's items into the project, marked with their model. A file that names
/// no model, or an unknown one, while the project has models is a finding, and its items
/// are left out with their kind marked unread, so the checks do not echo the mistake.
pub(crate) fn place(
    project: &mut Project,
    defs: Vec<ModelDef>,
    owned: Owned,
    findings: &mut Findings,
) {
    let models_read = project.complete(DataKind::Models);
    project.models = if defs.is_empty() {
        vec![Model::implicit(project.parties.len(), project.scopes.len())]
    } else {
        defs.into_iter()
            .map(|def| with_indices(project, def))
            .collect()
    };
    mark_default(&mut project.models, findings);
    if !models_read {
        // Which model each file meant cannot be told: everything goes to the first model
        // and the kinds that depend on it stay unjudged.
        project
            .unread_kinds
            .extend([DataKind::Tasks, DataKind::Summaries, DataKind::Flows]);
    }
    let ids: Vec<String> = project
        .models
        .iter()
        .filter_map(|m| m.id().map(str::to_string))
        .collect();
    let mut placer = Placer {
        ids: &ids,
        judge: models_read,
        named_missing: false,
        findings,
    };
    let Owned {
        sections,
        summaries,
        flows,
    } = owned;
    let mut unread = Vec::new();
    for (file, key, mut items) in sections {
        match placer.model_of(file, &project.sources, key.as_ref()) {
            Some(model) => {
                items.iter_mut().for_each(|item| item.model = model);
                project.sections.extend(items);
            }
            None => unread.push(DataKind::Tasks),
        }
    }
    for (file, key, mut items) in summaries {
        match placer.model_of(file, &project.sources, key.as_ref()) {
            Some(model) => {
                items.iter_mut().for_each(|item| item.model = model);
                project.summaries.extend(items);
            }
            None => unread.push(DataKind::Summaries),
        }
    }
    for (file, key, mut items) in flows {
        match placer.model_of(file, &project.sources, key.as_ref()) {
            Some(model) => {
                items.iter_mut().for_each(|item| item.model = model);
                project.flows.extend(items);
            }
            None => unread.push(DataKind::Flows),
        }
    }
    if placer.named_missing {
        // Which models the writer meant is unknown, as when `data/models.yaml` cannot
        // be read: ids of several models meet in the implicit one, so what depends on
        // the models stays unjudged, and the keys are the findings.
        unread.extend([
            DataKind::Models,
            DataKind::Tasks,
            DataKind::Summaries,
            DataKind::Flows,
        ]);
    }
    project.unread_kinds.extend(unread);
}

/// A model definition with its party and scope ids looked up. The first party (scope)
/// of an id is the one meant, as everywhere else; unknown and repeated ids are left out
/// here and reported by the checks. Lookups go through maps, so a hostile list of many
/// ids stays linear.
fn with_indices(project: &Project, def: ModelDef) -> Model {
    let parties = indices(project.parties.iter().map(|p| p.id.as_str()), &def.parties);
    let scopes = indices(project.scopes.iter().map(|s| s.id.as_str()), &def.scopes)
        .into_iter()
        .map(ScopeIx)
        .collect();
    Model {
        def: Some(def),
        parties,
        scopes,
        is_default: false,
    }
}

/// Marks the default model: the one whose `default: true` comes first, else the first
/// model. A second `default: true` is a finding naming both, since the two would claim
/// the same addresses.
fn mark_default(models: &mut [Model], findings: &mut Findings) {
    let mut marked = models.iter().enumerate().filter_map(|(index, model)| {
        let default = model.def.as_ref()?.default.as_ref()?;
        default.value.then_some((index, default.span))
    });
    let first = marked.next();
    for (_, span) in marked {
        let (first_index, first_span) = first.unwrap_or((0, span));
        let first_id = models[first_index].id().unwrap_or_default();
        findings.push(
            Diagnostic::new(
                RuleId::IdAddressTaken,
                format!(
                    "two models say `default: true`; model `{first_id}` is the default already"
                ),
            )
            .at(span, "a second default model")
            .label(first_span, "the first default model")
            .help("keep `default: true` on one model only: its pages keep the addresses of a project without models"),
        );
    }
    let default = first.map_or(0, |(index, _)| index);
    if let Some(model) = models.get_mut(default) {
        model.is_default = true;
    }
}

/// The positions in `known` of the ids `wanted` names, in `wanted`'s order, each once.
fn indices<'a>(known: impl Iterator<Item = &'a str>, wanted: &[Located<String>]) -> Vec<usize> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (index, id) in known.enumerate() {
        position.entry(id).or_insert(index);
    }
    let mut taken = HashSet::new();
    wanted
        .iter()
        .filter_map(|id| position.get(id.as_str()).copied())
        .filter(|index| taken.insert(*index))
        .collect()
}

struct Placer<'a> {
    /// The ids of the defined models; empty without models.
    ids: &'a [String],
    /// False when `data/models.yaml` could not be read: keys are then not judged.
    judge: bool,
    /// Whether a file named a model while the project defines none.
    named_missing: bool,
    findings: &'a mut Findings,
}

impl Placer<'_> {
    /// The index of the model a file belongs to, or `None` (with a finding) when it
    /// cannot be told.
    fn model_of(
        &mut self,
        file: FileId,
        sources: &Sources,
        key: Option<&Located<String>>,
    ) -> Option<ModelIx> {
        let path = sources.path(file);
        if !self.judge {
            return Some(ModelIx(0));
        }
        // Each id once: a model id defined twice is `ref/duplicate-id`'s finding, and
        // listing it twice here would only echo it.
        let known = || {
            let mut seen = HashSet::new();
            self.ids
                .iter()
                .map(String::as_str)
                .filter(move |id| seen.insert(*id))
        };
        match key {
            None if self.ids.is_empty() => Some(ModelIx(0)),
            None => {
                // `model:` written without a value (or `null`, `~`) reads as no key; the
                // finding then points at the key and says it is empty.
                let (span, label) = match empty_model_key(&sources.get(file).text) {
                    Some(start) => (
                        Span::new(file, start, start + "model".len()),
                        "the `model:` key has no value",
                    ),
                    None => (Span::new(file, 0, 0), "no `model:` key in this file"),
                };
                self.findings.push(
                    Diagnostic::new(
                        RuleId::RefMissingModel,
                        format!("`{path}` names no model, and the project defines models"),
                    )
                    .at(span, label)
                    .help(format!(
                        "start the file with `model: <id>`, one of {}",
                        list_names(&known().collect::<Vec<_>>())
                    )),
                );
                None
            }
            Some(key) if self.ids.is_empty() => {
                // The file's items stay in the one implicit model, but files that name
                // models are likely meant to keep apart ids that now meet in it.
                self.named_missing = true;
                self.findings.push(
                    Diagnostic::new(
                        RuleId::RefUnknownModel,
                        format!(
                            "this file names model `{}`, but the project defines no models",
                            key.value
                        ),
                    )
                    .at(key.span, "no model has this id")
                    .help("define the model in `data/models.yaml`, or remove the `model:` key"),
                );
                Some(ModelIx(0))
            }
            Some(key) => match self.ids.iter().position(|id| *id == key.value) {
                Some(index) => Some(ModelIx(index)),
                None => {
                    let help = did_you_mean(&key.value, known()).unwrap_or_else(|| {
                        format!(
                            "the models are {}",
                            list_names(&known().collect::<Vec<_>>())
                        )
                    });
                    self.findings.push(
                        Diagnostic::new(
                            RuleId::RefUnknownModel,
                            format!("unknown model `{}`", key.value),
                        )
                        .at(key.span, "no model has this id")
                        .help(help),
                    );
                    None
                }
            },
        }
    }
}

/// The byte offset of a top-level `model:` key whose value is empty, `null` or `~`: YAML
/// reads it as no value at all, which the finding should say rather than "no key".
fn empty_model_key(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("model:") {
            let value = rest.split('#').next().unwrap_or("").trim();
            if matches!(value, "" | "null" | "Null" | "NULL" | "~") {
                return Some(offset);
            }
        }
        offset += line.len();
    }
    None
}
