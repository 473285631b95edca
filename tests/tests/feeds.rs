//! Atom feeds (issue 7, item 7): `/feeds/alerts.atom` and `/feeds/complaints.atom` parse as
//! XML with Python's `xml.etree` (the venv scripts/setup.sh prepares), carry the Atom media
//! type, caching headers and open CORS, keep their entry ids from one fetch to the next,
//! escape names, and publish no personal data of a complaint.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use daylight_tests::{describe, eventually, excerpt, workspace_root, Reply, TestServer};
use serde_json::Value;

/// The Python of scripts/setup.sh's venv.
fn python() -> PathBuf {
    let python = workspace_root().join("target/openapi-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it creates the Python venv the feed tests parse XML with)",
        python.display()
    );
    python
}

/// Parses an Atom document with xml.etree and returns its feed and entries as JSON.
fn parse_atom(xml: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("feed.xml");
    std::fs::write(&file, xml).expect("write");
    let script = r#"
import json, sys
import xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + 'feed', root.tag
def text(e, name):
    c = e.find(A + name)
    return None if c is None else c.text
entries = []
for e in root.findall(A + 'entry'):
    link = e.find(A + 'link')
    cat = e.find(A + 'category')
    author = e.find(A + 'author/' + A + 'name')
    entries.append({
        'id': text(e, 'id'), 'title': text(e, 'title'), 'summary': text(e, 'summary'),
        'updated': text(e, 'updated'),
        'link': None if link is None else link.get('href'),
        'category': None if cat is None else cat.get('term'),
        'author': None if author is None else author.text,
    })
print(json.dumps({
    'id': text(root, 'id'), 'title': text(root, 'title'), 'updated': text(root, 'updated'),
    'lang': root.get('{http://www.w3.org/XML/1998/namespace}lang'),
    'entries': entries,
}))
"#;
    let out = Command::new(python())
        .args([OsStr::new("-c"), OsStr::new(script), file.as_os_str()])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "not a well-formed Atom feed: {}\n{}",
        describe(&out),
        excerpt(xml)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

fn feed(server: &TestServer, path: &str) -> (Reply, Value) {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "GET {path}: {}", excerpt(&reply.body));
    assert_eq!(
        reply.header("content-type"),
        Some("application/atom+xml; charset=utf-8"),
        "{path}"
    );
    let parsed = parse_atom(&reply.body);
    (reply, parsed)
}

