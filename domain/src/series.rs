//! Derived series — moving means, daily statistics, hourly means — with the minimum-data rules
//! of the standards, so that a mean is only published when enough data stand behind it.
//!
//! Rules implemented (GB 3095-2012 Table 4 "污染物浓度数据有效性的最低要求", and HJ 663-2013
//! 《环境空气质量评价技术规范》 for the ozone daily maximum — both from memory of the texts, which
//! the project's reference notes do not reproduce):
//! - 1-hour mean: at least 45 minutes of sampling in the hour ([`MIN_MINUTES_PER_HOUR`]).
//! - 24-hour mean (SO₂, NO₂, CO, PM10, PM2.5): at least 20 valid hourly values
//!   ([`MIN_VALID_HOURS_24H`]).
//! - 8-hour moving mean (O₃): at least 6 valid hourly values in the 8 hours
//!   ([`MIN_VALID_HOURS_8H`]).
//! - Daily maximum 8-hour mean (O₃): at least 14 valid 8-hour means among the windows ending at
//!   08:00 … 24:00 of the day ([`MIN_VALID_8H_WINDOWS`]); with fewer, the maximum still stands
//!   if it already exceeds the class II limit of 160 µg/m³ (HJ 663-2013: a shortfall of data
//!   cannot make an exceedance disappear).
//!
//! **Time-stamp convention.** An [`HourlyValue`] carries the time stamp it is published under,
//! which for CNEMC and HJ 212 hourly data is the **end** of the averaging hour: the value
//! stamped 16:00 is the mean of 15:00–16:00 (CNEMC's note, standards §2.5). A moving mean
//! "at" `end_hour` therefore covers the values stamped `end_hour − (n−1) h … end_hour`, and the
//! local day D covers the values stamped D 01:00 … D+1 00:00 ("1时 to 24时").
//!
//! Values that cannot be concentrations (negative, NaN, infinite) are skipped as invalid, as
//! are values whose time stamp is not a whole number of hours from the window's end.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use std::collections::BTreeMap;

/// GB 3095-2012 Table 4: a 24-hour mean needs at least 20 hourly values.
pub const MIN_VALID_HOURS_24H: u32 = 20;
/// GB 3095-2012 Table 4: an 8-hour O₃ mean needs at least 6 hourly values.
pub const MIN_VALID_HOURS_8H: u32 = 6;
/// HJ 663-2013: a daily maximum 8-hour O₃ mean needs at least 14 valid 8-hour means.
pub const MIN_VALID_8H_WINDOWS: u32 = 14;
/// GB 3095-2012 Table 4: an hourly mean needs at least 45 minutes of sampling.
pub const MIN_MINUTES_PER_HOUR: u32 = 45;
/// GB 3095-2012 Table 1 class II 8-hour O₃ limit, µg/m³ (used by the HJ 663 exception).
pub const O3_8H_CLASS2_LIMIT: f64 = 160.0;
/// The longest sampling interval [`hourly_mean`] will infer (see there).
pub const MAX_INFERRED_INTERVAL_MINUTES: i64 = 15;

/// One hourly value, stamped at the end of its hour (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HourlyValue {
    pub hour: DateTime<Utc>,
    pub value: f64,
}

/// A day's statistics of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DailyValues {
    /// The local date.
    pub date: NaiveDate,
    /// Valid hourly values in the day (0–24).
    pub valid_hours: u32,
    /// 24-hour mean, when `valid_hours` ≥ 20.
    pub mean_24h: Option<f64>,
    /// Highest hourly value, under the same 20-hour rule as the mean (our choice: the standards
    /// give no separate rule, and a maximum of a few hours would understate the day).
    pub max_1h: Option<f64>,
    /// Highest 8-hour moving mean among the windows ending 08:00 … 24:00, when at least 14 of
    /// them are valid or the maximum already exceeds 160 µg/m³. Meaningful for O₃ only.
    pub max_8h: Option<f64>,
    /// Valid 8-hour means among those 17 windows.
    pub valid_8h_windows: u32,
}

