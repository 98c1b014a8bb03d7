//! Content: the Markdown pages under `content/`, each with YAML front matter between
//! `---` lines. Files are read into the project's sources so that findings about them
//! (bad front matter, unknown shortcodes, broken links) point at file, line and column
//! like every other finding.

use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::model::{DataKind, Located, Project};
use crate::source::{FileId, PathMemo, Sources, Span};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder holding the Markdown pages, relative to the project root.
pub(crate) const CONTENT_DIR: &str = "content";

/// The front matter a page may carry. Unknown keys are errors, as in the data files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    pub(crate) title: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Position in the navigation; lower comes first, then the title decides.
    #[serde(default)]
    pub(crate) weight: Option<i64>,
    /// Scopes whose sections show this page; all of them when absent.
    #[serde(default, deserialize_with = "crate::model::scope_list::some_scope_ids")]
    pub(crate) scopes: Option<Vec<Located<String>>>,
    /// Operating models (ids of `data/models.yaml`) whose readers the page is for; all of
    /// them when absent. In a project with models a page is shown once per model.
    #[serde(default)]
    pub(crate) models: Option<Vec<Located<String>>>,
    /// Stand out in its scope's list of guides, as the page most readers need.
    #[serde(default)]
    pub(crate) featured: bool,
    /// The day the page last changed, `YYYY-MM-DD`: shown instead of the date of its last
    /// git commit (a page whose text changed for no reader, or a site built without git).
    #[serde(default)]
    pub(crate) updated: Option<Located<String>>,
    /// Addresses the page had before, from the site root (`/old/page/`): each keeps a
    /// redirect page leading here. Checked by `check_aliases`.
    #[serde(default)]
    pub(crate) aliases: Vec<Located<String>>,
}

/// Index of a content page in the loaded list of them (the order `content/` is read
/// in): one Markdown file, which the site shows once per scope it applies to. A page of
/// the built site is a [`crate::plan::PageIx`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ContentIx(pub(crate) usize);

impl std::ops::Index<ContentIx> for [ContentPage] {
    type Output = ContentPage;

    fn index(&self, index: ContentIx) -> &ContentPage {
        &self[index.0]
    }
}

/// One Markdown page as read.
#[derive(Debug)]
pub struct ContentPage {
    pub file: FileId,
    /// The page's URL path: its path under `content/` without the `.md` extension, each
    /// folder and file name made a slug by [`slug_path`], e.g. `guides/my-page`.
    pub(crate) slug: String,
    /// Shared with the memo of a preview's loads, which hands an unchanged page's on.
    pub(crate) front: Arc<FrontMatter>,
    /// Byte offset in the file where the Markdown body starts.
    pub(crate) body_start: usize,
    /// The passages shown to readers of some models only, in the order written.
    pub(crate) passages: Vec<Passage>,
    /// Whether the body holds `{{`, which every shortcode and passage line does: a page
    /// without it shows no view of the data, so new data leaves it as it was.
    pub(crate) shortcodes: bool,
}

/// Whether `body` holds `{{` (see [`ContentPage::shortcodes`]).
pub(crate) fn has_shortcodes(body: &str) -> bool {
    memchr::memmem::find(body.as_bytes(), b"{{").is_some()
}

/// A passage of a content page for the readers of some operating models: the lines
/// between `{{ passage(models="partner") }}` and `{{ end_passage() }}`, each written on
/// a line of its own. The page is shown once per model, and each showing keeps the
/// passages of its model only, so a reader sees them with no script, from disk too.
#[derive(Debug, Clone)]
pub(crate) struct Passage {
    /// Byte range in the file of the opening line, without its line break.
    pub(crate) open: std::ops::Range<usize>,
    /// Byte range in the file of the closing line, without its line break.
    pub(crate) close: std::ops::Range<usize>,
    /// The models whose readers see the passage, each with where it is written.
    pub(crate) models: Vec<Located<String>>,
}

/// The name of the shortcode that opens a passage, and of the one that closes it.
pub(crate) const PASSAGE: &str = "passage";
pub(crate) const END_PASSAGE: &str = "end_passage";

impl ContentPage {
    /// `_index.md` is the home page's text rather than a page of its own.
    pub(crate) fn is_home(&self) -> bool {
        self.slug == "_index"
    }

    pub(crate) fn applies_to(&self, scope: &str) -> bool {
        self.front
            .scopes
            .as_ref()
            .is_none_or(|scopes| scopes.iter().any(|s| s.value == scope))
    }

