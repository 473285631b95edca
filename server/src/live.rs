//! Live updates: every committed change becomes a numbered event that open pages and API
//! clients receive over server-sent events (`GET /api/v1/live`, see docs/api.md).
//!
//! Events are serialised once and shared by every subscriber, so a thousand open maps cost a
//! thousand small writes, not a thousand serialisations. The most recent events are kept, so
//! that a client that reconnects with `Last-Event-ID` (browsers do this by themselves) or
//! `?after=` gets exactly what it missed. A client that fell too far behind, or whose id
//! comes from before a restart, is told to `resync`: to reload its data once.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use daylight_app::enterprise::EnterpriseSummary;
use daylight_app::model::StationSummary;
use daylight_domain::aqi::AqiScale;
use daylight_domain::station::StationCode;
use tokio::sync::broadcast;

/// How many past events are kept for reconnecting clients: with one event per station per
/// commit, a few minutes of a busy city.
const RECENT_EVENTS: usize = 8192;
/// Events a slow subscriber may have queued before it is told to resync.
const SUBSCRIBER_BACKLOG: usize = 4096;

/// What an event is about; also the SSE `event:` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Values committed for one station (hourly or sub-hourly).
    Readings,
    /// A station's map summary changed (its AQI, class, time or source).
    Station,
    /// Values committed for one enterprise outlet (its self-monitoring, issue 5).
    Outlet,
    /// An enterprise's map summary changed (exceeding now, newest value).
    Enterprise,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Readings => "readings",
            Self::Station => "station",
            Self::Outlet => "outlet",
            Self::Enterprise => "enterprise",
        }
    }
}

/// One published event, serialised once.
#[derive(Debug)]
pub struct LiveEvent {
    pub seq: u64,
    pub kind: EventKind,
    data: EventData,
}

#[derive(Debug)]
enum EventData {
    /// The same payload for every subscriber.
    Shared(Arc<str>),
    /// A station summary depends on the AQI scale the subscriber asked for.
    PerScale { hj633: Arc<str>, us_epa: Arc<str> },
}

impl LiveEvent {
    pub fn data(&self, scale: AqiScale) -> &str {
        match &self.data {
            EventData::Shared(data) => data,
            EventData::PerScale { hj633, us_epa } => match scale {
                AqiScale::Hj633 => hj633,
                AqiScale::UsEpa => us_epa,
            },
        }
    }
}

/// Where a client is in the event stream: `"{boot}-{seq}"`, the id of the last event it has.
/// The boot part changes with every start of the server, so ids from an earlier run are
/// recognised as such instead of being mistaken for recent ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    boot: u64,
    seq: u64,
}

impl Cursor {
    pub fn parse(text: &str) -> Option<Self> {
        let (boot, seq) = text.trim().split_once('-')?;
        Some(Self {
            boot: boot.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.boot, self.seq)
    }
}

/// A new subscriber's start: what it missed, then the live events.
pub struct Subscription {
    /// The client must reload its data: its cursor is too old or from another run.
    pub resync: bool,
    pub replay: Vec<Arc<LiveEvent>>,
    pub receiver: broadcast::Receiver<Arc<LiveEvent>>,
    /// Live events up to this sequence number are in `replay` (or were before the cursor).
    pub replayed_through: u64,
}

struct State {
    /// The sequence number the next event gets; the first event is 1.
    next: u64,
    recent: VecDeque<Arc<LiveEvent>>,
    /// The last published summary per station and scale, so that unchanged summaries are
    /// not sent again.
    summaries: HashMap<StationCode, (StationSummary, StationSummary)>,
    /// The last published summary per enterprise (by credit code).
    enterprises: HashMap<String, EnterpriseSummary>,
}

pub struct LiveHub {
    boot: u64,
    state: Mutex<State>,
    sender: broadcast::Sender<Arc<LiveEvent>>,
}

impl LiveHub {
    pub fn new() -> Self {
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        Self::with_boot(boot)
    }

    fn with_boot(boot: u64) -> Self {
        let (sender, _) = broadcast::channel(SUBSCRIBER_BACKLOG);
        Self {
            boot,
            state: Mutex::new(State {
                next: 1,
                recent: VecDeque::with_capacity(RECENT_EVENTS),
                summaries: HashMap::new(),
                enterprises: HashMap::new(),
            }),
            sender,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every update of the state is complete before anything can panic.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The id of the most recent event: a page rendered now passes it to its live
    /// connection, which then receives everything committed after the render.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            boot: self.boot,
            seq: self.state().next - 1,
        }
    }

