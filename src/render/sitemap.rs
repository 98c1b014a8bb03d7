//! `sitemap.xml` and `robots.txt`: the addresses a search engine may crawl.
//!
//! The sitemaps protocol caps one sitemap file at 50,000 addresses and 50 MiB
//! (52,428,800 bytes) uncompressed. A site within both gets the one `sitemap.xml` it has
//! always had. A larger one gets numbered sitemaps (`sitemap-1.xml`, `sitemap-2.xml`, …)
//! in address order, each within both limits, and `sitemap.xml` becomes their index, so
//! `robots.txt` and anyone who submitted `sitemap.xml` keep the same address.

use super::data::{SiteData, updated};
use super::pages::searchable;
use crate::escape::esc;
use crate::model::Project;
use crate::plan::{SitePlan, urls};

/// The most addresses one sitemap file may list.
pub const MAX_URLS: usize = 50_000;

/// The most bytes one sitemap file may have, uncompressed.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// The sitemap files of the site, by name: `sitemap.xml` alone, or the index
/// `sitemap.xml` and the numbered sitemaps it lists. Addresses are absolute when
/// `base_url` is configured, else from the site root, each with the day its page last
/// changed (`<lastmod>`) when it has one.
pub fn sitemaps(data: &SiteData<'_>, plan: &SitePlan) -> Vec<(String, String)> {
    let base = base(data.project);
    let mut listed: Vec<(&str, Option<&str>)> = plan
        .pages
        .iter()
        .filter(|p| searchable(p.kind))
        .map(|p| (p.path.as_str(), updated(data, p.kind)))
        .collect();
    listed.sort();
    let lines: Vec<String> = listed
        .into_iter()
        .map(|(path, updated)| {
            let path = path.strip_suffix("index.html").unwrap_or(path);
            let lastmod = updated.map_or_else(String::new, |day| {
                format!("<lastmod>{}</lastmod>", esc(day))
            });
            format!(
                "  <url><loc>{}</loc>{lastmod}</url>\n",
                esc(&format!("{base}{path}"))
            )
        })
        .collect();
    split(&base, &lines, MAX_URLS, MAX_BYTES)
}

/// The site's address with one trailing `/`, or `/` without `base_url`.
fn base(project: &Project) -> String {
    project.config.base_url.as_ref().map_or_else(
        || "/".to_string(),
        |b| format!("{}/", b.value.trim_end_matches('/')),
    )
}

/// The `<url>` lines in sitemap files of at most `max_urls` lines and `max_bytes` bytes
/// each; one file is `sitemap.xml` itself, more are listed by a `sitemap.xml` index.
fn split(base: &str, lines: &[String], max_urls: usize, max_bytes: usize) -> Vec<(String, String)> {
    let frame = URLSET_OPEN.len() + URLSET_CLOSE.len();
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::from(URLSET_OPEN);
    let mut count = 0;
    for line in lines {
        if count > 0
            && (count == max_urls || current.len() + line.len() + URLSET_CLOSE.len() > max_bytes)
        {
            current.push_str(URLSET_CLOSE);
            parts.push(std::mem::replace(&mut current, String::from(URLSET_OPEN)));
            count = 0;
        }
        debug_assert!(
            frame + line.len() <= max_bytes,
            "one address fits a sitemap"
        );
        current.push_str(line);
        count += 1;
    }
    current.push_str(URLSET_CLOSE);
    parts.push(current);
    if parts.len() == 1 {
        return vec![(urls::SITEMAP.to_string(), parts.pop().unwrap_or_default())];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (n, part) in parts.into_iter().enumerate() {
        let name = numbered(n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            esc(&format!("{base}{name}"))
        ));
        files.push((name, part));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (urls::SITEMAP.to_string(), index));
    files
}

/// The name of the `n`th sitemap of an index, from 1.
fn numbered(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

pub fn robots(project: &Project) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &project.config.base_url {
        text.push_str(&format!(
            "Sitemap: {}/{}\n",
            base.value.trim_end_matches('/'),
            urls::SITEMAP
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("  <url><loc>https://x.example/p{i:06}/</loc></url>\n"))
            .collect()
    }

    #[test]
    fn a_site_within_the_limits_has_one_sitemap() {
        let files = split("https://x.example/", &lines(MAX_URLS), MAX_URLS, MAX_BYTES);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.starts_with(URLSET_OPEN));
        assert_eq!(files[0].1.matches("<url>").count(), MAX_URLS);
    }

    #[test]
    fn one_address_more_makes_an_index_of_two_sitemaps() {
        let files = split(
            "https://x.example/",
            &lines(MAX_URLS + 1),
            MAX_URLS,
            MAX_BYTES,
        );
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = &files[0].1;
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(index.contains("<loc>https://x.example/sitemap-1.xml</loc>"));
        assert!(index.contains("<loc>https://x.example/sitemap-2.xml</loc>"));
        assert_eq!(files[1].1.matches("<url>").count(), MAX_URLS);
        assert_eq!(files[2].1.matches("<url>").count(), 1);
        assert!(files[2].1.contains("p050000"));
        assert!(files[2].1.ends_with(URLSET_CLOSE));
    }

    #[test]
    fn the_byte_limit_splits_too() {
        let all = lines(10);
        let one = all[0].len();
        // Room for the frame and three addresses.
        let max = URLSET_OPEN.len() + URLSET_CLOSE.len() + 3 * one;
        let files = split("/", &all, MAX_URLS, max);
        assert_eq!(
            files.len(),
            1 + 4,
            "{:?}",
            files.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (name, xml) in &files[1..] {
            assert!(xml.len() <= max, "{name} has {} bytes", xml.len());
        }
        let listed: usize = files[1..]
            .iter()
            .map(|(_, x)| x.matches("<url>").count())
            .sum();
        assert_eq!(listed, 10);
    }
}
