//! The demo's fictional enterprises (示例企业): ten in Xi'an's districts, with outlets and
//! limits from national discharge standards (docs/enterprises.md cites each), and 40 days of
//! simulated hourly values up to the first start, with a few scripted exceedances, one still
//! going on at that hour, and a two-day gap. Everything is `source = simulated`.
//!
//! Every hourly value is a pure function of the series and the hour ([`value_at`]), so the
//! history written here and what the demo's outlet loggers send later over HJ 212
//! (`super::feed`) are one continuous, reproducible series: most outlets run at 30–60 % of
//! their limit, the gas boiler's NOx runs close to its limit and goes over now and then, the
//! printing works' stack misses about one hour in five. The history of an automatic outlet
//! ends an hour before the first start, so the loggers send the current hour (the live
//! path), except at an outlet whose scripted event runs to the first start's hour.
//!
//! The files are in the import formats of docs/import-formats.md and go through the same
//! parsers.

use std::collections::{HashMap, HashSet};

use anyhow::bail;
use chrono::{DateTime, Duration, DurationRound, Utc};
use daylight_domain::enterprise::{Method, Pollutant};
use daylight_domain::station::{DataFlag, DataSource};
use daylight_store::{OutletLimit, OutletReading, Store};

use crate::import;

const ENTERPRISES: &str = include_str!("../../demo/enterprises/enterprises.csv");
const OUTLETS: &str = include_str!("../../demo/enterprises/outlets.csv");
const LIMITS: &str = include_str!("../../demo/enterprises/limits.csv");

/// Days of simulated hourly values before the first start.
const DAYS: i64 = 40;
const PROVENANCE: &str = "示例企业的模拟数据 / simulated data of a demo enterprise";

/// Registers the demo enterprises and writes their simulated values, ending at `now`.
pub async fn load(store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let enterprises = import::parse_enterprises(ENTERPRISES.as_bytes());
    if !enterprises.errors.is_empty() {
        bail!("demo enterprises: {:?}", enterprises.errors);
    }
    store.upsert_enterprises(&enterprises.rows).await?;
    let known: HashSet<_> = enterprises
        .rows
        .iter()
        .map(|e| e.credit_code.clone())
        .collect();
    let outlets = import::parse_outlets(OUTLETS.as_bytes(), &known);
    if !outlets.errors.is_empty() {
        bail!("demo outlets: {:?}", outlets.errors);
    }
    store.upsert_outlets(&outlets.rows).await?;
    let kinds: HashMap<_, _> = outlets
        .rows
        .iter()
        .map(|o| ((o.enterprise.clone(), o.code.clone()), o.kind))
        .collect();
    let limits = import::parse_limits(LIMITS.as_bytes(), &kinds);
    if !limits.errors.is_empty() {
        bail!("demo limits: {:?}", limits.errors);
    }
    store.upsert_outlet_limits(&limits.rows).await?;
    let readings = simulate(&limits.rows, now);
    store.upsert_outlet_readings(&readings).await?;
    tracing::info!(
        enterprises = enterprises.rows.len(),
        outlets = outlets.rows.len(),
        readings = readings.len(),
        "loaded the demo enterprises (simulated)"
    );
    Ok(())
}

