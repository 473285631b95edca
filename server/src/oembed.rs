//! `GET /oembed`: an oEmbed 1.0 provider (<https://oembed.com>) for station, water and
//! enterprise pages and the map. For `url` = one of our `/station/{code}`, `/water/{code}`,
//! `/enterprise/{code}` or `/embed/…/{code}` addresses it answers a `rich` response whose
//! `html` is an `<iframe>` of the card (see `embed`); for the map (`/` or `/embed/map`, with
//! the view in the query) an `<iframe>` of `/embed/map`. JSON (default) or XML. Errors as the
//! spec asks: 404 when there is nothing to embed for the URL (another host, another page, an
//! unknown station or enterprise, or a size the card cannot fit into), 501 for another format, and 400 for a
//! malformed request.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use daylight_app::data::SiteContext;
use daylight_app::prefs::QueryPrefs;
use daylight_domain::enterprise::CreditCode;
use daylight_domain::station::{StationCode, StationKind};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::api::{ApiError, ApiLang};

/// The card's size when the consumer sets no maximum.
pub const DEFAULT_WIDTH: u32 = 360;
pub const DEFAULT_HEIGHT: u32 = 220;
/// The narrowest card that still reads well; narrower maxima get a 404.
pub const MIN_WIDTH: u32 = 200;

/// The height a card needs at a width: narrower cards wrap their lines. Measured in
/// Chromium on the demo's cards in both languages (at 360 px the longest needs 191 px, at
/// 300 px 261, at 200 px 295), with room for longer station names.
pub fn height_for(width: u32) -> u32 {
    match width {
        340.. => DEFAULT_HEIGHT,
        280..=339 => 280,
        _ => 320,
    }
}
/// How long a consumer may keep an answer: it changes only if a station is renamed.
const CACHE_AGE_SECS: u32 = 86_400;

#[derive(Debug, Default, Deserialize)]
pub struct OembedQuery {
    url: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
    format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// What kind of page a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Station(StationKind),
    /// `/enterprise/{credit code}`: the enterprise card.
    Enterprise,
    /// `/` or `/embed/map`: the live map; the target's code is the view's query.
    Map,
}

/// The map's width when the consumer sets no maximum (4:3, so 480 high), and the smallest
/// map that is still useful.
const MAP_WIDTH: u32 = 640;
const MAP_MIN_WIDTH: u32 = 280;
const MAP_MIN_HEIGHT: u32 = 240;

/// The query parameters of a map view that `/embed/map` reads (see `EmbedView`); others in
/// the URL are not passed on.
const MAP_VIEW_KEYS: [&str; 6] = ["layers", "center", "zoom", "stations", "lang", "scale"];

/// The page a URL points to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    page: Page,
    code: String,
    prefs: QueryPrefs,
}

pub async fn oembed(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<OembedQuery>, QueryRejection>,
) -> Response {
    let lang = ApiLang::from_headers(&headers);
    match answer(&site, &headers, query).await {
        Ok(response) => response,
        Err(error) => error.in_lang(lang).into_response(),
    }
}

