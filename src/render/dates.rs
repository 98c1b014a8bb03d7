//! The day each page last changed: what the dates are made from (the git history and,
//! per kind of data file, the latest day one changed), worked out once per build.

use crate::load::history::History;
use crate::model::{DataKind, Project};

/// What the dates of pages are made from: the git history, and the latest day a file of
/// each data kind changed, worked out once per build so that a page's date costs a few
/// lookups, not a pass over every file of the project.
pub(crate) struct PageDates<'p> {
    /// `last_updated` of the config: `false` leaves every date out.
    pub(crate) shown: bool,
    pub(crate) history: &'p History,
    /// Per kind of data file that has a date, the latest day one of its files changed.
    by_kind: Vec<(DataKind, &'p str)>,
}

impl<'p> PageDates<'p> {
    pub(crate) fn new(project: &Project, history: &'p History) -> PageDates<'p> {
        let mut by_kind: Vec<(DataKind, &'p str)> = Vec::new();
        for (_, source) in project.sources.files() {
            let (Some(kind), Some(day)) = (
                crate::load::kinds::of_path(&source.path),
                history.date(&source.path),
            ) else {
                continue;
            };
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, held)) if *held >= day => {}
                Some((_, held)) => *held = day,
                None => by_kind.push((kind, day)),
            }
        }
        PageDates {
            shown: project.config.last_updated,
            history,
            by_kind,
        }
    }

    /// The latest day a data file of one of `kinds` changed.
    pub(crate) fn of_kinds(&self, kinds: &[DataKind]) -> Option<&'p str> {
        self.by_kind
            .iter()
            .filter(|(kind, _)| kinds.contains(kind))
            .map(|(_, day)| *day)
            .max()
    }
}

/// The data a scope page shows besides its sections' tasks: its scope (from the
/// scopes file), the operating models, the parties heading its columns, their summaries,
/// its systems and flows.
/// The glossary only marks words on a page, as on every page, and dates none of them.
pub(crate) const SCOPE_DATA: &[DataKind] = &[
    DataKind::Models,
    DataKind::Parties,
    DataKind::Scopes,
    DataKind::Summaries,
    DataKind::Systems,
    DataKind::Flows,
    DataKind::Conditions,
    DataKind::Frameworks,
];

/// The data a party page, the comparison and the home page's cards are made from: the
/// operating models, the parties, the scopes and the tasks' letters.
pub(crate) const MATRIX_DATA: &[DataKind] = &[
    DataKind::Models,
    DataKind::Parties,
    DataKind::Scopes,
    DataKind::Tasks,
    DataKind::Conditions,
];
