//! The checks every reading from outside passes, whichever way it arrives: a row of a CSV
//! import or an item of an HTTP push. One function, so that both accept and refuse the same
//! things, and one error type that can say why in English (the CLI, the API) and Chinese
//! (the API).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Timelike, Utc};
use daylight_domain::parameter::{Parameter, UnitMismatch};
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationCodeError, StationKind};
use daylight_domain::units::Unit;
use daylight_store::Reading;

/// A reading as its sender states it, before any check.
#[derive(Debug, Clone, Copy)]
pub struct ReadingFields<'a> {
    pub station: &'a str,
    pub time: &'a str,
    pub parameter: &'a str,
    pub value: RawValue<'a>,
    pub unit: &'a str,
    /// Absent or empty: `N`.
    pub flag: Option<&'a str>,
    /// Absent or empty: [`ReadingRules::default_source`].
    pub source: Option<&'a str>,
}

/// A value as text (a CSV cell) or as a number already (a JSON number).
#[derive(Debug, Clone, Copy)]
pub enum RawValue<'a> {
    Text(&'a str),
    Number(f64),
}

/// What a channel accepts beyond the rules every reading follows.
#[derive(Debug, Clone, Copy)]
pub struct ReadingRules {
    /// The source of a reading that names none.
    pub default_source: DataSource,
    /// The sources a sender may claim.
    pub sources: &'static [DataSource],
    /// Hourly values only: the time must be on the hour in this offset (the deployment's;
    /// in a zone with a half-hour offset, "on the hour" is local).
    pub hourly_in: Option<FixedOffset>,
    /// The latest time a value may carry (now plus some clock skew), if any.
    pub not_after: Option<DateTime<Utc>>,
}

impl ReadingRules {
    /// Files: any source, any time (history, replays and other time zones are normal there).
    pub const IMPORT: Self = Self {
        default_source: DataSource::Measured,
        sources: &[
            DataSource::Measured,
            DataSource::Replayed,
            DataSource::Simulated,
            DataSource::SelfReported,
        ],
        hourly_in: None,
        not_after: None,
    };
}

/// Why a reading is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadingError {
    BadStationCode(StationCodeError),
    UnknownStation(StationCode),
    BadTime(String),
    NotOnTheHour(String),
    InTheFuture(String),
    UnknownParameter(String),
    WrongKind {
        parameter: Parameter,
        station: StationCode,
        kind: StationKind,
    },
    EmptyValue,
    NotANumber(String),
    UnknownUnit(String),
    WrongUnit(UnitMismatch),
    Negative {
        parameter: Parameter,
        value: f64,
    },
    BadFlag(String),
    BadSource {
        raw: String,
        allowed: &'static [DataSource],
    },
}

