//! Every piece of text a person reads goes through here. Chinese (zh-CN) is the default,
//! English the second language. Texts are plain structs so that a missing translation is a
//! compile error, not a blank on screen.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// The cookie that remembers the visitor's choice.
pub const LANG_COOKIE: &str = "daylight_lang";

impl Lang {
    /// The BCP 47 tag used in `<html lang>`, which is also how the browser learns the
    /// language when it hydrates.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The short code used in URLs and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Self::Zh),
            "en" | "en-us" | "en-gb" => Some(Self::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Self::Zh => &ZH,
            Self::En => &EN,
        }
    }

    /// Picks one of a pair of texts that come with the domain (standards' official wording).
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    pub fn updated_ago(self, seconds: i64) -> String {
        let minutes = seconds.max(0) / 60;
        match (self, minutes) {
            (Self::Zh, 0) => "刚刚更新".into(),
            (Self::En, 0) => "updated just now".into(),
            (Self::Zh, m) if m < 120 => format!("{m} 分钟前更新"),
            (Self::En, m) if m < 120 => format!("updated {m} min ago"),
            (Self::Zh, m) => format!("{} 小时前更新", m / 60),
            (Self::En, m) => format!("updated {} h ago", m / 60),
        }
    }

    pub fn distance(self, metres: f64) -> String {
        let km = metres / 1000.0;
        match self {
            Self::Zh => format!("{km:.1} 公里"),
            Self::En => format!("{km:.1} km"),
        }
    }

    pub fn hours_window(self, hours: u32) -> String {
        match self {
            Self::Zh => format!("最近 {hours} 小时"),
            Self::En => format!("last {hours} hours"),
        }
    }
}

/// The language of the page being rendered, provided by [`crate::App`].
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

pub fn use_texts() -> &'static Texts {
    use_lang().t()
}

/// All fixed texts of the interface.
pub struct Texts {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub switch_language: &'static str,
    pub nav_map: &'static str,
    pub air_quality: &'static str,
    pub water_quality: &'static str,
    pub air_stations: &'static str,
    pub water_sections: &'static str,
    pub station_list: &'static str,
    pub map_label: &'static str,
    pub map_loading: &'static str,
    pub legend: &'static str,
    pub near_me: &'static str,
    pub live_on: &'static str,
    pub live_off: &'static str,
    pub near_me_locating: &'static str,
    pub near_me_denied: &'static str,
    pub nearest_station: &'static str,
    pub col_station: &'static str,
    pub col_district: &'static str,
    pub col_aqi: &'static str,
    pub col_category: &'static str,
    pub col_primary: &'static str,
    pub col_class: &'static str,
    pub col_deciding: &'static str,
    pub col_time: &'static str,
    pub col_parameter: &'static str,
    pub col_value: &'static str,
    pub col_iaqi: &'static str,
    pub col_flag: &'static str,
    pub col_source: &'static str,
    pub aqi: &'static str,
    pub primary_pollutant: &'static str,
    pub no_primary: &'static str,
    pub health_effects: &'static str,
    pub advice: &'static str,
    pub as_of: &'static str,
    pub trend_24h: &'static str,
    pub trend_water: &'static str,
    pub no_data: &'static str,
    pub no_aqi: &'static str,
    pub water_class: &'static str,
    pub deciding_items: &'static str,
    pub target_class: &'static str,
    pub water_judgement_auto: &'static str,
    pub position_approximate: &'static str,
    pub source_measured: &'static str,
    pub source_replayed: &'static str,
    pub source_simulated: &'static str,
    pub source_self_reported: &'static str,
    pub simulated_banner: &'static str,
    pub attribution: &'static str,
    pub data_source: &'static str,
    pub provenance: &'static str,
    pub district: &'static str,
    pub river: &'static str,
    pub water_body: &'static str,
    pub river_kind: &'static str,
    pub lake_kind: &'static str,
    pub reservoir_kind: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_map: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub flags_title: &'static str,
    pub flag_normal: &'static str,
    pub flag_other: &'static str,
    pub api_link: &'static str,
    /// The citable-snapshot button of a station page, and what it does.
    pub cite_button: &'static str,
    pub cite_hint: &'static str,
    pub missing_items: &'static str,
    pub aqi_scale_note: &'static str,
    pub chart_label: &'static str,
    pub position: &'static str,
    pub aqi_scale_note_epa: &'static str,
    pub show_hj633: &'static str,
    pub show_us_epa: &'static str,
    pub scale_hj633: &'static str,
    pub scale_us_epa: &'static str,
    pub level: &'static str,
    pub embed_brand: &'static str,
    pub embed_attribution: &'static str,
    pub embed_full_page: &'static str,
    pub embed_new_tab: &'static str,
    pub embed_not_found_title: &'static str,
    pub embed_not_found_body: &'static str,
}

