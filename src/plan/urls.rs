//! Where each page of the site lives. Every link is written relative to the page that
//! holds it and names `index.html` explicitly, so the site works from any sub-path and
//! when opened from disk.

pub(crate) const HOME: &str = "index.html";
pub(crate) const GLOSSARY: &str = "glossary/index.html";
pub(crate) const COMPARE: &str = "compare/index.html";
pub(crate) const SEARCH_INDEX_JS: &str = "search-index.js";
/// The folder of the search index's shards (see `render::shards`), among the static files.
pub(crate) const SEARCH_SHARDS: &str = "static/search";

/// The navigation tree, written once for the whole site (see `render::layout`).
pub(crate) const NAV_SCRIPT: &str = "static/js/nav.js";
pub(crate) const NOT_FOUND: &str = "404.html";
/// What changed in the version since the one before it (published versions only).
pub(crate) const CHANGES: &str = "changes/index.html";
/// The Atom feed of the published versions' changes, at the whole site's root.
pub(crate) const CHANGES_FEED: &str = "changes.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
/// The theme's static files, and the generated stylesheet.
pub(crate) const STATIC: &str = "static";

/// Whether `path` is a file of the search index: the manifest or a shard, `w<n>.js` or
/// `r<n>.js` in the shards' folder (another file there, a theme's, is not).
pub(crate) fn is_search_index(path: &str) -> bool {
    if path == SEARCH_INDEX_JS {
        return true;
    }
    let Some(name) = path
        .strip_prefix(SEARCH_SHARDS)
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return false;
    };
    name.strip_suffix(".js")
        .and_then(|stem| stem.strip_prefix(['w', 'r']))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The top-level names the site keeps for itself; checked when ids are loaded.
#[cfg(test)]
use crate::load::ids::SITE_NAMES;

/// The prefix that leads from the page at `path` back to the site root.
pub(crate) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A scope's RASCI page in a project without operating models.
pub(crate) fn scope(id: &str) -> String {
    format!("{id}/index.html")
}

/// A scope's RASCI page: `<scope>/` in a project without operating models and for the
/// default model (`model` is `None`), `<model>/<scope>/` for the other models. Both ids were validated when the
/// project was loaded (slugs, never a reserved name, a model id never a scope id), so
/// the two forms cannot meet.
pub(crate) fn scope_page(model: Option<&str>, scope: &str) -> String {
    match model {
        Some(model) => format!("{model}/{scope}/index.html"),
        None => self::scope(scope),
    }
}

/// The comparison of the scopes of one model other than the default; the
/// project-wide [`COMPARE`] for the default model and in a project without models.
pub(crate) fn compare_scopes(model: Option<&str>) -> String {
    match model {
        Some(model) => format!("{COMPARE_DIR}/{model}/index.html"),
        None => COMPARE.to_string(),
    }
}

/// The comparison of two operating models for one scope. One folder per id rather
/// than `<a>-<b>`: ids may hold `-`, and `x-y` + `z` would meet `x` + `y-z`. Inside
/// `compare/`, a scope folder never meets a model folder of [`compare_scopes`],
/// since no model id is a scope id.
pub(crate) fn compare_models(scope: &str, model_a: &str, model_b: &str) -> String {
    format!("{COMPARE_DIR}/{scope}/{model_a}/{model_b}/index.html")
}

/// The folder of every comparison page.
const COMPARE_DIR: &str = "compare";

/// A framework's page; its id was validated when the project was loaded.
pub(crate) fn framework(id: &str) -> String {
    format!("{FRAMEWORKS_DIR}/{id}/index.html")
}

/// The anchor of a control on its framework's page: the control id as written, which
/// keeps to `model::control_problem`'s rule (ASCII letters, digits, `.`, `-`, `_`, `(`
/// and `)`), so it stands in an id and a fragment as it is.
pub(crate) fn control_anchor(control: &str) -> String {
    format!("control-{control}")
}

/// The folder of every framework page, a name the site keeps for itself.
const FRAMEWORKS_DIR: &str = "frameworks";

pub(crate) fn party(id: &str) -> String {
    format!("parties/{id}/index.html")
}

