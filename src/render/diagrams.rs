//! The hook for SVG diagrams of flows and systems. The diagrams are drawn by
//! [`crate::diagrams`]; until a drawing is available for a view, these return `None` and
//! the page shows the same facts as text (the step list, the systems list), which it does
//! in any case for readers who cannot see the drawing.
//!
//! To insert a drawing, return its `<figure>` here: the deployment page and the
//! `{{ diagram(..) }}` shortcode both call these two functions and nothing else.

use super::env::PageEnv;
use crate::model::Flow;

/// The drawing of a flow, as a `<figure>` with its SVG and a text alternative.
pub fn flow(_env: &mut PageEnv<'_>, _flow: &Flow) -> Option<String> {
    None
}

/// The drawing of the systems of the page's deployment.
pub fn systems(_env: &mut PageEnv<'_>) -> Option<String> {
    None
}
