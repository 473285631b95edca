//! Checking manual lab results before they are stored (pure: no store, no clock). A result
//! must be for an outlet of the enterprise, a pollutant with a limit there, in the limit's
//! unit, a finite non-negative value, sampled no later than now. A CSV is all or nothing:
//! every bad line is reported with its line number, and nothing is stored.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone, Utc};
use daylight_app::i18n::Lang;
use daylight_domain::enterprise::{OutletCode, Pollutant};
use daylight_domain::units::Unit;
use daylight_store::{NewManualResult, OutletLimit};

/// Longest lab / method note, in characters.
pub const MAX_NOTE: usize = 500;
/// Most results in one CSV.
pub const MAX_ROWS: usize = 5000;
/// The columns of the CSV, in order (docs/enterprises.md).
pub const CSV_HEADER: [&str; 6] = ["outlet", "pollutant", "time", "value", "unit", "note"];

/// Why a result was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResultError {
    #[error("missing field '{0}'")]
    Missing(&'static str),
    #[error("unknown outlet '{0}'")]
    UnknownOutlet(String),
    #[error("unknown pollutant '{0}'")]
    UnknownPollutant(String),
    #[error("pollutant {pollutant} is not monitored at outlet {outlet}")]
    NotMonitored { outlet: String, pollutant: String },
    #[error("unknown unit '{0}'")]
    BadUnit(String),
    #[error("unit {got} where the limit is in {expected}")]
    WrongUnit { expected: Unit, got: Unit },
    #[error("'{0}' is not a number")]
    BadValue(String),
    #[error("the value must be finite and not negative")]
    OutOfRange,
    #[error("'{0}' is not a time")]
    BadTime(String),
    #[error("the sampling time is in the future")]
    InTheFuture,
    #[error("the note is longer than {MAX_NOTE} characters")]
    NoteTooLong,
    #[error("expected the columns {CSV_HEADER:?}")]
    Header,
    #[error("the line cannot be read as CSV")]
    Unreadable,
    #[error("more than {MAX_ROWS} results")]
    TooMany,
    #[error("no results")]
    Empty,
}

impl ResultError {
    /// The message for the account pages, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Self::Missing(field) if zh => format!("缺少字段“{field}”"),
            Self::Missing(field) => format!("the field '{field}' is missing"),
            Self::UnknownOutlet(o) if zh => format!("本企业没有排放口“{o}”"),
            Self::UnknownOutlet(o) => format!("your enterprise has no outlet '{o}'"),
            Self::UnknownPollutant(p) if zh => {
                format!("未知的污染物代码“{p}”（应为 HJ 212 代码，如 a21026）")
            }
            Self::UnknownPollutant(p) => {
                format!("unknown pollutant code '{p}' (an HJ 212 code such as a21026)")
            }
            Self::NotMonitored { outlet, pollutant } if zh => {
                format!("排放口 {outlet} 未登记监测 {pollutant}（没有排放限值）")
            }
            Self::NotMonitored { outlet, pollutant } => {
                format!("{pollutant} is not monitored at outlet {outlet} (it has no limit there)")
            }
            Self::BadUnit(u) if zh => format!("无法识别的单位“{u}”"),
            Self::BadUnit(u) => format!("unknown unit '{u}'"),
            Self::WrongUnit { expected, got } if zh => {
                format!("单位应为 {expected}（与限值一致），而不是 {got}")
            }
            Self::WrongUnit { expected, got } => {
                format!("the unit must be {expected} (the limit's), not {got}")
            }
            Self::BadValue(v) if zh => format!("“{v}”不是数值"),
            Self::BadValue(v) => format!("'{v}' is not a number"),
            Self::OutOfRange if zh => "数值必须是有限的非负数".into(),
            Self::OutOfRange => "the value must be a finite number, not negative".into(),
            Self::BadTime(t) if zh => {
                format!("无法识别的时间“{t}”（应为 2026-11-30 14:00 或 2026-11-30T14:00:00+08:00）")
            }
            Self::BadTime(t) => format!(
                "'{t}' is not a time (expected 2026-11-30 14:00 or 2026-11-30T14:00:00+08:00)"
            ),
            Self::InTheFuture if zh => "采样时间不能晚于当前时间".into(),
            Self::InTheFuture => "the sampling time is in the future".into(),
            Self::NoteTooLong if zh => format!("备注不能超过 {MAX_NOTE} 字"),
            Self::NoteTooLong => format!("the note may have at most {MAX_NOTE} characters"),
            Self::Header if zh => format!("第一行应为列名：{}", CSV_HEADER.join(",")),
            Self::Header => format!(
                "the first line must name the columns: {}",
                CSV_HEADER.join(",")
            ),
            Self::Unreadable if zh => "该行不是有效的 CSV".into(),
            Self::Unreadable => "the line is not valid CSV".into(),
            Self::TooMany if zh => format!("一次最多上传 {MAX_ROWS} 条结果"),
            Self::TooMany => format!("at most {MAX_ROWS} results per upload"),
            Self::Empty if zh => "文件中没有结果".into(),
            Self::Empty => "the file has no results".into(),
        }
    }
}

