//! Load: read the config and every data file, parse them with spans, and parse matrix
//! cells into letters; then read the content pages (front matter, slugs, where each body
//! starts; see `content`). Problems in the files become findings; only an unreadable
//! project (no config, I/O failure) is a [`LoadError`].

pub(crate) mod brand;
pub(crate) mod content;
pub mod files;
pub mod history;
pub mod ids;
pub mod kinds;
pub mod markdown;
pub mod models;
mod versions;
pub mod walk;
pub(crate) mod yaml;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::model::*;
use crate::source::{FileId, Sources, Span};
use files::{LoadError, Unsaved, read_source, relative};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A project as read from disk, before anything is resolved or checked: the data, the
/// content pages, and every problem met while reading them.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    /// The Markdown pages under `content/`, in path order; a page whose front matter or
    /// name cannot be read is a finding instead.
    pub content: Vec<content::ContentPage>,
    pub findings: Findings,
}

/// Loads the project at `root`: the data files, then the content pages. The findings
/// hold every problem met while loading; the project and pages hold everything that could
/// be read despite them.
pub(crate) fn load(root: &Path) -> Result<Loaded, LoadError> {
    load_remembering(root, None, None, None, &Unsaved::default())
}

/// [`load`], taking the front matter of unchanged pages from `memo`, the parsed data of
/// unchanged data files from `data` and the bytes of unchanged pages from `texts`, and
/// leaving this load's in them (see [`content::FrontMemo`], [`DataMemo`] and
/// [`files::TextMemo`]). The result is the same as [`load`]'s.
pub(crate) fn load_remembering(
    root: &Path,
    memo: Option<&mut content::FrontMemo>,
    data: Option<&mut DataMemo>,
    texts: Option<&mut files::TextMemo>,
    unsaved: &Unsaved,
) -> Result<Loaded, LoadError> {
    let (mut project, mut findings) = load_data(root, data, unsaved)?;
    let content = content::load(&mut project, &mut findings, memo, texts, unsaved)?;
    Ok(Loaded {
        project,
        content,
        findings,
    })
}

/// The config and the data files alone (see [`load`]).
fn load_data(
    root: &Path,
    memo: Option<&mut DataMemo>,
    unsaved: &Unsaved,
) -> Result<(Project, Findings), LoadError> {
    let mut sources = Sources::new(root);
    let mut findings = Findings::default();

    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        return Err(LoadError::NoConfig(root.to_path_buf()));
    }
    let config = match read_source(&mut sources, root, &config_path, &mut findings, unsaved)? {
        Some(file) => yaml::parse::<Config>(&sources, file)
            .map_err(|d| findings.push(d))
            .ok(),
        None => None,
    };
    let config = config.unwrap_or_else(default_config);
    let mut project = project_of(sources, config);

    let mut files = Vec::new();
    let found = data_files(root, &mut findings, &mut project.sources)?;
    for kind in DataKind::ALL.into_iter().filter(|kind| kind.required()) {
        if !found.iter().any(|(_, k)| *k == kind) {
            findings.push(kinds::missing_file(kind));
            project.unread_kinds.push(kind);
        }
    }
    for (path, kind) in found {
        match read_source(&mut project.sources, root, &path, &mut findings, unsaved)? {
            Some(file) => files.push((file, kind)),
            None => project.unread_kinds.push(kind),
        }
    }
    // Files parse independently, so they parse in parallel; results are merged in path
    // order, which keeps the model (and every output) the same from run to run.
    // With a memo, a file whose text is the one remembered is not parsed again.
    let remembered = memo.as_deref();
    let parsed: Vec<(Result<DataFile, Diagnostic>, bool)> = files
        .par_iter()
        .map(|&(file, kind)| {
            match remembered.and_then(|m| remembered_data(m, &project.sources, file, kind)) {
                Some(data) => (Ok(data), true),
                None => (parse_data_file(&project.sources, file, kind), false),
            }
        })
        .collect();
    if let Some(memo) = memo {
        let sources = &project.sources;
        // A file with errors is not remembered: it is parsed again next time, so its
        // findings are made as on a first load.
        memo.renew(
            files
                .iter()
                .zip(&parsed)
                .map(|(&(file, _), (_, reused))| (sources.path(file), *reused)),
            |index| {
                let (file, kind) = files[index];
                let data = parsed[index].0.as_ref().ok()?;
                Some(RememberedData {
                    file,
                    kind,
                    text: sources.get(file).text.clone(),
                    data: data.clone(),
                })
            },
        );
    }
    // Which model a tasks, summaries or flows file belongs to is known only once every
    // `data/models.yaml` is read, so those files wait here, in path order.
    let mut owned = models::Owned::default();
    let mut model_defs = Vec::new();
    for ((result, _), (file, kind)) in parsed.into_iter().zip(&files) {
        match result {
            Ok(DataFile::Parties(f)) => project.parties.extend(f.parties),
            Ok(DataFile::Scopes(f)) => project.scopes.extend(f.scopes),
            Ok(DataFile::Tasks(f)) => owned.sections.push((*file, f.model, f.sections)),
            Ok(DataFile::Summaries(f)) => owned.summaries.push((*file, f.model, f.summaries)),
            Ok(DataFile::Glossary(f)) => project.glossary.extend(f.glossary),
            Ok(DataFile::Systems(f)) => project.systems.extend(f.systems),
            Ok(DataFile::Flows(f)) => owned.flows.push((*file, f.model, f.flows)),
            Ok(DataFile::Models(f)) => model_defs.extend(f.models),
            Ok(DataFile::Conditions(f)) => project.conditions.extend(f.conditions),
            Ok(DataFile::Frameworks(f)) => project.frameworks.extend(f.frameworks),
            Ok(DataFile::Agreement(f)) => match &project.agreement {
                // One agreement a project: a second file would make it unclear which
                // version is in force.
                Some(first) => findings.push(
                    Diagnostic::new(
                        RuleId::AgreementValue,
                        "the project's agreement data is given twice",
                    )
                    .at(f.agreement.version.span, "a second agreement")
                    .label(first.version.span, "the first agreement")
                    .help("keep one file `data/agreement.yaml`; a model's own agreement goes under `agreement:` in data/models.yaml"),
                ),
                None => project.agreement = Some(f.agreement),
            },
            Err(diagnostic) => {
                findings.push(diagnostic);
                project.unread_kinds.push(*kind);
            }
        }
    }
    models::place(&mut project, model_defs, owned, &mut findings);
    project.unread_kinds.sort_unstable();
    project.unread_kinds.dedup();

    parse_cells(&mut project, &mut findings);
    ids::check(&project, &mut findings);
    check_theme(root, &mut project, &mut findings)?;
    check_base_url(&mut project, &mut findings);
    versions::check(&mut project, &mut findings);
    check_edit_url(&mut project, &mut findings);
    brand::check(root, &mut project, &mut findings);
    Ok((project, findings))
}

