//! The open data API's contract and HTTP behaviour (issue 7): the OpenAPI document validates
//! and every documented read answers as documented; ETag, Cache-Control and conditional GET;
//! per-address rate limits with Retry-After; the streamed CSV export; the licence.

use std::path::PathBuf;
use std::process::Command;

use daylight_tests::{describe, excerpt, workspace_root, Reply, TestServer};
use serde_json::Value;

fn assert_json_error(reply: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(reply.status, status, "{}", excerpt(&reply.body));
    let body = reply.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"].clone()
}

// ---------------------------------------------------------------------------------------
// ETag, Cache-Control, 304

#[test]
fn api_reads_carry_a_strong_etag_and_answer_a_conditional_get_with_304() {
    let server = TestServer::start();
    for (path, max_age) in [
        ("/api/v1/stations", "max-age=60"),
        ("/api/v1/stations/1462A/aqi", "max-age=60"),
        ("/api/v1/districts?simplify=0.001", "max-age=3600"),
        ("/api/v1/openapi.json", "max-age=3600"),
        ("/embed/station/1462A", "max-age=60"),
    ] {
        let first = server.get(path);
        assert_eq!(first.status, 200, "{path}: {}", excerpt(&first.body));
        let etag = first
            .header("etag")
            .unwrap_or_else(|| panic!("{path} has no ETag: {:?}", first.headers))
            .to_string();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "{path}: strong tag expected, got {etag}"
        );
        let cache = first.header("cache-control").unwrap_or_default();
        assert!(
            cache.contains("public") && cache.contains(max_age),
            "{path}: Cache-Control {cache:?}"
        );
        // Same body, same tag, whether from the cache or rendered anew.
        let again = server.get(path);
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");

        let not_modified = server.get_with(path, &[("If-None-Match", &etag)]);
        assert_eq!(not_modified.status, 304, "{path}");
        assert!(not_modified.body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(not_modified.header("etag"), Some(etag.as_str()), "{path}");
        assert!(not_modified.header("cache-control").is_some(), "{path}");

        let listed = server.get_with(path, &[("If-None-Match", &format!("\"nope\", {etag}"))]);
        assert_eq!(listed.status, 304, "{path}: a tag in a list matches");
        let other = server.get_with(path, &[("If-None-Match", "\"nope\"")]);
        assert_eq!(other.status, 200, "{path}: another tag gets the body");
        assert!(!other.body.is_empty());
    }
    // Compressed and plain answers are different representations with different tags.
    let plain = server.get("/api/v1/districts");
    let gzip = server.get_with("/api/v1/districts", &[("Accept-Encoding", "gzip")]);
    assert_ne!(plain.header("etag"), gzip.header("etag"));
    // Errors are not cached by anyone.
    let missing = server.get("/api/v1/stations/NOPE/readings");
    assert_eq!(missing.status, 404);
    assert!(missing.header("etag").is_none());
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    // The live stream is never cached.
    let live = server.open_stream("/api/v1/live");
    assert!(
        live.head
            .to_ascii_lowercase()
            .contains("cache-control: no-store")
            || !live.head.to_ascii_lowercase().contains("max-age"),
        "{}",
        live.head
    );
}

// ---------------------------------------------------------------------------------------
// Rate limits

fn limited_server(per_second: u32, burst: u32, live: u32) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("daylight.toml");
    std::fs::write(
        &config,
        format!(
            "[api]\nrate_limit_per_second = {per_second}\nrate_limit_burst = {burst}\n\
             live_connections_per_ip = {live}\n"
        ),
    )
    .expect("write config");
    let path = config.to_string_lossy().into_owned();
    let server = TestServer::start_with_args(&["--no-demo", "--config", &path]);
    (server, dir)
}

