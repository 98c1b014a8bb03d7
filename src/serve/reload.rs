//! The page side of the preview: a script added to every HTML response that follows the
//! server's event stream, reloads the page in place on `reload` and shows the findings
//! over the page on `findings`.
//!
//! The script is added when a page is served, never to the built site, so the preview
//! serves the same bytes `rasci build` writes plus this one script.

use super::state::{Event, State};
use crate::diagnostic::{Findings, Severity};
use crate::source::Sources;
use axum::response::sse::{self, Sse};
use futures_util::stream::Stream;
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Where the event stream is served; no file of a site can have this path, since
/// segments starting with `_` never come out of the renderer and `__rasci` is reserved.
pub(crate) const EVENTS_PATH: &str = "/__rasci/events";

/// The findings of the last build as sent to pages: an empty list when there is no error
/// (warnings alone do not cover the page), else every finding, errors first as sorted.
pub(crate) fn findings_json(findings: &Findings, sources: &Sources) -> Arc<str> {
    if findings.errors() == 0 {
        return Arc::from("[]");
    }
    let list: Vec<serde_json::Value> = findings
        .diagnostics
        .iter()
        .map(|d| {
            let (file, line, column) = match &d.primary {
                Some(label) => {
                    let at = sources.start(label.span);
                    (
                        Some(sources.path(label.span.file).to_string()),
                        Some(at.line),
                        Some(at.column),
                    )
                }
                None => (None, None, None),
            };
            json!({
                "severity": d.severity.as_str(),
                "rule": d.rule,
                "message": d.message,
                "file": file,
                "line": line,
                "column": column,
                "help": d.help,
            })
        })
        .collect();
    Arc::from(serde_json::Value::Array(list).to_string())
}

/// A build that could not run at all, in the same shape as [`findings_json`].
pub(crate) fn error_json(message: &str) -> Arc<str> {
    let list = json!([{
        "severity": Severity::Error.as_str(),
        "rule": "build",
        "message": message,
        "file": null,
        "line": null,
        "column": null,
        "help": null,
    }]);
    Arc::from(list.to_string())
}

/// The event stream of one open page: the version of the site served now (so a page that
/// missed a reload catches up), the current findings (so a page opened while the input is
/// broken shows them at once), then every event as it happens, until the server stops.
pub(crate) fn events(
    state: &State,
    stop: watch::Receiver<bool>,
) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>> + use<>> {
    let receiver = state.subscribe();
    let version = sse::Event::default()
        .event("version")
        .data(state.site().1.to_string());
    let pending = vec![to_sse(&Event::Findings(state.findings())), version];
    let stream =
        futures_util::stream::unfold((pending, receiver), move |(mut pending, mut receiver)| {
            let mut stop = stop.clone();
            async move {
                if let Some(event) = pending.pop() {
                    return Some((Ok(event), (pending, receiver)));
                }
                if *stop.borrow() {
                    return None;
                }
                let event = tokio::select! {
                    _ = stop.changed() => return None,
                    received = receiver.recv() => match received {
                        Ok(event) => event,
                        // Events were missed: a reload shows the current state anyway.
                        Err(broadcast::error::RecvError::Lagged(_)) => Event::Reload,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                };
                Some((Ok(to_sse(&event)), (pending, receiver)))
            }
        });
    Sse::new(stream).keep_alive(sse::KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_sse(event: &Event) -> sse::Event {
    match event {
        Event::Reload => sse::Event::default().event("reload").data("reload"),
        Event::Building => sse::Event::default().event("building").data("building"),
        Event::Findings(json) => sse::Event::default().event("findings").data(&**json),
    }
}

/// Adds the live-reload script, with the version of the site the page comes from, before
/// the last `</body>`, or at the end when there is none.
pub(crate) fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let at = find_last_body_end(html).unwrap_or(html.len());
    let script = SCRIPT.replacen("RASCI_VERSION", &version.to_string(), 1);
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body";
    html.windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
}

/// The script in `overlay.js`, kept as a file of its own so that it reads, lints and
/// diffs as JavaScript: it reloads keeping the scroll position (per path, in the tab's
/// session storage) and builds the overlay with DOM text nodes, so finding messages need
/// no escaping to be safe. It is inlined in every served page, so it must never contain
/// the text that ends a script element (a test checks).
const SCRIPT: &str = concat!("<script>\n", include_str!("overlay.js"), "</script>\n");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>&lt;/body&gt;</p></BODY></html>", 42);
        let text = String::from_utf8(page).unwrap();
        let script = text.find("<script>").unwrap();
        assert!(script > text.find("</p>").unwrap());
        assert!(text.ends_with("</script>\n</BODY></html>"));
        assert!(text.contains("var version = \"42\";"));
    }

    #[test]
    fn script_is_appended_without_a_body_end() {
        let page = inject(b"<p>fragment</p>", 42);
        assert!(
            String::from_utf8(page)
                .unwrap()
                .starts_with("<p>fragment</p><script>")
        );
    }

    #[test]
    fn the_script_file_cannot_end_its_element_early() {
        let body = include_str!("overlay.js");
        assert!(!body.to_ascii_lowercase().contains("</script"));
        assert!(!body.to_ascii_lowercase().contains("<!--"));
        assert_eq!(SCRIPT.matches("RASCI_VERSION").count(), 1);
    }

    #[test]
    fn a_failed_build_is_one_finding() {
        let value: serde_json::Value = serde_json::from_str(&error_json("no <config>")).unwrap();
        assert_eq!(value[0]["rule"], "build");
        assert_eq!(value[0]["message"], "no <config>");
    }
}
