//! `daylight import …` against a running server with an empty database: what an operator
//! imports is what the public sees, all or nothing.
//!
//! The server caches reads for a moment, so a change written by the CLI (another process)
//! shows up "soon": positive checks poll until it does. A check that something did NOT
//! change first imports a small "barrier" file after the one under test and waits until
//! the barrier shows in the same request; from then on the answer reflects the database
//! after the import under test.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use daylight_tests::{describe, eventually, readable_html, shared_data, TestServer};
use serde_json::Value;
use tempfile::TempDir;

const STATIONS_CSV: &str = "\
code,name,kind,lon,lat,district,water_body,river,approximate,provenance
T001A,测试空气站,air,108.9400,34.2600,碑林区,,,,integration test
W-TEST,测试断面,water,109.0200,34.4330,灞桥区,river,灞河,true,integration test
";

/// 1462A's real values at 2022-01-01 00:00 (+08:00), PM2.5 given in mg/m³, plus one water
/// sample (standards.md §4: pH 7.5, DO 6.2, CODMn 3.9, NH3-N 0.48, TP 0.11 river → III).
const READINGS_CSV: &str = "\
station_code,time,parameter,value,unit
T001A,2022-01-01T00:00:00+08:00,SO2,13,ug/m3
T001A,2022-01-01T00:00:00+08:00,NO2,67,ug/m3
T001A,2022-01-01T00:00:00+08:00,PM10,109,ug/m3
T001A,2022-01-01T00:00:00+08:00,CO,1.6,mg/m3
T001A,2022-01-01T00:00:00+08:00,O3,8,ug/m3
T001A,2022-01-01T00:00:00+08:00,PM2.5,0.102,mg/m3
W-TEST,2022-01-01T00:00:00+08:00,pH,7.5,pH
W-TEST,2022-01-01T00:00:00+08:00,DO,6.2,mg/L
W-TEST,2022-01-01T00:00:00+08:00,CODMn,3.9,mg/L
W-TEST,2022-01-01T00:00:00+08:00,NH3-N,0.48,mg/L
W-TEST,2022-01-01T00:00:00+08:00,TP,0.11,mg/L
";
const READINGS: usize = 11;

/// The next hour: three good rows, a value that is not a number on line 3 and an unknown
/// station on line 5.
const MIXED_CSV: &str = "\
station_code,time,parameter,value,unit
T001A,2022-01-01T01:00:00+08:00,PM2.5,80,ug/m3
T001A,2022-01-01T01:00:00+08:00,PM10,abc,ug/m3
T001A,2022-01-01T01:00:00+08:00,SO2,12,ug/m3
9999Z,2022-01-01T01:00:00+08:00,SO2,12,ug/m3
T001A,2022-01-01T01:00:00+08:00,NO2,60,ug/m3
";

const FIRST_HOUR: &str = "from=2022-01-01T00:00:00%2B08:00&to=2022-01-01T01:00:00%2B08:00";
const SECOND_HOUR: &str = "from=2022-01-01T01:00:00%2B08:00&to=2022-01-01T02:00:00%2B08:00";

fn write(dir: &TempDir, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("cannot write a test file");
    path
}

fn import(server: &TestServer, what: &str, file: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec![OsStr::new("import"), OsStr::new(what)];
    args.extend(extra.iter().map(OsStr::new));
    args.push(file.as_os_str());
    server.run_cli(args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output, expected_stdout: &str) {
    assert!(output.status.success(), "{}", describe(output));
    assert_eq!(
        stdout(output).trim_end(),
        expected_stdout,
        "{}",
        describe(output)
    );
}

/// A failed import: exit status 1 (no signal, no panic) with a message.
fn assert_clean_failure(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected a failure:\n{}",
        describe(output)
    );
    assert!(
        output.status.code().is_some(),
        "killed by a signal:\n{}",
        describe(output)
    );
    let err = stderr(output);
    assert!(!err.contains("panicked"), "{}", describe(output));
    assert!(
        err.contains("Error"),
        "no error message:\n{}",
        describe(output)
    );
    err
}

/// A fresh server with the stations and readings of the test files.
fn server_with_readings() -> (TestServer, TempDir) {
    let server = TestServer::start_empty();
    let files = load_test_files(&server);
    (server, files)
}