async fn answer(
    site: &SiteContext,
    headers: &HeaderMap,
    query: Result<Query<OembedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::bad_parameter(
            "query",
            format!("无法解析：{e}"),
            format!("cannot be parsed: {e}"),
        )
    })?;
    let format = match query.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => Format::Json,
        Some("xml") => Format::Xml,
        Some(other) => return Err(ApiError::format_not_implemented(other)),
    };
    let url = query
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            ApiError::bad_parameter(
                "url",
                "缺少要嵌入的页面地址".into(),
                "the address of the page to embed is missing".into(),
            )
        })?;
    let max_width = dimension("maxwidth", query.maxwidth.as_deref())?;
    let max_height = dimension("maxheight", query.maxheight.as_deref())?;
    let base = site.base_url(headers).ok_or_else(|| {
        ApiError::not_embeddable(
            "无法确定本站地址（缺少 Host 请求头）".into(),
            "cannot tell this site's address (no Host header)".into(),
        )
    })?;
    let target = parse_target(url, &base).ok_or_else(|| {
        ApiError::not_embeddable(
            format!("无法嵌入“{url}”：只支持本站（{base}）的地图、空气站点、水质断面和企业页面"),
            format!(
                "nothing to embed for '{url}': only the map and the air station, water section and enterprise pages of {base} are embeddable"
            ),
        )
    })?;
    let unknown = || {
        ApiError::not_embeddable(
            format!("没有编码为“{}”的站点、断面或企业", target.code),
            format!(
                "there is no station, section or enterprise with code '{}'",
                target.code
            ),
        )
    };
    if target.page == Page::Map {
        return map_answer(&base, &target, max_width, max_height, format);
    }
    let (name, page, code) = match target.page {
        Page::Station(kind) => {
            let code = StationCode::parse(&target.code).map_err(|_| unknown())?;
            let station = site
                .store
                .station(&code)
                .await
                .map_err(ApiError::from)?
                .filter(|s| s.kind == kind)
                .ok_or_else(unknown)?;
            let page = match kind {
                StationKind::Air => "station",
                StationKind::Water => "water",
            };
            (station.name, page, code.to_string())
        }
        Page::Enterprise => {
            let code = CreditCode::parse(&target.code).map_err(|_| unknown())?;
            let enterprise = site
                .store
                .enterprise(&code)
                .await
                .map_err(ApiError::from)?
                .ok_or_else(unknown)?;
            (enterprise.name, "enterprise", code.to_string())
        }
        Page::Map => return Err(unknown()),
    };
    let (width, height) = size(target.page, max_width, max_height).ok_or_else(|| {
        ApiError::not_embeddable(
            format!(
                "卡片放不进 maxwidth×maxheight：至少需要 {MIN_WIDTH} 像素宽；360 像素宽时需要 {DEFAULT_HEIGHT} 像素高，更窄时需要 280–320 像素高；企业卡片再高 {ENTERPRISE_EXTRA_HEIGHT} 像素"
            ),
            format!(
                "the card does not fit maxwidth×maxheight: it needs at least {MIN_WIDTH} pixels of width, and {DEFAULT_HEIGHT} pixels of height at 360 wide, 280–320 when narrower; {ENTERPRISE_EXTRA_HEIGHT} more for an enterprise card"
            ),
        )
    })?;

    let mut src = format!("{base}/embed/{page}/{code}");
    let mut params = Vec::new();
    if let Some(lang) = target.prefs.lang {
        params.push(format!("lang={}", lang.code()));
    }
    if let Some(scale) = target.prefs.scale {
        params.push(format!("scale={}", scale.as_str()));
    }
    if !params.is_empty() {
        src.push('?');
        src.push_str(&params.join("&"));
    }
    let lang = target.prefs.lang.unwrap_or_default();
    let t = lang.t();
    let section = match target.page {
        Page::Station(StationKind::Air) => t.air_quality,
        Page::Station(StationKind::Water) => t.water_quality,
        Page::Enterprise => lang.pick("企业自行监测", "Self-monitoring"),
        Page::Map => t.nav_map,
    };
    let title = format!("{name} · {section}");
    Ok(rich(&base, &title, &src, (width, height), format))
}

/// The answer for the map: an `<iframe>` of `/embed/map` with the view of the URL.
fn map_answer(
    base: &str,
    target: &Target,
    max_width: Option<u32>,
    max_height: Option<u32>,
    format: Format,
) -> Result<Response, ApiError> {
    let width = max_width.map_or(MAP_WIDTH, |m| m.min(MAP_WIDTH));
    // 4:3, as tall as the consumer allows down to the smallest useful map.
    let height = max_height.map_or(width * 3 / 4, |m| m.min(width * 3 / 4));
    if width < MAP_MIN_WIDTH || height < MAP_MIN_HEIGHT {
        return Err(ApiError::not_embeddable(
            format!("地图放不进 maxwidth×maxheight：至少需要 {MAP_MIN_WIDTH}×{MAP_MIN_HEIGHT} 像素"),
            format!(
                "the map does not fit maxwidth×maxheight: it needs at least {MAP_MIN_WIDTH}×{MAP_MIN_HEIGHT} pixels"
            ),
        ));
    }
    let mut src = format!("{base}/embed/map");
    if !target.code.is_empty() {
        src.push('?');
        src.push_str(&target.code);
    }
    let lang = target.prefs.lang.unwrap_or_default();
    let t = lang.t();
    let title = format!("{} · {}", t.site_name, t.nav_map);
    Ok(rich(base, &title, &src, (width, height), format))
}

