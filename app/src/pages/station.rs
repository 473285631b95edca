//! `/station/{code}` and `/water/{code}`: one station's latest hour, what it means, where it
//! came from, and its recent trend.

use daylight_domain::aqi::{category, AqiScale, Pollutant};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, StationKind};
use daylight_domain::water::{WaterBody, WaterClass};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::{use_location, use_params_map};

use crate::assess::{air_status, by_hour, combined_source, water_status};
use crate::components::{
    format_local, format_local_hour, scale_name, AqiBadge, ScaleSwitch, SourceBadge, TrendBar,
    TrendChart, WaterClassBadge,
};
use crate::i18n::{use_lang, use_texts, Lang};
use crate::live::{LiveLine, LiveStatus};
use crate::model::{ReadingView, StationInfo, StationPageData};
use crate::pages::not_found::{LoadError, NotFound};
use crate::prefs::use_scale;
use crate::server_fns::load_station;

#[component]
pub fn StationPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, load_station);
    // Air stations live under /station/, water sections under /water/: one URL per page.
    let expected_kind = if use_location()
        .pathname
        .get_untracked()
        .starts_with("/water/")
    {
        StationKind::Water
    } else {
        StationKind::Air
    };
    let live = LiveStatus::new();
    #[cfg(feature = "hydrate")]
    {
        let scale = use_scale();
        // The connection and the clock belong to the page, not to the effect below: the
        // effect runs again whenever the data reloads, and would close them if they were its.
        let page_owner = Owner::current();
        // Once the first data is in: the clock, and a live connection from where that data
        // was read. A change of this station reloads the page's data in place.
        Effect::new(move |started: Option<bool>| {
            if started == Some(true) {
                return true;
            }
            let Some(Ok(Some(page))) = data.get() else {
                return false;
            };
            let Some(owner) = page_owner.as_ref() else {
                return true;
            };
            owner.with(|| {
                live.start_clock();
                live.touch();
                crate::live::connect(scale, page.site.live_cursor, live, move |message| {
                    let this_station = match &message {
                        crate::live::LiveMessage::Station(summary) => {
                            params.with_untracked(|p| p.get("code")).as_deref()
                                == Some(summary.code.as_str())
                        }
                        crate::live::LiveMessage::Enterprise(_) => false,
                        crate::live::LiveMessage::Resync => true,
                    };
                    if this_station {
                        data.refetch();
                        live.touch();
                    }
                });
            });
            true
        });
    }
    view! {
        // Transition, not Suspense: a live reload keeps the page on screen until the new
        // data is in.
        <Transition fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(Some(page)) if page.station.kind == expected_kind => {
                            view! { <StationView page live /> }.into_any()
                        }
                        Ok(_) => view! { <NotFound /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn StationView(page: StationPageData, live: LiveStatus) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let s = page.station.clone();
    let offset = page.site.utc_offset_minutes;
    let hours = by_hour(&page.readings);
    let mut latest: Vec<&ReadingView> = hours.values().next_back().cloned().unwrap_or_default();
    // In the standard's order (SO2, NO2, CO, O3, PM10, PM2.5…), not alphabetical.
    latest.sort_by_key(|r| Parameter::ALL.iter().position(|p| *p == r.parameter));
    let latest_time = latest.first().map(|r| r.time);
    let source = combined_source(&latest);
    let ago = latest_time.map(|time| lang.updated_ago((page.site.now - time).num_seconds()));

    let body = match s.kind {
        StationKind::Air => view! { <AirDetails latest=latest.iter().map(|r| (*r).clone()).collect() /> }.into_any(),
        StationKind::Water => view! {
            <WaterDetails latest=latest.iter().map(|r| (*r).clone()).collect() body=s.water_body.unwrap_or(WaterBody::River) />
        }
        .into_any(),
    };
    let trend = match s.kind {
        StationKind::Air => air_trend(lang, use_scale(), &page, offset),
        StationKind::Water => water_trend(lang, &page, offset),
    };
    let trend_title = match s.kind {
        StationKind::Air => t.trend_24h,
        StationKind::Water => t.trend_water,
    };
    let simulated = source == Some(daylight_domain::station::DataSource::Simulated);

    // oEmbed discovery: where a CMS finds the embeddable card of this page.
    let oembed = page.site.base_url.clone().map(|base| {
        let path = match s.kind {
            StationKind::Air => format!("/station/{}", s.code),
            StationKind::Water => format!("/water/{}", s.code),
        };
        let title = format!("{} (oEmbed)", s.name);
        let href = |format| crate::oembed::discovery_href(&base, &path, format);
        view! {
            <Link rel="alternate" type_="application/json+oembed" href=href("json") title=title.clone() />
            <Link rel="alternate" type_="text/xml+oembed" href=href("xml") title=title />
        }
    });

    // Share cards: what a link preview shows of this page.
    let headline = crate::share::Headline::new(
        lang,
        crate::prefs::Prefs {
            lang,
            scale: use_scale(),
        },
        &s,
        &latest,
    );
    let segment = crate::share::page_segment(s.kind);
    let share = view! {
        <crate::share::ShareMeta
            title=s.name.clone()
            description=headline.description(lang, &s.name, offset)
            base=page.site.base_url.clone()
            path=format!("/{segment}/{}", s.code)
            image=format!(
                "/card/{segment}/{}.png{}",
                s.code,
                if lang == Lang::En { "?lang=en" } else { "" }
            )
        />
    };

    view! {
        <Title text=s.name.clone() />
        {oembed}
        <crate::feeds::FeedLink kind=crate::feeds::FeedKind::Station(s.code.to_string()) />
        {share}
        <article class="station-page" data-kind=s.kind.as_str() data-code=s.code.to_string()>
            <p class="crumbs"><a href="/">{t.nav_map}</a>" › "{match s.kind { StationKind::Air => t.air_stations, StationKind::Water => t.water_sections }}</p>
            <h1>{s.name.clone()}</h1>
            <StationFacts station=s.clone() />
            {simulated.then(|| view! { <p class="demo-banner" role="note">{t.simulated_banner}</p> })}
            <p class="as-of">
                {t.as_of}": "
                {match latest_time {
                    Some(time) => format_local(time, offset),
                    None => t.no_data.to_string(),
                }}
                " "
                {source.map(|source| view! { <SourceBadge source /> })}
                " "
                <span class="ago">{ago}</span>
            </p>
            <LiveLine status=live />
            {body}
            <section class="trend-section">
                <h2>{trend_title}</h2>
                {trend}
            </section>
            <crate::enterprise::nearby::NearbyEnterpriseList nearby=page.nearby_enterprises.clone() kind=s.kind />
            <p class="flags-note">{t.flags_title}</p>
            <p class="provenance">
                {t.attribution}
                {(!s.provenance.is_empty()).then(|| view! { <br />{t.provenance}": "{s.provenance.clone()}})}
            </p>
            <p><a href=format!("/api/v1/stations/{}/readings", s.code) rel="external">{t.api_link}</a></p>
            // A plain form: works without JavaScript; the server freezes the page and
            // redirects to the snapshot's permalink (server/src/snapshot).
            <form class="cite-form" method="post" action="/snapshot">
                <input type="hidden" name="station" value=s.code.to_string() />
                <input type="hidden" name="lang" value=lang.code() />
                <button type="submit" class="cite-button">{t.cite_button}</button>
                " "
                <span class="cite-hint">{t.cite_hint}</span>
            </form>
        </article>
    }
}

#[component]
fn StationFacts(station: StationInfo) -> impl IntoView {
    let t = use_texts();
    let body = station.water_body.map(|b| match b {
        WaterBody::River => t.river_kind,
        WaterBody::Lake => t.lake_kind,
        WaterBody::Reservoir => t.reservoir_kind,
    });
    view! {
        <dl class="facts">
            {station.district.clone().map(|d| view! { <dt>{t.district}</dt><dd>{d}</dd> })}
            {station.river.clone().map(|r| view! { <dt>{t.river}</dt><dd>{r}</dd> })}
            {body.map(|b| view! { <dt>{t.water_body}</dt><dd>{b}</dd> })}
            <dt>{t.position}</dt>
            <dd>
                {format!("{:.4}°E, {:.4}°N (WGS-84)", station.lon, station.lat)}
                {station.approximate.then(|| view! { <br /><span class="approx-note">"≈ "{t.position_approximate}</span> })}
            </dd>
        </dl>
    }
}

fn flag_text(lang: Lang, flag: DataFlag) -> String {
    let t = lang.t();
    if flag.is_valid() {
        format!("N {}", t.flag_normal)
    } else {
        format!("{} {}", flag.code(), t.flag_other)
    }
}

fn format_value(parameter: Parameter, value: f64) -> String {
    let unit = parameter.unit();
    let digits = if value.abs() >= 100.0 {
        0
    } else if value.abs() >= 10.0 {
        1
    } else {
        2
    };
    let unit = unit.symbol();
    if unit == "pH" {
        format!("{value:.2}")
    } else {
        format!("{value:.digits$} {unit}")
    }
}

#[component]
fn AirDetails(latest: Vec<ReadingView>) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let refs: Vec<&ReadingView> = latest.iter().collect();
    let scale = use_scale();
    let report = air_status(&refs, scale);
    let headline = match &report {
        Ok(r) => {
            let c = &r.category;
            let primary = if r.primary.is_empty() {
                t.no_primary.to_string()
            } else {
                r.primary.iter().map(|p| lang.pick(p.name_zh(), p.name_en())).collect::<Vec<_>>().join("、")
            };
            view! {
                <div class="headline" style=format!("border-color:{}", c.color)>
                    <div class="headline-main">
                        <AqiBadge aqi=r.aqi large=true />
                        <div>
                            <p class="headline-label">{t.aqi}" ("{scale_name(lang, scale)}")"</p>
                            <p class="headline-category">{lang.pick(c.name_zh, c.name_en)}" · "{t.level}" "{c.level}</p>
                            <p>{t.primary_pollutant}": "<strong>{primary}</strong></p>
                        </div>
                    </div>
                    <h2>{t.health_effects}</h2>
                    <p>{lang.pick(c.health_zh, c.health_en)}</p>
                    <h2>{t.advice}</h2>
                    <p>{lang.pick(c.advice_zh, c.advice_en)}</p>
                    <p class="note">
                        {match scale {
                            AqiScale::Hj633 => t.aqi_scale_note,
                            AqiScale::UsEpa => t.aqi_scale_note_epa,
                        }}
                    </p>
                    <ScaleSwitch />
                </div>
            }
            .into_any()
        }
        Err(reason) => view! {
            <div class="headline headline-none">
                <p><strong>{t.no_aqi}</strong></p>
                <p>{match lang { Lang::Zh => reason.reason_zh(), Lang::En => reason.reason_en() }}</p>
            </div>
        }
        .into_any(),
    };
    let sub_index = |p: Parameter| -> Option<u16> {
        let r = report.as_ref().ok()?;
        r.sub_indices
            .iter()
            .find(|si| Some(si.pollutant) == pollutant_of(p))
            .map(|si| si.iaqi)
    };
    let rows = latest
        .iter()
        .map(|r| {
            let iaqi = if is_hourly_aqi_input(r.parameter) {
                sub_index(r.parameter)
            } else {
                None
            };
            view! {
                <tr>
                    <th scope="row">{lang.pick(r.parameter.name_zh(), r.parameter.name_en())}</th>
                    <td class="num">{format_value(r.parameter, r.value)}</td>
                    <td class="num">{iaqi.map(|v| v.to_string())}</td>
                    <td>{flag_text(lang, r.flag)}</td>
                    <td><SourceBadge source=r.source /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {headline}
        <div class="table-wrap">
            <table class="readings">
                <thead>
                    <tr>
                        <th scope="col">{t.col_parameter}</th>
                        <th scope="col">{t.col_value}</th>
                        <th scope="col">{t.col_iaqi}</th>
                        <th scope="col">{t.col_flag}</th>
                        <th scope="col">{t.col_source}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn pollutant_of(p: Parameter) -> Option<Pollutant> {
    match p {
        Parameter::So2 => Some(Pollutant::So2),
        Parameter::No2 => Some(Pollutant::No2),
        Parameter::Co => Some(Pollutant::Co),
        Parameter::O3 => Some(Pollutant::O3),
        Parameter::Pm10 => Some(Pollutant::Pm10),
        Parameter::Pm25 => Some(Pollutant::Pm25),
        _ => None,
    }
}

/// Bar height on the water trend: class I is one unit tall, 劣V six.
fn class_height(class: WaterClass) -> u8 {
    match class {
        WaterClass::I => 1,
        WaterClass::II => 2,
        WaterClass::III => 3,
        WaterClass::IV => 4,
        WaterClass::V => 5,
        WaterClass::WorseThanV => 6,
    }
}

/// The 1-hour values that enter the real-time AQI; the moving averages are shown for
/// information only.
fn is_hourly_aqi_input(p: Parameter) -> bool {
    matches!(
        p,
        Parameter::So2
            | Parameter::No2
            | Parameter::Co
            | Parameter::O3
            | Parameter::Pm10
            | Parameter::Pm25
    )
}

#[component]
fn WaterDetails(latest: Vec<ReadingView>, body: WaterBody) -> impl IntoView {
    let lang = use_lang();
    let t = use_texts();
    let refs: Vec<&ReadingView> = latest.iter().collect();
    let assessment = water_status(&refs, body);
    let headline = match &assessment {
        Some(a) => {
            let deciding = a
                .deciding
                .iter()
                .map(|i| lang.pick(i.name_zh(), i.name_en()))
                .collect::<Vec<_>>()
                .join("、");
            let missing = (!a.missing.is_empty()).then(|| {
                let names = a
                    .missing
                    .iter()
                    .map(|i| lang.pick(i.name_zh(), i.name_en()))
                    .collect::<Vec<_>>()
                    .join("、");
                view! { <p class="missing">{t.missing_items}": "{names}</p> }
            });
            view! {
                <div class="headline" style=format!("border-color:{}", a.class.color())>
                    <div class="headline-main">
                        <WaterClassBadge class=a.class large=true />
                        <div>
                            <p class="headline-label">{t.water_class}" (GB 3838-2002)"</p>
                            <p class="headline-category">{lang.pick(a.class.quality_zh(), a.class.quality_en())}</p>
                            <p>{t.deciding_items}": "<strong>{deciding}</strong></p>
                        </div>
                    </div>
                    {missing}
                    <p class="note">{t.water_judgement_auto}</p>
                </div>
            }
            .into_any()
        }
        None => view! { <div class="headline headline-none"><p>{t.no_data}</p></div> }.into_any(),
    };
    let class_of = |p: Parameter| {
        let a = assessment.as_ref()?;
        let item = daylight_domain::water::WaterItem::from_parameter(p)?;
        a.items.iter().find(|ic| ic.item == item).map(|ic| ic.class)
    };
    let rows = latest
        .iter()
        .map(|r| {
            let class = class_of(r.parameter);
            view! {
                <tr>
                    <th scope="row">{lang.pick(r.parameter.name_zh(), r.parameter.name_en())}</th>
                    <td class="num">{format_value(r.parameter, r.value)}</td>
                    <td>{class.map(|class| view! { <WaterClassBadge class /> })}</td>
                    <td>{flag_text(lang, r.flag)}</td>
                    <td><SourceBadge source=r.source /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {headline}
        <div class="table-wrap">
            <table class="readings">
                <thead>
                    <tr>
                        <th scope="col">{t.col_parameter}</th>
                        <th scope="col">{t.col_value}</th>
                        <th scope="col">{t.col_class}</th>
                        <th scope="col">{t.col_flag}</th>
                        <th scope="col">{t.col_source}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn air_trend(lang: Lang, scale: AqiScale, page: &StationPageData, offset: i32) -> AnyView {
    let hours = by_hour(&page.readings);
    if hours.is_empty() {
        return view! { <p>{lang.t().no_data}</p> }.into_any();
    }
    let bars: Vec<TrendBar> = hours
        .iter()
        .map(|(time, readings)| {
            let label = format_local_hour(*time, offset);
            match air_status(readings, scale) {
                Ok(r) => TrendBar {
                    title: format!(
                        "{label} AQI {} {}",
                        r.aqi,
                        lang.pick(r.category.name_zh, r.category.name_en)
                    ),
                    label,
                    value: Some(f64::from(r.aqi)),
                    color: r.category.color,
                },
                Err(_) => TrendBar {
                    title: format!("{label} {}", lang.t().no_aqi),
                    label,
                    value: None,
                    color: category(scale, 0).color,
                },
            }
        })
        .collect();
    view! { <TrendChart bars label=lang.t().chart_label.to_string() /> }.into_any()
}

fn water_trend(lang: Lang, page: &StationPageData, offset: i32) -> AnyView {
    let hours = by_hour(&page.readings);
    if hours.is_empty() {
        return view! { <p>{lang.t().no_data}</p> }.into_any();
    }
    let body = page.station.water_body.unwrap_or(WaterBody::River);
    let bars: Vec<TrendBar> = hours
        .iter()
        .map(|(time, readings)| {
            let label = format_local_hour(*time, offset);
            match water_status(readings, body) {
                Some(a) => TrendBar {
                    title: format!(
                        "{label} {}",
                        lang.pick(a.class.label_zh(), a.class.label_en())
                    ),
                    label,
                    value: Some(f64::from(class_height(a.class))),
                    color: a.class.color(),
                },
                None => TrendBar {
                    title: label.clone(),
                    label,
                    value: None,
                    color: "#9e9e9e",
                },
            }
        })
        .collect();
    view! { <TrendChart bars label=lang.t().chart_label.to_string() max=6.0 /> }.into_any()
}
