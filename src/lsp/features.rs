//! The requests the server answers, each a function of the last check of one project:
//! navigation (definition, references, symbols), hover, completion, rename and code
//! actions. None of them loads or checks anything; the loop in `mod.rs` does that
//! between edits.

use super::checked::{Checked, uri_of};
use super::index::{Key, Kind, Mention, Written};
use super::position::LineIndex;
use crate::model::{Letter, Project, Task};
use crate::source::{FileId, Span};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionOptions, DocumentSymbol, GotoDefinitionResponse, Hover,
    HoverContents, HoverProviderCapability, Location, MarkupContent, MarkupKind, OneOf, Position,
    PrepareRenameResponse, RenameOptions, ServerCapabilities, SymbolKind,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkDoneProgressOptions,
    WorkspaceEdit, WorkspaceSymbol, WorkspaceSymbolResponse,
};
use std::collections::HashMap;

/// What the server offers, as told to the editor when it starts.
pub fn capabilities() -> serde_json::Value {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["{", "(", "\"", " ", ",", ":", "-"]
                    .map(String::from)
                    .to_vec(),
            ),
            ..Default::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    serde_json::to_value(capabilities).unwrap_or_default()
}

fn location(checked: &Checked, span: Span) -> Option<Location> {
    let uri = uri_of(&checked.path(span.file))?;
    let index = LineIndex::new(checked.text(span.file));
    Some(Location::new(uri, index.range(span.start, span.end)))
}

fn mention_at(checked: &Checked, file: FileId, position: Position) -> Option<&Mention> {
    let offset = LineIndex::new(checked.text(file)).offset(position);
    checked.index.at(file, offset)
}

pub fn definition(
    checked: &Checked,
    file: FileId,
    position: Position,
) -> Option<GotoDefinitionResponse> {
    let mention = mention_at(checked, file, position)?;
    let found: Vec<Location> = checked
        .index
        .definitions(&mention.key)
        .filter_map(|m| location(checked, m.span))
        .collect();
    (!found.is_empty()).then_some(GotoDefinitionResponse::Array(found))
}

pub fn references(
    checked: &Checked,
    file: FileId,
    position: Position,
    declaration: bool,
) -> Vec<Location> {
    let Some(mention) = mention_at(checked, file, position) else {
        return Vec::new();
    };
    checked
        .index
        .mentions_of(&mention.key)
        .filter(|m| declaration || !m.definition)
        .filter_map(|m| location(checked, m.span))
        .collect()
}

fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Party => SymbolKind::CLASS,
        Kind::Scope => SymbolKind::NAMESPACE,
        Kind::Section => SymbolKind::MODULE,
        Kind::Task => SymbolKind::FUNCTION,
        Kind::Model => SymbolKind::PACKAGE,
        Kind::Flow => SymbolKind::INTERFACE,
        Kind::Lane => SymbolKind::FIELD,
        Kind::Step => SymbolKind::EVENT,
        Kind::System => SymbolKind::OBJECT,
        Kind::Term => SymbolKind::STRING,
        Kind::Condition => SymbolKind::BOOLEAN,
    }
}

/// The ids defined in a file as an outline: tasks under their section, lanes and steps
/// under their flow, the rest at the top.
pub fn document_symbols(checked: &Checked, file: FileId) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(checked.text(file));
    let mut outline: Vec<DocumentSymbol> = Vec::new();
    let mut defined: Vec<&Mention> = checked
        .index
        .mentions
        .iter()
        .filter(|m| m.definition && m.span.file == file)
        .collect();
    defined.sort_by_key(|m| m.span.start);
    for mention in defined {
        let range = index.range(mention.span.start, mention.span.end);
        #[allow(deprecated)] // `deprecated` is a field the protocol replaced by `tags`.
        let symbol = DocumentSymbol {
            name: mention.key.id.clone(),
            detail: Some(mention.key.kind.word().to_string()),
            kind: symbol_kind(mention.key.kind),
            tags: None,
            deprecated: None,
            range,
            selection_range: range,
            children: None,
        };
        let parent = match mention.key.kind {
            Kind::Task => Some(symbol_kind(Kind::Section)),
            Kind::Lane | Kind::Step => Some(symbol_kind(Kind::Flow)),
            _ => None,
        };
        match (parent, outline.last_mut()) {
            (Some(kind), Some(last)) if last.kind == kind => {
                last.range.end = range.end;
                last.children.get_or_insert_with(Vec::new).push(symbol);
            }
            _ => outline.push(symbol),
        }
    }
    outline
}

