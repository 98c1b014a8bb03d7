//! Operating models: who takes part in the work of one way of running the service, over
//! which scopes. `data/models.yaml` is optional; without it a project is one implicit
//! model of all parties and all scopes, so every project written before models existed
//! keeps its meaning.
//!
//! Sections, tasks, summaries and flows belong to one model each (their file names it with
//! `model:`); parties, scopes, systems and the glossary are shared by all models.

use crate::located::{Entries, Located};
use schemars::JsonSchema;
use serde::Deserialize;

/// `data/models.yaml`: the operating models of the project.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelsFile {
    pub(crate) models: Vec<ModelDef>,
}

/// One operating model as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// Short identifier, named by the `model:` key of tasks, summaries and flows files and
    /// used in the site's addresses (`<model>/<scope>/`); never a scope's id.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub(crate) id: Located<String>,
    /// Name shown in headings and the model switcher.
    pub(crate) name: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Whether this is the default model, whose pages keep the addresses of a project
    /// without models (`<scope>/`, `compare/`). Without it the first model is the default;
    /// at most one model says `true`.
    #[serde(default)]
    pub(crate) default: Option<Located<bool>>,
    /// Former ids of the model: each address its pages had under one of them keeps a
    /// redirect to the page.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
    /// Party ids taking part in this model, in the order of its matrix columns.
    pub(crate) parties: Vec<Located<String>>,
    /// Which of this model's parties stands where another model's party stands, as
    /// `own party id: other party id` (`enterprise: customer`): a comparison of the two
    /// models compares their letters with each other's, as it does a party both share.
    #[serde(default)]
    pub(crate) stands_for: Entries<Located<String>, Located<String>>,
    /// Scope ids (deployments) this model covers, in this order.
    #[serde(deserialize_with = "super::scope_list::scope_ids")]
    #[schemars(length(min = 1))]
    pub(crate) scopes: Vec<Located<String>>,
    /// Per scope id, the model's section ids shown in that scope, in this order; a scope
    /// not listed here shows the sections of its own `sections:`.
    #[serde(default)]
    pub(crate) sections: Entries<Located<String>, Vec<Located<String>>>,
    /// The model's agreement data: version, effective date, approvals, review interval.
    /// Without it the model has the project's (`data/agreement.yaml`), if any.
    #[serde(default)]
    pub(crate) agreement: Option<super::agreement::Agreement>,
}

/// One operating model as resolved by the loader. [`Project::models`](super::Project) is
/// never empty: a project without `data/models.yaml` has one implicit model.
#[derive(Debug, Clone)]
pub struct Model {
    /// `None` for the implicit model of a project without models.
    pub(crate) def: Option<ModelDef>,
    /// Indices into the project's parties, in the model's column order. Unknown and
    /// repeated party ids of the definition are left out (the checks report them).
    pub parties: Vec<usize>,
    /// Indices into the project's scopes, in the model's order; unknown and repeated
    /// ids left out as for parties.
    pub scopes: Vec<super::ix::ScopeIx>,
    /// Whether the model's pages have the addresses of a project without models: the
    /// implicit model, and the default model of a project with models (see
    /// [`ModelDef`]'s `default`).
    pub(crate) is_default: bool,
}

impl Model {
    /// The implicit model: every party in file order, every scope.
    pub(crate) fn implicit(parties: usize, scopes: usize) -> Model {
        Model {
            def: None,
            parties: (0..parties).collect(),
            scopes: super::ix::ScopeIx::all(scopes).collect(),
            is_default: true,
        }
    }

    /// The model's id; `None` for the implicit model.
    pub fn id(&self) -> Option<&str> {
        self.def.as_ref().map(|d| d.id.as_str())
    }

    /// The model's id as the site's addresses use it: `None` for the implicit model and
    /// for the default model, whose pages keep the addresses they had before the
    /// project had models, so adding models moves no page.
    pub(crate) fn path_id(&self) -> Option<&str> {
        self.id().filter(|_| !self.is_default)
    }

    /// The model's name; `None` for the implicit model.
    pub fn name(&self) -> Option<&str> {
        self.def.as_ref().map(|d| d.name.as_str())
    }

    pub fn is_implicit(&self) -> bool {
        self.def.is_none()
    }

    /// Whether the project party with index `party` takes part in this model.
    pub(crate) fn has_party(&self, party: usize) -> bool {
        self.parties.contains(&party)
    }

    /// Whether the project scope with index `scope` is covered by this model.
    pub(crate) fn has_scope(&self, scope: super::ix::ScopeIx) -> bool {
        self.scopes.contains(&scope)
    }

    /// "` in model `x``" for messages of a project with models, empty for the implicit
    /// model, so findings of projects without models read as they always have.
    pub(crate) fn in_model(&self) -> String {
        match self.id() {
            Some(id) => format!(" in model `{id}`"),
            None => String::new(),
        }
    }
}
