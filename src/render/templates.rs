//! The theme: Tera templates and static files. The `golive` theme ships inside the
//! binary; a project's `themes/<name>/` replaces its files one by one, and the project's
//! own `templates/` folder replaces single templates of whichever theme is in use.

use std::collections::BTreeMap;
use std::path::Path;

/// A template of the built-in theme: its name, and its text compiled into the binary.
macro_rules! builtin {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../themes/golive/templates/", $name)),
        )
    };
}

/// The built-in theme's templates, by name: the layouts (`base.html`, `page.html`,
/// `home.html`, `nav.html`), one body template per page kind under `pages/`, and the
/// partials they and the shortcodes share under `partials/`.
const BUILTIN_TEMPLATES: [(&str, &str); 37] = [
    builtin!("base.html"),
    builtin!("page.html"),
    builtin!("home.html"),
    builtin!("nav.html"),
    builtin!("pages/home.html"),
    builtin!("pages/scope.html"),
    builtin!("pages/content.html"),
    builtin!("pages/party.html"),
    builtin!("pages/compare.html"),
    builtin!("pages/compare_models.html"),
    builtin!("pages/glossary.html"),
    builtin!("pages/framework.html"),
    builtin!("pages/guides.html"),
    builtin!("pages/404.html"),
    builtin!("pages/changes.html"),
    builtin!("pages/redirect.html"),
    builtin!("partials/heading.html"),
    builtin!("partials/badge.html"),
    builtin!("partials/condition_badge.html"),
    builtin!("partials/notes.html"),
    builtin!("partials/conditions.html"),
    builtin!("partials/contents.html"),
    builtin!("partials/badges.html"),
    builtin!("partials/legend.html"),
    builtin!("partials/matrix.html"),
    builtin!("partials/summaries.html"),
    builtin!("partials/summary_items.html"),
    builtin!("partials/figure.html"),
    builtin!("partials/flow.html"),
    builtin!("partials/systems.html"),
    builtin!("partials/duties.html"),
    builtin!("partials/guide_pages.html"),
    builtin!("partials/agreement.html"),
    builtin!("partials/version_switcher.html"),
    builtin!("partials/version_banner.html"),
    builtin!("partials/changes.html"),
    builtin!("partials/last_change.html"),
];

/// The built-in theme's static files, by path under `static/`.
const BUILTIN_STATIC: [(&str, &str); 9] = [
    (
        "img/favicon.svg",
        include_str!("../../themes/golive/static/img/favicon.svg"),
    ),
    (
        "css/variables.css",
        include_str!("../../themes/golive/static/css/variables.css"),
    ),
    (
        "css/layout.css",
        include_str!("../../themes/golive/static/css/layout.css"),
    ),
    (
        "css/components.css",
        include_str!("../../themes/golive/static/css/components.css"),
    ),
    (
        "css/matrix.css",
        include_str!("../../themes/golive/static/css/matrix.css"),
    ),
    (
        "css/diagrams.css",
        include_str!("../../themes/golive/static/css/diagrams.css"),
    ),
    (
        "css/print.css",
        include_str!("../../themes/golive/static/css/print.css"),
    ),
    (
        "js/site.js",
        include_str!("../../themes/golive/static/js/site.js"),
    ),
    (
        "js/search.js",
        include_str!("../../themes/golive/static/js/search.js"),
    ),
];

/// Templates the theme API has renamed, old name first. A theme or project that still
/// replaces a template under its old name keeps doing so; read in name order, a file
/// under the new name beside it wins.
const RENAMED_TEMPLATES: [(&str, &str); 1] = [("pages/deployment.html", "pages/scope.html")];

/// The name a template file read from a theme or `templates/` stands for.
fn current_name(file: &str) -> String {
    RENAMED_TEMPLATES
        .iter()
        .find(|(old, _)| *old == file)
        .map_or(file, |(_, new)| new)
        .to_string()
}

