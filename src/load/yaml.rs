//! YAML parsing with serde-saphyr, and turning its errors into located findings.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::with_current_file;
use crate::source::{FileId, Sources, Span};
use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{Event, Parser};

/// Parses one file into `T`, or returns the one finding that stopped the parse.
///
/// Parser limits (nesting depth, node count, alias expansion) are serde-saphyr's safe
/// defaults, which bound both time and memory on hostile input such as alias bombs.
pub(crate) fn parse<T: DeserializeOwned>(sources: &Sources, file: FileId) -> Result<T, Diagnostic> {
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
            Diagnostic::new(RuleId::YamlUnknownField, format!("unknown field `{field}`"))
                .at(span, "not a field here")
                .help(help)
        }
        E::DuplicateMappingKey { key, .. } => {
            let name = key.clone().unwrap_or_else(|| "key".to_string());
            let mut diagnostic =
                Diagnostic::new(RuleId::YamlDuplicateKey, format!("duplicate key `{name}`"))
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
            Diagnostic::new(RuleId::YamlMissingField, format!("missing field `{field}`"))
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
        // The parser's words name Rust types (`use Option<String>`), which mean nothing to
        // a writer of YAML: these say what the value lacks.
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => Diagnostic::new(
            RuleId::YamlInvalidValue,
            "expected a text here, found nothing",
        )
        .at(span, "this value")
        .help("write the value after its key, or leave the key out where it is optional"),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let found = match variant.as_str() {
                "" | "~" | "null" => "nothing".to_string(),
                other => format!("`{other}`"),
            };
            Diagnostic::new(
                RuleId::YamlInvalidValue,
                format!(
                    "expected one of {} here, found {found}",
                    list_names(expected)
                ),
            )
            .at(span, "this value")
        }
        E::SerdeInvalidType { .. }
        | E::Unexpected { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. } => invalid_value(&source.text, span, &message),
        // A value refused by rasci's own reading of a field (an empty `scopes:`).
        _ if message.contains(crate::model::scope_list::EMPTY_SCOPES) => {
            invalid_value(&source.text, span, &message)
        }
        _ if message.contains(crate::config::REFUSED) => {
            let words = message
                .split_once(crate::config::REFUSED)
                .map_or(message.as_str(), |(_, words)| words);
            Diagnostic::new(RuleId::YamlInvalidValue, words).at(span, "this value")
        }
        _ => syntax(&source.text, span, &message),
    }
}

/// The keys whose values are `true` or `false` (in `rasci.yaml` and front matter).
const BOOLEAN_KEYS: &[&str] = &["last_updated", "trust_html", "featured"];

