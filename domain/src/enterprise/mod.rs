//! Enterprises under discharge permits (排污单位), their outlets (排放口), the pollutants
//! monitored at each outlet with the limit that applies, and what the public is shown about
//! them: exceedances (超标) and data completeness.

pub mod credit_code;
pub mod exceedance;
pub mod statement;

pub use credit_code::{CreditCode, CreditCodeError};
pub use exceedance::{
    completeness, daily_means, exceedances, exceedances_every, Exceedance, MonthCompleteness,
};
pub use statement::StatementKind;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::units::Unit;

/// A name that matched none of the accepted ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown name '{0}'")]
pub struct UnknownName(pub String);

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($name::$variant),)*
                    _ => Err(UnknownName(s.to_string())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What an outlet discharges into.
    OutletKind {
        /// 废气排放口: a stack or vent.
        Air = "air",
        /// 废水排放口.
        Water = "water",
    }
);

named_enum!(
    /// How a pollutant is monitored at an outlet.
    Method {
        /// 自动监测: continuous, an HJ 212 data logger.
        Automatic = "automatic",
        /// 手工监测: samples taken to a laboratory.
        Manual = "manual",
    }
);

named_enum!(
    /// How often a pollutant must be monitored: the unit data completeness is counted in.
    Frequency {
        Hourly = "hourly",
        Daily = "daily",
        Monthly = "monthly",
    }
);

named_enum!(
    /// The averaging period a limit applies to.
    Averaging {
        /// 小时均值.
        Hourly = "1h",
        /// 日均值.
        Daily = "24h",
    }
);

named_enum!(
    /// A pollutant in discharged flue gas or wastewater, named by its HJ 212-2017 code
    /// (Appendix B: a… for air, w… for water).
    Pollutant {
        /// 颗粒物（烟尘）.
        Particulate = "a34013",
        /// 二氧化硫.
        So2 = "a21026",
        /// 氮氧化物 (as NO2).
        Nox = "a21002",
        /// 化学需氧量 CODcr.
        Cod = "w01018",
        /// 氨氮.
        Nh3N = "w21003",
        /// 总磷.
        TotalPhosphorus = "w21011",
        /// 总氮.
        TotalNitrogen = "w21001",
    }
);

impl Pollutant {
    pub fn kind(self) -> OutletKind {
        match self {
            Self::Particulate | Self::So2 | Self::Nox => OutletKind::Air,
            _ => OutletKind::Water,
        }
    }

    /// The unit of HJ 212-2017 Appendix B (concentration), which limits are given in.
    pub fn unit(self) -> Unit {
        match self.kind() {
            OutletKind::Air => Unit::MilligramsPerCubicMetre,
            OutletKind::Water => Unit::MilligramsPerLitre,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Particulate => "颗粒物",
            Self::So2 => "二氧化硫",
            Self::Nox => "氮氧化物",
            Self::Cod => "化学需氧量",
            Self::Nh3N => "氨氮",
            Self::TotalPhosphorus => "总磷",
            Self::TotalNitrogen => "总氮",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::Particulate => "Particulate matter",
            Self::So2 => "Sulphur dioxide",
            Self::Nox => "Nitrogen oxides",
            Self::Cod => "Chemical oxygen demand",
            Self::Nh3N => "Ammonia nitrogen",
            Self::TotalPhosphorus => "Total phosphorus",
            Self::TotalNitrogen => "Total nitrogen",
        }
    }
}

/// An outlet's code, as in its discharge permit (e.g. DA001 for an air outlet, DW001 for a
/// wastewater one): letters, digits, `-` and `_`, 1 to 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutletCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an outlet code has 1 to 32 letters, digits, '-' or '_'")]
pub struct OutletCodeError;

impl OutletCode {
    pub fn parse(raw: &str) -> Result<Self, OutletCodeError> {
        let raw = raw.trim();
        let ok = !raw.is_empty()
            && raw.len() <= 32
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        ok.then(|| Self(raw.to_string())).ok_or(OutletCodeError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OutletCode {
    type Error = OutletCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OutletCode> for String {
    fn from(code: OutletCode) -> Self {
        code.0
    }
}

impl fmt::Display for OutletCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An emission limit: the highest concentration allowed over an averaging period, and the
/// standard (and table) it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limit {
    pub value: f64,
    pub unit: Unit,
    pub standard: String,
    pub averaging: Averaging,
}

impl Limit {
    /// value / limit (1.0 = at the limit).
    pub fn ratio(&self, value: f64) -> f64 {
        value / self.value
    }

    /// 超标倍数: (value − limit) / limit, when over the limit.
    pub fn exceedance_multiple(&self, value: f64) -> Option<f64> {
        (value > self.value).then(|| (value - self.value) / self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Pollutant::ALL {
            assert_eq!(p.as_str().parse::<Pollutant>(), Ok(*p));
        }
        assert_eq!("W01018".parse(), Ok(Pollutant::Cod));
        assert_eq!(Pollutant::Cod.kind(), OutletKind::Water);
        assert_eq!(Pollutant::So2.unit(), Unit::MilligramsPerCubicMetre);
        assert_eq!("24h".parse(), Ok(Averaging::Daily));
        assert!("weekly".parse::<Frequency>().is_err());
    }

    #[test]
    fn outlet_codes() {
        assert_eq!(OutletCode::parse(" DA001 ").unwrap().as_str(), "DA001");
        assert!(OutletCode::parse("").is_err());
        assert!(OutletCode::parse("DA 001").is_err());
        assert!(OutletCode::parse(&"D".repeat(33)).is_err());
    }

    #[test]
    fn ratio_and_multiple() {
        let limit = Limit {
            value: 50.0,
            unit: Unit::MilligramsPerCubicMetre,
            standard: "GB 13223-2011".into(),
            averaging: Averaging::Hourly,
        };
        assert_eq!(limit.ratio(75.0), 1.5);
        assert_eq!(limit.exceedance_multiple(75.0), Some(0.5));
        assert_eq!(limit.exceedance_multiple(50.0), None);
    }
}
