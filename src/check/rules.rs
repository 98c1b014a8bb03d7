//! The registry of rule ids. Ids are a public contract: CI configurations, SARIF consumers
//! and `check.rules` in `rasci.yaml` name them, so an id is never renamed or reused.

use crate::diagnostic::Severity;

/// A rule's id, default severity and one-line description.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// Whether `check.rules` may change its severity. Parse failures may not: the data
    /// they stop from loading would otherwise be missing without a word.
    pub configurable: bool,
    pub summary: &'static str,
}

const fn rule(id: &'static str, severity: Severity, summary: &'static str) -> Rule {
    Rule {
        id,
        severity,
        configurable: true,
        summary,
    }
}

const fn fixed(id: &'static str, summary: &'static str) -> Rule {
    Rule {
        id,
        severity: Severity::Error,
        configurable: false,
        summary,
    }
}

use Severity::{Error, Warning};

/// Every rule, in the order the README documents them.
pub const RULES: &[Rule] = &[
    rule(
        "rasci/one-accountable",
        Error,
        "Every task has exactly one Accountable party in each scope that shows it.",
    ),
    rule(
        "rasci/has-responsible",
        Error,
        "Every task has at least one Responsible party in each scope that shows it.",
    ),
    rule(
        "rasci/no-letters",
        Error,
        "A task gives at least one party a letter.",
    ),
    rule(
        "rasci/unknown-letter",
        Error,
        "Cells hold only the letters R, A, S, C and I.",
    ),
    rule(
        "rasci/override-outside-scope",
        Error,
        "A task overrides its letters only for scopes that show its section.",
    ),
    rule(
        "rasci/responsible-and-supportive",
        Warning,
        "A party is not both Responsible and Supportive for one task: it does not support its own work.",
    ),
    rule(
        "rasci/repeated-letter",
        Warning,
        "A letter is given once per cell.",
    ),
    rule(
        "rasci/idle-party",
        Warning,
        "Every party holds at least one letter somewhere.",
    ),
    rule(
        "rasci/accountable-share",
        Warning,
        "No party is Accountable for more than `check.max_accountable_share` of a scope's tasks (scopes of five tasks or more).",
    ),
    rule(
        "rasci/empty-section",
        Warning,
        "A section holds at least one task.",
    ),
    rule(
        "rasci/unused-section",
        Warning,
        "Every section is shown by at least one scope.",
    ),
    rule(
        "ref/duplicate-id",
        Error,
        "Ids are unique among parties, scopes, sections, tasks, systems, flows, and among a flow's lanes and steps; glossary terms are unique.",
    ),
    rule(
        "ref/unknown-party",
        Error,
        "A party id that is referenced is defined in data/parties.yaml.",
    ),
    rule(
        "ref/unknown-scope",
        Error,
        "A scope id that is referenced is defined in data/scopes.yaml.",
    ),
    rule(
        "ref/unknown-section",
        Error,
        "A section id that a scope lists is defined in data/tasks.yaml.",
    ),
    rule(
        "ref/unknown-task",
        Error,
        "A task id that a flow step names is defined in data/tasks.yaml.",
    ),
    rule(
        "ref/unknown-lane",
        Error,
        "A flow step's lane is one of the flow's lanes.",
    ),
    rule(
        "ref/unknown-step",
        Error,
        "An edge of a flow goes to one of the flow's steps.",
    ),
    rule(
        "ref/unknown-system",
        Error,
        "A system's connection goes to a defined system.",
    ),
    rule(
        "flow/single-branch",
        Error,
        "A decision has at least two labelled branches.",
    ),
    rule(
        "flow/unreachable-step",
        Warning,
        "Every step of a flow can be reached from its start.",
    ),
    rule(
        "summary/empty-heading",
        Warning,
        "A heading in a responsibility summary has items under it.",
    ),
    rule(
        "summary/item",
        Error,
        "A summary item has either `text` or a `heading`, not both and not neither.",
    ),
    rule(
        "config/unknown-rule",
        Error,
        "`check.rules` in rasci.yaml names existing rules.",
    ),
    fixed("yaml/syntax", "Data and config files are well-formed YAML."),
    fixed(
        "yaml/unknown-field",
        "Only documented fields are used; a misspelt field is an error, not ignored.",
    ),
    fixed("yaml/missing-field", "Required fields are present."),
    fixed("yaml/duplicate-key", "A key appears once per mapping."),
    fixed("yaml/invalid-value", "Values have the documented type."),
    fixed(
        "yaml/limit",
        "Documents stay within the nesting, size and alias-expansion limits.",
    ),
    fixed("file/encoding", "Files are UTF-8 text."),
    fixed(
        "file/symlink",
        "Symbolic links under data/, content/, the theme and templates/ lead to files inside the project, and are not loops.",
    ),
    fixed(
        "id/syntax",
        "Ids are 1 to 64 lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit; content file and folder names keep at least one of those.",
    ),
    fixed(
        "id/reserved",
        "A scope id, or a top-level content page, does not take a name the site uses for its own files (`static`, `glossary`, ...).",
    ),
    fixed(
        "id/collision",
        "No two content pages, glossary terms or flow steps get one URL or anchor.",
    ),
    fixed(
        "config/base-url",
        "`base_url` in rasci.yaml is one absolute `http://` or `https://` address, with no white space, quotes or angle brackets.",
    ),
    fixed(
        "config/theme",
        "`theme` in rasci.yaml names a folder under themes/ (or the built-in `golive`), never a path.",
    ),
    fixed(
        "file/missing",
        "The project has parties, scopes and tasks: `data/parties.yaml`, `data/scopes.yaml` and `data/tasks.yaml` (or files in `data/parties/`, ...).",
    ),
    fixed(
        "file/unknown-kind",
        "YAML files under data/ are named after a kind of data file.",
    ),
    rule(
        "content/front-matter",
        Error,
        "Content pages start with YAML front matter between `---` lines, with a `title` and only documented keys.",
    ),
    rule(
        "content/shortcode",
        Error,
        "Shortcodes in content pages name an existing shortcode with valid arguments.",
    ),
    rule(
        "content/unsafe-html",
        Warning,
        "Raw HTML in content pages uses only elements and attributes that are safe to publish; the rest is removed.",
    ),
    rule(
        "content/unsafe-url",
        Warning,
        "Links and images use no address that runs code (`javascript:`, `vbscript:`, `data:` other than an image); such links are dropped.",
    ),
    rule(
        "link/broken",
        Error,
        "Every internal link and `#anchor` of the built site leads to a page and an element that exist.",
    ),
];

/// The finding for a kind of data file of which the project has no file at all. The
/// checks that need its ids then stay quiet: this one finding is the cause of them all.
pub fn missing_file(kind: &str) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(
        "file/missing",
        format!("there is no `data/{kind}.yaml`: the project defines no {kind}"),
    )
    .help(format!(
        "create `data/{kind}.yaml` (or files in `data/{kind}/`); `rasci init` writes an example of each"
    ))
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The default severity of a registered rule. An unregistered id is a programming error,
/// caught by the test below for every id the code uses.
pub fn default_severity(id: &str) -> Severity {
    find(id).map_or(Severity::Error, |r| r.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_used_in_the_source_is_registered() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (at, _) in text.match_indices("Diagnostic::new(\"") {
                let rest = &text[at + 17..];
                let id = &rest[..rest.find('"').unwrap()];
                assert!(
                    find(id).is_some(),
                    "{id} in {:?} is not registered",
                    entry.path()
                );
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
