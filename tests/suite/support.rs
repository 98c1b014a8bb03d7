//! Helpers shared by the integration tests (the serve benchmark includes this file too, and
//! uses only some of it): the repository's paths, copies of projects, a builder of test
//! projects, the rule fixtures laid over the base project, and reading of built pages.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The repository root, which is also the example project.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// The `rasci` binary, with colour off whatever the caller's terminal says.
pub fn rasci() -> Command {
    let mut command = Command::cargo_bin("rasci").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// Copies the folder `from` into `to`, recursively, creating `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Copies a project's `rasci.yaml`, `data/` and `content/` (whichever exist) from
/// `project` to `into/project`, and returns the copy's root.
pub fn copy_project(project: &Path, into: &Path) -> PathBuf {
    let root = into.join("project");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(project.join("rasci.yaml"), root.join("rasci.yaml")).unwrap();
    for folder in ["data", "content"] {
        if project.join(folder).is_dir() {
            copy_dir(&project.join(folder), &root.join(folder));
        }
    }
    root
}

/// The repository's own example project, copied into `into/project`.
pub fn copy_example(into: &Path) -> PathBuf {
    copy_project(repo(), into)
}

/// Replaces the first `from` in the file at `path` by `to`; the file must hold `from`, so
/// that an edit that no longer applies fails the test instead of testing nothing.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------------------------------
// Test projects

/// One file of a [`Project`] to be written.
#[derive(Clone)]
enum Entry {
    Bytes(Vec<u8>),
    /// A symbolic link, with the target it is created with.
    Link(PathBuf),
}

/// Files that fixture folders hold only so that git keeps a folder that adds nothing to
/// the base project; they are not part of the project.
const PLACEHOLDERS: &[&str] = &[".gitkeep"];

/// A project to write into a temporary folder: a starting set of files (none, the base
/// project of `tests/fixtures/base`, or a folder), then changes one file at a time, so a
/// test states only what sets its project apart.
///
/// ```ignore
/// let project = Project::base().file("data/tasks.yaml", "sections: []\n").build();
/// let checked = project.check();
/// ```
#[derive(Clone, Default)]
pub struct Project {
    /// Path relative to the project root → what is written there.
    files: BTreeMap<PathBuf, Entry>,
}

impl Project {
    /// A project without any file (not even `rasci.yaml`).
    pub fn empty() -> Project {
        Project::default()
    }

    /// The smallest clean project, `tests/fixtures/base`: two parties, one scope, one
    /// section with one task. `rasci check --deny-warnings` finds nothing in it.
    pub fn base() -> Project {
        Project::empty().overlay(&fixtures().join("base"))
    }

    /// The repository's example project: its `rasci.yaml`, `data/` and `content/` (the
    /// folders [`copy_example`] copies).
    pub fn example() -> Project {
        Project::empty()
            .file(
                "rasci.yaml",
                std::fs::read(repo().join("rasci.yaml")).unwrap(),
            )
            .folder("data", &repo().join("data"))
            .folder("content", &repo().join("content"))
    }

    /// Every file under `dir`.
    pub fn from_dir(dir: &Path) -> Project {
        Project::empty().overlay(dir)
    }

    /// The files under `dir` added to the project, replacing files of the same path.
    ///
    /// A symbolic link keeps its target when the target lies inside `dir`, so the copy
    /// links within itself as the original does; a link that leads out of `dir` is made
    /// to point at the absolute path of what it reaches, so it leads out of the copy too.
    pub fn overlay(self, dir: &Path) -> Project {
        self.folder("", dir)
    }

    /// The files under `dir` added under the project's folder `path` (`""`: the root),
    /// replacing files of the same path; symbolic links as in [`Project::overlay`].
    pub fn folder(mut self, path: &str, dir: &Path) -> Project {
        let dir = std::fs::canonicalize(dir)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}", dir.display()));
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_dir()
                || PLACEHOLDERS.contains(&entry.file_name().to_str().unwrap_or(""))
            {
                continue;
            }
            let relative = Path::new(path).join(entry.path().strip_prefix(&dir).unwrap());
            let file = if entry.path_is_symlink() {
                Entry::Link(link_target(&dir, entry.path()))
            } else {
                Entry::Bytes(std::fs::read(entry.path()).unwrap())
            };
            self.files.insert(relative, file);
        }
        self
    }

    /// Sets the file at `path` (relative to the root) to `contents`, creating its folders.
    pub fn file(mut self, path: &str, contents: impl AsRef<[u8]>) -> Project {
        self.files.insert(
            PathBuf::from(path),
            Entry::Bytes(contents.as_ref().to_vec()),
        );
        self
    }

    /// Makes `path` a symbolic link to `target`, written as given.
    pub fn symlink(mut self, path: &str, target: impl AsRef<Path>) -> Project {
        self.files.insert(
            PathBuf::from(path),
            Entry::Link(target.as_ref().to_path_buf()),
        );
        self
    }

    /// Removes the file at `path`, which the project must hold: removing a file that is not
    /// there would test nothing.
    pub fn without(mut self, path: &str) -> Project {
        assert!(
            self.files.remove(Path::new(path)).is_some(),
            "the project holds no {path}"
        );
        self
    }

    /// Writes the project into `project/` of a fresh temporary folder, which lives as long
    /// as the returned value.
    pub fn build(self) -> BuiltProject {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir(&root).unwrap();
        for (relative, file) in &self.files {
            let path = root.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            match file {
                Entry::Bytes(bytes) => std::fs::write(&path, bytes).unwrap(),
                Entry::Link(target) => symlink(target, &path),
            }
        }
        BuiltProject { dir, root }
    }
}

