//! A page's live connection to `GET /api/v1/live` and the "updated N s ago" line it feeds.
//!
//! The page's data says where in the event stream it was read (`SiteFacts::live_cursor`);
//! the connection starts there, so nothing committed between the render and the connection
//! is missed. The browser's EventSource reconnects by itself with `Last-Event-ID`; when the
//! server refuses or the connection is closed for good, we open a new one after a pause.

use leptos::prelude::*;

use crate::i18n::{use_lang, use_texts, Lang};
#[cfg(feature = "hydrate")]
use crate::model::StationSummary;

/// What the status line shows: set only in the browser, so the server-rendered page and
/// the hydrated one agree (both start empty).
#[derive(Clone, Copy)]
pub struct LiveStatus {
    /// Whether the live connection is open.
    pub connected: RwSignal<bool>,
    /// When this page last received data (ms since the epoch), page load included.
    pub updated_at: RwSignal<Option<f64>>,
    /// The browser clock, ticking once a second.
    now: RwSignal<f64>,
}

impl LiveStatus {
    pub fn new() -> Self {
        Self {
            connected: RwSignal::new(false),
            updated_at: RwSignal::new(None),
            now: RwSignal::new(0.0),
        }
    }

    /// Marks the page's data as fresh now.
    pub fn touch(&self) {
        #[cfg(feature = "hydrate")]
        {
            let now = js_sys::Date::now();
            self.now.set(now);
            self.updated_at.set(Some(now));
        }
    }

    /// Starts the one-second clock (browser only); stopped when the page goes away.
    pub fn start_clock(&self) {
        #[cfg(feature = "hydrate")]
        {
            let now = self.now;
            now.set(js_sys::Date::now());
            if let Ok(handle) = set_interval_with_handle(
                move || now.set(js_sys::Date::now()),
                std::time::Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    }

    fn seconds_since_update(&self) -> Option<i64> {
        let updated = self.updated_at.get()?;
        Some(((self.now.get() - updated) / 1000.0).max(0.0) as i64)
    }
}

impl Default for LiveStatus {
    fn default() -> Self {
        Self::new()
    }
}

/// "● Live · updated 12 s ago", or nothing before hydration.
#[component]
pub fn LiveLine(status: LiveStatus) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let text = move || {
        status
            .seconds_since_update()
            .map(|seconds| seconds_ago(lang, seconds))
    };
    view! {
        <p class="live-status" aria-live="off"
            data-connected=move || if status.connected.get() { "true" } else { "false" }>
            {move || status.updated_at.get().map(|_| {
                if status.connected.get() { t.live_on } else { t.live_off }
            })}
            {move || text().map(|text| format!(" · {text}"))}
        </p>
    }
}

fn seconds_ago(lang: Lang, seconds: i64) -> String {
    match (lang, seconds) {
        (Lang::Zh, s) if s < 60 => format!("{s} 秒前更新"),
        (Lang::En, s) if s < 60 => format!("updated {s} s ago"),
        _ => lang.updated_ago(seconds),
    }
}

/// What the server says on the live connection.
#[cfg(feature = "hydrate")]
pub enum LiveMessage {
    /// A station's summary changed.
    Station(Box<StationSummary>),
    /// An enterprise's map summary changed (its "exceeding now" or newest value).
    Enterprise(Box<crate::enterprise::EnterpriseSummary>),
    /// Events were missed (the server restarted, or this page fell behind): reload the data.
    Resync,
}

/// Opens the live connection for this page; `on_message` gets every change (and calls
/// [`LiveStatus::touch`] when the change concerns the page). Closed when the page goes away.
#[cfg(feature = "hydrate")]
pub fn connect(
    scale: daylight_domain::aqi::AqiScale,
    after: Option<String>,
    status: LiveStatus,
    on_message: impl Fn(LiveMessage) + 'static,
) {
    let (stop, stopped) = futures_channel::oneshot::channel::<()>();
    on_cleanup(move || {
        let _ = stop.send(());
    });
    leptos::task::spawn_local(run(scale, after, status, on_message, stopped));
}

#[cfg(feature = "hydrate")]
async fn run(
    scale: daylight_domain::aqi::AqiScale,
    mut after: Option<String>,
    status: LiveStatus,
    on_message: impl Fn(LiveMessage) + 'static,
    mut stopped: futures_channel::oneshot::Receiver<()>,
) {
    use futures_util::future::{select, Either};
    use futures_util::StreamExt;
    use gloo_net::eventsource::futures::EventSource;

    /// Pause before opening a new connection after one was closed for good.
    const REOPEN_MS: u32 = 5_000;

    loop {
        let mut url = format!("/api/v1/live?scale={}", scale.as_str());
        if let Some(after) = &after {
            url.push_str("&after=");
            url.push_str(after);
        }
        let Ok(mut source) = EventSource::new(&url) else {
            return;
        };
        // `readings` and `outlet` events (every committed value) are for API clients; a
        // page follows the station and enterprise summaries.
        let (Ok(stations), Ok(enterprises), Ok(resyncs)) = (
            source.subscribe("station"),
            source.subscribe("enterprise"),
            source.subscribe("resync"),
        ) else {
            return;
        };
        status.connected.set(true);
        let mut events = futures_util::stream::select(
            futures_util::stream::select(stations, enterprises),
            resyncs,
        );
        loop {
            match select(events.next(), &mut stopped).await {
                // The page went away.
                Either::Right(_) => {
                    source.close();
                    return;
                }
                Either::Left((Some(Ok((kind, message))), _)) => {
                    status.connected.set(true);
                    let id = message.last_event_id();
                    if !id.is_empty() {
                        after = Some(id);
                    }
                    let data = message.data().as_string();
                    if kind == "resync" {
                        on_message(LiveMessage::Resync);
                    } else if kind == "enterprise" {
                        if let Some(summary) =
                            data.and_then(|text| serde_json::from_str(&text).ok())
                        {
                            on_message(LiveMessage::Enterprise(Box::new(summary)));
                        }
                    } else if let Some(summary) =
                        data.and_then(|text| serde_json::from_str(&text).ok())
                    {
                        on_message(LiveMessage::Station(Box::new(summary)));
                    }
                }
                // Closed for good (the browser reconnects by itself otherwise).
                Either::Left(_) => break,
            }
        }
        status.connected.set(false);
        drop(events);
        source.close();
        if let Either::Right(_) = select(Box::pin(sleep(REOPEN_MS)), &mut stopped).await {
            return;
        }
    }
}

#[cfg(feature = "hydrate")]
async fn sleep(ms: u32) {
    let (done, wait) = futures_channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::from_millis(u64::from(ms)),
    );
    let _ = wait.await;
}
