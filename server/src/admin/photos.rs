//! A complaint's photos in the back office: the originals (metadata and all, for the
//! officers who may handle the complaint) and the decision whether the public may see the
//! copy without metadata, which goes on the audit chain like every other action.

use std::fmt::Write;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use daylight_store::{PhotoCopy, PhotoInfo};

use super::html::{esc, Page};
use super::{lang_of, own_complaint, see_other, session, signed_post, unavailable, AdminState};

/// `GET /admin/complaint/{code}/photos/{number}`: the original as the resident sent it.
/// Only to a signed-in officer who may see the complaint (403 otherwise, like the page).
pub async fn original(
    State(state): State<AdminState>,
    headers: HeaderMap,
    Path((code, number)): Path<(String, String)>,
) -> Response {
    let lang = lang_of(&headers);
    let session = match session(&state, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return super::forbidden(lang),
        Err(response) => return response,
    };
    let complaint = match own_complaint(&state, &session, &code, lang).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let Ok(number) = number.parse::<u32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state
        .site
        .store
        .complaint_photo(complaint.id, number, PhotoCopy::Original)
        .await
    {
        Ok(Some((info, bytes))) => {
            let mut response = (StatusCode::OK, Body::from(bytes)).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(info.kind.content_type()),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            // Personal data (it may hold the resident's position): kept by no cache.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => unavailable(&error),
    }
}

/// `POST /admin/complaint/{code}/photos/{number}` with `publishable` = `1` or `0` (and the
/// CSRF token): the officer's decision, recorded on the audit chain.
pub async fn decide(
    State(state): State<AdminState>,
    Path((code, number)): Path<(String, String)>,
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
    let publishable = match fields.get("publishable").map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let Ok(number) = number.parse::<u32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state
        .site
        .store
        .set_photo_publishable(
            complaint.id,
            number,
            publishable,
            &session.admin.username,
            Utc::now(),
        )
        .await
    {
        Ok(Some(_)) => {
            tracing::info!(user = %session.admin.username, code = %complaint.tracking_code, number, publishable, "complaint photo decision");
            see_other(&format!("/admin/complaint/{}", complaint.tracking_code))
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => unavailable(&error),
    }
}

/// The photos section of a complaint's page: each original as a thumbnail and link, whether
/// the public sees it, and the form that changes that.
pub fn section(page: &Page<'_>, code: &str, photos: &[PhotoInfo]) -> String {
    let lang = page.lang;
    let mut html = String::new();
    if photos.is_empty() {
        return html;
    }
    let code = esc(code);
    let csrf = esc(&page.session.csrf);
    let _ = write!(
        html,
        "<h2>{}</h2><p class=\"hint\">{}</p><ul class=\"admin-photos\">",
        lang.pick("照片", "Photos"),
        lang.pick(
            "此处为原图（可能含拍摄位置等元数据，仅限办理使用）。设为可公开后，公众看到的是去除元数据的副本。",
            "These are the originals (they may hold metadata such as where they were taken: for handling only). Once publishable, the public sees a copy without metadata.",
        )
    );
    for p in photos {
        let n = p.number;
        let url = format!("/admin/complaint/{code}/photos/{n}");
        let (state, button, value) = if p.publishable {
            (
                lang.pick("已公开", "Public"),
                lang.pick("取消公开", "Withdraw from public"),
                "0",
            )
        } else {
            (
                lang.pick("未公开", "Not public"),
                lang.pick("设为可公开", "Mark publishable"),
                "1",
            )
        };
        let _ = write!(
            html,
            "<li class=\"admin-photo\" data-number=\"{n}\" data-publishable=\"{}\">\
             <a href=\"{url}\"><img src=\"{url}\" alt=\"{} {n}\" width=\"240\" loading=\"lazy\"></a>\
             <p>{} {n} · {} · {} KB · <strong>{state}</strong></p>\
             <form method=\"post\" action=\"{url}\" class=\"admin-action photo\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <input type=\"hidden\" name=\"publishable\" value=\"{value}\">\
             <button type=\"submit\">{button}</button></form></li>",
            p.publishable,
            lang.pick("照片", "Photo"),
            lang.pick("照片", "Photo"),
            p.kind.as_str().to_uppercase(),
            p.original_bytes.div_ceil(1024),
        );
    }
    html.push_str("</ul>");
    html
}
