//! Ids: the names data gives to parties, scopes, sections, tasks, systems, flows and a
//! flow's lanes and steps. They become folder names, file names and HTML `id`s of the
//! site, so each is checked where it is defined against one syntax:
//!
//! - lowercase ASCII letters `a-z`, digits `0-9`, `-` and `_`;
//! - starting with a letter or a digit;
//! - at most [`MAX_LEN`] characters.
//!
//! That leaves no room for `..`, `/`, a leading dot, quotes, spaces or markup. Scope ids
//! and model ids are also top-level folders of the site, so they must not equal each
//! other (`id/collision`) and must not take a name the site itself uses
//! ([`SITE_NAMES`]). Glossary terms are free text; their anchors are made from them
//! (`term_anchor`), and two terms with one anchor are an error.
//!
//! The reserved names and the anchor rule live here, where ids are validated, rather
//! than in the renderer that uses them: the loader must not reach into a later stage, and
//! what is checked and what is written then cannot differ.

use crate::diagnostic::{Diagnostic, Findings, RuleId};
use crate::model::{Located, Project};
use std::collections::HashMap;

/// Every name the site writes at its top level for itself, next to one folder per
/// scope (or per content page, in a project without scopes). A scope id or a
/// top-level content page that takes one of these names is an error (`id/reserved`). The
/// renderer's URLs are tested to stay within this list.
pub const SITE_NAMES: &[&str] = &[
    "index.html",
    "404.html",
    "search-index.js",
    "sitemap.xml",
    "robots.txt",
    "static",
    "glossary",
    "compare",
    "parties",
    "diagrams",
    "frameworks",
    // What changed in each published version: `changes/`, `v/<id>/changes/`.
    "changes",
    // Their Atom feed, at the root only.
    "changes.xml",
    // The published versions of `versions:` in rasci.yaml: `v/<id>/`.
    "v",
];