    pub(crate) fn body<'s>(&self, sources: &'s Sources) -> &'s str {
        &sources.get(self.file).text[self.body_start..]
    }

    /// Whether the page is for readers of the model with id `model` (`None`: the
    /// implicit model of a project without models, whose pages show every page).
    pub(crate) fn for_model(&self, model: Option<&str>) -> bool {
        match (&self.front.models, model) {
            (None, _) | (_, None) => true,
            (Some(models), Some(model)) => models.iter().any(|m| m.value == model),
        }
    }

    /// The body as the readers of the model with id `model` see it: the passages of other
    /// models and the lines that open and close passages become spaces, so every byte
    /// keeps its offset and findings in what is left point at the file as written.
    /// `None` (a project without models) keeps every passage's text.
    pub(crate) fn body_in<'s>(
        &self,
        sources: &'s Sources,
        model: Option<&str>,
    ) -> std::borrow::Cow<'s, str> {
        let body = self.body(sources);
        if self.passages.is_empty() {
            return std::borrow::Cow::Borrowed(body);
        }
        let mut bytes = body.as_bytes().to_vec();
        let mut blank = |range: std::ops::Range<usize>| {
            for byte in &mut bytes[range.start - self.body_start..range.end - self.body_start] {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b' ';
                }
            }
        };
        for passage in &self.passages {
            let shown = model.is_none_or(|m| passage.models.iter().any(|p| p.value == m));
            if shown {
                blank(passage.open.clone());
                blank(passage.close.clone());
            } else {
                blank(passage.open.start..passage.close.end);
            }
        }
        // Only whole characters were replaced, each byte by an ASCII space.
        std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
    }
}

/// The passages of a page's body (see [`Passage`]), and a finding for each opening or
/// closing line that does not pair, and each opening line that names no model. Lines in
/// fenced code blocks are text, never passages.
fn passages(text: &str, body_start: usize, file: FileId) -> (Vec<Passage>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut findings = Vec::new();
    let mut open: Option<(std::ops::Range<usize>, Vec<Located<String>>)> = None;
    let mut fence: Option<&str> = None;
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        let end = start + content.len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let Some(inner) = trimmed
            .strip_prefix("{{")
            .and_then(|t| t.strip_suffix("}}"))
            .map(str::trim)
        else {
            continue;
        };
        let lead = content.len() - content.trim_start().len();
        let span = Span::new(file, start + lead, start + lead + trimmed.len());
        if inner.replace(' ', "") == format!("{END_PASSAGE}()") {
            match open.take() {
                Some((range, models)) => found.push(Passage {
                    open: range,
                    close: start..end,
                    models,
                }),
                None => findings.push(
                    Diagnostic::new(
                        RuleId::ContentShortcode,
                        format!("`{END_PASSAGE}` closes no passage"),
                    )
                    .at(span, "no `passage` is open here")
                    .help(format!("open the passage before it with {{{{ {PASSAGE}(models=\"<id>\") }}}}, or remove this line")),
                ),
            }
            continue;
        }
        let Some(args) = inner
            .strip_prefix(PASSAGE)
            .map(str::trim_start)
            .and_then(|t| t.strip_prefix('('))
        else {
            continue;
        };
        if let Some((earlier, _)) = &open {
            findings.push(
                Diagnostic::new(
                    RuleId::ContentShortcode,
                    "a passage opens inside another passage".to_string(),
                )
                .at(span, "opens a second passage")
                .label(
                    Span::new(file, earlier.start, earlier.end),
                    "the open passage",
                )
                .help(format!(
                    "close the first passage with {{{{ {END_PASSAGE}() }}}} before opening the next"
                )),
            );
            continue;
        }
        // `models="a, b")`: the ids, each with its own span.
        let value_at = args.find('"').and_then(|q| {
            let before = args[..q].trim().trim_end_matches('=').trim();
            (before == "models").then_some(q + 1)
        });
        let models: Vec<Located<String>> = value_at
            .and_then(|at| Some((at, args[at..].find('"')?)))
            .map(|(at, len)| {
                // `args` is a part of `content`: its offset there is where it starts.
                let base = start + (args.as_ptr() as usize - content.as_ptr() as usize) + at;
                let mut ids = Vec::new();
                let mut from = 0;
                for part in args[at..at + len].split(',') {
                    let lead = part.len() - part.trim_start().len();
                    let id = part.trim();
                    if !id.is_empty() {
                        let at = base + from + lead;
                        ids.push(Located::new(
                            id.to_string(),
                            Span::new(file, at, at + id.len()),
                        ));
                    }
                    from += part.len() + 1;
                }
                ids
            })
            .unwrap_or_default();
        if models.is_empty() {
            findings.push(
                Diagnostic::new(
                    RuleId::ContentShortcode,
                    format!("`{PASSAGE}` names no model"),
                )
                .at(span, "a passage for no reader")
                .help(format!(
                    "name the models whose readers see it: {{{{ {PASSAGE}(models=\"partner\") }}}}"
                )),
            );
        }
        open = Some((start..end, models));
    }
    if let Some((range, _)) = open {
        findings.push(
            Diagnostic::new(
                RuleId::ContentShortcode,
                "a passage is not closed".to_string(),
            )
            .at(Span::new(file, range.start, range.end), "opened here")
            .help(format!(
                "end the passage with a line holding {{{{ {END_PASSAGE}() }}}}"
            )),
        );
    }
    (found, findings)
}