/// A time with its offset (RFC 3339), or a local time in the site's zone (what
/// `<input type="datetime-local">` sends: `2026-11-30T14:00`; also `2026-11-30 14:00`).
pub fn parse_time(raw: &str, utc_offset_minutes: i32) -> Result<DateTime<Utc>, ResultError> {
    let zone =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    time_in(raw, zone)
}

fn time_in(raw: &str, zone: FixedOffset) -> Result<DateTime<Utc>, ResultError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(&raw.replacen(' ', "T", 1)) {
        return Ok(t.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
    .and_then(|t| zone.from_local_datetime(&t).single())
    .map(|t| t.with_timezone(&Utc))
    .ok_or_else(|| ResultError::BadTime(raw.to_owned()))
}

/// One result as typed or read from a CSV line, before checking.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawResult<'a> {
    pub outlet: &'a str,
    pub pollutant: &'a str,
    pub time: &'a str,
    pub value: &'a str,
    pub unit: &'a str,
    pub note: &'a str,
}

/// What a result is checked against: the enterprise's monitored (outlet, pollutant) pairs
/// with the unit of their limit, the clock and the site's time zone.
pub struct Rules {
    units: HashMap<(OutletCode, Pollutant), Unit>,
    outlets: Vec<OutletCode>,
    now: DateTime<Utc>,
    zone: FixedOffset,
}

