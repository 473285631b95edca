//! The CP data area (数据区, §6.3.3): `DataTime=…;w01018-Rtd=2.2,w01018-Flag=N;…`.
//!
//! Fields are `name=value`; values of one item are separated by `,`, items by `;` (§6.3.3.1).
//! Both separators are treated alike: a pollutant's values are gathered by the code in their
//! field names, not by their position. Field names are case-sensitive (§6.3.3.2.1). Blanks
//! around names and values are ignored (the standard's own examples have `CP=&& PolId=…` and
//! `; LA-Rtd=50.1`), and so are empty items (`…;&&`, a trailing separator). A value written
//! between `//` and `//` (the log text of `xxxxxx-Info`, Table B.10) may contain separators.

use crate::station::DataFlag;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Why a CP data area cannot be read. Each error names the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpError {
    #[error("CP item {item:?} has no '='")]
    MissingEquals { item: String },
    #[error("CP item with an empty field name")]
    EmptyName,
    #[error("{field}: {value:?} is not a number")]
    BadNumber { field: String, value: String },
    #[error("{field}: {value:?} is not a YYYYMMDDhhmmss time")]
    BadTime { field: String, value: String },
    #[error("{field}: {value:?} is not a data flag")]
    BadFlag { field: String, value: String },
    #[error("{field}: {code:?} is not a factor code")]
    BadCode { field: String, code: String },
    #[error("{field} appears twice")]
    DuplicateField { field: String },
    #[error("{field}: text opened with \"//\" is not closed")]
    UnclosedText { field: String },
    #[error("{field}: unexpected text after the closing \"//\"")]
    TextAfterClosing { field: String },
}

/// The values one packet gives for one factor (`xxxxxx-Rtd`, `xxxxxx-Avg`, `xxxxxx-Flag`…).
/// Table 4 asks that all of a factor's values share one unit; which unit is the factor's
/// default (Appendix B, see [`super::codes::lookup`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PollutantValues {
    /// The factor code as sent: a current code (`w01018`), a 2005 one (`011`) or a noise code
    /// (`LA`). [`super::codes::lookup`] knows both generations.
    pub code: String,
    /// `-Rtd`: real-time value.
    pub rtd: Option<f64>,
    /// `-Min`: minimum over the period.
    pub min: Option<f64>,
    /// `-Avg`: mean over the period.
    pub avg: Option<f64>,
    /// `-Max`: maximum over the period.
    pub max: Option<f64>,
    /// `-Cou`: cumulative amount over the period (emission load or flow volume).
    pub cou: Option<f64>,
    /// `-ZsRtd`: real-time value converted (折算) to reference conditions.
    pub zs_rtd: Option<f64>,
    /// `-ZsMin`.
    pub zs_min: Option<f64>,
    /// `-ZsAvg`.
    pub zs_avg: Option<f64>,
    /// `-ZsMax`.
    pub zs_max: Option<f64>,
    /// `-Data`: noise level over the period (Table C.26).
    pub data: Option<f64>,
    /// `-DayData`: daytime noise level.
    pub day_data: Option<f64>,
    /// `-NightData`: night-time noise level.
    pub night_data: Option<f64>,
    /// `-Flag` as a Table 8 flag; letters outside Table 8 become [`DataFlag::Other`].
    pub flag: Option<DataFlag>,
    /// `-Flag` exactly as sent, so that a non-standard letter is not lost.
    pub flag_code: Option<String>,
    /// `-EFlag`: the instrument's own extended flag (C4, device-defined).
    pub eflag: Option<String>,
    /// `-SampleTime`: when the sample behind the value was taken.
    pub sample_time: Option<NaiveDateTime>,
}

impl PollutantValues {
    fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            ..Self::default()
        }
    }
}

