//! Embeds (issue 7): the script-free cards under `/embed/`, who may frame which page, CORS
//! on the public API, and the oEmbed provider with its discovery links.

use daylight_tests::{excerpt, opening_tags, Reply, TestServer};
use serde_json::Value;

/// The budget of a card over the wire, compressed, inline styles included.
const CARD_BUDGET_BYTES: usize = 15 * 1024;

/// The `properties` of the station `code` in `/api/v1/stations` (with `?scale=`).
fn api_station(server: &TestServer, query: &str, pick: impl Fn(&Value) -> bool) -> Value {
    server.get_json(&format!("/api/v1/stations{query}"))["features"]
        .as_array()
        .expect("features is an array")
        .iter()
        .map(|f| f["properties"].clone())
        .find(|p| pick(p))
        .expect("the station is in the API")
}

fn water_code(server: &TestServer) -> String {
    api_station(server, "", |p| p["name"] == "灞河口")["code"]
        .as_str()
        .expect("code")
        .to_string()
}

/// A URL as one query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn card(server: &TestServer, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "GET {path}:\n{}", excerpt(&reply.body));
    assert_script_free(&reply, path);
    reply.body
}

fn assert_script_free(reply: &Reply, path: &str) {
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "{path}: content-type {content_type:?}"
    );
    for forbidden in ["<script", "/pkg/", ".wasm", "<link", "<!>"] {
        assert!(
            !reply.body.contains(forbidden),
            "{path} contains {forbidden}:\n{}",
            excerpt(&reply.body)
        );
    }
}

fn oembed(server: &TestServer, query: &str) -> Reply {
    server.get(&format!("/oembed?{query}"))
}

