//! Surface-water quality class under GB 3838-2002 and the 2011 evaluation method
//! (《地表水环境质量评价办法（试行）》, 环办〔2011〕22号).
//!
//! The class of a sample is the worst class among its assessed items (single-factor method,
//! "参评的指标中类别最高的一项"). Limits are GB 3838-2002 Table 1, in mg/L except pH
//! (dimensionless) and fecal coliform (个/L). Which items are assessed is a [`Judgement`]:
//! automatic stations judge by five items, a full laboratory assessment by 21.

use crate::parameter::Parameter;
use crate::station::UnknownName;
use crate::units::Unit;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of water body; lakes and reservoirs have tighter total-phosphorus limits and are
/// the only ones judged on total nitrogen (GB 3838-2002 Table 1, items 8 and 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaterBody {
    River,
    Lake,
    Reservoir,
}

impl WaterBody {
    pub fn as_str(self) -> &'static str {
        match self {
            WaterBody::River => "river",
            WaterBody::Lake => "lake",
            WaterBody::Reservoir => "reservoir",
        }
    }

    pub fn is_lake_or_reservoir(self) -> bool {
        matches!(self, WaterBody::Lake | WaterBody::Reservoir)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            WaterBody::River => "河流",
            WaterBody::Lake => "湖泊",
            WaterBody::Reservoir => "水库",
        }
    }
}

impl FromStr for WaterBody {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "river" | "河流" | "河" => Ok(WaterBody::River),
            "lake" | "湖泊" | "湖" => Ok(WaterBody::Lake),
            "reservoir" | "水库" | "库" => Ok(WaterBody::Reservoir),
            _ => Err(UnknownName(s.to_string())),
        }
    }
}

/// Water-quality class; ordered from best (I) to worst (worse than V, 劣Ⅴ类).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WaterClass {
    I,
    II,
    III,
    IV,
    V,
    #[serde(rename = "worse_than_v")]
    WorseThanV,
}

impl WaterClass {
    pub const ALL: [WaterClass; 6] = [
        WaterClass::I,
        WaterClass::II,
        WaterClass::III,
        WaterClass::IV,
        WaterClass::V,
        WaterClass::WorseThanV,
    ];

    /// Stable ASCII code for URLs and the API: "I" … "V", "worse_than_v".
    pub fn as_str(self) -> &'static str {
        match self {
            WaterClass::I => "I",
            WaterClass::II => "II",
            WaterClass::III => "III",
            WaterClass::IV => "IV",
            WaterClass::V => "V",
            WaterClass::WorseThanV => "worse_than_v",
        }
    }

    /// "Ⅰ类" … "劣Ⅴ类", with the Roman-numeral characters official publications use.
    pub fn label_zh(self) -> &'static str {
        match self {
            WaterClass::I => "Ⅰ类",
            WaterClass::II => "Ⅱ类",
            WaterClass::III => "Ⅲ类",
            WaterClass::IV => "Ⅳ类",
            WaterClass::V => "Ⅴ类",
            WaterClass::WorseThanV => "劣Ⅴ类",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            WaterClass::I => "Class I",
            WaterClass::II => "Class II",
            WaterClass::III => "Class III",
            WaterClass::IV => "Class IV",
            WaterClass::V => "Class V",
            WaterClass::WorseThanV => "Worse than V",
        }
    }

    /// Short badge text: "I" … "V", "劣V".
    pub fn roman(self) -> &'static str {
        match self {
            WaterClass::WorseThanV => "劣V",
            other => other.as_str(),
        }
    }

    /// Map colour following the 2011 evaluation method's scheme: I–II blue, III green,
    /// IV yellow, V orange, worse than V red. (The method names the colours; the hex values are
    /// ours, chosen to be distinct and to match the AQI palette where the names coincide.)
    pub fn color(self) -> &'static str {
        match self {
            WaterClass::I | WaterClass::II => "#00A0E9",
            WaterClass::III => "#00B050",
            WaterClass::IV => "#FFFF00",
            WaterClass::V => "#FF7E00",
            WaterClass::WorseThanV => "#FF0000",
        }
    }

    /// Readable text colour on [`WaterClass::color`] (WCAG contrast ≥ 4.5, tested).
    pub fn text_color(self) -> &'static str {
        "#000000"
    }

    /// Qualitative grade of the 2011 method: I–II 优, III 良好, IV 轻度污染, V 中度污染,
    /// 劣V 重度污染.
    pub fn quality_zh(self) -> &'static str {
        match self {
            WaterClass::I | WaterClass::II => "优",
            WaterClass::III => "良好",
            WaterClass::IV => "轻度污染",
            WaterClass::V => "中度污染",
            WaterClass::WorseThanV => "重度污染",
        }
    }

    pub fn quality_en(self) -> &'static str {
        match self {
            WaterClass::I | WaterClass::II => "Excellent",
            WaterClass::III => "Good",
            WaterClass::IV => "Lightly polluted",
            WaterClass::V => "Moderately polluted",
            WaterClass::WorseThanV => "Heavily polluted",
        }
    }

    /// The uses a class is fit for (GB 3838-2002's functional classes, standards §4), abridged.
    pub fn function_zh(self) -> &'static str {
        match self {
            WaterClass::I => "源头水、国家自然保护区",
            WaterClass::II => "集中式生活饮用水地表水源地一级保护区、珍稀水生生物栖息地等",
            WaterClass::III => "集中式生活饮用水地表水源地二级保护区、渔业水域及游泳区",
            WaterClass::IV => "一般工业用水区及人体非直接接触的娱乐用水区",
            WaterClass::V => "农业用水区及一般景观要求水域",
            WaterClass::WorseThanV => "劣于Ⅴ类，基本丧失使用功能",
        }
    }

    pub fn function_en(self) -> &'static str {
        match self {
            WaterClass::I => "Headwaters and national nature reserves",
            WaterClass::II => {
                "First-grade drinking-water source protection zones, habitats of rare aquatic life"
            }
            WaterClass::III => {
                "Second-grade drinking-water source protection zones, fisheries and swimming"
            }
            WaterClass::IV => "General industrial use and recreation without direct body contact",
            WaterClass::V => "Agricultural use and general landscape",
            WaterClass::WorseThanV => "Worse than class V: unfit for most uses",
        }
    }
}

