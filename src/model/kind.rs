//! The kinds of data file: one closed list that the loader, the JSON Schemas and the
//! rebuild memo all read, so that a new kind cannot be loaded without a schema or left
//! out of the memo by accident (every `match` on it is exhaustive).
//!
//! It lives in the model, not in `load`, because the model's [`Project`](super::Project)
//! records which kinds could not be read, and the model sits below the loader. How a file
//! is named after its kind is the loader's business: see `load::kinds`.

use std::fmt;

/// A kind of data file, named by the file's stem (`data/parties.yaml`) or by the folder
/// holding it (`data/tasks/billing.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataKind {
    Parties,
    Scopes,
    Tasks,
    Summaries,
    Glossary,
    Systems,
    Flows,
    Models,
    Conditions,
    Frameworks,
    Agreement,
}

impl DataKind {
    /// Every kind, in the order findings and help texts list them.
    pub const ALL: [DataKind; 11] = [
        DataKind::Parties,
        DataKind::Scopes,
        DataKind::Tasks,
        DataKind::Summaries,
        DataKind::Glossary,
        DataKind::Systems,
        DataKind::Flows,
        DataKind::Models,
        DataKind::Conditions,
        DataKind::Frameworks,
        DataKind::Agreement,
    ];

    /// The name files of this kind carry: `parties` for `data/parties.yaml`.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            DataKind::Parties => "parties",
            DataKind::Scopes => "scopes",
            DataKind::Tasks => "tasks",
            DataKind::Summaries => "summaries",
            DataKind::Glossary => "glossary",
            DataKind::Systems => "systems",
            DataKind::Flows => "flows",
            DataKind::Models => "models",
            DataKind::Conditions => "conditions",
            DataKind::Frameworks => "frameworks",
            DataKind::Agreement => "agreement",
        }
    }

    /// The kind whose files are named `name`.
    pub(crate) fn from_name(name: &str) -> Option<DataKind> {
        DataKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether every project needs files of this kind: without parties, scopes and tasks
    /// there is no matrix, so their absence is a finding (`file/missing`).
    pub(crate) const fn required(self) -> bool {
        match self {
            DataKind::Parties | DataKind::Scopes | DataKind::Tasks => true,
            DataKind::Summaries
            | DataKind::Glossary
            | DataKind::Systems
            | DataKind::Flows
            | DataKind::Models
            | DataKind::Conditions
            | DataKind::Frameworks => false,
            DataKind::Agreement => false,
        }
    }

    /// Whether every page of the site shows data of this kind. Glossary terms are marked
    /// in the text of any page, and every page links the models, so a change to either
    /// changes every page; the other kinds
    /// feed only the pages built from the data, which the rebuild memo redoes on their
    /// own.
    pub(crate) const fn shown_on_every_page(self) -> bool {
        match self {
            // Models name the switcher and the home page's grid, which every page links;
            // conditions badge rows, summary items and flow steps of any data page;
            // frameworks name the navigation's pages of them and the references of rows.
            DataKind::Glossary | DataKind::Models | DataKind::Conditions | DataKind::Frameworks => {
                true
            }
            DataKind::Parties
            | DataKind::Scopes
            | DataKind::Tasks
            | DataKind::Summaries
            | DataKind::Systems
            | DataKind::Flows
            | DataKind::Agreement => false,
        }
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for kind in DataKind::ALL {
            assert_eq!(DataKind::from_name(kind.as_str()), Some(kind));
        }
        let mut names: Vec<_> = DataKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DataKind::ALL.len());
        assert_eq!(DataKind::from_name("party"), None);
    }
}