impl Rules {
    /// `limits` must be the enterprise's own: that is what keeps a result to its outlets.
    pub fn new(
        outlets: Vec<OutletCode>,
        limits: &[OutletLimit],
        now: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Self {
        Self {
            units: limits
                .iter()
                .map(|l| ((l.outlet.clone(), l.pollutant), l.limit.unit))
                .collect(),
            outlets,
            now,
            zone: FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60))
                .unwrap_or_else(|| Utc.fix()),
        }
    }

    /// Checks one result.
    pub fn check(&self, raw: &RawResult<'_>) -> Result<NewManualResult, ResultError> {
        let required = |value: &str, name: &'static str| {
            let v = value.trim();
            if v.is_empty() {
                Err(ResultError::Missing(name))
            } else {
                Ok(v.to_owned())
            }
        };
        let outlet_raw = required(raw.outlet, "outlet")?;
        let pollutant_raw = required(raw.pollutant, "pollutant")?;
        let time_raw = required(raw.time, "time")?;
        let value_raw = required(raw.value, "value")?;
        let unit_raw = required(raw.unit, "unit")?;
        let outlet = OutletCode::parse(&outlet_raw)
            .ok()
            .filter(|o| self.outlets.contains(o))
            .ok_or_else(|| ResultError::UnknownOutlet(outlet_raw.clone()))?;
        let pollutant = pollutant_raw
            .parse::<Pollutant>()
            .map_err(|_| ResultError::UnknownPollutant(pollutant_raw.clone()))?;
        let expected = *self
            .units
            .get(&(outlet.clone(), pollutant))
            .ok_or_else(|| ResultError::NotMonitored {
                outlet: outlet.to_string(),
                pollutant: pollutant.as_str().to_owned(),
            })?;
        let unit = unit_raw
            .parse::<Unit>()
            .map_err(|_| ResultError::BadUnit(unit_raw.clone()))?;
        if unit != expected {
            return Err(ResultError::WrongUnit {
                expected,
                got: unit,
            });
        }
        let value = value_raw
            .parse::<f64>()
            .map_err(|_| ResultError::BadValue(value_raw.clone()))?;
        if !value.is_finite() || value < 0.0 {
            return Err(ResultError::OutOfRange);
        }
        let time = time_in(&time_raw, self.zone)?;
        if time > self.now {
            return Err(ResultError::InTheFuture);
        }
        let note: String = raw
            .note
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned();
        if note.chars().count() > MAX_NOTE {
            return Err(ResultError::NoteTooLong);
        }
        Ok(NewManualResult {
            outlet,
            pollutant,
            time,
            value,
            unit,
            lab_note: note,
        })
    }

    /// Reads a CSV (header [`CSV_HEADER`]): every result, or every bad line with its
    /// number (line 1 is the header).
    pub fn check_csv(&self, text: &str) -> Result<Vec<NewManualResult>, Vec<(u64, ResultError)>> {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header_ok = reader.headers().is_ok_and(|h| {
            h.len() >= CSV_HEADER.len() - 1
                && h.iter()
                    .zip(CSV_HEADER)
                    .all(|(got, want)| got.eq_ignore_ascii_case(want))
        });
        if !header_ok {
            return Err(vec![(1, ResultError::Header)]);
        }
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i as u64 + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(line, |p| line_at(text, p.byte()));
                    errors.push((line, ResultError::Unreadable));
                    continue;
                }
            };
            let line = record.position().map_or(line, |p| line_at(text, p.byte()));
            if record.iter().all(str::is_empty) {
                continue;
            }
            if results.len() + errors.len() >= MAX_ROWS {
                return Err(vec![(line, ResultError::TooMany)]);
            }
            let field = |i: usize| record.get(i).unwrap_or("");
            let raw = RawResult {
                outlet: field(0),
                pollutant: field(1),
                time: field(2),
                value: field(3),
                unit: field(4),
                note: field(5),
            };
            match self.check(&raw) {
                Ok(r) => results.push(r),
                Err(e) => errors.push((line, e)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if results.is_empty() {
            return Err(vec![(2, ResultError::Empty)]);
        }
        Ok(results)
    }
}

