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
    Some(figure(
        env,
        crate::diagrams::flow_svg(env.data.project, flow),
    ))
}

/// The drawing of the systems of the page's deployment; none outside a deployment.
pub fn systems(env: &mut PageEnv<'_>) -> Option<String> {
    let scope = env.scope?;
    Some(figure(
        env,
        crate::diagrams::systems_svg(env.data.project, scope),
    ))
}

/// The drawing in a `<figure>`, scrolling sideways rather than shrinking (a wide flow
/// shrunk to the column would have unreadable text), with a link to its `.svg` file.
/// The scrolling box takes the keyboard focus, so it can be scrolled without a mouse,
/// and is named after the drawing for those who reach it that way.
fn figure(env: &PageEnv<'_>, diagram: Diagram) -> String {
    format!(
        "<figure class=\"diagram\"><div class=\"diagram-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"{title}\" style=\"--diagram-width: {width}px\">{svg}</div>\
         <figcaption>{title} <a class=\"diagram-download\" href=\"{href}\" download>Download SVG</a></figcaption></figure>\n",
        width = diagram.width.round(),
        svg = diagram.svg,
        title = esc(&diagram.title),
        href = env.href(&super::urls::diagram(&diagram.id)),
    )
}

/// Every drawing of the site as a standalone `.svg` file, for download: each flow and
/// each deployment's systems overview.
pub fn files(data: &super::SiteData<'_>) -> Vec<(String, String)> {
    let project = data.project;
    let flows = project
        .flows
        .iter()
        .map(|flow| crate::diagrams::flow_svg(project, flow));
    let systems = project
        .scopes
        .iter()
        .map(|scope| crate::diagrams::systems_svg(project, scope));
    flows
        .chain(systems)
        .map(|d| {
            (
                super::urls::diagram(&d.id),
                crate::diagrams::standalone(&d.svg),
            )
        })
        .collect()
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
