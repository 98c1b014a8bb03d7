//! Site-wide files: the search index (pages and tasks), the sitemap and robots.txt.
//!
//! The index is written once, as a script (`search-index.js`): the theme's search loads
//! it with a `<script>` element, which works when the site is opened from disk, where
//! fetching a JSON file is not allowed. A JSON copy of the same index was written as well
//! and read by nothing in the site; at 10,000 pages it doubled the index's bytes.

use super::SiteData;
use super::html::{esc, text_of};
use super::pages::PageOut;
use super::urls;
use crate::model::Project;
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    /// Title.
    t: String,
    /// Site path, relative to the root.
    u: String,
    /// Where it belongs: a deployment's name, or the `reference` label.
    s: String,
    /// Text searched (and shown as an excerpt).
    x: String,
}

/// Longest text kept per page: enough for every word of a guide, small enough to load.
const MAX_TEXT: usize = 4000;

/// The text the index keeps of a page's body. Computed once per rendered page, so a
/// rebuild that keeps a page need not keep its body too.
pub fn page_text(body: &str) -> String {
    let mut text = text_of(body);
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// The index as `search-index.js`, which sets `window.RASCI_SEARCH_INDEX`; `texts` holds each page's
/// [`page_text`], in the order of `pages`.
pub fn index(data: &SiteData<'_>, pages: &[PageOut], texts: &[String]) -> String {
    let project = data.project;
    let labels = &project.config.labels;
    let mut entries = Vec::new();
    for (page, text) in pages.iter().zip(texts).filter(|(p, _)| p.searchable) {
        entries.push(Entry {
            t: page.title.clone(),
            u: page.path.clone(),
            s: page.scope.map_or_else(
                || labels.reference.clone(),
                |i| data.place_name(page.model, i),
            ),
            x: text.clone(),
        });
    }
    for matrix in data.matrices {
        for row in matrix.rows() {
            let holders: Vec<String> = project
                .parties
                .iter()
                .enumerate()
                .filter(|(i, _)| !row.letters(*i).is_empty())
                .map(|(i, p)| format!("{}: {}", p.name.value, row.letters(i)))
                .collect();
            entries.push(Entry {
                t: row.task.title.value.clone(),
                u: format!(
                    "{}#{}",
                    data.matrix_path(matrix),
                    urls::task_anchor(&row.task.id.value)
                ),
                s: format!(
                    "{} · {}",
                    data.place_name(Some(matrix.model), matrix.scope_index),
                    labels.task
                ),
                x: holders.join("; "),
            });
        }
    }
    let json = serde_json::to_string(&entries).expect("index entries serialize");
    format!("window.RASCI_SEARCH_INDEX = {};\n", script_safe(&json))
}

/// JSON made safe to inline in a `<script>` element, with the same meaning as script:
/// `</` (as in a `</script>` written in the data) cannot end the element early, and `<!--`
/// cannot switch the HTML parser into its script-comment state.
pub(crate) fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

/// `sitemap.xml`: absolute addresses when `base_url` is configured, else addresses from
/// the site root.
pub fn sitemap(project: &Project, pages: &[PageOut]) -> String {
    let base = project.config.base_url.as_ref().map_or_else(
        || "/".to_string(),
        |b| format!("{}/", b.value.trim_end_matches('/')),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = pages
        .iter()
        .filter(|p| p.searchable)
        .map(|p| p.path.as_str())
        .collect();
    paths.sort();
    for path in paths {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            esc(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(project: &Project) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &project.config.base_url {
        text.push_str(&format!(
            "Sitemap: {}/sitemap.xml\n",
            base.value.trim_end_matches('/')
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn data_cannot_close_or_comment_out_the_script() {
        let json = serde_json::to_string(&["</script><script>alert(1)</script>", "<!--x"]).unwrap();
        let js = script_safe(&json);
        assert!(!js.to_ascii_lowercase().contains("</script"), "{js}");
        assert!(!js.contains("<!--"), "{js}");
        // The same strings, read back as script reads them (JSON allows `\/`; `\!` is a
        // plain `!` in a script string).
        let back: Vec<String> = serde_json::from_str(&js.replace("<\\!", "<!")).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script>", "<!--x"]);
    }
}
