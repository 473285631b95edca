//! `/complaints`: the public register. No personal data: no contact, no description, no
//! follow-up token; locations snapped to a ~200 m grid.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::complaint::fns::{load_found_against, load_register};
use crate::complaint::photos::{self, PhotoLinks};
use crate::complaint::register_map::{points, row_id, RegisterMap};
use crate::complaint::stats_view::MonthlyStatsTable;
use crate::complaint::texts::{category_name, status_name};
use crate::complaint::{FoundAgainst, RegisterData};
use crate::components::format_local;
use crate::i18n::{use_lang, use_texts};
use crate::pages::not_found::LoadError;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_texts();
    let ct = use_lang().complaint_texts();
    let query = use_query_map();
    let month = move || query.read().get("month");
    let data = Resource::new(month, load_register);
    view! {
        <Title text=ct.register_title />
        <crate::share::ShareMeta
            title=ct.register_title.to_string()
            description=format!("{} · {}", t.site_name, ct.register_title)
            base=None
            path="/complaints".to_string()
        />
        <crate::feeds::FeedLink kind=crate::feeds::FeedKind::Complaints />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(data) => view! { <RegisterView data /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn RegisterView(data: RegisterData) -> impl IntoView {
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let offset = data.utc_offset_minutes;
    let rows = data
        .entries
        .iter()
        .map(|e| {
            let district = e
                .district
                .clone()
                .unwrap_or_else(|| ct.city_queue.to_string());
            let area = e
                .coarse_location
                .map(|(lon, lat)| format!("{lat:.3}, {lon:.3}"))
                .unwrap_or_default();
            let date = format_local(e.submitted, offset);
            let date = date.get(..10).unwrap_or(&date).to_string();
            view! {
                <tr id=row_id(&e.tracking_code) data-code=e.tracking_code.clone()>
                    <td class="code">{e.tracking_code.clone()}</td>
                    <td>{category_name(lang, e.category)}</td>
                    <td>{district}</td>
                    <td data-status=e.status.as_str()>{status_name(lang, e.status)}</td>
                    <td class="found-enterprise">
                        {e.enterprise.clone().map(|f| view! {
                            <a href=format!("/enterprise/{}", f.code) data-code=f.code.clone()>{f.name}</a>
                        })}
                    </td>
                    <td>{date}</td>
                    <td>{area}</td>
                    <td class="photos">
                        {(!e.photos.is_empty()).then(|| {
                            let urls = e
                                .photos
                                .iter()
                                .map(|n| (*n, photos::public_url(&e.tracking_code, *n)))
                                .collect();
                            view! { <PhotoLinks lang urls /> }
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="register">
            <h1>{ct.register_title}</h1>
            <p>{ct.register_intro}</p>
            <p><a href="/report">{ct.report_title}</a></p>
            <RegisterMap points=points(lang, &data.entries) tiles=data.tiles.clone() />
            {if data.entries.is_empty() {
                view! { <p class="empty">{ct.register_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="complaints">
                            <thead>
                                <tr>
                                    <th scope="col">{ct.col_code}</th>
                                    <th scope="col">{ct.col_category}</th>
                                    <th scope="col">{ct.col_district}</th>
                                    <th scope="col">{ct.col_status}</th>
                                    <th scope="col">{found_heading(lang)}</th>
                                    <th scope="col">{ct.col_date}</th>
                                    <th scope="col">{ct.col_area}</th>
                                    <th scope="col">{photos::heading(lang)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <MonthlyStatsTable lang stats=data.stats.clone() />
        </section>
    }
}

fn found_heading(lang: crate::i18n::Lang) -> &'static str {
    lang.pick("查实涉及企业", "Found against")
}

/// "Complaints found against this enterprise" on `/enterprise/{code}`: the complaints an
/// officer closed as founded (查实) and linked to it, with tracking code, kind and dates;
/// nothing about the reporter. Loads its own data, so the enterprise page needs only this
/// component.
#[component]
pub fn FoundComplaints(code: String) -> impl IntoView {
    let data = Resource::new(move || code.clone(), load_found_against);
    view! {
        <Suspense fallback=|| ()>
            {move || data.get().map(|result| match result {
                Ok(found) => view! { <FoundList found /> }.into_any(),
                Err(_) => ().into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn FoundList(found: FoundAgainst) -> impl IntoView {
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let offset = found.utc_offset_minutes;
    let list = found.complaints;
    let day = move |t| {
        let text = format_local(t, offset);
        text.get(..10).unwrap_or(&text).to_string()
    };
    let rows = list
        .iter()
        .map(|f| {
            view! {
                <tr data-code=f.tracking_code.clone()>
                    <td class="code">{f.tracking_code.clone()}</td>
                    <td>{category_name(lang, f.category)}</td>
                    <td>{day(f.submitted)}</td>
                    <td>{day(f.found)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="found-complaints">
            <h2>{lang.pick("查实的投诉举报", "Complaints found against this enterprise")}</h2>
            <p>
                {lang.pick(
                    "经办理人员查实（办结：情况属实）并关联到本企业的投诉举报。举报人信息不公开。",
                    "Complaints that officers closed as founded and linked to this enterprise. Nothing about the reporters is published.",
                )}
            </p>
            {if list.is_empty() {
                view! { <p class="empty">{lang.pick("没有查实的投诉举报。", "No complaint has been found against it.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="found-list">
                            <thead>
                                <tr>
                                    <th scope="col">{ct.col_code}</th>
                                    <th scope="col">{ct.col_category}</th>
                                    <th scope="col">{ct.col_date}</th>
                                    <th scope="col">{lang.pick("查实日期", "Found")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p><a href="/complaints">{ct.register_title}</a></p>
                }
                    .into_any()
            }}
        </section>
    }
}
