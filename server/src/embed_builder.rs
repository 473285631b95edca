//! `GET /embed`: the widget builder (docs/embedding.md). A journalist picks a view, a
//! station or section, the language, the AQI scale and the size; the page shows the card in a
//! live preview and the `<iframe>` snippet to copy. Without JavaScript the choices are a GET
//! form that renders the page again; with it, the preview and snippet follow every change
//! and a button copies the snippet. Server-rendered HTML like the back office's pages: no
//! WASM for a page that only builds a string.

use std::fmt::Write;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use daylight_app::data::SiteContext;
use daylight_app::i18n::{Lang, LANG_COOKIE};
use daylight_domain::aqi::AqiScale;
use daylight_domain::station::StationKind;
use daylight_store::{Enterprise, Station};
use serde::Deserialize;

use crate::admin::html::esc;

pub fn router(site: SiteContext) -> Router {
    Router::new().route("/embed", get(builder)).with_state(site)
}

/// What can be embedded. Each is a card under `/embed/{segment}/{code}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Station,
    Water,
    Enterprise,
    /// The live map, `/embed/map` (needs JavaScript in the reader's browser).
    Map,
}

impl View {
    const ALL: [View; 4] = [View::Station, View::Water, View::Enterprise, View::Map];

    fn parse(text: &str) -> Option<Self> {
        match text {
            "station" => Some(Self::Station),
            "water" => Some(Self::Water),
            "enterprise" => Some(Self::Enterprise),
            "map" => Some(Self::Map),
            _ => None,
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Self::Station => "station",
            Self::Water => "water",
            Self::Enterprise => "enterprise",
            Self::Map => "map",
        }
    }

    fn of(kind: StationKind) -> Self {
        match kind {
            StationKind::Air => Self::Station,
            StationKind::Water => Self::Water,
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Station => lang.pick("空气质量站点卡片", "Air station card"),
            Self::Water => lang.pick("水质断面卡片", "Water section card"),
            Self::Enterprise => lang.pick("企业自行监测卡片", "Enterprise self-monitoring card"),
            Self::Map => lang.pick("实时地图", "Live map"),
        }
    }

    /// The card's natural size (docs/embedding.md).
    fn default_size(self) -> (u32, u32) {
        match self {
            Self::Map => (600, 420),
            _ => (360, 220),
        }
    }

    /// Whether the AQI scale changes what it shows.
    fn has_scale(self) -> bool {
        matches!(self, Self::Station | Self::Map)
    }
}

/// The form's fields; anything missing or unknown falls back to a default.
#[derive(Debug, Default, Deserialize)]
struct Choice {
    view: Option<String>,
    code: Option<String>,
    lang: Option<String>,
    scale: Option<String>,
    width: Option<String>,
    height: Option<String>,
    layers: Option<String>,
}

/// The map's layers (`/embed/map?layers=`): air and water (the map's default), one of
/// them, or with the enterprises (issue 5).
const LAYERS: [&str; 5] = [
    "air,water",
    "air",
    "water",
    "air,water,enterprises",
    "enterprises",
];

/// The smallest and largest sizes offered: the card reads down to 200 px wide.
const MIN_WIDTH: u32 = 200;
const MIN_HEIGHT: u32 = 150;
const MAX_SIZE: u32 = 1600;

/// A size from the form, clamped to what the card can use; None when not a number.
fn size(text: Option<&str>, min: u32) -> Option<u32> {
    text?
        .trim()
        .parse::<u32>()
        .ok()
        .map(|v| v.clamp(min, MAX_SIZE))
}

/// Something a card can show: a station, a section or an enterprise.
struct Item {
    view: View,
    code: String,
    name: String,
}

fn station_item(s: &Station) -> Item {
    Item {
        view: View::of(s.kind),
        code: s.code.as_str().to_string(),
        name: s.name.clone(),
    }
}

fn enterprise_item(e: &Enterprise) -> Item {
    Item {
        view: View::Enterprise,
        code: e.credit_code.as_str().to_string(),
        name: e.name.clone(),
    }
}

/// The resolved choice.
struct Widget<'a> {
    view: View,
    /// The card's subject; for the map, only what the list shows selected.
    item: &'a Item,
    layers: &'static str,
    lang: Lang,
    scale: AqiScale,
    width: u32,
    height: u32,
}

