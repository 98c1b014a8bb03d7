//! The link check: every internal `href` and `src` of the built site must lead to a file
//! of the site, and every `#anchor` to an id on the target page. Links written in
//! Markdown are reported where they were written; links made by templates are reported
//! in the built page, so a theme mistake is found too.

use super::Site;
use crate::check::links::SourceLink;
use crate::diagnostic::{Diagnostic, Findings, RuleId};
pub use crate::load::markdown::percent_decode;
use crate::load::markdown::{is_external, normalize};
use crate::model::Project;
use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A broken link, found in the page at `page`.
#[derive(Debug, Clone)]
pub struct Problem {
    pub page: String,
    pub href: String,
    /// Byte offset of the attribute in the built page.
    pub offset: usize,
    pub reason: String,
    /// Where the link was written, when it came from a source file.
    pub written: Option<Span>,
}

/// Checks every page; `written` holds, per page, the links its sources wrote.
pub fn check(site: &Site, written: &[(String, Vec<(String, Span)>)]) -> Vec<Problem> {
    let pages: Vec<String> = site
        .files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    check_pages(site, written, &pages)
}

/// The ids of a page's elements, the targets of `#anchor` links.
pub fn ids_of(html: &[u8]) -> BTreeSet<String> {
    attribute_values(&String::from_utf8_lossy(html), "id")
        .into_iter()
        .map(|(v, _)| v)
        .collect()
}

/// A link of a built page, resolved against the page but not yet against the ids of its
/// target.
struct Found {
    href: String,
    offset: usize,
    verdict: Verdict,
}

enum Verdict {
    Broken(String),
    /// The target page exists; the fragment must be one of its ids.
    Anchor {
        target: String,
        fragment: String,
    },
}

/// Checks the links of the given pages; the problems come in the order given, each
/// page's in the order of its text.
///
/// Linear in the size of the pages, and parallel: each page's links are read and
/// resolved on their own (a file lookup each), then the ids of just the pages that
/// `#anchor` links lead to are read, once each, and the anchors are looked up.
pub fn check_pages(
    site: &Site,
    written: &[(String, Vec<(String, Span)>)],
    pages: &[String],
) -> Vec<Problem> {
    use rayon::prelude::*;
    let found: Vec<(&String, Vec<Found>)> = pages
        .par_iter()
        .filter_map(|page| {
            let bytes = site.files.get(page)?;
            let html = String::from_utf8_lossy(bytes);
            let mut links = attribute_values(&html, "href");
            links.extend(attribute_values(&html, "src"));
            links.sort_by_key(|(_, at)| *at);
            let found: Vec<Found> = links
                .into_iter()
                .filter_map(|(href, offset)| {
                    let verdict = resolve(site, page, &href)?;
                    Some(Found {
                        href,
                        offset,
                        verdict,
                    })
                })
                .collect();
            Some((page, found))
        })
        .collect();
    let targets: BTreeSet<String> = found
        .iter()
        .flat_map(|(_, links)| links)
        .filter_map(|link| match &link.verdict {
            Verdict::Anchor { target, .. } => Some(target.clone()),
            Verdict::Broken(_) => None,
        })
        .collect();
    let ids: HashMap<String, BTreeSet<String>> = targets
        .into_par_iter()
        .map(|target| {
            let ids = ids_of(&site.files[&target]);
            (target, ids)
        })
        .collect();
    let written: HashMap<&str, &[(String, Span)]> = written
        .iter()
        .map(|(page, links)| (page.as_str(), links.as_slice()))
        .collect();
    let mut problems = Vec::new();
    for (page, links) in found {
        for link in links {
            let reason = match link.verdict {
                Verdict::Broken(reason) => reason,
                Verdict::Anchor { target, fragment } => {
                    let ids = &ids[target.as_str()];
                    if ids.contains(&fragment) || ids.contains(&percent_decode(&fragment)) {
                        continue;
                    }
                    format!("`{target}` has no element with id `{fragment}`")
                }
            };
            let href = link.href;
            let written = written
                .get(page.as_str())
                .and_then(|links| {
                    links
                        .iter()
                        .find(|(h, _)| *h == href || percent_decode(h) == percent_decode(&href))
                })
                .map(|(_, span)| *span);
            problems.push(Problem {
                page: page.clone(),
                href,
                offset: link.offset,
                reason,
                written,
            });
        }
    }
    problems
}