impl fmt::Display for WaterClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

impl FromStr for WaterClass {
    type Err = UnknownName;
    /// Accepts [`WaterClass::as_str`], [`WaterClass::roman`] and [`WaterClass::label_zh`]
    /// spellings (also with ASCII letters: "III类", "劣V类").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim();
        WaterClass::ALL
            .into_iter()
            .find(|c| {
                key.eq_ignore_ascii_case(c.as_str())
                    || key == c.roman()
                    || key == c.label_zh()
                    || key.strip_suffix('类') == Some(c.roman())
            })
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// The items of GB 3838-2002 Table 1 that are classed (all but water temperature, which has no
/// class limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaterItem {
    Ph,
    DissolvedOxygen,
    CodMn,
    Cod,
    Bod5,
    Nh3N,
    TotalPhosphorus,
    TotalNitrogen,
    Copper,
    Zinc,
    Fluoride,
    Selenium,
    Arsenic,
    Mercury,
    Cadmium,
    Chromium6,
    Lead,
    Cyanide,
    VolatilePhenol,
    Petroleum,
    /// 阴离子表面活性剂.
    Lnas,
    Sulfide,
    FecalColiform,
}

/// How a limit compares: most items must stay at or below it; DO must stay at or above it; pH
/// must stay within 6–9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    AtMost,
    AtLeast,
    Range,
}

impl WaterItem {
    /// In GB 3838-2002 Table 1 order.
    pub const ALL: [WaterItem; 23] = [
        WaterItem::Ph,
        WaterItem::DissolvedOxygen,
        WaterItem::CodMn,
        WaterItem::Cod,
        WaterItem::Bod5,
        WaterItem::Nh3N,
        WaterItem::TotalPhosphorus,
        WaterItem::TotalNitrogen,
        WaterItem::Copper,
        WaterItem::Zinc,
        WaterItem::Fluoride,
        WaterItem::Selenium,
        WaterItem::Arsenic,
        WaterItem::Mercury,
        WaterItem::Cadmium,
        WaterItem::Chromium6,
        WaterItem::Lead,
        WaterItem::Cyanide,
        WaterItem::VolatilePhenol,
        WaterItem::Petroleum,
        WaterItem::Lnas,
        WaterItem::Sulfide,
        WaterItem::FecalColiform,
    ];

    /// The water item a stored parameter is, if it is one.
    pub fn from_parameter(p: Parameter) -> Option<WaterItem> {
        match p {
            Parameter::Ph => Some(WaterItem::Ph),
            Parameter::DissolvedOxygen => Some(WaterItem::DissolvedOxygen),
            Parameter::CodMn => Some(WaterItem::CodMn),
            Parameter::Nh3N => Some(WaterItem::Nh3N),
            Parameter::TotalPhosphorus => Some(WaterItem::TotalPhosphorus),
            Parameter::TotalNitrogen => Some(WaterItem::TotalNitrogen),
            _ => None,
        }
    }

