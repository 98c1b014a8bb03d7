//! `rasci lsp`: the checker in the writer's editor, over the Language Server Protocol on
//! standard input and output.
//!
//! The server sits over the pipeline: after every change it loads and checks the project
//! again ([`crate::pipeline::check_unsaved`]), reading the editor's text of open files and
//! the disk's for the rest, and publishes every finding, per file, for open and closed
//! files alike. The load and check are the same as `rasci check`'s, so the editor shows
//! the same rule ids, messages and places. The loop is synchronous: one message at a time,
//! a check between two edits.
//!
//! A project is the folder holding `rasci.yaml` nearest above a file, so one workspace may
//! hold several. What the server keeps per project is the last check (project, pages,
//! findings, [`index::Index`]) and the memo of unchanged pages, all replaced on each
//! check: memory follows the size of the project, never the number of edits. It writes
//! nothing; a rename is a workspace edit the editor applies.
//!
//! Files: [`position`] (byte offsets ↔ UTF-16 positions), [`index`] (every id, defined
//! and used), [`checked`] (the last check of a project, and the check), [`features`]
//! (the requests), this file (the loop, the projects, the diagnostics).

pub mod checked;
pub mod features;
pub mod index;
pub mod position;

use crate::diagnostic::Severity;
use crate::load::files::Unsaved;
use crate::source::FileId;
use checked::{Checked, check, empty, uri_of};
use index::Index;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Uri,
};
use position::LineIndex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The config file that marks a project's root.
const CONFIG_FILE: &str = crate::config::CONFIG_FILE;

/// The largest text an editor may hand over for one file: the loader's own limit on a
/// data file is smaller, so this only keeps a runaway buffer from being held twice.
pub const MAX_BUFFER: usize = 64 * 1024 * 1024;

/// Why the server stopped other than by the protocol's `exit`.
#[derive(Debug)]
pub struct ServerError(pub String);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run() -> Result<(), ServerError> {
    let (connection, threads) = Connection::stdio();
    let params = connection
        .initialize(features::capabilities())
        .map_err(|e| ServerError(format!("the editor did not start the session: {e}")))?;
    let mut server = Server::new(connection);
    server.start(&params);
    server.main_loop()?;
    let Server { connection, .. } = server;
    drop(connection);
    threads
        .join()
        .map_err(|e| ServerError(format!("standard input or output failed: {e}")))
}

/// One project: its last check, the memo of unchanged pages, and the files it published
/// findings for (to clear them when they are fixed).
struct Workspace {
    checked: Checked,
    memo: crate::pipeline::Memo,
    /// What was last sent for each file with findings, so an edit that changes nothing
    /// about a file sends nothing for it.
    published: Published,
    /// The index of the last check that read every data file (see [`Checked::earlier`]).
    whole: Option<Arc<Index>>,
}

type Published = BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>;

struct Server {
    connection: Connection,
    /// The editor's text of every open file, by absolute path.
    unsaved: Unsaved,
    projects: BTreeMap<PathBuf, Workspace>,
    /// Projects edited since they were last checked.
    changed: BTreeSet<PathBuf>,
}

impl Server {
    fn new(connection: Connection) -> Self {
        Server {
            connection,
            unsaved: Unsaved::default(),
            projects: BTreeMap::new(),
            changed: BTreeSet::new(),
        }
    }

    /// Checks the projects at the workspace's folders, so findings of files nobody has
    /// opened yet are listed from the start.
    fn start(&mut self, params: &serde_json::Value) {
        let mut roots = Vec::new();
        if let Some(folders) = params.get("workspaceFolders").and_then(|f| f.as_array()) {
            roots.extend(
                folders
                    .iter()
                    .filter_map(|f| f.get("uri")?.as_str().and_then(path_of_str)),
            );
        }
        if roots.is_empty() {
            roots.extend(
                params
                    .get("rootUri")
                    .and_then(|u| u.as_str())
                    .and_then(path_of_str),
            );
        }
        for folder in roots {
            for root in projects_in(&folder) {
                self.recheck(&root);
            }
        }
    }