#[test]
fn each_address_gets_a_burst_then_a_429_with_retry_after_in_its_language() {
    let (server, _dir) = limited_server(1, 5, 2);
    // The test talks to the server from loopback, which is trusted to name the client in
    // X-Forwarded-For (as a reverse proxy on the same host would).
    let client = [("X-Forwarded-For", "203.0.113.7")];
    for i in 0..5 {
        let reply = server.get_with("/api/v1/stations", &client);
        assert_eq!(reply.status, 200, "request {i} of the burst");
    }
    let zh = server.get_with("/api/v1/stations", &client);
    let error = assert_json_error(&zh, 429, "rate_limited");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("请求过于频繁"),
        "{error}"
    );
    let retry: u64 = zh
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
    let en = server.get_with(
        "/api/v1/districts",
        &[
            ("X-Forwarded-For", "203.0.113.7"),
            ("Accept-Language", "en-GB,en"),
        ],
    );
    let error = assert_json_error(&en, 429, "rate_limited");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("too many requests"),
        "{error}"
    );
    // Another address is not affected; the push endpoint counts too, the page does not.
    let other = server.get_with("/api/v1/stations", &[("X-Forwarded-For", "198.51.100.1")]);
    assert_eq!(other.status, 200);
    // After a second, one more token.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(server.get_with("/api/v1/stations", &client).status, 200);

    // X-Forwarded-For from a client elsewhere is not believed: only the last (proxy-added)
    // address counts, so prepending another address does not escape the limit.
    let forged = server.get_with(
        "/api/v1/stations",
        &[("X-Forwarded-For", "192.0.2.1, 203.0.113.7")],
    );
    assert_eq!(forged.status, 429);
}

#[test]
fn live_streams_are_exempt_from_the_rate_but_capped_per_address() {
    let (server, _dir) = limited_server(1, 1, 2);
    let client = [("X-Forwarded-For", "203.0.113.8")];
    let a = server.open_stream_with("/api/v1/live", &client);
    let b = server.open_stream_with("/api/v1/live", &client);
    assert!(
        a.head.starts_with("HTTP/1.1 200") || a.head.starts_with("HTTP/1.0 200"),
        "{}",
        a.head
    );
    assert!(
        b.head.contains(" 200 "),
        "a second stream despite a burst of 1: {}",
        b.head
    );
    let c = server.open_stream_with("/api/v1/live", &client);
    assert!(c.head.contains(" 429 "), "third stream: {}", c.head);
    assert!(
        c.head.to_ascii_lowercase().contains("retry-after"),
        "{}",
        c.head
    );
    drop(a);
    daylight_tests::eventually("a closed stream frees its slot", || {
        let d = server.open_stream_with("/api/v1/live", &client);
        if d.head.contains(" 200 ") {
            Ok(())
        } else {
            Err(d.head.clone())
        }
    });
}

// ---------------------------------------------------------------------------------------
// CSV

#[test]
fn a_csv_export_compressed_with_brotli_or_gzip_is_answered() {
    // Regression: the brotli encoder polled the finished CSV stream again, which panicked
    // and closed the connection without an answer (browsers send br over HTTPS).
    let server = TestServer::start();
    let query = "from=2022-01-01T00%3A00%3A00%2B08%3A00&to=2022-01-01T12%3A00%3A00%2B08%3A00";
    for encoding in ["br", "gzip", "identity"] {
        let reply = server.get_with(
            &format!("/api/v1/stations/1462A/readings.csv?{query}"),
            &[("Accept-Encoding", encoding)],
        );
        assert_eq!(reply.status, 200, "{encoding}");
        assert!(!reply.body.is_empty(), "{encoding}");
        if encoding != "identity" {
            assert_eq!(reply.header("content-encoding"), Some(encoding));
        }
    }
    assert!(
        server.get("/api/v1/stations").status == 200,
        "the server is still up"
    );
}

