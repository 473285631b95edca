//! The enterprise card `/embed/enterprise/{code}`, its oEmbed answer, and the enterprise
//! register as GeoJSON (issue 7, items 1, 3 and 6).

use std::ffi::OsStr;

use daylight_tests::{describe, eventually, excerpt, TestServer};
use serde_json::Value;

const CARD_BUDGET_BYTES: usize = 15 * 1024;

const A: &str = "91350100M000100Y43";
const B: &str = "914403001922038216";

const ENTERPRISES_CSV: &str = "\
credit_code,name,industry,district,permit_number,address,lon,lat,key_unit
91350100M000100Y43,Test <&> Power,火力发电,灞桥区,P-001,测试路 1 号,109.06,34.27,大气环境重点排污单位
914403001922038216,测试造纸厂,造纸,未央区,,,,,
";

const OUTLETS_CSV: &str = "\
credit_code,outlet,name,kind,stack_height
91350100M000100Y43,DA001,1号烟囱,air,120
";

const LIMITS_CSV: &str = "\
credit_code,outlet,pollutant,limit,unit,standard,averaging,method,frequency
91350100M000100Y43,DA001,a21026,100,mg/m3,GB 13223-2011 表1,1h,automatic,hourly
";

fn import(server: &TestServer, what: &str, contents: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("{what}.csv"));
    std::fs::write(&file, contents).expect("write");
    let out = server.run_cli([OsStr::new("import"), OsStr::new(what), file.as_os_str()]);
    assert!(out.status.success(), "{}", describe(&out));
}

fn start_with_registry() -> TestServer {
    let server = TestServer::start_empty();
    import(&server, "enterprises", ENTERPRISES_CSV);
    import(&server, "outlets", OUTLETS_CSV);
    import(&server, "limits", LIMITS_CSV);
    eventually("the imported enterprises are served", || {
        let reply = server.get(&format!("/embed/enterprise/{A}"));
        if reply.status == 200 {
            Ok(())
        } else {
            Err(format!("{}", reply.status))
        }
    });
    server
}

#[test]
fn the_enterprise_card_has_no_script_fits_the_budget_and_may_be_framed() {
    let server = start_with_registry();
    let path = format!("/embed/enterprise/{A}");
    let reply = server.get(&path);
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    let html = &reply.body;
    assert!(
        !html.to_lowercase().contains("<script"),
        "{}",
        excerpt(html)
    );
    // The name is text: escaped, never markup.
    assert!(
        html.contains("Test &lt;&amp;&gt; Power"),
        "{}",
        excerpt(html)
    );
    assert!(html.contains("企业自行监测，未经审核"), "{}", excerpt(html));
    assert!(html.contains("阳光环境"), "attribution: {}", excerpt(html));
    assert!(
        html.contains(&format!("href=\"/enterprise/{A}?lang=zh\"")),
        "a link back: {}",
        excerpt(html)
    );
    assert!(
        html.contains("二氧化硫") || html.contains("a21026"),
        "{}",
        excerpt(html)
    );
    // Framing allowed, scripts forbidden (the /embed/ policy).
    let csp = reply.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(reply.header("x-frame-options"), None);
    // The enterprise page itself refuses framing.
    let page = server.get(&format!("/enterprise/{A}"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));

    for encoding in ["br", "gzip"] {
        for _ in 0..2 {
            let reply = server.get_with(&path, &[("Accept-Encoding", encoding)]);
            assert_eq!(reply.status, 200);
            let bytes: usize = reply
                .header("content-length")
                .and_then(|v| v.parse().ok())
                .expect("a cached card has a Content-Length");
            assert!(
                bytes <= CARD_BUDGET_BYTES,
                "{path}: {bytes} bytes ({encoding})"
            );
        }
    }

    // English.
    let en = server.get(&format!("{path}?lang=en"));
    assert!(
        en.body.contains("self-reported, not audited"),
        "{}",
        excerpt(&en.body)
    );

    // Unknown codes: the small not-found card.
    assert_eq!(server.get("/embed/enterprise/NOPE").status, 404);
    assert_eq!(
        server.get("/embed/enterprise/91350100M000100Y44").status,
        404
    );
}

