//! `GET /report` and `POST /report`: the complaint form and its submission, as plain HTML
//! form posts (docs/complaints.md). The page itself is the app's `ReportPage`; this module
//! renders it with a fresh submission key (never from the page cache: every visitor needs
//! a key of their own) or with a refused submission's input and problems (422), checks the
//! honeypot and the per-address rate limit, routes the complaint to its district, attaches
//! the evidence snapshot, stores it and redirects to the reporter's follow-up page. With
//! photos the form is `multipart/form-data` (`photos`: reading, checking and serving them).

mod additions;
mod officer;
mod photos;

pub(crate) use officer::suspect_html;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, Utc};
use daylight_app::complaint::data::{evidence_snapshot, fresh_form, with_registry};
use daylight_app::complaint::enterprise_evidence::{
    enterprise_evidence, nearby_enterprise_evidence,
};
use daylight_app::complaint::texts::too_many_text;
use daylight_app::complaint::{field, EvidenceSnapshot, ReportForm, SuspectDraft};
use daylight_app::data::SiteContext;
use daylight_app::i18n::{Lang, LANG_COOKIE};
use daylight_app::shell;
use daylight_domain::complaint::photo::Photo;
use daylight_domain::complaint::suspect::{self, Suspect};
use daylight_domain::complaint::{self, Problem, RawComplaint, ValidComplaint};
use daylight_store::{random_tracking_code, NewComplaint, StoreError, SubmissionKey, Submitted};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;

/// Largest form body accepted (the fields' limits add up to well under this).
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Submissions per client address and window.
const RATE_LIMIT: usize = 10;
const RATE_WINDOW: Duration = Duration::from_secs(600);
/// Attempts at a tracking code that is not taken yet.
const CODE_ATTEMPTS: usize = 8;
/// Submissions with photos read and checked at once. Each holds its photos in memory (up to
/// 5 × 10 MiB, and their copies without metadata) until stored; at about 0.1 s for three
/// 3 MB photos, four at a time is still some 40 such submissions a second. The others wait
/// with their bodies unread.
const UPLOADS_AT_ONCE: usize = 4;

#[derive(Clone)]
pub struct ReportState {
    site: SiteContext,
    options: LeptosOptions,
    limiter: RateLimiter,
    /// Reporters' additions from the follow-up page, counted apart from submissions.
    addition_limiter: RateLimiter,
    uploads: Arc<tokio::sync::Semaphore>,
}

pub fn router(site: SiteContext, options: LeptosOptions) -> Router {
    let state = ReportState {
        site,
        options,
        limiter: RateLimiter::new(RATE_LIMIT, RATE_WINDOW),
        addition_limiter: RateLimiter::new(RATE_LIMIT, RATE_WINDOW),
        uploads: Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)),
    };
    Router::new()
        .route(
            "/report",
            get(form)
                .post(submit)
                // Up to five 10 MiB photos: this route's limit only.
                .layer(DefaultBodyLimit::max(photos::MAX_SUBMISSION_BYTES)),
        )
        .route(
            "/report/follow/{token}/add",
            post(additions::add).layer(DefaultBodyLimit::max(additions::MAX_ADDITION_BYTES)),
        )
        .route(
            "/report/follow/{token}/photos/{number}",
            get(photos::reporter_photo),
        )
        .route(
            "/complaints/{code}/photos/{number}",
            get(photos::public_photo),
        )
        .with_state(state)
}

/// A sliding-window limit per client address, in this process's memory. With several
/// instances behind a load balancer each keeps its own count (the limit is then per
/// instance): it is a brake on floods, not an accounting.
#[derive(Clone)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    seen: Arc<Mutex<HashMap<IpAddr, VecDeque<Instant>>>>,
}

impl RateLimiter {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit,
            window,
            seen: Arc::default(),
        }
    }

    /// Counts an attempt; Err(seconds until the next one is allowed) when over the limit.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            // Bounded memory under a flood of addresses: forget the idle ones.
            let window = self.window;
            seen.retain(|_, times| times.back().is_some_and(|t| now - *t < window));
        }
        let times = seen.entry(client).or_default();
        while times.front().is_some_and(|t| now - *t >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now - oldest);
            return Err(wait.as_secs().max(1));
        }
        times.push_back(now);
        Ok(())
    }
}

/// The client's address: the TCP peer, or, when the peer is a reverse proxy on this host
/// (a loopback address), the last address it appended to `X-Forwarded-For`. A client
/// elsewhere cannot forge it: its own header would come before the proxy's entry.
pub(crate) fn client_address(request: &Request) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !peer.is_loopback() {
        return peer;
    }
    request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

