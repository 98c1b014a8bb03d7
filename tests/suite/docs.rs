//! The documentation under `docs/`: the pages generated from the code, the example
//! commands, and the links between the Markdown files.
//!
//! `docs/rules.md` is generated from the rule registry, the prose next to each rule's
//! fixtures (`tests/fixtures/rules/<id>/README.md`, the introduction in
//! `tests/fixtures/rules/README.md`) and what `rasci check` prints for each `bad` fixture;
//! the flag tables of `docs/commands.md` are generated from the command-line definitions.
//! A committed page that differs from what the code says fails here, so the reference
//! cannot drift from the program; `RASCI_UPDATE_DOCS=1` rewrites the pages instead.

use crate::support;
use clap::CommandFactory;
use rasci::diagnostic::RuleId;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The command that rewrites the generated pages, named in every staleness message.
const UPDATE: &str = "RASCI_UPDATE_DOCS=1 cargo test --test suite docs::";

/// A fixture file larger than this is described, not shown: the limit fixtures hold
/// tens of kilobytes of one repeated line.
const SHOWN_FILE_BYTES: usize = 2_000;

/// At most this many lines of `rasci check` output are shown per rule, each cut at
/// `SHOWN_LINE_CHARS` characters.
const SHOWN_OUTPUT_LINES: usize = 40;
const SHOWN_LINE_CHARS: usize = 160;

/// The README's budget: a newcomer reads it in a few minutes; the reference is in `docs/`.
const README_MAX_BYTES: usize = 15 * 1024;

fn repo() -> &'static Path {
    support::repo()
}

/// Compares a generated page with the committed one, or writes it when asked to.
fn compare_or_update(relative: &str, generated: &str) {
    let path = repo().join(relative);
    if std::env::var_os("RASCI_UPDATE_DOCS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{relative} is stale (it first differs at line {line}); regenerate it with `{UPDATE}` \
             and commit the result"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The rules page

/// Rules whose `bad` twin is written by `tests/suite/rules.rs`, not committed.
const GENERATED_BAD: &[RuleId] = &[RuleId::FileEncoding, RuleId::FileMissing];

/// Rules found only when the pages are rendered: their fixture is run with `--site`.
const SITE_ONLY: &[RuleId] = &[RuleId::ContentUnsafeHtml, RuleId::ContentUnsafeUrl];

/// GitHub's anchor of a rule's heading: the id without its `/`.
fn rule_anchor(rule: RuleId) -> String {
    rule.as_str().replace('/', "")
}

fn read_prose(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{} cannot be read ({e}): every rule of the registry has its prose there",
            path.display()
        )
    })
}

fn rule_table() -> String {
    let mut table =
        String::from("| Rule | Default | Configurable | Meaning |\n|---|---|---|---|\n");
    for rule in RuleId::ALL {
        writeln!(
            table,
            "| [`{id}`](#{anchor}) | {severity} | {configurable} | {summary} |",
            id = rule.as_str(),
            anchor = rule_anchor(*rule),
            severity = rule.default_severity().as_str(),
            configurable = if rule.configurable() { "yes" } else { "no" },
            summary = rule.summary(),
        )
        .unwrap();
    }
    table
}

/// The fence language of a fixture file, by its extension.
fn fence_language(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => "yaml",
        Some("md") => "markdown",
        Some("html") => "html",
        _ => "text",
    }
}