/// A URL fragment from a heading or name: lower case ASCII letters and digits joined by
/// single hyphens, so anchors stay readable in the address bar.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if hyphen && !slug.is_empty() {
                slug.push('-');
            }
            hyphen = false;
            slug.extend(c.to_lowercase());
        } else {
            hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// The id of a term's entry on the glossary page.
pub(crate) fn term_anchor(term: &str) -> String {
    format!("term-{}", slugify(term))
}

/// The longest id accepted.
pub const MAX_LEN: usize = 64;

/// The id syntax as a regular expression, as the JSON Schema states it.
pub const PATTERN: &str = "^[a-z0-9][a-z0-9_-]*$";

/// What is wrong with `id`, if anything, in words for a finding.
pub fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("an id cannot be empty".into());
    }
    if id.chars().count() > MAX_LEN {
        return Some(format!(
            "an id has at most {MAX_LEN} characters; this one has {}",
            id.chars().count()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
    {
        let shown = match bad {
            ' ' => "a space".to_string(),
            c if c.is_control() => format!("the control character U+{:04X}", c as u32),
            c => format!("`{c}`"),
        };
        return Some(format!(
            "an id holds only lowercase letters a-z, digits, `-` and `_`, not {shown}"
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("an id starts with a letter or a digit".into());
    }
    None
}

/// A valid id close to `id`: lower case, every run of other characters turned into one
/// `-`, trimmed, cut to the length limit. Empty when nothing of `id` can be kept.
pub(crate) fn suggest(id: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    let out = out.trim_start_matches('_');
    let mut cut: String = out.chars().take(MAX_LEN).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// Checks every id the data defines, and the glossary's anchors.
pub(crate) fn check(project: &Project, findings: &mut Findings) {
    // Former ids (`aliases:`) become addresses and anchors as ids do, so each is held
    // to the same rules.
    // A condition id stands in a `data-when` list of ids the page's script splits at
    // spaces, so it keeps to the same rule.
    for condition in &project.conditions {
        check_id("condition", &condition.id, findings);
    }
    // A framework id is a folder of the site (`frameworks/<id>/`).
    for framework in &project.frameworks {
        check_id("framework", &framework.id, findings);
    }
    for party in &project.parties {
        check_id("party", &party.id, findings);
        for alias in &party.aliases {
            check_id("former party", alias, findings);
        }
    }
    for scope in &project.scopes {
        for id in std::iter::once(&scope.id).chain(&scope.aliases) {
            if !check_reserved("scope", id, findings) {
                check_id("scope", id, findings);
            }
        }
    }
    for def in project.models.iter().filter_map(|m| m.def.as_ref()) {
        for id in std::iter::once(&def.id).chain(&def.aliases) {
            if !check_reserved("model", id, findings) && !check_id("model", id, findings) {
                check_model_scope(project, id, findings);
            }
        }
    }
    for section in &project.sections {
        check_id("section", &section.id, findings);
        for alias in &section.aliases {
            check_id("former section", alias, findings);
        }
        for task in &section.tasks {
            check_id("task", &task.id, findings);
            for alias in &task.aliases {
                check_id("former task", alias, findings);
            }
        }
    }
    for system in &project.systems {
        check_id("system", &system.id, findings);
    }
    // Anchors and SVG ids made from flow and step ids, each with the id it is made from:
    // flow `a` with step `b-c` and flow `a-b` with step `c` would share
    // `step-flow-a-b-c`; flow `a-arrow` would take flow `a`'s arrowhead `rasci-flow-a-arrow`.
    let mut anchors: HashMap<String, (&Located<String>, &Located<String>)> = HashMap::new();
    for flow in &project.flows {
        check_id("flow", &flow.id, findings);
        for lane in &flow.lanes {
            check_id("lane", &lane.id, findings);
        }
        let f = &flow.id.value;
        let mut made: Vec<(String, &Located<String>)> = ["", "-title", "-desc", "-arrow", "-steps"]
            .iter()
            .map(|suffix| (format!("rasci-flow-{f}{suffix}"), &flow.id))
            .collect();
        for step in &flow.steps {
            check_id("step", &step.id, findings);
            made.push((format!("step-flow-{f}-{}", step.id.value), &step.id));
            made.push((format!("rasci-flow-{f}-step-{}", step.id.value), &step.id));
        }
        for (anchor, source) in made {
            match anchors.get(&anchor) {
                // The same id given twice is `ref/duplicate-id`'s.
                Some((earlier_flow, earlier))
                    if earlier_flow.value != *f || earlier.value != source.value =>
                {
                    findings.push(
                        Diagnostic::new(
                            RuleId::IdCollision,
                            format!(
                                "`{}` of flow `{f}` gives the anchor `{anchor}`, which `{}` of flow `{}` gives too",
                                source.value, earlier.value, earlier_flow.value
                            ),
                        )
                        .at(source.span, format!("gives `{anchor}`"))
                        .label(earlier.span, "gives it first")
                        .help("rename one of the two flows or steps"),
                    );
                }
                Some(_) => {}
                None => {
                    anchors.insert(anchor, (&flow.id, source));
                }
            }
        }
    }
    check_terms(project, findings);
}

/// Reports `id` if it breaks the syntax; returns whether it was reported.
fn check_id(kind: &str, id: &Located<String>, findings: &mut Findings) -> bool {
    let Some(problem) = problem(&id.value) else {
        return false;
    };
    let suggestion = suggest(&id.value);
    let help = if suggestion.is_empty() {
        format!("give the {kind} an id such as `{kind}-1`: lowercase letters, digits, `-` and `_`")
    } else {
        format!("write it as `{suggestion}`: lowercase letters, digits, `-` and `_`")
    };
    findings.push(
        Diagnostic::new(
            RuleId::IdSyntax,
            format!("the {kind} id `{}` cannot be used", shown(&id.value)),
        )
        .at(id.span, problem)
        .help(help),
    );
    true
}

/// Reports a model id that is also a scope's: the model's pages (`<model>/<scope>/`)
/// and the scope's own pages (`<scope>/<page>/`) would share a top-level folder.
fn check_model_scope(project: &Project, id: &Located<String>, findings: &mut Findings) {
    let Some(scope) = project.scopes.iter().find(|s| s.id.value == id.value) else {
        return;
    };
    findings.push(
        Diagnostic::new(
            RuleId::IdCollision,
            format!(
                "model `{}` has the id of scope `{}`",
                id.value, scope.id.value
            ),
        )
        .at(
            id.span,
            "this model's pages would share a folder with the scope's",
        )
        .label(scope.id.span, "the scope with this id")
        .help("give the model an id that no scope has"),
    );
}

/// Reports a scope id that is a name the site uses for its own files; returns whether it
/// was reported.
fn check_reserved(kind: &str, id: &Located<String>, findings: &mut Findings) -> bool {
    if !SITE_NAMES.contains(&id.value.as_str()) {
        return false;
    }
    findings.push(reserved(kind, &id.value, id.span));
    true
}

/// The finding for a name that the site's own files already take.
pub(crate) fn reserved(kind: &str, name: &str, span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        RuleId::IdReserved,
        format!("the {kind} `{name}` would take the place of the site's own `{name}`"),
    )
    .at(span, "a name the site uses for its own files")
    .help(format!(
        "choose another name; the site's own top-level names are {}",
        crate::diagnostic::list_names(SITE_NAMES)
    ))
}

/// An id as shown in a message: long ones cut, so a finding stays one line.
fn shown(id: &str) -> String {
    if id.chars().count() > 40 {
        let head: String = id.chars().take(40).collect();
        format!("{head}…")
    } else {
        id.to_string()
    }
}

/// Two glossary terms whose anchors on the glossary page are the same.
fn check_terms(project: &Project, findings: &mut Findings) {
    let mut first: HashMap<String, &Located<String>> = HashMap::new();
    for term in &project.glossary {
        let anchor = term_anchor(&term.term.value);
        match first.get(&anchor) {
            // Terms equal but for case are `ref/duplicate-id`'s.
            Some(earlier) if earlier.value.to_lowercase() == term.term.value.to_lowercase() => {}
            Some(earlier) => findings.push(
                Diagnostic::new(
                    RuleId::IdCollision,
                    format!(
                        "glossary terms `{}` and `{}` get the same anchor `{anchor}`",
                        earlier.value, term.term.value
                    ),
                )
                .at(term.term.span, "this term's anchor")
                .label(earlier.span, "is this term's already")
                .help("anchors keep only letters and digits; make the two terms differ in those, or merge them with `aliases`"),
            ),
            None => {
                first.insert(anchor, &term.term);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("Dialogue Cloud deployment specific"),
            "dialogue-cloud-deployment-specific"
        );
        assert_eq!(slugify("L2/L3 — support!"), "l2-l3-support");
        assert_eq!(slugify("???"), "section");
        assert_eq!(term_anchor("Tenant admin"), "term-tenant-admin");
    }

    #[test]
    fn syntax() {
        for good in ["a", "customer", "l2-support", "x_1", "9lives"] {
            assert_eq!(problem(good), None, "{good}");
        }
        for bad in [
            "", "../x", "a/b", ".hidden", "A", "a b", "<b>", "-x", "_x", "é",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
        assert!(problem(&"a".repeat(MAX_LEN)).is_none());
        assert!(problem(&"a".repeat(MAX_LEN + 1)).is_some());
    }

    #[test]
    fn suggestions_are_valid() {
        assert_eq!(suggest("../x"), "x");
        assert_eq!(suggest("My Party"), "my-party");
        assert_eq!(
            suggest("x\" onmouseover=\"alert(1)"),
            "x-onmouseover-alert-1"
        );
        assert_eq!(suggest("<b>"), "b");
        assert_eq!(suggest("..."), "");
        for id in ["a.b", "Über", &"z".repeat(300)] {
            let s = suggest(id);
            assert!(s.is_empty() || problem(&s).is_none(), "{id} -> {s}");
        }
    }
}