/// The config of a project whose `rasci.yaml` cannot be read: the loader goes on with it
/// so the data's findings still come.
fn default_config() -> Config {
    Config {
        title: Located::new(String::new(), Span::new(FileId(0), 0, 0)),
        description: None,
        subtitle: None,
        base_url: None,
        theme: Located::new(
            crate::config::BUILTIN_THEME.into(),
            Span::new(FileId(0), 0, 0),
        ),
        language: "en".into(),
        check: Default::default(),
        content: Default::default(),
        labels: Default::default(),
        edit_url: None,
        edit_link: None,
        brand: Default::default(),
        branding: Default::default(),
        versions: Vec::new(),
        matrix: Default::default(),
        last_updated: true,
        templates: Default::default(),
    }
}

/// A project with no data yet, read from `sources` with `config`.
fn project_of(sources: Sources, config: Config) -> Project {
    Project {
        sources,
        config,
        parties: Vec::new(),
        scopes: Vec::new(),
        sections: Vec::new(),
        summaries: Vec::new(),
        glossary: Vec::new(),
        systems: Vec::new(),
        flows: Vec::new(),
        conditions: Vec::new(),
        frameworks: Vec::new(),
        models: Vec::new(),
        agreement: None,
        unread_kinds: Vec::new(),
    }
}

/// A project with nothing read: what the language server holds for a project it could
/// not load at all, until the next check.
pub fn empty_project(root: &Path) -> Project {
    project_of(Sources::new(root), default_config())
}

/// Each data file as the previous load of the same project parsed it, for the language
/// server and `serve`, which load the project again after every edit or save: parsing
/// is most of a load, and an edit changes one file. At 10,000 tasks, parsing every data
/// file again made the check after an edit take longer than a plain `rasci check`.
///
/// A file is reused when its text is the text it was parsed from and it has the same
/// [`FileId`] (its spans name that id) and kind; the model of a data file depends on
/// nothing else. Files whose parse failed are not remembered, so their findings are
/// made as on a first load. Everything after the parse (placing tasks in models, cells,
/// ids, the config's checks) runs on every load.
pub(crate) type DataMemo = crate::source::PathMemo<RememberedData>;

