//! The project as written: parties, scopes, sections of tasks, summaries, glossary,
//! systems and flows, each value with the span it was read from.
//!
//! These types are both what the YAML files deserialize into and what later stages read.
//! Keeping one set of types means the JSON Schema published by `rasci schema` is derived
//! from exactly the structs the loader accepts, so the two cannot drift apart.

use crate::source::Span;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use std::fmt;

mod agreement;
mod frameworks;
mod ix;
mod kind;
mod operating;
pub(crate) mod scope_list;
pub(crate) mod terms;

pub(crate) use crate::located::{Entries, Located, with_current_file};
pub(crate) use agreement::AgreementFile;
pub use agreement::{Agreement, Approval, Day, Interval, MAX_REVIEW_DAYS, MAX_VERSION_LABEL};
pub(crate) use frameworks::{
    CONTROL_PLACEHOLDER, ControlUrl, FrameworksFile, control_problem, split_reference,
};
pub use frameworks::{
    Control, Framework, MAX_CONTROL_LEN, MAX_CONTROLS_PER_FRAMEWORK, MAX_CONTROLS_PER_TASK,
    MAX_FRAMEWORKS,
};
pub use ix::{ModelIx, ScopeIx};
pub use kind::DataKind;
pub use operating::{Model, ModelDef, ModelsFile};

/// One of the five RASCI roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Letter {
    R,
    A,
    S,
    C,
    I,
}

impl Letter {
    /// All letters in RASCI order: the legend's order, the JSON export's, and a cell's
    /// when `matrix.letter_order` is `rasci`.
    pub(crate) const ALL: [Letter; 5] = [Letter::R, Letter::A, Letter::S, Letter::C, Letter::I];

    pub(crate) fn from_char(c: char) -> Option<Letter> {
        match c {
            'R' => Some(Letter::R),
            'A' => Some(Letter::A),
            'S' => Some(Letter::S),
            'C' => Some(Letter::C),
            'I' => Some(Letter::I),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Letter::R => "R",
            Letter::A => "A",
            Letter::S => "S",
            Letter::C => "C",
            Letter::I => "I",
        }
    }

    /// The role's name, as read out to screen readers and shown in legends.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Letter::R => "Responsible",
            Letter::A => "Accountable",
            Letter::S => "Supportive",
            Letter::C => "Consulted",
            Letter::I => "Informed",
        }
    }

    /// What the role means, in the words of the legend: those of the seed pages the
    /// example reproduces, word for word (`tests/fixtures/seeds/`).
    pub(crate) fn meaning(self) -> &'static str {
        match self {
            Letter::R => "Responsible for executing the task",
            Letter::A => "Accountable for making sure task has been performed",
            Letter::S => "Supportive to help execute the task",
            Letter::C => "Consulted about execution of the task",
            Letter::I => "Informed about execution of the task",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of letters, always iterated in RASCI order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LetterSet(u8);

impl LetterSet {
    pub fn insert(&mut self, letter: Letter) -> bool {
        let had = self.contains(letter);
        self.0 |= letter.bit();
        !had
    }
    pub(crate) fn contains(self, letter: Letter) -> bool {
        self.0 & letter.bit() != 0
    }
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub(crate) fn iter(self) -> impl Iterator<Item = Letter> {
        Letter::ALL.into_iter().filter(move |l| self.contains(*l))
    }
}

impl fmt::Display for LetterSet {
    /// `R, A` style, in RASCI order (a cell's own order is `Cell::text`'s).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letters: Vec<&str> = self.iter().map(Letter::as_str).collect();
        f.write_str(&letters.join(", "))
    }
}

/// A matrix cell as written: `"A, R"`, `AR` or `[A, R]`. Parsed into letters by the loader,
/// which knows where each letter stands in the file and can point at a bad one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CellText {
    Text(String),
    List(Vec<Located<String>>),
    /// `{ letters: "R", when: [premium-plus] }`: letters that apply only under conditions.
    Conditional(Box<ConditionalCell>),
}

/// A cell written as a mapping: its letters, the conditions they apply under and a note.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionalCell {
    pub(crate) letters: Located<CellText>,
    #[serde(default)]
    pub(crate) when: Vec<Located<String>>,
    /// A caveat on the letters ("when purchased"), inline Markdown of at most
    /// [`MAX_NOTE_CHARS`] characters.
    #[serde(default)]
    pub(crate) note: Option<Located<String>>,
}