    /// The stored parameter for this item, for the items automatic stations measure.
    pub fn parameter(self) -> Option<Parameter> {
        Parameter::ALL
            .into_iter()
            .find(|p| WaterItem::from_parameter(*p) == Some(self))
    }

    pub fn kind(self) -> LimitKind {
        match self {
            WaterItem::Ph => LimitKind::Range,
            WaterItem::DissolvedOxygen => LimitKind::AtLeast,
            _ => LimitKind::AtMost,
        }
    }

    /// The unit of the limits; `None` for fecal coliform (个/L, not a [`Unit`]).
    pub fn unit(self) -> Option<Unit> {
        match self {
            WaterItem::Ph => Some(Unit::Ph),
            WaterItem::FecalColiform => None,
            _ => Some(Unit::MilligramsPerLitre),
        }
    }

    /// The unit as printed in GB 3838 ("mg/L", "无量纲", "个/L").
    pub fn unit_zh(self) -> &'static str {
        match self {
            WaterItem::Ph => "无量纲",
            WaterItem::FecalColiform => "个/L",
            _ => "mg/L",
        }
    }

    pub fn name_zh(self) -> &'static str {
        self.names().0
    }

    pub fn name_en(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            WaterItem::Ph => ("pH值", "pH"),
            WaterItem::DissolvedOxygen => ("溶解氧", "Dissolved oxygen"),
            WaterItem::CodMn => ("高锰酸盐指数", "Permanganate index"),
            WaterItem::Cod => ("化学需氧量", "Chemical oxygen demand"),
            WaterItem::Bod5 => ("五日生化需氧量", "Five-day biochemical oxygen demand"),
            WaterItem::Nh3N => ("氨氮", "Ammonia nitrogen"),
            WaterItem::TotalPhosphorus => ("总磷", "Total phosphorus"),
            WaterItem::TotalNitrogen => ("总氮", "Total nitrogen"),
            WaterItem::Copper => ("铜", "Copper"),
            WaterItem::Zinc => ("锌", "Zinc"),
            WaterItem::Fluoride => ("氟化物", "Fluoride"),
            WaterItem::Selenium => ("硒", "Selenium"),
            WaterItem::Arsenic => ("砷", "Arsenic"),
            WaterItem::Mercury => ("汞", "Mercury"),
            WaterItem::Cadmium => ("镉", "Cadmium"),
            WaterItem::Chromium6 => ("铬(六价)", "Chromium (hexavalent)"),
            WaterItem::Lead => ("铅", "Lead"),
            WaterItem::Cyanide => ("氰化物", "Cyanide"),
            WaterItem::VolatilePhenol => ("挥发酚", "Volatile phenols"),
            WaterItem::Petroleum => ("石油类", "Petroleum"),
            WaterItem::Lnas => ("阴离子表面活性剂", "Anionic surfactants"),
            WaterItem::Sulfide => ("硫化物", "Sulphide"),
            WaterItem::FecalColiform => ("粪大肠菌群", "Fecal coliforms"),
        }
    }

    /// The class I…V limits of GB 3838-2002 Table 1 (pH: the 6–9 range is handled apart).
    fn limits(self, body: WaterBody) -> [f64; 5] {
        match self {
            WaterItem::Ph => [9.0; 5],
            // Class I is "saturation 90 % (or 7.5)". Saturation needs temperature and pressure,
            // which a concentration alone does not give, so the 7.5 mg/L alternative is used.
            WaterItem::DissolvedOxygen => [7.5, 6.0, 5.0, 3.0, 2.0],
            WaterItem::CodMn => [2.0, 4.0, 6.0, 10.0, 15.0],
            WaterItem::Cod => [15.0, 15.0, 20.0, 30.0, 40.0],
            WaterItem::Bod5 => [3.0, 3.0, 4.0, 6.0, 10.0],
            WaterItem::Nh3N => [0.15, 0.5, 1.0, 1.5, 2.0],
            WaterItem::TotalPhosphorus if body.is_lake_or_reservoir() => {
                [0.01, 0.025, 0.05, 0.1, 0.2]
            }
            WaterItem::TotalPhosphorus => [0.02, 0.1, 0.2, 0.3, 0.4],
            WaterItem::TotalNitrogen => [0.2, 0.5, 1.0, 1.5, 2.0],
            WaterItem::Copper => [0.01, 1.0, 1.0, 1.0, 1.0],
            WaterItem::Zinc => [0.05, 1.0, 1.0, 2.0, 2.0],
            WaterItem::Fluoride => [1.0, 1.0, 1.0, 1.5, 1.5],
            WaterItem::Selenium => [0.01, 0.01, 0.01, 0.02, 0.02],
            WaterItem::Arsenic => [0.05, 0.05, 0.05, 0.1, 0.1],
            WaterItem::Mercury => [0.00005, 0.00005, 0.0001, 0.001, 0.001],
            WaterItem::Cadmium => [0.001, 0.005, 0.005, 0.005, 0.01],
            WaterItem::Chromium6 => [0.01, 0.05, 0.05, 0.05, 0.1],
            WaterItem::Lead => [0.01, 0.01, 0.05, 0.05, 0.1],
            WaterItem::Cyanide => [0.005, 0.05, 0.2, 0.2, 0.2],
            WaterItem::VolatilePhenol => [0.002, 0.002, 0.005, 0.01, 0.1],
            WaterItem::Petroleum => [0.05, 0.05, 0.05, 0.5, 1.0],
            WaterItem::Lnas => [0.2, 0.2, 0.2, 0.3, 0.3],
            WaterItem::Sulfide => [0.05, 0.1, 0.2, 0.5, 1.0],
            WaterItem::FecalColiform => [200.0, 2000.0, 10000.0, 20000.0, 40000.0],
        }
    }
}

