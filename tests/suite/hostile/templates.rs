//! Hostile input: a project's own templates. A loop that never ends, with output or
//! without, and a string that doubles until memory runs out are errors naming the
//! template, within the budget of `templates:` in `rasci.yaml`, for `build`, `check
//! --site` and `serve`; templates that include or extend each other in a cycle are named
//! file by file. And `serve` itself: its redirects never lead to another host, and it
//! keeps watching folders that are replaced.
//!
//! Every case that used to run for ever or abort is given a small budget and a generous
//! time-out, so a regression fails instead of hanging.

use crate::support::{Project, rasci};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Far longer than any case takes once fixed; a case that used to hang fails at this.
const TIME_OUT: Duration = Duration::from_secs(60);

/// The base project with `templates/page.html` running `body` in the page's content,
/// and `budget` (lines of the `templates:` section) added to its `rasci.yaml`.
fn project_with(body: &str, budget: &str) -> crate::support::BuiltProject {
    let config =
        std::fs::read_to_string(crate::support::fixtures().join("base/rasci.yaml")).unwrap();
    Project::base()
        .file("rasci.yaml", format!("{config}\ntemplates:\n{budget}"))
        .file("templates/page.html", page_template(body))
        .build()
}

/// A page shell that runs `body` before the page's own body.
fn page_template(body: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}{{% block content %}}{body}{{{{ page.body | safe }}}}{{% endblock content %}}"
    )
}

