//! `GET /api/v1/stations/{code}/readings.csv?from&to&parameter`: the readings of a station as
//! CSV, streamed: the range is read from the store a month at a time and each month is sent
//! as it is written, so a year's export holds one month in memory, not the year.

use std::io;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use daylight_app::data::{self, SiteContext};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::StationCode;
use daylight_store::TimeRange;
use futures_util::stream::{self, StreamExt};

use super::licence;
use super::stations::{
    find_station, iso, parse_parameter, query_or_400, resolve_range, RangeQuery,
};
use super::{ApiError, ApiLang};

/// How much of the range is read from the store at once.
const CHUNK: Duration = Duration::days(31);

pub const HEADER_LINE: &str = "station,time,parameter,value,unit,flag,source,provenance";

pub async fn readings(
    State(site): State<SiteContext>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = ApiLang::from_headers(&headers);
    let resolve = async {
        let code = code.map(|Path(c)| c).unwrap_or_default();
        let query = query_or_400(query)?;
        let station = find_station(&site, &code, lang).await?;
        let parameter = parse_parameter(&query)?;
        let range = resolve_range(&site, &station, &query).await?;
        Ok::<_, ApiError>((station.code, parameter, range))
    };
    let (code, parameter, range) = resolve.await.map_err(|e| e.in_lang(lang))?;
    let filename = format!(
        "daylight_{}_{}_{}.csv",
        code.as_str(),
        range.from.format("%Y%m%dT%H%M%SZ"),
        range.to.format("%Y%m%dT%H%M%SZ"),
    );
    let head = Bytes::from(format!("# {}\n{HEADER_LINE}\n", licence::statement_line()));
    let months = months(site, code, parameter, range);
    // Fused: the brotli encoder polls its input again after the end, and a finished
    // `unfold` panics when polled (every `Accept-Encoding: br` request closed its
    // connection without an answer; found by schemathesis).
    let body = Body::from_stream(stream::once(async { Ok(head) }).chain(months).fuse());
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::LINK, HeaderValue::from_static(licence::LINK_HEADER));
    Ok(response)
}

/// The rows of `range`, a chunk of the store at a time. A store error ends the stream with an
/// error, which aborts the transfer: the client sees a broken download, never a short file
/// that looks complete.
fn months(
    site: SiteContext,
    code: StationCode,
    parameter: Option<Parameter>,
    range: TimeRange,
) -> impl futures_util::Stream<Item = Result<Bytes, io::Error>> {
    stream::unfold(Some(range.from), move |from| {
        let site = site.clone();
        let code = code.clone();
        async move {
            let from = from?;
            if from >= range.to {
                return None;
            }
            let to = chunk_end(from, range.to);
            let chunk = TimeRange { from, to };
            match site.store.readings(&code, chunk, parameter).await {
                Ok(readings) => {
                    let mut text = String::with_capacity(readings.len() * 64);
                    for reading in &readings {
                        row(&mut text, &site, &code, &data::reading_view(reading));
                    }
                    Some((Ok(Bytes::from(text)), Some(to)))
                }
                Err(error) => {
                    tracing::error!(%error, station = %code.as_str(), "CSV export failed");
                    Some((Err(io::Error::other("store error")), None))
                }
            }
        }
    })
}

fn row(
    out: &mut String,
    site: &SiteContext,
    code: &StationCode,
    r: &daylight_app::model::ReadingView,
) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{},{},{},{},{},{},{},{}",
        field(code.as_str()),
        iso(r.time, site),
        field(r.parameter.code()),
        r.value,
        field(r.parameter.unit().ascii()),
        field(&r.flag.code().to_string()),
        r.source.as_str(),
        field(&r.provenance),
    );
}

/// A CSV field, quoted when it must be (RFC 4180).
fn field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with('#') {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// Where the chunk that starts at `from` ends.
fn chunk_end(from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    (from + CHUNK).min(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("PM2.5"), "PM2.5");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_year_is_read_in_twelve_chunks_that_meet() {
        let from = DateTime::parse_from_rfc3339("2021-01-01T00:00:00+08:00")
            .unwrap()
            .with_timezone(&Utc);
        let to = from + Duration::days(365);
        let mut ends = vec![chunk_end(from, to)];
        while let Some(&end) = ends.last().filter(|e| **e < to) {
            ends.push(chunk_end(end, to));
        }
        assert_eq!(ends.len(), 12);
        assert_eq!(ends.last(), Some(&to));
    }
}
