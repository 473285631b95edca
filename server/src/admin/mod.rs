//! The complaints back office, `/admin` (docs/complaints.md, "For officers"): sign-in,
//! the queue, a complaint's page with its actions, the CSV export. Plain HTML forms, so it
//! works without JavaScript; every POST carries the session's CSRF token, and the session
//! cookie is `HttpOnly; SameSite=Strict; Path=/admin` (+ `Secure` on https).

mod handling;
pub(crate) mod html;
mod live;
mod nearby_evidence;
pub mod password;
mod photos;
mod registry;
mod registry_html;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use daylight_app::data::SiteContext;
use daylight_app::i18n::{Lang, LANG_COOKIE};
use daylight_domain::complaint::{Deadlines, Status, TrackingCode};
use daylight_store::{
    random_secret, AdminSession, AssigneeFilter, Complaint, ComplaintAction, EventKind,
    QueueFilter, QueueItem, QueueScope, Role, SessionId,
};
use serde::Deserialize;

use html::Page;

const SESSION_COOKIE: &str = "daylight_admin";
/// A double-submit token for the sign-in form (there is no session yet).
const LOGIN_COOKIE: &str = "daylight_admin_login";
const SESSION_HOURS: i64 = 12;
const MAX_FORM_BYTES: usize = 32 * 1024;
/// Longest note or reply.
const MAX_TEXT: usize = 4000;
/// Failed sign-ins per address and per user name in the window.
const LOGIN_FAILURES: usize = 10;
const LOGIN_WINDOW: Duration = Duration::from_secs(600);
/// Complaints in a queue page or an export.
const QUEUE_LIMIT: u32 = 1000;

/// The back office's content policy: its pages load only what this server serves (the
/// queue's script is a file, `/admin/queue.js`, never inline; the page's own `<style>` is the
/// one inline thing), connect only here (the live queue), post forms only here, and are
/// framed by nobody. Set by `crate::web`'s framing layer for every `/admin` path.
pub const CONTENT_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

#[derive(Clone)]
pub struct AdminState {
    site: SiteContext,
    deadlines: Deadlines,
    failures: Failures,
    /// The newest complaint, for the live queue (`live`).
    watch: Arc<live::QueueWatch>,
}

pub fn router(site: SiteContext, deadlines: Deadlines) -> Router {
    let state = AdminState {
        watch: Arc::new(live::QueueWatch::new(site.store.clone())),
        site,
        deadlines,
        failures: Failures::default(),
    };
    Router::new()
        .route("/admin", get(queue))
        .route("/admin/", get(queue))
        .route("/admin/live", get(live::stream))
        .route("/admin/queue.js", get(live::script))
        .route("/admin/login", get(login_form).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/export.csv", get(export))
        .route(
            "/admin/enterprises",
            get(registry::page).post(registry::upload),
        )
        .route("/admin/complaint/{code}", get(complaint).post(act))
        .route(
            "/admin/complaint/{code}/photos/{number}",
            get(photos::original).post(photos::decide),
        )
        .with_state(state)
}

/// Failed sign-ins per key (an address or a user name), in memory.
#[derive(Clone, Default)]
pub(crate) struct Failures(Arc<Mutex<HashMap<String, VecDeque<Instant>>>>);

impl Failures {
    pub(crate) fn blocked(&self, keys: &[String], now: Instant) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().any(|key| {
            let times = seen.entry(key.clone()).or_default();
            while times.front().is_some_and(|t| now - *t >= LOGIN_WINDOW) {
                times.pop_front();
            }
            times.len() >= LOGIN_FAILURES
        })
    }

    pub(crate) fn record(&self, keys: &[String], now: Instant) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, t| t.back().is_some_and(|t| now - *t < LOGIN_WINDOW));
        }
        for key in keys {
            seen.entry(key.clone()).or_default().push_back(now);
        }
    }
}

pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    daylight_app::prefs::cookie(headers, LANG_COOKIE)
        .and_then(|v| Lang::from_code(&v))
        .unwrap_or_default()
}

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

fn secure(state: &AdminState, headers: &HeaderMap) -> bool {
    state
        .site
        .base_url(headers)
        .is_some_and(|u| u.starts_with("https://"))
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    cookie_at("/admin", name, value, max_age, secure)
}

/// A session cookie scoped to `path` (the enterprise accounts use `/account`).
pub(crate) fn cookie_at(
    path: &str,
    name: &str,
    value: &str,
    max_age: i64,
    secure: bool,
) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={max_age}{secure}"
    ))
    .ok()
}

pub(crate) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The session of this request, if signed in.
async fn session(
    state: &AdminState,
    headers: &HeaderMap,
) -> Result<Option<AdminSession>, Response> {
    let Some(id) =
        daylight_app::prefs::cookie(headers, SESSION_COOKIE).and_then(|v| SessionId::parse(&v))
    else {
        return Ok(None);
    };
    state
        .site
        .store
        .admin_session(&id.hash(), Utc::now())
        .await
        .map_err(|error| unavailable(&error))
}

