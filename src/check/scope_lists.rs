//! An empty `scopes:` list (`scopes: []`) on a task, a summary item, a flow, a system, a
//! model or a content page's front matter. Left out, `scopes:` means every scope; given
//! empty, the item applies in none and silently disappears from every page, which is
//! never what the writer meant.
//!
//! The parsed items do not keep the position of their `scopes:` list, so the key is
//! found in the source text: a line `scopes: []` (optionally a list item, with a
//! comment) in a data file or in a page's front matter.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::model::Project;
use crate::source::Span;

pub fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    for (file, source) in project.sources.files() {
        let path = source.path.as_str();
        // In a data file a `scopes:` at the top is the list of a scopes file, which may
        // be empty; in front matter it is the page's own.
        let data_file =
            path.starts_with("data/") && (path.ends_with(".yaml") || path.ends_with(".yml"));
        let (text, top_level) = if data_file {
            (source.text.as_str(), false)
        } else if path.starts_with("content/") && path.ends_with(".md") {
            (front_matter(&source.text), true)
        } else {
            continue;
        };
        for key in empty_scope_lists(text, top_level) {
            found.push(
                Diagnostic::new(
                    RuleId::YamlInvalidValue,
                    "`scopes:` is an empty list, so this applies in no scope",
                )
                .at(Span::new(file, key, key + "scopes".len()), "empty list")
                .help("list the scopes it applies in, or leave out `scopes:` for every scope"),
            );
        }
    }
}

/// The front matter of a page (the text between its opening `---` line and the next
/// `---` line), or "" when it has none. Offsets stay those of the whole file.
fn front_matter(text: &str) -> &str {
    let Some(after) = text.strip_prefix("---") else {
        return "";
    };
    if !after.starts_with('\n') && !after.starts_with("\r\n") {
        return "";
    }
    let end = after.find("\n---").map_or(text.len(), |i| 3 + i);
    &text[..end]
}

/// The byte offsets of the `scopes` keys whose value is written as `[]`; keys at the
/// start of a line count only when `top_level`.
fn empty_scope_lists(text: &str, top_level: bool) -> Vec<usize> {
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let (item_marker, rest) = match rest.strip_prefix("- ") {
            Some(after) => (
                2 + after.len() - after.trim_start().len(),
                after.trim_start(),
            ),
            None => (0, rest),
        };
        let nested = indent + item_marker > 0;
        if let Some(value) = rest.strip_prefix("scopes:").filter(|_| nested || top_level) {
            let value = value.split('#').next().unwrap_or("").trim();
            let inner = value.strip_prefix('[').and_then(|v| v.strip_suffix(']'));
            if inner.is_some_and(|inner| inner.trim().is_empty()) {
                keys.push(offset + indent + item_marker);
            }
        }
        offset += line.len();
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::{empty_scope_lists, front_matter};

    #[test]
    fn finds_empty_lists_as_keys_and_as_list_items() {
        let text = "a:\n  scopes: []\n  - scopes: [ ] # none\nscopes: [x]\nscopes:\n";
        assert_eq!(empty_scope_lists(text, false), [5, 20]);
        assert!(empty_scope_lists("scopes: []\n", false).is_empty());
    }

    #[test]
    fn front_matter_ends_at_its_closing_line() {
        let text = "---\ntitle: x\nscopes: []\n---\nscopes: []\n";
        assert_eq!(empty_scope_lists(front_matter(text), true), [13]);
        assert_eq!(front_matter("no front matter\nscopes: []\n"), "");
    }
}
