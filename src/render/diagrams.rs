//! SVG diagrams of flows and systems in pages. The drawings come from [`crate::diagrams`]
//! and are laid out once per build: a flow shows on every scope page and in every
//! shortcode that names it, and laying it out again for each would repeat the costliest
//! step of a page. The markup around a drawing (its `<figure>`) is the theme's
//! `partials/figure.html`; this module knows nothing of pages or templates.

use crate::diagrams::Diagram;
use crate::model::{Flow, ModelIx, Project, Scope};

/// Every drawing of the site, laid out once: one per flow and one per model's
/// systems overview of each scope, in the project's order. They are laid out when a page or the
/// downloads first need one, so a rebuild that renders no page with a drawing (a
/// preview after an edit of one guide's text) lays out none.
pub(crate) struct Diagrams<'p> {
    project: &'p Project,
    laid_out: std::sync::OnceLock<LaidOut>,
}

struct LaidOut {
    flows: Vec<Diagram>,
    /// Per model, per scope; `None` for a scope the model does not cover.
    systems: Vec<Vec<Option<Diagram>>>,
}

impl<'p> Diagrams<'p> {
    pub(crate) fn new(project: &'p Project) -> Self {
        Diagrams {
            project,
            laid_out: std::sync::OnceLock::new(),
        }
    }

    fn laid_out(&self) -> &LaidOut {
        let project = self.project;
        self.laid_out.get_or_init(|| LaidOut {
            flows: project
                .flows
                .iter()
                .map(|flow| crate::diagrams::flow_svg(project, flow))
                .collect(),
            systems: project
                .models
                .iter()
                .map(|model| {
                    project
                        .scopes()
                        .map(|(index, scope)| {
                            model.has_scope(index).then(|| {
                                crate::diagrams::systems::systems_svg_in(
                                    project,
                                    model.id(),
                                    model.path_id(),
                                    scope,
                                )
                            })
                        })
                        .collect()
                })
                .collect(),
        })
    }

    /// The drawing of `flow`.
    pub(crate) fn flow(&self, flow: &Flow) -> Option<&Diagram> {
        let index = self
            .project
            .flows
            .iter()
            .position(|f| f.id.value == flow.id.value)?;
        self.laid_out().flows.get(index)
    }

    /// The drawing of the systems of `scope` in `model` (each model has its own: who
    /// manages a component, and which components it shows, may differ per model).
    pub(crate) fn systems(&self, model: ModelIx, scope: &Scope) -> Option<&Diagram> {
        let index = self
            .project
            .scopes
            .iter()
            .position(|s| s.id.value == scope.id.value)?;
        self.laid_out().systems.get(model.0)?.get(index)?.as_ref()
    }

    /// Every drawing as a standalone `.svg` file, for download: each flow and each
    /// scope's systems overview.
    pub(crate) fn files(&self) -> Vec<(String, String)> {
        let laid_out = self.laid_out();
        laid_out
            .flows
            .iter()
            .chain(laid_out.systems.iter().flatten().flatten())
            .map(|d| {
                (
                    crate::plan::urls::diagram(&d.id),
                    crate::diagrams::standalone(&d.svg),
                )
            })
            .collect()
    }
}

/// Dark colours for the diagrams, following the site's dark theme.
pub(crate) fn stylesheet() -> String {
    let vars = crate::diagrams::style::DARK_VARIABLES;
    format!(
        "/* Diagrams: dark palette, generated at build time. */\n\
         @media screen {{ :root[data-theme=\"dark\"] .rasci-diagram {{{vars}}} }}\n\
         @media screen and (prefers-color-scheme: dark) {{ :root:not([data-theme=\"light\"]) .rasci-diagram {{{vars}}} }}\n"
    )
}