/// A content page, inside its scope's folder when it belongs to one.
pub(crate) fn content(scope: Option<&str>, slug: &str) -> String {
    if slug == "_index" || slug.is_empty() {
        return HOME.to_string();
    }
    match scope {
        Some(scope) => format!("{scope}/{slug}/index.html"),
        None => format!("{slug}/index.html"),
    }
}

/// A content page in an operating model: in the scope's folder under the model's id
/// (`<model>/<scope>/<slug>/`), as the model's scope pages are; at [`content`]'s address
/// for the default model and in a project without models.
pub(crate) fn content_in(model: Option<&str>, scope: Option<&str>, slug: &str) -> String {
    match (model, scope) {
        (Some(model), Some(_)) if !(slug == "_index" || slug.is_empty()) => {
            format!("{model}/{}", content(scope, slug))
        }
        _ => content(scope, slug),
    }
}

/// Page `page` (2 or more) of a scope's guides. Its file name ends in `.html`, not
/// `/index.html` as every content page's does, so no guide can take its address.
pub(crate) fn guides(scope: &str, page: usize) -> String {
    format!("{scope}/guides-{page}.html")
}

/// The address a content page's front-matter alias names (`/old/page/`, validated when
/// the page was loaded: segments of lowercase ASCII letters, digits, `-` and `_`, never a
/// name the site keeps for itself), as a page's path.
pub(crate) fn alias(alias: &str) -> String {
    format!("{}/index.html", alias.trim_matches('/'))
}

/// A download of a scope's table, beside its page and named with the model when the
/// project has models, so that files saved from two models never share a name.
pub(crate) fn download(model: Option<&str>, scope: &str, extension: &str) -> String {
    match model {
        Some(model) => format!("{model}/{scope}/rasci-{model}-{scope}.{extension}"),
        None => format!("{scope}/rasci-{scope}.{extension}"),
    }
}

/// The folder of the diagrams' standalone files.
pub(crate) const DIAGRAMS: &str = "diagrams";

/// A diagram's standalone `.svg` file, named by the diagram's id.
pub(crate) fn diagram(id: &str) -> String {
    format!("{DIAGRAMS}/{id}.svg")
}

pub(crate) fn task_anchor(task: &str) -> String {
    format!("task-{task}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_index_is_the_manifest_and_the_shards() {
        for path in [
            "search-index.js",
            "static/search/w0.js",
            "static/search/r12.js",
        ] {
            assert!(is_search_index(path), "{path}");
        }
        for path in [
            "static/search/x0.js",
            "static/search/w.js",
            "static/search/w1.css",
            "static/search/w1a.js",
            "static/searchw1.js",
            "static/search/sub/w1.js",
            "search-index.json",
        ] {
            assert!(!is_search_index(path), "{path}");
        }
    }

    /// The first path segment of every place the site writes for itself is reserved, so
    /// no scope id or content page can take it.
    #[test]
    fn every_top_level_name_the_site_writes_is_reserved() {
        let written = [
            HOME.to_string(),
            GLOSSARY.to_string(),
            COMPARE.to_string(),
            SEARCH_INDEX_JS.to_string(),
            NOT_FOUND.to_string(),
            SITEMAP.to_string(),
            ROBOTS.to_string(),
            STATIC.to_string(),
            party("x"),
            diagram("x"),
            compare_scopes(Some("x")),
            compare_models("x", "y", "z"),
        ];
        for path in written {
            let top = path.split('/').next().unwrap();
            assert!(SITE_NAMES.contains(&top), "{top} is not reserved");
        }
    }

    #[test]
    fn without_models_the_paths_are_those_of_a_single_model_project() {
        assert_eq!(scope_page(None, "cloud"), scope("cloud"));
        assert_eq!(download(None, "cloud", "csv"), "cloud/rasci-cloud.csv");
        assert_eq!(compare_scopes(None), COMPARE);
        assert_eq!(
            scope_page(Some("partner"), "cloud"),
            "partner/cloud/index.html"
        );
        assert_eq!(
            download(Some("partner"), "cloud", "csv"),
            "partner/cloud/rasci-partner-cloud.csv"
        );
    }

    /// Ids holding `-` do not make two comparisons share a path.
    #[test]
    fn model_comparisons_of_hyphenated_ids_stay_apart() {
        assert_ne!(
            compare_models("cloud", "a-b", "c"),
            compare_models("cloud", "a", "b-c")
        );
    }
}
