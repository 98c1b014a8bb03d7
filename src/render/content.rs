//! Content: the Markdown pages under `content/`, each with YAML front matter between
//! `---` lines. Files are read into the project's sources so that findings about them
//! (bad front matter, unknown shortcodes, broken links) point at file, line and column
//! like every other finding.

use crate::diagnostic::{Diagnostic, Findings};
use crate::model::{Located, Project};
use crate::source::{FileId, Sources, Span};
use serde::Deserialize;
use walkdir::WalkDir;

/// The folder holding the Markdown pages, relative to the project root.
pub const CONTENT_DIR: &str = "content";

/// The front matter a page may carry. Unknown keys are errors, as in the data files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Located<String>,
    #[serde(default)]
    pub description: Option<Located<String>>,
    /// Position in the navigation; lower comes first, then the title decides.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Deployments whose sections show this page; all of them when absent.
    #[serde(default)]
    pub scopes: Option<Vec<Located<String>>>,
}

/// One Markdown page as read.
#[derive(Debug)]
pub struct ContentPage {
    pub file: FileId,
    /// Path under `content/` without the `.md` extension, e.g. `submission-guidelines`.
    pub slug: String,
    pub front: FrontMatter,
    /// Byte offset in the file where the Markdown body starts.
    pub body_start: usize,
}

impl ContentPage {
    /// `_index.md` is the home page's text rather than a page of its own.
    pub fn is_home(&self) -> bool {
        self.slug == "_index"
    }

    pub fn applies_to(&self, scope: &str) -> bool {
        self.front
            .scopes
            .as_ref()
            .is_none_or(|scopes| scopes.iter().any(|s| s.value == scope))
    }

    pub fn body<'s>(&self, sources: &'s Sources) -> &'s str {
        &sources.get(self.file).text[self.body_start..]
    }
}

/// Reads every `content/**/*.md` in path order. A page whose front matter cannot be read
/// is reported and left out; the rest of the site still renders, so one run shows all
/// findings.
pub fn load(
    project: &mut Project,
    findings: &mut Findings,
) -> Result<Vec<ContentPage>, crate::load::LoadError> {
    let root = project.sources.root().to_path_buf();
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            crate::load::LoadError::Io(path, e.into())
        })?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            paths.push(entry.into_path());
        }
    }
    let mut pages = Vec::new();
    for path in paths {
        // Shared with the data files: a page that is not UTF-8 text is a located finding.
        let Some(file) = crate::load::read_source(&mut project.sources, &root, &path, findings)?
        else {
            continue;
        };
        let relative = project.sources.path(file).to_string();
        let slug = relative
            .trim_start_matches(CONTENT_DIR)
            .trim_start_matches('/')
            .trim_end_matches(".md")
            .to_string();
        match front_matter(&project.sources, file) {
            Ok((front, body_start)) => {
                check_scopes(project, &front, findings);
                pages.push(ContentPage {
                    file,
                    slug,
                    front,
                    body_start,
                });
            }
            Err(diagnostic) => findings.push(diagnostic),
        }
    }
    Ok(pages)
}

/// Splits off the front matter and parses it. The YAML is parsed from a copy of the file
/// cut after the closing `---`, with the opening `---` turned into a comment of the same
/// length, so every offset the parser reports is an offset in the real file.
fn front_matter(sources: &Sources, file: FileId) -> Result<(FrontMatter, usize), Diagnostic> {
    let text = &sources.get(file).text;
    let path = sources.path(file);
    let missing = || {
        Diagnostic::new("content/front-matter", "page has no front matter")
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
            Diagnostic::new("content/front-matter", "front matter is not closed")
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
            diagnostic.rule = "content/front-matter";
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
}

fn check_scopes(project: &Project, front: &FrontMatter, findings: &mut Findings) {
    if !project.complete("scopes") {
        return; // the unread or missing scopes file is the finding
    }
    for scope in front.scopes.iter().flatten() {
        if project.scope(&scope.value).is_none() {
            let known = project.scopes.iter().map(|s| s.id.as_str());
            let mut diagnostic = Diagnostic::new(
                "ref/unknown-scope",
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
