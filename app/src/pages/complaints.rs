//! `/complaints`: the public register. No personal data: no contact, no description, no
//! follow-up token; locations snapped to a ~200 m grid.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::complaint::fns::load_register;
use crate::complaint::photos::{self, PhotoLinks};
use crate::complaint::stats_view::MonthlyStatsTable;
use crate::complaint::texts::{category_name, status_name};
use crate::complaint::RegisterData;
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
                <tr data-code=e.tracking_code.clone()>
                    <td class="code">{e.tracking_code.clone()}</td>
                    <td>{category_name(lang, e.category)}</td>
                    <td>{district}</td>
                    <td data-status=e.status.as_str()>{status_name(lang, e.status)}</td>
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
