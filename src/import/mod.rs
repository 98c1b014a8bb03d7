//! `rasci import`: a matrix kept in a spreadsheet or a Markdown table becomes rasci data
//! files. Each reader (CSV, XLSX/ODS, Markdown) turns its format into one neutral
//! [`Table`] of raw cell texts, each with the position a person finds it at in the source
//! (`Sheet1!D7`, `matrix.md:23:5`); [`normalise`] reads that table tolerantly into parties,
//! sections and tasks, noting every cell whose form it changed and every cell it could not
//! read (those are left out, never guessed); [`mod@write`] turns the result into tidy YAML.
//!
//! Ids made from names go through the loader's id rules (`load::ids`), so what import
//! writes is what `check` accepts. Nothing is overwritten unless the caller says so.

pub mod limits;
pub mod markdown;
pub mod normalise;
pub mod sheet;
pub mod table;
pub mod text;
pub mod write;

use std::path::{Path, PathBuf};
use table::{ImportError, Table};

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub file: PathBuf,
    pub root: PathBuf,
    /// The sheet of a workbook; needed when it has several.
    pub sheet: Option<String>,
    /// The table of a Markdown file, counted from 1; needed when it has several.
    pub table: Option<usize>,
    /// The scope's id; from the file name when not given.
    pub scope: Option<String>,
    /// Replace data files that exist already.
    pub force: bool,
}

/// What an import did: the interpretation (for the report) and the files written.
#[derive(Debug)]
pub struct Imported {
    pub matrix: normalise::Matrix,
    pub written: Vec<PathBuf>,
}

/// The formats import reads, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileFormat {
    Csv,
    Xlsx,
    Ods,
    Markdown,
}

fn format_of(path: &Path) -> Result<FileFormat, ImportError> {
    // The name's last `.` part, also for a name that is all extension (`.csv`).
    let extension = file_name(path)
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok(FileFormat::Csv),
        "xlsx" | "xlsm" => Ok(FileFormat::Xlsx),
        "ods" => Ok(FileFormat::Ods),
        "md" | "markdown" => Ok(FileFormat::Markdown),
        // The binary format before XLSX is read only as a whole grid, which no limit
        // short of its full size can bound.
        "xls" => Err(ImportError(format!(
            "{}: the binary .xls format is not read: save the workbook as .xlsx or .ods",
            crate::escape::shown(&path.display().to_string())
        ))),
        _ => Err(ImportError(format!(
            "cannot tell the format of {}: import reads .csv, .xlsx, .ods and .md files",
            crate::escape::shown(&path.display().to_string())
        ))),
    }
}

/// The file's name as written in the matrix (a scope's name, a comment).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The file's name as shown in positions and messages: control characters escaped.
fn display_name(path: &Path) -> String {
    crate::escape::shown(&file_name(path))
}

/// Reads the file into a neutral table, within [`limits`].
pub(crate) fn read_table(options: &Options) -> Result<Table, ImportError> {
    let name = display_name(&options.file);
    let format = format_of(&options.file)?;
    let bytes = limits::read_file(&options.file, &name)?;
    match format {
        #[cfg(feature = "spreadsheets")]
        FileFormat::Csv => sheet::read_csv(&name, &sheet::decode(&name, bytes)?),
        #[cfg(feature = "spreadsheets")]
        FileFormat::Xlsx => sheet::read_xlsx(&name, &bytes, options.sheet.as_deref()),
        #[cfg(feature = "spreadsheets")]
        FileFormat::Ods => sheet::read_ods(&name, &bytes, options.sheet.as_deref()),
        #[cfg(not(feature = "spreadsheets"))]
        FileFormat::Csv | FileFormat::Xlsx | FileFormat::Ods => Err(ImportError(format!(
            "cannot import {name}: this rasci was built without the `spreadsheets` feature; it imports .md files only"
        ))),
        FileFormat::Markdown => markdown::read(&name, &sheet::decode(&name, bytes)?, options.table),
    }
}