/// The longest note of a task or a cell, in characters: a note is a caveat beside the
/// letters, not a page; the loader reports a longer one where it is written.
pub const MAX_NOTE_CHARS: usize = 500;

impl<'de> Deserialize<'de> for CellText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CellVisitor;
        impl<'de> Visitor<'de> for CellVisitor {
            type Value = CellText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("letters such as \"A, R\", AR or [A, R]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CellText, E> {
                Ok(CellText::Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<CellText, E> {
                Ok(CellText::Text(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CellText, A::Error> {
                let mut letters = Vec::new();
                while let Some(letter) = seq.next_element()? {
                    letters.push(letter);
                }
                Ok(CellText::List(letters))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<CellText, A::Error> {
                let cell =
                    ConditionalCell::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CellText::Conditional(Box::new(cell)))
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

impl JsonSchema for CellText {
    fn schema_name() -> Cow<'static, str> {
        "Letters".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "RASCI letters: \"A, R\", \"AR\" or [A, R]. R Responsible, A Accountable, S Supportive, C Consulted, I Informed. Letters that apply only under conditions: { letters: \"R\", when: [premium-plus] }; letters with a note: { letters: \"A, R\", note: \"when purchased\" }.",
            "anyOf": [
                {"type": "string", "pattern": "^[RASCI ,]*$"},
                {"type": "array", "items": {"type": "string", "enum": ["R", "A", "S", "C", "I"]}, "uniqueItems": true},
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["letters"],
                    "properties": {
                        "letters": {
                            "anyOf": [
                                {"type": "string", "pattern": "^[RASCI ,]*$"},
                                {"type": "array", "items": {"type": "string", "enum": ["R", "A", "S", "C", "I"]}, "uniqueItems": true}
                            ]
                        },
                        "when": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}, "minItems": 1},
                        "note": {"type": "string", "maxLength": 500, "description": "A short note on the letters (inline Markdown, at most 500 characters), listed under the table."}
                    }
                }
            ]
        })
    }
}

/// A cell after parsing: the party it belongs to and its letters, each with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub party: Located<String>,
    /// The letters as a set, for the checks: which roles the party holds.
    pub(crate) letters: LetterSet,
    /// The same letters in the order the data writes them (`"A, R"` is A, then R), each
    /// once: a repeat is a finding and is not kept. Pages and most exports show this order.
    pub(crate) written: Vec<Letter>,
    /// The span of the whole cell value.
    pub(crate) span: Span,
    /// Where each letter stands, for labels such as "Accountable here".
    pub(crate) letter_spans: Vec<(Letter, Span)>,
    /// The conditions (ids of `data/conditions.yaml`) under which the cell applies: all
    /// of them must hold. Empty for a plain cell, which always applies.
    pub(crate) when: Vec<Located<String>>,
    /// The cell's note (`note:` of the mapping form); `None` for most cells.
    pub(crate) note: Option<Located<String>>,
}

impl Cell {
    /// The letters in the order `order` asks for: as written, or in RASCI order.
    pub(crate) fn letters_in(&self, order: crate::config::LetterOrder) -> Vec<Letter> {
        match order {
            crate::config::LetterOrder::Written => self.written.clone(),
            crate::config::LetterOrder::Rasci => self.letters.iter().collect(),
        }
    }

    /// `A, R`: the letters in `order`, separated by a comma and a space, as the seed
    /// tables and the CSV write them.
    pub(crate) fn text(&self, order: crate::config::LetterOrder) -> String {
        let letters: Vec<&str> = self
            .letters_in(order)
            .into_iter()
            .map(Letter::as_str)
            .collect();
        letters.join(", ")
    }
}

// ---------------------------------------------------------------------------------------
// data/parties.yaml

/// `data/parties.yaml`: who takes part.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartiesFile {
    pub(crate) parties: Vec<Party>,
}

/// An organisation or group that holds letters in the matrix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Short identifier used in `rasci:` cells, e.g. `customer`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    /// Name shown as the column heading.
    pub name: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Former ids of the party: its page keeps a redirect at each one's address.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
}

// ---------------------------------------------------------------------------------------
// data/conditions.yaml

/// `data/conditions.yaml`: what a contract may or may not include ("Premium Plus support
/// purchased"). Tasks, cells, summary items and flow steps name them under `when:`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionsFile {
    pub(crate) conditions: Vec<Condition>,
}

