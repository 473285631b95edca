//! `/embed/enterprise/{code}`: an enterprise's self-monitoring as a small card for another
//! site's `<iframe>`, like the station cards ([`crate::embed`]): rendered on the server
//! only, no script, styles inline. It shows each monitored pollutant's latest value against
//! its limit and whether it exceeds now, always with "self-reported, not audited" (the
//! values are the enterprise's own) and the demo label for the demo's fictional
//! enterprises. The figures are the enterprise page's own ([`enterprise_page`]).

use chrono::Utc;
use leptos::prelude::*;

use crate::components::format_local;
use crate::data::SiteContext;
use crate::embed::{document, not_found_card, CardOutcome, RenderedCard};
use crate::enterprise::data::enterprise_page;
use crate::enterprise::texts::{pollutant_name, texts};
use crate::enterprise::EnterprisePageData;
use crate::prefs::Prefs;

/// Rows shown at most: a card is small; the full page has them all.
const MAX_ROWS: usize = 6;

/// The card of the enterprise with credit code `code`.
pub async fn enterprise_card(site: &SiteContext, code: &str, prefs: Prefs) -> RenderedCard {
    match enterprise_page(
        site.store.as_ref(),
        code,
        Utc::now(),
        site.utc_offset_minutes,
    )
    .await
    {
        Ok(Some(page)) => {
            let title = page.info.name.clone();
            RenderedCard {
                outcome: CardOutcome::Found,
                html: document(prefs, title, move || {
                    view! { <EnterpriseCard page prefs /> }.into_any()
                }),
            }
        }
        Ok(None) => not_found_card(prefs),
        Err(error) => {
            tracing::error!(%error, "loading an enterprise embed card failed");
            let t = prefs.lang.t();
            RenderedCard {
                outcome: CardOutcome::Unavailable,
                html: document(prefs, t.error_title.to_string(), move || {
                    view! {
                        <article class="card card-message">
                            <h1>{t.error_title}</h1>
                            <p>{t.error_body}</p>
                        </article>
                    }
                    .into_any()
                }),
            }
        }
    }
}

/// A number as the page shows it: up to 3 significant decimals, no trailing zeros.
fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[component]
fn EnterpriseCard(page: EnterprisePageData, prefs: Prefs) -> impl IntoView {
    let lang = prefs.lang;
    let t = lang.t();
    let et = texts(lang);
    let info = &page.info;
    let offset = page.utc_offset_minutes;
    let as_of = page
        .outlets
        .iter()
        .flat_map(|o| o.monitored.iter())
        .filter_map(|m| m.latest.as_ref().map(|l| l.time))
        .max();
    let color = if page.exceeding_now {
        "#c62828"
    } else {
        "#2e7d32"
    };
    let mut rows = Vec::new();
    for outlet in &page.outlets {
        for m in &outlet.monitored {
            rows.push((outlet.code.clone(), outlet.name.clone(), m.clone()));
        }
    }
    let more = rows.len().saturating_sub(MAX_ROWS);
    let rows = rows
        .into_iter()
        .take(MAX_ROWS)
        .map(|(code, name, m)| {
            let unit = m.unit.symbol();
            let latest = match &m.latest {
                Some(l) => format!("{} {unit}", number(l.value)),
                None => et.no_value.to_string(),
            };
            let state = if m.exceeding_now {
                view! { <strong class="over">{et.exceeding}</strong> }.into_any()
            } else if m.latest.is_some() {
                view! { <span>{et.within}</span> }.into_any()
            } else {
                view! { <span>"—"</span> }.into_any()
            };
            let outlet = if name.is_empty() { code } else { name };
            view! {
                <tr>
                    <td>{outlet}" · "{pollutant_name(lang, m.pollutant)}</td>
                    <td>{latest}</td>
                    <td>{format!("≤ {} {unit}", number(m.limit))}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let link = format!("/enterprise/{}?lang={}", info.credit_code, lang.code());
    let sub = match &info.district {
        Some(d) => format!("{d} · {}", info.industry),
        None => info.industry.clone(),
    };
    view! {
        <article class="card card-enterprise" style=format!("--c:{color}") data-kind="enterprise" data-code=info.credit_code.clone()>
            <header>
                <h1>
                    {info.name.clone()}
                    {info.demo.then(|| view! { " " <span class="demo">{et.demo_label}</span> })}
                </h1>
                <p class="sub">{sub}</p>
            </header>
            {page.exceeding_now.then(|| view! { <p class="detail over">{et.exceeding_now_banner}</p> })}
            {if page.outlets.iter().all(|o| o.monitored.is_empty()) {
                view! { <p class="detail">{et.no_outlets}</p> }.into_any()
            } else {
                view! {
                    <table class="outlets">
                        <thead>
                            <tr>
                                <th>{et.col_pollutant}</th>
                                <th>{et.col_latest}</th>
                                <th>{et.col_limit}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
            {(more > 0).then(|| view! { <p class="sub">{format!("+{more}")}</p> })}
            <p class="as-of">
                {t.as_of}": "
                {match as_of {
                    Some(time) => view! { <time datetime=time.to_rfc3339()>{format_local(time, offset)}</time> }.into_any(),
                    None => t.no_data.into_any(),
                }}
                " "<span class="source source-self-reported">{et.self_reported}</span>
            </p>
            <footer>
                <span class="attribution">{t.embed_brand}" · "{et.self_reported}</span>
                <a class="full" href=link target="_blank" rel="noopener">
                    {t.embed_full_page}" ↗"<span class="vh">{t.embed_new_tab}</span>
                </a>
            </footer>
        </article>
    }
}
