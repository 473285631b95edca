//! The evidence snapshot's nearby enterprises (issue 6, item 2): a complaint filed next to
//! a demo enterprise carries that enterprise's distance and latest values against its limits,
//! which the officer reads beside the complaint and the reporter on the follow-up page; a
//! complaint far from every enterprise carries none; the public register never shows them.

use daylight_domain::geo::{distance_m, LonLat};
use daylight_tests::backoffice::{add_account, sign_in};
use daylight_tests::form::form_body;
use daylight_tests::{between, excerpt, readable_html, TestServer};

/// The demo's coal-fired power plant (示例热电, 灞桥区), with automatic monitoring.
const PLANT: &str = "91610111MA6DM0001J";

/// The demo enterprises with a registered position: (credit code, name, position).
fn located_enterprises(server: &TestServer) -> Vec<(String, String, LonLat)> {
    let geojson = server.get_json("/api/v1/enterprises.geojson");
    geojson["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| {
            let c = f["geometry"]["coordinates"].as_array()?;
            let at = LonLat::new(c.first()?.as_f64()?, c.get(1)?.as_f64()?).ok()?;
            Some((
                f["properties"]["credit_code"].as_str()?.to_owned(),
                f["properties"]["name"].as_str()?.to_owned(),
                at,
            ))
        })
        .collect()
}

/// Files a complaint at `at` through the form; its tracking code and follow-up page.
fn file_at(server: &TestServer, at: LonLat, client: &str) -> (String, String) {
    let form = server.get("/report");
    let key = between(&form.body, r#"name="key" value=""#, "\"").expect("key");
    let observed = between(&form.body, r#"name="observed" value=""#, "\"").expect("observed");
    let (lat, lon) = (at.lat.to_string(), at.lon.to_string());
    let body = form_body(&[
        ("key", key),
        ("category", "odour"),
        ("description", "夜里有刺鼻气味"),
        ("observed", observed),
        ("lat", &lat),
        ("lon", &lon),
        ("consent", "yes"),
    ]);
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
    let follow = reply.header("location").expect("location");
    let page = server.get(follow);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    let page = readable_html(&page.body);
    let code = between(&page, r#"class="tracking-code">"#, "<")
        .expect("tracking code")
        .to_owned();
    (code, page)
}

fn officer_page(server: &TestServer, cookie: &str, code: &str) -> String {
    let reply = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", cookie)]);
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    reply.body
}

/// The officer's section of nearby enterprises.
fn nearby_section(html: &str) -> &str {
    between(
        html,
        r#"<section class="admin-nearby-enterprises">"#,
        "</section>",
    )
    .expect("the nearby enterprises section")
}

#[test]
fn a_complaint_next_to_an_enterprise_carries_its_latest_values_and_a_far_one_none() {
    let server = TestServer::start();
    let enterprises = located_enterprises(&server);
    let (code, name, position) = enterprises
        .iter()
        .find(|(code, _, _)| code == PLANT)
        .cloned()
        .expect("the demo's power plant has a position");
    // About 110 m north of the enterprise.
    let near = LonLat::new(position.lon, position.lat + 0.001).expect("near");
    // A point more than 20 km from every located enterprise (searched on a grid around it).
    let far = (-8..=8)
        .flat_map(|i| (-8..=8).map(move |j| (i, j)))
        .filter_map(|(i, j)| {
            LonLat::new(
                position.lon + f64::from(i) * 0.1,
                position.lat + f64::from(j) * 0.1,
            )
            .ok()
        })
        .find(|p| {
            enterprises
                .iter()
                .all(|(_, _, e)| distance_m(*p, *e) > 20_000.0)
        })
        .expect("a point far from every enterprise");

    add_account(&server, &["wang", "--role", "admin"], "wang-password-1");
    let cookie = sign_in(&server, "wang", "wang-password-1");

    let (near_code, follow) = file_at(&server, near, "198.51.100.31");
    let html = officer_page(&server, &cookie, &near_code);
    let section = nearby_section(&html);
    let item = between(section, &format!(r#"<li data-code="{code}""#), "</ul>")
        .unwrap_or_else(|| panic!("{code} is not listed: {section}"));
    assert!(
        item.contains(&format!(r#"<a href="/enterprise/{code}">"#)),
        "{item}"
    );
    // Its distance (about 110 m) and its latest values against their limits.
    let distance: f64 = between(item, r#"data-distance=""#, "\"")
        .and_then(|d| d.parse().ok())
        .expect("a distance");
    assert!((80.0..150.0).contains(&distance), "{distance}");
    assert!(item.contains(r#"<ul class="latest"><li>"#), "{item}");
    assert!(item.contains("mg/m³"), "{item}");
    assert!(item.contains("限值") || item.contains("limit"), "{item}");
    // The reporter's follow-up page shows it too.
    let reporter = between(
        &follow,
        r#"class="nearby-enterprise-evidence""#,
        "</section>",
    )
    .expect("the follow-up page's nearby enterprises");
    assert!(
        reporter.contains(&format!(r#"data-code="{code}""#)) && reporter.contains(&name),
        "{reporter}"
    );

    let (far_code, far_follow) = file_at(&server, far, "198.51.100.32");
    let html = officer_page(&server, &cookie, &far_code);
    let section = nearby_section(&html);
    assert!(section.contains(r#"<p class="empty">"#), "{section}");
    assert!(!section.contains("data-code"), "{section}");
    assert!(!far_follow.contains("nearby-enterprise-evidence"));

    // Never public: the register and its API do not name the enterprise.
    for path in ["/complaints", "/api/v1/complaints"] {
        let public = server.get(path).body;
        assert!(!public.contains(&name), "{path} names {name}");
    }
}