/// The key written before the value at `span` on its line (`key:` or `- key:`), or "".
fn key_before(text: &str, span: Span) -> &str {
    let before = text.get(..span.start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    let line = line.trim();
    let line = line.strip_prefix("- ").unwrap_or(line);
    line.strip_suffix(':').map_or("", str::trim)
}

/// A value of the wrong shape, in a writer's words.
fn invalid_value(text: &str, span: Span, message: &str) -> Diagnostic {
    let found = text.get(span.start..).unwrap_or("");
    let found_line = found.lines().next().unwrap_or("");
    // `id:vendor` is one text, not a key and a value: the usual cause of a mapping that
    // is not one.
    let glued = glued_colon(found_line);
    let (message, help) = match message {
        m if m.contains(crate::model::scope_list::EMPTY_SCOPES) => (
            crate::model::scope_list::EMPTY_SCOPES.to_string(),
            "list the scopes it applies in, or leave out `scopes:` for every scope".to_string(),
        ),
        m if m.contains("expected sequence start") => (
            "expected a list here".to_string(),
            "write each item on its own line starting with `- `, or as `[a, b]`".to_string(),
        ),
        m if m.contains("expected mapping start") => (
            "expected `key: value` lines here".to_string(),
            match &glued {
                Some(fixed) => format!("write a space after the colon: `{fixed}`"),
                None => "give this item its fields as `key: value` lines".to_string(),
            },
        ),
        // The parser says "string scalar" for any scalar it wanted, true/false included:
        // the key tells which was meant.
        m if m.contains("expected string scalar")
            && BOOLEAN_KEYS.contains(&key_before(text, span)) =>
        {
            (
                "expected true or false here, not a list or a mapping".to_string(),
                "write `true` or `false` on the line of its key".to_string(),
            )
        }
        m if m.contains("expected string scalar") => (
            "expected a text here, not a list or a mapping".to_string(),
            "write the value on the line of its key; quote it if it holds `: `, `#`, `[` or `{`"
                .to_string(),
        ),
        m if m.starts_with("invalid ") && !m.contains(':') => (
            format!("expected {} here", plain_kind(&m["invalid ".len()..])),
            "see the field's type in docs/data-format.md or the JSON Schema".to_string(),
        ),
        m => match serde_invalid_type(m) {
            Some((found, expected)) => (
                format!("expected {expected} here, found {found}"),
                "see the field's type in docs/data-format.md or the JSON Schema".to_string(),
            ),
            None => (without_rust_words(m), String::new()),
        },
    };
    let diagnostic = Diagnostic::new(RuleId::YamlInvalidValue, message).at(span, "this value");
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.help(help)
    }
}

/// `invalid type: string "x", expected a sequence` in plain words: (found, expected).
fn serde_invalid_type(message: &str) -> Option<(String, String)> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    Some((plain_kind(found), plain_kind(expected)))
}

/// A serde type name (`string`, `a sequence`, `i64`) as a writer would say it.
fn plain_kind(what: &str) -> String {
    let what = what.trim();
    let kind = what.split([' ', '`', '"']).next().unwrap_or(what);
    let plain = match kind {
        "string" | "char" => "a text",
        "sequence" | "seq" => "a list",
        "map" | "mapping" | "struct" => "a mapping of `key: value` lines",
        "unit" | "null" | "none" => "nothing",
        "integer" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" => "a whole number",
        "floating" | "f32" | "f64" => "a number",
        "boolean" | "bool" => "`true` or `false`",
        _ => "",
    };
    if !plain.is_empty() {
        return plain.to_string();
    }
    let article = what
        .strip_prefix("a ")
        .or_else(|| what.strip_prefix("an "))
        .unwrap_or(what);
    match article {
        "sequence" => "a list".to_string(),
        "map" => "a mapping of `key: value` lines".to_string(),
        "string" => "a text".to_string(),
        _ => what.to_string(),
    }
}

/// `key:value` written without the space YAML needs after a key's colon, fixed.
fn glued_colon(line: &str) -> Option<String> {
    let trimmed = line.trim().trim_start_matches("- ");
    let (key, value) = trimmed.split_once(':')?;
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (is_key && !value.is_empty() && !value.starts_with([' ', '/']))
        .then(|| format!("{key}: {value}"))
}