/// pH range of every class (GB 3838-2002 Table 1 item 2).
pub const PH_RANGE: (f64, f64) = (6.0, 9.0);

/// The limit of `item` for `class` (`None` for [`WaterClass::WorseThanV`], which has no limit,
/// and for pH, whose limit is the range [`PH_RANGE`]).
pub fn limit(item: WaterItem, class: WaterClass, body: WaterBody) -> Option<f64> {
    let index = WaterClass::ALL[..5].iter().position(|c| *c == class)?;
    match item.kind() {
        LimitKind::Range => None,
        _ => Some(item.limits(body)[index]),
    }
}

/// Which items decide the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Judgement {
    /// Surface-water automatic stations: pH, DO, CODMn, NH₃-N, TP (CNEMC's real-time release).
    Automatic,
    /// The 2011 method: GB 3838 Table 1 except water temperature, total nitrogen and fecal
    /// coliform (21 items). For lakes and reservoirs total nitrogen is assessed separately
    /// ([`WaterAssessment::total_nitrogen`]) and does not change the class.
    Full,
}

impl Judgement {
    /// The items that decide the class, in Table 1 order.
    pub fn items(self) -> &'static [WaterItem] {
        const AUTOMATIC: [WaterItem; 5] = [
            WaterItem::Ph,
            WaterItem::DissolvedOxygen,
            WaterItem::CodMn,
            WaterItem::Nh3N,
            WaterItem::TotalPhosphorus,
        ];
        const FULL: [WaterItem; 21] = [
            WaterItem::Ph,
            WaterItem::DissolvedOxygen,
            WaterItem::CodMn,
            WaterItem::Cod,
            WaterItem::Bod5,
            WaterItem::Nh3N,
            WaterItem::TotalPhosphorus,
            WaterItem::Copper,
            WaterItem::Zinc,
            WaterItem::Fluoride,
            WaterItem::Selenium,
            WaterItem::Arsenic,
            WaterItem::Mercury,
            WaterItem::Cadmium,
            WaterItem::Chromium6,
            WaterItem::Lead,
            WaterItem::Cyanide,
            WaterItem::VolatilePhenol,
            WaterItem::Petroleum,
            WaterItem::Lnas,
            WaterItem::Sulfide,
        ];
        match self {
            Judgement::Automatic => &AUTOMATIC,
            Judgement::Full => &FULL,
        }
    }
}

/// One item's class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItemClass {
    pub item: WaterItem,
    pub value: f64,
    pub class: WaterClass,
}

/// The class of a sample and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterAssessment {
    /// The worst class among [`WaterAssessment::items`].
    pub class: WaterClass,
    /// Every item in that worst class (the "deciding" items), in Table 1 order.
    pub deciding: Vec<WaterItem>,
    /// The judged items present, in Table 1 order.
    pub items: Vec<ItemClass>,
    /// Items the judgement requires that were absent.
    pub missing: Vec<WaterItem>,
    /// Items present with a value that cannot be a measurement (negative, NaN, infinite; pH
    /// outside 0–14). They are left out of the class, not guessed.
    pub invalid: Vec<WaterItem>,
    /// Lakes and reservoirs: total nitrogen's own class, reported beside the section class and
    /// not part of it (2011 method). Always `None` for rivers.
    pub total_nitrogen: Option<ItemClass>,
}

