//! `rasci lsp` driven over standard input and output with JSON-RPC frames, as an editor
//! drives it: findings published per file as the text changes (open and closed files,
//! unsaved buffers, several projects), navigation, hover, completion, rename, code
//! actions, and the end of the session.

use crate::support::Project;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// How long a reply may take before the test gives up instead of hanging (a guard, not a
/// measure: the slowest debug check of these projects takes a small part of it).
const PATIENCE: Duration = Duration::from_secs(120);

/// A language client over the server's standard input and output.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received so far, in order.
    notes: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `rasci lsp` and initialises it with these workspace folders.
    fn start(folders: &[&Path]) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("rasci"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            notes: Vec::new(),
            next_id: 1,
        };
        let folders: Vec<Value> = folders
            .iter()
            .map(|f| json!({"uri": uri(f), "name": "project"}))
            .collect();
        let result = client.request(
            "initialize",
            json!({"processId": null, "capabilities": {}, "workspaceFolders": folders}),
        );
        assert!(
            result["capabilities"]["definitionProvider"]
                .as_bool()
                .unwrap()
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole reply to a request (`result` or `error`), keeping the notifications that
    /// came before it.
    fn reply(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.incoming.recv_timeout(PATIENCE).expect("a reply");
            if message["id"] == json!(id) {
                return message;
            }
            self.notes.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let reply = self.reply(method, params);
        assert!(reply.get("error").is_none(), "{method}: {reply}");
        reply["result"].clone()
    }

    /// Waits until the server handled everything sent so far (it answers in order).
    fn settle(&mut self) {
        self.request("workspace/symbol", json!({"query": "\u{1}"}));
    }

    /// The findings last published for a file.
    fn diagnostics(&mut self, path: &Path) -> Option<Vec<Value>> {
        self.settle();
        let uri = uri(path);
        self.notes
            .iter()
            .rev()
            .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .map(|n| n["params"]["diagnostics"].as_array().unwrap().clone())
    }

    fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, path: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown`, then `exit`; the exit code of the server.
    fn stop(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap()
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

fn at(path: &Path, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}})
}

const TASKS: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: \"A, R\", custmer: \"C, I\" }
";

#[test]
fn findings_follow_the_editors_text_and_clear_when_fixed() {
    let project = Project::base().file("data/tasks.yaml", TASKS).build();
    let tasks = project.root().join("data/tasks.yaml");
    let mut client = Client::start(&[project.root()]);

    // A closed file's finding is listed from the start, where `rasci check` puts it.
    let found = client
        .diagnostics(&tasks)
        .expect("findings of a closed file");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "ref/unknown-party");
    assert_eq!(found[0]["source"], "rasci");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(
        found[0]["range"],
        json!({"start": {"line": 5, "character": 33}, "end": {"line": 5, "character": 40}})
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `customer`?")
    );

    // The editor's unsaved text is checked, not the disk's.
    client.open(&tasks, TASKS);
    client.change(&tasks, 2, &TASKS.replace("custmer", "customer"));
    assert_eq!(client.diagnostics(&tasks), Some(vec![]));
    assert_eq!(
        project.read("data/tasks.yaml"),
        TASKS,
        "the server wrote to disk"
    );

    // Both A's of a task with two are related places of the one finding.
    client.change(
        &tasks,
        3,
        &TASKS.replace("custmer: \"C, I\"", "customer: \"A\""),
    );
    let found = client.diagnostics(&tasks).unwrap();
    assert_eq!(found[0]["code"], "rasci/one-accountable");
    let related = found[0]["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[1]["message"], "`customer` is Accountable");
    assert_eq!(
        related[1]["location"]["range"]["start"],
        json!({"line": 5, "character": 44})
    );

    // A broken file is a finding; the server goes on answering.
    client.change(&tasks, 4, "sections: [\n");
    let found = client.diagnostics(&tasks).unwrap();
    assert_eq!(found[0]["code"], "yaml/syntax", "{found:?}");
    client.change(&tasks, 5, &TASKS.replace("custmer", "customer"));
    assert_eq!(client.diagnostics(&tasks), Some(vec![]));

    // Closed unsaved: the disk's text again, with its finding.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&tasks)}}),
    );
    assert_eq!(
        client.diagnostics(&tasks).unwrap()[0]["code"],
        "ref/unknown-party"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn ids_lead_to_their_definition_uses_and_description() {
    let project = Project::base()
        .file("data/tasks.yaml", TASKS.replace("custmer", "customer"))
        .file(
            "content/guide.md",
            "---\ntitle: Guide\n---\n{{ party_duties(party=\"vendor\", scope=\"main\") }}\n[Run](../main/#task-run)\n",
        )
        .build();
    let root = project.root();
    let tasks = root.join("data/tasks.yaml");
    let parties = root.join("data/parties.yaml");
    let guide = root.join("content/guide.md");
    let mut client = Client::start(&[root]);

    // `vendor` in the cell (line 5, "        rasci: { vendor").
    let definition = client.request("textDocument/definition", at(&tasks, 5, 19));
    assert_eq!(definition[0]["uri"], uri(&parties));
    assert_eq!(
        definition[0]["range"],
        json!({"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 14}})
    );
    // From the shortcode's argument in Markdown too.
    let from_page = client.request("textDocument/definition", at(&guide, 3, 24));
    assert_eq!(from_page, definition);
    // From a link to a deployment page and a task's row.
    let scope = client.request("textDocument/definition", at(&guide, 4, 10));
    assert_eq!(scope[0]["uri"], uri(&root.join("data/scopes.yaml")));
    assert_eq!(
        scope[0]["range"]["start"],
        json!({"line": 1, "character": 8})
    );
    let task = client.request("textDocument/definition", at(&guide, 4, 21));
    assert_eq!(task[0]["uri"], uri(&tasks));
    assert_eq!(
        task[0]["range"],
        json!({"start": {"line": 3, "character": 12}, "end": {"line": 3, "character": 15}})
    );

    let mut params = at(&parties, 1, 10);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    let files: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(files, ["parties.yaml", "tasks.yaml", "guide.md"]);

    let hover = client.request("textDocument/hover", at(&tasks, 3, 14));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**task** `run`: Run it"), "{text}");
    assert!(
        text.contains("- Main: `vendor` A, R; `customer` C, I"),
        "{text}"
    );

    let outline = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&tasks)}}),
    );
    assert_eq!(outline[0]["name"], "general");
    assert_eq!(outline[0]["children"][0]["name"], "run");
    let symbols = client.request("workspace/symbol", json!({"query": "cust"}));
    assert_eq!(symbols.as_array().unwrap().len(), 1);
    assert_eq!(symbols[0]["name"], "customer");
    assert_eq!(client.stop(), 0);
}

const GLOSSARY: &str = "glossary:
  - term: tenant
    aliases: [tenants]
    definition: One organisation's directory.
  - term: SIP
    definition: A signalling protocol.
";

const TERMS_PAGE: &str = "---
title: Terms
---
Each Tenant has a SIP trunk; tenants share nothing.

## The tenant

`tenant` in code, [a tenant](https://example.org/tenant) and [its entry](../glossary/#term-tenant). sip is not SIP.
";

fn range(line: u32, from: u32, to: u32) -> Value {
    json!({"start": {"line": line, "character": from}, "end": {"line": line, "character": to}})
}

/// A glossary term used in a page's text, as the site marks it (any case for a lower-case
/// term, the exact case otherwise, an alias for its term; not in headings, code or link
/// text), and a link to its entry lead to its definition, its uses and its explanation.
#[test]
fn glossary_terms_in_page_text_lead_to_their_entry() {
    let project = Project::base()
        .file("data/glossary.yaml", GLOSSARY)
        .file("content/terms.md", TERMS_PAGE)
        .build();
    let root = project.root();
    let glossary = root.join("data/glossary.yaml");
    let page = root.join("content/terms.md");
    let mut client = Client::start(&[root]);

    // "Tenant" (any case) and "tenants" (an alias) lead to the entry of `tenant`.
    for character in [7, 31] {
        let definition = client.request("textDocument/definition", at(&page, 3, character));
        assert_eq!(definition[0]["uri"], uri(&glossary), "at {character}");
        assert_eq!(definition[0]["range"], range(1, 10, 16), "at {character}");
    }
    // So does the link to the entry on the glossary page.
    let from_link = client.request("textDocument/definition", at(&page, 7, 93));
    assert_eq!(from_link[0]["range"], range(1, 10, 16));

    let hover = client.request("textDocument/hover", at(&page, 3, 19));
    assert_eq!(
        hover["contents"]["value"],
        "**glossary term** SIP: A signalling protocol."
    );
    assert_eq!(hover["range"], range(3, 18, 21));

    // Every use in the text, but not in the heading, the code, the link's text or its
    // address; the lower-case "sip" is no use of "SIP".
    let mut params = at(&glossary, 1, 12);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    let found: Vec<(String, Value)> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = r["uri"].as_str().unwrap().rsplit('/').next().unwrap();
            (file.to_string(), r["range"].clone())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("glossary.yaml".to_string(), range(1, 10, 16)),
            ("terms.md".to_string(), range(3, 5, 11)),
            ("terms.md".to_string(), range(3, 29, 36)),
            ("terms.md".to_string(), range(7, 91, 97)),
        ]
    );
    let mut params = at(&glossary, 4, 11);
    params["context"] = json!({"includeDeclaration": false});
    let sip = client.request("textDocument/references", params);
    let ranges: Vec<&Value> = sip
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["range"])
        .collect();
    assert_eq!(ranges, [&range(3, 18, 21), &range(7, 111, 114)]);

    // A rename changes the entry and the link's anchor, and leaves the prose as written.
    let mut params = at(&page, 3, 7);
    params["newName"] = json!("Home tenant");
    let edit = client.request("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(
        changes[&uri(&glossary)],
        json!([{"range": range(1, 10, 16), "newText": "Home tenant"}])
    );
    assert_eq!(
        changes[&uri(&page)],
        json!([{"range": range(7, 91, 97), "newText": "home-tenant"}])
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn completion_offers_what_the_place_expects() {
    let text = "sections:\n  - id: general\n    tasks:\n      - id: run\n        title: Run it\n        rasci:\n          vendor: \"A, R\"\n          \n";
    let project = Project::base().file("data/tasks.yaml", text).build();
    let tasks = project.root().join("data/tasks.yaml");
    let scopes = project.root().join("data/scopes.yaml");
    let guide = project.root().join("content/guide.md");
    let mut client = Client::start(&[project.root()]);
    client.open(&tasks, text);
    let labels = |result: Value| -> Vec<String> {
        let items = result.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // A party in a `rasci:` block, letters in a cell.
    let parties = labels(client.request("textDocument/completion", at(&tasks, 7, 10)));
    assert_eq!(parties, ["vendor", "customer"]);
    let letters = labels(client.request("textDocument/completion", at(&tasks, 6, 19)));
    assert_eq!(letters, ["R", "A", "S", "C", "I"]);
    // A section in a scope's `sections:`.
    let scopes_text = "scopes:\n  - id: main\n    name: Main\n    sections: [gen\n";
    client.open(&scopes, scopes_text);
    let sections = labels(client.request("textDocument/completion", at(&scopes, 3, 18)));
    assert_eq!(sections, ["general"]);
    // The scopes file is broken while it is typed into: its ids are still offered.
    // A system after `to:` in the systems file (a step after `to:` elsewhere).
    let systems = project.root().join("data/systems.yaml");
    let systems_text = "systems:\n  - id: crm\n    name: CRM\n    managed_by: vendor\n    connects_to:\n      - to: db\n  - id: db\n    name: DB\n    managed_by: vendor\n";
    std::fs::write(&systems, systems_text).unwrap();
    client.open(&systems, systems_text);
    let targets = labels(client.request("textDocument/completion", at(&systems, 5, 12)));
    assert_eq!(targets, ["crm", "db"]);
    // Shortcode names and arguments in Markdown.
    let page = "---\ntitle: G\n---\n{{ \n{{ party_duties(\n{{ rasci_table(scope=\"\n";
    std::fs::create_dir_all(guide.parent().unwrap()).unwrap();
    std::fs::write(&guide, page).unwrap();
    client.open(&guide, page);
    let names = labels(client.request("textDocument/completion", at(&guide, 3, 3)));
    assert!(names.contains(&"rasci_table".to_string()), "{names:?}");
    let args = labels(client.request("textDocument/completion", at(&guide, 4, 16)));
    assert_eq!(args, ["party", "scope", "model"]);
    let values = labels(client.request("textDocument/completion", at(&guide, 5, 22)));
    assert_eq!(values, ["main"]);
    assert_eq!(client.stop(), 0);
}

#[test]
fn rename_is_one_workspace_edit_or_refused_with_a_reason() {
    let project = Project::base()
        .file("data/tasks.yaml", TASKS.replace("custmer", "customer"))
        .build();
    let parties = project.root().join("data/parties.yaml");
    let tasks = project.root().join("data/tasks.yaml");
    let mut client = Client::start(&[project.root()]);
    let mut params = at(&parties, 3, 10);
    params["newName"] = json!("client");
    let edit = client.request("textDocument/rename", params.clone());
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes[&uri(&parties)][0]["newText"], "client");
    assert_eq!(
        changes[&uri(&tasks)][0]["range"],
        json!({"start": {"line": 5, "character": 33}, "end": {"line": 5, "character": 41}})
    );
    assert_eq!(
        project.read("data/parties.yaml").matches("client").count(),
        0
    );

    for (name, reason) in [
        ("Client Org", "cannot be an id"),
        (
            "vendor",
            "there is already a party `vendor` (data/parties.yaml, line 2)",
        ),
    ] {
        params["newName"] = json!(name);
        let reply = client.reply("textDocument/rename", params.clone());
        let message = reply["error"]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{message}");
    }
    assert_eq!(client.stop(), 0);
}

#[test]
fn code_actions_apply_the_suggestion_and_quote_a_split_cell() {
    let split = TASKS.replace("vendor: \"A, R\", custmer", "vendor: A, R, custmer");
    let project = Project::base().file("data/tasks.yaml", &split).build();
    let tasks = project.root().join("data/tasks.yaml");
    let mut client = Client::start(&[project.root()]);
    let found = client.diagnostics(&tasks).unwrap();
    let misspelt = found
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `customer`")
        })
        .unwrap()
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri(&tasks)},
            "range": misspelt["range"],
            "context": {"diagnostics": [misspelt]},
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Change to `customer`", "Quote the letters of each cell"]
    );
    let quoted = &actions[1]["edit"]["changes"][uri(&tasks)][0];
    assert_eq!(quoted["newText"], "{ vendor: \"A, R\", custmer: \"C, I\" }");
    assert_eq!(client.stop(), 0);
}

#[test]
fn files_outside_a_project_are_answered_empty_and_each_project_has_its_own_root() {
    let first = Project::base().file("data/tasks.yaml", TASKS).build();
    let second = Project::base().build();
    let outside = tempfile::tempdir().unwrap();
    let stray = outside.path().join("notes.yaml");
    std::fs::write(&stray, "parties: []\n").unwrap();
    // A workspace folder holding a project one folder down: found when the editor starts.
    let nested = Project::base().file("data/tasks.yaml", TASKS).build();
    let holder = nested.root().parent().unwrap();
    let mut client = Client::start(&[first.root(), second.root(), holder]);
    let nested_tasks = nested.root().join("data/tasks.yaml");
    assert_eq!(
        client.diagnostics(&nested_tasks).unwrap()[0]["code"],
        "ref/unknown-party"
    );

    client.open(&stray, "parties: []\n");
    assert_eq!(
        client.request("textDocument/definition", at(&stray, 0, 2)),
        Value::Null
    );
    assert_eq!(
        client.request("textDocument/hover", at(&stray, 0, 2)),
        Value::Null
    );
    let mut params = at(&stray, 0, 2);
    params["context"] = json!({"includeDeclaration": true});
    assert_eq!(client.request("textDocument/references", params), json!([]));

    // Each project's findings, from its own root.
    let first_tasks = first.root().join("data/tasks.yaml");
    let second_tasks = second.root().join("data/tasks.yaml");
    assert_eq!(
        client.diagnostics(&first_tasks).unwrap()[0]["code"],
        "ref/unknown-party"
    );
    let broken = "sections: [\n";
    client.open(&second_tasks, broken);
    assert_eq!(
        client.diagnostics(&second_tasks).unwrap()[0]["code"],
        "yaml/syntax"
    );
    assert_eq!(client.diagnostics(&first_tasks).unwrap().len(), 1);
    assert_eq!(client.stop(), 0);
}

/// The check after an edit takes the parse of unchanged data files from the previous
/// check; after any sequence of edits its findings and model equal a fresh check's of the
/// same texts, and only the edited file is parsed again.
#[test]
fn a_check_after_edits_equals_a_fresh_check_of_the_same_texts() {
    use rasci::load::files::Unsaved;
    use rasci::pipeline::{Memo, check_unsaved};

    let dir = tempfile::tempdir().unwrap();
    let root = crate::support::copy_example(dir.path());
    let tasks = root.join("data/tasks.yaml");
    let glossary = root.join("data/glossary.yaml");
    let parties = root.join("data/parties.yaml");
    let tasks_text = std::fs::read_to_string(&tasks).unwrap();
    let glossary_text = std::fs::read_to_string(&glossary).unwrap();
    let parties_text = std::fs::read_to_string(&parties).unwrap();
    let data_files = std::fs::read_dir(root.join("data")).unwrap().count();

    let mut unsaved = Unsaved::default();
    let mut memo = Memo::default();
    let same_as_fresh = |unsaved: &Unsaved, memo: &mut Memo, what: &str| {
        let (project, content, findings) = check_unsaved(&root, unsaved, memo).unwrap();
        let (fresh_project, fresh_content, fresh) =
            check_unsaved(&root, unsaved, &mut Memo::default()).unwrap();
        assert_eq!(findings.diagnostics, fresh.diagnostics, "after {what}");
        assert_eq!(
            format!("{project:?}{content:?}"),
            format!("{fresh_project:?}{fresh_content:?}"),
            "the model after {what}"
        );
        findings
    };
    let codes = |findings: &rasci::diagnostic::Findings| -> Vec<String> {
        findings
            .diagnostics
            .iter()
            .map(|d| d.rule.as_str().to_string())
            .collect()
    };

    let first = same_as_fresh(&unsaved, &mut memo, "the first check");
    assert_eq!(first.errors(), 0);
    assert_eq!(memo.remembered_data(), data_files);

    // A letter that is none: reported in the edited file, the others reused.
    unsaved.set(
        tasks.clone(),
        tasks_text.replacen("customer: \"A, R\"", "customer: \"A, X\"", 1),
    );
    let found = same_as_fresh(&unsaved, &mut memo, "an unknown letter");
    assert!(
        codes(&found).contains(&"rasci/unknown-letter".to_string()),
        "{found:?}"
    );

    // A glossary that does not parse is a finding and is not remembered; fixed, it is
    // parsed again.
    unsaved.set(glossary.clone(), "glossary: [\n".into());
    let found = same_as_fresh(&unsaved, &mut memo, "a broken glossary");
    assert!(
        codes(&found).contains(&"yaml/syntax".to_string()),
        "{found:?}"
    );
    assert_eq!(memo.remembered_data(), data_files - 1);
    unsaved.set(glossary.clone(), glossary_text.replace("tenant", "renter"));
    same_as_fresh(&unsaved, &mut memo, "the glossary fixed");
    assert_eq!(memo.remembered_data(), data_files);

    // A party removed: the unchanged tasks file, reused, is checked against it again.
    unsaved.set(
        parties.clone(),
        parties_text.replacen("  - id: customer", "  - id: client", 1),
    );
    let found = same_as_fresh(&unsaved, &mut memo, "a party renamed");
    assert!(
        codes(&found).contains(&"ref/unknown-party".to_string()),
        "{found:?}"
    );

    // A file read before the others moves them to other ids of the sources: nothing
    // remembered points at the wrong file.
    std::fs::write(root.join("data/aaa.yaml"), "nothing: here\n").unwrap();
    let found = same_as_fresh(&unsaved, &mut memo, "a file of no kind added");
    assert!(
        codes(&found).contains(&"file/unknown-kind".to_string()),
        "{found:?}"
    );

    // Every text back as on disk: the findings of the start and of the added file.
    unsaved.remove(&tasks);
    unsaved.remove(&glossary);
    unsaved.remove(&parties);
    std::fs::remove_file(root.join("data/aaa.yaml")).unwrap();
    let last = same_as_fresh(&unsaved, &mut memo, "every edit undone");
    assert_eq!(last.diagnostics, first.diagnostics);
}

const CONDITIONAL_TASKS: &str = "sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        when: [premium]
        rasci: { vendor: \"A, R\", customer: { letters: \"C\", when: [premium] } }
";

/// A condition named under `when:`, of a task or of one cell, leads to its definition in
/// `data/conditions.yaml`, is found among its uses, and explains itself on hover.
#[test]
fn conditions_lead_to_their_definition_uses_and_name() {
    let project = Project::base()
        .file("data/tasks.yaml", CONDITIONAL_TASKS)
        .file(
            "data/conditions.yaml",
            "conditions:\n  - id: premium\n    name: Premium support purchased\n",
        )
        .build();
    let root = project.root();
    let tasks = root.join("data/tasks.yaml");
    let conditions = root.join("data/conditions.yaml");
    let mut client = Client::start(&[root]);

    let expected = json!([{"uri": uri(&conditions), "range": range(1, 8, 15)}]);
    // `premium` in the task's `when:` (line 5, "        when: [premium]").
    let from_task = client.request("textDocument/definition", at(&tasks, 5, 17));
    assert_eq!(from_task, expected);
    // And in the cell's own `when:` (line 6).
    let column = CONDITIONAL_TASKS
        .lines()
        .nth(6)
        .unwrap()
        .rfind("premium")
        .unwrap() as u32;
    let from_cell = client.request("textDocument/definition", at(&tasks, 6, column + 2));
    assert_eq!(from_cell, expected);

    let mut params = at(&conditions, 1, 10);
    params["context"] = json!({"includeDeclaration": false});
    let references = client.request("textDocument/references", params);
    assert_eq!(references.as_array().unwrap().len(), 2, "{references}");

    let hover = client.request("textDocument/hover", at(&tasks, 5, 17));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Premium support purchased"), "{text}");
    assert_eq!(client.stop(), 0);
}
