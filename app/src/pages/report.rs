//! `/report`: the complaint form (a plain HTML form that works without JavaScript, posted
//! to the server's `POST /report`), and `/report/follow/{token}`: the reporter's own page,
//! which also confirms a new submission (`?new=1`).

use daylight_domain::aqi::category as aqi_category;
use daylight_domain::complaint::addition::AdditionProblem;
use daylight_domain::complaint::{Category, Field, Problem};
use daylight_domain::station::DataSource;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::complaint::addition_view::Additions;
use crate::complaint::field;
use crate::complaint::fns::{load_follow, load_report_form};
use crate::complaint::photos::{self, PhotoLinks};
use crate::complaint::picker::LocationPicker;
use crate::complaint::suspect_view::SuspectField;
use crate::complaint::texts::{category_name, problem_text, status_name};
use crate::complaint::{EvidenceSnapshot, FollowView, ReportForm};
use crate::components::format_local;
use crate::i18n::{use_lang, use_texts, Lang};
use crate::pages::not_found::LoadError;

#[component]
pub fn ReportPage() -> impl IntoView {
    let t = use_texts();
    let ct = use_lang().complaint_texts();
    let form = Resource::new(|| (), |_| load_report_form());
    view! {
        <Title text=ct.report_title />
        <crate::share::ShareMeta
            title=ct.report_title.to_string()
            description=format!("{} · {}", t.site_name, ct.report_title)
            base=None
            path="/report".to_string()
        />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                form.get()
                    .map(|result| match result {
                        Ok(form) => view! { <ReportFormView form /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The messages for one field, in the reader's language.
fn messages(lang: Lang, problems: &[Problem], which: Field) -> Option<String> {
    let texts: Vec<String> = problems
        .iter()
        .filter(|p| p.field() == which)
        .map(|p| problem_text(lang, p))
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// Text for a `<textarea>`. Leptos writes a textarea's children into the server's HTML
/// unescaped (it treats it like `<script>`), so a description containing `</textarea>` would
/// break out of the form: the server escapes it here. (HTML decodes the entities inside a
/// textarea, so the resident sees exactly what they wrote. In the browser the text goes into
/// the DOM as text and needs no escaping.)
pub fn textarea_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_owned()
    }
}

#[component]
fn FieldError(id: &'static str, message: Option<String>) -> impl IntoView {
    message.map(|m| view! { <p class="field-error" id=id>{m}</p> })
}

#[component]
fn ReportFormView(form: ReportForm) -> impl IntoView {
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let d = form.draft;
    let err = |which: Field| messages(lang, &form.problems, which);
    let invalid = |which: Field| err(which).is_some().then_some("true");
    let photo_problem = form
        .photo_problem
        .as_ref()
        .map(|p| photos::problem_text(lang, p));
    let photo_invalid = photo_problem.is_some().then_some("true");
    let options = Category::ALL
        .iter()
        .map(|c| {
            let selected = d.category == c.as_str();
            view! { <option value=c.as_str() selected=selected>{category_name(lang, *c)}</option> }
        })
        .collect_view();
    view! {
        <section class="report">
            <h1>{ct.report_title}</h1>
            <p class="report-intro">{ct.report_intro}</p>
            {(!form.problems.is_empty() || form.suspect_problem.is_some())
                .then(|| view! { <p class="form-problems" role="alert">{ct.problems_intro}</p> })}
            {form.unavailable
                .then(|| view! { <p class="form-problems" role="alert">{ct.unavailable}</p> })}
            {photo_problem.clone()
                .map(|m| view! { <p class="form-problems" role="alert">{m}</p> })}
            // multipart: the photos travel with the fields in one plain POST (no script).
            <form method="post" action="/report" enctype="multipart/form-data" class="report-form">
                <input type="hidden" name=field::KEY value=form.key />
                <div class="field">
                    <label for="category">{ct.category}</label>
                    <select id="category" name=field::CATEGORY required aria-invalid=invalid(Field::Category) aria-describedby="err-category">
                        <option value="">{ct.choose_category}</option>
                        {options}
                    </select>
                    <FieldError id="err-category" message=err(Field::Category) />
                </div>
                <div class="field">
                    <label for="description">{ct.description}</label>
                    <p class="hint">{ct.description_hint}</p>
                    <textarea id="description" name=field::DESCRIPTION rows="5" maxlength="2000" required aria-invalid=invalid(Field::Description) aria-describedby="err-description">{textarea_text(&d.description)}</textarea>
                    <FieldError id="err-description" message=err(Field::Description) />
                </div>
                <div class="field">
                    <label for="observed">{ct.observed}</label>
                    <input id="observed" type="datetime-local" name=field::OBSERVED value=d.observed.clone() required aria-invalid=invalid(Field::Observed) aria-describedby="err-observed" />
                    <FieldError id="err-observed" message=err(Field::Observed) />
                </div>
                <fieldset class="field place">
                    <legend>{ct.place}</legend>
                    <p class="hint">{ct.place_hint}</p>
                    <LocationPicker
                        lat=d.lat.clone()
                        lon=d.lon.clone()
                        invalid=invalid(Field::Location)
                        tiles=form.tiles.clone()
                        area=form.area
                    />
                    <FieldError id="err-location" message=err(Field::Location) />
                    <label for="address">{ct.address}</label>
                    <input id="address" type="text" name=field::ADDRESS maxlength="200" value=d.address.clone() aria-invalid=invalid(Field::Address) aria-describedby="err-address" />
                    <FieldError id="err-address" message=err(Field::Address) />
                </fieldset>
                <SuspectField draft=form.suspect.clone() registry=form.registry.clone() problem=form.suspect_problem />
                <div class="field">
                    <label for="contact">{ct.contact}</label>
                    <p class="hint">{ct.contact_hint}</p>
                    <input id="contact" type="text" name=field::CONTACT autocomplete="email" maxlength="100" value=d.contact.clone() aria-invalid=invalid(Field::Contact) aria-describedby="err-contact" />
                    <FieldError id="err-contact" message=err(Field::Contact) />
                </div>
                <div class="field">
                    <label for="photos">{photos::label(lang)}</label>
                    <p class="hint">{photos::hint(lang)}</p>
                    <input id="photos" type="file" name=field::PHOTOS accept="image/jpeg,image/png,image/webp" multiple aria-invalid=photo_invalid aria-describedby="err-photos" />
                    <FieldError id="err-photos" message=photo_problem />
                </div>
                <div class="honeypot" aria-hidden="true">
                    <label for="website">{ct.honeypot}</label>
                    <input id="website" type="text" name=field::HONEYPOT tabindex="-1" autocomplete="off" value="" />
                </div>
                <div class="field consent">
                    <label>
                        <input type="checkbox" name=field::CONSENT value="yes" checked=d.consent required aria-invalid=invalid(Field::Consent) aria-describedby="err-consent" />
                        {ct.consent}
                    </label>
                    <FieldError id="err-consent" message=err(Field::Consent) />
                </div>
                <button type="submit" class="submit">{ct.submit}</button>
            </form>
        </section>
    }
}

#[component]
pub fn FollowPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, load_follow);
    view! {
        // The token is in the address: never send it to another site.
        <Meta name="referrer" content="no-referrer" />
        <Suspense fallback=move || view! { <p class="loading">{t.map_loading}</p> }>
            {move || {
                data.get()
                    .map(|result| match result {
                        Ok(Some(view)) => view! { <FollowDetails view /> }.into_any(),
                        Ok(None) => view! { <FollowNotFound /> }.into_any(),
                        Err(_) => view! { <LoadError /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn FollowNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let ct = use_lang().complaint_texts();
    view! {
        <Title text=ct.follow_not_found_title />
        <section class="message-page">
            <h1>{ct.follow_not_found_title}</h1>
            <p>{ct.follow_not_found_body}</p>
            <p><a href="/report">{ct.back_to_form}</a></p>
        </section>
    }
}

#[component]
fn FollowDetails(view: FollowView) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        // A private page: no shared cache may keep it.
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let query = use_query_map();
    let is_new = query.read_untracked().get("new").is_some();
    let added = query.read_untracked().get("added").is_some();
    let addition_problem = query
        .read_untracked()
        .get("addition")
        .and_then(|p| AdditionProblem::parse(&p));
    let own_path = view
        .follow_url
        .find("/report/follow/")
        .map(|i| view.follow_url[i..].to_owned())
        .unwrap_or_default();
    let offset = view.utc_offset_minutes;
    let district = match (&view.district, view.outside_city) {
        (Some(name), _) => name.clone(),
        (None, true) => format!("{}（{}）", ct.city_queue, ct.outside_city),
        (None, false) => ct.city_queue.to_string(),
    };
    let title = if is_new {
        ct.received_title
    } else {
        ct.follow_title
    };
    let place = view
        .location
        .map(|(lon, lat)| format!("{lat:.5}, {lon:.5}"))
        .into_iter()
        .chain(view.address.clone())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <Title text=title />
        <section class="follow">
            <h1>{title}</h1>
            <div class="tracking">
                <p>{ct.your_code}</p>
                <p class="tracking-code" data-code=view.tracking_code.clone()>{view.tracking_code.clone()}</p>
                <p class="hint">{ct.code_hint}</p>
            </div>
            {is_new.then(|| {
                view! {
                    <div class="follow-link">
                        <p>{ct.your_link}</p>
                        <p><a class="follow-url" href=view.follow_url.clone()>{view.follow_url.clone()}</a></p>
                        <p class="hint warning">{ct.link_hint}</p>
                    </div>
                }
            })}
            <dl class="complaint-facts">
                <dt>{ct.status}</dt>
                <dd class="status" data-status=view.status.as_str()>{status_name(lang, view.status)}</dd>
                <dt>{ct.col_category}</dt>
                <dd>{category_name(lang, view.category)}</dd>
                <dt>{ct.district}</dt>
                <dd class="district">{district}</dd>
                <dt>{ct.submitted}</dt>
                <dd>{format_local(view.submitted, offset)}</dd>
                <dt>{ct.observed.trim_end_matches(" *")}</dt>
                <dd>{format_local(view.observed, offset)}</dd>
                <dt>{ct.location}</dt>
                <dd>{place}</dd>
                {view.suspect.clone().map(|suspect| {
                    let pt = lang.place_texts();
                    let unregistered = suspect.code().is_none().then_some(pt.not_registered);
                    view! {
                        <dt>{pt.suspect_title}</dt>
                        <dd class="suspect" data-code=suspect.code().map(|c| c.to_string())>
                            {suspect.name().to_string()}{unregistered}
                        </dd>
                    }
                })}
            </dl>
            <p class="complaint-description">{view.description.clone()}</p>
            {(!view.photos.is_empty()).then(|| {
                let token = view
                    .follow_url
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let urls = view
                    .photos
                    .iter()
                    .map(|n| (*n, photos::follow_url(&token, *n)))
                    .collect();
                view! {
                    <section class="complaint-photos">
                        <h2>{photos::heading(lang)}</h2>
                        <PhotoLinks lang urls />
                    </section>
                }
            })}
            {(!view.replies.is_empty()).then(|| {
                let replies = view
                    .replies
                    .iter()
                    .map(|r| {
                        view! {
                            <li>
                                <time>{format_local(r.time, offset)}</time>
                                <p>{r.body.clone()}</p>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>();
                view! {
                    <section class="replies">
                        <h2>{ct.replies_title}</h2>
                        <ol>{replies}</ol>
                    </section>
                }
            })}
            <Additions
                lang
                path=own_path
                additions=view.additions.clone()
                offset
                added
                problem=addition_problem
            />
            <EvidenceView evidence=view.evidence.clone() offset />
            <p><a href="/report">{ct.new_report}</a></p>
        </section>
    }
}

fn kilometres(lang: Lang, metres: f64) -> String {
    lang.distance(metres)
}

#[component]
fn EvidenceView(evidence: EvidenceSnapshot, offset: i32) -> impl IntoView {
    let lang = use_lang();
    let ct = lang.complaint_texts();
    let t = use_texts();
    let enterprise = evidence
        .enterprise
        .clone()
        .map(|e| view! { <EnterpriseEvidenceView evidence=e offset /> });
    let enterprise = view! {
        {enterprise}
        <NearbyEnterprisesView nearby=evidence.nearby_enterprises.clone() offset />
    };
    if evidence.air.is_empty() && evidence.water.is_none() {
        return view! {
            <section class="evidence">
                <h2>{ct.evidence_title}</h2>
                <p>{ct.evidence_none}</p>
                {enterprise}
            </section>
        }
        .into_any();
    }
    let scale = evidence
        .scale
        .unwrap_or(daylight_domain::aqi::AqiScale::Hj633);
    let air = evidence
        .air
        .iter()
        .map(|a| {
            let aqi = match a.aqi {
                Some(aqi) => {
                    let c = aqi_category(scale, aqi);
                    let primary: Vec<&str> = a.primary.iter().map(|p| p.label()).collect();
                    let primary = if primary.is_empty() {
                        String::new()
                    } else {
                        format!(" · {} {}", ct.primary, primary.join(", "))
                    };
                    format!("AQI {aqi} {}{primary}", lang.pick(c.name_zh, c.name_en))
                }
                None => ct.no_aqi.to_string(),
            };
            let values = a
                .values
                .iter()
                .map(|(p, v)| format!("{} {v} {}", p.short_label(), p.unit().symbol()))
                .collect::<Vec<_>>()
                .join(" · ");
            let time = a.time.map(|t| format_local(t, offset)).unwrap_or_default();
            let simulated = (a.source == Some(DataSource::Simulated))
                .then(|| format!(" ({})", t.source_simulated));
            view! {
                <li data-code=a.code.to_string()>
                    <strong>{a.name.clone()}</strong>
                    {format!(" ({} {})", ct.away, kilometres(lang, a.distance_m))}
                    <br />
                    {aqi}
                    <br />
                    <small>{values}</small>
                    <br />
                    <small>{format!("{} {time}", t.as_of)} {simulated}</small>
                </li>
            }
        })
        .collect_view();
    let water = evidence.water.as_ref().map(|w| {
        let class = w
            .class
            .map(|c| lang.pick(c.label_zh(), c.label_en()).to_string())
            .unwrap_or_else(|| t.no_data.to_string());
        let time = w.time.map(|t| format_local(t, offset)).unwrap_or_default();
        view! {
            <h3>{ct.nearest_water}</h3>
            <p data-code=w.code.to_string()>
                <strong>{w.name.clone()}</strong>
                {format!(" ({} {}): {class}", ct.away, kilometres(lang, w.distance_m))}
                <br />
                <small>{format!("{} {time}", t.as_of)}</small>
            </p>
        }
    });
    view! {
        <section class="evidence">
            <h2>{ct.evidence_title}</h2>
            <p class="hint">{ct.evidence_intro}</p>
            <h3>{ct.nearest_air}</h3>
            <ul>{air}</ul>
            {water}
            {enterprise}
        </section>
    }
    .into_any()
}

/// The registered enterprises near the point at submission, each as
/// [`EnterpriseEvidenceView`] with its distance (nothing when there were none).
#[component]
fn NearbyEnterprisesView(
    nearby: Vec<crate::complaint::NearbyEnterpriseEvidence>,
    offset: i32,
) -> impl IntoView {
    let pt = use_lang().place_texts();
    (!nearby.is_empty()).then(|| {
        let items = nearby
            .into_iter()
            .map(|n| {
                view! { <EnterpriseEvidenceView evidence=n.evidence offset distance_m=n.distance_m /> }
            })
            .collect_view();
        view! {
            <div class="nearby-enterprise-evidence">
                <h3>{pt.nearby_enterprises}</h3>
                {items}
            </div>
        }
    })
}

/// The suspected enterprise's self-monitoring at submission (evidence snapshot), or, with
/// `distance_m`, a nearby enterprise's (under [`NearbyEnterprisesView`]'s heading).
#[component]
fn EnterpriseEvidenceView(
    evidence: crate::complaint::EnterpriseEvidence,
    offset: i32,
    #[prop(optional)] distance_m: Option<f64>,
) -> impl IntoView {
    let lang = use_lang();
    let pt = lang.place_texts();
    let t = use_texts();
    let number = |v: f64| {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let values = evidence
        .latest
        .iter()
        .map(|v| {
            let over = v
                .multiple
                .map(|m| format!(" · {} {}×", pt.over_by, number(m)));
            let simulated = (v.source == DataSource::Simulated)
                .then(|| format!(" ({})", t.source_simulated));
            view! {
                <li class:over=v.multiple.is_some()>
                    {format!(
                        "{} {}: {} {} ({} {} {})",
                        v.outlet,
                        lang.pick(v.pollutant.name_zh(), v.pollutant.name_en()),
                        number(v.value),
                        v.unit.symbol(),
                        pt.limit,
                        number(v.limit),
                        v.unit.symbol(),
                    )}
                    {over}
                    <br />
                    <small>{format!("{} {}", t.as_of, format_local(v.time, offset))}{simulated}</small>
                </li>
            }
        })
        .collect_view();
    let events = evidence
        .exceedances
        .iter()
        .map(|e| {
            view! {
                <li>
                    {format!(
                        "{} {} – {}: {} {} {} ({} {} {}, {} {}×)",
                        e.outlet,
                        format_local(e.start, offset),
                        format_local(e.end, offset),
                        lang.pick(e.pollutant.name_zh(), e.pollutant.name_en()),
                        number(e.peak),
                        e.unit.symbol(),
                        pt.limit,
                        number(e.limit),
                        e.unit.symbol(),
                        pt.over_by,
                        number(e.multiple),
                    )}
                </li>
            }
        })
        .collect_view();
    let href = format!("/enterprise/{}", evidence.code);
    view! {
        <div class="enterprise-evidence" data-code=evidence.code.clone()>
            {distance_m.is_none().then(|| view! { <h3>{pt.enterprise_evidence}</h3> })}
            <p>
                <a href=href>{evidence.name.clone()}</a>
                {distance_m.map(|d| format!(" · {}", lang.distance(d)))}
                {evidence.exceeding_now.then(|| view! { " · " <strong class="exceeding">{pt.exceeding_now}</strong> })}
                <br />
                <small>{pt.self_reported}</small>
            </p>
            {if evidence.latest.is_empty() {
                view! { <p>{pt.no_values}</p> }.into_any()
            } else {
                view! { <ul>{values}</ul> }.into_any()
            }}
            {(!evidence.exceedances.is_empty()).then(|| view! {
                <h4>{format!("{} ({})", pt.exceedances, evidence.exceedances_total)}</h4>
                <ul>{events}</ul>
            })}
        </div>
    }
}
