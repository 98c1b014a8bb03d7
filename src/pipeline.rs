//! The pipeline: the one place that runs the stages, for every command.
//!
//! ```text
//! load    root → load::Loaded { project, content, findings }     (crate::load)
//! check   → Checked { matrices, source_links, findings }         resolve, Markdown links, rules
//! plan    Checked → plan::SitePlan: pages, URLs, navigation       (crate::plan)
//! render  Checked + SitePlan + theme + previous Memo → Rendered  (crate::render)
//! finish  broken links of the built site reported → Build { project, findings, site }
//! write   Site → the output folder                               (crate::write, by the CLI)
//! ```
//!
//! `rasci check` and `export` stop after `check` ([`check_project`]); `check --site`
//! runs [`build`] and writes nothing; `rasci build` writes what [`build`] made; `serve`
//! builds once with [`build_reusing`] and then runs [`rebuild`] on every save, which
//! resolves and checks once, stops there when the project has errors, and otherwise
//! renders from that same `Checked`, reusing the previous [`Memo`].

use crate::check::links::LinkMemo;
use crate::check::links::SourceLink;
use crate::diagnostic::Findings;
#[cfg(feature = "site")]
use crate::load::DataMemo;
use crate::load::Loaded;
use crate::load::content::ContentPage;
#[cfg(feature = "site")]
use crate::load::content::FrontMemo;
use crate::load::files::LoadError;
#[cfg(feature = "site")]
use crate::load::history::Pending;
use crate::model::Project;
#[cfg(feature = "site")]
use crate::render::site::Site;
#[cfg(feature = "site")]
use crate::render::templates::ThemeError;
use crate::resolve::Matrix;
use crate::source::Span;
use std::cell::Cell;
use std::path::Path;
#[cfg(feature = "site")]
use std::sync::Arc;

/// Why a site could not be built at all (as opposed to findings in the project).
#[derive(Debug)]
#[cfg(feature = "site")]
pub enum BuildError {
    Load(LoadError),
    Theme(ThemeError),
    /// A version of `versions:` (rasci.yaml) that cannot be read, loaded or built.
    Version {
        id: String,
        message: String,
    },
}

#[cfg(feature = "site")]
impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Load(e) => e.fmt(f),
            BuildError::Theme(e) => e.fmt(f),
            BuildError::Version { id, message } => write!(f, "version `{id}`: {message}"),
        }
    }
}

#[cfg(feature = "site")]
impl std::error::Error for BuildError {}

#[cfg(feature = "site")]
impl From<LoadError> for BuildError {
    fn from(error: LoadError) -> Self {
        BuildError::Load(error)
    }
}

#[cfg(feature = "site")]
impl From<ThemeError> for BuildError {
    fn from(error: ThemeError) -> Self {
        BuildError::Theme(error)
    }
}

/// The load stage: data files and content pages (see `crate::load::load`).
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    crate::load::load(root)
}

/// A project resolved and checked: what `rasci check` reports and `export` writes, and
/// everything the render stage needs besides the theme.
///
/// A [`Matrix`] borrows the project it was resolved from, so `Checked` borrows the
/// project and its content pages rather than owning them: the caller keeps the
/// [`Loaded`] parts on its stack and lends them for as long as the matrices are used.
/// A self-contained type (the project behind an `Arc` beside its matrices, or matrices
/// of indices) would have meant a self-referential struct or rewriting every reader of
/// the matrices; the borrow costs nothing and the compiler proves the matrices never
/// outlive the project. When the borrow ends (`Checked` dropped), the project can be
/// changed again: the link report of the built site adds the built pages it quotes to
/// the project's sources.
pub(crate) struct Checked<'p> {
    pub(crate) project: &'p Project,
    pub(crate) content: &'p [ContentPage],
    /// One matrix per scope, resolved once; the checks ran on them and the pages and
    /// exports are made from them.
    pub(crate) matrices: Vec<Matrix<'p>>,
    /// What loading, the rules and the check of Markdown links found.
    pub(crate) findings: Findings,
    /// Every link written in the content pages, for reporting broken links of the built
    /// site where they were written.
    pub(crate) source_links: Vec<SourceLink>,
    /// Where the links are that the check of Markdown links already reported, so the
    /// check of the built site does not report them twice.
    #[cfg_attr(not(feature = "site"), allow(dead_code))]
    reported_links: Vec<Span>,
    /// The plan stage's result, made once per check (see [`plan`]).
    plan: crate::plan::SitePlan,
    /// What the plan was made from, when it may be kept for the next check (see
    /// [`PlanMemo`]).
    #[cfg_attr(not(feature = "site"), allow(dead_code))]
    plan_key: Option<u64>,
}

