//! Published versions: the working tree's site at the usual addresses and each version
//! of `versions:` (rasci.yaml) under `v/<id>/`. Each version is planned as a site of its
//! own; this says where a page of one version is in the others, for the version
//! switcher and the banner of an older version's pages.
//!
//! The ids were judged by the loader (`config/versions`: `a`-`z`, `0`-`9`, `.`, `-`),
//! so a prefix is always one plain folder.

use std::collections::{HashMap, HashSet};

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
    /// The last change of each task row of the version being built, in it or in a
    /// version before it: read once from the versions' changes when the site is planned,
    /// so a table's rows are looked up, never searched for.
    last_changes: HashMap<RowAt, RowChange>,
}

/// A task row of one table: the model's id (none for the implicit model), the scope's
/// and the task's, as `rasci diff --format json` names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RowAt {
    model: Option<String>,
    scope: String,
    task: String,
}

/// How a task row changed in one published version, as that version's Changes page
/// lists it: added, or retitled, moved and the letters each party gained or lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RowChange {
    /// The version, as an index of [`SiteVersions::list`].
    pub(crate) version: usize,
    pub(crate) added: bool,
    pub(crate) retitled: bool,
    pub(crate) moved: bool,
    /// Each party whose letters changed, in the comparison's order: its id (in that
    /// version), the letters it gained and those it lost.
    pub(crate) letters: Vec<(String, Vec<String>, Vec<String>)>,
}

/// The anchor of a task's changes on a Changes page: `change.<model>.<scope>.<task>`
/// (no model part for the implicit model). Ids never hold a `.`, so no id a page gives
/// from the data, nor a numbered twin of one, can take it.
pub(crate) fn change_anchor(model: Option<&str>, scope: &str, task: &str) -> String {
    match model {
        Some(model) => format!("change.{model}.{scope}.{task}"),
        None => format!("change.{scope}.{task}"),
    }
}

