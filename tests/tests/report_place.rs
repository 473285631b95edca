//! The report form's location and suspected enterprise (issue 6): a point as the map picker
//! writes it reaches the district that contains it and the officer sees it; the suspected
//! enterprise is linked to the registry (picked, or typed as a code or an exact name) with
//! its self-monitoring in the evidence snapshot, or kept as the resident's text; neither is
//! ever public; coordinates that are none are refused with 400 and nothing stored.

use std::io::Write;
use std::process::{Command, Stdio};

use daylight_domain::geo::LonLat;
use daylight_tests::form::{encode, form_body, set_cookies, two_districts};
use daylight_tests::{between, binary, describe, excerpt, readable_html, Reply, TestServer};

const BOUNDARY: &str = "----daylight-place-41c7";
/// The demo's coal-fired power plant (示例热电, 灞桥区).
const PLANT: &str = "91610111MA6DM0001J";
const PLANT_NAME: &str = "示例热电有限公司（示例企业）";

fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A fresh form's key and pre-filled time.
fn fresh_form(server: &TestServer) -> (String, String) {
    let reply = server.get("/report");
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    let key = between(&reply.body, r#"name="key" value=""#, "\"")
        .expect("key")
        .to_owned();
    let observed = between(&reply.body, r#"name="observed" value=""#, "\"")
        .expect("observed")
        .to_owned();
    (key, observed)
}

/// Posts the form as the browser does (multipart), with `extra` fields after the usual.
fn submit(server: &TestServer, client: &str, extra: &[(&str, &str)]) -> Reply {
    let (key, observed) = fresh_form(server);
    let mut fields = vec![
        ("key", key.as_str()),
        ("category", "odour"),
        ("description", "夜里有刺鼻的焦糊味"),
        ("observed", observed.as_str()),
        ("consent", "yes"),
        ("website", ""),
    ];
    fields.extend_from_slice(extra);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    server.request(
        "POST",
        "/report",
        &[
            ("Content-Type", content_type.as_str()),
            ("X-Forwarded-For", client),
        ],
        Some(&multipart(&fields)),
    )
}

/// The follow-up page a successful submission redirects to.
fn follow_page(server: &TestServer, reply: &Reply) -> String {
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    let follow = reply.header("location").expect("a Location");
    let page = server.get(follow);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    readable_html(&page.body)
}

fn tracking_code(page: &str) -> String {
    between(page, r#"class="tracking-code">"#, "<")
        .expect("a tracking code")
        .to_owned()
}

fn total(server: &TestServer, limit: u32) -> u64 {
    server.get_json(&format!("/api/v1/complaints?limit={limit}"))["total"]
        .as_u64()
        .expect("total")
}

fn add_officer(server: &TestServer, name: &str, district: Option<&str>) -> String {
    let password = format!("{name}-password-1");
    let mut args = vec!["admin", "add", name, "--role"];
    match district {
        Some(adcode) => args.extend(["district-officer", "--district", adcode]),
        None => args.push("admin"),
    }
    let mut child = Command::new(binary())
        .arg("--data-dir")
        .arg(server.data_dir())
        .args(&args)
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

    let form = server.get("/admin/login");
    let cookie = set_cookies(&form).join("; ");
    let csrf = between(&form.body, r#"name="csrf" value=""#, "\"")
        .expect("csrf")
        .to_owned();
    let body = form_body(&[("csrf", &csrf), ("username", name), ("password", &password)]);
    let reply = server.request(
        "POST",
        "/admin/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
            ("X-Forwarded-For", "203.0.113.77"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    set_cookies(&reply)
        .into_iter()
        .filter(|c| c.starts_with("daylight_admin="))
        .collect::<Vec<_>>()
        .join("; ")
}

fn officer_page(server: &TestServer, cookie: &str, code: &str) -> String {
    let reply = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", cookie)]);
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    reply.body
}

#[test]
fn the_form_offers_the_map_the_location_button_and_the_registry() {
    let server = TestServer::start();
    let html = readable_html(&server.get("/report").body);
    // The picker is hidden until the page's script runs; the fields work without it.
    assert!(html.contains(r#"<div hidden class="picker">"#));
    assert!(html.contains(r#"id="picker-map""#));
    assert!(html.contains("使用我的位置"));
    for name in ["lat", "lon", "address", "suspect", "suspect_code"] {
        assert!(
            html.contains(&format!(r#"name="{name}""#)),
            "{name} missing"
        );
    }
    // Without script: the registry as the field's list of suggestions.
    assert!(html.contains(r#"list="suspect-registry""#));
    let list =
        between(&html, r#"<datalist id="suspect-registry">"#, "</datalist>").expect("the registry");
    assert_eq!(list.matches("<option").count(), 10, "{list}");
    assert!(list.contains(&format!(r#"<option value="{PLANT_NAME}">{PLANT}</option>"#)));

    // In English.
    let en = server
        .get_with("/report", &[("Cookie", "daylight_lang=en")])
        .body;
    assert!(en.contains("Use my location") && en.contains("Suspected enterprise (optional)"));

    // The page's search (a server function): by part of a name or of a credit code.
    let search = |query: &str| {
        let reply = server.request(
            "POST",
            "/api/fn/report_enterprises",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(format!("query={}", encode(query)).as_bytes()),
        );
        assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
        reply.json()
    };
    let found = search("热电");
    let codes: Vec<&str> = found
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), 2, "{found}");
    assert!(codes.contains(&PLANT));
    assert_eq!(search("6dm0001j")[0]["name"], PLANT_NAME);
    assert_eq!(search("没有这家"), serde_json::json!([]));
}

#[test]
fn a_point_from_the_picker_reaches_its_district_and_its_officer_with_the_suspect() {
    let server = TestServer::start();
    let (adcode, _, inside) = two_districts(&server);
    let districts = server.get_json("/api/v1/districts");
    let name = districts["features"][0]["properties"]["name"]
        .as_str()
        .expect("name")
        .to_owned();
    // As the picker writes a tap: six decimals.
    let (lat, lon) = (format!("{:.6}", inside.lat), format!("{:.6}", inside.lon));
    let reply = submit(
        &server,
        "198.51.100.21",
        &[
            ("lat", &lat),
            ("lon", &lon),
            ("address", ""),
            // Picked from the search: the name in the field, the code in the hidden one.
            ("suspect", PLANT_NAME),
            ("suspect_code", PLANT),
        ],
    );
    let page = follow_page(&server, &reply);
    let code = tracking_code(&page);
    let routed = between(&page, r#"<dd class="district">"#, "</dd>").expect("district");
    assert_eq!(routed, name, "a point at {inside:?}");
    assert!(page.contains(&format!(r#"<dd data-code="{PLANT}" class="suspect">"#)));
    // The plant's self-monitoring at that moment is in the evidence.
    let evidence = between(&page, r#"class="enterprise-evidence">"#, "</div>")
        .expect("the enterprise's evidence");
    assert!(evidence.contains(&format!(r#"href="/enterprise/{PLANT}""#)));
    assert!(evidence.contains("mg/m³"), "{evidence}");

    // The district's officer sees the point and the linked enterprise.
    let cookie = add_officer(&server, "zhao", Some(&adcode));
    let html = officer_page(&server, &cookie, &code);
    assert!(
        html.contains(&format!("{:.5}, {:.5}", inside.lat, inside.lon)),
        "{}",
        excerpt(&html)
    );
    let suspect = between(&html, r#"<p class="admin-suspect">"#, "</p>").expect("the suspect");
    assert!(suspect.contains(&format!(r#"<a href="/enterprise/{PLANT}">"#)));
    assert!(suspect.contains(PLANT_NAME));
    // The evidence snapshot the officer reads holds the plant's latest values.
    assert!(html.contains(&format!("&quot;code&quot;: &quot;{PLANT}&quot;")));
    assert!(html.contains("&quot;latest&quot;"));

    // Nothing of it is public.
    let register = server.get("/complaints").body;
    let api = server.get("/api/v1/complaints?limit=5").body;
    for public in [&register, &api] {
        assert!(public.contains(&code));
        assert!(!public.contains(PLANT) && !public.contains("示例热电"));
    }
}

#[test]
fn an_unknown_name_is_kept_as_text_and_a_typed_code_links_without_script() {
    let server = TestServer::start();
    let (_, _, inside) = two_districts(&server);
    let (lat, lon) = (inside.lat.to_string(), inside.lon.to_string());
    let unknown = "河边那家没挂牌的化工厂 <b>夜里排</b>";
    let reply = submit(
        &server,
        "198.51.100.31",
        &[("lat", &lat), ("lon", &lon), ("suspect", unknown)],
    );
    let page = follow_page(&server, &reply);
    let code = tracking_code(&page);
    let shown = between(&page, r#"<dd class="suspect">"#, "</dd>").expect("the suspect");
    assert!(
        shown.contains("河边那家没挂牌的化工厂 &lt;b&gt;夜里排&lt;/b&gt;"),
        "{shown}"
    );
    assert!(shown.contains("未在企业名录中"));
    assert!(!page.contains("enterprise-evidence"));
    let cookie = add_officer(&server, "root", None);
    let html = officer_page(&server, &cookie, &code);
    let suspect = between(&html, r#"<p class="admin-suspect">"#, "</p>").expect("the suspect");
    assert!(suspect.contains("&lt;b&gt;夜里排&lt;/b&gt;"), "{suspect}");
    assert!(!suspect.contains("<a "));

    // Without script nothing is picked: a credit code typed (in lowercase), or the exact
    // name, links the registry all the same; a forged hidden code does not.
    let reply = submit(
        &server,
        "198.51.100.32",
        &[
            ("address", "纺织城附近"),
            ("suspect", &PLANT.to_lowercase()),
        ],
    );
    let typed = tracking_code(&follow_page(&server, &reply));
    let html = officer_page(&server, &cookie, &typed);
    assert!(html.contains(&format!(r#"<a href="/enterprise/{PLANT}">"#)));
    let reply = submit(
        &server,
        "198.51.100.33",
        &[
            ("address", "纺织城附近"),
            ("suspect", "别的厂"),
            ("suspect_code", PLANT),
        ],
    );
    let forged = tracking_code(&follow_page(&server, &reply));
    let html = officer_page(&server, &cookie, &forged);
    let suspect = between(&html, r#"<p class="admin-suspect">"#, "</p>").expect("the suspect");
    assert!(
        suspect.contains("别的厂") && !suspect.contains(PLANT),
        "{suspect}"
    );
}

#[test]
fn bad_coordinates_are_refused_with_400_and_nothing_is_stored() {
    let server = TestServer::start();
    for (lat, lon) in [("95", "108.9"), ("34.26", "east"), ("NaN", "108.9")] {
        let reply = submit(
            &server,
            "198.51.100.41",
            &[("lat", lat), ("lon", lon), ("suspect", "示例")],
        );
        assert_eq!(reply.status, 400, "{lat},{lon}: {}", excerpt(&reply.body));
        let html = readable_html(&reply.body);
        assert!(html.contains("坐标无效"), "{}", excerpt(&html));
        // The form comes back as typed.
        assert!(html.contains(&format!(r#"name="lat" value="{lat}""#)));
        assert!(html.contains(r#"name="suspect" value="示例""#));
    }
    let en = {
        let (key, observed) = fresh_form(&server);
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        server.request(
            "POST",
            "/report",
            &[
                ("Content-Type", content_type.as_str()),
                ("Cookie", "daylight_lang=en"),
            ],
            Some(&multipart(&[
                ("key", &key),
                ("category", "noise"),
                ("description", "x"),
                ("observed", &observed),
                ("lat", "-91"),
                ("lon", "108.9"),
                ("consent", "yes"),
            ])),
        )
    };
    assert_eq!(en.status, 400);
    assert!(en.body.contains("Invalid coordinates"));

    // Too long a suspected enterprise: the form comes back (422) with a message.
    let long = "厂".repeat(101);
    let reply = submit(
        &server,
        "198.51.100.42",
        &[("address", "某路"), ("suspect", &long)],
    );
    assert_eq!(reply.status, 422, "{}", excerpt(&reply.body));
    assert!(reply.body.contains("企业名称不能超过 100 个字"));
    assert_eq!(total(&server, 3), 0, "nothing stored");
}

/// An officer of another district cannot open the complaint (the point routes it).
#[test]
fn the_point_decides_whose_queue_it_is() {
    let server = TestServer::start();
    let (own, other, inside) = two_districts(&server);
    let point: LonLat = inside;
    let (lat, lon) = (format!("{:.6}", point.lat), format!("{:.6}", point.lon));
    let reply = submit(&server, "198.51.100.51", &[("lat", &lat), ("lon", &lon)]);
    let code = tracking_code(&follow_page(&server, &reply));
    let own_cookie = add_officer(&server, "own", Some(&own));
    let other_cookie = add_officer(&server, "other", Some(&other));
    assert!(server
        .get_with("/admin", &[("Cookie", &own_cookie)])
        .body
        .contains(&code));
    let refused = server.get_with(
        &format!("/admin/complaint/{code}"),
        &[("Cookie", &other_cookie)],
    );
    assert_eq!(refused.status, 403);
}
