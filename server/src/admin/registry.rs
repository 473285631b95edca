//! `/admin/enterprises` (issue 5, item 1): the enterprise registry for administrators — the
//! enterprises with their outlet counts, and an upload of an enterprises, outlets or limits
//! CSV through the same parsers and all-or-nothing store path as `daylight import`
//! (`crate::import::import_all_or_nothing`). Other roles are refused (403).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use daylight_app::i18n::Lang;
use daylight_store::{AdminSession, Role};

use super::registry_html::{self, Notice, Row};
use super::{
    forbidden, form_fields, html, lang_of, same_secret, see_other, session, unavailable,
    AdminState, MAX_FORM_BYTES,
};
use crate::import::{self, Outcome, RegistryFile};

/// The largest upload (the whole multipart body); larger is answered 413.
pub(super) const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// `GET /admin/enterprises`.
pub(super) async fn page(State(state): State<AdminState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return see_other("/admin/login"),
        Err(response) => return response,
    };
    if let Some(response) = not_admin(&session, lang) {
        return response;
    }
    render(&state, &session, lang, Notice::None, StatusCode::OK).await
}

/// The 403 for a signed-in account that is not an administrator; None for an administrator.
fn not_admin(session: &AdminSession, lang: Lang) -> Option<Response> {
    if session.admin.role == Role::Admin {
        return None;
    }
    tracing::info!(user = %session.admin.username, "back office: the registry refused to a non-administrator");
    Some(html::message(
        lang,
        StatusCode::FORBIDDEN,
        lang.pick("无权访问企业名录", "Forbidden: the enterprise registry"),
        lang.pick(
            "企业名录仅由管理员维护。区县办理人员和市级督办可在公开页面“企业排放”（/enterprises）查看企业。",
            "Only administrators maintain the enterprise registry. District officers and city supervisors can see the enterprises on the public page /enterprises.",
        ),
    ))
}

/// What an upload sent: the CSRF token, the file's kind and its bytes.
#[derive(Default)]
struct Upload {
    csrf: String,
    kind: String,
    file: Vec<u8>,
}

/// Reads the upload's fields: multipart (the form), or URL-encoded (then without a file).
async fn read_upload(request: Request) -> Option<Upload> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES)
            .await
            .ok()?;
        let fields = form_fields(&bytes);
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        return Some(Upload {
            csrf: get("csrf"),
            kind: get("kind"),
            file: Vec::new(),
        });
    }
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.ok()? {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.ok()?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf" => upload.csrf = text(),
            "kind" => upload.kind = text(),
            "file" => upload.file = bytes.to_vec(),
            _ => {}
        }
    }
    Some(upload)
}

/// `POST /admin/enterprises`: `csrf`, `kind` (enterprises, outlets or limits) and `file`.
pub(super) async fn upload(State(state): State<AdminState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    let session = match session(&state, &parts.headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return forbidden(lang),
        Err(response) => return response,
    };
    if let Some(response) = not_admin(&session, lang) {
        return response;
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_UPLOAD_BYTES).await else {
        return html::message(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.pick("文件过大", "File too large"),
            lang.pick(
                "上传内容超过 1 MB，请拆分后分批导入。",
                "The upload is larger than 1 MB: split the file and import the parts.",
            ),
        );
    };
    let Some(upload) = read_upload(Request::from_parts(parts, Body::from(bytes))).await else {
        return html::message(
            lang,
            StatusCode::BAD_REQUEST,
            lang.pick("无法读取上传内容", "Unreadable upload"),
            lang.pick(
                "请使用页面上的表单上传 CSV 文件。",
                "Upload the CSV file with the page's form.",
            ),
        );
    };
    if !same_secret(&session.csrf, &upload.csrf) {
        tracing::info!(user = %session.admin.username, "registry upload without a valid CSRF token");
        return forbidden(lang);
    }
    let Some(file) = RegistryFile::parse(&upload.kind) else {
        let problem = lang.pick("请选择文件类型。", "Choose what the file holds.");
        return render(
            &state,
            &session,
            lang,
            Notice::Problem(problem),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if upload.file.is_empty() {
        let problem = lang.pick(
            "请选择要上传的 CSV 文件。",
            "Choose the CSV file to upload.",
        );
        return render(
            &state,
            &session,
            lang,
            Notice::Problem(problem),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match import::import_all_or_nothing(&*state.site.store, file, upload.file.as_slice()).await {
        Ok(Outcome::Stored(counts)) => {
            // No audit chain fits a registry import (the enterprise audit chain records an
            // enterprise account's own changes): the import is logged (docs/enterprises.md).
            tracing::info!(
                user = %session.admin.username,
                file = file.as_str(),
                inserted = counts.inserted,
                updated = counts.updated,
                unchanged = counts.unchanged,
                "registry import from the back office"
            );
            render(
                &state,
                &session,
                lang,
                Notice::Stored(file, counts),
                StatusCode::OK,
            )
            .await
        }
        Ok(Outcome::Refused(errors)) => {
            tracing::info!(user = %session.admin.username, file = file.as_str(), errors = errors.len(), "registry import refused: bad rows, nothing written");
            render(
                &state,
                &session,
                lang,
                Notice::Refused(file, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => unavailable(&error),
    }
}

async fn render(
    state: &AdminState,
    session: &AdminSession,
    lang: Lang,
    notice: Notice<'_>,
    status: StatusCode,
) -> Response {
    let store = &state.site.store;
    let (enterprises, outlets) = match (store.enterprises().await, store.outlets(None).await) {
        (Ok(e), Ok(o)) => (e, o),
        (Err(error), _) | (_, Err(error)) => return unavailable(&error),
    };
    let mut outlet_count: HashMap<String, usize> = HashMap::new();
    for outlet in &outlets {
        *outlet_count
            .entry(outlet.enterprise.as_str().to_owned())
            .or_default() += 1;
    }
    let mut rows: Vec<Row<'_>> = enterprises
        .iter()
        .map(|e| Row {
            enterprise: e,
            outlets: outlet_count
                .get(e.credit_code.as_str())
                .copied()
                .unwrap_or(0),
        })
        .collect();
    rows.sort_by(|a, b| a.enterprise.name.cmp(&b.enterprise.name));
    let names = HashMap::new();
    let page = html::Page {
        lang,
        session,
        names: &names,
        deadlines: state.deadlines,
        utc_offset_minutes: state.site.utc_offset_minutes,
    };
    registry_html::page(&page, &rows, &notice, status)
}
