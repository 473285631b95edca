//! The public JSON API, `/api/v1`, checked against the real data the demo is made of.

use std::collections::{BTreeMap, BTreeSet};

use daylight_tests::{excerpt, shared_data, workspace_root, Reply, TestServer};
use serde_json::Value;

/// The 12 real hours of 2022-01-01 (00:00–11:00 +08:00) the demo ships.
const REAL_FROM: &str = "2022-01-01T00:00:00%2B08:00";
const REAL_TO: &str = "2022-01-01T12:00:00%2B08:00";

const WATER_CLASSES: [&str; 6] = ["I", "II", "III", "IV", "V", "劣V"];

/// One row of the hourly CSV: (station, time, parameter) → (value, unit).
type Hourly = BTreeMap<(String, String, String), (f64, String)>;

/// CNEMC's hourly release for 2022-01-01, from the shared data (or the demo's own copy).
fn real_hours() -> Hourly {
    let path = shared_data("xian/air_hourly_2022-01-01.csv")
        .unwrap_or_else(|| workspace_root().join("server/demo/air_hourly_2022-01-01.csv"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = Hourly::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let value: f64 = f[3]
            .parse()
            .unwrap_or_else(|_| panic!("bad value in {line}"));
        rows.insert(
            (f[0].to_string(), f[1].to_string(), f[2].to_string()),
            (value, f[4].to_string()),
        );
    }
    rows
}

fn features(server: &TestServer) -> Vec<Value> {
    let collection = server.get_json("/api/v1/stations");
    assert_eq!(collection["type"], "FeatureCollection");
    collection["features"]
        .as_array()
        .expect("features is an array")
        .clone()
}

/// Asserts a JSON error answer and returns its `error` object.
fn api_error(reply: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(reply.status, status, "{}", excerpt(&reply.body));
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "error answers are JSON, got {content_type:?}: {}",
        excerpt(&reply.body)
    );
    let body = reply.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["status"], status, "{body}");
    body["error"].clone()
}

fn message(error: &Value) -> &str {
    error["message"]
        .as_str()
        .expect("error.message is a string")
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---------------------------------------------------------------------------------------
// HJ 633-2012 as CNEMC applies it hourly (shared/reference/standards.md §2.1, §2.2, §2.6),
// written out independently of the server: 1-hour SO2, NO2, CO, O3 on their 1-hour
// breakpoints, 1-hour PM10 and PM2.5 on the 24-hour ones, each IAQI rounded up, exact
// integer arithmetic on concentrations with one decimal.

const IAQI: [i64; 8] = [0, 50, 100, 150, 200, 300, 400, 500];

fn breakpoints(parameter: &str) -> &'static [i64] {
    match parameter {
        "SO2" => &[0, 150, 500, 650, 800],
        "NO2" => &[0, 100, 200, 700, 1200, 2340, 3090, 3840],
        "CO" => &[0, 5, 10, 35, 60, 90, 120, 150],
        "O3" => &[0, 160, 200, 300, 400, 800, 1000, 1200],
        "PM10" => &[0, 50, 150, 250, 350, 420, 500, 600],
        "PM2.5" => &[0, 35, 75, 115, 150, 250, 350, 500],
        other => panic!("no breakpoints for {other}"),
    }
}

fn iaqi(parameter: &str, value: f64) -> i64 {
    let tenths = (value * 10.0).round() as i64;
    assert!(
        (value * 10.0 - tenths as f64).abs() < 1e-6,
        "{parameter} {value}: more than one decimal"
    );
    let bp = breakpoints(parameter);
    let i = (0..bp.len() - 1)
        .find(|&i| tenths >= bp[i] * 10 && tenths <= bp[i + 1] * 10)
        .unwrap_or_else(|| panic!("{parameter} {value} is beyond the table"));
    let numerator = (IAQI[i + 1] - IAQI[i]) * (tenths - bp[i] * 10);
    let denominator = (bp[i + 1] - bp[i]) * 10;
    IAQI[i] + (numerator + denominator - 1) / denominator
}

const AQI_POLLUTANTS: [&str; 6] = ["SO2", "NO2", "PM10", "CO", "O3", "PM2.5"];

