//! Reporters: the same findings as rustc-style text, versioned JSON, SARIF 2.1.0, GitHub
//! workflow commands or a GitLab Code Quality report.

mod github;
mod gitlab;
mod human;
mod json;
mod sarif;

use crate::diagnostic::Findings;
use crate::source::Sources;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
}

/// Renders all findings in `format`. `color` applies to `human` only.
pub fn render(format: Format, findings: &Findings, sources: &Sources, color: bool) -> String {
    match format {
        Format::Human => human::render(findings, sources, color),
        Format::Json => json::render(findings, sources),
        Format::Sarif => sarif::render(findings, sources),
        Format::Github => github::render(findings, sources),
        Format::Gitlab => gitlab::render(findings, sources),
    }
}

/// `N errors, M warnings`, the last line of human output.
pub(crate) fn summary_line(findings: &Findings) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(findings.errors(), "error"),
        plural(findings.warnings(), "warning")
    )
}
