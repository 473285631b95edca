//! Exceedance events over an hourly series, and data completeness per month.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::Frequency;

/// A run of consecutive hours over the limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exceedance {
    /// The first hour over the limit.
    pub start: DateTime<Utc>,
    /// The last hour over the limit (the event covers `start..=end`).
    pub end: DateTime<Utc>,
    pub hours: u32,
    pub peak: f64,
    pub peak_time: DateTime<Utc>,
    /// 超标倍数 of the peak: (peak − limit) / limit.
    pub multiple: f64,
}

/// The exceedance events of an hourly series (sorted by time, one value per hour) against
/// `limit`. A missing hour ends an event: an event never spans a gap in the data.
pub fn exceedances(series: &[(DateTime<Utc>, f64)], limit: f64) -> Vec<Exceedance> {
    exceedances_every(series, limit, Duration::hours(1))
}

/// Like [`exceedances`] for a series with one value every `step` (a day for daily means);
/// `hours` then counts values, not hours.
pub fn exceedances_every(
    series: &[(DateTime<Utc>, f64)],
    limit: f64,
    step: Duration,
) -> Vec<Exceedance> {
    let mut events = Vec::new();
    let mut current: Option<Exceedance> = None;
    for &(time, value) in series {
        let over = value > limit && value.is_finite();
        current = match (current.take(), over) {
            (Some(mut e), true) if time - e.end == step => {
                e.end = time;
                e.hours += 1;
                if value > e.peak {
                    e.peak = value;
                    e.peak_time = time;
                }
                Some(e)
            }
            (previous, true) => {
                events.extend(previous);
                Some(Exceedance {
                    start: time,
                    end: time,
                    hours: 1,
                    peak: value,
                    peak_time: time,
                    multiple: 0.0,
                })
            }
            (previous, false) => {
                events.extend(previous);
                None
            }
        };
    }
    events.extend(current);
    if limit > 0.0 {
        for e in &mut events {
            e.multiple = (e.peak - limit) / limit;
        }
    }
    events
}

/// The least hourly values a daily mean is computed from (20, as GB 3095-2012 asks of
/// ambient daily means; applied to emissions as an assumption until a permit says otherwise).
pub const MIN_HOURS_PER_DAY: usize = 20;

/// Daily means (local days) of an hourly series sorted by time, each stamped with the start
/// of its day; days with fewer than [`MIN_HOURS_PER_DAY`] values are left out.
pub fn daily_means(
    series: &[(DateTime<Utc>, f64)],
    offset: FixedOffset,
) -> Vec<(DateTime<Utc>, f64)> {
    let mut means = Vec::new();
    let mut day: Option<(NaiveDate, f64, usize)> = None;
    let close = |d: Option<(NaiveDate, f64, usize)>, means: &mut Vec<(DateTime<Utc>, f64)>| {
        if let Some((date, sum, n)) = d {
            if n >= MIN_HOURS_PER_DAY {
                if let Some(start) = date
                    .and_hms_opt(0, 0, 0)
                    .and_then(|t| offset.from_local_datetime(&t).single())
                {
                    means.push((start.with_timezone(&Utc), sum / n as f64));
                }
            }
        }
    };
    for &(time, value) in series {
        if !value.is_finite() {
            continue;
        }
        let date = time.with_timezone(&offset).date_naive();
        day = match day.take() {
            Some((d, sum, n)) if d == date => Some((d, sum + value, n + 1)),
            previous => {
                close(previous, &mut means);
                Some((date, value, 1))
            }
        };
    }
    close(day, &mut means);
    means
}

/// Expected and received values of one calendar month (local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCompleteness {
    pub year: i32,
    pub month: u32,
    pub expected: u32,
    pub received: u32,
}

impl MonthCompleteness {
    /// received / expected as a percentage (100 when nothing was expected).
    pub fn percent(&self) -> f64 {
        if self.expected == 0 {
            100.0
        } else {
            f64::from(self.received.min(self.expected)) * 100.0 / f64::from(self.expected)
        }
    }
}