/// What `href` on `page` leads to: `None` when it is fine or leaves the site, else why
/// it is broken, or the anchor it still has to find on an existing page.
fn resolve(site: &Site, page: &str, href: &str) -> Option<Verdict> {
    if href.is_empty() || is_external(href) {
        return None;
    }
    if let Some(from_root) = href.strip_prefix('/')
        && page == "404.html"
    {
        // The 404 page is served at any address, so its links start from the root.
        return resolve(site, "index.html", from_root);
    }
    let broken = |reason: String| Some(Verdict::Broken(reason));
    if href.starts_with('/') {
        return broken("links start from the page, not from the server root, so the site works from any folder".into());
    }
    let (path, fragment) = match href.find('#') {
        Some(i) => (&href[..i], Some(&href[i + 1..])),
        None => (href, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or(""));
    let path = path.as_str();
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if path.split('/').filter(|p| *p == "..").count()
            > dir.split('/').filter(|p| !p.is_empty()).count()
        {
            return broken("the link leaves the site".into());
        }
        normalize(&format!("{dir}/{path}"))
    };
    if !site.files.contains_key(&target) {
        if site.files.contains_key(&format!("{target}/index.html")) || path.ends_with('/') {
            return broken(format!(
                "`{target}` is a folder: link to its index.html, as pages opened from disk need it"
            ));
        }
        return broken(format!("there is no `{target}` in the site"));
    }
    match fragment {
        Some(fragment) if !fragment.is_empty() && target.ends_with(".html") => {
            Some(Verdict::Anchor {
                target,
                fragment: fragment.to_string(),
            })
        }
        _ => None,
    }
}

/// The values of `name="…"` attributes with their byte offsets, entities decoded.
fn attribute_values(html: &str, name: &str) -> Vec<(String, usize)> {
    let needle = format!(" {name}=\"");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let start = from + i + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let value = html[start..start + len].replace("&amp;", "&");
        found.push((value, start));
        from = start + len;
    }
    found
}

/// Turns the problems into `link/broken` findings. A link from a template is reported in
/// the built page, which is added to the sources so the report can quote it. A link
/// written in a content page is reported once, at the link, as written, however many
/// built pages show it; and not at all when the check of Markdown sources
/// ([`crate::check::links::check_sources`]) reported it (`reported`).
pub fn report(
    project: &mut Project,
    findings: &mut Findings,
    problems: Vec<Problem>,
    site: &Site,
    written: &[SourceLink],
    reported: &[Span],
) {
    let reported: HashSet<Span> = reported.iter().copied().collect();
    let written: HashMap<Span, &str> = written
        .iter()
        .map(|link| (link.span, link.dest.as_str()))
        .collect();
    let mut added: BTreeMap<String, crate::source::FileId> = BTreeMap::new();
    let mut at_source: BTreeMap<Span, (Problem, Vec<String>)> = BTreeMap::new();
    for problem in problems {
        match problem.written {
            Some(span) if reported.contains(&span) => {}
            Some(span) => {
                let page = problem.page.clone();
                at_source
                    .entry(span)
                    .or_insert_with(|| (problem, Vec::new()))
                    .1
                    .push(page);
            }
            None => {
                let message = format!("broken link `{}` in {}", problem.href, problem.page);
                let file = *added.entry(problem.page.clone()).or_insert_with(|| {
                    let text = site
                        .files
                        .get(&problem.page)
                        .map(|b| String::from_utf8_lossy(b).into_owned());
                    project.sources.add(
                        format!("<built site>/{}", problem.page),
                        text.unwrap_or_default(),
                    )
                });
                findings.push(
                    Diagnostic::new(RuleId::LinkBroken, message)
                        .at(
                            Span::new(file, problem.offset, problem.offset + problem.href.len()),
                            problem.reason,
                        )
                        .help("this link comes from a template of the theme or from data text"),
                );
            }
        }
    }
    for (span, (problem, pages)) in at_source {
        let dest = written.get(&span).copied().unwrap_or(problem.href.as_str());
        let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
        let noun = if pages.len() == 1 { "page" } else { "pages" };
        findings.push(
            Diagnostic::new(RuleId::LinkBroken, format!("broken link `{dest}`"))
                .at(span, problem.reason)
                .help(format!(
                    "it leads nowhere from the built {noun} {}",
                    crate::diagnostic::list_names(&pages)
                )),
        );
    }
}