/// The target to give a copy of the link at `link`, a path inside `dir`.
fn link_target(dir: &Path, link: &Path) -> PathBuf {
    let target = std::fs::read_link(link).unwrap();
    let reached = std::fs::canonicalize(link.parent().unwrap().join(&target))
        .unwrap_or_else(|e| panic!("{} leads nowhere: {e}", link.display()));
    if target.is_relative() && reached.starts_with(dir) {
        target
    } else {
        reached
    }
}

#[cfg(unix)]
fn symlink(target: &Path, path: &Path) {
    std::os::unix::fs::symlink(target, path).unwrap();
}

#[cfg(not(unix))]
fn symlink(_target: &Path, path: &Path) {
    panic!("{}: symbolic links are made on Unix only", path.display());
}

/// A [`Project`] written to disk. It stands for its root folder wherever a path is wanted
/// (`rasci::pipeline::check_project(&project)`), and the folder is removed when it is dropped.
pub struct BuiltProject {
    dir: TempDir,
    root: PathBuf,
}

impl std::ops::Deref for BuiltProject {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.root
    }
}

impl BuiltProject {
    /// The project root, where `rasci.yaml` is.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path beside the project root, outside the project: where a test puts a build's
    /// output or files the project must not reach.
    pub fn beside(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The text of the project's file `relative`.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.root.join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    /// Writes `text` to the project's file `relative`, creating its folders.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Writes the content page `content/<name>` with the front matter `title` and `body`.
    pub fn page(&self, name: &str, title: &str, body: &str) {
        self.write(
            &format!("content/{name}"),
            &format!("---\ntitle: {title}\n---\n{body}\n"),
        );
    }

    /// Makes the project's `relative` a symbolic link to `target`, written as given.
    pub fn symlink(&self, relative: &str, target: impl AsRef<Path>) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(target.as_ref(), &path);
    }

    /// Replaces `from` by `to` in the project's file `relative` (see [`edit`]).
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        edit(&self.root.join(relative), from, to);
    }

    /// `rasci` run in the project root, colour off.
    pub fn rasci(&self) -> Command {
        let mut command = rasci();
        command.current_dir(&self.root);
        command
    }

    /// `rasci check --format json` of the project.
    pub fn check(&self) -> Checked {
        self.check_with(&[])
    }

    /// `rasci check --format json` of the project, with `extra` arguments.
    pub fn check_with(&self, extra: &[&str]) -> Checked {
        let output = self
            .rasci()
            .args(["check", "--format", "json", "--root", "."])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "`rasci check` printed no JSON report ({e}); stderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        Checked {
            code: output.status.code().expect("rasci exited normally"),
            diagnostics: report["diagnostics"].as_array().unwrap().clone(),
        }
    }

    /// `rasci build` into a fresh folder beside the project: exit code, standard error
    /// and the output folder.
    pub fn build_site(&self) -> (i32, String, PathBuf) {
        let out = self.beside("out");
        let output = rasci()
            .args(["build", "--root"])
            .arg(&self.root)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        (
            output.status.code().expect("rasci exited normally"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
        )
    }
}

/// Exit code and JSON findings of `rasci check`.
pub struct Checked {
    pub code: i32,
    pub diagnostics: Vec<Value>,
}

