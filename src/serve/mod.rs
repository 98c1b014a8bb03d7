//! Serve: a live preview of the site while it is being written.
//!
//! The site is built into memory by [`crate::pipeline`] and served from there, so
//! what the browser shows is exactly what `rasci build` would write. A watcher rebuilds on
//! every change to the sources; a good build replaces the served site in one step and
//! tells every open page to reload, a build with errors keeps the last good site served
//! and sends the findings to every open page instead, where they are shown over it.
//!
//! Concerns, one file each: `state` is what the others share (the served site, the
//! findings, the events), `http` answers requests from the in-memory site, `watch` turns
//! file events into rebuild requests, `builder` runs them, `reload` is the page side (the
//! injected script, the overlay's data, the event stream).

mod builder;
mod http;
mod reload;
mod state;
mod watch;

use crate::pipeline::BuildError;
use builder::Builder;
use state::{ServeError, State};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Port used when none is given, the one Zola's `serve` uses too.
pub(crate) const DEFAULT_PORT: u16 = 1111;

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

/// Builds, serves and watches until Ctrl-C. Returns once the server has shut down.
pub(crate) fn run(options: Options) -> Result<(), ServeError> {
    let started = Instant::now();
    let mut builder = Builder::new(&options.root);
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        let missing = crate::load::files::LoadError::NoConfig(options.root.clone());
        return Err(ServeError::Build(BuildError::Load(missing)));
    }
    let watch = watch::Watch::start(&options.root)?;
    let (site, findings) = match crate::pipeline::build_reusing(&options.root, None) {
        Ok((built, memo)) => {
            builder.first_build(memo, &built.findings, &built.project.sources);
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
        Err(error @ BuildError::Load(crate::load::files::LoadError::NoConfig(_))) => {
            return Err(ServeError::Build(error));
        }
        // A broken template or an unreadable file: serve anyway, with nothing but the
        // error on every page, so fixing it shows the site without a restart.
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("the preview shows this error until it is fixed");
            (
                Arc::new(crate::render::site::Site::default()),
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
