//! The CP data area (数据区, §6.3.3): `DataTime=…;w01018-Rtd=2.2,w01018-Flag=N;…`.
//!
//! Fields are `name=value`; values of one item are separated by `,`, items by `;` (§6.3.3.1).
//! Both separators are treated alike: a pollutant's values are gathered by the code in their
//! field names, not by their position. Field names are case-sensitive (§6.3.3.2.1). Blanks
//! around names and values are ignored (the standard's own examples have `CP=&& PolId=…` and
//! `; LA-Rtd=50.1`), and so are empty items (`…;&&`, a trailing separator). A value written
//! between `//` and `//` (the log text of `xxxxxx-Info`, Table B.10) may contain separators.

use super::short_str::ShortStr;
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
    pub code: ShortStr,
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
    pub flag_code: Option<ShortStr>,
    /// `-EFlag`: the instrument's own extended flag (C4, device-defined).
    pub eflag: Option<ShortStr>,
    /// `-SampleTime`: when the sample behind the value was taken.
    pub sample_time: Option<NaiveDateTime>,
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
        // Patterns of single bytes compile to integer comparisons, not a `memcmp` each.
        Some(match *suffix.as_bytes() {
            [b'R', b't', b'd'] => Field::Rtd,
            [b'M', b'i', b'n'] => Field::Min,
            [b'A', b'v', b'g'] => Field::Avg,
            [b'M', b'a', b'x'] => Field::Max,
            [b'C', b'o', b'u'] => Field::Cou,
            [b'Z', b's', b'R', b't', b'd'] => Field::ZsRtd,
            [b'Z', b's', b'M', b'i', b'n'] => Field::ZsMin,
            [b'Z', b's', b'A', b'v', b'g'] => Field::ZsAvg,
            [b'Z', b's', b'M', b'a', b'x'] => Field::ZsMax,
            [b'D', b'a', b't', b'a'] => Field::Data,
            [b'D', b'a', b'y', b'D', b'a', b't', b'a'] => Field::DayData,
            [b'N', b'i', b'g', b'h', b't', b'D', b'a', b't', b'a'] => Field::NightData,
            [b'F', b'l', b'a', b'g'] => Field::Flag,
            [b'E', b'F', b'l', b'a', b'g'] => Field::EFlag,
            [b'S', b'a', b'm', b'p', b'l', b'e', b'T', b'i', b'm', b'e'] => Field::SampleTime,
            _ => return None,
        })
    }
}

impl CpData {
    /// Parses a data area (the text between `CP=&&` and `&&`).
    ///
    /// A malformed item anywhere in the area is reported before a bad value in an earlier
    /// item: the area is split into items first, then their values are read.
    pub fn parse(area: &str) -> Result<CpData, CpError> {
        // A factor with a value and a flag (`a34006-Avg=2.697,a34006-Flag=N;`) takes at least
        // 22 bytes: room for all of them in one allocation, without counting them first.
        let mut cp = CpData {
            pollutants: Vec::with_capacity(area.len() / 22 + 1),
            ..CpData::default()
        };
        let mut keys = CodeKeys::default();
        let mut items = Items { rest: area };
        while let Some(item) = items.next() {
            let (name, value) = item?;
            if let Err(error) = cp.add(&mut keys, name, value) {
                for item in items {
                    item?;
                }
                return Err(error);
            }
        }
        Ok(cp)
    }

    /// Reads one `name=value` item into `self`; `keys` are the codes of `self.pollutants`.
    fn add(&mut self, keys: &mut CodeKeys, name: &str, value: &str) -> Result<(), CpError> {
        if name.as_bytes() == *b"DataTime" {
            if self.data_time.is_some() {
                return Err(CpError::DuplicateField { field: name.into() });
            }
            self.data_time = Some(time(name, value)?);
            return Ok(());
        }
        let Some((code, field)) = name
            .as_bytes()
            .iter()
            .rposition(|&b| b == b'-')
            .and_then(|dash| Some((&name[..dash], Field::from_suffix(&name[dash + 1..])?)))
        else {
            self.other.push((name.to_owned(), value.to_owned()));
            return Ok(());
        };
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CpError::BadCode {
                field: name.to_owned(),
                code: code.into(),
            });
        }
        // A factor's fields usually follow each other: try the latest factor first.
        let index = match keys.find(&self.pollutants, name, code) {
            Some(i) => i,
            None => {
                keys.push(name, code);
                new_entry(&mut self.pollutants).code = ShortStr::new(code);
                self.pollutants.len() - 1
            }
        };
        let p = &mut self.pollutants[index];
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
                set(&mut p.flag_code, code.into())
            }
            Field::EFlag => set(&mut p.eflag, flag_text(name, value, 4)?.into()),
            Field::SampleTime => set(&mut p.sample_time, time(name, value)?),
        };
        if duplicate {
            return Err(CpError::DuplicateField { field: name.into() });
        }
        Ok(())
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

