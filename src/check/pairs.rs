//! Pairing rules: the `same_as:` keys and `stands_for:` parties that pair two operating
//! models, keys that would pair a task twice (`ref/paired-twice`), and tasks of two
//! models that look like one task but pair by nothing (`model/likely-pair`). The pairing
//! itself is `resolve::pair_tasks`, the one the comparison pages use.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean};
use crate::escape::shown;
use crate::model::{DataKind, Located, ModelIx, Project, Section, Task};
use crate::resolve::{PairedTwice, pair_tasks};
use std::collections::{HashMap, HashSet};

/// Titles closer than this (Jaro–Winkler, on the normalised titles) are "near": a word
/// added or a letter changed, as when one writer abbreviates what another spells out.
const NEAR_TITLE: f64 = 0.93;

/// A section of one model compared title by title with a section of the same id in
/// another, for near titles, only while both have at most this many unpaired tasks, so
/// the check stays linear in the number of tasks. Equal titles are found at any size.
const NEAR_TITLE_SECTION_LIMIT: usize = 64;

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    if !project.complete(DataKind::Tasks) || !project.complete(DataKind::Models) {
        return;
    }
    let tasks: Vec<Vec<(&Section, &Task)>> = project
        .models()
        .map(|(model, _)| {
            project
                .model_sections(model)
                .flat_map(|s| s.tasks.iter().map(move |t| (s, t)))
                .collect()
        })
        .collect();
    check_keys(project, &tasks, found);
    for a in 0..tasks.len() {
        for b in a + 1..tasks.len() {
            check_pair(
                project,
                [ModelIx(a), ModelIx(b)],
                [&tasks[a], &tasks[b]],
                found,
            );
        }
    }
    if project.complete(DataKind::Parties) {
        check_stands_for(project, found);
    }
}

/// "` of model `x``", or nothing for the implicit model.
fn of_model(project: &Project, model: ModelIx) -> String {
    match project.model_at(model).id() {
        Some(id) => format!(" of model `{id}`"),
        None => String::new(),
    }
}

/// Every `same_as:` names a task of another model.
fn check_keys(project: &Project, tasks: &[Vec<(&Section, &Task)>], found: &mut Vec<Diagnostic>) {
    let mut models_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (model, list) in tasks.iter().enumerate() {
        for (_, task) in list {
            models_of.entry(task.id.as_str()).or_default().push(model);
        }
    }
    for (model, list) in tasks.iter().enumerate() {
        for (_, task) in list {
            let Some(key) = &task.same_as else { continue };
            let elsewhere = models_of
                .get(key.as_str())
                .is_some_and(|models| models.iter().any(|&m| m != model));
            if elsewhere {
                continue;
            }
            let others = tasks
                .iter()
                .enumerate()
                .filter(|&(m, _)| m != model)
                .flat_map(|(_, list)| list.iter().map(|(_, t)| t.id.as_str()));
            let help = if tasks.len() < 2 {
                "`same_as:` pairs a task with the same task of another model of \
                 data/models.yaml; this project has one model"
                    .to_string()
            } else {
                did_you_mean(key.as_str(), others).unwrap_or_else(|| {
                    "`same_as:` names the id of the same task in another model".to_string()
                })
            };
            found.push(
                Diagnostic::new(
                    RuleId::RefUnknownTask,
                    format!(
                        "task `{}` named by `same_as:` of task `{}`{} is in no other model",
                        shown(key.as_str()),
                        task.id.value,
                        of_model(project, ModelIx(model))
                    ),
                )
                .at(key.span, "no other model has a task of this id")
                .help(help),
            );
        }
    }
}

/// Keys that pair a task twice, and equal or near titles that pair by nothing, between
/// two models.
fn check_pair(
    project: &Project,
    models: [ModelIx; 2],
    lists: [&[(&Section, &Task)]; 2],
    found: &mut Vec<Diagnostic>,
) {
    let tasks = lists.map(|list| list.iter().map(|&(_, t)| t).collect::<Vec<_>>());
    let pairs = pair_tasks([&tasks[0], &tasks[1]]);
    for twice in &pairs.twice {
        found.push(paired_twice(project, models, &tasks, twice));
    }
    // Equal titles, anywhere in the two models.
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in &pairs.only_first {
        by_title
            .entry(normalised(&tasks[0][i].title.value))
            .or_default()
            .push(i);
    }
    let mut suggested: HashSet<usize> = HashSet::new();
    let mut unmatched = Vec::new();
    for &j in &pairs.only_second {
        let section = lists[1][j].0.id.as_str();
        let candidates = by_title
            .get(&normalised(&tasks[1][j].title.value))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let pick = candidates
            .iter()
            .copied()
            .filter(|i| !suggested.contains(i))
            .min_by_key(|&i| lists[0][i].0.id.as_str() != section);
        match pick {
            Some(i) => {
                suggested.insert(i);
                found.push(likely_pair(
                    project,
                    models,
                    lists,
                    [i, j],
                    "the same title",
                ));
            }
            None => unmatched.push(j),
        }
    }
    // Near titles, within sections of the same id.
    let mut by_section: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in pairs.only_first.iter().filter(|i| !suggested.contains(i)) {
        by_section
            .entry(lists[0][i].0.id.as_str())
            .or_default()
            .push(i);
    }
    let mut by_section_second: HashMap<&str, Vec<usize>> = HashMap::new();
    for &j in &unmatched {
        by_section_second
            .entry(lists[1][j].0.id.as_str())
            .or_default()
            .push(j);
    }
    for &j in &unmatched {
        let section = lists[1][j].0.id.as_str();
        let Some(candidates) = by_section.get(section) else {
            continue;
        };
        if candidates.len() > NEAR_TITLE_SECTION_LIMIT
            || by_section_second[section].len() > NEAR_TITLE_SECTION_LIMIT
        {
            continue;
        }
        let title = normalised(&tasks[1][j].title.value);
        let titles: Vec<String> = candidates
            .iter()
            .map(|&i| normalised(&tasks[0][i].title.value))
            .collect();
        let near = candidates.iter().zip(&titles).find(|&(i, t)| {
            !suggested.contains(i) && strsim::jaro_winkler(&title, t) >= NEAR_TITLE
        });
        if let Some((&i, _)) = near {
            suggested.insert(i);
            found.push(likely_pair(
                project,
                models,
                lists,
                [i, j],
                "a near title in a section of the same id",
            ));
        }
    }
}