pub(crate) fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "back office: store error");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "service unavailable / 服务暂不可用",
    )
        .into_response()
}

pub(crate) fn form_fields(body: &[u8]) -> HashMap<String, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut map = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(v);
    }
    map
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn forbidden(lang: Lang) -> Response {
    html::message(
        lang,
        StatusCode::FORBIDDEN,
        lang.pick("无权操作", "Forbidden"),
        lang.pick(
            "请求未通过校验或您无权处理该投诉。请返回后台重新操作。",
            "The request failed its check, or this complaint is not yours to handle. Go back to the back office and try again.",
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

async fn login_form(State(state): State<AdminState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    login_page(&state, &headers, lang, None, StatusCode::OK)
}

fn login_page(
    state: &AdminState,
    headers: &HeaderMap,
    lang: Lang,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let Ok(token) = random_secret() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let mut response = html::login(lang, &token, error, status);
    if let Some(value) = cookie(LOGIN_COOKIE, &token, 3600, secure(state, headers)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn login(State(state): State<AdminState>, request: Request) -> Response {
    let client = client_address(&request);
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let fields = form_fields(&body);
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let expected = daylight_app::prefs::cookie(&parts.headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, get("csrf")) {
        return forbidden(lang);
    }
    let username = get("username").trim().to_lowercase();
    let password = get("password").to_owned();
    let keys = [format!("ip:{client}"), format!("user:{username}")];
    let now = Instant::now();
    if state.failures.blocked(&keys, now) {
        tracing::info!(%client, "back office sign-in rate limit reached");
        return login_page(
            &state,
            &parts.headers,
            lang,
            Some(lang.pick(
                "尝试次数过多，请 10 分钟后再试。",
                "Too many attempts. Try again in 10 minutes.",
            )),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let found = match state.site.store.admin_credentials(&username).await {
        Ok(found) => found,
        Err(error) => return unavailable(&error),
    };
    let (admin, stored) = match found {
        Some((admin, hash)) => (Some(admin), hash),
        None => (None, password::dummy().to_owned()),
    };
    let ok = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .unwrap_or(false);
    let admin = match (admin, ok) {
        (Some(admin), true) => admin,
        _ => {
            state.failures.record(&keys, now);
            tracing::info!(%client, "back office sign-in failed");
            return login_page(
                &state,
                &parts.headers,
                lang,
                Some(lang.pick("用户名或密码错误。", "Wrong user name or password.")),
                StatusCode::UNAUTHORIZED,
            );
        }
    };
    let (Ok(id), Ok(csrf)) = (SessionId::generate(), random_secret()) else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let expires = Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    if let Err(error) = state
        .site
        .store
        .create_admin_session(&id.hash(), admin.id, &csrf, expires)
        .await
    {
        return unavailable(&error);
    }
    tracing::info!(user = %admin.username, "back office sign-in");
    let mut response = see_other("/admin");
    let secure = secure(&state, &parts.headers);
    for value in [
        cookie(SESSION_COOKIE, id.expose(), SESSION_HOURS * 3600, secure),
        cookie(LOGIN_COOKIE, "", 0, secure),
    ]
    .into_iter()
    .flatten()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Reads a POST's form, checking the session and its CSRF token.
async fn signed_post(
    state: &AdminState,
    request: Request,
) -> Result<(AdminSession, HashMap<String, String>, Lang, HeaderMap), Response> {
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    let Some(session) = session(state, &parts.headers).await? else {
        return Err(forbidden(lang));
    };
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    };
    let fields = form_fields(&body);
    let sent = fields.get("csrf").map(String::as_str).unwrap_or("");
    if !same_secret(&session.csrf, sent) {
        tracing::info!(user = %session.admin.username, "back office POST without a valid CSRF token");
        return Err(forbidden(lang));
    }
    Ok((session, fields, lang, parts.headers))
}

async fn logout(State(state): State<AdminState>, request: Request) -> Response {
    let headers = request.headers().clone();
    if let Err(response) = signed_post(&state, request).await {
        return response;
    }
    if let Some(id) =
        daylight_app::prefs::cookie(&headers, SESSION_COOKIE).and_then(|v| SessionId::parse(&v))
    {
        if let Err(error) = state.site.store.end_admin_session(&id.hash()).await {
            return unavailable(&error);
        }
    }
    let mut response = see_other("/admin/login");
    if let Some(value) = cookie(SESSION_COOKIE, "", 0, secure(&state, &headers)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Queue and export
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct QueueQuery {
    /// An adcode, or "city" for the city-level queue.
    district: Option<String>,
    status: Option<String>,
    /// "me": assigned to the signed-in officer; "none": to nobody.
    assigned: Option<String>,
}

impl QueueQuery {
    /// What the queue of `session` shows: a district officer only ever their district.
    fn filter(&self, session: &AdminSession) -> QueueFilter {
        let role = &session.admin.role;
        let scope = match (role, self.district.as_deref().filter(|d| !d.is_empty())) {
            (Role::DistrictOfficer { district }, _) => QueueScope::District(district.clone()),
            (_, Some("city")) => QueueScope::City,
            (_, Some(d)) => QueueScope::District(d.to_owned()),
            (_, None) => QueueScope::All,
        };
        QueueFilter {
            scope,
            status: self
                .status
                .as_deref()
                .and_then(|s| s.parse::<Status>().ok()),
            assignee: match self.assigned.as_deref() {
                Some("me") => AssigneeFilter::Is(session.admin.username.clone()),
                Some("none") => AssigneeFilter::Nobody,
                _ => AssigneeFilter::Anyone,
            },
        }
    }

    fn filters(&self) -> html::QueueFilters<'_> {
        html::QueueFilters {
            district: self.district.as_deref(),
            status: self.status.as_deref(),
            assigned: self.assigned.as_deref(),
        }
    }
}

/// The complaints `session` may see, narrowed by the query.
async fn visible(
    state: &AdminState,
    session: &AdminSession,
    query: &QueueQuery,
) -> Result<Vec<QueueItem>, Response> {
    let mut list = state
        .site
        .store
        .complaint_queue(&query.filter(session), QUEUE_LIMIT)
        .await
        .map_err(|e| unavailable(&e))?;
    let role = &session.admin.role;
    list.retain(|item| role.may_see(item.complaint.district.as_deref()));
    Ok(list)
}

async fn queue(
    State(state): State<AdminState>,
    headers: HeaderMap,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return see_other("/admin/login"),
        Err(response) => return response,
    };
    let query = query.map(|Query(q)| q).unwrap_or_default();
    // Taken before the queue is read: a complaint stored in between is sent live too (and
    // the page's script skips a row it already has), never missed.
    let after = match state.site.store.last_complaint_id().await {
        Ok(id) => id,
        Err(error) => return unavailable(&error),
    };
    let list = match visible(&state, &session, &query).await {
        Ok(list) => list,
        Err(response) => return response,
    };
    let names = daylight_app::complaint::data::district_names(&state.site)
        .await
        .unwrap_or_default();
    let filters = query.filters();
    html::queue(
        &Page {
            lang,
            session: &session,
            names: &names,
            deadlines: state.deadlines,
            utc_offset_minutes: state.site.utc_offset_minutes,
        },
        &list,
        filters,
        &format!("/admin/live?after={after}&{}", filters.query()),
    )
}

async fn export(
    State(state): State<AdminState>,
    headers: HeaderMap,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return forbidden(lang),
        Err(response) => return response,
    };
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let list = match visible(&state, &session, &query).await {
        Ok(list) => list,
        Err(response) => return response,
    };
    let names = daylight_app::complaint::data::district_names(&state.site)
        .await
        .unwrap_or_default();
    let with_contact = session.admin.role == Role::Admin;
    match html::csv(
        &list,
        &names,
        state.deadlines,
        state.site.utc_offset_minutes,
        with_contact,
    ) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"complaints.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Err(error) => unavailable(&error),
    }
}

// ---------------------------------------------------------------------------------------------
// One complaint
// ---------------------------------------------------------------------------------------------

/// The complaint `code` if this session may see it: Err(404 or 403) otherwise.
async fn own_complaint(
    state: &AdminState,
    session: &AdminSession,
    code: &str,
    lang: Lang,
) -> Result<Complaint, Response> {
    let not_found = || {
        html::message(
            lang,
            StatusCode::NOT_FOUND,
            lang.pick("未找到", "Not found"),
            lang.pick(
                "没有这个查询码的投诉。",
                "There is no complaint with this tracking code.",
            ),
        )
    };
    let Ok(code) = TrackingCode::parse(code) else {
        return Err(not_found());
    };
    let Some(complaint) = state
        .site
        .store
        .complaint_by_code(&code)
        .await
        .map_err(|e| unavailable(&e))?
    else {
        return Err(not_found());
    };
    if !session.admin.role.may_see(complaint.district.as_deref()) {
        tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, "back office: another district's complaint refused");
        return Err(forbidden(lang));
    }
    Ok(complaint)
}

async fn complaint(
    State(state): State<AdminState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return see_other("/admin/login"),
        Err(response) => return response,
    };
    let complaint = match own_complaint(&state, &session, &code, lang).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    detail(&state, &session, &complaint, lang, None, StatusCode::OK).await
}

async fn detail(
    state: &AdminState,
    session: &AdminSession,
    complaint: &Complaint,
    lang: Lang,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let events = match state.site.store.complaint_events(complaint.id).await {
        Ok(events) => events,
        Err(error) => return unavailable(&error),
    };
    let photos = match state.site.store.complaint_photos(complaint.id).await {
        Ok(photos) => photos,
        Err(error) => return unavailable(&error),
    };
    let names = daylight_app::complaint::data::district_names(&state.site)
        .await
        .unwrap_or_default();
    let (handling, accounts, registry) = match handling::context(state, complaint).await {
        Ok(context) => context,
        Err(error) => return unavailable(&error),
    };
    html::complaint(
        &Page {
            lang,
            session,
            names: &names,
            deadlines: state.deadlines,
            utc_offset_minutes: state.site.utc_offset_minutes,
        },
        complaint,
        &html::HandlingView {
            handling: &handling,
            officers: handling::assignable(&accounts, complaint),
            registry: &registry,
        },
        &events,
        &photos,
        problem,
        status,
    )
}

/// `POST /admin/complaint/{code}`: `action` = `status` (with `status`), `note` or `reply`
/// (with `body`); `expected` is the status the officer saw.
async fn act(
    State(state): State<AdminState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let (session, fields, lang, _) = match signed_post(&state, request).await {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let complaint = match own_complaint(&state, &session, &code, lang).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    match (get("action"), get("status")) {
        ("assign", _) => {
            return handling::assign(&state, &session, &complaint, &fields, lang).await
        }
        ("enterprise", _) => {
            return handling::link(&state, &session, &complaint, &fields, lang).await
        }
        ("status", "closed_founded") => {
            return handling::close_founded(&state, &session, &complaint, &fields, lang).await
        }
        ("status", _) if !get("enterprise").trim().is_empty() => {
            return detail(
                &state,
                &session,
                &complaint,
                lang,
                Some(lang.pick(
                    "只有在“办结（情况属实）”时才能关联企业。",
                    "An enterprise can only be linked when closing the complaint as founded.",
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        _ => {}
    }
    let body: String = get("body")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_owned();
    let refuse = |message: &'static str| (message, StatusCode::UNPROCESSABLE_ENTITY);
    let action = match get("action") {
        "status" => match get("status").parse::<Status>() {
            Ok(to) if complaint.status.can_become(to) => {
                Ok((EventKind::Status, Some(to)))
            }
            Ok(_) => Err(refuse(lang.pick(
                "不能从当前状态转到所选状态（受理 → 调查 → 办结；已办结的投诉不能再改）。",
                "The complaint cannot go from its current status to that one (received → accepted → investigating → closed; a closed complaint stays closed).",
            ))),
            Err(_) => Err(refuse(lang.pick("请选择新的状态。", "Choose the new status."))),
        },
        "note" | "reply" if body.is_empty() => {
            Err(refuse(lang.pick("内容不能为空。", "The text is empty.")))
        }
        "note" | "reply" if body.chars().count() > MAX_TEXT => Err(refuse(lang.pick(
            "内容过长（最多 4000 字）。",
            "The text is too long (4,000 characters at most).",
        ))),
        "note" => Ok((EventKind::Note, None)),
        "reply" => Ok((EventKind::PublicReply, None)),
        _ => Err(refuse(lang.pick("未知操作。", "Unknown action."))),
    };
    let expected = get("expected").parse::<Status>().ok();
    let (kind, status) = match action {
        Ok(a) if expected == Some(complaint.status) => a,
        Ok(_) => return detail(
            &state,
            &session,
            &complaint,
            lang,
            Some(lang.pick(
                "该投诉的状态已被他人更改，请查看后重新操作。",
                "Someone else changed this complaint's status meanwhile: check it and try again.",
            )),
            StatusCode::CONFLICT,
        )
        .await,
        Err((message, code)) => {
            return detail(&state, &session, &complaint, lang, Some(message), code).await
        }
    };
    let action = ComplaintAction {
        complaint_id: complaint.id,
        expected_status: complaint.status,
        time: Utc::now(),
        kind,
        status,
        body: if kind == EventKind::Status {
            body.clone()
        } else {
            body
        },
        actor: session.admin.username.clone(),
    };
    match state.site.store.act_on_complaint(&action).await {
        Ok(Some(event)) => {
            tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, kind = kind.as_str(), event = event.id, "complaint action");
            see_other(&format!("/admin/complaint/{}", complaint.tracking_code))
        }
        Ok(None) => detail(
            &state,
            &session,
            &complaint,
            lang,
            Some(lang.pick(
                "该投诉的状态已被他人更改，请查看后重新操作。",
                "Someone else changed this complaint's status meanwhile: check it and try again.",
            )),
            StatusCode::CONFLICT,
        )
        .await,
        Err(error) => unavailable(&error),
    }
}