/// The factor codes seen so far in a data area, as integers: finding a factor's entry for
/// each of its fields then compares one integer per factor, where comparing the codes byte by
/// byte mispredicted a branch at every code that differs only in its last digit (`a34006`,
/// `a34007`). Codes of up to 8 bytes, of the first [`CodeKeys::CAPACITY`] factors; beyond that
/// the codes themselves are compared.
#[derive(Default)]
struct CodeKeys {
    keys: [u128; CodeKeys::CAPACITY],
    len: usize,
}

impl CodeKeys {
    const CAPACITY: usize = 16;

    /// The key of `code`, the start of the field name `name`: its bytes and its length. None
    /// for codes longer than 8 bytes (they are compared as text).
    #[inline]
    fn key(name: &str, code: &str) -> Option<u128> {
        let len = code.len();
        if len > 8 {
            return None;
        }
        let bytes = name.as_bytes();
        let word = match bytes.get(..8) {
            // The name is longer than its code ("a34006-Avg"): one load, then a mask.
            Some(first) => {
                let word = u64::from_le_bytes(first.try_into().ok()?);
                if len == 8 {
                    word
                } else {
                    word & ((1u64 << (8 * len)) - 1)
                }
            }
            None => code
                .bytes()
                .enumerate()
                .fold(0, |w, (i, b)| w | u64::from(b) << (8 * i)),
        };
        Some(u128::from(word) | (len as u128) << 64)
    }

    /// The index in `pollutants` of the factor `code` (of the field `name`), latest first.
    #[inline]
    fn find(&self, pollutants: &[PollutantValues], name: &str, code: &str) -> Option<usize> {
        match Self::key(name, code) {
            Some(key) if pollutants.len() <= Self::CAPACITY => {
                self.keys[..self.len].iter().rposition(|&k| k == key)
            }
            _ => pollutants.iter().rposition(|p| p.code.is(code)),
        }
    }

    /// Records the code of a new factor (the next one pushed to the pollutants).
    #[inline]
    fn push(&mut self, name: &str, code: &str) {
        if self.len < Self::CAPACITY {
            // A long code gets 0, which no short code's key is (their length is not 0).
            self.keys[self.len] = Self::key(name, code).unwrap_or(0);
            self.len += 1;
        }
    }
}

/// A new, empty entry at the end of `pollutants`, written in place: an entry is 280 bytes,
/// and building it first and then pushing it copied them all (a profile showed the copy).
#[inline]
fn new_entry(pollutants: &mut Vec<PollutantValues>) -> &mut PollutantValues {
    pollutants.resize_with(pollutants.len() + 1, PollutantValues::default);
    let last = pollutants.len() - 1;
    &mut pollutants[last]
}

/// Reads `YYYYMMDDhhmmss` (Table 4, N14), or `YYYYMMDDhhmmsszzz` with milliseconds as in QN
/// and in the `DataTime` of some 2005-era loggers.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let digits = text.as_bytes();
    if !(digits.len() == 14 || digits.len() == 17) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |range: std::ops::Range<usize>| -> u32 {
        digits[range]
            .iter()
            .fold(0, |n, d| n * 10 + u32::from(d - b'0'))
    };
    // Four digits: always within i32.
    let year = n(0..4) as i32;
    let milli = if digits.len() == 17 { n(14..17) } else { 0 };
    NaiveDate::from_ymd_opt(year, n(4..6), n(6..8))?.and_hms_milli_opt(
        n(8..10),
        n(10..12),
        n(12..14),
        milli,
    )
}

