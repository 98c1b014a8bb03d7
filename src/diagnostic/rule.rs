//! The rule ids: a closed, typed list of every rule a finding can name.
//!
//! Ids are a public contract: CI configurations, SARIF consumers and `check.rules` in
//! `rasci.yaml` name them, so an id is never renamed or reused. Each stage creates findings
//! with a [`RuleId`] variant, so a misspelt id does not compile.
//!
//! The list lives here, at the bottom beside [`Diagnostic`](super::Diagnostic), rather than
//! in `check`: the loader raises the `yaml/*`, `file/*`, `id/*` and config families while it
//! reads files, and rendering raises `content/*` and `link/*`, so every stage needs the ids
//! while none of them may reach up into a later stage. What a rule is (its id, default
//! severity, whether `check.rules` may change it, its one-line summary) is a fact about the
//! id and is declared with it, in one row per rule; the check stage only restyles findings
//! from `rasci.yaml` (see `check::config`), and reporters only read these facts.
//!
//! Families by the stage that raises them:
//! - `check` (one file per family): `rasci/*`, `ref/*`, `model/*`, `flow/*`, `summary/*`, `output/*`
//!   and `config/unknown-rule`;
//! - `load`, while files are read: `yaml/*`, `file/*`, `id/*`, `config/base-url`,
//!   `config/theme`, `config/edit-url`, `config/brand`, `rasci/unknown-letter` and `rasci/repeated-letter` (found while
//!   cells are parsed into letters), and `ref/unknown-model` and `ref/missing-model`
//!   (found while each file's sections, summaries and flows are given their model);
//! - reading and rendering content pages: `content/*` and `link/*`.

use super::severity::Severity;
use std::fmt;

