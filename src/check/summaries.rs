//! Summary rules: each item of a responsibility summary is a line of text or a heading
//! over nested items, and a heading has items under it. (The parties and scopes a summary
//! names are reference rules, in `refs`.)

use crate::diagnostic::{Diagnostic, RuleId};
use crate::model::{Project, SummaryItem};
use crate::source::Span;

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    for summary in &project.summaries {
        check_items(&summary.items, summary.party.span, found);
    }
}

/// The items of one summary, at every depth; `summary_span` is where a finding points
/// when an item has nothing of its own to point at.
fn check_items(items: &[SummaryItem], summary_span: Span, found: &mut Vec<Diagnostic>) {
    for item in items {
        check_items(&item.items, summary_span, found);
        match (&item.text, &item.heading) {
            (Some(text), Some(heading)) => found.push(
                Diagnostic::new(
                    RuleId::SummaryItem,
                    "a summary item has both `text` and `heading`",
                )
                .at(heading.span, "heading given here")
                .label(text.span, "text given here")
                .help(
                    "an item is a line of text, or a heading over nested `items:`; split it in two",
                ),
            ),
            (None, None) => found.push(
                Diagnostic::new(
                    RuleId::SummaryItem,
                    "a summary item has neither `text` nor `heading`",
                )
                .at(
                    item.scopes
                        .iter()
                        .flatten()
                        .next()
                        .map_or(summary_span, |s| s.span),
                    "this item shows nothing",
                )
                .help("give it `text:`, or a `heading:` with nested `items:`"),
            ),
            _ => {}
        }
        let Some(heading) = &item.heading else {
            continue;
        };
        if item.items.is_empty() {
            found.push(
                Diagnostic::new(
                    RuleId::SummaryEmptyHeading,
                    format!("the summary heading \"{}\" has no items", heading.value),
                )
                .at(heading.span, "nothing is listed under this heading")
                .help("add items under it, or remove the heading"),
            );
        }
    }
}
