//! Every measured parameter Daylight stores, with its canonical unit and its names.
//!
//! Air parameter names encode the averaging period, as in CNEMC's published tables: a plain name
//! (`SO2`) is the 1-hour mean; `_24h` the 24-hour moving mean; `O3_8h` the 8-hour moving mean.
//! Two ozone names follow CNEMC's hourly release (HJ 633 §5 实时报 indicators): `O3_24h` is the
//! highest 1-hour value of the last 24 hours and `O3_8h_24h` the highest 8-hour moving mean of the
//! last 24 hours.

use crate::station::{StationKind, UnknownName};
use crate::units::Unit;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A measured parameter. Air: names give the averaging (plain = 1 hour). Water: GB 3838 items
/// measured by surface-water automatic stations plus their physical companions.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Parameter {
    So2,
    So2_24h,
    No2,
    No2_24h,
    Co,
    Co24h,
    O3,
    O3_8h,
    O3_24h,
    O3_8h_24h,
    Pm10,
    Pm10_24h,
    Pm25,
    Pm25_24h,
    Ph,
    DissolvedOxygen,
    CodMn,
    Nh3N,
    TotalPhosphorus,
    TotalNitrogen,
    WaterTemperature,
    Conductivity,
    Turbidity,
}

/// A value in a unit the parameter cannot be converted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{parameter} is stored in {expected}, cannot convert from {got}")]
pub struct UnitMismatch {
    pub parameter: Parameter,
    pub expected: Unit,
    pub got: Unit,
}

impl Parameter {
    pub const ALL: [Parameter; 23] = [
        Parameter::So2,
        Parameter::So2_24h,
        Parameter::No2,
        Parameter::No2_24h,
        Parameter::Co,
        Parameter::Co24h,
        Parameter::O3,
        Parameter::O3_8h,
        Parameter::O3_24h,
        Parameter::O3_8h_24h,
        Parameter::Pm10,
        Parameter::Pm10_24h,
        Parameter::Pm25,
        Parameter::Pm25_24h,
        Parameter::Ph,
        Parameter::DissolvedOxygen,
        Parameter::CodMn,
        Parameter::Nh3N,
        Parameter::TotalPhosphorus,
        Parameter::TotalNitrogen,
        Parameter::WaterTemperature,
        Parameter::Conductivity,
        Parameter::Turbidity,
    ];

