//! The complaint pages' texts, zh-CN first. Kept beside the feature rather than in
//! `crate::i18n`'s big struct, but built the same way: a missing translation is a compile
//! error.

use daylight_domain::complaint::{Category, Problem, Status};

use crate::i18n::Lang;

pub struct ComplaintTexts {
    pub nav_report: &'static str,
    pub nav_register: &'static str,
    pub report_title: &'static str,
    pub report_intro: &'static str,
    pub category: &'static str,
    pub choose_category: &'static str,
    pub description: &'static str,
    pub description_hint: &'static str,
    pub observed: &'static str,
    pub place: &'static str,
    pub place_hint: &'static str,
    pub latitude: &'static str,
    pub longitude: &'static str,
    pub use_my_location: &'static str,
    pub locating: &'static str,
    pub location_failed: &'static str,
    pub address: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub consent: &'static str,
    pub honeypot: &'static str,
    pub submit: &'static str,
    pub problems_intro: &'static str,
    pub unavailable: &'static str,
    pub received_title: &'static str,
    pub your_code: &'static str,
    pub code_hint: &'static str,
    pub your_link: &'static str,
    pub link_hint: &'static str,
    pub follow_title: &'static str,
    pub status: &'static str,
    pub district: &'static str,
    pub city_queue: &'static str,
    pub outside_city: &'static str,
    pub submitted: &'static str,
    pub location: &'static str,
    pub evidence_title: &'static str,
    pub replies_title: &'static str,
    pub evidence_intro: &'static str,
    pub evidence_none: &'static str,
    pub nearest_air: &'static str,
    pub nearest_water: &'static str,
    pub no_aqi: &'static str,
    pub primary: &'static str,
    pub away: &'static str,
    pub follow_not_found_title: &'static str,
    pub follow_not_found_body: &'static str,
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub register_empty: &'static str,
    pub col_code: &'static str,
    pub col_category: &'static str,
    pub col_district: &'static str,
    pub col_status: &'static str,
    pub col_date: &'static str,
    pub col_area: &'static str,
    pub too_many_title: &'static str,
    pub back_to_form: &'static str,
    pub new_report: &'static str,
}

pub static ZH: ComplaintTexts = ComplaintTexts {
    nav_report: "举报",
    nav_register: "投诉公示",
    report_title: "举报环境污染",
    report_intro: "无需注册。提交后您会得到一个查询码和一个只属于您的跟进链接。带 * 的为必填项。",
    category: "污染类型 *",
    choose_category: "请选择",
    description: "发生了什么？ *",
    description_hint: "例如：什么气味、颜色、声音，持续多久，可能的来源。",
    observed: "发现时间 *",
    place: "地点 *",
    place_hint: "填写坐标（纬度、经度），或用文字描述地址，至少填一项。",
    latitude: "纬度",
    longitude: "经度",
    use_my_location: "使用我的位置",
    locating: "正在定位…",
    location_failed: "无法获取位置，请填写地址。",
    address: "地址或位置描述",
    contact: "联系方式（可选）",
    contact_hint: "手机号或电子邮箱。不填即为匿名举报。联系方式只有执法人员可见，绝不公开。",
    consent: "我确认所填内容属实，并同意环保部门为处理本举报使用这些信息。",
    honeypot: "请勿填写此项",
    submit: "提交举报",
    problems_intro: "请修改以下标出的内容后再提交。",
    unavailable: "系统暂时无法保存举报，请稍后再试。您填写的内容仍在下方。",
    received_title: "举报已收到",
    your_code: "您的查询码",
    code_hint: "电话咨询时请报出此查询码。",
    your_link: "您的跟进链接",
    link_hint: "请保存或收藏此链接：凭它可随时查看办理进度。链接只显示这一次，丢失后无法找回；请勿分享给他人。",
    follow_title: "举报进度",
    status: "状态",
    district: "受理区县",
    city_queue: "市级统一受理",
    outside_city: "位置不在本市各区县范围内，由市级人工分派",
    submitted: "提交时间",
    location: "位置",
    evidence_title: "提交时附近的监测数据",
    replies_title: "办理答复",
    evidence_intro: "提交时系统自动记录了附近监测站点的最新数据，供执法人员参考。",
    evidence_none: "未提供坐标，没有记录附近的监测数据。",
    nearest_air: "最近的空气质量监测站",
    nearest_water: "最近的地表水监测断面",
    no_aqi: "无法计算 AQI",
    primary: "首要污染物",
    away: "距离",
    follow_not_found_title: "找不到该举报",
    follow_not_found_body: "这个跟进链接无效。请检查链接是否完整复制。",
    register_title: "投诉举报公示",
    register_intro: "所有收到的投诉举报及其办理状态。为保护举报人，不公开联系方式，位置仅精确到约 200 米。",
    register_empty: "暂无投诉举报。",
    col_code: "查询码",
    col_category: "类型",
    col_district: "区县",
    col_status: "状态",
    col_date: "提交日期",
    col_area: "大致位置",
    too_many_title: "提交过于频繁",
    back_to_form: "返回举报表单",
    new_report: "再举报一件",
};

