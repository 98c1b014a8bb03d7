//! The project's git history: for each file under `data/` and `content/`, the date of the
//! last commit that changed it. Pages show it as the day they last changed, and the
//! sitemap as `<lastmod>`.
//!
//! The history is read with one `git log` for the whole project, never one process per
//! file, and only when a site is built or an OSCAL export dated (`check` and the other
//! exports never run git). Dates are
//! commit dates, never file times, so the same checkout always builds the same site. A
//! project that is no git checkout, a file git does not track, or a machine without `git`
//! simply have no dates: nothing about that is a finding.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The folders whose files pages are built from; the history is read for them alone.
const READ_FOR: &[&str] = &["data", "content"];

/// Variables of the environment that make git read another repository than the one
/// around the folder it runs in, or read it differently: those `git rev-parse
/// --local-env-vars` lists, and the ones that change how the repository is found or
/// configured. Every `GIT_CONFIG…` variable goes too (see `git`).
pub const REPOSITORY_VARIABLES: &[&str] = &[
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CEILING_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_DIR",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_NAMESPACE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
    "GIT_WORK_TREE",
];

/// A `git` command run in `dir`, the only way rasci starts git. A build or diff run from
/// a git hook, or in CI with a hostile environment, inherits variables that name another
/// repository, index or object store; they are all removed, so git reads the repository
/// around `dir` and nothing else.
pub(crate) fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir);
    for variable in REPOSITORY_VARIABLES {
        command.env_remove(variable);
    }
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GIT_CONFIG") {
            command.env_remove(name);
        }
    }
    command
}

/// A `git log` started by [`History::start`]; dropped unfinished (a rebuild that stops
/// at the check), the process is ended and waited for.
#[derive(Debug)]
pub(crate) struct Pending(Option<Child>);

impl Pending {
    /// No history to wait for: a project that shows no dates.
    pub(crate) fn none() -> Pending {
        Pending(None)
    }

    /// Waits for git and reads what it printed; any failure gives the empty history.
    pub(crate) fn finish(mut self) -> History {
        match self.0.take().map(Child::wait_with_output) {
            Some(Ok(output)) if output.status.success() => History::parse(&output.stdout),
            _ => History::empty(),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// When each file last changed, by its path from the project root with `/` separators
/// (the path findings show, and [`crate::source::Sources::path`] holds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct History {
    /// Path → `YYYY-MM-DD`, the committer's date of the newest commit that changed it.
    dates: BTreeMap<String, String>,
}

impl History {
    /// No dates at all: what a project without git history has.
    pub(crate) fn empty() -> History {
        History::default()
    }

    /// Starts reading the history of the project at `root`, from one `git log`, and
    /// returns at once, so the build goes on while git reads: starting git costs a small
    /// project's build about a third of its time. [`Pending::finish`] gives the history;
    /// any failure (no `git`, no repository, a repository without commits) gives the
    /// empty history.
    pub(crate) fn start(root: &Path) -> Pending {
        let mut command = git(root);
        command
            .args([
                "log",
                // The commit's date, in the time zone it was made in: the same for
                // everyone who builds the checkout, whatever their own zone.
                "--format=%x01%cs",
                "--name-only",
                // Paths relative to the project root, and only files inside it.
                "--relative",
                // Paths as they are, separated by NUL: no quoting of unusual names.
                "-z",
                // A renamed file is a file changed on the day of the rename.
                "--no-renames",
                "--no-show-signature",
                "--",
            ])
            .args(READ_FOR)
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        command.stdout(Stdio::piped());
        Pending(command.spawn().ok())
    }

    /// Reads the output of the `git log` of [`History::start`]: for each commit, `\x01`, its
    /// date, NUL, then a line break and the paths it changed, each ended by NUL. Commits
    /// come newest first, but a date is kept only when it is later than the one held, so
    /// the order of commits does not matter. Paths that are not UTF-8 and dates that are
    /// not `YYYY-MM-DD` are skipped.
    pub(crate) fn parse(output: &[u8]) -> History {
        let mut dates: BTreeMap<String, String> = BTreeMap::new();
        let mut current: Option<&str> = None;
        for field in output.split(|&b| b == 0) {
            if let Some(date) = field.strip_prefix(b"\x01") {
                current = std::str::from_utf8(date).ok().filter(|d| is_date(d));
                continue;
            }
            let field = field.strip_prefix(b"\n").unwrap_or(field);
            let (Some(date), Ok(path)) = (current, std::str::from_utf8(field)) else {
                continue;
            };
            if path.is_empty() {
                continue;
            }
            match dates.get_mut(path) {
                Some(held) if held.as_str() >= date => {}
                Some(held) => *held = date.to_string(),
                None => {
                    dates.insert(path.to_string(), date.to_string());
                }
            }
        }
        History { dates }
    }

    /// The day `path` last changed, if git knows it.
    pub(crate) fn date(&self, path: &str) -> Option<&str> {
        self.dates.get(path).map(String::as_str)
    }
}

/// Whether `text` is a calendar date written `YYYY-MM-DD`: four digits, a month from 01
/// to 12 and a day that month has (29 February in leap years only).
pub(crate) fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
    {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> u32 {
        text[range].parse().expect("the digits were checked")
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::{History, is_date};

    #[test]
    fn the_newest_date_of_each_path_is_kept() {
        let log =
            b"\x012024-03-04\0\ndata/a.yaml\0\x012024-01-02\0\ndata/a.yaml\0data/\xc3\xbc b.yaml\0";
        let history = History::parse(log);
        assert_eq!(history.date("data/a.yaml"), Some("2024-03-04"));
        assert_eq!(history.date("data/ü b.yaml"), Some("2024-01-02"));
        assert_eq!(history.date("data/missing.yaml"), None);
        // Oldest first gives the same dates.
        let reversed = b"\x012024-01-02\0\ndata/a.yaml\0\x012024-03-04\0\ndata/a.yaml\0";
        assert_eq!(
            History::parse(reversed).date("data/a.yaml"),
            Some("2024-03-04")
        );
    }

    #[test]
    fn output_that_is_not_a_log_gives_no_dates() {
        for junk in [
            &b""[..],
            b"data/a.yaml\0",
            b"\x01yesterday\0\ndata/a.yaml\0",
            b"\x012024-13-01\0\ndata/a.yaml\0",
            b"\x012024-01-02\0\n\xff\xfe\0",
        ] {
            assert!(History::parse(junk).dates.is_empty(), "{junk:?}");
        }
    }

    #[test]
    fn dates_are_days_of_the_calendar() {
        for good in ["2024-02-29", "2000-02-29", "1999-12-31", "2026-01-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-00-10",
            "2024-01-00",
            "2024-1-05",
            "24-01-05",
            "2024/01/05",
            "2024-01-05T00:00",
            "２０２４-01-05",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