/// The plan of the last check, kept for the next one in the same process (`serve`): a
/// save that changes the text of a page but not its front matter, nor any data file or
/// the config, leaves every page, address and navigation entry where it was, and planning
/// 10,000 pages again was a quarter of such a rebuild.
pub(crate) struct PlanMemo {
    key: u64,
    plan: crate::plan::SitePlan,
}

/// Drops `value` on a thread of its own, so a large structure no longer needed is freed
/// beside the rest of the work instead of before it. Where no thread can be started, it
/// is dropped here.
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("rasci-drop".into())
        .spawn(move || drop(value));
}

/// Everything the plan is made from: the config, the data files of the kinds it reads
/// (the parties, scopes, models and frameworks that have pages; not the tasks, their
/// summaries, flows, systems and conditions, which only fill pages) and each content page
/// up to the end of its front matter, by path. Page bodies are not read by the plan
/// (their headings are checked from the built pages).
fn plan_key(project: &Project, content: &[ContentPage]) -> u64 {
    use crate::model::DataKind;
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for (path, text) in crate::load::content::heads(&project.sources, content) {
        path.hash(&mut hasher);
        let unplanned = crate::load::kinds::of_path(path).is_some_and(|kind| {
            matches!(
                kind,
                DataKind::Tasks
                    | DataKind::Summaries
                    | DataKind::Flows
                    | DataKind::Systems
                    | DataKind::Conditions
            )
        });
        if !unplanned {
            text.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// How many times this thread ran each stage, so tests can tell that a rebuild resolves
/// and checks the project once. Counted per thread: tests running side by side do not
/// see each other's builds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StageRuns {
    /// Runs of `check` (resolve, rules, Markdown links).
    pub checks: usize,
    /// Runs of the render stage.
    pub renders: usize,
    /// Plans made anew rather than taken from the last check (see `PlanMemo`).
    pub plans: usize,
}

thread_local! {
    static STAGE_RUNS: Cell<StageRuns> = const {
        Cell::new(StageRuns {
            checks: 0,
            renders: 0,
            plans: 0,
        })
    };
}

impl StageRuns {
    /// The runs made since `before` was read.
    pub fn since(self, before: StageRuns) -> StageRuns {
        StageRuns {
            checks: self.checks - before.checks,
            renders: self.renders - before.renders,
            plans: self.plans - before.plans,
        }
    }
}

/// The stages run on this thread so far (see [`StageRuns`]).
pub fn stage_runs() -> StageRuns {
    STAGE_RUNS.with(Cell::get)
}

fn count(stage: impl FnOnce(&mut StageRuns)) {
    STAGE_RUNS.with(|runs| {
        let mut now = runs.get();
        stage(&mut now);
        runs.set(now);
    });
}

/// The check stage: resolves one matrix per scope, checks the links written in the
/// Markdown (before the rules, so `check.rules` in the config applies to them too), then
/// runs the rules. Touches no part of the renderer.
pub(crate) fn check<'p>(
    project: &'p Project,
    content: &'p [ContentPage],
    findings: Findings,
) -> Checked<'p> {
    check_remembering(project, content, findings, None, None)
}

/// [`check`] of an earlier version that `build` publishes with a Changes page: that
/// page is planned before the links are judged, so the version's own pages may link it
/// whatever the version's own `rasci.yaml` lists (see [`SitePlan::plan_changes`]).
///
/// [`SitePlan::plan_changes`]: crate::plan::SitePlan::plan_changes
#[cfg(feature = "site")]
fn check_version<'p>(
    project: &'p Project,
    content: &'p [ContentPage],
    findings: Findings,
) -> Checked<'p> {
    check_planned(project, content, findings, None, None, true)
}

/// [`check`], taking the links of pages whose Markdown did not change from `links` and
/// leaving this check's there (see [`LinkMemo`]), and taking the plan from `plans` when
/// it was made from the same inputs (see [`PlanMemo`]; the caller puts it back).
fn check_remembering<'p>(
    project: &'p Project,
    content: &'p [ContentPage],
    findings: Findings,
    links: Option<&mut LinkMemo>,
    plans: Option<&mut Option<PlanMemo>>,
) -> Checked<'p> {
    check_planned(project, content, findings, links, plans, false)
}