/// A small deterministic pseudo-random number in [0, 1) from a seed (SplitMix64).
fn noise(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The scripted events, as (enterprise suffix, pollutant, first hour back from now, hours,
/// multiple of the limit).
const EVENTS: [(&str, Pollutant, i64, i64, f64); 4] = [
    // Coal power: three hours of SO2 at up to 1.6× the limit, five days ago.
    ("0001J", Pollutant::So2, 5 * 24 + 3, 3, 1.6),
    // Municipal wastewater: a day of high ammonia nitrogen (a daily-mean exceedance).
    ("00037", Pollutant::Nh3N, 10 * 24 + 20, 26, 1.8),
    // Coal boiler: NOx over its limit in the last two hours ("exceeding now").
    ("0009N", Pollutant::Nox, 1, 2, 1.3),
    // Gas turbine: one hour of NOx at 1.2×, twelve days ago.
    ("00024", Pollutant::Nox, 12 * 24, 1, 1.2),
];

/// The machinery maker's stack sends nothing for two days, 20 days ago (a gap).
fn in_gap(code: &str, back: i64) -> bool {
    code.ends_with("0006Q") && (20 * 24..22 * 24).contains(&back)
}

/// The series that runs close to its limit and goes over it now and then: the gas
/// boiler's NOx.
fn near_limit(l: &OutletLimit) -> bool {
    l.enterprise.as_str().ends_with("0005U") && l.pollutant == Pollutant::Nox
}

/// The outlet whose logger misses hours: the printing works' stack.
fn misses_hours(l: &OutletLimit) -> bool {
    l.enterprise.as_str().ends_with("00082")
}

fn hour_number(hour: DateTime<Utc>) -> u64 {
    u64::try_from(hour.timestamp().div_euclid(3600)).unwrap_or(0)
}

/// The simulated value of the series `index` (its place in the demo's limits) for the hour
/// labelled `hour`, before scripted events; None for an hour the logger misses. Depends on
/// nothing else, so the history and the live feed agree and tests can reproduce it.
pub fn value_at(index: usize, l: &OutletLimit, hour: DateTime<Utc>) -> Option<f64> {
    let n = hour_number(hour);
    let seed = (index as u64) << 32 | (n & 0xFFFF_FFFF);
    if misses_hours(l) && noise(seed ^ 0x5EED) < 0.2 {
        return None;
    }
    let fraction = if near_limit(l) {
        // 78–105 % of the limit: over it in about one hour in six.
        0.78 + 0.27 * noise(seed)
    } else {
        // Typical operation: 30–60 % of the limit with a daily rhythm and noise.
        let base = 0.3 + 0.3 * noise(index as u64);
        let hour_of_day = (n % 24) as f64;
        let rhythm = 1.0 + 0.15 * (hour_of_day / 24.0 * std::f64::consts::TAU).sin();
        base * rhythm * (0.85 + 0.3 * noise(seed))
    };
    Some(round2(l.limit.value * fraction))
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A simulated outlet value.
pub fn reading(l: &OutletLimit, time: DateTime<Utc>, value: f64) -> OutletReading {
    OutletReading {
        enterprise: l.enterprise.clone(),
        outlet: l.outlet.clone(),
        pollutant: l.pollutant,
        time,
        value,
        unit: l.limit.unit,
        flag: DataFlag::Normal,
        source: DataSource::Simulated,
        provenance: PROVENANCE.to_string(),
    }
}

/// Whether a scripted event at this outlet runs to the first start's hour (its history
/// then includes that hour, so that it is "exceeding now" right after the first start).
fn event_runs_to_start(l: &OutletLimit) -> bool {
    EVENTS.iter().any(|(suffix, _, first, hours, _)| {
        l.enterprise.as_str().ends_with(suffix) && first - hours < 0
    })
}

/// The history written at the first start (`now`): 40 days of automatic values (up to an
/// hour before `now`, or up to `now` where a scripted event runs to it) and the manual
/// monthly results.
pub fn simulate(limits: &[OutletLimit], now: DateTime<Utc>) -> Vec<OutletReading> {
    let now = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    let mut out = Vec::new();
    for (index, l) in limits.iter().enumerate() {
        let code = l.enterprise.as_str();
        let last_back = match l.method {
            Method::Automatic if !event_runs_to_start(l) => 1,
            _ => 0,
        };
        let times: Vec<i64> = match l.method {
            Method::Automatic => (last_back..DAYS * 24).rev().collect(),
            // Manual: one lab result a month, on the 5th day of each 30-day period back
            // (so the current month may still be missing one).
            Method::Manual => (0..DAYS * 24)
                .rev()
                .filter(|b| b % (30 * 24) == 24 * 25 + 10)
                .collect(),
        };
        for back in times {
            if in_gap(code, back) {
                continue;
            }
            let time = now - Duration::hours(back);
            let Some(mut value) = value_at(index, l, time) else {
                continue;
            };
            for (suffix, pollutant, first, hours, multiple) in EVENTS {
                if code.ends_with(suffix)
                    && l.pollutant == pollutant
                    && back <= first
                    && back > first - hours
                {
                    value = round2(l.limit.value * multiple * (0.9 + 0.1 * noise(back as u64)));
                }
            }
            out.push(reading(l, time, value));
        }
    }
    out
}

/// The demo's limits as registered (the order gives each series its [`value_at`] index).
pub fn demo_limits() -> anyhow::Result<Vec<OutletLimit>> {
    let enterprises = import::parse_enterprises(ENTERPRISES.as_bytes());
    if !enterprises.errors.is_empty() {
        bail!("demo enterprises: {:?}", enterprises.errors);
    }
    let known: HashSet<_> = enterprises
        .rows
        .iter()
        .map(|e| e.credit_code.clone())
        .collect();
    let outlets = import::parse_outlets(OUTLETS.as_bytes(), &known);
    if !outlets.errors.is_empty() {
        bail!("demo outlets: {:?}", outlets.errors);
    }
    let kinds: HashMap<_, _> = outlets
        .rows
        .iter()
        .map(|o| ((o.enterprise.clone(), o.code.clone()), o.kind))
        .collect();
    let limits = import::parse_limits(LIMITS.as_bytes(), &kinds);
    if !limits.errors.is_empty() {
        bail!("demo limits: {:?}", limits.errors);
    }
    Ok(limits.rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::enterprise::exceedances;

    fn limits() -> Vec<OutletLimit> {
        let enterprises = import::parse_enterprises(ENTERPRISES.as_bytes());
        assert!(enterprises.errors.is_empty(), "{:?}", enterprises.errors);
        assert_eq!(enterprises.rows.len(), 10);
        assert!(enterprises
            .rows
            .iter()
            .all(|e| e.demo && e.name.contains("示例企业")));
        let known = enterprises
            .rows
            .iter()
            .map(|e| e.credit_code.clone())
            .collect();
        let outlets = import::parse_outlets(OUTLETS.as_bytes(), &known);
        assert!(outlets.errors.is_empty(), "{:?}", outlets.errors);
        let kinds = outlets
            .rows
            .iter()
            .map(|o| ((o.enterprise.clone(), o.code.clone()), o.kind))
            .collect();
        let limits = import::parse_limits(LIMITS.as_bytes(), &kinds);
        assert!(limits.errors.is_empty(), "{:?}", limits.errors);
        limits.rows
    }

    #[test]
    fn the_demo_parses_and_only_the_scripted_hours_exceed() {
        let limits = limits();
        let now = Utc::now();
        let readings = simulate(&limits, now);
        assert!(readings.iter().all(|r| r.source == DataSource::Simulated));
        for l in limits.iter().filter(|l| l.method == Method::Automatic) {
            let series: Vec<_> = readings
                .iter()
                .filter(|r| r.outlet == l.outlet && r.enterprise == l.enterprise)
                .filter(|r| r.pollutant == l.pollutant)
                .map(|r| (r.time, r.value))
                .collect();
            let events = exceedances(&series, l.limit.value);
            let scripted = near_limit(l)
                || EVENTS
                    .iter()
                    .any(|(s, p, ..)| l.enterprise.as_str().ends_with(s) && *p == l.pollutant);
            assert_eq!(
                !events.is_empty(),
                scripted,
                "{} {}",
                l.enterprise,
                l.pollutant
            );
        }
        // The gap: 48 hours fewer for the machinery maker (and its history ends an hour
        // before the first start: the logger sends that hour).
        let machinery = readings
            .iter()
            .filter(|r| r.enterprise.as_str().ends_with("0006Q"))
            .count();
        assert_eq!(machinery as i64, DAYS * 24 - 48 - 1);
        // The coal boiler's NOx event runs to the first start's hour.
        let hour = now.duration_trunc(Duration::hours(1)).unwrap();
        assert!(readings
            .iter()
            .any(|r| r.enterprise.as_str().ends_with("0009N")
                && r.pollutant == Pollutant::Nox
                && r.time == hour));
    }

    #[test]
    fn values_are_a_function_of_the_hour_with_misses_and_near_limit_hours() {
        let limits = limits();
        let start = Utc::now().duration_trunc(Duration::hours(1)).unwrap();
        let hours: Vec<_> = (0..24 * 30).map(|h| start - Duration::hours(h)).collect();
        for (i, l) in limits.iter().enumerate() {
            let values: Vec<_> = hours.iter().map(|h| value_at(i, l, *h)).collect();
            let again: Vec<_> = hours.iter().map(|h| value_at(i, l, *h)).collect();
            assert_eq!(values, again);
            let missed = values.iter().filter(|v| v.is_none()).count();
            let over = values
                .iter()
                .flatten()
                .filter(|v| **v > l.limit.value)
                .count();
            assert_eq!(
                missed > 0,
                misses_hours(l),
                "{} {}",
                l.enterprise,
                l.pollutant
            );
            assert_eq!(over > 0, near_limit(l), "{} {}", l.enterprise, l.pollutant);
            if near_limit(l) {
                assert!(over < hours.len() / 3, "{over}");
            }
        }
    }
}
