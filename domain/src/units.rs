//! Units of measurement as types.
//!
//! Two things go wrong with units in environmental data: a string like `μg/m³` arrives in one of
//! a dozen spellings (CSV exports, HJ 212 loggers, lab reports), and a number in mg/m³ meets a
//! breakpoint in µg/m³. [`Unit`] fixes the first (one parser for every spelling we have seen);
//! [`Concentration`] fixes the second: a CO value is a `Concentration<MgM3>` and cannot be passed
//! where a `Concentration<UgM3>` is expected without an explicit conversion.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// A unit Daylight stores or accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// µg/m³: the unit of HJ 633 / GB 3095 for every air pollutant except CO.
    MicrogramsPerCubicMetre,
    /// mg/m³: CO in HJ 633 / GB 3095.
    MilligramsPerCubicMetre,
    /// mg/L: GB 3838 Table 1 (except pH, temperature and fecal coliform).
    MilligramsPerLitre,
    /// µS/cm: conductivity as published by the surface-water automatic stations.
    MicrosiemensPerCentimetre,
    /// NTU: turbidity.
    Ntu,
    /// ℃: water temperature.
    DegreesCelsius,
    /// dB(A): A-weighted equivalent sound level (GB 3096-2008).
    DecibelsA,
    /// pH, dimensionless (GB 3838 writes 无量纲).
    Ph,
}

impl Unit {
    pub const ALL: [Unit; 8] = [
        Unit::MicrogramsPerCubicMetre,
        Unit::MilligramsPerCubicMetre,
        Unit::MilligramsPerLitre,
        Unit::MicrosiemensPerCentimetre,
        Unit::Ntu,
        Unit::DegreesCelsius,
        Unit::DecibelsA,
        Unit::Ph,
    ];

    /// The typographic symbol, for display.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::MicrogramsPerCubicMetre => "µg/m³",
            Unit::MilligramsPerCubicMetre => "mg/m³",
            Unit::MilligramsPerLitre => "mg/L",
            Unit::MicrosiemensPerCentimetre => "µS/cm",
            Unit::Ntu => "NTU",
            Unit::DegreesCelsius => "℃",
            Unit::DecibelsA => "dB(A)",
            Unit::Ph => "pH",
        }
    }

    /// A plain-ASCII spelling, for CSV headers, URLs and file names; also the serde form.
    pub fn ascii(self) -> &'static str {
        match self {
            Unit::MicrogramsPerCubicMetre => "ug/m3",
            Unit::MilligramsPerCubicMetre => "mg/m3",
            Unit::MilligramsPerLitre => "mg/L",
            Unit::MicrosiemensPerCentimetre => "uS/cm",
            Unit::Ntu => "NTU",
            Unit::DegreesCelsius => "C",
            Unit::DecibelsA => "dB(A)",
            Unit::Ph => "pH",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// A unit string that none of the accepted spellings matches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit '{0}'")]
pub struct UnknownUnit(pub String);

impl FromStr for Unit {
    type Err = UnknownUnit;

    /// Accepts the spellings found in CSV imports, HJ 212 loggers and lab sheets: micro as `u`,
    /// `µ` (U+00B5 MICRO SIGN) or `μ` (U+03BC GREEK MU); cubed as `3` or `³`; litre as `L` or
    /// `l`; `℃`, `°C` or `C`; `dB(A)`, `dBA` or `dB`; `pH` or `无量纲` (GB 3838's "dimensionless",
    /// which in a water table means pH). Case is ignored. The empty string is an error: a missing
    /// unit must not silently become a default one.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let mut key = String::with_capacity(trimmed.len());
        for ch in trimmed.chars() {
            match ch {
                'µ' | 'μ' => key.push('u'),
                '³' => key.push('3'),
                ' ' => {}
                c => key.extend(c.to_lowercase()),
            }
        }
        let unit = match key.as_str() {
            "ug/m3" => Unit::MicrogramsPerCubicMetre,
            "mg/m3" => Unit::MilligramsPerCubicMetre,
            "mg/l" => Unit::MilligramsPerLitre,
            "us/cm" => Unit::MicrosiemensPerCentimetre,
            "ntu" => Unit::Ntu,
            "℃" | "°c" | "c" | "degc" => Unit::DegreesCelsius,
            "db(a)" | "dba" | "db" => Unit::DecibelsA,
            "ph" | "无量纲" => Unit::Ph,
            _ => return Err(UnknownUnit(s.to_string())),
        };
        Ok(unit)
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.ascii())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

/// A mass-concentration unit known at compile time.
pub trait ConcentrationUnit: Copy + fmt::Debug + PartialEq + PartialOrd + Default {
    /// The run-time unit this marker stands for.
    const UNIT: Unit;
}

/// Marker: micrograms per cubic metre (µg/m³).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UgM3;

/// Marker: milligrams per cubic metre (mg/m³).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MgM3;

impl ConcentrationUnit for UgM3 {
    const UNIT: Unit = Unit::MicrogramsPerCubicMetre;
}

impl ConcentrationUnit for MgM3 {
    const UNIT: Unit = Unit::MilligramsPerCubicMetre;
}

/// A mass concentration whose unit is part of its type.
///
/// The type carries the *unit*, not a validity promise: `new` accepts any `f64` so that a
/// negative or NaN reading from a faulty logger can still be carried to the place that judges
/// it (the AQI functions answer such a value with an error rather than a number). Use
/// [`Concentration::try_new`] where you want to reject it at construction.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Concentration<U: ConcentrationUnit> {
    value: f64,
    unit: PhantomData<U>,
}