/// The files of a `bad` fixture, each shown (or described) under its path.
fn fixture_files(rule: RuleId, bad: &Path) -> String {
    let mut out = String::new();
    let mut entries: Vec<_> = walkdir::WalkDir::new(bad)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir() && e.file_name() != ".gitkeep")
        .collect();
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    if entries.is_empty() {
        out.push_str("The fixture is the base project unchanged but for its configuration.\n\n");
    }
    for entry in entries {
        let relative = rasci::load::files::relative(bad, entry.path());
        let shown = format!("tests/fixtures/rules/{}/bad/{relative}", rule.as_str());
        if entry.path_is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap();
            writeln!(
                out,
                "`{shown}` is a symbolic link to `{}`.\n",
                target.display()
            )
            .unwrap();
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        match String::from_utf8(bytes) {
            Ok(text) if text.len() <= SHOWN_FILE_BYTES && !text.contains("```") => {
                let language = fence_language(entry.path());
                writeln!(
                    out,
                    "`{shown}`:\n\n```{language}\n{}```\n",
                    ensure_newline(&text)
                )
                .unwrap();
            }
            Ok(text) => writeln!(
                out,
                "`{shown}`: {} bytes, {} lines (not shown).\n",
                text.len(),
                text.lines().count()
            )
            .unwrap(),
            Err(e) => writeln!(
                out,
                "`{shown}`: {} bytes that are not UTF-8 (not shown).\n",
                e.as_bytes().len()
            )
            .unwrap(),
        }
    }
    out
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// What `rasci check` prints for a project, as the reader would type it in its root.
fn live_check(root: &Path, site: bool) -> (String, String) {
    let mut command = support::rasci();
    command.current_dir(root).arg("check");
    if site {
        command.arg("--site");
    }
    let output = command.output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    // A message may name where a link leads; the page names no folder of this machine.
    for (path, shown) in [(root, "<project>"), (repo(), "<repository>")] {
        text = text.replace(&path.display().to_string(), shown);
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut shown = String::new();
    for line in lines.iter().take(SHOWN_OUTPUT_LINES) {
        if line.chars().count() > SHOWN_LINE_CHARS {
            let cut: String = line.chars().take(SHOWN_LINE_CHARS).collect();
            writeln!(shown, "{cut}…").unwrap();
        } else {
            writeln!(shown, "{line}").unwrap();
        }
    }
    if lines.len() > SHOWN_OUTPUT_LINES {
        writeln!(shown, "… ({} more lines)", lines.len() - SHOWN_OUTPUT_LINES).unwrap();
    }
    let code = output
        .status
        .code()
        .map_or("a signal".into(), |c| c.to_string());
    (shown, code)
}

fn rule_section(rule: RuleId) -> String {
    let id = rule.as_str();
    let folder = support::rule_fixtures().join(id);
    let mut out = format!("## `{id}`\n\n");
    writeln!(
        out,
        "Default: **{}**. Configurable in `check.rules`: {}.\n",
        rule.default_severity().as_str(),
        if rule.configurable() { "yes" } else { "no" }
    )
    .unwrap();
    out.push_str(read_prose(&folder.join("README.md")).trim_end());
    out.push_str("\n\n");
    let bad = folder.join("bad");
    if GENERATED_BAD.contains(&rule) {
        out.push_str(
            "Its `bad` fixture is written by `tests/suite/rules.rs` (bytes that are not text, \
             or a file that is not there), so it is not shown here.\n\n",
        );
    } else if bad.is_dir() {
        let site = SITE_ONLY.contains(&rule);
        let command = if site {
            "rasci check --site"
        } else {
            "rasci check"
        };
        let project = support::rule_fixture(id, "bad");
        let (printed, code) = live_check(project.root(), site);
        assert!(
            !printed.contains("```"),
            "the output for {id} holds a code fence"
        );
        writeln!(
            out,
            "<details>\n<summary>The <code>bad</code> fixture and what <code>{command}</code> \
             prints for it</summary>\n"
        )
        .unwrap();
        out.push_str(&fixture_files(rule, &bad));
        writeln!(
            out,
            "```text\n$ {command}\n{printed}```\n\nExit code: {code}.\n\n</details>\n"
        )
        .unwrap();
    } else {
        out.push_str(
            "Its findings concern single pages, which the site tests write inline: it has no \
             fixture folder.\n\n",
        );
    }
    out
}

fn rules_page() -> String {
    let rules = support::rule_fixtures();
    let intro = read_prose(&rules.join("README.md"));
    let marker = "<!-- the rule table, generated from the registry -->";
    assert!(
        intro.contains(marker),
        "tests/fixtures/rules/README.md marks where the rule table goes with {marker}"
    );
    let mut page = format!(
        "<!-- Generated by `{UPDATE}` from src/diagnostic/rule.rs, tests/fixtures/rules/README.md \
         and each rule's README.md and bad fixture under tests/fixtures/rules/. Edit those, not \
         this file. -->\n\n# Rules\n\n"
    );
    page.push_str(
        intro
            .trim_end()
            .replace(marker, rule_table().trim_end())
            .as_str(),
    );
    page.push_str("\n\n");
    for rule in RuleId::ALL {
        page.push_str(&rule_section(*rule));
        page.push('\n');
    }
    format!("{}\n", page.trim_end())
}

#[test]
fn the_rules_page_is_generated_from_the_registry_and_the_fixtures() {
    compare_or_update("docs/rules.md", &rules_page());
}

#[test]
fn every_rule_prose_file_names_a_registered_rule() {
    let root = support::rule_fixtures();
    let registered: BTreeSet<String> = RuleId::ALL.iter().map(|r| r.as_str().into()).collect();
    let mut prose = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&root).min_depth(3).max_depth(3) {
        let entry = entry.unwrap();
        if entry.file_name() == "README.md" {
            prose.insert(rasci::load::files::relative(
                &root,
                entry.path().parent().unwrap(),
            ));
        }
    }
    assert_eq!(
        prose, registered,
        "the rule prose files tests/fixtures/rules/<id>/README.md differ from the registry"
    );
}

