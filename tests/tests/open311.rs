//! Open311 GeoReport v2 (issue 6, item 8; docs/open311.md) against the real server:
//! discovery and services in JSON and XML, requests created with an API key through the
//! complaint form's path (routing, audit trail), keys refused, bad input explained, and
//! requests read back without personal data.

use std::io::Write;
use std::process::{Command, Stdio};

use daylight_tests::form::encode;
use daylight_tests::{between, binary, describe, excerpt, Reply, TestServer};
use serde_json::Value;

/// A point in 碑林区 (the complaints tests use it too).
const BEILIN: (&str, &str) = ("34.2610", "108.9470");

fn post(
    server: &TestServer,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut all = vec![(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )];
    all.extend_from_slice(headers);
    server.request("POST", path, &all, Some(body.as_bytes()))
}

/// Issues a key with the CLI and returns it.
fn issue_key(server: &TestServer, name: &str) -> String {
    let output = server.run_cli(["open311", "key", "add", name]);
    assert!(output.status.success(), "{}", describe(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find(|l| l.starts_with("dlt_"))
        .unwrap_or_else(|| panic!("no key printed:\n{}", describe(&output)))
        .to_string()
}

fn complaint_total(server: &TestServer, limit: u32) -> u64 {
    // A limit of its own per call: the API's micro-cache must not answer with an old copy.
    server.get_json(&format!("/api/v1/complaints?limit={limit}"))["total"]
        .as_u64()
        .expect("total")
}

fn assert_json(reply: &Reply, status: u16) -> Value {
    assert_eq!(reply.status, status, "{}", excerpt(&reply.body));
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    reply.json()
}

fn assert_xml(reply: &Reply, status: u16) -> &str {
    assert_eq!(reply.status, status, "{}", excerpt(&reply.body));
    assert_eq!(
        reply.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    assert!(
        reply
            .body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{}",
        excerpt(&reply.body)
    );
    &reply.body
}

/// The one error of an error answer in JSON: its code and description.
fn json_error(reply: &Reply, status: u16) -> String {
    let body = assert_json(reply, status);
    let errors = body.as_array().expect("an array of errors");
    assert!(!errors.is_empty(), "{body}");
    assert_eq!(errors[0]["code"], status, "{body}");
    errors
        .iter()
        .map(|e| {
            e["description"]
                .as_str()
                .expect("a description")
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn discovery_and_services_in_json_and_xml() {
    let server = TestServer::start();

    let reply = server.get("/open311/v2/discovery.json");
    let discovery = assert_json(&reply, 200);
    let endpoint = &discovery["endpoints"][0];
    assert_eq!(
        endpoint["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    let url = endpoint["url"].as_str().expect("url");
    assert_eq!(url, server.url("/open311/v2"), "taken from the Host header");
    let formats = endpoint["formats"].as_array().expect("formats");
    assert!(formats.contains(&Value::from("text/xml")), "{discovery}");
    assert!(
        formats.contains(&Value::from("application/json")),
        "{discovery}"
    );
    for field in ["changeset", "contact", "key_service"] {
        assert!(discovery[field].is_string(), "{field}: {discovery}");
    }
    // Anyone's web page may read it.
    let reply = server.get_with(
        "/open311/v2/discovery.json",
        &[("Origin", "https://app.example")],
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));

    let reply = server.get("/open311/v2/discovery.xml");
    let xml = assert_xml(&reply, 200);
    assert!(xml.contains("<discovery>"), "{xml}");
    assert!(
        xml.contains("<specification>http://wiki.open311.org/GeoReport_v2</specification>"),
        "{xml}"
    );
    assert!(xml.contains("<formats><format>text/xml</format>"), "{xml}");

    let services = assert_json(&server.get("/open311/v2/services.json"), 200);
    let services = services.as_array().expect("an array");
    let codes: Vec<&str> = services
        .iter()
        .map(|s| s["service_code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        [
            "air",
            "odour",
            "water",
            "noise",
            "solid_waste",
            "ecology",
            "radiation",
            "other"
        ]
    );
    for s in services {
        assert_eq!(s["metadata"], false, "{s}");
        assert_eq!(s["type"], "realtime", "{s}");
        for field in ["service_name", "description", "keywords", "group"] {
            assert!(
                s[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field}: {s}"
            );
        }
    }
    assert_eq!(services[3]["service_name"], "噪声", "Chinese by default");
    let english = assert_json(&server.get("/open311/v2/services.json?locale=en"), 200);
    assert_eq!(english[3]["service_name"], "Noise");
    let english = assert_json(
        &server.get_with(
            "/open311/v2/services.json",
            &[("Accept-Language", "en-GB,en;q=0.8")],
        ),
        200,
    );
    assert_eq!(english[5]["service_name"], "Ecological damage");

    let reply = server.get("/open311/v2/services.xml");
    let xml = assert_xml(&reply, 200);
    assert!(
        xml.contains("<services><service><service_code>air</service_code>"),
        "{xml}"
    );
    assert_eq!(xml.matches("<service>").count(), 8);
    assert!(
        xml.contains("<metadata>false</metadata><type>realtime</type>"),
        "{xml}"
    );

    // A service definition exists for each code (no attributes); others are 404.
    let definition = assert_json(&server.get("/open311/v2/services/noise.json"), 200);
    assert_eq!(definition["service_code"], "noise");
    assert_eq!(definition["attributes"], Value::Array(Vec::new()));
    json_error(&server.get("/open311/v2/services/potholes.json"), 404);

    // An unknown format or resource is a 404 in GeoReport's error format.
    let reply = server.get("/open311/v2/services.html");
    let xml = assert_xml(&reply, 404);
    assert!(
        xml.contains("<errors><error><code>404</code><description>"),
        "{xml}"
    );
    json_error(&server.get("/open311/v2/potholes.json"), 404);
    // We issue no tokens, so none is found.
    json_error(&server.get("/open311/v2/tokens/12345.json"), 404);
}

#[test]
fn a_request_with_a_key_is_a_complaint_routed_to_its_district_and_read_back_without_personal_data()
{
    let server = TestServer::start();
    let key = issue_key(&server, "city-hotline");
    let before = complaint_total(&server, 11);

    let personal = [
        ("email", "wang.wei@example.cn"),
        ("phone", "13812345678"),
        ("first_name", "Wei-secret-first"),
        ("last_name", "Wang-secret-last"),
    ];
    let mut fields = vec![
        ("api_key", key.as_str()),
        ("service_code", "odour"),
        ("lat", BEILIN.0),
        ("long", BEILIN.1),
        ("address_string", "secret-address 南大街 12 号"),
        ("description", "刺鼻的化工气味 secret-description"),
        ("media_url", "https://example.org/photo.jpg"),
    ];
    fields.extend_from_slice(&personal);
    let created = assert_json(
        &post(&server, "/open311/v2/requests.json", &fields, &[]),
        200,
    );
    let id = created[0]["service_request_id"]
        .as_str()
        .expect("a service_request_id")
        .to_string();
    assert!(id.starts_with("TS-20") && id.len() == 14, "{id}");
    let notice = created[0]["service_notice"].as_str().expect("a notice");
    assert!(
        notice.contains("碑林区") && notice.contains(&id),
        "{notice}"
    );
    assert_eq!(created[0]["account_id"], Value::Null);
    assert!(
        created[0].get("token").is_none(),
        "a realtime service returns no token"
    );

    // XML, in English, at a point with an address only: the city-level queue.
    let reply = post(
        &server,
        "/open311/v2/requests.xml",
        &[
            ("api_key", key.as_str()),
            ("service_code", "noise"),
            ("address_string", "雁塔路 & <工地>"),
            ("description", "夜间施工"),
            ("locale", "en"),
        ],
        &[],
    );
    let xml = assert_xml(&reply, 200).to_string();
    let xml_id = between(&xml, "<service_request_id>", "</service_request_id>")
        .expect("an id")
        .to_string();
    assert!(xml_id.starts_with("TS-20"), "{xml}");
    assert!(
        xml.contains("<service_notice>Passed to City-level queue"),
        "{xml}"
    );
    assert!(xml.contains("<account_id/>"), "{xml}");

    // Both are complaints like the form's: in the register, routed, in the audit trail.
    assert_eq!(complaint_total(&server, 12), before + 2);
    let register = server.get_json("/api/v1/complaints?limit=13");
    let ours = register["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["tracking_code"] == id.as_str())
        .expect("the request is in the register")
        .clone();
    assert_eq!(ours["properties"]["district"], "碑林区");
    let verify = server.run_cli(["audit", "verify"]);
    assert!(verify.status.success(), "{}", describe(&verify));

    // Read back, one and all, in both formats.
    let one = assert_json(&server.get(&format!("/open311/v2/requests/{id}.json")), 200);
    let request = &one[0];
    assert_eq!(request["service_request_id"], id.as_str());
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], "odour");
    assert_eq!(request["service_name"], "异味、恶臭");
    assert_eq!(request["agency_responsible"], "碑林区");
    assert_eq!(request["status_notes"], Value::Null);
    for withheld in ["description", "address", "media_url"] {
        assert_eq!(request[withheld], Value::Null, "{withheld}: {request}");
    }
    for field in [
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ] {
        let time = request[field].as_str().expect(field);
        assert!(time.ends_with("+08:00"), "{field}: {time}");
    }
    // The location on the register's ~200 m grid, not the point sent.
    let (lat, lon) = (
        request["lat"].as_f64().expect("lat"),
        request["long"].as_f64().expect("long"),
    );
    let sent: (f64, f64) = (BEILIN.0.parse().unwrap(), BEILIN.1.parse().unwrap());
    assert!((lat - sent.0).abs() < 0.002 && (lon - sent.1).abs() < 0.002);
    assert_eq!(
        (lat, lon),
        (
            ours["geometry"]["coordinates"][1].as_f64().expect("lat"),
            ours["geometry"]["coordinates"][0].as_f64().expect("lon")
        ),
        "the same coarsening as the register"
    );

    let all = server.get("/open311/v2/requests.json");
    let listed = assert_json(&all, 200);
    let listed = listed.as_array().expect("an array");
    assert!(listed
        .iter()
        .any(|r| r["service_request_id"] == id.as_str()));
    let city = listed
        .iter()
        .find(|r| r["service_request_id"] == xml_id.as_str())
        .expect("the XML request");
    assert_eq!(city["agency_responsible"], "市级统一受理");
    assert_eq!(city["lat"], Value::Null);

    let one_xml = server.get(&format!("/open311/v2/requests/{id}.xml?locale=en"));
    let one_xml = assert_xml(&one_xml, 200).to_string();
    assert!(
        one_xml.contains("<agency_responsible>碑林区</agency_responsible>"),
        "{one_xml}"
    );
    assert!(
        one_xml.contains("<service_name>Odour</service_name>"),
        "{one_xml}"
    );
    let all_xml = server.get("/open311/v2/requests.xml");
    let all_xml = assert_xml(&all_xml, 200).to_string();

    for body in [&one.to_string(), &all.body, &one_xml, &all_xml] {
        for (_, value) in &personal {
            assert!(
                !body.contains(value),
                "{value} published:\n{}",
                excerpt(body)
            );
        }
        for secret in [
            "secret-description",
            "secret-address",
            "13812345678",
            "@example",
        ] {
            assert!(
                !body.contains(secret),
                "{secret} published:\n{}",
                excerpt(body)
            );
        }
    }

    // Filters.
    let filtered = |query: &str| -> Vec<String> {
        assert_json(
            &server.get(&format!("/open311/v2/requests.json?{query}")),
            200,
        )
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["service_request_id"].as_str().expect("id").to_string())
        .collect()
    };
    assert_eq!(
        filtered(&format!("service_request_id={id},{xml_id}")).len(),
        2
    );
    assert_eq!(filtered("service_code=odour"), vec![id.clone()]);
    assert_eq!(filtered("service_code=noise,odour").len(), 2);
    assert!(filtered("status=closed").is_empty());
    assert_eq!(
        filtered("status=open&service_code=noise"),
        vec![xml_id.clone()]
    );
    assert!(filtered("start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z").is_empty());
    let error = json_error(&server.get("/open311/v2/requests.json?status=pending"), 400);
    assert!(error.contains("status"), "{error}");
    let error = json_error(
        &server.get("/open311/v2/requests.json?start_date=yesterday"),
        400,
    );
    assert!(error.contains("start_date"), "{error}");
    let error = json_error(
        &server.get("/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-12-01T00:00:00Z"),
        400,
    );
    assert!(error.contains("90"), "{error}");

    // An Idempotency-Key makes a retry file one complaint, not two.
    let retry = |_: ()| {
        let reply = post(
            &server,
            "/open311/v2/requests.json",
            &[
                ("api_key", key.as_str()),
                ("service_code", "water"),
                ("lat", BEILIN.0),
                ("long", BEILIN.1),
                ("description", "河水发黑"),
            ],
            &[("Idempotency-Key", "retry-42")],
        );
        assert_json(&reply, 200)[0]["service_request_id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    assert_eq!(retry(()), retry(()));
    assert_eq!(complaint_total(&server, 14), before + 3);

    // Unknown ids.
    let error = json_error(&server.get("/open311/v2/requests/TS-2026-ZZZZZZ.json"), 404);
    assert!(error.contains("TS-2026-ZZZZZZ"), "{error}");
    json_error(&server.get("/open311/v2/requests/nonsense.json"), 404);
    let reply = server.get("/open311/v2/requests/TS-2026-ZZZZZZ.xml");
    assert!(assert_xml(&reply, 404).contains("<code>404</code>"));
}

#[test]
fn keys_are_required_bad_input_is_explained_and_nothing_is_stored() {
    let server = TestServer::start();
    let key = issue_key(&server, "third-party.app");
    let before = complaint_total(&server, 21);
    fn valid<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut fields = vec![
            ("service_code", "air"),
            ("lat", BEILIN.0),
            ("long", BEILIN.1),
            ("description", "黑烟"),
        ];
        fields.extend_from_slice(extra);
        fields
    }

    // No key, a wrong key, a key-shaped stranger: 403 in GeoReport's error format.
    let error = json_error(
        &post(&server, "/open311/v2/requests.json", &valid(&[]), &[]),
        403,
    );
    assert!(error.contains("api_key"), "{error}");
    let error = json_error(
        &post(
            &server,
            "/open311/v2/requests.json",
            &valid(&[("api_key", "letmein")]),
            &[],
        ),
        403,
    );
    assert!(error.contains("api_key"), "{error}");
    let stranger = format!("dlt_{}", "0123456789abcdef".repeat(4));
    let fields = valid(&[("api_key", &stranger)]);
    let reply = post(
        &server,
        "/open311/v2/requests.xml",
        &fields,
        &[("Accept-Language", "en")],
    );
    let xml = assert_xml(&reply, 403);
    assert!(
        xml.contains("<errors><error><code>403</code><description>The api_key is not valid"),
        "{xml}"
    );

    // Bad input: 400 (404 for a service that does not exist, as GeoReport says), each
    // naming the parameter.
    let with_key = |extra: &[(&'static str, &str)]| {
        let mut fields: Vec<(&str, &str)> = vec![("api_key", key.as_str())];
        fields.extend_from_slice(extra);
        post(&server, "/open311/v2/requests.json?locale=en", &fields, &[])
    };
    let error = json_error(
        &with_key(&[("lat", BEILIN.0), ("long", BEILIN.1), ("description", "x")]),
        400,
    );
    assert!(error.contains("service_code"), "{error}");
    let error = json_error(
        &with_key(&[
            ("service_code", "potholes"),
            ("lat", BEILIN.0),
            ("long", BEILIN.1),
            ("description", "x"),
        ]),
        404,
    );
    assert!(error.contains("potholes"), "{error}");
    let error = json_error(
        &with_key(&[
            ("service_code", "air"),
            ("lat", "91"),
            ("long", BEILIN.1),
            ("description", "x"),
        ]),
        400,
    );
    assert!(
        error.contains("lat") && error.contains("-90 to 90"),
        "{error}"
    );
    let long_text = "烟".repeat(2001);
    let error = json_error(
        &with_key(&[
            ("service_code", "air"),
            ("lat", BEILIN.0),
            ("long", BEILIN.1),
            ("description", &long_text),
        ]),
        400,
    );
    assert!(
        error.contains("description") && error.contains("2000"),
        "{error}"
    );
    let error = json_error(
        &with_key(&[("service_code", "air"), ("description", "x")]),
        400,
    );
    assert!(error.contains("address_string"), "{error}");
    let error = json_error(
        &with_key(&[
            ("service_code", "air"),
            ("lat", BEILIN.0),
            ("long", BEILIN.1),
            ("description", "x"),
            ("email", "not an address"),
        ]),
        400,
    );
    assert!(error.contains("email"), "{error}");
    // In Chinese by default.
    let reply = post(
        &server,
        "/open311/v2/requests.json",
        &[("api_key", key.as_str()), ("service_code", "air")],
        &[],
    );
    let error = json_error(&reply, 400);
    assert!(error.contains("请描述发生了什么"), "{error}");

    // Not a form: said so, rather than "no api_key".
    let json_body = format!(r#"{{"api_key":"{key}","service_code":"air"}}"#);
    let reply = server.request(
        "POST",
        "/open311/v2/requests.json?locale=en",
        &[("Content-Type", "application/json")],
        Some(json_body.as_bytes()),
    );
    let error = json_error(&reply, 400);
    assert!(
        error.contains("application/x-www-form-urlencoded"),
        "{error}"
    );

    assert_eq!(complaint_total(&server, 22), before, "nothing stored");

    // The key works, is listed by name only, and once removed is refused.
    let reply = post(
        &server,
        "/open311/v2/requests.json",
        &valid(&[("api_key", key.as_str())]),
        &[],
    );
    assert_json(&reply, 200);
    let listed = server.run_cli(["open311", "key", "list"]);
    assert!(listed.status.success(), "{}", describe(&listed));
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.contains("third-party.app") && !text.contains(&key),
        "{text}"
    );
    let again = server.run_cli(["open311", "key", "add", "third-party.app"]);
    assert!(!again.status.success(), "a name is issued once");
    let removed = server.run_cli(["open311", "key", "remove", "third-party.app"]);
    assert!(removed.status.success(), "{}", describe(&removed));
    let reply = post(
        &server,
        "/open311/v2/requests.json",
        &valid(&[("api_key", key.as_str())]),
        &[],
    );
    json_error(&reply, 403);
    assert_eq!(complaint_total(&server, 23), before + 1);
}

/// `daylight admin add …` with the password on standard input.
fn add_account(server: &TestServer, args: &[&str], password: &str) {
    let mut child = Command::new(binary())
        .current_dir(server.data_dir())
        .arg("--data-dir")
        .arg(server.data_dir())
        .args(["admin", "add"])
        .args(args)
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daylight admin add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password");
    let output = child.wait_with_output().expect("daylight admin add");
    assert!(output.status.success(), "{}", describe(&output));
}

/// A back-office form post with the session cookie.
fn admin_post(server: &TestServer, path: &str, cookies: &str, fields: &[(&str, &str)]) -> Reply {
    post(server, path, fields, &[("Cookie", cookies)])
}

/// `name=value` of every cookie a reply sets.
fn set_cookies(reply: &Reply) -> String {
    reply
        .header_all("set-cookie")
        .iter()
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Signs in to the back office; the session's `Cookie` header value.
fn sign_in(server: &TestServer, user: &str, password: &str) -> String {
    let form = server.get("/admin/login");
    assert_eq!(form.status, 200, "{}", excerpt(&form.body));
    let csrf = between(&form.body, r#"name="csrf" value=""#, "\"")
        .expect("a CSRF token")
        .to_owned();
    let reply = admin_post(
        server,
        "/admin/login",
        &set_cookies(&form),
        &[("csrf", &csrf), ("username", user), ("password", password)],
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    set_cookies(&reply)
}

/// An officer's action on a complaint's page (status change, reply).
fn act(server: &TestServer, cookie: &str, code: &str, fields: &[(&str, &str)]) {
    let page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", cookie)]);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    let csrf = between(&page.body, r#"name="csrf" value=""#, "\"")
        .expect("a CSRF token")
        .to_owned();
    let expected = between(&page.body, r#"name="expected" value=""#, "\"")
        .expect("the expected status")
        .to_owned();
    let mut all = vec![("csrf", csrf.as_str()), ("expected", expected.as_str())];
    all.extend_from_slice(fields);
    let reply = admin_post(server, &format!("/admin/complaint/{code}"), cookie, &all);
    assert_eq!(reply.status, 303, "{fields:?}: {}", excerpt(&reply.body));
}

#[test]
fn an_officers_public_reply_and_closing_show_as_status_notes_and_closed() {
    let server = TestServer::start();
    let key = issue_key(&server, "hotline");
    let created = assert_json(
        &post(
            &server,
            "/open311/v2/requests.json",
            &[
                ("api_key", key.as_str()),
                ("service_code", "water"),
                ("lat", BEILIN.0),
                ("long", BEILIN.1),
                ("description", "河水发黑发臭"),
            ],
            &[],
        ),
        200,
    );
    let id = created[0]["service_request_id"]
        .as_str()
        .expect("id")
        .to_string();
    add_account(&server, &["root", "--role", "admin"], "root-password-1");
    let cookie = sign_in(&server, "root", "root-password-1");
    act(
        &server,
        &cookie,
        &id,
        &[("action", "status"), ("status", "accepted")],
    );
    act(
        &server,
        &cookie,
        &id,
        &[("action", "note"), ("body", "internal-note-secret")],
    );
    act(
        &server,
        &cookie,
        &id,
        &[
            ("action", "reply"),
            ("body", "经现场核查，已责令企业整改 <排污口> & 罚款"),
        ],
    );
    act(
        &server,
        &cookie,
        &id,
        &[("action", "status"), ("status", "investigating")],
    );
    act(
        &server,
        &cookie,
        &id,
        &[("action", "status"), ("status", "closed_founded")],
    );

    let one = assert_json(&server.get(&format!("/open311/v2/requests/{id}.json")), 200);
    let request = &one[0];
    assert_eq!(request["status"], "closed");
    assert_eq!(
        request["status_notes"],
        "经现场核查，已责令企业整改 <排污口> & 罚款"
    );
    assert!(
        request["updated_datetime"].as_str() >= request["requested_datetime"].as_str(),
        "{request}"
    );
    let xml = server.get(&format!("/open311/v2/requests/{id}.xml"));
    let xml = assert_xml(&xml, 200);
    assert!(
        xml.contains("<status>closed</status><status_notes>经现场核查，已责令企业整改 &lt;排污口&gt; &amp; 罚款</status_notes>"),
        "{xml}"
    );
    assert!(!xml.contains("internal-note-secret"), "{xml}");
    let closed = assert_json(&server.get("/open311/v2/requests.json?status=closed"), 200);
    assert_eq!(closed.as_array().map(Vec::len), Some(1), "{closed}");
    let open = assert_json(&server.get("/open311/v2/requests.json?status=open"), 200);
    assert_eq!(open, Value::Array(Vec::new()));
}
