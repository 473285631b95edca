//! Citable snapshots (`POST /snapshot`, `/snapshot/{id}`, `.csv`, `/api/v1/snapshots/{id}`)
//! and the widget builder (`/embed`) against the real server, on an empty database filled by
//! `daylight import`: a snapshot shows what the page showed when it was taken, in HTML, CSV
//! and JSON alike, and a later correction of the data changes the live page only.

use std::path::PathBuf;

use daylight_tests::{describe, eventually, TestServer};
use serde_json::Value;
use tempfile::TempDir;

const STATIONS_CSV: &str = "\
code,name,kind,lon,lat,district,water_body,river,approximate,provenance
T001A,测试空气站,air,108.9400,34.2600,碑林区,,,,integration test
W-TEST,测试断面,water,109.0200,34.4330,灞桥区,river,灞河,true,integration test
";

/// 1462A's real values at 2022-01-01 00:00 (+08:00): AQI 134 on HJ 633 (PM2.5 102 µg/m³),
/// and a class III water sample.
const READINGS_CSV: &str = "\
station_code,time,parameter,value,unit
T001A,2021-12-31T23:00:00+08:00,PM2.5,90,ug/m3
T001A,2022-01-01T00:00:00+08:00,SO2,13,ug/m3
T001A,2022-01-01T00:00:00+08:00,NO2,67,ug/m3
T001A,2022-01-01T00:00:00+08:00,PM10,109,ug/m3
T001A,2022-01-01T00:00:00+08:00,CO,1.6,mg/m3
T001A,2022-01-01T00:00:00+08:00,O3,8,ug/m3
T001A,2022-01-01T00:00:00+08:00,PM2.5,102,ug/m3
W-TEST,2022-01-01T00:00:00+08:00,pH,7.5,pH
W-TEST,2022-01-01T00:00:00+08:00,DO,6.2,mg/L
W-TEST,2022-01-01T00:00:00+08:00,CODMn,3.9,mg/L
W-TEST,2022-01-01T00:00:00+08:00,NH3-N,0.48,mg/L
W-TEST,2022-01-01T00:00:00+08:00,TP,0.11,mg/L
";

/// The same hour's PM2.5, corrected afterwards.
const CORRECTION_CSV: &str = "\
station_code,time,parameter,value,unit
T001A,2022-01-01T00:00:00+08:00,PM2.5,150,ug/m3
";

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn write(dir: &TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("cannot write a test file");
    path
}

fn import(server: &TestServer, what: &str, file: &std::path::Path) {
    let output = server.run_cli([
        std::ffi::OsStr::new("import"),
        std::ffi::OsStr::new(what),
        file.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", describe(&output));
}

/// A server with the two test stations and their readings, served.
fn server_with_data() -> (TestServer, TempDir) {
    let server = TestServer::start_empty();
    let files = tempfile::tempdir().expect("temp dir");
    import(
        &server,
        "stations",
        &write(&files, "stations.csv", STATIONS_CSV),
    );
    import(
        &server,
        "readings",
        &write(&files, "readings.csv", READINGS_CSV),
    );
    eventually("the imported readings are served", || {
        let reply = server.get("/api/v1/stations/T001A/aqi");
        if reply.status == 200 && reply.body.contains("134") {
            Ok(())
        } else {
            Err(reply.body)
        }
    });
    (server, files)
}

/// Takes a snapshot as the page's form does; returns its path (`/snapshot/{id}`).
fn take(server: &TestServer, station: &str) -> String {
    let reply = server.request(
        "POST",
        "/snapshot",
        &[FORM, ("Sec-Fetch-Site", "same-origin")],
        Some(format!("station={station}").as_bytes()),
    );
    assert_eq!(reply.status, 303, "{}\n{}", reply.body, server.log());
    let location = reply.header("location").expect("a Location").to_string();
    let id = location
        .strip_prefix("/snapshot/")
        .unwrap_or_else(|| panic!("a permalink: {location}"));
    assert_eq!(id.len(), 10, "{location}");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{location}"
    );
    location
}

fn value_of<'a>(hour: &'a Value, parameter: &str) -> &'a Value {
    hour["values"]
        .as_array()
        .and_then(|values| values.iter().find(|v| v["parameter"] == parameter))
        .unwrap_or_else(|| panic!("no {parameter} in {hour}"))
}

/// The PM2.5 cell of a CSV export's latest hour.
fn csv_pm25(csv: &str) -> (String, String) {
    let row = csv
        .lines()
        .rfind(|l| l.contains(",PM2.5,") && l.contains("2022-01-01T00:00:00+08:00"))
        .unwrap_or_else(|| panic!("no PM2.5 row:\n{csv}"));
    let cells: Vec<&str> = row.split(',').collect();
    (cells[3].to_string(), cells[8].to_string())
}

