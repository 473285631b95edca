//! `Cache-Control` of the API's answers, so that browsers and a CDN can carry the load. The
//! strong `ETag` and the `304` for a conditional GET come from the page cache the reads go
//! through (`crate::page_cache`, `crate::etag`).

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Latest values change at most once an hour, but an hour's values arrive over some minutes:
/// a minute of reuse.
const LATEST: &str = "public, max-age=60";
/// Boundaries, the API description and the licence change with a deployment, not with data.
const STATIC: &str = "public, max-age=3600";

/// How long an answer to `path` (relative to `/api/v1`) may be reused.
pub fn policy(path: &str) -> &'static str {
    let path = path.trim_end_matches('/');
    if path.ends_with("/live") {
        "no-store"
    } else if path.is_empty() || path.ends_with("/districts") || path.ends_with("/openapi.json") {
        STATIC
    } else {
        LATEST
    }
}

/// Adds the policy to successful GETs that do not set their own; errors are not cached.
pub async fn middleware(request: Request, next: Next) -> Response {
    let get = request.method() == Method::GET || request.method() == Method::HEAD;
    let cache = policy(request.uri().path());
    let mut response = next.run(request).await;
    let cache = if get && response.status() == StatusCode::OK {
        cache
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn latest_values_are_short_lived_and_boundaries_long() {
        assert_eq!(policy("/stations"), "public, max-age=60");
        assert_eq!(policy("/stations/1462A/readings.csv"), "public, max-age=60");
        assert_eq!(policy("/districts"), "public, max-age=3600");
        assert_eq!(policy("/openapi.json"), "public, max-age=3600");
        assert_eq!(policy("/"), "public, max-age=3600");
        assert_eq!(policy("/live"), "no-store");
    }
}
