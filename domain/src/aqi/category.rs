//! AQI categories: level, colour and the public health message.
//!
//! HJ 633-2012 Table 2 wording is reproduced exactly (it is what Chinese readers see on every
//! official site); the English is our translation. EPA categories use AirNow's English wording
//! with our Chinese translation. Text colours are chosen for WCAG contrast ≥ 4.5 on each colour
//! (checked by a test).

use super::AqiScale;
use serde::Serialize;

/// One AQI category (级别) with everything a page shows about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    pub scale: AqiScale,
    /// 1 (best) ..= 6 (worst).
    pub level: u8,
    /// Background colour, `#RRGGBB` (HJ 633 Appendix A RGB / EPA AQI colours).
    pub color: &'static str,
    /// Readable text colour on [`Category::color`]: `#000000` or `#FFFFFF`.
    pub text_color: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub health_zh: &'static str,
    pub health_en: &'static str,
    pub advice_zh: &'static str,
    pub advice_en: &'static str,
}

impl Category {
    /// HJ 633's level name: 一级 … 六级.
    pub fn level_zh(&self) -> &'static str {
        match self.level {
            1 => "一级",
            2 => "二级",
            3 => "三级",
            4 => "四级",
            5 => "五级",
            _ => "六级",
        }
    }

    /// The AQI range of this category, e.g. `(101, 150)`; the last level ends at 500.
    pub fn range(&self) -> (u16, u16) {
        match self.level {
            1 => (0, 50),
            2 => (51, 100),
            3 => (101, 150),
            4 => (151, 200),
            5 => (201, 300),
            _ => (301, 500),
        }
    }
}

const BLACK: &str = "#000000";
const WHITE: &str = "#FFFFFF";

/// The category of an AQI value. Both scales share the level boundaries 50/100/150/200/300;
/// anything above 300 is level 6.
pub fn category(scale: AqiScale, aqi: u16) -> Category {
    let level = level_of(aqi);
    let index = usize::from(level - 1);
    match scale {
        AqiScale::Hj633 => HJ633_CATEGORIES[index],
        AqiScale::UsEpa => EPA_CATEGORIES[index],
    }
}

/// The level (1..=6) for an AQI value.
pub fn level_of(aqi: u16) -> u8 {
    match aqi {
        0..=50 => 1,
        51..=100 => 2,
        101..=150 => 3,
        151..=200 => 4,
        201..=300 => 5,
        _ => 6,
    }
}

const fn hj(
    level: u8,
    color: &'static str,
    text_color: &'static str,
    names: (&'static str, &'static str),
    health: (&'static str, &'static str),
    advice: (&'static str, &'static str),
) -> Category {
    Category {
        scale: AqiScale::Hj633,
        level,
        color,
        text_color,
        name_zh: names.0,
        name_en: names.1,
        health_zh: health.0,
        health_en: health.1,
        advice_zh: advice.0,
        advice_en: advice.1,
    }
}

