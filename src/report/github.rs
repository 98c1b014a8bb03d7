//! GitHub workflow commands: one `::error file=…,line=…,col=…,title=…::message` line per
//! finding, escaped as the runner expects (`%`, CR and LF everywhere; `:` and `,` too in
//! property values).

use crate::diagnostic::{Findings, Severity};
use crate::source::Sources;

pub(crate) fn render(findings: &Findings, sources: &Sources) -> String {
    let mut out = String::new();
    for d in &findings.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(primary) = &d.primary {
            let start = sources.start(primary.span);
            let end = sources.end(primary.span);
            properties.push(format!(
                "file={}",
                escape_property(&sources.display_path(primary.span.file))
            ));
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", end.line));
            properties.push(format!("endColumn={}", end.column));
        }
        properties.push(format!("title={}", escape_property(d.rule.as_str())));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50%\r\nok: a,b"), "50%25%0D%0Aok: a,b");
        assert_eq!(escape_property("rasci/x:y,z%"), "rasci/x%3Ay%2Cz%25");
    }
}