// ---------------------------------------------------------------------------------------
// The flag tables of the commands page

const FLAGS_OPEN: &str = "<!-- flags: ";
const FLAGS_CLOSE: &str = "<!-- /flags -->";

fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The table of one subcommand's arguments, from its clap definition.
fn flag_table(command: &clap::Command) -> String {
    let mut table = String::from("| Argument | Value | Default | Meaning |\n|---|---|---|---|\n");
    let mut rows = 0;
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values())
            && !matches!(
                arg.get_action(),
                clap::ArgAction::SetTrue | clap::ArgAction::SetFalse | clap::ArgAction::Count
            );
        let value_name = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(|| id.to_uppercase(), ToString::to_string);
        let name = match arg.get_long() {
            Some(long) => format!("`--{long}`"),
            None => format!("`<{value_name}>`"),
        };
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        let value = if !takes_value {
            "—".to_string()
        } else if !possible.is_empty() {
            possible.join(", ")
        } else {
            format!("`{value_name}`")
        };
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| format!("`{}`", v.to_string_lossy()))
            .collect();
        let default = if !defaults.is_empty() {
            defaults.join(", ")
        } else if !takes_value {
            "off".to_string()
        } else if arg.is_required_set() {
            "required".to_string()
        } else {
            "—".to_string()
        };
        let help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        writeln!(table, "| {name} | {value} | {default} | {} |", cell(&help)).unwrap();
        rows += 1;
    }
    if rows == 0 {
        return format!("`rasci {}` takes no arguments.\n", command.get_name());
    }
    table
}

/// One line per subcommand, as `rasci NAME [--flag <VALUE>]…`, from the definitions.
fn synopsis(cli: &clap::Command) -> String {
    let mut out = String::from("```text\n");
    for command in cli.get_subcommands() {
        let mut line = format!("rasci {}", command.get_name());
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let flag = !matches!(
                arg.get_action(),
                clap::ArgAction::Set | clap::ArgAction::Append
            );
            let possible: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            let value = if possible.is_empty() {
                format!("<{}>", id.to_uppercase())
            } else {
                possible.join("|")
            };
            let word = match (arg.get_long(), flag) {
                (Some(long), true) => format!("--{long}"),
                (Some(long), false) => format!("--{long} {value}"),
                (None, _) => value,
            };
            if arg.is_required_set() {
                write!(line, " {word}").unwrap();
            } else {
                write!(line, " [{word}]").unwrap();
            }
        }
        line.push('\n');
        out.push_str(&line);
    }
    out.push_str("```\n");
    out
}

const SYNOPSIS_OPEN: &str = "<!-- synopsis -->\n";
const SYNOPSIS_CLOSE: &str = "<!-- /synopsis -->";

/// `docs/commands.md` with the synopsis and every `<!-- flags: NAME -->` block refilled
/// from the definition of `rasci` and `rasci NAME`.
fn commands_page() -> String {
    let path = repo().join("docs/commands.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let cli = rasci::cli::Cli::command();
    let start = text
        .find(SYNOPSIS_OPEN)
        .expect("docs/commands.md marks its synopsis with <!-- synopsis -->")
        + SYNOPSIS_OPEN.len();
    let end = start
        + text[start..]
            .find(SYNOPSIS_CLOSE)
            .expect("the synopsis of docs/commands.md ends with <!-- /synopsis -->");
    let text = format!("{}{}{}", &text[..start], synopsis(&cli), &text[end..]);
    let commands: BTreeMap<String, &clap::Command> = cli
        .get_subcommands()
        .map(|c| (c.get_name().to_string(), c))
        .collect();
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut seen = BTreeSet::new();
    while let Some(start) = rest.find(FLAGS_OPEN) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let name_end = from.find(" -->").expect("a flags marker ends with -->");
        let name = &from[FLAGS_OPEN.len()..name_end];
        let command = commands.get(name).unwrap_or_else(|| {
            panic!("docs/commands.md has flags of `rasci {name}`, which does not exist")
        });
        assert!(
            seen.insert(name.to_string()),
            "two flag tables of `rasci {name}`"
        );
        let close = from.find(FLAGS_CLOSE).unwrap_or_else(|| {
            panic!("the flags of `rasci {name}` are not closed by {FLAGS_CLOSE}")
        });
        write!(
            out,
            "{FLAGS_OPEN}{name} -->\n{}{FLAGS_CLOSE}",
            flag_table(command)
        )
        .unwrap();
        rest = &from[close + FLAGS_CLOSE.len()..];
    }
    out.push_str(rest);
    let missing: Vec<&String> = commands.keys().filter(|c| !seen.contains(*c)).collect();
    assert!(
        missing.is_empty(),
        "docs/commands.md has no flag table (`{FLAGS_OPEN}NAME -->`) for {missing:?}"
    );
    out
}