#[test]
fn a_snapshot_keeps_its_values_when_the_data_is_corrected_later() {
    let (server, files) = server_with_data();

    // The station page offers the control, as a form that works without JavaScript.
    let station_page = server.get("/station/T001A");
    assert_eq!(station_page.status, 200);
    assert!(
        station_page.body.contains("action=\"/snapshot\""),
        "no cite form on the station page"
    );

    let path = take(&server, "T001A");
    let id = path.trim_start_matches("/snapshot/").to_string();

    let page = server.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("测试空气站"), "{}", page.body);
    assert!(page.body.contains("快照 / Snapshot"), "{}", page.body);
    assert!(page.body.contains("102 ug/m3"), "{}", page.body);
    assert!(page.body.contains("og:title"), "OG meta");
    assert!(page.body.contains("id=\"cite-zh\""), "a Chinese citation");
    assert!(page.body.contains("id=\"cite-en\""), "an English citation");
    assert!(
        page.body.contains("href=\"/station/T001A\""),
        "a link to the live page"
    );
    assert!(
        page.header("cache-control")
            .is_some_and(|c| c.contains("immutable")),
        "{:?}",
        page.headers
    );

    let csv = server.get(&format!("{path}.csv"));
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/csv")));
    assert!(
        csv.body.starts_with("# "),
        "licence line first: {}",
        csv.body
    );
    assert!(csv
        .body
        .contains("\nstation,time,parameter,value,unit,flag,source"));
    assert_eq!(csv_pm25(&csv.body), ("102".to_string(), "134".to_string()));

    let json = server.get_json(&format!("/api/v1/snapshots/{id}"));
    assert_eq!(json["id"], id.as_str());
    let hours = json["snapshot"]["hours"].as_array().expect("hours");
    assert_eq!(hours.len(), 2, "the last 24 hours: {json}");
    let latest = hours.last().expect("a latest hour");
    assert_eq!(value_of(latest, "PM2.5")["value"], 102.0);
    assert_eq!(value_of(latest, "PM2.5")["unit"], "ug/m3");
    assert_eq!(value_of(latest, "PM2.5")["flag"], "N");
    assert_eq!(value_of(latest, "PM2.5")["iaqi_hj633"], 134);
    assert_eq!(latest["aqi_hj633"]["aqi"], 134);
    // The US EPA scale as the page showed it: here without an AQI (its ozone needs the
    // 8-hour mean), and the reason is frozen too.
    assert_eq!(latest["aqi_us_epa"]["scale"], "us-epa", "{latest}");
    assert!(
        latest["aqi_us_epa"]["aqi"].is_number() || latest["aqi_us_epa"]["reason"]["en"].is_string(),
        "{latest}"
    );
    assert!(json["citation"]["zh"]
        .as_str()
        .is_some_and(|c| c.contains(&id)));
    assert!(json["citation"]["en"]
        .as_str()
        .is_some_and(|c| c.contains(&id)));
    // As the OpenAPI document describes it.
    let openapi = server.get_json("/api/v1/openapi.json");
    assert!(openapi["paths"]["/api/v1/snapshots/{id}"]["get"].is_object());
    let schema = &openapi["components"]["schemas"]["Snapshot"];
    for field in schema["required"].as_array().expect("required fields") {
        let field = field.as_str().expect("a name");
        assert!(!json[field].is_null(), "{field} missing: {json}");
    }
    for field in schema["properties"]["snapshot"]["required"]
        .as_array()
        .expect("required fields")
    {
        let field = field.as_str().expect("a name");
        assert!(!json["snapshot"][field].is_null(), "{field} missing");
    }
    assert!(json["snapshot"]["attribution"]["zh"]
        .as_str()
        .is_some_and(|a| a.contains("中国环境监测总站")));

    // A correction of the same hour reaches the live page…
    import(
        &server,
        "readings",
        &write(&files, "correction.csv", CORRECTION_CSV),
    );
    eventually("the live page shows the corrected value", || {
        let live = server.get("/station/T001A");
        if live.body.contains("150 µg/m³") {
            Ok(())
        } else {
            Err("still the old value".to_string())
        }
    });
    // …and not the snapshot, in any of its forms.
    let page = server.get(&path);
    assert!(page.body.contains("102 ug/m3"), "{}", page.body);
    assert!(!page.body.contains("150 ug/m3"), "{}", page.body);
    assert_eq!(
        csv_pm25(&server.get(&format!("{path}.csv")).body),
        ("102".to_string(), "134".to_string())
    );
    let json = server.get_json(&format!("/api/v1/snapshots/{id}"));
    let latest = json["snapshot"]["hours"]
        .as_array()
        .and_then(|h| h.last().cloned())
        .expect("a latest hour");
    assert_eq!(value_of(&latest, "PM2.5")["value"], 102.0);
    assert_eq!(latest["aqi_hj633"]["aqi"], 134);

    // A snapshot taken now freezes the corrected value.
    let again = take(&server, "T001A");
    assert_ne!(again, path);
    assert!(server.get(&again).body.contains("150 ug/m3"));
}