/// [`check_remembering`], with the Changes page planned when `changes` says the build
/// gives the site one.
fn check_planned<'p>(
    project: &'p Project,
    content: &'p [ContentPage],
    mut findings: Findings,
    links: Option<&mut LinkMemo>,
    plans: Option<&mut Option<PlanMemo>>,
    changes: bool,
) -> Checked<'p> {
    count(|runs| runs.checks += 1);
    let source_links = crate::check::links::source_links_remembering(project, content, links);
    // The links written as Markdown files are checked while the site is planned: the one
    // runs on every thread, the other mostly on one (hashing the sources for the plan's
    // key, resolving, planning), so on a few cores each takes what the other leaves.
    let (broken, (matrices, plan_key, mut plan, planned_anew)) = rayon::join(
        || crate::check::links::check_sources(project, content, &source_links),
        || {
            let matrices = crate::resolve::resolve(project);
            // The site is planned here, before the rules: which addresses the site will
            // have is judged from the plan (links to its pages, addresses claimed twice)
            // without rendering, so plain `check` finds what `build` would, and
            // `check.rules` applies to those findings too.
            let plan_key = plans
                .as_ref()
                .filter(|_| !changes)
                .map(|_| plan_key(project, content));
            let (plan, anew) = match plans.and_then(Option::take) {
                Some(memo) if Some(memo.key) == plan_key => (memo.plan, false),
                stale => {
                    // Freeing the last plan's tens of thousands of strings took as long
                    // as a tenth of a rebuild after a data edit; nothing waits for it.
                    if let Some(stale) = stale {
                        drop_aside(stale);
                    }
                    (crate::plan::SitePlan::new(project, content), true)
                }
            };
            (matrices, plan_key, plan, anew)
        },
    );
    findings.extend(broken);
    // Counted here, on the build's own thread (see `StageRuns`).
    if planned_anew {
        count(|runs| runs.plans += 1);
    }
    if changes {
        plan.plan_changes(project, content);
    }
    findings.extend(plan.address_findings.iter().cloned());
    let addresses = crate::check::links::SiteAddresses {
        files: plan.planned_files(project, &matrices),
        unplanned: &[crate::plan::urls::STATIC, crate::plan::urls::DIAGRAMS],
        content_paths: plan.content_paths(content),
        data_anchors: plan.data_anchors(project, &matrices),
    };
    findings.extend(crate::check::links::check_site_links(
        project,
        content,
        &source_links,
        &addresses,
    ));
    let reported_links = findings
        .diagnostics
        .iter()
        .filter(|d| d.rule == crate::diagnostic::RuleId::LinkBroken)
        .filter_map(|d| d.primary.as_ref().map(|l| l.span))
        .collect();
    crate::check::check(project, &matrices, &mut findings);
    Checked {
        project,
        content,
        matrices,
        findings,
        source_links,
        reported_links,
        plan,
        plan_key,
    }
}

/// Load and check, as `rasci check` and `export` run them: the project and its findings.
pub fn check_project(root: &Path) -> Result<(Project, Findings), LoadError> {
    let Loaded {
        project,
        content,
        findings,
    } = load(root)?;
    let findings = check(&project, &content, findings).findings;
    Ok((project, findings))
}

/// [`check_project`] on the editor's text of the files in `unsaved` and the disk's for
/// the rest, as the language server runs it after each edit. With `memo`, the parse of
/// unchanged data files and the front matter and Markdown links of unchanged pages are
/// taken from the previous check's.
#[cfg(feature = "lsp")]
pub fn check_unsaved(
    root: &Path,
    unsaved: &crate::load::files::Unsaved,
    memo: &mut Memo,
) -> Result<(Project, Vec<ContentPage>, Findings), LoadError> {
    let Loaded {
        project,
        content,
        findings,
    } = crate::load::load_remembering(
        root,
        Some(&mut memo.fronts),
        Some(&mut memo.data),
        // No watcher tells the language server which files changed on disk: every file
        // is read, so a save within the stamp's resolution is never missed.
        None,
        unsaved,
    )?;
    let findings =
        check_remembering(&project, &content, findings, Some(&mut memo.links), None).findings;
    Ok((project, content, findings))
}

/// A project loaded, checked and rendered. `site` is complete even when `findings` hold
/// errors; the caller decides not to write it.
#[cfg(feature = "site")]
pub struct Build {
    pub project: Project,
    pub findings: Findings,
    /// Shared with the [`Memo`] the build returns, never copied.
    pub site: Arc<Site>,
}

