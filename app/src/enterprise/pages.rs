//! `/enterprises` (the searchable register, a GET form that works without JavaScript) and
//! `/enterprise/{code}` (outlets, latest values against limits, exceedances, completeness).

use daylight_domain::station::DataSource;
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::chart::HourlyChart;
use super::fns::{load_enterprise, load_enterprises};
use super::nearby::NearbyList;
use super::texts::{
    averaging_name, events_shown, frequency_name, method_name, outlet_kind, pollutant_name,
    statement_kind_name, texts,
};
use super::{
    EnterpriseList, EnterprisePageData, ManualResultView, MonitoredView, OutletView, StatementView,
};
use crate::components::format_local;
use crate::i18n::{use_lang, use_texts};
use crate::pages::{LoadError, NotFound};

#[component]
pub fn EnterprisesPage() -> impl IntoView {
    let t = use_texts();
    let et = texts(use_lang());
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let data = Resource::new(q, load_enterprises);
    view! {
        <Title text=et.list_title />
        <crate::share::ShareMeta
            title=et.list_title.to_string()
            description=format!("{} · {}", t.site_name, et.self_reported)
            base=None
            path="/enterprises".to_string()
        />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(list) => view! { <ListView list /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ListView(list: EnterpriseList) -> impl IntoView {
    let lang = use_lang();
    let et = texts(lang);
    let rows = list
        .rows
        .iter()
        .map(|e| {
            let now = if e.exceeding_now {
                view! { <span class="exceeding">{et.exceeding}</span> }.into_any()
            } else if e.latest_time.is_some() {
                view! { <span class="within">{et.within}</span> }.into_any()
            } else {
                view! { <span class="no-data">{et.no_recent}</span> }.into_any()
            };
            view! {
                <tr data-code=e.credit_code.clone() data-exceeding=e.exceeding_now.to_string()>
                    <td>
                        <a href=format!("/enterprise/{}", e.credit_code)>{e.name.clone()}</a>
                        {e.demo.then(|| view! { " " <span class="demo-tag">{et.demo_label}</span> })}
                    </td>
                    <td>{e.district.clone().unwrap_or_default()}</td>
                    <td>{e.industry.clone()}</td>
                    <td>{now}</td>
                </tr>
            }
        })
        .collect_view();
    let any_demo = list.rows.iter().any(|r| r.demo);
    view! {
        <section class="enterprises">
            <h1>{et.list_title}</h1>
            <p>{et.list_intro}</p>
            <p class="self-reported-note" role="note">{et.self_reported}</p>
            {any_demo.then(|| view! { <p class="demo-banner" role="note">{et.demo_label}" · "{et.simulated}</p> })}
            <form method="get" action="/enterprises" class="search" role="search">
                <label for="enterprise-q">{et.search_label}</label>
                <input id="enterprise-q" type="search" name="q" value=list.query.clone() maxlength="100" />
                <button type="submit">{et.search_button}</button>
            </form>
            <p class="count">{format!("{} {} {}", list.rows.len(), et.shown_of, list.total)}</p>
            {if list.rows.is_empty() {
                view! { <p class="empty">{et.none_found}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="enterprise-list">
                            <thead>
                                <tr>
                                    <th scope="col">{et.col_name}</th>
                                    <th scope="col">{et.col_district}</th>
                                    <th scope="col">{et.col_industry}</th>
                                    <th scope="col">{et.col_now}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <p><a href="/api/v1/enterprises" rel="external">{et.api}</a></p>
        </section>
    }
}

#[component]
pub fn EnterprisePage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, load_enterprise);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(Some(page)) => view! { <EnterpriseView page /> }.into_any(),
                        Ok(None) => view! { <NotFound /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

fn number(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[component]
fn EnterpriseView(page: EnterprisePageData) -> impl IntoView {
    let lang = use_lang();
    let et = texts(lang);
    let offset = page.utc_offset_minutes;
    let info = page.info.clone();
    let self_reported = page.sources.contains(&DataSource::SelfReported);
    let simulated = page.sources.contains(&DataSource::Simulated);
    let outlets = page
        .outlets
        .iter()
        .cloned()
        .map(|outlet| view! { <OutletSection outlet offset now=page.now.timestamp() /> })
        .collect_view();
    let events = page
        .exceedances
        .iter()
        .map(|e| {
            let unit = e.unit.symbol();
            let per = match e.averaging {
                daylight_domain::enterprise::Averaging::Hourly => lang.pick(" 小时", " h"),
                daylight_domain::enterprise::Averaging::Daily => lang.pick(" 天", " d"),
            };
            view! {
                <tr>
                    <td>{e.outlet.clone()}</td>
                    <td>{pollutant_name(lang, e.pollutant)}" ("{averaging_name(lang, e.averaging)}")"</td>
                    <td>{format_local(e.start, offset)}</td>
                    <td>{format_local(e.end, offset)}</td>
                    <td>{format!("{}{per}", e.values)}</td>
                    <td>{format!("{} {unit}", number(e.peak))}</td>
                    <td>{format!("{} {unit}", number(e.limit))}</td>
                    <td class="multiple">{format!("{:.2}", e.multiple)}</td>
                </tr>
            }
        })
        .collect_view();
    let completeness = page
        .outlets
        .iter()
        .flat_map(|o| {
            o.monitored.iter().flat_map(move |m| {
                m.completeness.iter().map(move |c| {
                    let missing = c.expected.saturating_sub(c.received);
                    let percent = if c.expected == 0 {
                        100.0
                    } else {
                        f64::from(c.received.min(c.expected)) * 100.0 / f64::from(c.expected)
                    };
                    view! {
                        <tr data-missing=missing.to_string()>
                            <td>{o.code.clone()}</td>
                            <td>{pollutant_name(lang, m.pollutant)}</td>
                            <td>{format!("{}-{:02}", c.year, c.month)}</td>
                            <td>{c.expected}</td>
                            <td>{c.received}</td>
                            <td>{missing}</td>
                            <td>{format!("{percent:.1}%")}</td>
                        </tr>
                    }
                })
            })
        })
        .collect_view();
    let no_events = page.exceedances.is_empty();
    // oEmbed discovery (issue 7): where a CMS finds the embeddable card of this page.
    let oembed = page.base_url.clone().map(|base| {
        let path = format!("/enterprise/{}", info.credit_code);
        let title = format!("{} (oEmbed)", info.name);
        let href = |format| crate::oembed::discovery_href(&base, &path, format);
        view! {
            <Link rel="alternate" type_="application/json+oembed" href=href("json") title=title.clone() />
            <Link rel="alternate" type_="text/xml+oembed" href=href("xml") title=title />
        }
    });
    let share_description = {
        // "Exceeding" only when it is: without a recent value "within" would claim too much.
        let state = page.exceeding_now.then_some(et.exceeding);
        [
            Some(info.industry.as_str()),
            info.district.as_deref(),
            state,
            Some(et.self_reported),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    };
    view! {
        <Title text=info.name.clone() />
        <crate::share::ShareMeta
            title=info.name.clone()
            description=share_description
            base=page.base_url.clone()
            path=format!("/enterprise/{}", info.credit_code)
        />
        {oembed}
        <crate::feeds::FeedLink kind=crate::feeds::FeedKind::Enterprise(info.credit_code.clone()) />
        <article class="enterprise-page" data-code=info.credit_code.clone()>
            <p class="crumbs"><a href="/enterprises">{et.back}</a></p>
            <h1>
                {info.name.clone()}
                {info.demo.then(|| view! { " " <span class="demo-tag">{et.demo_label}</span> })}
            </h1>
            {self_reported.then(|| view! { <p class="self-reported-note" role="note">{et.self_reported}</p> })}
            {simulated.then(|| view! { <p class="demo-banner" role="note">{et.simulated}" · "{et.self_reported}</p> })}
            {page.exceeding_now.then(|| view! { <p class="exceeding-banner" role="alert">{et.exceeding_now_banner}</p> })}
            <dl class="facts">
                <dt>{et.credit_code}</dt><dd>{info.credit_code.clone()}</dd>
                {(!info.permit_number.is_empty()).then(|| view! { <dt>{et.permit}</dt><dd>{info.permit_number.clone()}</dd> })}
                <dt>{et.industry}</dt><dd>{info.industry.clone()}</dd>
                {info.district.clone().map(|d| view! { <dt>{et.district}</dt><dd>{d}</dd> })}
                {(!info.address.is_empty()).then(|| view! { <dt>{et.address}</dt><dd>{info.address.clone()}</dd> })}
                {(!info.key_unit.is_empty()).then(|| view! { <dt>{et.key_unit}</dt><dd>{info.key_unit.clone()}</dd> })}
                {info.position.map(|(lon, lat)| view! { <dt>"WGS-84"</dt><dd>{format!("{lon:.4}°E, {lat:.4}°N")}</dd> })}
            </dl>
            <NearbyList nearby=page.nearby.clone() />
            <section class="outlets">
                <h2>{et.outlets}</h2>
                {page.outlets.is_empty().then(|| view! { <p class="empty">{et.no_outlets}</p> })}
                {outlets}
            </section>
            <section class="exceedances">
                <h2>{et.exceedances}</h2>
                <p>{et.exceedances_intro}</p>
                {if no_events {
                    view! { <p class="empty">{et.no_exceedances}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                            <table class="exceedance-list">
                                <thead>
                                    <tr>
                                        <th scope="col">{et.col_outlet}</th>
                                        <th scope="col">{et.col_pollutant}</th>
                                        <th scope="col">{et.col_start}</th>
                                        <th scope="col">{et.col_end}</th>
                                        <th scope="col">{et.col_duration}</th>
                                        <th scope="col">{et.col_peak}</th>
                                        <th scope="col">{et.col_limit}</th>
                                        <th scope="col">{et.col_multiple}</th>
                                    </tr>
                                </thead>
                                <tbody>{events}</tbody>
                            </table>
                        </div>
                        {(page.exceedances_total > page.exceedances.len()).then(|| view! {
                            <p class="events-shown">{events_shown(lang, page.exceedances.len(), page.exceedances_total)}</p>
                        })}
                    }
                        .into_any()
                }}
            </section>
            <section class="completeness">
                <h2>{et.completeness}</h2>
                <p>{et.completeness_intro}</p>
                <div class="table-scroll">
                    <table class="completeness-list">
                        <thead>
                            <tr>
                                <th scope="col">{et.col_outlet}</th>
                                <th scope="col">{et.col_pollutant}</th>
                                <th scope="col">{et.col_month}</th>
                                <th scope="col">{et.col_expected}</th>
                                <th scope="col">{et.col_received}</th>
                                <th scope="col">{et.col_missing}</th>
                                <th scope="col">"%"</th>
                            </tr>
                        </thead>
                        <tbody>{completeness}</tbody>
                    </table>
                </div>
            </section>
            <ManualResults results=page.manual_results.clone() offset />
            <Statements statements=page.statements.clone() offset />
            <crate::pages::FoundComplaints code=info.credit_code.clone() />
            <p class="on-map"><a href="/?layers=enterprises">{et.on_map}</a></p>
            {(!info.provenance.is_empty()).then(|| view! { <p class="provenance">{info.provenance.clone()}</p> })}
            <p><a href=format!("/api/v1/enterprises/{}", info.credit_code) rel="external">{et.api}</a></p>
        </article>
    }
}

#[component]
fn OutletSection(outlet: OutletView, offset: i32, now: i64) -> impl IntoView {
    let lang = use_lang();
    let et = texts(lang);
    let rows = outlet
        .monitored
        .iter()
        .map(|m| monitored_row(lang, m, offset))
        .collect_view();
    let charts = outlet
        .monitored
        .iter()
        .filter(|m| m.method == daylight_domain::enterprise::Method::Automatic)
        .cloned()
        .map(|monitored| view! { <HourlyChart monitored outlet=outlet.code.clone() now offset /> })
        .collect_view();
    view! {
        <section class="outlet" data-outlet=outlet.code.clone()>
            <h3>
                {outlet.code.clone()}" · "{outlet.name.clone()}" · "{outlet_kind(lang, outlet.kind)}
                {outlet.stack_height.map(|h| format!(" · {} {h:.0} m", et.stack_height))}
            </h3>
            <div class="table-scroll">
                <table class="monitored">
                    <thead>
                        <tr>
                            <th scope="col">{et.col_pollutant}</th>
                            <th scope="col">{et.col_latest}</th>
                            <th scope="col">{et.col_limit}</th>
                            <th scope="col">{et.col_ratio}</th>
                            <th scope="col">{et.col_multiple}</th>
                            <th scope="col">{et.col_standard}</th>
                            <th scope="col">{et.col_method}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {charts}
        </section>
    }
}

fn monitored_row(lang: crate::i18n::Lang, m: &MonitoredView, offset: i32) -> impl IntoView {
    let et = texts(lang);
    let unit = m.unit.symbol();
    let latest = match &m.latest {
        Some(l) => format!(
            "{} {unit} ({})",
            number(l.value),
            format_local(l.time, offset)
        ),
        None => et.no_value.to_string(),
    };
    let ratio = m
        .latest
        .as_ref()
        .map(|l| format!("{:.0}%", l.ratio * 100.0))
        .unwrap_or_default();
    let multiple = m
        .latest
        .as_ref()
        .and_then(|l| l.multiple)
        .map(|x| format!("{x:.2}"))
        .unwrap_or_else(|| "—".into());
    view! {
        <tr data-pollutant=m.pollutant.as_str() data-exceeding=m.exceeding_now.to_string()>
            <td>{pollutant_name(lang, m.pollutant)}</td>
            <td>{latest}</td>
            <td>{format!("{} {unit} ({})", number(m.limit), averaging_name(lang, m.averaging))}</td>
            <td class=if m.exceeding_now { "ratio exceeding" } else { "ratio" }>{ratio}</td>
            <td>{multiple}</td>
            <td>{m.standard.clone()}</td>
            <td>{method_name(lang, m.method)}", "{frequency_name(lang, m.frequency)}</td>
        </tr>
    }
}

/// The lab results the enterprise entered by hand, each labelled manual and self-reported.
#[component]
fn ManualResults(results: Vec<ManualResultView>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let et = texts(lang);
    if results.is_empty() {
        return ().into_any();
    }
    let rows = results
        .into_iter()
        .map(|m| {
            let outlet = m.outlet.clone();
            view! {
                <tr data-outlet=outlet data-pollutant=m.pollutant.as_str() data-method="manual">
                    <td>{m.outlet}</td>
                    <td>{pollutant_name(lang, m.pollutant)}</td>
                    <td>{format_local(m.time, offset)}</td>
                    <td>{format!("{} {}", number(m.value), m.unit.symbol())}</td>
                    <td>{m.lab_note}</td>
                    <td class="manual-label">{et.manual_label}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="manual-results">
            <h2>{et.manual}</h2>
            <p>{et.manual_intro}</p>
            <p class="self-reported-note" role="note">{et.manual_label}</p>
            <div class="table-scroll">
                <table class="manual-list">
                    <thead>
                        <tr>
                            <th scope="col">{et.col_outlet}</th>
                            <th scope="col">{et.col_pollutant}</th>
                            <th scope="col">{et.col_time}</th>
                            <th scope="col">{et.col_value}</th>
                            <th scope="col">{et.col_note}</th>
                            <th scope="col">{et.col_method}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The enterprise's statements (right of reply), newest first, with time and author.
#[component]
fn Statements(statements: Vec<StatementView>, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let et = texts(lang);
    let empty = statements.is_empty();
    let items = statements
        .into_iter()
        .map(|s| {
            let period = match (s.period_from, s.period_to) {
                (None, None) => None,
                (from, to) => Some(format!(
                    "{}{} {} – {}",
                    et.period,
                    lang.pick("：", ":"),
                    from.map(|t| format_local(t, offset)).unwrap_or_default(),
                    to.map(|t| format_local(t, offset)).unwrap_or_default()
                )),
            };
            let corrected = (!s.corrected_by.is_empty()).then(|| {
                let ids: Vec<String> = s.corrected_by.iter().map(|i| format!("#{i}")).collect();
                view! { <p class="statement-corrected">{format!("{} {}", et.corrected_by, ids.join(", "))}</p> }
            });
            view! {
                <li class="statement" id=format!("statement-{}", s.id) data-id=s.id.to_string() data-kind=s.kind.as_str()>
                    <p class="statement-head">
                        <strong>{format!("#{} · {}", s.id, statement_kind_name(lang, s.kind))}</strong>
                        " · "<time>{format_local(s.created, offset)}</time>
                        " · "{et.by}" "<span class="statement-author">{s.author}</span>
                        {s.outlet.map(|o| view! { " · "{et.col_outlet}" "{o} })}
                        {s.corrects.map(|c| view! { " · "<a href=format!("#statement-{c}")>{format!("{} #{c}", et.corrects)}</a> })}
                    </p>
                    {period.map(|p| view! { <p class="statement-period">{p}</p> })}
                    <p class="statement-body">{s.body}</p>
                    {corrected}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="statements">
            <h2>{et.statements}</h2>
            <p>{et.statements_intro}</p>
            <p class="self-reported-note" role="note">{et.self_reported}</p>
            {if empty {
                view! { <p class="empty">{et.no_statements}</p> }.into_any()
            } else {
                view! { <ul class="statement-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}
