//! The demo feed: every tick each station's simulated logger uploads the current hour's value
//! of every parameter over HJ 212 (see [`super::loggers`]), continuing from the last stored
//! values with a daily rhythm and some noise. The loggers are registered as simulated, so
//! every value is stored and shown as `simulated`. With a short interval the current hour's
//! values move on each tick, like a provisional hourly value; time stamps never lie in the
//! future.

use std::collections::{BTreeMap, HashMap};
use std::f64::consts::PI;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, DurationRound, FixedOffset, Offset, Timelike, Utc};
use daylight_domain::enterprise::{CreditCode, Method, OutletCode, OutletKind, Pollutant};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_store::{Reading, Store};

use super::{enterprises, loggers};

/// The parameters the feed simulates for air stations (the 1-hour values of the real-time
/// AQI); water sections keep whichever instruments the real data shows them to have.
const AIR_PARAMETERS: [Parameter; 6] = [
    Parameter::So2,
    Parameter::No2,
    Parameter::Co,
    Parameter::O3,
    Parameter::Pm10,
    Parameter::Pm25,
];

/// Hours of simulated history filled in on start, for the 24-hour trend.
const BACKFILL_HOURS: i64 = 24;

pub fn spawn(
    store: Arc<dyn Store>,
    gateway: SocketAddr,
    interval: Duration,
    utc_offset_minutes: i32,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match loggers::register(store.as_ref()).await {
            Ok(count) => tracing::info!(count, "demo feed: simulated loggers registered"),
            Err(error) => {
                tracing::error!(%error, "demo feed: cannot register its loggers; feed off");
                return;
            }
        }
        match loggers::register_outlets(store.as_ref()).await {
            Ok(count) => tracing::info!(count, "demo feed: simulated outlet loggers registered"),
            Err(error) => tracing::error!(%error, "demo feed: cannot register outlet loggers"),
        }
        let mut feed = DemoFeed::new(utc_offset_minutes, seed_from_clock());
        // Outlets first: once the stations' day is in (what start-up waits for), the
        // outlets' hours are too.
        match upload_outlets(store.as_ref(), gateway, feed.zone(), Utc::now()).await {
            Ok(count) => tracing::info!(count, "demo feed: outlet hours sent"),
            Err(error) => tracing::error!(%error, "demo feed: outlet upload failed"),
        }
        let backfill = feed.backfill(store.as_ref(), Utc::now()).await;
        match upload(store.as_ref(), gateway, &feed, backfill).await {
            Ok(count) => tracing::info!(
                count,
                "demo feed: filled in the last day with simulated values"
            ),
            Err(error) => tracing::error!(%error, "demo feed: backfill failed"),
        }
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            if let Err(error) =
                upload_outlets(store.as_ref(), gateway, feed.zone(), Utc::now()).await
            {
                tracing::error!(%error, "demo feed: outlet upload failed");
            }
            let tick = feed.tick(store.as_ref(), Utc::now()).await;
            match upload(store.as_ref(), gateway, &feed, tick).await {
                Ok(count) => tracing::debug!(count, "demo feed: uploaded simulated values"),
                Err(error) => tracing::error!(%error, "demo feed: tick failed"),
            }
        }
    })
}

/// Sends simulated values through the gateway, one hourly packet per station and hour;
/// returns how many packets were acknowledged.
async fn upload(
    store: &dyn Store,
    gateway: SocketAddr,
    feed: &DemoFeed,
    values: anyhow::Result<Vec<Reading>>,
) -> anyhow::Result<usize> {
    let values = values?;
    let kinds: HashMap<StationCode, StationKind> = store
        .stations()
        .await?
        .into_iter()
        .map(|s| (s.code, s.kind))
        .collect();
    let mut by_packet: BTreeMap<(DateTime<Utc>, &StationCode), Vec<Reading>> = BTreeMap::new();
    for r in &values {
        by_packet
            .entry((r.time, &r.station))
            .or_default()
            .push(r.clone());
    }
    let zone = feed.zone();
    let packets: Vec<String> = by_packet
        .iter()
        .enumerate()
        .filter_map(|(i, ((hour, code), readings))| {
            let kind = *kinds.get(*code)?;
            loggers::hourly_packet(code, kind, readings, *hour, zone, i as u32)
        })
        .collect();
    loggers::send(gateway, packets).await
}