#[test]
fn a_water_section_snapshot_freezes_its_class() {
    let (server, _files) = server_with_data();
    assert!(server
        .get("/water/W-TEST")
        .body
        .contains("action=\"/snapshot\""));
    let path = take(&server, "W-TEST");
    let page = server.get(&format!("{path}?lang=en"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("测试断面"), "{}", page.body);
    assert!(
        page.body.contains("href=\"/water/W-TEST\""),
        "{}",
        page.body
    );
    let id = path.trim_start_matches("/snapshot/");
    let json = server.get_json(&format!("/api/v1/snapshots/{id}"));
    let latest = json["snapshot"]["hours"][0].clone();
    assert_eq!(latest["water"]["class"], "III", "{json}");
    assert_eq!(value_of(&latest, "NH3-N")["value"], 0.48);
}

#[test]
fn unknown_snapshots_are_404_and_cross_site_posts_and_floods_are_refused() {
    let (server, _files) = server_with_data();
    for path in [
        "/snapshot/aaaaaaaaaa",
        "/snapshot/aaaaaaaaaa.csv",
        "/snapshot/not-an-id",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    let api = server.get("/api/v1/snapshots/aaaaaaaaaa");
    assert_eq!(api.status, 404);
    assert_eq!(api.json()["error"]["code"], "unknown_snapshot");

    let post = |headers: &[(&str, &str)], body: &str| {
        server.request("POST", "/snapshot", headers, Some(body.as_bytes()))
    };
    assert_eq!(post(&[FORM], "station=NOPE1").status, 404);
    assert_eq!(
        post(&[FORM, ("Sec-Fetch-Site", "cross-site")], "station=T001A").status,
        403
    );
    assert_eq!(
        post(&[FORM, ("Origin", "http://evil.example")], "station=T001A").status,
        403
    );
    let own_origin = format!("http://127.0.0.1:{}", server.port());
    assert_eq!(
        post(&[FORM, ("Origin", own_origin.as_str())], "station=T001A").status,
        303
    );

    // Creation is rate-limited per address: a burst, then 429 with Retry-After.
    let limited = (0..40)
        .map(|_| post(&[FORM], "station=T001A"))
        .find(|reply| reply.status != 303)
        .expect("a flood is stopped");
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
}
#[test]
fn the_widget_builder_shows_a_snippet_whose_iframe_answers() {
    let (server, _files) = server_with_data();
    let page = server.get("/embed");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<form"), "a GET form");
    assert!(page.body.contains("T001A"), "the stations to choose from");

    let page =
        server.get("/embed?view=station&code=T001A&lang=en&scale=us-epa&width=400&height=260");
    assert_eq!(page.status, 200, "{}", page.body);
    let snippet = daylight_tests::between(&page.body, "<textarea", "</textarea>")
        .expect("a snippet")
        .to_string();
    assert!(snippet.contains("readonly"), "{snippet}");
    assert!(snippet.contains("width=&quot;400&quot;"), "{snippet}");
    let src = daylight_tests::between(&snippet, "src=&quot;", "&quot;")
        .expect("an iframe src")
        // Escaped twice: the attribute, then the text area's text.
        .replace("&amp;amp;", "&");
    let path = src
        .find("/embed/")
        .map(|at| src[at..].to_string())
        .unwrap_or_else(|| panic!("an embed address: {src}"));
    assert!(path.starts_with("/embed/station/T001A?"), "{path}");
    assert_eq!(path, "/embed/station/T001A?lang=en&scale=us-epa");
    assert_eq!(server.get(&path).status, 200, "{path}");
    // The live preview frames the same address.
    assert!(page.body.contains("<iframe"), "a preview");

    // The live map: no subject, its layers instead.
    let map = server.get("/embed?view=map&layers=air&lang=en&code=T001A");
    assert_eq!(map.status, 200);
    let snippet = daylight_tests::between(&map.body, "<textarea", "</textarea>")
        .expect("a snippet")
        // Escaped twice: the attribute, then the text area's text.
        .replace("&amp;amp;", "&");
    assert!(
        snippet.contains("/embed/map?layers=air&lang=en&scale="),
        "{snippet}"
    );
    assert!(snippet.contains("width=&quot;600&quot;"), "{snippet}");
    let map_path = daylight_tests::between(&snippet, "src=&quot;", "&quot;")
        .and_then(|src| src.find("/embed/").map(|at| src[at..].to_string()))
        .expect("an embed address");
    assert_eq!(server.get(&map_path).status, 200, "{map_path}");

    let water = server.get("/embed?view=water&code=W-TEST");
    assert_eq!(water.status, 200);
    assert!(water.body.contains("/embed/water/W-TEST"), "{}", water.body);
}