/// A title as pairs compare it: lowercase words of letters and digits.
fn normalised(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn likely_pair(
    project: &Project,
    models: [ModelIx; 2],
    lists: [&[(&Section, &Task)]; 2],
    [i, j]: [usize; 2],
    why: &str,
) -> Diagnostic {
    let (first, second) = (lists[0][i].1, lists[1][j].1);
    let same_section = lists[0][i].0.id.value == lists[1][j].0.id.value;
    Diagnostic::new(
        RuleId::ModelLikelyPair,
        format!(
            "task `{}`{} looks like task `{}`{} ({why}{}), but the two pair by nothing",
            second.id.value,
            of_model(project, models[1]),
            first.id.value,
            of_model(project, models[0]),
            if same_section && !why.contains("section") {
                ", in a section of the same id"
            } else {
                ""
            },
        ),
    )
    .at(
        second.id.span,
        "this task pairs with no task of the other model",
    )
    .label(first.id.span, "the task it looks like")
    .help(format!(
        "if they are one task, write `same_as: {}` on task `{}`; if not, give them titles \
         that tell them apart",
        first.id.value, second.id.value
    ))
}

fn paired_twice(
    project: &Project,
    models: [ModelIx; 2],
    tasks: &[Vec<&Task>; 2],
    twice: &PairedTwice,
) -> Diagnostic {
    let other = 1 - twice.side;
    let task = tasks[twice.side][twice.task];
    let kept = tasks[other][twice.kept];
    let claimant = tasks[other][twice.claimant];
    let writer = if twice.writer_side == twice.side {
        task
    } else {
        claimant
    };
    let key = writer
        .same_as
        .as_ref()
        .map_or(writer.id.span, |key: &Located<String>| key.span);
    Diagnostic::new(
        RuleId::RefPairedTwice,
        format!(
            "task `{}`{} is paired twice: with `{}` and with `{}`{}",
            task.id.value,
            of_model(project, models[twice.side]),
            kept.id.value,
            claimant.id.value,
            of_model(project, models[other]),
        ),
    )
    .at(key, "this key pairs it a second time")
    .label(kept.id.span, "the task it is already paired with")
    .help(format!(
        "a task pairs with one task of another model; keep one pairing: remove this \
         `same_as:`, or the key or id that pairs `{}` with `{}`",
        task.id.value, kept.id.value
    ))
}

/// `stands_for:` pairs one of the model's own parties with a party of another model.
fn check_stands_for(project: &Project, found: &mut Vec<Diagnostic>) {
    for (index, model) in project.models() {
        let Some(def) = &model.def else { continue };
        let own: Vec<&str> = model
            .parties
            .iter()
            .map(|&p| project.parties[p].id.as_str())
            .collect();
        let others: Vec<&str> = project
            .models()
            .filter(|&(m, _)| m != index)
            .flat_map(|(_, m)| m.parties.iter().map(|&p| project.parties[p].id.as_str()))
            .collect();
        for (mine, theirs) in def.stands_for.iter() {
            if !own.contains(&mine.as_str()) {
                found.push(unknown_party(
                    mine,
                    format!(
                        "party `{}` of `stands_for:` does not take part in model `{}`",
                        shown(mine.as_str()),
                        def.id.value
                    ),
                    "a key of `stands_for:` is one of the model's own parties",
                    &own,
                ));
            }
            if !others.contains(&theirs.as_str()) {
                found.push(unknown_party(
                    theirs,
                    format!(
                        "party `{}` that `{}` stands for takes part in no other model",
                        shown(theirs.as_str()),
                        shown(mine.as_str())
                    ),
                    "a value of `stands_for:` is a party of another model",
                    &others,
                ));
            }
        }
    }
}

fn unknown_party(at: &Located<String>, message: String, rule: &str, known: &[&str]) -> Diagnostic {
    let help = did_you_mean(at.as_str(), known.iter().copied()).unwrap_or_else(|| rule.to_string());
    Diagnostic::new(RuleId::RefUnknownParty, message)
        .at(at.span, "not a party here")
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::{NEAR_TITLE, normalised};

    #[test]
    fn titles_compare_as_lowercase_words() {
        assert_eq!(normalised("  Patch the Servers. "), "patch the servers");
        assert_eq!(
            normalised("Provide the tenant"),
            normalised("provide  the-tenant")
        );
    }

    #[test]
    fn a_letter_more_is_near_and_another_task_is_not() {
        let near =
            |a: &str, b: &str| strsim::jaro_winkler(&normalised(a), &normalised(b)) >= NEAR_TITLE;
        assert!(near("Patch the server", "Patch the servers"));
        assert!(near("Train the users", "Train the user"));
        assert!(!near("Run it", "Fix it"));
        assert!(!near("Provide the tenant", "Patch the servers"));
    }
}