    /// The import name, exactly as in CSV imports and the public API.
    pub fn code(self) -> &'static str {
        self.names().code
    }

    pub fn kind(self) -> StationKind {
        match self {
            Parameter::So2
            | Parameter::So2_24h
            | Parameter::No2
            | Parameter::No2_24h
            | Parameter::Co
            | Parameter::Co24h
            | Parameter::O3
            | Parameter::O3_8h
            | Parameter::O3_24h
            | Parameter::O3_8h_24h
            | Parameter::Pm10
            | Parameter::Pm10_24h
            | Parameter::Pm25
            | Parameter::Pm25_24h => StationKind::Air,
            _ => StationKind::Water,
        }
    }

    /// The canonical stored unit: the unit of the standard that judges the value (HJ 633 Table 1
    /// uses mg/m³ for CO and µg/m³ for the rest; GB 3838 Table 1 uses mg/L).
    pub fn unit(self) -> Unit {
        match self {
            Parameter::Co | Parameter::Co24h => Unit::MilligramsPerCubicMetre,
            Parameter::Ph => Unit::Ph,
            Parameter::WaterTemperature => Unit::DegreesCelsius,
            Parameter::Conductivity => Unit::MicrosiemensPerCentimetre,
            Parameter::Turbidity => Unit::Ntu,
            Parameter::DissolvedOxygen
            | Parameter::CodMn
            | Parameter::Nh3N
            | Parameter::TotalPhosphorus
            | Parameter::TotalNitrogen => Unit::MilligramsPerLitre,
            _ => Unit::MicrogramsPerCubicMetre,
        }
    }

    /// Chinese name; for air the labels CNEMC publishes.
    pub fn name_zh(self) -> &'static str {
        self.names().zh
    }

    pub fn name_en(self) -> &'static str {
        self.names().en
    }

    /// A compact label for table headers and chart legends (with sub-/superscripts).
    pub fn short_label(self) -> &'static str {
        self.names().short
    }

    /// Converts `value` given in `unit` to [`Parameter::unit`]. Only the mass-concentration pair
    /// µg/m³ ↔ mg/m³ converts (×/÷ 1000); anything else that is not already canonical is an
    /// error, because there is no safe guess (mg/L for an air value is a data error).
    pub fn to_canonical(self, value: f64, unit: Unit) -> Result<f64, UnitMismatch> {
        let expected = self.unit();
        match (unit, expected) {
            (u, e) if u == e => Ok(value),
            (Unit::MilligramsPerCubicMetre, Unit::MicrogramsPerCubicMetre) => Ok(value * 1000.0),
            (Unit::MicrogramsPerCubicMetre, Unit::MilligramsPerCubicMetre) => Ok(value / 1000.0),
            _ => Err(UnitMismatch {
                parameter: self,
                expected,
                got: unit,
            }),
        }
    }

    fn names(self) -> Names {
        let n = |code, zh, en, short| Names {
            code,
            zh,
            en,
            short,
        };
        match self {
            Parameter::So2 => n("SO2", "二氧化硫", "Sulphur dioxide", "SO₂"),
            Parameter::So2_24h => n(
                "SO2_24h",
                "二氧化硫24小时平均",
                "Sulphur dioxide (24-hour)",
                "SO₂ 24h",
            ),
            Parameter::No2 => n("NO2", "二氧化氮", "Nitrogen dioxide", "NO₂"),
            Parameter::No2_24h => n(
                "NO2_24h",
                "二氧化氮24小时平均",
                "Nitrogen dioxide (24-hour)",
                "NO₂ 24h",
            ),
            Parameter::Co => n("CO", "一氧化碳", "Carbon monoxide", "CO"),
            Parameter::Co24h => n(
                "CO_24h",
                "一氧化碳24小时平均",
                "Carbon monoxide (24-hour)",
                "CO 24h",
            ),
            Parameter::O3 => n("O3", "臭氧1小时", "Ozone (1-hour)", "O₃"),
            Parameter::O3_8h => n("O3_8h", "臭氧8小时", "Ozone (8-hour)", "O₃ 8h"),
            Parameter::O3_24h => n(
                "O3_24h",
                "臭氧1小时24小时最大值",
                "Ozone (highest 1-hour in 24 hours)",
                "O₃ max 1h",
            ),
            Parameter::O3_8h_24h => n(
                "O3_8h_24h",
                "臭氧8小时24小时最大值",
                "Ozone (highest 8-hour in 24 hours)",
                "O₃ max 8h",
            ),
            Parameter::Pm10 => n("PM10", "颗粒物(PM10)", "PM10", "PM10"),
            Parameter::Pm10_24h => n(
                "PM10_24h",
                "颗粒物(PM10)24小时平均",
                "PM10 (24-hour)",
                "PM10 24h",
            ),
            Parameter::Pm25 => n("PM2.5", "细颗粒物(PM2.5)", "PM2.5", "PM2.5"),
            Parameter::Pm25_24h => n(
                "PM2.5_24h",
                "细颗粒物(PM2.5)24小时平均",
                "PM2.5 (24-hour)",
                "PM2.5 24h",
            ),
            Parameter::Ph => n("pH", "pH值", "pH", "pH"),
            Parameter::DissolvedOxygen => n("DO", "溶解氧", "Dissolved oxygen", "DO"),
            Parameter::CodMn => n("CODMn", "高锰酸盐指数", "Permanganate index", "CODMn"),
            Parameter::Nh3N => n("NH3-N", "氨氮", "Ammonia nitrogen", "NH₃-N"),
            Parameter::TotalPhosphorus => n("TP", "总磷", "Total phosphorus", "TP"),
            Parameter::TotalNitrogen => n("TN", "总氮", "Total nitrogen", "TN"),
            Parameter::WaterTemperature => n("temperature", "水温", "Water temperature", "Temp."),
            Parameter::Conductivity => n("conductivity", "电导率", "Conductivity", "Cond."),
            Parameter::Turbidity => n("turbidity", "浊度", "Turbidity", "Turb."),
        }
    }
}

struct Names {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    short: &'static str,
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Parameter {
    type Err = UnknownName;

    /// Parses [`Parameter::code`], ignoring case and surrounding blanks; also accepts `PM25` and
    /// `PM25_24h`, the spelling of systems that cannot put a dot in a name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim();
        if let Some(p) = Parameter::ALL
            .iter()
            .find(|p| p.code().eq_ignore_ascii_case(key))
        {
            return Ok(*p);
        }
        if key.eq_ignore_ascii_case("PM25") {
            Ok(Parameter::Pm25)
        } else if key.eq_ignore_ascii_case("PM25_24h") {
            Ok(Parameter::Pm25_24h)
        } else {
            Err(UnknownName(s.to_string()))
        }
    }
}

impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Parameter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_import_names_and_round_trip() {
        let codes: Vec<&str> = Parameter::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(
            codes,
            [
                "SO2",
                "SO2_24h",
                "NO2",
                "NO2_24h",
                "CO",
                "CO_24h",
                "O3",
                "O3_8h",
                "O3_24h",
                "O3_8h_24h",
                "PM10",
                "PM10_24h",
                "PM2.5",
                "PM2.5_24h",
                "pH",
                "DO",
                "CODMn",
                "NH3-N",
                "TP",
                "TN",
                "temperature",
                "conductivity",
                "turbidity"
            ]
        );
        for p in Parameter::ALL {
            assert_eq!(p.code().parse::<Parameter>(), Ok(p));
        }
    }

    #[test]
    fn parses_aliases_and_case() {
        let cases = [
            ("PM25", Parameter::Pm25),
            ("pm2.5", Parameter::Pm25),
            ("ph", Parameter::Ph),
            ("do", Parameter::DissolvedOxygen),
            ("codmn", Parameter::CodMn),
            ("nh3-n", Parameter::Nh3N),
            ("tp", Parameter::TotalPhosphorus),
            ("tn", Parameter::TotalNitrogen),
            (" O3_8h ", Parameter::O3_8h),
        ];
        for (raw, p) in cases {
            assert_eq!(raw.parse::<Parameter>(), Ok(p), "{raw}");
        }
        assert!("PM1".parse::<Parameter>().is_err());
        assert!("".parse::<Parameter>().is_err());
    }

    #[test]
    fn canonical_units_and_kinds() {
        assert_eq!(Parameter::Co.unit(), Unit::MilligramsPerCubicMetre);
        assert_eq!(Parameter::Co24h.unit(), Unit::MilligramsPerCubicMetre);
        assert_eq!(Parameter::Pm25.unit(), Unit::MicrogramsPerCubicMetre);
        assert_eq!(Parameter::O3_8h_24h.unit(), Unit::MicrogramsPerCubicMetre);
        assert_eq!(Parameter::Ph.unit(), Unit::Ph);
        assert_eq!(Parameter::TotalPhosphorus.unit(), Unit::MilligramsPerLitre);
        assert_eq!(Parameter::WaterTemperature.unit(), Unit::DegreesCelsius);
        assert_eq!(
            Parameter::Conductivity.unit(),
            Unit::MicrosiemensPerCentimetre
        );
        assert_eq!(Parameter::Turbidity.unit(), Unit::Ntu);
        let air = Parameter::ALL
            .iter()
            .filter(|p| p.kind() == StationKind::Air)
            .count();
        assert_eq!(air, 14);
    }

    #[test]
    fn converts_only_between_mass_concentrations() {
        assert_eq!(
            Parameter::Co.to_canonical(1600.0, Unit::MicrogramsPerCubicMetre),
            Ok(1.6)
        );
        assert_eq!(
            Parameter::Pm25.to_canonical(0.075, Unit::MilligramsPerCubicMetre),
            Ok(75.0)
        );
        assert_eq!(
            Parameter::So2.to_canonical(12.0, Unit::MicrogramsPerCubicMetre),
            Ok(12.0)
        );
        assert_eq!(
            Parameter::So2.to_canonical(12.0, Unit::MilligramsPerLitre),
            Err(UnitMismatch {
                parameter: Parameter::So2,
                expected: Unit::MicrogramsPerCubicMetre,
                got: Unit::MilligramsPerLitre
            })
        );
        assert!(Parameter::Ph
            .to_canonical(7.0, Unit::MilligramsPerLitre)
            .is_err());
    }

    #[test]
    fn names_are_present() {
        for p in Parameter::ALL {
            assert!(!p.name_zh().is_empty() && !p.name_en().is_empty());
            assert!(!p.short_label().is_empty());
        }
        assert_eq!(Parameter::Pm25.name_zh(), "细颗粒物(PM2.5)");
        assert_eq!(Parameter::O3_8h.name_zh(), "臭氧8小时");
        assert_eq!(Parameter::Nh3N.short_label(), "NH₃-N");
    }
}