impl ReadingError {
    /// A stable code for programs (the push API's per-item `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadStationCode(_) => "bad_station_code",
            Self::UnknownStation(_) => "unknown_station",
            Self::BadTime(_) => "bad_time",
            Self::NotOnTheHour(_) => "not_on_the_hour",
            Self::InTheFuture(_) => "time_in_future",
            Self::UnknownParameter(_) => "unknown_parameter",
            Self::WrongKind { .. } => "wrong_station_kind",
            Self::EmptyValue | Self::NotANumber(_) => "bad_value",
            Self::UnknownUnit(_) => "unknown_unit",
            Self::WrongUnit(_) => "wrong_unit",
            Self::Negative { .. } => "negative_value",
            Self::BadFlag(_) => "bad_flag",
            Self::BadSource { .. } => "bad_source",
        }
    }

    /// The message in English; also the `Display` form, which the CSV import prints.
    pub fn en(&self) -> String {
        match self {
            Self::BadStationCode(e) => e.to_string(),
            Self::UnknownStation(code) => format!("unknown station '{code}'"),
            Self::BadTime(raw) => format!(
                "time must be ISO 8601 with an offset, e.g. 2022-01-01T00:00:00+08:00, not '{raw}'"
            ),
            Self::NotOnTheHour(raw) => format!(
                "time must be on the hour (an hourly value labelled with the end of its hour), not '{raw}'"
            ),
            Self::InTheFuture(raw) => format!(
                "time '{raw}' is in the future (an hourly value is labelled with the end of its hour)"
            ),
            Self::UnknownParameter(raw) => format!("unknown parameter '{raw}'"),
            Self::WrongKind {
                parameter,
                station,
                kind,
            } => format!(
                "{} is measured at {} stations, but {station} is {}",
                parameter.code(),
                parameter.kind().as_str(),
                match kind {
                    StationKind::Air => "an air station",
                    StationKind::Water => "a water section",
                }
            ),
            Self::EmptyValue => "value is empty".into(),
            Self::NotANumber(raw) => format!("value is not a number: '{raw}'"),
            Self::UnknownUnit(raw) => format!("unknown unit '{raw}'"),
            Self::WrongUnit(e) => e.to_string(),
            Self::Negative { parameter, value } => {
                format!("{} cannot be negative: {value}", parameter.code())
            }
            Self::BadFlag(raw) => format!(
                "flag must be one of N F M S D C T B (HJ 212-2017 Table 8), not '{raw}'"
            ),
            Self::BadSource { raw, allowed } => {
                format!("source must be {}, not '{raw}'", alternatives(allowed, "or"))
            }
        }
    }

    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::BadStationCode(StationCodeError::Empty) => "站点编码为空".into(),
            Self::BadStationCode(StationCodeError::TooLong) => "站点编码超过 32 个字符".into(),
            Self::BadStationCode(StationCodeError::BadCharacter) => {
                "站点编码只能包含字母、数字、“-”和“_”".into()
            }
            Self::UnknownStation(code) => format!("没有编码为“{code}”的站点"),
            Self::BadTime(raw) => format!(
                "时间应为带时区的 ISO 8601 时间，例如 2022-01-01T00:00:00+08:00，而不是“{raw}”"
            ),
            Self::NotOnTheHour(raw) => {
                format!("时间应为整点（小时值以该小时的结束时刻标记），而不是“{raw}”")
            }
            Self::InTheFuture(raw) => {
                format!("时间“{raw}”晚于当前时间（小时值以该小时的结束时刻标记）")
            }
            Self::UnknownParameter(raw) => format!("未知的监测项目“{raw}”"),
            Self::WrongKind {
                parameter,
                station,
                kind,
            } => format!(
                "{} 是{}的监测项目，而 {station} 是{}",
                parameter.code(),
                kind_zh(parameter.kind()),
                kind_zh(*kind)
            ),
            Self::EmptyValue => "数值为空".into(),
            Self::NotANumber(raw) => format!("数值不是数字：“{raw}”"),
            Self::UnknownUnit(raw) => format!("未知的单位“{raw}”"),
            Self::WrongUnit(e) => format!(
                "{} 的单位应为 {}，无法从 {} 换算",
                e.parameter.code(),
                e.expected,
                e.got
            ),
            Self::Negative { parameter, value } => {
                format!("{} 不能为负数：{value}", parameter.code())
            }
            Self::BadFlag(raw) => format!(
                "数据标记应为 N、F、M、S、D、C、T、B 之一（HJ 212-2017 表 8），而不是“{raw}”"
            ),
            Self::BadSource { raw, allowed } => {
                format!("来源应为 {}，而不是“{raw}”", alternatives(allowed, "或"))
            }
        }
    }
}

impl fmt::Display for ReadingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

impl std::error::Error for ReadingError {}

fn kind_zh(kind: StationKind) -> &'static str {
    match kind {
        StationKind::Air => "空气站",
        StationKind::Water => "水质断面",
    }
}

/// `a, b, c or d`.
fn alternatives(sources: &[DataSource], or: &str) -> String {
    let names: Vec<&str> = sources.iter().map(|s| s.as_str()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {or} {last}", rest.join(", ")),
    }
}

/// Checks a reading and turns it into what the store keeps: the station exists and measures
/// this parameter, the time has an offset, the value is a finite number in a unit that is
/// (or converts to) the parameter's canonical one and not negative (except temperature), the
/// flag is one of HJ 212-2017 Table 8. The first problem found is the answer.
pub fn check_reading(
    fields: &ReadingFields<'_>,
    known: &HashMap<StationCode, StationKind>,
    rules: &ReadingRules,
) -> Result<Reading, ReadingError> {
    let code = StationCode::parse(fields.station).map_err(ReadingError::BadStationCode)?;
    let Some(kind) = known.get(&code).copied() else {
        return Err(ReadingError::UnknownStation(code));
    };
    let time = check_time(fields.time, rules)?;
    let parameter = Parameter::from_str(fields.parameter)
        .map_err(|_| ReadingError::UnknownParameter(fields.parameter.to_owned()))?;
    if parameter.kind() != kind {
        return Err(ReadingError::WrongKind {
            parameter,
            station: code,
            kind,
        });
    }
    let value = match fields.value {
        RawValue::Number(v) if v.is_finite() => v,
        RawValue::Number(v) => return Err(ReadingError::NotANumber(v.to_string())),
        RawValue::Text("") => return Err(ReadingError::EmptyValue),
        RawValue::Text(raw) => match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => return Err(ReadingError::NotANumber(raw.to_owned())),
        },
    };
    let unit =
        Unit::from_str(fields.unit).map_err(|_| ReadingError::UnknownUnit(fields.unit.into()))?;
    let value = parameter
        .to_canonical(value, unit)
        .map_err(ReadingError::WrongUnit)?;
    if value < 0.0 && parameter != Parameter::WaterTemperature {
        return Err(ReadingError::Negative { parameter, value });
    }
    let flag = match fields.flag.unwrap_or("") {
        "" => DataFlag::Normal,
        raw => match DataFlag::from_code(&raw.to_ascii_uppercase()) {
            DataFlag::Other => return Err(ReadingError::BadFlag(raw.to_owned())),
            flag => flag,
        },
    };
    let source = match fields.source.unwrap_or("") {
        "" => rules.default_source,
        raw => DataSource::from_str(raw)
            .ok()
            .filter(|s| rules.sources.contains(s))
            .ok_or_else(|| ReadingError::BadSource {
                raw: raw.to_owned(),
                allowed: rules.sources,
            })?,
    };
    Ok(Reading {
        station: code,
        parameter,
        time,
        value,
        unit: parameter.unit(),
        flag,
        source,
        provenance: String::new(),
    })
}

