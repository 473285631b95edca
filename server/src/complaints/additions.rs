//! `POST /report/follow/{token}/add`: the reporter adds information to their complaint from
//! the follow-up page (a plain form post). The addition is an event of its own kind on the
//! complaint's append-only audit chain, like an officer's note, so officers see it in the
//! history; the follow-up page shows it to whoever holds the link; the public register and
//! the API never read that kind. Rate-limited per client address, like the form.

use std::time::Instant;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use daylight_app::complaint::addition_view::FIELD;
use daylight_domain::complaint::addition::Addition;
use daylight_store::{ComplaintAction, EventKind, FollowToken};

use super::{client_address, lang_of, see_other, too_many, ReportState};

/// A form with up to 1,000 characters of text (4 bytes each at most, percent-encoded).
pub(super) const MAX_ADDITION_BYTES: usize = 16 * 1024;
/// Attempts when an officer changes the status between our read and our write.
const ATTEMPTS: usize = 3;

pub(super) async fn add(
    State(state): State<ReportState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let client = client_address(&request);
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts.headers);
    if let Err(retry_after) = state.addition_limiter.check(client, Instant::now()) {
        tracing::info!(%client, "complaint addition rate limit reached");
        return too_many(lang, retry_after);
    }
    let unavailable = || {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            lang.pick(
                "暂时无法保存，请稍后再试。",
                "This cannot be saved right now; please try again later.",
            ),
        )
            .into_response()
    };
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            lang.pick("找不到这条投诉举报。", "There is no such complaint."),
        )
            .into_response()
    };
    let Some(token) = FollowToken::parse(&token) else {
        return not_found();
    };
    let Ok(body) = axum::body::to_bytes(body, MAX_ADDITION_BYTES).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.pick("补充内容过长。", "The addition is too long."),
        )
            .into_response();
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let raw = pairs
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let page = format!("/report/follow/{}", token.expose());
    for _ in 0..ATTEMPTS {
        let complaint = match state
            .site
            .store
            .complaint_by_follow_hash(&token.hash())
            .await
        {
            Ok(Some(c)) => c,
            Ok(None) => return not_found(),
            Err(error) => {
                tracing::error!(%error, "reading a complaint for an addition failed");
                return unavailable();
            }
        };
        let addition = match Addition::parse(raw) {
            Ok(a) => a,
            Err(problem) => {
                return see_other(&format!("{page}?addition={}#additions", problem.as_str()))
            }
        };
        let action = ComplaintAction {
            complaint_id: complaint.id,
            // The status as read: if an officer changes it meanwhile, nothing is stored
            // and we read again.
            expected_status: complaint.status,
            time: Utc::now(),
            kind: EventKind::ReporterAddition,
            status: None,
            body: addition.as_str().to_owned(),
            actor: String::new(),
        };
        match state.site.store.act_on_complaint(&action).await {
            Ok(Some(_)) => {
                tracing::info!(code = %complaint.tracking_code, "reporter added information");
                return see_other(&format!("{page}?added=1#additions"));
            }
            Ok(None) => continue,
            Err(error) => {
                tracing::error!(%error, "storing a reporter's addition failed");
                return unavailable();
            }
        }
    }
    unavailable()
}
