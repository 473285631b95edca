//! Texts of the report form's location picker and suspected enterprise, and of their
//! traces on the follow-up page, zh-CN first (built like `texts.rs`: a missing translation
//! is a compile error).

use daylight_domain::complaint::suspect::SuspectProblem;

use crate::i18n::Lang;

pub struct PlaceTexts {
    pub map_label: &'static str,
    pub map_hint: &'static str,
    pub map_loading: &'static str,
    pub no_point: &'static str,
    pub point_set: &'static str,
    pub clear_point: &'static str,
    pub use_my_location: &'static str,
    pub locating: &'static str,
    pub located: &'static str,
    pub geo_denied: &'static str,
    pub geo_unavailable: &'static str,
    pub geo_timeout: &'static str,
    pub geo_unsupported: &'static str,
    pub coordinates_hint: &'static str,
    pub suspect: &'static str,
    pub suspect_hint: &'static str,
    pub searching: &'static str,
    pub no_match: &'static str,
    pub results_label: &'static str,
    pub linked: &'static str,
    pub unlink: &'static str,
    pub suspect_title: &'static str,
    pub not_registered: &'static str,
    pub enterprise_evidence: &'static str,
    /// Heading of the registered enterprises near the point at submission.
    pub nearby_enterprises: &'static str,
    pub self_reported: &'static str,
    pub exceeding_now: &'static str,
    pub no_values: &'static str,
    pub limit: &'static str,
    pub over_by: &'static str,
    pub exceedances: &'static str,
}

pub static ZH: PlaceTexts = PlaceTexts {
    map_label: "在地图上点选位置",
    map_hint: "在地图上轻点发生地点；可放大后再点，越准确越便于核查。",
    map_loading: "地图加载中…",
    no_point: "尚未选择位置。",
    point_set: "已选位置",
    clear_point: "清除位置",
    use_my_location: "使用我的位置",
    locating: "正在定位…",
    located: "已使用您的当前位置",
    geo_denied: "您未允许本网站获取位置。可在地图上点选，或填写地址。",
    geo_unavailable: "暂时无法确定您的位置。可在地图上点选，或填写地址。",
    geo_timeout: "定位超时。请重试，或在地图上点选、填写地址。",
    geo_unsupported: "此浏览器不支持定位。请在地图上点选，或填写地址。",
    coordinates_hint: "也可以直接填写坐标（WGS-84，例如纬度 34.2610、经度 108.9470）。",
    suspect: "疑似污染企业（可选）",
    suspect_hint: "输入企业名称或统一社会信用代码，从列表中选择；名录中没有的也可以直接填写。",
    searching: "正在查找…",
    no_match: "名录中未找到；您填写的名称会原样提交。",
    results_label: "名录中的企业",
    linked: "已关联名录中的企业",
    unlink: "取消关联",
    suspect_title: "疑似污染企业",
    not_registered: "（未在企业名录中）",
    enterprise_evidence: "该企业提交时的自行监测数据",
    nearby_enterprises: "提交时附近的排污企业（5 公里内）",
    self_reported: "企业自行监测，未经审核",
    exceeding_now: "当前超标",
    no_values: "暂无监测数据。",
    limit: "限值",
    over_by: "超标",
    exceedances: "近期超标",
};

pub static EN: PlaceTexts = PlaceTexts {
    map_label: "Choose the place on the map",
    map_hint: "Tap where it happened; zoom in first for a more exact point, which helps the inspection.",
    map_loading: "Loading the map…",
    no_point: "No place chosen yet.",
    point_set: "Place chosen",
    clear_point: "Clear the place",
    use_my_location: "Use my location",
    locating: "Finding your location…",
    located: "Your current location is used",
    geo_denied: "You did not allow this site to know your location. Tap the map or type the address instead.",
    geo_unavailable: "Your location cannot be found right now. Tap the map or type the address instead.",
    geo_timeout: "Finding your location took too long. Try again, or tap the map or type the address.",
    geo_unsupported: "This browser cannot give a location. Tap the map or type the address instead.",
    coordinates_hint: "Or type the coordinates (WGS-84, e.g. latitude 34.2610, longitude 108.9470).",
    suspect: "Suspected enterprise (optional)",
    suspect_hint: "Type the enterprise's name or its unified social credit code and pick it from the list; a name that is not listed can be typed as it is.",
    searching: "Searching…",
    no_match: "Not in the registry; the name will be sent as you typed it.",
    results_label: "Enterprises in the registry",
    linked: "Linked to the registry",
    unlink: "Unlink",
    suspect_title: "Suspected enterprise",
    not_registered: " (not in the registry)",
    enterprise_evidence: "The enterprise's self-monitoring at submission",
    nearby_enterprises: "Enterprises nearby at submission (within 5 km)",
    self_reported: "self-reported by the enterprise, not audited",
    exceeding_now: "over its limit now",
    no_values: "No values.",
    limit: "limit",
    over_by: "over by",
    exceedances: "Recent exceedances",
};

impl Lang {
    pub fn place_texts(self) -> &'static PlaceTexts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

pub fn suspect_problem_text(lang: Lang, problem: &SuspectProblem) -> String {
    match (lang, problem) {
        (Lang::Zh, SuspectProblem::TooLong { max }) => format!("企业名称不能超过 {max} 个字。"),
        (Lang::En, SuspectProblem::TooLong { max }) => {
            format!("The enterprise may have at most {max} characters.")
        }
    }
}

/// The chosen point as the form shows it: latitude, longitude with 5 decimals (~1 m).
pub fn point_text(lang: Lang, lat: f64, lon: f64) -> String {
    let t = lang.place_texts();
    match lang {
        Lang::Zh => format!("{}：纬度 {lat:.5}，经度 {lon:.5}", t.point_set),
        Lang::En => format!("{}: latitude {lat:.5}, longitude {lon:.5}", t.point_set),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_point_is_said_in_both_languages() {
        assert_eq!(
            point_text(Lang::Zh, 34.261, 108.947),
            "已选位置：纬度 34.26100，经度 108.94700"
        );
        assert_eq!(
            point_text(Lang::En, 34.261, 108.947),
            "Place chosen: latitude 34.26100, longitude 108.94700"
        );
    }
}