impl Checked {
    /// The rule id of each finding, in report order.
    pub fn rules(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect()
    }

    /// The findings of `rule`.
    pub fn with_rule(&self, rule: &str) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|d| d["id"] == rule)
            .collect()
    }

    /// The one finding of `rule`, which must stand at `file:line:col`.
    pub fn one_at(&self, rule: &str, file: &str, line: u64, column: u64) -> &Value {
        let found = self.with_rule(rule);
        assert_eq!(
            found.len(),
            1,
            "one {rule} expected: {:#?}",
            self.diagnostics
        );
        let d = found[0];
        assert_eq!(
            (
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap()
            ),
            (file, line, column),
            "{d:#}"
        );
        d
    }
}

// ---------------------------------------------------------------------------------------
// Rule fixtures

/// `tests/fixtures/rules`: per rule id, a `bad` and a `good` folder.
pub fn rule_fixtures() -> PathBuf {
    fixtures().join("rules")
}

/// The `twin` (`"bad"` or `"good"`) fixture of `rule`, written out: the base project with
/// the fixture's files laid over it. A fixture folder holds only the files in which it
/// differs from the base project (a `.gitkeep` where it differs in none).
pub fn rule_fixture(rule: &str, twin: &str) -> BuiltProject {
    let dir = rule_fixtures().join(rule).join(twin);
    assert!(dir.is_dir(), "no fixture {}", dir.display());
    Project::base().overlay(&dir).build()
}

// ---------------------------------------------------------------------------------------
// Built pages

/// A CSS selector, which the tests write correctly.
pub fn sel(selector: &str) -> scraper::Selector {
    scraper::Selector::parse(selector).unwrap()
}

/// The text of an element as a reader sees it: runs of white space as one space.
pub fn text(element: scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds a project in memory and returns its files, failing on any error finding.
pub fn build_clean(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let built = rasci::pipeline::build(root).expect("the project loads");
    let errors: Vec<String> = built
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.severity == rasci::diagnostic::Severity::Error)
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    std::sync::Arc::unwrap_or_clone(built.site)
        .files
        .into_iter()
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect()
}

/// `rule | message | path:line:col | help` of each finding, for exact comparison.
pub fn finding_lines(
    project: &rasci::model::Project,
    diagnostics: &[rasci::diagnostic::Diagnostic],
) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let at = match &d.primary {
                Some(label) => {
                    let start = project.sources.start(label.span);
                    format!(
                        "{}:{}:{}",
                        project.sources.path(label.span.file),
                        start.line,
                        start.column
                    )
                }
                None => "-".to_string(),
            };
            format!(
                "{} | {} | {at} | {}",
                d.rule,
                d.message,
                d.help.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// The operating-models fixture: two models (three and four parties) over two scopes.
pub fn models_fixture() -> PathBuf {
    fixtures().join("models")
}

impl Project {
    /// The models fixture, to be changed one file at a time.
    pub fn models() -> Project {
        Project::from_dir(&models_fixture())
    }
}

/// `rule | message | path:line:col | help` of each finding of the project at `root`, as
/// the library's check reports them.
pub fn check_lines(root: &Path) -> Vec<String> {
    let (project, findings) = rasci::pipeline::check_project(root).expect("project loads");
    finding_lines(&project, &findings.diagnostics)
}

/// The text of the built file `path`, failing with the list of built files when it is
/// missing, so a wrong path in a test says what there is instead.
pub fn page_source<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, path: &str) -> String {
    let bytes = files.get(path).unwrap_or_else(|| {
        panic!(
            "{path} is not built; the site has {:?}",
            files.keys().collect::<Vec<_>>()
        )
    });
    String::from_utf8(bytes.as_ref().to_vec()).expect("built pages are UTF-8")
}

/// The built page `path`, parsed, for the selectors of [`sel`].
pub fn page<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&page_source(files, path))
}

/// The author date of [`git`]'s commits: fixed, so that what a build derives from
/// history (last-updated dates, diffs) is the same on every run.
pub const GIT_DATE: &str = "2024-01-02T10:00:00+00:00";

/// Runs git in `dir` on [`GIT_DATE`]; see [`git_on`].
pub fn git(dir: &Path, args: &[&str]) {
    git_on(dir, GIT_DATE, args);
}