/// HJ 633-2012 Table 2.
const HJ633_CATEGORIES: [Category; 6] = [
    hj(
        1,
        "#00E400",
        BLACK,
        ("优", "Excellent"),
        (
            "空气质量令人满意，基本无空气污染",
            "Air quality is satisfactory; there is basically no air pollution.",
        ),
        ("各类人群可正常活动", "Everyone can carry on normal activities."),
    ),
    hj(
        2,
        "#FFFF00",
        BLACK,
        ("良", "Good"),
        (
            "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
            "Air quality is acceptable, but some pollutants may have a weak effect on the health \
             of a very small number of unusually sensitive people.",
        ),
        (
            "极少数异常敏感人群应减少户外活动",
            "A very small number of unusually sensitive people should reduce outdoor activities.",
        ),
    ),
    hj(
        3,
        "#FF7E00",
        BLACK,
        ("轻度污染", "Lightly polluted"),
        (
            "易感人群症状有轻度加剧，健康人群出现刺激症状",
            "Symptoms of susceptible people are slightly aggravated; healthy people show \
             symptoms of irritation.",
        ),
        (
            "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
            "Children, the elderly and people with heart or respiratory disease should reduce \
             prolonged or intense outdoor exercise.",
        ),
    ),
    hj(
        4,
        "#FF0000",
        BLACK,
        ("中度污染", "Moderately polluted"),
        (
            "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
            "Symptoms of susceptible people are further aggravated; the heart and respiratory \
             system of healthy people may be affected.",
        ),
        (
            "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动",
            "Children, the elderly and people with heart or respiratory disease should avoid \
             prolonged or intense outdoor exercise; everyone else should moderately reduce \
             outdoor exercise.",
        ),
    ),
    hj(
        5,
        "#99004C",
        WHITE,
        ("重度污染", "Heavily polluted"),
        (
            "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
            "Symptoms of people with heart or lung disease are markedly aggravated and their \
             exercise tolerance falls; healthy people commonly show symptoms.",
        ),
        (
            "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
            "Children, the elderly and people with heart or lung disease should stay indoors and \
             stop outdoor exercise; everyone else should reduce outdoor exercise.",
        ),
    ),
    hj(
        6,
        "#7E0023",
        WHITE,
        ("严重污染", "Severely polluted"),
        (
            "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
            "Healthy people's exercise tolerance falls, with marked and strong symptoms; some \
             diseases appear early.",
        ),
        (
            "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
            "Children, the elderly and the sick should stay indoors and avoid physical exertion; \
             everyone else should avoid outdoor activities.",
        ),
    ),
];

const fn epa(
    level: u8,
    color: &'static str,
    text_color: &'static str,
    names: (&'static str, &'static str),
    health: (&'static str, &'static str),
    advice: (&'static str, &'static str),
) -> Category {
    Category {
        scale: AqiScale::UsEpa,
        ..hj(level, color, text_color, names, health, advice)
    }
}

/// US EPA categories (AirNow wording; Chinese is our translation).
const EPA_CATEGORIES: [Category; 6] = [
    epa(
        1,
        "#00E400",
        BLACK,
        ("良好", "Good"),
        (
            "空气质量令人满意，空气污染几乎没有风险",
            "Air quality is satisfactory, and air pollution poses little or no risk.",
        ),
        ("适合户外活动", "It is a good day to be active outside."),
    ),
    epa(
        2,
        "#FFFF00",
        BLACK,
        ("中等", "Moderate"),
        (
            "空气质量可接受，但对少数对空气污染异常敏感的人可能存在风险",
            "Air quality is acceptable. However, there may be a risk for some people, \
             particularly those who are unusually sensitive to air pollution.",
        ),
        (
            "异常敏感人群可考虑缩短户外活动时间、降低强度",
            "Unusually sensitive people should consider making outdoor activities shorter and \
             less intense.",
        ),
    ),
    epa(
        3,
        "#FF7E00",
        BLACK,
        ("对敏感人群不健康", "Unhealthy for Sensitive Groups"),
        (
            "敏感人群可能受到健康影响，一般公众受影响的可能性较小",
            "Members of sensitive groups may experience health effects. The general public is \
             less likely to be affected.",
        ),
        (
            "敏感人群应缩短户外活动时间、降低强度，多休息",
            "Sensitive groups should make outdoor activities shorter and less intense, and take \
             more breaks.",
        ),
    ),
    epa(
        4,
        "#FF0000",
        BLACK,
        ("不健康", "Unhealthy"),
        (
            "部分公众可能受到健康影响，敏感人群可能受到更严重的影响",
            "Some members of the general public may experience health effects; members of \
             sensitive groups may experience more serious health effects.",
        ),
        (
            "敏感人群避免长时间或高强度户外活动，其他人减少长时间或高强度户外活动",
            "Sensitive groups should avoid long or intense outdoor activities; everyone else \
             should reduce them.",
        ),
    ),
    epa(
        5,
        "#8F3F97",
        WHITE,
        ("非常不健康", "Very Unhealthy"),
        (
            "健康警报：所有人受到健康影响的风险都有所增加",
            "Health alert: the risk of health effects is increased for everyone.",
        ),
        (
            "敏感人群避免一切户外体力活动，其他人避免长时间或高强度户外活动",
            "Sensitive groups should avoid all physical activity outdoors; everyone else should \
             avoid long or intense outdoor activities.",
        ),
    ),
    epa(
        6,
        "#7E0023",
        WHITE,
        ("危险", "Hazardous"),
        (
            "紧急状况健康警告：所有人都更可能受到影响",
            "Health warning of emergency conditions: everyone is more likely to be affected.",
        ),
        (
            "所有人避免一切户外体力活动",
            "Everyone should avoid all physical activity outdoors.",
        ),
    ),
];

