//! SVG diagrams of flows and systems in pages. The drawings come from [`crate::diagrams`]
//! and are laid out once per build: a flow shows on every deployment page and in every
//! shortcode that names it, and laying it out again for each would repeat the costliest
//! step of a page. The markup around a drawing (its `<figure>`) is the theme's
//! `partials/figure.html`; this module knows nothing of pages or templates.

use crate::diagrams::Diagram;
use crate::model::{Flow, Project, Scope};

/// Every drawing of the site, laid out once: one per flow and one per deployment's
/// systems overview, in the project's order.
pub struct Diagrams {
    flows: Vec<Diagram>,
    systems: Vec<Diagram>,
}

impl Diagrams {
    pub fn new(project: &Project) -> Self {
        Diagrams {
            flows: project
                .flows
                .iter()
                .map(|flow| crate::diagrams::flow_svg(project, flow))
                .collect(),
            systems: project
                .scopes
                .iter()
                .map(|scope| crate::diagrams::systems_svg(project, scope))
                .collect(),
        }
    }

    /// The drawing of `flow`, a flow of the project this cache was built from.
    pub fn flow(&self, project: &Project, flow: &Flow) -> Option<&Diagram> {
        let index = project
            .flows
            .iter()
            .position(|f| f.id.value == flow.id.value)?;
        self.flows.get(index)
    }

    /// The drawing of the systems of `scope`.
    pub fn systems(&self, project: &Project, scope: &Scope) -> Option<&Diagram> {
        let index = project
            .scopes
            .iter()
            .position(|s| s.id.value == scope.id.value)?;
        self.systems.get(index)
    }

    /// Every drawing as a standalone `.svg` file, for download: each flow and each
    /// deployment's systems overview.
    pub fn files(&self) -> Vec<(String, String)> {
        self.flows
            .iter()
            .chain(&self.systems)
            .map(|d| {
                (
                    super::urls::diagram(&d.id),
                    crate::diagrams::standalone(&d.svg),
                )
            })
            .collect()
    }
}

/// Dark colours for the diagrams, following the site's dark theme.
pub fn stylesheet() -> String {
    let vars = crate::diagrams::style::DARK_VARIABLES;
    format!(
        "/* Diagrams: dark palette, generated at build time. */\n\
         @media screen {{ :root[data-theme=\"dark\"] .rasci-diagram {{{vars}}} }}\n\
         @media screen and (prefers-color-scheme: dark) {{ :root:not([data-theme=\"light\"]) .rasci-diagram {{{vars}}} }}\n"
    )
}
