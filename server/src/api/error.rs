//! API errors: JSON with a message a person understands, in their language, and the right
//! status. Internal causes go to the log, never to the client.

use axum::http::{HeaderMap, StatusCode};
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
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, zh: String, en: String) -> Self {
        Self {
            status,
            code,
            zh,
            en,
            lang: ApiLang::Zh,
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
        (self.status, Json(body)).into_response()
    }
}
