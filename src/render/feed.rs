//! `changes.xml`: an Atom feed of the published versions, one entry per version with
//! what changed in it, for readers who subscribe to the agreement rather than visit it.
//!
//! Written by the current version only, and only with `base_url`: a feed's ids and links
//! must be absolute, and a subscriber needs the site's address. Each entry's `updated`
//! is the version's effective date at midnight UTC (never the clock, so the same input
//! gives the same feed), and its id a `tag:` URI of the site's host, that date and the
//! version's folder, which stays the same as long as the host does. Every text is
//! escaped with the escaping of every other page.

use crate::escape::esc;
use crate::plan::versions::SiteVersions;
use std::fmt::Write;

/// The feed's file at the site's root.
pub(crate) const FEED: &str = crate::plan::urls::CHANGES_FEED;

/// The feed of `versions`, or `None` when it is not written: no `base_url`, a version
/// other than the current being built, or no version with an effective date.
pub(crate) fn feed(title: &str, base_url: Option<&str>, versions: &SiteVersions) -> Option<String> {
    let base = format!("{}/", base_url?.trim_end_matches('/'));
    if versions.this != 0 {
        return None;
    }
    let host = host(&base)?;
    let dated: Vec<(usize, &str)> = versions
        .list
        .iter()
        .enumerate()
        .filter_map(|(index, v)| Some((index, v.effective.as_deref()?)))
        .collect();
    let newest = dated.iter().map(|(_, day)| *day).max()?;
    let mut xml = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         \x20 <title>{}</title>\n\
         \x20 <id>{}</id>\n\
         \x20 <updated>{}T00:00:00Z</updated>\n\
         \x20 <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
         \x20 <author><name>{}</name></author>\n",
        esc(&format!("{title}: changes")),
        esc(&format!("{base}{FEED}")),
        esc(newest),
        esc(&format!("{base}{FEED}")),
        esc(&base),
        esc(title),
    );
    for (index, day) in dated {
        let version = &versions.list[index];
        let page = match version.changes {
            Some(_) => format!("{base}{}changes/", version.prefix),
            None => format!("{base}{}", version.prefix),
        };
        let _ = write!(
            xml,
            "  <entry>\n\
             \x20   <title>{}</title>\n\
             \x20   <id>{}</id>\n\
             \x20   <updated>{}T00:00:00Z</updated>\n\
             \x20   <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             \x20   <summary>{}</summary>\n\
             \x20 </entry>\n",
            esc(&version.name),
            esc(&format!("tag:{host},{day}:{}changes/", version.prefix)),
            esc(day),
            esc(&page),
            esc(&summary(version.changes.as_ref())),
        );
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

/// The host of an absolute address (`https://example.com:8080/hub/` gives
/// `example.com`), lower case; `None` when it has none.
fn host(base: &str) -> Option<String> {
    let rest = base.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority.split(':').next()?.to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// What changed in a version, one line per change, as `rasci diff --format json` says it
/// (table by table: tasks added, removed, moved, retitled, then letters); the oldest
/// version has nothing before it.
fn summary(changes: Option<&serde_json::Value>) -> String {
    let Some(diff) = changes else {
        return "The oldest version published.".to_owned();
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut lines = Vec::new();
    for renamed in diff["parties"]["renamed"].as_array().into_iter().flatten() {
        lines.push(format!(
            "{} ({}) is now {} ({}).",
            text(&renamed["old"]["name"]),
            text(&renamed["old"]["id"]),
            text(&renamed["new"]["name"]),
            text(&renamed["new"]["id"]),
        ));
    }
    for table in diff["matrices"].as_array().into_iter().flatten() {
        let place = match table["model"].as_str() {
            Some(model) => format!("{model}/{}", text(&table["scope"])),
            None => text(&table["scope"]),
        };
        let list = |key: &str| table[key].as_array().cloned().unwrap_or_default();
        for t in list("tasks_added") {
            lines.push(format!("{place}: added {}.", text(&t["title"])));
        }
        for t in list("tasks_removed") {
            lines.push(format!("{place}: removed {}.", text(&t["title"])));
        }
        for t in list("tasks_moved") {
            lines.push(format!(
                "{place}: moved {} from section {} to {}.",
                text(&t["title"]),
                text(&t["from"]),
                text(&t["to"])
            ));
        }
        for t in list("tasks_retitled") {
            lines.push(format!(
                "{place}: {} is now {}.",
                text(&t["old"]),
                text(&t["new"])
            ));
        }
        for l in list("letters") {
            let mut parts = Vec::new();
            for (key, verb) in [("gained", "gained"), ("lost", "lost")] {
                let letters = match &l[key] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(a) => a.iter().map(text).collect::<String>(),
                    _ => String::new(),
                };
                if !letters.is_empty() {
                    parts.push(format!("{verb} {letters}"));
                }
            }
            lines.push(format!(
                "{place}: {} in {}: {}.",
                text(&l["party"]),
                text(&l["task"]),
                parts.join(", ")
            ));
        }
    }
    if lines.is_empty() {
        return "No table changed.".to_owned();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::host;

    #[test]
    fn the_host_is_the_address_s_authority_without_port_or_user() {
        assert_eq!(
            host("https://Example.com:8080/hub/").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host("https://u@docs.example.org/").as_deref(),
            Some("docs.example.org")
        );
        assert_eq!(host("/hub/"), None);
    }
}
