//! Monthly statistics of the public register (issue 6): per district and category, for the
//! complaints submitted in one month, how many, the median days from submission to closing
//! (of those closed), and the share that ran over a deadline.
//!
//! "Overdue" here is about the whole life of a complaint, not only about now (the back
//! office's [`super::Clock`] marks what is late *today*): a complaint counts as overdue when
//! it left "received" after its accept-by time, or was closed after its close-by time, or is
//! still waiting past either at `now`. A complaint accepted late and closed in time stays
//! overdue, so the figure cannot improve by closing old cases quickly.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::{Category, Deadlines};

/// A calendar month in the display time zone, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u32,
}

/// A month that is not `YYYY-MM` (years 2000–2999).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a month (YYYY-MM): {0:?}")]
pub struct InvalidMonth(pub String);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((2000..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month `time` falls in, in the display time zone.
    pub fn of(time: DateTime<Utc>, utc_offset_minutes: i32) -> Self {
        let local = time.with_timezone(&zone(utc_offset_minutes));
        Self {
            year: local.year().clamp(2000, 2999),
            month: local.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn previous(self) -> Self {
        match self.month {
            1 => Self::new(self.year - 1, 12).unwrap_or(self),
            m => Self {
                month: m - 1,
                ..self
            },
        }
    }

    pub fn next(self) -> Self {
        match self.month {
            12 => Self::new(self.year + 1, 1).unwrap_or(self),
            m => Self {
                month: m + 1,
                ..self
            },
        }
    }

    /// The instants `[start, end)` the month covers in the display time zone.
    pub fn range(self, utc_offset_minutes: i32) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |m: Month| {
            let day = NaiveDate::from_ymd_opt(m.year, m.month, 1).unwrap_or_default();
            zone(utc_offset_minutes)
                .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default()
        };
        (start(self), start(self.next()))
    }
}

fn zone(utc_offset_minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = InvalidMonth;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidMonth(raw.chars().take(20).collect());
        let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let (y, m) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        Self::new(y, m).ok_or_else(bad)
    }
}

impl TryFrom<String> for Month {
    type Error = InvalidMonth;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse()
    }
}

impl From<Month> for String {
    fn from(m: Month) -> Self {
        m.to_string()
    }
}

/// What the statistics need of one complaint (from its history).
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The district's adcode; None: the city-level queue.
    pub district: Option<String>,
    pub category: Category,
    pub created: DateTime<Utc>,
    /// The first status change after "received" (accepted, or closed/referred directly).
    pub accepted: Option<DateTime<Utc>>,
    /// When it was closed (founded, unfounded or referred).
    pub closed: Option<DateTime<Utc>>,
}

impl Timeline {
    /// Whether it ran, or is running, over a deadline (see the module's documentation).
    pub fn overdue(
        &self,
        deadlines: &Deadlines,
        now: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> bool {
        // The clock's deadlines for a complaint still open; the status does not matter here.
        let clock = deadlines.clock(
            self.created,
            super::Status::Received,
            now,
            utc_offset_minutes,
        );
        let late = |done: Option<DateTime<Utc>>, by: DateTime<Utc>| match done {
            Some(t) => t > by,
            None => now > by,
        };
        late(self.accepted.or(self.closed), clock.accept_by) || late(self.closed, clock.close_by)
    }

    /// Days from submission to closing, if closed.
    pub fn days_to_close(&self) -> Option<f64> {
        self.closed
            .map(|c| (c - self.created).num_seconds().max(0) as f64 / 86_400.0)
    }
}

/// One row of the monthly statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsRow {
    /// The district's adcode; None: the city-level queue.
    pub district: Option<String>,
    pub category: Category,
    pub count: u32,
    pub closed: u32,
    /// Median days from submission to closing of the closed ones; None when none is.
    pub median_days_to_close: Option<f64>,
    pub overdue: u32,
}

impl StatsRow {
    /// Overdue complaints as a share of all (0 to 1).
    pub fn overdue_share(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            f64::from(self.overdue) / f64::from(self.count)
        }
    }
}

