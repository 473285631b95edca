//! Creating requests: `POST requests`, checked like the form and filed through its path.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use daylight_app::complaint::texts::problem_text;
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_domain::complaint::{Category, Field, Problem, RawComplaint};
use daylight_store::{open311_submission_key, IngestSecret, Open311Key, SubmissionKey, Submitted};

use super::doc::{Document, Node};
use super::requests::{requests_document, zone_of, Agencies};
use super::services::unknown_service;
use super::{
    language, respond, split_format, unknown_resource, Format, Open311Error, Open311State, Params,
    MAX_FORM_BYTES,
};

/// `POST /open311/v2/requests.{fmt}` (application/x-www-form-urlencoded).
pub(super) async fn post_file(
    State(state): State<Open311State>,
    Path(file): Path<String>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let query = Params::parse(parts.uri.query().unwrap_or_default().as_bytes());
    let lang = language(&query, &parts.headers);
    let (name, format) = match split_format(&file) {
        Ok(split) => split,
        Err(error) => return error.into_response(Format::Xml, lang),
    };
    if name != "requests" {
        return unknown_resource().into_response(format, lang);
    }
    // GeoReport sends a form; a JSON or multipart body would otherwise read as "no api_key".
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.split(';').next().is_some_and(|t| {
        t.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if !is_form {
        return Open311Error::bad_request(
            "请以 application/x-www-form-urlencoded 表单提交（Content-Type）。",
            "Send the request as a form: Content-Type: application/x-www-form-urlencoded.",
        )
        .into_response(format, lang);
    }
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Open311Error::bad_request("提交的内容过大。", "The request body is too large.")
            .into_response(format, lang);
    };
    let form = Params::parse(&body);
    let lang = if form.get("locale").is_some() {
        language(&form, &parts.headers)
    } else {
        lang
    };
    let idempotency = parts
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    match create(&state, &form, &query, idempotency.as_deref(), lang).await {
        Ok(doc) => respond(format, StatusCode::OK, &doc),
        Err(error) => error.into_response(format, lang),
    }
}

/// The client whose `api_key` this is (in the form body, as GeoReport sends it, or in the
/// query string, where some clients put it).
pub(super) async fn client(
    site: &SiteContext,
    form: &Params,
    query: &Params,
) -> Result<Open311Key, Open311Error> {
    let forbidden = |zh: &str, en: &str| Open311Error::new(StatusCode::FORBIDDEN, zh, en);
    let Some(raw) = form.get("api_key").or_else(|| query.get("api_key")) else {
        return Err(forbidden(
            "缺少 api_key：提交投诉举报需要本网站运营方发放的 API 密钥。",
            "The api_key is missing: creating a request needs an API key issued by the \
             operator of this site.",
        ));
    };
    let invalid = || {
        forbidden(
            "api_key 无效或已被撤销。",
            "The api_key is not valid (or it was revoked).",
        )
    };
    let secret = IngestSecret::parse(raw).ok_or_else(invalid)?;
    site.store
        .open311_key_by_hash(&secret.hash())
        .await
        .map_err(Open311Error::unavailable)?
        .ok_or_else(invalid)
}

/// The GeoReport parameter a problem is about, to name it in the message.
pub(super) fn parameter_of(problem: &Problem) -> &'static str {
    match problem.field() {
        Field::Category => "service_code",
        Field::Description => "description",
        Field::Observed => "requested_datetime",
        Field::Location => "lat/long",
        Field::Address => "address_string",
        Field::Contact => "email/phone",
        Field::Consent => "api_key",
    }
}

pub(super) fn problem_error(problem: &Problem) -> (String, String) {
    let parameter = parameter_of(problem);
    let text = |lang| match problem {
        // The form's wording speaks of its own fields; here the parameters have names.
        Problem::PlaceMissing => lang_pick(
            lang,
            "需要 lat 和 long，或 address_string（不支持 address_id）。",
            "lat and long, or address_string, are required (address_id is not supported).",
        ),
        _ => problem_text(lang, problem),
    };
    (
        format!("{parameter}：{}", text(Lang::Zh)),
        format!("{parameter}: {}", text(Lang::En)),
    )
}