/// What a build keeps for the next build of the same project in the same process
/// (`serve` and the language server hold one): what the load and the check read of each
/// page and data file (see `FrontMemo`, `DataMemo`, `LinkMemo`) and what the render stage
/// made (see
/// `crate::render::memo::RenderMemo`).
#[derive(Default)]
#[cfg(feature = "site")]
pub struct Memo {
    fronts: FrontMemo,
    data: DataMemo,
    links: LinkMemo,
    texts: crate::load::files::TextMemo,
    plan: Option<PlanMemo>,
    render: Option<crate::render::memo::RenderMemo>,
    /// Rebuilds from this memo leave the search index to [`Memo::finish_search`].
    search_later: bool,
}

#[cfg(feature = "site")]
impl Memo {
    /// Rebuilds from this memo, and from the memos they leave, make the search index
    /// only when [`Memo::finish_search`] is called: a preview reloads its pages first.
    pub fn search_later(&mut self) {
        self.search_later = true;
    }

    /// Whether rebuilds from this memo leave the search index to
    /// [`Memo::finish_search`].
    #[cfg(test)]
    pub(crate) fn search_is_later(&self) -> bool {
        self.search_later
    }

    /// Says that a watcher reports every change of the project's input folders to
    /// [`Memo::forget_files`] from now on (including a lost track of them, as the folders
    /// themselves): the next loads take the pages it did not report from this memo
    /// without walking the content folder or reading their stamps.
    pub fn watched(&mut self) {
        self.texts.watched();
    }

    /// Forgets what the last load read of the files at `paths` (absolute, or folders
    /// holding them), which a watcher saw change: the next load reads them again whatever
    /// their stamps say.
    pub fn forget_files(&mut self, paths: &[std::path::PathBuf]) {
        self.texts.forget(paths);
    }

    /// How many pages' bytes the next load may take from this memo, unchanged on disk.
    pub fn remembered_texts(&self) -> usize {
        self.texts.len()
    }

    /// Whether the site of the rebuild that left this memo still holds the previous
    /// build's search index (see [`Memo::search_later`]).
    pub fn search_pending(&self) -> bool {
        self.render
            .as_ref()
            .is_some_and(|render| render.search_pending)
    }

    /// Makes the search index the rebuild that left this memo put off, and returns the
    /// site with it; `None` when it has nothing to make.
    pub fn finish_search(&mut self) -> Option<Arc<Site>> {
        self.render
            .as_mut()
            .and_then(crate::render::memo::RenderMemo::finish_search)
            .cloned()
    }

    /// How many pages the build that made this memo rendered (none when it stopped
    /// before rendering).
    pub fn rendered_pages(&self) -> usize {
        self.render.as_ref().map_or(0, |r| r.rendered_pages)
    }

    /// The site the build that made this memo rendered: the same one the build
    /// returned, not a copy.
    pub fn site(&self) -> Option<&Arc<Site>> {
        self.render
            .as_ref()
            .map(crate::render::memo::RenderMemo::site)
    }

    /// How many pages' front matter the next load may take from this memo.
    pub fn remembered_fronts(&self) -> usize {
        self.fronts.len()
    }

    /// How many data files' parse the next load may take from this memo.
    pub fn remembered_data(&self) -> usize {
        self.data.len()
    }

    /// How many pages' links the next check may take from this memo.
    pub fn remembered_links(&self) -> usize {
        self.links.len()
    }
}

/// Every stage but the write: load, check, render, check the links of the built site.
#[cfg(feature = "site")]
pub fn build(root: &Path) -> Result<Build, BuildError> {
    let root = root.to_path_buf();
    contained(move || build_here(&root))
}

/// Opens a published version: the project's files as git revision `rev` of the
/// repository around `root` holds them, in a folder that lives as long as the value
/// returned. The command line gives `diff`'s reading of revisions, which this stage may
/// not import (`diff` runs the pipeline).
#[cfg(feature = "site")]
pub type OpenRevision = fn(&Path, &str) -> Result<Box<dyn AsRef<Path> + Send>, String>;

/// Compares an older project with a newer one, each with the matrices its check
/// resolved, as `rasci diff --format json` does: the command line hands in `diff`'s
/// comparison, so the pages and the terminal say the same. It is given what the build
/// loaded and checked for the versions' own sites, so no version is read twice.
#[cfg(feature = "site")]
pub type CompareVersions =
    fn(&Project, &[Matrix<'_>], &Project, &[Matrix<'_>]) -> Result<serde_json::Value, String>;