/// Imports the test stations and readings and waits until they are served.
fn load_test_files(server: &TestServer) -> TempDir {
    let files = tempfile::tempdir().expect("temp dir");
    let stations = write(&files, "stations.csv", STATIONS_CSV);
    assert_success(
        &import(server, "stations", &stations, &[]),
        "imported 2 stations: 2 new, 0 updated, 0 unchanged",
    );
    let readings_file = write(&files, "readings.csv", READINGS_CSV);
    assert_success(
        &import(server, "readings", &readings_file, &[]),
        &format!("imported {READINGS} readings: {READINGS} new, 0 updated, 0 unchanged"),
    );
    eventually("the imported readings are served", || {
        let air = try_readings(server, "T001A", FIRST_HOUR)?.len();
        let water = try_readings(server, "W-TEST", FIRST_HOUR)?.len();
        let stations = server.get_json("/api/v1/stations");
        let latest = |code: &str| {
            stations["features"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f["properties"]["code"] == code && !f["properties"]["latest"].is_null())
        };
        if air == 6 && water == 5 && latest("T001A") && latest("W-TEST") {
            Ok(())
        } else {
            Err(format!(
                "{air} air and {water} water readings; stations: {stations}"
            ))
        }
    });
    files
}

/// Imports one reading at 03:00 and waits until `T001A`'s readings from 01:00 to 04:00
/// include it; returns those readings (without the barrier).
fn barrier(server: &TestServer, files: &TempDir) -> Vec<Value> {
    let path = write(
        files,
        "barrier.csv",
        "station_code,time,parameter,value,unit\nT001A,2022-01-01T03:00:00+08:00,CO,0.5,mg/m3\n",
    );
    assert!(import(server, "readings", &path, &[]).status.success());
    let range = "from=2022-01-01T01:00:00%2B08:00&to=2022-01-01T04:00:00%2B08:00";
    let all = eventually("the barrier reading is served", || {
        let all = try_readings(server, "T001A", range)?;
        if all.iter().any(|r| r["time"] == "2022-01-01T03:00:00+08:00") {
            Ok(all)
        } else {
            Err(format!("{all:?}"))
        }
    });
    all.into_iter()
        .filter(|r| r["time"] != "2022-01-01T03:00:00+08:00")
        .collect()
}

fn feature(server: &TestServer, code: &str) -> Value {
    let stations = server.get_json("/api/v1/stations");
    stations["features"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["properties"]["code"] == code)
        .map(|f| f["properties"].clone())
        .unwrap_or_else(|| panic!("{code} is not in /api/v1/stations: {stations}"))
}

/// A station's readings in a range, or what the server said instead.
fn try_readings(server: &TestServer, code: &str, range: &str) -> Result<Vec<Value>, String> {
    let reply = server.get(&format!("/api/v1/stations/{code}/readings?{range}"));
    if reply.status != 200 {
        return Err(format!("{} {}", reply.status, reply.body));
    }
    reply.json()["readings"]
        .as_array()
        .cloned()
        .ok_or_else(|| reply.body.clone())
}

fn readings(server: &TestServer, code: &str, range: &str) -> Vec<Value> {
    try_readings(server, code, range).unwrap_or_else(|e| panic!("readings of {code}: {e}"))
}