pub static ZH: Texts = Texts {
    site_name: "阳光环境",
    tagline: "西安环境信息公开平台",
    switch_language: "English",
    nav_map: "地图",
    air_quality: "空气质量",
    water_quality: "地表水水质",
    air_stations: "空气质量监测站",
    water_sections: "地表水监测断面",
    station_list: "站点列表",
    map_label: "西安空气与水质地图",
    map_loading: "地图加载中……（下方列表无需脚本即可使用）",
    legend: "图例",
    near_me: "离我最近",
    live_on: "● 实时",
    live_off: "○ 实时连接中断，正在重连",
    near_me_locating: "正在定位……",
    near_me_denied: "无法获取位置：请允许浏览器使用定位。",
    nearest_station: "最近的站点",
    col_station: "站点",
    col_district: "区县",
    col_aqi: "AQI",
    col_category: "类别",
    col_primary: "首要污染物",
    col_class: "水质类别",
    col_deciding: "定类项目",
    col_time: "时间",
    col_parameter: "项目",
    col_value: "浓度",
    col_iaqi: "分指数",
    col_flag: "数据标记",
    col_source: "来源",
    aqi: "空气质量指数",
    primary_pollutant: "首要污染物",
    no_primary: "无（AQI ≤ 50）",
    health_effects: "对健康影响",
    advice: "建议采取的措施",
    as_of: "数据时间",
    trend_24h: "最近 24 小时 AQI",
    trend_water: "最近 48 小时水质类别",
    no_data: "暂无数据",
    no_aqi: "本小时无法计算 AQI",
    water_class: "水质类别",
    deciding_items: "定类项目",
    target_class: "目标类别",
    water_judgement_auto: "按自动站五项（pH、溶解氧、高锰酸盐指数、氨氮、总磷）评价，GB 3838-2002",
    position_approximate: "位置为近似值（根据公开描述推定）",
    source_measured: "实测",
    source_replayed: "回放",
    source_simulated: "模拟",
    source_self_reported: "企业自报",
    simulated_banner: "演示模式：标有“模拟”的数值由演示程序生成，并非真实监测数据。",
    attribution: "数据来源：中国环境监测总站 (CNEMC)",
    data_source: "数据来源",
    provenance: "站点信息来源",
    district: "区县",
    river: "河流",
    water_body: "水体类型",
    river_kind: "河流",
    lake_kind: "湖泊",
    reservoir_kind: "水库",
    not_found_title: "找不到该页面",
    not_found_body: "您要找的页面或站点不存在。",
    back_to_map: "返回地图",
    error_title: "出错了",
    error_body: "暂时无法读取数据，请稍后重试。",
    flags_title:
        "数据标记说明：N 正常；F 停运；M 维护；S 手工输入；D 故障；C 校准；T 超量程；B 通讯异常",
    flag_normal: "正常",
    flag_other: "异常",
    api_link: "数据接口 (JSON)",
    cite_button: "引用",
    cite_hint: "生成一个固定链接，冻结此刻显示的数据，可在文章中引用。",
    missing_items: "缺测项目",
    aqi_scale_note: "按 HJ 633-2012 实时报计算（1 小时浓度；颗粒物按 24 小时浓度限值）",
    chart_label: "趋势图",
    position: "坐标",
    aqi_scale_note_epa: "按美国 EPA AQI（2024 年修订）计算：1 小时浓度套用其 24 小时（颗粒物）和 8 小时（一氧化碳）限值，为近似值，并非 EPA 的 NowCast。",
    show_hj633: "改用中国标准 (HJ 633)",
    show_us_epa: "改用美国 EPA 标准",
    scale_hj633: "中国 HJ 633-2012",
    scale_us_epa: "美国 EPA (2024)",
    level: "级别",
    embed_brand: "阳光环境 Daylight",
    embed_attribution: "数据来源：中国环境监测总站",
    embed_full_page: "完整页面",
    embed_new_tab: "（在新标签页打开）",
    embed_not_found_title: "找不到该站点",
    embed_not_found_body: "没有这个编码的监测站点或断面，请检查嵌入代码。",
};

