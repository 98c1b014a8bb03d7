//! Typed indices into the project's lists: a model, a scope and a party are each a
//! position in a `Vec` of [`super::Project`], and a bare `usize` would let one be passed
//! where another is meant. Each is a `Copy` newtype; it serialises as the number, so
//! what the templates and scripts receive is unchanged.

use serde::Serialize;

/// Index of an operating model in `Project::models` (0 is the one implicit model of a
/// project without `data/models.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct ModelIx(pub usize);

/// Index of a scope in `Project::scopes`, the order of `data/scopes.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct ScopeIx(pub usize);

impl ScopeIx {
    /// Every scope index of a list of `count` scopes, in order.
    pub fn all(count: usize) -> impl Iterator<Item = ScopeIx> {
        (0..count).map(ScopeIx)
    }
}
