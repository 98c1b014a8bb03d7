//! rustc-style text through annotate-snippets: `error[rule]: message`, ` --> file:line:col`,
//! a code frame with labels, and `= help:`.
//!
//! The frame is bounded whatever the source: a long line is shown as windows of
//! [`CONTEXT`] characters around each label's ends, a label spanning many lines is drawn on
//! its first line only, and labels far apart get a frame each. A finding in a file that is
//! one 10 MB line thus prints a few lines, not the line (annotate-snippets would copy it).
//! Texts of the finding (message, labels, help) are cut at [`MAX_TEXT`] characters; the
//! JSON and other machine formats keep them whole.

use crate::diagnostic::{Diagnostic, Findings, Label, Severity};
use crate::source::{FileId, SourceFile, Sources};
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};
use std::borrow::Cow;

/// Characters of a long line shown before and after each end of a label.
const CONTEXT: usize = 40;
/// A line of up to this many characters is shown whole.
const WHOLE_LINE: usize = 160;
/// A label spanning more lines than this is drawn on its first line only.
const MAX_SPAN_LINES: usize = 40;
/// Labels whose lines are at most this far apart share one frame.
const JOIN_LINES: usize = 40;
/// Characters of a message, label or help shown; the rest is cut with an ellipsis.
const MAX_TEXT: usize = 1000;

pub(crate) fn render(findings: &Findings, sources: &Sources, color: bool) -> String {
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

/// One label as drawn: its byte range in the file (on char boundaries, cut to its first
/// line when it spans many) and the lines it covers.
struct Mark<'a> {
    start: usize,
    end: usize,
    first_line: usize,
    last_line: usize,
    label: &'a Label,
    primary: bool,
}

/// The source shown in one frame, with each mark's range in it.
struct Frame<'a> {
    first_line: usize,
    text: String,
    marks: Vec<(usize, usize, &'a Mark<'a>)>,
    /// Whether a line was cut to windows.
    cut: bool,
}

fn render_one(renderer: &Renderer, diagnostic: &Diagnostic, sources: &Sources) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(cut_text(&diagnostic.message))
        .id(diagnostic.rule.as_str());

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
    // Frames of the primary file first, the one holding the primary label first of all.
    let mut frames: Vec<(FileId, Frame<'_>)> = Vec::new();
    let marks: Vec<(FileId, Vec<Mark<'_>>)> = files
        .iter()
        .map(|&file| {
            let source = sources.get(file);
            let marks = labels
                .iter()
                .filter(|(l, _)| l.span.file == file)
                .map(|&(label, primary)| mark(source, label, primary))
                .collect();
            (file, marks)
        })
        .collect();
    for (file, marks) in &marks {
        let source = sources.get(*file);
        let mut in_file: Vec<Frame<'_>> = clusters(marks)
            .into_iter()
            .map(|cluster| frame(source, &cluster))
            .collect();
        in_file.sort_by_key(|f| !f.marks.iter().any(|(_, _, m)| m.primary));
        frames.extend(in_file.into_iter().map(|f| (*file, f)));
    }
    // The position above a frame with a cut line is given, not left to annotate-snippets:
    // it would count the column in the cut line.
    let mut elements: Vec<Element<'_>> = Vec::new();
    for (file, frame) in &frames {
        let mut snippet = Snippet::source(frame.text.as_str()).line_start(frame.first_line);
        if frame.cut {
            let at = frame
                .marks
                .iter()
                .find(|(_, _, m)| m.primary)
                .unwrap_or(&frame.marks[0])
                .2;
            let position = sources.get(*file).line_col(at.start);
            elements.push(
                Origin::path(sources.display_path(*file))
                    .line(position.line)
                    .char_column(position.column)
                    .into(),
            );
        } else {
            snippet = snippet.path(sources.display_path(*file));
        }
        for &(from, to, mark) in &frame.marks {
            let kind = if mark.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            snippet = snippet.annotation(kind.span(from..to).label(cut_text(&mark.label.message)));
        }
        elements.push(snippet.into());
    }
    let mut group = Group::with_title(title).elements(elements);
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(cut_text(help)));
    }
    let report: Vec<Group<'_>> = vec![group];
    without_blank_origins(&renderer.render(&report))
}

/// The rendering without the empty `:::` line annotate-snippets draws for a snippet that
/// has no path of its own (each frame's position is the [`Origin`] drawn above it).
fn without_blank_origins(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        if plain(line).trim() != ":::" {
            out.push_str(line);
        }
    }
    out
}

