//! How data files are named after their kind: `data/<kind>.yaml`, or any YAML file in
//! `data/<kind>/`. The kinds themselves are [`DataKind`]; this is the one place that maps
//! file names onto them, for the loader and for anyone who later needs to know which kind
//! a loaded file holds (the rebuild memo).

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::DataKind;
use crate::source::Span;

/// Whether a file name is that of a YAML file.
pub(crate) fn is_yaml(file_name: &str) -> bool {
    file_name.ends_with(".yaml") || file_name.ends_with(".yml")
}

/// The name that says the kind of a data file, from its path below `data/` split into
/// components: the stem of a file directly in `data/`, the folder of a file one below.
/// `None` for a path that is not a YAML file at either depth.
pub(crate) fn kind_name<'a>(below_data: &[&'a str]) -> Option<&'a str> {
    match below_data {
        [file] if is_yaml(file) => file.rsplit_once('.').map(|(stem, _)| stem),
        [folder, file] if is_yaml(file) => Some(folder),
        _ => None,
    }
}

/// The kind of a loaded file, by its project-relative path (`data/tasks/billing.yaml`).
/// `None` for files outside `data/` and for data files of no known kind.
pub fn of_path(relative: &str) -> Option<DataKind> {
    let below: Vec<&str> = relative.strip_prefix("data/")?.split('/').collect();
    DataKind::from_name(kind_name(&below)?)
}

/// The finding for a YAML file under `data/` whose name is not a kind: its content would
/// otherwise be silently ignored.
pub(crate) fn unknown_kind(name: &str, file: Span) -> Diagnostic {
    let names = DataKind::ALL.map(DataKind::as_str);
    let help = did_you_mean(name, names).unwrap_or_else(|| {
        format!(
            "data files are named after their kind: {}",
            list_names(&names)
        )
    });
    Diagnostic::new(
        RuleId::FileUnknownKind,
        format!("`{name}` is not a kind of data file"),
    )
    .at(file, "this file would be ignored")
    .help(help)
}

/// The finding for a required kind of which the project has no file at all. The checks
/// that need its ids then stay quiet: this one finding is the cause of them all.
pub(crate) fn missing_file(kind: DataKind) -> Diagnostic {
    Diagnostic::new(
        RuleId::FileMissing,
        format!("there is no `data/{kind}.yaml`: the project defines no {kind}"),
    )
    .help(format!(
        "create `data/{kind}.yaml` (or files in `data/{kind}/`); `rasci init` writes an example of each"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_by_its_stem_or_its_folder() {
        assert_eq!(of_path("data/parties.yaml"), Some(DataKind::Parties));
        assert_eq!(of_path("data/tasks/billing.yml"), Some(DataKind::Tasks));
        assert_eq!(of_path("data/glossary/a.b.yaml"), Some(DataKind::Glossary));
        assert_eq!(of_path("data/notes.yaml"), None);
        assert_eq!(of_path("data/tasks/deeper/billing.yaml"), None);
        assert_eq!(of_path("data/tasks.txt"), None);
        assert_eq!(of_path("content/tasks.yaml"), None);
    }

    #[test]
    fn an_unknown_kind_suggests_the_closest() {
        let finding = unknown_kind("partys", Span::new(crate::source::FileId(0), 0, 0));
        assert_eq!(finding.help.as_deref(), Some("did you mean `parties`?"));
        let finding = unknown_kind("zzz", Span::new(crate::source::FileId(0), 0, 0));
        assert!(finding.help.unwrap().contains("`parties`, `scopes`"));
    }
}