/// The front matter of each page as the previous load of the same project parsed it, for
/// `serve`, which loads the project again on every save: parsing 10,000 front matters
/// was a third of loading a site of that size, and a save changes one of them.
///
/// A page is reused when its text still begins with the text its front matter was parsed
/// from (up to the end of the closing `---` line): where the front matter ends and what
/// it says depend on nothing else. Pages whose front matter had errors are parsed again,
/// so their findings are made as on a first load. What the body gives (its passages,
/// whether it has shortcodes) is reused when the page's text is the very one remembered
/// (a preview's loads hand an unchanged page's text on) and its passages had no errors.
pub(crate) type FrontMemo = PathMemo<Remembered>;

#[derive(Debug)]
pub(crate) struct Remembered {
    /// The page's whole text when it was read, and where its body starts in it.
    text: Arc<str>,
    body_start: usize,
    front: Arc<FrontMatter>,
    /// The passages of that text, and whether it has shortcodes, when its passages had no
    /// errors.
    body: Option<(Vec<Passage>, bool)>,
}

/// What the memo gives of the page in `file`: its front matter (moved to `file`) and where
/// its body starts, when the page still begins with the same front matter; with its
/// passages and whether it has shortcodes when the text is the one remembered.
struct Looked {
    front: Result<(Arc<FrontMatter>, usize), Diagnostic>,
    /// The front matter came from the memo.
    reused: bool,
    body: Option<(Vec<Passage>, bool)>,
}

fn remembered_front(memo: &FrontMemo, sources: &Sources, file: FileId) -> Option<Looked> {
    let remembered = memo.get(sources.path(file))?;
    let text = &sources.get(file).text;
    let same_text = Arc::ptr_eq(text, &remembered.text);
    if !same_text && !text.starts_with(&remembered.text[..remembered.body_start]) {
        return None;
    }
    let in_place = remembered.front.title.span.file == file;
    let front = if in_place {
        Arc::clone(&remembered.front)
    } else {
        let mut front = FrontMatter::clone(&remembered.front);
        relocate_front(&mut front, file);
        Arc::new(front)
    };
    Some(Looked {
        front: Ok((front, remembered.body_start)),
        reused: true,
        body: remembered.body.clone().filter(|_| same_text && in_place),
    })
}

/// Each source file's path, with its text as far as it counts when the bodies of content
/// pages do not: a content page up to the end of its front matter, any other file whole.
/// What the render memo's frame and the plan memo's key are hashed from.
pub(crate) fn heads<'s>(
    sources: &'s Sources,
    content: &[ContentPage],
) -> impl Iterator<Item = (&'s str, &'s str)> {
    // By file id, which counts the files from 0: a table, not a map, on every rebuild.
    let mut bodies: Vec<Option<usize>> = vec![None; sources.len()];
    for page in content {
        bodies[page.file.0 as usize] = Some(page.body_start);
    }
    sources.files().map(move |(file, source)| {
        let text = match bodies[file.0 as usize] {
            Some(body_start) => &source.text[..body_start],
            None => &*source.text,
        };
        (source.path.as_str(), text)
    })
}