impl Widget<'_> {
    /// The card's address, relative to the site.
    fn path(&self) -> String {
        let mut query = Vec::new();
        let mut path = if self.view == View::Map {
            if self.layers != LAYERS[0] {
                query.push(format!("layers={}", self.layers));
            }
            "/embed/map".to_string()
        } else {
            format!("/embed/{}/{}", self.view.segment(), self.item.code)
        };
        if self.lang == Lang::En {
            query.push("lang=en".to_string());
        }
        if self.view.has_scale() {
            query.push(format!("scale={}", self.scale.as_str()));
        }
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.join("&"));
        }
        path
    }

    fn title(&self) -> String {
        if self.view == View::Map {
            return self
                .lang
                .pick(
                    "阳光环境 · 实时空气和水质地图",
                    "Daylight · live air and water map",
                )
                .to_string();
        }
        let what = match (self.view, self.lang) {
            (View::Station, Lang::Zh) => "空气质量",
            (View::Station, Lang::En) => "air quality",
            (View::Water, Lang::Zh) => "水质",
            (View::Water, Lang::En) => "water quality",
            (View::Enterprise, Lang::Zh) => "自行监测",
            (View::Enterprise, Lang::En) => "self-monitoring",
            (View::Map, _) => "",
        };
        format!("{} · {what}", self.item.name)
    }

    /// The snippet to paste, with the absolute address (as the oEmbed answer writes it).
    fn snippet(&self, base: &str) -> String {
        format!(
            "<iframe src=\"{}\" width=\"{}\" height=\"{}\" style=\"border:0;max-width:100%\" title=\"{}\" loading=\"lazy\"></iframe>",
            esc(&format!("{base}{}", self.path())),
            self.width,
            self.height,
            esc(&self.title()),
        )
    }
}