/// The median; the mean of the middle two for an even count; None for none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The statistics of `timelines` (one month's complaints), one row per district and
/// category that has any, ordered by district (the city-level queue last) and category.
pub fn monthly_stats(
    timelines: &[Timeline],
    deadlines: &Deadlines,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Vec<StatsRow> {
    // (None sorts first in an Option; the city queue goes last, so key on (is_city, code).)
    type Key = ((bool, String), usize);
    let mut groups: BTreeMap<Key, (Vec<f64>, StatsRow)> = BTreeMap::new();
    for t in timelines {
        let category_index = Category::ALL
            .iter()
            .position(|c| *c == t.category)
            .unwrap_or(usize::MAX);
        let key = (
            (t.district.is_none(), t.district.clone().unwrap_or_default()),
            category_index,
        );
        let (days, row) = groups.entry(key).or_insert_with(|| {
            (
                Vec::new(),
                StatsRow {
                    district: t.district.clone(),
                    category: t.category,
                    count: 0,
                    closed: 0,
                    median_days_to_close: None,
                    overdue: 0,
                },
            )
        });
        row.count += 1;
        if let Some(d) = t.days_to_close() {
            row.closed += 1;
            days.push(d);
        }
        if t.overdue(deadlines, now, utc_offset_minutes) {
            row.overdue += 1;
        }
    }
    groups
        .into_values()
        .map(|(mut days, mut row)| {
            row.median_days_to_close = median(&mut days);
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    const BEIJING: i32 = 480;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        zone(BEIJING)
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("a valid time")
    }

    /// Submitted Monday 2026-06-01 10:00 Beijing: accept by the end of Wednesday 3 June,
    /// close by 1 July 10:00.
    fn timeline(district: Option<&str>, accepted: Option<i64>, closed: Option<i64>) -> Timeline {
        let created = at(2026, 6, 1, 10);
        Timeline {
            district: district.map(str::to_owned),
            category: Category::Odour,
            created,
            accepted: accepted.map(|h| created + Duration::hours(h)),
            closed: closed.map(|h| created + Duration::hours(h)),
        }
    }

    #[test]
    fn the_median_of_odd_even_and_no_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [4.0]), Some(4.0));
        assert_eq!(median(&mut [9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(&mut [9.0, 1.0, 5.0, 2.0]), Some(3.5));
    }

    #[test]
    fn months_parse_print_and_cover_local_time() {
        let m: Month = "2026-06".parse().expect("a month");
        assert_eq!(m.to_string(), "2026-06");
        for bad in [
            "2026-6",
            "2026-13",
            "26-06",
            "2026/06",
            "",
            "1999-12",
            "2026-06-01",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        let (start, end) = m.range(BEIJING);
        assert_eq!(start, at(2026, 6, 1, 0));
        assert_eq!(end, at(2026, 7, 1, 0));
        // 31 May 23:30 UTC is already June in Beijing.
        assert_eq!(Month::of(start, BEIJING), m);
        let dec: Month = "2026-12".parse().expect("a month");
        assert_eq!(dec.next().to_string(), "2027-01");
        assert_eq!(dec.next().previous(), dec);
    }

    #[test]
    fn none_closed_has_no_median() {
        let now = at(2026, 6, 2, 12);
        let rows = monthly_stats(
            &[
                timeline(Some("610113"), None, None),
                timeline(Some("610113"), Some(3), None),
            ],
            &Deadlines::default(),
            now,
            BEIJING,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].count, 2);
        assert_eq!(rows[0].closed, 0);
        assert_eq!(rows[0].median_days_to_close, None);
        assert_eq!(rows[0].overdue, 0);
        assert_eq!(rows[0].overdue_share(), 0.0);
    }

    #[test]
    fn overdue_share_counts_late_accepting_late_closing_and_still_waiting() {
        let now = at(2026, 7, 20, 12);
        let d = Deadlines::default();
        let cases = [
            // accepted the next day, closed after 10 days: in time.
            (timeline(Some("610113"), Some(24), Some(240)), false),
            // accepted on Thursday (after Wednesday's end): late, although closed in time.
            (timeline(Some("610113"), Some(75), Some(100)), true),
            // closed after 31 days.
            (timeline(Some("610113"), Some(5), Some(31 * 24)), true),
            // referred straight away: in time.
            (timeline(Some("610113"), Some(2), Some(2)), false),
            // still open on 20 July, past the close-by date.
            (timeline(Some("610113"), Some(5), None), true),
        ];
        for (t, overdue) in &cases {
            assert_eq!(t.overdue(&d, now, BEIJING), *overdue, "{t:?}");
        }
        let timelines: Vec<Timeline> = cases.iter().map(|(t, _)| t.clone()).collect();
        let rows = monthly_stats(&timelines, &d, now, BEIJING);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].count, 5);
        assert_eq!(rows[0].closed, 4);
        assert_eq!(rows[0].overdue, 3);
        assert!((rows[0].overdue_share() - 0.6).abs() < 1e-9);
        // Closing times 10, 100/24, 31 and 2/24 days: the median of four.
        let expected = (100.0 / 24.0 + 10.0) / 2.0;
        let median = rows[0].median_days_to_close.expect("a median");
        assert!((median - expected).abs() < 1e-9, "{median}");
    }

    #[test]
    fn rows_per_district_and_category_with_the_city_queue_last() {
        let now = at(2026, 6, 2, 12);
        let mut noise = timeline(Some("610113"), None, None);
        noise.category = Category::Noise;
        let rows = monthly_stats(
            &[
                timeline(None, None, None),
                noise,
                timeline(Some("610113"), None, None),
                timeline(Some("610102"), None, None),
            ],
            &Deadlines::default(),
            now,
            BEIJING,
        );
        let keys: Vec<(Option<&str>, Category)> = rows
            .iter()
            .map(|r| (r.district.as_deref(), r.category))
            .collect();
        assert_eq!(
            keys,
            [
                (Some("610102"), Category::Odour),
                (Some("610113"), Category::Odour),
                (Some("610113"), Category::Noise),
                (None, Category::Odour),
            ]
        );
    }
}
