//! Markdown to HTML: pulldown-cmark's events, reworked on the way through. Headings get
//! ids and anchors, fenced code is highlighted, `> [!NOTE]` alerts become styled boxes,
//! glossary terms are marked, links are made relative, and shortcodes such as
//! `{{ rasci_table(scope="cloud") }}` are replaced by data views.
//!
//! Raw HTML is the writer's, and treated as untrusted: in a content page it is sanitised
//! (see [`super::sanitize`]) unless `content.trust_html` is set, and in a data value
//! (a task title, a description) it is shown as text. Links and images whose address
//! would run code are dropped. Each removal is a warning where it was written.

use super::glossary::Marker;
use super::highlight;
use super::sanitize::{self, Slots};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::escape::esc;
use crate::load::ids::slugify;
use crate::load::markdown::{UniqueIds, text_of};
use crate::source::Span;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// An entry of the "In this article" list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub(crate) text: String,
}

/// A shortcode call as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shortcode {
    pub(crate) name: String,
    pub(crate) args: Vec<(String, String)>,
    pub(crate) span: Span,
}

impl Shortcode {
    pub(crate) fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// What a page offers the Markdown renderer.
pub(crate) trait Host<'g> {
    fn marker(&mut self) -> &mut Marker<'g>;
    /// The HTML of a data view, or the finding that explains why there is none.
    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Diagnostic>;
    /// A link as written in the source, turned into a relative link of the built site;
    /// `span` is where it was written, for the link check to point at.
    fn rewrite_link(&mut self, dest: &str, span: Span) -> String;
    /// A heading id not yet used on the page, based on `wanted`.
    fn unique_id(&mut self, wanted: &str) -> String;
    fn report(&mut self, diagnostic: Diagnostic);
    /// Whether raw HTML in content pages is kept as written (`content.trust_html`).
    fn trust_html(&self) -> bool {
        false
    }
}

/// Where the Markdown text stands in the sources, to turn offsets into spans.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin {
    /// A content file; the text starts at `offset` in it.
    File {
        file: crate::source::FileId,
        offset: usize,
    },
    /// A data value (a summary item, a description): findings point at the whole value,
    /// since YAML folding moves characters around.
    Value(Span),
}

impl Origin {
    fn span(self, range: Range<usize>) -> Span {
        match self {
            Origin::File { file, offset } => {
                Span::new(file, offset + range.start, offset + range.end)
            }
            Origin::Value(span) => span,
        }
    }
}

/// The rendered body and the headings for the table of contents.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    pub(crate) toc: Vec<TocEntry>,
    /// A level-1 heading that opens the document: the page heading, which the theme
    /// shows in place of the title rather than twice.
    pub(crate) h1: Option<String>,
}

use crate::load::markdown::options;