pub static EN: ComplaintTexts = ComplaintTexts {
    nav_report: "Report",
    nav_register: "Complaints",
    report_title: "Report pollution",
    report_intro: "No account needed. After sending you get a tracking code and a follow-up link that is yours alone. Fields marked * are required.",
    category: "Kind of pollution *",
    choose_category: "Please choose",
    description: "What happened? *",
    description_hint: "For example: what smell, colour or sound, for how long, where it may come from.",
    observed: "When did you notice it? *",
    place: "Where *",
    place_hint: "Give coordinates (latitude, longitude) or describe the place in words; at least one.",
    latitude: "Latitude",
    longitude: "Longitude",
    use_my_location: "Use my location",
    locating: "Locating…",
    location_failed: "Your location is not available; please describe the place.",
    address: "Address or description of the place",
    contact: "Contact (optional)",
    contact_hint: "A phone number or an e-mail address. Leave it empty to report anonymously. Only officers see it; it is never published.",
    consent: "I confirm that this is true and agree that the environmental authority uses it to handle my report.",
    honeypot: "Leave this empty",
    submit: "Send report",
    problems_intro: "Please correct the fields marked below and send again.",
    unavailable: "Your report could not be saved just now; please try again later. What you wrote is still below.",
    received_title: "Report received",
    your_code: "Your tracking code",
    code_hint: "Quote this code when you call about your report.",
    your_link: "Your follow-up link",
    link_hint: "Save or bookmark this link: it shows the progress of your report at any time. It is shown only this once and cannot be recovered; do not share it.",
    follow_title: "Report progress",
    status: "Status",
    district: "Handled by",
    city_queue: "City-level queue",
    outside_city: "The location lies outside the city's districts; the city assigns it by hand",
    submitted: "Submitted",
    location: "Location",
    evidence_title: "Monitoring data nearby at submission",
    replies_title: "Replies from the authority",
    evidence_intro: "When you sent the report, the latest values of the nearest monitoring stations were recorded for the officers.",
    evidence_none: "No coordinates were given, so no nearby monitoring data was recorded.",
    nearest_air: "Nearest air quality stations",
    nearest_water: "Nearest surface-water section",
    no_aqi: "AQI not available",
    primary: "Primary pollutant",
    away: "Distance",
    follow_not_found_title: "Report not found",
    follow_not_found_body: "This follow-up link is not valid. Please check that it was copied completely.",
    register_title: "Register of complaints",
    register_intro: "Every complaint received and where it stands. To protect reporters, contacts are never published and locations are shown to about 200 m.",
    register_empty: "No complaints yet.",
    col_code: "Tracking code",
    col_category: "Kind",
    col_district: "District",
    col_status: "Status",
    col_date: "Submitted",
    col_area: "Approximate location",
    too_many_title: "Too many reports",
    back_to_form: "Back to the report form",
    new_report: "Report something else",
};

