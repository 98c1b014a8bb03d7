//! Serve: a live preview of the site while it is being written.
//!
//! The site is built into memory by [`crate::pipeline`] and served from there, so
//! what the browser shows is exactly what `rasci build` would write. A watcher rebuilds on
//! every change to the sources; a good build replaces the served site in one step and
//! tells every open page to reload, a build with errors keeps the last good site served
//! and sends the findings to every open page instead, where they are shown over it.
//!
//! Concerns, one file each: `http` answers requests from the in-memory site,
//! `watch` turns file events into rebuild requests, `reload` is the page side (the
//! injected script, the overlay's data, the event stream).

mod http;
mod reload;
mod watch;

use crate::diagnostic::Findings;
use crate::pipeline::{BuildError, Rebuild};
use crate::render::site::Site;
use crate::report::{self, Format};
use crate::source::Sources;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Port used when none is given, the one Zola's `serve` uses too.
pub(crate) const DEFAULT_PORT: u16 = 1111;

/// How long the watcher waits for a burst of file events to settle before rebuilding.
/// Editors that save by writing a temporary file and renaming it produce several events
/// within a few milliseconds; 50 ms gathers them into one rebuild while staying well
/// below what a writer notices between saving and seeing the page change.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(50);

/// What `rasci serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub root: PathBuf,
    /// Port to listen on; `0` picks a free one (the address is printed).
    pub(crate) port: u16,
    /// Address to listen on; loopback when `None`.
    pub(crate) bind: Option<IpAddr>,
    /// Open the site in a browser once it is served.
    pub(crate) open: bool,
}

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
}

impl State {
    fn new(site: Arc<Site>, findings: Arc<str>) -> Self {
        // Versions start from the clock, so a page served by an earlier run of the server
        // sees a different version when it reconnects to this one, and reloads.
        let first = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        State {
            site: RwLock::new((site, first)),
            findings: RwLock::new(findings),
            events: broadcast::channel(64).0,
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

    /// Serves `site`, which the rebuild's memo shares: the process holds one site.
    fn set_site(&self, site: Arc<Site>) {
        let mut served = self.site.write().unwrap_or_else(|e| e.into_inner());
        *served = (site, served.1 + 1);
    }

    fn set_findings(&self, json: Arc<str>) {
        *self.findings.write().unwrap_or_else(|e| e.into_inner()) = json.clone();
        // No receiver (no open page) is not an error.
        let _ = self.events.send(Event::Findings(json));
    }
}

/// Builds, serves and watches until Ctrl-C. Returns once the server has shut down.
pub(crate) fn run(options: Options) -> Result<(), ServeError> {
    let started = Instant::now();
    let mut builder = Builder::new(&options.root);
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        let missing = crate::load::LoadError::NoConfig(options.root.clone());
        return Err(ServeError::Build(BuildError::Load(missing)));
    }
    let watch = watch::Watch::start(&options.root)?;
    let (site, findings) = match crate::pipeline::build_reusing(&options.root, None) {
        Ok((built, memo)) => {
            builder.memo = Some(memo);
            builder.print_findings(&built.findings, &built.project.sources);
            if built.findings.errors() > 0 {
                eprintln!(
                    "the site has errors: open pages show them; the preview updates once they are fixed"
                );
            }
            let findings = reload::findings_json(&built.findings, &built.project.sources);
            let site = built.site;
            eprintln!(
                "built {} pages ({} files) in {} ms",
                site.pages(),
                site.files.len(),
                started.elapsed().as_millis()
            );
            (site, findings)
        }
        // Not a project at all: nothing to preview, and nothing a save could fix.
        Err(error @ BuildError::Load(crate::load::LoadError::NoConfig(_))) => {
            return Err(ServeError::Build(error));
        }
        // A broken template or an unreadable file: serve anyway, with nothing but the
        // error on every page, so fixing it shows the site without a restart.
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("the preview shows this error until it is fixed");
            (
                Arc::new(Site::default()),
                reload::error_json(&error.to_string()),
            )
        }
    };
    let state = Arc::new(State::new(site, findings));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(async {
        let ip = options.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let addr = SocketAddr::new(ip, options.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| ServeError::Bind(addr, e))?;
        let local = listener.local_addr().map_err(ServeError::Io)?;
        if !ip.is_loopback() {
            eprintln!(
                "warning: listening on {ip}, not only on this computer: anyone who can reach {local} can read the site"
            );
        }
        let _watcher = watch.run(state.clone(), builder)?;
        let host = if ip.is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            ip
        };
        let url = format!("http://{}/", SocketAddr::new(host, local.port()));
        // Printed on standard output, alone on its line, so scripts can read the address
        // when the port was chosen with `--port 0`. A closed standard output is no reason
        // to stop serving (`println!` would panic).
        {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(
                stdout,
                "serving {} at {url} (Ctrl-C to stop)",
                options.root.display()
            )
            .and_then(|()| stdout.flush());
        }
        if options.open {
            open_browser(&url);
        }
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let app = http::router(state.clone(), stop_rx.clone(), local);
        let shutdown = async move {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping");
            // Event streams never end on their own: tell them to, so the graceful
            // shutdown does not wait for open pages.
            let _ = stop_tx.send(true);
        };
        accept(listener, app, stop_rx, shutdown).await
    })?;
    // Dropping the runtime would wait for blocked tasks; nothing of ours blocks there.
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

