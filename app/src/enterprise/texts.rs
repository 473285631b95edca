//! The enterprise pages' texts, zh-CN first; built like `crate::complaint::texts`.

use daylight_domain::enterprise::{
    Averaging, Frequency, Method, OutletKind, Pollutant, StatementKind,
};

use crate::i18n::Lang;

pub struct EnterpriseTexts {
    pub nav: &'static str,
    pub list_title: &'static str,
    pub list_intro: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub shown_of: &'static str,
    pub none_found: &'static str,
    pub col_name: &'static str,
    pub col_district: &'static str,
    pub col_industry: &'static str,
    pub col_now: &'static str,
    pub exceeding: &'static str,
    pub within: &'static str,
    pub no_recent: &'static str,
    pub demo_label: &'static str,
    pub self_reported: &'static str,
    pub simulated: &'static str,
    pub credit_code: &'static str,
    pub permit: &'static str,
    pub industry: &'static str,
    pub district: &'static str,
    pub address: &'static str,
    pub key_unit: &'static str,
    pub outlets: &'static str,
    pub no_outlets: &'static str,
    pub stack_height: &'static str,
    pub col_pollutant: &'static str,
    pub col_latest: &'static str,
    pub col_limit: &'static str,
    pub col_ratio: &'static str,
    pub col_multiple: &'static str,
    pub col_standard: &'static str,
    pub col_method: &'static str,
    pub no_value: &'static str,
    pub exceedances: &'static str,
    pub exceedances_intro: &'static str,
    pub no_exceedances: &'static str,
    pub col_outlet: &'static str,
    pub col_start: &'static str,
    pub col_end: &'static str,
    pub col_duration: &'static str,
    pub col_peak: &'static str,
    pub completeness: &'static str,
    pub completeness_intro: &'static str,
    pub col_month: &'static str,
    pub col_expected: &'static str,
    pub col_received: &'static str,
    pub col_missing: &'static str,
    pub exceeding_now_banner: &'static str,
    pub on_map: &'static str,
    pub statements: &'static str,
    pub statements_intro: &'static str,
    pub no_statements: &'static str,
    pub corrects: &'static str,
    pub corrected_by: &'static str,
    pub period: &'static str,
    pub by: &'static str,
    pub manual: &'static str,
    pub manual_intro: &'static str,
    pub manual_label: &'static str,
    pub col_time: &'static str,
    pub col_value: &'static str,
    pub col_note: &'static str,
    pub api: &'static str,
    pub back: &'static str,
}

pub const ZH: EnterpriseTexts = EnterpriseTexts {
    nav: "企业排放",
    list_title: "排污单位自行监测信息公开",
    list_intro: "排污单位的排放口、执行的排放标准限值，以及企业自行监测的最新数据。",
    search_label: "搜索企业名称、信用代码、区县或行业",
    search_button: "搜索",
    shown_of: "显示 / 共",
    none_found: "没有找到符合条件的企业。",
    col_name: "企业名称",
    col_district: "区县",
    col_industry: "行业",
    col_now: "当前是否超标",
    exceeding: "超标",
    within: "未超标",
    no_recent: "无近期数据",
    demo_label: "示例企业 / demo enterprise",
    self_reported: "企业自行监测，未经审核",
    simulated: "模拟数据",
    credit_code: "统一社会信用代码",
    permit: "排污许可证编号",
    industry: "行业",
    district: "区县",
    address: "地址",
    key_unit: "重点排污单位类别",
    outlets: "排放口与最新监测值",
    no_outlets: "未登记排放口。",
    stack_height: "排气筒高度",
    col_pollutant: "监测项目",
    col_latest: "最新值",
    col_limit: "排放限值",
    col_ratio: "占限值比例",
    col_multiple: "超标倍数",
    col_standard: "执行标准",
    col_method: "监测方式与频次",
    no_value: "无数据",
    exceedances: "超标记录",
    exceedances_intro: "连续超过限值的时段（小时限值按小时值，日均限值按日均值；数据缺失处中断）。超标倍数 =（峰值 − 限值）/ 限值。",
    no_exceedances: "近一年没有超标记录。",
    col_outlet: "排放口",
    col_start: "开始",
    col_end: "结束",
    col_duration: "时长",
    col_peak: "峰值",
    completeness: "数据完整率",
    completeness_intro: "每月应有与实际收到的数据条数。数据缺失本身也是公开信息。",
    col_month: "月份",
    col_expected: "应有",
    col_received: "实收",
    col_missing: "缺失",
    exceeding_now_banner: "当前有监测项目的最新值超过排放限值。",
    on_map: "在地图上查看全部排污企业",
    statements: "企业说明",
    statements_intro: "企业对自身数据的说明（启停机、仪器故障、超标原因等），发布后不可修改；更正以新说明的形式发布。",
    no_statements: "该企业尚未发布说明。",
    corrects: "更正第",
    corrected_by: "已被更正，见第",
    period: "时段",
    by: "发布人",
    manual: "手工监测结果",
    manual_intro: "企业通过账号上传的实验室监测结果（手工监测）。",
    manual_label: "手工监测 · 企业自行监测，未经审核",
    col_time: "采样时间",
    col_value: "监测值",
    col_note: "检测机构 / 方法",
    api: "数据接口（JSON）",
    back: "全部企业",
};

