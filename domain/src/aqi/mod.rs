//! Air quality index: HJ 633-2012 (China, with CNEMC's hourly practice) and the US EPA AQI.
//!
//! The shape of the computation is the same on both scales: each pollutant's concentration is
//! placed on a breakpoint table ([`breakpoints`]) and interpolated into a sub-index; the AQI is
//! the largest sub-index; the pollutants that reach it are "primary" once the air is no longer
//! in the best category. What differs — which averaging periods count, how concentrations and
//! indices are rounded, what happens above a table — lives in [`hj633`] and [`epa`].
//!
//! Inputs are typed ([`Concentration<UgM3>`], CO in [`Concentration<MgM3>`]) so that a CO value
//! in mg/m³ cannot meet a µg/m³ breakpoint. Any `f64` can still arrive inside them; a negative,
//! NaN or infinite value used by the computation gives [`NoAqi::Invalid`], never a number or a
//! panic.

pub mod breakpoints;
pub mod category;
pub mod epa;
pub mod hj633;

#[cfg(test)]
mod tests;

pub use breakpoints::{
    AboveTop, BreakpointTable, BreakpointUnit, EpaTable, Hj633Table, Lookup, Segment, HJ633_2012,
    HJ633_2025_DRAFT, US_EPA_2024,
};
pub use category::{category, level_of, Category};
pub use epa::{us_epa_hourly, us_epa_hourly_with};
pub use hj633::{hj633_daily, hj633_daily_with, hj633_hourly, hj633_hourly_with};

use crate::parameter::Parameter;
use crate::station::UnknownName;
use crate::units::{Concentration, MgM3, UgM3, Unit};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The six pollutants of the AQI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pollutant {
    So2,
    No2,
    Co,
    O3,
    Pm10,
    Pm25,
}

impl Pollutant {
    /// In the column order of HJ 633-2012 Table 1 (SO₂, NO₂, PM10, CO, O₃, PM2.5), which is also
    /// the order in which CNEMC lists tied primary pollutants ("颗粒物(PM10),细颗粒物(PM2.5)").
    pub const ALL: [Pollutant; 6] = [
        Pollutant::So2,
        Pollutant::No2,
        Pollutant::Pm10,
        Pollutant::Co,
        Pollutant::O3,
        Pollutant::Pm25,
    ];

    /// CNEMC's published label. Ozone is the one pollutant whose published label depends on the
    /// averaging period (臭氧1小时 / 臭氧8小时); use [`SubIndex::label_zh`] for that, this returns
    /// the bare "臭氧".
    pub fn name_zh(self) -> &'static str {
        match self {
            Pollutant::So2 => "二氧化硫",
            Pollutant::No2 => "二氧化氮",
            Pollutant::Co => "一氧化碳",
            Pollutant::O3 => "臭氧",
            Pollutant::Pm10 => "颗粒物(PM10)",
            Pollutant::Pm25 => "细颗粒物(PM2.5)",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Pollutant::So2 => "Sulphur dioxide",
            Pollutant::No2 => "Nitrogen dioxide",
            Pollutant::Co => "Carbon monoxide",
            Pollutant::O3 => "Ozone",
            Pollutant::Pm10 => "PM10",
            Pollutant::Pm25 => "PM2.5",
        }
    }

    /// A compact chemical label: "SO₂", "NO₂", "CO", "O₃", "PM10", "PM2.5".
    pub fn label(self) -> &'static str {
        match self {
            Pollutant::So2 => "SO₂",
            Pollutant::No2 => "NO₂",
            Pollutant::Co => "CO",
            Pollutant::O3 => "O₃",
            Pollutant::Pm10 => "PM10",
            Pollutant::Pm25 => "PM2.5",
        }
    }
}

impl fmt::Display for Pollutant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which AQI a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AqiScale {
    /// HJ 633-2012, China's AQI.
    #[serde(rename = "hj633")]
    Hj633,
    /// The US EPA AQI (2024 revision), for the site's international mode.
    #[serde(rename = "us-epa")]
    UsEpa,
}

impl AqiScale {
    pub fn as_str(self) -> &'static str {
        match self {
            AqiScale::Hj633 => "hj633",
            AqiScale::UsEpa => "us-epa",
        }
    }
}

impl fmt::Display for AqiScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AqiScale {
    type Err = UnknownName;
    /// `hj633` or `us-epa` (case-insensitive; `hj-633`, `us_epa`, `usepa` and `epa` too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hj633" | "hj-633" | "hj_633" => Ok(AqiScale::Hj633),
            "us-epa" | "us_epa" | "usepa" | "epa" => Ok(AqiScale::UsEpa),
            _ => Err(UnknownName(s.to_string())),
        }
    }
}