async fn builder(
    State(site): State<SiteContext>,
    headers: HeaderMap,
    query: Result<Query<Choice>, QueryRejection>,
) -> Response {
    let page_lang = daylight_app::prefs::cookie(&headers, LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default();
    let choice = query.map(|Query(q)| q).unwrap_or_default();
    let listed = async {
        let stations = site.store.stations().await?;
        let enterprises = site.store.enterprises().await?;
        Ok::<_, daylight_store::StoreError>(
            stations
                .iter()
                .map(station_item)
                .chain(enterprises.iter().map(enterprise_item))
                .collect::<Vec<Item>>(),
        )
    };
    let items = match listed.await {
        Ok(items) => items,
        Err(error) => {
            tracing::error!(%error, "the widget builder could not list stations");
            return page(
                page_lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &format!(
                    "<h1>503</h1><p>{}</p>",
                    page_lang.pick(
                        "暂时无法使用，请稍后再试。",
                        "Unavailable; please try again later."
                    )
                ),
            );
        }
    };
    let asked_view = choice.view.as_deref().and_then(View::parse);
    // The item chosen decides the view (a water section is always a water card); without
    // one, the first of the view asked for.
    let chosen = choice
        .code
        .as_deref()
        .and_then(|code| items.iter().find(|i| i.code == code))
        .or_else(|| {
            let view = asked_view
                .filter(|v| *v != View::Map)
                .unwrap_or(View::Station);
            items.iter().find(|i| i.view == view)
        })
        .or_else(|| items.first());
    // The map shows every station; the list keeps its selection for a switch back.
    let map = asked_view == Some(View::Map);
    let base = site.base_url(&headers).unwrap_or_default();
    let widget = chosen.map(|item| {
        let view = if map { View::Map } else { item.view };
        let (default_width, default_height) = view.default_size();
        Widget {
            view,
            item,
            layers: LAYERS
                .into_iter()
                .find(|l| choice.layers.as_deref() == Some(*l))
                .unwrap_or(LAYERS[0]),
            lang: choice
                .lang
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or_default(),
            scale: choice
                .scale
                .as_deref()
                .and_then(|s| s.parse().ok())
                .unwrap_or(site.default_scale),
            width: size(choice.width.as_deref(), MIN_WIDTH).unwrap_or(default_width),
            height: size(choice.height.as_deref(), MIN_HEIGHT).unwrap_or(default_height),
        }
    });
    let body = render(page_lang, &items, widget.as_ref(), &base);
    page(page_lang, StatusCode::OK, &body)
}

fn render(lang: Lang, items: &[Item], widget: Option<&Widget<'_>>, base: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<p class=\"crumbs\"><a href=\"/\">{}</a></p><h1>{}</h1><p>{}</p>",
        lang.pick("地图", "Map"),
        lang.pick("嵌入小部件", "Embed a widget"),
        lang.pick(
            "选择要嵌入的卡片，预览后复制代码，粘贴到文章或网页中。卡片不需要 JavaScript，数据每小时更新。",
            "Choose a card, preview it, then copy the code into your article or page. The card needs no JavaScript and updates hourly.",
        ),
    );
    let Some(widget) = widget else {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.pick("还没有站点。", "There are no stations yet.")
        );
        return out;
    };

    // The form: a GET to this page, so it works without JavaScript.
    out.push_str("<form id=\"builder\" class=\"embed-builder\" method=\"get\" action=\"/embed\">");
    let _ = write!(
        out,
        "<label>{}<select name=\"view\">",
        lang.pick("类型", "View")
    );
    for view in View::ALL {
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            view.segment(),
            selected(view == widget.view),
            view.label(lang)
        );
    }
    let _ = write!(
        out,
        "</select></label><label>{}<select name=\"code\">",
        lang.pick("站点、断面或企业", "Station, section or enterprise")
    );
    for view in View::ALL.into_iter().filter(|v| *v != View::Map) {
        let _ = write!(out, "<optgroup label=\"{}\">", esc(view.label(lang)));
        for item in items.iter().filter(|i| i.view == view) {
            let _ = write!(
                out,
                "<option value=\"{code}\" data-view=\"{}\"{}>{} ({code})</option>",
                view.segment(),
                selected(item.code == widget.item.code),
                esc(&item.name),
                code = esc(&item.code),
            );
        }
        out.push_str("</optgroup>");
    }
    let _ = write!(
        out,
        "</select></label><label>{}<select name=\"lang\">\
         <option value=\"zh\"{}>中文</option><option value=\"en\"{}>English</option></select></label>",
        lang.pick("卡片语言", "Card language"),
        selected(widget.lang == Lang::Zh),
        selected(widget.lang == Lang::En),
    );
    let _ = write!(
        out,
        "<label>{}<select name=\"scale\">\
         <option value=\"hj633\"{}>{}</option><option value=\"us-epa\"{}>{}</option></select></label>",
        lang.pick("AQI 标准（空气站与地图）", "AQI scale (air stations and map)"),
        selected(widget.scale == AqiScale::Hj633),
        lang.pick("中国 HJ 633-2012", "China HJ 633-2012"),
        selected(widget.scale == AqiScale::UsEpa),
        lang.pick("美国 EPA", "US EPA"),
    );
    let _ = write!(
        out,
        "<label>{}<select name=\"layers\">",
        lang.pick("地图图层（仅地图）", "Map layers (map only)")
    );
    for (layers, zh, en) in [
        (LAYERS[0], "空气和水质", "Air and water"),
        (LAYERS[1], "空气", "Air"),
        (LAYERS[2], "水质", "Water"),
        (
            LAYERS[3],
            "空气、水质和排污企业",
            "Air, water and enterprises",
        ),
        (LAYERS[4], "排污企业", "Enterprises"),
    ] {
        let _ = write!(
            out,
            "<option value=\"{layers}\"{}>{}</option>",
            selected(widget.layers == layers),
            lang.pick(zh, en)
        );
    }
    out.push_str("</select></label>");
    let _ = write!(
        out,
        "<label>{} <input type=\"number\" name=\"width\" min=\"{MIN_WIDTH}\" max=\"{MAX_SIZE}\" value=\"{}\"></label>\
         <label>{} <input type=\"number\" name=\"height\" min=\"{MIN_HEIGHT}\" max=\"{MAX_SIZE}\" value=\"{}\"></label>\
         <button type=\"submit\">{}</button></form>",
        lang.pick("宽度（像素）", "Width (px)"),
        widget.width,
        lang.pick("高度（像素）", "Height (px)"),
        widget.height,
        lang.pick("生成", "Update"),
    );

    let snippet = widget.snippet(base);
    let _ = write!(
        out,
        "<h2>{}</h2><div class=\"embed-preview\"><iframe id=\"preview\" src=\"{}\" width=\"{}\" height=\"{}\" \
         style=\"border:0;max-width:100%\" title=\"{}\"></iframe></div>\
         <h2><label for=\"snippet\">{}</label></h2>\
         <textarea id=\"snippet\" readonly rows=\"4\" cols=\"80\" data-base=\"{}\">{}</textarea>\
         <p><button type=\"button\" id=\"copy\" hidden>{}</button> <span id=\"copied\" role=\"status\"></span></p>\
         <p>{} <a href=\"{}\">{}</a></p>",
        lang.pick("预览", "Preview"),
        esc(&widget.path()),
        widget.width,
        widget.height,
        esc(&widget.title()),
        lang.pick("复制以下代码", "Copy this code"),
        esc(base),
        esc(&snippet),
        lang.pick("复制代码", "Copy code"),
        lang.pick("卡片地址：", "Card address:"),
        esc(&widget.path()),
        esc(&format!("{base}{}", widget.path())),
    );
    let _ = write!(out, "<script>{}</script>", script(lang));
    out
}

