//! `GET /api/v1/live`: committed values and station summaries as server-sent events.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use daylight_domain::aqi::AqiScale;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::error::{ApiError, ApiLang};
use super::stations::resolve_scale;
use super::ApiState;
use crate::live::{Cursor, LiveEvent, LiveHub, Subscription};

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    /// Start after this event id (as `Last-Event-ID`, which takes precedence).
    after: Option<String>,
    scale: Option<String>,
}

/// How long a browser waits before reconnecting after the connection drops.
const RETRY: Duration = Duration::from_secs(3);
/// A comment line this often keeps proxies from closing a quiet connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn stream(
    State(state): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<LiveQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let lang = ApiLang::from_headers(&headers);
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
        .in_lang(lang)
    })?;
    let scale = resolve_scale(&state.site, query.scale.as_deref()).map_err(|e| e.in_lang(lang))?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let after = match last_event_id.or(query.after) {
        None => None,
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => Some(Cursor::parse(&raw).ok_or_else(|| {
            ApiError::bad_parameter(
                "after",
                format!("不是事件编号：“{raw}”"),
                format!("not an event id: '{raw}'"),
            )
            .in_lang(lang)
        })?),
    };
    let live = state.ingestor.live().clone();
    let subscription = live.subscribe(after);
    Ok(Sse::new(events(live, subscription, scale))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// The events of one subscriber: a `resync` if needed, the replay, then live events.
fn events(
    live: Arc<LiveHub>,
    subscription: Subscription,
    scale: AqiScale,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let Subscription {
        resync,
        replay,
        receiver,
        replayed_through,
    } = subscription;
    let head = resync
        .then(|| resync_event(&live))
        .into_iter()
        .chain(replay.iter().map(|e| to_sse(&live, e, scale)))
        .map(Ok)
        .collect::<Vec<_>>();
    let tail = stream::unfold(
        (receiver, live, replayed_through),
        move |(mut receiver, live, mut last)| async move {
            loop {
                match receiver.recv().await {
                    Ok(event) if event.seq <= last => continue,
                    Ok(event) => {
                        last = event.seq;
                        let sse = to_sse(&live, &event, scale);
                        return Some((Ok(sse), (receiver, live, last)));
                    }
                    // Too slow to keep up: the missed events are gone from the queue, so the
                    // client reloads once and goes on from the newest event.
                    Err(RecvError::Lagged(_)) => {
                        let sse = resync_event(&live);
                        return Some((Ok(sse), (receiver, live, last)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    // Fused, as a body that a compression layer may poll again after its end must be.
    stream::iter(head).chain(tail).fuse()
}

fn to_sse(live: &LiveHub, event: &LiveEvent, scale: AqiScale) -> Event {
    Event::default()
        .id(live.id(event).to_string())
        .event(event.kind.name())
        .data(event.data(scale))
        .retry(RETRY)
}

/// Tells the client to reload its data; its id is the newest event's, so that the next
/// reconnection continues from there.
fn resync_event(live: &LiveHub) -> Event {
    Event::default()
        .id(live.cursor().to_string())
        .event("resync")
        .data("{}")
        .retry(RETRY)
}
