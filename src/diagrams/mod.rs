//! Diagrams: flows and systems overviews drawn as SVG at build time.
//!
//! The drawings are plain SVG text, written without a graphics library so that the site
//! build stays small and the output is byte-for-byte reproducible. Each diagram comes in
//! two stages: a layout (boxes, arrows and labels as geometry, which tests can check for
//! overlaps) and a rendering of that layout. Every diagram has a text equivalent in HTML
//! for readers who cannot see it.
//!
//! Colours come from CSS custom properties (`--rasci-…`) with light fallbacks; see
//! `style` for the list and `style::DARK_VARIABLES` for a dark palette.

pub(crate) mod flow;
pub(crate) mod geom;
pub(crate) mod route;
pub(crate) mod style;
mod svg;
pub(crate) mod systems;
pub mod text;

pub use flow::{FlowLayout, LaneBand, flow_layout, flow_svg, render_flow};
pub use geom::{Diagram, Edge, Label, Layout, Node, Point, Rect, Shape};
pub use systems::{Group, LegendEntry, SystemsLayout, render_systems, systems_layout, systems_svg};

/// A standalone `.svg` file of an inline diagram: XML declaration, SVG namespace, and a
/// dark palette for viewers in dark mode.
pub fn standalone(svg: &str) -> String {
    let body = svg.strip_prefix("<svg").unwrap_or(svg);
    let dark = format!(
        "<style>@media (prefers-color-scheme: dark){{svg.rasci-diagram{{{}}}svg.rasci-diagram{{background:#16191d}}}}</style>",
        style::DARK_VARIABLES
    );
    let mut out = String::with_capacity(svg.len() + dark.len() + 100);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    // The dark palette goes right after the start tag. Attribute values are escaped, so
    // the first `>` ends the tag.
    let tag_end = body.find('>').map_or(body.len(), |i| i + 1);
    out.push_str(&body[..tag_end]);
    out.push_str(&dark);
    out.push_str(&body[tag_end..]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