/// [`build`], publishing beside the working tree each version that `versions:` of
/// `rasci.yaml` lists, under `v/<id>/`, read with `open`. Each version is read, loaded,
/// checked, planned and rendered once, as a site of its own, and compared with the
/// version before from what was loaded (`compare`), so N versions cost N builds; every page gets the version switcher, and an older version's pages the
/// banner naming the current one. Each version keeps its own search index, so search
/// stays within the version read; only the current version has a sitemap.
#[cfg(feature = "site")]
pub fn build_published(
    root: &Path,
    open: OpenRevision,
    compare: CompareVersions,
) -> Result<Build, BuildError> {
    let root = root.to_path_buf();
    contained(move || build_versions(&root, open, compare))
}

/// One published version while the site is built: its definition's id and name, the
/// folder its files were read into (kept until it is rendered), and what was loaded.
#[cfg(feature = "site")]
struct OldVersion {
    id: String,
    name: String,
    tree: Box<dyn AsRef<Path> + Send>,
    project: Project,
    content: Vec<ContentPage>,
    findings: Findings,
}

#[cfg(feature = "site")]
fn build_versions(
    root: &Path,
    open: OpenRevision,
    compare: CompareVersions,
) -> Result<Build, BuildError> {
    let Loaded {
        project,
        content,
        findings,
    } = load(root)?;
    if project.config.versions.is_empty() {
        let history = start_history(root, &project);
        let site = {
            let checked = check(&project, &content, findings);
            render(root, checked, None, history, false, &Default::default())?
        };
        return Ok(site.finish(project).0);
    }
    let fail = |id: &str, message: String| BuildError::Version {
        id: id.to_owned(),
        message,
    };
    let mut olds = Vec::new();
    for def in &project.config.versions {
        let id = def.id.as_str();
        let tree = open(root, &def.revision.value).map_err(|message| {
            fail(
                id,
                format!("cannot read revision `{}`: {message}", def.revision.value),
            )
        })?;
        let loaded = load((*tree).as_ref()).map_err(|error| {
            fail(
                id,
                format!("revision `{}` does not load: {error}", def.revision.value),
            )
        })?;
        olds.push(OldVersion {
            id: id.to_owned(),
            name: def.name.value.clone(),
            tree,
            project: loaded.project,
            content: loaded.content,
            findings: loaded.findings,
        });
    }
    let history = start_history(root, &project);
    let mut current = check(&project, &content, findings);
    // Every version but the oldest has a Changes page, whatever its own rasci.yaml
    // lists (the working tree's plan has it from `versions:`): planned before the
    // version's links are judged, so its pages may link it.
    let last = olds.len().saturating_sub(1);
    let mut checked_olds = Vec::new();
    for (index, old) in olds.iter().enumerate() {
        let checked = if index < last {
            check_version(&old.project, &old.content, old.findings.clone())
        } else {
            check(&old.project, &old.content, old.findings.clone())
        };
        let errors = checked.findings.errors();
        if errors > 0 {
            return Err(fail(
                &old.id,
                format!("its revision has {errors} error(s); run `rasci check` on it"),
            ));
        }
        checked_olds.push(checked);
    }
    // The current version is named by the project's agreement data when it has a
    // version label.
    let current_name = project
        .agreement
        .as_ref()
        .map_or("Current", |a| a.version.as_str())
        .to_owned();
    // What changed in each version since the one listed after it.
    let mut changes = Vec::new();
    for (index, (old, checked)) in olds.iter().zip(&checked_olds).enumerate() {
        let (newer, newer_matrices) = match index {
            0 => (&project, &current.matrices),
            _ => (&olds[index - 1].project, &checked_olds[index - 1].matrices),
        };
        let mut diff = compare(&old.project, &checked.matrices, newer, newer_matrices)
            .map_err(|message| fail(&old.id, format!("cannot be compared: {message}")))?;
        // The sides by the versions' names, not the temporary folders they were read into.
        diff["old"] = old.name.clone().into();
        diff["new"] = match index {
            0 => current_name.clone(),
            _ => olds[index - 1].name.clone(),
        }
        .into();
        changes.push(Some(diff));
    }
    changes.push(None);
    let mut changes = changes.into_iter();
    let mut list = vec![crate::plan::versions::PublishedVersion {
        name: current_name,
        prefix: String::new(),
        paths: current.plan.paths(),
        changes: changes.next().flatten(),
        effective: project
            .agreement
            .as_ref()
            .map(|a| a.effective.value.clone()),
    }];
    list.extend(
        olds.iter()
            .zip(&checked_olds)
            .zip(changes)
            .map(
                |((old, checked), changes)| crate::plan::versions::PublishedVersion {
                    name: old.name.clone(),
                    prefix: crate::plan::versions::prefix(&old.id),
                    paths: checked.plan.paths(),
                    changes,
                    // Set below from `versions:`, in the same order.
                    effective: None,
                },
            ),
    );
    for (version, def) in list.iter_mut().skip(1).zip(&project.config.versions) {
        version.effective = Some(def.effective.value.clone());
    }
    let feed = project.config.base_url.is_some();
    let versions = |this| crate::plan::versions::SiteVersions::new(list.clone(), this, feed);
    current.plan.versions = Some(versions(0));
    let mut rendered_olds = Vec::new();
    for (index, (old, mut checked)) in olds.iter().zip(checked_olds).enumerate() {
        checked.plan.versions = Some(versions(index + 1));
        let mut site = render(
            (*old.tree).as_ref(),
            checked,
            None,
            Pending::none(),
            false,
            &Default::default(),
        )?;
        site.keep_version_links(&versions(index + 1));
        rendered_olds.push(site);
    }
    let mut site = render(root, current, None, history, false, &Default::default())?;
    site.keep_version_links(&versions(0));
    let (mut build, _) = site.finish(project);
    let mut files = std::mem::take(&mut Arc::make_mut(&mut build.site).files);
    for (old, rendered) in olds.into_iter().zip(rendered_olds) {
        let (built, _) = rendered.finish(old.project);
        let errors = built.findings.errors();
        if errors > 0 {
            return Err(fail(&old.id, format!("its site has {errors} error(s)")));
        }
        let prefix = crate::plan::versions::prefix(&old.id);
        let site = Arc::unwrap_or_clone(built.site);
        for (path, bytes) in site.files {
            // Search engines and the host's 404 page belong to the current version.
            let own = path.starts_with("sitemap") || path == "robots.txt" || path == "404.html";
            if !own {
                files.insert(format!("{prefix}{path}"), bytes);
            }
        }
    }
    Arc::make_mut(&mut build.site).files = files;
    Ok(build)
}

