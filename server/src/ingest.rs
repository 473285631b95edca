//! The one way live values enter Daylight: the HJ 212 gateway and the HTTP push API both
//! hand their readings to [`Ingestor::commit`], which stores them and then tells every open
//! page.
//!
//! The commit is awaited (a logger is acknowledged only after it); the station summaries
//! that follow are worked out by a background task, off the acknowledgement's path. That
//! task coalesces: when a burst commits the same station many times, the station's summary
//! is computed once for the burst.

use std::collections::BTreeSet;
use std::sync::Arc;

use daylight_app::assess::summarize;
use daylight_app::data::{reading_view, station_info};
use daylight_app::model::StationLatest;
use daylight_domain::aqi::AqiScale;
use chrono::{FixedOffset, Offset};
use daylight_domain::station::{DataSource, StationCode};
use daylight_store::{ImportCounts, Reading, Store, StoreError, TimeRange};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::live::LiveHub;

pub struct Ingestor {
    store: Arc<dyn Store>,
    live: Arc<LiveHub>,
    changed: mpsc::UnboundedSender<StationCode>,
    /// Times in events are local ISO 8601, as everywhere in `/api/v1`.
    zone: FixedOffset,
}

impl Ingestor {
    /// Starts the summary task; it ends when the ingestor is dropped.
    pub fn new(store: Arc<dyn Store>, live: Arc<LiveHub>, utc_offset_minutes: i32) -> Arc<Self> {
        let (changed, receiver) = mpsc::unbounded_channel();
        tokio::spawn(summarize_changes(store.clone(), live.clone(), receiver));
        Arc::new(Self {
            store,
            live,
            changed,
            zone: FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60))
                .unwrap_or_else(|| chrono::Utc.fix()),
        })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn live(&self) -> &Arc<LiveHub> {
        &self.live
    }

    /// Stores hourly readings in one transaction, then announces them. When this returns
    /// `Ok`, the values are committed.
    pub async fn commit(&self, readings: &[Reading]) -> Result<ImportCounts, StoreError> {
        if readings.is_empty() {
            return Ok(ImportCounts::default());
        }
        let counts = self.store.upsert_readings(readings).await?;
        self.announce(readings);
        Ok(counts)
    }

    /// Publishes the committed values per station and queues the stations' summaries.
    fn announce(&self, readings: &[Reading]) {
        let stations: BTreeSet<&StationCode> = readings.iter().map(|r| &r.station).collect();
        for code in stations {
            let payload = ReadingsEvent {
                station: code,
                readings: readings
                    .iter()
                    .filter(|r| &r.station == code)
                    .map(|r| ReadingJson::new(r, self.zone))
                    .collect(),
            };
            match serde_json::to_string(&payload) {
                Ok(json) => self.live.publish_readings(json),
                Err(error) => tracing::error!(%error, "live readings event not serialised"),
            }
            // The receiver lives as long as the task, which lives as long as the runtime.
            let _ = self.changed.send(code.clone());
        }
    }
}

/// The `readings` event: what was committed for one station.
#[derive(Serialize)]
struct ReadingsEvent<'a> {
    station: &'a StationCode,
    readings: Vec<ReadingJson<'a>>,
}

/// A reading as `/api/v1/stations/{code}/readings` gives it.
#[derive(Serialize)]
struct ReadingJson<'a> {
    parameter: &'a str,
    time: String,
    value: f64,
    unit: &'a str,
    flag: String,
    source: DataSource,
}

impl<'a> ReadingJson<'a> {
    fn new(r: &'a Reading, zone: FixedOffset) -> Self {
        Self {
            parameter: r.parameter.code(),
            time: r.time.with_timezone(&zone).to_rfc3339(),
            value: r.value,
            unit: r.unit.ascii(),
            flag: r.flag.code().to_string(),
            source: r.source,
        }
    }
}

/// Recomputes the summary of every station that changed, a burst at a time.
async fn summarize_changes(
    store: Arc<dyn Store>,
    live: Arc<LiveHub>,
    mut changed: mpsc::UnboundedReceiver<StationCode>,
) {
    let mut pending = BTreeSet::new();
    while let Some(code) = changed.recv().await {
        pending.insert(code);
        while let Ok(code) = changed.try_recv() {
            pending.insert(code);
        }
        for code in std::mem::take(&mut pending) {
            if let Err(error) = publish_summary(store.as_ref(), &live, &code).await {
                tracing::warn!(%error, %code, "live station summary not published");
            }
        }
    }
}

async fn publish_summary(
    store: &dyn Store,
    live: &LiveHub,
    code: &StationCode,
) -> Result<(), StoreError> {
    let Some(station) = store.station(code).await? else {
        return Ok(());
    };
    let latest = match store.latest_time(code).await? {
        Some(time) => {
            let range = TimeRange {
                from: time,
                to: time + chrono::Duration::seconds(1),
            };
            store.readings(code, range, None).await?
        }
        None => Vec::new(),
    };
    let latest = StationLatest {
        station: station_info(&station),
        latest: latest.iter().map(reading_view).collect(),
    };
    live.publish_summary(
        summarize(&latest, AqiScale::Hj633),
        summarize(&latest, AqiScale::UsEpa),
    );
    Ok(())
}
