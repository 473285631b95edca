//! The live queue: new complaints appear in an open queue page without a reload
//! (docs/complaints.md, "For officers").
//!
//! `GET /admin/live?after=ID&district=…&status=…&assigned=…` is a server-sent event stream
//! for a signed-in session (the back office's cookie; `403` otherwise): one `complaint`
//! event per complaint stored after `ID` that this session's queue, with these filters,
//! would list, carrying the queue's own row for it (rendered here, escaped, in the
//! session's language). Before each batch the session is read again, and each complaint is
//! checked against the role it has then, so a district officer never receives another
//! district's complaint, and a stream whose session ended (signed out, expired, account
//! removed) ends too.
//!
//! Where new complaints come from: the database, not the process. One task per server asks
//! the store for the newest complaint id twice a second while anyone is watching (one
//! indexed lookup; nothing while nobody is), and each stream reads what is new after its
//! own position. So a complaint filed through the form, Open311 or another server instance
//! on the same database appears alike, and a stream that reconnects (`Last-Event-ID`, the
//! last complaint id it was sent) misses nothing. The public live bus (`crate::live`) is
//! not used: everything on it is public.
//!
//! `/admin/queue.js` is the queue page's script (a file, so the back office's content
//! policy needs no inline script): it opens the stream and inserts the rows. Without it
//! the page works as before, with a reload.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use daylight_app::i18n::Lang;
use daylight_store::{AdminSession, QueueItem, SessionId, Store, TokenHash};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::watch;

use super::html::{queue_row, Page};
use super::{forbidden, lang_of, session, AdminState, QueueQuery, SESSION_COOKIE};

/// How often the newest complaint id is read while a queue is open.
const POLL: Duration = Duration::from_millis(500);
/// How often a quiet stream checks that its session still exists.
const SESSION_CHECK: Duration = Duration::from_secs(30);
/// Complaints read at a time.
const BATCH: u32 = 50;
/// A stream further behind than this asks its page to reload instead of catching up.
const MAX_BEHIND: i64 = 500;
/// A comment line this often keeps proxies from closing a quiet connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
const RETRY: Duration = Duration::from_secs(3);

const SCRIPT: &str = include_str!("queue.js");

/// The newest complaint id, read from the store while someone is watching.
pub(crate) struct QueueWatch {
    store: Arc<dyn Store>,
    latest: watch::Sender<i64>,
    started: AtomicBool,
}

impl QueueWatch {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            latest: watch::Sender::new(0),
            started: AtomicBool::new(false),
        }
    }

    /// A receiver of the newest id; starts the polling task on first use.
    fn subscribe(self: &Arc<Self>) -> watch::Receiver<i64> {
        let receiver = self.latest.subscribe();
        if !self.started.swap(true, Ordering::SeqCst) {
            let watch = Arc::downgrade(self);
            tokio::spawn(async move {
                loop {
                    let Some(me) = watch.upgrade() else { return };
                    if me.latest.receiver_count() > 0 {
                        match me.store.last_complaint_id().await {
                            Ok(id) => {
                                me.latest.send_if_modified(|seen| {
                                    let new = *seen != id;
                                    *seen = id;
                                    new
                                });
                            }
                            Err(error) => {
                                tracing::warn!(%error, "live queue: cannot read the newest complaint")
                            }
                        }
                    }
                    drop(me);
                    tokio::time::sleep(POLL).await;
                }
            });
        }
        receiver
    }
}

/// `GET /admin/queue.js`.
pub(super) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (
                header::CACHE_CONTROL,
                "public, max-age=300, must-revalidate",
            ),
        ],
        SCRIPT,
    )
        .into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct LiveQuery {
    /// A complaint id (a string: flattened query fields arrive as text).
    after: Option<String>,
    #[serde(flatten)]
    queue: QueueQuery,
}

