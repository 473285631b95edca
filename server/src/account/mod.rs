//! Enterprise accounts, `/account` (docs/enterprises.md, "Enterprise accounts"): sign-in,
//! the account's own enterprise page, manual lab results (a form and a CSV upload) and
//! statements (right of reply). Plain HTML forms like the complaints back office, whose
//! pieces it reuses: argon2id passwords, the sign-in rate limit, CSRF tokens on every POST,
//! and a session cookie `HttpOnly; SameSite=Strict; Path=/account` (+ `Secure` on https).
//!
//! **Authorization.** An account belongs to one enterprise. Every private URL names the
//! enterprise (`/account/enterprise/{credit_code}…`) and is refused with 403 unless it is the
//! account's own, before anything is read or written; the store writes results and
//! statements only to outlets of the account's enterprise, whatever the form says.

mod html;
pub mod manual;

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use daylight_app::data::SiteContext;
use daylight_app::i18n::Lang;
use daylight_domain::enterprise::statement::MAX_STATEMENT_CHARS;
use daylight_domain::enterprise::{CreditCode, OutletCode, StatementKind};
use daylight_store::{
    random_secret, EnterpriseSession, NewManualResult, NewStatement, SessionId, StoreError,
};
use serde::Deserialize;

use crate::admin::password;
use crate::admin::{
    client_address, cookie_at, form_fields, lang_of, same_secret, see_other, unavailable, Failures,
};
use manual::{RawResult, ResultError, Rules};

const PATH: &str = "/account";
const SESSION_COOKIE: &str = "daylight_account";
/// A double-submit token for the sign-in form (there is no session yet).
const LOGIN_COOKIE: &str = "daylight_account_login";
const SESSION_HOURS: i64 = 12;
const MAX_FORM_BYTES: usize = 32 * 1024;
/// A CSV upload (5,000 lines of about 100 bytes, with room to spare).
const MAX_UPLOAD_BYTES: usize = 1024 * 1024;
/// Audit records shown on the account page.
const AUDIT_SHOWN: u32 = 100;
/// Bad CSV lines listed (the rest are counted).
const ERRORS_SHOWN: usize = 50;

#[derive(Clone)]
pub struct AccountState {
    site: SiteContext,
    failures: Failures,
}

pub fn router(site: SiteContext) -> Router {
    let state = AccountState {
        site,
        failures: Failures::default(),
    };
    Router::new()
        .route("/account", get(home))
        .route("/account/", get(home))
        .route("/account/login", get(login_form).post(login))
        .route("/account/logout", post(logout))
        .route("/account/enterprise/{code}", get(page))
        .route("/account/enterprise/{code}/results", post(post_result))
        .route("/account/enterprise/{code}/results.csv", post(post_csv))
        .route(
            "/account/enterprise/{code}/statements",
            post(post_statement),
        )
        .with_state(state)
}