    pub fn id(&self, event: &LiveEvent) -> Cursor {
        Cursor {
            boot: self.boot,
            seq: event.seq,
        }
    }

    /// Publishes committed values of one station (any JSON payload).
    pub fn publish_readings(&self, payload: String) {
        let mut state = self.state();
        self.push(
            &mut state,
            EventKind::Readings,
            EventData::Shared(payload.into()),
        );
    }

    /// Publishes committed values of one enterprise outlet (any JSON payload).
    pub fn publish_outlet(&self, payload: String) {
        let mut state = self.state();
        self.push(
            &mut state,
            EventKind::Outlet,
            EventData::Shared(payload.into()),
        );
    }

    /// Publishes an enterprise's map summary, unless it is what was sent last. Returns
    /// whether an event went out.
    pub fn publish_enterprise(&self, summary: EnterpriseSummary) -> bool {
        let mut state = self.state();
        if state.enterprises.get(&summary.credit_code) == Some(&summary) {
            return false;
        }
        let Ok(json) = serde_json::to_string(&summary) else {
            tracing::error!(code = %summary.credit_code, "an enterprise summary cannot be serialised");
            return false;
        };
        state
            .enterprises
            .insert(summary.credit_code.clone(), summary);
        self.push(
            &mut state,
            EventKind::Enterprise,
            EventData::Shared(json.into()),
        );
        true
    }

    /// Publishes a station's summary on both scales, unless it is what was sent last.
    /// Returns whether an event went out.
    pub fn publish_summary(&self, hj633: StationSummary, us_epa: StationSummary) -> bool {
        let mut state = self.state();
        if state
            .summaries
            .get(&hj633.code)
            .is_some_and(|(a, b)| *a == hj633 && *b == us_epa)
        {
            return false;
        }
        let (Ok(hj633_json), Ok(us_epa_json)) = (
            serde_json::to_string(&hj633),
            serde_json::to_string(&us_epa),
        ) else {
            tracing::error!(code = %hj633.code, "a station summary cannot be serialised");
            return false;
        };
        state.summaries.insert(hj633.code.clone(), (hj633, us_epa));
        self.push(
            &mut state,
            EventKind::Station,
            EventData::PerScale {
                hj633: hj633_json.into(),
                us_epa: us_epa_json.into(),
            },
        );
        true
    }

    /// Numbers, keeps and sends an event. Called with the lock held, so that numbering,
    /// keeping and sending happen in one order for every subscriber.
    fn push(&self, state: &mut State, kind: EventKind, data: EventData) {
        let event = Arc::new(LiveEvent {
            seq: state.next,
            kind,
            data,
        });
        state.next += 1;
        if state.recent.len() == RECENT_EVENTS {
            state.recent.pop_front();
        }
        state.recent.push_back(event.clone());
        // No subscribers is not an error: the event is kept for reconnecting clients.
        let _ = self.sender.send(event);
    }

