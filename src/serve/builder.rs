//! The rebuilds of the preview: each one runs the pipeline, prints its findings on the
//! terminal and hands the site or the findings to the [`State`] the pages read.

use super::reload;
use super::state::{Event, State};
use crate::diagnostic::Findings;
use crate::pipeline::Rebuild;
use crate::report::{self, Format};
use crate::source::Sources;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs rebuilds and reports them on the terminal.
pub(crate) struct Builder {
    root: PathBuf,
    color: bool,
    /// The last findings printed, so an unchanged set of warnings is not repeated on every
    /// save.
    last_report: String,
    /// What the last build rendered, so that a save which only changes the text of some
    /// Markdown pages re-renders just those pages.
    memo: Option<crate::pipeline::Memo>,
}

impl Builder {
    pub(super) fn new(root: &Path) -> Self {
        use std::io::IsTerminal;
        Builder {
            root: root.to_path_buf(),
            color: std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            last_report: String::new(),
            memo: None,
        }
    }

    /// Keeps the first build's memo and prints its findings, as a rebuild does.
    pub(super) fn first_build(
        &mut self,
        memo: crate::pipeline::Memo,
        findings: &Findings,
        sources: &Sources,
    ) {
        let mut memo = memo;
        memo.search_later();
        memo.watched();
        self.memo = Some(memo);
        self.print_findings(findings, sources);
    }

    /// Makes the next rebuild read the files at `changed` (relative to the root) again,
    /// whatever their stamps say: the watcher saw them change.
    pub(super) fn forget(&mut self, changed: &[PathBuf]) {
        if let Some(memo) = &mut self.memo {
            let paths: Vec<PathBuf> = changed.iter().map(|path| self.root.join(path)).collect();
            memo.forget_files(&paths);
        }
    }

    fn print_findings(&mut self, findings: &Findings, sources: &Sources) {
        let text = if findings.diagnostics.is_empty() {
            String::new()
        } else {
            report::render(Format::Human, findings, sources, self.color)
        };
        if text != self.last_report || findings.errors() > 0 {
            eprint!("{text}");
        }
        self.last_report = text;
    }

    /// Rebuilds; serves the new site when it has no errors, else keeps the old one and
    /// shows the findings on every open page.
    ///
    /// [`crate::pipeline::rebuild`] checks the project once and renders from that check
    /// only when it found no errors: with data errors the site would not be served anyway,
    /// so the findings go out at once. Findings only rendering can make (broken links)
    /// follow once the data is clean.
    ///
    /// `replaced` is asked now and then, once the rebuild renders every page, whether a
    /// newer save takes its place: then it is given up at once, and nothing is reported.
    /// A rebuild on top of the last one is never given up (see
    /// [`crate::pipeline::rebuild_until`]).
    pub(super) fn rebuild(&mut self, state: &State, replaced: impl FnMut() -> bool) {
        let started = Instant::now();
        state.send(Event::Building);
        // A rebuild given up for a newer save (see `rebuild_until`) took the memo with it:
        // the next one starts from nothing, and still makes the search index after the
        // reload.
        let previous = self.memo.take().unwrap_or_else(|| {
            let mut memo = crate::pipeline::Memo::default();
            memo.search_later();
            memo.watched();
            memo
        });
        let rebuilt = match guarded(|| {
            crate::pipeline::rebuild_until(&self.root, Some(previous), replaced)
        }) {
            Ok(None) => return,
            Ok(Some(Ok(rebuilt))) => rebuilt,
            Ok(Some(Err(error))) => return self.report_failure(state, &error.to_string()),
            Err(message) => return self.report_failure(state, &message),
        };
        let (built, memo) = match rebuilt {
            Rebuild::Stopped {
                project,
                findings,
                previous,
            } => {
                self.memo = Some(previous);
                self.print_findings(&findings, &project.sources);
                eprintln!("not reloading: the last good site is still served");
                state.set_findings(reload::findings_json(&findings, &project.sources));
                return;
            }
            Rebuild::Built(built, memo) => (built, memo),
        };
        self.memo = Some(memo);
        self.print_findings(&built.findings, &built.project.sources);
        let json = reload::findings_json(&built.findings, &built.project.sources);
        if built.findings.errors() > 0 {
            eprintln!("not reloading: the last good site is still served");
            state.set_findings(json);
            return;
        }
        let pages = built.site.pages();
        // The pages reload before the search index is made; a request for the index waits
        // until it is (see `State::search_index_ready`).
        let search_later = self
            .memo
            .as_ref()
            .is_some_and(crate::pipeline::Memo::search_pending);
        if search_later {
            state.set_search_pending(true);
        }
        state.set_site(built.site);
        state.set_findings(json);
        state.send(Event::Reload);
        eprintln!(
            "rebuilt {pages} pages in {} ms",
            started.elapsed().as_millis()
        );
        if search_later {
            // Guarded like the rebuild: a search request must never wait for an index
            // that a bug stopped. The memo is then given up, and the next save rebuilds
            // the whole site.
            let memo = &mut self.memo;
            match guarded(|| memo.as_mut().and_then(crate::pipeline::Memo::finish_search)) {
                Ok(Some(site)) => state.patch_site(site),
                Ok(None) => {}
                Err(message) => {
                    eprintln!("error: {message}");
                    self.memo = None;
                }
            }
            state.set_search_pending(false);
        }
    }