/// The largest number of workspace symbols answered at once.
const MAX_SYMBOLS: usize = 1000;

/// Every id defined in the projects whose id or kind holds `query` (any case).
pub fn workspace_symbols(projects: &[&Checked], query: &str) -> WorkspaceSymbolResponse {
    let query = query.to_lowercase();
    let mut found = Vec::new();
    for checked in projects {
        for mention in checked.index.mentions.iter().filter(|m| m.definition) {
            if !mention.key.id.to_lowercase().contains(&query) {
                continue;
            }
            let Some(location) = location(checked, mention.span) else {
                continue;
            };
            found.push(WorkspaceSymbol {
                name: mention.key.id.clone(),
                kind: symbol_kind(mention.key.kind),
                tags: None,
                container_name: Some(mention.key.kind.word().to_string()),
                location: OneOf::Left(location),
                data: None,
            });
            if found.len() == MAX_SYMBOLS {
                return WorkspaceSymbolResponse::Nested(found);
            }
        }
    }
    WorkspaceSymbolResponse::Nested(found)
}

/// What the id under the cursor is: its kind, name and description; for a task, its
/// letters in each deployment; for a glossary term, its definition.
pub fn hover(checked: &Checked, file: FileId, position: Position) -> Option<Hover> {
    let mention = mention_at(checked, file, position)?;
    let text = describe(&checked.project, &mention.key)?;
    let index = LineIndex::new(checked.text(file));
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(index.range(mention.span.start, mention.span.end)),
    })
}