/// (AQI, primary pollutants) of one station-hour of the CSV.
fn expected_aqi(hours: &Hourly, station: &str, time: &str) -> (i64, BTreeSet<String>) {
    let sub: Vec<(&str, i64)> = AQI_POLLUTANTS
        .iter()
        .map(|p| {
            let key = (station.to_string(), time.to_string(), p.to_string());
            let (value, _) = hours
                .get(&key)
                .unwrap_or_else(|| panic!("no {p} for {station} at {time}"));
            (*p, iaqi(p, *value))
        })
        .collect();
    let aqi = sub.iter().map(|(_, i)| *i).max().unwrap_or(0);
    let primary = if aqi > 50 {
        sub.iter()
            .filter(|(_, i)| *i == aqi)
            .map(|(p, _)| p.to_string())
            .collect()
    } else {
        BTreeSet::new()
    };
    (aqi, primary)
}

/// HJ 633 Table 2: level and colour of an AQI.
fn category(aqi: i64) -> (i64, &'static str) {
    match aqi {
        0..=50 => (1, "#00E400"),
        51..=100 => (2, "#FFFF00"),
        101..=150 => (3, "#FF7E00"),
        151..=200 => (4, "#FF0000"),
        201..=300 => (5, "#99004C"),
        _ => (6, "#7E0023"),
    }
}

#[test]
fn the_breakpoint_arithmetic_of_this_file_matches_the_standard() {
    // Worked values from standards.md §2.2 and 1462A's first real hour.
    assert_eq!(iaqi("PM2.5", 146.0), 195);
    assert_eq!(iaqi("PM2.5", 148.0), 198);
    assert_eq!(iaqi("PM2.5", 102.0), 134); // ceil(100 + 27·50/40) = ceil(133.75)
    assert_eq!(iaqi("PM10", 109.0), 80); // ceil(50 + 59·50/100) = ceil(79.5)
    assert_eq!(iaqi("CO", 1.6), 16);
    assert_eq!(iaqi("O3", 66.0), 21);
    assert_eq!(iaqi("PM2.5", 75.0), 100);
}

// ---------------------------------------------------------------------------------------

#[test]
fn stations_are_a_feature_collection_of_18_air_stations_and_35_water_sections() {
    let server = TestServer::start();
    let features = features(&server);
    assert_eq!(features.len(), 53);
    let kinds: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "air").count(), 18);
    assert_eq!(kinds.iter().filter(|k| **k == "water").count(), 35);
    let codes: BTreeSet<&str> = features
        .iter()
        .map(|f| f["properties"]["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), 53, "station codes are unique");
    for code in ["1462A", "1465A", "1472A", "3608A", "W-BAHEKOU"] {
        assert!(codes.contains(code), "{code} missing");
    }
    for f in &features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let lon = f["geometry"]["coordinates"][0].as_f64().expect("lon");
        let lat = f["geometry"]["coordinates"][1].as_f64().expect("lat");
        // Shaanxi, where every station of the demo lies.
        assert!(
            (105.0..=111.5).contains(&lon) && (31.5..=39.7).contains(&lat),
            "{f}"
        );
    }
    let p = &features
        .iter()
        .find(|f| f["properties"]["code"] == "1462A")
        .expect("1462A")["properties"];
    assert_eq!(p["name"], "高压开关厂");
    assert_eq!(p["district"], "莲湖区");
}

#[test]
fn air_stations_carry_an_aqi_and_its_hj633_category() {
    let server = TestServer::start();
    for f in features(&server)
        .iter()
        .filter(|f| f["properties"]["kind"] == "air")
    {
        let p = &f["properties"];
        assert_eq!(p["position_approximate"], false, "{p}");
        if p["latest"].is_null() {
            continue; // a station without data
        }
        let latest = &p["latest"];
        let aqi = latest["aqi"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}: latest.aqi is not a number: {latest}", p["code"]));
        assert!((0..=500).contains(&aqi), "{}: AQI {aqi}", p["code"]);
        let color = latest["category"]["color"]
            .as_str()
            .expect("category.color");
        assert!(color.starts_with('#') && color.len() == 7, "colour {color}");
        let (level, expected_color) = category(aqi);
        assert_eq!(
            latest["category"]["level"], level,
            "{}: {latest}",
            p["code"]
        );
        assert!(
            color.eq_ignore_ascii_case(expected_color),
            "{}: AQI {aqi} colour {color}",
            p["code"]
        );
        // The AQI is the largest sub-index, and the primary pollutants are those that reach it.
        let subs = latest["sub_indices"].as_array().expect("sub_indices");
        let max = subs.iter().filter_map(|s| s["iaqi"].as_i64()).max();
        assert_eq!(max, Some(aqi), "{}: {latest}", p["code"]);
        let primary = latest["primary_pollutants"]
            .as_array()
            .expect("primary_pollutants");
        if aqi > 50 {
            assert!(
                !primary.is_empty(),
                "{}: AQI {aqi} without a primary pollutant",
                p["code"]
            );
        } else {
            assert!(
                primary.is_empty(),
                "{}: AQI {aqi} ≤ 50 has no primary pollutant",
                p["code"]
            );
        }
    }
}