/// A condition of a contract, which holds for some readers and not for others.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Short identifier used in `when:` lists, e.g. `premium-plus`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    /// Name shown on badges and in the legend, e.g. "Premium Plus support purchased".
    pub name: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
}

/// The most conditions one scope may use: its checks run under every combination of
/// them, 2^8 = 256 at most.
pub const MAX_CONDITIONS_PER_SCOPE: usize = 8;

// ---------------------------------------------------------------------------------------
// data/scopes.yaml

/// `data/scopes.yaml`: the deployments; each is a page of the site.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopesFile {
    pub(crate) scopes: Vec<Scope>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub(crate) name: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Section ids shown in this scope, in this order.
    pub(crate) sections: Vec<Located<String>>,
    /// Former ids of the scope: each address its pages had under one of them keeps a
    /// redirect to the page.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
}

// ---------------------------------------------------------------------------------------
// data/tasks.yaml

/// `data/tasks.yaml`: sections of tasks with their letters.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TasksFile {
    /// The operating model (an id of `data/models.yaml`) this file's sections and tasks belong to;
    /// required when the project defines models, an error when it does not.
    #[serde(default)]
    pub(crate) model: Option<Located<String>>,
    pub(crate) sections: Vec<Section>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    /// Heading row shown above the section's tasks; the first, general section has none.
    #[serde(default)]
    pub(crate) title: Option<Located<String>>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Former ids of the section: each stays an anchor of its heading row, so a link
    /// to `#<former id>` still lands there.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
    /// Index into `Project::models` of the model this belongs to, set by the loader
    /// from its file's `model:` key (0, the implicit model, without models).
    #[serde(skip)]
    #[schemars(skip)]
    pub model: ModelIx,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub title: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Former ids of the task: each stays an anchor of its row (`#task-<former id>`), so
    /// a link written to the old id still lands on the row.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
    /// The id of the same task in another operating model, for models written with their
    /// own ids: the comparison of the two models pairs this task with that one, as it
    /// pairs tasks of equal ids.
    #[serde(default)]
    pub(crate) same_as: Option<Located<String>>,
    /// Scope ids this task applies to; every scope that shows its section when absent.
    /// In the other scopes the task is absent: from their matrices, checks and exports.
    #[serde(default, deserialize_with = "scope_list::some_scope_ids")]
    #[schemars(length(min = 1))]
    pub scopes: Option<Vec<Located<String>>>,
    /// Conditions (ids of `data/conditions.yaml`) under which the task applies: all of
    /// them must hold; always when absent.
    #[serde(default)]
    pub(crate) when: Vec<Located<String>>,
    /// Controls the task implements, as `framework:control` (a framework of
    /// `data/frameworks.yaml` and one of its controls), e.g. `iso27001:A.5.24`.
    #[serde(default)]
    #[schemars(
        length(max = 32),
        inner(regex(pattern = r"^[a-z0-9][a-z0-9_-]*:[A-Za-z0-9][A-Za-z0-9._()-]*$"))
    )]
    pub(crate) controls: Vec<Located<String>>,
    /// A short note on the whole row (inline Markdown, at most 500 characters), listed
    /// under the table with the cells' notes.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub(crate) note: Option<Located<String>>,
    /// Letters per party id.
    #[serde(default)]
    pub(crate) rasci: Entries<Located<String>, Located<CellText>>,
    /// Per-scope replacements of some parties' letters: `in: { onprem: { customer: "A, R" } }`.
    #[serde(default, rename = "in")]
    pub(crate) overrides: Entries<Located<String>, Entries<Located<String>, Located<CellText>>>,
    /// Filled in by the loader from `rasci`.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) cells: Vec<Cell>,
    /// Filled in by the loader from `in`.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) scope_cells: Vec<(Located<String>, Vec<Cell>)>,
}

impl Task {
    /// Whether the task applies in the scope with id `scope`: it lists no `scopes:`, or
    /// lists this one.
    pub(crate) fn applies_in(&self, scope: &str) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|scopes| scopes.iter().any(|s| s.value == scope))
    }
}

// ---------------------------------------------------------------------------------------
// data/summaries.yaml

