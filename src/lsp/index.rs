//! Every id of a checked project, where it is defined and where it is used: the one table
//! go-to-definition, references, symbols, hover and rename read. It is built from the
//! spans the loader keeps on each value, plus two things the model does not keep: the
//! `model:` line of a tasks, summaries or flows file, the arguments of shortcodes and the
//! ids in links of the content pages, and the glossary terms their text uses (found by
//! the renderer's own matching, `crate::model::terms`), found here by scanning the text.

use crate::load::content::ContentPage;
use crate::model::terms::{Found, Terms};
use crate::model::{CellText, Located, Project, SummaryItem};
use crate::source::{FileId, Span};

/// The kinds of id a writer names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Party,
    Scope,
    Section,
    Task,
    Model,
    Flow,
    /// A lane of one flow (ids are unique within the flow).
    Lane,
    /// A step of one flow.
    Step,
    System,
    Term,
    /// A condition of `data/conditions.yaml`, named under `when:`.
    Condition,
}

impl Kind {
    /// The word a writer knows the kind by.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Party => "party",
            Kind::Scope => "deployment (scope)",
            Kind::Section => "section",
            Kind::Task => "task",
            Kind::Model => "operating model",
            Kind::Flow => "flow",
            Kind::Lane => "lane",
            Kind::Step => "step",
            Kind::System => "system",
            Kind::Term => "glossary term",
            Kind::Condition => "condition",
        }
    }
}

/// What an id names: its kind, the id, and for lanes and steps the flow they belong to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: Kind,
    pub id: String,
    pub flow: Option<usize>,
}

/// One place an id is written: its definition or a use.
#[derive(Clone, Debug)]
pub struct Mention {
    pub key: Key,
    /// The id's own characters (without the quotes of a quoted scalar).
    pub span: Span,
    pub definition: bool,
    pub written: Written,
}

/// How a mention writes what it names, which says what a rename does to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// The id (or the term) itself: a rename writes the new one.
    Id,
    /// A glossary term's entry on the glossary page, `term-<slug>` in a link: a rename
    /// writes the new term's slug.
    Anchor,
    /// A glossary term, or one of its aliases, in the text of a page: the writer's prose,
    /// which a rename leaves as it is.
    Prose,
}

/// The ids of one project.
#[derive(Debug, Default)]
pub struct Index {
    pub mentions: Vec<Mention>,
}

impl Index {
    pub fn build(project: &Project, content: &[ContentPage]) -> Index {
        let mut index = Builder {
            project,
            terms: Terms::new(project),
            mentions: Vec::new(),
        };
        index.data();
        index.model_lines();
        for page in content {
            index.page(page);
        }
        Index {
            mentions: index.mentions,
        }
    }

    /// The mention at a byte offset of a file (its last character included, so a cursor
    /// just after an id still finds it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Mention> {
        self.mentions
            .iter()
            .filter(|m| m.span.file == file && m.span.start <= offset && offset <= m.span.end)
            .min_by_key(|m| m.span.end - m.span.start)
    }

    /// Where `key` is defined (several places when it is defined twice, a finding).
    pub fn definitions<'i>(&'i self, key: &'i Key) -> impl Iterator<Item = &'i Mention> {
        self.mentions
            .iter()
            .filter(move |m| m.definition && m.key == *key)
    }

    /// Every mention of `key`, its definitions first.
    pub fn mentions_of<'i>(&'i self, key: &'i Key) -> impl Iterator<Item = &'i Mention> {
        self.definitions(key).chain(
            self.mentions
                .iter()
                .filter(move |m| !m.definition && m.key == *key),
        )
    }

    /// The ids of a kind that are defined, each once, in the order first defined.
    pub fn ids_of(&self, kind: Kind) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.mentions
            .iter()
            .filter(|m| m.definition && m.key.kind == kind)
            .map(|m| m.key.id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

struct Builder<'p> {
    project: &'p Project,
    /// The glossary's spellings, as the renderer matches them.
    terms: Terms,
    mentions: Vec<Mention>,
}

