//! What the preview shares between the HTTP handlers and the rebuild thread: the site
//! served now, the findings open pages show, and the events they are sent. A leaf of
//! `serve/`, so the handlers, the watcher and the rebuilds all take it from here and none of
//! them from `mod.rs`, which starts them.

use crate::pipeline::BuildError;
use crate::render::site::Site;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, watch};

/// Why the preview could not start (as opposed to findings, which it shows and survives).
#[derive(Debug)]
pub(crate) enum ServeError {
    /// The first build could not run at all (no config, unreadable files, broken theme).
    Build(BuildError),
    /// The address is taken or cannot be bound.
    Bind(SocketAddr, std::io::Error),
    Watch(notify::Error),
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Build(e) => e.fmt(f),
            ServeError::Bind(addr, e) if e.kind() == std::io::ErrorKind::AddrInUse => write!(
                f,
                "port {} on {} is already in use; choose another with --port",
                addr.port(),
                addr.ip()
            ),
            ServeError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServeError::Watch(e) => write!(f, "cannot watch the project for changes: {e}"),
            ServeError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ServeError {}

/// What open pages are told.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// A new site is being served: reload.
    Reload,
    /// A rebuild has started: on a large site it takes long enough to be worth saying.
    Building,
    /// The current findings as JSON (an empty list when there are no errors to show).
    Findings(Arc<str>),
}

/// Shared between the HTTP handlers and the rebuild thread.
pub(crate) struct State {
    /// The last good site. Swapped as a whole, so a request sees either the old or the
    /// new site, never a mix; readers hold the lock only long enough to clone the `Arc`.
    site: RwLock<(Arc<Site>, u64)>,
    /// The findings open pages should show, as sent in [`Event::Findings`]; kept so a page
    /// opened after the build learns them too.
    findings: RwLock<Arc<str>>,
    events: broadcast::Sender<Event>,
    /// Whether the site served still holds the previous build's search index: a rebuild
    /// reloads the pages first and makes the index after (see `Builder::rebuild`).
    search_pending: watch::Sender<bool>,
}

impl State {
    pub(super) fn new(site: Arc<Site>, findings: Arc<str>) -> Self {
        // Versions start from the clock, so a page served by an earlier run of the server
        // sees a different version when it reconnects to this one, and reloads.
        let first = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        State {
            site: RwLock::new((site, first)),
            findings: RwLock::new(findings),
            events: broadcast::channel(64).0,
            search_pending: watch::Sender::new(false),
        }
    }

    /// The site served now, and its version: a number that changes whenever the site
    /// does. Pages carry the version they were served from, so one that missed a reload
    /// (hidden, or disconnected) notices when it reconnects.
    pub(crate) fn site(&self) -> (Arc<Site>, u64) {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn findings(&self) -> Arc<str> {
        self.findings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Tells every open page `event`; no open page is not an error.
    pub(super) fn send(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Serves `site`, which the rebuild's memo shares: the process holds one site.
    pub(super) fn set_site(&self, site: Arc<Site>) {
        let mut served = self.site.write().unwrap_or_else(|e| e.into_inner());
        *served = (site, served.1 + 1);
    }

    /// Serves `site` in place of a site of the same pages (the same version): only its
    /// search index differs.
    pub(super) fn patch_site(&self, site: Arc<Site>) {
        let mut served = self.site.write().unwrap_or_else(|e| e.into_inner());
        served.0 = site;
    }

    /// Says whether the site served is waiting for its search index.
    pub(super) fn set_search_pending(&self, pending: bool) {
        self.search_pending.send_replace(pending);
    }

    /// Returns once the site served has its own search index: a reader's search must not
    /// read the previous index's manifest with the next one's shards.
    pub(crate) async fn search_index_ready(&self) {
        let mut pending = self.search_pending.subscribe();
        // The sender lives as long as the state, which outlives every request.
        let _ = pending.wait_for(|pending| !*pending).await;
    }

    pub(super) fn set_findings(&self, json: Arc<str>) {
        *self.findings.write().unwrap_or_else(|e| e.into_inner()) = json.clone();
        // No receiver (no open page) is not an error.
        let _ = self.events.send(Event::Findings(json));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_request_for_the_search_index_waits_for_it() {
        let state = Arc::new(State::new(Arc::new(Site::default()), Arc::from("[]")));
        // Nothing pending: at once.
        state.search_index_ready().await;
        state.set_search_pending(true);
        let waiting = {
            let state = state.clone();
            tokio::spawn(async move { state.search_index_ready().await })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "answered before the index was made");
        state.set_search_pending(false);
        waiting.await.unwrap();
    }

    #[test]
    fn a_port_in_use_is_named_in_the_error() {
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let error = ServeError::Bind(addr, std::io::ErrorKind::AddrInUse.into());
        assert_eq!(
            error.to_string(),
            "port 1111 on 127.0.0.1 is already in use; choose another with --port"
        );
    }
}