/// `data/summaries.yaml`: each party's responsibilities in prose.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SummariesFile {
    /// The operating model (an id of `data/models.yaml`) this file's summaries belong to;
    /// required when the project defines models, an error when it does not.
    #[serde(default)]
    pub(crate) model: Option<Located<String>>,
    pub(crate) summaries: Vec<Summary>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The party this summary is about.
    pub party: Located<String>,
    #[serde(default)]
    pub(crate) title: Option<Located<String>>,
    /// Opening paragraph (Markdown).
    #[serde(default)]
    pub(crate) intro: Option<Located<String>>,
    #[serde(default)]
    pub(crate) items: Vec<SummaryItem>,
    /// Index into `Project::models` of the model this belongs to, set by the loader
    /// from its file's `model:` key (0, the implicit model, without models).
    #[serde(skip)]
    #[schemars(skip)]
    pub model: ModelIx,
}

/// A summary bullet: plain text, or a heading with nested items that apply only in some
/// scopes ("On-premises specific").
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SummaryItem {
    #[serde(default)]
    pub(crate) text: Option<Located<String>>,
    #[serde(default)]
    pub(crate) heading: Option<Located<String>>,
    /// Scopes this item applies to; all scopes when absent.
    #[serde(default, deserialize_with = "scope_list::some_scope_ids")]
    #[schemars(length(min = 1))]
    pub(crate) scopes: Option<Vec<Located<String>>>,
    /// Conditions under which the item applies: all of them must hold; always when absent.
    #[serde(default)]
    pub(crate) when: Vec<Located<String>>,
    /// Clauses of the item's text that apply only under conditions, shown after it:
    /// `also: [{ text: "including 24x7", when: [premium-plus] }]`.
    #[serde(default)]
    pub(crate) also: Vec<Clause>,
    #[serde(default)]
    pub(crate) items: Vec<SummaryItem>,
}

/// A clause of a summary item that holds only under conditions ("including 24x7 for
/// Premium Plus Support customers"): shown after the item's text, after a comma, with a
/// badge, and hidden with its conditions' switches.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Clause {
    /// The clause (inline Markdown), without the comma that joins it to the item.
    pub(crate) text: Located<String>,
    /// Conditions under which the clause applies: all of them must hold.
    #[schemars(length(min = 1))]
    pub(crate) when: Vec<Located<String>>,
}

// ---------------------------------------------------------------------------------------
// data/glossary.yaml

/// `data/glossary.yaml`: terms explained where they are used.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlossaryFile {
    pub(crate) glossary: Vec<Term>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Term {
    pub(crate) term: Located<String>,
    /// Other spellings that are marked too (e.g. `tenants`).
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
    pub(crate) definition: Located<String>,
    /// Where the definition comes from, if quoted.
    #[serde(default)]
    pub(crate) source: Option<Located<String>>,
}

// ---------------------------------------------------------------------------------------
// data/systems.yaml

/// `data/systems.yaml`: components and who manages them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SystemsFile {
    pub(crate) systems: Vec<System>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct System {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub(crate) name: Located<String>,
    /// The party that manages the component: a party id for every model, or a party id
    /// per model id (`{ customer: customer, partner: implementer }`), since who runs a
    /// component is often what tells two operating models apart.
    pub(crate) managed_by: Located<Manager>,
    /// Scopes where the component exists; all scopes when absent.
    #[serde(default, deserialize_with = "scope_list::some_scope_ids")]
    #[schemars(length(min = 1))]
    pub(crate) scopes: Option<Vec<Located<String>>>,
    /// Operating models (ids of `data/models.yaml`) whose pages show the component; all
    /// of them when absent.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub(crate) models: Option<Vec<Located<String>>>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Components this one talks to.
    #[serde(default)]
    pub(crate) connects_to: Vec<Connection>,
}

/// Who manages a system: one party in every model, or one per model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Manager {
    /// A party id, the manager in every model.
    Party(String),
    /// Per model id, the party id managing the component in that model.
    PerModel(Entries<Located<String>, Located<String>>),
}

impl<'de> Deserialize<'de> for Manager {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ManagerVisitor;
        impl<'de> Visitor<'de> for ManagerVisitor {
            type Value = Manager;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a party id, or a party id per model id")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Manager, E> {
                Ok(Manager::Party(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Manager, A::Error> {
                let entries = Entries::<Located<String>, Located<String>>::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(Manager::PerModel(entries))
            }
        }
        deserializer.deserialize_any(ManagerVisitor)
    }
}

impl JsonSchema for Manager {
    fn schema_name() -> Cow<'static, str> {
        "Manager".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The party that manages the component: a party id, or a party id per operating model id ({ customer: customer, partner: implementer }).",
            "anyOf": [
                {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
                }
            ]
        })
    }
}