fn ids(feed: &Value) -> Vec<String> {
    feed["entries"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter_map(|e| e["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `YYYY-MM-DDTHH:00:00Z` of the hour `hours_ago` before now, without a date library.
fn hour_ago(hours_ago: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let unix = (now / 3600 - hours_ago) * 3600;
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
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
    format!("{y:04}-{m:02}-{d:02}T{:02}:00:00Z", secs / 3600)
}

fn import(server: &TestServer, what: &str, contents: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("{what}.csv"));
    std::fs::write(&file, contents).expect("write");
    let out = server.run_cli([OsStr::new("import"), OsStr::new(what), file.as_os_str()]);
    assert!(out.status.success(), "{}", describe(&out));
}

const STATIONS_CSV: &str = "\
code,name,kind,lon,lat,district,water_body,river,approximate,provenance
T001A,Test <&> 'Air',air,108.9400,34.2600,碑林区,,,,feeds test
W-TEST,测试断面 <b>,water,109.0200,34.4330,灞桥区,river,灞河,true,feeds test
";

/// An unhealthy hour (PM2.5 250 µg/m³ → AQI 300, 重度污染) at T001A, and a water section going from
/// class III to V (NH3-N 0.48 → 1.8 mg/L) between two hours.
fn readings_csv() -> String {
    let air = hour_ago(3);
    let (w1, w2) = (hour_ago(5), hour_ago(4));
    let mut csv = String::from("station_code,time,parameter,value,unit\n");
    for (p, v, u) in [
        ("SO2", "13", "ug/m3"),
        ("NO2", "67", "ug/m3"),
        ("PM10", "300", "ug/m3"),
        ("CO", "1.6", "mg/m3"),
        ("O3", "8", "ug/m3"),
        ("PM2.5", "250", "ug/m3"),
    ] {
        csv.push_str(&format!("T001A,{air},{p},{v},{u}\n"));
    }
    for (time, nh3) in [(&w1, "0.48"), (&w2, "1.8")] {
        for (p, v, u) in [
            ("pH", "7.5", "pH"),
            ("DO", "6.2", "mg/L"),
            ("CODMn", "3.9", "mg/L"),
            ("NH3-N", nh3, "mg/L"),
            ("TP", "0.11", "mg/L"),
        ] {
            csv.push_str(&format!("W-TEST,{time},{p},{v},{u}\n"));
        }
    }
    csv
}

#[test]
fn the_alerts_feed_is_atom_with_stable_ids_and_escaped_names() {
    let server = TestServer::start_empty();
    import(&server, "stations", STATIONS_CSV);
    import(&server, "readings", &readings_csv());

    let parsed = eventually("the alerts feed lists the imported hours", || {
        let (_, parsed) = feed(&server, "/feeds/alerts.atom");
        if ids(&parsed).len() >= 2 {
            Ok(parsed)
        } else {
            Err(format!("{parsed}"))
        }
    });
    assert_eq!(parsed["lang"], "zh-CN");
    let entries = parsed["entries"].as_array().expect("entries").clone();
    let aqi = entries
        .iter()
        .find(|e| e["category"] == "aqi")
        .unwrap_or_else(|| panic!("an AQI alert: {parsed}"));
    // The name came through as text: `<&>` escaped in the XML and back after parsing.
    assert_eq!(aqi["title"], "Test <&> 'Air'：AQI 300 重度污染", "{aqi}");
    let aqi_id = aqi["id"].as_str().expect("id");
    assert!(
        aqi_id.starts_with("tag:127.0.0.1,2026:aqi/T001A/"),
        "{aqi_id}"
    );
    assert_eq!(
        aqi["link"].as_str(),
        Some(server.url("/station/T001A").as_str())
    );
    assert_eq!(aqi["author"], "Daylight");
    let water = entries
        .iter()
        .find(|e| e["category"] == "water-class")
        .unwrap_or_else(|| panic!("a water class change: {parsed}"));
    assert!(
        water["title"]
            .as_str()
            .is_some_and(|t| t.contains("测试断面 <b>") && t.contains("III → V")),
        "{water}"
    );
    assert_eq!(
        water["link"].as_str(),
        Some(server.url("/water/W-TEST").as_str())
    );

    // The same ids on a later fetch (a query of its own: not the micro-cache's copy).
    let (reply, again) = feed(&server, "/feeds/alerts.atom?level=151");
    assert_eq!(ids(&again), ids(&parsed));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let etag = reply.header("etag").expect("an ETag").to_string();
    let not_modified = server.get_with("/feeds/alerts.atom?level=151", &[("If-None-Match", &etag)]);
    assert_eq!(not_modified.status, 304);

    // English, a higher level, one station.
    let (_, en) = feed(&server, "/feeds/alerts.atom?lang=en&station=T001A");
    assert_eq!(en["lang"], "en");
    let en_entries = en["entries"].as_array().expect("entries");
    assert_eq!(en_entries.len(), 1, "{en}");
    assert_eq!(en_entries[0]["id"].as_str(), Some(aqi_id));
    assert!(
        en_entries[0]["title"]
            .as_str()
            .is_some_and(|t| t.contains("Heavily polluted")),
        "{en}"
    );
    let (_, high) = feed(&server, "/feeds/alerts.atom?level=301");
    assert!(
        high["entries"]
            .as_array()
            .is_some_and(|es| es.iter().all(|e| e["category"] != "aqi")),
        "{high}"
    );

    // Bad requests answer like the API.
    assert_eq!(server.get("/feeds/alerts.atom?level=0").status, 400);
    assert_eq!(server.get("/feeds/alerts.atom?station=NOPE").status, 404);
    assert_eq!(
        server
            .get("/feeds/alerts.atom?enterprise=91350100M000100Y43")
            .status,
        404
    );
}

#[test]
fn the_demo_alerts_feed_parses_and_keeps_its_ids() {
    let server = TestServer::start();
    let (_, first) = feed(&server, "/feeds/alerts.atom");
    assert!(ids(&first).len() <= 100);
    let (_, second) = feed(&server, "/feeds/alerts.atom?lang=zh");
    assert_eq!(ids(&first), ids(&second));
    // Newest first.
    let updated: Vec<&str> = first["entries"]
        .as_array()
        .map(|es| es.iter().filter_map(|e| e["updated"].as_str()).collect())
        .unwrap_or_default();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted);
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[test]
fn the_complaints_feed_publishes_no_personal_data() {
    let server = TestServer::start();
    for (contact, client) in [
        ("138 1234 5678", "198.51.100.1"),
        ("wang.wei@example.cn", "198.51.100.2"),
    ] {
        let page = server.get("/report").body;
        let key = between(&page, r#"name="key" value=""#, r#"""#).expect("a submission key");
        let observed =
            between(&page, r#"name="observed" value=""#, r#"""#).expect("a pre-filled time");
        let body = [
            ("key", key),
            ("category", "water"),
            ("description", "河水发黑发臭 secret-description"),
            ("observed", observed),
            ("lat", "34.26137"),
            ("lon", "108.94713"),
            ("address", "secret-address 12 号"),
            ("contact", contact),
            ("consent", "yes"),
        ]
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
        let reply = server.request(
            "POST",
            "/report",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Forwarded-For", client),
            ],
            Some(body.as_bytes()),
        );
        assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    }
    let (reply, parsed) = feed(&server, "/feeds/complaints.atom");
    let entries = parsed["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{parsed}");
    for secret in [
        "13812345678",
        "1234 5678",
        "wang.wei",
        "example.cn",
        "secret-description",
        "secret-address",
        "108.94713",
        "34.26137",
    ] {
        assert!(
            !reply.body.contains(secret),
            "{secret} is public:\n{}",
            excerpt(&reply.body)
        );
    }
    for e in entries {
        assert!(
            e["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("tag:127.0.0.1,2026:complaint/")),
            "{e}"
        );
        assert_eq!(e["category"], "water");
        assert_eq!(e["link"].as_str(), Some(server.url("/complaints").as_str()));
    }
    let (_, again) = feed(&server, "/feeds/complaints.atom?lang=en");
    assert_eq!(ids(&again), ids(&parsed));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn pages_announce_their_feeds() {
    let server = TestServer::start();
    for path in ["/", "/station/1462A", "/complaints"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.body.contains(r#"type="application/atom+xml""#),
            "no feed discovery on {path}"
        );
    }
}