impl<'p> Builder<'p> {
    fn add(&mut self, kind: Kind, id: &str, span: Span, flow: Option<usize>, definition: bool) {
        if id.is_empty() {
            return;
        }
        // A quoted scalar's span holds its quotes: keep the id's own characters.
        let written = self.project.sources.slice(span);
        let span = match written.find(id) {
            Some(at) => Span::new(span.file, span.start + at, span.start + at + id.len()),
            None => span,
        };
        self.mentions.push(Mention {
            key: Key {
                kind,
                id: id.to_string(),
                flow,
            },
            span,
            definition,
            written: Written::Id,
        });
    }

    fn def(&mut self, kind: Kind, id: &crate::model::Located<String>) {
        self.add(kind, &id.value, id.span, None, true);
    }

    fn use_(&mut self, kind: Kind, id: &crate::model::Located<String>) {
        self.add(kind, &id.value, id.span, None, false);
    }

    fn data(&mut self) {
        let project = self.project;
        for party in &project.parties {
            self.def(Kind::Party, &party.id);
        }
        for scope in &project.scopes {
            self.def(Kind::Scope, &scope.id);
            for section in &scope.sections {
                self.use_(Kind::Section, section);
            }
        }
        for model in &project.models {
            let Some(def) = &model.def else { continue };
            self.def(Kind::Model, &def.id);
            for party in &def.parties {
                self.use_(Kind::Party, party);
            }
            for scope in &def.scopes {
                self.use_(Kind::Scope, scope);
            }
            for (scope, sections) in def.sections.iter() {
                self.use_(Kind::Scope, scope);
                for section in sections {
                    self.use_(Kind::Section, section);
                }
            }
        }
        for section in &project.sections {
            self.def(Kind::Section, &section.id);
            for task in &section.tasks {
                self.def(Kind::Task, &task.id);
                for scope in task.scopes.iter().flatten() {
                    self.use_(Kind::Scope, scope);
                }
                self.conditions(&task.when);
                for (party, cell) in task.rasci.iter() {
                    self.use_(Kind::Party, party);
                    self.cell_conditions(cell);
                }
                for (scope, cells) in task.overrides.iter() {
                    self.use_(Kind::Scope, scope);
                    for (party, cell) in cells.iter() {
                        self.use_(Kind::Party, party);
                        self.cell_conditions(cell);
                    }
                }
            }
        }
        for summary in &project.summaries {
            self.use_(Kind::Party, &summary.party);
            self.items(&summary.items);
        }
        for condition in &project.conditions {
            self.def(Kind::Condition, &condition.id);
        }
        for term in &project.glossary {
            // Aliases are other words for the term, not mentions of it: a rename of the
            // term leaves them as they are.
            self.def(Kind::Term, &term.term);
        }
        for system in &project.systems {
            self.def(Kind::System, &system.id);
            for manager in system.managers() {
                self.use_(Kind::Party, &manager);
            }
            if let crate::model::Manager::PerModel(entries) = &system.managed_by.value {
                for (model, _) in entries.iter() {
                    self.use_(Kind::Model, model);
                }
            }
            for model in system.models.iter().flatten() {
                self.use_(Kind::Model, model);
            }
            for scope in system.scopes.iter().flatten() {
                self.use_(Kind::Scope, scope);
            }
            for connection in &system.connects_to {
                self.use_(Kind::System, &connection.to);
            }
        }
        for (at, flow) in project.flows.iter().enumerate() {
            self.def(Kind::Flow, &flow.id);
            for scope in flow.scopes.iter().flatten() {
                self.use_(Kind::Scope, scope);
            }
            for lane in &flow.lanes {
                self.add(Kind::Lane, &lane.id.value, lane.id.span, Some(at), true);
                self.use_(Kind::Party, &lane.party);
            }
            for step in &flow.steps {
                self.add(Kind::Step, &step.id.value, step.id.span, Some(at), true);
                self.add(
                    Kind::Lane,
                    &step.lane.value,
                    step.lane.span,
                    Some(at),
                    false,
                );
                for next in &step.next {
                    self.add(Kind::Step, &next.value, next.span, Some(at), false);
                }
                for branch in &step.branches {
                    self.add(
                        Kind::Step,
                        &branch.to.value,
                        branch.to.span,
                        Some(at),
                        false,
                    );
                }
                if let Some(task) = &step.task {
                    self.use_(Kind::Task, task);
                }
                self.conditions(&step.when);
            }
        }
    }

