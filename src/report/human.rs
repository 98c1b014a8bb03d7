//! rustc-style text through annotate-snippets: `error[rule]: message`, ` --> file:line:col`,
//! a code frame with labels, and `= help:`.

use super::summary_line;
use crate::diagnostic::{Diagnostic, Findings, Label, Severity};
use crate::source::{FileId, Sources};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

pub fn render(findings: &Findings, sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in &findings.diagnostics {
        out.push_str(&render_one(&renderer, diagnostic, sources));
        out.push_str("\n\n");
    }
    out.push_str(&summary_line(findings));
    out.push('\n');
    out
}

fn render_one(renderer: &Renderer, diagnostic: &Diagnostic, sources: &Sources) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.rule.as_str());

    // One snippet per file, primary file first, each cut to the lines it needs so that a
    // finding in a large file does not copy the whole file.
    let mut labels: Vec<(&Label, bool)> = Vec::new();
    if let Some(primary) = &diagnostic.primary {
        labels.push((primary, true));
    }
    labels.extend(diagnostic.labels.iter().map(|l| (l, false)));
    let mut files: Vec<FileId> = Vec::new();
    for (label, _) in &labels {
        if !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    let mut snippets = Vec::new();
    for file in files {
        let source = sources.get(file);
        let in_file: Vec<&(&Label, bool)> =
            labels.iter().filter(|(l, _)| l.span.file == file).collect();
        let first_line = in_file
            .iter()
            .map(|(l, _)| source.line_col(l.span.start).line)
            .min()
            .unwrap_or(1);
        let last_line = in_file
            .iter()
            .map(|(l, _)| source.line_col(l.span.end).line)
            .max()
            .unwrap_or(1);
        let start = source.offset_of(first_line, 1);
        let end = line_end(&source.text, source.offset_of(last_line, 1));
        let excerpt = &source.text[start..end];
        let mut snippet = Snippet::source(excerpt)
            .line_start(first_line)
            .path(sources.display_path(file));
        for (label, is_primary) in in_file {
            let kind = if *is_primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let from = label.span.start.clamp(start, end) - start;
            let to = label.span.end.clamp(start, end) - start;
            snippet = snippet.annotation(kind.span(from..to).label(label.message.as_str()));
        }
        snippets.push(snippet);
    }
    let mut group = Group::with_title(title).elements(snippets);
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

/// End of the line that starts at `from`, without its line break.
fn line_end(text: &str, from: usize) -> usize {
    let end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    if end > from && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}