#[test]
fn station_card_shows_the_latest_hour_without_any_script() {
    let server = TestServer::start();
    let api = api_station(&server, "", |p| p["code"] == "1462A");
    let aqi = api["latest"]["aqi"].as_i64().expect("1462A has an AQI");
    let category = api["latest"]["category"]["name_zh"]
        .as_str()
        .expect("category");

    let html = card(&server, "/embed/station/1462A");
    assert!(html.contains(r#"<html lang="zh-CN""#), "{}", excerpt(&html));
    assert!(html.contains("<h1>高压开关厂</h1>"), "{}", excerpt(&html));
    let badge = opening_tags(&html, "span")
        .into_iter()
        .find(|t| t.contains("badge-large"))
        .expect("an AQI badge");
    let color = api["latest"]["category"]["color"].as_str().expect("color");
    assert!(badge.contains(&format!("background:{color}")), "{badge}");
    assert!(
        html.contains(&format!(">{aqi}</span>")),
        "the card's AQI differs from the API's ({aqi})"
    );
    for text in [
        category,
        "首要污染物",
        "数据时间",
        "(UTC+08:00)",
        ">模拟</span>",
        "阳光环境 Daylight · 数据来源：中国环境监测总站",
        "中国 HJ 633-2012",
    ] {
        assert!(
            html.contains(text),
            "the card lacks {text}:\n{}",
            excerpt(&html)
        );
    }
    let link = opening_tags(&html, "a")
        .into_iter()
        .find(|t| t.contains("/station/1462A"))
        .expect("a link back to the station page");
    assert!(link.contains(r#"target="_blank""#), "{link}");
    assert!(link.contains(r#"rel="noopener""#), "{link}");

    // The reader's language and scale come from the embed code's query.
    let api_epa = api_station(&server, "?scale=us-epa", |p| p["code"] == "1462A");
    let aqi_epa = api_epa["latest"]["aqi"].as_i64().expect("US EPA AQI");
    let html = card(&server, "/embed/station/1462A?lang=en&scale=us-epa");
    assert!(html.contains(r#"<html lang="en""#));
    for text in [
        "Primary pollutant",
        "As of",
        ">simulated</span>",
        "US EPA",
        "Daylight · Data: CNEMC",
        "Full page",
    ] {
        assert!(
            html.contains(text),
            "the English card lacks {text}:\n{}",
            excerpt(&html)
        );
    }
    assert!(html.contains(&format!(">{aqi_epa}</span>")), "US EPA AQI");
    assert!(
        !html.contains("首要污染物"),
        "Chinese left in the English card"
    );
}

#[test]
fn water_card_shows_class_and_deciding_items() {
    let server = TestServer::start();
    let code = water_code(&server);
    let api = api_station(&server, "", |p| p["code"] == code.as_str());
    let class_zh = api["latest"]["class_zh"].as_str().expect("class_zh");

    let html = card(&server, &format!("/embed/water/{code}"));
    assert!(html.contains("<h1>灞河口</h1>"), "{}", excerpt(&html));
    for text in [
        class_zh,
        "定类项目",
        "GB 3838-2002",
        "灞河",
        "模拟",
        "数据时间",
    ] {
        assert!(html.contains(text), "the water card lacks {text}");
    }
    assert!(html.contains(&format!(r#"href="/water/{code}?lang=zh"#)));
}

#[test]
fn unknown_cards_are_404_with_a_small_card() {
    let server = TestServer::start();
    let code = water_code(&server);
    for path in [
        "/embed/station/NOPE".to_string(),
        "/embed/station/%FF%FE".to_string(),
        "/embed/station/%3Cscript%3E".to_string(),
        // One URL per kind: an air station is not a water section and vice versa.
        "/embed/water/1462A".to_string(),
        format!("/embed/station/{code}"),
        "/embed/no/such/thing".to_string(),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "GET {path}");
        assert_script_free(&reply, &path);
        assert!(
            reply.body.contains("找不到该站点"),
            "{path}: {}",
            reply.body
        );
    }
    let reply = server.get("/embed/station/NOPE?lang=en");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("Station not found"), "{}", reply.body);
}

#[test]
fn cards_stay_within_their_budget_compressed() {
    let server = TestServer::start();
    let code = water_code(&server);
    for path in [
        "/embed/station/1462A".to_string(),
        "/embed/station/1462A?lang=en&scale=us-epa".to_string(),
        format!("/embed/water/{code}"),
    ] {
        for encoding in ["br", "gzip"] {
            // Twice: the second answer comes from the page cache, stored compressed.
            for _ in 0..2 {
                let reply = server.get_with(&path, &[("Accept-Encoding", encoding)]);
                assert_eq!(reply.status, 200, "GET {path}");
                assert_eq!(reply.header("content-encoding"), Some(encoding), "{path}");
                let bytes: usize = reply
                    .header("content-length")
                    .and_then(|v| v.parse().ok())
                    .expect("a cached card has a Content-Length");
                assert!(
                    bytes <= CARD_BUDGET_BYTES,
                    "{path} is {bytes} bytes with {encoding}"
                );
                eprintln!("{path} ({encoding}): {bytes} bytes");
            }
        }
    }
}

#[test]
fn only_embeds_may_be_framed() {
    let server = TestServer::start();
    let code = water_code(&server);
    for path in [
        "/embed/station/1462A".to_string(),
        format!("/embed/water/{code}"),
        "/embed/station/NOPE".into(),
    ] {
        // Fresh and from the page cache alike.
        for _ in 0..2 {
            let reply = server.get(&path);
            let csp = reply.header("content-security-policy").unwrap_or_default();
            assert!(csp.contains("frame-ancestors *"), "{path}: CSP {csp:?}");
            assert!(csp.contains("default-src 'none'"), "{path}: CSP {csp:?}");
            assert_eq!(reply.header("x-frame-options"), None, "{path}");
        }
    }
    let oembed_path = format!("/oembed?url={}", encode(&server.url("/station/1462A")));
    for path in [
        "/",
        "/?lang=en",
        "/station/1462A",
        &format!("/water/{code}"),
        "/no/such/page",
        "/embed",
        "/api/v1/stations",
        &oembed_path,
    ] {
        for _ in 0..2 {
            let reply = server.get(path);
            assert_eq!(
                reply.header("content-security-policy"),
                Some("frame-ancestors 'none'"),
                "{path}"
            );
            assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        }
    }
}

#[test]
fn the_read_api_is_open_to_other_origins_and_the_push_endpoint_is_not() {
    let server = TestServer::start();
    let origin = [("Origin", "https://newsroom.example")];
    for path in [
        "/api/v1/stations",
        "/api/v1/stations/1462A/aqi",
        "/api/v1/districts",
        "/api/v1/no-such-endpoint",
    ] {
        for method in ["GET", "HEAD"] {
            let reply = server.request(method, path, &origin, None);
            assert_eq!(
                reply.header("access-control-allow-origin"),
                Some("*"),
                "{method} {path}"
            );
        }
    }
    let preflight = server.request(
        "OPTIONS",
        "/api/v1/stations",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "accept-language"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let methods = preflight
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(methods.contains("GET"), "{methods}");
    assert!(!methods.contains("POST"), "{methods}");
    assert!(preflight.header("access-control-allow-headers").is_some());

    // The push endpoint: no CORS, so a browser never sends a cross-site push.
    let post = server.request(
        "POST",
        "/api/v1/ingest/readings",
        &[
            ("Origin", "https://newsroom.example"),
            ("Content-Type", "application/json"),
        ],
        Some(b"[]"),
    );
    assert_eq!(post.status, 401, "{}", post.body);
    assert_eq!(post.header("access-control-allow-origin"), None);
    let preflight = server.request(
        "OPTIONS",
        "/api/v1/ingest/readings",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.header("access-control-allow-origin"), None);
    assert_eq!(preflight.header("access-control-allow-methods"), None);
    // Pages are not part of the API.
    assert_eq!(
        server
            .get_with("/", &origin)
            .header("access-control-allow-origin"),
        None
    );
}

#[test]
fn oembed_answers_for_station_and_water_pages() {
    let server = TestServer::start();
    let code = water_code(&server);
    let base = server.url("");
    for page in [
        "/station/1462A".to_string(),
        "/embed/station/1462A".to_string(),
        "/station/1462A/".to_string(),
    ] {
        let reply = oembed(&server, &format!("url={}", encode(&server.url(&page))));
        assert_eq!(reply.status, 200, "{page}: {}", reply.body);
        assert!(reply
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        let json = reply.json();
        assert_eq!(json["version"], "1.0");
        assert_eq!(json["type"], "rich");
        assert_eq!(json["provider_name"], "Daylight");
        assert_eq!(json["provider_url"], format!("{base}/"));
        assert_eq!(json["width"], 360);
        assert_eq!(json["height"], 220);
        assert!(json["cache_age"].as_u64().is_some());
        assert!(json["title"]
            .as_str()
            .unwrap_or_default()
            .contains("高压开关厂"));
        let html = json["html"].as_str().expect("html");
        assert!(
            html.starts_with(&format!(
                r#"<iframe src="{base}/embed/station/1462A" width="360" height="220""#
            )),
            "{html}"
        );
        assert!(html.ends_with("></iframe>"), "{html}");
    }

    // The iframe is the card, and the card is embeddable.
    let json = oembed(
        &server,
        &format!("url={}", encode(&server.url(&format!("/water/{code}")))),
    )
    .json();
    let html = json["html"].as_str().expect("html");
    assert!(
        html.contains(&format!(r#"src="{base}/embed/water/{code}""#)),
        "{html}"
    );
    assert!(json["title"]
        .as_str()
        .unwrap_or_default()
        .contains("灞河口"));

    // Language and scale of the page URL carry over to the card.
    let json = oembed(
        &server,
        &format!(
            "url={}",
            encode(&server.url("/station/1462A?lang=en&scale=us-epa"))
        ),
    )
    .json();
    let html = json["html"].as_str().expect("html");
    assert!(
        html.contains("/embed/station/1462A?lang=en&amp;scale=us-epa"),
        "{html}"
    );
    assert!(json["title"]
        .as_str()
        .unwrap_or_default()
        .contains("Air quality"));

    // Behind a TLS proxy the iframe is https.
    let reply = server.get_with(
        &format!(
            "/oembed?url={}",
            encode(&server.url("/station/1462A").replace("http:", "https:"))
        ),
        &[("X-Forwarded-Proto", "https")],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let html = reply.json()["html"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(html.contains(r#"src="https://127.0.0.1:"#), "{html}");

    // XML too, with the same fields.
    let reply = oembed(
        &server,
        &format!("url={}&format=xml", encode(&server.url("/station/1462A"))),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/xml"));
    for text in [
        r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>"#,
        "<oembed>",
        "<type>rich</type>",
        "<version>1.0</version>",
        "<width>360</width>",
        "<html>&lt;iframe src=&quot;",
    ] {
        assert!(
            reply.body.contains(text),
            "XML lacks {text}:\n{}",
            reply.body
        );
    }
}

#[test]
fn oembed_respects_the_maxima() {
    let server = TestServer::start();
    let url = encode(&server.url("/station/1462A"));
    for (query, width, height) in [
        ("maxwidth=1000&maxheight=1000", 360, 220),
        ("maxwidth=340", 340, 220),
        ("maxwidth=300&maxheight=300", 300, 280),
        ("maxwidth=200", 200, 320),
    ] {
        let reply = oembed(&server, &format!("url={url}&{query}"));
        assert_eq!(reply.status, 200, "{query}: {}", reply.body);
        let json = reply.json();
        assert_eq!(json["width"], width, "{query}");
        assert_eq!(json["height"], height, "{query}");
        let html = json["html"].as_str().expect("html");
        assert!(
            html.contains(&format!(r#"width="{width}" height="{height}""#)),
            "{query}: {html}"
        );
    }
    // A card that cannot fit is no answer for that request.
    for query in [
        "maxwidth=199",
        "maxheight=200",
        "maxwidth=250&maxheight=300",
    ] {
        let reply = oembed(&server, &format!("url={url}&{query}"));
        assert_eq!(reply.status, 404, "{query}: {}", reply.body);
        assert_eq!(reply.json()["error"]["code"], "not_embeddable");
    }
    for query in ["maxwidth=abc", "maxwidth=0", "maxheight=-5"] {
        let reply = oembed(&server, &format!("url={url}&{query}"));
        assert_eq!(reply.status, 400, "{query}: {}", reply.body);
    }
}

#[test]
fn oembed_answers_for_the_map_with_its_view() {
    let server = TestServer::start();
    let url = encode(&server.url("/?layers=air,enterprises&zoom=12&utm_source=feed"));
    let reply = oembed(&server, &format!("url={url}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["type"], "rich");
    assert_eq!(json["title"], "阳光环境 · 地图", "{json}");
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(640), Some(480))
    );
    let html = json["html"].as_str().expect("html");
    let src = server.url("/embed/map?layers=air,enterprises&amp;zoom=12");
    assert!(html.contains(&format!(r#"src="{src}""#)), "{html}");
    assert!(!html.contains("utm_source"), "{html}");

    // The iframe's address is the embeddable map.
    let embed = server.get("/embed/map?layers=air,enterprises&zoom=12");
    assert_eq!(embed.status, 200);

    // 4:3 within the maxima, down to the smallest useful map.
    let root = encode(&server.url("/embed/map"));
    let reply = oembed(&server, &format!("url={root}&maxwidth=400&format=xml"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("<width>400</width>"), "{}", reply.body);
    assert!(
        reply.body.contains("<height>300</height>"),
        "{}",
        reply.body
    );
    for query in ["maxwidth=279", "maxheight=239"] {
        let reply = oembed(&server, &format!("url={root}&{query}"));
        assert_eq!(reply.status, 404, "{query}: {}", reply.body);
    }
}

#[test]
fn oembed_errors_follow_the_spec() {
    let server = TestServer::start();
    let code = water_code(&server);
    for url in [
        server.url("/station/NOPE"),
        server.url("/water/1462A"),
        server.url(&format!("/station/{code}")),
        server.url("/enterprises"),
        server.url("/api/v1/stations"),
        "http://evil.example/station/1462A".to_string(),
        format!("http://127.0.0.1:{}/station/1462A", server.port() + 1),
        "javascript:alert(1)".to_string(),
        "/station/1462A".to_string(),
    ] {
        let reply = oembed(&server, &format!("url={}", encode(&url)));
        assert_eq!(reply.status, 404, "{url}: {}", reply.body);
        assert!(reply.json()["error"]["message"].as_str().is_some());
    }
    let page = encode(&server.url("/station/1462A"));
    let reply = oembed(&server, &format!("url={page}&format=yaml"));
    assert_eq!(reply.status, 501, "{}", reply.body);
    let reply = server.get_with(
        &format!("/oembed?url={page}&format=yaml"),
        &[("Accept-Language", "en")],
    );
    assert_eq!(reply.status, 501);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("json or xml"),
        "{}",
        reply.body
    );
    assert_eq!(server.get("/oembed").status, 400);
    assert_eq!(server.get("/oembed?url=").status, 400);
}

#[test]
fn station_and_water_pages_announce_their_oembed() {
    let server = TestServer::start();
    let code = water_code(&server);
    let base = server.url("");
    for page in [
        "/station/1462A".to_string(),
        format!("/water/{code}"),
        "/".to_string(),
    ] {
        let reply = server.get(&page);
        assert_eq!(reply.status, 200);
        let head = reply.body.split("</head>").next().unwrap_or_default();
        let links = opening_tags(head, "link");
        let json_link = links
            .iter()
            .find(|l| l.contains(r#"type="application/json+oembed""#))
            .unwrap_or_else(|| panic!("{page} has no oEmbed discovery link: {links:?}"));
        assert!(json_link.contains(r#"rel="alternate""#), "{json_link}");
        assert!(json_link.contains("title="), "{json_link}");
        let expected = format!(
            "{base}/oembed?url={}&amp;format=json",
            encode(&server.url(&page))
        );
        assert!(
            json_link.contains(&format!(r#"href="{expected}""#)),
            "{json_link}"
        );
        assert!(links
            .iter()
            .any(|l| l.contains(r#"type="text/xml+oembed""#)));

        // The link works.
        let path = expected.replace("&amp;", "&").replace(&base, "");
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.json()["type"], "rich");
    }

    // A forged Host header gets a page of its own, never the cached page of others.
    let forged = server.get_with("/station/1462A", &[("Host", "evil.example")]);
    assert!(forged.body.contains("http://evil.example/oembed"));
    let normal = server.get("/station/1462A");
    assert!(
        !normal.body.contains("evil.example"),
        "cache poisoned by Host"
    );
}

/// The `content` of the `<meta>` whose `property` or `name` is `key`, in a page's head.
fn meta_content(head: &str, key: &str) -> Option<String> {
    opening_tags(head, "meta")
        .into_iter()
        .find(|m| {
            m.contains(&format!(r#"property="{key}""#)) || m.contains(&format!(r#"name="{key}""#))
        })
        .and_then(|m| m.split(r#"content=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(|c| c.replace("&amp;", "&"))
}

#[test]
fn pages_carry_share_card_meta() {
    let server = TestServer::start();
    let api = api_station(&server, "", |p| p["code"] == "1462A");
    let aqi = api["latest"]["aqi"].as_i64().expect("1462A has an AQI");
    let category = api["latest"]["category"]["name_zh"]
        .as_str()
        .expect("category")
        .to_string();

    let reply = server.get("/station/1462A");
    assert_eq!(reply.status, 200);
    let head = reply.body.split("</head>").next().unwrap_or_default();
    let meta = |key: &str| {
        meta_content(head, key).unwrap_or_else(|| panic!("no {key} meta in {}", excerpt(head)))
    };
    assert_eq!(meta("og:title"), "高压开关厂");
    assert_eq!(meta("og:type"), "website");
    assert_eq!(meta("og:url"), server.url("/station/1462A"));
    assert_eq!(meta("og:image"), server.url("/card/station/1462A.png"));
    assert_eq!(meta("twitter:card"), "summary_large_image");
    let description = meta("og:description");
    assert!(
        description.starts_with(&format!("高压开关厂 · AQI {aqi} {category} · ")),
        "{description}"
    );
    assert!(
        description.contains("20"),
        "the hour is given: {description}"
    );

    let code = water_code(&server);
    let reply = server.get(&format!("/water/{code}"));
    let head = reply.body.split("</head>").next().unwrap_or_default();
    assert_eq!(
        meta_content(head, "og:image").as_deref(),
        Some(server.url(&format!("/card/water/{code}.png")).as_str())
    );
    assert!(meta_content(head, "og:description").is_some_and(|d| d.starts_with("灞河口 · ")));

    // The map has no card image: a small preview, not an empty large one.
    let reply = server.get("/");
    let head = reply.body.split("</head>").next().unwrap_or_default();
    assert_eq!(meta_content(head, "og:url"), Some(server.url("/")));
    assert_eq!(
        meta_content(head, "twitter:card").as_deref(),
        Some("summary")
    );

    // Every other public page has its title and a description for a preview too.
    let enterprise = server.get_json("/api/v1/enterprises");
    let enterprise = &enterprise["enterprises"][0];
    let code = enterprise["credit_code"]
        .as_str()
        .expect("a demo enterprise");
    let name = enterprise["name"].as_str().expect("its name");
    let reply = server.get(&format!("/enterprise/{code}"));
    let head = reply.body.split("</head>").next().unwrap_or_default();
    assert_eq!(meta_content(head, "og:title").as_deref(), Some(name));
    assert_eq!(
        meta_content(head, "og:url"),
        Some(server.url(&format!("/enterprise/{code}")))
    );
    assert!(
        meta_content(head, "og:description").is_some_and(|d| d.ends_with("企业自行监测，未经审核")),
        "{}",
        excerpt(head)
    );
    for (path, title) in [
        ("/enterprises", "排污单位自行监测信息公开"),
        ("/complaints", "投诉举报公示"),
        ("/report", "举报环境污染"),
    ] {
        let reply = server.get(path);
        let head = reply.body.split("</head>").next().unwrap_or_default();
        assert_eq!(
            meta_content(head, "og:title").as_deref(),
            Some(title),
            "{path}"
        );
        assert!(meta_content(head, "og:description").is_some(), "{path}");
        assert_eq!(
            meta_content(head, "twitter:card").as_deref(),
            Some("summary"),
            "{path}"
        );
    }
}

#[test]
fn share_card_images_are_svg_drawn_on_the_server() {
    let server = TestServer::start();
    let api = api_station(&server, "", |p| p["code"] == "1462A");
    let aqi = api["latest"]["aqi"].as_i64().expect("1462A has an AQI");

    let reply = server.get("/card/station/1462A.svg");
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    assert_eq!(reply.header("content-type"), Some("image/svg+xml"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
    let svg = &reply.body;
    assert!(svg.starts_with("<svg"), "{}", excerpt(svg));
    assert!(svg.trim_end().ends_with("</svg>"), "{}", excerpt(svg));
    assert!(svg.contains(r#"width="1200" height="630""#));
    assert!(svg.contains(&format!(">{aqi}</text>")), "{}", excerpt(svg));
    assert!(svg.contains(">高压开关厂</text>"));
    assert!(svg.contains("Daylight · 数据来源：中国环境监测总站"));
    // The demo feed's values are simulated, and the card says so.
    assert!(svg.contains(">模拟</text>"));
    // Well-formed enough: every `&` starts an entity and tags balance.
    for (i, _) in svg.match_indices('&') {
        let rest = &svg[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "raw & in {}",
            &rest[..rest.len().min(20)]
        );
    }
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());

    let code = water_code(&server);
    let reply = server.get(&format!("/card/water/{code}.svg"));
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(">灞河口</text>"));

    // Unknown codes, the wrong kind, another extension: 404.
    for path in [
        "/card/station/NOPE.svg".to_string(),
        format!("/card/station/{code}.svg"),
        "/card/water/1462A.svg".to_string(),
        "/card/station/1462A.gif".to_string(),
        "/card/station/%3Cx%3E.svg".to_string(),
    ] {
        assert_eq!(server.get(&path).status, 404, "{path}");
    }

    // An image may be shown by any page: no framing policy stands in the way of `<img>`,
    // and the card itself loads nothing.
    assert!(!svg.contains("href="), "the card loads nothing");

    // The render budget: a card in < 20 ms, measured end to end over HTTP.
    let runs = 50;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        assert_eq!(server.get("/card/station/1462A.svg").status, 200);
    }
    let per_card = started.elapsed() / runs;
    eprintln!("share card: {per_card:?} per request over {runs} requests");
    assert!(
        per_card < std::time::Duration::from_millis(20),
        "{per_card:?}"
    );
}