/// The files under the content folder `dir` as [`crate::load::walk::walk`] finds them,
/// and the links it refused; with a memo, taken from its last walk where the watcher
/// says nothing changed there (see [`crate::load::files::TextMemo::last_walk`]).
fn walk_pages(
    root: &Path,
    dir: &Path,
    texts: Option<&mut crate::load::files::TextMemo>,
) -> Result<(Vec<PathBuf>, Vec<crate::load::walk::Refused>), crate::load::files::LoadError> {
    let Some(texts) = texts else {
        let (found, refused) = crate::load::walk::walk(root, dir)?;
        return Ok((found.into_iter().map(|f| f.path).collect(), refused));
    };
    if let Some(files) = texts.last_walk(dir) {
        return Ok((files, Vec::new()));
    }
    let walked = crate::load::walk::walk_noting_links(root, dir)?;
    let files: Vec<PathBuf> = walked.files.into_iter().map(|f| f.path).collect();
    texts.keep_walk(dir, &files, walked.links);
    Ok((files, walked.refused))
}

/// Reads every `content/**/*.md` in path order. A page whose front matter cannot be read
/// is reported and left out; the rest of the site still renders, so one run shows all
/// findings. With a `memo`, front matter is taken from it where the page's has not
/// changed, and the memo is made to hold this load's.
pub(crate) fn load(
    project: &mut Project,
    findings: &mut Findings,
    memo: Option<&mut FrontMemo>,
    mut texts: Option<&mut crate::load::files::TextMemo>,
    unsaved: &crate::load::files::Unsaved,
) -> Result<Vec<ContentPage>, crate::load::files::LoadError> {
    let root = project.sources.root().to_path_buf();
    let dir = root.join(CONTENT_DIR);
    let (found, refused) = walk_pages(&root, &dir, texts.as_deref_mut())?;
    crate::load::walk::report(&root, &refused, &mut project.sources, findings);
    let paths: Vec<_> = found
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    // The files are read and their front matter parsed in parallel; everything that
    // reports a finding or depends on an earlier page (the encoding check, the slugs taken)
    // then runs in path order, so findings and pages come out as from a serial read.
    project.sources.reserve(paths.len());
    let files = match texts {
        Some(texts) => texts.add_all(&mut project.sources, &root, &paths, unsaved, findings)?,
        None => {
            let read: Vec<_> = paths
                .par_iter()
                .map(|path| crate::load::files::read_bytes(path, unsaved))
                .collect();
            let mut files = Vec::with_capacity(read.len());
            for (path, bytes) in paths.iter().zip(read) {
                // Shared with the data files: a page that is not UTF-8 text is a located
                // finding.
                let file = crate::load::files::add_source(
                    &mut project.sources,
                    &root,
                    path,
                    bytes?,
                    findings,
                );
                files.extend(file);
            }
            files
        }
    };
    let sources = &project.sources;
    let parse = |file: FileId| Looked {
        front: front_matter(sources, file).map(|(front, at)| (Arc::new(front), at)),
        reused: false,
        body: None,
    };
    let looked_up: Vec<Looked> = match &memo {
        None => files.par_iter().map(|&file| parse(file)).collect(),
        Some(memo) => files
            .par_iter()
            .map(|&file| remembered_front(memo, sources, file).unwrap_or_else(|| parse(file)))
            .collect(),
    };
    // What each page says of itself (its URL, the checks of its front matter, its
    // passages) depends on no other page: made in parallel, its findings kept per page.
    let project_ref = &*project;
    let prepared: Vec<Prepared> = files
        .par_iter()
        .zip(looked_up)
        .map(|(&file, looked)| prepare(project_ref, file, looked))
        .collect();
    if let Some(memo) = memo {
        // Front matter with errors is not remembered: it is read again next time, so its
        // findings are made as on a first load; nor are passages with errors.
        let sources = &project.sources;
        memo.renew(
            files
                .iter()
                .zip(&prepared)
                .map(|(&file, prepared)| (sources.path(file), prepared.reused)),
            |index| {
                let parts = prepared[index].page.as_ref().ok()?;
                Some(Remembered {
                    text: Arc::clone(&sources.get(files[index]).text),
                    body_start: parts.body_start,
                    front: Arc::clone(&parts.parsed),
                    body: parts
                        .passages_clean
                        .then(|| (parts.passages.clone(), parts.shortcodes)),
                })
            },
        );
    }
    // Slug to the page that has it first, for pages that would share one URL. This and
    // the findings run in path order, as from a serial read.
    let mut taken: HashMap<String, FileId> = HashMap::with_capacity(files.len());
    let mut pages = Vec::with_capacity(files.len());
    for (file, prepared) in files.into_iter().zip(prepared) {
        let slug = match prepared.slug {
            Ok(slug) => slug,
            Err(diagnostic) => {
                findings.push(*diagnostic);
                continue;
            }
        };
        if let Some(&earlier) = taken.get(&slug) {
            findings.push(collision(&project.sources, earlier, file, &slug));
            continue;
        }
        taken.insert(slug.clone(), file);
        match prepared.page {
            Ok(PageParts {
                front,
                body_start,
                passages,
                shortcodes,
                findings: own,
                ..
            }) => {
                findings.extend(own.diagnostics);
                pages.push(ContentPage {
                    file,
                    slug,
                    front,
                    body_start,
                    passages,
                    shortcodes,
                });
            }
            Err(diagnostic) => findings.push(*diagnostic),
        }
    }
    Ok(pages)
}

