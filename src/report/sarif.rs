//! SARIF 2.1.0, for code-scanning dashboards: every registered rule with its description,
//! and one result per finding with its region.

use crate::diagnostic::{Findings, RuleId, Severity};
use crate::source::Sources;
use serde_json::{Value, json};

pub(crate) fn render(findings: &Findings, sources: &Sources) -> String {
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.as_str(),
                "shortDescription": {"text": rule.summary()},
                "defaultConfiguration": {"level": level(rule.default_severity())},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": d.rule.index(),
                "level": level(d.severity),
                "message": {"text": text},
            });
            if let Some(primary) = &d.primary {
                let start = sources.start(primary.span);
                let end = sources.end(primary.span);
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": sources.display_path(primary.span.file)},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    },
                    "message": {"text": primary.message},
                }]);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let start = sources.start(label.span);
                        let end = sources.end(label.span);
                        json!({
                            "id": i,
                            "physicalLocation": {
                                "artifactLocation": {"uri": sources.display_path(label.span.file)},
                                "region": {
                                    "startLine": start.line,
                                    "startColumn": start.column,
                                    "endLine": end.line,
                                    "endColumn": end.column,
                                }
                            },
                            "message": {"text": label.message},
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rasci",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