impl System {
    /// The party id managing the component in `model` (`None` for the implicit model),
    /// with where it is written; `None` when the component has a manager per model and
    /// none for this one (a finding of the check).
    pub(crate) fn manager_in(&self, model: Option<&str>) -> Option<Located<String>> {
        match &self.managed_by.value {
            Manager::Party(id) => Some(Located::new(id.clone(), self.managed_by.span)),
            Manager::PerModel(entries) => entries
                .iter()
                .find(|(key, _)| Some(key.as_str()) == model)
                .map(|(_, party)| party.clone()),
        }
    }

    /// Every party id the component names as its manager, with where it is written.
    pub(crate) fn managers(&self) -> Vec<Located<String>> {
        match &self.managed_by.value {
            Manager::Party(id) => vec![Located::new(id.clone(), self.managed_by.span)],
            Manager::PerModel(entries) => entries.iter().map(|(_, party)| party.clone()).collect(),
        }
    }

    /// Whether the component shows on the pages of `model` (`None` for the implicit
    /// model): it lists no `models:`, or lists this one.
    pub(crate) fn in_model(&self, model: Option<&str>) -> bool {
        match (&self.models, model) {
            (None, _) | (Some(_), None) => true,
            (Some(list), Some(model)) => list.iter().any(|m| m.value == model),
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Connection {
    pub(crate) to: Located<String>,
    #[serde(default)]
    pub(crate) label: Option<Located<String>>,
}

// ---------------------------------------------------------------------------------------
// data/flows.yaml

/// `data/flows.yaml`: processes drawn as swimlanes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlowsFile {
    /// The operating model (an id of `data/models.yaml`) this file's flows belong to;
    /// required when the project defines models, an error when it does not.
    #[serde(default)]
    pub(crate) model: Option<Located<String>>,
    pub(crate) flows: Vec<Flow>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub(crate) title: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// The flow in a few sentences, each a bullet shown before its steps: the short
    /// version a reader takes away.
    #[serde(default)]
    pub(crate) summary: Vec<Located<String>>,
    /// Scopes whose pages show this flow; all scopes when absent.
    #[serde(default, deserialize_with = "scope_list::some_scope_ids")]
    #[schemars(length(min = 1))]
    pub(crate) scopes: Option<Vec<Located<String>>>,
    pub lanes: Vec<Lane>,
    pub steps: Vec<Step>,
    /// Index into `Project::models` of the model this belongs to, set by the loader
    /// from its file's `model:` key (0, the implicit model, without models).
    #[serde(skip)]
    #[schemars(skip)]
    pub model: ModelIx,
}

/// A swimlane: a party, or a role within one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lane {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub(crate) party: Located<String>,
    /// Label of the lane; the party's name when absent.
    #[serde(default)]
    pub(crate) name: Option<Located<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StepKind {
    Start,
    #[default]
    Step,
    Decision,
    End,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    pub lane: Located<String>,
    #[serde(default)]
    pub(crate) kind: StepKind,
    pub(crate) text: Located<String>,
    /// Steps that follow this one.
    #[serde(default)]
    pub next: Vec<Located<String>>,
    /// A decision's labelled ways out.
    #[serde(default)]
    pub branches: Vec<Branch>,
    /// A task of the matrix this step carries out.
    #[serde(default)]
    pub(crate) task: Option<Located<String>>,
    /// Conditions under which the step is taken: all of them must hold; always when absent.
    #[serde(default)]
    pub(crate) when: Vec<Located<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub label: Located<String>,
    pub(crate) to: Located<String>,
}

// ---------------------------------------------------------------------------------------

/// Everything read from a project, in source order. Files of one kind are read in path
/// order, so `data/tasks/a.yaml` comes before `data/tasks/b.yaml`.
#[derive(Debug)]
pub struct Project {
    pub sources: crate::source::Sources,
    pub config: crate::config::Config,
    pub parties: Vec<Party>,
    pub scopes: Vec<Scope>,
    pub sections: Vec<Section>,
    pub summaries: Vec<Summary>,
    pub(crate) glossary: Vec<Term>,
    pub(crate) systems: Vec<System>,
    pub flows: Vec<Flow>,
    /// The conditions of `data/conditions.yaml`, in source order; empty without the file.
    pub conditions: Vec<Condition>,
    /// The frameworks of `data/frameworks.yaml`, in source order; empty without the file.
    pub frameworks: Vec<Framework>,
    /// The operating models, in the order of `data/models.yaml`; never empty: without
    /// models the project is one implicit model of every party and scope.
    pub models: Vec<Model>,
    /// The project's agreement data (`data/agreement.yaml`): that of the implicit model,
    /// and of every model that carries none of its own.
    pub agreement: Option<Agreement>,
    /// Kinds of data file of which a file could not be read or parsed (or of which there
    /// is none). Their ids are unknown, so checks that would report every reference to
    /// them as unknown stay silent: one mistake gives one finding, not a page of echoes.
    pub(crate) unread_kinds: Vec<DataKind>,
}

impl Project {
    /// Whether every file of data `kind` was read.
    pub(crate) fn complete(&self, kind: DataKind) -> bool {
        !self.unread_kinds.contains(&kind)
    }

    /// Whether `data/models.yaml` defines models (rather than the one implicit model).
    pub fn has_models(&self) -> bool {
        self.models.iter().any(|model| !model.is_implicit())
    }

    /// The model with id `id`; never the implicit model.
    pub fn model(&self, id: &str) -> Option<(ModelIx, &Model)> {
        self.models().find(|(_, model)| model.id() == Some(id))
    }

    /// The sections of model `model`, in source order.
    pub(crate) fn model_sections(&self, model: ModelIx) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.model == model)
    }