/// How long a connection may take to send the head of a request. A preview's
/// browser sends it at once; a client that trickles it in is holding a connection open
/// for nothing and is cut off.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Accepts connections until `shutdown` completes, then lets the open ones finish.
/// Each connection is served by HTTP/1 with [`HEADER_TIMEOUT`] on the request head.
async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    stop: tokio::sync::watch::Receiver<bool>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut shutdown = std::pin::pin!(shutdown);
    let mut open = tokio::task::JoinSet::new();
    loop {
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors or a connection reset before it was taken:
                // the next one may well work.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop = stop.clone();
        open.spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(socket), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
        // Forget the connections that have ended.
        while open.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while open.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// Opens `url` with the desktop's opener, if there is one; failure only loses a
/// convenience, so it is ignored.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Runs rebuilds and reports them on the terminal.
pub(crate) struct Builder {
    root: PathBuf,
    color: bool,
    /// The last findings printed, so an unchanged set of warnings is not repeated on every
    /// save.
    last_report: String,
    /// What the last build rendered, so that a save which only changes the text of some
    /// Markdown pages re-renders just those pages.
    memo: Option<crate::pipeline::Memo>,
}

impl Builder {
    fn new(root: &Path) -> Self {
        use std::io::IsTerminal;
        Builder {
            root: root.to_path_buf(),
            color: std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            last_report: String::new(),
            memo: None,
        }
    }

    fn print_findings(&mut self, findings: &Findings, sources: &Sources) {
        let text = if findings.diagnostics.is_empty() {
            String::new()
        } else {
            report::render(Format::Human, findings, sources, self.color)
        };
        if text != self.last_report || findings.errors() > 0 {
            eprint!("{text}");
        }
        self.last_report = text;
    }

    /// Rebuilds; serves the new site when it has no errors, else keeps the old one and
    /// shows the findings on every open page.
    ///
    /// [`crate::pipeline::rebuild`] checks the project once and renders from that check
    /// only when it found no errors: with data errors the site would not be served anyway,
    /// so the findings go out at once. Findings only rendering can make (broken links)
    /// follow once the data is clean.
    ///
    /// `replaced` is asked now and then whether a newer save takes this rebuild's place:
    /// then it is given up at once, and nothing is reported.
    fn rebuild(&mut self, state: &State, replaced: impl FnMut() -> bool) {
        let started = Instant::now();
        let _ = state.events.send(Event::Building);
        let previous = self.memo.take();
        let rebuilt =
            match guarded(|| crate::pipeline::rebuild_until(&self.root, previous, replaced)) {
                Ok(None) => return,
                Ok(Some(Ok(rebuilt))) => rebuilt,
                Ok(Some(Err(error))) => return self.report_failure(state, &error.to_string()),
                Err(message) => return self.report_failure(state, &message),
            };
        let (built, memo) = match rebuilt {
            Rebuild::Stopped {
                project,
                findings,
                previous,
            } => {
                self.memo = Some(previous);
                self.print_findings(&findings, &project.sources);
                eprintln!("not reloading: the last good site is still served");
                state.set_findings(reload::findings_json(&findings, &project.sources));
                return;
            }
            Rebuild::Built(built, memo) => (built, memo),
        };
        self.memo = Some(memo);
        self.print_findings(&built.findings, &built.project.sources);
        let json = reload::findings_json(&built.findings, &built.project.sources);
        if built.findings.errors() > 0 {
            eprintln!("not reloading: the last good site is still served");
            state.set_findings(json);
            return;
        }
        let pages = built.site.pages();
        state.set_site(built.site);
        state.set_findings(json);
        let _ = state.events.send(Event::Reload);
        eprintln!(
            "rebuilt {pages} pages in {} ms",
            started.elapsed().as_millis()
        );
    }

    /// The build could not run at all (the config is gone, a template does not parse).
    fn report_failure(&mut self, state: &State, message: &str) {
        eprintln!("error: {message}");
        eprintln!("not reloading: the last good site is still served");
        self.last_report.clear();
        state.set_findings(reload::error_json(message));
    }
}

/// Runs one stage of a rebuild, turning a panic into an error message: a bug met on some
/// input must not stop the preview, which keeps serving the last good site and recovers
/// on the next save.
fn guarded<T>(stage: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(stage)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("rasci failed while rebuilding (a bug; please report it): {detail}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_rebuild_becomes_a_message() {
        assert_eq!(guarded(|| 7), Ok(7));
        let message = guarded(|| -> u8 { panic!("boom at {}", 3) }).unwrap_err();
        assert!(message.ends_with("boom at 3"), "{message}");
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
