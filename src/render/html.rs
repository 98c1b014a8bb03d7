//! Small HTML helpers shared by the renderers.

pub use crate::escape::esc;
// What the renderer and the check of links written in Markdown must agree on lives with
// the content pages, so the check needs no part of the renderer.
pub use crate::load::markdown::{UniqueIds, slugify, text_of};