    /// The condition ids of a `when:` list.
    fn conditions(&mut self, when: &[Located<String>]) {
        for condition in when {
            self.use_(Kind::Condition, condition);
        }
    }

    /// The conditions of a cell written as `{ letters: …, when: […] }`.
    fn cell_conditions(&mut self, cell: &Located<CellText>) {
        if let CellText::Conditional(conditional) = &cell.value {
            self.conditions(&conditional.when);
        }
    }

    fn items(&mut self, items: &[SummaryItem]) {
        for item in items {
            for scope in item.scopes.iter().flatten() {
                self.use_(Kind::Scope, scope);
            }
            self.conditions(&item.when);
            for clause in &item.also {
                self.conditions(&clause.when);
            }
            self.items(&item.items);
        }
    }

    /// The `model: <id>` line of a data file: the loader reads it to place the file's
    /// sections, summaries or flows and keeps only the model's number.
    fn model_lines(&mut self) {
        let project = self.project;
        for (file, source) in project.sources.files() {
            if !source.path.starts_with("data/") {
                continue;
            }
            let mut at = 0;
            for line in source.text.split_inclusive('\n') {
                if let Some(rest) = line.strip_prefix("model:") {
                    let value = rest.split(" #").next().unwrap_or("");
                    let value = value.trim().trim_matches(['"', '\'']);
                    let start = at + line.find(value).unwrap_or(0);
                    if !value.is_empty() && !value.starts_with('#') {
                        let span = Span::new(file, start, start + value.len());
                        self.add(Kind::Model, value, span, None, false);
                    }
                }
                at += line.len();
            }
        }
    }

    /// The page's `scopes:` and the id arguments of its shortcodes.
    fn page(&mut self, page: &ContentPage) {
        for scope in page.front.scopes.iter().flatten() {
            self.use_(Kind::Scope, scope);
        }
        let text = &self.project.sources.get(page.file).text;
        for call in shortcodes(text, page.body_start) {
            for arg in call.args {
                let kind = match arg.key {
                    "scope" => Kind::Scope,
                    "model" => Kind::Model,
                    "party" => Kind::Party,
                    "flow" => Kind::Flow,
                    _ => continue,
                };
                let span = Span::new(page.file, arg.value.0, arg.value.1);
                self.add(kind, &text[arg.value.0..arg.value.1], span, None, false);
            }
        }
        self.prose(page);
        self.links(page);
    }

