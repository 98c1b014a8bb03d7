//! The command line: parse arguments, run one command, map its outcome to an exit code.
//! `anyhow` lives here only; the library returns typed results.

use crate::report::{self, Format};
use crate::{export, pipeline, resolve, schema};
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: no errors.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: the project has errors (or warnings, with `--deny-warnings`).
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code: rasci could not run (usage, unreadable files, I/O).
pub(crate) const EXIT_FAILURE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "rasci",
    version,
    about = "Checked RASCI matrices and a static site from YAML and Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load and check the project; report every finding.
    Check {
        /// Project root (the folder holding rasci.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Also render the site in memory and check what only a build can see: internal
        /// links and anchors, and shortcodes. Writes nothing.
        #[arg(long)]
        site: bool,
    },
    /// Write the resolved matrices to standard output or to a file.
    Export {
        /// Project root (the folder holding rasci.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: JSON, CSV (one matrix), an Excel workbook, Markdown tables, or an
        /// OSCAL component definition (JSON; `last-modified` from SOURCE_DATE_EPOCH, else
        /// the day the data last changed in git).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only this operating model of data/models.yaml (required for CSV when there
        /// are several).
        #[arg(long)]
        model: Option<String>,
        /// Only this scope (required for CSV when there are several).
        #[arg(long)]
        scope: Option<String>,
        /// Write to this file instead of standard output; an existing file is kept unless
        /// --force is given. Standard output takes XLSX only when it is not a terminal.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file when it already exists.
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Check the project and build the static site; writes nothing when there are errors.
    Build {
        /// Project root (the folder holding rasci.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder, replaced as a whole; `public` in the project root by default.
        /// Must be absent, empty, or a previous build holding nothing else.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even when it holds files rasci did not write (never
        /// the project, its sources or `.git`).
        #[arg(long)]
        force: bool,
    },
    /// Serve the site on this computer, rebuilding and reloading open pages on every change.
    Serve {
        /// Project root (the folder holding rasci.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = SERVE_PORT)]
        port: u16,
        /// Address to listen on; only this computer (127.0.0.1) unless given.
        #[arg(long)]
        bind: Option<std::net::IpAddr>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a new project with a small example in DIR (the current folder by default).
    Init {
        /// Folder to create the project in; files already there are never overwritten.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Read a matrix from a CSV, XLSX, ODS or Markdown file into rasci data files, then
    /// check the result.
    Import {
        /// The file to read: .csv, .xlsx, .ods or .md.
        file: PathBuf,
        /// Folder to write the project into (made a project when it is not one yet).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The sheet of a workbook to read (needed when it has several).
        #[arg(long)]
        sheet: Option<String>,
        /// The table of a Markdown file to read, counting from 1 (needed when it has several).
        #[arg(long)]
        table: Option<usize>,
        /// Id of the scope the matrix becomes; made from the file name by default.
        #[arg(long)]
        scope: Option<String>,
        /// Replace data files that exist already.
        #[arg(long)]
        force: bool,
    },
    /// Compare the matrices of two versions of the project: git revisions or folders.
    Diff {
        /// The old version: a git revision of the project (`main`, `HEAD~1`, a commit),
        /// or a project folder when a folder of that name exists.
        old: String,
        /// The new version, as OLD; the project's working tree when not given.
        new: Option<String>,
        /// Project root (the folder holding rasci.yaml), whose repository the
        /// revisions are read from.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format of the changes.
        #[arg(long, value_enum, default_value_t = crate::diff::format::DiffFormat::Human)]
        format: crate::diff::format::DiffFormat,
        /// Exit with 1 when anything changed, like `git diff --exit-code`.
        #[arg(long)]
        exit_code: bool,
    },
    /// Write a JSON Schema (draft-07) for each kind of data file.
    Schema {
        /// Folder to write the schemas into.
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
    },
    /// Print a completion script for a shell to standard output.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man -l -`) to standard output.
    Man,
    /// Run the language server for editors over standard input and output: the findings of
    /// `rasci check` as you type, go to definition, references, hover, completion and
    /// rename of ids. Started by the editor, not by hand (see docs/editors.md).
    Lsp,
}

/// The preview's port, also listed by a rasci built without the server.
#[cfg(feature = "serve")]
const SERVE_PORT: u16 = crate::serve::DEFAULT_PORT;
#[cfg(not(feature = "serve"))]
const SERVE_PORT: u16 = 1111;

/// Why a command or format that `--help` lists cannot run: the cargo feature holding it
/// was left out of this build (see the features in `Cargo.toml`). Exits with 2.
#[cfg(not(all(
    feature = "site",
    feature = "serve",
    feature = "spreadsheets",
    feature = "lsp"
)))]
fn without(feature: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "this rasci was built without the `{feature}` feature; install it with the default features to use this"
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Markdown,
    Oscal,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

pub(crate) fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        #[cfg(not(feature = "site"))]
        Command::Check { site: true, .. } => Err(without("site")),
        Command::Check {
            root,
            format,
            deny_warnings,
            site,
        } => check(&root, format, deny_warnings, site),
        Command::Export {
            root,
            format,
            model,
            scope,
            out,
            force,
        } => export(
            &root,
            format,
            Selection {
                model: model.as_deref(),
                scope: scope.as_deref(),
            },
            out.as_deref(),
            force,
        ),
        #[cfg(feature = "site")]
        Command::Build { root, out, force } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            build(&root, &out, force)
        }
        #[cfg(not(feature = "site"))]
        Command::Build { .. } => Err(without("site")),
        #[cfg(feature = "serve")]
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => {
            crate::serve::run(crate::serve::Options {
                root,
                port,
                bind,
                open,
            })?;
            Ok(EXIT_OK)
        }
        #[cfg(not(feature = "serve"))]
        Command::Serve { .. } => Err(without("serve")),
        Command::Schema { out } => write_schemas(&out),
        Command::Import {
            file,
            root,
            sheet,
            table,
            scope,
            force,
        } => import(crate::import::Options {
            file,
            root,
            sheet,
            table,
            scope,
            force,
        }),
        Command::Diff {
            old,
            new,
            root,
            format,
            exit_code,
        } => diff(&root, &old, new.as_deref(), format, exit_code),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "rasci", &mut script);
            emit(&script)?;
            Ok(EXIT_OK)
        }
        #[cfg(feature = "lsp")]
        Command::Lsp => {
            crate::lsp::run()?;
            Ok(EXIT_OK)
        }
        #[cfg(not(feature = "lsp"))]
        Command::Lsp => Err(without("lsp")),
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page)?;
            emit(&page)?;
            Ok(EXIT_OK)
        }
        Command::Init { dir } => {
            let written = crate::init::init(&dir)?;
            let mut text = String::new();
            for path in &written {
                text.push_str(&format!("wrote {}\n", path.display()));
            }
            text.push_str(&format!(
                "next: `rasci check --root {0}` and `rasci build --root {0}`\n",
                dir.display()
            ));
            emit(text.as_bytes())?;
            Ok(EXIT_OK)
        }
    }
}

