//! The `scopes:` lists that models, sections, tasks, summaries, flows and pages are
//! written with. A leaf of `model/`, so operating models take them from here and not from
//! `model.rs`, which declares them.

use crate::located::Located;
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// The message of an empty `scopes:` list, which the YAML reader words for the writer.
pub(crate) const EMPTY_SCOPES: &str = "`scopes:` is an empty list, so this applies in no scope";

/// A `scopes:` list that names at least one scope. Left out, `scopes:` means every scope;
/// given empty, the item would apply in none and silently vanish from every page, which
/// is never what the writer meant, so it is refused where it is written.
pub(crate) fn some_scope_ids<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Located<String>>>, D::Error> {
    scope_ids(deserializer).map(Some)
}

/// As [`some_scope_ids`], for a `scopes:` that must be given.
pub(crate) fn scope_ids<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Located<String>>, D::Error> {
    let ids = Vec::<Located<String>>::deserialize(deserializer)?;
    if ids.is_empty() {
        return Err(de::Error::custom(EMPTY_SCOPES));
    }
    Ok(ids)
}