/// Renders a Markdown document (a content page's body).
pub(crate) fn render<'g>(text: &str, origin: Origin, host: &mut dyn Host<'g>) -> Rendered {
    // Only the renderer may mark slots for its own markup (see `sanitize::Slots`).
    let neutralised;
    let text = if text.contains([sanitize::SLOT_OPEN, sanitize::SLOT_CLOSE]) {
        neutralised = sanitize::neutralise(text);
        neutralised.as_str()
    } else {
        text
    };
    let from_data = matches!(origin, Origin::Value(_));
    let trusted = !from_data && host.trust_html();
    let parsed: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let has_raw_html = parsed
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let events = merge_text(guard(text, parsed, origin, trusted, host));
    let mut slots = Slots::new(has_raw_html && !from_data && !trusted);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut toc = Vec::new();
    let mut h1 = None;
    let mut heading: Option<(u8, Option<String>, Vec<Event<'_>>)> = None;
    let mut code: Option<(String, String)> = None;
    let mut quotes: Vec<bool> = Vec::new();
    let mut plain_depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = events[i].clone();
        i += 1;
        if let Some((lang, buffer)) = &mut code {
            match event {
                Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    out.push(Event::Html(slots.keep(code_block(lang, buffer)).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some((level, explicit, inner)) = &mut heading {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.drain(..));
                    let plain = text_of(&inner_html);
                    if *level == 1 && out.is_empty() && h1.is_none() {
                        h1 = Some(plain);
                        heading = None;
                        continue;
                    }
                    let id = host.unique_id(explicit.as_deref().unwrap_or(&slugify(&plain)));
                    if (2..=3).contains(level) {
                        toc.push(TocEntry {
                            level: *level,
                            id: id.clone(),
                            text: plain.clone(),
                        });
                    }
                    let attr_id = esc(&id);
                    let anchor = slots.keep(format!(
                        // Out of the Tab order: a page of eight sections had eight
                        // extra stops; the link is for pointing and copying.
                        "<a class=\"anchor\" href=\"#{attr_id}\" tabindex=\"-1\" \
                         aria-label=\"Link to this section: {label}\"></a>",
                        label = esc(&plain)
                    ));
                    out.push(Event::Html(
                        format!("<h{level} id=\"{attr_id}\">{inner_html}{anchor}</h{level}>\n")
                            .into(),
                    ));
                    heading = None;
                }
                Event::Start(Tag::Link {
                    dest_url,
                    title,
                    link_type,
                    id,
                }) => {
                    inner.push(Event::Start(Tag::Link {
                        dest_url: host
                            .rewrite_link(&dest_url, origin.span(range.clone()))
                            .into(),
                        title,
                        link_type,
                        id,
                    }));
                }
                other => inner.push(other),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                host.marker().start_block();
                // A paragraph that is only a shortcode becomes the view itself, not a
                // view wrapped in <p> (which HTML does not allow for tables).
                if let (Some((Event::Text(t), r)), Some((Event::End(TagEnd::Paragraph), _))) =
                    (events.get(i), events.get(i + 1))
                {
                    let trimmed = t.trim();
                    if !from_data
                        && trimmed.starts_with("{{")
                        && trimmed.ends_with("}}")
                        && count_calls(trimmed) == 1
                    {
                        let html = slots.keep(inline_text(t, r.clone(), origin, host, true));
                        out.push(Event::Html(format!("{html}\n").into()));
                        i += 2;
                        continue;
                    }
                }
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::Start(tag @ (Tag::Item | Tag::TableCell)) => {
                host.marker().start_block();
                out.push(Event::Start(tag));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level as u8, id.map(|s| s.to_string()), Vec::new()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                plain_depth += 1;
                out.push(Event::Start(Tag::Link {
                    dest_url: host
                        .rewrite_link(&dest_url, origin.span(range.clone()))
                        .into(),
                    title,
                    link_type,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                plain_depth += 1;
                out.push(Event::Start(Tag::Image {
                    dest_url: host
                        .rewrite_link(&dest_url, origin.span(range.clone()))
                        .into(),
                    title,
                    link_type,
                    id,
                }));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                plain_depth = plain_depth.saturating_sub(1);
                out.push(Event::End(end));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                quotes.push(true);
                let (class, title) = alert(kind);
                let title = slots.keep(format!(
                    "<p class=\"alert-title\"><span class=\"alert-icon\" aria-hidden=\"true\"></span>{title}</p>"
                ));
                out.push(Event::Html(
                    format!("<div class=\"alert alert-{class}\" role=\"note\">\n{title}\n").into(),
                ));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                quotes.push(false);
                out.push(Event::Start(Tag::BlockQuote(None)));
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if quotes.pop() == Some(true) {
                    out.push(Event::Html("</div>\n".into()));
                } else {
                    out.push(Event::End(TagEnd::BlockQuote(kind)));
                }
            }
            Event::Text(t) if plain_depth == 0 => {
                let html = slots.keep(inline_text(&t, range, origin, host, false));
                out.push(Event::InlineHtml(html.into()));
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered {
        html: slots.finish(html),
        toc,
        h1,
    }
}

/// The writer's raw HTML and addresses, before rendering: in a data value raw HTML
/// becomes text; in a content page what the sanitiser will remove is reported where it
/// was written (unless the project trusts its HTML). Links and images with an address
/// that runs code are dropped, their text kept, in both.
fn guard<'a>(
    text: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
    origin: Origin,
    trusted: bool,
    host: &mut dyn Host<'_>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let from_data = matches!(origin, Origin::Value(_));
    let mut out = Vec::with_capacity(events.len());
    // Per open link or image: whether it was dropped.
    let mut dropped: Vec<bool> = Vec::new();
    let mut in_block = false;
    // An element removed with its content, opened by raw HTML and not closed yet.
    let mut inside: Option<String> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                in_block = true;
                if !from_data && !trusted {
                    report_removals(text, range.clone(), origin, &mut inside, host);
                }
                if !from_data {
                    out.push((Event::Start(Tag::HtmlBlock), range));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_block = false;
                if !from_data {
                    out.push((Event::End(TagEnd::HtmlBlock), range));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if from_data => {
                out.push((Event::Text(html), range));
            }
            Event::InlineHtml(html) => {
                if !trusted {
                    report_removals(text, range.clone(), origin, &mut inside, host);
                }
                out.push((Event::InlineHtml(html), range));
            }
            Event::Html(html) => {
                if !trusted && !in_block {
                    report_removals(text, range.clone(), origin, &mut inside, host);
                }
                out.push((Event::Html(html), range));
            }
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                match sanitize::url_problem(dest_url, image) {
                    Some(why) => {
                        let what = if image { "image" } else { "link" };
                        let diagnostic = Diagnostic::new(
                            RuleId::ContentUnsafeUrl,
                            format!(
                                "this {what} is dropped, its text kept: its address uses {why}"
                            ),
                        )
                        .at(origin.span(range.clone()), format!("unsafe {what}"))
                        .help(if image {
                            "give the image a relative or https: address"
                        } else {
                            "link to a page, or to an http:, https: or mailto: address"
                        });
                        host.report(diagnostic);
                        dropped.push(true);
                    }
                    None => {
                        dropped.push(false);
                        out.push((event, range));
                    }
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if !dropped.pop().unwrap_or(false) {
                    out.push((Event::End(end), range));
                }
            }
            other => out.push((other, range)),
        }
    }
    out
}

/// One warning per tag of raw HTML (at `range` of `text`) that the sanitiser will change.
fn report_removals(
    text: &str,
    range: Range<usize>,
    origin: Origin,
    inside: &mut Option<String>,
    host: &mut dyn Host<'_>,
) {
    let Some(html) = text.get(range.clone()) else {
        return;
    };
    for removal in sanitize::scan_from(html, inside) {
        let start = range.start + removal.offset;
        let span = origin.span(start..start + removal.len);
        let (label, help) = match removal.rule {
            RuleId::ContentUnsafeUrl => (
                "unsafe address",
                "use a relative, http:, https: or mailto: address",
            ),
            _ => (
                "removed from the page",
                "write it in Markdown, or set `content: { trust_html: true }` in rasci.yaml if \
                 everyone who can change content/ is trusted",
            ),
        };
        host.report(
            Diagnostic::new(removal.rule, removal.message)
                .at(span, label)
                .help(help),
        );
    }
}

/// A Markdown page rendered on its own, outside any project: what [`render_page`] gives.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// The findings, as `(rule, byte offset in the text, message)`.
    pub findings: Vec<(RuleId, usize, String)>,
}

/// Renders `text` as the body of a content page of a project without data: no glossary,
/// links left as written, and each shortcode replaced by an empty
/// `<div class="rasci-view" data-shortcode="name">`, as rasci's own markup. `trust_html`
/// is `content.trust_html`. For tests and fuzzing of the renderer alone.
pub fn render_page(text: &str, trust_html: bool) -> Page {
    let glossary = super::glossary::Glossary::empty();
    let mut host = Alone {
        marker: Marker::new(&glossary, ""),
        ids: UniqueIds::default(),
        diagnostics: Vec::new(),
        trust_html,
    };
    let file = crate::source::FileId(0);
    let rendered = render(text, Origin::File { file, offset: 0 }, &mut host);
    Page {
        html: rendered.html,
        toc: rendered.toc,
        findings: host
            .diagnostics
            .into_iter()
            .map(|d| {
                let at = d.primary.as_ref().map_or(0, |l| l.span.start);
                (d.rule, at, d.message)
            })
            .collect(),
    }
}

struct Alone<'g> {
    marker: Marker<'g>,
    ids: UniqueIds,
    diagnostics: Vec<Diagnostic>,
    trust_html: bool,
}

impl<'g> Host<'g> for Alone<'g> {
    fn marker(&mut self) -> &mut Marker<'g> {
        &mut self.marker
    }

    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Diagnostic> {
        Ok(format!(
            "<div class=\"rasci-view\" data-shortcode=\"{}\"></div>",
            esc(&call.name)
        ))
    }

    fn rewrite_link(&mut self, dest: &str, _span: Span) -> String {
        dest.to_string()
    }

    fn unique_id(&mut self, wanted: &str) -> String {
        self.ids.get(wanted)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn trust_html(&self) -> bool {
        self.trust_html
    }
}

/// Renders a short data text (a summary item, a description) as inline HTML: Markdown
/// emphasis, code and links work, glossary terms are marked, and a single paragraph loses
/// its `<p>` so the text fits in a list item or a table cell.
pub(crate) fn render_inline<'g>(text: &str, span: Span, host: &mut dyn Host<'g>) -> String {
    let rendered = render(text, Origin::Value(span), host);
    let html = rendered.html.trim();
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html.to_string(),
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn code_block(lang: &str, code: &str) -> String {
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", esc(lang))
    };
    let body = (!lang.is_empty())
        .then(|| highlight::highlight(code, lang))
        .flatten()
        .unwrap_or_else(|| esc(code));
    format!("<pre class=\"code\"{lang_class}><code>{body}</code></pre>\n")
}

/// Text outside links and code: shortcodes become views, the rest is escaped with
/// glossary terms marked. `block` says the text is a whole paragraph. Shortcodes work in
/// content pages only: in a data value (which views show, so a `{{ summaries() }}` in a
/// summary would render itself without end) they are text.
fn inline_text<'g>(
    text: &str,
    range: Range<usize>,
    origin: Origin,
    host: &mut dyn Host<'g>,
    block: bool,
) -> String {
    if matches!(origin, Origin::Value(_)) {
        return host.marker().mark(text);
    }
    let mut out = String::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(open) = rest.find("{{") {
        let Some(close_rel) = rest[open..].find("}}") else {
            // A call whose text stops before its `}}`: markup inside it (an HTML tag
            // such as `<b>` in an argument) split it. Left alone it would be published
            // as text, half a call.
            if looks_like_call(&rest[open + 2..]) {
                let start = range.start + consumed + open;
                let span = if range.len() == text.len() {
                    origin.span(start..range.start + consumed + rest.len())
                } else {
                    origin.span(range.clone())
                };
                host.report(
                    Diagnostic::new(
                        RuleId::ContentShortcode,
                        "cannot read this shortcode: it is not closed by `}}`",
                    )
                    .at(span, "this call")
                    .help("write the call on one line as {{ name(key=\"value\") }}; arguments cannot hold `<`, `>` or other markup"),
                );
                out.push_str(&host.marker().mark(&rest[..open]));
                rest = "";
            }
            break;
        };
        let close = open + close_rel + 2;
        out.push_str(&host.marker().mark(&rest[..open]));
        let start = range.start + consumed + open;
        // Offsets are exact when the text event maps one to one onto the source.
        let span = if range.len() == text.len() {
            origin.span(start..range.start + consumed + close)
        } else {
            origin.span(range.clone())
        };
        match parse_shortcode(&rest[open + 2..close - 2], span) {
            Ok(call) => match host.shortcode(&call) {
                Ok(html) if block => out.push_str(&html),
                Ok(html) => out.push_str(&format!("<span class=\"inline-view\">{html}</span>")),
                Err(diagnostic) => host.report(diagnostic),
            },
            Err(diagnostic) => host.report(diagnostic),
        }
        consumed += close;
        rest = &rest[close..];
    }
    out.push_str(&host.marker().mark(rest));
    out
}

/// Whether the text after a `{{` starts like a shortcode call: a name and `(`.
fn looks_like_call(after_open: &str) -> bool {
    let trimmed = after_open.trim_start();
    let name_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(trimmed.len());
    name_len > 0 && trimmed[name_len..].trim_start().starts_with('(')
}

fn count_calls(text: &str) -> usize {
    text.matches("{{").count()
}

/// Parses `name(key="value", other='x')`.
pub(crate) fn parse_shortcode(inner: &str, span: Span) -> Result<Shortcode, Diagnostic> {
    let bad = |why: &str| {
        Diagnostic::new(
            RuleId::ContentShortcode,
            format!("cannot read this shortcode: {why}"),
        )
        .at(span, "here")
        .help("write a shortcode as {{ name(key=\"value\") }}")
    };
    let inner = inner.trim();
    let open = inner
        .find('(')
        .ok_or_else(|| bad("expected `(` after the name"))?;
    if !inner.ends_with(')') {
        return Err(bad("expected `)` at the end"));
    }
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(bad("the name is not an identifier"));
    }
    let mut args = Vec::new();
    let mut rest = inner[open + 1..inner.len() - 1].trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| bad("expected `key=\"value\"`"))?;
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = after[1..]
                    .find(q)
                    .ok_or_else(|| bad("a quoted value is not closed"))?;
                (after[1..1 + end].to_string(), &after[end + 2..])
            }
            _ => {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            }
        };
        if args.iter().any(|(given, _)| *given == key) {
            return Err(bad(&format!("the argument `{key}` is given twice")));
        }
        args.push((key, value));
        rest = remaining.trim_start().trim_start_matches(',').trim_start();
    }
    Ok(Shortcode {
        name: name.to_string(),
        args,
        span,
    })
}

/// Joins adjacent text events (pulldown-cmark splits text at characters that might have
/// started markup) so that terms and shortcodes are seen whole.
fn merge_text(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut merged: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    // A run of text is joined in one growing string, so a paragraph split into many
    // pieces costs its length, not its length times the number of pieces.
    let mut run: Option<String> = None;
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(previous), previous_range))) =
            (&event, merged.last_mut())
        {
            let joined = run.get_or_insert_with(|| previous.to_string());
            joined.push_str(next);
            previous_range.end = range.end;
            continue;
        }
        flush_run(&mut merged, &mut run);
        merged.push((event, range));
    }
    flush_run(&mut merged, &mut run);
    merged
}

fn flush_run<'a>(merged: &mut [(Event<'a>, Range<usize>)], run: &mut Option<String>) {
    if let (Some(joined), Some((Event::Text(previous), _))) = (run.take(), merged.last_mut()) {
        *previous = CowStr::from(joined);
    }
}