/// The averaging period a sub-index was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Averaging {
    OneHour,
    EightHour,
    TwentyFourHour,
}

/// The concentrations of one station-hour, in canonical units (µg/m³; CO mg/m³).
///
/// Which fields a scale needs: HJ 633 hourly uses the six `_1h` values (and `so2_24h` when SO₂
/// 1 h exceeds 800 µg/m³); the US EPA hourly mode uses the `_1h` values and `o3_8h`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HourlyConcentrations {
    pub so2_1h: Option<Concentration<UgM3>>,
    pub so2_24h: Option<Concentration<UgM3>>,
    pub no2_1h: Option<Concentration<UgM3>>,
    pub co_1h: Option<Concentration<MgM3>>,
    pub o3_1h: Option<Concentration<UgM3>>,
    pub o3_8h: Option<Concentration<UgM3>>,
    pub pm10_1h: Option<Concentration<UgM3>>,
    pub pm25_1h: Option<Concentration<UgM3>>,
    pub pm10_24h: Option<Concentration<UgM3>>,
    pub pm25_24h: Option<Concentration<UgM3>>,
}

impl HourlyConcentrations {
    /// Builds from `(parameter, value)` pairs with values in [`Parameter::unit`], as stored.
    /// Parameters without a field here (water, `NO2_24h`, `CO_24h`, `O3_24h`, `O3_8h_24h`) are
    /// ignored; a repeated parameter keeps the last value.
    pub fn from_readings(iter: impl IntoIterator<Item = (Parameter, f64)>) -> Self {
        let mut c = Self::default();
        for (p, v) in iter {
            c.set(p, v);
        }
        c
    }

    /// Sets the field for `parameter`; returns whether the parameter has one.
    pub fn set(&mut self, parameter: Parameter, value: f64) -> bool {
        let ug = Some(Concentration::<UgM3>::new(value));
        match parameter {
            Parameter::So2 => self.so2_1h = ug,
            Parameter::So2_24h => self.so2_24h = ug,
            Parameter::No2 => self.no2_1h = ug,
            Parameter::Co => self.co_1h = Some(Concentration::new(value)),
            Parameter::O3 => self.o3_1h = ug,
            Parameter::O3_8h => self.o3_8h = ug,
            Parameter::Pm10 => self.pm10_1h = ug,
            Parameter::Pm25 => self.pm25_1h = ug,
            Parameter::Pm10_24h => self.pm10_24h = ug,
            Parameter::Pm25_24h => self.pm25_24h = ug,
            _ => return false,
        }
        true
    }
}

/// The concentrations of one day for the daily AQI (HJ 633 §5 日报): 24-hour means of SO₂, NO₂,
/// PM10, PM2.5 and CO, the day's highest 1-hour O₃ and highest 8-hour moving O₃.
/// Use [`crate::series::daily_values`] to derive them with the validity rules.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DailyConcentrations {
    pub so2_24h: Option<Concentration<UgM3>>,
    pub no2_24h: Option<Concentration<UgM3>>,
    pub co_24h: Option<Concentration<MgM3>>,
    pub pm10_24h: Option<Concentration<UgM3>>,
    pub pm25_24h: Option<Concentration<UgM3>>,
    pub o3_1h_max: Option<Concentration<UgM3>>,
    pub o3_8h_max: Option<Concentration<UgM3>>,
}

impl DailyConcentrations {
    /// Builds from CNEMC's rolling 24-hour parameters (`SO2_24h`, `NO2_24h`, `CO_24h`,
    /// `PM10_24h`, `PM2.5_24h`, `O3_24h` → highest 1-h O₃, `O3_8h_24h` → highest 8-h O₃), as
    /// published at the last hour of a day. The 8-h maximum over "the last 24 hours" includes
    /// windows ending before 08:00, which HJ 663's daily maximum does not, so this is an
    /// approximation; prefer [`crate::series::daily_values`] where the hours are available.
    pub fn from_readings(iter: impl IntoIterator<Item = (Parameter, f64)>) -> Self {
        let mut d = Self::default();
        for (p, v) in iter {
            let ug = Some(Concentration::<UgM3>::new(v));
            match p {
                Parameter::So2_24h => d.so2_24h = ug,
                Parameter::No2_24h => d.no2_24h = ug,
                Parameter::Co24h => d.co_24h = Some(Concentration::new(v)),
                Parameter::Pm10_24h => d.pm10_24h = ug,
                Parameter::Pm25_24h => d.pm25_24h = ug,
                Parameter::O3_24h => d.o3_1h_max = ug,
                Parameter::O3_8h_24h => d.o3_8h_max = ug,
                _ => {}
            }
        }
        d
    }
}