#[derive(Debug)]
pub(crate) struct RememberedData {
    file: FileId,
    kind: DataKind,
    /// The text the file was parsed from.
    text: std::sync::Arc<str>,
    data: DataFile,
}

/// A copy of the remembered parse of `file`, when its text, id and kind are unchanged.
fn remembered_data(
    memo: &DataMemo,
    sources: &Sources,
    file: FileId,
    kind: DataKind,
) -> Option<DataFile> {
    let remembered = memo.get(sources.path(file))?;
    let same = remembered.file == file
        && remembered.kind == kind
        && remembered.text == sources.get(file).text;
    same.then(|| remembered.data.clone())
}

/// One parsed data file, of any kind.
#[derive(Debug, Clone)]
enum DataFile {
    Parties(PartiesFile),
    Scopes(ScopesFile),
    Tasks(TasksFile),
    Summaries(SummariesFile),
    Glossary(GlossaryFile),
    Systems(SystemsFile),
    Flows(FlowsFile),
    Models(ModelsFile),
    Conditions(ConditionsFile),
    Frameworks(FrameworksFile),
    Agreement(AgreementFile),
}

fn parse_data_file(
    sources: &Sources,
    file: FileId,
    kind: DataKind,
) -> Result<DataFile, Diagnostic> {
    Ok(match kind {
        DataKind::Parties => DataFile::Parties(yaml::parse(sources, file)?),
        DataKind::Scopes => DataFile::Scopes(yaml::parse(sources, file)?),
        DataKind::Tasks => DataFile::Tasks(yaml::parse(sources, file)?),
        DataKind::Summaries => DataFile::Summaries(yaml::parse(sources, file)?),
        DataKind::Glossary => DataFile::Glossary(yaml::parse(sources, file)?),
        DataKind::Systems => DataFile::Systems(yaml::parse(sources, file)?),
        DataKind::Flows => DataFile::Flows(yaml::parse(sources, file)?),
        DataKind::Models => DataFile::Models(yaml::parse(sources, file)?),
        DataKind::Conditions => DataFile::Conditions(yaml::parse(sources, file)?),
        DataKind::Frameworks => DataFile::Frameworks(yaml::parse(sources, file)?),
        DataKind::Agreement => DataFile::Agreement(yaml::parse(sources, file)?),
    })
}

/// The YAML files under `data/` with their kind, in path order. A YAML file whose kind is
/// unknown is a finding: its content would otherwise be silently ignored.
fn data_files(
    root: &Path,
    findings: &mut Findings,
    sources: &mut Sources,
) -> Result<Vec<(PathBuf, DataKind)>, LoadError> {
    let data = root.join("data");
    let mut files = Vec::new();
    let (found, refused) = walk::walk(root, &data)?;
    walk::report(root, &refused, sources, findings);
    for walk::Found { path, depth } in &found {
        let path = path.as_path();
        let file_name = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
        if !kinds::is_yaml(file_name) {
            continue;
        }
        if *depth > 2 {
            let file = sources.add(relative(root, path), String::new());
            findings.push(
                Diagnostic::new(
                    RuleId::FileUnknownKind,
                    "data files sit in `data/` or one folder below it",
                )
                .at(Span::new(file, 0, 0), "this file would be ignored")
                .help("move it to `data/<kind>.yaml` or `data/<kind>/<name>.yaml`"),
            );
            continue;
        }
        let below_data: Vec<String> = path
            .strip_prefix(&data)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let below_data: Vec<&str> = below_data.iter().map(String::as_str).collect();
        let name = kinds::kind_name(&below_data).unwrap_or("");
        match DataKind::from_name(name) {
            Some(kind) => files.push((path.to_path_buf(), kind)),
            None => {
                let file = sources.add(relative(root, path), String::new());
                findings.push(kinds::unknown_kind(name, Span::new(file, 0, 0)));
            }
        }
    }
    Ok(files)
}