/// Why the theme could not be used.
#[derive(Debug)]
pub enum ThemeError {
    Io(std::path::PathBuf, std::io::Error),
    Template(String),
    /// A page could not be rendered.
    Render(RenderError),
}

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ThemeError::Io(path, error) => write!(f, "cannot read {}: {error}", path.display()),
            ThemeError::Template(message) => write!(f, "theme template error: {message}"),
            ThemeError::Render(error) => write!(f, "theme template error: {error}"),
        }
    }
}

impl std::error::Error for ThemeError {}

/// The loaded theme: templates compiled once, static files ready to copy.
pub(crate) struct Theme {
    pub(crate) tera: tera::Tera,
    /// Where each template was read from, to name the file when it fails: its own name
    /// for the built-in theme's, else `themes/<name>/templates/...` or `templates/...`.
    pub(crate) origins: BTreeMap<String, String>,
    pub(crate) statics: BTreeMap<String, Vec<u8>>,
    /// A hash of every template and static file, to tell whether the theme changed
    /// between two builds of one process.
    pub(crate) fingerprint: u64,
    /// The config's labels, given to every template as `labels`, so the theme words the
    /// pages it titles (comparison, glossary, 404) as the project does.
    pub(crate) labels: crate::config::Labels,
    /// The budget of each render (`templates:` in the config).
    pub(crate) limits: super::budget::Limits,
}

/// Loads the theme named in the config, with the project's overrides.
pub(crate) fn load(root: &Path, name: &str) -> Result<Theme, ThemeError> {
    let mut templates: BTreeMap<String, String> = owned(&BUILTIN_TEMPLATES);
    let mut origins: BTreeMap<String, String> = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, _)| (n.to_string(), n.to_string()))
        .collect();
    let mut statics: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    // A theme that is not one plain folder name was reported when the config was read;
    // nothing outside `themes/` is ever read for it.
    if crate::config::theme_name_problem(name).is_none() {
        let theme_dir = root.join("themes").join(name);
        for (file, bytes) in read_dir(root, &theme_dir.join("templates"))? {
            let template = current_name(&file);
            origins.insert(template.clone(), format!("themes/{name}/templates/{file}"));
            templates.insert(template, String::from_utf8_lossy(&bytes).into_owned());
        }
        statics.extend(read_dir(root, &theme_dir.join("static"))?);
    }
    for (file, bytes) in read_dir(root, &root.join("templates"))? {
        let template = current_name(&file);
        origins.insert(template.clone(), format!("templates/{file}"));
        templates.insert(template, String::from_utf8_lossy(&bytes).into_owned());
    }
    if let Some(problem) = nesting_problem(&templates, &origins) {
        return Err(ThemeError::Template(problem));
    }
    let defaults = crate::config::TemplatesConfig::default();
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    // Tera's own `range`, with the budget checked on every call: a loop nested in another
    // calls it once per turn of the outer loop, so a runaway nest of them stops there.
    tera.register_function("range", range);
    // Data reaches the templates as text; escaping it as the rest of the site does keeps
    // control characters out of the pages too.
    tera.set_escape_fn(escape);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| {
            ThemeError::Template(
                name_cycle(&origins, &e)
                    .unwrap_or_else(|| name_file(&origins, None, &e).to_string()),
            )
        })?;
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&templates, &mut hasher);
    std::hash::Hash::hash(&statics, &mut hasher);
    let fingerprint = std::hash::Hasher::finish(&hasher);
    Ok(Theme {
        tera,
        origins,
        statics,
        fingerprint,
        labels: crate::config::Labels::default(),
        limits: super::budget::Limits {
            max_ms: defaults.max_render_ms,
            max_bytes: defaults.max_render_bytes,
        },
    })
}

impl Theme {
    /// Renders `template` with `view`'s fields and `letters`, the five RASCI letters
    /// (see `letters::LetterView`). An error names the template's file.
    pub(crate) fn render(
        &self,
        template: &str,
        view: &impl serde::Serialize,
    ) -> Result<String, RenderError> {
        self.run(template, None, view)
    }