/// One outlet's hour: what one packet carries.
type OutletHour<'a> = (DateTime<Utc>, &'a CreditCode, &'a OutletCode);

/// How many hours back the outlet loggers catch up after a stop; older hours stay missing
/// (and are disclosed as missing).
const OUTLET_CATCH_UP_HOURS: i64 = 24;

/// Sends, for every demo outlet with automatic monitoring, each complete hour after its
/// latest stored one (at most [`OUTLET_CATCH_UP_HOURS`]) up to the current hour, one 2061 per
/// outlet and hour, values from [`enterprises::value_at`] (so the same hour always has the
/// same value). Returns how many packets were acknowledged.
async fn upload_outlets(
    store: &dyn Store,
    gateway: SocketAddr,
    zone: FixedOffset,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let limits = enterprises::demo_limits()?;
    let kinds: HashMap<(CreditCode, OutletCode), OutletKind> = store
        .outlets(None)
        .await?
        .into_iter()
        .map(|o| ((o.enterprise, o.code), o.kind))
        .collect();
    let mut latest: HashMap<(CreditCode, OutletCode), DateTime<Utc>> = HashMap::new();
    for r in store.latest_outlet_readings().await? {
        let t = latest.entry((r.enterprise, r.outlet)).or_insert(r.time);
        *t = (*t).max(r.time);
    }
    let this_hour = hour_of(now)?;
    let mut by_packet: BTreeMap<OutletHour, Vec<(Pollutant, f64)>> = BTreeMap::new();
    for (index, l) in limits.iter().enumerate() {
        if l.method != Method::Automatic {
            continue;
        }
        let key = (l.enterprise.clone(), l.outlet.clone());
        if !kinds.contains_key(&key) {
            continue;
        }
        let after = latest
            .get(&key)
            .copied()
            .unwrap_or(this_hour - chrono::Duration::hours(OUTLET_CATCH_UP_HOURS))
            .max(this_hour - chrono::Duration::hours(OUTLET_CATCH_UP_HOURS));
        let mut hour = after + chrono::Duration::hours(1);
        while hour <= this_hour {
            if let Some(value) = enterprises::value_at(index, l, hour) {
                by_packet
                    .entry((hour, &l.enterprise, &l.outlet))
                    .or_default()
                    .push((l.pollutant, value));
            }
            hour += chrono::Duration::hours(1);
        }
    }
    let packets: Vec<String> = by_packet
        .iter()
        .enumerate()
        .filter_map(|(i, ((hour, enterprise, outlet), values))| {
            let kind = *kinds.get(&((*enterprise).clone(), (*outlet).clone()))?;
            let mn = loggers::outlet_mn(enterprise, outlet);
            loggers::outlet_packet(&mn, kind, values, *hour, zone, i as u32)
        })
        .collect();
    loggers::send(gateway, packets).await
}

fn seed_from_clock() -> u64 {
    Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64
}

/// One station as the feed sees it.
struct StationState {
    code: StationCode,
    kind: StationKind,
    latest: Option<DateTime<Utc>>,
    values: HashMap<Parameter, f64>,
}

pub struct DemoFeed {
    rng: XorShift,
    utc_offset_minutes: i32,
    /// The level each station's parameter returns to: its value when the feed first saw it
    /// (the real data at the first start). Without an anchor a random walk drifts away.
    anchors: HashMap<(StationCode, Parameter), f64>,
}

impl DemoFeed {
    pub fn new(utc_offset_minutes: i32, seed: u64) -> Self {
        Self {
            rng: XorShift(seed.max(1)),
            utc_offset_minutes,
            anchors: HashMap::new(),
        }
    }