/// Runs a build within the render budget (see [`crate::render::budget::contain_until`]): a
/// template that never ends is an error naming it, not a build that never returns.
#[cfg(feature = "site")]
fn contained<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BuildError> + Send + 'static,
) -> Result<T, BuildError> {
    contained_until(work, || false).unwrap_or_else(|| unreachable!("never replaced"))
}

/// [`contained`], or `None` as soon as `replaced` says a newer build takes its place.
#[cfg(feature = "site")]
fn contained_until<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BuildError> + Send + 'static,
    replaced: impl FnMut() -> bool,
) -> Option<Result<T, BuildError>> {
    // The stages ran on a thread of the build's pool; they count as this thread's. The
    // pool's threads run build after build, so only this build's runs are passed on.
    let counted = move || {
        let before = stage_runs();
        let result = work();
        (result, stage_runs().since(before))
    };
    match crate::render::budget::contain_until(counted, replaced) {
        Ok((result, ran)) => {
            count(|runs| {
                runs.checks += ran.checks;
                runs.renders += ran.renders;
                runs.plans += ran.plans;
            });
            Some(result)
        }
        Err(stopped) if stopped.reason == crate::render::budget::Reason::Cancelled => None,
        Err(stopped) => Some(Err(ThemeError::Template(stopped.to_string()).into())),
    }
}

#[cfg(feature = "site")]
fn build_here(root: &Path) -> Result<Build, BuildError> {
    let Loaded {
        project,
        content,
        findings,
    } = load(root)?;
    let history = start_history(root, &project);
    let site = {
        let checked = check(&project, &content, findings);
        render(root, checked, None, history, false, &Default::default())?
    };
    Ok(site.finish(project).0)
}

/// [`build`], reusing what `previous` loaded, checked and rendered where the inputs allow
/// (see [`Memo`]). The result is the same as a fresh build's, byte for byte.
#[cfg(feature = "site")]
pub fn build_reusing(root: &Path, previous: Option<Memo>) -> Result<(Build, Memo), BuildError> {
    let root = root.to_path_buf();
    let whole = Arc::default();
    match contained(move || build_from(&root, previous, Errors::Render, &whole))? {
        Rebuild::Built(built, memo) => Ok((built, memo)),
        // `Errors::Render` goes on to render whatever the check found.
        Rebuild::Stopped { .. } => unreachable!("a build that renders despite errors stopped"),
    }
}