    /// Renders one block of `template`: a page kind's template gives the page's body in
    /// `{% block body %}`, and the title and description of a page built from the data in
    /// `{% block title %}` and `{% block description %}`.
    pub(crate) fn render_block(
        &self,
        template: &str,
        block: &str,
        view: &impl serde::Serialize,
    ) -> Result<String, RenderError> {
        self.run(template, Some(block), view)
    }

    /// [`Theme::render_block`] as plain text, for a page's title or description.
    pub(crate) fn render_text(
        &self,
        template: &str,
        block: &str,
        view: &impl serde::Serialize,
    ) -> Result<String, RenderError> {
        self.run(template, Some(block), view)
            .map(|html| crate::load::markdown::text_of(&html))
    }

    /// The title and description (as plain text) and the body of a page built from the
    /// data, its blocks `title`, `description` and `body`, rendered from one context: the
    /// view becomes template values once rather than once per block (the view of a
    /// scope page holds every guide of the scope and its whole table).
    pub(crate) fn render_titled(
        &self,
        template: &str,
        view: &impl serde::Serialize,
    ) -> Result<Titled, RenderError> {
        let context = self.context(template, view)?;
        let text = |block| {
            self.render_in(template, Some(block), &context)
                .map(|html| crate::load::markdown::text_of(&html))
        };
        Ok(Titled {
            title: text("title")?,
            description: text("description")?,
            body: self.render_in(template, Some("body"), &context)?,
        })
    }

    /// Renders `template` with a context made by the caller (the page shell's), within
    /// the budget like every render.
    pub(crate) fn render_context(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<String, RenderError> {
        self.render_in(template, None, context)
    }

    fn run(
        &self,
        template: &str,
        block: Option<&str>,
        view: &impl serde::Serialize,
    ) -> Result<String, RenderError> {
        let context = self.context(template, view)?;
        self.render_in(template, block, &context)
    }

    /// `view`'s fields, `letters` and `labels`, as the templates receive them.
    fn context(
        &self,
        template: &str,
        view: &impl serde::Serialize,
    ) -> Result<tera::Context, RenderError> {
        let mut context =
            tera::Context::from_serialize(view).map_err(|e| self.fail(template, e))?;
        context.insert("letters", &super::letters::LetterView::all());
        context.insert("labels", &self.labels);
        Ok(context)
    }

    fn render_in(
        &self,
        template: &str,
        block: Option<&str>,
        context: &tera::Context,
    ) -> Result<String, RenderError> {
        let file = self.origins.get(template).map_or(template, String::as_str);
        super::budget::begin(file, self.limits);
        let rendered = match block {
            Some(block) => self.tera.render_block(template, block, context),
            None => self.tera.render(template, context),
        };
        if let Some(reason) = super::budget::end() {
            return Err(RenderError {
                file: Some(file.to_string()),
                message: super::budget::explain(reason, self.limits),
            });
        }
        rendered.map_err(|e| self.fail(template, e))
    }

    /// An error of Tera's, led by the file that failed (see [`name_file`]).
    fn fail(&self, template: &str, error: tera::Error) -> RenderError {
        name_file(&self.origins, Some(template), &error)
    }
}

/// What [`Theme::render_titled`] gives.
pub(crate) struct Titled {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) body: String,
}

/// A template error, named by the file of the template that failed: the one Tera's
/// report points at (an included partial, say), else `rendered`, the one being rendered.
/// A template the project or its theme replaced is named by its path in the project,
/// in the report's code frame too.
fn name_file(
    origins: &BTreeMap<String, String>,
    rendered: Option<&str>,
    error: &tera::Error,
) -> RenderError {
    let framed = failed_template(error).filter(|name| origins.contains_key(*name));
    let origin = |name: &str| origins.get(name).map_or(name, String::as_str).to_string();
    let mut message = error_chain(error);
    if let Some(name) = framed {
        message = message.replace(&format!(" --> {name}:"), &format!(" --> {}:", origin(name)));
    }
    RenderError {
        file: framed.or(rendered).map(origin),
        message,
    }
}

