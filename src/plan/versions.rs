//! Published versions: the working tree's site at the usual addresses and each version
//! of `versions:` (rasci.yaml) under `v/<id>/`. Each version is planned as a site of its
//! own; this says where a page of one version is in the others, for the version
//! switcher and the banner of an older version's pages.
//!
//! The ids were judged by the loader (`config/versions`: `a`-`z`, `0`-`9`, `.`, `-`),
//! so a prefix is always one plain folder.

use std::collections::HashSet;

/// The address prefix of published version `id`: `v/<id>/`.
pub(crate) fn prefix(id: &str) -> String {
    format!("v/{id}/")
}

/// One version of the site, as the others see it.
#[derive(Debug, Clone)]
pub(crate) struct PublishedVersion {
    /// The name the switcher and the banner show.
    pub(crate) name: String,
    /// Where the version's site starts, from the whole site's root: empty for the
    /// current version, `v/<id>/` for the others.
    pub(crate) prefix: String,
    /// The paths of its pages, from its own root.
    pub(crate) paths: HashSet<String>,
    /// What changed since the version listed after it, as `rasci diff --format json`
    /// says it (the one comparison of the two); `None` for the oldest version.
    pub(crate) changes: Option<serde_json::Value>,
    /// The day it took effect (`YYYY-MM-DD`, judged by the loader): `effective:` of its
    /// entry in `versions:`, and the agreement data's for the current version (none
    /// without it).
    pub(crate) effective: Option<String>,
}

/// Every published version, and which one is being built; the first is the current.
#[derive(Debug, Clone)]
pub(crate) struct SiteVersions {
    pub(crate) list: Vec<PublishedVersion>,
    pub(crate) this: usize,
    /// Whether the current version writes the Atom feed of the changes (its
    /// `base_url` is set): an older version's pages link it whatever their own
    /// `rasci.yaml` says.
    pub(crate) feed: bool,
}

/// A version's page the switcher or the banner leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionTarget {
    pub(crate) name: String,
    /// From the whole site's root.
    pub(crate) path: String,
    pub(crate) current: bool,
}

impl SiteVersions {
    /// The folders between the version being built and the whole site's root: `../../`
    /// under `v/<id>/`, nothing for the current version.
    pub(crate) fn up_to_site_root(&self) -> String {
        "../".repeat(self.list[self.this].prefix.matches('/').count())
    }

    /// Where the page at `path` is in `version`: the same page where that version has
    /// it (the same deployment, model and page), else that version's home page.
    fn target(&self, version: usize, path: &str) -> VersionTarget {
        let published = &self.list[version];
        let page = if published.paths.contains(path) {
            path
        } else {
            "index.html"
        };
        VersionTarget {
            name: published.name.clone(),
            path: format!("{}{page}", published.prefix),
            current: version == self.this,
        }
    }

    /// The version switcher of the page at `path`: every version, newest first.
    pub(crate) fn switcher(&self, path: &str) -> Vec<VersionTarget> {
        (0..self.list.len())
            .map(|version| self.target(version, path))
            .collect()
    }

    /// On an older version's page, the current version's page it links to.
    pub(crate) fn banner(&self, path: &str) -> Option<VersionTarget> {
        (self.this != 0).then(|| self.target(0, path))
    }

    /// The addresses the switcher of the page at `path` links to, and the feed its head
    /// names, relative to the page, as the layout writes them. They lead out of the version's own site, whose link
    /// check cannot see the other versions: the pipeline knows them to exist (each is a
    /// planned page of its version) and leaves them out of that check.
    pub(crate) fn hrefs(&self, path: &str) -> Vec<String> {
        let up = format!("{}{}", super::urls::root_of(path), self.up_to_site_root());
        let feed = self
            .feed
            .then(|| format!("{up}{}", super::urls::CHANGES_FEED));
        self.switcher(path)
            .into_iter()
            .map(|target| format!("{up}{}", target.path))
            .chain(feed)
            .collect()
    }

    /// What changed in the version being built since the one before it, with that
    /// version's name; `None` for the oldest.
    pub(crate) fn changes(&self) -> Option<(&str, &serde_json::Value)> {
        let changes = self.list[self.this].changes.as_ref()?;
        let before = self.list.get(self.this + 1)?;
        Some((&before.name, changes))
    }

    /// The name of the version being built.
    pub(crate) fn this_name(&self) -> &str {
        &self.list[self.this].name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(this: usize) -> SiteVersions {
        let version = |name: &str, prefix: &str, paths: &[&str]| PublishedVersion {
            name: name.to_owned(),
            prefix: prefix.to_owned(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            changes: None,
            effective: None,
        };
        SiteVersions {
            list: vec![
                version(
                    "2026.1",
                    "",
                    &["index.html", "cloud/index.html", "onprem/index.html"],
                ),
                version("2025.1", "v/2025.1/", &["index.html", "cloud/index.html"]),
            ],
            this,
            feed: false,
        }
    }

    #[test]
    fn the_switcher_keeps_the_page_where_the_version_has_it() {
        let current = versions(0);
        let paths: Vec<String> = current
            .switcher("onprem/index.html")
            .into_iter()
            .map(|t| t.path)
            .collect();
        assert_eq!(paths, ["onprem/index.html", "v/2025.1/index.html"]);
        assert_eq!(current.banner("cloud/index.html"), None);
        assert_eq!(current.up_to_site_root(), "");
        let old = versions(1);
        assert_eq!(old.up_to_site_root(), "../../");
        assert_eq!(
            old.banner("cloud/index.html"),
            Some(VersionTarget {
                name: "2026.1".to_owned(),
                path: "cloud/index.html".to_owned(),
                current: false
            })
        );
        assert!(old.switcher("cloud/index.html")[1].current);
    }
}
