//! The page side of the preview: a script added to every HTML response that follows the
//! server's event stream, reloads the page in place on `reload` and shows the findings
//! over the page on `findings`.
//!
//! The script is added when a page is served, never to the built site, so the preview
//! serves the same bytes `rasci build` writes plus this one script.

use super::{Event, State};
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
pub const EVENTS_PATH: &str = "/__rasci/events";

/// The findings of the last build as sent to pages: an empty list when there is no error
/// (warnings alone do not cover the page), else every finding, errors first as sorted.
pub fn findings_json(findings: &Findings, sources: &Sources) -> Arc<str> {
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
pub fn error_json(message: &str) -> Arc<str> {
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
pub fn events(
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
pub fn inject(html: &[u8], version: u64) -> Vec<u8> {
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

/// Reload keeping the scroll position (per path, in the tab's session storage), and an
/// overlay built with DOM text nodes, so finding messages need no escaping to be safe.
const SCRIPT: &str = r##"<script>
(function () {
  "use strict";
  var key = "rasci-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved) || 0); };
    if (document.readyState === "complete") { restore(); } else { addEventListener("load", restore); }
  }
  var version = "RASCI_VERSION";
  var events = null;
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function connect() {
    events = new EventSource("/__rasci/events");
    events.addEventListener("version", function (e) { if (e.data !== version) { reload(); } });
    events.addEventListener("reload", reload);
    events.addEventListener("findings", function (e) { busy(false); show(JSON.parse(e.data)); });
    events.addEventListener("building", function () { busy(true); });
  }
  connect();
  // Hidden tabs let go of their connection: browsers allow only a few per server, and a
  // writer may keep many pages open. The version sent on reconnecting says whether the
  // page missed a reload meanwhile.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { events.close(); } else if (events.readyState === EventSource.CLOSED) { connect(); }
  });
  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) { node.style.cssText = style; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function busy(on) {
    var old = document.getElementById("rasci-building");
    if (old) { old.remove(); }
    if (!on) { return; }
    var badge = el("div", "position:fixed;top:.75rem;right:.75rem;z-index:2147483647;background:#1e1e1e;color:#eee;" +
      "font:13px/1.4 system-ui,sans-serif;padding:.35rem .7rem;border-radius:999px;box-shadow:0 2px 10px rgba(0,0,0,.3)",
      "rebuilding\u2026");
    badge.id = "rasci-building";
    badge.setAttribute("role", "status");
    (document.body || document.documentElement).appendChild(badge);
  }
  function show(list) {
    var old = document.getElementById("rasci-findings");
    if (old) { old.remove(); }
    if (!list.length) { return; }
    var errors = list.filter(function (f) { return f.severity === "error"; }).length;
    var panel = el("div", "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1e1e1e;color:#eee;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "border-left:6px solid #e5484d;border-radius:6px;box-shadow:0 6px 30px rgba(0,0,0,.45);padding:1rem 1.25rem;text-align:left");
    panel.id = "rasci-findings";
    panel.setAttribute("role", "alert");
    var head = el("div", "display:flex;justify-content:space-between;gap:1rem;margin-bottom:.5rem");
    head.appendChild(el("strong", "color:#ff8589", errors + (errors === 1 ? " error" : " errors") +
      ": the page shows the last good build"));
    var close = el("button", "background:none;border:1px solid #777;color:#eee;border-radius:4px;cursor:pointer", "hide");
    close.addEventListener("click", function () { panel.remove(); });
    head.appendChild(close);
    panel.appendChild(head);
    var items = el("ol", "margin:0;padding:0;list-style:none");
    list.forEach(function (f) {
      var item = el("li", "padding:.4rem 0;border-top:1px solid #333");
      var where = f.file ? f.file + (f.line ? ":" + f.line + ":" + f.column : "") : "";
      var color = f.severity === "error" ? "#ff8589" : "#f5c451";
      item.appendChild(el("span", "color:" + color + ";font-weight:bold", f.severity + "[" + f.rule + "]"));
      if (where) { item.appendChild(el("span", "color:#8fb8ff;margin-left:.6rem", where)); }
      item.appendChild(el("div", "white-space:pre-wrap", f.message));
      if (f.help) { item.appendChild(el("div", "color:#aaa;white-space:pre-wrap", "help: " + f.help)); }
      items.appendChild(item);
    });
    panel.appendChild(items);
    (document.body || document.documentElement).appendChild(panel);
  }
})();
</script>
"##;

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
    fn a_failed_build_is_one_finding() {
        let value: serde_json::Value = serde_json::from_str(&error_json("no <config>")).unwrap();
        assert_eq!(value[0]["rule"], "build");
        assert_eq!(value[0]["message"], "no <config>");
    }
}