#[test]
fn the_flag_tables_are_generated_from_the_command_line_definitions() {
    compare_or_update("docs/commands.md", &commands_page());
}

// ---------------------------------------------------------------------------------------
// Example commands

/// One fenced `sh` block of a page, with the instruction written just above it.
struct Example {
    page: String,
    line: usize,
    script: String,
    directive: Option<String>,
}

const DIRECTIVE: &str = "<!-- docs-test: ";

/// Far beyond what any example takes; only a block that never ends reaches it.
const EXAMPLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

fn markdown_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

fn examples(page: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(page).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("```") {
            let fence = lines[i];
            let start = i;
            i += 1;
            let mut script = String::new();
            while i < lines.len() && !lines[i].starts_with("```") {
                script.push_str(lines[i]);
                script.push('\n');
                i += 1;
            }
            let runs_rasci = script.lines().any(|l| {
                l.split(['&', ';', '|', '(', ')'])
                    .any(|part| part.trim_start().starts_with("rasci "))
            });
            if fence == "```sh" && runs_rasci {
                let directive = lines[..start]
                    .iter()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .and_then(|l| l.strip_prefix(DIRECTIVE)?.strip_suffix(" -->"))
                    .map(str::to_string);
                found.push(Example {
                    page: rasci::load::files::relative(repo(), page),
                    line: start + 1,
                    script,
                    directive,
                });
            }
        }
        i += 1;
    }
    found
}

/// Runs one example with `sh -e` in `root`, its output in files of `scratch`, and returns
/// its exit code and standard error. The shell gets a process group of its own, so that a
/// block that never ends (a server left unmarked) is stopped with everything it started
/// after `EXAMPLE_TIMEOUT`, and fails (code `None`) instead of hanging the test run.
#[cfg(unix)]
fn run_example(
    script: &str,
    root: &Path,
    path: &std::ffi::OsStr,
    scratch: &Path,
) -> (Option<i32>, String) {
    use std::os::unix::process::CommandExt as _;
    let stdout = std::fs::File::create(scratch.join("example.out")).unwrap();
    let stderr = std::fs::File::create(scratch.join("example.err")).unwrap();
    let mut child = std::process::Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(script)
        .current_dir(root)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("HOME", scratch)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + EXAMPLE_TIMEOUT;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let group = format!("-{}", child.id());
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &group])
                .status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(scratch.join("example.err")).unwrap_or_default();
    (code, stderr)
}