pub static EN: Texts = Texts {
    site_name: "Daylight",
    tagline: "Xi'an environmental disclosure portal",
    switch_language: "中文",
    nav_map: "Map",
    air_quality: "Air quality",
    water_quality: "Surface water",
    air_stations: "Air monitoring stations",
    water_sections: "Surface-water sections",
    station_list: "Station list",
    map_label: "Map of air and water quality in Xi'an",
    map_loading: "Loading the map… (the list below works without scripts)",
    legend: "Legend",
    near_me: "Near me",
    live_on: "● Live",
    live_off: "○ Live connection lost, reconnecting",
    near_me_locating: "Locating…",
    near_me_denied: "Could not get your location: please allow location access.",
    nearest_station: "Nearest station",
    col_station: "Station",
    col_district: "District",
    col_aqi: "AQI",
    col_category: "Category",
    col_primary: "Primary pollutant",
    col_class: "Class",
    col_deciding: "Deciding items",
    col_time: "Time",
    col_parameter: "Parameter",
    col_value: "Value",
    col_iaqi: "Sub-index",
    col_flag: "Flag",
    col_source: "Source",
    aqi: "Air Quality Index",
    primary_pollutant: "Primary pollutant",
    no_primary: "none (AQI ≤ 50)",
    health_effects: "Health effects",
    advice: "Advice",
    as_of: "As of",
    trend_24h: "AQI, last 24 hours",
    trend_water: "Water class, last 48 hours",
    no_data: "No data yet",
    no_aqi: "No AQI for this hour",
    water_class: "Water class",
    deciding_items: "Deciding items",
    target_class: "Target class",
    water_judgement_auto: "Judged on the five automatic-station items (pH, DO, CODMn, NH3-N, TP), GB 3838-2002",
    position_approximate: "Approximate position (worked out from public descriptions)",
    source_measured: "measured",
    source_replayed: "replayed",
    source_simulated: "simulated",
    source_self_reported: "self-reported",
    simulated_banner: "Demo mode: values marked “simulated” are generated by the demo feed, not real measurements.",
    attribution: "Data: China National Environmental Monitoring Centre (CNEMC)",
    data_source: "Data source",
    provenance: "Station information from",
    district: "District",
    river: "River",
    water_body: "Water body",
    river_kind: "river",
    lake_kind: "lake",
    reservoir_kind: "reservoir",
    not_found_title: "Page not found",
    not_found_body: "The page or station you are looking for does not exist.",
    back_to_map: "Back to the map",
    error_title: "Something went wrong",
    error_body: "The data cannot be read right now. Please try again shortly.",
    flags_title: "Data flags: N normal; F stopped; M maintenance; S manual entry; D fault; C calibration; T over range; B communication failure",
    flag_normal: "normal",
    flag_other: "flagged",
    api_link: "Data API (JSON)",
    cite_button: "Cite",
    cite_hint: "Makes a permanent link that freezes the values shown now, for citing in an article.",
    missing_items: "Missing items",
    aqi_scale_note: "Computed as the HJ 633-2012 real-time report (1-hour values; particulates on the 24-hour breakpoints)",
    chart_label: "Trend chart",
    position: "Position",
    aqi_scale_note_epa: "Computed on the US EPA AQI (2024 revision): 1-hour values on its 24-hour (particulates) and 8-hour (CO) breakpoints, an approximation, not EPA's NowCast.",
    show_hj633: "Use China's scale (HJ 633)",
    show_us_epa: "Use the US EPA scale",
    scale_hj633: "China HJ 633-2012",
    scale_us_epa: "US EPA (2024)",
    level: "Level",
    embed_brand: "Daylight",
    embed_attribution: "Data: CNEMC",
    embed_full_page: "Full page",
    embed_new_tab: " (opens in a new tab)",
    embed_not_found_title: "Station not found",
    embed_not_found_body: "There is no monitoring station or section with this code; please check the embed code.",
};
