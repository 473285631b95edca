//! Times in the display time zone. Formatted by hand rather than with chrono's strftime
//! machinery, which would add its parser to the browser bundle.

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};

fn offset(minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// A time in the display time zone, e.g. `2022-01-01 11:00 (UTC+08:00)`.
pub fn format_local(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let tz = offset(utc_offset_minutes);
    let t = time.with_timezone(&tz);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} (UTC{tz})",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// An hour label for a chart axis, e.g. `11:00`.
pub fn format_local_hour(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let t = time.with_timezone(&offset(utc_offset_minutes));
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_time_is_eight_hours_ahead() {
        let t = DateTime::parse_from_rfc3339("2021-12-31T16:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_local(t, 480), "2022-01-01 00:00 (UTC+08:00)");
        assert_eq!(format_local_hour(t, 480), "00:00");
    }
}
