//! SVG diagrams of flows and systems in pages. The drawings come from [`crate::diagrams`]
//! once it offers them; until then these return `None` and the page shows the same facts
//! as text (the step list, the systems list), which it does in any case for readers who
//! cannot see a drawing. The deployment page and the `{{ diagram(..) }}` shortcode both
//! go through these functions, so this is the one place to insert the drawings.

use super::env::PageEnv;
use crate::model::Flow;

/// The drawing of a flow, as a `<figure>` with its SVG.
pub fn flow(_env: &mut PageEnv<'_>, _flow: &Flow) -> Option<String> {
    None
}

/// The drawing of the systems of the page's deployment; none outside a deployment.
pub fn systems(_env: &mut PageEnv<'_>) -> Option<String> {
    None
}

/// Dark colours for the diagrams, following the site's dark theme.
pub fn stylesheet() -> String {
    String::new()
}