impl Lang {
    pub fn complaint_texts(self) -> &'static ComplaintTexts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

pub fn category_name(lang: Lang, c: Category) -> &'static str {
    lang.pick(c.name_zh(), c.name_en())
}

pub fn status_name(lang: Lang, s: Status) -> &'static str {
    lang.pick(s.name_zh(), s.name_en())
}

/// A problem with a submitted form, for the person who made it.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    use Problem::*;
    match (lang, problem) {
        (Lang::Zh, CategoryMissing) => "请选择污染类型。".into(),
        (Lang::En, CategoryMissing) => "Please choose the kind of pollution.".into(),
        (Lang::Zh, CategoryUnknown) => "请从列表中选择污染类型。".into(),
        (Lang::En, CategoryUnknown) => "Please choose a kind from the list.".into(),
        (Lang::Zh, DescriptionEmpty) => "请描述发生了什么。".into(),
        (Lang::En, DescriptionEmpty) => "Please describe what happened.".into(),
        (Lang::Zh, DescriptionTooLong { max }) => format!("描述不能超过 {max} 个字。"),
        (Lang::En, DescriptionTooLong { max }) => {
            format!("The description may have at most {max} characters.")
        }
        (Lang::Zh, ObservedMissing) => "请填写发现时间。".into(),
        (Lang::En, ObservedMissing) => "Please give the time.".into(),
        (Lang::Zh, ObservedInvalid) => "时间格式不对，例如 2026-05-01T14:30。".into(),
        (Lang::En, ObservedInvalid) => "This is not a date and time, e.g. 2026-05-01T14:30.".into(),
        (Lang::Zh, ObservedInFuture) => "发现时间不能晚于现在。".into(),
        (Lang::En, ObservedInFuture) => "The time cannot be in the future.".into(),
        (Lang::Zh, ObservedTooOld { days }) => format!("只受理 {days} 天以内发现的情况。"),
        (Lang::En, ObservedTooOld { days }) => {
            format!("Only what was seen within the last {days} days can be reported.")
        }
        (Lang::Zh, LocationIncomplete) => "纬度和经度需同时填写。".into(),
        (Lang::En, LocationIncomplete) => "Please give both latitude and longitude.".into(),
        (Lang::Zh, LocationInvalid) => "坐标无效：纬度 -90 到 90，经度 -180 到 180。".into(),
        (Lang::En, LocationInvalid) => {
            "Invalid coordinates: latitude -90 to 90, longitude -180 to 180.".into()
        }
        (Lang::Zh, PlaceMissing) => "请填写坐标或地址。".into(),
        (Lang::En, PlaceMissing) => "Please give coordinates or an address.".into(),
        (Lang::Zh, AddressTooLong { max }) => format!("地址不能超过 {max} 个字。"),
        (Lang::En, AddressTooLong { max }) => {
            format!("The address may have at most {max} characters.")
        }
        (Lang::Zh, ContactInvalid) => "请填写手机号或电子邮箱，或留空匿名举报。".into(),
        (Lang::En, ContactInvalid) => {
            "Please give a phone number or an e-mail address, or leave it empty.".into()
        }
        (Lang::Zh, ContactTooLong { max }) => format!("联系方式不能超过 {max} 个字符。"),
        (Lang::En, ContactTooLong { max }) => {
            format!("The contact may have at most {max} characters.")
        }
        (Lang::Zh, ConsentMissing) => "请勾选确认后再提交。".into(),
        (Lang::En, ConsentMissing) => "Please tick the confirmation to send.".into(),
    }
}

/// The rate limit's message: how long to wait.
pub fn too_many_text(lang: Lang, retry_after_secs: u64) -> String {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    match lang {
        Lang::Zh => format!("您提交得太频繁了。为防止滥用，请 {minutes} 分钟后再试。"),
        Lang::En => format!(
            "You have sent too many reports in a short time. To prevent abuse, please try again in {minutes} min."
        ),
    }
}
