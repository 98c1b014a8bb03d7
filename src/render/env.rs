//! The state of one page while it renders: where it sits in the site (for relative
//! links), which scope it belongs to, the ids already used, and the findings and
//! links met on the way.

use super::data::SiteData;
use super::glossary::Marker;
use super::templates::{RenderError, Theme};
use crate::diagnostic::Diagnostic;
use crate::load::markdown::{UniqueIds, is_external, normalize, percent_decode};
use crate::model::{ModelIx, Scope};
use crate::plan::urls;
use crate::source::Span;

/// The ids the built-in page shell gives its own elements.
const SHELL_IDS: [&str; 5] = [
    "main",
    "search-input",
    "search-results",
    "sidebar",
    "toc-title",
];

pub(crate) struct PageEnv<'a> {
    pub(crate) data: &'a SiteData<'a>,
    /// The templates the page and its shortcodes are rendered with.
    pub(crate) theme: &'a Theme,
    /// Prefix from the page to the site root: `""`, `"../"`, `"../../"`.
    pub(crate) root: String,
    pub(crate) scope: Option<&'a Scope>,
    /// The operating model the page shows (index into `project.models`): a scope
    /// page's; `None` on pages of no model, where shortcodes use the first model that
    /// covers their scope.
    pub(crate) model: Option<ModelIx>,
    /// Slug of the content file being rendered, to resolve `other.md` links.
    pub(crate) content_slug: Option<String>,
    pub(crate) marker: Marker<'a>,
    pub(super) ids: UniqueIds,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every link written in a source, with where it was written.
    pub(crate) links: Vec<(String, Span)>,
    /// The first template that failed while rendering the page, with why: a broken
    /// theme stops the build rather than yielding a page with a hole in it.
    pub(crate) template_error: Option<RenderError>,
}

impl<'a> PageEnv<'a> {
    pub(crate) fn new(
        data: &'a SiteData<'a>,
        theme: &'a Theme,
        path: &str,
        scope: Option<&'a Scope>,
    ) -> Self {
        let root = urls::root_of(path);
        // The page shell's own ids (`base.html`): an id a view asks for never takes one,
        // so a deployment called `main` gets `main-2`, not a second `id="main"`.
        let mut ids = UniqueIds::default();
        for shell in SHELL_IDS {
            ids.get(shell);
        }
        PageEnv {
            data,
            theme,
            marker: Marker::new(&data.glossary, &root),
            root,
            scope,
            model: None,
            content_slug: None,
            ids,
            diagnostics: Vec::new(),
            links: Vec::new(),
            template_error: None,
        }
    }

    /// A link from this page to a site path, as text: templates escape it.
    pub(crate) fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.root, site_path)
    }

    /// Renders one template of the theme with `view` and the five letters (`letters`).
    /// A failure is kept in [`PageEnv::template_error`] and yields no text.
    pub(crate) fn partial(&mut self, template: &str, view: &impl serde::Serialize) -> String {
        match self.theme.render(template, view) {
            Ok(html) => html,
            Err(message) => {
                self.template_error.get_or_insert(message);
                String::new()
            }
        }
    }

    pub(crate) fn id(&mut self, wanted: &str) -> String {
        self.ids.get(wanted)
    }

    /// Marks glossary terms in a data text rendered as inline Markdown.
    pub(crate) fn inline(&mut self, text: &str, span: Span) -> String {
        self.marker.start_block();
        super::markdown::render_inline(text, span, self)
    }
}

/// Turns a link written in Markdown into a relative link of the built site:
/// `other.md` and `/other.md` lead to that page at the site path `page_for` gives (in
/// the same scope and model), `/glossary/` to
/// the site's glossary, and every link to a folder gets its `index.html`, so the site also
/// works when opened from disk.
pub(crate) fn rewrite(
    dest: &str,
    root: &str,
    page_for: &dyn Fn(&str) -> String,
    content_slug: Option<&str>,
) -> String {
    if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
        return dest.to_string();
    }
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    // `My%20Page.md` and `<My Page.md>` both name the file `My Page.md`.
    let decoded = percent_decode(path);
    if let Some(md) = decoded.strip_suffix(".md") {
        let slug = match md.strip_prefix('/') {
            Some(absolute) => normalize(absolute.trim_start_matches("content/")),
            None => {
                let base = content_slug
                    .and_then(|s| s.rsplit_once('/'))
                    .map_or("", |(dir, _)| dir);
                normalize(&format!("{base}/{md}"))
            }
        };
        let slug = crate::load::content::slug_path(&slug);
        return format!("{root}{}{fragment}", page_for(&slug));
    }
    let with_index = if path.ends_with('/') || path.is_empty() {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    match with_index.strip_prefix('/') {
        Some(site_path) => format!("{root}{site_path}{fragment}"),
        None => format!("{with_index}{fragment}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_and_explicit() {
        let cloud = |slug: &str| urls::content(Some("cloud"), slug);
        let r = |d| rewrite(d, "../../", &cloud, Some("guides/intro"));
        assert_eq!(r("https://example.com/x"), "https://example.com/x");
        assert_eq!(r("#top"), "#top");
        assert_eq!(r("other.md#a"), "../../cloud/guides/other/index.html#a");
        assert_eq!(r("../top.md"), "../../cloud/top/index.html");
        assert_eq!(r("/_index.md"), "../../index.html");
        assert_eq!(r("My%20Page.md"), "../../cloud/guides/my-page/index.html");
        assert_eq!(r("/Über uns.md"), "../../cloud/ber-uns/index.html");
        assert_eq!(
            r("/glossary/#term-sip"),
            "../../glossary/index.html#term-sip"
        );
        assert_eq!(r("pic.png"), "pic.png");
        assert_eq!(r("mailto:a@b.c"), "mailto:a@b.c");
    }
}
