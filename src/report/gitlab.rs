//! GitLab Code Quality: a JSON array with one entry per finding, which GitLab shows in
//! merge requests. GitLab tells findings apart, across pipelines, by `fingerprint`, so it
//! must be the same for the same finding in every run and differ between findings.

use crate::diagnostic::{Findings, Severity};
use crate::source::Sources;
use serde::Serialize;

/// Where findings about the project as a whole are shown: its configuration file.
const PROJECT_FILE: &str = "rasci.yaml";

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub(crate) fn render(findings: &Findings, sources: &Sources) -> String {
    let issues: Vec<Issue> = findings
        .diagnostics
        .iter()
        .map(|d| {
            let (path, line) = match &d.primary {
                Some(primary) => (
                    sources.display_path(primary.span.file),
                    sources.start(primary.span).line,
                ),
                None => (PROJECT_FILE.to_string(), 1),
            };
            let mut description = d.message.clone();
            if let Some(help) = &d.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            Issue {
                fingerprint: fingerprint(&[d.rule.as_str(), &path, &d.message, &line.to_string()]),
                description,
                check_name: d.rule.as_str(),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path,
                    lines: Lines { begin: line },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("report values serialize");
    text.push('\n');
    text
}

/// FNV-1a (128-bit) of the parts, each followed by a NUL so that `("ab", "c")` and
/// `("a", "bc")` differ, as 32 hex digits. Not for secrets: it only has to be stable and
/// spread out, which FNV is, without another dependency.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_are_stable_and_tell_parts_apart() {
        let one = fingerprint(&["rasci/one-accountable", "data/tasks.yaml", "m", "3"]);
        assert_eq!(
            one,
            fingerprint(&["rasci/one-accountable", "data/tasks.yaml", "m", "3"])
        );
        assert_eq!(one.len(), 32);
        assert!(one.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(
            one,
            fingerprint(&["rasci/one-accountable", "data/tasks.yaml", "m", "4"])
        );
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        // The empty input gives the FNV-1a offset basis: the constants are the standard ones.
        assert_eq!(fingerprint(&[]), "6c62272e07bb014262b821756295c58d");
    }
}