/// A render that failed, with the file of the template to blame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template's file: the built-in theme's by its name, a replaced one by its path
    /// in the project. `None` when no template is to blame.
    pub file: Option<String>,
    /// What went wrong, without the file.
    pub(crate) message: String,
}

impl RenderError {
    /// A failure no template is to blame for.
    pub(crate) fn other(message: impl Into<String>) -> RenderError {
        RenderError {
            file: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RenderError {}

/// How deep templates may include or extend one another. Tera renders each level on the
/// stack, and a chain of a few dozen overflows it in an unoptimised build; the built-in
/// theme nests 3 deep.
pub(crate) const MAX_NESTING: usize = 32;

/// The templates each one includes or extends, by name, read from its `{% include "…" %}`
/// and `{% extends "…" %}` tags (Tera takes only a literal name there).
fn nested_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("{%") {
        rest = &rest[at + 2..];
        let tag = rest.trim_start_matches(['-', '+']).trim_start();
        let Some(args) = tag
            .strip_prefix("include")
            .or_else(|| tag.strip_prefix("extends"))
            .filter(|args| args.starts_with(char::is_whitespace))
        else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| "\"'`".contains(*c)) else {
            continue;
        };
        if let Some(end) = args[1..].find(quote) {
            names.push(&args[1..1 + end]);
        }
    }
    names
}

/// Why the templates cannot be rendered when they nest deeper than [`MAX_NESTING`]: the
/// chain of files, led by its first. Cycles are left to Tera, which names them.
fn nesting_problem(
    templates: &BTreeMap<String, String>,
    origins: &BTreeMap<String, String>,
) -> Option<String> {
    let edges: BTreeMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, text)| {
            let nested = nested_names(text)
                .into_iter()
                .filter(|n| templates.contains_key(*n))
                .collect();
            (name.as_str(), nested)
        })
        .collect();
    // The longest chain from each template, counted up to one past the limit, and the
    // next template on it. The search goes no deeper than that, so neither does its stack.
    let mut longest: BTreeMap<&str, (usize, Option<&str>)> = BTreeMap::new();
    fn depth<'a>(
        name: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        longest: &mut BTreeMap<&'a str, (usize, Option<&'a str>)>,
        level: usize,
    ) -> usize {
        if let Some((d, _)) = longest.get(name) {
            return *d;
        }
        if level > MAX_NESTING {
            return 1;
        }
        // Marks the template while its chains are followed, so a cycle ends there.
        longest.insert(name, (1, None));
        let mut best = (1, None);
        for next in edges.get(name).into_iter().flatten() {
            let d = 1 + depth(next, edges, longest, level + 1);
            if d > best.0 {
                best = (d.min(MAX_NESTING + 1), Some(*next));
            }
        }
        longest.insert(name, best);
        best.0
    }
    for name in edges.keys() {
        if depth(name, &edges, &mut longest, 0) > MAX_NESTING {
            let origin = |n: &str| origins.get(n).map_or(n, String::as_str).to_string();
            let mut chain = vec![origin(name)];
            let mut at = *name;
            while let Some((_, Some(next))) = longest.get(at) {
                if chain.len() > MAX_NESTING {
                    break;
                }
                chain.push(origin(next));
                at = next;
            }
            return Some(format!(
                "{}: the templates include or extend one another more than {MAX_NESTING} deep: {} → …",
                chain[0],
                chain.join(" → ")
            ));
        }
    }
    None
}

