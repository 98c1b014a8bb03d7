//! `versions:` of `rasci.yaml`: the earlier versions a build publishes. Each id becomes a
//! segment of the site's addresses (`v/<id>/`) and each revision an argument of `git`,
//! so both are judged here, before anything uses them; a list with any unusable entry is
//! emptied, so a build never publishes some versions and silently drops others.

use crate::config::MAX_VERSIONS;
use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::escape::shown;
use crate::model::{Day, Project};

/// The longest version id: it is a folder name of the site.
const MAX_ID: usize = 32;
/// The longest revision name git is asked for.
const MAX_REVISION: usize = 200;
/// The longest display name.
const MAX_NAME: usize = 64;

pub(crate) fn check(project: &mut Project, findings: &mut Findings) {
    let versions = &project.config.versions;
    let before = findings.diagnostics.len();
    if versions.len() > MAX_VERSIONS {
        findings.push(
            Diagnostic::new(
                RuleId::ConfigVersions,
                format!(
                    "`versions` lists {} versions; at most {MAX_VERSIONS} are published",
                    versions.len()
                ),
            )
            .at(versions[MAX_VERSIONS].id.span, "one too many")
            .help("publish the versions readers still sign against; drop the oldest"),
        );
    }
    let mut newer: Option<(Day, &str)> = None;
    for (index, version) in versions.iter().enumerate().take(MAX_VERSIONS) {
        let id = version.id.as_str();
        if !is_segment(id) {
            findings.push(
                Diagnostic::new(
                    RuleId::ConfigVersions,
                    format!("`{}` is not a version id", shown(id)),
                )
                .at(version.id.span, "used as a folder of the site's addresses")
                .help(format!("an id is 1 to {MAX_ID} lowercase letters a-z, digits, `.` and `-`, starting with a letter or digit: `2025.1`")),
            );
        } else if let Some(first) = versions[..index].iter().find(|v| v.id.value == id) {
            findings.push(
                Diagnostic::new(
                    RuleId::ConfigVersions,
                    format!("version `{id}` is listed twice"),
                )
                .at(version.id.span, "a second version with this id")
                .label(first.id.span, "the first"),
            );
        }
        let name = version.name.as_str();
        if name.trim().is_empty() || name.chars().count() > MAX_NAME {
            findings.push(
                Diagnostic::new(
                    RuleId::ConfigVersions,
                    format!("a version's name has 1 to {MAX_NAME} characters"),
                )
                .at(version.name.span, "this name"),
            );
        }
        let revision = version.revision.as_str();
        let usable = !revision.is_empty()
            && revision.len() <= MAX_REVISION
            && !revision.starts_with('-')
            && !revision
                .chars()
                .any(|c| c.is_whitespace() || c.is_control());
        if !usable {
            findings.push(
                Diagnostic::new(
                    RuleId::ConfigVersions,
                    format!("`{}` is not a revision name", shown(revision)),
                )
                .at(version.revision.span, "given to git")
                .help(format!("name a tag, a branch or a commit: up to {MAX_REVISION} characters, no spaces, not starting with `-`")),
            );
        }
        match Day::parse(version.effective.as_str()) {
            None => findings.push(
                Diagnostic::new(
                    RuleId::ConfigVersions,
                    format!("`{}` is not a date", shown(version.effective.as_str())),
                )
                .at(version.effective.span, "this effective date")
                .help("write a calendar day as YYYY-MM-DD, such as 2025-04-01"),
            ),
            Some(day) => {
                if let Some((newer_day, newer_id)) = newer.filter(|(newer_day, _)| day > *newer_day)
                {
                    findings.push(
                        Diagnostic::new(
                            RuleId::ConfigVersions,
                            format!(
                                "version `{}` takes effect on {day}, after the newer version `{}` ({newer_day})",
                                shown(id),
                                shown(newer_id)
                            ),
                        )
                        .at(version.effective.span, "later than the version listed before it")
                        .help("list the versions newest first, each with the day it took effect"),
                    );
                }
                newer = Some((day, id));
            }
        }
    }
    if findings.diagnostics.len() > before {
        project.config.versions.clear();
    }
}

/// Whether `id` can be a folder of the site's addresses: 1 to 32 of `a`-`z`, `0`-`9`,
/// `.` and `-`, starting with a letter or digit (so never `.`, `..` or a hidden folder).
fn is_segment(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_ID
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
}