/// Writes `bytes` to standard output. A reader that stops reading (`rasci schema | head -1`)
/// closes the pipe, and as Rust ignores SIGPIPE the write fails with `BrokenPipe`: the
/// rest of the output is then dropped quietly and the command finishes its work and exits
/// with its own code (`println!` would panic). Every command prints through here.
fn emit(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` set (to anything non-empty).
fn use_color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Load and check; with `site`, also render (writing nothing), for the findings only a
/// built site shows. Without it no part of the renderer runs, not even the theme's loading.
fn check(root: &Path, format: Format, deny_warnings: bool, site: bool) -> Result<u8> {
    let (project, findings) = match site {
        #[cfg(feature = "site")]
        true => {
            let built = pipeline::build(root)?;
            (built.project, built.findings)
        }
        // Without the `site` feature, `run` refused `--site` already.
        _ => pipeline::check_project(root)?,
    };
    let stdout = std::io::stdout();
    let color = use_color(stdout.is_terminal());
    let text = report::render(format, &findings, &project.sources, color);
    emit(text.as_bytes())?;
    let failed = findings.errors() > 0 || (deny_warnings && findings.warnings() > 0);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Which matrices `rasci export` writes: those of one model, one scope, or both.
struct Selection<'a> {
    model: Option<&'a str>,
    scope: Option<&'a str>,
}

/// Load and check, then write the matrices the check ran on.
fn export(
    root: &Path,
    format: ExportFormat,
    selection: Selection<'_>,
    out: Option<&Path>,
    force: bool,
) -> Result<u8> {
    // Refused before any work: a workbook's bytes would only garble the terminal.
    if format == ExportFormat::Xlsx && out.is_none() && std::io::stdout().is_terminal() {
        bail!("an XLSX workbook is binary: give --out FILE, or redirect standard output");
    }
    let crate::load::Loaded {
        project,
        content,
        findings,
    } = pipeline::load(root)?;
    let checked = pipeline::check(&project, &content, findings);
    if checked.findings.errors() > 0 {
        let color = use_color(std::io::stderr().is_terminal());
        eprint!(
            "{}",
            report::render(Format::Human, &checked.findings, &project.sources, color)
        );
        eprintln!("error: not exporting a project with errors");
        return Ok(EXIT_FINDINGS);
    }
    let chosen: Vec<&resolve::Matrix<'_>> = export::select(
        &project,
        &checked.matrices,
        selection.model,
        selection.scope,
    )
    .map_err(anyhow::Error::msg)?;
    let bytes: Vec<u8> = match format {
        ExportFormat::Json => export::to_json(&project, &chosen).into_bytes(),
        ExportFormat::Markdown => export::to_markdown(&project, &chosen).into_bytes(),
        ExportFormat::Oscal => {
            let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
            let day = match epoch {
                Some(_) => None,
                None => export::oscal::data_day(root, &project),
            };
            let stamp = export::oscal::Stamp::of(epoch.as_deref(), day.as_deref())
                .map_err(anyhow::Error::msg)?;
            export::to_oscal(&project, &chosen, &stamp).into_bytes()
        }
        #[cfg(feature = "spreadsheets")]
        ExportFormat::Xlsx => export::to_xlsx(&project, &chosen)
            .map_err(|error| anyhow::anyhow!("cannot make the workbook: {error}"))?,
        #[cfg(not(feature = "spreadsheets"))]
        ExportFormat::Xlsx | ExportFormat::Csv => return Err(without("spreadsheets")),
        #[cfg(feature = "spreadsheets")]
        ExportFormat::Csv => match chosen.as_slice() {
            [one] => export::to_csv(&project, one).into_bytes(),
            [] => bail!("the project defines no scope to export"),
            _ => {
                let mut models: Vec<&str> = chosen
                    .iter()
                    .filter_map(|m| project.model_at(m.model).id())
                    .collect();
                models.dedup();
                let mut scopes: Vec<&str> = chosen.iter().map(|m| m.scope.id.as_str()).collect();
                scopes.sort_unstable();
                scopes.dedup();
                let scope_choice = format!(
                    "--scope ({})",
                    crate::diagnostic::list_names(&ordered_scopes(&project, &scopes))
                );
                match (models.len() > 1, scopes.len() > 1) {
                    (true, true) => bail!(
                        "CSV holds one matrix: choose one with --model ({}) and {scope_choice}",
                        crate::diagnostic::list_names(&models)
                    ),
                    (true, false) => bail!(
                        "CSV holds one matrix: choose one with --model ({})",
                        crate::diagnostic::list_names(&models)
                    ),
                    _ => bail!("CSV holds one matrix: choose one with {scope_choice}"),
                }
            }
        },
    };
    match out {
        Some(path) => write_export(root, path, &bytes, force)?,
        None => emit(&bytes)?,
    }
    Ok(EXIT_OK)
}

/// `ids` (scope ids) in the project's scope order.
#[cfg(feature = "spreadsheets")]
fn ordered_scopes<'a>(project: &'a crate::model::Project, ids: &[&str]) -> Vec<&'a str> {
    project
        .scopes
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| ids.contains(id))
        .collect()
}

/// Compare two versions of the project and print the changes. An argument naming an
/// existing folder is that folder; anything else is a git revision of the project.
fn diff(
    root: &Path,
    old: &str,
    new: Option<&str>,
    format: crate::diff::format::DiffFormat,
    exit_code: bool,
) -> Result<u8> {
    use crate::diff::Side;
    let side = |arg: &str| {
        if Path::new(arg).is_dir() {
            Side::Folder(PathBuf::from(arg))
        } else {
            Side::Revision(arg.to_owned())
        }
    };
    let old = side(old);
    let new = new.map_or_else(|| Side::WorkingTree(root.to_path_buf()), side);
    let changes = crate::diff::diff(root, &old, &new)?;
    let text = crate::diff::format::render(format, &changes);
    emit(text.as_bytes())?;
    Ok(if exit_code && changes.changed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Writes an export to `path`. Without `force` the file must not exist yet, checked by the
/// create itself so nothing can appear between a check and the write. The file is written
/// under [`crate::guard`]'s rule in the folder that holds it: never through a link.
fn write_export(root: &Path, path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    // An export never lands on what rasci reads, not even with --force: a file under
    // `data/` would become part of the project.
    let resolved = crate::write::real_path(path)?;
    if let Some(why) = crate::write::sources_at(&crate::write::real_path(root)?, &resolved)? {
        bail!(
            "refusing to write the export to {}: {why}; choose a file outside the project's sources",
            path.display()
        );
    }
    let (folder, name) = split_file(path)?;
    // A link in the project (`exports` linked elsewhere) does not send the export out of
    // it, as a link in the current folder does not (checked by the plan).
    crate::guard::links_stay_inside(folder, root)?;
    let mut plan = crate::guard::Plan::new(folder)?;
    plan.file(name, bytes);
    let existing = plan.check()?;
    if !existing.is_empty() && !force {
        bail!(
            "{} already exists; give --force to replace it",
            path.display()
        );
    }
    plan.write(force)?;
    Ok(())
}

/// The folder holding `path` (empty for a bare name: the current folder, which messages
/// then leave unsaid) and its file name.
fn split_file(path: &Path) -> Result<(&Path, &std::ffi::OsStr)> {
    let Some(name) = path.file_name() else {
        bail!("{} ends in no file or folder name", path.display());
    };
    Ok((path.parent().unwrap_or(Path::new("")), name))
}

/// Load, check, render, check links; then write atomically, only when there is no error.
#[cfg(feature = "site")]
fn build(root: &Path, out: &Path, force: bool) -> Result<u8> {
    crate::write::check_output(root, out, force)?;
    let started = std::time::Instant::now();
    let built = pipeline::build_published(
        root,
        crate::diff::git::open_revision,
        crate::diff::compare_checked,
    )?;
    let color = use_color(std::io::stderr().is_terminal());
    if !built.findings.diagnostics.is_empty() {
        eprint!(
            "{}",
            report::render(
                Format::Human,
                &built.findings,
                &built.project.sources,
                color
            )
        );
    }
    if built.findings.errors() > 0 {
        eprintln!(
            "error: the site was not written; {} is unchanged",
            out.display()
        );
        return Ok(EXIT_FINDINGS);
    }
    crate::write::write_site(&built.site, root, out, force)?;
    eprintln!(
        "built {} pages ({} files) into {} in {} ms",
        built.site.pages(),
        built.site.files.len(),
        out.display(),
        started.elapsed().as_millis()
    );
    if built.project.config.base_url.is_none() {
        eprintln!("note: no sitemap.xml written: set `base_url` in rasci.yaml to publish one");
    }
    Ok(EXIT_OK)
}

/// Import, print what reading the file took, then check the result as `check` would and
/// exit with its code: the real problems of the matrix (no A, two As) show at once.
fn import(options: crate::import::Options) -> Result<u8> {
    let imported = match crate::import::import(&options) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(EXIT_FAILURE);
        }
    };
    let matrix = &imported.matrix;
    let mut out = String::new();
    out.push_str(&format!(
        "imported {}: {} parties, {} sections, {} tasks, {} cells with letters\n",
        crate::escape::shown(&options.file.display().to_string()),
        matrix.parties.len(),
        matrix.sections.len(),
        matrix.task_count(),
        matrix.cell_count()
    ));
    if !matrix.changed.is_empty() {
        out.push_str(&format!("changed the form of {}:\n", matrix.changed.len()));
        for note in &matrix.changed {
            out.push_str(&format!("  {}: {}\n", note.at, note.message));
        }
    }
    if !matrix.unreadable.is_empty() {
        out.push_str(&format!(
            "could not read {} (left out):\n",
            matrix.unreadable.len()
        ));
        for note in &matrix.unreadable {
            out.push_str(&format!("  {}: {}\n", note.at, note.message));
        }
    }
    for path in &imported.written {
        out.push_str(&format!(
            "wrote {}\n",
            crate::escape::shown(&path.display().to_string())
        ));
    }
    emit(out.as_bytes())?;
    check(&options.root, Format::Human, false, false)
}

/// Writes the schemas into `out`, replacing earlier ones, under [`crate::guard`]'s rule in
/// the folder holding `out`: a `schemas` that is a link leading out, or a schema file that
/// is a link, is refused before anything is written.
fn write_schemas(out: &Path) -> Result<u8> {
    let (folder, name) = split_file(out)?;
    let mut plan = crate::guard::Plan::new(folder)?;
    for (file, schema) in schema::all() {
        plan.file(Path::new(name).join(file), schema::to_text(&schema));
    }
    let written = plan.write(true)?;
    let mut text = String::new();
    for path in &written {
        text.push_str(&format!("wrote {}\n", path.display()));
    }
    emit(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// The allocator the binary installs: mimalloc, metered for the budget of template
/// renders (see `crate::render::budget`), which is how a template that loops or grows
/// without end is stopped.
#[cfg(feature = "site")]
pub type Allocator = crate::render::budget::Guarded<mimalloc::MiMalloc>;
/// Without the `site` feature no template is rendered: plain mimalloc.
#[cfg(not(feature = "site"))]
pub type Allocator = mimalloc::MiMalloc;

/// The one [`Allocator`].
#[cfg(feature = "site")]
pub const ALLOCATOR: Allocator = crate::render::budget::Guarded(mimalloc::MiMalloc);
#[cfg(not(feature = "site"))]
pub const ALLOCATOR: Allocator = mimalloc::MiMalloc;