pub(super) fn lang_pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Checks the client and the request, then files it exactly as the public form does.
pub(super) async fn create(
    state: &Open311State,
    form: &Params,
    query: &Params,
    idempotency: Option<&str>,
    lang: Lang,
) -> Result<Document, Open311Error> {
    let client = client(&state.site, form, query).await?;
    let site = &state.site;
    let service_code = form.get("service_code").ok_or_else(|| {
        Open311Error::bad_request(
            "缺少 service_code（见 services.json）。",
            "The service_code is missing (see services.json).",
        )
    })?;
    if service_code.trim().parse::<Category>().is_err() {
        // GeoReport: a service_code that is not found is a 404.
        return Err(unknown_service(service_code.trim()));
    }
    let now = Utc::now();
    // GeoReport has no time of observation: the request is about now, in the display time
    // zone the validation reads times in.
    let observed = now
        .with_timezone(&zone_of(site))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    // One contact is kept, as on the form: the phone number (officers call back), else the
    // e-mail address. Names are not stored: nobody needs them to handle a complaint.
    let contact = form
        .get("phone")
        .or_else(|| form.get("email"))
        .unwrap_or_default();
    let raw = RawComplaint {
        category: service_code.trim().to_owned(),
        description: form.get("description").unwrap_or_default().to_owned(),
        observed,
        lat: form.get("lat").unwrap_or_default().to_owned(),
        lon: form.get("long").unwrap_or_default().to_owned(),
        address: form.get("address_string").unwrap_or_default().to_owned(),
        contact: contact.to_owned(),
        // The client agreed to the terms when its key was issued and asks its users.
        consent: true,
    };
    let valid = daylight_domain::complaint::validate(&raw, now, site.utc_offset_minutes).map_err(
        |problems| Open311Error {
            status: StatusCode::BAD_REQUEST,
            errors: problems.iter().map(problem_error).collect(),
        },
    )?;
    let key = match idempotency {
        Some(text) => open311_submission_key(&client.name, text),
        None => SubmissionKey::generate().map_err(Open311Error::unavailable)?,
    };
    let submitted = crate::complaints::store(site, &key, valid)
        .await
        .map_err(Open311Error::unavailable)?;
    let complaint = submitted.complaint();
    match &submitted {
        Submitted::Created(_) => tracing::info!(
            client = %client.name,
            code = %complaint.tracking_code,
            district = complaint.district.as_deref().unwrap_or("city"),
            outside_city = complaint.outside_city,
            "Open311 request received"
        ),
        Submitted::Existing(_) => tracing::info!(
            client = %client.name,
            code = %complaint.tracking_code,
            "Open311 request sent again; kept once"
        ),
    }
    let agencies = Agencies::load(site, lang).await?;
    let agency = agencies.of(complaint.district.as_deref());
    let zone = zone_of(site);
    let clock = state.deadlines.clock(
        complaint.created,
        complaint.status,
        now,
        site.utc_offset_minutes,
    );
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let notice = match lang {
        Lang::Zh => format!(
            "已转交{agency}，应于 {} 前受理、{} 前办结。查询码 {}。",
            local(clock.accept_by),
            local(clock.close_by),
            complaint.tracking_code
        ),
        Lang::En => format!(
            "Passed to {agency}; to be accepted by {} and closed by {}. Tracking code {}.",
            local(clock.accept_by),
            local(clock.close_by),
            complaint.tracking_code
        ),
    };
    Ok(requests_document(vec![Node::Object(vec![
        (
            "service_request_id",
            Node::text(complaint.tracking_code.as_str()),
        ),
        ("service_notice", Node::Text(notice)),
        ("account_id", Node::Null),
    ])]))
}