/// Runs every `sh` block of `docs/` that calls rasci (with `sh -e`: a failing line ends
/// it), in a copy of the example project with the built `rasci` first on the `PATH`. A block expects exit 0 unless the line
/// above it says `<!-- docs-test: exit N -->`; `<!-- docs-test: skip: reason -->` skips
/// it, and `<!-- docs-test: needs PROGRAM -->` runs it only where PROGRAM is installed.
#[cfg(unix)]
#[test]
fn every_example_command_in_docs_runs() {
    let binary = assert_cmd::cargo::cargo_bin("rasci");
    let bin_dir = binary.parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut ran = 0;
    let mut failures = Vec::new();
    for page in markdown_pages() {
        for example in examples(&page) {
            let mut expected = 0;
            match example.directive.as_deref() {
                Some(d) if d.starts_with("skip: ") => continue,
                Some(d) if d.starts_with("exit ") => expected = d[5..].parse().unwrap(),
                Some(d) if d.starts_with("needs ") => {
                    let program = &d[6..];
                    let found = std::env::split_paths(&path).any(|p| p.join(program).is_file());
                    if !found {
                        continue;
                    }
                }
                Some(d) => panic!(
                    "{}:{}: unknown docs-test directive {d:?}",
                    example.page, example.line
                ),
                None => {}
            }
            let temp = tempfile::tempdir().unwrap();
            let root = support::copy_example(temp.path());
            let (code, stderr) = run_example(&example.script, &root, &path, temp.path());
            ran += 1;
            if code != Some(expected) {
                failures.push(format!(
                    "{}:{}: exit {} instead of {expected}\n{}\nstderr:\n{stderr}",
                    example.page,
                    example.line,
                    code.map_or_else(
                        || "none (stopped after the time limit)".into(),
                        |c| c.to_string()
                    ),
                    example.script,
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= 3, "only {ran} example blocks ran");
}

#[test]
fn every_skipped_example_says_why() {
    for page in markdown_pages() {
        for example in examples(&page) {
            if let Some(reason) = example
                .directive
                .as_deref()
                .and_then(|d| d.strip_prefix("skip: "))
            {
                assert!(
                    reason.split_whitespace().count() >= 3,
                    "{}:{}: a skipped example gives its reason",
                    example.page,
                    example.line
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The README and the links between the pages

#[test]
fn the_readme_is_short_and_keeps_the_two_set_up_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.len() <= README_MAX_BYTES,
        "README.md is {} bytes, over {README_MAX_BYTES}: move reference material to docs/",
        readme.len()
    );
    for command in ["cargo run -- build", "cargo test"] {
        assert!(readme.contains(command), "README.md shows `{command}`");
    }
}

/// GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped,
/// spaces as `-`, and `-1`, `-2`… on repeats.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let Some(heading) = line.trim_start_matches('#').strip_prefix(' ') else {
            continue;
        };
        if !line.starts_with('#') {
            continue;
        }
        let slug: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let count = seen.entry(slug.clone()).or_default();
        out.insert(if *count == 0 {
            slug.clone()
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    // Explicit anchors written as HTML.
    for part in text.split("id=\"").skip(1) {
        if let Some(end) = part.find('"') {
            out.insert(part[..end].to_string());
        }
    }
    out
}

/// The Markdown links `[text](target)` of a page outside code fences and code spans.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let outside_code: String = line
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 0 { part } else { "" })
            .collect::<Vec<_>>()
            .join("");
        let mut rest = outside_code.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push((number + 1, after[..end].to_string()));
            rest = &after[end..];
        }
    }
    found
}

/// Example links of the documentation that show how a content page links, not links of
/// the documentation itself.
const EXAMPLE_TARGETS: &[&str] = &["My%20Page.md", "reading-the-matrix.md"];

#[test]
fn the_links_between_the_markdown_files_resolve() {
    let mut pages = markdown_pages();
    for extra in [
        "README.md",
        "CONTRIBUTING.md",
        "ARCHITECTURE.md",
        "benches/README.md",
    ] {
        pages.push(repo().join(extra));
    }
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let dir = page.parent().unwrap();
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") || target.starts_with('<') {
                continue;
            }
            if EXAMPLE_TARGETS.contains(&target.as_str()) {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let file_path = if file.is_empty() {
                page.clone()
            } else {
                dir.join(file)
            };
            let name = format!(
                "{}:{line}: {target}",
                rasci::load::files::relative(repo(), page)
            );
            if !file_path.exists() {
                broken.push(format!("{name} (no such file)"));
                continue;
            }
            if !anchor.is_empty() && file_path.extension().is_some_and(|e| e == "md") {
                let target_text = std::fs::read_to_string(&file_path).unwrap();
                if !anchors(&target_text).contains(anchor) {
                    broken.push(format!("{name} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// A finding that sends the reader to the documentation names a page that exists.
#[test]
fn the_help_for_a_value_of_the_wrong_type_names_the_data_format_page() {
    let project = support::Project::base()
        .file(
            "rasci.yaml",
            "title: x\ncheck:\n  max_accountable_share: abc\n",
        )
        .build();
    let checked = project.check();
    assert_eq!(checked.code, 1);
    let finding = checked.one_at("yaml/invalid-value", "rasci.yaml", 3, 26);
    let help = finding["help"].as_str().unwrap();
    assert_eq!(
        help,
        "see the field's type in docs/data-format.md or the JSON Schema"
    );
    assert!(repo().join("docs/data-format.md").is_file());
}

/// The README's quick start shows what `rasci check` prints for the example, word for word.
#[test]
fn the_readme_quick_start_shows_what_check_prints_for_the_example() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let command = readme
        .find("cargo run -q -- check")
        .expect("the README's quick start runs `cargo run -q -- check`");
    let start = readme[command..]
        .find("```text\n")
        .map(|i| command + i + "```text\n".len())
        .expect("the quick start shows the output in a text block");
    let end = start + readme[start..].find("```").unwrap();
    let shown = &readme[start..end];

    let temp = tempfile::tempdir().unwrap();
    let root = support::copy_example(temp.path());
    let output = support::rasci()
        .current_dir(&root)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        shown,
        String::from_utf8_lossy(&output.stdout),
        "the README's quick start differs from what `rasci check` prints for the example"
    );
}