/// Times must carry their offset: "2022-01-01T00:00:00+08:00" is unambiguous, a bare local
/// time is not.
fn check_time(raw: &str, rules: &ReadingRules) -> Result<DateTime<Utc>, ReadingError> {
    let time = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| ReadingError::BadTime(raw.to_owned()))?
        .with_timezone(&Utc);
    if let Some(zone) = rules.hourly_in {
        let local = time.with_timezone(&zone);
        if (local.minute(), local.second(), local.nanosecond()) != (0, 0, 0) {
            return Err(ReadingError::NotOnTheHour(raw.to_owned()));
        }
    }
    if rules.not_after.is_some_and(|latest| time > latest) {
        return Err(ReadingError::InTheFuture(raw.to_owned()));
    }
    Ok(time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn known() -> HashMap<StationCode, StationKind> {
        [("1462A", StationKind::Air), ("W-X", StationKind::Water)]
            .iter()
            .map(|(c, k)| (StationCode::parse(c).unwrap(), *k))
            .collect()
    }

    fn fields<'a>(station: &'a str, time: &'a str, parameter: &'a str) -> ReadingFields<'a> {
        ReadingFields {
            station,
            time,
            parameter,
            value: RawValue::Number(35.0),
            unit: "ug/m3",
            flag: None,
            source: None,
        }
    }

    const PUSH_SOURCES: &[DataSource] = &[DataSource::Measured, DataSource::Replayed];

    /// The rules of a push at 2026-11-30 10:00 Beijing time.
    fn push_rules() -> ReadingRules {
        ReadingRules {
            default_source: DataSource::Measured,
            sources: PUSH_SOURCES,
            hourly_in: FixedOffset::east_opt(8 * 3600),
            not_after: Some(Utc.with_ymd_and_hms(2026, 11, 30, 2, 5, 0).unwrap()),
        }
    }

    #[test]
    fn a_good_reading_is_converted_and_defaulted() {
        let mut f = fields("1462A", "2026-11-30T08:00:00+08:00", "pm25");
        f.value = RawValue::Text("0.035");
        f.unit = "mg/m3";
        let r = check_reading(&f, &known(), &push_rules()).unwrap();
        assert_eq!(r.parameter, Parameter::Pm25);
        assert!((r.value - 35.0).abs() < 1e-9);
        assert_eq!(r.unit, Unit::MicrogramsPerCubicMetre);
        assert_eq!(r.time, Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap());
        assert_eq!((r.flag, r.source), (DataFlag::Normal, DataSource::Measured));
        f.flag = Some("d");
        f.source = Some("replayed");
        let r = check_reading(&f, &known(), &push_rules()).unwrap();
        assert_eq!((r.flag, r.source), (DataFlag::Fault, DataSource::Replayed));
    }

    #[test]
    fn every_rule_has_its_error_code() {
        let ok = fields("1462A", "2026-11-30T08:00:00+08:00", "PM2.5");
        let cases: Vec<(ReadingFields, &str)> = vec![
            (ReadingFields { station: "", ..ok }, "bad_station_code"),
            (
                ReadingFields {
                    station: "14/62",
                    ..ok
                },
                "bad_station_code",
            ),
            (
                ReadingFields {
                    station: "9999A",
                    ..ok
                },
                "unknown_station",
            ),
            (
                ReadingFields {
                    time: "2026-11-30T08:00:00",
                    ..ok
                },
                "bad_time",
            ),
            (
                ReadingFields {
                    time: "2026-11-30T08:30:00+08:00",
                    ..ok
                },
                "not_on_the_hour",
            ),
            (
                ReadingFields {
                    time: "2026-11-30T08:00:01+08:00",
                    ..ok
                },
                "not_on_the_hour",
            ),
            (
                ReadingFields {
                    time: "2026-11-30T08:00:00.5+08:00",
                    ..ok
                },
                "not_on_the_hour",
            ),
            // 10:05 is still allowed (clock skew), 11:00 is not.
            (
                ReadingFields {
                    time: "2026-11-30T11:00:00+08:00",
                    ..ok
                },
                "time_in_future",
            ),
            (
                ReadingFields {
                    parameter: "PM2_5",
                    ..ok
                },
                "unknown_parameter",
            ),
            (
                ReadingFields {
                    parameter: "pH",
                    unit: "pH",
                    ..ok
                },
                "wrong_station_kind",
            ),
            (
                ReadingFields {
                    value: RawValue::Text(""),
                    ..ok
                },
                "bad_value",
            ),
            (
                ReadingFields {
                    value: RawValue::Text("abc"),
                    ..ok
                },
                "bad_value",
            ),
            (
                ReadingFields {
                    value: RawValue::Text("NaN"),
                    ..ok
                },
                "bad_value",
            ),
            (
                ReadingFields {
                    value: RawValue::Number(f64::INFINITY),
                    ..ok
                },
                "bad_value",
            ),
            (ReadingFields { unit: "ppb", ..ok }, "unknown_unit"),
            (ReadingFields { unit: "mg/L", ..ok }, "wrong_unit"),
            (
                ReadingFields {
                    value: RawValue::Number(-1.0),
                    ..ok
                },
                "negative_value",
            ),
            (
                ReadingFields {
                    flag: Some("x"),
                    ..ok
                },
                "bad_flag",
            ),
            (
                ReadingFields {
                    source: Some("simulated"),
                    ..ok
                },
                "bad_source",
            ),
            (
                ReadingFields {
                    source: Some("self_reported"),
                    ..ok
                },
                "bad_source",
            ),
            (
                ReadingFields {
                    source: Some("Measured"),
                    ..ok
                },
                "bad_source",
            ),
        ];
        assert!(check_reading(&ok, &known(), &push_rules()).is_ok());
        for (f, code) in cases {
            let err = check_reading(&f, &known(), &push_rules()).unwrap_err();
            assert_eq!(err.code(), code, "{f:?}: {err}");
            assert!(!err.zh().is_empty() && !err.en().is_empty());
        }
    }

    #[test]
    fn the_hour_is_the_deployments_and_skew_is_allowed() {
        let rules = push_rules();
        for time in [
            "2026-11-30T10:00:00+08:00",
            "2026-11-30T02:00:00Z",
            "2026-11-30 02:00:00Z",
        ] {
            assert!(
                check_reading(&fields("1462A", time, "O3"), &known(), &rules).is_ok(),
                "{time}"
            );
        }
        // On the hour in India is half past in Beijing.
        let err = check_reading(
            &fields("1462A", "2026-11-30T05:00:00+05:30", "O3"),
            &known(),
            &rules,
        )
        .unwrap_err();
        assert_eq!(err.code(), "not_on_the_hour");
        // A file may carry any time.
        assert!(check_reading(
            &fields("1462A", "2099-01-01T00:30:00+08:00", "O3"),
            &known(),
            &ReadingRules::IMPORT
        )
        .is_ok());
    }

    #[test]
    fn messages_name_the_problem_in_both_languages() {
        let water_at_air = check_reading(
            &ReadingFields {
                unit: "pH",
                ..fields("1462A", "2026-11-30T08:00:00+08:00", "pH")
            },
            &known(),
            &push_rules(),
        )
        .unwrap_err();
        assert_eq!(
            water_at_air.en(),
            "pH is measured at water stations, but 1462A is an air station"
        );
        assert_eq!(
            water_at_air.zh(),
            "pH 是水质断面的监测项目，而 1462A 是空气站"
        );
        let source = ReadingError::BadSource {
            raw: "simulated".into(),
            allowed: PUSH_SOURCES,
        };
        assert_eq!(
            source.en(),
            "source must be measured or replayed, not 'simulated'"
        );
        assert_eq!(
            source.zh(),
            "来源应为 measured 或 replayed，而不是“simulated”"
        );
        let csv = ReadingError::BadSource {
            raw: "estimated".into(),
            allowed: ReadingRules::IMPORT.sources,
        };
        assert_eq!(
            csv.to_string(),
            "source must be measured, replayed, simulated or self_reported, not 'estimated'"
        );
        let unit = ReadingError::WrongUnit(UnitMismatch {
            parameter: Parameter::No2,
            expected: Unit::MicrogramsPerCubicMetre,
            got: Unit::MilligramsPerLitre,
        });
        assert_eq!(
            unit.en(),
            "NO2 is stored in µg/m³, cannot convert from mg/L"
        );
        assert_eq!(unit.zh(), "NO2 的单位应为 µg/m³，无法从 mg/L 换算");
    }
}
