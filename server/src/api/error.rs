//! API errors: JSON with a message a person understands, in their language, and the right
//! status. Internal causes go to the log, never to the client.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The language of an API response's messages, from `Accept-Language` (Chinese first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiLang {
    Zh,
    En,
}

impl ApiLang {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        match accept
            .split(',')
            .next()
            .map(|l| l.trim().to_ascii_lowercase())
        {
            Some(l) if l.starts_with("en") => Self::En,
            _ => Self::Zh,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    zh: String,
    en: String,
    lang: ApiLang,
    /// The `WWW-Authenticate` challenge of a 401.
    challenge: Option<&'static str>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, zh: String, en: String) -> Self {
        Self {
            status,
            code,
            zh,
            en,
            lang: ApiLang::Zh,
            challenge: None,
        }
    }

    pub fn in_lang(mut self, lang: ApiLang) -> Self {
        self.lang = lang;
        self
    }

    pub fn unknown_station(code: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_station",
            format!("没有编码为“{code}”的站点"),
            format!("there is no station with code '{code}'"),
        )
    }

    pub fn unknown_enterprise(code: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_enterprise",
            format!("没有统一社会信用代码为“{code}”的企业"),
            format!("there is no enterprise with credit code '{code}'"),
        )
    }

    pub fn unknown_snapshot(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_snapshot",
            format!("没有编号为“{id}”的快照"),
            format!("there is no snapshot with id '{id}'"),
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这个接口，请参阅 docs/api.md".into(),
            "no such endpoint; see docs/api.md".into(),
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "此接口只支持 GET 请求".into(),
            "this endpoint only answers GET".into(),
        )
    }

    /// Any method but POST on a write endpoint.
    pub fn post_only() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "此接口只支持 POST 请求".into(),
            "this endpoint only answers POST".into(),
        )
    }

    pub fn wrong_kind(code: &str, expected_zh: &str, expected_en: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "wrong_station_kind",
            format!("站点“{code}”不是{expected_zh}"),
            format!("station '{code}' is not {expected_en}"),
        )
    }

    pub fn bad_parameter(name: &str, zh: String, en: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad_query_parameter",
            format!("查询参数 {name} 有误：{zh}"),
            format!("query parameter '{name}': {en}"),
        )
    }

    /// 401 without credentials (RFC 6750 §3: no error code in the challenge).
    pub fn token_missing() -> Self {
        Self {
            challenge: Some(r#"Bearer realm="daylight""#),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "此接口需要令牌：请发送请求头 Authorization: Bearer <令牌>".into(),
                "this endpoint needs a token: send the header Authorization: Bearer <token>".into(),
            )
        }
    }

    /// 401 for a token that is not (or no longer) valid.
    pub fn token_invalid() -> Self {
        Self {
            challenge: Some(r#"Bearer realm="daylight", error="invalid_token""#),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "令牌无效：未签发或已被撤销".into(),
                "the token is not valid: never issued, or revoked".into(),
            )
        }
    }

    pub fn not_json() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求体应为 JSON，并带有请求头 Content-Type: application/json".into(),
            "the body must be JSON, sent with Content-Type: application/json".into(),
        )
    }

    pub fn body_too_large(max_bytes: usize) -> Self {
        let mib = max_bytes / (1024 * 1024);
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("请求体超过 {mib} MiB，请分批发送"),
            format!("the body is larger than {mib} MiB; send smaller batches"),
        )
    }

    pub fn too_many_readings(count: usize, max: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_readings",
            format!("一次最多发送 {max} 条数据，本次有 {count} 条，请分批发送"),
            format!("at most {max} readings per request, not {count}; send smaller batches"),
        )
    }

    /// A body that is not JSON at all; `line` and `column` locate the first error.
    pub fn malformed_json(line: usize, column: usize, eof: bool) -> Self {
        let (zh, en) = if eof {
            (
                "请求体不是完整的 JSON：内容在结尾前中断".to_string(),
                "the body is not complete JSON: it ends too early".to_string(),
            )
        } else {
            (
                format!("请求体不是有效的 JSON：第 {line} 行第 {column} 列有误"),
                format!("the body is not valid JSON: error at line {line}, column {column}"),
            )
        };
        Self::new(StatusCode::BAD_REQUEST, "malformed_json", zh, en)
    }

    /// JSON of the wrong shape (not `{"readings": [...]}`).
    pub fn bad_body(zh: String, en: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_body", zh, en)
    }

    /// oEmbed: no embeddable resource for the `url` asked about (oEmbed 1.0 §2.3.5).
    pub fn not_embeddable(zh: String, en: String) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_embeddable", zh, en)
    }

    /// oEmbed: a response format we do not produce (oEmbed 1.0 §2.3.5).
    pub fn format_not_implemented(format: &str) -> Self {
        Self::new(
            StatusCode::NOT_IMPLEMENTED,
            "format_not_implemented",
            format!("不支持的格式“{format}”：可用 json 或 xml"),
            format!("format '{format}' is not supported: use json or xml"),
        )
    }

    /// 429: the client's address used up its requests (`Retry-After` says when to go on).
    pub fn rate_limited(retry_after: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("请求过于频繁，请 {retry_after} 秒后重试（每个地址的请求数有限制，见 docs/api.md）"),
            format!("too many requests; try again in {retry_after} s (requests per address are limited; see docs/api.md)"),
        )
    }

    /// 429: the client's address has as many live streams open as allowed.
    pub fn too_many_live_connections() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_live_connections",
            "此地址打开的实时数据连接过多，请先关闭一些".into(),
            "too many live connections from this address; close some first".into(),
        )
    }

    /// The store could not be reached or could not commit: nothing was stored, try again.
    pub fn unavailable(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "API write failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "暂时无法保存，本次请求的数据均未保存，请稍后重试".into(),
            "cannot store now; nothing of this request was stored; please try again later".into(),
        )
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "API request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试".into(),
            "internal error; please try again later".into(),
        )
    }
}

impl From<daylight_store::StoreError> for ApiError {
    fn from(error: daylight_store::StoreError) -> Self {
        Self::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match self.lang {
            ApiLang::Zh => &self.zh,
            ApiLang::En => &self.en,
        };
        let body = json!({
            "error": {
                "status": self.status.as_u16(),
                "code": self.code,
                "message": message,
            }
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(challenge) = self.challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