fn describe(project: &Project, key: &Key) -> Option<String> {
    let id = key.id.as_str();
    let head = |name: &str| format!("**{}** `{id}`: {name}", key.kind.word());
    let with = |head: String, description: Option<&crate::model::Located<String>>| match description
    {
        Some(d) => format!("{head}\n\n{}", d.value),
        None => head,
    };
    Some(match key.kind {
        Kind::Party => {
            let party = project.party(id)?;
            with(head(&party.name.value), party.description.as_ref())
        }
        Kind::Scope => {
            let scope = project.scope(id)?;
            with(head(&scope.name.value), scope.description.as_ref())
        }
        Kind::Section => {
            let section = project.section(id)?;
            let title = section.title.as_ref().map_or(id, |t| t.value.as_str());
            format!("{} ({} tasks)", head(title), section.tasks.len())
        }
        Kind::Task => {
            let (_, task) = project.tasks().find(|(_, t)| t.id.value == id)?;
            let head = with(head(&task.title.value), task.description.as_ref());
            format!("{head}\n\n{}", letters_by_scope(project, task))
        }
        Kind::Model => {
            let (_, model) = project.model(id)?;
            let def = model.def.as_ref()?;
            with(head(&def.name.value), def.description.as_ref())
        }
        Kind::Flow => {
            let flow = project.flows.iter().find(|f| f.id.value == id)?;
            with(head(&flow.title.value), flow.description.as_ref())
        }
        Kind::Lane => {
            let flow = project.flows.get(key.flow?)?;
            let lane = flow.lanes.iter().find(|l| l.id.value == id)?;
            let name = lane
                .name
                .as_ref()
                .map_or(lane.party.value.as_str(), |n| n.value.as_str());
            format!("{} (party `{}`)", head(name), lane.party.value)
        }
        Kind::Step => {
            let flow = project.flows.get(key.flow?)?;
            let step = flow.steps.iter().find(|s| s.id.value == id)?;
            format!("{} (lane `{}`)", head(&step.text.value), step.lane.value)
        }
        Kind::System => {
            let system = project.systems.iter().find(|s| s.id.value == id)?;
            let head = format!(
                "{} (managed by {})",
                head(&system.name.value),
                system
                    .managers()
                    .iter()
                    .map(|m| format!("`{}`", m.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            with(head, system.description.as_ref())
        }
        Kind::Condition => {
            let condition = project.conditions.iter().find(|c| c.id.value == id)?;
            with(head(&condition.name.value), condition.description.as_ref())
        }
        Kind::Term => {
            let term = project.glossary.iter().find(|t| t.term.value == id)?;
            format!(
                "**{}** {}: {}",
                key.kind.word(),
                term.term.value,
                term.definition.value
            )
        }
    })
}

/// A task's letters in each deployment it applies in: the `rasci:` cells with the
/// deployment's `in:` cells in their place.
fn letters_by_scope(project: &Project, task: &Task) -> String {
    let cells_text = |cells: &[&crate::model::Cell]| {
        cells
            .iter()
            .map(|c| {
                let letters: Vec<&str> = c.written.iter().map(|l| l.as_str()).collect();
                format!("`{}` {}", c.party.value, letters.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut lines = Vec::new();
    for scope in &project.scopes {
        if !task.applies_in(&scope.id.value) {
            continue;
        }
        let overridden = task
            .scope_cells
            .iter()
            .find(|(s, _)| s.value == scope.id.value)
            .map(|(_, cells)| cells);
        let mut cells: Vec<&crate::model::Cell> = task.cells.iter().collect();
        for cell in overridden.into_iter().flatten() {
            match cells.iter_mut().find(|c| c.party.value == cell.party.value) {
                Some(slot) => *slot = cell,
                None => cells.push(cell),
            }
        }
        lines.push(format!("- {}: {}", scope.name.value, cells_text(&cells)));
    }
    if lines.is_empty() {
        format!(
            "letters: {}",
            cells_text(&task.cells.iter().collect::<Vec<_>>())
        )
    } else {
        lines.join("\n")
    }
}

/// What may be written at the cursor: ids where the YAML expects an id, letters in a
/// cell, shortcode names and arguments in Markdown.
pub fn completion(checked: &Checked, file: FileId, position: Position) -> Vec<CompletionItem> {
    let text = checked.text(file);
    let offset = LineIndex::new(text).offset(position);
    let path = checked.project.sources.path(file);
    if path.ends_with(".md") {
        return markdown_completion(checked, text, offset);
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let Some(expected) = expected_here(text, line_start, before, is_systems(path)) else {
        return Vec::new();
    };
    match expected {
        Expected::Letters => Letter::ALL
            .iter()
            .map(|l| CompletionItem {
                label: l.as_str().to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(l.name().to_string()),
                ..Default::default()
            })
            .collect(),
        Expected::Id(Kind::Party) if within_rasci(text, line_start) => {
            let parties = model_parties(checked, file);
            items(parties.iter().map(String::as_str), Kind::Party)
        }
        Expected::Id(kind) => items(known_ids(checked, kind).into_iter(), kind),
    }
}

/// The ids of a kind the project defines; while a data file is broken, those of the
/// last check that read it too.
fn known_ids(checked: &Checked, kind: Kind) -> Vec<&str> {
    let mut ids = checked.index.ids_of(kind);
    for id in checked.earlier.iter().flat_map(|e| e.ids_of(kind)) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn items<'a>(ids: impl Iterator<Item = &'a str>, kind: Kind) -> Vec<CompletionItem> {
    ids.map(|id| CompletionItem {
        label: id.to_string(),
        kind: Some(CompletionItemKind::REFERENCE),
        detail: Some(kind.word().to_string()),
        ..Default::default()
    })
    .collect()
}

/// The parties of the model the file's sections belong to, in its column order; every
/// party when the file has no section yet.
fn model_parties(checked: &Checked, file: FileId) -> Vec<String> {
    let project = &checked.project;
    let model = project
        .sections
        .iter()
        .find(|s| s.id.span.file == file)
        .and_then(|s| project.models.get(s.model.0));
    match model {
        Some(model) => model
            .parties
            .iter()
            .filter_map(|&p| project.parties.get(p))
            .map(|p| p.id.value.clone())
            .collect(),
        None => project.parties.iter().map(|p| p.id.value.clone()).collect(),
    }
}

enum Expected {
    Id(Kind),
    Letters,
}

/// The key a list item or a nested key belongs to: the nearest line above with less
/// indentation, read as `key:`.
fn parent_key(text: &str, line_start: usize, indent: usize) -> Option<&str> {
    text[..line_start]
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .find(|l| l.len() - l.trim_start().len() < indent)
        .and_then(|l| {
            let key = l.trim_start().trim_start_matches("- ");
            key.split_once(':').map(|(k, _)| k.trim())
        })
}

fn within_rasci(text: &str, line_start: usize) -> bool {
    let line = &text[line_start..];
    let indent = line.len() - line.trim_start().len();
    match parent_key(text, line_start, indent) {
        Some("rasci") => true,
        // A cell of a deployment's `in:` block: its parent is the scope id under `in`.
        Some(_) => text[..line_start]
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() < indent)
            .is_some_and(|l| {
                let outer = l.len() - l.trim_start().len();
                let at = text[..line_start].rfind(l).unwrap_or(0);
                parent_key(text, at, outer) == Some("in")
            }),
        None => false,
    }
}

/// Whether a data file holds systems, where `to:` names a system rather than a step.
fn is_systems(path: &str) -> bool {
    path == "data/systems.yaml" || path.starts_with("data/systems/")
}

/// What the YAML expects where the cursor is, from the text of its line before it and
/// the keys above it (`systems`: the file holds systems).
fn expected_here(text: &str, line_start: usize, before: &str, systems: bool) -> Option<Expected> {
    let indent = before.len() - before.trim_start().len();
    let trimmed = before.trim_start();
    let by_key = |key: &str| -> Option<Kind> {
        Some(match key {
            "party" | "managed_by" | "parties" => Kind::Party,
            "scopes" | "in" => Kind::Scope,
            "sections" => Kind::Section,
            "task" => Kind::Task,
            "model" => Kind::Model,
            "lane" => Kind::Lane,
            "to" if systems => Kind::System,
            "next" | "to" => Kind::Step,
            "flow" => Kind::Flow,
            _ => return None,
        })
    };
    // `key: value` on this line: the value's kind, or letters in a cell.
    if let Some((key, value)) = trimmed.trim_start_matches("- ").split_once(':') {
        let key = key.trim();
        // An inline list `scopes: [a, b` or a flow mapping `{ customer: A`.
        if let Some(kind) = by_key(key) {
            let _ = value;
            return Some(Expected::Id(kind));
        }
        let cell_parent = parent_key(text, line_start, indent + 1);
        if within_rasci(text, line_start) || matches!(cell_parent, Some("rasci")) {
            return Some(Expected::Letters);
        }
        if key == "rasci" && value.contains('{') {
            return Some(if value.rsplit(['{', ',']).next()?.contains(':') {
                Expected::Letters
            } else {
                Expected::Id(Kind::Party)
            });
        }
        return None;
    }
    // A list item `- x` or a bare key being typed: the kind of the key above.
    let key = parent_key(text, line_start, indent.max(1))?;
    if trimmed.starts_with('-') || trimmed.is_empty() || !trimmed.contains(' ') {
        if key == "rasci" {
            return Some(Expected::Id(Kind::Party));
        }
        if key == "in" {
            return Some(Expected::Id(Kind::Scope));
        }
        if let Some(kind) = by_key(key) {
            return Some(Expected::Id(kind));
        }
        if within_rasci(text, line_start) {
            return Some(Expected::Id(Kind::Party));
        }
    }
    None
}

/// In Markdown: a shortcode's name after `{{`, its argument names inside `(`, and the
/// ids an argument takes inside its quotes.
fn markdown_completion(checked: &Checked, text: &str, offset: usize) -> Vec<CompletionItem> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let Some(open) = before.rfind("{{") else {
        return Vec::new();
    };
    if before[open..].contains("}}") {
        return Vec::new();
    }
    let inside = &before[open + 2..];
    let Some(paren) = inside.find('(') else {
        return crate::render::shortcodes::declared()
            .map(|(name, args)| CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::FUNCTION),
                detail: Some(format!("({})", args.join(", "))),
                ..Default::default()
            })
            .collect();
    };
    let name = inside[..paren].trim();
    let args_text = &inside[paren + 1..];
    // Inside an open quote: the value of the argument before it.
    if args_text.matches('"').count() % 2 == 1 {
        let quote = args_text.rfind('"').unwrap_or(0);
        let key = args_text[..quote]
            .trim_end()
            .trim_end_matches('=')
            .rsplit([',', ' ', '('])
            .next()
            .unwrap_or("")
            .trim();
        return match key {
            "scope" => items(known_ids(checked, Kind::Scope).into_iter(), Kind::Scope),
            "model" => items(known_ids(checked, Kind::Model).into_iter(), Kind::Model),
            "party" => items(known_ids(checked, Kind::Party).into_iter(), Kind::Party),
            "flow" => items(known_ids(checked, Kind::Flow).into_iter(), Kind::Flow),
            "set" => items(Letter::ALL.iter().map(|l| l.as_str()), Kind::Task)
                .into_iter()
                .map(|mut item| {
                    item.detail = Some("letters".into());
                    item
                })
                .collect(),
            _ => Vec::new(),
        };
    }
    let given: Vec<&str> = args_text
        .split(',')
        .filter_map(|a| a.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    crate::render::shortcodes::declared()
        .filter(|(n, _)| *n == name)
        .flat_map(|(_, args)| args.iter())
        .filter(|arg| !given.contains(arg))
        .map(|arg| CompletionItem {
            label: (*arg).to_string(),
            kind: Some(CompletionItemKind::PROPERTY),
            insert_text: Some(format!("{arg}=\"")),
            detail: Some(format!("argument of {name}")),
            ..Default::default()
        })
        .collect()
}

pub fn prepare_rename(
    checked: &Checked,
    file: FileId,
    position: Position,
) -> Option<PrepareRenameResponse> {
    let mention = mention_at(checked, file, position)?;
    let index = LineIndex::new(checked.text(file));
    Some(PrepareRenameResponse::Range(
        index.range(mention.span.start, mention.span.end),
    ))
}

/// Every place the id under the cursor is written, changed to `new_id`, as one edit the
/// editor applies; refused when `new_id` breaks the id rules or is taken by another id
/// of the same kind. Glossary terms are words rather than ids: any text but an empty
/// one is allowed; links to the term's entry get its new anchor, and the pages' prose
/// that uses the term is left as the writer wrote it.
// The protocol's edit is keyed by `Uri`, whose parsed parts sit in cells clippy takes for
// interior mutability; a key is never changed once made.
#[allow(clippy::mutable_key_type)]
pub fn rename(
    checked: &Checked,
    file: FileId,
    position: Position,
    new_id: &str,
) -> Result<Option<WorkspaceEdit>, String> {
    let Some(mention) = mention_at(checked, file, position) else {
        return Ok(None);
    };
    let key = &mention.key;
    if key.kind == Kind::Term {
        if new_id.trim().is_empty() || new_id.contains(['\n', '"', '\\']) {
            return Err("a glossary term is one line of text without quotes".into());
        }
    } else if let Some(problem) = crate::load::ids::problem(new_id) {
        return Err(format!("`{new_id}` cannot be an id: {problem}"));
    }
    if new_id == key.id {
        return Ok(None);
    }
    let taken = Key {
        id: new_id.to_string(),
        ..key.clone()
    };
    if let Some(other) = checked.index.definitions(&taken).next() {
        let path = checked.project.sources.path(other.span.file);
        let line = checked.project.sources.start(other.span).line;
        return Err(format!(
            "there is already a {} `{new_id}` ({path}, line {line})",
            key.kind.word()
        ));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for m in checked.index.mentions_of(key) {
        let new_text = match m.written {
            Written::Id => new_id.to_string(),
            Written::Anchor => crate::load::ids::slugify(new_id),
            Written::Prose => continue,
        };
        let Some(location) = location(checked, m.span) else {
            continue;
        };
        changes
            .entry(location.uri)
            .or_default()
            .push(TextEdit::new(location.range, new_text));
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

/// The fixes offered at the cursor: a finding's "did you mean `x`?" applied, and a cell
/// whose letters YAML split at a comma (`{ customer: A, R }`) quoted.
#[allow(clippy::mutable_key_type)] // As in `rename`.
pub fn code_actions(
    checked: &Checked,
    file: FileId,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let text = checked.text(file);
    let index = LineIndex::new(text);
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let Some(suggestion) = did_you_mean(&diagnostic.message) else {
            continue;
        };
        // Only where the finding points at the one word to replace (a finding about a
        // whole shortcode call points at all of it), inside its quotes if it has them.
        let start = index.offset(diagnostic.range.start);
        let end = index.offset(diagnostic.range.end).max(start);
        let written = &text[start..end];
        let word = written.trim_matches(['"', '\'']);
        if word.is_empty() || word.contains(|c: char| c.is_whitespace() || "{}()[],:".contains(c)) {
            continue;
        }
        let at = start + written.find(word).unwrap_or(0);
        let edit = TextEdit::new(index.range(at, at + word.len()), suggestion.to_string());
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Change to `{suggestion}`"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit::new(HashMap::from([(
                uri.clone(),
                vec![edit],
            )]))),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    let start = index.offset(params.range.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if let Some((range, quoted)) = quote_split_cells(&text[line_start..line_end]) {
        let range = index.range(line_start + range.0, line_start + range.1);
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Quote the letters of each cell".into(),
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(WorkspaceEdit::new(HashMap::from([(
                uri.clone(),
                vec![TextEdit::new(range, quoted)],
            )]))),
            ..Default::default()
        }));
    }
    actions
}

/// The name a finding suggests with "did you mean `x`?".
fn did_you_mean(message: &str) -> Option<&str> {
    let rest = &message[message.find("did you mean `")? + "did you mean `".len()..];
    let name = &rest[..rest.find('`')?];
    (!name.is_empty()).then_some(name)
}

/// A flow mapping of cells on one line whose letters YAML read as more keys
/// (`{ customer: A, R }` is `customer: A` and a party `R`), rewritten with each cell's
/// letters quoted: the byte range of the braces and its new text.
pub fn quote_split_cells(line: &str) -> Option<((usize, usize), String)> {
    let open = line.find('{')?;
    let close = open + line[open..].find('}')?;
    let inner = &line[open + 1..close];
    let mut cells: Vec<(String, Vec<String>)> = Vec::new();
    let mut split = false;
    for part in outside_quotes(inner) {
        let part = part.trim();
        match part.split_once(':') {
            Some((party, letters)) => {
                let letters = letters.trim().trim_matches(['"', '\'']);
                cells.push((party.trim().to_string(), vec![letters.to_string()]));
            }
            None if !part.is_empty() && part.chars().all(|c| Letter::from_char(c).is_some()) => {
                cells.last_mut()?.1.push(part.to_string());
                split = true;
            }
            None => return None,
        }
    }
    if !split {
        return None;
    }
    let written: Vec<String> = cells
        .iter()
        .map(|(party, letters)| format!("{party}: \"{}\"", letters.join(", ")))
        .collect();
    Some(((open, close + 1), format!("{{ {} }}", written.join(", "))))
}

/// The parts of `text` between commas that stand outside quotes.
fn outside_quotes(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            (',', None) => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_cell_is_quoted_whole() {
        let line = "    rasci: { customer: A, R, vendor: C }";
        let ((start, end), quoted) = quote_split_cells(line).unwrap();
        assert_eq!(&line[start..end], "{ customer: A, R, vendor: C }");
        assert_eq!(quoted, "{ customer: \"A, R\", vendor: \"C\" }");
        assert!(quote_split_cells("    rasci: { customer: A, vendor: C }").is_none());
        let line = "rasci: { vendor: A, R, customer: \"C, I\" }";
        let (_, quoted) = quote_split_cells(line).unwrap();
        assert_eq!(quoted, "{ vendor: \"A, R\", customer: \"C, I\" }");
    }

    #[test]
    fn did_you_mean_is_read_from_the_message() {
        assert_eq!(
            did_you_mean("unknown party `custmer`\nhelp: did you mean `customer`?"),
            Some("customer")
        );
        assert_eq!(did_you_mean("unknown party"), None);
    }
}