/// `base_url` becomes the sitemap's addresses, a line of `robots.txt` and the start of
/// the 404 page's links, so it must be one absolute `http(s)` address and nothing else:
/// no white space, quotes, angle brackets or control characters that could end an
/// attribute or a line. A bad one is a finding at its value and is then left out, as if
/// unset, so the rest of the site still builds and checks.
fn check_base_url(project: &mut Project, findings: &mut Findings) {
    let Some(base) = &project.config.base_url else {
        return;
    };
    let value = base.value.as_str();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let bad_char = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(*c));
    let problem = match (rest, bad_char) {
        (None, _) => Some("not an absolute `http://` or `https://` address".to_string()),
        (Some(rest), _) if rest.is_empty() || rest.starts_with('/') => {
            Some("the address names no host".to_string())
        }
        (_, Some(c)) => Some(format!("{c:?} cannot stand in an address")),
        _ if value.contains(['?', '#']) => {
            Some("a site address has no query or fragment".to_string())
        }
        // The full parse of the standard: a port over 65535, a host that is no host name.
        _ => url::Url::parse(value)
            .err()
            .map(|error| format!("not a usable address: {error}")),
    };
    if let Some(problem) = problem {
        findings.push(
            Diagnostic::new(
                RuleId::ConfigBaseUrl,
                format!("`base_url` `{}` cannot be used", value.escape_debug()),
            )
            .at(base.span, problem)
            .help("write the address the site is published at, like `https://docs.example.com/support/`"),
        );
        project.config.base_url = None;
    }
}

/// `edit_url` becomes a link on every guide, so it is read once here: a usable pattern is
/// kept as the config's `edit_link`, the only form links are built from; a bad one is a
/// finding at its value and no page gets the link.
fn check_edit_url(project: &mut Project, findings: &mut Findings) {
    let Some(pattern) = &project.config.edit_url else {
        return;
    };
    match crate::config::EditUrl::parse(&pattern.value) {
        Ok(link) => project.config.edit_link = Some(link),
        Err(problem) => findings.push(
            Diagnostic::new(
                RuleId::ConfigEditUrl,
                format!(
                    "`edit_url` `{}` cannot be used",
                    pattern.value.escape_debug()
                ),
            )
            .at(pattern.span, problem)
            .help("write the address of the editor with `{path}` for the file, like `https://github.com/org/repo/edit/main/{path}`"),
        ),
    }
}

/// The theme named in `rasci.yaml` is one folder under `themes/` that exists (or the
/// built-in one), and the links under it and under `templates/` are followed by the same
/// rule as the data's. An unusable theme is a finding at its value; the site then uses
/// the built-in theme, so the other findings still come.
fn check_theme(
    root: &Path,
    project: &mut Project,
    findings: &mut Findings,
) -> Result<(), LoadError> {
    use crate::config::{BUILTIN_THEME, theme_name_problem};
    let theme = project.config.theme.clone();
    let name = theme.value.as_str();
    let folders = theme_folders(root);
    let mut usable = true;
    if let Some(problem) = theme_name_problem(name) {
        findings.push(
            Diagnostic::new(RuleId::ConfigTheme, format!("`{name}` cannot be a theme"))
                .at(theme.span, problem)
                .help(format!(
                    "name a folder under `themes/`, or leave `theme` out for the built-in `{BUILTIN_THEME}`"
                )),
        );
        usable = false;
    } else if name != BUILTIN_THEME && !root.join("themes").join(name).is_dir() {
        let known = folders.iter().map(String::as_str).chain([BUILTIN_THEME]);
        let help = crate::diagnostic::did_you_mean(name, known).unwrap_or_else(|| {
            format!(
                "themes are folders under `themes/`; `{BUILTIN_THEME}` is built in{}",
                if folders.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", and the project has {}",
                        crate::diagnostic::list_names(&folders)
                    )
                }
            )
        });
        findings.push(
            Diagnostic::new(RuleId::ConfigTheme, format!("there is no theme `{name}`"))
                .at(theme.span, format!("no folder `themes/{name}/`"))
                .help(help),
        );
        usable = false;
    }
    if !usable {
        project.config.theme.value = BUILTIN_THEME.to_string();
    }
    let mut dirs = vec![root.join("templates")];
    if usable {
        dirs.insert(0, root.join("themes").join(&project.config.theme.value));
    }
    for dir in dirs {
        let (_, refused) = walk::walk(root, &dir)?;
        walk::report(root, &refused, &mut project.sources, findings);
    }
    Ok(())
}

