//! HTTP: answers requests from the in-memory site.
//!
//! Nothing is read from disk, so only files of the built site can ever be served: a
//! request path is decoded once, checked, and looked up in the site's map. The checks
//! still reject traversal (`..`), backslashes, NUL and dot-files outright, so that a
//! site file can never be reached under a second, surprising name and a mistake in the
//! lookup could not turn into a disclosure.

use super::reload;
use super::state::State;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::sync::watch;

#[derive(Clone)]
struct App {
    state: Arc<State>,
    stop: watch::Receiver<bool>,
}

/// The preview's routes: the event stream, and the site for every other path. Every
/// request, the event stream included, must name the preview in its `Host` header.
pub(crate) fn router(
    state: Arc<State>,
    stop: watch::Receiver<bool>,
    listening: SocketAddr,
) -> Router {
    Router::new()
        .route(reload::EVENTS_PATH, get(events))
        .fallback(site)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            host_guard(listening, request, next)
        }))
        .with_state(App { state, stop })
}

/// Refuses requests whose `Host` is not this preview. A page on another origin can
/// point a name of its own at 127.0.0.1 (DNS rebinding) and then read the preview as
/// its own origin; its requests still carry that name, so they are refused here.
async fn host_guard(listening: SocketAddr, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if host.is_some_and(|h| host_is_allowed(h, listening)) {
        return next.run(request).await;
    }
    Response::builder()
        .status(StatusCode::MISDIRECTED_REQUEST)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(
            "this preview only answers requests for its own address\n",
        ))
        .expect("static headers are valid")
}

/// Whether a `Host` header names the preview listening on `listening`: `localhost` or
/// an IP address, with the listening port. An IP must be the one listened on or a
/// loopback address; when listening on all addresses, any IP of the machine can be
/// meant. Names other than `localhost` are refused: they are what DNS rebinding uses.
pub(crate) fn host_is_allowed(host: &str, listening: SocketAddr) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    if port != Some(listening.port()) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    if name.starts_with('[') != literal.contains(':') {
        // An IPv6 address must be bracketed, an IPv4 one must not.
        return false;
    }
    match literal.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == listening.ip() || listening.ip().is_unspecified(),
        Err(_) => false,
    }
}

async fn events(Extract(app): Extract<App>) -> impl IntoResponse {
    reload::events(&app.state, app.stop.clone())
}

async fn site(Extract(app): Extract<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(Body::empty())
            .expect("static headers are valid");
    }
    let lookup = look_up(uri.path());
    if let Ok(Lookup { key, .. }) = &lookup
        && crate::plan::urls::is_search_index(key)
    {
        app.state.search_index_ready().await;
    }
    let (site, version) = app.state.site();
    if site.files.is_empty() {
        return no_site_yet(version);
    }
    match lookup {
        Ok(Lookup {
            key,
            trailing_slash,
        }) => {
            if let Some(bytes) = site.files.get(&key) {
                return file(StatusCode::OK, &key, bytes, version);
            }
            let index = format!("{key}/index.html");
            if !trailing_slash && !key.is_empty() && site.files.contains_key(&index) {
                // A folder asked for without its slash: relative links in its page only
                // work from the folder's own URL.
                let location = folder_location(&key);
                return Response::builder()
                    .status(StatusCode::PERMANENT_REDIRECT)
                    .header(header::LOCATION, location)
                    .body(Body::empty())
                    .expect("a checked path is a valid header");
            }
            not_found(&site, version)
        }
        Err(Rejected::Hidden) => not_found(&site, version),
        Err(Rejected::Invalid) => Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from("bad request path\n"))
            .expect("static headers are valid"),
    }
}

/// Before any build has succeeded there is no site, but there are findings: every path
/// gets a page that shows them and reloads once the site builds.
fn no_site_yet(version: u64) -> Response {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>rasci: the site could not be built</title></head>\
        <body><p>The site could not be built yet; the preview updates once it can.</p></body></html>";
    file(
        StatusCode::SERVICE_UNAVAILABLE,
        "index.html",
        page.as_bytes(),
        version,
    )
}

fn not_found(site: &crate::render::site::Site, version: u64) -> Response {
    match site.files.get("404.html") {
        Some(bytes) => file(StatusCode::NOT_FOUND, "404.html", bytes, version),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from("not found\n"))
            .expect("static headers are valid"),
    }
}

