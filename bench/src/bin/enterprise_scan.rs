//! The enterprise exceedance scan: a year of hourly values (8,760) for each of 1,000 outlets,
//! `POLLUTANTS` series per outlet, through what `/enterprise/{code}` computes per series:
//! exceedance events (hourly limits), daily means and daily events (24 h limits), and the
//! monthly completeness. In memory, single-threaded; reading the values from the store is
//! not part of this figure. Budget (issue 5): < 2 s for 1,000 outlets.

use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use daylight_domain::enterprise::{
    completeness, daily_means, exceedances, exceedances_every, Frequency,
};

const OUTLETS: usize = 1_000;
const HOURS: i64 = 8_760;

/// SplitMix64 in [0, 1).
fn noise(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn main() {
    let pollutants: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let start = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let shanghai = FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap());
    let limit = 100.0;
    let make = |series: usize| -> Vec<(DateTime<Utc>, f64)> {
        (0..HOURS)
            // 0.5 % of hours missing, about 1 % over the limit.
            .filter(|h| noise((series as u64) << 32 | *h as u64) > 0.005)
            .map(|h| {
                let x = noise(((series as u64) << 32 | h as u64) ^ 0xABCD);
                (start + Duration::hours(h), limit * (0.2 + 0.81 * x))
            })
            .collect()
    };
    let count = OUTLETS * pollutants;
    let build = Instant::now();
    let all: Vec<Vec<(DateTime<Utc>, f64)>> = (0..count).map(make).collect();
    let values: usize = all.iter().map(Vec::len).sum();
    eprintln!(
        "generated {count} series, {values} values in {:.2} s",
        build.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut events = 0usize;
    let mut daily_events = 0usize;
    let mut months = 0usize;
    let end = start + Duration::hours(HOURS);
    for series in &all {
        events += exceedances(series, limit).len();
        let means = daily_means(series, shanghai);
        daily_events += exceedances_every(&means, 60.0, Duration::days(1)).len();
        let times: Vec<DateTime<Utc>> = series.iter().map(|(t, _)| *t).collect();
        months += completeness(&times, Frequency::Hourly, start, end, shanghai).len();
    }
    let elapsed = t.elapsed().as_secs_f64();
    println!(
        "enterprise scan: {OUTLETS} outlets × {pollutants} pollutant(s) × a year hourly \
         ({values} values): {elapsed:.3} s ({:.1} M values/s); {events} hourly events, \
         {daily_events} daily events, {months} months of completeness",
        values as f64 / elapsed / 1e6
    );
}