/// A `rich` answer whose html is an `<iframe>` of `src`.
fn rich(
    base: &str,
    title: &str,
    src: &str,
    (width, height): (u32, u32),
    format: Format,
) -> Response {
    let html = format!(
        r#"<iframe src="{}" width="{width}" height="{height}" style="border:0;max-width:100%" title="{}" loading="lazy"></iframe>"#,
        escape(src),
        escape(title),
    );
    let mut fields = Map::new();
    fields.insert("version".into(), json!("1.0"));
    fields.insert("type".into(), json!("rich"));
    fields.insert("title".into(), json!(title));
    fields.insert("provider_name".into(), json!("Daylight"));
    fields.insert("provider_url".into(), json!(format!("{base}/")));
    fields.insert("cache_age".into(), json!(CACHE_AGE_SECS));
    fields.insert("html".into(), json!(html));
    fields.insert("width".into(), json!(width));
    fields.insert("height".into(), json!(height));
    match format {
        Format::Json => Json(Value::Object(fields)).into_response(),
        Format::Xml => xml(&fields),
    }
}

/// A positive number of pixels, or None when not given.
fn dimension(name: &str, raw: Option<&str>) -> Result<Option<u32>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => match raw.parse::<u32>() {
            Ok(v) if v > 0 => Ok(Some(v)),
            _ => Err(ApiError::bad_parameter(
                name,
                format!("应为正整数（像素），而不是“{raw}”"),
                format!("expected a positive whole number of pixels, not '{raw}'"),
            )),
        },
    }
}

/// The extra height of an enterprise card: its table of up to 6 pollutants is taller than
/// a station card's one figure.
const ENTERPRISE_EXTRA_HEIGHT: u32 = 120;

/// The card's size within the maxima, or None when it cannot fit.
fn size(page: Page, max_width: Option<u32>, max_height: Option<u32>) -> Option<(u32, u32)> {
    let width = max_width.map_or(DEFAULT_WIDTH, |m| m.min(DEFAULT_WIDTH));
    if width < MIN_WIDTH {
        return None;
    }
    let height = match page {
        Page::Station(_) => height_for(width),
        Page::Enterprise => height_for(width) + ENTERPRISE_EXTRA_HEIGHT,
        Page::Map => return None,
    };
    match max_height {
        Some(m) if m < height => None,
        _ => Some((width, height)),
    }
}

