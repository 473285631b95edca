//! Complaints (issue 6): the report form without JavaScript, the follow-up page, routing to
//! the 13 districts, idempotency, the honeypot, validation, the public register and its API
//! (no personal data), and the rate limit.

use daylight_tests::form::{encode, multipolygon};
use daylight_tests::{between, excerpt, readable_html, Reply, TestServer};
use serde_json::Value;

/// A fresh form's submission key and its pre-filled time (now, local).
struct Form {
    key: String,
    observed: String,
}

fn fresh_form(server: &TestServer) -> Form {
    let reply = server.get("/report");
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let page = readable_html(&reply.body);
    assert!(
        page.contains(r#"<form method="post" action="/report""#),
        "{}",
        excerpt(&page)
    );
    let key = between(&page, r#"name="key" value=""#, r#"""#)
        .expect("a hidden submission key")
        .to_string();
    assert_eq!(key.len(), 32, "{key}");
    let observed = between(&page, r#"name="observed" value=""#, r#"""#)
        .expect("a pre-filled time")
        .to_string();
    Form { key, observed }
}

fn post(server: &TestServer, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    server.request("POST", "/report", &all, Some(body.as_bytes()))
}

/// A complete, valid submission at a point.
fn submit_at(server: &TestServer, lat: f64, lon: f64, client: &str) -> Reply {
    let form = fresh_form(server);
    let (lat, lon) = (lat.to_string(), lon.to_string());
    post(
        server,
        &[
            ("key", &form.key),
            ("category", "odour"),
            ("description", "刺鼻的化工气味"),
            ("observed", &form.observed),
            ("lat", &lat),
            ("lon", &lon),
            ("consent", "yes"),
            ("website", ""),
        ],
        &[("X-Forwarded-For", client)],
    )
}

fn location(reply: &Reply) -> String {
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    let location = reply.header("location").expect("a Location").to_string();
    assert!(
        location.starts_with("/report/follow/") && location.ends_with("?new=1"),
        "{location}"
    );
    location
}

fn page(server: &TestServer, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "GET {path}: {}", excerpt(&reply.body));
    readable_html(&reply.body)
}

fn complaints_json(server: &TestServer, limit: u32) -> Value {
    // A limit of its own per call: the API's micro-cache must not answer with an old copy.
    server.get_json(&format!("/api/v1/complaints?limit={limit}"))
}

#[test]
fn a_resident_files_a_complaint_and_follows_it_up_without_javascript() {
    let server = TestServer::start();
    let home = page(&server, "/");
    assert!(
        home.contains(r#"<a href="/report""#),
        "header link to the form"
    );
    assert!(home.contains(">举报</a>"));

    // At the Bell Tower (钟楼), in 碑林区.
    let reply = submit_at(&server, 34.2610, 108.9470, "198.51.100.1");
    let follow = location(&reply);
    let confirmation = page(&server, &follow);
    assert!(
        confirmation.contains("举报已收到"),
        "{}",
        excerpt(&confirmation)
    );
    let code = between(&confirmation, r#"class="tracking-code">"#, "</p>")
        .expect("the tracking code in large type")
        .to_string();
    assert!(code.starts_with("TS-20") && code.len() == 14, "{code}");
    let token = follow
        .trim_start_matches("/report/follow/")
        .trim_end_matches("?new=1");
    let link = format!("http://127.0.0.1:{}/report/follow/{token}", server.port());
    assert!(confirmation.contains(&link), "the follow-up link is shown");
    assert!(confirmation.contains("碑林区"), "routed district");
    assert!(confirmation.contains("已收到"));
    // The evidence snapshot: the nearest air station and water section.
    assert!(confirmation.contains("市人民体育场"), "nearest air station");
    assert!(confirmation.contains("AQI "), "an AQI in the snapshot");
    assert!(confirmation.contains("最近的地表水监测断面"));

    // The follow-up link later: status and code, without the "keep this link" box.
    let reply = server.get(&format!("/report/follow/{token}"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let later = readable_html(&reply.body);
    assert!(later.contains(&code) && later.contains("已收到") && later.contains("碑林区"));
    assert!(!later.contains("follow-url"));
    assert!(later.contains(r#"<meta name="referrer" content="no-referrer""#));

    // In English.
    let en = server.get_with(
        &format!("/report/follow/{token}"),
        &[("Cookie", "daylight_lang=en")],
    );
    assert!(en.body.contains("Received") && en.body.contains("Odour"));

    // Unknown and malformed tokens: 404.
    for bad in ["0123456789abcdef0123456789abcdef", "nope", "%3Cscript%3E"] {
        let reply = server.get(&format!("/report/follow/{bad}"));
        assert_eq!(reply.status, 404, "{bad}");
        assert!(reply.body.contains("找不到该举报"));
    }
}

#[test]
fn every_district_receives_the_complaints_made_inside_it_and_outside_goes_to_the_city() {
    let server = TestServer::start();
    let districts = server.get_json("/api/v1/districts");
    let features = districts["features"].as_array().expect("features");
    assert_eq!(features.len(), 13);
    for (i, feature) in features.iter().enumerate() {
        let adcode = feature["properties"]["adcode"].as_str().expect("adcode");
        let name = feature["properties"]["name"].as_str().expect("name");
        let boundary = multipolygon(&feature["geometry"]);
        let inside = boundary.interior_point().expect("a point inside");
        // Each from another address: 13 submissions exceed one address's limit.
        let client = format!("198.51.100.{}", i + 10);
        let follow = location(&submit_at(&server, inside.lat, inside.lon, &client));
        let page = page(&server, &follow);
        let routed = between(&page, r#"<dd class="district">"#, "</dd>").expect("district");
        assert_eq!(routed, name, "{adcode}: a point at {inside:?}");
    }
    let listed = complaints_json(&server, 13);
    let adcodes: std::collections::BTreeSet<&str> = listed["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["district_adcode"].as_str().expect("adcode"))
        .collect();
    assert_eq!(adcodes.len(), 13);

    // Beijing: outside every district, so the city-level queue, flagged.
    let follow = location(&submit_at(&server, 39.9042, 116.4074, "198.51.100.99"));
    let page = page(&server, &follow);
    let routed = between(&page, r#"<dd class="district">"#, "</dd>").expect("district");
    assert!(
        routed.contains("市级统一受理") && routed.contains("不在本市"),
        "{routed}"
    );
    let listed = complaints_json(&server, 14);
    let newest = &listed["features"][0]["properties"];
    assert_eq!(newest["district_adcode"], Value::Null);
    assert_eq!(newest["outside_city"], true);
    assert_eq!(listed["total"], 14);
}

#[test]
fn a_double_submit_creates_one_complaint_and_a_honeypot_none() {
    let server = TestServer::start();
    let form = fresh_form(&server);
    let fields = [
        ("key", form.key.as_str()),
        ("category", "noise"),
        ("description", "工地夜间施工"),
        ("observed", form.observed.as_str()),
        ("address", "雁塔区小寨东路"),
        ("consent", "yes"),
    ];
    let first = location(&post(&server, &fields, &[]));
    let second = location(&post(&server, &fields, &[]));
    assert_eq!(first, second, "the same follow-up link both times");
    let listed = complaints_json(&server, 1);
    assert_eq!(listed["total"], 1);
    // An address only: the city-level queue, not flagged as outside.
    let p = &listed["features"][0]["properties"];
    assert_eq!(p["district_adcode"], Value::Null);
    assert_eq!(p["outside_city"], false);
    assert_eq!(listed["features"][0]["geometry"], Value::Null);

    // A bot fills the hidden field: it is answered like a person, nothing is stored.
    let bot = fresh_form(&server);
    let mut fields = fields.to_vec();
    fields[0] = ("key", bot.key.as_str());
    fields.push(("website", "http://spam.example"));
    let fake = location(&post(&server, &fields, &[]));
    assert_eq!(server.get(&fake.replace("?new=1", "")).status, 404);
    assert_eq!(complaints_json(&server, 2)["total"], 1);
}

#[test]
fn a_refused_form_comes_back_with_the_input_kept_escaped_and_a_message_per_field() {
    let server = TestServer::start();
    let form = fresh_form(&server);
    let evil = "</textarea><script>alert(1)</script> & more";
    let fields = [
        ("key", form.key.as_str()),
        ("category", ""),
        ("description", evil),
        ("observed", "not a time"),
        ("lat", "34.2"),
        ("address", r#""><img src=x onerror=alert(2)>"#),
        ("contact", "call me"),
    ];
    let reply = post(&server, &fields, &[]);
    assert_eq!(reply.status, 422, "{}", excerpt(&reply.body));
    assert!(reply
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    let html = readable_html(&reply.body);
    assert!(!html.contains("<script>alert(1)"), "{}", excerpt(&html));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    // The same key comes back, so fixing and sending again is still one submission.
    assert!(html.contains(&format!(r#"name="key" value="{}""#, form.key)));
    for message in [
        "请选择污染类型。",
        "时间格式不对",
        "纬度和经度需同时填写。",
        "请填写手机号或电子邮箱",
        "请勾选确认后再提交。",
    ] {
        assert!(html.contains(message), "{message} missing");
    }
    assert!(html.contains(r#"aria-invalid="true""#));
    // Nothing stored.
    assert_eq!(complaints_json(&server, 1)["total"], 0);

    // In English for an English reader.
    let reply = post(&server, &fields, &[("Cookie", "daylight_lang=en")]);
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Please choose the kind of pollution."));
    assert!(reply
        .body
        .contains("Please give both latitude and longitude."));

    // Garbage instead of a form is refused the same way, not a crash.
    let reply = server.request(
        "POST",
        "/report",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"\xff\xfe%%%&&&=="),
    );
    assert_eq!(reply.status, 422);
}

#[test]
fn the_register_and_its_api_show_no_personal_data() {
    let server = TestServer::start();
    let mut tokens = Vec::new();
    for (contact, client) in [
        ("138 1234 5678", "198.51.100.1"),
        ("wang.wei@example.cn", "198.51.100.2"),
    ] {
        let form = fresh_form(&server);
        let reply = post(
            &server,
            &[
                ("key", &form.key),
                ("category", "water"),
                ("description", "河水发黑发臭 secret-description"),
                ("observed", &form.observed),
                ("lat", "34.26137"),
                ("lon", "108.94713"),
                ("address", "secret-address 12 号"),
                ("contact", contact),
                ("consent", "yes"),
            ],
            &[("X-Forwarded-For", client)],
        );
        let follow = location(&reply);
        tokens.push(
            follow
                .trim_start_matches("/report/follow/")
                .trim_end_matches("?new=1")
                .to_string(),
        );
    }
    let register = server.get("/complaints");
    assert_eq!(register.status, 200);
    let api = server.get("/api/v1/complaints?limit=10");
    assert_eq!(api.status, 200);
    for body in [&register.body, &api.body] {
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
                !body.contains(secret),
                "{secret} is public:\n{}",
                excerpt(body)
            );
        }
        for token in &tokens {
            assert!(
                !body.contains(token.as_str()),
                "a follow-up token is public"
            );
        }
    }
    let page = readable_html(&register.body);
    assert!(page.contains("投诉举报公示") && page.contains("水污染") && page.contains("碑林区"));
    let json = api.json();
    assert_eq!(json["type"], "FeatureCollection");
    assert_eq!(json["total"], 2);
    let feature = &json["features"][0];
    let p = &feature["properties"];
    assert!(p["tracking_code"]
        .as_str()
        .is_some_and(|c| c.starts_with("TS-")));
    assert_eq!(p["category"], "water");
    assert_eq!(p["status"], "received");
    assert_eq!(p["district"], "碑林区");
    assert!(p["submitted"]
        .as_str()
        .is_some_and(|t| t.ends_with("+08:00")));
    let keys: Vec<&str> = p
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "category",
            "category_name_en",
            "category_name_zh",
            "district",
            "district_adcode",
            "outside_city",
            "status",
            "submitted",
            "tracking_code"
        ]
    );
    // The point is on a ~200 m grid, not the reported one.
    let c = &feature["geometry"]["coordinates"];
    let (lon, lat) = (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"));
    assert!((lon - 108.94713).abs() < 0.002 && (lat - 34.26137).abs() < 0.002);
    assert!((lon - 108.94713).abs() > 1e-6 || (lat - 34.26137).abs() > 1e-6);
    assert_eq!(
        server.get("/api/v1/complaints?limit=9999").status,
        400,
        "limit over 500"
    );
}

#[test]
fn too_many_submissions_from_one_address_are_refused_with_retry_after() {
    let server = TestServer::start();
    let client = [("X-Forwarded-For", "203.0.113.9")];
    for i in 0..10 {
        let reply = post(&server, &[("category", "odour")], &client);
        assert_eq!(reply.status, 422, "attempt {i}");
    }
    let reply = post(&server, &[("category", "odour")], &client);
    assert_eq!(reply.status, 429, "{}", excerpt(&reply.body));
    let retry: u64 = reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=600).contains(&retry), "{retry}");
    assert!(
        reply.body.contains("您提交得太频繁了"),
        "{}",
        excerpt(&reply.body)
    );
    let en = post(
        &server,
        &[("category", "odour")],
        &[client[0], ("Cookie", "daylight_lang=en")],
    );
    assert_eq!(en.status, 429);
    assert!(en.body.contains("too many reports"));
    // Another address is not affected.
    let other = post(
        &server,
        &[("category", "odour")],
        &[("X-Forwarded-For", "203.0.113.10")],
    );
    assert_eq!(other.status, 422);
}

/// The budget "200 concurrent submissions are all stored exactly once" at a smaller scale
/// (bench/complaints.sh runs the 200): 20 submissions, each sent twice at the same moment
/// as a double tap would, from 20 client addresses (the rate limit counts per address),
/// make exactly 20 complaints, and both taps of each lead to the same follow-up page.
#[test]
fn concurrent_double_taps_store_each_submission_exactly_once() {
    const SUBMISSIONS: usize = 20;
    let server = TestServer::start();
    let forms: Vec<Form> = (0..SUBMISSIONS).map(|_| fresh_form(&server)).collect();
    let start = std::sync::Barrier::new(2 * SUBMISSIONS);
    let pages: Vec<(usize, String)> = std::thread::scope(|scope| {
        let mut taps = Vec::new();
        for (i, form) in forms.iter().enumerate() {
            for _ in 0..2 {
                let (server, start) = (&server, &start);
                taps.push(scope.spawn(move || {
                    let description = format!("并发提交 {i}");
                    let client = format!("198.51.100.{}", i + 1);
                    let fields = [
                        ("key", form.key.as_str()),
                        ("category", "water"),
                        ("description", description.as_str()),
                        ("observed", form.observed.as_str()),
                        ("address", "灞桥区浐河东岸"),
                        ("consent", "yes"),
                    ];
                    start.wait();
                    (
                        i,
                        location(&post(server, &fields, &[("X-Forwarded-For", &client)])),
                    )
                }));
            }
        }
        taps.into_iter()
            .map(|tap| tap.join().expect("a submitting thread"))
            .collect()
    });
    for i in 0..SUBMISSIONS {
        let both: Vec<&String> = pages
            .iter()
            .filter(|(n, _)| *n == i)
            .map(|(_, p)| p)
            .collect();
        assert_eq!(both.len(), 2);
        assert_eq!(
            both[0], both[1],
            "both taps of submission {i} lead to one page"
        );
    }
    let distinct: std::collections::BTreeSet<&String> = pages.iter().map(|(_, p)| p).collect();
    assert_eq!(distinct.len(), SUBMISSIONS, "one follow-up page per key");

    let listed = complaints_json(&server, 100);
    assert_eq!(listed["total"], SUBMISSIONS, "{listed}");
    let codes: std::collections::BTreeSet<&str> = listed["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["tracking_code"].as_str())
        .collect();
    assert_eq!(codes.len(), SUBMISSIONS);
    let log = server.log();
    assert_eq!(
        log.matches("complaint received").count(),
        SUBMISSIONS,
        "{log}"
    );
}