/// Whether a build with errors after the check goes on to render.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg(feature = "site")]
enum Errors {
    /// `build`: the site is made, and the caller decides not to write it.
    Render,
    /// `serve`: the site would not be served, so the findings go out at once.
    Stop,
}

/// Starts reading the git history, which gives pages their dates, while the project is
/// checked and the site planned. Only the commands that build a site come here, so
/// `check` and `export` never run git for dates of pages (the OSCAL export alone reads the
/// day the data last changed); `last_updated: false` never does either.
#[cfg(feature = "site")]
fn start_history(root: &Path, project: &Project) -> Pending {
    if project.config.last_updated {
        crate::load::history::History::start(root)
    } else {
        Pending::none()
    }
}

/// What a rebuild of the preview came to.
#[cfg(feature = "site")]
pub enum Rebuild {
    /// The project has errors short of rendering: the site was not rendered, since it
    /// would not be served. `previous` is the memo for the next rebuild: the render
    /// memo given, with what this load and check read.
    Stopped {
        project: Project,
        findings: Findings,
        previous: Memo,
    },
    /// The project was rendered (its findings may still hold errors only a built site
    /// shows, such as broken links).
    Built(Build, Memo),
}

/// One rebuild of `serve`: load and check once; when that finds errors, stop (the check
/// takes milliseconds where rendering a large site takes seconds, so the findings are
/// shown at once); otherwise render from that same checked project, reusing `previous`.
#[cfg(feature = "site")]
pub fn rebuild(root: &Path, previous: Option<Memo>) -> Result<Rebuild, BuildError> {
    rebuild_until(root, previous, || false).unwrap_or_else(|| unreachable!("never replaced"))
}

/// [`rebuild`], given up (`None`) as soon as `replaced` says a newer one takes its place,
/// once the rebuild renders the whole site: a save made while the preview renders every
/// page is built at once, not after a slow rebuild.
///
/// A rebuild that renders on top of `previous` runs to its end whatever `replaced` says
/// (it is not asked): giving it up would drop the memo it took over, and the next
/// rebuild would load, check and render every page again, many times what finishing
/// this one costs.
#[cfg(feature = "site")]
pub(crate) fn rebuild_until(
    root: &Path,
    previous: Option<Memo>,
    mut replaced: impl FnMut() -> bool,
) -> Option<Result<Rebuild, BuildError>> {
    let root = root.to_path_buf();
    let whole = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let renders_whole = Arc::clone(&whole);
    contained_until(
        move || build_from(&root, previous, Errors::Stop, &renders_whole),
        move || whole.load(std::sync::atomic::Ordering::Relaxed) && replaced(),
    )
}

/// Load and check reusing what `previous` read, then render reusing what it rendered,
/// unless the check found errors and `errors` says to stop there. `whole` is set once
/// the build is known to render every page (see [`rebuild_until`]).
#[cfg(feature = "site")]
fn build_from(
    root: &Path,
    previous: Option<Memo>,
    errors: Errors,
    whole: &Arc<std::sync::atomic::AtomicBool>,
) -> Result<Rebuild, BuildError> {
    let Memo {
        mut fronts,
        mut data,
        mut links,
        mut texts,
        plan: mut plans,
        render: previous,
        search_later,
    } = previous.unwrap_or_default();
    let Loaded {
        project,
        content,
        findings,
    } = crate::load::load_remembering(
        root,
        Some(&mut fronts),
        Some(&mut data),
        Some(&mut texts),
        &Default::default(),
    )?;
    let history = start_history(root, &project);
    let mut site = {
        let checked = check_remembering(
            &project,
            &content,
            findings,
            Some(&mut links),
            Some(&mut plans),
        );
        if errors == Errors::Stop && checked.findings.errors() > 0 {
            let (findings, plan) = checked.into_findings_and_plan();
            return Ok(Rebuild::Stopped {
                project,
                findings,
                previous: Memo {
                    fronts,
                    data,
                    links,
                    texts,
                    plan,
                    render: previous,
                    search_later,
                },
            });
        }
        render(root, checked, previous, history, search_later, whole)?
    };
    let plan = site.plan.take();
    let (built, render) = site.finish(project);
    let memo = Memo {
        fronts,
        data,
        links,
        texts,
        plan,
        render: Some(render),
        search_later,
    };
    Ok(Rebuild::Built(built, memo))
}

