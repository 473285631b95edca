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
use daylight_app::enterprise::data::{enterprise_summaries, StatusNow};
use daylight_app::model::StationLatest;
use daylight_domain::aqi::AqiScale;
use daylight_domain::enterprise::{CreditCode, OutletCode};
use std::collections::BTreeMap;

use chrono::{DateTime, DurationRound, FixedOffset, Offset, TimeDelta, Utc};
use daylight_domain::parameter::Parameter;
use daylight_domain::series;
use daylight_domain::station::{DataFlag, DataSource, StationCode};
use daylight_store::{OutletReading, Reading, Store, StoreError, TimeRange};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::live::LiveHub;

/// Hand-off to the writer: how many commits may wait before callers wait to hand theirs in.
const QUEUE: usize = 8192;
/// At most this many commits go into one transaction.
const MAX_BATCH: usize = 512;

pub struct Ingestor {
    store: Arc<dyn Store>,
    live: Arc<LiveHub>,
    jobs: mpsc::Sender<Job>,
    /// Enterprises whose outlet values changed, on their way to the summary task.
    enterprises_changed: mpsc::UnboundedSender<CreditCode>,
    /// Times in `outlet` events are local ISO 8601, as everywhere in `/api/v1`.
    zone: FixedOffset,
}

/// Why values were not committed.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the writer has stopped (the server is shutting down)")]
    Stopped,
}

/// One caller's values, waiting for the writer.
struct Job {
    values: Vec<Reading>,
    kind: Kind,
    done: oneshot::Sender<Result<(), StoreError>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hourly,
    Samples,
}

impl Ingestor {
    /// Starts the writer and the summary task; they end when the ingestor is dropped.
    pub fn new(store: Arc<dyn Store>, live: Arc<LiveHub>, utc_offset_minutes: i32) -> Arc<Self> {
        let (changed, receiver) = mpsc::unbounded_channel();
        tokio::spawn(summarize_changes(store.clone(), live.clone(), receiver));
        let (announcements, committed) = mpsc::unbounded_channel();
        let announcer = Announcer {
            live: live.clone(),
            changed,
            zone: FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60))
                .unwrap_or_else(|| chrono::Utc.fix()),
        };
        tokio::spawn(announcer.run(committed));
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = Writer {
            store: store.clone(),
            announcements,
        };
        writer.start(queue);
        let (enterprises_changed, enterprise_queue) = mpsc::unbounded_channel();
        tokio::spawn(summarize_enterprises(
            store.clone(),
            live.clone(),
            enterprise_queue,
        ));
        Arc::new(Self {
            store,
            live,
            jobs,
            enterprises_changed,
            zone: FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60))
                .unwrap_or_else(|| chrono::Utc.fix()),
        })
    }

    /// Stores hourly values of enterprise outlets (HJ 212 ST 31/32), then announces them: an
    /// `outlet` event per outlet at once, the enterprise's map summary (`enterprise`, when
    /// it changed) from the summary task. When this returns `Ok`, the values are committed.
    ///
    /// Not through the writer's group commit: an outlet sends once an hour, and its values
    /// live in their own table.
    pub async fn commit_outlet(&self, values: Vec<OutletReading>) -> Result<(), CommitError> {
        if values.is_empty() {
            return Ok(());
        }
        self.store.upsert_outlet_readings(&values).await?;
        publish_outlet_values(&self.live, &values, self.zone);
        let enterprises: BTreeSet<&CreditCode> = values.iter().map(|v| &v.enterprise).collect();
        for code in enterprises {
            // The task lives as long as the runtime.
            let _ = self.enterprises_changed.send(code.clone());
        }
        Ok(())
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn live(&self) -> &Arc<LiveHub> {
        &self.live
    }

    /// Stores hourly readings, then announces them. When this returns `Ok`, the values are
    /// committed. Commits arriving together share one transaction (group commit), which is
    /// what lets hundreds of loggers be acknowledged quickly.
    pub async fn commit(&self, readings: Vec<Reading>) -> Result<(), CommitError> {
        self.submit(readings, Kind::Hourly).await
    }

    /// Stores sub-hourly samples (HJ 212 real-time and minute values), then derives the
    /// hourly value of every hour they touch that now has enough data (GB 3095-2012: 45
    /// minutes), and announces both. A reported hourly value always wins over a derived one.
    pub async fn commit_samples(&self, samples: Vec<Reading>) -> Result<(), CommitError> {
        self.submit(samples, Kind::Samples).await
    }

    async fn submit(&self, values: Vec<Reading>, kind: Kind) -> Result<(), CommitError> {
        if values.is_empty() {
            return Ok(());
        }
        let (done, result) = oneshot::channel();
        let job = Job { values, kind, done };
        self.jobs
            .send(job)
            .await
            .map_err(|_| CommitError::Stopped)?;
        Ok(result.await.map_err(|_| CommitError::Stopped)??)
    }
}