/// A concentration that cannot be a measurement: negative, NaN or infinite.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("invalid concentration {0}: must be a finite number ≥ 0")]
pub struct InvalidConcentration(pub f64);

impl<U: ConcentrationUnit> Concentration<U> {
    /// Wraps a value given in `U`. Any `f64` is accepted; see [`Concentration::is_valid`].
    pub const fn new(value: f64) -> Self {
        Self {
            value,
            unit: PhantomData,
        }
    }

    /// Wraps a value, rejecting negative, NaN and infinite ones.
    pub fn try_new(value: f64) -> Result<Self, InvalidConcentration> {
        let c = Self::new(value);
        if c.is_valid() {
            Ok(c)
        } else {
            Err(InvalidConcentration(value))
        }
    }

    /// The number, in [`Concentration::unit`].
    pub const fn value(self) -> f64 {
        self.value
    }

    /// The unit of [`Concentration::value`].
    pub const fn unit(self) -> Unit {
        U::UNIT
    }

    /// Finite and not negative: the only values a standard can be applied to.
    pub fn is_valid(self) -> bool {
        self.value.is_finite() && self.value >= 0.0
    }
}

impl Concentration<UgM3> {
    /// The same concentration in mg/m³.
    pub fn to_mg_m3(self) -> Concentration<MgM3> {
        Concentration::new(self.value / 1000.0)
    }
}

impl Concentration<MgM3> {
    /// The same concentration in µg/m³.
    pub fn to_ug_m3(self) -> Concentration<UgM3> {
        Concentration::new(self.value * 1000.0)
    }
}

impl<U: ConcentrationUnit> fmt::Display for Concentration<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, U::UNIT.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_seen_in_imports() {
        let cases: &[(&str, Unit)] = &[
            ("ug/m3", Unit::MicrogramsPerCubicMetre),
            ("µg/m³", Unit::MicrogramsPerCubicMetre),
            ("μg/m3", Unit::MicrogramsPerCubicMetre),
            ("μg/m³", Unit::MicrogramsPerCubicMetre),
            (" UG/M3 ", Unit::MicrogramsPerCubicMetre),
            ("mg/m3", Unit::MilligramsPerCubicMetre),
            ("mg/m³", Unit::MilligramsPerCubicMetre),
            ("mg/L", Unit::MilligramsPerLitre),
            ("mg/l", Unit::MilligramsPerLitre),
            ("uS/cm", Unit::MicrosiemensPerCentimetre),
            ("μS/cm", Unit::MicrosiemensPerCentimetre),
            ("µS/cm", Unit::MicrosiemensPerCentimetre),
            ("NTU", Unit::Ntu),
            ("℃", Unit::DegreesCelsius),
            ("°C", Unit::DegreesCelsius),
            ("C", Unit::DegreesCelsius),
            ("dB(A)", Unit::DecibelsA),
            ("dB", Unit::DecibelsA),
            ("pH", Unit::Ph),
            ("无量纲", Unit::Ph),
        ];
        for (raw, unit) in cases {
            assert_eq!(raw.parse::<Unit>(), Ok(*unit), "{raw}");
        }
    }

    #[test]
    fn rejects_empty_and_unknown() {
        for raw in ["", "  ", "ppm", "g/m3", "mg", "kg/L"] {
            assert_eq!(raw.parse::<Unit>(), Err(UnknownUnit(raw.to_string())));
        }
    }

    #[test]
    fn symbol_and_ascii_round_trip() {
        for unit in Unit::ALL {
            assert_eq!(unit.symbol().parse::<Unit>(), Ok(unit));
            assert_eq!(unit.ascii().parse::<Unit>(), Ok(unit));
        }
        assert_eq!(Unit::MicrogramsPerCubicMetre.symbol(), "µg/m³");
        assert_eq!(Unit::DegreesCelsius.ascii(), "C");
    }

    #[test]
    fn concentrations_convert_explicitly() {
        let co = Concentration::<MgM3>::new(1.6);
        assert_eq!(co.unit(), Unit::MilligramsPerCubicMetre);
        assert!((co.to_ug_m3().value() - 1600.0).abs() < 1e-9);
        assert!((Concentration::<UgM3>::new(250.0).to_mg_m3().value() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn validity() {
        assert!(Concentration::<UgM3>::try_new(0.0).is_ok());
        assert!(Concentration::<UgM3>::try_new(-1.0).is_err());
        assert!(Concentration::<UgM3>::try_new(f64::NAN).is_err());
        assert!(Concentration::<UgM3>::try_new(f64::INFINITY).is_err());
        assert!(!Concentration::<MgM3>::new(-0.1).is_valid());
        assert!(Concentration::<UgM3>::new(1.0) < Concentration::<UgM3>::new(2.0));
    }
}