    /// Answers messages in order until `shutdown`. Edits only mark their project; it is
    /// checked once no message is waiting, or before the next request is answered, so a
    /// burst of keystrokes costs one check and every answer sees the latest text.
    fn main_loop(&mut self) -> Result<(), ServerError> {
        loop {
            let message = match self.connection.receiver.try_recv() {
                Ok(message) => message,
                Err(error) if error.is_empty() => {
                    self.check_changed();
                    match self.connection.receiver.recv() {
                        Ok(message) => message,
                        Err(_) => return Ok(()),
                    }
                }
                Err(_) => return Ok(()),
            };
            match message {
                Message::Request(request) => {
                    self.check_changed();
                    let shutdown = self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| ServerError(e.to_string()))?;
                    if shutdown {
                        return Ok(());
                    }
                    let response = self.answer(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notified(notification),
                Message::Response(_) => {}
            }
        }
    }

    /// Checks the projects edited since their last check.
    fn check_changed(&mut self) {
        for root in std::mem::take(&mut self.changed) {
            self.recheck(&root);
        }
    }

    fn send(&self, message: Message) {
        // The client hung up: the loop ends when the next read fails.
        let _ = self.connection.sender.send(message);
    }

    fn notified(&mut self, notification: Notification) {
        match notification.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) {
                    self.edited(&p.text_document.uri, Some(p.text_document.text));
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) {
                    // Full synchronisation: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.edited(&p.text_document.uri, Some(change.text));
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) {
                    self.edited(&p.text_document.uri, None);
                }
            }
            note::DidSaveTextDocument::METHOD => {}
            note::DidChangeWatchedFiles::METHOD => {
                self.changed.extend(self.projects.keys().cloned());
            }
            _ => {}
        }
    }

    /// A file opened or changed (`Some` text) or closed (`None`): held or let go, and its
    /// project checked again.
    fn edited(&mut self, uri: &Uri, text: Option<String>) {
        let Some(path) = path_of(uri) else { return };
        match text {
            Some(text) if text.len() <= MAX_BUFFER => self.unsaved.set(path.clone(), text),
            _ => self.unsaved.remove(&path),
        }
        if let Some(root) = root_of(&path) {
            self.changed.insert(root);
        }
    }

    /// Loads and checks the project at `root` again and publishes its findings; a project
    /// that cannot be loaded at all keeps nothing but the reason, shown on `rasci.yaml`.
    fn recheck(&mut self, root: &Path) {
        let mut workspace = self.projects.remove(root).unwrap_or_else(|| Workspace {
            checked: empty(root),
            memo: crate::pipeline::Memo::default(),
            published: Published::new(),
            whole: None,
        });
        workspace.checked = check(root, &self.unsaved, &mut workspace.memo);
        let checked = &mut workspace.checked;
        if checked.failure.is_none() && checked.project.unread_kinds.is_empty() {
            workspace.whole = Some(Arc::clone(&checked.index));
        } else {
            checked.earlier = workspace.whole.clone();
        }
        workspace.published = self.publish(&workspace.checked, &workspace.published);
        self.projects.insert(root.to_path_buf(), workspace);
    }

    /// Sends the findings of each file whose findings changed, and an empty list to each
    /// file that had findings before and has none now (an open file without findings is
    /// told so too); returns what was sent.
    fn publish(&self, checked: &Checked, before: &Published) -> Published {
        let now = diagnostics(checked);
        for path in before.keys().filter(|p| !now.contains_key(*p)) {
            self.publish_file(path, Vec::new());
        }
        for path in self.unsaved.paths() {
            if path.starts_with(&checked.root) && !now.contains_key(path) {
                self.publish_file(path, Vec::new());
            }
        }
        for (path, list) in &now {
            if before.get(path) != Some(list) {
                self.publish_file(path, list.clone());
            }
        }
        now
    }

    fn publish_file(&self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let Some(uri) = uri_of(path) else { return };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            note::PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }

    /// The project a request's file belongs to, checked once if it was not yet.
    fn project_of(&mut self, uri: &Uri) -> Option<(&Checked, FileId)> {
        let path = path_of(uri)?;
        let root = root_of(&path)?;
        if !self.projects.contains_key(&root) {
            self.recheck(&root);
        }
        let checked = &self.projects.get(&root)?.checked;
        let file = checked.file(&path)?;
        Some((checked, file))
    }

    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.dispatch(request) {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(
            request: Request,
        ) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(request.params)
                .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        fn json(value: impl serde::Serialize) -> Result<serde_json::Value, (ErrorCode, String)> {
            Ok(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
        }
        let null = Ok(serde_json::Value::Null);
        match request.method.as_str() {
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(request)?;
                let at = p.text_document_position_params;
                match self.project_of(&at.text_document.uri) {
                    Some((checked, file)) => json(features::definition(checked, file, at.position)),
                    None => null,
                }
            }
            req::References::METHOD => {
                let p: lsp_types::ReferenceParams = params(request)?;
                let at = p.text_document_position;
                let declaration = p.context.include_declaration;
                match self.project_of(&at.text_document.uri) {
                    Some((checked, file)) => json(features::references(
                        checked,
                        file,
                        at.position,
                        declaration,
                    )),
                    None => json(Vec::<Location>::new()),
                }
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(request)?;
                match self.project_of(&p.text_document.uri) {
                    Some((checked, file)) => json(features::document_symbols(checked, file)),
                    None => json(Vec::<lsp_types::DocumentSymbol>::new()),
                }
            }
            req::WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = params(request)?;
                let checked: Vec<&Checked> = self.projects.values().map(|w| &w.checked).collect();
                json(features::workspace_symbols(&checked, &p.query))
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(request)?;
                let at = p.text_document_position_params;
                match self.project_of(&at.text_document.uri) {
                    Some((checked, file)) => json(features::hover(checked, file, at.position)),
                    None => null,
                }
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(request)?;
                let at = p.text_document_position;
                match self.project_of(&at.text_document.uri) {
                    Some((checked, file)) => json(features::completion(checked, file, at.position)),
                    None => json(Vec::<lsp_types::CompletionItem>::new()),
                }
            }
            req::PrepareRenameRequest::METHOD => {
                let p: lsp_types::TextDocumentPositionParams = params(request)?;
                match self.project_of(&p.text_document.uri) {
                    Some((checked, file)) => {
                        json(features::prepare_rename(checked, file, p.position))
                    }
                    None => null,
                }
            }
            req::Rename::METHOD => {
                let p: lsp_types::RenameParams = params(request)?;
                let at = p.text_document_position;
                match self.project_of(&at.text_document.uri) {
                    Some((checked, file)) => {
                        features::rename(checked, file, at.position, &p.new_name)
                            .map_err(|why| (ErrorCode::RequestFailed, why))
                            .and_then(json)
                    }
                    None => null,
                }
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(request)?;
                match self.project_of(&p.text_document.uri) {
                    Some((checked, file)) => json(features::code_actions(checked, file, &p)),
                    None => json(Vec::<lsp_types::CodeActionOrCommand>::new()),
                }
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("rasci lsp does not answer `{}`", request.method),
            )),
        }
    }
}