/// The single writer: takes whatever commits are waiting, writes them in one transaction,
/// answers each, announces the values.
struct Writer {
    store: Arc<dyn Store>,
    /// Committed values on their way to the announcer, in commit order.
    announcements: mpsc::UnboundedSender<(Vec<Reading>, Period)>,
}

/// How long the writer may wait for the rest of a cohort (see [`gather_stragglers`]).
const STRAGGLER_WAIT: std::time::Duration = std::time::Duration::from_micros(600);

/// When fewer commits are waiting than went into the last transaction, gives the others a
/// moment to arrive before writing (the idea of PostgreSQL's `commit_delay`).
///
/// Without it, loggers split into two cohorts that alternate: most are answered by one
/// transaction, the few that arrived during it form the next one, and a transaction costs
/// nearly as much for three packets as for two hundred (measured: 197 and 3 in turn, so a
/// third of the transactions carried 1.5 % of the packets). Waiting only happens under load
/// (a previous batch of 8 or more), and for at most [`STRAGGLER_WAIT`].
async fn gather_stragglers(
    queue: &mut mpsc::Receiver<Job>,
    waiting: &mut Vec<Job>,
    last_batch: usize,
) {
    if last_batch < 8 || waiting.len() * 2 > last_batch {
        return;
    }
    let deadline = std::time::Instant::now() + STRAGGLER_WAIT;
    while waiting.len() < last_batch.min(MAX_BATCH) && std::time::Instant::now() < deadline {
        // Lets the connections' tasks run (their packets are what we wait for) without a
        // timer: tokio's has millisecond resolution, coarser than the wait.
        tokio::task::yield_now().await;
        while waiting.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => waiting.push(job),
                Err(_) => break,
            }
        }
    }
}

/// Turns committed values into live events, beside the writer so that the next commit
/// need not wait for the last one's events.
struct Announcer {
    live: Arc<LiveHub>,
    changed: mpsc::UnboundedSender<Change>,
    /// Times in events are local ISO 8601, as everywhere in `/api/v1`.
    zone: FixedOffset,
}

