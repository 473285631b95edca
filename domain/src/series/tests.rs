//! Validity rules of GB 3095-2012 Table 4 and HJ 663-2013, on constructed series.

use super::*;
use chrono::TimeZone;

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!())
}

/// UTC instant of a local (UTC+8) time on 2022-01-`day`.
fn local(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    match cst().with_ymd_and_hms(2022, 1, day, hour, minute, 0) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        _ => unreachable!("fixed offsets are unambiguous"),
    }
}

fn hv(hour: DateTime<Utc>, value: f64) -> HourlyValue {
    HourlyValue { hour, value }
}

/// Values 1, 2, … stamped at consecutive hours ending at `end`.
fn ramp(end: DateTime<Utc>, n: i64) -> Vec<HourlyValue> {
    (0..n)
        .map(|k| hv(end - Duration::hours(n - 1 - k), (k + 1) as f64))
        .collect()
}

#[test]
fn moving_average_of_a_full_window() {
    let end = local(1, 12, 0);
    let v = ramp(end, 8);
    assert_eq!(o3_8h_moving(&v, end), Some(4.5));
    assert_eq!(moving_average(&v, end, 4, 4), Some(6.5));
    // One hour later the window has 7 of 8 hours (the newest is absent).
    assert_eq!(o3_8h_moving(&v, end + Duration::hours(1)), Some(5.0));
    assert_eq!(moving_average(&v, end, 0, 0), None);
    assert_eq!(moving_average(&[], end, 8, 0), None);
}

#[test]
fn eight_hour_mean_needs_six_hours() {
    let end = local(1, 12, 0);
    let mut v = ramp(end, 8);
    v.remove(0); // 7 left
    v.remove(0); // 6 left: values 3..=8
    assert_eq!(o3_8h_moving(&v, end), Some(5.5));
    v.remove(0); // 5 left
    assert_eq!(o3_8h_moving(&v, end), None);
}

#[test]
fn twenty_four_hour_mean_needs_twenty_hours() {
    let end = local(2, 0, 0);
    let mut v = ramp(end, 24);
    for _ in 0..4 {
        v.pop();
    }
    // 20 values 1..=20 stamped so that the newest four hours are missing.
    assert_eq!(moving_24h(&v, end), Some(10.5));
    v.pop();
    assert_eq!(moving_24h(&v, end), None);
}

#[test]
fn invalid_duplicate_and_misaligned_values_do_not_count() {
    let end = local(1, 12, 0);
    let mut v = ramp(end, 6);
    v[0].value = f64::NAN;
    assert_eq!(o3_8h_moving(&v, end), None, "NaN is not a valid hour");
    v[0].value = -4.0;
    assert_eq!(o3_8h_moving(&v, end), None, "negative is not a valid hour");
    v[0].value = 1.0;
    v.push(hv(end, 1000.0)); // duplicate of the newest hour: the first value counts
    v.push(hv(end - Duration::minutes(30), 1000.0)); // not on the hour
    v.push(hv(end + Duration::hours(1), 1000.0)); // after the window
    v.push(hv(end - Duration::hours(8), 1000.0)); // before the window
    assert_eq!(o3_8h_moving(&v, end), Some(3.5));
}

#[test]
fn a_local_day_runs_from_1_to_24_oclock() {
    // 24 values for 2022-01-01 stamped 01:00 … 24:00 (= 01-02 00:00), value = the hour (1…24).
    let v = ramp(local(2, 0, 0), 24);
    let d = daily_values(
        &v,
        NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
        cst(),
    );
    assert_eq!(d.valid_hours, 24);
    assert_eq!(d.mean_24h, Some(12.5));
    assert_eq!(d.max_1h, Some(24.0));
    // Windows end at 08:00 … 24:00: means 4.5 … 20.5.
    assert_eq!(d.valid_8h_windows, 17);
    assert_eq!(d.max_8h, Some(20.5));
    // The same values are a different day's 00:00 … 23:00 in UTC: nothing leaks across days.
    let d = daily_values(
        &v,
        NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or_default(),
        cst(),
    );
    assert_eq!((d.valid_hours, d.mean_24h), (0, None));
    // The value stamped 2022-01-01 00:00 local belongs to 2021-12-31.
    let v = vec![hv(local(1, 0, 0), 5.0)];
    let d = daily_values(
        &v,
        NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or_default(),
        cst(),
    );
    assert_eq!(d.valid_hours, 1);
}

#[test]
fn daily_mean_needs_twenty_hours_and_8h_max_fourteen_windows() {
    let date = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
    let mut v = ramp(local(2, 0, 0), 24);
    // Drop hours 21–24: 20 valid hours remain; windows ending 24:00 … 22:00 lose too much.
    v.truncate(20);
    let d = daily_values(&v, date, cst());
    assert_eq!(d.valid_hours, 20);
    assert_eq!(d.mean_24h, Some(10.5));
    // Windows ending 08 … 22 have ≥ 6 of 8 hours (ending 22: 15..=20 → 6); 23, 24 do not.
    assert_eq!(d.valid_8h_windows, 15);
    assert_eq!(d.max_8h, Some(17.5));
    v.truncate(19);
    let d = daily_values(&v, date, cst());
    assert_eq!((d.mean_24h, d.max_1h), (None, None));
    // 19 hours → windows ending 08 … 21 valid: 14, still enough.
    assert_eq!(d.valid_8h_windows, 14);
    v.truncate(18);
    let d = daily_values(&v, date, cst());
    assert_eq!(d.valid_8h_windows, 13);
    assert_eq!(d.max_8h, None);
}

