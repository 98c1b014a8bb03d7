//! Benchmark: the check after an edit in `rasci lsp`, on the example project and on the
//! generated project of 10,000 tasks, and the server's memory over many edits. Run with
//! `cargo bench --bench lsp` (`-- --edits N` for the number of edits of the memory run,
//! 10,000 by default).
//!
//! It drives the release binary over standard input and output as an editor does: one
//! `didChange` of a tasks file (a task's title changed, so every edit is new text), then a
//! request the server answers only after it has checked that text and published its
//! findings. The time from sending the change to that answer is the time a writer waits
//! for the findings of an edit. The targets are 50 ms for the example and 300 ms for
//! 10,000 tasks. The memory run reads the server's resident set (`VmRSS`) after a warm-up
//! of 100 edits and again after all of them: it must not grow with the number of edits.

#[path = "common/generated.rs"]
mod generated;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const TIMED_EDITS: usize = 21;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let edits = args
        .iter()
        .position(|a| a == "--edits")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().expect("temporary folder");
    generated::generate(temp.path());

    let mut server = Server::start(example);
    let tasks = example.join("data/tasks.yaml");
    report("example project", &mut server, &tasks, "Prime contact");
    memory(&mut server, &tasks, edits);
    server.stop();

    let mut server = Server::start(temp.path());
    let part = temp.path().join("data/tasks/part-00.yaml");
    report(
        &format!("{} tasks", generated::TASKS),
        &mut server,
        &part,
        "Task number 0 ",
    );
    server.stop();
}

/// Times [`TIMED_EDITS`] edits of `file` (the title holding `title` changed each time).
fn report(name: &str, server: &mut Server, file: &Path, title: &str) {
    let text = std::fs::read_to_string(file).expect("the tasks file");
    server.open(file, &text);
    let mut times: Vec<Duration> = (0..TIMED_EDITS)
        .map(|n| server.edit(file, &text.replacen(title, &format!("{title} {n} "), 1)))
        .collect();
    times.sort();
    println!(
        "rasci lsp, check after an edit, {name}: median {:.1} ms (min {:.1} ms, max {:.1} ms, {TIMED_EDITS} edits)",
        ms(times[TIMED_EDITS / 2]),
        ms(times[0]),
        ms(times[TIMED_EDITS - 1])
    );
}

/// The server's resident memory after 100 edits and after `edits`.
fn memory(server: &mut Server, file: &Path, edits: usize) {
    let text = std::fs::read_to_string(file).expect("the tasks file");
    let mut warm = 0;
    for n in 0..edits {
        server.edit(
            file,
            &text.replacen("Prime contact", &format!("Prime contact {n}"), 1),
        );
        if n + 1 == 100.min(edits) {
            warm = server.resident_kib();
        }
    }
    println!(
        "rasci lsp, resident memory on the example: {} KiB after 100 edits, {} KiB after {edits}",
        warm,
        server.resident_kib()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    version: i64,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rasci"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start rasci lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 1,
            version: 1,
        };
        let folder = json!([{"uri": uri(root), "name": "bench"}]);
        server.request(
            "initialize",
            json!({"processId": null, "capabilities": {}, "workspaceFolders": folder}),
        );
        server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and reads up to its answer, passing over the notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server stopped"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn open(&mut self, file: &Path, text: &str) {
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri(file), "languageId": "yaml", "version": 1, "text": text}
            }}),
        );
        self.request("workspace/symbol", json!({"query": "\u{1}"}));
    }

    /// One edit, until the server has checked it: the time it took.
    fn edit(&mut self, file: &Path, text: &str) -> Duration {
        self.version += 1;
        let start = Instant::now();
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri(file), "version": self.version},
                "contentChanges": [{"text": text}]
            }}),
        );
        self.request("workspace/symbol", json!({"query": "\u{1}"}));
        start.elapsed()
    }

    fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
        self.child.wait().unwrap();
    }
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}