/// The station page `url` points to, if it is one of ours: `http(s)://` + our host, then
/// `/station/{code}`, `/water/{code}`, `/embed/station/{code}` or `/embed/water/{code}`
/// (a trailing slash, a query and a fragment allowed; `lang` and `scale` in the query are
/// kept for the card).
fn parse_target(url: &str, base: &str) -> Option<Target> {
    let base_host = base.split_once("://")?.1;
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (host, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    if !host.eq_ignore_ascii_case(base_host) {
        return None;
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (page, code) = match segments.as_slice() {
        ["station", code] | ["embed", "station", code] => (Page::Station(StationKind::Air), *code),
        ["water", code] | ["embed", "water", code] => (Page::Station(StationKind::Water), *code),
        ["enterprise", code] | ["embed", "enterprise", code] => (Page::Enterprise, *code),
        [] | ["embed", "map"] => {
            return Some(Target {
                page: Page::Map,
                code: map_view(query),
                prefs: QueryPrefs::parse(query),
            })
        }
        _ => return None,
    };
    if code.is_empty() {
        return None;
    }
    Some(Target {
        page,
        code: code.to_string(),
        prefs: QueryPrefs::parse(query),
    })
}

/// The map view's part of a query (`layers=air&zoom=12`), as written in the URL: the
/// parameters `/embed/map` reads, in their order, the others dropped.
fn map_view(query: Option<&str>) -> String {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            MAP_VIEW_KEYS.contains(&key)
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Escapes text for an HTML attribute or XML character data.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The XML form of an answer (oEmbed 1.0 §2.3.2): one element per field under `<oembed>`.
fn xml(fields: &Map<String, Value>) -> Response {
    let mut body =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<oembed>\n");
    for (key, value) in fields {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        body.push_str(&format!("  <{key}>{}</{key}>\n", escape(&text)));
    }
    body.push_str("</oembed>\n");
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/xml; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:3000";

    #[test]
    fn page_and_embed_urls_of_this_host_are_targets() {
        let t = parse_target("http://127.0.0.1:3000/station/1462A", BASE).unwrap();
        assert_eq!(
            (t.page, t.code.as_str()),
            (Page::Station(StationKind::Air), "1462A")
        );
        let t = parse_target(
            "https://127.0.0.1:3000/embed/water/W1/?lang=en&scale=us-epa#x",
            BASE,
        )
        .unwrap();
        assert_eq!(
            (t.page, t.code.as_str()),
            (Page::Station(StationKind::Water), "W1")
        );
        let t = parse_target("http://127.0.0.1:3000/enterprise/91350100M000100Y43", BASE).unwrap();
        assert_eq!(t.page, Page::Enterprise);
        let t = parse_target(
            "http://127.0.0.1:3000/embed/enterprise/91350100M000100Y43?lang=en",
            BASE,
        )
        .unwrap();
        assert_eq!(
            (t.page, t.prefs.lang),
            (Page::Enterprise, Some(daylight_app::i18n::Lang::En))
        );
        assert_eq!(t.prefs.lang, Some(daylight_app::i18n::Lang::En));
        for url in [
            "http://evil.example/station/1462A",
            "http://127.0.0.1:3000.evil.example/station/1462A",
            "http://127.0.0.1:3001/station/1462A",
            "javascript://127.0.0.1:3000/station/1462A",
            "http://evil.example/",
            "http://127.0.0.1:3000/embed",
            "http://127.0.0.1:3000/station/",
            "http://127.0.0.1:3000/station/1462A/readings",
            "http://127.0.0.1:3000/api/v1/stations/1462A/readings",
            "/station/1462A",
        ] {
            assert_eq!(parse_target(url, BASE), None, "{url}");
        }
    }

    #[test]
    fn the_map_and_its_embed_are_targets_with_their_view() {
        for url in [
            "http://127.0.0.1:3000",
            "http://127.0.0.1:3000/",
            "http://127.0.0.1:3000/embed/map",
        ] {
            let t = parse_target(url, BASE).unwrap_or_else(|| panic!("{url}"));
            assert_eq!((t.page, t.code.as_str()), (Page::Map, ""), "{url}");
        }
        let t = parse_target(
            "http://127.0.0.1:3000/?layers=air&utm_source=x&zoom=12&lang=en#top",
            BASE,
        )
        .unwrap();
        assert_eq!(t.page, Page::Map);
        assert_eq!(t.code, "layers=air&zoom=12&lang=en", "others dropped");
        assert_eq!(t.prefs.lang, Some(daylight_app::i18n::Lang::En));
    }

    #[test]
    fn the_card_fits_the_maxima_or_there_is_no_card() {
        let air = Page::Station(StationKind::Air);
        assert_eq!(size(Page::Enterprise, None, None), Some((360, 340)));
        assert_eq!(size(Page::Enterprise, Some(300), Some(300)), None);
        assert_eq!(size(air, None, None), Some((360, 220)));
        assert_eq!(size(air, Some(1000), Some(1000)), Some((360, 220)));
        assert_eq!(size(air, Some(350), None), Some((350, 220)));
        assert_eq!(size(air, Some(300), None), Some((300, 280)));
        assert_eq!(size(air, Some(240), None), Some((240, 320)));
        assert_eq!(size(air, Some(240), Some(300)), None);
        assert_eq!(size(air, Some(199), None), None);
        assert_eq!(size(air, None, Some(219)), None);
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
