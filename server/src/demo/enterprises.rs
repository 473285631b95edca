//! The demo's fictional enterprises (示例企业): ten in Xi'an's districts, with outlets and
//! limits from national discharge standards (docs/enterprises.md cites each), and 40 days of
//! simulated hourly values up to the hour of the first start, with a few exceedances, one
//! still going on at that hour, and a two-day gap. Everything is `source = simulated`.
//!
//! The files are in the import formats of docs/import-formats.md and go through the same
//! parsers. The live path for outlets (HJ 212 ST 31/32 loggers) is a later slice: these
//! values do not move after the first start.

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

pub fn simulate(limits: &[OutletLimit], now: DateTime<Utc>) -> Vec<OutletReading> {
    let now = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    let mut out = Vec::new();
    for (index, l) in limits.iter().enumerate() {
        let code = l.enterprise.as_str();
        // Typical operation: 30–60 % of the limit with a daily rhythm and noise.
        let base = 0.3 + 0.3 * noise(index as u64);
        let times: Vec<i64> = match l.method {
            Method::Automatic => (0..DAYS * 24).rev().collect(),
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
            let hour_of_day = (back % 24) as f64;
            let rhythm = 1.0 + 0.15 * (hour_of_day / 24.0 * std::f64::consts::TAU).sin();
            let jitter = 0.85 + 0.3 * noise((index as u64) << 32 | back as u64);
            let mut fraction = base * rhythm * jitter;
            for (suffix, pollutant, first, hours, multiple) in EVENTS {
                if code.ends_with(suffix)
                    && l.pollutant == pollutant
                    && back <= first
                    && back > first - hours
                {
                    fraction = multiple * (0.9 + 0.1 * noise(back as u64));
                }
            }
            let value = (l.limit.value * fraction * 100.0).round() / 100.0;
            out.push(OutletReading {
                enterprise: l.enterprise.clone(),
                outlet: l.outlet.clone(),
                pollutant: l.pollutant,
                time: now - Duration::hours(back),
                value,
                unit: l.limit.unit,
                flag: DataFlag::Normal,
                source: DataSource::Simulated,
                provenance: PROVENANCE.to_string(),
            });
        }
    }
    out
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
            let scripted = EVENTS
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
        // The gap: 48 hours fewer for the machinery maker.
        let machinery = readings
            .iter()
            .filter(|r| r.enterprise.as_str().ends_with("0006Q"))
            .count();
        assert_eq!(machinery as i64, DAYS * 24 - 48);
    }
}