/// The longest folder or file name of a content page's URL, in bytes: far below the
/// limits of file systems, so a page that checks also writes.
pub(crate) const MAX_SLUG_SEGMENT: usize = 100;

/// A content page's URL path from its path under `content/` (without `.md`): each folder
/// and file name is lowercased; ASCII letters, digits, `-` and `_` are kept; every run of
/// other characters (spaces, dots, punctuation, letters outside ASCII) becomes one `-`;
/// `-` at either end is dropped. `Guides/My Page` becomes `guides/my-page`, `Über uns`
/// becomes `ber-uns`, `x.md` (from `x.md.md`) becomes `x-md`. Nothing is transliterated.
pub(crate) fn slug_path(name: &str) -> String {
    name.split('/')
        .filter(|part| !part.is_empty())
        .map(slug_segment)
        .collect::<Vec<_>>()
        .join("/")
}

fn slug_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
            if gap && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out.trim_matches('-').to_string()
}

/// A page as far as it depends on no other page: its slug, or why it has none, and its
/// front matter checked with its passages and the findings of both, or why its front
/// matter cannot be read.
struct Prepared {
    slug: Result<String, Box<Diagnostic>>,
    page: Result<PageParts, Box<Diagnostic>>,
    /// The memo gave its front matter and body as they are (nothing to remember anew).
    reused: bool,
}

/// What a page's text gives of it once its front matter is read (see [`ContentPage`]),
/// with the findings of its front matter and passages.
struct PageParts {
    front: Arc<FrontMatter>,
    /// The front matter as parsed, before its checks took out what they refuse: what the
    /// memo keeps, so the findings come again next time.
    parsed: Arc<FrontMatter>,
    body_start: usize,
    passages: Vec<Passage>,
    shortcodes: bool,
    /// The passages had no errors.
    passages_clean: bool,
    findings: Findings,
}

fn prepare(project: &Project, file: FileId, looked: Looked) -> Prepared {
    let slug = page_slug(project, file).map_err(Box::new);
    let Looked {
        front,
        reused,
        body,
    } = looked;
    let reused = reused && body.is_some();
    let page = front.map_err(Box::new).map(|(parsed, body_start)| {
        let mut own = Findings::default();
        let mut front = Arc::clone(&parsed);
        check_scopes(project, &front, &mut own);
        check_updated(&mut front, &mut own);
        check_aliases(&mut front, &mut own);
        let (passages, shortcodes, problems) = match body {
            Some((passages, shortcodes)) => (passages, shortcodes, Vec::new()),
            None => {
                let text = &project.sources.get(file).text;
                let shortcodes = has_shortcodes(&text[body_start..]);
                // Every line that opens or closes a passage holds `{{`; most pages have
                // none.
                let (passages, problems) = if shortcodes {
                    passages(text, body_start, file)
                } else {
                    Default::default()
                };
                (passages, shortcodes, problems)
            }
        };
        let passages_clean = problems.is_empty();
        own.extend(problems);
        let named = front.models.iter().flatten();
        check_models(
            project,
            named.chain(passages.iter().flat_map(|p| &p.models)),
            &mut own,
        );
        PageParts {
            front,
            parsed,
            body_start,
            passages,
            shortcodes,
            passages_clean,
            findings: own,
        }
    });
    Prepared { slug, page, reused }
}