impl WaterAssessment {
    /// Whether every required item was present and valid.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.invalid.is_empty()
    }
}

/// Whether a value can be a measurement of `item`.
pub fn is_valid_value(item: WaterItem, value: f64) -> bool {
    value.is_finite() && value >= 0.0 && (item != WaterItem::Ph || value <= 14.0)
}

/// The class of one item's value.
///
/// pH within 6–9 is class I, outside it worse than V (every class has the same 6–9 range, so a
/// pH outside it fails them all). DO: higher is better; class I from 7.5 mg/L. Other items: the
/// best class whose limit the value does not exceed; above the class V limit, worse than V.
/// A value that is not a measurement (see [`is_valid_value`]) is classed worse than V, so it
/// can never make water look better; [`assess`] keeps such values out altogether and
/// [`try_item_class`] returns `None` for them.
pub fn item_class(item: WaterItem, value: f64, body: WaterBody) -> WaterClass {
    try_item_class(item, value, body).unwrap_or(WaterClass::WorseThanV)
}

/// [`item_class`], or `None` when the value is not a measurement.
pub fn try_item_class(item: WaterItem, value: f64, body: WaterBody) -> Option<WaterClass> {
    if !is_valid_value(item, value) {
        return None;
    }
    let limits = item.limits(body);
    let class = match item.kind() {
        LimitKind::Range => {
            if (PH_RANGE.0..=PH_RANGE.1).contains(&value) {
                WaterClass::I
            } else {
                WaterClass::WorseThanV
            }
        }
        LimitKind::AtLeast => first_class(|i| value >= limits[i]),
        LimitKind::AtMost => first_class(|i| value <= limits[i]),
    };
    Some(class)
}

fn first_class(meets: impl Fn(usize) -> bool) -> WaterClass {
    (0..5)
        .find(|&i| meets(i))
        .map_or(WaterClass::WorseThanV, |i| WaterClass::ALL[i])
}

/// Assesses a sample (GB 3838-2002 single-factor method).
///
/// Only the items of `judgement` count; other items in `sample` are ignored (total nitrogen is
/// reported separately for lakes and reservoirs). If an item appears twice, the first value
/// counts. Returns `None` only when no judged item has a valid value.
pub fn assess(
    sample: &[(WaterItem, f64)],
    body: WaterBody,
    judgement: Judgement,
) -> Option<WaterAssessment> {
    let first = |item: WaterItem| sample.iter().find(|(i, _)| *i == item).map(|(_, v)| *v);
    let mut items = Vec::new();
    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    for &item in judgement.items() {
        match first(item) {
            None => missing.push(item),
            Some(value) => match try_item_class(item, value, body) {
                Some(class) => items.push(ItemClass { item, value, class }),
                None => invalid.push(item),
            },
        }
    }
    let class = items.iter().map(|i| i.class).max()?;
    let deciding = items
        .iter()
        .filter(|i| i.class == class)
        .map(|i| i.item)
        .collect();
    let total_nitrogen = if body.is_lake_or_reservoir() {
        first(WaterItem::TotalNitrogen).and_then(|value| {
            try_item_class(WaterItem::TotalNitrogen, value, body).map(|class| ItemClass {
                item: WaterItem::TotalNitrogen,
                value,
                class,
            })
        })
    } else {
        None
    };
    Some(WaterAssessment {
        class,
        deciding,
        items,
        missing,
        invalid,
        total_nitrogen,
    })
}

/// 超标倍数: how many times the value exceeds the limit of `target` class, `(C − S) / S`
/// (CNEMC's and the 2011 method's formula; the target is usually class III or the section's
/// water-function goal). `None` when the value is within the limit, when `target` is worse than
/// V (no limit), when the value is not a measurement, and for pH and DO: the 2011 method does
/// not compute a multiple for water temperature, pH or dissolved oxygen, whose "exceedance" is
/// a fall below or a departure from a range rather than a multiple of a limit.
pub fn exceedance_multiple(
    item: WaterItem,
    value: f64,
    target: WaterClass,
    body: WaterBody,
) -> Option<f64> {
    if item.kind() != LimitKind::AtMost || !is_valid_value(item, value) {
        return None;
    }
    let s = limit(item, target, body)?;
    (value > s).then(|| (value - s) / s)
}

#[cfg(test)]
mod tests;
