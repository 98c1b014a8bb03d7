//! The link check: every internal `href` and `src` of the built site must lead to a file
//! of the site, and every `#anchor` to an id on the target page. Links written in
//! Markdown are reported where they were written; links made by templates are reported
//! in the built page, so a theme mistake is found too.

use super::site::Site;
use crate::check::links::SourceLink;
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::load::markdown::{is_external, normalize, percent_decode};
use crate::model::Project;
use crate::source::Span;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A broken link, found in the page at `page`.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub(crate) page: String,
    pub(crate) href: String,
    /// Byte offset of the attribute in the built page.
    pub(crate) offset: usize,
    pub(crate) reason: String,
    /// Where the link was written, when it came from a source file.
    pub(crate) written: Option<Span>,
}

/// The links the sources of one page wrote: the page's site path, and each link as
/// written with where it was written. Borrowed from the rendered pages, never copied.
pub(crate) type Written<'a> = (&'a str, &'a [(String, Span)]);

/// Checks every page; `written` holds, per page, the links its sources wrote.
pub(crate) fn check(site: &Site, written: &[Written<'_>]) -> Vec<Problem> {
    let pages: Vec<String> = site
        .files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    check_pages(site, written, &pages)
}

/// The ids of a page's elements, the targets of `#anchor` links.
pub(crate) fn ids_of(html: &[u8]) -> BTreeSet<String> {
    scan_page(html)
        .ids
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// A built page as text. Pages are made as text, so this borrows; only bytes that are
/// not UTF-8 (a static file named `.html`) are copied, with replacement characters.
fn page_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A link of a built page, resolved against the page but not yet against the ids of its
/// target.
struct Found<'a> {
    href: Cow<'a, str>,
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

/// A page checked: its path, its links resolved against the site, and its ids.
type Scanned<'a> = (&'a String, Vec<Found<'a>>, Vec<Cow<'a, str>>);

/// Checks the links of the given pages; the problems come in the order given, each
/// page's in the order of its text.
///
/// Linear in the size of the pages, and parallel: each page's links are read and
/// resolved on their own (a file lookup each), then the ids of just the pages that
/// `#anchor` links lead to are read, once each, and the anchors are looked up.
pub(crate) fn check_pages(site: &Site, written: &[Written<'_>], pages: &[String]) -> Vec<Problem> {
    use rayon::prelude::*;
    let files: HashSet<&str> = site.files.keys().map(String::as_str).collect();
    // One pass over each page reads its links and its ids (every page is the target of
    // its own `#main` link, so nearly every page's ids are needed).
    let found: Vec<Scanned> = pages
        .par_iter()
        .filter_map(|page| {
            let bytes = site.files.get(page)?;
            let Attributes { links, ids } = scan_page(bytes);
            let found: Vec<Found> = links
                .into_iter()
                .filter_map(|(href, offset)| {
                    let verdict = judge_link(&files, page, &href)?;
                    Some(Found {
                        href,
                        offset,
                        verdict,
                    })
                })
                .collect();
            Some((page, found, ids))
        })
        .collect();
    let mut ids: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut unscanned: BTreeSet<&str> = BTreeSet::new();
    for (page, _, page_ids) in &found {
        ids.insert(
            page.as_str(),
            page_ids.iter().map(|id| id.as_ref()).collect(),
        );
    }
    for (_, links, _) in &found {
        for link in links {
            if let Verdict::Anchor { target, .. } = &link.verdict
                && !ids.contains_key(target.as_str())
            {
                unscanned.insert(target.as_str());
            }
        }
    }
    // The pages that links lead to but that were not checked themselves (a rebuild
    // checks only the pages it rendered again).
    let other_ids: Vec<(&str, Vec<Cow<str>>)> = unscanned
        .into_par_iter()
        .map(|target| (target, scan_page(&site.files[target]).ids))
        .collect();
    for (target, target_ids) in &other_ids {
        ids.insert(target, target_ids.iter().map(|id| id.as_ref()).collect());
    }
    let written: HashMap<&str, &[(String, Span)]> = written.iter().copied().collect();
    let mut problems = Vec::new();
    for (page, links, _) in &found {
        for link in links {
            let reason = match &link.verdict {
                Verdict::Broken(reason) => reason.clone(),
                Verdict::Anchor { target, fragment } => {
                    let ids = &ids[target.as_str()];
                    if ids.contains(fragment.as_str()) || ids.contains(&*percent_decode(fragment)) {
                        continue;
                    }
                    format!("`{target}` has no element with id `{fragment}`")
                }
            };
            let href = link.href.to_string();
            let written = written
                .get(page.as_str())
                .and_then(|links| {
                    links
                        .iter()
                        .find(|(h, _)| *h == href || percent_decode(h) == percent_decode(&href))
                })
                .map(|(_, span)| *span);
            problems.push(Problem {
                page: (*page).clone(),
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
fn judge_link(files: &HashSet<&str>, page: &str, href: &str) -> Option<Verdict> {
    if href.is_empty() || is_external(href) {
        return None;
    }
    if let Some(from_root) = href.strip_prefix('/')
        && page == "404.html"
    {
        // The 404 page is served at any address, so its links start from the root.
        return judge_link(files, "index.html", from_root);
    }
    let broken = |reason: String| Some(Verdict::Broken(reason));
    if href.starts_with('/') {
        return broken("links start from the page, not from the server root, so the site works from any folder".into());
    }
    let (path, fragment) = match href.find('#') {
        Some(i) => (&href[..i], Some(&href[i + 1..])),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let path = percent_decode(path);
    let target = if path.is_empty() {
        Cow::Borrowed(page)
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if path.split('/').filter(|p| *p == "..").count()
            > dir.split('/').filter(|p| !p.is_empty()).count()
        {
            return broken("the link leaves the site".into());
        }
        join(dir, &path)
    };
    let target = target.as_ref();
    if !files.contains(target) {
        if files.contains(format!("{target}/index.html").as_str()) || path.ends_with('/') {
            return broken(format!(
                "`{target}` is a folder: link to its index.html, as pages opened from disk need it"
            ));
        }
        return broken(format!("there is no `{target}` in the site"));
    }
    match fragment {
        Some(fragment) if !fragment.is_empty() && target.ends_with(".html") => {
            Some(Verdict::Anchor {
                target: target.to_string(),
                fragment: fragment.to_string(),
            })
        }
        _ => None,
    }
}

/// `normalize(&format!("{dir}/{path}"))`, the site path `path` leads to from a page in
/// `dir`, for a `path` that does not climb above the site root. The links of the theme
/// and of the navigation all have one form, `../` steps and then plain names, from a
/// folder of plain names: that form is joined with at most one allocation, and links
/// into the site root with none. Any other path is normalised in full.
fn join<'a>(dir: &'a str, path: &'a str) -> Cow<'a, str> {
    let plain = |text: &str| {
        text.split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
    };
    let mut base = dir;
    let mut rest = path;
    while let Some(after) = rest.strip_prefix("../") {
        match base.rsplit_once('/') {
            Some((parent, _)) => base = parent,
            None if !base.is_empty() => base = "",
            None => break,
        }
        rest = after;
    }
    if !plain(rest) || !(dir.is_empty() || plain(dir)) {
        return Cow::Owned(normalize(&format!("{dir}/{path}")));
    }
    if base.is_empty() {
        Cow::Borrowed(rest)
    } else {
        Cow::Owned(format!("{base}/{rest}"))
    }
}

/// What the link check reads from a page: the values of its `href` and `src` attributes
/// with their byte offsets, in the order of the text, and the values of its `id`s.
/// Values are borrowed from the page unless an entity had to be decoded: a page of the
/// site holds dozens of links and ids, and copying each was a tenth of the link check.
#[derive(Debug, Default, PartialEq)]
struct Attributes<'a> {
    links: Vec<(Cow<'a, str>, usize)>,
    ids: Vec<Cow<'a, str>>,
}

impl Attributes<'_> {
    fn into_owned(self) -> Attributes<'static> {
        Attributes {
            links: self
                .links
                .into_iter()
                .map(|(href, at)| (Cow::Owned(href.into_owned()), at))
                .collect(),
            ids: self
                .ids
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect(),
        }
    }
}

/// [`scan`] of a page's bytes: borrowed from the page when it is UTF-8 text, as every page
/// the site makes is.
fn scan_page(bytes: &[u8]) -> Attributes<'_> {
    match page_text(bytes) {
        Cow::Borrowed(text) => scan(text),
        Cow::Owned(text) => scan(&text).into_owned(),
    }
}

/// The attribute names [`scan`] reads, each as it stands before `="`.
const SCANNED: [&str; 3] = ["href", "src", "id"];

/// Reads the `name="…"` attributes of [`SCANNED`] from a page in one pass, entities
/// decoded. An attribute counts where ` name="` stands, and its value runs to the next
/// `"`. Each name is read as if the text were searched for it alone: a match starts after
/// the value of the previous match of the same name, while the values of other names
/// are not skipped. The pass visits only the `=` signs (found a word at a time), so it
/// costs about one search of the text, where three searches cost three.
fn scan(html: &str) -> Attributes<'_> {
    let bytes = html.as_bytes();
    let mut found = Attributes::default();
    // Per name of `SCANNED`: where its next match may start, `None` once a value is
    // left unclosed (a search for that name alone would stop there).
    let mut next_from: [Option<usize>; 3] = [Some(0); 3];
    for (equals, _) in html.match_indices('=') {
        if bytes.get(equals + 1) != Some(&b'"') {
            continue;
        }
        for (which, name) in SCANNED.iter().enumerate() {
            let Some(from) = next_from[which] else {
                continue;
            };
            let Some(needle_start) = equals.checked_sub(name.len() + 1) else {
                continue;
            };
            if needle_start < from
                || bytes[needle_start] != b' '
                || &bytes[needle_start + 1..equals] != name.as_bytes()
            {
                continue;
            }
            let start = equals + 2;
            let Some(len) = html[start..].find('"') else {
                next_from[which] = None;
                continue;
            };
            let raw = &html[start..start + len];
            let value = if raw.contains('&') {
                Cow::Owned(raw.replace("&amp;", "&"))
            } else {
                Cow::Borrowed(raw)
            };
            match *name {
                "id" => found.ids.push(value),
                _ => found.links.push((value, start)),
            }
            next_from[which] = Some(start + len);
        }
    }
    found
}

/// Turns the problems into `link/broken` findings. A link from a template is reported in
/// the built page, which is added to the sources so the report can quote it. A link
/// written in a content page is reported once, at the link, as written, however many
/// built pages show it; and not at all when the check of Markdown sources
/// ([`crate::check::links::check_sources`]) reported it (`reported`).
pub(crate) fn report(
    project: &mut Project,
    findings: &mut Findings,
    problems: Vec<Problem>,
    site: &Site,
    written: &[SourceLink],
    reported: &[Span],
) {
    let reported: HashSet<Span> = reported.iter().copied().collect();
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
    // The links as written, of the broken ones only: a preview reports on every save, and
    // a site's links run to tens of thousands.
    let written: HashMap<Span, &str> = if at_source.is_empty() {
        HashMap::new()
    } else {
        written
            .iter()
            .filter(|link| at_source.contains_key(&link.span))
            .map(|link| (link.span, &*link.dest))
            .collect()
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of one attribute found by searching the text for ` name="` alone: what
    /// [`scan`] must give for each name.
    fn searched(html: &str, name: &str) -> Vec<(String, usize)> {
        let needle = format!(" {name}=\"");
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = html[from..].find(&needle) {
            let start = from + i + needle.len();
            let Some(len) = html[start..].find('"') else {
                break;
            };
            found.push((html[start..start + len].replace("&amp;", "&"), start));
            from = start + len;
        }
        found
    }

    #[test]
    fn joining_gives_what_normalising_gives() {
        let dirs = ["", "a", "a/b", "a/b/c", "a/./b", "a//b", "a/b/.."];
        let paths = [
            "x.html",
            "../x.html",
            "../../x/y.html",
            "../../../x.html",
            "./x.html",
            "../a/../x.html",
            "x//y.html",
            "x/",
            "..",
            "../",
        ];
        for dir in dirs {
            for path in paths {
                let ups = path.split('/').filter(|p| *p == "..").count();
                if ups > dir.split('/').filter(|p| !p.is_empty()).count() {
                    continue;
                }
                assert_eq!(
                    join(dir, path),
                    normalize(&format!("{dir}/{path}")),
                    "{dir} + {path}"
                );
            }
        }
    }

    #[test]
    fn one_pass_reads_what_a_search_per_name_reads() {
        let pages = [
            r#"<a href="a.html#x" id="top"><img src="p.png" alt="x=y"></a>"#,
            r#"<p title="say href=" id="q">text</p><a href="b.html?x=1&amp;y=2">b</a>"#,
            r#"<a data-href="no" xhref="no" href="yes" src="s" id="i" href="unclosed"#,
            r#"<a aria-label="x src=" src="after">"#,
            r#" id="" href="" src="=" id=""#,
            r#"no attributes at all = """#,
            r#"<a href="ünï.html" id="ç">"#,
        ];
        for html in pages {
            let scanned = scan(html);
            let scanned_links: Vec<(String, usize)> = scanned
                .links
                .iter()
                .map(|(href, at)| (href.to_string(), *at))
                .collect();
            let scanned_ids: Vec<String> = scanned.ids.iter().map(|id| id.to_string()).collect();
            let mut links = searched(html, "href");
            links.extend(searched(html, "src"));
            links.sort_by_key(|(_, at)| *at);
            assert_eq!(scanned_links, links, "{html}");
            let ids: Vec<String> = searched(html, "id").into_iter().map(|(v, _)| v).collect();
            assert_eq!(scanned_ids, ids, "{html}");
        }
    }
}