fn secure(state: &AccountState, headers: &HeaderMap) -> bool {
    state
        .site
        .base_url(headers)
        .is_some_and(|u| u.starts_with("https://"))
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> Option<header::HeaderValue> {
    cookie_at(PATH, name, value, max_age, secure)
}

async fn session(
    state: &AccountState,
    headers: &HeaderMap,
) -> Result<Option<EnterpriseSession>, Response> {
    let Some(id) =
        daylight_app::prefs::cookie(headers, SESSION_COOKIE).and_then(|v| SessionId::parse(&v))
    else {
        return Ok(None);
    };
    state
        .site
        .store
        .enterprise_session(&id.hash(), Utc::now())
        .await
        .map_err(|error| unavailable(&error))
}

fn forbidden(lang: Lang) -> Response {
    html::message(
        lang,
        StatusCode::FORBIDDEN,
        lang.pick("无权访问", "Forbidden"),
        lang.pick(
            "您的账号只能查看和修改本企业的数据；请求未通过校验或不属于本企业，未保存任何内容。",
            "Your account can see and change only its own enterprise's data. This request failed its check or is for another enterprise; nothing was saved.",
        ),
    )
}

/// `code` if it is the session's own enterprise; None (answered with 403) otherwise.
fn own(session: &EnterpriseSession, code: &str) -> Option<CreditCode> {
    match CreditCode::parse(code) {
        Ok(code) if code == session.user.enterprise => Some(code),
        _ => {
            tracing::info!(user = %session.user.username, asked = %code, "enterprise account: another enterprise refused");
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

async fn home(State(state): State<AccountState>, headers: HeaderMap) -> Response {
    match session(&state, &headers).await {
        Ok(Some(s)) => see_other(&format!("/account/enterprise/{}", s.user.enterprise)),
        Ok(None) => see_other("/account/login"),
        Err(response) => response,
    }
}

async fn login_form(State(state): State<AccountState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    login_page(&state, &headers, lang, None, StatusCode::OK)
}

fn login_page(
    state: &AccountState,
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

async fn login(State(state): State<AccountState>, request: Request) -> Response {
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
    // Keys of their own, so that the back office's and the accounts' limits are separate.
    let keys = [
        format!("account-ip:{client}"),
        format!("account-user:{username}"),
    ];
    let now = Instant::now();
    if state.failures.blocked(&keys, now) {
        tracing::info!(%client, "enterprise sign-in rate limit reached");
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
    let found = match state
        .site
        .store
        .enterprise_user_credentials(&username)
        .await
    {
        Ok(found) => found,
        Err(error) => return unavailable(&error),
    };
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, password::dummy().to_owned()),
    };
    let ok = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .unwrap_or(false);
    let user = match (user, ok) {
        (Some(user), true) => user,
        _ => {
            state.failures.record(&keys, now);
            tracing::info!(%client, "enterprise sign-in failed");
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
    let signed_in = Utc::now();
    let expires = signed_in + chrono::Duration::hours(SESSION_HOURS);
    if let Err(error) = state
        .site
        .store
        .create_enterprise_session(&id.hash(), &user, &csrf, expires, signed_in)
        .await
    {
        return unavailable(&error);
    }
    tracing::info!(user = %user.username, enterprise = %user.enterprise, "enterprise sign-in");
    let mut response = see_other(&format!("/account/enterprise/{}", user.enterprise));
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

/// A POST's fields (URL-encoded, or multipart for the CSV upload: a file field's content
/// is its value), after checking the session and its CSRF token.
struct SignedPost {
    session: EnterpriseSession,
    fields: HashMap<String, String>,
    lang: Lang,
}

async fn signed_post(state: &AccountState, request: Request) -> Result<SignedPost, Response> {
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    let Some(session) = session(state, &parts.headers).await? else {
        return Err(forbidden(lang));
    };
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return Err(html::message(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.pick("文件过大", "Too large"),
            lang.pick(
                "上传内容超过 1 MB，请分批上传。",
                "The upload is larger than 1 MB: split it.",
            ),
        ));
    };
    let fields = if multipart {
        let request = Request::from_parts(parts, Body::from(bytes));
        match multipart_fields(request).await {
            Some(fields) => fields,
            None => return Err(StatusCode::BAD_REQUEST.into_response()),
        }
    } else {
        form_fields(&bytes)
    };
    let sent = fields.get("csrf").map(String::as_str).unwrap_or("");
    if !same_secret(&session.csrf, sent) {
        tracing::info!(user = %session.user.username, "enterprise POST without a valid CSRF token");
        return Err(forbidden(lang));
    }
    Ok(SignedPost {
        session,
        fields,
        lang,
    })
}

async fn multipart_fields(request: Request) -> Option<HashMap<String, String>> {
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    let mut fields = HashMap::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.ok()?;
        // A CSV saved by Excel in China is often GB 18030; only UTF-8 is accepted, said
        // plainly rather than stored as mojibake.
        let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| "\u{fffd}".into());
        fields.entry(name).or_insert(text);
    }
    Some(fields)
}

async fn logout(State(state): State<AccountState>, request: Request) -> Response {
    let headers = request.headers().clone();
    if let Err(response) = signed_post(&state, request).await {
        return response;
    }
    if let Some(id) =
        daylight_app::prefs::cookie(&headers, SESSION_COOKIE).and_then(|v| SessionId::parse(&v))
    {
        if let Err(error) = state.site.store.end_enterprise_session(&id.hash()).await {
            return unavailable(&error);
        }
    }
    let mut response = see_other("/account/login");
    if let Some(value) = cookie(SESSION_COOKIE, "", 0, secure(&state, &headers)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// The account's enterprise
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    saved: Option<String>,
    n: Option<usize>,
}

/// What the page says above its sections after a POST.
pub enum Notice {
    Saved(String),
    Problems(Vec<String>),
}

async fn page(
    State(state): State<AccountState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    query: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return see_other("/account/login"),
        Err(response) => return response,
    };
    let Some(code) = own(&session, &code) else {
        return forbidden(lang);
    };
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let notice = query.saved.as_deref().map(|what| {
        Notice::Saved(match what {
            "statement" => lang
                .pick("说明已发布。", "The statement is published.")
                .to_owned(),
            _ => match lang {
                Lang::Zh => format!("已保存 {} 条手工监测结果。", query.n.unwrap_or(1)),
                Lang::En => format!("{} manual result(s) saved.", query.n.unwrap_or(1)),
            },
        })
    });
    render(&state, &session, &code, lang, notice, StatusCode::OK).await
}

async fn render(
    state: &AccountState,
    session: &EnterpriseSession,
    code: &CreditCode,
    lang: Lang,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let store = state.site.store.as_ref();
    let data = match daylight_app::enterprise::data::enterprise_page(
        store,
        code.as_str(),
        Utc::now(),
        state.site.utc_offset_minutes,
    )
    .await
    {
        Ok(Some(data)) => data,
        Ok(None) => {
            return html::message(
                lang,
                StatusCode::NOT_FOUND,
                lang.pick("未找到", "Not found"),
                lang.pick(
                    "本企业已不在名录中。",
                    "Your enterprise is no longer registered.",
                ),
            )
        }
        Err(error) => return unavailable(&error),
    };
    let audit = match store.enterprise_audit(code, AUDIT_SHOWN).await {
        Ok(audit) => audit,
        Err(error) => return unavailable(&error),
    };
    html::account(
        &html::Page {
            lang,
            session,
            utc_offset_minutes: state.site.utc_offset_minutes,
        },
        &data,
        &audit,
        notice.as_ref(),
        status,
    )
}

/// The rules a result of the session's enterprise is checked against.
async fn rules(state: &AccountState, code: &CreditCode) -> Result<Rules, StoreError> {
    let store = state.site.store.as_ref();
    let outlets = store
        .outlets(Some(code))
        .await?
        .into_iter()
        .map(|o| o.code)
        .collect();
    let limits = store.outlet_limits(Some(code)).await?;
    Ok(Rules::new(
        outlets,
        &limits,
        Utc::now(),
        state.site.utc_offset_minutes,
    ))
}

/// The enterprise a POST may write to: the URL's, if it is the session's own and the form
/// names no other one in its `enterprise` field. None is answered with 403.
fn target(post: &SignedPost, code: &str) -> Option<CreditCode> {
    let code = own(&post.session, code)?;
    match post.fields.get("enterprise").map(|s| s.trim()) {
        None | Some("") => Some(code),
        Some(named) if named == code.as_str() => Some(code),
        Some(named) => {
            tracing::info!(user = %post.session.user.username, named, "enterprise account: form for another enterprise refused");
            None
        }
    }
}

/// Stores validated results, or renders the page with the store's refusal.
async fn store_results(
    state: &AccountState,
    post: &SignedPost,
    code: &CreditCode,
    results: &[NewManualResult],
) -> Response {
    let lang = post.lang;
    match state
        .site
        .store
        .record_manual_results(&post.session.user, results, Utc::now())
        .await
    {
        Ok(records) => {
            tracing::info!(user = %post.session.user.username, enterprise = %code, results = records.len(), "manual results stored");
            see_other(&format!(
                "/account/enterprise/{code}?saved=results&n={}",
                records.len()
            ))
        }
        Err(StoreError::UnknownOutlet(outlet)) => {
            let problem = ResultError::UnknownOutlet(outlet).message(lang);
            render(
                state,
                &post.session,
                code,
                lang,
                Some(Notice::Problems(vec![problem])),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => unavailable(&error),
    }
}

/// `POST /account/enterprise/{code}/results`: one result from the form.
async fn post_result(
    State(state): State<AccountState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let post = match signed_post(&state, request).await {
        Ok(post) => post,
        Err(response) => return response,
    };
    let Some(code) = target(&post, &code) else {
        return forbidden(post.lang);
    };
    let rules = match rules(&state, &code).await {
        Ok(rules) => rules,
        Err(error) => return unavailable(&error),
    };
    let get = |k: &str| post.fields.get(k).map(String::as_str).unwrap_or("");
    let raw = RawResult {
        outlet: get("outlet"),
        pollutant: get("pollutant"),
        time: get("time"),
        value: get("value"),
        unit: get("unit"),
        note: get("note"),
    };
    match rules.check(&raw) {
        Ok(result) => store_results(&state, &post, &code, &[result]).await,
        Err(error) => {
            render(
                &state,
                &post.session,
                &code,
                post.lang,
                Some(Notice::Problems(vec![error.message(post.lang)])),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /account/enterprise/{code}/results.csv`: a CSV file (`file`, multipart) or pasted
/// text (`csv`); all results or none.
async fn post_csv(
    State(state): State<AccountState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let post = match signed_post(&state, request).await {
        Ok(post) => post,
        Err(response) => return response,
    };
    let lang = post.lang;
    let Some(code) = target(&post, &code) else {
        return forbidden(post.lang);
    };
    let text = [post.fields.get("file"), post.fields.get("csv")]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    let problems = |list: Vec<String>| Some(Notice::Problems(list));
    if text.contains('\u{fffd}') {
        let message = lang.pick(
            "文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8”。",
            "The file is not UTF-8: save it as \"CSV UTF-8\".",
        );
        return render(
            &state,
            &post.session,
            &code,
            lang,
            problems(vec![message.to_owned()]),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let rules = match rules(&state, &code).await {
        Ok(rules) => rules,
        Err(error) => return unavailable(&error),
    };
    match rules.check_csv(&text) {
        Ok(results) => store_results(&state, &post, &code, &results).await,
        Err(errors) => {
            let mut list: Vec<String> = errors
                .iter()
                .take(ERRORS_SHOWN)
                .map(|(line, e)| match lang {
                    Lang::Zh => format!("第 {line} 行：{}", e.message(lang)),
                    Lang::En => format!("line {line}: {}", e.message(lang)),
                })
                .collect();
            if errors.len() > ERRORS_SHOWN {
                list.push(match lang {
                    Lang::Zh => format!("……另有 {} 行有误", errors.len() - ERRORS_SHOWN),
                    Lang::En => format!("… and {} more bad lines", errors.len() - ERRORS_SHOWN),
                });
            }
            list.push(
                lang.pick(
                    "文件中有错误，未保存任何结果。请改正后重新上传整个文件。",
                    "The file has errors: nothing was saved. Correct them and upload the whole file again.",
                )
                .to_owned(),
            );
            render(
                &state,
                &post.session,
                &code,
                lang,
                problems(list),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// A statement as the form sends it, checked.
fn statement_from(
    fields: &HashMap<String, String>,
    lang: Lang,
    utc_offset_minutes: i32,
) -> Result<NewStatement, String> {
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let kind = get("kind").parse::<StatementKind>().map_err(|_| {
        lang.pick("请选择说明类型。", "Choose the kind of statement.")
            .to_owned()
    })?;
    let body: String = get("body")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_owned();
    if body.is_empty() {
        return Err(lang.pick("说明内容不能为空。", "The text is empty.").into());
    }
    if body.chars().count() > MAX_STATEMENT_CHARS {
        return Err(lang
            .pick(
                "说明内容过长（最多 4000 字）。",
                "The text is too long (4,000 characters at most).",
            )
            .into());
    }
    let outlet = match get("outlet") {
        "" => None,
        raw => Some(
            OutletCode::parse(raw)
                .map_err(|_| ResultError::UnknownOutlet(raw.to_owned()).message(lang))?,
        ),
    };
    let time = |name: &str| -> Result<Option<DateTime<Utc>>, String> {
        match get(name) {
            "" => Ok(None),
            raw => manual::parse_time(raw, utc_offset_minutes)
                .map(Some)
                .map_err(|e| e.message(lang)),
        }
    };
    let (period_from, period_to) = (time("from")?, time("to")?);
    if let (Some(from), Some(to)) = (period_from, period_to) {
        if from > to {
            return Err(lang
                .pick(
                    "时段的开始不能晚于结束。",
                    "The period ends before it starts.",
                )
                .into());
        }
    }
    let corrects = match get("corrects") {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| {
            lang.pick(
                "要更正的说明编号无效。",
                "The statement to correct is not valid.",
            )
            .to_owned()
        })?),
    };
    Ok(NewStatement {
        kind,
        body,
        outlet,
        period_from,
        period_to,
        corrects,
    })
}

/// `POST /account/enterprise/{code}/statements`: publishes a statement (never edited later).
async fn post_statement(
    State(state): State<AccountState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let post = match signed_post(&state, request).await {
        Ok(post) => post,
        Err(response) => return response,
    };
    let lang = post.lang;
    let Some(code) = target(&post, &code) else {
        return forbidden(post.lang);
    };
    let problem = |message: String| Some(Notice::Problems(vec![message]));
    let statement = match statement_from(&post.fields, lang, state.site.utc_offset_minutes) {
        Ok(statement) => statement,
        Err(message) => {
            return render(
                &state,
                &post.session,
                &code,
                lang,
                problem(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match state
        .site
        .store
        .publish_statement(&post.session.user, &statement, Utc::now())
        .await
    {
        Ok(published) => {
            tracing::info!(user = %post.session.user.username, enterprise = %code, id = published.id, "statement published");
            see_other(&format!("/account/enterprise/{code}?saved=statement"))
        }
        Err(StoreError::UnknownOutlet(outlet)) => {
            render(
                &state,
                &post.session,
                &code,
                lang,
                problem(ResultError::UnknownOutlet(outlet).message(lang)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::UnknownStatement(id)) => {
            let message = match lang {
                Lang::Zh => format!("本企业没有编号为 {id} 的说明。"),
                Lang::En => format!("Your enterprise has no statement no. {id}."),
            };
            render(
                &state,
                &post.session,
                &code,
                lang,
                problem(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => unavailable(&error),
    }
}
