//! Environmental noise limits of GB 3096-2008 (声环境质量标准).
//!
//! Limits are the equivalent continuous A-weighted sound level L_Aeq in dB(A), by functional
//! zone and period (Table 1; standards §5). Day is 06:00–22:00 and night 22:00–06:00 local time,
//! unless the county-level government sets other hours (GB 3096-2008's definitions of 昼间 and
//! 夜间, quoted from memory in the reference notes).

use crate::station::UnknownName;
use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Acoustic functional zone (声环境功能区, GB 3096-2008).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NoiseZone {
    #[serde(rename = "0")]
    Class0,
    #[serde(rename = "1")]
    Class1,
    #[serde(rename = "2")]
    Class2,
    #[serde(rename = "3")]
    Class3,
    #[serde(rename = "4a")]
    Class4a,
    #[serde(rename = "4b")]
    Class4b,
}

/// Day (06:00–22:00) or night (22:00–06:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoisePeriod {
    Day,
    Night,
}

impl NoisePeriod {
    /// The period a local time falls in: 06:00 ≤ t < 22:00 is day.
    pub fn of_local_time(t: NaiveTime) -> NoisePeriod {
        if (6..22).contains(&t.hour()) {
            NoisePeriod::Day
        } else {
            NoisePeriod::Night
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            NoisePeriod::Day => "昼间",
            NoisePeriod::Night => "夜间",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            NoisePeriod::Day => "Day",
            NoisePeriod::Night => "Night",
        }
    }
}

impl NoiseZone {
    pub const ALL: [NoiseZone; 6] = [
        NoiseZone::Class0,
        NoiseZone::Class1,
        NoiseZone::Class2,
        NoiseZone::Class3,
        NoiseZone::Class4a,
        NoiseZone::Class4b,
    ];

    /// "0", "1", "2", "3", "4a", "4b".
    pub fn as_str(self) -> &'static str {
        match self {
            NoiseZone::Class0 => "0",
            NoiseZone::Class1 => "1",
            NoiseZone::Class2 => "2",
            NoiseZone::Class3 => "3",
            NoiseZone::Class4a => "4a",
            NoiseZone::Class4b => "4b",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            NoiseZone::Class0 => "0类声环境功能区",
            NoiseZone::Class1 => "1类声环境功能区",
            NoiseZone::Class2 => "2类声环境功能区",
            NoiseZone::Class3 => "3类声环境功能区",
            NoiseZone::Class4a => "4a类声环境功能区",
            NoiseZone::Class4b => "4b类声环境功能区",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            NoiseZone::Class0 => "Class 0 zone",
            NoiseZone::Class1 => "Class 1 zone",
            NoiseZone::Class2 => "Class 2 zone",
            NoiseZone::Class3 => "Class 3 zone",
            NoiseZone::Class4a => "Class 4a zone",
            NoiseZone::Class4b => "Class 4b zone",
        }
    }

    /// What the zone is for (GB 3096-2008), abridged.
    pub fn description_zh(self) -> &'static str {
        match self {
            NoiseZone::Class0 => "康复疗养区等特别需要安静的区域",
            NoiseZone::Class1 => "以居民住宅、医疗卫生、文化教育、科研设计、行政办公为主要功能的区域",
            NoiseZone::Class2 => "以商业金融、集市贸易为主要功能，或者居住、商业、工业混杂的区域",
            NoiseZone::Class3 => "以工业生产、仓储物流为主要功能的区域",
            NoiseZone::Class4a => "高速公路、一级公路、二级公路、城市快速路、城市主干路、城市次干路、城市轨道交通（地面段）、内河航道两侧区域",
            NoiseZone::Class4b => "铁路干线两侧区域",
        }
    }

    pub fn description_en(self) -> &'static str {
        match self {
            NoiseZone::Class0 => "Areas that need particular quiet, such as convalescent homes",
            NoiseZone::Class1 => "Mainly housing, health care, education, research and offices",
            NoiseZone::Class2 => {
                "Mainly commerce and markets, or mixed housing, commerce and industry"
            }
            NoiseZone::Class3 => "Mainly industry, warehousing and logistics",
            NoiseZone::Class4a => {
                "Both sides of highways, arterial roads, surface urban rail and inland waterways"
            }
            NoiseZone::Class4b => "Both sides of trunk railways",
        }
    }
}

impl fmt::Display for NoiseZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoiseZone {
    type Err = UnknownName;
    /// "0" … "4b", also with "类" or a "class" prefix ("4a类", "class 4a"), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let key = lower
            .trim_start_matches("class")
            .trim()
            .trim_end_matches("类声环境功能区")
            .trim_end_matches('类');
        NoiseZone::ALL
            .into_iter()
            .find(|z| z.as_str() == key)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// The L_Aeq limit, dB(A) (GB 3096-2008 Table 1). Class 4b's night limit of 60 applies to
/// railway trunk lines whose environmental impact assessment was approved from 2011-01-01;
/// older lines passing through towns are held to 70/55 without trains (notes to Table 1; standards §5).
pub fn limit(zone: NoiseZone, period: NoisePeriod) -> f64 {
    let (day, night) = match zone {
        NoiseZone::Class0 => (50.0, 40.0),
        NoiseZone::Class1 => (55.0, 45.0),
        NoiseZone::Class2 => (60.0, 50.0),
        NoiseZone::Class3 => (65.0, 55.0),
        NoiseZone::Class4a => (70.0, 55.0),
        NoiseZone::Class4b => (70.0, 60.0),
    };
    match period {
        NoisePeriod::Day => day,
        NoisePeriod::Night => night,
    }
}

/// dB(A) above the limit, `None` when within it or when `leq` is not a finite number.
pub fn exceedance(zone: NoiseZone, period: NoisePeriod, leq: f64) -> Option<f64> {
    let l = limit(zone, period);
    (leq.is_finite() && leq > l).then_some(leq - l)
}

/// The highest sporadic (突发) noise L_max allowed at night: the limit + 15 dB(A)
/// (GB 3096-2008; standards §5).
pub fn night_sporadic_lmax_limit(zone: NoiseZone) -> f64 {
    limit(zone, NoisePeriod::Night) + 15.0
}

#[cfg(test)]
mod tests;