    /// The build could not run at all (the config is gone, a template does not parse).
    fn report_failure(&mut self, state: &State, message: &str) {
        eprintln!("error: {message}");
        eprintln!("not reloading: the last good site is still served");
        self.last_report.clear();
        state.set_findings(reload::error_json(message));
    }
}

/// Runs one stage of a rebuild, turning a panic into an error message: a bug met on some
/// input must not stop the preview, which keeps serving the last good site and recovers
/// on the next save.
fn guarded<T>(stage: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(stage)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("rasci failed while rebuilding (a bug; please report it): {detail}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example project (the repository's own) in a folder of its own.
    fn example() -> tempfile::TempDir {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repository.join("rasci.yaml"), dir.path().join("rasci.yaml")).unwrap();
        for folder in ["data", "content", "themes"] {
            for entry in walkdir::WalkDir::new(repository.join(folder)) {
                let entry = entry.unwrap();
                let to = dir
                    .path()
                    .join(entry.path().strip_prefix(repository).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(entry.path(), &to).unwrap();
                }
            }
        }
        dir
    }

    fn started(root: &Path) -> (Builder, State) {
        let (built, memo) = crate::pipeline::build_reusing(root, None).unwrap();
        let mut builder = Builder::new(root);
        builder.first_build(memo, &built.findings, &built.project.sources);
        let state = State::new(built.site, std::sync::Arc::from("[]"));
        (builder, state)
    }

    /// Saves a page and tells the builder, as the watcher does.
    fn edit(builder: &mut Builder, run: usize) {
        let relative = Path::new("content/reading-the-matrix.md");
        let page = builder.root.join(relative);
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\nEdit number {run}.\n")).unwrap();
        builder.forget(&[relative.to_path_buf()]);
    }

    #[test]
    fn a_newer_save_does_not_take_the_place_of_a_rebuild_on_the_last_one() {
        let dir = example();
        let (mut builder, state) = started(dir.path());
        let all = builder.memo.as_ref().unwrap().rendered_pages();
        edit(&mut builder, 1);
        let mut asked = 0;
        builder.rebuild(&state, || {
            asked += 1;
            true
        });
        assert_eq!(
            asked, 0,
            "a rebuild on the last one was offered to a newer save"
        );
        let memo = builder.memo.as_ref().expect("the rebuild's memo is kept");
        assert!(
            (1..all).contains(&memo.rendered_pages()),
            "{} of {all}",
            memo.rendered_pages()
        );
        // The next save still renders only its page.
        edit(&mut builder, 2);
        builder.rebuild(&state, || true);
        let memo = builder.memo.as_ref().unwrap();
        assert!(
            (1..all).contains(&memo.rendered_pages()),
            "{} of {all}",
            memo.rendered_pages()
        );
    }

    #[test]
    fn a_rebuild_after_one_given_up_still_makes_the_search_index_after_the_reload() {
        let dir = example();
        let (mut builder, state) = started(dir.path());
        // A whole rebuild (nothing to build on) is given up for a newer save.
        builder.memo = None;
        let mut asked = false;
        builder.rebuild(&state, || {
            asked = true;
            true
        });
        if asked {
            assert!(builder.memo.is_none(), "a rebuild given up left a memo");
        }
        builder.rebuild(&state, || false);
        edit(&mut builder, 1);
        builder.rebuild(&state, || false);
        let memo = builder.memo.as_ref().unwrap();
        assert!(memo.rendered_pages() > 0);
        assert!(
            memo.search_is_later(),
            "the index is made before the reload again"
        );
        // ... and it was made: the site served has it.
        assert!(!memo.search_pending(), "the index was never made");
        let (site, _) = state.site();
        assert!(
            site.files
                .keys()
                .any(|path| crate::plan::urls::is_search_index(path))
        );
    }

    #[test]
    fn a_panic_in_a_rebuild_becomes_a_message() {
        assert_eq!(guarded(|| 7), Ok(7));
        let message = guarded(|| -> u8 { panic!("boom at {}", 3) }).unwrap_err();
        assert!(message.ends_with("boom at 3"), "{message}");
    }
}