#[test]
fn a_one_year_csv_export_has_a_row_per_reading_and_names_its_licence() {
    let server = TestServer::start();
    // A year of hourly values of the six AQI pollutants at 1462A before the demo's real hours
    // (2021 is not a leap year).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("year.csv");
    let mut csv = String::from("station_code,time,parameter,value,unit\n");
    let start = 1_609_430_400_i64; // 2021-01-01T00:00:00+08:00
    for hour in 0..8760 {
        let t = start + hour * 3600;
        let time = rfc3339_plus8(t);
        for parameter in ["SO2", "NO2", "PM10", "O3", "PM2.5"] {
            csv.push_str(&format!(
                "1462A,{time},{parameter},{},ug/m3\n",
                20 + hour % 50
            ));
        }
        csv.push_str(&format!("1462A,{time},CO,1.{},mg/m3\n", hour % 10));
    }
    std::fs::write(&file, csv).expect("write");
    let out = server.run_cli(["import", "readings", &file.to_string_lossy()]);
    assert!(out.status.success(), "import: {}", describe(&out));

    let query = "from=2021-01-01T00:00:00%2B08:00&to=2022-01-01T00:00:00%2B08:00&parameter=PM2.5";
    let reply = server.get(&format!("/api/v1/stations/1462A/readings.csv?{query}"));
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    assert!(reply
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/csv"));
    let disposition = reply.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment; filename=\"daylight_1462A_"),
        "{disposition}"
    );
    assert!(
        reply
            .header("link")
            .unwrap_or("")
            .contains("creativecommons.org/licenses/by/4.0"),
        "{:?}",
        reply.headers
    );
    let mut lines = reply.body.lines();
    let comment = lines.next().unwrap_or_default();
    assert!(
        comment.starts_with("# ") && comment.contains("CC BY 4.0") && comment.contains("CNEMC"),
        "{comment}"
    );
    assert_eq!(
        lines.next(),
        Some("station,time,parameter,value,unit,flag,source,provenance")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 8760, "one row per hour of 2021");
    // The store answers a month at a time: the rows meet without gaps or repeats.
    assert!(
        rows[0].starts_with("1462A,2021-01-01T00:00:00+08:00,PM2.5,20,ug/m3,N,"),
        "{}",
        rows[0]
    );
    assert!(
        rows[8759].starts_with("1462A,2021-12-31T23:00:00+08:00,PM2.5,"),
        "{}",
        rows[8759]
    );
    let mut times: Vec<&str> = rows
        .iter()
        .map(|r| r.split(',').nth(1).unwrap_or(""))
        .collect();
    times.dedup();
    assert_eq!(times.len(), 8760, "no hour twice");

    // Every parameter: six rows an hour, 52,560 in all (about 3 MB).
    let all = server.get(
        "/api/v1/stations/1462A/readings.csv?from=2021-01-01T00:00:00%2B08:00&to=2022-01-01T00:00:00%2B08:00",
    );
    assert_eq!(all.status, 200);
    assert_eq!(all.body.lines().count() - 2, 6 * 8760);
    // The JSON answer of the same year (not streamed, over the page cache's 4 MiB) is served
    // too, uncached, rather than failing.
    let year = server.get_json(
        "/api/v1/stations/1462A/readings?from=2021-01-01T00:00:00%2B08:00&to=2022-01-01T00:00:00%2B08:00",
    );
    assert_eq!(year["readings"].as_array().map_or(0, Vec::len), 6 * 8760);

    // The same rows as the JSON answer, on a month.
    let month = "from=2021-03-01T00:00:00%2B08:00&to=2021-04-01T00:00:00%2B08:00";
    let json = server.get_json(&format!(
        "/api/v1/stations/1462A/readings?{month}&parameter=PM2.5"
    ));
    let csv = server.get(&format!(
        "/api/v1/stations/1462A/readings.csv?{month}&parameter=PM2.5"
    ));
    let json_rows = json["readings"].as_array().map_or(0, Vec::len);
    assert_eq!(csv.body.lines().count() - 2, json_rows);
    assert_eq!(json_rows, 31 * 24);

    // Errors before the first byte are JSON, as for the JSON endpoint.
    let bad = server.get_with(
        "/api/v1/stations/1462A/readings.csv?from=yesterday",
        &[("Accept-Language", "en")],
    );
    assert_json_error(&bad, 400, "bad_query_parameter");
    let unknown = server.get("/api/v1/stations/NOPE/readings.csv");
    assert_json_error(&unknown, 404, "unknown_station");
}

/// `YYYY-MM-DDTHH:00:00+08:00` of a Unix time, without a date library.
fn rfc3339_plus8(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00+08:00",
        secs / 3600,
        secs % 3600 / 60
    )
}

// ---------------------------------------------------------------------------------------
// OpenAPI

/// The Python that scripts/setup.sh prepares with openapi-spec-validator.
fn validator_python() -> PathBuf {
    workspace_root().join("target/openapi-venv/bin/python")
}

#[test]
fn the_openapi_document_validates_as_openapi_3() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIPPED: python3 is missing, so the OpenAPI document cannot be validated");
        return;
    }
    let python = validator_python();
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it installs openapi-spec-validator there)",
        python.display()
    );
    let server = TestServer::start_empty();
    let reply = server.get("/api/v1/openapi.json");
    assert_eq!(reply.status, 200);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &reply.body).expect("write");
    let out = Command::new(&python)
        .args([
            "-c",
            "import json, sys\n\
             from openapi_spec_validator import validate\n\
             validate(json.load(open(sys.argv[1])))\n\
             print('valid')",
        ])
        .arg(&file)
        .output()
        .expect("run the validator");
    assert!(
        out.status.success(),
        "not valid OpenAPI: {}",
        describe(&out)
    );
}