fn lang_of(headers: &HeaderMap) -> Lang {
    daylight_app::prefs::cookie(headers, LANG_COOKIE)
        .and_then(|v| Lang::from_code(&v))
        .unwrap_or_default()
}

/// Renders the app's `/report` page with `form` (None: a fresh form) and the request's
/// headers (language cookie, host), with `status`.
async fn render(
    state: &ReportState,
    headers: HeaderMap,
    form: Option<ReportForm>,
    status: StatusCode,
) -> Response {
    let site = state.site.clone();
    let options = state.options.clone();
    let form = match form {
        Some(form) => Some(with_registry(&site, form).await),
        None => None,
    };
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            if let Some(form) = form.clone() {
                provide_context(form);
            }
        },
        move || shell(options.clone()),
    );
    let mut request = Request::new(Body::empty());
    *request.method_mut() = Method::GET;
    *request.uri_mut() = axum::http::Uri::from_static("/report");
    *request.headers_mut() = headers;
    request.headers_mut().remove(header::CONTENT_LENGTH);
    request.headers_mut().remove(header::CONTENT_TYPE);
    let mut response = handler(request).await;
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /report`: a fresh form with a submission key of its own.
async fn form(State(state): State<ReportState>, headers: HeaderMap) -> Response {
    match fresh_form(&state.site) {
        Ok(form) => render(&state, headers, Some(form), StatusCode::OK).await,
        Err(error) => {
            tracing::error!(%error, "cannot make a submission key");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The form as posted: the complaint's fields, the submission key, the honeypot and the
/// suspected enterprise.
struct Fields {
    raw: RawComplaint,
    key: String,
    honeypot: String,
    suspect: SuspectDraft,
}

/// The form's fields; a field sent twice keeps its first value, unknown fields are ignored.
fn read_form(body: &[u8]) -> Fields {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    read_fields(&pairs)
}

/// The form's fields from name/value pairs, urlencoded or multipart alike.
fn read_fields(pairs: &[(String, String)]) -> Fields {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let raw = RawComplaint {
        category: get(field::CATEGORY),
        description: get(field::DESCRIPTION),
        observed: get(field::OBSERVED),
        lat: get(field::LAT),
        lon: get(field::LON),
        address: get(field::ADDRESS),
        contact: get(field::CONTACT),
        consent: !get(field::CONSENT).is_empty(),
    };
    Fields {
        raw,
        key: get(field::KEY),
        honeypot: get(field::HONEYPOT),
        suspect: SuspectDraft {
            text: get(field::SUSPECT),
            code: get(field::SUSPECT_CODE),
        },
    }
}

/// The status of a refused form: 400 for coordinates that are no coordinates (the
/// picker never sends such; a hand-made request or a typo did), else 422.
fn refused_status(problems: &[Problem]) -> StatusCode {
    if problems.contains(&Problem::LocationInvalid) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Links the suspected enterprise to the registry (see `daylight_domain::complaint::suspect`).
/// Without the registry (storage trouble) the text is kept as written.
async fn resolve_suspect(site: &SiteContext, text: Option<&str>, picked: &str) -> Option<Suspect> {
    let text = text?;
    let picked = (!picked.trim().is_empty()).then_some(picked);
    match site.store.enterprises().await {
        Ok(registry) => suspect::resolve(
            Some(text),
            picked,
            registry.iter().map(|e| (&e.credit_code, e.name.as_str())),
        ),
        Err(error) => {
            tracing::warn!(%error, "registry unavailable; the suspected enterprise kept as text");
            Some(Suspect::Named {
                text: text.to_owned(),
            })
        }
    }
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn follow_location(key: &SubmissionKey) -> String {
    format!("/report/follow/{}?new=1", key.follow_token().expose())
}

/// A small page for the rate limit, in the visitor's language.
fn too_many(lang: Lang, retry_after: u64) -> Response {
    let ct = lang.complaint_texts();
    let message = too_many_text(lang, retry_after);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"/style/daylight.css\"><title>{}</title></head>\
         <body><main id=\"main\"><section class=\"message-page\"><h1>{}</h1><p>{}</p>\
         <p><a href=\"/\">{}</a></p></section></main></body></html>",
        lang.tag(),
        ct.too_many_title,
        ct.too_many_title,
        message,
        lang.t().back_to_map
    );
    let mut response = (StatusCode::TOO_MANY_REQUESTS, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        headers.insert(header::RETRY_AFTER, value);
    }
    response
}

/// `POST /report` (application/x-www-form-urlencoded).
async fn submit(State(state): State<ReportState>, request: Request) -> Response {
    let client = client_address(&request);
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    if let Err(retry_after) = state.limiter.check(client, Instant::now()) {
        tracing::info!(%client, "complaint rate limit reached");
        return too_many(lang, retry_after);
    }
    // Held until the photos are stored (or refused): it bounds the memory they take.
    let mut _upload_permit = None;
    let (fields, upload) = if photos::is_multipart(&parts.headers) {
        _upload_permit = state.uploads.clone().acquire_owned().await.ok();
        let mut multipart = Request::new(body);
        *multipart.headers_mut() = parts.headers.clone();
        // The extensions carry the route's body limit (DefaultBodyLimit).
        *multipart.extensions_mut() = parts.extensions.clone();
        let upload = photos::read(multipart).await;
        (read_fields(&upload.fields), upload.photos)
    } else {
        let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                lang.pick("提交的内容过大。", "The submission is too large."),
            )
                .into_response();
        };
        (read_form(&body), Ok(Vec::new()))
    };
    let Fields {
        raw,
        key,
        honeypot,
        suspect: suspect_draft,
    } = fields;
    // A form from before a restart, or from a client without our page: a key of its own
    // (such a submission is not protected against a double tap).
    let key = match SubmissionKey::parse(&key) {
        Some(key) => key,
        None => match SubmissionKey::generate() {
            Ok(key) => key,
            Err(error) => {
                tracing::error!(%error, "cannot make a submission key");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
    };
    if !honeypot.is_empty() {
        // A bot: it sees the usual answer, nothing is stored.
        tracing::info!(%client, "complaint honeypot filled; discarded");
        return see_other(&follow_location(&key));
    }
    let now = Utc::now();
    let checked = complaint::validate(&raw, now, state.site.utc_offset_minutes);
    let suspect_text = suspect::clean(&suspect_draft.text);
    let (valid, photos, suspect_text) = match (checked, upload, suspect_text) {
        (Ok(valid), Ok(photos), Ok(text)) => (valid, photos, text),
        (checked, upload, suspect_text) => {
            // Refused photos decide the status (400, 413, 415), then coordinates that are
            // none (400), otherwise 422; either way nothing is stored and the form comes
            // back with the fields as typed.
            let photo_problem = upload.err();
            let problems = checked.err().unwrap_or_default();
            let status = photo_problem
                .as_ref()
                .and_then(|p| StatusCode::from_u16(p.http_status()).ok())
                .unwrap_or_else(|| refused_status(&problems));
            if let Some(problem) = &photo_problem {
                tracing::info!(%client, ?problem, "complaint photos refused");
            }
            let form = ReportForm {
                key: key.expose().to_owned(),
                draft: raw,
                problems,
                unavailable: false,
                photo_problem,
                suspect: suspect_draft,
                suspect_problem: suspect_text.err(),
                registry: Vec::new(),
                tiles: None,
                area: None,
            };
            return render(&state, parts.headers, Some(form), status).await;
        }
    };
    let suspect = resolve_suspect(&state.site, suspect_text.as_deref(), &suspect_draft.code).await;
    match store_with_photos(&state.site, &key, valid, &photos, suspect).await {
        Ok(submitted) => {
            let c = submitted.complaint();
            match &submitted {
                Submitted::Created(_) => tracing::info!(
                    code = %c.tracking_code,
                    district = c.district.as_deref().unwrap_or("city"),
                    outside_city = c.outside_city,
                    photos = photos.len(),
                    "complaint received"
                ),
                Submitted::Existing(_) => {
                    tracing::info!(code = %c.tracking_code, "complaint submitted again; kept once")
                }
            }
            see_other(&follow_location(&key))
        }
        Err(error) => {
            tracing::error!(%error, "storing a complaint failed");
            let form = ReportForm {
                key: key.expose().to_owned(),
                draft: raw,
                problems: Vec::new(),
                unavailable: true,
                photo_problem: None,
                suspect: suspect_draft,
                suspect_problem: None,
                registry: Vec::new(),
                tiles: None,
                area: None,
            };
            render(
                &state,
                parts.headers,
                Some(form),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SubmitError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Randomness(#[from] daylight_store::NoRandomness),
    #[error("no free tracking code after {0} attempts")]
    NoFreeCode(usize),
}

/// Routes, snapshots and stores a valid complaint (once per submission key). Also the
/// path of a request filed through Open311 (`crate::open311`).
pub(crate) async fn store(
    site: &SiteContext,
    key: &SubmissionKey,
    valid: ValidComplaint,
) -> Result<Submitted, SubmitError> {
    store_with_photos(site, key, valid, &[], None).await
}

/// [`store`] with the submission's photos, kept in the complaint's own transaction, and
/// the enterprise the resident suspects.
async fn store_with_photos(
    site: &SiteContext,
    key: &SubmissionKey,
    valid: ValidComplaint,
    photos: &[Photo],
    suspect: Option<Suspect>,
) -> Result<Submitted, SubmitError> {
    let idempotency_hash = key.idempotency_hash();
    let districts = site.store.districts().await?;
    let routing = complaint::route(
        valid.location,
        districts.iter().map(|d| (d.adcode.as_str(), &d.boundary)),
    );
    let evidence = match valid.location {
        Some(at) => evidence_snapshot(site, at, site.default_scale)
            .await
            .unwrap_or_else(|error| {
                // The complaint matters more than its snapshot.
                tracing::warn!(%error, "no evidence snapshot for a complaint");
                EvidenceSnapshot::default()
            }),
        None => EvidenceSnapshot::default(),
    };
    let now = Utc::now();
    let suspected = suspect.as_ref().and_then(Suspect::code);
    let nearby_enterprises = match valid.location {
        Some(at) => nearby_enterprise_evidence(
            site.store.as_ref(),
            at,
            suspected,
            now,
            site.utc_offset_minutes,
        )
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "no nearby enterprises' evidence for a complaint");
            Vec::new()
        }),
        None => Vec::new(),
    };
    let evidence = EvidenceSnapshot {
        nearby_enterprises,
        enterprise: match suspected {
            Some(code) => {
                enterprise_evidence(site.store.as_ref(), code, now, site.utc_offset_minutes)
                    .await
                    .unwrap_or_else(|error| {
                        tracing::warn!(%error, "no enterprise evidence for a complaint");
                        None
                    })
            }
            None => None,
        },
        taken: evidence.taken.or(Some(now)),
        ..evidence
    };
    let evidence = serde_json::to_value(&evidence).unwrap_or_default();
    for _ in 0..CODE_ATTEMPTS {
        let new = NewComplaint {
            tracking_code: random_tracking_code(now.year())?,
            follow_hash: key.follow_token().hash(),
            idempotency_hash,
            category: valid.category,
            description: valid.description.clone(),
            observed: valid.observed,
            location: valid.location,
            address: valid.address.clone(),
            district: routing.district().map(str::to_owned),
            outside_city: routing.outside_city(),
            contact: valid.contact.clone(),
            created: now,
            evidence: evidence.clone(),
            suspect: suspect.clone(),
        };
        match site.store.submit_complaint_with_photos(&new, photos).await {
            Err(StoreError::TrackingCodeTaken(_)) => continue,
            other => return Ok(other?),
        }
    }
    Err(SubmitError::NoFreeCode(CODE_ATTEMPTS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_allows_n_per_window_then_says_how_long_to_wait() {
        let limiter = RateLimiter::new(3, Duration::from_secs(600));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let start = Instant::now();
        for i in 0..3 {
            assert_eq!(limiter.check(a, start + Duration::from_secs(i)), Ok(()));
        }
        assert_eq!(limiter.check(a, start + Duration::from_secs(100)), Err(500));
        assert_eq!(limiter.check(b, start + Duration::from_secs(100)), Ok(()));
        // The first attempt leaves the window after 600 s.
        assert_eq!(limiter.check(a, start + Duration::from_secs(600)), Ok(()));
    }

    #[test]
    fn form_fields_are_read_and_repeated_ones_keep_the_first_value() {
        let fields = read_form(
            b"category=odour&description=a%3Cb%3E+c&consent=yes&key=k&website=&category=noise\
              &suspect=%E7%A4%BA%E4%BE%8B&suspect_code=91610111MA6DM0001J",
        );
        assert_eq!(fields.raw.category, "odour");
        assert_eq!(fields.raw.description, "a<b> c");
        assert!(fields.raw.consent);
        assert_eq!(fields.key, "k");
        assert_eq!(fields.honeypot, "");
        assert_eq!(fields.suspect.text, "示例");
        assert_eq!(fields.suspect.code, "91610111MA6DM0001J");
        let fields = read_form(b"\xff\xfe garbage");
        assert_eq!(fields.raw, RawComplaint::default());
        assert_eq!(fields.suspect, SuspectDraft::default());
    }
}