#[test]
fn water_sections_carry_a_gb3838_class_and_an_approximate_position() {
    let server = TestServer::start();
    let water: Vec<Value> = features(&server)
        .into_iter()
        .filter(|f| f["properties"]["kind"] == "water")
        .collect();
    assert_eq!(water.len(), 35);
    for f in &water {
        let p = &f["properties"];
        assert_eq!(p["position_approximate"], true, "{p}");
        assert!(
            ["river", "lake", "reservoir"].contains(&p["water_body"].as_str().unwrap_or_default()),
            "{p}"
        );
        let class = p["latest"]["class"]
            .as_str()
            .unwrap_or_else(|| panic!("no class: {p}"));
        assert!(
            WATER_CLASSES.contains(&class),
            "{}: class {class}",
            p["code"]
        );
        for item in p["latest"]["items"].as_array().expect("items") {
            let c = item["class"].as_str().unwrap_or_default();
            assert!(WATER_CLASSES.contains(&c), "{}: item {item}", p["code"]);
        }
        assert_eq!(p["latest"]["standard"], "GB 3838-2002");
    }
}

#[test]
fn readings_of_the_real_hours_are_exactly_the_published_values() {
    let server = TestServer::start();
    let hours = real_hours();
    let stations: BTreeSet<String> = hours.keys().map(|(s, _, _)| s.clone()).collect();
    assert_eq!(stations.len(), 12, "the CSV has 12 stations with data");
    for station in &stations {
        let body = server.get_json(&format!(
            "/api/v1/stations/{station}/readings?from={REAL_FROM}&to={REAL_TO}"
        ));
        assert_eq!(body["station"], station.as_str());
        assert_eq!(body["from"], "2022-01-01T00:00:00+08:00");
        assert_eq!(body["to"], "2022-01-01T12:00:00+08:00");
        let readings = body["readings"].as_array().expect("readings");
        let expected: Vec<_> = hours.iter().filter(|((s, _, _), _)| s == station).collect();
        assert_eq!(
            readings.len(),
            expected.len(),
            "{station}: number of readings"
        );
        let mut previous_time = String::new();
        for r in readings {
            let time = r["time"].as_str().expect("time").to_string();
            let parameter = r["parameter"].as_str().expect("parameter").to_string();
            assert!(time >= previous_time, "{station}: readings out of order");
            previous_time.clone_from(&time);
            let key = (station.clone(), time, parameter);
            let (value, unit) = hours
                .get(&key)
                .unwrap_or_else(|| panic!("unexpected reading {r}"));
            assert_eq!(r["value"].as_f64(), Some(*value), "{key:?}");
            assert_eq!(r["unit"], unit.as_str(), "{key:?}");
            assert_eq!(r["source"], "measured", "{key:?}");
            assert_eq!(r["flag"], "N", "{key:?}");
        }
    }

    // The two values everyone checks by hand.
    let body = server.get_json(&format!(
        "/api/v1/stations/1462A/readings?from={REAL_FROM}&to=2022-01-01T01:00:00%2B08:00"
    ));
    let first_hour: BTreeMap<&str, f64> = body["readings"]
        .as_array()
        .expect("readings")
        .iter()
        .map(|r| {
            (
                r["parameter"].as_str().unwrap_or_default(),
                r["value"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(first_hour.get("PM2.5"), Some(&102.0));
    assert_eq!(first_hour.get("CO"), Some(&1.6));
    assert_eq!(first_hour.len(), 14, "one hour has 14 parameters");
}

#[test]
fn readings_can_be_filtered_by_parameter() {
    let server = TestServer::start();
    let hours = real_hours();
    let body = server.get_json(&format!(
        "/api/v1/stations/1462A/readings?from={REAL_FROM}&to={REAL_TO}&parameter=PM2.5"
    ));
    let readings = body["readings"].as_array().expect("readings");
    assert_eq!(readings.len(), 12);
    let expected: Vec<f64> = hours
        .iter()
        .filter(|((s, _, p), _)| s == "1462A" && p == "PM2.5")
        .map(|(_, (v, _))| *v)
        .collect();
    let got: Vec<f64> = readings
        .iter()
        .map(|r| r["value"].as_f64().expect("value"))
        .collect();
    assert_eq!(got, expected);
    assert!(readings
        .iter()
        .all(|r| r["parameter"] == "PM2.5" && r["unit"] == "ug/m3"));
    assert_eq!(readings[0]["time"], "2022-01-01T00:00:00+08:00");
    assert_eq!(readings[11]["time"], "2022-01-01T11:00:00+08:00");
}

#[test]
fn hourly_aqi_of_the_real_hours_follows_hj633() {
    let server = TestServer::start();
    let hours = real_hours();

    let body = server.get_json(&format!(
        "/api/v1/stations/1462A/aqi?from={REAL_FROM}&to={REAL_TO}"
    ));
    let list = body["hours"].as_array().expect("hours");
    assert_eq!(list.len(), 12);
    // 1462A at 00:00: SO2 13 → 5, NO2 67 → 34, PM10 109 → 80, CO 1.6 → 16, O3 8 → 3,
    // PM2.5 102 → ceil(100 + (102 − 75)·50/40) = 134: AQI 134, 轻度污染, primary PM2.5.
    let first = &list[0];
    assert_eq!(first["time"], "2022-01-01T00:00:00+08:00");
    assert_eq!(first["aqi"], 134);
    assert_eq!(first["primary_pollutants"], serde_json::json!(["PM2.5"]));
    assert_eq!(first["category"]["level"], 3);
    assert_eq!(first["category"]["name_zh"], "轻度污染");
    assert_eq!(first["source"], "measured");
    let subs: BTreeMap<&str, i64> = first["sub_indices"]
        .as_array()
        .expect("sub_indices")
        .iter()
        .map(|s| {
            (
                s["pollutant"].as_str().unwrap_or_default(),
                s["iaqi"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    let expected_subs: BTreeMap<&str, i64> = [
        ("SO2", 5),
        ("NO2", 34),
        ("PM10", 80),
        ("CO", 16),
        ("O3", 3),
        ("PM2.5", 134),
    ]
    .into();
    assert_eq!(subs, expected_subs);

    // Every hour of every station with real data, against the independent computation.
    let stations: BTreeSet<String> = hours.keys().map(|(s, _, _)| s.clone()).collect();
    for station in &stations {
        let body = server.get_json(&format!(
            "/api/v1/stations/{station}/aqi?from={REAL_FROM}&to={REAL_TO}"
        ));
        let list = body["hours"].as_array().expect("hours");
        assert_eq!(list.len(), 12, "{station}");
        for hour in list {
            let time = hour["time"].as_str().expect("time");
            let (aqi, primary) = expected_aqi(&hours, station, time);
            assert_eq!(hour["aqi"].as_i64(), Some(aqi), "{station} {time}: {hour}");
            let got: BTreeSet<String> = hour["primary_pollutants"]
                .as_array()
                .expect("primary_pollutants")
                .iter()
                .map(|p| p.as_str().unwrap_or_default().to_string())
                .collect();
            assert_eq!(got, primary, "{station} {time}: primary pollutants");
            assert_eq!(
                hour["category"]["level"],
                category(aqi).0,
                "{station} {time}"
            );
        }
    }
}

#[test]
fn water_class_of_the_real_snapshot_follows_gb3838() {
    let server = TestServer::start();
    // 灞河口 at 2026-07-09 21:00 +08:00: pH 8.48 (I), DO 7.38 (II: < 7.5), CODMn 3.17 (II),
    // NH3-N 0.021 (I), TP 0.033 (river, II) → class II, decided by DO, CODMn and TP.
    let body = server.get_json(
        "/api/v1/water/W-BAHEKOU/class?from=2026-07-09T00:00:00%2B08:00&to=2026-07-10T00:00:00%2B08:00",
    );
    assert_eq!(body["water_body"], "river");
    let samples = body["samples"].as_array().expect("samples");
    assert_eq!(samples.len(), 1, "{body}");
    let s = &samples[0];
    assert_eq!(s["time"], "2026-07-09T21:00:00+08:00");
    assert_eq!(s["class"], "II");
    assert_eq!(s["source"], "measured");
    let items: BTreeMap<&str, (f64, &str)> = s["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["item"].as_str().unwrap_or_default(),
                (
                    i["value"].as_f64().unwrap_or(f64::NAN),
                    i["class"].as_str().unwrap_or_default(),
                ),
            )
        })
        .collect();
    let expected: BTreeMap<&str, (f64, &str)> = [
        ("pH", (8.48, "I")),
        ("DO", (7.38, "II")),
        ("CODMn", (3.17, "II")),
        ("NH3-N", (0.021, "I")),
        ("TP", (0.033, "II")),
    ]
    .into();
    assert_eq!(items, expected);
    let deciding: BTreeSet<&str> = s["deciding_items"]
        .as_array()
        .expect("deciding_items")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(deciding, ["CODMn", "DO", "TP"].into());

    // Without a range: the recent samples, each with a class.
    let recent = server.get_json("/api/v1/water/W-BAHEKOU/class");
    let samples = recent["samples"].as_array().expect("samples");
    assert!(!samples.is_empty());
    for s in samples {
        assert!(
            WATER_CLASSES.contains(&s["class"].as_str().unwrap_or_default()),
            "{s}"
        );
    }
}

#[test]
fn unknown_station_is_a_404_in_the_callers_language() {
    let server = TestServer::start();
    for path in [
        "/api/v1/stations/NOPE/readings",
        "/api/v1/stations/NOPE/aqi",
        "/api/v1/water/NOPE/class",
    ] {
        let zh = api_error(&server.get(path), 404, "unknown_station");
        assert!(has_han(message(&zh)), "{path}: {zh}");
        assert!(message(&zh).contains("NOPE"), "{path}: {zh}");

        let en = api_error(
            &server.get_with(path, &[("Accept-Language", "en-GB,en;q=0.9")]),
            404,
            "unknown_station",
        );
        assert_eq!(
            message(&en),
            "there is no station with code 'NOPE'",
            "{path}"
        );
    }
    // Only the first tag counts (docs/api.md, "Errors").
    for (accept, english) in [
        ("zh-CN,en;q=0.5", false),
        ("en;q=0.1,zh", true),
        ("EN-us", true),
    ] {
        let e = api_error(
            &server.get_with("/api/v1/stations/NOPE/aqi", &[("Accept-Language", accept)]),
            404,
            "unknown_station",
        );
        assert_eq!(!has_han(message(&e)), english, "{accept}: {e}");
    }
    // Chinese stays the default for other languages.
    let fr = api_error(
        &server.get_with("/api/v1/stations/NOPE/aqi", &[("Accept-Language", "fr")]),
        404,
        "unknown_station",
    );
    assert!(has_han(message(&fr)));
}

#[test]
fn malformed_times_are_a_400_naming_the_parameter() {
    let server = TestServer::start();
    for (query, name) in [
        ("from=yesterday", "from"),
        ("from=2022-01-01", "from"),
        ("from=2022-01-01T00:00:00", "from"), // no offset: ambiguous
        ("to=2022-13-01T00:00:00%2B08:00", "to"),
        ("from=9999999999999999999", "from"),
    ] {
        let path = format!("/api/v1/stations/1462A/readings?{query}");
        let en = api_error(
            &server.get_with(&path, &[("Accept-Language", "en")]),
            400,
            "bad_query_parameter",
        );
        assert!(
            message(&en).starts_with(&format!("query parameter '{name}'")),
            "{query}: {en}"
        );
        let zh = api_error(&server.get(&path), 400, "bad_query_parameter");
        assert!(
            message(&zh).contains(name) && has_han(message(&zh)),
            "{query}: {zh}"
        );
    }
    // The AQI endpoint parses its range the same way.
    api_error(
        &server.get("/api/v1/stations/1462A/aqi?to=soon"),
        400,
        "bad_query_parameter",
    );
}

#[test]
fn an_empty_or_reversed_range_is_a_400() {
    let server = TestServer::start();
    for query in [
        format!("from={REAL_TO}&to={REAL_FROM}"),
        format!("from={REAL_FROM}&to={REAL_FROM}"),
        // The same instant written in two offsets.
        format!("from={REAL_FROM}&to=2021-12-31T16:00:00Z"),
    ] {
        for endpoint in [
            "stations/1462A/readings",
            "stations/1462A/aqi",
            "water/W-BAHEKOU/class",
        ] {
            let path = format!("/api/v1/{endpoint}?{query}");
            let e = api_error(
                &server.get_with(&path, &[("Accept-Language", "en")]),
                400,
                "bad_query_parameter",
            );
            assert!(message(&e).contains("'from'"), "{path}: {e}");
        }
    }
    // More than a year in one request.
    let e = api_error(
        &server.get("/api/v1/stations/1462A/readings?from=2021-01-01T00:00:00%2B08:00&to=2022-06-01T00:00:00%2B08:00"),
        400,
        "bad_query_parameter",
    );
    assert!(message(&e).contains("366"), "{e}");
}

#[test]
fn an_unknown_parameter_is_a_400() {
    let server = TestServer::start();
    for parameter in ["PM3", "pm%202.5", "%00", "SO2;DROP"] {
        let path = format!(
            "/api/v1/stations/1462A/readings?parameter={parameter}&from={REAL_FROM}&to={REAL_TO}"
        );
        let e = api_error(
            &server.get_with(&path, &[("Accept-Language", "en")]),
            400,
            "bad_query_parameter",
        );
        assert!(
            message(&e).starts_with("query parameter 'parameter'"),
            "{parameter}: {e}"
        );
    }
}

#[test]
fn kind_specific_endpoints_refuse_the_other_kind() {
    let server = TestServer::start();
    let e = api_error(
        &server.get("/api/v1/stations/W-BAHEKOU/aqi"),
        400,
        "wrong_station_kind",
    );
    assert!(message(&e).contains("W-BAHEKOU"), "{e}");
    let e = api_error(
        &server.get("/api/v1/water/1462A/class"),
        400,
        "wrong_station_kind",
    );
    assert!(message(&e).contains("1462A"), "{e}");
}

#[test]
fn unknown_endpoints_are_a_json_404() {
    let server = TestServer::start();
    // `/api/v1` itself is the index (tests/open_data.rs).
    for path in [
        "/api/v1/nope",
        "/api/v1/stations/",
        "/api/v1/stations/1462A",
        "/api/v1/stations/1462A/nope",
    ] {
        let e = api_error(&server.get(path), 404, "not_found");
        assert!(has_han(message(&e)), "{path}: {e}");
    }
    let e = api_error(
        &server.get_with("/api/v1/nope", &[("Accept-Language", "en")]),
        404,
        "not_found",
    );
    assert!(message(&e).contains("no such endpoint"), "{e}");
}

#[test]
fn a_code_that_is_not_utf8_is_a_json_unknown_station() {
    let server = TestServer::start();
    for path in [
        "/api/v1/stations/%FF/readings",
        "/api/v1/stations/%FF/aqi",
        "/api/v1/water/%C3%28/class",
    ] {
        let reply = server.get(path);
        assert_eq!(
            reply
                .header("content-type")
                .map(|c| c.starts_with("application/json")),
            Some(true),
            "{path}: {} {:?}",
            reply.status,
            reply.body
        );
        api_error(&reply, 404, "unknown_station");
    }
}

#[test]
fn from_without_to_runs_until_now() {
    // A client polling for "everything since the hour I last saw" gets an empty list once it
    // has caught up, not an error.
    let server = TestServer::start();
    let latest = features(&server)
        .into_iter()
        .find(|f| f["properties"]["code"] == "1462A")
        .and_then(|f| f["properties"]["latest_time"].as_str().map(str::to_string))
        .expect("1462A has a latest time");
    assert!(latest.ends_with(":00:00+08:00"), "{latest}");
    let since = latest.replace(":00:00+08:00", ":00:01%2B08:00");
    let body = server.get_json(&format!("/api/v1/stations/1462A/readings?from={since}"));
    assert_eq!(body["readings"], serde_json::json!([]));
    assert_eq!(body["from"], latest.replace(":00:00+08:00", ":00:01+08:00"));
    // From the latest hour on (inclusive): that hour only.
    let from_latest = latest.replace("+08:00", "%2B08:00");
    let body = server.get_json(&format!(
        "/api/v1/stations/1462A/readings?from={from_latest}"
    ));
    let times: BTreeSet<&str> = body["readings"]
        .as_array()
        .expect("readings")
        .iter()
        .filter_map(|r| r["time"].as_str())
        .collect();
    assert_eq!(times, [latest.as_str()].into(), "{body}");
    // A parameter the station does not measure is an empty list, not an error.
    let body = server.get_json("/api/v1/stations/W-BAHEKOU/readings?parameter=PM2.5");
    assert_eq!(body["readings"], serde_json::json!([]));
}

#[test]
fn districts_are_13_multipolygons_that_can_be_simplified() {
    let server = TestServer::start();
    let full = server.get_json("/api/v1/districts");
    let features = full["features"].as_array().expect("features");
    assert_eq!(features.len(), 13);
    let names: BTreeSet<&str> = features
        .iter()
        .map(|f| f["properties"]["name"].as_str().expect("name"))
        .collect();
    let expected: BTreeSet<&str> = [
        "新城区",
        "碑林区",
        "莲湖区",
        "灞桥区",
        "未央区",
        "雁塔区",
        "阎良区",
        "临潼区",
        "长安区",
        "高陵区",
        "鄠邑区",
        "蓝田县",
        "周至县",
    ]
    .into();
    assert_eq!(names, expected);
    for f in features {
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
        let adcode = f["properties"]["adcode"].as_str().expect("adcode");
        assert!(adcode.starts_with("6101") && adcode.len() == 6, "{adcode}");
        for point in positions(f) {
            // Xi'an, WGS-84.
            assert!(
                (107.5..=109.9).contains(&point.0) && (33.6..=34.8).contains(&point.1),
                "{point:?}"
            );
        }
    }

    let simplified = server.get_json("/api/v1/districts?simplify=0.001");
    let count = |c: &Value| -> usize {
        c["features"]
            .as_array()
            .map(|fs| fs.iter().map(|f| positions(f).len()).sum())
            .unwrap_or(0)
    };
    let (before, after) = (count(&full), count(&simplified));
    assert!(
        after < before,
        "simplify=0.001 kept {after} of {before} positions"
    );
    assert!(after > 13 * 4, "simplify=0.001 left only {after} positions");
    assert_eq!(simplified["features"].as_array().map(Vec::len), Some(13));

    for bad in ["abc", "-1", "0.5", "NaN"] {
        let reply = server.get_with(
            &format!("/api/v1/districts?simplify={bad}"),
            &[("Accept-Language", "en")],
        );
        let e = api_error(&reply, 400, "bad_query_parameter");
        assert!(
            message(&e).starts_with("query parameter 'simplify'"),
            "{bad}: {e}"
        );
    }
}

/// Every (lon, lat) of a (Multi)Polygon feature.
fn positions(feature: &Value) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for polygon in feature["geometry"]["coordinates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for ring in polygon.as_array().into_iter().flatten() {
            for p in ring.as_array().into_iter().flatten() {
                out.push((
                    p[0].as_f64().unwrap_or(f64::NAN),
                    p[1].as_f64().unwrap_or(f64::NAN),
                ));
            }
        }
    }
    out
}

#[test]
fn the_aqi_scale_can_be_chosen_per_request() {
    let server = TestServer::start();
    let china = server.get_json("/api/v1/stations/1462A/aqi?from=2022-01-01T00:00:00%2B08:00&to=2022-01-01T01:00:00%2B08:00");
    let us = server.get_json("/api/v1/stations/1462A/aqi?from=2022-01-01T00:00:00%2B08:00&to=2022-01-01T01:00:00%2B08:00&scale=us-epa");
    assert_eq!(china["scale"], "hj633");
    assert_eq!(us["scale"], "us-epa");
    // PM2.5 102 µg/m³: HJ 633 gives 134; the 2024 EPA bands (55.5–125.4 → 151–200) give 184.
    assert_eq!(china["hours"][0]["aqi"], 134);
    assert_eq!(us["hours"][0]["aqi"], 184);
    let stations = server.get_json("/api/v1/stations?scale=us-epa");
    let first_air = stations["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kind"] == "air" && f["properties"]["latest"]["aqi"].is_number())
        .unwrap();
    assert_eq!(first_air["properties"]["latest"]["scale"], "us-epa");
    let bad = server.get("/api/v1/stations?scale=who");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("bad_query_parameter"));
}