fn is_valid(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

/// Mean of the hourly values stamped `end_hour − (window_hours−1) h … end_hour`, if at least
/// `min_valid` (and at least one) of those hours have a valid value. If an hour appears more
/// than once, the first value counts.
pub fn moving_average(
    values: &[HourlyValue],
    end_hour: DateTime<Utc>,
    window_hours: u32,
    min_valid: u32,
) -> Option<f64> {
    if window_hours == 0 {
        return None;
    }
    let window = i64::from(window_hours) * 3600;
    let mut slots: BTreeMap<i64, f64> = BTreeMap::new();
    for v in values.iter().filter(|v| is_valid(v.value)) {
        let offset = (end_hour - v.hour).num_seconds();
        if (0..window).contains(&offset) && offset % 3600 == 0 {
            slots.entry(offset).or_insert(v.value);
        }
    }
    let n = u32::try_from(slots.len()).unwrap_or(u32::MAX);
    if n == 0 || n < min_valid {
        return None;
    }
    Some(slots.values().sum::<f64>() / f64::from(n))
}

/// O₃ 8-hour moving mean ending at `end_hour` (≥ 6 of 8 hours).
pub fn o3_8h_moving(values: &[HourlyValue], end_hour: DateTime<Utc>) -> Option<f64> {
    moving_average(values, end_hour, 8, MIN_VALID_HOURS_8H)
}

/// 24-hour moving mean ending at `end_hour` (≥ 20 of 24 hours).
pub fn moving_24h(values: &[HourlyValue], end_hour: DateTime<Utc>) -> Option<f64> {
    moving_average(values, end_hour, 24, MIN_VALID_HOURS_24H)
}

/// The end of local day `date`, i.e. D+1 00:00 in `offset`, as UTC.
fn day_end(date: NaiveDate, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let next = date.succ_opt()?;
    let local = next.and_time(NaiveTime::MIN);
    offset
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The statistics of local day `date` (`offset`: Asia/Shanghai is UTC+8, no daylight saving).
pub fn daily_values(values: &[HourlyValue], date: NaiveDate, offset: FixedOffset) -> DailyValues {
    let mut out = DailyValues {
        date,
        valid_hours: 0,
        mean_24h: None,
        max_1h: None,
        max_8h: None,
        valid_8h_windows: 0,
    };
    let Some(end) = day_end(date, offset) else {
        return out;
    };
    let mut slots: BTreeMap<i64, f64> = BTreeMap::new();
    for v in values.iter().filter(|v| is_valid(v.value)) {
        let offset = (end - v.hour).num_seconds();
        if (0..24 * 3600).contains(&offset) && offset % 3600 == 0 {
            slots.entry(offset).or_insert(v.value);
        }
    }
    let day: Vec<HourlyValue> = slots
        .iter()
        .filter_map(|(off, value)| {
            Some(HourlyValue {
                hour: end.checked_sub_signed(Duration::seconds(*off))?,
                value: *value,
            })
        })
        .collect();
    out.valid_hours = u32::try_from(day.len()).unwrap_or(u32::MAX);
    if out.valid_hours >= MIN_VALID_HOURS_24H {
        out.mean_24h = Some(day.iter().map(|v| v.value).sum::<f64>() / f64::from(out.valid_hours));
        out.max_1h = day.iter().map(|v| v.value).reduce(f64::max);
    }
    // Windows ending 08:00 … 24:00: the 17 eight-hour means lying wholly inside the day.
    let windows: Vec<f64> = (0..17)
        .filter_map(|k| o3_8h_moving(&day, end.checked_sub_signed(Duration::hours(k))?))
        .collect();
    out.valid_8h_windows = u32::try_from(windows.len()).unwrap_or(u32::MAX);
    let max = windows.iter().copied().reduce(f64::max);
    out.max_8h = match max {
        Some(m) if out.valid_8h_windows >= MIN_VALID_8H_WINDOWS || m > O3_8H_CLASS2_LIMIT => {
            Some(m)
        }
        _ => None,
    };
    out
}

/// [`daily_values`] for every local day that has at least one value, in date order.
pub fn daily_series(values: &[HourlyValue], offset: FixedOffset) -> Vec<DailyValues> {
    let mut dates: Vec<NaiveDate> = values
        .iter()
        // A value stamped at the end of its hour belongs to the day its hour started in.
        .filter_map(|v| {
            let start = v.hour.checked_sub_signed(Duration::hours(1))?;
            let shift = Duration::seconds(i64::from(offset.local_minus_utc()));
            Some(start.naive_utc().checked_add_signed(shift)?.date())
        })
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .map(|d| daily_values(values, d, offset))
        .collect()
}

/// The mean of sub-hourly samples taken in `[hour_start, hour_start + 1 h)`, if they cover at
/// least 45 minutes (GB 3095-2012 Table 4). The resulting value is stamped `hour_start + 1 h`.
///
/// Coverage is counted as (number of distinct valid samples) × (sampling interval), capped at
/// 60 minutes. The interval is inferred as the smallest spacing between samples — an HJ 212
/// logger reports minute data at a fixed interval (CN=2051), so the smallest spacing is that
/// interval — but at most 15 minutes, so that two lonely samples far apart cannot pass for a
/// full hour. A single sample never makes an hour. If you know the interval, use
/// [`hourly_mean_with_interval`].
pub fn hourly_mean(samples: &[(DateTime<Utc>, f64)], hour_start: DateTime<Utc>) -> Option<f64> {
    let times = in_hour(samples, hour_start);
    let spacing = times
        .keys()
        .zip(times.keys().skip(1))
        .map(|(a, b)| b - a)
        .min()?;
    let interval = spacing.min(MAX_INFERRED_INTERVAL_MINUTES * 60);
    mean_if_covered(&times, interval)
}

/// [`hourly_mean`] with a known sampling interval.
pub fn hourly_mean_with_interval(
    samples: &[(DateTime<Utc>, f64)],
    hour_start: DateTime<Utc>,
    interval: Duration,
) -> Option<f64> {
    let seconds = interval.num_seconds();
    if seconds <= 0 {
        return None;
    }
    mean_if_covered(&in_hour(samples, hour_start), seconds)
}

/// Valid samples in the hour, keyed by seconds after `hour_start` (first value per instant).
fn in_hour(samples: &[(DateTime<Utc>, f64)], hour_start: DateTime<Utc>) -> BTreeMap<i64, f64> {
    let mut times = BTreeMap::new();
    for (t, v) in samples.iter().filter(|(_, v)| is_valid(*v)) {
        let s = (*t - hour_start).num_seconds();
        if (0..3600).contains(&s) {
            times.entry(s).or_insert(*v);
        }
    }
    times
}

fn mean_if_covered(times: &BTreeMap<i64, f64>, interval_seconds: i64) -> Option<f64> {
    let n = i64::try_from(times.len()).ok()?;
    let covered = n.saturating_mul(interval_seconds).min(3600);
    if n == 0 || covered < i64::from(MIN_MINUTES_PER_HOUR) * 60 {
        return None;
    }
    Some(times.values().sum::<f64>() / n as f64)
}

#[cfg(test)]
mod tests;