    /// The glossary terms the page's text uses, where the renderer would find them: in
    /// the text of paragraphs, list items and table cells, not in headings, code, links,
    /// images or shortcode calls. Every use counts, not only the first of a paragraph the
    /// site links.
    fn prose(&mut self, page: &ContentPage) {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let project = self.project;
        if project.glossary.is_empty() {
            return;
        }
        let text = &project.sources.get(page.file).text;
        let body = &text[page.body_start.min(text.len())..];
        let calls: Vec<(usize, usize)> = shortcodes(text, page.body_start)
            .iter()
            .map(|c| c.whole)
            .collect();
        // Runs of text, as byte ranges of the body; adjacent text events are one run, as
        // the renderer merges them.
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        let mut outside = 0usize;
        let mut last_end = None;
        for (event, range) in
            Parser::new_ext(body, crate::load::markdown::options()).into_offset_iter()
        {
            match event {
                Event::Start(
                    Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. },
                ) => outside += 1,
                Event::End(
                    TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image,
                ) => outside = outside.saturating_sub(1),
                // Only text that stands in the file as written: an escape or an entity
                // moves the characters, and a span must point at what the writer wrote.
                Event::Text(t) if outside == 0 && body.get(range.clone()) == Some(&*t) => {
                    match runs.last_mut() {
                        Some(run) if last_end == Some(range.start) => run.end = range.end,
                        _ => runs.push(range.clone()),
                    }
                    last_end = Some(range.end);
                    continue;
                }
                _ => {}
            }
            last_end = None;
        }
        for run in runs {
            let start = page.body_start + run.start;
            let mut found = Vec::new();
            self.terms.scan(&body[run], None, |f| {
                if let Found::Term { at, term } = f {
                    found.push((start + at.start, start + at.end, term));
                }
            });
            for (from, to, term) in found {
                if calls.iter().any(|&(open, close)| open < to && from < close) {
                    continue;
                }
                let Some(term) = project.glossary.get(term) else {
                    continue;
                };
                self.mentions.push(Mention {
                    key: Key {
                        kind: Kind::Term,
                        id: term.term.value.clone(),
                        flow: None,
                    },
                    span: Span::new(page.file, from, to),
                    definition: false,
                    written: Written::Prose,
                });
            }
        }
    }

    /// The ids in the addresses of the page's inline links to the site's own pages: a
    /// party page (`parties/<id>/`), a deployment page (`<scope>/`, `<model>/<scope>/`)
    /// and a task's row (`#task-<id>`). Only ids the data defines count, so a folder that
    /// happens to share a name with nothing is no mention.
    fn links(&mut self, page: &ContentPage) {
        let text = &self.project.sources.get(page.file).text;
        let defined = |kind: Kind, id: &str, mentions: &[Mention]| {
            mentions
                .iter()
                .any(|m| m.definition && m.key.kind == kind && m.key.id == id)
        };
        for (start, dest) in link_destinations(text, page.body_start) {
            if dest.contains("://") || dest.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
            if let Some(term) = self.glossary_anchor(path, fragment) {
                let at = start + path.len() + 1 + "term-".len();
                self.mentions.push(Mention {
                    key: Key {
                        kind: Kind::Term,
                        id: term.to_string(),
                        flow: None,
                    },
                    span: Span::new(page.file, at, start + dest.len()),
                    definition: false,
                    written: Written::Anchor,
                });
                continue;
            }
            let mut found = Vec::new();
            let mut at = start;
            let mut previous = "";
            for segment in path.split('/') {
                let kind = if previous == "parties" {
                    Some(Kind::Party)
                } else if defined(Kind::Scope, segment, &self.mentions) {
                    Some(Kind::Scope)
                } else if defined(Kind::Model, segment, &self.mentions) {
                    Some(Kind::Model)
                } else {
                    None
                };
                if let Some(kind) = kind.filter(|k| defined(*k, segment, &self.mentions)) {
                    found.push((kind, segment, at));
                }
                previous = segment;
                at += segment.len() + 1;
            }
            if let Some(task) = fragment
                .strip_prefix("task-")
                .filter(|task| defined(Kind::Task, task, &self.mentions))
            {
                found.push((Kind::Task, task, start + path.len() + 1 + "task-".len()));
            }
            for (kind, id, at) in found {
                let span = Span::new(page.file, at, at + id.len());
                self.mentions.push(Mention {
                    key: Key {
                        kind,
                        id: id.to_string(),
                        flow: None,
                    },
                    span,
                    definition: false,
                    written: Written::Id,
                });
            }
        }
    }

    /// The term a link to `glossary/#term-<slug>` (or `glossary/index.html#…`) leads
    /// to, when the glossary has one of that slug.
    fn glossary_anchor(&self, path: &str, fragment: &str) -> Option<&'p str> {
        fragment.strip_prefix("term-")?;
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let path = path.trim_end_matches('/');
        if path != "glossary" && !path.ends_with("/glossary") {
            return None;
        }
        self.project
            .glossary
            .iter()
            .find(|t| crate::load::ids::term_anchor(&t.term.value) == fragment)
            .map(|t| t.term.value.as_str())
    }
}

/// The destinations of the inline links of a text from `from` on (`[text](dest)`,
/// `![alt](dest "title")`), with the byte offset each starts at.
pub fn link_destinations(text: &str, from: usize) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut at = from.min(text.len());
    while let Some(open) = text[at..].find("](").map(|i| at + i + 2) {
        let rest = &text[open..];
        let end = rest
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        let dest = rest[..end].trim_start_matches('<').trim_end_matches('>');
        if !dest.is_empty() {
            let skipped = usize::from(rest.starts_with('<'));
            found.push((open + skipped, dest));
        }
        at = open + end;
    }
    found
}

