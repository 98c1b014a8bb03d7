//! YAML parsing with serde-saphyr, and turning its errors into located findings.

use crate::diagnostic::{Diagnostic, did_you_mean, list_names};
use crate::model::with_current_file;
use crate::source::{FileId, Sources, Span};
use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{Event, Parser};

/// Parses one file into `T`, or returns the one finding that stopped the parse.
///
/// Parser limits (nesting depth, node count, alias expansion) are serde-saphyr's safe
/// defaults, which bound both time and memory on hostile input such as alias bombs.
pub fn parse<T: DeserializeOwned>(sources: &Sources, file: FileId) -> Result<T, Diagnostic> {
    let text = &sources.get(file).text;
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    with_current_file(file, || {
        serde_saphyr::from_str_with_options::<T>(text, options)
    })
    .map_err(|error| error_to_diagnostic(sources, file, &error))
}

fn error_to_diagnostic(sources: &Sources, file: FileId, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let source = sources.get(file);
    let span = match error.location() {
        Some(location) => {
            let start = match location.span().byte_offset() {
                Some(offset) if (offset as usize) <= source.text.len() => offset as usize,
                _ => source.offset_of(location.line() as usize, location.column() as usize),
            };
            let len = location.span().byte_len().unwrap_or(0) as usize;
            let end = if start + len <= source.text.len() {
                start + len
            } else {
                start
            };
            Span::new(file, start, end)
        }
        None => Span::new(file, 0, 0),
    };
    // A problem met while replaying an alias comes wrapped with the alias's locations; the
    // wrapped error says what went wrong, the outer one where (the use site).
    let error = original_error(error);
    let message = plain_message(error);
    match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = match did_you_mean(field, expected.iter().copied()) {
                Some(suggestion) => suggestion,
                None => format!("expected one of {}", list_names(expected)),
            };
            Diagnostic::new("yaml/unknown-field", format!("unknown field `{field}`"))
                .at(span, "not a field here")
                .help(help)
        }
        E::DuplicateMappingKey { key, .. } => {
            let name = key.clone().unwrap_or_else(|| "key".to_string());
            let mut diagnostic =
                Diagnostic::new("yaml/duplicate-key", format!("duplicate key `{name}`"))
                    .at(span, "given again here");
            if let Some(first) = first_occurrence_of_key(&source.text, span.start) {
                let line = source.line_col(first).line;
                diagnostic = diagnostic
                    .label(
                        Span::new(file, first, first + name.len()),
                        "first given here",
                    )
                    .help(format!(
                        "keep one of the two: `{name}` is already given on line {line}"
                    ));
            }
            diagnostic
        }
        E::SerdeMissingField { field, .. } => {
            Diagnostic::new("yaml/missing-field", format!("missing field `{field}`"))
                .at(span, format!("`{field}` is required in this mapping"))
        }
        E::Budget { breach, .. } => {
            // Some budgets are judged after the whole file is read, and the parser then
            // points past its end: the document as a whole is the culprit.
            let span = if span.start >= source.text.trim_end().len() {
                Span::new(file, 0, 0)
            } else {
                span
            };
            limit(span, budget_message(breach))
        }
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            limit(span, "aliases expand to more than rasci reads".to_string())
        }
        // The parser's own guard against deep flow nesting ("[[[[…").
        _ if message.contains("recursion limit exceeded") => {
            limit(span, "the document nests too deeply".to_string())
        }
        E::SerdeInvalidType { .. }
        | E::Unexpected { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::SerdeUnknownVariant { .. }
        | E::InvalidScalar { .. }
        | E::NullIntoString { .. } => {
            Diagnostic::new("yaml/invalid-value", message).at(span, "this value")
        }
        _ => Diagnostic::new("yaml/syntax", message).at(span, "here"),
    }
}

fn limit(span: Span, message: String) -> Diagnostic {
    Diagnostic::new("yaml/limit", message)
        .at(span, "limit reached here")
        .help("rasci limits nesting depth, size and alias expansion so that no file can exhaust it; simplify this document")
}

/// A reader's words for a budget breach (the parser's own text is a debug dump).
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => "the document nests too deeply".into(),
        B::Aliases { .. } | B::AliasAnchorRatio { .. } => {
            "the document uses too many aliases (`*name`) for its anchors".into()
        }
        B::Anchors { .. } => "the document defines too many anchors".into(),
        B::Nodes { .. } | B::ScalarBytes { .. } | B::InputBytes { .. } => {
            "the document is too large".into()
        }
        B::Documents { .. } => "the file holds too many YAML documents".into(),
        other => format!("the document exceeds a parser limit ({other:?})"),
    }
}

/// The error inside any alias and snippet wrappers.
fn original_error(error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    let mut error = error.without_snippet();
    while let serde_saphyr::Error::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    error
}

/// The error's message without the " at line L, column C" suffix that serde-saphyr adds:
/// the reporters show the position themselves.
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    match text.rfind(" at line ") {
        Some(at) if text[at..].contains(", column ") => text[..at].to_string(),
        _ => text,
    }
}

/// Where the key that the mapping entry at `duplicate_at` repeats was first written.
///
/// serde-saphyr names only the second occurrence; a writer needs both, so this walks the
/// parser's events once more, tracking the keys of every open mapping.
fn first_occurrence_of_key(text: &str, duplicate_at: usize) -> Option<usize> {
    enum Frame {
        Map {
            at_key: bool,
            keys: Vec<(String, usize)>,
        },
        Seq,
    }
    let mut stack: Vec<Frame> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { return None };
        let offset = span.start.byte_offset().unwrap_or(usize::MAX);
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if starts_node && let Some(Frame::Map { at_key, keys }) = stack.last_mut() {
            if *at_key && let Event::Scalar(value, ..) = &event {
                if offset == duplicate_at {
                    return keys.iter().find(|(k, _)| k == value).map(|(_, at)| *at);
                }
                keys.push((value.to_string(), offset));
            }
            *at_key = !*at_key;
        }
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map {
                at_key: true,
                keys: Vec::new(),
            }),
            Event::SequenceStart(..) => stack.push(Frame::Seq),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_of_two_keys_in_nested_mappings() {
        let text = "a:\n  b: 1\n  c: 2\n  b: 3\n";
        let second = text.rfind("b:").unwrap();
        assert_eq!(first_occurrence_of_key(text, second), Some(5));
    }

    #[test]
    fn finds_the_first_key_in_flow_mappings() {
        let text = "x: [ {p: 1, q: 2, p: 3} ]\n";
        let second = text.rfind("p:").unwrap();
        assert_eq!(
            first_occurrence_of_key(text, second),
            Some(text.find("p:").unwrap())
        );
    }
}