/// The folders under `themes/`, by name.
fn theme_folders(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Turns every cell's text into letters, reporting unknown and repeated letters.
fn parse_cells(project: &mut Project, findings: &mut Findings) {
    let sources = &project.sources;
    for section in &mut project.sections {
        for task in &mut section.tasks {
            check_note(task.note.as_ref(), findings);
            task.cells = task
                .rasci
                .iter()
                .map(|(party, text)| parse_cell(sources, party, text, findings))
                .collect();
            for cell in &task.cells {
                check_note(cell.note.as_ref(), findings);
            }
            task.scope_cells = task
                .overrides
                .iter()
                .map(|(scope, cells)| {
                    let cells = cells
                        .iter()
                        .map(|(party, text)| parse_cell(sources, party, text, findings))
                        .collect::<Vec<Cell>>();
                    for cell in &cells {
                        check_note(cell.note.as_ref(), findings);
                    }
                    (scope.clone(), cells)
                })
                .collect();
        }
    }
}

/// Reports a note longer than [`MAX_NOTE_CHARS`] characters, or one with nothing in it,
/// where it is written. Counting stops at the limit, so a huge note costs no more.
fn check_note(note: Option<&Located<String>>, findings: &mut Findings) {
    let Some(note) = note else { return };
    if note.value.chars().nth(MAX_NOTE_CHARS).is_some() {
        findings.push(
            Diagnostic::new(
                RuleId::YamlInvalidValue,
                format!("a note is at most {MAX_NOTE_CHARS} characters"),
            )
            .at(note.span, format!("longer than {MAX_NOTE_CHARS} characters"))
            .help("keep the note to a caveat beside the letters; say more in the task's `description:` or a page"),
        );
    } else if note.value.trim().is_empty() {
        findings.push(
            Diagnostic::new(RuleId::YamlInvalidValue, "a note has no text")
                .at(note.span, "empty note")
                .help("write the caveat, or leave `note:` out"),
        );
    }
}

fn parse_cell(
    sources: &Sources,
    party: &Located<String>,
    text: &Located<CellText>,
    findings: &mut Findings,
) -> Cell {
    let mut cell = Cell {
        party: party.clone(),
        letters: LetterSet::default(),
        written: Vec::new(),
        span: text.span,
        letter_spans: Vec::new(),
        when: Vec::new(),
        note: None,
    };
    read_letters(sources, text, &mut cell, findings);
    cell
}

/// Reads the letters of `text` into `cell`; a conditional cell's own letters, with its
/// conditions kept. Letters inside letters (a mapping under `letters:`) are an error.
fn read_letters(
    sources: &Sources,
    text: &Located<CellText>,
    cell: &mut Cell,
    findings: &mut Findings,
) {
    match &text.value {
        CellText::Text(value) => parse_letters(sources, value, text.span, cell, findings),
        CellText::List(items) => {
            for item in items {
                parse_letters(sources, &item.value, item.span, cell, findings);
            }
        }
        CellText::Conditional(conditional) => {
            cell.when = conditional.when.clone();
            cell.note = conditional.note.clone();
            if matches!(conditional.letters.value, CellText::Conditional(_)) {
                findings.push(
                    Diagnostic::new(
                        RuleId::YamlInvalidValue,
                        "a cell's `letters:` are text or a list, not a mapping",
                    )
                    .at(conditional.letters.span, "a mapping here")
                    .help("write `letters: \"A, R\"` and the conditions beside it, under `when:`"),
                );
                return;
            }
            read_letters(sources, &conditional.letters, cell, findings);
        }
    }
}

/// Reads letters from `value`, which was written at `span`. Positions of single letters
/// are found in the raw source (a quoted scalar's span includes its quotes); where the
/// raw text does not contain the value verbatim (escapes), the whole span is used.
fn parse_letters(
    sources: &Sources,
    value: &str,
    span: Span,
    cell: &mut Cell,
    findings: &mut Findings,
) {
    let raw = sources.slice(span);
    let base = raw.find(value).map(|at| span.start + at);
    for (at, c) in value.char_indices() {
        if c == ',' || c.is_whitespace() {
            continue;
        }
        let letter_span = match base {
            Some(base) => Span::new(span.file, base + at, base + at + c.len_utf8()),
            None => span,
        };
        match Letter::from_char(c) {
            Some(letter) => {
                if cell.letters.insert(letter) {
                    cell.written.push(letter);
                } else {
                    findings.push(
                        Diagnostic::new(
                            RuleId::RasciRepeatedLetter,
                            format!("`{c}` is given twice for `{}`", cell.party.value),
                        )
                        .at(letter_span, "repeated here")
                        .help("each letter counts once; remove the repeat"),
                    );
                }
                cell.letter_spans.push((letter, letter_span));
            }
            None => {
                let upper = c.to_ascii_uppercase();
                let help = if Letter::from_char(upper).is_some() {
                    format!("letters are capitals: write `{upper}`")
                } else {
                    "use R (Responsible), A (Accountable), S (Supportive), C (Consulted) or I (Informed), separated by commas".to_string()
                };
                findings.push(
                    Diagnostic::new(RuleId::RasciUnknownLetter, format!("unknown letter `{c}`"))
                        .at(letter_span, "not one of R, A, S, C, I")
                        .help(help),
                );
            }
        }
    }
}