    /// Every operating model with its index, in order.
    pub(crate) fn models(&self) -> impl Iterator<Item = (ModelIx, &Model)> {
        self.models.iter().enumerate().map(|(i, m)| (ModelIx(i), m))
    }

    /// Every scope with its index, in order.
    pub(crate) fn scopes(&self) -> impl Iterator<Item = (ScopeIx, &Scope)> {
        self.scopes.iter().enumerate().map(|(i, s)| (ScopeIx(i), s))
    }

    /// The operating model at `model`.
    pub fn model_at(&self, model: ModelIx) -> &Model {
        &self.models[model.0]
    }

    /// The scope at `scope`.
    pub(crate) fn scope_at(&self, scope: ScopeIx) -> &Scope {
        &self.scopes[scope.0]
    }

    /// The agreement data of the model at `model`: its own `agreement:`, else the
    /// project's (`data/agreement.yaml`), else none.
    pub fn agreement_of(&self, model: ModelIx) -> Option<&Agreement> {
        let own = self.model_at(model).def.as_ref();
        own.and_then(|def| def.agreement.as_ref())
            .or(self.agreement.as_ref())
    }

    /// The condition with id `id`.
    pub(crate) fn condition(&self, id: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.id.value == id)
    }

    /// The framework with id `id`.
    pub(crate) fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id.value == id)
    }

    pub(crate) fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id.value == id)
    }
    pub fn scope(&self, id: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.id.value == id)
    }
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id.value == id)
    }
    /// Every task with the section it belongs to, in source order.
    pub fn tasks(&self) -> impl Iterator<Item = (&Section, &Task)> {
        self.sections
            .iter()
            .flat_map(|section| section.tasks.iter().map(move |task| (section, task)))
    }
}

/// A model's sections in a scope, here beside [`Scope`] rather than in `model/operating.rs`,
/// which keeps to what models are written and resolved as and so needs nothing of this file.
impl Model {
    /// The section ids this model shows in `scope`: its own list for the scope when its
    /// definition gives one, otherwise the scope's `sections:`.
    pub(crate) fn section_ids<'a>(&'a self, scope: &'a Scope) -> &'a [Located<String>] {
        self.own_section_ids(scope).unwrap_or(&scope.sections)
    }

    /// The model's own list of section ids for `scope`, when its definition gives one.
    pub(crate) fn own_section_ids(&self, scope: &Scope) -> Option<&[Located<String>]> {
        let def = self.def.as_ref()?;
        def.sections
            .iter()
            .find(|(id, _)| id.value == scope.id.value)
            .map(|(_, sections)| sections.as_slice())
    }
}