/// The data area's `(name, value)` pairs, names and values trimmed, or the first item that is
/// not `name=value`; nothing after an error.
struct Items<'a> {
    rest: &'a str,
}

/// `;` between items, `,` between the values of one item (§6.3.3.1): read alike.
fn is_separator(b: u8) -> bool {
    b == b';' || b == b','
}

/// `str::trim`, without decoding characters when both ends are printable ASCII (then there
/// is nothing to trim).
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if printable(*first) && printable(*last) => text,
        _ => text.trim(),
    }
}

/// `str::trim_end`, without decoding characters when the last byte is printable ASCII.
fn trim_end(text: &str) -> &str {
    match text.as_bytes().last() {
        Some(last) if printable(*last) => text,
        _ => text.trim_end(),
    }
}

/// Printable ASCII other than the space: never part of Unicode white space.
fn printable(b: u8) -> bool {
    (0x21..0x7F).contains(&b)
}

/// Drops leading ASCII blanks.
fn trim_blanks(text: &str) -> &str {
    let start = text
        .bytes()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    &text[start..]
}

impl<'a> Iterator for Items<'a> {
    type Item = Result<(&'a str, &'a str), CpError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.read();
        if !matches!(item, Some(Ok(_))) {
            self.rest = "";
        }
        item
    }
}

impl<'a> Items<'a> {
    // The delimiters are ASCII, so every index below is a character boundary.
    fn read(&mut self) -> Option<Result<(&'a str, &'a str), CpError>> {
        let rest = self.rest;
        let start = rest
            .bytes()
            .position(|b| !(is_separator(b) || b.is_ascii_whitespace()))?;
        let rest = &rest[start..];
        let name_end = rest
            .bytes()
            .position(|b| b == b'=' || is_separator(b))
            .unwrap_or(rest.len());
        let name = trim(&rest[..name_end]);
        if rest.as_bytes().get(name_end) != Some(&b'=') {
            return Some(Err(CpError::MissingEquals {
                item: name.to_owned(),
            }));
        }
        if name.is_empty() {
            return Some(Err(CpError::EmptyName));
        }
        let after = trim_blanks(&rest[name_end + 1..]);
        let value;
        if let Some(text) = after.strip_prefix("//") {
            let Some(close) = text.find("//") else {
                return Some(Err(CpError::UnclosedText {
                    field: name.to_owned(),
                }));
            };
            value = &after[..close + 4];
            self.rest = trim_blanks(&after[close + 4..]);
            if !self.rest.bytes().next().is_none_or(is_separator) {
                return Some(Err(CpError::TextAfterClosing {
                    field: name.to_owned(),
                }));
            }
        } else {
            let end = after.bytes().position(is_separator).unwrap_or(after.len());
            value = trim_end(&after[..end]);
            self.rest = &after[end..];
        }
        Some(Ok((name, value)))
    }
}

/// Stores `value`; true if the slot was already filled.
fn set<T>(slot: &mut Option<T>, value: T) -> bool {
    slot.replace(value).is_some()
}

/// A decimal number as Table 4 writes them (N14.2: optional sign, digits, optional decimal
/// part). Exponents, `inf` and `NaN`, which Rust's float parser would take, are refused.
pub(super) fn number(field: &str, value: &str) -> Result<f64, CpError> {
    let bad = || CpError::BadNumber {
        field: field.to_owned(),
        value: value.to_owned(),
    };
    let (negative, unsigned) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    // Digits, at most one '.', at least one digit; the mantissa as an integer on the way.
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut point = None;
    for (i, b) in unsigned.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return Err(bad()),
        }
    }
    if digits == 0 {
        return Err(bad());
    }
    let decimals = point.map_or(0, |at| unsigned.len() - at - 1);
    // Clinger's fast path: an integer below 2^53 and a power of ten up to 10^22 are exact
    // doubles, so one IEEE division gives the correctly rounded value, as `parse` does.
    if digits <= 15 && decimals < POWERS_OF_TEN.len() {
        let magnitude = mantissa as f64 / POWERS_OF_TEN[decimals];
        return Ok(if negative { -magnitude } else { magnitude });
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(bad)
}

/// 10^0 … 10^22, the powers of ten that are exact doubles.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

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
