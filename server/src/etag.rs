//! Strong entity tags for cached answers, and conditional GET (`If-None-Match` → 304).
//!
//! The tag is computed once per stored body (see `page_cache`), so answering a conditional
//! request costs a header comparison, not a hash of the body.

use std::hash::{Hash, Hasher};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

/// A strong tag for `body` as sent with `encoding` (each content coding is a different
/// representation, so it gets a different tag). 64 bits of SipHash: a collision between two
/// versions of the same URL is practically impossible, and the tag is not a secret.
pub fn strong(body: &[u8], encoding: &str) -> HeaderValue {
    let mut hasher = std::hash::DefaultHasher::new();
    body.hash(&mut hasher);
    let tag = format!("\"{:016x}-{}\"", hasher.finish(), body.len());
    let tag = if encoding == "identity" {
        tag
    } else {
        format!("{}-{encoding}\"", tag.trim_end_matches('"'))
    };
    // Hex digits, a length and an encoding name: always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, as RFC 9110 §13.1.2
/// asks for If-None-Match; `*` matches any current representation).
pub fn none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(etag);
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|candidate| candidate.trim() == "*" || opaque(candidate) == ours)
}

/// `304 Not Modified` with the headers a cache needs to refresh its copy (RFC 9110 §15.4.5):
/// the tag, Cache-Control, Vary and the like; no body and no length.
pub fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::EXPIRES,
        header::CONTENT_LOCATION,
        header::LINK,
    ] {
        for value in headers.get_all(&name) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_none_match(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_tag_depends_on_body_and_encoding() {
        let a = strong(b"{\"a\":1}", "identity");
        assert_eq!(a, strong(b"{\"a\":1}", "identity"));
        assert_ne!(a, strong(b"{\"a\":2}", "identity"));
        assert_ne!(a, strong(b"{\"a\":1}", "br"));
        let text = a.to_str().unwrap();
        assert!(text.starts_with('"') && text.ends_with('"'), "{text}");
        assert!(strong(b"x", "br").to_str().unwrap().ends_with("-br\""));
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let tag = strong(b"body", "gzip");
        let t = tag.to_str().unwrap();
        assert!(none_match(&if_none_match(t), &tag));
        assert!(none_match(&if_none_match(&format!("\"x\", W/{t}")), &tag));
        assert!(none_match(&if_none_match("*"), &tag));
        assert!(!none_match(&if_none_match("\"other\""), &tag));
        assert!(!none_match(&HeaderMap::new(), &tag));
    }

    #[test]
    fn a_304_keeps_the_caching_headers_and_drops_the_body_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, HeaderValue::from_static("\"a\""));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        );
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("10"));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let response = not_modified(&headers);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert!(response.headers().get(header::ETAG).is_some());
        assert!(response.headers().get(header::CACHE_CONTROL).is_some());
        assert!(response.headers().get(header::CONTENT_LENGTH).is_none());
    }
}