    /// The display time zone, which is also the loggers' clock.
    fn zone(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_minutes.saturating_mul(60))
            .unwrap_or_else(|| Utc.fix())
    }

    /// The values of every hour of the last day after each station's latest value.
    pub async fn backfill(
        &mut self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reading>> {
        let mut stations = current_state(store).await?;
        let this_hour = hour_of(now)?;
        let mut batch = Vec::new();
        for back in (0..BACKFILL_HOURS).rev() {
            let hour = this_hour - chrono::Duration::hours(back);
            for station in stations.iter_mut() {
                if station.latest.is_none_or(|latest| latest < hour) {
                    batch.extend(self.step(station, hour));
                }
            }
        }
        Ok(batch)
    }

    /// The current hour's values, moved on one step.
    pub async fn tick(
        &mut self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reading>> {
        let mut stations = current_state(store).await?;
        let hour = hour_of(now)?;
        let batch: Vec<Reading> = stations
            .iter_mut()
            .flat_map(|s| self.step(s, hour))
            .collect();
        Ok(batch)
    }

    /// Moves a station's values one step towards the level typical of `hour`.
    fn step(&mut self, station: &mut StationState, hour: DateTime<Utc>) -> Vec<Reading> {
        let local_hour = local_hour(hour, self.utc_offset_minutes);
        let mut out = Vec::with_capacity(station.values.len());
        let mut parameters: Vec<Parameter> = station.values.keys().copied().collect();
        parameters.sort_by_key(|p| p.code());
        for parameter in parameters {
            let Some(previous) = station.values.get(&parameter).copied() else {
                continue;
            };
            let (rhythm, noise) = behaviour(parameter, local_hour);
            let anchor = *self
                .anchors
                .entry((station.code.clone(), parameter))
                .or_insert(previous);
            // Mean-reverting random walk around the anchor shaped by the daily rhythm.
            let target = anchor * rhythm;
            let next = previous
                + 0.35 * (target - previous)
                + previous.abs().max(0.05) * noise * self.rng.normal();
            let next = round_for(parameter, clamp_for(parameter, next));
            station.values.insert(parameter, next);
            out.push(simulated(&station.code, parameter, hour, next));
        }
        station.latest = Some(hour);
        out
    }
}

fn simulated(
    station: &StationCode,
    parameter: Parameter,
    time: DateTime<Utc>,
    value: f64,
) -> Reading {
    Reading {
        station: station.clone(),
        parameter,
        time,
        value,
        unit: parameter.unit(),
        flag: DataFlag::Normal,
        source: DataSource::Simulated,
        provenance: String::new(),
    }
}

async fn current_state(store: &dyn Store) -> anyhow::Result<Vec<StationState>> {
    let stations = store.stations().await?;
    let latest = store.latest_readings().await?;
    let mut states: Vec<StationState> = stations
        .into_iter()
        .map(|s| StationState {
            code: s.code,
            kind: s.kind,
            latest: None,
            values: HashMap::new(),
        })
        .collect();
    for state in states.iter_mut() {
        for r in latest.iter().filter(|r| r.station == state.code) {
            state.latest = Some(r.time);
            let simulated = match state.kind {
                StationKind::Air => AIR_PARAMETERS.contains(&r.parameter),
                StationKind::Water => true,
            };
            if simulated {
                state.values.insert(r.parameter, r.value);
            }
        }
    }
    // Air stations without data start from the average of the others.
    let mut sums: HashMap<Parameter, (f64, f64)> = HashMap::new();
    for s in states.iter().filter(|s| s.kind == StationKind::Air) {
        for (p, v) in &s.values {
            let e = sums.entry(*p).or_default();
            e.0 += v;
            e.1 += 1.0;
        }
    }
    for s in states.iter_mut().filter(|s| s.kind == StationKind::Air) {
        for p in AIR_PARAMETERS {
            s.values.entry(p).or_insert_with(|| {
                sums.get(&p)
                    .map(|(sum, n)| sum / n)
                    .unwrap_or_else(|| typical_air(p))
            });
        }
    }
    Ok(states)
}

fn hour_of(time: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    Ok(time.duration_trunc(chrono::Duration::hours(1))?)
}

fn local_hour(time: DateTime<Utc>, utc_offset_minutes: i32) -> f64 {
    let minutes = time.hour() as i32 * 60 + utc_offset_minutes;
    f64::from(minutes.rem_euclid(24 * 60)) / 60.0
}

/// A parameter's daily rhythm (multiplier for this local hour) and noise (relative sd).
fn behaviour(parameter: Parameter, local_hour: f64) -> (f64, f64) {
    let wave = |peak_hour: f64, amplitude: f64| {
        1.0 + amplitude * (2.0 * PI * (local_hour - peak_hour) / 24.0).cos() / 12.0
    };
    match parameter {
        // Ozone follows the sun; particles and CO build up in the stable night and morning.
        Parameter::O3 => (wave(15.0, 3.0), 0.08),
        Parameter::Pm25 | Parameter::Pm10 | Parameter::Co => (wave(8.0, 1.2), 0.05),
        Parameter::No2 => (wave(20.0, 1.5), 0.06),
        Parameter::So2 => (1.0, 0.04),
        Parameter::DissolvedOxygen => (wave(15.0, 0.6), 0.01),
        Parameter::WaterTemperature => (wave(16.0, 0.3), 0.005),
        Parameter::Ph => (1.0, 0.002),
        _ => (1.0, 0.02),
    }
}

fn clamp_for(parameter: Parameter, value: f64) -> f64 {
    match parameter {
        Parameter::Ph => value.clamp(6.0, 9.5),
        Parameter::WaterTemperature => value.clamp(0.0, 35.0),
        Parameter::Co => value.clamp(0.1, 20.0),
        _ => value.max(0.0),
    }
}

fn round_for(parameter: Parameter, value: f64) -> f64 {
    let digits = match parameter {
        Parameter::Co => 1,
        p if p.kind() == StationKind::Air => 0,
        Parameter::Ph | Parameter::WaterTemperature | Parameter::DissolvedOxygen => 2,
        _ => 3,
    };
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// A winter-morning level for Xi'an, used only when no station has data at all.
fn typical_air(parameter: Parameter) -> f64 {
    match parameter {
        Parameter::So2 => 10.0,
        Parameter::No2 => 50.0,
        Parameter::Co => 1.2,
        Parameter::O3 => 20.0,
        Parameter::Pm10 => 110.0,
        Parameter::Pm25 => 85.0,
        _ => 1.0,
    }
}

/// A small deterministic generator (xorshift64*): the demo needs variety, not security.
struct XorShift(u64);

impl XorShift {
    fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal sample (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.next_f64().max(f64::MIN_POSITIVE);
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_uniform_enough_and_normal_is_centred() {
        let mut rng = XorShift(42);
        let n = 20_000;
        let mean: f64 = (0..n).map(|_| rng.normal()).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((0..1000)
            .map(|_| rng.next_f64())
            .all(|u| (0.0..1.0).contains(&u)));
    }

    #[test]
    fn simulated_values_stay_near_the_real_level_and_are_labelled() {
        let mut feed = DemoFeed::new(480, 7);
        let mut station = StationState {
            code: StationCode::parse("1462A").unwrap(),
            kind: StationKind::Air,
            latest: None,
            values: HashMap::from([(Parameter::Pm25, 100.0), (Parameter::O3, 30.0)]),
        };
        let start = Utc::now();
        for hour in 0..24 * 30 {
            let time = hour_of(start).unwrap() + chrono::Duration::hours(hour);
            let out = feed.step(&mut station, time);
            for r in &out {
                assert_eq!(r.source, DataSource::Simulated);
                assert_eq!(r.time, time);
            }
            let pm = station.values[&Parameter::Pm25];
            assert!(
                (40.0..250.0).contains(&pm),
                "PM2.5 drifted to {pm} after {hour} h"
            );
        }
    }

    #[test]
    fn values_stay_plausible() {
        assert_eq!(clamp_for(Parameter::Ph, 12.0), 9.5);
        assert_eq!(clamp_for(Parameter::Pm25, -3.0), 0.0);
        assert_eq!(round_for(Parameter::Co, 1.234), 1.2);
        assert_eq!(round_for(Parameter::Pm25, 101.6), 102.0);
    }
}