/// The letters of a `gained` or `lost` of the comparison (`"A, R"`), one by one.
fn letters_of(value: &serde_json::Value) -> Vec<String> {
    value
        .as_str()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|letter| !letter.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The last change of every task row of version `this`: the changes of the versions
/// from the oldest up to `this`, a newer version's change of a row replacing an older
/// one's. Linear in the changes read.
fn last_changes(list: &[PublishedVersion], this: usize) -> HashMap<RowAt, RowChange> {
    let mut last: HashMap<RowAt, RowChange> = HashMap::new();
    for version in (this..list.len()).rev() {
        let Some(changes) = &list[version].changes else {
            continue;
        };
        let mut here: HashMap<RowAt, RowChange> = HashMap::new();
        for table in changes["matrices"].as_array().into_iter().flatten() {
            let model = table["model"].as_str().map(str::to_owned);
            let scope = table["scope"].as_str().unwrap_or_default().to_owned();
            let list = |name: &str| table[name].as_array().into_iter().flatten();
            let row = |entry: &serde_json::Value| RowAt {
                model: model.clone(),
                scope: scope.clone(),
                task: entry["task"].as_str().unwrap_or_default().to_owned(),
            };
            let fresh = || RowChange {
                version,
                ..RowChange::default()
            };
            for entry in list("tasks_added") {
                here.entry(row(entry)).or_insert_with(fresh).added = true;
            }
            for entry in list("tasks_moved") {
                here.entry(row(entry)).or_insert_with(fresh).moved = true;
            }
            for entry in list("tasks_retitled") {
                here.entry(row(entry)).or_insert_with(fresh).retitled = true;
            }
            for entry in list("letters") {
                let party = entry["party"].as_str().unwrap_or_default().to_owned();
                let (gained, lost) = (letters_of(&entry["gained"]), letters_of(&entry["lost"]));
                let change = here.entry(row(entry)).or_insert_with(fresh);
                change.letters.push((party, gained, lost));
            }
        }
        last.extend(here);
    }
    last
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
    /// The versions of `list` (the current first) as version `this` sees them.
    pub(crate) fn new(list: Vec<PublishedVersion>, this: usize, feed: bool) -> SiteVersions {
        let last_changes = last_changes(&list, this);
        SiteVersions {
            list,
            this,
            feed,
            last_changes,
        }
    }

    /// The last change of the row of task `task` in the table of `scope` (of model
    /// `model`, none for the implicit one), in this version or one before it; `None`
    /// when it is unchanged since the oldest version published.
    pub(crate) fn last_change(
        &self,
        model: Option<&str>,
        scope: &str,
        task: &str,
    ) -> Option<&RowChange> {
        self.last_changes.get(&RowAt {
            model: model.map(str::to_owned),
            scope: scope.to_owned(),
            task: task.to_owned(),
        })
    }

    /// The Changes page of `version`, from this version's root: its own page, or the
    /// other version's through the whole site's root.
    pub(crate) fn changes_page(&self, version: usize) -> String {
        if version == self.this {
            return super::urls::CHANGES.to_owned();
        }
        format!(
            "{}{}{}",
            self.up_to_site_root(),
            self.list[version].prefix,
            super::urls::CHANGES
        )
    }

    /// Whether `href`, a link on the page at `page` of this version's site, leads to a
    /// page another version planned (the switcher, a row's last change in an older
    /// version): such a link leaves this version's site, whose link check cannot see the
    /// others.
    pub(crate) fn leads_to_other_version(&self, page: &str, href: &str) -> bool {
        if href.contains("://") || href.starts_with('/') {
            return false;
        }
        let path = href.split(['#', '?']).next().unwrap_or_default();
        let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        let climbs = path.split('/').filter(|part| *part == "..").count();
        let depth = format!("{}{dir}", self.list[self.this].prefix)
            .split('/')
            .filter(|part| !part.is_empty())
            .count();
        if climbs > depth {
            return false;
        }
        let whole = crate::load::markdown::normalize(&format!(
            "{}{dir}/{path}",
            self.list[self.this].prefix
        ));
        self.list.iter().enumerate().any(|(index, version)| {
            let own = if version.prefix.is_empty() {
                (!whole.starts_with("v/")).then_some(whole.as_str())
            } else {
                whole.strip_prefix(version.prefix.as_str())
            };
            index != self.this && own.is_some_and(|own| version.paths.contains(own))
        })
    }
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
        SiteVersions::new(
            vec![
                version(
                    "2026.1",
                    "",
                    &["index.html", "cloud/index.html", "onprem/index.html"],
                ),
                version("2025.1", "v/2025.1/", &["index.html", "cloud/index.html"]),
            ],
            this,
            false,
        )
    }

    #[test]
    fn links_to_another_versions_pages_are_known_as_such() {
        let current = versions(0);
        assert!(current.leads_to_other_version("cloud/index.html", "../v/2025.1/index.html"));
        assert!(
            !current.leads_to_other_version("cloud/index.html", "../v/2025.1/onprem/index.html")
        );
        assert!(!current.leads_to_other_version("cloud/index.html", "../onprem/index.html"));
        assert!(!current.leads_to_other_version("index.html", "../index.html"));
        let old = versions(1);
        assert!(old.leads_to_other_version("cloud/index.html", "../../../onprem/index.html#x"));
        assert!(!old.leads_to_other_version("cloud/index.html", "../index.html"));
        assert!(!old.leads_to_other_version("cloud/index.html", "../../../../index.html"));
        assert_eq!(old.changes_page(1), "changes/index.html");
        assert_eq!(old.changes_page(0), "../../changes/index.html");
    }

    #[test]
    fn a_rows_last_change_is_the_newest_up_to_the_version_built() {
        let mut list = versions(0).list;
        list.push(PublishedVersion {
            name: "2024.1".to_owned(),
            prefix: "v/2024.1/".to_owned(),
            paths: HashSet::new(),
            changes: None,
            effective: None,
        });
        list[0].changes = Some(serde_json::json!({"matrices": [{"scope": "cloud",
            "tasks_added": [], "tasks_moved": [], "tasks_retitled": [],
            "letters": [{"task": "run", "party": "vendor", "gained": "A, I", "lost": ""}]}]}));
        list[1].changes = Some(serde_json::json!({"matrices": [{"scope": "cloud",
            "tasks_added": [{"task": "train"}], "tasks_moved": [], "tasks_retitled": [{"task": "run"}],
            "letters": []}]}));
        let current = SiteVersions::new(list.clone(), 0, false);
        let run = current.last_change(None, "cloud", "run").unwrap();
        assert_eq!(run.version, 0);
        assert!(!run.retitled);
        assert_eq!(
            run.letters,
            [(
                "vendor".to_owned(),
                vec!["A".to_owned(), "I".to_owned()],
                vec![]
            )]
        );
        assert!(current.last_change(None, "cloud", "train").unwrap().added);
        assert_eq!(current.last_change(Some("m"), "cloud", "run"), None);
        let old = SiteVersions::new(list.clone(), 1, false);
        let run = old.last_change(None, "cloud", "run").unwrap();
        assert_eq!((run.version, run.retitled), (1, true));
        assert_eq!(
            SiteVersions::new(list, 2, false).last_change(None, "cloud", "train"),
            None
        );
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
