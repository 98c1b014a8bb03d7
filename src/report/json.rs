//! The JSON report: a versioned document of every finding. The shape is a public
//! contract; bump `version` on any change that is not a pure addition.

use crate::diagnostic::{Diagnostic, Findings, Label};
use crate::source::Sources;
use serde_json::{Value, json};

pub(crate) const VERSION: u32 = 1;

pub(crate) fn render(findings: &Findings, sources: &Sources) -> String {
    let diagnostics: Vec<Value> = findings
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, sources))
        .collect();
    let document = json!({
        "version": VERSION,
        "summary": {"errors": findings.errors(), "warnings": findings.warnings()},
        "diagnostics": diagnostics,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn diagnostic(d: &Diagnostic, sources: &Sources) -> Value {
    let mut value = json!({
        "id": d.rule,
        "severity": d.severity.as_str(),
        "message": d.message,
        "help": d.help,
        "labels": d.labels.iter().map(|l| label(l, sources)).collect::<Vec<_>>(),
    });
    let position = d.primary.as_ref().map(|primary| label(primary, sources));
    for key in ["file", "line", "column", "end", "label"] {
        value[key] = position.as_ref().map_or(Value::Null, |p| p[key].clone());
    }
    value
}

/// A place in a file: where it starts, where it ends (exclusive), and what it says.
fn label(l: &Label, sources: &Sources) -> Value {
    let start = sources.start(l.span);
    let end = sources.end(l.span);
    json!({
        "file": sources.display_path(l.span.file),
        "line": start.line,
        "column": start.column,
        "end": {"line": end.line, "column": end.column},
        "label": l.message,
    })
}