/// Why a sub-index is not the plain lookup of its pollutant's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubIndexNote {
    /// SO₂ 1-hour mean above the top of its table (HJ 633: 800 µg/m³, Table 1 note 2; EPA:
    /// 304 ppb): the 1-hour value defines no index there, so the 24-hour mean was used.
    So2From24h,
    /// O₃ 8-hour mean above the top of its table (HJ 633: 800 µg/m³, Table 1 note 3; EPA:
    /// 0.200 ppm): the 1-hour value was used.
    O3From1h,
    /// Above the highest breakpoint: the index is capped at the top of the scale (500).
    AboveTable,
    /// Above the top of a table whose index the rule fixes (HJ 633 2025 draft: SO₂ 1 h > 800 →
    /// 200, O₃ 8 h > 800 → 300; EPA: SO₂ 1 h > 304 ppb with a 24 h mean below 305 ppb → 200).
    FixedAboveTable,
    /// A 1-hour value was placed on breakpoints defined for a longer averaging period (EPA
    /// hourly mode: PM on 24-hour, CO on 8-hour breakpoints — an approximation of NowCast).
    HourlyOnLongerBreakpoints,
}

/// One pollutant's index (IAQI) within a report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SubIndex {
    pub pollutant: Pollutant,
    pub iaqi: u16,
    /// The concentration the index was computed from, in [`SubIndex::unit`] (canonical units;
    /// for the EPA scale, before the internal conversion to ppb/ppm).
    pub concentration: f64,
    pub unit: Unit,
    pub note: Option<SubIndexNote>,
    /// Which averaging period [`SubIndex::concentration`] is.
    pub averaging: Averaging,
}

impl SubIndex {
    /// CNEMC's published label, distinguishing 臭氧1小时 from 臭氧8小时.
    pub fn label_zh(&self) -> &'static str {
        match (self.pollutant, self.averaging) {
            (Pollutant::O3, Averaging::EightHour) => "臭氧8小时",
            (Pollutant::O3, _) => "臭氧1小时",
            (p, _) => p.name_zh(),
        }
    }

    pub fn label_en(&self) -> &'static str {
        match (self.pollutant, self.averaging) {
            (Pollutant::O3, Averaging::EightHour) => "Ozone (8-hour)",
            (Pollutant::O3, _) => "Ozone (1-hour)",
            (p, _) => p.name_en(),
        }
    }
}

/// An AQI with its category, primary pollutants and every sub-index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AqiReport {
    pub scale: AqiScale,
    pub aqi: u16,
    pub category: Category,
    /// The pollutants whose sub-index equals the AQI, in HJ 633 Table 1 order; empty when the
    /// AQI is ≤ 50 (HJ 633's primary-pollutant rule, confirmed on CNEMC data; standards §2.4). Ties all listed.
    pub primary: Vec<Pollutant>,
    /// In HJ 633 Table 1 order.
    pub sub_indices: Vec<SubIndex>,
}

impl AqiReport {
    /// CNEMC's labels of the primary pollutants, e.g. `["颗粒物(PM10)", "细颗粒物(PM2.5)"]`.
    pub fn primary_labels_zh(&self) -> Vec<&'static str> {
        self.primary_sub_indices().map(SubIndex::label_zh).collect()
    }

    pub fn primary_labels_en(&self) -> Vec<&'static str> {
        self.primary_sub_indices().map(SubIndex::label_en).collect()
    }

    /// 超标污染物: pollutants with a sub-index above 100 (HJ 633; standards §2.4).
    pub fn exceeding(&self) -> Vec<Pollutant> {
        let mut out: Vec<Pollutant> = Vec::new();
        for s in self.sub_indices.iter().filter(|s| s.iaqi > 100) {
            if !out.contains(&s.pollutant) {
                out.push(s.pollutant);
            }
        }
        out
    }

    fn primary_sub_indices(&self) -> impl Iterator<Item = &SubIndex> {
        let aqi = self.aqi;
        let any = !self.primary.is_empty();
        self.sub_indices
            .iter()
            .filter(move |s| any && s.iaqi == aqi)
    }

    /// Assembles a report from sub-indices (AQI = max of the sub-indices on both scales; standards §2.2, §3).
    pub(crate) fn from_sub_indices(scale: AqiScale, sub_indices: Vec<SubIndex>) -> Self {
        let aqi = sub_indices.iter().map(|s| s.iaqi).max().unwrap_or(0);
        let mut primary = Vec::new();
        if aqi > 50 {
            for s in sub_indices.iter().filter(|s| s.iaqi == aqi) {
                if !primary.contains(&s.pollutant) {
                    primary.push(s.pollutant);
                }
            }
        }
        AqiReport {
            scale,
            aqi,
            category: category(scale, aqi),
            primary,
            sub_indices,
        }
    }
}