/// Tera's error for templates that include or extend each other in a cycle, with the
/// files of the cycle named in order and led by the first: Tera names only the
/// templates, and a project's override would not be told from the theme's own. The
/// chain is read from the error's kind, not from its message.
fn name_cycle(origins: &BTreeMap<String, String>, error: &tera::Error) -> Option<String> {
    let (verb, mut chain) = tera_errors(error).find_map(|e| match e.kind() {
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            Some(("include", include_chain.clone()))
        }
        tera::ErrorKind::CircularExtend {
            inheritance_chain, ..
        } => Some(("extend", inheritance_chain.clone())),
        _ => None,
    })?;
    // An include chain ends where it meets itself again, and may start with the templates
    // that led into the cycle; an inheritance chain lists the cycle once.
    let last = chain.last()?.clone();
    match chain.iter().position(|name| *name == last) {
        Some(first) if first + 1 < chain.len() => {
            chain.drain(..first);
        }
        _ => chain.push(chain.first()?.clone()),
    }
    let files: Vec<&str> = chain
        .iter()
        .map(|name| origins.get(name).map_or(name.as_str(), String::as_str))
        .collect();
    Some(format!(
        "{}: the templates {verb} each other in a cycle, which never ends: {}",
        files[0],
        files.join(" → ")
    ))
}

/// Tera's errors in the chain of `error`, the error itself first.
fn tera_errors(error: &tera::Error) -> impl Iterator<Item = &tera::Error> {
    let first: &(dyn std::error::Error + 'static) = error;
    std::iter::successors(Some(first), |e| e.source())
        .filter_map(|e| e.downcast_ref::<tera::Error>())
}

/// The template Tera's report points at (an included partial, say), from the error's
/// kind.
fn failed_template(error: &tera::Error) -> Option<&str> {
    tera_errors(error).find_map(|e| match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report.filename())
        }
        _ => None,
    })
}

/// [`super::html::esc`] as Tera's escape function. Every value a template writes passes
/// here, so it is also where a render over its budget is stopped.
fn escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::budget::check().map_err(|_| std::io::Error::other("over the render budget"))?;
    crate::escape::esc_write(text, out)
}

/// The most numbers one call of `range` gives: far more than any page lists, and little
/// memory (16 bytes each).
const MAX_RANGE: i128 = 100_000;

/// `range(end=…, start=0, step_by=1)`: the numbers from `start` up to (not including)
/// `end`, or down when `step_by` is negative; at most [`MAX_RANGE`] of them, and an
/// error once the render is over its budget.
fn range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    super::budget::check().map_err(|_| tera::Error::message("over the render budget"))?;
    let start = kwargs.get::<i128>("start")?.unwrap_or(0);
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "`range` needs a `step_by` other than 0",
        ));
    }
    if step > 0 && start > end {
        return Err(tera::Error::message(
            "`range` was given a `start` greater than its `end`",
        ));
    }
    let span = if step > 0 {
        end.saturating_sub(start)
    } else {
        start.saturating_sub(end)
    };
    let count = if span <= 0 {
        0
    } else {
        span.saturating_add(step.saturating_abs() - 1) / step.saturating_abs()
    };
    if count > MAX_RANGE {
        return Err(tera::Error::message(format!(
            "`range` would give {count} numbers; at most {MAX_RANGE} are allowed"
        )));
    }
    Ok((0..count).map(|i| start + i * step).collect())
}

fn owned(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// Every file under `dir`, by `/`-separated path relative to it; nothing if it is absent.
/// Links are followed by the project's one rule ([`crate::load::walk`]); those it refuses
/// were reported as findings when the project was loaded, and are not read.
fn read_dir(root: &Path, dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, ThemeError> {
    let mut files = BTreeMap::new();
    let (found, _) = crate::load::walk::walk(root, dir).map_err(|e| match e {
        crate::load::files::LoadError::Io(path, error) => ThemeError::Io(path, error),
        other => ThemeError::Io(dir.to_path_buf(), std::io::Error::other(other.to_string())),
    })?;
    for entry in found {
        let relative = entry.path.strip_prefix(dir).unwrap_or(&entry.path);
        let key = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes =
            std::fs::read(&entry.path).map_err(|e| ThemeError::Io(entry.path.clone(), e))?;
        files.insert(key, bytes);
    }
    Ok(files)
}

/// Tera errors nest their causes; show them all on one line.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