impl Writer {
    /// Runs the writer on a thread of its own.
    ///
    /// A transaction is a handful of round trips between this task and sqlx's SQLite
    /// thread. On the shared runtime each wake-up waited its turn behind the hundreds of
    /// connection tasks that the last commit's acknowledgements had just woken, and the
    /// database sat idle meanwhile (the writer thread was busy 60 % of the time at 13,000
    /// packets/s). Alone on its thread, the writer is polled as soon as it is woken.
    fn start(self, queue: mpsc::Receiver<Job>) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let spawned = runtime.map_err(|e| e.to_string()).and_then(|runtime| {
            std::thread::Builder::new()
                .name("daylight-writer".into())
                .spawn(move || runtime.block_on(self.run(queue)))
                .map_err(|e| e.to_string())
        });
        if let Err(error) = spawned {
            // Without the thread, commits fail with "the writer has stopped" rather than
            // hang: the receiver was dropped with the closure.
            tracing::error!(%error, "the ingest writer did not start");
        }
    }

    async fn run(self, mut queue: mpsc::Receiver<Job>) {
        let mut waiting = Vec::with_capacity(MAX_BATCH);
        let mut last_batch = 0;
        while queue.recv_many(&mut waiting, MAX_BATCH).await > 0 {
            gather_stragglers(&mut queue, &mut waiting, last_batch).await;
            last_batch = waiting.len();
            let (hourly, samples): (Vec<Job>, Vec<Job>) =
                waiting.drain(..).partition(|job| job.kind == Kind::Hourly);
            self.write_group(hourly, Kind::Hourly).await;
            self.write_group(samples, Kind::Samples).await;
        }
    }

    /// Commits a group of jobs together; if that fails, each on its own, so that one bad
    /// job (a station deleted meanwhile) does not fail the others. Values are moved, not
    /// copied, from the jobs to the transaction and on to the announcer.
    async fn write_group(&self, mut jobs: Vec<Job>, kind: Kind) {
        if jobs.is_empty() {
            return;
        }
        if jobs.len() > 1 {
            let lengths: Vec<usize> = jobs.iter().map(|j| j.values.len()).collect();
            let mut all = Vec::with_capacity(lengths.iter().sum());
            for job in &mut jobs {
                all.append(&mut job.values);
            }
            match self.write(all, kind).await {
                Ok(()) => {
                    for job in jobs {
                        let _ = job.done.send(Ok(()));
                    }
                    return;
                }
                Err((_, mut all)) => {
                    for (job, length) in jobs.iter_mut().zip(lengths) {
                        job.values = all.drain(..length).collect();
                    }
                }
            }
        }
        for job in jobs {
            let result = self.write(job.values, kind).await.map_err(|(e, _)| e);
            // The caller may have gone (its connection closed): nothing to answer then.
            let _ = job.done.send(result);
        }
    }

    /// Commits `values` and announces them; on failure, gives them back.
    async fn write(
        &self,
        values: Vec<Reading>,
        kind: Kind,
    ) -> Result<(), (StoreError, Vec<Reading>)> {
        match kind {
            Kind::Hourly => match self.store.ingest_readings(&values).await {
                Ok(_) => {
                    self.announce(values, Period::Hour);
                    Ok(())
                }
                Err(error) => Err((error, values)),
            },
            Kind::Samples => match self.write_samples(&values).await {
                Ok(derived) => {
                    self.announce(values, Period::Sample);
                    if !derived.is_empty() {
                        self.announce(derived, Period::Hour);
                    }
                    Ok(())
                }
                Err(error) => Err((error, values)),
            },
        }
    }

    /// Stores samples and the hourly values they complete; returns those hourly values.
    async fn write_samples(&self, samples: &[Reading]) -> Result<Vec<Reading>, StoreError> {
        self.store.upsert_samples(samples).await?;
        let hours: BTreeSet<(&StationCode, DateTime<Utc>)> = samples
            .iter()
            .filter_map(|s| Some((&s.station, hour_start(s.time)?)))
            .collect();
        let mut derived = Vec::new();
        for (code, start) in hours {
            let range = TimeRange {
                from: start,
                to: start + TimeDelta::hours(1),
            };
            let in_hour = self.store.samples(code, range, None).await?;
            derived.extend(hourly_means(code, start, &in_hour));
        }
        if !derived.is_empty() {
            self.store.upsert_derived_readings(&derived).await?;
        }
        Ok(derived)
    }

    fn announce(&self, values: Vec<Reading>, period: Period) {
        // The announcer lives as long as the runtime.
        let _ = self.announcements.send((values, period));
    }
}

impl Announcer {
    async fn run(self, mut committed: mpsc::UnboundedReceiver<(Vec<Reading>, Period)>) {
        while let Some((values, period)) = committed.recv().await {
            self.publish(&values, period);
            if matches!(period, Period::Hour) {
                // Samples do not change a station's hourly summary; derived hours do.
                let mut changes: BTreeMap<&StationCode, BTreeSet<DateTime<Utc>>> = BTreeMap::new();
                for r in &values {
                    let o3_hours = changes.entry(&r.station).or_default();
                    if r.parameter == Parameter::O3 {
                        o3_hours.insert(r.time);
                    }
                }
                for (code, o3_hours) in changes {
                    let _ = self.changed.send(Change {
                        station: code.clone(),
                        o3_hours,
                    });
                }
            }
        }
    }

    /// One `readings` event per station.
    fn publish(&self, readings: &[Reading], period: Period) {
        let stations: BTreeSet<&StationCode> = readings.iter().map(|r| &r.station).collect();
        for code in stations {
            let payload = ReadingsEvent {
                station: code,
                period,
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
        }
    }
}

/// Whether the values of a `readings` event are hourly (reported or derived) or samples.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Period {
    Hour,
    Sample,
}

/// The `readings` event: what was committed for one station.
#[derive(Serialize)]
struct ReadingsEvent<'a> {
    station: &'a StationCode,
    period: Period,
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
    #[serde(skip_serializing_if = "str::is_empty")]
    provenance: &'a str,
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
            provenance: &r.provenance,
        }
    }
}

/// The `outlet` event: what was committed for one outlet of one enterprise.
#[derive(Serialize)]
struct OutletEvent<'a> {
    enterprise: &'a str,
    outlet: &'a str,
    period: Period,
    readings: Vec<OutletValueJson<'a>>,
}

