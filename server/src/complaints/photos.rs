//! Photos of the report form (`multipart/form-data`): reading the submission, checking the
//! files (domain `complaint::photo`), and serving the copies without metadata, to the public
//! once an officer marked a photo publishable and to the reporter on their follow-up page.
//! The originals are served by the back office only (`crate::admin`).

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use daylight_app::complaint::field;
use daylight_domain::complaint::photo::{Photo, UploadProblem, MAX_PHOTOS, MAX_PHOTO_BYTES};
use daylight_domain::complaint::TrackingCode;
use daylight_store::{Complaint, FollowToken, PhotoCopy, PhotoInfo};

use super::ReportState;

/// The largest body of a `POST /report`: the photos plus a megabyte for the fields and the
/// multipart framing. This route's own limit: everywhere else stays small.
pub const MAX_SUBMISSION_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024;
/// The text fields of one submission together (their limits add up to well under this).
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Whether a request carries a multipart form (the form with its photo field does).
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A multipart submission as read: its text fields in order, and its photos checked, or
/// the first problem with them (then no photo is kept).
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub photos: Result<Vec<Photo>, UploadProblem>,
}

/// Reads a multipart body. The text fields are kept whatever happens to the files, so a
/// refused submission shows the form with what the resident typed. A file over the limit is
/// not kept in memory beyond [`MAX_PHOTO_BYTES`] (the rest is read and dropped, so the
/// fields after it are still read).
pub async fn read(request: Request) -> Upload {
    let mut fields = Vec::new();
    let mut text_bytes = 0usize;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut problem: Option<UploadProblem> = None;
    let mut multipart = match Multipart::from_request(request, &()).await {
        Ok(m) => m,
        Err(error) => {
            tracing::info!(%error, "unreadable multipart complaint");
            return Upload {
                fields,
                photos: Err(UploadProblem::Unreadable),
            };
        }
    };
    loop {
        let mut part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => {
                problem.get_or_insert(if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    UploadProblem::BodyTooLarge
                } else {
                    UploadProblem::Unreadable
                });
                break;
            }
        };
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part.file_name().map(str::to_owned);
        let is_file = file_name.is_some() || name == field::PHOTOS;
        let limit = if is_file {
            MAX_PHOTO_BYTES
        } else {
            MAX_TEXT_BYTES.saturating_sub(text_bytes)
        };
        let mut bytes = Vec::new();
        let mut over = false;
        loop {
            match part.chunk().await {
                Ok(Some(chunk)) => {
                    if over || bytes.len() + chunk.len() > limit {
                        over = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    problem.get_or_insert(if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        UploadProblem::BodyTooLarge
                    } else {
                        UploadProblem::Unreadable
                    });
                    break;
                }
            }
        }
        if !is_file {
            if !over {
                text_bytes += bytes.len();
                fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
            continue;
        }
        let file_name = file_name.unwrap_or_default();
        if file_name.is_empty() && bytes.is_empty() && !over {
            // The file field with no file chosen: browsers send it empty and nameless.
            continue;
        }
        if files.len() == MAX_PHOTOS {
            problem.get_or_insert(UploadProblem::TooMany { max: MAX_PHOTOS });
            continue;
        }
        if over {
            problem.get_or_insert(UploadProblem::TooLarge {
                name: file_name.chars().take(100).collect(),
                max_bytes: MAX_PHOTO_BYTES,
            });
            bytes = Vec::new();
        }
        files.push((file_name, bytes));
    }
    if let Some(problem) = problem {
        return Upload {
            fields,
            photos: Err(problem),
        };
    }
    // Walking a few megabytes is CPU work: off the async workers.
    let checked = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|(name, bytes)| {
                Photo::check(bytes).map_err(|error| UploadProblem::of_file(&name, error))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .unwrap_or(Err(UploadProblem::Unreadable));
    Upload {
        fields,
        photos: checked,
    }
}

/// An image answer: its own type, never sniffed as anything else.
fn image(info: &PhotoInfo, bytes: Vec<u8>, cache: &'static str) -> Response {
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
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

fn not_found() -> Response {
    let mut response = (StatusCode::NOT_FOUND, "not found / 未找到").into_response();
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "serving a complaint photo failed");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}

/// The copy without metadata of photo `number`, if `complaint` has it.
async fn public_copy(
    state: &ReportState,
    complaint: &Complaint,
    number: &str,
) -> Result<Option<(PhotoInfo, Vec<u8>)>, Response> {
    let Ok(number) = number.parse::<u32>() else {
        return Ok(None);
    };
    state
        .site
        .store
        .complaint_photo(complaint.id, number, PhotoCopy::Public)
        .await
        .map_err(|e| unavailable(&e))
}

/// `GET /complaints/{code}/photos/{number}`: a photo an officer marked publishable, without
/// metadata; 404 for any other (the public cannot tell an unpublished photo from none).
pub async fn public_photo(
    State(state): State<ReportState>,
    Path((code, number)): Path<(String, String)>,
) -> Response {
    let Ok(code) = TrackingCode::parse(&code) else {
        return not_found();
    };
    let complaint = match state.site.store.complaint_by_code(&code).await {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(&error),
    };
    match public_copy(&state, &complaint, &number).await {
        // A short shared lifetime: an officer may withdraw a photo.
        Ok(Some((info, bytes))) if info.publishable => image(&info, bytes, "public, max-age=60"),
        Ok(_) => not_found(),
        Err(response) => response,
    }
}

/// `GET /report/follow/{token}/photos/{number}`: the reporter's own photo, without metadata,
/// published or not. Private like the follow-up page: no cache keeps it, no referrer.
pub async fn reporter_photo(
    State(state): State<ReportState>,
    Path((token, number)): Path<(String, String)>,
) -> Response {
    let Some(token) = FollowToken::parse(&token) else {
        return not_found();
    };
    let complaint = match state
        .site
        .store
        .complaint_by_follow_hash(&token.hash())
        .await
    {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(&error),
    };
    match public_copy(&state, &complaint, &number).await {
        Ok(Some((info, bytes))) => {
            let mut response = image(&info, bytes, "no-store");
            response.headers_mut().insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_is_recognised_by_its_content_type() {
        let mut headers = HeaderMap::new();
        assert!(!is_multipart(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Multipart/Form-Data; boundary=x"),
        );
        assert!(is_multipart(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert!(!is_multipart(&headers));
    }

    #[test]
    fn the_route_limit_fits_five_full_photos_and_the_fields() {
        const { assert!(MAX_SUBMISSION_BYTES > MAX_PHOTOS * MAX_PHOTO_BYTES + MAX_TEXT_BYTES) };
    }
}