/// Reads, normalises and writes: the whole command but its report and the check.
pub fn import(options: &Options) -> Result<Imported, ImportError> {
    let table = read_table(options)?;
    let scope = match &options.scope {
        Some(id) => {
            if let Some(problem) = crate::load::ids::problem(id) {
                return Err(ImportError(format!(
                    "--scope `{}`: {}",
                    crate::escape::shown(id),
                    crate::escape::shown(&problem)
                )));
            }
            id.clone()
        }
        None => {
            let stem = options
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = crate::load::ids::suggest(&stem);
            if id.is_empty() {
                "imported".to_string()
            } else {
                id
            }
        }
    };
    if crate::load::ids::SITE_NAMES.contains(&scope.as_str()) {
        return Err(ImportError(format!(
            "the scope id `{scope}` is a name the site uses for itself: choose another with --scope"
        )));
    }
    write::check_root(&options.root, &scope)?;
    let into = existing_project(&options.root)?;
    let taken = into.as_ref().map(|p| p.taken.clone()).unwrap_or_default();
    let mut matrix = normalise::normalise(&table, &scope, &file_name(&options.file), &taken);
    if matrix.parties.is_empty() {
        return Err(ImportError(format!(
            "{}: the header row names no party: the first row is read as the parties, the first column as the tasks",
            display_name(&options.file)
        )));
    }
    if matrix.task_count() == 0 {
        return Err(ImportError(format!(
            "{}: no row below the header is a task (a title and letters): nothing to import",
            display_name(&options.file)
        )));
    }
    write::check_size(&matrix)?;
    let written = match &into {
        None => write::write_project(&options.root, &matrix, options.force)?,
        Some(project) => {
            if project.scopes.contains(&scope) {
                return Err(ImportError(format!(
                    "the project has a scope `{scope}` already: import under another id with --scope"
                )));
            }
            match_parties(&mut matrix, &project.parties)?;
            write::add_to_project(&options.root, &matrix, options.force)?
        }
    };
    Ok(Imported { matrix, written })
}

/// What import needs to know of a project it adds to.
struct ExistingProject {
    taken: normalise::Taken,
    /// (id, name) of each party.
    parties: Vec<(String, String)>,
    scopes: Vec<String>,
}

/// The project at `root`, when it has data of its own that an import must add to rather
/// than write; `None` for a folder with no parties, scopes or tasks yet. A project that
/// does not load cleanly is refused: what would be unambiguous in it cannot be told.
fn existing_project(root: &Path) -> Result<Option<ExistingProject>, ImportError> {
    let has_data = ["parties", "scopes", "tasks"].iter().any(|kind| {
        let data = root.join("data");
        data.join(format!("{kind}.yaml")).exists()
            || data.join(format!("{kind}.yml")).exists()
            || data.join(kind).exists()
    });
    if !has_data {
        return Ok(None);
    }
    let loaded = crate::pipeline::load(root).map_err(|e| {
        ImportError(format!(
            "{e}; import into a folder of its own, or into a project"
        ))
    })?;
    if loaded.findings.errors() > 0 {
        return Err(ImportError(format!(
            "the project in {} has {} error(s) (see `rasci check`): import adds to a project only when it loads without errors",
            root.display(),
            loaded.findings.errors()
        )));
    }
    let project = loaded.project;
    // The imported tasks would need a model, and a new scope would be covered by none:
    // which model a table means is not something a spreadsheet says.
    if project.has_models() {
        return Err(ImportError(format!(
            "the project in {} defines operating models (data/models.yaml): import into a folder of its own, then move the tasks into a model's file and give it `model:`",
            root.display()
        )));
    }
    let taken = normalise::Taken {
        parties: project.parties.iter().map(|p| p.id.value.clone()).collect(),
        conditions: project
            .conditions
            .iter()
            .map(|c| c.id.value.clone())
            .collect(),
        sections: project
            .sections
            .iter()
            .map(|s| s.id.value.clone())
            .collect(),
        tasks: project
            .sections
            .iter()
            .flat_map(|s| &s.tasks)
            .map(|t| t.id.value.clone())
            .collect(),
    };
    Ok(Some(ExistingProject {
        taken,
        parties: project
            .parties
            .iter()
            .map(|p| (p.id.value.clone(), p.name.value.clone()))
            .collect(),
        scopes: project.scopes.iter().map(|s| s.id.value.clone()).collect(),
    }))
}

/// Gives each imported party the id of the project's party of the same name (in any
/// case). A header that is no party's name but whose id would be another party's id could
/// mean either, so it is an error, and so are two columns for one party.
fn match_parties(
    matrix: &mut normalise::Matrix,
    existing: &[(String, String)],
) -> Result<(), ImportError> {
    let by_name: std::collections::HashMap<String, &String> = existing
        .iter()
        .rev()
        .map(|(id, name)| (name.trim().to_lowercase(), id))
        .collect();
    let by_id: std::collections::HashMap<&str, &String> = existing
        .iter()
        .map(|(id, name)| (id.as_str(), name))
        .collect();
    let mut used: std::collections::HashSet<&String> = std::collections::HashSet::new();
    for party in &mut matrix.parties {
        if let Some(&id) = by_name.get(&party.name.to_lowercase()) {
            if !used.insert(id) {
                return Err(ImportError(format!(
                    "two columns name the party `{id}`: import reads one column per party"
                )));
            }
            party.id = id.clone();
            party.existing = true;
            continue;
        }
        let slug = crate::load::ids::suggest(&party.name);
        if let Some((id, name)) = by_id.get_key_value(slug.as_str()) {
            return Err(ImportError(crate::escape::shown(&format!(
                "the column {:?} is not the name of a party, but its id would be `{id}`, the party {name:?}: rename the column to {name:?} to mean that party, or import into a new folder",
                party.name
            ))));
        }
    }
    Ok(())
}