/// A parsed CP data area.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CpData {
    /// `DataTime`: for real-time data (2011) the acquisition instant; for minute, hour and day
    /// data (2051, 2061, 2031) the start of the period (Table 4; see
    /// [`super::Command::data_time_meaning`]). Local time of the logger, as sent.
    pub data_time: Option<NaiveDateTime>,
    /// One entry per factor code, in order of first appearance.
    pub pollutants: Vec<PollutantValues>,
    /// Every other `name=value` pair (`RtdInterval`, `QnRtn`, `SB1-RS`, `i11001-Info`,
    /// `a01006-ValidNum`…), in order, values unparsed.
    pub other: Vec<(String, String)>,
}

#[derive(Clone, Copy)]
enum Field {
    Rtd,
    Min,
    Avg,
    Max,
    Cou,
    ZsRtd,
    ZsMin,
    ZsAvg,
    ZsMax,
    Data,
    DayData,
    NightData,
    Flag,
    EFlag,
    SampleTime,
}

impl Field {
    fn from_suffix(suffix: &str) -> Option<Field> {
        Some(match suffix {
            "Rtd" => Field::Rtd,
            "Min" => Field::Min,
            "Avg" => Field::Avg,
            "Max" => Field::Max,
            "Cou" => Field::Cou,
            "ZsRtd" => Field::ZsRtd,
            "ZsMin" => Field::ZsMin,
            "ZsAvg" => Field::ZsAvg,
            "ZsMax" => Field::ZsMax,
            "Data" => Field::Data,
            "DayData" => Field::DayData,
            "NightData" => Field::NightData,
            "Flag" => Field::Flag,
            "EFlag" => Field::EFlag,
            "SampleTime" => Field::SampleTime,
            _ => return None,
        })
    }
}

impl CpData {
    /// Parses a data area (the text between `CP=&&` and `&&`).
    pub fn parse(area: &str) -> Result<CpData, CpError> {
        let mut cp = CpData::default();
        for (name, value) in items(area)? {
            if name == "DataTime" {
                if cp.data_time.is_some() {
                    return Err(CpError::DuplicateField { field: name.into() });
                }
                cp.data_time = Some(time(name, value)?);
                continue;
            }
            let Some((code, field)) = name
                .rsplit_once('-')
                .and_then(|(code, suffix)| Some((code, Field::from_suffix(suffix)?)))
            else {
                cp.other.push((name.to_owned(), value.to_owned()));
                continue;
            };
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(CpError::BadCode {
                    field: name.to_owned(),
                    code: code.to_owned(),
                });
            }
            let index = match cp.pollutants.iter().position(|p| p.code == code) {
                Some(i) => i,
                None => {
                    cp.pollutants.push(PollutantValues::new(code));
                    cp.pollutants.len() - 1
                }
            };
            let p = &mut cp.pollutants[index];
            let duplicate = match field {
                Field::Rtd => set(&mut p.rtd, number(name, value)?),
                Field::Min => set(&mut p.min, number(name, value)?),
                Field::Avg => set(&mut p.avg, number(name, value)?),
                Field::Max => set(&mut p.max, number(name, value)?),
                Field::Cou => set(&mut p.cou, number(name, value)?),
                Field::ZsRtd => set(&mut p.zs_rtd, number(name, value)?),
                Field::ZsMin => set(&mut p.zs_min, number(name, value)?),
                Field::ZsAvg => set(&mut p.zs_avg, number(name, value)?),
                Field::ZsMax => set(&mut p.zs_max, number(name, value)?),
                Field::Data => set(&mut p.data, number(name, value)?),
                Field::DayData => set(&mut p.day_data, number(name, value)?),
                Field::NightData => set(&mut p.night_data, number(name, value)?),
                Field::Flag => {
                    let code = flag_text(name, value, 4)?;
                    p.flag = Some(DataFlag::from_code(code));
                    set(&mut p.flag_code, code.to_owned())
                }
                Field::EFlag => set(&mut p.eflag, flag_text(name, value, 4)?.to_owned()),
                Field::SampleTime => set(&mut p.sample_time, time(name, value)?),
            };
            if duplicate {
                return Err(CpError::DuplicateField { field: name.into() });
            }
        }
        Ok(cp)
    }

    /// The first value of an `other` field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.other
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values given for a factor code, as sent (no 2005 → 2017 translation).
    pub fn pollutant(&self, code: &str) -> Option<&PollutantValues> {
        self.pollutants.iter().find(|p| p.code == code)
    }
}

