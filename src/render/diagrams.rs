//! SVG diagrams of flows and systems in pages. The drawings come from [`crate::diagrams`];
//! this module places them in a `<figure>`. The deployment page and the
//! `{{ diagram(..) }}` shortcode both go through these two functions. The facts of every
//! drawing are also on the page as text (the step list, the systems list), for readers
//! who cannot see it.

use super::env::PageEnv;
use super::html::esc;
use crate::diagrams::Diagram;
use crate::model::Flow;

/// The drawing of a flow, as a `<figure>` with its SVG.
pub fn flow(env: &mut PageEnv<'_>, flow: &Flow) -> Option<String> {
    Some(figure(crate::diagrams::flow_svg(env.data.project, flow)))
}

/// The drawing of the systems of the page's deployment; none outside a deployment.
pub fn systems(env: &mut PageEnv<'_>) -> Option<String> {
    let scope = env.scope?;
    Some(figure(crate::diagrams::systems_svg(
        env.data.project,
        scope,
    )))
}

fn figure(diagram: Diagram) -> String {
    format!(
        "<figure class=\"diagram\"><div class=\"diagram-scroll\" style=\"--diagram-width: {width}px\">{svg}</div>\
         <figcaption>{title}</figcaption></figure>\n",
        width = diagram.width.round(),
        svg = diagram.svg,
        title = esc(&diagram.title),
    )
}

/// Dark colours for the diagrams, following the site's dark theme.
pub fn stylesheet() -> String {
    let vars = crate::diagrams::style::DARK_VARIABLES;
    format!(
        "/* Diagrams: dark palette, generated at build time. */\n\
         :root[data-theme=\"dark\"] .rasci-diagram {{{vars}}}\n\
         @media (prefers-color-scheme: dark) {{ :root:not([data-theme=\"light\"]) .rasci-diagram {{{vars}}} }}\n"
    )
}