/// The slug of the page in `file`, from its path under `content/` without `.md`, or a
/// finding when it cannot have one: a name with nothing left of it, a name too long, a
/// top-level name the site uses for its own files. A URL taken by a page read before is
/// found by the caller, which reads the pages in order ([`collision`]).
fn page_slug(project: &Project, file: FileId) -> Result<String, Diagnostic> {
    let path = project.sources.path(file);
    let name = path
        .strip_prefix(CONTENT_DIR)
        .unwrap_or(path)
        .trim_start_matches('/');
    let name = name.strip_suffix(".md").unwrap_or(name);
    let whole = Span::new(file, 0, 0);
    let slug = slug_path(name);
    let mut parts = name.split('/').filter(|p| !p.is_empty());
    if let Some(part) = parts.clone().find(|p| slug_segment(p).is_empty()) {
        Err(Diagnostic::new(
            RuleId::IdSyntax,
            format!("`{path}` gives no URL: nothing of `{part}` is kept"),
        )
        .at(whole, "this page")
        .help("a page's URL keeps the ASCII letters, digits, `-` and `_` of its file and folder names; rename it with some of them, e.g. `about.md`"))
    } else if let Some(part) = slug.split('/').find(|p| p.len() > MAX_SLUG_SEGMENT) {
        Err(Diagnostic::new(
            RuleId::IdSyntax,
            format!("`{path}` gives a URL name of {} characters", part.len()),
        )
        .at(whole, "this page")
        .help(format!("a file or folder name of a page gives at most {MAX_SLUG_SEGMENT} characters of URL; shorten it")))
    } else if project.scopes.is_empty()
        && parts.next().is_some()
        && parts.next().is_none()
        && crate::load::ids::SITE_NAMES.contains(&slug.as_str())
    {
        Err(crate::load::ids::reserved("content page", &slug, whole))
    } else {
        Ok(slug)
    }
}

/// The finding for the page in `file`, whose URL `slug` the page in `earlier` has.
fn collision(sources: &Sources, earlier: FileId, file: FileId, slug: &str) -> Diagnostic {
    let path = sources.path(file);
    let earlier_path = sources.path(earlier);
    Diagnostic::new(
        RuleId::IdCollision,
        format!("`{earlier_path}` and `{path}` would both be the page `{slug}/`"),
    )
    .at(Span::new(file, 0, 0), "this page")
    .label(Span::new(earlier, 0, 0), "has this URL first")
    .help("rename one of the two files: URLs keep only the lowercased ASCII letters, digits, `-` and `_` of the names")
}

/// Splits off the front matter and parses it. The YAML is parsed from a copy of the file
/// cut after the closing `---`, with the opening `---` turned into a comment of the same
/// length, so every offset the parser reports is an offset in the real file.
fn front_matter(sources: &Sources, file: FileId) -> Result<(FrontMatter, usize), Diagnostic> {
    let text = &sources.get(file).text;
    let path = sources.path(file);
    let missing = || {
        Diagnostic::new(RuleId::ContentFrontMatter, "page has no front matter")
            .at(Span::new(file, 0, 0), "expected `---` on the first line")
            .help("start the page with `---`, a `title:` line and `---`")
    };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let mut offset = first_line_end;
    let mut close = None;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return Err(
            Diagnostic::new(RuleId::ContentFrontMatter, "front matter is not closed")
                .at(Span::new(file, 0, 3), "opened here")
                .help("end the front matter with a line holding `---`"),
        );
    };
    let mut masked = String::with_capacity(yaml_end);
    masked.push_str("#--");
    masked.push_str(&text[3..yaml_end]);
    let mut scratch = Sources::new(sources.root());
    let scratch_file = scratch.add(path.to_string(), masked);
    crate::load::yaml::parse::<FrontMatter>(&scratch, scratch_file)
        .map(|mut front| {
            relocate_front(&mut front, file);
            (front, body_start)
        })
        .map_err(|mut diagnostic| {
            diagnostic.rule = RuleId::ContentFrontMatter;
            for label in diagnostic
                .primary
                .iter_mut()
                .chain(diagnostic.labels.iter_mut())
            {
                label.span.file = file;
            }
            diagnostic
        })
}

/// The parse ran on a scratch copy; point the spans back at the real file.
fn relocate_front(front: &mut FrontMatter, file: FileId) {
    front.title.span.file = file;
    if let Some(d) = &mut front.description {
        d.span.file = file;
    }
    for scope in front.scopes.iter_mut().flatten() {
        scope.span.file = file;
    }
    for model in front.models.iter_mut().flatten() {
        model.span.file = file;
    }
    if let Some(updated) = &mut front.updated {
        updated.span.file = file;
    }
    for alias in &mut front.aliases {
        alias.span.file = file;
    }
}

/// The most `aliases:` one page may have.
pub(crate) const MAX_ALIASES: usize = 64;

/// The most folders an alias may name.
const MAX_ALIAS_SEGMENTS: usize = 16;