#[test]
fn the_demo_enterprise_card_says_it_is_a_demo() {
    let server = TestServer::start();
    let list = server.get_json("/api/v1/enterprises");
    let demo = list["enterprises"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["demo"] == true))
        .and_then(|e| e["credit_code"].as_str())
        .expect("the demo has demo enterprises")
        .to_string();
    let reply = server.get(&format!("/embed/enterprise/{demo}"));
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("示例企业"), "{}", excerpt(&reply.body));
    assert!(
        reply.body.contains("<time"),
        "an as-of time: {}",
        excerpt(&reply.body)
    );
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn oembed_answers_for_an_enterprise_page() {
    let server = start_with_registry();
    let url = server.url(&format!("/enterprise/{A}"));
    let answer = server.get_json(&format!("/oembed?url={}&maxwidth=300", encode(&url)));
    assert_eq!(answer["type"], "rich");
    assert_eq!(answer["version"], "1.0");
    assert_eq!(answer["width"], 300);
    // Taller than a station card (280 at this width): the table of pollutants.
    assert_eq!(answer["height"], 400);
    let html = answer["html"].as_str().expect("html");
    assert!(
        html.contains(&format!(
            "src=\"{}\"",
            server.url(&format!("/embed/enterprise/{A}"))
        )),
        "{html}"
    );
    assert!(html.starts_with("<iframe"), "{html}");
    assert!(answer["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Test <&> Power")));
    // XML too, and the card's own address.
    let xml = server.get(&format!(
        "/oembed?url={}&format=xml",
        encode(&server.url(&format!("/embed/enterprise/{A}?lang=en")))
    ));
    assert_eq!(xml.status, 200);
    assert!(xml.body.contains("lang=en"), "{}", xml.body);
    // An unknown enterprise: nothing to embed.
    let unknown = server.get(&format!(
        "/oembed?url={}",
        encode(&server.url("/enterprise/91350100M000100Y44"))
    ));
    assert_eq!(unknown.status, 404);
}

fn assert_geojson(body: &Value) {
    assert_eq!(body["type"], "FeatureCollection", "{body}");
    let features = body["features"].as_array().expect("features");
    assert_eq!(features.len(), 2, "{body}");
    let a = features
        .iter()
        .find(|f| f["properties"]["credit_code"] == A)
        .expect("A");
    assert_eq!(a["type"], "Feature");
    assert_eq!(a["geometry"]["type"], "Point");
    // [lon, lat], as RFC 7946 asks.
    assert_eq!(a["geometry"]["coordinates"][0], 109.06);
    assert_eq!(a["geometry"]["coordinates"][1], 34.27);
    assert_eq!(a["properties"]["name"], "Test <&> Power");
    assert_eq!(a["properties"]["demo"], false);
    let b = features
        .iter()
        .find(|f| f["properties"]["credit_code"] == B)
        .expect("B");
    // No registered position: a Feature without geometry.
    assert_eq!(b["geometry"], Value::Null);
}

#[test]
fn the_enterprise_register_is_available_as_geojson() {
    let server = start_with_registry();
    for path in [
        "/api/v1/enterprises.geojson",
        "/api/v1/enterprises?format=geojson",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", excerpt(&reply.body));
        assert_eq!(
            reply.header("content-type"),
            Some("application/geo+json"),
            "{path}"
        );
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        assert!(reply.header("etag").is_some());
        assert_geojson(&reply.json());
    }
    // The JSON register is unchanged without the format.
    let json = server.get_json("/api/v1/enterprises");
    assert!(json["enterprises"].is_array(), "{json}");
    // Search works for the GeoJSON too.
    let one = server.get_json("/api/v1/enterprises.geojson?q=Power");
    assert_eq!(one["features"].as_array().map(Vec::len), Some(1), "{one}");
    assert_eq!(
        server.get("/api/v1/enterprises.geojson?format=kml").status,
        400
    );

    // Documented, with the feeds, in the OpenAPI document.
    let doc = server.get_json("/api/v1/openapi.json");
    for path in [
        "/api/v1/enterprises.geojson",
        "/feeds/alerts.atom",
        "/feeds/complaints.atom",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is not documented"
        );
    }
    let geojson = &doc["paths"]["/api/v1/enterprises.geojson"]["get"]["responses"]["200"];
    assert!(geojson["content"]["application/geo+json"].is_object());
}
