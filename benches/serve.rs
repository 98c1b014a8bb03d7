//! Benchmark: how long a writer waits between saving a file and the preview reloading.
//! Run with `cargo bench --bench serve`.
//!
//! For the example project and for a generated site of about 1,000 pages it prints
//! - the time of a full `pipeline::build` in this process (what every rebuild costs), and
//! - edit-to-reload: `rasci serve` (the release binary) runs on a free loopback port, the
//!   benchmark follows its event stream like an open page does, saves a file and times
//!   until the `reload` event arrives; once for a Markdown edit, once for a data edit;
//! - edit-to-overlay: the same for a data edit with an error, until the findings arrive;
//! - beside each edit-to-reload, the rebuild alone as the server logs it, and the load
//!   average when the edits start (the figures of a loaded machine are read beside it).
//!
//! `--keep DIR` writes the generated project there instead of a temporary folder;
//! `--guides N` generates N guides instead of 495 (each is two pages: `--guides 4995`
//! gives about 10,000 pages); `--pages N` times the site benchmark's project of N pages
//! instead (guides of 2-4 KB with code blocks in five languages, tables and links, as
//! documentation is written; the Markdown edit goes to one of its guides, the data edit to
//! a task's title); `--build-runs N` times N full builds instead of 5.

#[path = "../tests/suite/support.rs"]
mod common;
#[path = "common/pages.rs"]
mod pages;
use common::copy_dir;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Guides in the generated project by default; each is a page in both deployments of the
/// example, so with the example's own pages the site has 1,003 pages.
const GUIDES: usize = 495;
const BUILD_RUNS: usize = 5;
const EDIT_RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let keep = value_of("--keep");
    let number_of = |flag: &str, default: usize| {
        value_of(flag).map_or(default, |n| {
            n.parse()
                .unwrap_or_else(|_| panic!("{flag} takes a number, not {n:?}"))
        })
    };
    let guides = number_of("--guides", GUIDES);
    let build_runs = number_of("--build-runs", BUILD_RUNS);
    let example = tempfile::tempdir().expect("temporary folder");
    copy_example(example.path());
    let temp = tempfile::tempdir().expect("temporary folder");
    let generated = keep.map_or(temp.path(), |k| Path::new(k.as_str()));
    // The page saved and the line of `data/tasks.yaml` edited in each project.
    let example_edits = Edits {
        page: "content/reading-the-matrix.md".into(),
        task_title: "title: Providing Anywhere365 training".into(),
    };
    let generated_edits = match value_of("--pages") {
        Some(_) => {
            pages::generate(generated, number_of("--pages", 0));
            Edits {
                page: "content/guides/00042.md".into(),
                task_title: "title: Task 7 on the tenant and its ".into(),
            }
        }
        None => {
            copy_example(generated);
            generate(generated, guides);
            example_edits.clone()
        }
    };

    for (name, root, edits) in [
        ("example", example.path(), &example_edits),
        ("generated", generated, &generated_edits),
    ] {
        let pages = full_builds(name, root, build_runs);
        edit_to_reload(name, root, pages, edits);
    }
}

/// What the edits of a project change: a page saved with a line added, and the line of a
/// task's title in `data/tasks.yaml` (the data edit adds to that line, the broken edit
/// adds an unknown key after it).
#[derive(Clone)]
struct Edits {
    page: String,
    task_title: String,
}

impl Edits {
    /// `tasks` with the end of the task title's line replaced by what `edit` makes of it.
    fn at_title_line(&self, tasks: &str, edit: impl Fn(&str) -> String) -> String {
        let at = tasks
            .find(&self.task_title)
            .unwrap_or_else(|| panic!("no {:?} in data/tasks.yaml", self.task_title));
        let end = tasks[at..].find('\n').map_or(tasks.len(), |n| at + n);
        let line_start = tasks[..at].rfind('\n').map_or(0, |n| n + 1);
        format!(
            "{}{}{}",
            &tasks[..line_start],
            edit(&tasks[line_start..end]),
            &tasks[end..]
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "median {:.1} ms (min {:.1} ms, max {:.1} ms, {} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

fn full_builds(name: &str, root: &Path, runs: usize) -> usize {
    let mut pages = 0;
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let built = rasci::pipeline::build(root).expect("the project builds");
            let elapsed = start.elapsed();
            assert_eq!(built.findings.errors(), 0, "the project has no errors");
            pages = built.site.pages();
            elapsed
        })
        .collect();
    println!(
        "pipeline::build, {name} ({pages} pages): {}",
        summary(times)
    );
    pages
}

/// The server process; ended when the measurement is over, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn edit_to_reload(name: &str, root: &Path, pages: usize, edits: &Edits) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasci"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rasci serve");
    let rebuilds = rebuild_times(child.stderr.take().unwrap());
    println!(
        "load average at the start of {name}'s edits: {}",
        load_average()
    );
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the server prints its address");
    let _server = Server(child);
    let port: u16 = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:"))
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let mut events = Events::open(port);
    events.wait_for("findings");