/// What is wrong with an alias, if anything. An alias is an address of the site from
/// its root: `/`, then folders of lowercase ASCII letters, digits, `-` and `_` separated
/// by single `/`, an optional `/` at the end. That leaves no room for `..`, a scheme, a
/// host, a query or markup, so the redirect page it gives is written inside the output.
pub(crate) fn alias_problem(alias: &str) -> Option<String> {
    let Some(rest) = alias.strip_prefix('/') else {
        return Some("an alias starts with `/`: it is an address from the site's root".into());
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some("`/` is the home page's address".into());
    }
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.len() > MAX_ALIAS_SEGMENTS {
        return Some(format!(
            "an alias names at most {MAX_ALIAS_SEGMENTS} folders"
        ));
    }
    for segment in &segments {
        if segment.is_empty() {
            return Some("an alias has no empty folder (`//`)".into());
        }
        if segment.len() > MAX_SLUG_SEGMENT {
            return Some(format!(
                "a folder of an alias has at most {MAX_SLUG_SEGMENT} characters"
            ));
        }
        if let Some(c) = segment
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
        {
            return Some(format!(
                "`{}` is not allowed: an alias holds lowercase ASCII letters, digits, `-`, `_` and `/`",
                c.escape_debug()
            ));
        }
    }
    if crate::load::ids::SITE_NAMES.contains(&segments[0]) {
        return Some(format!("`/{}/` holds the site's own files", segments[0]));
    }
    None
}

/// Reports every alias of the page that is not an address of the site, and leaves it out,
/// so no redirect is planned from it; past [`MAX_ALIASES`] the rest are left out too.
fn check_aliases(front: &mut Arc<FrontMatter>, findings: &mut Findings) {
    // Copied only when an alias is left out: the memo's front matter stays as parsed.
    if front.aliases.len() <= MAX_ALIASES
        && front
            .aliases
            .iter()
            .all(|alias| alias_problem(&alias.value).is_none())
    {
        return;
    }
    let front = Arc::make_mut(front);
    if front.aliases.len() > MAX_ALIASES {
        let extra = &front.aliases[MAX_ALIASES];
        findings.push(
            Diagnostic::new(
                RuleId::ContentFrontMatter,
                format!("a page has at most {MAX_ALIASES} aliases"),
            )
            .at(extra.span, "one alias too many")
            .help("keep the addresses readers still use; the rest are left out"),
        );
        front.aliases.truncate(MAX_ALIASES);
    }
    front.aliases.retain(|alias| match alias_problem(&alias.value) {
        None => true,
        Some(problem) => {
            findings.push(
                Diagnostic::new(
                    RuleId::ContentFrontMatter,
                    format!("`{}` cannot be an alias", alias.value.escape_debug()),
                )
                .at(alias.span, problem)
                .help("write an earlier address of the page from the site's root, like `/guides/old-name/`"),
            );
            false
        }
    });
}

/// `updated:` is a day of the calendar written `YYYY-MM-DD`. Anything else is a finding at
/// the value, and the page then goes without it (its git date, if any, is shown), so a
/// typo never puts a wrong date on a page.
fn check_updated(front: &mut Arc<FrontMatter>, findings: &mut Findings) {
    let Some(updated) = &front.updated else {
        return;
    };
    if crate::load::history::is_date(&updated.value) {
        return;
    }
    findings.push(
        Diagnostic::new(
            RuleId::ContentFrontMatter,
            format!(
                "`updated: {}` is not a date",
                updated.value.escape_debug()
            ),
        )
        .at(updated.span, "expected a day written YYYY-MM-DD")
        .help("write the day the page last changed as year, month and day, like `updated: 2026-01-31`; leave it out to show the date of the page's last commit"),
    );
    Arc::make_mut(front).updated = None;
}

fn check_scopes(project: &Project, front: &FrontMatter, findings: &mut Findings) {
    if !project.complete(DataKind::Scopes) {
        return; // the unread or missing scopes file is the finding
    }
    for scope in front.scopes.iter().flatten() {
        if project.scope(&scope.value).is_none() {
            let known = project.scopes.iter().map(|s| s.id.as_str());
            let mut diagnostic = Diagnostic::new(
                RuleId::RefUnknownScope,
                format!("there is no scope `{}`", scope.value),
            )
            .at(scope.span, "unknown scope");
            if let Some(help) = crate::diagnostic::did_you_mean(&scope.value, known) {
                diagnostic = diagnostic.help(help);
            }
            findings.push(diagnostic);
        }
    }
}