/// Runs git in `dir` as a fixed author with author and committer date `date`, with none
/// of the machine's own git settings (no signing, `main` as the first branch), and fails
/// with git's message when it fails.
pub fn git_on(dir: &Path, date: &str, args: &[&str]) {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Writer",
            "-c",
            "user.email=writer@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts that a finished command exited with 0, showing what it printed if not.
pub fn assert_success(output: &std::process::Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every script of the search index (the manifest `search-index.js`, then the word and
/// record shards under `static/search/`), for checks of what any of them holds.
pub fn search_scripts<B: AsRef<[u8]>>(files: &BTreeMap<String, B>) -> String {
    let mut scripts = String::from_utf8_lossy(files["search-index.js"].as_ref()).into_owned();
    for (path, bytes) in files {
        if path.starts_with("static/search/") {
            assert!(path.ends_with(".js"), "{path}");
            scripts.push_str(&String::from_utf8_lossy(bytes.as_ref()));
        }
    }
    scripts
}

/// The shards of one kind (`w` words, `r` records) in their order, each as the JSON of
/// its arguments after the shard's number.
fn search_shards<B: AsRef<[u8]>>(files: &BTreeMap<String, B>, kind: char) -> Vec<Value> {
    let call = if kind == 'w' {
        "RASCI_SEARCH_WORDS("
    } else {
        "RASCI_SEARCH_RECORDS("
    };
    (0..)
        .map_while(|n| {
            files
                .get(&format!("static/search/{kind}{n}.js"))
                .map(|b| (n, b))
        })
        .map(|(n, bytes)| {
            let text = std::str::from_utf8(bytes.as_ref()).unwrap();
            let args = text
                .strip_prefix(call)
                .and_then(|rest| rest.strip_suffix(");\n"))
                .unwrap_or_else(|| panic!("shard {kind}{n} calls {call}…)"));
            let json: Value = serde_json::from_str(&format!("[{}]", args.replace("<\\!", "<!")))
                .unwrap_or_else(|e| panic!("shard {kind}{n}: {e}"));
            assert_eq!(json[0], n, "shard {kind}{n} names its number");
            json
        })
        .collect()
}

/// The search index's entries, in order, from its record shards.
pub fn search_entries<B: AsRef<[u8]>>(files: &BTreeMap<String, B>) -> Vec<Value> {
    let mut entries = Vec::new();
    for shard in search_shards(files, 'r') {
        assert_eq!(
            shard[1],
            entries.len(),
            "a record shard starts where the last ended"
        );
        entries.extend(shard[2].as_array().unwrap().iter().cloned());
    }
    entries
}

/// The search index's words whose stem differs from them, with that stem, from its word
/// shards.
pub fn search_stems<B: AsRef<[u8]>>(files: &BTreeMap<String, B>) -> BTreeMap<String, String> {
    search_shards(files, 'w')
        .iter()
        .flat_map(|shard| shard[1].as_array().unwrap().clone())
        .filter(|word| word[1] != "")
        .map(|word| {
            (
                word[0].as_str().unwrap().to_string(),
                word[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The errors of `instance` against a draft-07 JSON Schema, one readable line each (the
/// place in the instance, then what is wrong), empty when it validates. The schema itself
/// is checked against the draft-07 metaschema first: a schema that is not valid panics
/// with the reason, so a broken committed schema cannot pass as "no errors".
pub fn schema_errors(schema: &Value, instance: &Value) -> Vec<String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V7);
    compiler
        .add_resource("memory:///schema.json", schema.clone())
        .unwrap();
    let index = compiler
        .compile("memory:///schema.json", &mut schemas)
        .unwrap_or_else(|e| panic!("{e:#}"));
    match schemas.validate(instance, index) {
        Ok(()) => Vec::new(),
        Err(error) => leaf_errors(&error),
    }
}

/// The leaves of a validation error's tree: where `oneOf` or `anyOf` fail, each branch's
/// own reason, so a message names the field that is wrong rather than only "oneOf failed".
fn leaf_errors(error: &boon::ValidationError<'_, '_>) -> Vec<String> {
    if error.causes.is_empty() {
        return vec![format!("{} at {}", error.kind, error.instance_location)];
    }
    error.causes.iter().flat_map(leaf_errors).collect()
}

/// Whether `schema` is a valid draft-07 schema (it compiles against the metaschema).
pub fn is_draft7_schema(schema: &Value) -> bool {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V7);
    compiler
        .add_resource("memory:///schema.json", schema.clone())
        .is_ok()
        && compiler
            .compile("memory:///schema.json", &mut schemas)
            .is_ok()
}