    /// Subscribes after `after` (None: from now on).
    pub fn subscribe(&self, after: Option<Cursor>) -> Subscription {
        let state = self.state();
        // Subscribing under the lock: nothing published between the replay and the live
        // part can fall between them.
        let receiver = self.sender.subscribe();
        let newest = state.next - 1;
        let oldest_kept = state.recent.front().map_or(state.next, |e| e.seq);
        let (resync, from) = match after {
            None => (false, newest),
            Some(cursor) if cursor.boot != self.boot || cursor.seq > newest => (true, newest),
            // Everything after the cursor is still kept.
            Some(cursor) if cursor.seq + 1 >= oldest_kept => (false, cursor.seq),
            Some(_) => (true, newest),
        };
        let replay = state
            .recent
            .iter()
            .filter(|e| e.seq > from)
            .cloned()
            .collect();
        Subscription {
            resync,
            replay,
            receiver,
            replayed_through: newest,
        }
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl daylight_app::data::LiveCursor for LiveHub {
    fn cursor(&self) -> String {
        LiveHub::cursor(self).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_app::model::SummaryState;
    use daylight_domain::station::StationKind;

    fn summary(code: &str, aqi: u16) -> StationSummary {
        StationSummary {
            code: StationCode::parse(code).unwrap(),
            name: code.into(),
            kind: StationKind::Air,
            lon: 108.9,
            lat: 34.2,
            district: None,
            river: None,
            approximate: false,
            time: None,
            source: None,
            state: SummaryState::Aqi {
                aqi,
                primary: Vec::new(),
            },
        }
    }

    fn seqs(events: &[Arc<LiveEvent>]) -> Vec<u64> {
        events.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor { boot: 17, seq: 4 };
        assert_eq!(Cursor::parse(&cursor.to_string()), Some(cursor));
        for bad in [
            "",
            "17",
            "17-",
            "-4",
            "a-b",
            "17-4-1",
            "99999999999999999999-1",
        ] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_reconnecting_client_gets_exactly_what_it_missed() {
        let hub = LiveHub::with_boot(7);
        hub.publish_readings("{}".into());
        let seen = hub.cursor();
        hub.publish_readings("{}".into());
        hub.publish_readings("{}".into());
        let sub = hub.subscribe(Some(seen));
        assert!(!sub.resync);
        assert_eq!(seqs(&sub.replay), vec![2, 3]);
        // A client that is up to date gets nothing old.
        let sub = hub.subscribe(Some(hub.cursor()));
        assert!(!sub.resync && sub.replay.is_empty());
        // A new client starts from now.
        let sub = hub.subscribe(None);
        assert!(!sub.resync && sub.replay.is_empty());
    }

    #[test]
    fn ids_from_another_run_or_the_future_or_too_long_ago_ask_for_a_resync() {
        let hub = LiveHub::with_boot(7);
        hub.publish_readings("{}".into());
        assert!(hub.subscribe(Some(Cursor { boot: 6, seq: 1 })).resync);
        assert!(hub.subscribe(Some(Cursor { boot: 7, seq: 9 })).resync);
        for _ in 0..RECENT_EVENTS + 5 {
            hub.publish_readings("{}".into());
        }
        let sub = hub.subscribe(Some(Cursor { boot: 7, seq: 1 }));
        assert!(sub.resync && sub.replay.is_empty());
        // The oldest kept event's predecessor is still a complete replay.
        let oldest = hub.state().recent.front().unwrap().seq;
        let sub = hub.subscribe(Some(Cursor {
            boot: 7,
            seq: oldest - 1,
        }));
        assert!(!sub.resync);
        assert_eq!(sub.replay.len(), RECENT_EVENTS);
    }

    #[tokio::test]
    async fn live_events_follow_the_replay_without_gaps_or_repeats() {
        let hub = LiveHub::with_boot(7);
        hub.publish_readings("{}".into());
        let mut sub = hub.subscribe(Some(Cursor { boot: 7, seq: 0 }));
        hub.publish_readings("{}".into());
        assert_eq!(seqs(&sub.replay), vec![1]);
        assert_eq!(sub.replayed_through, 1);
        assert_eq!(sub.receiver.recv().await.unwrap().seq, 2);
    }

    #[test]
    fn an_enterprise_summary_goes_out_when_it_changed_only() {
        let hub = LiveHub::with_boot(7);
        let summary = |exceeding_now| EnterpriseSummary {
            credit_code: "91610114MA6DM0009N".into(),
            name: "示例燃煤锅炉房".into(),
            lon: 109.2,
            lat: 34.6,
            district: None,
            industry: String::new(),
            demo: true,
            exceeding_now,
            latest_time: None,
        };
        assert!(hub.publish_enterprise(summary(true)));
        assert!(!hub.publish_enterprise(summary(true)));
        assert!(hub.publish_enterprise(summary(false)));
        hub.publish_outlet("{}".into());
        let sub = hub.subscribe(Some(Cursor { boot: 7, seq: 0 }));
        let names: Vec<&str> = sub.replay.iter().map(|e| e.kind.name()).collect();
        assert_eq!(names, ["enterprise", "enterprise", "outlet"]);
        assert!(sub.replay[1]
            .data(AqiScale::UsEpa)
            .contains(r#""exceeding_now":false"#));
    }

    #[test]
    fn unchanged_summaries_are_not_sent_again_and_scales_get_their_own() {
        let hub = LiveHub::with_boot(7);
        assert!(hub.publish_summary(summary("1462A", 80), summary("1462A", 120)));
        assert!(!hub.publish_summary(summary("1462A", 80), summary("1462A", 120)));
        assert!(hub.publish_summary(summary("1462A", 81), summary("1462A", 120)));
        let sub = hub.subscribe(Some(Cursor { boot: 7, seq: 0 }));
        assert_eq!(seqs(&sub.replay), vec![1, 2]);
        assert!(sub.replay[0].data(AqiScale::Hj633).contains("80"));
        assert!(sub.replay[0].data(AqiScale::UsEpa).contains("120"));
        assert_eq!(sub.replay[0].kind.name(), "station");
    }
}
