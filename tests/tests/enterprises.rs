//! Enterprise self-monitoring disclosure (issue 5, first slice): importing the registry,
//! the public pages with their labels, and the API.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use daylight_tests::{describe, eventually, readable_html, TestServer};
use serde_json::Value;
use tempfile::TempDir;

const A: &str = "91350100M000100Y43";
const B: &str = "914403001922038216";

const ENTERPRISES_CSV: &str = "\
credit_code,name,industry,district,permit_number,address,lon,lat,key_unit
91350100M000100Y43,测试热电厂,火力发电,灞桥区,P-001,测试路 1 号,109.06,34.27,大气环境重点排污单位
914403001922038216,Test <b>Paper</b> Mill,造纸,未央区,,,,,
";

/// Line 3 has a wrong check character, line 4 no name.
const BAD_ENTERPRISES_CSV: &str = "\
credit_code,name,industry,district
91350100M000100Y43,测试热电厂,火力发电,灞桥区
91350100M000100Y44,错误代码,火力发电,灞桥区
914403001922038216,,造纸,未央区
";

const OUTLETS_CSV: &str = "\
credit_code,outlet,name,kind,stack_height
91350100M000100Y43,DA001,1号烟囱,air,120
914403001922038216,DW001,总排口,water,
";

const LIMITS_CSV: &str = "\
credit_code,outlet,pollutant,limit,unit,standard,averaging,method,frequency
91350100M000100Y43,DA001,a21026,100,mg/m3,GB 13223-2011 表1,1h,automatic,hourly
914403001922038216,DW001,w01018,100,mg/L,GB 8978-1996 表4 一级,24h,manual,monthly
";

fn write(dir: &TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("cannot write a test file");
    path
}

fn import(server: &TestServer, what: &str, file: &Path) -> Output {
    server.run_cli([OsStr::new("import"), OsStr::new(what), file.as_os_str()])
}

fn imported(server: &TestServer, what: &str, file: &Path) {
    let output = import(server, what, file);
    assert!(output.status.success(), "{}", describe(&output));
}

fn total(server: &TestServer) -> Result<Value, String> {
    let reply = server.get("/api/v1/enterprises");
    if reply.status != 200 {
        return Err(reply.body);
    }
    Ok(reply.json())
}