/// `GET /admin/live`.
pub(super) async fn stream(
    State(state): State<AdminState>,
    headers: HeaderMap,
    query: Result<Query<LiveQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let Some(id) =
        daylight_app::prefs::cookie(&headers, SESSION_COOKIE).and_then(|v| SessionId::parse(&v))
    else {
        return forbidden(lang);
    };
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return forbidden(lang),
        Err(response) => return response,
    };
    let Ok(Query(query)) = query else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // Where to start: what the browser last received, else what the page showed.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = match resume.or(query.after.as_deref().and_then(|a| a.trim().parse().ok())) {
        Some(after) => after.max(0),
        None => match state.site.store.last_complaint_id().await {
            Ok(id) => id,
            Err(error) => return super::unavailable(&error),
        },
    };
    let names = daylight_app::complaint::data::district_names(&state.site)
        .await
        .unwrap_or_default();
    tracing::debug!(user = %session.admin.username, after, "live queue opened");
    let follower = Follower {
        receiver: state.watch.subscribe(),
        state,
        session_hash: id.hash(),
        session,
        query: query.queue,
        lang,
        names,
        after,
        pending: VecDeque::new(),
    };
    Sse::new(events(follower))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// One open queue.
struct Follower {
    state: AdminState,
    session_hash: TokenHash,
    session: AdminSession,
    query: QueueQuery,
    lang: Lang,
    names: std::collections::HashMap<String, String>,
    receiver: watch::Receiver<i64>,
    /// The newest complaint id this stream has looked at.
    after: i64,
    pending: VecDeque<Event>,
}

enum Step {
    Send(Event),
    End,
}

impl Follower {
    fn event(&self, item: &QueueItem) -> Event {
        let page = Page {
            lang: self.lang,
            session: &self.session,
            names: &self.names,
            deadlines: self.state.deadlines,
            utc_offset_minutes: self.state.site.utc_offset_minutes,
        };
        let data = serde_json::json!({
            "code": item.complaint.tracking_code.as_str(),
            "row": queue_row(&page, item, Utc::now()),
        });
        Event::default()
            .id(item.complaint.id.to_string())
            .event("complaint")
            .data(data.to_string())
            .retry(RETRY)
    }

    async fn next(&mut self) -> Step {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Step::Send(event);
            }
            if *self.receiver.borrow_and_update() <= self.after {
                // A quiet stream still looks at its session now and then (a timeout).
                let waited = tokio::time::timeout(SESSION_CHECK, self.receiver.changed()).await;
                if let Ok(Err(_)) = waited {
                    return Step::End;
                }
            }
            // The session as it is now: ended, or its role, decides what may be sent.
            let store = &self.state.site.store;
            self.session = match store.admin_session(&self.session_hash, Utc::now()).await {
                Ok(Some(session)) => session,
                Ok(None) => return Step::End,
                Err(error) => {
                    tracing::warn!(%error, "live queue: cannot read the session");
                    tokio::time::sleep(POLL).await;
                    continue;
                }
            };
            let latest = *self.receiver.borrow();
            if latest <= self.after {
                continue;
            }
            if latest - self.after > MAX_BEHIND {
                self.after = latest;
                return Step::Send(Event::default().event("reload").data("{}"));
            }
            let items = match store.complaints_after(self.after, BATCH).await {
                Ok(items) => items,
                Err(error) => {
                    tracing::warn!(%error, "live queue: cannot read new complaints");
                    tokio::time::sleep(POLL).await;
                    continue;
                }
            };
            let Some(last) = items.last() else {
                self.after = latest;
                continue;
            };
            self.after = last.complaint.id;
            let filter = self.query.filter(&self.session);
            let role = &self.session.admin.role;
            let shown: Vec<Event> = items
                .iter()
                .filter(|item| role.may_see(item.complaint.district.as_deref()))
                .filter(|item| filter.matches(item))
                .map(|item| self.event(item))
                .collect();
            self.pending.extend(shown);
        }
    }
}

fn events(follower: Follower) -> impl Stream<Item = Result<Event, Infallible>> {
    // Fused, as a body that a compression layer may poll again after its end must be.
    stream::unfold(follower, |mut follower| async move {
        match follower.next().await {
            Step::Send(event) => Some((Ok(event), follower)),
            Step::End => None,
        }
    })
    .fuse()
}