/// Declares [`RuleId`] and its facts from one row per rule, so that a rule cannot be added
/// without its id string, default severity, configurability and summary, and
/// [`RuleId::ALL`] cannot miss a variant.
macro_rules! rules {
    ($(
        $variant:ident = $id:literal, $severity:ident, configurable: $configurable:literal,
        $summary:literal;
    )*) => {
        /// A registered rule. Its [`as_str`](RuleId::as_str) is the public id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(
                #[doc = concat!("`", $id, "`: ", $summary)]
                $variant,
            )*
        }

        impl RuleId {
            /// Every rule, in the order the registry is published (SARIF's rule index).
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The public id, such as `rasci/one-accountable`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The severity a finding of this rule has unless `check.rules` changes it.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(RuleId::$variant => Severity::$severity,)*
                }
            }

            /// Whether `check.rules` may change the severity. Parse failures may not: the
            /// data they stop from loading would otherwise be missing without a word.
            pub const fn configurable(self) -> bool {
                match self {
                    $(RuleId::$variant => $configurable,)*
                }
            }

            /// One line saying what the rule asks for.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    RasciOneAccountable = "rasci/one-accountable", Error, configurable: true,
        "Every task has exactly one Accountable party in each scope that shows it.";
    RasciHasResponsible = "rasci/has-responsible", Error, configurable: true,
        "Every task has at least one Responsible party in each scope that shows it.";
    RasciNoLetters = "rasci/no-letters", Error, configurable: true,
        "A task gives at least one party a letter.";
    RasciUnknownLetter = "rasci/unknown-letter", Error, configurable: true,
        "Cells hold only the letters R, A, S, C and I.";
    RasciOverrideOutsideScope = "rasci/override-outside-scope", Error, configurable: true,
        "A task overrides its letters only for scopes that show its section and that the task applies to.";
    RasciResponsibleAndSupportive = "rasci/responsible-and-supportive", Warning, configurable: true,
        "A party is not both Responsible and Supportive for one task: it does not support its own work.";
    RasciRepeatedLetter = "rasci/repeated-letter", Warning, configurable: true,
        "A letter is given once per cell.";
    RasciIdleParty = "rasci/idle-party", Warning, configurable: true,
        "Every party holds at least one letter somewhere (with models: in each model it takes part in).";
    RasciAccountableShare = "rasci/accountable-share", Warning, configurable: true,
        "No party is Accountable for more than `check.max_accountable_share` of a scope's tasks (scopes of five tasks or more).";
    RasciEmptySection = "rasci/empty-section", Warning, configurable: true,
        "A section holds at least one task.";
    RasciUnusedSection = "rasci/unused-section", Warning, configurable: true,
        "Every section is shown by at least one scope.";
    RefDuplicateId = "ref/duplicate-id", Error, configurable: true,
        "Ids are unique among parties, scopes, models, sections and tasks (per model), systems, flows, and among a flow's lanes and steps; glossary terms are unique.";
    RefUnknownParty = "ref/unknown-party", Error, configurable: true,
        "A party id that is referenced is defined in data/parties.yaml.";
    RefUnknownScope = "ref/unknown-scope", Error, configurable: true,
        "A scope id that is referenced is defined in data/scopes.yaml.";
    RefUnknownSection = "ref/unknown-section", Error, configurable: true,
        "A section id that a scope lists is defined in data/tasks.yaml.";
    RefUnknownTask = "ref/unknown-task", Error, configurable: true,
        "A task id that a flow step names is defined in data/tasks.yaml, and one that a `same_as:` names is a task of another model.";
    RefUnknownLane = "ref/unknown-lane", Error, configurable: true,
        "A flow step's lane is one of the flow's lanes.";
    RefUnknownStep = "ref/unknown-step", Error, configurable: true,
        "An edge of a flow goes to one of the flow's steps.";
    RefUnknownSystem = "ref/unknown-system", Error, configurable: true,
        "A system's connection goes to a defined system.";
    FlowSingleBranch = "flow/single-branch", Error, configurable: true,
        "A decision has at least two labelled branches.";
    FlowUnreachableStep = "flow/unreachable-step", Warning, configurable: true,
        "Every step of a flow can be reached from its start.";
    SummaryEmptyHeading = "summary/empty-heading", Warning, configurable: true,
        "A heading in a responsibility summary has items under it.";
    SummaryItem = "summary/item", Error, configurable: true,
        "A summary item has either `text` or a `heading`, not both and not neither.";
    ConfigUnknownRule = "config/unknown-rule", Error, configurable: true,
        "`check.rules` in rasci.yaml names existing rules.";
    OutputLimit = "output/limit", Error, configurable: false,
        "Texts and matrices fit the downloads: a name or title has at most 32,767 characters, a matrix at most 16,383 parties and 1,048,576 rows.";
    YamlSyntax = "yaml/syntax", Error, configurable: false,
        "Data and config files are well-formed YAML.";
    YamlUnknownField = "yaml/unknown-field", Error, configurable: false,
        "Only documented fields are used; a misspelt field is an error, not ignored.";
    YamlMissingField = "yaml/missing-field", Error, configurable: false,
        "Required fields are present.";
    YamlDuplicateKey = "yaml/duplicate-key", Error, configurable: false,
        "A key appears once per mapping.";
    YamlInvalidValue = "yaml/invalid-value", Error, configurable: false,
        "Values have the documented type.";
    YamlLimit = "yaml/limit", Error, configurable: false,
        "Documents stay within the nesting, size and alias-expansion limits.";
    FileEncoding = "file/encoding", Error, configurable: false,
        "Files are UTF-8 text.";
    FileSymlink = "file/symlink", Error, configurable: false,
        "Symbolic links under data/, content/, the theme and templates/ lead to files inside the project, and are not loops.";
    IdSyntax = "id/syntax", Error, configurable: false,
        "Ids are 1 to 64 lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit; content file and folder names keep at least one of those.";
    IdReserved = "id/reserved", Error, configurable: false,
        "A scope id, a model id, or a top-level content page, does not take a name the site uses for its own files (`static`, `glossary`, ...).";
    IdCollision = "id/collision", Error, configurable: false,
        "No two content pages, glossary terms or flow steps get one URL or anchor, and no model has a scope's id.";
    ConfigBaseUrl = "config/base-url", Error, configurable: false,
        "`base_url` in rasci.yaml is one absolute `http://` or `https://` address, with no white space, quotes or angle brackets.";
    ConfigTheme = "config/theme", Error, configurable: false,
        "`theme` in rasci.yaml names a folder under themes/ (or the built-in `golive`), never a path.";
    ConfigEditUrl = "config/edit-url", Error, configurable: false,
        "`edit_url` in rasci.yaml is one absolute `http://` or `https://` address with exactly one `{path}` placeholder after the host.";
    ConfigBrand = "config/brand", Error, configurable: false,
        "`brand` in rasci.yaml names a logo image inside the project, accent colours with WCAG AA contrast against the theme's backgrounds, and usable link addresses.";
    FileMissing = "file/missing", Error, configurable: false,
        "The project has parties, scopes and tasks: `data/parties.yaml`, `data/scopes.yaml` and `data/tasks.yaml` (or files in `data/parties/`, ...).";
    FileUnknownKind = "file/unknown-kind", Error, configurable: false,
        "YAML files under data/ are named after a kind of data file.";
    ContentFrontMatter = "content/front-matter", Error, configurable: true,
        "Content pages start with YAML front matter between `---` lines, with a `title` and only documented keys.";
    ContentShortcode = "content/shortcode", Error, configurable: true,
        "Shortcodes in content pages name an existing shortcode with valid arguments.";
    ContentUnsafeHtml = "content/unsafe-html", Warning, configurable: true,
        "Raw HTML in content pages uses only elements and attributes that are safe to publish; the rest is removed.";
    ContentUnsafeUrl = "content/unsafe-url", Warning, configurable: true,
        "Links and images use no address that runs code (`javascript:`, `vbscript:`, `data:` other than an image); such links are dropped.";
    LinkBroken = "link/broken", Error, configurable: true,
        "Every internal link and `#anchor` of the built site leads to a page and an element that exist.";
    // Added after the list was first published: new rules go last, so that the index of
    // every earlier rule (SARIF's `ruleIndex`) stays the same.
    RefUnknownModel = "ref/unknown-model", Error, configurable: false,
        "The `model:` of a tasks, summaries or flows file names a model of data/models.yaml.";
    RefMissingModel = "ref/missing-model", Error, configurable: false,
        "When data/models.yaml defines models, every tasks, summaries and flows file names its model with `model:`.";
    RasciUncoveredScope = "rasci/uncovered-scope", Warning, configurable: true,
        "When data/models.yaml defines models, every scope is covered by at least one model.";
    RasciTaskOutsideScopes = "rasci/task-outside-scopes", Error, configurable: true,
        "A task's `scopes:` names at least one scope that shows its section.";
    IdAddressTaken = "id/address-taken", Error, configurable: false,
        "No two things claim one address of the site: two pages, a page and an alias, two aliases, or two default models.";
    RefPairedTwice = "ref/paired-twice", Error, configurable: true,
        "A task pairs with at most one task of another model: no `same_as:` names a task already paired by id or by another key.";
    ModelLikelyPair = "model/likely-pair", Warning, configurable: true,
        "Tasks of two models with the same title that pair neither by id nor by `same_as:` are paired with a key, or given titles that tell them apart.";
    RefUnknownCondition = "ref/unknown-condition", Error, configurable: true,
        "A condition id under `when:` (of a task, a cell, a summary item or a flow step) is defined in data/conditions.yaml.";
    RasciUnusedCondition = "rasci/unused-condition", Warning, configurable: true,
        "Every condition of data/conditions.yaml is used under some `when:`.";
    RasciTooManyConditions = "rasci/too-many-conditions", Error, configurable: false,
        "A scope's tasks use at most 8 conditions, so its checks under every combination of them stay bounded (256 combinations).";
    RefUnknownFramework = "ref/unknown-framework", Error, configurable: true,
        "A control reference under a task's `controls:` names a framework of data/frameworks.yaml, as `framework:control`.";
    RefUnknownControl = "ref/unknown-control", Error, configurable: true,
        "A control reference names a control its framework lists, when the framework lists its controls.";
    RasciFrameworkLimits = "rasci/framework-limits", Error, configurable: false,
        "At most 32 frameworks, 2,000 controls a framework and 32 control references a task; control ids and link patterns keep to their form.";
}

impl RuleId {
    /// The rule with the public id `id`, for ids written by people (`check.rules`).
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|rule| rule.as_str() == id)
    }

    /// The position in [`RuleId::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RuleId::ALL.len());
    }

    #[test]
    fn index_is_the_position_in_all() {
        for (position, rule) in RuleId::ALL.iter().enumerate() {
            assert_eq!(rule.index(), position);
            assert_eq!(RuleId::from_id(rule.as_str()), Some(*rule));
        }
        assert_eq!(RuleId::from_id("rasci/one-acountable"), None);
    }

    #[test]
    fn ids_are_family_slash_name_in_lowercase() {
        for rule in RuleId::ALL {
            let id = rule.as_str();
            let (family, name) = id.split_once('/').expect("family/name");
            for part in [family, name] {
                assert!(
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{id}"
                );
            }
        }
    }

    #[test]
    fn parse_failures_are_fixed_errors() {
        for rule in RuleId::ALL {
            let family = rule.as_str().split('/').next().unwrap();
            if family == "yaml" || family == "file" || family == "id" {
                assert!(!rule.configurable(), "{rule}");
                assert_eq!(rule.default_severity(), Severity::Error, "{rule}");
            }
        }
    }
}
