use chrono::{DateTime, FixedOffset, Offset, Utc};

fn offset(minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix())
}

/// A time in the display time zone, e.g. `2022-01-01 11:00 (UTC+08:00)`.
pub fn format_local(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let tz = offset(utc_offset_minutes);
    format!(
        "{} (UTC{})",
        time.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        tz
    )
}

/// An hour label for a chart axis, e.g. `11时` / `11:00`.
pub fn format_local_hour(time: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    time.with_timezone(&offset(utc_offset_minutes))
        .format("%H:%M")
        .to_string()
}
