//! A micro-cache for rendered pages: the same page asked for many times within a second is
//! rendered once. Public pages show the same data to everyone, so a short time-to-live costs
//! at most a second of freshness (live updates come from the event stream, not reloads),
//! and a burst of readers — a link in a news article — costs one render per page per second.
//!
//! Keyed by path, query, the language cookie and the negotiated content encoding, so each
//! entry is stored compressed, exactly as served.
//!
//! Each stored answer gets a strong `ETag` (computed once, when stored), and a request whose
//! `If-None-Match` names it is answered `304 Not Modified` without a body (`crate::etag`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use daylight_app::i18n::LANG_COOKIE;
use daylight_app::prefs::{self, SCALE_COOKIE};

/// Pages larger than this are served but not cached.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Entries kept at most; beyond it the cache starts afresh (bounded memory whatever
/// query strings a client invents).
const MAX_ENTRIES: usize = 1024;

#[derive(Clone)]
pub struct PageCache {
    ttl: Duration,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// One render at a time per key: the others wait for it (or get the stale copy), so an
    /// expiring entry under load costs one render, not one per waiting connection.
    renders: HashMap<String, Arc<tokio::sync::Mutex<()>>>,
}

#[derive(Clone)]
struct Entry {
    stored: Instant,
    /// Also in `headers`; kept apart to compare without a lookup.
    etag: Option<HeaderValue>,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Arc::new(Mutex::new(Inner::default())),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map only holds copies of responses; a poisoned lock is safe to take over.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The entry for `key` and whether it is still fresh, plus the key's render lock.
    fn lookup(&self, key: &str) -> (Option<(Entry, bool)>, Arc<tokio::sync::Mutex<()>>) {
        let mut inner = self.inner();
        let entry = inner
            .entries
            .get(key)
            .map(|e| (e.clone(), e.stored.elapsed() < self.ttl));
        if inner.renders.len() >= 2 * MAX_ENTRIES {
            // Keys that were never stored (errors, 404s) leave locks behind: drop the idle ones.
            inner.renders.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        let lock = inner.renders.entry(key.to_string()).or_default().clone();
        (entry, lock)
    }

    fn put(&self, key: String, entry: Entry) {
        let ttl = self.ttl;
        let mut inner = self.inner();
        if inner.entries.len() >= MAX_ENTRIES {
            inner.entries.retain(|_, e| e.stored.elapsed() < ttl);
            if inner.entries.len() >= MAX_ENTRIES {
                inner.entries.clear();
            }
            let Inner { entries, renders } = &mut *inner;
            renders.retain(|k, lock| entries.contains_key(k) || Arc::strong_count(lock) > 1);
        }
        inner.entries.insert(key, entry);
    }
}

/// The cache key, or None when the request must not be cached.
fn cache_key(request: &Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let headers = request.headers();
    let cookie = |name: &str| prefs::cookie(headers, name).unwrap_or_default();
    let lang = cookie(LANG_COOKIE);
    let scale = cookie(SCALE_COOKIE);
    let encoding = negotiated_encoding(headers);
    // Pages with absolute links (oEmbed discovery) are built from the Host header when no
    // public_url is configured: each host gets its own entry.
    let value = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let host = value(header::HOST);
    let proto = value(header::HeaderName::from_static("x-forwarded-proto"));
    // The URI as the client sent it: inside a nested router (`/api/v1`) `uri()` has lost its
    // prefix, and `/api/v1/enterprises` must not share an entry with the page `/enterprises`.
    let uri = request
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or(request.uri(), |original| &original.0);
    Some(format!("{uri}|{lang}|{scale}|{encoding}|{host}|{proto}"))
}

/// The content coding the compression layer will choose, in its preference order: br, then
/// gzip, then none.
fn negotiated_encoding(headers: &HeaderMap) -> &'static str {
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("br") {
        "br"
    } else if accept.contains("gzip") {
        "gzip"
    } else {
        "identity"
    }
}

pub async fn middleware(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    let conditional = request.headers().contains_key(header::IF_NONE_MATCH);
    let request_headers = conditional.then(|| request.headers().clone());
    let respond = |entry: Entry, state: &'static str| match (&request_headers, &entry.etag) {
        (Some(asked), Some(etag)) if crate::etag::none_match(asked, etag) => {
            let mut response = crate::etag::not_modified(&entry.headers);
            response
                .headers_mut()
                .insert("x-daylight-cache", HeaderValue::from_static(state));
            response
        }
        _ => respond(entry, state),
    };
    let encoding = negotiated_encoding(request.headers());
    let (entry, render_lock) = cache.lookup(&key);
    let _render = match entry {
        Some((hit, true)) => return respond(hit, "hit"),
        // Stale: one request renders anew, the others get the stale copy meanwhile.
        Some((stale, false)) => match render_lock.try_lock_owned() {
            Ok(guard) => guard,
            Err(_) => return respond(stale, "stale"),
        },
        // Cold: wait for whoever is rendering, then take their result.
        None => {
            let guard = render_lock.lock_owned().await;
            if let (Some((hit, true)), _) = cache.lookup(&key) {
                return respond(hit, "hit");
            }
            guard
        }
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An answer known to be too large (a year of readings as JSON) is passed on uncached;
    // reading it into memory first would fail it.
    if axum::body::HttpBody::size_hint(&body).lower() > MAX_BODY as u64 {
        return Response::from_parts(parts, body);
    }
    match to_bytes(body, MAX_BODY).await {
        Ok(body) => {
            // A handler's own tag wins; otherwise one from the body as stored.
            let etag = match parts.headers.get(header::ETAG) {
                Some(own) => Some(own.clone()),
                None => {
                    let etag = crate::etag::strong(&body, encoding);
                    parts.headers.insert(header::ETAG, etag.clone());
                    Some(etag)
                }
            };
            let entry = Entry {
                stored: Instant::now(),
                etag,
                status: parts.status,
                headers: parts.headers,
                body,
            };
            cache.put(key, entry.clone());
            respond(entry, "miss")
        }
        Err(error) => {
            tracing::warn!(%error, "page too large or broken body; not cached");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::empty())
                .unwrap_or_default()
        }
    }
}

fn respond(entry: Entry, state: &'static str) -> Response {
    let mut response = Response::new(Body::from(entry.body));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers;
    response
        .headers_mut()
        .insert("x-daylight-cache", HeaderValue::from_static(state));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn language_and_encoding_are_part_of_the_key() {
        let zh = cache_key(&request("/", &[("accept-encoding", "gzip, br")])).unwrap();
        let en = cache_key(&request(
            "/",
            &[
                ("cookie", "a=b; daylight_lang=en"),
                ("accept-encoding", "gzip, br"),
            ],
        ))
        .unwrap();
        let plain = cache_key(&request("/", &[])).unwrap();
        assert_ne!(zh, en);
        assert_ne!(zh, plain);
        assert!(zh.contains("|br|"));
    }

    #[test]
    fn the_host_is_part_of_the_key() {
        let a = cache_key(&request("/station/1462A", &[("host", "a.example")])).unwrap();
        let b = cache_key(&request("/station/1462A", &[("host", "b.example")])).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn only_get_is_cached() {
        let post = Request::builder()
            .method(Method::POST)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        assert!(cache_key(&post).is_none());
    }
}
