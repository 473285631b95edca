//! Per-address limits on the public API: a token bucket per client address for requests
//! (`[api] rate_limit_per_second`, `rate_limit_burst`), and a cap on the concurrent
//! connections to the live stream (`[api] live_connections_per_ip`), which is exempt from the
//! per-request limit. In this process's memory: with several instances each counts alone.
//!
//! The client's address is the one the complaint form's limiter uses
//! (`crate::complaints::client_address`: `X-Forwarded-For` only from a proxy on loopback).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use crate::api::{ApiError, ApiLang};
use crate::config::ApiConfig;

/// Addresses remembered at most; beyond it the idle ones are forgotten (bounded memory
/// whatever addresses a flood comes from).
const MAX_CLIENTS: usize = 100_000;

#[derive(Clone)]
pub struct ApiLimits {
    inner: Arc<Inner>,
}

struct Inner {
    per_second: f64,
    burst: f64,
    live_per_ip: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    live: Mutex<HashMap<IpAddr, u32>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Counters only; a poisoned lock is safe to take over.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl ApiLimits {
    pub fn new(config: &ApiConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                per_second: f64::from(config.rate_limit_per_second),
                burst: f64::from(config.rate_limit_burst.max(1)),
                live_per_ip: config.live_connections_per_ip,
                buckets: Mutex::default(),
                live: Mutex::default(),
            }),
        }
    }

    /// A limit of less than one request a second per address, for actions that write
    /// (taking a snapshot): `per_minute` sustained, `burst` at once. No live streams.
    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        Self {
            inner: Arc::new(Inner {
                per_second: f64::from(per_minute) / 60.0,
                burst: f64::from(burst.max(1)),
                live_per_ip: 0,
                buckets: Mutex::default(),
                live: Mutex::default(),
            }),
        }
    }

    /// Takes a token for `client`; Err(seconds until one is available) when the bucket is
    /// empty. A rate of 0 turns the limit off.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let Inner {
            per_second, burst, ..
        } = *self.inner;
        if per_second <= 0.0 {
            return Ok(());
        }
        let refill = |b: &Bucket| {
            let elapsed = now.saturating_duration_since(b.updated).as_secs_f64();
            (b.tokens + elapsed * per_second).min(burst)
        };
        let mut buckets = lock(&self.inner.buckets);
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            buckets.retain(|_, b| refill(b) < burst);
            if buckets.len() >= MAX_CLIENTS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let tokens = refill(bucket);
        bucket.updated = now;
        if tokens >= 1.0 {
            bucket.tokens = tokens - 1.0;
            Ok(())
        } else {
            bucket.tokens = tokens;
            Err(((1.0 - tokens) / per_second).ceil().max(1.0) as u64)
        }
    }

    /// Counts a live connection of `client` until the returned guard is dropped; None when
    /// the client already has as many as allowed (0 = no cap).
    pub fn open_live(&self, client: IpAddr) -> Option<LiveSlot> {
        let mut live = lock(&self.inner.live);
        let open = live.entry(client).or_insert(0);
        if self.inner.live_per_ip > 0 && *open >= self.inner.live_per_ip {
            return None;
        }
        *open += 1;
        Some(LiveSlot {
            limits: self.clone(),
            client,
        })
    }
}

/// One open live connection; dropping it frees the slot.
pub struct LiveSlot {
    limits: ApiLimits,
    client: IpAddr,
}

impl Drop for LiveSlot {
    fn drop(&mut self) {
        let mut live = lock(&self.limits.inner.live);
        if let Some(open) = live.get_mut(&self.client) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                live.remove(&self.client);
            }
        }
    }
}

/// The limits as a middleware of the whole site; only `/api/v1/…` and Open311
/// (`/open311/…`, a bucket shared with the API) are limited.
pub async fn middleware(State(limits): State<ApiLimits>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path != "/api/v1" && !path.starts_with("/api/v1/") && !path.starts_with("/open311/") {
        return next.run(request).await;
    }
    let client = crate::complaints::client_address(&request);
    let lang = ApiLang::from_headers(request.headers());
    if request.uri().path() == "/api/v1/live" {
        let Some(slot) = limits.open_live(client) else {
            return too_many(ApiError::too_many_live_connections(), lang, 10);
        };
        let response = next.run(request).await;
        // The slot lives as long as the stream: it is freed when the client disconnects.
        let (parts, body) = response.into_parts();
        let body = Body::from_stream(body.into_data_stream().map(move |chunk| {
            let _held = &slot;
            chunk
        }));
        return Response::from_parts(parts, body);
    }
    match limits.check(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            tracing::debug!(%client, wait, "API rate limit");
            too_many(ApiError::rate_limited(wait), lang, wait)
        }
    }
}

/// A 429 in the caller's language with `Retry-After`.
fn too_many(error: ApiError, lang: ApiLang, retry_after: u64) -> Response {
    let mut response = error.in_lang(lang).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        headers.insert(header::RETRY_AFTER, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limits(per_second: u32, burst: u32, live: u32) -> ApiLimits {
        ApiLimits::new(&ApiConfig {
            rate_limit_per_second: per_second,
            rate_limit_burst: burst,
            live_connections_per_ip: live,
        })
    }

    #[test]
    fn a_burst_then_the_rate_per_address() {
        let limits = limits(2, 3, 0);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(limits.check(a, t), Ok(()));
        }
        assert_eq!(limits.check(a, t), Err(1));
        assert_eq!(limits.check(b, t), Ok(()));
        // Two tokens a second: half a second buys one more request.
        assert_eq!(limits.check(a, t + Duration::from_millis(500)), Ok(()));
        assert_eq!(limits.check(a, t + Duration::from_millis(500)), Err(1));
        // Refills up to the burst, not beyond.
        let later = t + Duration::from_secs(100);
        for _ in 0..3 {
            assert_eq!(limits.check(a, later), Ok(()));
        }
        assert!(limits.check(a, later).is_err());
    }

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        let limits = limits(0, 1, 0);
        let t = Instant::now();
        for _ in 0..1000 {
            assert_eq!(limits.check([10, 0, 0, 1].into(), t), Ok(()));
        }
    }

    #[test]
    fn live_connections_are_capped_per_address_until_closed() {
        let limits = limits(20, 100, 2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let first = limits.open_live(a).expect("first");
        let _second = limits.open_live(a).expect("second");
        assert!(limits.open_live(a).is_none());
        assert!(limits.open_live([10, 0, 0, 2].into()).is_some());
        drop(first);
        assert!(limits.open_live(a).is_some());
    }
}
