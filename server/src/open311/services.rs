//! The services: our complaint categories as GeoReport service types.

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::Category;

use super::doc::{Document, Node};
use super::{language, respond, split_format, Format, Open311Error, Params};

/// The `group` every service is in.
const GROUP: (&str, &str) = ("环境污染", "Pollution");

pub(super) fn service_name(lang: Lang, category: Category) -> &'static str {
    lang.pick(category.name_zh(), category.name_en())
}

/// What each service is for, and words people may search for it by.
fn service_texts(lang: Lang, category: Category) -> (&'static str, &'static str) {
    use Category::*;
    match (category, lang) {
        (Air, Lang::Zh) => (
            "烟尘、粉尘、废气排放，露天焚烧，工地扬尘。",
            "大气,烟尘,粉尘,废气,扬尘,焚烧,雾霾",
        ),
        (Air, Lang::En) => (
            "Smoke, dust or fumes from a chimney, a site or open burning.",
            "air, smoke, dust, fumes, burning, haze",
        ),
        (Odour, Lang::Zh) => ("刺鼻、恶臭或化工异味。", "异味,恶臭,臭气,化工味"),
        (Odour, Lang::En) => (
            "A pungent, foul or chemical smell.",
            "odour, odor, smell, stench",
        ),
        (Water, Lang::Zh) => (
            "污水直排、河道变色、死鱼、油污。",
            "水污染,污水,排污,河流,黑臭水体",
        ),
        (Water, Lang::En) => (
            "Sewage discharged, a river discoloured, dead fish, oil on water.",
            "water, sewage, discharge, river, pollution",
        ),
        (Noise, Lang::Zh) => (
            "工业、施工、社会生活噪声，夜间施工。",
            "噪声,噪音,施工,夜间施工",
        ),
        (Noise, Lang::En) => (
            "Noise from a factory, a construction site or at night.",
            "noise, construction, night work",
        ),
        (SolidWaste, Lang::Zh) => (
            "垃圾、工业固废或危险废物倾倒、堆放、焚烧。",
            "固体废物,垃圾,危险废物,倾倒",
        ),
        (SolidWaste, Lang::En) => (
            "Rubbish, industrial or hazardous waste dumped, piled or burnt.",
            "waste, rubbish, garbage, hazardous waste, dumping",
        ),
        (Ecology, Lang::Zh) => (
            "毁林、非法采砂采矿、破坏湿地或自然保护地。",
            "生态破坏,毁林,采砂,湿地,保护区",
        ),
        (Ecology, Lang::En) => (
            "Trees felled, illegal sand or mineral extraction, a wetland or reserve damaged.",
            "ecology, deforestation, sand mining, wetland, reserve",
        ),
        (Radiation, Lang::Zh) => ("放射源、电磁辐射设施的异常情况。", "辐射,放射源,电磁辐射"),
        (Radiation, Lang::En) => (
            "A radioactive source or an electromagnetic installation that seems wrong.",
            "radiation, radioactive, electromagnetic",
        ),
        (Other, Lang::Zh) => ("以上之外的环境问题。", "其他,环境"),
        (Other, Lang::En) => ("Any other environmental problem.", "other, environment"),
    }
}

pub(super) fn service_node(lang: Lang, category: Category) -> Node {
    let (description, keywords) = service_texts(lang, category);
    Node::Object(vec![
        ("service_code", Node::text(category.as_str())),
        ("service_name", Node::text(service_name(lang, category))),
        ("description", Node::text(description)),
        ("metadata", Node::Bool(false)),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(keywords)),
        ("group", Node::text(lang.pick(GROUP.0, GROUP.1))),
    ])
}

/// `GET /open311/v2/services/{code}.{fmt}`: no service has extra fields (`metadata` is
/// false), so a definition has no attributes; it exists so that a client that asks anyway
/// gets a truthful answer instead of a 404.
pub(super) async fn get_service(
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let lang = language(&params, &headers);
    let (code, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    match code.parse::<Category>() {
        Ok(category) => respond(
            format,
            StatusCode::OK,
            &Document {
                root: "service_definition",
                body: Node::Object(vec![
                    ("service_code", Node::text(category.as_str())),
                    ("attributes", Node::List("attribute", Vec::new())),
                ]),
            },
        ),
        Err(_) => unknown_service(code).into_response(format, lang),
    }
}

pub(super) fn unknown_service(code: &str) -> Open311Error {
    Open311Error::not_found(
        format!("没有代码为“{code}”的服务类型（见 services.json）。"),
        format!("There is no service with the code '{code}' (see services.json)."),
    )
}
