//! `rasci serve` end to end: the binary serves a copy of the example project on a free
//! loopback port; the test fetches pages over plain HTTP, follows the live-reload event
//! stream, edits, breaks and fixes the sources, and tries to read outside the site.
//!
//! Every wait is bounded, so a broken server fails the test instead of hanging it.

use crate::support::copy_dir;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// The server process; killed when the test ends, however it ends.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn example_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("rasci.yaml"), temp.path().join("rasci.yaml")).unwrap();
    for dir in ["data", "content", "themes"] {
        copy_dir(&repo.join(dir), &temp.path().join(dir));
    }
    temp
}

/// A `rasci serve` of the project at `root` on a free loopback port.
pub(crate) fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasci"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rasci serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut server = Server { child, port: 0 };
    let line = rx
        .recv_timeout(WAIT)
        .expect("the server prints its address");
    let address = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no loopback address in {line:?}"));
    server.port = address
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    server
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// One request, the path sent exactly as given (no client-side normalization).
fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// An open event stream, read as raw text.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
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

    /// Waits for an event of `kind` whose data satisfies `test`; returns its data and
    /// forgets everything read up to it.
    fn wait_for(&mut self, kind: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let marker = format!("event: {kind}\n");
        loop {
            while let Some(at) = self.seen.find(&marker) {
                let rest = &self.seen[at + marker.len()..];
                let Some(end) = rest.find("\n\n") else { break };
                let data: String = rest[..end]
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                self.seen = rest[end..].to_string();
                if test(&data) {
                    return data;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{kind}` event in time; stream so far: {:?}",
                self.seen
            );
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
}

fn version_of(page: &str) -> String {
    let start = page
        .find("var version = \"")
        .expect("a version in the page")
        + 15;
    page[start..][..page[start..].find('"').unwrap()].to_string()
}

/// Saves the way many editors do: write a temporary file beside it, then rename it over.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn serves_reloads_shows_findings_and_stays_inside_the_site() {
    let project = example_copy();
    let root = project.path();
    let server = start(root);
    let port = server.port;

    // Pages, with the live-reload script added; files with their types.
    let home = get(port, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("new EventSource(\"/__rasci/events\")"));
    assert!(home.body.find("<script>").unwrap() < home.body.rfind("</body>").unwrap());
    let css = get(port, "/static/css/layout.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let folder = get(port, "/cloud");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/cloud/"));
    assert_eq!(get(port, "/cloud/").status, 200);

    // Unknown paths get the site's own 404 page.
    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    let own = get(port, "/404.html");
    assert_eq!(own.status, 200);
    assert_eq!(missing.body, own.body);

    // An edit reloads open pages, and the new content is served.
    let page = "/cloud/reading-the-matrix/";
    let source = root.join("content/reading-the-matrix.md");
    let original = std::fs::read_to_string(&source).unwrap();
    let mut events = Events::open(port);
    events.wait_for("findings", |data| data == "[]");
    std::fs::write(
        &source,
        format!("{original}\nA freshly written paragraph.\n"),
    )
    .unwrap();
    events.wait_for("reload", |_| true);
    let edited = get(port, page);
    assert!(edited.body.contains("A freshly written paragraph."));
    // Pages carry the version of the site they came from; a page that missed the reload
    // (hidden, disconnected) learns the new version when it reconnects.
    let now = version_of(&edited.body);
    assert_ne!(version_of(&home.body), now);
    Events::open(port).wait_for("version", |data| data == now);

    // Broken data: open pages get the findings, the last good site is still served.
    let parties = root.join("data/parties.yaml");
    let good = std::fs::read_to_string(&parties).unwrap();
    let broken = good.replacen(
        "  - id: customer\n",
        "  - id: customer\n    colour: red\n",
        1,
    );
    assert_ne!(broken, good, "the example defines the party `customer`");
    save_by_rename(&parties, &broken);
    let findings = events.wait_for("findings", |data| data != "[]");
    let list: serde_json::Value = serde_json::from_str(&findings).unwrap();
    let unknown = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "yaml/unknown-field")
        .unwrap_or_else(|| panic!("no unknown-field finding in {findings}"));
    assert_eq!(unknown["file"], "data/parties.yaml");
    assert_eq!(unknown["severity"], "error");
    assert!(unknown["line"].as_u64().unwrap() > 1);
    assert!(unknown["message"].as_str().unwrap().contains("colour"));
    let still = get(port, page);
    assert_eq!(still.status, 200);
    assert!(still.body.contains("A freshly written paragraph."));
    // A page opened now learns the findings at once.
    Events::open(port).wait_for("findings", |data| data.contains("yaml/unknown-field"));

    // Fixed: the overlay goes away and pages reload.
    save_by_rename(&parties, &good);
    events.wait_for("findings", |data| data == "[]");
    events.wait_for("reload", |_| true);
    assert_eq!(get(port, "/").status, 200);

    // Nothing outside the built site can be read, however the path is written.
    for path in [
        "/../rasci.yaml",
        "/../../../../etc/passwd",
        "/cloud/../../rasci.yaml",
        "/%2e%2e/rasci.yaml",
        "/%2E%2E%2Frasci.yaml",
        "/..%2f..%2frasci.yaml",
        "/.%2e/rasci.yaml",
        "/..%5crasci.yaml",
        "/static%5c..%5c..%5crasci.yaml",
        "/%252e%252e/rasci.yaml",
        "/index.html%00.css",
        "/data/parties.yaml",
        "/rasci.yaml",
        "/.git/config",
        "/static/%2egitignore",
        "//etc/passwd",
    ] {
        let response = get(port, path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path} answered {}",
            response.status
        );
        assert!(!response.body.contains("max_accountable_share"), "{path}");
        assert!(!response.body.contains("root:"), "{path}");
    }
    // No directory listings: a folder without an index page is unknown.
    assert_eq!(get(port, "/static/").status, 404);
    assert_eq!(get(port, "/static/css/").status, 404);

    stop(server);
}

/// Ctrl-C (SIGINT) stops the server cleanly, with open event streams.
fn stop(mut server: Server) {
    let _open = Events::open(server.port);
    let sent = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status();
    if !sent.is_ok_and(|s| s.success()) {
        return; // No `kill` here: Drop ends the server.
    }
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "rasci serve exited with {status}");
            return;
        }
        assert!(Instant::now() < deadline, "rasci serve ignored Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_port_in_use_is_named() {
    let project = example_copy();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Command::new(env!("CARGO_BIN_EXE_rasci"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(project.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port}")) && stderr.contains("in use"),
        "{stderr}"
    );
}

#[test]
fn a_site_that_cannot_be_built_at_start_is_served_once_fixed() {
    let project = example_copy();
    let root = project.path();
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("page.html"), "{% if %}broken").unwrap();
    let server = start(root);
    let port = server.port;

    let page = get(port, "/cloud/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("/__rasci/events"));
    let mut events = Events::open(port);
    let findings = events.wait_for("findings", |data| data != "[]");
    assert!(findings.contains("\"rule\":\"build\""), "{findings}");
    assert!(findings.contains("page.html"), "{findings}");

    std::fs::remove_file(templates.join("page.html")).unwrap();
    events.wait_for("reload", |_| true);
    assert_eq!(get(port, "/cloud/").status, 200);
}

/// Sends `request` as is and returns everything the server answers before closing.
fn raw(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn requests_for_another_host_are_refused() {
    let project = example_copy();
    let server = start(project.path());
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/", "/__rasci/events"] {
            let answer = raw(
                port,
                &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
            );
            assert!(
                answer.starts_with("HTTP/1.1 421"),
                "{host} {path}: {answer}"
            );
            assert!(answer.contains("only answers requests for its own address"));
            assert!(!answer.contains("<html"), "{host} {path}: {answer}");
        }
    }
    // No Host at all (HTTP/1.0): refused too.
    let answer = raw(port, "GET / HTTP/1.0\r\n\r\n");
    assert!(
        answer.starts_with("HTTP/1.0 421") || answer.starts_with("HTTP/1.1 421"),
        "{answer}"
    );
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let answer = raw(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
        assert!(answer.contains("<html"), "{host}");
    }
    stop(server);
}

#[test]
fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    let project = example_copy();
    let server = start(project.path());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET / HT").unwrap();
    // Generous: the server's limit is a few seconds; this only has to end.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    match read {
        // Closed by the server: end of stream (maybe after a 408), or a reset.
        Ok(_) => {}
        Err(e) => assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the connection was still open after {waited:?}: {e}"
        ),
    }
    assert!(waited < Duration::from_secs(60), "{waited:?}");
    // The whole request would not have been cut off: the server still answers.
    assert_eq!(get(server.port, "/").status, 200);
    stop(server);
}

/// A copy of the example served, with an open page's event stream past the first
/// findings.
fn serving_the_example() -> (tempfile::TempDir, Server, Events) {
    let project = example_copy();
    let server = start(project.path());
    let mut events = Events::open(server.port);
    events.wait_for("findings", |_| true);
    (project, server, events)
}

/// The pages reload before the search index is made; a search asked for right after the
/// reload waits for the new index and finds the word just saved, in the shard the new
/// manifest names.
#[test]
fn a_search_right_after_a_reload_finds_the_words_just_saved() {
    let (project, server, mut events) = serving_the_example();
    let root = project.path();
    let port = server.port;
    let page = root.join("content/reading-the-matrix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nThe word quokkasaurus is new.\n")).unwrap();
    events.wait_for("reload", |_| true);
    let manifest = get(port, "/search-index.js");
    assert_eq!(manifest.status, 200);
    let sizes = manifest
        .body
        .split("\"sizes\":[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("the manifest lists its word shards");
    let shards = sizes.split(',').count();
    let holding: Vec<usize> = (0..shards)
        .filter(|n| {
            get(port, &format!("/static/search/w{n}.js"))
                .body
                .contains("[\"quokkasaurus\",")
        })
        .collect();
    assert_eq!(holding.len(), 1, "the new word in one word shard");
    stop(server);
}

/// Pages come, change and go with the folders that hold them, whatever events the
/// watcher gives for them: a folder removed whole may come as one event for the folder.
#[test]
fn pages_follow_folders_made_and_removed_while_serving() {
    let (project, server, mut events) = serving_the_example();
    let root = project.path();
    let port = server.port;
    let folder = root.join("content/extra");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("inner.md"),
        "---\ntitle: Inner\n---\n\nThe inner words.\n",
    )
    .unwrap();
    events.wait_for("reload", |_| true);
    let page = get(port, "/cloud/extra/inner/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The inner words."));
    // Changed in place: the text the watcher reported is read again.
    std::fs::write(
        folder.join("inner.md"),
        "---\ntitle: Inner\n---\n\nThe inner words, changed.\n",
    )
    .unwrap();
    events.wait_for("reload", |_| true);
    assert!(
        get(port, "/cloud/extra/inner/")
            .body
            .contains("The inner words, changed.")
    );
    std::fs::remove_dir_all(&folder).unwrap();
    events.wait_for("reload", |_| true);
    assert_eq!(get(port, "/cloud/extra/inner/").status, 404);
    stop(server);
}