/// A project with nothing read yet.
/// The findings of a check as protocol diagnostics, by absolute path: the same rule id
/// (the code), severity, message and related places as `rasci check` reports; the help
/// follows the message. A finding about the project as a whole sits on `rasci.yaml`.
pub fn diagnostics(checked: &Checked) -> BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> {
    let mut by_path: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    if let Some(failure) = &checked.failure {
        by_path
            .entry(checked.root.join(CONFIG_FILE))
            .or_default()
            .push(lsp_types::Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("rasci".into()),
                message: failure.clone(),
                ..Default::default()
            });
        return by_path;
    }
    let sources = &checked.project.sources;
    let mut lines: HashMap<FileId, LineIndex<'_>> = HashMap::new();
    let mut range = |span: crate::source::Span| {
        lines
            .entry(span.file)
            .or_insert_with(|| LineIndex::new(&sources.get(span.file).text))
            .range(span.start, span.end)
    };
    for finding in &checked.findings.diagnostics {
        let (path, at) = match &finding.primary {
            Some(label) => (checked.path(label.span.file), range(label.span)),
            None => (checked.root.join(CONFIG_FILE), Default::default()),
        };
        let mut message = finding.message.clone();
        if let Some(label) = finding.primary.as_ref().filter(|l| !l.message.is_empty()) {
            message.push_str(&format!(" ({})", label.message));
        }
        if let Some(help) = &finding.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related: Vec<DiagnosticRelatedInformation> = finding
            .labels
            .iter()
            .filter_map(|label| {
                Some(DiagnosticRelatedInformation {
                    location: Location::new(
                        uri_of(&checked.path(label.span.file))?,
                        range(label.span),
                    ),
                    message: label.message.clone(),
                })
            })
            .collect();
        by_path
            .entry(path)
            .or_default()
            .push(lsp_types::Diagnostic {
                range: at,
                severity: Some(match finding.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(finding.rule.as_str().to_string())),
                source: Some("rasci".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            });
    }
    by_path
}

/// How deep below a workspace folder projects are looked for when the editor starts, and
/// how many are checked then: the rest are checked when one of their files is opened.
const PROJECT_DEPTH: usize = 3;
const MAX_STARTING_PROJECTS: usize = 32;

/// The projects at or below a workspace folder (a folder holding `rasci.yaml`, up to
/// `PROJECT_DEPTH` folders down, hidden folders and build outputs skipped), in path
/// order.
pub fn projects_in(folder: &Path) -> Vec<PathBuf> {
    let skipped =
        |name: &str| name.starts_with('.') || ["target", "node_modules", "public"].contains(&name);
    walkdir::WalkDir::new(folder)
        .max_depth(PROJECT_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || !skipped(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() && e.path().join(CONFIG_FILE).is_file())
        .map(|e| e.into_path())
        .take(MAX_STARTING_PROJECTS)
        .collect()
}

/// The project root of a file: the nearest folder at or above it holding `rasci.yaml`.
pub fn root_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// The local path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    path_of_str(uri.as_str())
}

fn path_of_str(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}