#[test]
fn short_o3_day_still_counts_when_it_exceeds_160() {
    let date = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
    // Only hours 01:00–12:00, all 200 µg/m³: 7 windows (ending 08–14; 13 and 14 still have 7
    // and 6 of their 8 hours), fewer than 14, but the maximum 200 exceeds 160.
    let v: Vec<HourlyValue> = (1..=12).map(|h| hv(local(1, h, 0), 200.0)).collect();
    let d = daily_values(&v, date, cst());
    assert_eq!(d.valid_8h_windows, 7);
    assert_eq!(d.max_8h, Some(200.0));
    let v: Vec<HourlyValue> = (1..=12).map(|h| hv(local(1, h, 0), 100.0)).collect();
    assert_eq!(daily_values(&v, date, cst()).max_8h, None);
}

#[test]
fn daily_series_lists_each_local_day() {
    let v = ramp(local(3, 0, 0), 48);
    let days = daily_series(&v, cst());
    let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(dates, ["2022-01-01", "2022-01-02"]);
    assert_eq!(days[0].mean_24h, Some(12.5));
    assert_eq!(days[1].mean_24h, Some(36.5));
}

fn samples(
    start: DateTime<Utc>,
    every_minutes: i64,
    n: i64,
    value: f64,
) -> Vec<(DateTime<Utc>, f64)> {
    (0..n)
        .map(|k| {
            (
                start + Duration::minutes(k * every_minutes),
                value + k as f64,
            )
        })
        .collect()
}

#[test]
fn hourly_mean_needs_45_minutes() {
    let h = local(1, 10, 0);
    // Five-minute data: 12 samples = 60 min; 9 = 45 min (valid); 8 = 40 min (not).
    assert_eq!(hourly_mean(&samples(h, 5, 12, 10.0), h), Some(15.5));
    assert_eq!(hourly_mean(&samples(h, 5, 9, 10.0), h), Some(14.0));
    assert_eq!(hourly_mean(&samples(h, 5, 8, 10.0), h), None);
    // Minute data: 45 samples valid, 44 not.
    assert_eq!(hourly_mean(&samples(h, 1, 45, 0.0), h), Some(22.0));
    assert_eq!(hourly_mean(&samples(h, 1, 44, 0.0), h), None);
    // Fifteen-minute data: 3 samples = 45 min.
    assert_eq!(hourly_mean(&samples(h, 15, 3, 1.0), h), Some(2.0));
    // Two samples 50 minutes apart cannot stand for an hour; one sample never does.
    assert_eq!(hourly_mean(&samples(h, 50, 2, 1.0), h), None);
    assert_eq!(hourly_mean(&samples(h, 5, 1, 1.0), h), None);
}

#[test]
fn hourly_mean_ignores_samples_outside_the_hour_and_invalid_ones() {
    let h = local(1, 10, 0);
    let mut s = samples(h, 5, 12, 10.0);
    s.push((h + Duration::minutes(60), 1000.0)); // next hour
    s.push((h - Duration::minutes(5), 1000.0)); // previous hour
    assert_eq!(hourly_mean(&s, h), Some(15.5));
    s[0].1 = f64::NAN;
    s[1].1 = -1.0;
    s[2].1 = f64::INFINITY;
    s[3].1 = 1e300; // valid, if silly
                    // 9 valid samples = 45 minutes.
    let mean = hourly_mean(&s, h);
    assert!(mean.is_some_and(|m| m > 1e299));
    s[3].1 = f64::NAN; // 8 valid = 40 minutes
    assert_eq!(hourly_mean(&s, h), None);
}

#[test]
fn hourly_mean_with_a_known_interval() {
    let h = local(1, 10, 0);
    let ten = Duration::minutes(10);
    assert_eq!(
        hourly_mean_with_interval(&samples(h, 10, 5, 1.0), h, ten),
        Some(3.0)
    );
    assert_eq!(
        hourly_mean_with_interval(&samples(h, 10, 4, 1.0), h, ten),
        None
    );
    assert_eq!(
        hourly_mean_with_interval(&samples(h, 10, 6, 1.0), h, Duration::zero()),
        None
    );
    // A single hourly sample stands for the whole hour when the interval says so.
    assert_eq!(
        hourly_mean_with_interval(&samples(h, 60, 1, 7.0), h, Duration::hours(1)),
        Some(7.0)
    );
}

#[test]
fn extreme_dates_do_not_panic() {
    let v = [
        hv(DateTime::<Utc>::MIN_UTC, 1.0),
        hv(DateTime::<Utc>::MAX_UTC, 1.0),
    ];
    let _ = daily_series(&v, cst());
    let _ = daily_values(&v, NaiveDate::MIN, cst());
    let _ = daily_values(&v, NaiveDate::MAX, cst());
    let _ = moving_average(&v, DateTime::<Utc>::MAX_UTC, u32::MAX, 0);
    let _ = moving_24h(&v, DateTime::<Utc>::MIN_UTC);
    let _ = hourly_mean(&[(DateTime::<Utc>::MIN_UTC, 1.0)], DateTime::<Utc>::MAX_UTC);
}