/// A syntax error at the line of the mistake, in plain words, with a hint for the
/// common cases. The parser often notices a mistake only on the line after it, or names
/// the scalar it was reading; the text around the position says what went wrong.
fn syntax(text: &str, span: Span, message: &str) -> Diagnostic {
    let file = span.file;
    let line_start = |at: usize| {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text[..at].rfind('\n').map_or(0, |i| i + 1)
    };
    let line_at = |at: usize| {
        let start = line_start(at);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        (start, &text[start..end])
    };
    let blank = text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    if blank && message.contains("end of input") {
        return Diagnostic::new(RuleId::YamlSyntax, "the file is empty")
            .at(Span::new(file, 0, 0), "nothing here")
            .help(
                "give the file its content, starting with its top-level key (such as `parties:`)",
            );
    }
    if message.contains("tab") {
        // The first line from the reported one on that indents with a tab.
        let mut offset = line_start(span.start);
        for line in text[offset..].split_inclusive('\n') {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if let Some(tab) = line[..indent].find('\t') {
                let at = offset + tab;
                return Diagnostic::new(RuleId::YamlSyntax, "a tab is used for indentation")
                    .at(Span::new(file, at, at + 1), "tab here")
                    .help("YAML indents with spaces only: replace the tab with spaces");
            }
            offset += line.len();
        }
        return Diagnostic::new(RuleId::YamlSyntax, "a tab where YAML does not allow one")
            .at(span, "here")
            .help("use spaces instead of the tab");
    }
    if message.contains("unclosed quote")
        || message.contains("found unexpected end of stream") && message.contains("quoted")
    {
        return Diagnostic::new(RuleId::YamlSyntax, "this quote is never closed")
            .at(Span::new(file, span.start, span.start + 1), "opened here")
            .help("end the text with the same quote mark; inside \"…\" write a quote as \\\", inside '…' as ''");
    }
    if let Some(bracket) = message.strip_prefix("unclosed bracket ") {
        let bracket = bracket.trim_matches('\'');
        let close = if bracket == "[" { "]" } else { "}" };
        return Diagnostic::new(
            RuleId::YamlSyntax,
            format!("this `{bracket}` is never closed"),
        )
        .at(Span::new(file, span.start, span.start + 1), "opened here")
        .help(format!(
            "close it with `{close}`, or write the items as indented lines instead"
        ));
    }
    let (start, line) = line_at(span.start);
    let first = start + (line.len() - line.trim_start().len());
    let at_line = Span::new(file, first, start + line.len());
    if message.contains("expected ':'")
        || message.contains("did not find expected key")
        || message.contains("could not find expected")
    {
        if let Some(fixed) = glued_colon(line) {
            return Diagnostic::new(RuleId::YamlSyntax, "a key's `:` needs a space after it")
                .at(at_line, "no space after the colon")
                .help(format!("write `{fixed}`"));
        }
        if line.trim_start().starts_with("- ") || line.trim() == "-" {
            return Diagnostic::new(RuleId::YamlSyntax, "a list item where a key was expected")
                .at(at_line, "this item belongs to no list")
                .help("a key with a value cannot also hold a list: put the list under a key of its own (`key:` and then indented `- item` lines), or indent the item like the list above it");
        }
        return Diagnostic::new(RuleId::YamlSyntax, "expected a `key: value` line here")
            .at(at_line, "not a key")
            .help(
                "indent this line like the keys around it, and write a space after the key's `:`",
            );
    }
    if message.contains("mapping values are not allowed") {
        return Diagnostic::new(RuleId::YamlSyntax, "a `: ` where no key can start")
            .at(span, "here")
            .help("if this line is a key, indent it like the keys above it; if the `: ` is part of a text, put the whole text in quotes");
    }
    let message = message
        .strip_prefix("while scanning a plain scalar, ")
        .or_else(|| message.strip_prefix("while parsing a block mapping, "))
        .or_else(|| message.strip_prefix("while parsing a block collection, "))
        .or_else(|| message.strip_prefix("while parsing a flow sequence, "))
        .or_else(|| message.strip_prefix("while parsing a flow mapping, "))
        .unwrap_or(message);
    Diagnostic::new(
        RuleId::YamlSyntax,
        format!("this is not valid YAML: {}", without_rust_words(message)),
    )
    .at(span, "here")
}

/// A parser message without the advice it gives to Rust programmers (`; use Option<…>`,
/// `set DuplicateKeyPolicy in Options`) and with "deserialize" said as "read": whatever
/// message a future parser adds, a writer of YAML never reads a Rust type.
fn without_rust_words(message: &str) -> String {
    let message = message
        .split("; use ")
        .next()
        .unwrap_or(message)
        .split(", set ")
        .next()
        .unwrap_or(message);
    message
        .replace("deserialize", "read")
        .replace("Option<String>", "an optional text")
}

fn limit(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(RuleId::YamlLimit, message)
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