/// WCAG 2 contrast ratio between two `#RRGGBB` colours (test helper, also used by `water`).
#[cfg(test)]
pub(crate) fn contrast_ratio(a: &str, b: &str) -> f64 {
    fn channel(hex: &str, i: usize) -> f64 {
        let v = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(hex: &str) -> f64 {
        0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hj633_levels_colours_and_boundaries() {
        let cases: &[(u16, u8, &str, &str)] = &[
            (0, 1, "#00E400", "优"),
            (50, 1, "#00E400", "优"),
            (51, 2, "#FFFF00", "良"),
            (100, 2, "#FFFF00", "良"),
            (101, 3, "#FF7E00", "轻度污染"),
            (150, 3, "#FF7E00", "轻度污染"),
            (151, 4, "#FF0000", "中度污染"),
            (200, 4, "#FF0000", "中度污染"),
            (201, 5, "#99004C", "重度污染"),
            (300, 5, "#99004C", "重度污染"),
            (301, 6, "#7E0023", "严重污染"),
            (500, 6, "#7E0023", "严重污染"),
            (u16::MAX, 6, "#7E0023", "严重污染"),
        ];
        for &(aqi, level, color, name) in cases {
            let c = category(AqiScale::Hj633, aqi);
            assert_eq!((c.level, c.color, c.name_zh), (level, color, name), "{aqi}");
        }
        let c = category(AqiScale::Hj633, 160);
        assert_eq!(c.level_zh(), "四级");
        assert_eq!(
            c.advice_zh,
            "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动"
        );
        assert_eq!(
            category(AqiScale::Hj633, 20).health_zh,
            "空气质量令人满意，基本无空气污染"
        );
    }

    #[test]
    fn epa_levels_and_colours() {
        let cases: &[(u16, &str, &str)] = &[
            (50, "Good", "#00E400"),
            (51, "Moderate", "#FFFF00"),
            (101, "Unhealthy for Sensitive Groups", "#FF7E00"),
            (151, "Unhealthy", "#FF0000"),
            (201, "Very Unhealthy", "#8F3F97"),
            (301, "Hazardous", "#7E0023"),
        ];
        for &(aqi, name, color) in cases {
            let c = category(AqiScale::UsEpa, aqi);
            assert_eq!(
                (c.name_en, c.color, c.scale),
                (name, color, AqiScale::UsEpa)
            );
        }
    }

    #[test]
    fn text_is_readable_on_every_colour() {
        for scale in [AqiScale::Hj633, AqiScale::UsEpa] {
            for aqi in [0, 51, 101, 151, 201, 301] {
                let c = category(scale, aqi);
                assert!(
                    contrast_ratio(c.color, c.text_color) >= 4.5,
                    "{scale:?} level {}",
                    c.level
                );
            }
        }
    }

    #[test]
    fn ranges_match_levels() {
        for aqi in 0..=500u16 {
            let (lo, hi) = category(AqiScale::Hj633, aqi).range();
            assert!(lo <= aqi && aqi <= hi, "{aqi}");
        }
    }
}