/// A rendered site with what is needed to report its broken links, no longer borrowing
/// the project.
#[cfg(feature = "site")]
struct RenderedSite {
    findings: Findings,
    rendered: crate::render::Rendered,
    source_links: Vec<SourceLink>,
    reported_links: Vec<Span>,
    /// The plan, for the next check to take when nothing it was made from changed.
    plan: Option<PlanMemo>,
}

#[cfg(feature = "site")]
impl Checked<'_> {
    /// The findings, and the plan for the next check (see [`PlanMemo`]).
    fn into_findings_and_plan(self) -> (Findings, Option<PlanMemo>) {
        let plan = self.plan_key.map(|key| PlanMemo {
            key,
            plan: self.plan,
        });
        (self.findings, plan)
    }
}

/// The plan stage: every page of the site, its URL, navigation, breadcrumb and switcher
/// entries, as output-neutral data, made once per build. The check makes it (its
/// findings include the plan's: addresses claimed twice, links to pages the site will
/// not have) and keeps it for the render stage.
pub(crate) fn plan<'c>(checked: &'c Checked<'_>) -> &'c crate::plan::SitePlan {
    &checked.plan
}

/// The render stage of the pipeline: the theme the config names, then the site of the
/// checked project.
#[cfg(feature = "site")]
fn render(
    root: &Path,
    checked: Checked<'_>,
    previous: Option<crate::render::memo::RenderMemo>,
    history: Pending,
    search_later: bool,
    whole: &Arc<std::sync::atomic::AtomicBool>,
) -> Result<RenderedSite, BuildError> {
    if previous.is_none() {
        whole.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    // The theme is read and parsed while the rest of what the render memo's frame is
    // made from is hashed: both are a few milliseconds of one thread on every rebuild.
    let (theme, (history, frame)) = rayon::join(
        || crate::render::load_theme(root, checked.project),
        || {
            let history = history.finish();
            let frame = crate::render::memo::frame_hash(checked.project, checked.content, &history);
            (history, frame)
        },
    );
    let theme = theme?;
    let plan = plan(&checked);
    count(|runs| runs.renders += 1);
    let rendered = crate::render::render(
        checked.project,
        checked.content,
        &checked.matrices,
        plan,
        &theme,
        &crate::render::memo::Frame {
            history: &history,
            hash: frame,
        },
        previous.map(|mut memo| {
            memo.search_later = search_later;
            memo.renders_whole = Some(Arc::clone(whole));
            memo
        }),
    )?;
    let Checked {
        mut findings,
        source_links,
        reported_links,
        plan,
        plan_key,
        ..
    } = checked;
    findings.extend(rendered.memo.page_findings().cloned());
    Ok(RenderedSite {
        plan: plan_key.map(|key| PlanMemo { key, plan }),
        findings,
        rendered,
        source_links,
        reported_links,
    })
}

#[cfg(feature = "site")]
impl RenderedSite {
    /// Leaves out of the link check the links a template made to other versions' pages
    /// (the version switcher, the feed, a row's last change in an older version): those
    /// are not in this version's site, and each is a page the other version planned.
    fn keep_version_links(&mut self, versions: &crate::plan::versions::SiteVersions) {
        self.rendered.problems.retain(|problem| {
            problem.written.is_some()
                || !(versions.hrefs(&problem.page).contains(&problem.href)
                    || versions.leads_to_other_version(&problem.page, &problem.href))
        });
    }

    /// Reports the broken links of the built site (adding the built pages they are in to
    /// the project's sources, so the report can quote them) and sorts the findings.
    fn finish(self, mut project: Project) -> (Build, crate::render::memo::RenderMemo) {
        let RenderedSite {
            mut findings,
            rendered,
            source_links,
            reported_links,
            ..
        } = self;
        // A workbook over the format's limits is left out of the site and reported at the
        // data (`output/limit`); the theme's links to it are that finding, not another.
        let over_limits = findings
            .diagnostics
            .iter()
            .any(|d| d.rule == crate::diagnostic::RuleId::OutputLimit);
        let problems = rendered
            .problems
            .into_iter()
            .filter(|p| !(over_limits && p.written.is_none() && p.href.ends_with(".xlsx")))
            .collect();
        crate::render::links::report(
            &mut project,
            &mut findings,
            problems,
            &rendered.site,
            &source_links,
            &reported_links,
        );
        // The render's findings and the built site's links come after the check set the
        // severities of `check.rules`: they are set here too.
        crate::check::restyle(&project, &mut findings);
        findings.sort(&project.sources);
        let build = Build {
            project,
            findings,
            site: rendered.site,
        };
        (build, rendered.memo)
    }
}