/// The models a page names (in `models:` and its passages) are models of the project; a
/// project without models has none to name.
fn check_models<'a>(
    project: &Project,
    named: impl Iterator<Item = &'a Located<String>>,
    findings: &mut Findings,
) {
    if !project.complete(DataKind::Models) {
        return; // the unread models file is the finding
    }
    let known: Vec<&str> = project.models.iter().filter_map(|m| m.id()).collect();
    for model in named {
        if known.contains(&model.as_str()) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            RuleId::RefUnknownModel,
            format!("unknown model `{}`", model.value),
        )
        .at(model.span, "no model has this id");
        diagnostic = diagnostic.help(
            match crate::diagnostic::did_you_mean(&model.value, known.iter().copied()) {
                Some(help) => help,
                None if known.is_empty() => {
                    "the project defines no operating models: define them in data/models.yaml, or leave the model out".to_string()
                }
                None => format!("the models are {}", crate::diagnostic::list_names(&known)),
            },
        );
        findings.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::walk_pages;
    use crate::diagnostic::Findings;
    use crate::load::files::{TextMemo, Unsaved};
    use crate::source::Sources;

    /// The path and text of each page under `root/content`, loaded with `memo`.
    fn load_with(memo: &mut TextMemo, root: &std::path::Path) -> Vec<(String, String)> {
        let (paths, _) = walk_pages(root, &root.join("content"), Some(&mut *memo)).unwrap();
        let mut sources = Sources::new(root);
        let files = memo
            .add_all(
                &mut sources,
                root,
                &paths,
                &Unsaved::default(),
                &mut Findings::default(),
            )
            .unwrap();
        files
            .into_iter()
            .map(|f| (sources.path(f).to_string(), sources.get(f).text.to_string()))
            .collect()
    }

    /// With a watcher, the content folder is walked again and its files read only when
    /// the watcher reported a path there that the last walk did not find, or that is gone.
    #[test]
    fn a_watched_memo_walks_and_reads_only_what_the_watcher_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let a = content.join("a.md");
        std::fs::write(&a, "alpha").unwrap();
        let mut memo = TextMemo::default();
        memo.watched();
        let load = |memo: &mut TextMemo| load_with(memo, root);
        let pair = |path: &str, text: &str| (path.to_string(), text.to_string());
        assert_eq!(load(&mut memo), [pair("content/a.md", "alpha")]);
        // Not reported: neither walked nor read (a file made without the watcher seeing
        // it does not show, a file changed keeps its last text).
        std::fs::write(content.join("b.md"), "beta").unwrap();
        std::fs::write(&a, "ALPHA").unwrap();
        assert_eq!(load(&mut memo), [pair("content/a.md", "alpha")]);
        // A change reported: read again, not walked.
        memo.forget(std::slice::from_ref(&a));
        assert_eq!(load(&mut memo), [pair("content/a.md", "ALPHA")]);
        // A new file reported: walked again.
        memo.forget(&[content.join("b.md")]);
        assert_eq!(
            load(&mut memo),
            [pair("content/a.md", "ALPHA"), pair("content/b.md", "beta")]
        );
        // A file gone: walked again.
        std::fs::remove_file(&a).unwrap();
        memo.forget(std::slice::from_ref(&a));
        assert_eq!(load(&mut memo), [pair("content/b.md", "beta")]);
        // Without a watcher, every load walks and reads the stamps.
        let mut unwatched = TextMemo::default();
        assert_eq!(load(&mut unwatched), [pair("content/b.md", "beta")]);
        std::fs::write(content.join("c.md"), "gamma").unwrap();
        std::fs::write(content.join("b.md"), "beta, longer").unwrap();
        assert_eq!(
            load(&mut unwatched),
            [
                pair("content/b.md", "beta, longer"),
                pair("content/c.md", "gamma")
            ]
        );
    }

    /// A page reached through a symbolic link may change without an event for its own
    /// path: a walk that met a link is not kept, and stamps are read again.
    #[cfg(unix)]
    #[test]
    fn a_watched_memo_with_a_linked_page_still_reads_the_stamps() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let target = root.join("shared.md");
        std::fs::write(&target, "one").unwrap();
        std::os::unix::fs::symlink(&target, content.join("linked.md")).unwrap();
        let mut memo = TextMemo::default();
        memo.watched();
        let load = |memo: &mut TextMemo| load_with(memo, root).remove(0).1;
        assert_eq!(load(&mut memo), "one");
        std::fs::write(&target, "two, longer").unwrap();
        assert_eq!(load(&mut memo), "two, longer");
    }
}