/// Reads `YYYYMMDDhhmmss` (Table 4, N14), or `YYYYMMDDhhmmsszzz` with milliseconds as in QN
/// and in the `DataTime` of some 2005-era loggers.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    if !(text.len() == 14 || text.len() == 17) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |range: std::ops::Range<usize>| -> Option<u32> { text.get(range)?.parse().ok() };
    let year = i32::try_from(n(0..4)?).ok()?;
    let milli = if text.len() == 17 { n(14..17)? } else { 0 };
    NaiveDate::from_ymd_opt(year, n(4..6)?, n(6..8)?)?.and_hms_milli_opt(
        n(8..10)?,
        n(10..12)?,
        n(12..14)?,
        milli,
    )
}

/// Splits the data area into `(name, value)` pairs, names and values trimmed.
fn items(area: &str) -> Result<Vec<(&str, &str)>, CpError> {
    let is_separator = |c: char| c == ';' || c == ',';
    let mut pairs = Vec::new();
    let mut rest = area;
    loop {
        rest = rest.trim_start_matches(|c: char| is_separator(c) || c.is_ascii_whitespace());
        if rest.is_empty() {
            return Ok(pairs);
        }
        let name_end = rest
            .find(|c: char| c == '=' || is_separator(c))
            .unwrap_or(rest.len());
        let name = rest[..name_end].trim();
        if !rest[name_end..].starts_with('=') {
            return Err(CpError::MissingEquals {
                item: name.to_owned(),
            });
        }
        if name.is_empty() {
            return Err(CpError::EmptyName);
        }
        let after = rest[name_end + 1..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let value;
        if let Some(text) = after.strip_prefix("//") {
            let close = text.find("//").ok_or_else(|| CpError::UnclosedText {
                field: name.to_owned(),
            })?;
            value = &after[..close + 4];
            rest = after[close + 4..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            if !(rest.is_empty() || rest.starts_with(is_separator)) {
                return Err(CpError::TextAfterClosing {
                    field: name.to_owned(),
                });
            }
        } else {
            let end = after.find(is_separator).unwrap_or(after.len());
            value = after[..end].trim_end();
            rest = &after[end..];
        }
        pairs.push((name, value));
    }
}

/// Stores `value`; true if the slot was already filled.
fn set<T>(slot: &mut Option<T>, value: T) -> bool {
    slot.replace(value).is_some()
}

/// A decimal number as Table 4 writes them (N14.2: optional sign, digits, optional decimal
/// part). Exponents, `inf` and `NaN`, which Rust's float parser would take, are refused.
fn number(field: &str, value: &str) -> Result<f64, CpError> {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let well_formed = !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    well_formed
        .then(|| value.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
        .ok_or_else(|| CpError::BadNumber {
            field: field.to_owned(),
            value: value.to_owned(),
        })
}

fn time(field: &str, value: &str) -> Result<NaiveDateTime, CpError> {
    parse_timestamp(value).ok_or_else(|| CpError::BadTime {
        field: field.to_owned(),
        value: value.to_owned(),
    })
}

/// A flag: 1 to `max` printable ASCII characters (`-Flag` is C1 and `-EFlag` C4 in Table 4;
/// real loggers send other one-letter flags, and symbols such as `]` and `(`).
fn flag_text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, CpError> {
    if (1..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(value)
    } else {
        Err(CpError::BadFlag {
            field: field.to_owned(),
            value: value.to_owned(),
        })
    }
}