/// `rasci <command> --root <project>` (and `--out` beside it for `build`): exit code and
/// standard error, stopped after [`TIME_OUT`].
fn run(project: &crate::support::BuiltProject, command: &[&str]) -> (Option<i32>, String) {
    let mut rasci = rasci();
    rasci.args(command).arg("--root").arg(project.root());
    if command == ["build"] {
        rasci.arg("--out").arg(project.beside("out"));
    }
    let output = rasci.timeout(TIME_OUT).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The runaway templates: two nested loops that write nothing (the inner `range` is
/// called on every turn of the outer loop), the same over a list set once (no call into
/// rasci at all inside the loops), and two nested loops that write a letter each turn.
const RUNAWAYS: [&str; 3] = [
    "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
    "{% set xs = range(end=100000) %}{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}",
    "{% for a in range(end=100000) %}{% for b in range(end=100000) %}x{% endfor %}{% endfor %}",
];

/// A string that doubles 64 times: 16 EiB, were it allowed to grow.
const DOUBLING: &str = "{% set_global s = \"x\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}";

#[test]
fn a_loop_that_never_ends_is_an_error_naming_the_template_and_nothing_is_written() {
    for body in RUNAWAYS {
        let project = project_with(body, "  max_render_ms: 1000\n");
        for command in [&["build"][..], &["check", "--site"]] {
            let (code, stderr) = run(&project, command);
            assert_eq!(code, Some(2), "{body} {command:?}: {stderr}");
            assert!(
                stderr.contains(
                    "templates/page.html: the template ran longer than its budget of 1000 ms"
                ) && stderr.contains("max_render_ms"),
                "{body} {command:?}: {stderr}"
            );
            assert!(
                !project.beside("out").exists(),
                "{body}: a site was written"
            );
        }
    }
}

#[test]
fn a_string_that_doubles_is_stopped_at_the_memory_budget_without_an_abort() {
    let project = project_with(DOUBLING, "  max_render_bytes: 8388608\n");
    for command in [&["build"][..], &["check", "--site"]] {
        let (code, stderr) = run(&project, command);
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains(
                "templates/page.html: the template used more than its budget of 8388608 bytes"
            ) && stderr.contains("max_render_bytes"),
            "{command:?}: {stderr}"
        );
    }
    assert!(!project.beside("out").exists());
}

#[test]
fn a_template_within_its_budget_renders() {
    let project = project_with(
        "{% for a in range(end=300) %}{% for b in range(end=300) %}{% endfor %}{% endfor %}done",
        "  max_render_ms: 10000\n",
    );
    let (code, stderr) = run(&project, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = std::fs::read_to_string(project.beside("out/glossary/index.html")).unwrap();
    assert!(page.contains("done"));
}

#[test]
fn the_budget_is_checked_when_the_config_is_read() {
    for (budget, word) in [
        ("  max_render_ms: 0\n", "between 10 and 600000 milliseconds"),
        (
            "  max_render_bytes: 10\n",
            "between 1048576 and 4294967296 bytes",
        ),
        ("  max_render_seconds: 3\n", "max_render_seconds"),
    ] {
        let project = project_with("x", budget);
        let output = rasci()
            .args(["check", "--root"])
            .arg(project.root())
            .timeout(TIME_OUT)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(0), "{budget}");
        assert!(
            stdout.contains(word) || stderr.contains(word),
            "{budget}: {stdout}{stderr}"
        );
        assert!(
            stdout.contains("rasci.yaml") || stderr.contains("rasci.yaml"),
            "{stdout}{stderr}"
        );
    }
}

#[test]
fn templates_in_a_cycle_are_named_file_by_file() {
    let cases = [
        (
            vec![
                (
                    "templates/partials/a.html",
                    "a{% include \"partials/b.html\" %}",
                ),
                (
                    "templates/partials/b.html",
                    "b{% include \"partials/a.html\" %}",
                ),
                ("templates/page.html", "{% include \"partials/a.html\" %}"),
            ],
            "templates/partials/a.html: the templates include each other in a cycle, which never ends: templates/partials/a.html → templates/partials/b.html → templates/partials/a.html",
        ),
        (
            vec![("templates/page.html", "{% include \"page.html\" %}")],
            "templates/page.html: the templates include each other in a cycle, which never ends: templates/page.html → templates/page.html",
        ),
        (
            vec![
                ("templates/page.html", "{% extends \"base.html\" %}"),
                ("templates/base.html", "{% extends \"page.html\" %}"),
            ],
            "templates/page.html → templates/base.html → templates/page.html",
        ),
    ];
    for (files, expected) in cases {
        let mut project = Project::base();
        for (path, text) in &files {
            project = project.file(path, *text);
        }
        let project = project.build();
        let (code, stderr) = run(&project, &["build"]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

#[test]
fn a_failing_partial_is_named_by_its_file_in_the_project() {
    // The page shell includes a replaced partial that fails while rendering: the error
    // names the partial's file as the project holds it, not the page that included it,
    // in the report's code frame too.
    let project = Project::base()
        .file(
            "templates/partials/broken.html",
            "{{ nothing_here.at_all }}",
        )
        .file(
            "templates/page.html",
            page_template("{% include \"partials/broken.html\" %}"),
        )
        .build();
    let (code, stderr) = run(&project, &["build"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("theme template error: templates/partials/broken.html: "),
        "{stderr}"
    );
    assert!(
        stderr.contains(" --> templates/partials/broken.html:1:"),
        "{stderr}"
    );
    assert!(!project.beside("out").exists(), "a site was written");
}

// --- serve ---

/// The raw answer to `GET path`, the path sent exactly as given.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(TIME_OUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// The findings open pages are shown now: the first event of a new event stream.
fn current_findings(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(TIME_OUT)).unwrap();
    write!(
        stream,
        "GET /__rasci/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buffer = [0; 65536];
    loop {
        if let Some(at) = seen.find("event: findings\n")
            && let Some(end) = seen[at..].find("\n\n")
        {
            return seen[at..at + end].to_string();
        }
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "the event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

/// Waits until the findings open pages are shown satisfy `test`.
fn wait_for_findings(port: u16, test: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + TIME_OUT;
    loop {
        let answer = current_findings(port);
        if test(&answer) {
            return answer;
        }
        assert!(Instant::now() < deadline, "findings never came: {answer}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until the page at `path` holds `text`.
fn wait_for_page(port: u16, path: &str, text: &str) {
    let deadline = Instant::now() + TIME_OUT;
    loop {
        let answer = get(port, path);
        if answer.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {text:?}: {answer}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_shows_a_runaway_template_and_builds_the_save_that_fixes_it() {
    let project = project_with("first", "  max_render_ms: 1000\n");
    let server = crate::serve::start(project.root());
    let port = server.port;
    wait_for_page(port, "/glossary/", "first");
    for body in RUNAWAYS.iter().chain([&DOUBLING]) {
        project.write("templates/page.html", &page_template(body));
        let findings = wait_for_findings(port, |f| f.contains("templates/page.html: the template"));
        assert!(findings.contains("budget"), "{findings}");
        project.write("templates/page.html", &page_template("fixed{{ 1 }}"));
        wait_for_page(port, "/glossary/", "fixed1");
        project.write("templates/page.html", &page_template("first"));
        wait_for_page(port, "/glossary/", "first");
    }
}

#[test]
fn serve_redirects_folders_to_a_path_of_its_own_host_only() {
    let project = Project::base().build();
    let server = crate::serve::start(project.root());
    let port = server.port;
    wait_for_page(port, "/glossary/", "<html");
    for path in [
        "/glossary",
        "//glossary",
        "///glossary",
        "/%2F%2Fglossary",
        "/%2fglossary",
    ] {
        let answer = get(port, path);
        assert!(answer.starts_with("HTTP/1.1 308"), "{path}: {answer}");
        let location = answer
            .lines()
            .find_map(|l| {
                l.strip_prefix("location: ")
                    .or_else(|| l.strip_prefix("Location: "))
            })
            .unwrap_or_else(|| panic!("{path}: no location in {answer}"));
        assert_eq!(location.trim(), "/glossary/", "{path}");
    }
    for path in ["/\\evil.com", "/%5Cevil.com"] {
        let answer = get(port, path);
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(
            !answer.to_lowercase().contains("location:"),
            "{path}: {answer}"
        );
    }
}

#[test]
fn serve_keeps_watching_folders_that_are_replaced() {
    let project = Project::base().build();
    let server = crate::serve::start(project.root());
    let port = server.port;
    wait_for_page(port, "/main/", "Run it");
    let root = project.root();
    // Moved away and back, as some tools do.
    std::fs::rename(root.join("data"), project.beside("data.away")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(project.beside("data.away"), root.join("data")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    project.edit("data/tasks.yaml", "Run it", "Run it again");
    wait_for_page(port, "/main/", "Run it again");
    // Removed and made anew, as a checkout of another branch does.
    let tasks = project.read("data/tasks.yaml");
    std::fs::remove_dir_all(root.join("data")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    crate::support::copy_dir(
        &crate::support::fixtures().join("base/data"),
        &root.join("data"),
    );
    std::fs::write(root.join("data/tasks.yaml"), &tasks).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    project.edit("data/tasks.yaml", "Run it again", "Run it once more");
    wait_for_page(port, "/main/", "Run it once more");
    // The same for content pages.
    project.page("intro.md", "Intro", "First words.");
    wait_for_page(port, "/main/intro/", "First words.");
    std::fs::rename(root.join("content"), project.beside("content.away")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(project.beside("content.away"), root.join("content")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    project.page("intro.md", "Intro", "Second words.");
    wait_for_page(port, "/main/intro/", "Second words.");
}

#[test]
fn serve_replaces_a_slow_rebuild_with_the_next_save() {
    let project = project_with("first", "  max_render_ms: 600000\n");
    let server = crate::serve::start(project.root());
    let port = server.port;
    wait_for_page(port, "/glossary/", "first");
    // Within its budget of ten minutes, but taking far longer than the test waits.
    project.write("templates/page.html", &page_template(RUNAWAYS[0]));
    std::thread::sleep(Duration::from_millis(500));
    project.write("templates/page.html", &page_template("second"));
    wait_for_page(port, "/glossary/", "second");
}

/// The base project whose page shell includes a chain of `depth` templates, each
/// including the next.
fn include_chain(depth: usize) -> crate::support::BuiltProject {
    let mut project = Project::base().file(
        "templates/page.html",
        page_template("{% include \"chain/0.html\" %}"),
    );
    for level in 0..depth {
        let next = if level + 1 < depth {
            format!("{{% include \"chain/{}.html\" %}}", level + 1)
        } else {
            "end of the chain".to_string()
        };
        project = project.file(
            &format!("templates/chain/{level}.html"),
            format!("{level} {next}"),
        );
    }
    project.build()
}

#[test]
fn templates_nested_too_deep_are_an_error_not_a_stack_overflow() {
    for depth in [40, 3000] {
        let project = include_chain(depth);
        let (code, stderr) = run(&project, &["build"]);
        assert_eq!(code, Some(2), "{depth}: {stderr}");
        assert!(
            stderr.contains("templates/chain/0.html: the templates include or extend one another more than 32 deep: templates/chain/0.html → templates/chain/1.html →"),
            "{depth}: {stderr}"
        );
    }
    // Up to the limit, the chain renders.
    let project = include_chain(30);
    let (code, stderr) = run(&project, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = std::fs::read_to_string(project.beside("out/glossary/index.html")).unwrap();
    assert!(page.contains("29 end of the chain"));
}