#[test]
fn imported_stations_and_readings_are_what_the_public_sees() {
    let server = TestServer::start_empty();
    assert_eq!(
        server.get_json("/api/v1/stations")["features"],
        serde_json::json!([])
    );
    let _files = load_test_files(&server);
    let stations = server.get_json("/api/v1/stations");
    assert_eq!(stations["features"].as_array().map(Vec::len), Some(2));

    let air = feature(&server, "T001A");
    assert_eq!(air["name"], "测试空气站");
    assert_eq!(air["kind"], "air");
    assert_eq!(air["source"], "measured");
    assert_eq!(air["latest_time"], "2022-01-01T00:00:00+08:00");
    assert_eq!(air["latest"]["aqi"], 134, "{air}");
    assert_eq!(
        air["latest"]["primary_pollutants"],
        serde_json::json!(["PM2.5"])
    );

    let water = feature(&server, "W-TEST");
    assert_eq!(water["position_approximate"], true);
    assert_eq!(water["river"], "灞河");
    assert_eq!(water["latest"]["class"], "III", "{water}");
    assert_eq!(water["latest"]["deciding_items"], serde_json::json!(["TP"]));

    // Values are stored in each parameter's unit: 0.102 mg/m³ of PM2.5 is 102 µg/m³.
    let pm25: Vec<Value> = readings(&server, "T001A", FIRST_HOUR)
        .into_iter()
        .filter(|r| r["parameter"] == "PM2.5")
        .collect();
    assert_eq!(pm25.len(), 1);
    assert_eq!(pm25[0]["value"].as_f64(), Some(102.0));
    assert_eq!(pm25[0]["unit"], "ug/m3");
    assert_eq!(pm25[0]["source"], "measured");
    assert_eq!(readings(&server, "T001A", FIRST_HOUR).len(), 6);
    assert_eq!(readings(&server, "W-TEST", FIRST_HOUR).len(), 5);

    // The home page lists the imported stations; real data carries no demo labels.
    let home = eventually("the home page lists the imported stations", || {
        let reply = server.get("/");
        let page = readable_html(&reply.body);
        if reply.status == 200 && page.contains(r#"<a href="/station/T001A">测试空气站</a>"#) {
            Ok(page)
        } else {
            Err(page)
        }
    });
    assert!(home.contains(r#"<a href="/water/W-TEST">测试断面</a>"#));
    assert!(
        !home.contains("demo-banner"),
        "an imported database is not a demo"
    );
    assert!(!home.contains("source-simulated"));
    let page = server.get("/station/T001A");
    assert_eq!(page.status, 200);
    assert!(readable_html(&page.body).contains("<h1>测试空气站</h1>"));
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let (server, files) = server_with_readings();
    let before_air = readings(&server, "T001A", FIRST_HOUR);
    let before_water = readings(&server, "W-TEST", FIRST_HOUR);

    let same = files.path().join("readings.csv");
    assert_success(
        &import(&server, "readings", &same, &[]),
        &format!("imported {READINGS} readings: 0 new, 0 updated, {READINGS} unchanged"),
    );
    let stations = files.path().join("stations.csv");
    assert_success(
        &import(&server, "stations", &stations, &[]),
        "imported 2 stations: 0 new, 0 updated, 2 unchanged",
    );

    // One corrected value is one update, and the public sees the correction…
    let corrected = write(
        &files,
        "corrected.csv",
        READINGS_CSV.replace("PM2.5,0.102,mg/m3", "PM2.5,0.103,mg/m3"),
    );
    assert_success(
        &import(&server, "readings", &corrected, &[]),
        &format!(
            "imported {READINGS} readings: 0 new, 1 updated, {} unchanged",
            READINGS - 1
        ),
    );
    let after_air = eventually("the corrected PM2.5 value is served", || {
        let now = try_readings(&server, "T001A", FIRST_HOUR)?;
        let pm25 = now
            .iter()
            .find(|r| r["parameter"] == "PM2.5")
            .map(|r| r["value"].clone());
        if pm25 == Some(serde_json::json!(103.0)) {
            Ok(now)
        } else {
            Err(format!("{now:?}"))
        }
    });
    // …while everything else, re-imported twice, is exactly as it was.
    let others = |list: &[Value]| -> Vec<Value> {
        list.iter()
            .filter(|r| r["parameter"] != "PM2.5")
            .cloned()
            .collect()
    };
    assert_eq!(others(&after_air), others(&before_air));
    assert_eq!(others(&after_air).len(), 5);
    assert_eq!(readings(&server, "W-TEST", FIRST_HOUR), before_water);
    // ceil(100 + (103 − 75)·50/40) = 135
    eventually("the AQI follows the correction", || {
        let air = feature(&server, "T001A");
        if air["latest"]["aqi"] == 135 {
            Ok(())
        } else {
            Err(air.to_string())
        }
    });
}

#[test]
fn a_file_with_a_bad_row_imports_nothing() {
    let (server, files) = server_with_readings();
    let mixed = write(&files, "mixed.csv", MIXED_CSV);
    let output = import(&server, "readings", &mixed, &[]);
    let err = assert_clean_failure(&output);
    assert!(
        err.contains("line 3: value is not a number: 'abc'"),
        "{err}"
    );
    assert!(err.contains("line 5: unknown station '9999Z'"), "{err}");
    assert!(
        err.contains("2 bad row(s); no readings were imported"),
        "{err}"
    );
    assert!(
        !err.contains("line 2") && !err.contains("line 4") && !err.contains("line 6"),
        "{err}"
    );
    assert!(stdout(&output).is_empty(), "{}", describe(&output));
    // Not even the good rows went in.
    assert_eq!(barrier(&server, &files), Vec::<Value>::new());
    assert_eq!(readings(&server, "T001A", SECOND_HOUR), Vec::<Value>::new());
}

#[test]
fn skip_bad_rows_imports_the_good_ones_and_lists_the_bad() {
    let (server, files) = server_with_readings();
    let mixed = write(&files, "mixed.csv", MIXED_CSV);
    let output = import(&server, "readings", &mixed, &["--skip-bad-rows"]);
    assert_success(
        &output,
        "imported 3 readings: 3 new, 0 updated, 0 unchanged",
    );
    let err = stderr(&output);
    assert!(
        err.contains("line 3: value is not a number: 'abc'"),
        "{err}"
    );
    assert!(err.contains("line 5: unknown station '9999Z'"), "{err}");
    assert!(err.contains("skipped 2 bad row(s)"), "{err}");

    let stored: Vec<(String, f64)> = barrier(&server, &files)
        .iter()
        .map(|r| {
            (
                r["parameter"].as_str().unwrap_or_default().to_string(),
                r["value"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(
        stored,
        vec![
            ("NO2".to_string(), 60.0),
            ("PM2.5".to_string(), 80.0),
            ("SO2".to_string(), 12.0)
        ]
    );
}

#[test]
fn readings_of_unknown_stations_are_refused() {
    let server = TestServer::start_empty();
    let files = tempfile::tempdir().expect("temp dir");
    let readings_file = write(&files, "readings.csv", READINGS_CSV);
    let err = assert_clean_failure(&import(&server, "readings", &readings_file, &[]));
    assert!(err.contains("line 2: unknown station 'T001A'"), "{err}");
    assert!(
        err.contains("daylight import stations"),
        "the message says what to do: {err}"
    );
    let stations = write(&files, "stations.csv", STATIONS_CSV);
    assert!(import(&server, "stations", &stations, &[]).status.success());
    eventually("the stations are served, without readings", || {
        let list = server.get_json("/api/v1/stations");
        let features = list["features"].as_array().cloned().unwrap_or_default();
        if features.len() == 2 && features.iter().all(|f| f["properties"]["latest"].is_null()) {
            Ok(())
        } else {
            Err(list.to_string())
        }
    });
    assert_eq!(readings(&server, "T001A", FIRST_HOUR), Vec::<Value>::new());
}

/// WGS-84 → GCJ-02 (the published "China offset" algorithm), to check the import's
/// inverse conversion independently.
fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    const A: f64 = 6_378_245.0;
    const EE: f64 = 0.006_693_421_622_965_943;
    let (x, y) = (lon - 105.0, lat - 35.0);
    let mut dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    dlat += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    dlon += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrt_magic = magic.sqrt();
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    dlon = (dlon * 180.0) / (A / sqrt_magic * radlat.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// The first position of a (Multi)Polygon geometry.
fn first_position(geometry: &Value) -> (f64, f64) {
    let mut p = &geometry["coordinates"];
    while p[0].is_array() {
        p = &p[0];
    }
    (
        p[0].as_f64().unwrap_or(f64::NAN),
        p[1].as_f64().unwrap_or(f64::NAN),
    )
}

#[test]
fn districts_from_datav_are_converted_from_gcj02_to_wgs84() {
    let Some(file) = shared_data("xian/districts.geojson") else {
        eprintln!("NOTE: /work/shared/data/xian/districts.geojson is absent; skipping the district import test");
        return;
    };
    let server = TestServer::start_empty();
    assert_eq!(
        server.get_json("/api/v1/districts")["features"],
        serde_json::json!([])
    );
    assert_success(
        &import(&server, "districts", &file, &["--datum", "gcj02"]),
        "imported 13 districts: 13 new, 0 updated, 0 unchanged",
    );
    let districts = eventually("13 districts are served", || {
        let d = server.get_json("/api/v1/districts");
        match d["features"].as_array().map(Vec::len) {
            Some(13) => Ok(d),
            _ => Err(d.to_string()),
        }
    });
    let features = districts["features"].as_array().expect("features");
    assert!(features
        .iter()
        .all(|f| f["geometry"]["type"] == "MultiPolygon"));

    // Each district's first vertex, taken back to GCJ-02, is the file's vertex.
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read geojson"))
            .expect("the shared districts file is JSON");
    for original in source["features"].as_array().expect("features") {
        let adcode = original["properties"]["adcode"]
            .to_string()
            .trim_matches('"')
            .to_string();
        let stored = features
            .iter()
            .find(|f| f["properties"]["adcode"] == adcode.as_str())
            .unwrap_or_else(|| panic!("district {adcode} missing"));
        assert_eq!(stored["properties"]["name"], original["properties"]["name"]);
        let (gcj_lon, gcj_lat) = first_position(&original["geometry"]);
        let (lon, lat) = first_position(&stored["geometry"]);
        assert!(
            (lon - gcj_lon).abs() > 1e-3,
            "{adcode}: coordinates were not converted ({lon}, {lat})"
        );
        let (back_lon, back_lat) = wgs84_to_gcj02(lon, lat);
        assert!(
            (back_lon - gcj_lon).abs() < 1e-5 && (back_lat - gcj_lat).abs() < 1e-5,
            "{adcode}: stored ({lon}, {lat}) maps to ({back_lon}, {back_lat}), file has ({gcj_lon}, {gcj_lat})"
        );
    }

    // Importing the same file again changes nothing.
    assert_success(
        &import(&server, "districts", &file, &["--datum", "gcj02"]),
        "imported 13 districts: 0 new, 0 updated, 13 unchanged",
    );
}

/// Bytes that are not UTF-8, not CSV, not JSON.
fn noise() -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn garbage_files_fail_with_a_message_not_a_panic() {
    let server = TestServer::start_empty();
    let files = tempfile::tempdir().expect("temp dir");
    let candidates: Vec<(&str, PathBuf)> = vec![
        ("noise", write(&files, "noise.bin", noise())),
        ("empty", write(&files, "empty.csv", "")),
        (
            "png",
            write(
                &files,
                "image.png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
            ),
        ),
        ("wrong header", write(&files, "wrong.csv", "a,b,c\n1,2,3\n")),
        (
            "json",
            write(&files, "data.json", r#"{"type":"Feature","features":[]}"#),
        ),
        (
            "half json",
            write(
                &files,
                "half.json",
                r#"{"type":"FeatureCollection","features":[{"#,
            ),
        ),
        (
            "geojson without adcode",
            write(
                &files,
                "noadcode.geojson",
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},
                "geometry":{"type":"Polygon","coordinates":[[[108.9,34.2],[109.0,34.2],[109.0,34.3],[108.9,34.2]]]}}]}"#,
            ),
        ),
        (
            "geojson with a point",
            write(
                &files,
                "point.geojson",
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":1,"name":"x"},
                "geometry":{"type":"Point","coordinates":[108.9,34.2]}}]}"#,
            ),
        ),
        (
            "unquoted csv",
            write(&files, "quotes.csv", "code,name\n\"unterminated,x\n"),
        ),
        ("missing", files.path().join("does-not-exist.csv")),
        ("directory", files.path().to_path_buf()),
    ];
    for what in ["stations", "readings", "districts"] {
        for (name, path) in &candidates {
            let output = import(&server, what, path, &[]);
            let err = assert_clean_failure(&output);
            assert!(
                err.len() < 10_000,
                "import {what} <{name}>: a flood of errors"
            );
            assert!(
                stdout(&output).is_empty(),
                "import {what} <{name}>:\n{}",
                describe(&output)
            );
        }
    }
    // Nothing got in, and the server is still serving.
    assert!(server.get_json("/api/v1/stations")["features"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert!(server.get_json("/api/v1/districts")["features"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn command_line_mistakes_exit_with_status_2() {
    let server = TestServer::start_empty();
    for args in [
        vec!["import", "readings"],
        vec!["import", "districts", "--datum", "mercator", "x.geojson"],
        vec!["import", "rainfall", "x.csv"],
        vec!["import", "readings", "--no-such-flag", "x.csv"],
    ] {
        let output = server.run_cli(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}:\n{}",
            describe(&output)
        );
        let err = stderr(&output);
        assert!(
            err.contains("error:") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

/// docs/import-formats.md: exit status 1 when the file cannot be read, whatever the options.
#[test]
fn skip_bad_rows_still_fails_on_a_file_without_a_valid_header() {
    let server = TestServer::start_empty();
    let files = tempfile::tempdir().expect("temp dir");
    let stations = write(&files, "stations.csv", STATIONS_CSV);
    assert!(import(&server, "stations", &stations, &[]).status.success());
    for (name, path) in [
        ("noise", write(&files, "noise.bin", noise())),
        ("empty", write(&files, "empty.csv", "")),
        ("wrong header", write(&files, "wrong.csv", "a,b,c\n1,2,3\n")),
    ] {
        for what in ["readings", "stations"] {
            let output = import(&server, what, &path, &["--skip-bad-rows"]);
            assert!(
                !output.status.success(),
                "import {what} --skip-bad-rows <{name}> succeeded:\n{}",
                describe(&output)
            );
        }
    }
}
