//! Findings as data.
//!
//! Every stage that can find something wrong (loading, checking, rendering) returns
//! [`Diagnostic`]s; reporters in [`crate::report`] turn them into text, JSON, SARIF or
//! GitHub annotations. Nothing here prints.
//!
//! A finding names its rule by a typed [`RuleId`] (see `rule`) and starts at that rule's
//! default severity; it knows nothing of `rasci.yaml`, which the check stage applies
//! afterwards.

pub(crate) mod rule;
pub(crate) mod severity;

pub use rule::RuleId;
pub use severity::Severity;

use crate::source::{Sources, Span};

/// A span with a short text saying what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding: which rule, how bad, where, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule, such as [`RuleId::RasciOneAccountable`] (`rasci/one-accountable`).
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    /// Where the finding points; `None` only for findings about the project as a whole.
    pub primary: Option<Label>,
    /// Further places that explain the finding (the other duplicate, every `A`, ...).
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding at the rule's default severity.
    pub(crate) fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            primary: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub(crate) fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub(crate) fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sort key: file, then position, then rule, so output is stable.
    fn sort_key(&self, sources: &Sources) -> (String, usize, usize, &'static str, String) {
        // By the public id, not the declaration order, so the order of findings does not
        // depend on where a rule is declared.
        match &self.primary {
            Some(label) => (
                sources.path(label.span.file).to_string(),
                label.span.start,
                label.span.end,
                self.rule.as_str(),
                self.message.clone(),
            ),
            None => (
                String::new(),
                0,
                0,
                self.rule.as_str(),
                self.message.clone(),
            ),
        }
    }
}

/// All findings of one run, with the sources they point into.
#[derive(Debug, Default, Clone)]
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
}

impl Findings {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// Sorts by file and position and drops exact repeats.
    pub(crate) fn sort(&mut self, sources: &Sources) {
        self.diagnostics
            .sort_by_cached_key(|diagnostic| diagnostic.sort_key(sources));
        self.diagnostics.dedup();
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// "did you mean `x`?" for an unknown name, from the closest known name.
pub(crate) fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(unknown, known).map(|name| format!("did you mean `{name}`?"))
}

/// The known name closest to `unknown`, when one is close enough to be the one meant.
pub(crate) fn closest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::jaro_winkler(&unknown.to_lowercase(), &candidate.to_lowercase());
        if score >= 0.75 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// A readable list of names: "`a`, `b` and `c`".
pub(crate) fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