fn selected(yes: bool) -> &'static str {
    if yes {
        " selected"
    } else {
        ""
    }
}

/// With JavaScript: the preview and snippet follow the form without a reload, and the copy
/// button appears. The snippet is built exactly as [`Widget::snippet`] builds it.
fn script(lang: Lang) -> String {
    let copied = lang.pick("已复制", "Copied");
    let map_title_en = "Daylight · live air and water map";
    let map_title_zh = "阳光环境 · 实时空气和水质地图";
    format!(
        r#"(function(){{var f=document.getElementById('builder'),p=document.getElementById('preview'),t=document.getElementById('snippet'),c=document.getElementById('copy'),m=document.getElementById('copied');if(!f||!p||!t)return;var pv=f.view.value;
function e(s){{return s.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;').replace(/'/g,'&#39;')}}
function u(){{var v=f.view.value,en=f.lang.value==='en',q=[],path,name,w0=360,h0=220;
if(v==='map'){{if(f.layers.value!=='air,water')q.push('layers='+f.layers.value);path='/embed/map';name=en?'{map_title_en}':'{map_title_zh}';w0=600;h0=420;}}
else{{var o=f.code.options[f.code.selectedIndex];if(!o)return;path='/embed/'+v+'/'+encodeURIComponent(o.value);name=o.text.replace(/ \([^)]*\)$/,'')+' · '+(v==='station'?(en?'air quality':'空气质量'):v==='water'?(en?'water quality':'水质'):(en?'self-monitoring':'自行监测'));}}
if(en)q.push('lang=en');if(v==='station'||v==='map')q.push('scale='+f.scale.value);if(q.length)path+='?'+q.join('&');
var w=Math.min(1600,Math.max(200,parseInt(f.width.value,10)||w0)),h=Math.min(1600,Math.max(150,parseInt(f.height.value,10)||h0));
p.src=path;p.width=w;p.height=h;t.value='<iframe src="'+e(t.getAttribute('data-base')+path)+'" width="'+w+'" height="'+h+'" style="border:0;max-width:100%" title="'+e(name)+'" loading="lazy"></iframe>';
if(history.replaceState)history.replaceState(null,'','/embed?'+new URLSearchParams(new FormData(f)).toString());}}
f.addEventListener('change',function(ev){{if(ev.target===f.code){{var o=f.code.options[f.code.selectedIndex];if(o)f.view.value=o.getAttribute('data-view');}}
else if(ev.target===f.view&&f.view.value!=='map'){{for(var i=0;i<f.code.options.length;i++){{if(f.code.options[i].getAttribute('data-view')===f.view.value){{f.code.selectedIndex=i;break;}}}}}}
if(f.view.value!==pv){{var d=f.view.value==='map'?[600,420]:[360,220];if(pv==='map'||f.view.value==='map'){{f.width.value=d[0];f.height.value=d[1];}}pv=f.view.value;}}u();}});
f.addEventListener('submit',function(ev){{ev.preventDefault();u();}});
if(c&&navigator.clipboard){{c.hidden=false;c.addEventListener('click',function(){{navigator.clipboard.writeText(t.value).then(function(){{m.textContent='{copied}';}});}});}}}})();"#
    )
}

fn page(lang: Lang, status: StatusCode, body: &str) -> Response {
    let title = lang.pick("嵌入小部件", "Embed a widget");
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/style/daylight.css\"><style>{STYLE}</style>\
         <title>{title} · Daylight</title></head>\
         <body><main id=\"main\" class=\"embed-builder-page\">{body}</main></body></html>",
        lang.tag(),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The station list changes with the registry; the page costs little to render.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

const STYLE: &str = ".embed-builder-page{max-width:60rem;margin:0 auto;padding:1rem}\
.embed-builder label{display:block;margin:.5rem 0}\
.embed-builder select,.embed-builder input{display:block;max-width:100%}\
.embed-preview{overflow-x:auto;padding:.5rem;background:#f5f5f5}\
#snippet{width:100%;box-sizing:border-box;font-family:monospace}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_clamped_and_garbage_is_ignored() {
        assert_eq!(size(Some("400"), MIN_WIDTH), Some(400));
        assert_eq!(size(Some("10"), MIN_WIDTH), Some(MIN_WIDTH));
        assert_eq!(size(Some("99999"), MIN_WIDTH), Some(MAX_SIZE));
        assert_eq!(size(Some("abc"), MIN_WIDTH), None);
        assert_eq!(size(None, MIN_WIDTH), None);
    }
}
