//! The back office's rules: which status may follow which, and the deadlines.
//!
//! - Transitions: received → accepted → investigating → closed (founded, unfounded) or
//!   referred. A complaint may be referred or closed as unfounded straight from received or
//!   accepted (not ours, or nothing to investigate); a closed complaint stays closed.
//! - Deadlines: accept within [`Deadlines::accept_working_days`] working days (Monday to
//!   Friday in the display time zone; public holidays are not counted out: the clock is
//!   stricter than the law on a holiday week, never looser), close within
//!   [`Deadlines::close_days`] calendar days of submission.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Offset, Utc, Weekday};

use super::Status;

impl Status {
    /// Closed: no further change.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::ClosedFounded | Self::ClosedUnfounded | Self::Referred
        )
    }

    /// The statuses that may follow this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Received => &[Accepted, ClosedUnfounded, Referred],
            Accepted => &[Investigating, ClosedUnfounded, Referred],
            Investigating => &[ClosedFounded, ClosedUnfounded, Referred],
            ClosedFounded | ClosedUnfounded | Referred => &[],
        }
    }

    /// Whether the back office may move a complaint from this status to `to`.
    pub fn can_become(self, to: Status) -> bool {
        self.next().contains(&to)
    }
}

/// How long the back office has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// Working days (Mon–Fri) to accept a complaint (default 2).
    pub accept_working_days: u32,
    /// Calendar days to close it (default 30).
    pub close_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            accept_working_days: 2,
            close_days: 30,
        }
    }
}

/// The end of the `days`-th working day (Monday to Friday, local time) after the day of
/// `start`: the submission day itself is not counted, and the deadline is midnight after the
/// last counted day. Submitted on Thursday with 2 days: due at the end of Monday.
pub fn add_working_days(start: DateTime<Utc>, days: u32, utc_offset_minutes: i32) -> DateTime<Utc> {
    let tz =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let mut day = start.with_timezone(&tz).date_naive();
    let mut left = days;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    let end = (day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    match end.and_local_timezone(tz).single() {
        Some(t) => t.with_timezone(&Utc),
        None => start,
    }
}

/// A complaint's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// When it must be accepted by.
    pub accept_by: DateTime<Utc>,
    /// When it must be closed by.
    pub close_by: DateTime<Utc>,
    /// Still received (not accepted) after `accept_by`.
    pub accept_overdue: bool,
    /// Still open after `close_by`.
    pub close_overdue: bool,
}

impl Clock {
    pub fn overdue(&self) -> bool {
        self.accept_overdue || self.close_overdue
    }
}

impl Deadlines {
    /// The clock of a complaint submitted at `created`, in `status`, at `now`.
    pub fn clock(
        &self,
        created: DateTime<Utc>,
        status: Status,
        now: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Clock {
        let accept_by = add_working_days(created, self.accept_working_days, utc_offset_minutes);
        let close_by = created + Duration::days(i64::from(self.close_days));
        Clock {
            accept_by,
            close_by,
            accept_overdue: status == Status::Received && now > accept_by,
            close_overdue: !status.is_closed() && now > close_by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn beijing(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_workflow_moves_forward_and_closed_stays_closed() {
        use Status::*;
        assert!(Received.can_become(Accepted));
        assert!(Accepted.can_become(Investigating));
        assert!(Investigating.can_become(ClosedFounded));
        assert!(Investigating.can_become(ClosedUnfounded));
        assert!(Received.can_become(Referred));
        assert!(!Received.can_become(Investigating));
        assert!(!Received.can_become(ClosedFounded));
        assert!(!Accepted.can_become(Received));
        assert!(!Received.can_become(Received));
        for closed in [ClosedFounded, ClosedUnfounded, Referred] {
            assert!(closed.is_closed());
            for to in Status::ALL {
                assert!(!closed.can_become(to), "{closed:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn working_days_skip_the_weekend() {
        // Thursday 2026-05-07 10:00 + 2 working days: Friday and Monday, due end of Monday.
        assert_eq!(
            add_working_days(beijing(2026, 5, 7, 10), 2, 480),
            beijing(2026, 5, 12, 0)
        );
        // Saturday: Monday and Tuesday.
        assert_eq!(
            add_working_days(beijing(2026, 5, 9, 23), 2, 480),
            beijing(2026, 5, 13, 0)
        );
        // Monday: Tuesday and Wednesday.
        assert_eq!(
            add_working_days(beijing(2026, 5, 4, 1), 2, 480),
            beijing(2026, 5, 7, 0)
        );
        assert_eq!(
            add_working_days(beijing(2026, 5, 4, 1), 0, 480),
            beijing(2026, 5, 5, 0)
        );
    }

    #[test]
    fn the_clock_marks_overdue_complaints() {
        let d = Deadlines::default();
        let created = beijing(2026, 5, 7, 10);
        let c = d.clock(created, Status::Received, beijing(2026, 5, 11, 23), 480);
        assert!(!c.overdue());
        let c = d.clock(created, Status::Received, beijing(2026, 5, 12, 1), 480);
        assert!(c.accept_overdue && !c.close_overdue);
        let c = d.clock(created, Status::Accepted, beijing(2026, 5, 12, 1), 480);
        assert!(!c.overdue());
        let late = created + Duration::days(31);
        assert!(
            d.clock(created, Status::Investigating, late, 480)
                .close_overdue
        );
        assert!(!d.clock(created, Status::ClosedFounded, late, 480).overdue());
    }
}