/// `text` without its terminal colour sequences (`ESC [ … m`).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// `text` cut to [`MAX_TEXT`] characters, with an ellipsis when cut.
fn cut_text(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_TEXT) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

/// The largest char boundary of `text` at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mark<'a>(source: &SourceFile, label: &'a Label, primary: bool) -> Mark<'a> {
    let text = &source.text;
    let start = floor(text, label.span.start);
    let mut end = floor(text, label.span.end.max(start));
    let first_line = source.line_col(start).line;
    let mut last_line = source.line_col(end).line;
    if last_line - first_line > MAX_SPAN_LINES {
        end = line_end(text, source.offset_of(first_line, 1));
        last_line = first_line;
    }
    Mark {
        start,
        end,
        first_line,
        last_line,
        label,
        primary,
    }
}

/// The marks grouped by nearness of their lines, each group in line order.
fn clusters<'m, 'a>(marks: &'m [Mark<'a>]) -> Vec<Vec<&'m Mark<'a>>> {
    let mut sorted: Vec<&Mark<'_>> = marks.iter().collect();
    sorted.sort_by_key(|m| m.first_line);
    let mut out: Vec<Vec<&Mark<'_>>> = Vec::new();
    let mut reach = 0;
    for mark in sorted {
        match out.last_mut() {
            Some(group) if mark.first_line <= reach + JOIN_LINES => {
                group.push(mark);
                reach = reach.max(mark.last_line);
            }
            _ => {
                out.push(vec![mark]);
                reach = mark.last_line;
            }
        }
    }
    out
}

/// The lines of `marks`, each long line cut to windows around the marks' ends.
fn frame<'a>(source: &SourceFile, marks: &[&'a Mark<'a>]) -> Frame<'a> {
    let text = &source.text;
    let first_line = marks.iter().map(|m| m.first_line).min().unwrap_or(1);
    let last_line = marks.iter().map(|m| m.last_line).max().unwrap_or(1);
    let start = source.offset_of(first_line, 1);
    let end = line_end(text, source.offset_of(last_line, 1)).max(start);
    // Kept pieces: (from, to) in the file, and where each starts in the frame.
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
    let mut shown = String::new();
    let mut line_start = start;
    let mut cut = false;
    for line in text[start..end].split('\n') {
        let line_end = line_start + line.len();
        if line.char_indices().nth(WHOLE_LINE).is_none() {
            pieces.push((line_start, line_end, shown.len()));
            shown.push_str(line);
        } else {
            cut = true;
            let mut windows: Vec<(usize, usize)> = Vec::new();
            for point in marks.iter().flat_map(|m| [m.start, m.end]) {
                if (line_start..=line_end).contains(&point) {
                    windows.push(window(line, point - line_start));
                }
            }
            windows.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::new();
            for (from, to) in windows {
                match merged.last_mut() {
                    Some(last) if from <= last.1 => last.1 = last.1.max(to),
                    _ => merged.push((from, to)),
                }
            }
            if merged.is_empty() {
                merged.push(window(line, 0));
            }
            let mut at = 0;
            for (from, to) in merged {
                if from > at {
                    shown.push('…');
                }
                pieces.push((line_start + from, line_start + to, shown.len()));
                shown.push_str(&line[from..to]);
                at = to;
            }
            if at < line.len() {
                shown.push('…');
            }
        }
        shown.push('\n');
        line_start = line_end + 1;
    }
    shown.pop();
    let place = |at: usize| match pieces.iter().rev().find(|(from, _, _)| *from <= at) {
        Some(&(from, to, base)) => base + at.min(to) - from,
        None => 0,
    };
    let marks = marks
        .iter()
        .map(|&m| {
            let from = place(m.start);
            (from, place(m.end).max(from), m)
        })
        .collect();
    Frame {
        first_line,
        text: shown,
        marks,
        cut,
    }
}

/// [`CONTEXT`] characters either side of byte `at` of `line`, on char boundaries.
fn window(line: &str, at: usize) -> (usize, usize) {
    let at = floor(line, at);
    let from = line[..at]
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let to = line[at..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(line.len(), |(i, _)| at + i);
    (from, to)
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

/// `N errors, M warnings`, the last line of human output.
fn summary_line(findings: &Findings) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(findings.errors(), "error"),
        plural(findings.warnings(), "warning")
    )
}