/// An outlet value as `/api/v1/enterprises/{code}/readings` gives it.
#[derive(Serialize)]
struct OutletValueJson<'a> {
    pollutant: &'a str,
    time: String,
    value: f64,
    unit: &'static str,
    flag: String,
    source: DataSource,
}

/// One `outlet` event per (enterprise, outlet) of `values`.
fn publish_outlet_values(live: &LiveHub, values: &[OutletReading], zone: FixedOffset) {
    let outlets: BTreeSet<(&CreditCode, &OutletCode)> =
        values.iter().map(|v| (&v.enterprise, &v.outlet)).collect();
    for (enterprise, outlet) in outlets {
        let payload = OutletEvent {
            enterprise: enterprise.as_str(),
            outlet: outlet.as_str(),
            period: Period::Hour,
            readings: values
                .iter()
                .filter(|v| &v.enterprise == enterprise && &v.outlet == outlet)
                .map(|v| OutletValueJson {
                    pollutant: v.pollutant.as_str(),
                    time: v.time.with_timezone(&zone).to_rfc3339(),
                    value: v.value,
                    unit: v.unit.symbol(),
                    flag: v.flag.code().to_string(),
                    source: v.source,
                })
                .collect(),
        };
        match serde_json::to_string(&payload) {
            Ok(json) => live.publish_outlet(json),
            Err(error) => tracing::error!(%error, "live outlet event not serialised"),
        }
    }
}

/// Works out the map summary of every enterprise whose outlet values changed, a burst at a
/// time, with the register's rule for "exceeding now" (`StatusNow`), and publishes the ones
/// that changed.
async fn summarize_enterprises(
    store: Arc<dyn Store>,
    live: Arc<LiveHub>,
    mut changed: mpsc::UnboundedReceiver<CreditCode>,
) {
    while let Some(code) = changed.recv().await {
        let mut round = BTreeSet::from([code]);
        while let Ok(code) = changed.try_recv() {
            round.insert(code);
        }
        if let Err(error) = publish_enterprises(store.as_ref(), &live, &round).await {
            tracing::warn!(%error, "live enterprise summaries not published");
        }
        tokio::time::sleep(SUMMARY_PACE).await;
    }
}

async fn publish_enterprises(
    store: &dyn Store,
    live: &LiveHub,
    codes: &BTreeSet<CreditCode>,
) -> Result<(), StoreError> {
    let status = StatusNow::read(store, Utc::now()).await?;
    let enterprises: Vec<_> = store
        .enterprises()
        .await?
        .into_iter()
        .filter(|e| codes.contains(&e.credit_code))
        .collect();
    for summary in enterprise_summaries(&enterprises, &status) {
        live.publish_enterprise(summary);
    }
    Ok(())
}

/// The start of the hour a sample was taken in (UTC; whole hours in every zone we serve).
fn hour_start(time: DateTime<Utc>) -> Option<DateTime<Utc>> {
    time.duration_trunc(TimeDelta::hours(1)).ok()
}

/// The hourly means of one station's samples in the hour from `start`, per parameter, for
/// the parameters whose valid samples cover 45 minutes; labelled by the hour's end.
fn hourly_means(code: &StationCode, start: DateTime<Utc>, samples: &[Reading]) -> Vec<Reading> {
    let mut by_parameter: BTreeMap<Parameter, Vec<&Reading>> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.flag.is_valid()) {
        by_parameter.entry(s.parameter).or_default().push(s);
    }
    by_parameter
        .into_iter()
        .filter_map(|(parameter, samples)| {
            let points: Vec<(DateTime<Utc>, f64)> =
                samples.iter().map(|s| (s.time, s.value)).collect();
            let mean = series::hourly_mean(&points, start)?;
            let first = samples.first()?;
            Some(Reading {
                station: code.clone(),
                parameter,
                time: start + TimeDelta::hours(1),
                value: (mean * 1000.0).round() / 1000.0,
                unit: first.unit,
                flag: DataFlag::Normal,
                source: first.source,
                provenance: format!(
                    "hourly mean of {} samples (GB 3095-2012: at least 45 minutes)",
                    points.len()
                ),
            })
        })
        .collect()
}

/// The pause between two rounds of summaries: well under what a person notices on a map,
/// and it bounds the summary queries under load to a few per station per second.
const SUMMARY_PACE: std::time::Duration = std::time::Duration::from_millis(100);