fn month_start(year: i32, month: u32, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(year, month, 1)?;
    offset
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn next_month(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// Data completeness per month of `[from, to)` for a pollutant monitored at `frequency`:
/// expected counts the hours (days, months) of the month that lie in the range, received the
/// distinct hours (days, months) that have a value. `times` need not be sorted.
pub fn completeness(
    times: &[DateTime<Utc>],
    frequency: Frequency,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    offset: FixedOffset,
) -> Vec<MonthCompleteness> {
    let mut months = Vec::new();
    if to <= from {
        return months;
    }
    let local = from.with_timezone(&offset);
    let (mut year, mut month) = (local.year(), local.month());
    let slot = |t: DateTime<Utc>| -> i64 {
        let l = t.with_timezone(&offset);
        match frequency {
            Frequency::Hourly => t.timestamp().div_euclid(3600),
            Frequency::Daily => i64::from(l.num_days_from_ce()),
            Frequency::Monthly => i64::from(l.year()) * 12 + i64::from(l.month()),
        }
    };
    let mut sorted: Vec<i64> = times
        .iter()
        .filter(|t| **t >= from && **t < to)
        .map(|t| slot(*t))
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    while let Some(start) = month_start(year, month, offset) {
        if start >= to {
            break;
        }
        let (ny, nm) = next_month(year, month);
        let Some(end) = month_start(ny, nm, offset) else {
            break;
        };
        let (lo, hi) = (start.max(from), end.min(to));
        let expected = match frequency {
            Frequency::Hourly => ((hi - lo).num_seconds() + 3599) / 3600,
            Frequency::Daily => ((hi - lo).num_seconds() + 86_399) / 86_400,
            Frequency::Monthly => 1,
        };
        let (a, b) = (slot(lo), slot(hi));
        let in_month = |s: &i64| {
            if frequency == Frequency::Monthly {
                *s == a
            } else {
                *s >= a && *s < b
            }
        };
        let received = sorted.iter().filter(|s| in_month(s)).count();
        months.push(MonthCompleteness {
            year,
            month,
            expected: u32::try_from(expected.max(0)).unwrap_or(u32::MAX),
            received: u32::try_from(received).unwrap_or(u32::MAX),
        });
        (year, month) = (ny, nm);
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hour)
    }

    fn series(values: &[(i64, f64)]) -> Vec<(DateTime<Utc>, f64)> {
        values.iter().map(|&(t, v)| (h(t), v)).collect()
    }

    #[test]
    fn consecutive_hours_over_the_limit_make_one_event() {
        let s = series(&[
            (0, 10.0),
            (1, 60.0),
            (2, 80.0),
            (3, 55.0),
            (4, 40.0),
            (5, 51.0),
        ]);
        let events = exceedances(&s, 50.0);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].start, h(1));
        assert_eq!(events[0].end, h(3));
        assert_eq!(events[0].hours, 3);
        assert_eq!(events[0].peak, 80.0);
        assert_eq!(events[0].peak_time, h(2));
        assert!((events[0].multiple - 0.6).abs() < 1e-12);
        // Open at the end of the series.
        assert_eq!(
            (events[1].start, events[1].end, events[1].hours),
            (h(5), h(5), 1)
        );
    }

    #[test]
    fn at_the_limit_is_not_over_and_a_gap_ends_an_event() {
        assert!(exceedances(&series(&[(0, 50.0), (1, 50.0)]), 50.0).is_empty());
        let events = exceedances(&series(&[(0, 70.0), (1, 70.0), (3, 90.0)]), 50.0);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].hours, 2);
        assert_eq!(events[1].start, h(3));
        assert!(exceedances(&[], 50.0).is_empty());
        assert!(exceedances(&series(&[(0, f64::NAN)]), 50.0).is_empty());
    }

    #[test]
    fn daily_means_need_twenty_hours_and_feed_daily_events() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let mut s: Vec<_> = (0..24).map(|i| (h(i), 100.0)).collect(); // day 1: mean 100
        s.extend((24..43).map(|i| (h(i), 500.0))); // day 2: 19 hours only
        s.extend((48..72).map(|i| (h(i), if i < 60 { 80.0 } else { 120.0 }))); // day 3: 100
        s.extend((72..96).map(|i| (h(i), 40.0))); // day 4
        let means = daily_means(&s, utc);
        assert_eq!(means, vec![(h(0), 100.0), (h(48), 100.0), (h(72), 40.0)]);
        let events = exceedances_every(&means, 60.0, Duration::days(1));
        // Day 2 is missing: two events, not one.
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].end, h(48));
    }

    #[test]
    fn hourly_completeness_counts_distinct_hours_per_local_month() {
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        // 2026-01-01 00:00 Shanghai = 2025-12-31 16:00 UTC.
        let from = Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).unwrap();
        let to = from + Duration::days(31 + 10);
        // Every hour of January but 24 (one day of gap), plus one duplicate.
        let mut times: Vec<_> = (0..31 * 24)
            .filter(|i| !(100..124).contains(i))
            .map(|i| from + Duration::hours(i))
            .collect();
        times.push(from);
        times.push(from - Duration::hours(1)); // before the range: ignored
        let months = completeness(&times, Frequency::Hourly, from, to, shanghai);
        assert_eq!(months.len(), 2);
        assert_eq!((months[0].year, months[0].month), (2026, 1));
        assert_eq!(months[0].expected, 744);
        assert_eq!(months[0].received, 720);
        assert_eq!(
            (months[1].month, months[1].expected, months[1].received),
            (2, 240, 0)
        );
        assert!((months[0].percent() - 96.774).abs() < 0.01);
        assert_eq!(months[1].percent(), 0.0);
    }

    #[test]
    fn daily_and_monthly_completeness() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let from = h(0);
        let to = from + Duration::days(59); // January and February 2026
        let times = vec![h(1), h(2), h(30), h(24 * 40)];
        let daily = completeness(&times, Frequency::Daily, from, to, utc);
        assert_eq!(
            daily
                .iter()
                .map(|m| (m.expected, m.received))
                .collect::<Vec<_>>(),
            vec![(31, 2), (28, 1)]
        );
        let monthly = completeness(&times, Frequency::Monthly, from, to, utc);
        assert_eq!(
            monthly
                .iter()
                .map(|m| (m.expected, m.received))
                .collect::<Vec<_>>(),
            vec![(1, 1), (1, 1)]
        );
        assert!(completeness(&times, Frequency::Daily, to, from, utc).is_empty());
    }
}