/// A shortcode call as written, with byte ranges: `{{ name(key="value") }}`.
#[derive(Debug, PartialEq, Eq)]
pub struct Call<'t> {
    pub name: &'t str,
    /// Where the name is.
    pub name_at: (usize, usize),
    pub args: Vec<Arg<'t>>,
    /// From `{{` to `}}` (or the end of the line when it is not closed).
    pub whole: (usize, usize),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Arg<'t> {
    pub key: &'t str,
    /// The value without its quotes.
    pub value: (usize, usize),
}

/// The shortcode calls of a text from `from` on, each on one line as the renderer wants
/// them; a call it cannot read is left out (the check reports it).
pub fn shortcodes(text: &str, from: usize) -> Vec<Call<'_>> {
    let mut calls = Vec::new();
    let mut at = from.min(text.len());
    while let Some(open) = text[at..].find("{{").map(|i| at + i) {
        let line_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
        let close = text[open..line_end].find("}}").map(|i| open + i);
        let end = close.map_or(line_end, |c| c + 2);
        if let Some(call) = read_call(text, open + 2, close.unwrap_or(line_end), (open, end)) {
            calls.push(call);
        }
        at = end.max(open + 2);
    }
    calls
}

fn read_call(text: &str, start: usize, end: usize, whole: (usize, usize)) -> Option<Call<'_>> {
    let inner = &text[start..end];
    let name_start = start + (inner.len() - inner.trim_start().len());
    let name_len = text[name_start..end]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(end - name_start);
    if name_len == 0 {
        return None;
    }
    let name = &text[name_start..name_start + name_len];
    let mut args = Vec::new();
    let mut rest = name_start + name_len;
    if let Some(open) = text[rest..end].find('(') {
        rest += open + 1;
        let close = text[rest..end].rfind(')').map_or(end, |i| rest + i);
        while rest < close {
            let Some(eq) = text[rest..close].find('=') else {
                break;
            };
            let key = text[rest..rest + eq].trim().trim_start_matches(',').trim();
            let value_start = rest + eq + 1;
            let after = &text[value_start..close];
            let skipped = after.len() - after.trim_start().len();
            let value_start = value_start + skipped;
            let (value, next) = match text[value_start..close].chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = value_start + 1;
                    let stop = text[body..close].find(q).map_or(close, |i| body + i);
                    ((body, stop), (stop + 1).min(close))
                }
                _ => {
                    let stop = text[value_start..close]
                        .find(',')
                        .map_or(close, |i| value_start + i);
                    let trimmed = text[value_start..stop].trim_end().len();
                    ((value_start, value_start + trimmed), stop)
                }
            };
            args.push(Arg { key, value });
            rest = next;
        }
    }
    Some(Call {
        name,
        name_at: (name_start, name_start + name_len),
        args,
        whole,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_read_with_their_value_ranges() {
        let text = "a {{ diagram(flow=\"incident\", scope=cloud) }} b\n{{ legend() }}";
        let calls = shortcodes(text, 0);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "diagram");
        let values: Vec<(&str, &str)> = calls[0]
            .args
            .iter()
            .map(|a| (a.key, &text[a.value.0..a.value.1]))
            .collect();
        assert_eq!(values, [("flow", "incident"), ("scope", "cloud")]);
        assert_eq!(calls[1].name, "legend");
        assert!(calls[1].args.is_empty());
    }

    #[test]
    fn link_destinations_are_found_with_their_offsets() {
        let text = "See [the matrix](../cloud/#task-submit-case) and ![x](img.png \"t\").";
        let found = link_destinations(text, 0);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "../cloud/#task-submit-case");
        assert_eq!(&text[found[0].0..found[0].0 + 3], "../");
        assert_eq!(found[1].1, "img.png");
    }

    #[test]
    fn an_unclosed_call_still_reads_to_the_end_of_its_line() {
        let text = "{{ rasci_table(scope=\"clo\nnext";
        let calls = shortcodes(text, 0);
        assert_eq!(calls[0].name, "rasci_table");
        assert_eq!(
            &text[calls[0].args[0].value.0..calls[0].args[0].value.1],
            "clo"
        );
    }
}
