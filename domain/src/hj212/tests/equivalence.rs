//! The parsers as they were before they were made faster (commit 3a6ff8d: a copy of every
//! field, char-based scanning, `str::parse` for numbers and time stamps), kept as references:
//! the current parsers must give the same values and the same errors on any input.

use super::*;
use crate::hj212::cp::CpError;
use proptest::prelude::*;

mod reference {
    use super::*;

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

    pub fn number(field: &str, value: &str) -> Result<f64, CpError> {
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

    fn set<T>(slot: &mut Option<T>, value: T) -> bool {
        slot.replace(value).is_some()
    }

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

    const SUFFIXES: [&str; 15] = [
        "Rtd",
        "Min",
        "Avg",
        "Max",
        "Cou",
        "ZsRtd",
        "ZsMin",
        "ZsAvg",
        "ZsMax",
        "Data",
        "DayData",
        "NightData",
        "Flag",
        "EFlag",
        "SampleTime",
    ];

    pub fn cp(area: &str) -> Result<CpData, CpError> {
        let mut cp = CpData::default();
        for (name, value) in items(area)? {
            if name == "DataTime" {
                if cp.data_time.is_some() {
                    return Err(CpError::DuplicateField { field: name.into() });
                }
                cp.data_time = Some(time(name, value)?);
                continue;
            }
            let Some((code, suffix)) = name
                .rsplit_once('-')
                .filter(|(_, suffix)| SUFFIXES.contains(suffix))
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
                    cp.pollutants.push(PollutantValues {
                        code: code.into(),
                        ..PollutantValues::default()
                    });
                    cp.pollutants.len() - 1
                }
            };
            let p = &mut cp.pollutants[index];
            let duplicate = match suffix {
                "Rtd" => set(&mut p.rtd, number(name, value)?),
                "Min" => set(&mut p.min, number(name, value)?),
                "Avg" => set(&mut p.avg, number(name, value)?),
                "Max" => set(&mut p.max, number(name, value)?),
                "Cou" => set(&mut p.cou, number(name, value)?),
                "ZsRtd" => set(&mut p.zs_rtd, number(name, value)?),
                "ZsMin" => set(&mut p.zs_min, number(name, value)?),
                "ZsAvg" => set(&mut p.zs_avg, number(name, value)?),
                "ZsMax" => set(&mut p.zs_max, number(name, value)?),
                "Data" => set(&mut p.data, number(name, value)?),
                "DayData" => set(&mut p.day_data, number(name, value)?),
                "NightData" => set(&mut p.night_data, number(name, value)?),
                "Flag" => {
                    let code = flag_text(name, value, 4)?;
                    p.flag = Some(DataFlag::from_code(code));
                    set(&mut p.flag_code, code.into())
                }
                "EFlag" => set(&mut p.eflag, flag_text(name, value, 4)?.into()),
                _ => set(&mut p.sample_time, time(name, value)?),
            };
            if duplicate {
                return Err(CpError::DuplicateField { field: name.into() });
            }
        }
        Ok(cp)
    }

    /// The segment's fields as the old parser found them: QN, ST, CN, PW, MN, Flag, PNUM,
    /// PNO, CP. Only where CP is found changed, so the field checks are not repeated here.
    pub fn cp_start(text: &str) -> Option<usize> {
        if text.starts_with("CP=&&") {
            Some(0)
        } else {
            text.find(";CP=&&").map(|at| at + 1)
        }
    }
}

/// The bits of every value, so that 0.0 and -0.0 differ.
fn bits(data: &Result<CpData, CpError>) -> Vec<Option<u64>> {
    let Ok(data) = data else {
        return Vec::new();
    };
    data.pollutants
        .iter()
        .flat_map(|p| {
            [
                p.rtd,
                p.min,
                p.avg,
                p.max,
                p.cou,
                p.zs_rtd,
                p.zs_min,
                p.zs_avg,
                p.zs_max,
                p.data,
                p.day_data,
                p.night_data,
            ]
        })
        .map(|v| v.map(f64::to_bits))
        .collect()
}

/// Text made of the pieces a data area is built from, so that most of it is nearly valid.
fn cp_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("DataTime=".to_string()),
        Just("20240506080000".to_string()),
        Just("20240506080000123".to_string()),
        "[aw][0-9]{5}-",
        prop::sample::select(vec![
            "Rtd",
            "Min",
            "Avg",
            "Max",
            "Cou",
            "ZsRtd",
            "ZsMin",
            "ZsAvg",
            "ZsMax",
            "Data",
            "DayData",
            "NightData",
            "Flag",
            "EFlag",
            "SampleTime",
            "ValidNum",
            "rtd",
        ])
        .prop_map(str::to_string),
        "=-?[0-9]{0,18}(\\.[0-9]{0,25})?",
        "=[+-]?[0-9.eE]{0,6}",
        "=[NFMSDCTB]",
        prop::sample::select(vec![
            ";", ",", "=", " ", "\t", "//", "-", "&", "\u{3000}", "\u{a0}", "清洗", "\u{85}",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,6}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn cp_parser_is_the_old_one(text in cp_like()) {
        let new = CpData::parse(&text);
        let old = reference::cp(&text);
        prop_assert_eq!(&new, &old, "{:?}", text);
        prop_assert_eq!(bits(&new), bits(&old), "{:?}", text);
    }

    #[test]
    fn cp_parser_is_the_old_one_on_any_text(text in "\\PC{0,80}") {
        prop_assert_eq!(CpData::parse(&text), reference::cp(&text), "{:?}", text);
    }

    #[test]
    fn numbers_are_read_as_before(
        value in "[+-]?[0-9]{0,20}(\\.[0-9]{0,26})?|[+-]?[0-9.]{0,5}|[0-9]{300,320}(\\.[0-9]{0,3})?",
    ) {
        let new = crate::hj212::cp::number("x", &value);
        let old = reference::number("x", &value);
        prop_assert_eq!(new.as_ref().map(|v| v.to_bits()), old.as_ref().map(|v| v.to_bits()));
        prop_assert_eq!(new.err(), old.err());
    }

    #[test]
    fn numbers_printed_by_rust_are_read_as_before(v in any::<f64>(), decimals in 0usize..20) {
        for text in [format!("{v}"), format!("{v:.decimals$}"), format!("{:.decimals$}", v / 1e9)] {
            let new = crate::hj212::cp::number("x", &text).map(f64::to_bits);
            prop_assert_eq!(new, reference::number("x", &text).map(f64::to_bits), "{}", text);
        }
    }

    #[test]
    fn time_stamps_are_read_as_before(text in "[0-9]{14}|[0-9]{17}|[0-9 ]{13,18}") {
        prop_assert_eq!(parse_timestamp(&text), reference::parse_timestamp(&text));
    }

    #[test]
    fn cp_is_found_where_it_was(text in "(QN|ST|CP|;|=|&|&&|CP=&&|;CP=&|x){0,12}") {
        let new = Segment::parse(&text);
        match reference::cp_start(&text) {
            None => prop_assert_eq!(new, Err(SegmentError::MissingCp)),
            Some(at) => match new {
                Ok(segment) => prop_assert_eq!(segment.cp(), &text[at + 5..text.len() - 2]),
                Err(e) => prop_assert_ne!(e, SegmentError::MissingCp),
            },
        }
    }
}