/// The line (from 1) where the record at a byte offset starts: the csv crate's own line
/// numbers do not count blank lines, and a user looks for the line their editor shows.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    // A record's position can be that of the blank lines before it.
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::enterprise::{
        Averaging, CreditCode, Frequency, Limit, Method, OutletCode,
    };

    fn rules() -> Rules {
        let code = CreditCode::parse("91610118MA6DM0007A").expect("demo code");
        let outlet = OutletCode::parse("DW001").expect("outlet");
        let limit = |pollutant, value| OutletLimit {
            enterprise: code.clone(),
            outlet: outlet.clone(),
            pollutant,
            limit: Limit {
                value,
                unit: Unit::MilligramsPerLitre,
                standard: "GB 8978-1996".into(),
                averaging: Averaging::Daily,
            },
            method: Method::Manual,
            frequency: Frequency::Monthly,
        };
        Rules::new(
            vec![outlet.clone()],
            &[limit(Pollutant::Cod, 100.0), limit(Pollutant::Nh3N, 15.0)],
            Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap(),
            480,
        )
    }

    fn raw<'a>(time: &'a str, value: &'a str, unit: &'a str) -> RawResult<'a> {
        RawResult {
            outlet: "DW001",
            pollutant: "w01018",
            time,
            value,
            unit,
            note: "某检测公司 HJ 828-2017",
        }
    }

    #[test]
    fn a_good_result_is_accepted_with_local_time_in_the_site_zone() {
        let r = rules()
            .check(&raw("2026-11-30T09:30", "42.5", "mg/L"))
            .unwrap();
        assert_eq!(
            r.time,
            Utc.with_ymd_and_hms(2026, 11, 30, 1, 30, 0).unwrap()
        );
        assert_eq!(r.value, 42.5);
        assert_eq!(r.lab_note, "某检测公司 HJ 828-2017");
        let r = rules()
            .check(&raw("2026-11-30T01:30:00Z", "0", "mg/l"))
            .unwrap();
        assert_eq!(
            r.time,
            Utc.with_ymd_and_hms(2026, 11, 30, 1, 30, 0).unwrap()
        );
    }

    #[test]
    fn bad_results_are_refused_with_the_reason() {
        let rules = rules();
        let check = |r: RawResult<'_>| rules.check(&r).unwrap_err();
        let ok = raw("2026-11-30 09:00", "1", "mg/L");
        assert_eq!(
            check(RawResult {
                outlet: "DA001",
                ..ok
            }),
            ResultError::UnknownOutlet("DA001".into())
        );
        assert!(matches!(
            check(RawResult {
                pollutant: "a21026",
                ..ok
            }),
            ResultError::NotMonitored { .. }
        ));
        assert!(matches!(
            check(RawResult {
                pollutant: "xyz",
                ..ok
            }),
            ResultError::UnknownPollutant(_)
        ));
        assert!(matches!(
            check(raw("2026-11-30 09:00", "1", "mg/m3")),
            ResultError::WrongUnit { .. }
        ));
        assert_eq!(
            check(raw("2026-11-30 09:00", "NaN", "mg/L")),
            ResultError::OutOfRange
        );
        assert_eq!(
            check(raw("2026-11-30 09:00", "inf", "mg/L")),
            ResultError::OutOfRange
        );
        assert_eq!(
            check(raw("2026-11-30 09:00", "-1", "mg/L")),
            ResultError::OutOfRange
        );
        assert!(matches!(
            check(raw("2026-11-30 09:00", "abc", "mg/L")),
            ResultError::BadValue(_)
        ));
        assert_eq!(
            check(raw("2026-11-30 12:01", "1", "mg/L")),
            ResultError::InTheFuture
        );
        assert!(matches!(
            check(raw("yesterday", "1", "mg/L")),
            ResultError::BadTime(_)
        ));
        assert_eq!(check(raw("", "1", "mg/L")), ResultError::Missing("time"));
    }

    #[test]
    fn a_csv_is_all_or_nothing_and_names_its_bad_lines() {
        let rules = rules();
        let good = "outlet,pollutant,time,value,unit,note\n\
                    DW001,w01018,2026-11-29 10:00,40,mg/L,lab A\n\
                    DW001,w21003,2026-11-29T10:00:00+08:00,3.2,mg/L,\n";
        assert_eq!(rules.check_csv(good).unwrap().len(), 2);
        let bad = "outlet,pollutant,time,value,unit,note\n\
                   DW001,w01018,2026-11-29 10:00,40,mg/L,lab A\n\
                   \n\
                   DW001,w21003,2026-11-29 10:00,lots,mg/L,\n";
        let errors = rules.check_csv(bad).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 4);
        assert!(matches!(errors[0].1, ResultError::BadValue(_)));
        assert_eq!(
            rules.check_csv("a,b\n1,2\n").unwrap_err()[0],
            (1, ResultError::Header)
        );
        assert_eq!(
            rules
                .check_csv("outlet,pollutant,time,value,unit,note\n")
                .unwrap_err()[0]
                .1,
            ResultError::Empty
        );
    }

    #[test]
    fn messages_come_in_both_languages() {
        let e = ResultError::InTheFuture;
        assert_ne!(e.message(Lang::Zh), e.message(Lang::En));
        assert!(e.message(Lang::Zh).contains("采样时间"));
    }
}