/// A site file, with the live-reload script added to HTML. Never cached: a preview that
/// the browser keeps serving from its cache is exactly the stale page it must not show.
fn file(status: StatusCode, key: &str, bytes: &[u8], version: u64) -> Response {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Body::from(reload::inject(bytes, version))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The content type of a site file, by its extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A request path as a key of the site's file map.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Lookup {
    pub(crate) key: String,
    /// The path named a folder (`/cloud/`); `key` is then its `index.html`.
    pub(crate) trailing_slash: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Rejected {
    /// Traversal, backslash, NUL, bad percent-encoding or not UTF-8: never a site path.
    Invalid,
    /// A dot-file or dot-folder: answered like any unknown path.
    Hidden,
}

/// Decodes and checks the path of a request (without its query).
pub(crate) fn look_up(raw: &str) -> Result<Lookup, Rejected> {
    let decoded = percent_decode(raw).ok_or(Rejected::Invalid)?;
    let path = String::from_utf8(decoded).map_err(|_| Rejected::Invalid)?;
    if path.contains(['\0', '\\']) {
        return Err(Rejected::Invalid);
    }
    let trailing_slash = path.ends_with('/');
    let mut segments = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Err(Rejected::Invalid);
        }
        if segment.starts_with('.') {
            return Err(Rejected::Hidden);
        }
        segments.push(segment);
    }
    let mut key = segments.join("/");
    if trailing_slash || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(Lookup {
        key,
        trailing_slash: trailing_slash || segments.is_empty(),
    })
}

/// The address a folder's key redirects to: built from the checked key, never from the
/// request, so it always starts with exactly one `/` (a request for `//cloud` must not be
/// sent to `//cloud/`, which a browser reads as another host), and every byte but
/// unreserved ones and `/` is percent-encoded, so no decoded character reaches the header.
pub(crate) fn folder_location(key: &str) -> String {
    let mut location = String::with_capacity(key.len() + 2);
    location.push('/');
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            location.push(char::from(byte));
        } else {
            location.push_str(&format!("%{byte:02X}"));
        }
    }
    location.push('/');
    location
}

/// `%XX` to bytes, once; `None` when a `%` is not followed by two hex digits.
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let text = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(text, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> Result<String, Rejected> {
        look_up(raw).map(|l| l.key)
    }

    #[test]
    fn folders_serve_their_index() {
        assert_eq!(key("/").unwrap(), "index.html");
        assert_eq!(key("/cloud/").unwrap(), "cloud/index.html");
        assert_eq!(key("/cloud").unwrap(), "cloud");
        assert_eq!(key("/static/css/site.css").unwrap(), "static/css/site.css");
        assert_eq!(key("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn traversal_is_rejected_encoded_or_not() {
        for raw in [
            "/../etc/passwd",
            "/cloud/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/.%2e/x",
            "/..%5cx",
            "/a%5c..%5cb",
            "/a%00.html",
            "/%zz",
            "/%e2%28%a1",
            "/./index.html",
        ] {
            assert_eq!(look_up(raw), Err(Rejected::Invalid), "{raw}");
        }
    }

    #[test]
    fn dot_files_are_hidden() {
        assert_eq!(look_up("/.git/config"), Err(Rejected::Hidden));
        assert_eq!(look_up("/static/.env"), Err(Rejected::Hidden));
        assert_eq!(look_up("/%2egit/HEAD"), Err(Rejected::Hidden));
    }

    #[test]
    fn only_the_previews_own_host_is_answered() {
        let loopback: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        for ok in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LOCALHOST:4000",
            "[::1]:4000",
        ] {
            assert!(host_is_allowed(ok, loopback), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:4000",
            "localhost",
            "127.0.0.1",
            "127.0.0.1:4001",
            "localhost.evil.example:4000",
            "10.0.0.1:4000",
            "::1:4000",
            "[127.0.0.1]:4000",
            "",
            ":4000",
        ] {
            assert!(!host_is_allowed(refused, loopback), "{refused}");
        }
        let all: SocketAddr = "0.0.0.0:80".parse().unwrap();
        assert!(host_is_allowed("192.168.1.5", all));
        assert!(host_is_allowed("192.168.1.5:80", all));
        assert!(!host_is_allowed("printer.lan", all));
        let one: SocketAddr = "192.168.1.5:8080".parse().unwrap();
        assert!(host_is_allowed("192.168.1.5:8080", one));
        assert!(!host_is_allowed("192.168.1.6:8080", one));
    }

    #[test]
    fn double_encoding_is_decoded_once() {
        assert_eq!(key("/%252e%252e/x").unwrap(), "%2e%2e/x");
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(
            content_type("search-index.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