/// A station whose hourly values changed, and the hours among them with a new O₃ value.
struct Change {
    station: StationCode,
    o3_hours: BTreeSet<DateTime<Utc>>,
}

/// Recomputes the summary of every station that changed, a burst at a time, after deriving
/// the 8-hour O₃ means its new hourly O₃ values make possible.
async fn summarize_changes(
    store: Arc<dyn Store>,
    live: Arc<LiveHub>,
    mut changed: mpsc::UnboundedReceiver<Change>,
) {
    let mut pending: BTreeMap<StationCode, BTreeSet<DateTime<Utc>>> = BTreeMap::new();
    while let Some(change) = changed.recv().await {
        let mut take = |change: Change| {
            pending
                .entry(change.station)
                .or_default()
                .extend(change.o3_hours)
        };
        take(change);
        while let Ok(change) = changed.try_recv() {
            take(change);
        }
        let round = std::mem::take(&mut pending);
        // Every station's new 8-hour means in one transaction (one sync, not one per station),
        // before the summaries that may need them.
        let mut derived = Vec::new();
        for (code, o3_hours) in &round {
            match derive_o3_8h(store.as_ref(), code, o3_hours).await {
                Ok(means) => derived.extend(means),
                Err(error) => tracing::warn!(%error, %code, "8-hour O3 means not derived"),
            }
        }
        if !derived.is_empty() {
            if let Err(error) = store.upsert_derived_readings(&derived).await {
                tracing::warn!(%error, "8-hour O3 means not stored");
            }
        }
        for code in round.keys() {
            if let Err(error) = publish_summary(store.as_ref(), &live, code).await {
                tracing::warn!(%error, %code, "live station summary not published");
            }
        }
        // Under a stream of commits, a station's summary is worked out at most this often;
        // what arrives meanwhile is coalesced into the next round.
        tokio::time::sleep(SUMMARY_PACE).await;
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
                to: time + TimeDelta::seconds(1),
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

/// The 8-hour moving means of O₃ ending at each of `hours`, where enough of the 8 hours
/// have a valid value (GB 3095-2012: 6), to be stored as derived values. Loggers send hourly O₃ only; the US EPA scale and
/// CNEMC's daily statistics need the 8-hour mean, so the server works it out, as CNEMC does,
/// and stores it as derived: a reported one (CNEMC publishes it) is never replaced.
async fn derive_o3_8h(
    store: &dyn Store,
    code: &StationCode,
    hours: &BTreeSet<DateTime<Utc>>,
) -> Result<Vec<Reading>, StoreError> {
    let (Some(first), Some(last)) = (hours.first(), hours.last()) else {
        return Ok(Vec::new());
    };
    let range = TimeRange {
        from: *first - TimeDelta::hours(7),
        to: *last + TimeDelta::seconds(1),
    };
    let o3 = store.readings(code, range, Some(Parameter::O3)).await?;
    let mut valid: Vec<series::HourlyValue> = o3
        .iter()
        .filter(|r| r.flag.is_valid())
        .map(|r| series::HourlyValue {
            hour: r.time,
            value: r.value,
        })
        .collect();
    valid.sort_by_key(|v| v.hour);
    // Each mean looks at its own 8 hours only: a logger re-sending a month of backlog asks
    // for hundreds of means, and scanning the whole range for each was quadratic.
    let window = |end: DateTime<Utc>| {
        let from = valid.partition_point(|v| v.hour <= end - TimeDelta::hours(8));
        let to = valid.partition_point(|v| v.hour <= end);
        &valid[from..to.max(from)]
    };
    let derived: Vec<Reading> = hours
        .iter()
        .filter_map(|hour| {
            // The store gives them oldest first.
            let at = o3.binary_search_by_key(hour, |r| r.time).ok()?;
            let source = o3[at].source;
            let in_window = window(*hour);
            let mean = series::o3_8h_moving(in_window, *hour)?;
            let count = in_window.len();
            Some(Reading {
                station: code.clone(),
                parameter: Parameter::O3_8h,
                time: *hour,
                value: mean.round(),
                unit: Parameter::O3_8h.unit(),
                flag: DataFlag::Normal,
                source,
                provenance: format!(
                    "8-hour moving mean of {count} hourly O3 values (GB 3095-2012: at least 6)"
                ),
            })
        })
        .collect();
    Ok(derived)
}