/// Why no AQI can be given.
#[derive(Debug, Clone, PartialEq)]
pub enum NoAqi {
    /// Required inputs were absent, in HJ 633 Table 1 order. For HJ 633 hourly, SO₂ is listed
    /// also when its 1-hour value is above 800 µg/m³ and the 24-hour mean that must replace it
    /// is absent.
    Missing(Vec<Pollutant>),
    /// A value that cannot be a concentration (negative, NaN or infinite), in canonical units.
    Invalid { pollutant: Pollutant, value: f64 },
}

impl NoAqi {
    pub fn reason_en(&self) -> String {
        match self {
            NoAqi::Missing(list) => {
                let names: Vec<&str> = list.iter().map(|p| p.label()).collect();
                format!("no AQI: missing data for {}", names.join(", "))
            }
            NoAqi::Invalid { pollutant, value } => {
                format!(
                    "no AQI: invalid {} value {value} (must be a finite number ≥ 0)",
                    pollutant.label()
                )
            }
        }
    }

    pub fn reason_zh(&self) -> String {
        match self {
            NoAqi::Missing(list) => {
                let names: Vec<&str> = list.iter().map(|p| p.name_zh()).collect();
                format!("无法计算AQI：缺少{}监测数据", names.join("、"))
            }
            NoAqi::Invalid { pollutant, value } => {
                format!(
                    "无法计算AQI：{}数据无效（{value}），应为非负有限数值",
                    pollutant.name_zh()
                )
            }
        }
    }
}

impl fmt::Display for NoAqi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason_en())
    }
}

impl std::error::Error for NoAqi {}

/// The hourly AQI on either scale.
pub fn hourly_aqi(scale: AqiScale, c: &HourlyConcentrations) -> Result<AqiReport, NoAqi> {
    match scale {
        AqiScale::Hj633 => hj633_hourly(c),
        AqiScale::UsEpa => us_epa_hourly(c),
    }
}

/// Collects sub-indices and problems while a report is computed, so that one error can name
/// every missing input at once.
pub(crate) struct Collector {
    subs: Vec<SubIndex>,
    missing: Vec<Pollutant>,
    invalid: Option<(Pollutant, f64)>,
}

impl Collector {
    pub(crate) fn new() -> Self {
        Self {
            subs: Vec::with_capacity(7),
            missing: Vec::new(),
            invalid: None,
        }
    }

    pub(crate) fn push(&mut self, s: SubIndex) {
        self.subs.push(s);
    }

    pub(crate) fn missing(&mut self, p: Pollutant) {
        if !self.missing.contains(&p) {
            self.missing.push(p);
        }
    }

    /// Returns the value if it is usable; records it as invalid otherwise.
    pub(crate) fn check(&mut self, p: Pollutant, value: f64) -> Option<f64> {
        if value.is_finite() && value >= 0.0 {
            Some(value)
        } else {
            if self.invalid.is_none() {
                self.invalid = Some((p, value));
            }
            None
        }
    }

    /// Records an absent input as missing and an invalid one as invalid; gives the usable value.
    pub(crate) fn require(&mut self, p: Pollutant, value: Option<f64>) -> Option<f64> {
        match value {
            None => {
                self.missing(p);
                None
            }
            Some(v) => self.check(p, v),
        }
    }

    pub(crate) fn last_mut(&mut self, p: Pollutant) -> Option<&mut SubIndex> {
        self.subs.iter_mut().rev().find(|s| s.pollutant == p)
    }

    pub(crate) fn finish(self, scale: AqiScale) -> Result<AqiReport, NoAqi> {
        if let Some((pollutant, value)) = self.invalid {
            return Err(NoAqi::Invalid { pollutant, value });
        }
        if !self.missing.is_empty() {
            let mut missing = self.missing;
            missing.sort_by_key(|p| Pollutant::ALL.iter().position(|q| q == p));
            return Err(NoAqi::Missing(missing));
        }
        Ok(AqiReport::from_sub_indices(scale, self.subs))
    }
}