    let page = root.join(&edits.page);
    let page_text = std::fs::read_to_string(&page).unwrap();
    let tasks = root.join("data/tasks.yaml");
    let tasks_text = std::fs::read_to_string(&tasks).unwrap();
    let markdown_edit = |text: &str, run: usize| format!("{text}\nEdit number {run}.\n");
    let data_edit =
        |text: &str, run: usize| edits.at_title_line(text, |line| format!("{line} ({run})"));
    for (what, path, original, edit) in [
        (
            "Markdown edit",
            &page,
            &page_text,
            &markdown_edit as &dyn Fn(&str, usize) -> String,
        ),
        ("data edit", &tasks, &tasks_text, &data_edit),
    ] {
        let mut rebuilt = Vec::new();
        let times = (0..EDIT_RUNS)
            .map(|run| {
                // Let the previous rebuild's events settle first.
                std::thread::sleep(Duration::from_millis(300));
                events.drain();
                while rebuilds.try_recv().is_ok() {}
                let start = Instant::now();
                std::fs::write(path, edit(original, run)).unwrap();
                events.wait_for("reload");
                let elapsed = start.elapsed();
                rebuilt.extend(rebuilds.recv_timeout(Duration::from_secs(5)).ok());
                elapsed
            })
            .collect();
        println!(
            "edit to reload, {what}, {name} ({pages} pages): {}",
            summary(times)
        );
        if !rebuilt.is_empty() {
            println!(
                "  the rebuild alone, as the server logs it: {}",
                summary(rebuilt)
            );
        }
        std::fs::write(path, original).unwrap();
        events.wait_for("reload");
    }
    let times = (0..EDIT_RUNS)
        .map(|run| {
            std::thread::sleep(Duration::from_millis(300));
            events.drain();
            let start = Instant::now();
            let broken = edits.at_title_line(&tasks_text, |line| {
                let indent = &line[..line.len() - line.trim_start().len()];
                format!("{line}\n{indent}colour{run}: red")
            });
            std::fs::write(&tasks, broken).unwrap();
            events.wait_for("findings");
            let elapsed = start.elapsed();
            std::fs::write(&tasks, &tasks_text).unwrap();
            events.wait_for("reload");
            elapsed
        })
        .collect();
    println!(
        "edit to findings overlay, broken data, {name} ({pages} pages): {}",
        summary(times)
    );
}

/// The times the server logs for its rebuilds (`rebuilt N pages in T ms`), read from its
/// standard error on a thread of their own so the server never waits on a full pipe.
fn rebuild_times(stderr: std::process::ChildStderr) -> std::sync::mpsc::Receiver<Duration> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let time = line
                .strip_prefix("rebuilt ")
                .and_then(|rest| rest.rsplit_once(" in "))
                .and_then(|(_, t)| t.strip_suffix(" ms"))
                .and_then(|t| t.parse::<u64>().ok());
            if let Some(time) = time
                && sender.send(Duration::from_millis(time)).is_err()
            {
                return;
            }
        }
    });
    receiver
}

/// The machine's load average over 1, 5 and 15 minutes, where the system tells it: the
/// figures of a loaded machine are read beside it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_string(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__rasci/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        Events {
            stream,
            seen: String::new(),
        }
    }

    fn wait_for(&mut self, kind: &str) {
        let marker = format!("event: {kind}\n");
        let deadline = Instant::now() + Duration::from_secs(60);
        self.stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        while !self.seen.contains(&marker) {
            assert!(
                Instant::now() < deadline,
                "no `{kind}` event within a minute"
            );
            self.read();
        }
        let at = self.seen.find(&marker).unwrap() + marker.len();
        self.seen.drain(..at);
    }

    /// Forgets what has arrived so far.
    fn drain(&mut self) {
        self.stream
            .set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        self.read();
        self.seen.clear();
    }

    fn read(&mut self) {
        let mut buffer = [0; 65536];
        match self.stream.read(&mut buffer) {
            Ok(0) => panic!("the event stream closed"),
            Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading the event stream: {e}"),
        }
    }
}

fn copy_example(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(repo.join("rasci.yaml"), to.join("rasci.yaml")).unwrap();
    for dir in ["data", "content", "themes"] {
        copy_dir(&repo.join(dir), &to.join(dir));
    }
}

/// Adds guides to the example: headings, a table, a list, a code block, a link to
/// another guide and a glossary-style paragraph, so every part of page rendering runs.
fn generate(root: &Path, guides: usize) {
    let dir = root.join("content/guides");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..guides {
        let next = (i + 1) % guides;
        let mut text = String::new();
        writeln!(
            text,
            "---\ntitle: Guide {i:03}\ndescription: Generated guide number {i}.\nweight: {}\n---\n",
            100 + i
        )
        .unwrap();
        writeln!(text, "# Guide {i:03}\n").unwrap();
        writeln!(
            text,
            "This guide explains step {i} of operational support. Read [the next guide]({next:03}.md) \
             and [how to read the matrix](../reading-the-matrix.md) too.\n"
        )
        .unwrap();
        writeln!(
            text,
            "## Steps\n\n1. Open a case.\n2. Describe the problem.\n3. Follow up.\n"
        )
        .unwrap();
        writeln!(
            text,
            "| Party | Does |\n|---|---|\n| Customer | first line |\n| Anywhere365 | second line |\n"
        )
        .unwrap();
        writeln!(text, "```yaml\nguide: {i}\nsteps: 3\n```\n").unwrap();
        std::fs::write(dir.join(format!("{i:03}.md")), text).unwrap();
    }
}
