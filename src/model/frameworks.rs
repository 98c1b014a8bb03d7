//! `data/frameworks.yaml`: the control frameworks (ISO/IEC 27001, NIST SP 800-53, …) whose
//! controls tasks implement, and the rules of what a control reference may be.
//!
//! A task names the controls it implements as `framework:control` under `controls:`.
//! A framework that lists its controls makes every other control id of it an error; one
//! that lists none accepts any control id of the right form. Both forms, the control ids
//! and the link pattern, are checked here once, so the site, the exports and the checks
//! agree on what a reference is.

use crate::located::Located;
use schemars::JsonSchema;
use serde::Deserialize;

/// `data/frameworks.yaml`: the frameworks a project's tasks may reference.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrameworksFile {
    #[schemars(length(max = 32))]
    pub(crate) frameworks: Vec<Framework>,
}

/// A control framework: a catalogue of controls a task can implement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Short identifier used before the `:` of a control reference, e.g. `iso27001`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]*$"), length(min = 1, max = 64))]
    pub id: Located<String>,
    /// Name shown on the framework's page, e.g. "ISO/IEC 27001:2022 Annex A".
    pub name: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// Where a control is described: an `https://` address with one `{control}`, which
    /// the control id replaces, percent-encoded.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https://[^{}]*\{control\}[^{}]*$"))]
    pub(crate) url: Option<Located<String>>,
    /// The framework's controls. When listed, a reference to any other control of the
    /// framework is an error, and the page shows the controls no task implements.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub(crate) controls: Vec<Control>,
}

/// A control of a framework.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The control's id as the framework writes it, e.g. `A.5.24` or `AC-2(1)`.
    #[schemars(
        regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._()-]*$"),
        length(min = 1, max = 64)
    )]
    pub id: Located<String>,
    /// The control's title, e.g. "Information security incident management planning
    /// and preparation".
    #[serde(default)]
    pub(crate) title: Option<Located<String>>,
}

/// The most frameworks a project defines: each is a page of the site.
pub const MAX_FRAMEWORKS: usize = 32;
/// The most controls one framework lists (NIST SP 800-53 has about 1,200 with its
/// enhancements).
pub const MAX_CONTROLS_PER_FRAMEWORK: usize = 2000;
/// The most control references one task makes.
pub const MAX_CONTROLS_PER_TASK: usize = 32;
/// The longest control id.
pub const MAX_CONTROL_LEN: usize = 64;

/// The placeholder of a framework's `url` that a control id replaces.
pub(crate) const CONTROL_PLACEHOLDER: &str = "{control}";

/// What is wrong with a control id, if anything, in words for a finding: 1 to 64 ASCII
/// letters, digits, `.`, `-`, `_`, `(` and `)`, starting with a letter or digit.
pub(crate) fn control_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("a control id cannot be empty".into());
    }
    if id.len() > MAX_CONTROL_LEN {
        return Some(format!(
            "a control id has at most {MAX_CONTROL_LEN} characters; this one has {}",
            id.chars().count()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._()-".contains(*c)))
    {
        return Some(format!(
            "a control id holds only ASCII letters, digits, `.`, `-`, `_`, `(` and `)`, not {}",
            crate::escape::shown(&bad.to_string())
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("a control id starts with a letter or a digit".into());
    }
    None
}

/// A reference of a task's `controls:` split at its first `:`, `(framework, control)`;
/// `None` when it has no `:`.
pub(crate) fn split_reference(reference: &str) -> Option<(&str, &str)> {
    reference.split_once(':')
}

/// A usable control address pattern, split at its `{control}`. Only
/// [`ControlUrl::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ControlUrl {
    before: String,
    after: String,
}

impl ControlUrl {
    /// The pattern, or why it cannot make a link: an `https://` address with a host,
    /// exactly one `{control}` after the host, no other braces, and nothing that could end
    /// an attribute or hide in one (white space, quotes, angle brackets, controls).
    pub(crate) fn parse(pattern: &str) -> Result<ControlUrl, String> {
        let Some(rest) = pattern.strip_prefix("https://") else {
            return Err("not an `https://` address".into());
        };
        if let Some(c) = pattern
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`^|".contains(*c))
        {
            return Err(format!("{c:?} cannot stand in an address"));
        }
        let placeholders = pattern.matches(CONTROL_PLACEHOLDER).count();
        if placeholders != 1 {
            return Err(format!(
                "the pattern holds `{CONTROL_PLACEHOLDER}` {placeholders} times, not once"
            ));
        }
        let (before, after) = pattern
            .split_once(CONTROL_PLACEHOLDER)
            .expect("counted once above");
        if before.contains(['{', '}']) || after.contains(['{', '}']) {
            return Err(format!(
                "`{CONTROL_PLACEHOLDER}` is the only placeholder; other braces cannot stand in an address"
            ));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || host.contains(CONTROL_PLACEHOLDER) {
            return Err("the address names no host before `{control}`".into());
        }
        if url::Url::parse(&format!("{before}x{after}")).is_err() {
            return Err("it does not parse as an address".into());
        }
        Ok(ControlUrl {
            before: before.to_string(),
            after: after.to_string(),
        })
    }

    /// The address of `control`: every byte but ASCII letters, digits, `-`, `.`, `_` and
    /// `~` percent-encoded, so a control id can neither leave its place nor add a query.
    pub(crate) fn link(&self, control: &str) -> String {
        let mut link = self.before.clone();
        for byte in control.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                link.push(char::from(byte));
            } else {
                link.push_str(&format!("%{byte:02X}"));
            }
        }
        link.push_str(&self.after);
        link
    }
}

impl Framework {
    /// The control with id `id`, when the framework lists it.
    pub(crate) fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id.value == id)
    }

    /// The link to `control`'s description, when the framework has a usable `url`.
    pub(crate) fn control_link(&self, control: &str) -> Option<String> {
        let pattern = ControlUrl::parse(&self.url.as_ref()?.value).ok()?;
        Some(pattern.link(control))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_url_encodes_the_id_and_refuses_what_is_not_https() {
        let url = ControlUrl::parse("https://example.org/controls/{control}?lang=en").unwrap();
        assert_eq!(
            url.link("AC-2(1)"),
            "https://example.org/controls/AC-2%281%29?lang=en"
        );
        assert_eq!(
            url.link("a/../b\"c"),
            "https://example.org/controls/a%2F..%2Fb%22c?lang=en"
        );
        assert!(ControlUrl::parse("http://example.org/{control}").is_err());
        assert!(ControlUrl::parse("javascript:alert(1)//{control}").is_err());
        assert!(ControlUrl::parse("https://example.org/").is_err());
        assert!(ControlUrl::parse("https://example.org/{control}/{control}").is_err());
        assert!(ControlUrl::parse("https://{control}/x").is_err());
        assert!(ControlUrl::parse("https://example.org/\"{control}").is_err());
    }

    #[test]
    fn control_ids_keep_to_their_rule() {
        assert_eq!(control_problem("A.5.24"), None);
        assert_eq!(control_problem("AC-2(1)"), None);
        assert!(control_problem("").is_some());
        assert!(control_problem(".5").is_some());
        assert!(control_problem("a b").is_some());
        assert!(control_problem(&"a".repeat(65)).is_some());
    }
}