pub const EN: EnterpriseTexts = EnterpriseTexts {
    nav: "Enterprises",
    list_title: "Enterprise self-monitoring disclosure",
    list_intro: "Discharging enterprises, their outlets, the emission limits that apply, and the latest values of their own monitoring.",
    search_label: "Search by name, credit code, district or industry",
    search_button: "Search",
    shown_of: "shown / total",
    none_found: "No enterprise matches.",
    col_name: "Enterprise",
    col_district: "District",
    col_industry: "Industry",
    col_now: "Exceeding now",
    exceeding: "Exceeding",
    within: "Within limits",
    no_recent: "No recent data",
    demo_label: "示例企业 / demo enterprise",
    self_reported: "self-reported, not audited",
    simulated: "simulated",
    credit_code: "Unified social credit code",
    permit: "Discharge permit",
    industry: "Industry",
    district: "District",
    address: "Address",
    key_unit: "Key discharging unit",
    outlets: "Outlets and latest values",
    no_outlets: "No outlet registered.",
    stack_height: "Stack height",
    col_pollutant: "Pollutant",
    col_latest: "Latest",
    col_limit: "Limit",
    col_ratio: "Of limit",
    col_multiple: "Exceedance multiple",
    col_standard: "Standard",
    col_method: "Method and frequency",
    no_value: "no data",
    exceedances: "Exceedances",
    exceedances_intro: "Runs of values over the limit (hourly values against hourly limits, daily means against daily limits; a gap in the data ends a run). Multiple = (peak − limit) / limit.",
    no_exceedances: "No exceedance in the last year.",
    col_outlet: "Outlet",
    col_start: "Start",
    col_end: "End",
    col_duration: "Duration",
    col_peak: "Peak",
    completeness: "Data completeness",
    completeness_intro: "Values expected and received per month. Missing data is disclosed too.",
    col_month: "Month",
    col_expected: "Expected",
    col_received: "Received",
    col_missing: "Missing",
    exceeding_now_banner: "The latest value of a monitored pollutant is above its limit.",
    on_map: "All enterprises on the map",
    statements: "Statements by the enterprise",
    statements_intro: "What the enterprise says about its own data (start-up, instrument fault, reasons for an exceedance…). Never edited once published: a correction is a new statement.",
    no_statements: "The enterprise has published no statement.",
    corrects: "corrects no.",
    corrected_by: "corrected by no.",
    period: "Period",
    by: "by",
    manual: "Manual results",
    manual_intro: "Laboratory results the enterprise uploaded through its account (manual monitoring).",
    manual_label: "manual · self-reported, not audited",
    col_time: "Sampled",
    col_value: "Value",
    col_note: "Laboratory / method",
    api: "Data API (JSON)",
    back: "All enterprises",
};

pub fn texts(lang: Lang) -> &'static EnterpriseTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

pub fn pollutant_name(lang: Lang, p: Pollutant) -> &'static str {
    lang.pick(p.name_zh(), p.name_en())
}

pub fn outlet_kind(lang: Lang, kind: OutletKind) -> &'static str {
    match kind {
        OutletKind::Air => lang.pick("废气排放口", "air outlet"),
        OutletKind::Water => lang.pick("废水排放口", "wastewater outlet"),
    }
}

pub fn method_name(lang: Lang, method: Method) -> &'static str {
    match method {
        Method::Automatic => lang.pick("自动监测", "automatic"),
        Method::Manual => lang.pick("手工监测", "manual"),
    }
}

pub fn frequency_name(lang: Lang, frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Hourly => lang.pick("每小时", "hourly"),
        Frequency::Daily => lang.pick("每日", "daily"),
        Frequency::Monthly => lang.pick("每月", "monthly"),
    }
}

pub fn statement_kind_name(lang: Lang, kind: StatementKind) -> &'static str {
    lang.pick(kind.name_zh(), kind.name_en())
}

pub fn averaging_name(lang: Lang, averaging: Averaging) -> &'static str {
    match averaging {
        Averaging::Hourly => lang.pick("小时均值", "hourly mean"),
        Averaging::Daily => lang.pick("日均值", "daily mean"),
    }
}

/// Under the exceedance table when it lists only the newest events.
pub fn events_shown(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::Zh => format!("显示最近 {shown} 次，共 {total} 次；全部见 API。"),
        Lang::En => format!("The latest {shown} of {total} are shown; the API has them all."),
    }
}