/// Resolves `#/components/...` references.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let mut target = doc;
            for segment in reference.trim_start_matches("#/").split('/') {
                target = &target[segment];
            }
            resolve(doc, target)
        }
        None => node,
    }
}

/// Checks the required fields and types of `value` against `schema`, recursively.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            conforms(doc, part, value, at, problems);
        }
    }
    if value.is_null() {
        if schema["nullable"] != true && schema.get("type").is_some() {
            problems.push(format!("{at}: null but not nullable"));
        }
        return;
    }
    let ok = match schema["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !ok {
        problems.push(format!("{at}: expected {}, got {value}", schema["type"]));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            problems.push(format!("{at}: {value} not in {allowed:?}"));
        }
    }
    for name in schema["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if value.get(name).is_none() {
            problems.push(format!("{at}: missing required field {name}"));
        }
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object())
    {
        for (name, sub) in properties {
            if let Some(field) = object.get(name) {
                conforms(doc, sub, field, &format!("{at}.{name}"), problems);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate().take(50) {
            conforms(doc, items, item, &format!("{at}[{i}]"), problems);
        }
    }
}

#[test]
fn every_documented_read_answers_as_documented_with_its_examples() {
    let server = TestServer::start();
    let doc = server.get_json("/api/v1/openapi.json");
    assert_eq!(doc["info"]["license"]["name"], "CC BY 4.0");
    let paths = doc["paths"].as_object().expect("paths");
    for required in [
        "/api/v1/stations",
        "/api/v1/stations/{code}/readings",
        "/api/v1/stations/{code}/readings.csv",
        "/api/v1/stations/{code}/aqi",
        "/api/v1/water/{code}/class",
        "/api/v1/districts",
        "/api/v1/complaints",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{code}",
        "/api/v1/enterprises/{code}/readings",
        "/api/v1/enterprises/{code}/exceedances",
        "/api/v1/live",
        "/api/v1/ingest/readings",
    ] {
        assert!(paths.contains_key(required), "{required} is not documented");
    }
    assert_eq!(
        doc["paths"]["/api/v1/ingest/readings"]["post"]["security"][0]["bearerToken"],
        Value::Array(vec![])
    );
    let mut checked = 0;
    for (template, item) in paths {
        let Some(get) = item.get("get") else { continue };
        let responses = &get["responses"]["200"]["content"];
        let Some(media) = responses.get("application/json") else {
            continue; // CSV and the event stream are checked elsewhere.
        };
        let mut path = template.clone();
        let mut query = Vec::new();
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            let parameter = resolve(&doc, parameter);
            let name = parameter["name"].as_str().expect("name");
            let Some(example) = parameter.get("example") else {
                continue;
            };
            let example = match example {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match parameter["in"].as_str() {
                Some("path") => path = path.replace(&format!("{{{name}}}"), &example),
                Some("query") => query.push(format!("{name}={}", example.replace('+', "%2B"))),
                _ => {}
            }
        }
        if path.contains('{') {
            // A path parameter without an example (a snapshot's id): nothing to request on a
            // fresh server. tests/tests/snapshots.rs checks that one against its schema.
            continue;
        }
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        };
        let reply = server.get(&url);
        assert_eq!(reply.status, 200, "GET {url}: {}", excerpt(&reply.body));
        let mut problems = Vec::new();
        conforms(&doc, &media["schema"], &reply.json(), &url, &mut problems);
        assert!(
            problems.is_empty(),
            "GET {url} does not match its schema:\n{}",
            problems.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} JSON reads checked");
}

#[test]
fn the_index_states_the_licence() {
    let server = TestServer::start_empty();
    let slash = server.get("/api/v1/");
    assert!(
        slash.status == 200 || slash.header("location") == Some("/api/v1"),
        "/api/v1/ leads to the index: {} {:?}",
        slash.status,
        slash.headers
    );
    {
        let path = "/api/v1";
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", excerpt(&reply.body));
        let index = reply.json();
        assert_eq!(index["licence"]["name"], "CC BY 4.0", "{index}");
        assert!(index["licence"]["third_party"][0]["attribution_zh"]
            .as_str()
            .unwrap_or("")
            .contains("中国环境监测总站"));
        assert!(index["openapi"]
            .as_str()
            .unwrap_or("")
            .ends_with("/api/v1/openapi.json"));
    }
}