#[test]
fn import_reports_bad_lines_and_writes_nothing_then_pages_and_api_show_the_registry() {
    let server = TestServer::start_empty();
    let files = tempfile::tempdir().expect("temp dir");

    // All or nothing, with every bad line named.
    let bad = import(
        &server,
        "enterprises",
        &write(&files, "bad.csv", BAD_ENTERPRISES_CSV),
    );
    assert!(!bad.status.success(), "{}", describe(&bad));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("line 3: credit_code"), "{err}");
    assert!(err.contains("check character"), "{err}");
    assert!(err.contains("line 4: name is empty"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Outlets of an enterprise that is not registered are refused.
    let orphan = import(
        &server,
        "outlets",
        &write(&files, "outlets.csv", OUTLETS_CSV),
    );
    assert!(!orphan.status.success(), "{}", describe(&orphan));
    assert!(String::from_utf8_lossy(&orphan.stderr).contains("line 2: enterprise"));

    imported(
        &server,
        "enterprises",
        &write(&files, "e.csv", ENTERPRISES_CSV),
    );
    imported(&server, "outlets", &write(&files, "o.csv", OUTLETS_CSV));
    imported(&server, "limits", &write(&files, "l.csv", LIMITS_CSV));

    // The list, in the API's conventions.
    let list = eventually("two enterprises listed", || {
        let v = total(&server)?;
        if v["total"] == 2 {
            Ok(v)
        } else {
            Err(v.to_string())
        }
    });
    assert!(list["notice"].as_str().unwrap().contains("self-reported"));
    let rows = list["enterprises"].as_array().unwrap();
    let a = rows.iter().find(|r| r["credit_code"] == A).unwrap();
    assert_eq!(a["district"], "灞桥区");
    assert_eq!(a["exceeding_now"], false);
    assert_eq!(a["demo"], false);
    assert!(a["latest_time"].is_null());

    // Search, through the GET form's parameter.
    let found = server.get_json("/api/v1/enterprises?q=%E7%81%9E%E6%A1%A5"); // 灞桥
    assert_eq!(found["enterprises"].as_array().unwrap().len(), 1);

    // Detail: outlets and limits with their standard.
    let detail = server.get_json(&format!("/api/v1/enterprises/{A}"));
    assert_eq!(detail["credit_code"], A);
    assert_eq!(detail["permit_number"], "P-001");
    let outlet = &detail["outlets"][0];
    assert_eq!(outlet["code"], "DA001");
    assert_eq!(outlet["kind"], "air");
    assert_eq!(outlet["stack_height_m"], 120.0);
    let so2 = &outlet["monitored"][0];
    assert_eq!(so2["pollutant"], "a21026");
    assert_eq!(so2["limit"]["value"], 100.0);
    assert_eq!(so2["limit"]["unit"], "mg/m³");
    assert_eq!(so2["limit"]["standard"], "GB 13223-2011 表1");
    assert_eq!(so2["limit"]["averaging"], "1h");
    assert!(so2["latest"].is_null());
    // No data is disclosed as missing: this month expected > 0, received 0.
    let month = &so2["completeness"][0];
    assert_eq!(month["received"], 0);

    let events = server.get_json(&format!("/api/v1/enterprises/{A}/exceedances"));
    assert_eq!(events["exceedances"], serde_json::json!([]));
    let readings = server.get_json(&format!("/api/v1/enterprises/{A}/readings"));
    assert_eq!(readings["readings"], serde_json::json!([]));
    assert_eq!(
        server
            .get(&format!(
                "/api/v1/enterprises/{A}/readings?from=2022-01-01T00:00:00"
            ))
            .status,
        400
    );

    // Unknown and malformed ids: 404, in the API and on the page.
    for id in ["91110000802100433B", "nonsense", "91350100M000100Y44"] {
        let reply = server.get(&format!("/api/v1/enterprises/{id}"));
        assert_eq!(reply.status, 404, "{id}");
        assert_eq!(reply.json()["error"]["code"], "unknown_enterprise", "{id}");
        assert_eq!(
            server
                .get(&format!("/api/v1/enterprises/{id}/exceedances"))
                .status,
            404
        );
        assert_eq!(
            server
                .get(&format!("/api/v1/enterprises/{id}/readings"))
                .status,
            404
        );
        assert_eq!(server.get(&format!("/enterprise/{id}")).status, 404, "{id}");
    }

    // The pages: the list (a plain GET form) and an enterprise, markup escaped.
    let page = server.get("/enterprises");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"<form method="get" action="/enterprises""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("测试热电厂"));
    assert!(page.body.contains("Test &lt;b&gt;Paper&lt;/b&gt; Mill"));
    assert!(!page.body.contains("<b>Paper</b>"));
    assert!(page.body.contains("企业自行监测，未经审核"));
    assert!(page.body.contains(r#"href="/enterprises""#), "header link");
    let searched = server.get("/enterprises?q=Paper");
    assert!(searched.body.contains("Paper"));
    assert!(searched.body.contains(&format!("/enterprise/{B}")));
    assert!(!searched.body.contains("测试热电厂"));

    let page = server.get(&format!("/enterprise/{A}"));
    assert_eq!(page.status, 200);
    let text = readable_html(&page.body);
    for expected in [
        "测试热电厂",
        A,
        "DA001",
        "二氧化硫",
        "GB 13223-2011 表1",
        "数据完整率",
        "超标记录",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
}

#[test]
fn the_demo_enterprises_are_labelled_simulated_with_exceedances_and_a_gap() {
    let server = TestServer::start();
    let list = server.get_json("/api/v1/enterprises");
    let rows = list["enterprises"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r["demo"] == true));
    assert!(rows
        .iter()
        .all(|r| r["name"].as_str().unwrap().contains("示例企业")));
    // The coal boiler is over its NOx limit in the latest hours.
    let boiler = rows
        .iter()
        .find(|r| r["credit_code"] == "91610114MA6DM0009N")
        .unwrap();
    assert_eq!(boiler["exceeding_now"], true);

    let page = server.get("/enterprises");
    assert!(page.body.contains("示例企业 / demo enterprise"));
    assert!(page.body.contains(r#"data-exceeding="true""#));

    // Coal power: an SO2 exceedance of about 1.6× the limit, 5 days ago.
    let code = "91610111MA6DM0001J";
    let events = server.get_json(&format!("/api/v1/enterprises/{code}/exceedances"));
    let list = events["exceedances"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{events}");
    assert_eq!(list[0]["pollutant"], "a21026");
    assert_eq!(list[0]["values"], 3);
    let multiple = list[0]["exceedance_multiple"].as_f64().unwrap();
    assert!((0.3..=0.61).contains(&multiple), "{multiple}");
    assert!(list[0]["start"].as_str().unwrap().ends_with("+08:00"));

    let readings = server.get_json(&format!(
        "/api/v1/enterprises/{code}/readings?pollutant=a21026"
    ));
    let values = readings["readings"].as_array().unwrap();
    assert!(values.len() >= 47, "{}", values.len());
    assert!(values.iter().all(|r| r["source"] == "simulated"));

    // A daily-mean exceedance at the wastewater plant.
    let plant = server.get_json("/api/v1/enterprises/91610112MA6DM00037/exceedances");
    let events = plant["exceedances"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["averaging"] == "24h" && e["pollutant"] == "w21003"),
        "{plant}"
    );

    // The gap is disclosed: some month of the machinery maker misses 48 hours.
    let machinery = server.get_json("/api/v1/enterprises/91610117MA6DM0006Q");
    let months = machinery["outlets"][0]["monitored"][0]["completeness"]
        .as_array()
        .unwrap();
    let missing: i64 = months
        .iter()
        .map(|m| m["expected"].as_i64().unwrap() - m["received"].as_i64().unwrap())
        .sum();
    assert!(missing >= 48, "{machinery}");

    // The page says what the data is.
    let page = server.get(&format!("/enterprise/{code}"));
    assert_eq!(page.status, 200);
    let text = readable_html(&page.body);
    for expected in [
        "示例企业 / demo enterprise",
        "模拟数据",
        "企业自行监测，未经审核",
        "GB 13223-2011",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    // English through the language switch.
    let english = server.get_with(
        &format!("/enterprise/{code}"),
        &[("Cookie", "daylight_lang=en")],
    );
    let text = readable_html(&english.body);
    for expected in [
        "self-reported, not audited",
        "simulated",
        "Exceedances",
        "Data completeness",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
}

/// The newest time stamp among an enterprise's outlet values of the last 48 hours (the API
/// writes them all in one format, so the text orders like the time).
fn newest_value(server: &TestServer, code: &str) -> (String, Value) {
    let readings = server.get_json(&format!("/api/v1/enterprises/{code}/readings"));
    let values = readings["readings"].as_array().cloned().unwrap_or_default();
    let newest = values
        .iter()
        .max_by_key(|r| r["time"].as_str().unwrap_or_default().to_string())
        .cloned()
        .unwrap_or(Value::Null);
    (
        newest["time"].as_str().unwrap_or_default().to_string(),
        newest,
    )
}

#[test]
fn demo_outlets_get_live_values_over_hj212_and_pages_draw_the_hourly_chart_with_the_limit() {
    let server = TestServer::start();

    // Live values: an automatic outlet's history ends an hour before the first start and
    // its simulated logger sends the hour of the start over HJ 212, so once the demo has
    // settled the gas turbine plant is as recent as the coal boiler, whose scripted event
    // (in the history) runs to that hour.
    let (boiler, _) = newest_value(&server, "91610114MA6DM0009N");
    let (turbine, value) = newest_value(&server, "91610112MA6DM00024");
    assert!(!boiler.is_empty());
    assert_eq!(turbine, boiler, "{value}");
    assert_eq!(value["source"], "simulated", "{value}");
    let loggers = server.run_cli(["logger", "list"]);
    assert!(loggers.status.success(), "{}", describe(&loggers));
    let listed = String::from_utf8_lossy(&loggers.stdout);
    assert!(listed.contains("DEMOM00024DA001"), "{listed}");
    // Outlets with manual monitoring only have no logger.
    assert!(!listed.contains("DEMOM0007ADW001"), "{listed}");
    // The page labels them simulated.
    let page = server.get("/enterprise/91610112MA6DM00024");
    assert!(readable_html(&page.body).contains("模拟数据"));

    // The chart: one per automatic pollutant, the limit a dashed line labelled with value,
    // unit and standard, the SO2 event of five days ago marked, a text alternative.
    let page = server.get("/enterprise/91610111MA6DM0001J");
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert_eq!(
        body.matches(r#"class="trend hourly-chart""#).count(),
        3,
        "{body}"
    );
    assert_eq!(body.matches(r#"class="limit-line""#).count(), 3);
    assert!(body.contains("stroke-dasharray"));
    assert!(
        body.contains("限值 100 mg/m³ · GB 13223-2011 表1 燃煤锅炉（新建）"),
        "{body}"
    );
    assert!(body.contains(r#"class="over""#), "exceedance points marked");
    assert!(body.contains("aria-labelledby"));
    assert!(body.contains("<desc"));
    assert!(readable_html(body).contains("超过限值的小时"));
    // English.
    let english = server.get_with(
        "/enterprise/91610111MA6DM0001J",
        &[("Cookie", "daylight_lang=en")],
    );
    assert!(english
        .body
        .contains("limit 100 mg/m³ · GB 13223-2011 表1 燃煤锅炉（新建）"));
    // Nearby: the air stations within 10 km, nearest first, with their distance.
    assert!(body.contains(r#"<ol class="nearby-list">"#), "{body}");
    let nearest = body
        .find(r#"href="/station/1464A""#)
        .expect("纺织城 is nearby");
    let next = body
        .find(r#"href="/station/1474A""#)
        .expect("广运潭 is nearby");
    assert!(nearest < next);
    assert!(readable_html(body).contains("2.7 km"));
    // Manual monitoring only: no chart.
    let manual = server.get("/enterprise/91610118MA6DM0007A");
    assert_eq!(manual.status, 200);
    assert!(!manual.body.contains("hourly-chart"));
}
