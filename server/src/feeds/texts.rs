//! The feeds' words in both languages (the feeds are XML, not Leptos pages, so they do not
//! go through `daylight_app::i18n`; the pairs live here, in one place).

use daylight_app::i18n::Lang;

pub struct FeedTexts {
    pub xml_lang: &'static str,
    pub alerts_title: &'static str,
    pub alerts_subtitle: &'static str,
    pub complaints_title: &'static str,
    pub complaints_subtitle: &'static str,
    pub rights: &'static str,
    pub aqi_term: &'static str,
    pub exceedance_start_term: &'static str,
    pub exceedance_end_term: &'static str,
    pub water_term: &'static str,
    /// "{name}: AQI {aqi} {category}".
    pub aqi_title: fn(&str, u16, &str) -> String,
    /// "{hour} AQI {aqi} ({category}, level {level}), primary pollutant {p}; alert level {n}".
    pub aqi_summary: fn(&str, u16, &str, &str, &str, u16) -> String,
    /// "{enterprise} {outlet} {pollutant}: exceedance started".
    pub start_title: fn(&str, &str, &str) -> String,
    pub end_title: fn(&str, &str, &str) -> String,
    /// "{from} – {to}: {n} values over the limit {limit} {unit}, peak {peak} ({multiple}×)".
    pub exceedance_summary: fn(&str, &str, u32, f64, &str, f64, f64) -> String,
    /// "{name}: water class {from} → {to}".
    pub water_title: fn(&str, &str, &str) -> String,
    pub water_summary: fn(&str, &str, &str, &str) -> String,
    /// "{code}: {category}, {status}".
    pub complaint_title: fn(&str, &str, &str) -> String,
    pub complaint_summary: fn(&str, &str, &str, &str) -> String,
    pub self_reported: &'static str,
    pub simulated: &'static str,
    pub no_primary: &'static str,
    pub unknown_district: &'static str,
}

pub const ZH: FeedTexts = FeedTexts {
    xml_lang: "zh-CN",
    alerts_title: "阳光环境 · 预警",
    alerts_subtitle: "近 7 天：空气质量指数达到预警级别、企业排放口超标开始与结束、水质类别变化",
    complaints_title: "阳光环境 · 投诉举报公开登记",
    complaints_subtitle: "公开登记的投诉举报（不含联系方式、描述、地址和位置）",
    rights: "CC BY 4.0 · 数据来源：中国环境监测总站；企业数据为企业自行监测，未经审核",
    aqi_term: "aqi",
    exceedance_start_term: "exceedance-start",
    exceedance_end_term: "exceedance-end",
    water_term: "water-class",
    aqi_title: |name, aqi, category| format!("{name}：AQI {aqi} {category}"),
    aqi_summary: |hour, aqi, category, level, primary, alert| {
        format!("{hour} 空气质量指数 {aqi}（{category}，{level}级），首要污染物：{primary}；预警级别 AQI ≥ {alert}")
    },
    start_title: |enterprise, outlet, pollutant| {
        format!("{enterprise} {outlet} {pollutant} 开始超标")
    },
    end_title: |enterprise, outlet, pollutant| {
        format!("{enterprise} {outlet} {pollutant} 超标结束")
    },
    exceedance_summary: |from, to, n, limit, unit, peak, multiple| {
        format!("{from} 至 {to}：{n} 个数值超过限值 {limit} {unit}，峰值 {peak} {unit}（超标 {multiple:.2} 倍）")
    },
    water_title: |name, from, to| format!("{name}：水质类别 {from} → {to}"),
    water_summary: |hour, from, to, quality| {
        format!("{hour} 水质类别由 {from} 变为 {to}（{quality}，GB 3838-2002 自动监测判定）")
    },
    complaint_title: |code, category, status| format!("{code}：{category} · {status}"),
    complaint_summary: |submitted, category, district, status| {
        format!("{submitted} 提交 · {category} · {district} · 状态：{status}")
    },
    self_reported: "企业自行监测，未经审核",
    simulated: "模拟数据",
    no_primary: "无",
    unknown_district: "区县未定",
};

pub const EN: FeedTexts = FeedTexts {
    xml_lang: "en",
    alerts_title: "Daylight · alerts",
    alerts_subtitle: "Last 7 days: AQI at or above the alert level, outlet exceedances starting and ending, water class changes",
    complaints_title: "Daylight · public complaint register",
    complaints_subtitle: "Complaints as published (no contact, description, address or position)",
    rights: "CC BY 4.0 · Data: China National Environmental Monitoring Centre (CNEMC); enterprise data self-reported, not audited",
    aqi_term: "aqi",
    exceedance_start_term: "exceedance-start",
    exceedance_end_term: "exceedance-end",
    water_term: "water-class",
    aqi_title: |name, aqi, category| format!("{name}: AQI {aqi} {category}"),
    aqi_summary: |hour, aqi, category, level, primary, alert| {
        format!("{hour}: AQI {aqi} ({category}, level {level}), primary pollutant: {primary}; alert level AQI ≥ {alert}")
    },
    start_title: |enterprise, outlet, pollutant| format!("{enterprise} {outlet} {pollutant}: exceedance started"),
    end_title: |enterprise, outlet, pollutant| format!("{enterprise} {outlet} {pollutant}: exceedance ended"),
    exceedance_summary: |from, to, n, limit, unit, peak, multiple| {
        format!("{from} to {to}: {n} values over the limit of {limit} {unit}, peak {peak} {unit} ({multiple:.2} times over)")
    },
    water_title: |name, from, to| format!("{name}: water class {from} → {to}"),
    water_summary: |hour, from, to, quality| {
        format!("{hour}: water class changed from {from} to {to} ({quality}; GB 3838-2002, automatic judgement)")
    },
    complaint_title: |code, category, status| format!("{code}: {category} · {status}"),
    complaint_summary: |submitted, category, district, status| {
        format!("Submitted {submitted} · {category} · {district} · status: {status}")
    },
    self_reported: "self-reported, not audited",
    simulated: "simulated",
    no_primary: "none",
    unknown_district: "district not determined",
};

pub fn texts(lang: Lang) -> &'static FeedTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
