//! The HTTP push API, `POST /api/v1/ingest/readings`, against the real server: tokens issued
//! with `daylight token add` write readings that the read API then returns; wrong or missing
//! tokens, a token's station restriction, bad items, bad bodies and oversize requests are
//! refused with reasons, in the caller's language.

use daylight_tests::{describe, eventually, TestServer};
use serde_json::{json, Value};

const PATH: &str = "/api/v1/ingest/readings";

/// `daylight token add NAME ARGS…`; returns the token it prints.
fn issue(server: &TestServer, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["token", "add", name];
    args.extend_from_slice(extra);
    let out = server.run_cli(&args);
    assert!(out.status.success(), "token add: {}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("cannot be shown again"), "{stdout}");
    let tokens: Vec<&str> = stdout.lines().filter(|l| l.starts_with("dlt_")).collect();
    assert_eq!(tokens.len(), 1, "exactly one token line: {stdout}");
    tokens[0].to_string()
}

fn push_raw(
    server: &TestServer,
    token: Option<&str>,
    lang: &str,
    content_type: &str,
    body: &[u8],
) -> daylight_tests::Reply {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", content_type), ("Accept-Language", lang)];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    server.request("POST", PATH, &headers, Some(body))
}

/// Pushes `readings` and expects a 200 with a result per item.
fn push(server: &TestServer, token: &str, lang: &str, readings: Value) -> Value {
    let body = json!({ "readings": readings }).to_string();
    let reply = push_raw(
        server,
        Some(token),
        lang,
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}\n{}", reply.body, server.log());
    reply.json()
}

fn item(station: &str, parameter: &str, time: &str, value: f64, unit: &str) -> Value {
    json!({ "station": station, "parameter": parameter, "time": time, "value": value, "unit": unit })
}

/// The readings of a station on 2021-07-01 (Beijing time), as the API returns them.
fn readings_of(server: &TestServer, code: &str) -> Vec<Value> {
    let body = server.get_json(&format!(
        "/api/v1/stations/{code}/readings?from=2021-07-01T00:00:00%2B08:00&to=2021-07-02T00:00:00%2B08:00"
    ));
    body["readings"].as_array().cloned().unwrap_or_default()
}

/// Waits until the station's readings of that day are `expected` in number (the API caches
/// answers for a moment).
fn settled(server: &TestServer, code: &str, expected: usize) -> Vec<Value> {
    eventually(&format!("{expected} readings at {code}"), || {
        let readings = readings_of(server, code);
        if readings.len() == expected {
            Ok(readings)
        } else {
            Err(format!("{readings:?}"))
        }
    })
}

/// Per item: "stored" or the error code.
fn outcomes(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    assert_eq!(r["index"], i, "results in item order: {answer}");
                    match r["status"].as_str() {
                        Some("stored") => "stored".to_string(),
                        _ => r["error"]["code"].as_str().unwrap_or("?").to_string(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn message(answer: &Value, index: usize) -> String {
    answer["results"][index]["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn assert_no_panic(server: &TestServer) {
    let log = server.log();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
}

#[test]
fn a_token_from_the_cli_pushes_values_that_the_read_api_returns_and_a_repush_changes_nothing() {
    let server = TestServer::start();
    let token = issue(&server, "city-bureau-feed", &[]);
    let answer = push(
        &server,
        &token,
        "en",
        json!([
            item("1462A", "PM2.5", "2021-07-01T08:00:00+08:00", 35.0, "ug/m3"),
            // Converted to the canonical mg/m³; flag and source are optional.
            {
                "station": "1462A", "parameter": "CO", "time": "2021-07-01T00:00:00Z",
                "value": 1600.0, "unit": "ug/m3", "flag": "D", "source": "replayed"
            },
        ]),
    );
    assert_eq!(answer["stored"], 2, "{answer}");
    assert_eq!(answer["rejected"], 0, "{answer}");
    assert_eq!(outcomes(&answer), vec!["stored", "stored"]);

    let readings = settled(&server, "1462A", 2);
    assert_eq!(
        readings[0],
        json!({"time": "2021-07-01T08:00:00+08:00", "parameter": "CO", "value": 1.6,
               "unit": "mg/m3", "flag": "D", "source": "replayed",
               "provenance": "HTTP push by city-bureau-feed"})
    );
    assert_eq!(
        readings[1],
        json!({"time": "2021-07-01T08:00:00+08:00", "parameter": "PM2.5", "value": 35.0,
               "unit": "ug/m3", "flag": "N", "source": "measured",
               "provenance": "HTTP push by city-bureau-feed"})
    );

    // What the read API returns can be pushed back as it is, with the station added (its
    // provenance is the server's to write): the same values again, stored once.
    let round_trip: Vec<Value> = readings
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r["station"] = json!("1462A");
            r
        })
        .collect();
    for _ in 0..2 {
        let again = push(&server, &token, "en", Value::Array(round_trip.clone()));
        assert_eq!(outcomes(&again), vec!["stored", "stored"], "{again}");
    }
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert_eq!(settled(&server, "1462A", 2), readings);

    // The listing names the source, never the token.
    let list = server.run_cli(["token", "list"]);
    assert!(list.status.success(), "{}", describe(&list));
    let listing = String::from_utf8_lossy(&list.stdout);
    assert!(listing.contains("city-bureau-feed") && listing.contains("all stations"));
    assert!(!listing.contains(&token[4..]), "{listing}");
    assert!(server.log().contains("readings pushed"));
    assert!(
        !server.log().contains(&token[4..]),
        "the token is never logged"
    );
    assert_no_panic(&server);
}

#[test]
fn missing_wrong_and_revoked_tokens_are_401_and_store_nothing() {
    let server = TestServer::start();
    let token = issue(&server, "feed", &[]);
    let body =
        json!({"readings": [item("1462A", "O3", "2021-07-01T09:00:00+08:00", 80.0, "ug/m3")]})
            .to_string();
    let unknown = format!("dlt_{}", "0".repeat(64));
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![], "unauthorized"),
        (
            vec![("Authorization", format!("Basic {token}"))],
            "invalid_token",
        ),
        (
            vec![("Authorization", "Bearer".to_string())],
            "invalid_token",
        ),
        (
            vec![("Authorization", "Bearer nope".to_string())],
            "invalid_token",
        ),
        (
            vec![("Authorization", format!("Bearer {unknown}"))],
            "invalid_token",
        ),
        (
            vec![("Authorization", format!("Bearer {}", token.to_uppercase()))],
            "invalid_token",
        ),
    ];
    for (auth, code) in cases {
        let mut headers: Vec<(&str, &str)> = vec![
            ("Content-Type", "application/json"),
            ("Accept-Language", "en"),
        ];
        headers.extend(auth.iter().map(|(n, v)| (*n, v.as_str())));
        let reply = server.request("POST", PATH, &headers, Some(body.as_bytes()));
        assert_eq!(reply.status, 401, "{auth:?}: {}", reply.body);
        let challenge = reply.header("www-authenticate").unwrap_or_default();
        assert!(challenge.starts_with("Bearer"), "{auth:?}: {challenge:?}");
        assert_eq!(reply.json()["error"]["code"], code, "{auth:?}");
    }
    // Chinese unless English is asked for.
    let zh = push_raw(&server, None, "zh-CN", "application/json", body.as_bytes());
    assert_eq!(zh.status, 401);
    assert!(zh.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("令牌"));

    // The token works, until it is revoked.
    let before = push_raw(
        &server,
        Some(&token),
        "en",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(before.status, 200, "{}", before.body);
    let removed = server.run_cli(["token", "remove", "feed"]);
    assert!(removed.status.success(), "{}", describe(&removed));
    let after = push_raw(
        &server,
        Some(&token),
        "en",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(after.status, 401, "a revoked token is refused at once");
    assert_eq!(settled(&server, "1462A", 1).len(), 1);
    assert_no_panic(&server);
}

#[test]
fn a_token_restricted_to_stations_writes_only_those() {
    let server = TestServer::start();
    let token = issue(
        &server,
        "lab",
        &["--station", "1463A", "--station", "1464A"],
    );
    let time = "2021-07-01T10:00:00+08:00";
    let answer = push(
        &server,
        &token,
        "en",
        json!([
            item("1462A", "NO2", time, 40.0, "ug/m3"),
            item("1463A", "NO2", time, 41.0, "ug/m3"),
            item("NOPE", "NO2", time, 42.0, "ug/m3"),
        ]),
    );
    assert_eq!(
        outcomes(&answer),
        vec!["station_not_allowed", "stored", "station_not_allowed"]
    );
    assert_eq!(
        message(&answer, 0),
        "this token may not write station '1462A'"
    );
    assert_eq!(
        (answer["stored"].as_u64(), answer["rejected"].as_u64()),
        (Some(1), Some(2))
    );
    settled(&server, "1463A", 1);
    assert!(readings_of(&server, "1462A").is_empty());

    let list = server.run_cli(["token", "list"]);
    let listing = String::from_utf8_lossy(&list.stdout);
    assert!(listing.contains("stations 1463A, 1464A"), "{listing}");

    // A station that does not exist cannot be granted.
    let out = server.run_cli(["token", "add", "typo", "--station", "1462X"]);
    assert!(!out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown station '1462X'"),
        "{}",
        describe(&out)
    );
    let list = server.run_cli(["token", "list"]);
    assert!(!String::from_utf8_lossy(&list.stdout).contains("typo"));
    assert_no_panic(&server);
}

#[test]
fn a_mixed_batch_stores_the_good_items_and_explains_each_bad_one() {
    let server = TestServer::start();
    let token = issue(&server, "feed", &[]);
    let t = "2021-07-01T11:00:00+08:00";
    let readings = json!([
        item("1462A", "SO2", t, 9.0, "ug/m3"),
        item("NOPE", "SO2", t, 9.0, "ug/m3"),
        item("1462A", "pH", t, 7.0, "pH"),
        item("1462A", "SO2", "2999-01-01T00:00:00+08:00", 9.0, "ug/m3"),
        item("1462A", "SO2", "2021-07-01T11:30:00+08:00", 9.0, "ug/m3"),
        item("1462A", "SO2", "2021-07-01T11:00:00", 9.0, "ug/m3"),
        {"station": "1462A", "parameter": "NO2", "time": t, "value": 9.0, "unit": "ug/m3", "source": "simulated"},
        item("1462A", "NO2", t, 9.0, "mg/L"),
        item("1462A", "NO2", t, -1.0, "ug/m3"),
        item("1462A", "PM2_5", t, 9.0, "ug/m3"),
        {"station": "1462A", "parameter": "NO2", "time": t, "value": "9", "unit": "ug/m3"},
        {"station": "1462A", "parameter": "NO2", "time": t, "value": 9.0, "unit": "ug/m3", "flag": "X"},
        item("1462A", "SO2", "2021-07-01T03:00:00Z", 10.0, "ug/m3"),
        item("1462A", "O3", t, 71.0, "ug/m3"),
        [1, 2, 3],
    ]);
    let en = push(&server, &token, "en", readings.clone());
    assert_eq!(
        outcomes(&en),
        vec![
            "stored",
            "unknown_station",
            "wrong_station_kind",
            "time_in_future",
            "not_on_the_hour",
            "bad_time",
            "bad_source",
            "wrong_unit",
            "negative_value",
            "unknown_parameter",
            "bad_item",
            "bad_flag",
            "duplicate",
            "stored",
            "bad_item",
        ]
    );
    assert_eq!(
        (en["stored"].as_u64(), en["rejected"].as_u64()),
        (Some(2), Some(13))
    );
    assert_eq!(en["results"][0], json!({"index": 0, "status": "stored"}));
    assert_eq!(message(&en, 1), "unknown station 'NOPE'");
    assert_eq!(
        message(&en, 2),
        "pH is measured at water stations, but 1462A is an air station"
    );
    assert_eq!(
        message(&en, 6),
        "source must be measured or replayed, not 'simulated'"
    );
    assert_eq!(message(&en, 10), "'value' must be a number");
    assert!(
        message(&en, 12).contains("(the first is item 0)"),
        "{}",
        message(&en, 12)
    );

    // The same batch in Chinese (the default): same outcomes, Chinese reasons.
    let zh = push(&server, &token, "zh-CN,en;q=0.5", readings);
    assert_eq!(outcomes(&zh), outcomes(&en));
    assert_eq!(message(&zh, 1), "没有编码为“NOPE”的站点");
    assert_eq!(
        message(&zh, 2),
        "pH 是水质断面的监测项目，而 1462A 是空气站"
    );
    assert_eq!(message(&zh, 10), "字段“value”应为数字");

    let stored = settled(&server, "1462A", 2);
    let got: Vec<(&str, f64)> = stored
        .iter()
        .map(|r| {
            (
                r["parameter"].as_str().unwrap_or(""),
                r["value"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(got, vec![("O3", 71.0), ("SO2", 9.0)]);
    assert_no_panic(&server);
}

#[test]
fn bad_bodies_are_refused_with_a_reason_in_the_callers_language() {
    let server = TestServer::start();
    let token = issue(&server, "feed", &[]);
    let error = |reply: &daylight_tests::Reply| {
        let body = reply.json();
        (
            body["error"]["status"].as_u64(),
            body["error"]["code"].as_str().unwrap_or("").to_string(),
            body["error"]["message"].as_str().unwrap_or("").to_string(),
        )
    };

    let reply = push_raw(
        &server,
        Some(&token),
        "en",
        "application/json",
        b"{\"readings\": [",
    );
    assert_eq!(reply.status, 400);
    let (status, code, text) = error(&reply);
    assert_eq!((status, code.as_str()), (Some(400), "malformed_json"));
    assert_eq!(text, "the body is not complete JSON: it ends too early");
    let reply = push_raw(
        &server,
        Some(&token),
        "zh",
        "application/json",
        b"{\"readings\": [}",
    );
    assert_eq!(reply.status, 400);
    let (_, code, text) = error(&reply);
    assert_eq!(code, "malformed_json");
    assert_eq!(text, "请求体不是有效的 JSON：第 1 行第 15 列有误");
    let reply = push_raw(&server, Some(&token), "en", "application/json", b"[]");
    assert_eq!((reply.status, error(&reply).1.as_str()), (400, "bad_body"));

    let reply = push_raw(
        &server,
        Some(&token),
        "en",
        "text/plain",
        b"{\"readings\": []}",
    );
    assert_eq!(reply.status, 415, "{}", reply.body);
    assert_eq!(error(&reply).1, "unsupported_media_type");

    // Over 1 MiB.
    let padding = " ".repeat(1024 * 1024);
    let big = format!("{{\"readings\": []{padding}}}");
    let reply = push_raw(
        &server,
        Some(&token),
        "en",
        "application/json",
        big.as_bytes(),
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(error(&reply).1, "body_too_large");
    // Declared far over the limit: refused from the headers alone, before any body byte.
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
    );
    let answer = server.raw(head.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("body_too_large"), "{answer}");
    // Over 5,000 readings, though small.
    let many = format!("{{\"readings\": [{}]}}", vec!["{}"; 5001].join(","));
    let reply = push_raw(
        &server,
        Some(&token),
        "en",
        "application/json",
        many.as_bytes(),
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    let (_, code, text) = error(&reply);
    assert_eq!(code, "too_many_readings");
    assert!(text.contains("5000"), "{text}");

    // Only POST.
    let reply = server.request("GET", PATH, &[("Accept-Language", "en")], None);
    assert_eq!(reply.status, 405);
    assert!(reply.header("allow").unwrap_or_default().contains("POST"));
    assert_eq!(error(&reply).2, "this endpoint only answers POST");

    // Nothing of this reached the store, and the server is fine.
    assert!(readings_of(&server, "1462A").is_empty());
    assert_eq!(server.get("/api/v1/stations").status, 200);
    assert_no_panic(&server);
}
