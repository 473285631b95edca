//! The rest of the back office (issue 6): assignment to a named officer of the complaint's
//! district, a finding that links the enterprise (public on the register and the
//! enterprise's page), new complaints reaching an open queue live (server-sent events, per
//! district), Open311's `media_url`; every decision on the audit chain, which
//! `daylight audit verify` checks against what the complaint says.

use std::time::{Duration, Instant};

use daylight_tests::backoffice::{
    act, add_account, audit_verify, file_complaint, post, sign_in, sqlite,
};
use daylight_tests::form::{csrf_of, two_districts};
use daylight_tests::{between, eventually, excerpt, readable_html, Reply, TestServer};

/// The demo's coal power plant, and its gas-fired neighbour.
const PLANT: &str = "91610111MA6DM0001J";
const GAS_PLANT: &str = "91610112MA6DM00024";

fn page(server: &TestServer, cookie: &str, path: &str) -> String {
    let reply = server.get_with(path, &[("Cookie", cookie)]);
    assert_eq!(reply.status, 200, "{path}: {}", excerpt(&reply.body));
    reply.body
}

fn records(server: &TestServer) -> String {
    let out = audit_verify(server).expect("the chain is intact");
    between(&out, "intact: ", " records")
        .expect("a count")
        .to_owned()
}

fn alert(reply: &Reply) -> String {
    between(&reply.body, "role=\"alert\">", "</p>")
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn complaints_are_assigned_to_an_officer_of_their_district_on_the_record() {
    let server = TestServer::start();
    let (own, other, inside) = two_districts(&server);
    for (name, args) in [
        (
            "li",
            vec!["--role", "district-officer", "--district", own.as_str()],
        ),
        (
            "zhang",
            vec!["--role", "district-officer", "--district", own.as_str()],
        ),
        (
            "wang",
            vec!["--role", "district-officer", "--district", other.as_str()],
        ),
        ("chen", vec!["--role", "city-supervisor"]),
    ] {
        let mut all = vec![name];
        all.extend(args);
        add_account(&server, &all, &format!("{name}-password-1"));
    }
    let code = file_complaint(&server, inside, "odour", "198.51.100.70");
    let li = sign_in(&server, "li", "li-password-1");
    let zhang = sign_in(&server, "zhang", "zhang-password-1");
    let wang = sign_in(&server, "wang", "wang-password-1");
    let path = format!("/admin/complaint/{code}");

    // The form offers the district's officers only.
    let detail = page(&server, &li, &path);
    let form = between(&detail, "name=\"assignee\">", "</select>").expect("the assign form");
    assert!(
        form.contains("value=\"li\"") && form.contains("value=\"zhang\""),
        "{form}"
    );
    assert!(!form.contains("wang") && !form.contains("chen"), "{form}");
    assert!(detail.contains("未分派") || detail.contains("Unassigned"));

    let done = act(
        &server,
        &li,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "zhang"),
            ("expected_assignee", ""),
        ],
    );
    assert_eq!(done.status, 303, "{}", excerpt(&done.body));
    let detail = page(&server, &li, &path);
    assert!(
        detail.contains("data-assignee=\"zhang\""),
        "{}",
        excerpt(&detail)
    );
    // The history names who assigned, and the change.
    let history = between(&detail, "class=\"admin-history\"", "</ol>").expect("history");
    assert!(history.contains("event-assignment"), "{history}");
    assert!(
        history.contains("li") && history.contains("→ zhang"),
        "{history}"
    );

    // The queue shows the assignee; "assigned to me" is zhang's, not li's.
    let queue = page(&server, &li, "/admin");
    let row = between(&queue, &format!("data-code=\"{code}\""), "</tr>").expect("the row");
    assert!(row.contains("data-assignee=\"zhang\""), "{row}");
    assert!(page(&server, &zhang, "/admin?assigned=me").contains(&format!("data-code=\"{code}\"")));
    assert!(!page(&server, &li, "/admin?assigned=me").contains(&format!("data-code=\"{code}\"")));
    assert!(!page(&server, &li, "/admin?assigned=none").contains(&format!("data-code=\"{code}\"")));
    let csv = server.get_with("/admin/export.csv?assigned=me", &[("Cookie", &zhang)]);
    assert!(
        csv.body.contains(&code) && csv.body.contains(",zhang,"),
        "{}",
        csv.body
    );
    let before = records(&server);

    // Another district's officer, a city supervisor (not a district complaint's handler)
    // and an unknown name: refused with a message, nothing written.
    let refused = act(
        &server,
        &li,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "wang"),
            ("expected_assignee", "zhang"),
        ],
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    assert!(alert(&refused).contains("wang"), "{}", alert(&refused));
    let supervisor = act(
        &server,
        &li,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "chen"),
            ("expected_assignee", "zhang"),
        ],
    );
    assert_eq!(supervisor.status, 403, "{}", excerpt(&supervisor.body));
    let unknown = act(
        &server,
        &li,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "nobody"),
            ("expected_assignee", "zhang"),
        ],
    );
    assert_eq!(unknown.status, 422, "{}", excerpt(&unknown.body));
    // Someone else assigned it meanwhile: 409.
    let stale = act(
        &server,
        &li,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "li"),
            ("expected_assignee", ""),
        ],
    );
    assert_eq!(stale.status, 409, "{}", excerpt(&stale.body));
    // The other district's officer may not touch it at all.
    let wang_csrf = csrf_of(&page(&server, &wang, "/admin"));
    let foreign = post(
        &server,
        &path,
        &wang,
        &[
            ("csrf", &wang_csrf),
            ("action", "assign"),
            ("assignee", "wang"),
            ("expected_assignee", "zhang"),
        ],
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(records(&server), before, "nothing was written");
    assert!(page(&server, &li, &path).contains("data-assignee=\"zhang\""));

    // Taken back and verified; then tampering with the assignment is found.
    let back = act(
        &server,
        &zhang,
        &code,
        &[
            ("action", "assign"),
            ("assignee", "li"),
            ("expected_assignee", "zhang"),
        ],
    );
    assert_eq!(back.status, 303, "{}", excerpt(&back.body));
    let intact = audit_verify(&server).expect("intact");
    assert!(intact.contains("3 records of 1 complaints"), "{intact}");

    sqlite(&server, "UPDATE complaint_handling SET assignee = 'wang';");
    let err = audit_verify(&server).expect_err("an edited assignee");
    assert!(err.contains(&code) && err.contains("assignee"), "{err}");
    assert!(err.contains("record 3 "), "{err}");
    sqlite(
        &server,
        "UPDATE complaint_handling SET assignee = 'li'; \
         DROP TRIGGER complaint_events_no_update; \
         UPDATE complaint_events SET body = replace(body, 'after=zhang', 'after=wang') \
         WHERE kind = 'assignment';",
    );
    let err = audit_verify(&server).expect_err("an edited assignment record");
    assert!(err.contains("record 2 ") && err.contains("edited"), "{err}");
}

#[test]
fn a_founded_complaint_names_its_enterprise_in_public_and_corrections_are_recorded() {
    let server = TestServer::start();
    let (own, other, inside) = two_districts(&server);
    add_account(
        &server,
        &["li", "--role", "district-officer", "--district", &own],
        "li-password-1",
    );
    add_account(
        &server,
        &["wang", "--role", "district-officer", "--district", &other],
        "wang-password-1",
    );
    let code = file_complaint(&server, inside, "air", "198.51.100.71");
    let li = sign_in(&server, "li", "li-password-1");
    let wang = sign_in(&server, "wang", "wang-password-1");
    let path = format!("/admin/complaint/{code}");
    for status in ["accepted", "investigating"] {
        let done = act(
            &server,
            &li,
            &code,
            &[("action", "status"), ("status", status)],
        );
        assert_eq!(done.status, 303, "{}", excerpt(&done.body));
    }
    // The list to pick from is the registry (works without JavaScript).
    let detail = page(&server, &li, &path);
    assert!(
        detail.contains(&format!("<option value=\"{PLANT}\">")),
        "{}",
        excerpt(&detail)
    );
    let before = records(&server);

    // Refused, nothing written: an enterprise with another outcome, a name that fits
    // several, one the registry does not have, another district's officer.
    let unfounded = act(
        &server,
        &li,
        &code,
        &[
            ("action", "status"),
            ("status", "closed_unfounded"),
            ("enterprise", PLANT),
        ],
    );
    assert_eq!(unfounded.status, 422, "{}", excerpt(&unfounded.body));
    let several = act(
        &server,
        &li,
        &code,
        &[
            ("action", "status"),
            ("status", "closed_founded"),
            ("enterprise", "热电"),
        ],
    );
    assert_eq!(several.status, 422, "{}", excerpt(&several.body));
    assert!(alert(&several).contains(GAS_PLANT), "{}", alert(&several));
    let unknown = act(
        &server,
        &li,
        &code,
        &[
            ("action", "status"),
            ("status", "closed_founded"),
            ("enterprise", "钢铁厂"),
        ],
    );
    assert_eq!(unknown.status, 422);
    let wang_csrf = csrf_of(&page(&server, &wang, "/admin"));
    let foreign = post(
        &server,
        &path,
        &wang,
        &[
            ("csrf", &wang_csrf),
            ("action", "status"),
            ("status", "closed_founded"),
            ("expected", "investigating"),
            ("enterprise", PLANT),
        ],
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(records(&server), before, "nothing was written");

    // Closed as founded against the coal plant, named by (part of) its name.
    let closed = act(
        &server,
        &li,
        &code,
        &[
            ("action", "status"),
            ("status", "closed_founded"),
            ("enterprise", "示例热电"),
        ],
    );
    assert_eq!(closed.status, 303, "{}", excerpt(&closed.body));
    let detail = page(&server, &li, &path);
    assert!(
        detail.contains(&format!("data-enterprise=\"{PLANT}\"")),
        "{}",
        excerpt(&detail)
    );
    assert!(detail.contains("event-enterprise_link"));

    // Public: the register's row links the enterprise; the enterprise's page lists the
    // complaint with its code, kind and dates, and nothing about the reporter.
    let register = eventually("the finding on the register", || {
        let body = readable_html(&server.get("/complaints").body);
        match between(
            &body,
            &format!("<tr id=\"complaint-{code}\" data-code=\"{code}\""),
            "</tr>",
        ) {
            Some(row) if row.contains(&format!("href=\"/enterprise/{PLANT}\"")) => Ok(body),
            _ => Err(excerpt(&body)),
        }
    });
    assert!(!register.contains("13800138000"));
    let enterprise = eventually("the complaint on the enterprise's page", || {
        let body = readable_html(&server.get(&format!("/enterprise/{PLANT}")).body);
        match between(&body, "class=\"found-complaints\"", "</section>") {
            Some(section) if section.contains(&code) => Ok(section.to_owned()),
            _ => Err(excerpt(&body)),
        }
    });
    assert!(enterprise.contains("大气污染"), "{enterprise}");
    for private in ["13800138000", "刺鼻气味"] {
        assert!(!enterprise.contains(private), "{private}: {enterprise}");
    }
    let gas = readable_html(&server.get(&format!("/enterprise/{GAS_PLANT}")).body);
    assert!(!gas.contains(&code));

    // A correction: the gas plant instead. Both pages follow; the chain has both links.
    let corrected = act(
        &server,
        &li,
        &code,
        &[
            ("action", "enterprise"),
            ("enterprise", GAS_PLANT),
            ("expected_enterprise", PLANT),
        ],
    );
    assert_eq!(corrected.status, 303, "{}", excerpt(&corrected.body));
    eventually("the correction on both enterprise pages", || {
        let gas = server.get(&format!("/enterprise/{GAS_PLANT}")).body;
        let coal = server.get(&format!("/enterprise/{PLANT}")).body;
        if gas.contains(&code) && !coal.contains(&code) {
            Ok(())
        } else {
            Err("not yet".into())
        }
    });
    let intact = audit_verify(&server).expect("intact");
    // received, accepted, investigating, closed_founded, link, correction.
    assert!(intact.contains("6 records of 1 complaints"), "{intact}");

    sqlite(
        &server,
        &format!("UPDATE complaint_handling SET enterprise = '{PLANT}';"),
    );
    let err = audit_verify(&server).expect_err("an edited link");
    assert!(
        err.contains("linked enterprise") && err.contains("record 6 "),
        "{err}"
    );
}

/// A small JPEG with EXIF (the e2e fixture).
fn photo() -> Vec<u8> {
    std::fs::read(daylight_tests::workspace_root().join("tests/e2e/fixtures/balcony.jpg"))
        .expect("the fixture")
}

fn multipart(fields: &[(&str, &str)], photo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----daylight-handling-test";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn open311_gives_the_published_photos_address_as_media_url() {
    let server = TestServer::start();
    let (own, _other, inside) = two_districts(&server);
    add_account(
        &server,
        &["li", "--role", "district-officer", "--district", &own],
        "li-password-1",
    );
    let form = server.get("/report");
    let key = between(&form.body, r#"name="key" value=""#, "\"")
        .expect("key")
        .to_owned();
    let observed = between(&form.body, r#"name="observed" value=""#, "\"")
        .expect("observed")
        .to_owned();
    let (lat, lon) = (inside.lat.to_string(), inside.lon.to_string());
    let (content_type, body) = multipart(
        &[
            ("key", &key),
            ("category", "water"),
            ("description", "河面有油污"),
            ("observed", &observed),
            ("lat", &lat),
            ("lon", &lon),
            ("consent", "yes"),
        ],
        &photo(),
    );
    let sent = server.request(
        "POST",
        "/report",
        &[
            ("Content-Type", &content_type),
            ("X-Forwarded-For", "198.51.100.72"),
        ],
        Some(&body),
    );
    assert_eq!(sent.status, 303, "{}", excerpt(&sent.body));
    let follow = sent.header("location").expect("location").to_owned();
    let code = between(
        &readable_html(&server.get(&follow).body),
        r#"data-code=""#,
        "\"",
    )
    .expect("code")
    .to_owned();
    let json = |server: &TestServer| {
        server.get_json(&format!("/open311/v2/requests/{code}.json"))[0]["media_url"].clone()
    };
    assert_eq!(json(&server), serde_json::Value::Null, "not published yet");

    let li = sign_in(&server, "li", "li-password-1");
    let csrf = csrf_of(&page(&server, &li, &format!("/admin/complaint/{code}")));
    let publish = |value: &str| {
        let reply = post(
            &server,
            &format!("/admin/complaint/{code}/photos/1"),
            &li,
            &[("csrf", &csrf), ("publishable", value)],
        );
        assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    };
    publish("1");
    let expected = server.url(&format!("/complaints/{code}/photos/1"));
    assert_eq!(json(&server), serde_json::Value::String(expected.clone()));
    let list = server.get_json(&format!(
        "/open311/v2/requests.json?service_request_id={code}"
    ));
    assert_eq!(list[0]["media_url"], expected.as_str());
    let xml = server.get(&format!("/open311/v2/requests/{code}.xml")).body;
    assert!(
        xml.contains(&format!("<media_url>{expected}</media_url>")),
        "{xml}"
    );
    // What it points to is the public copy, without the EXIF the original has.
    let image = server.get(&format!("/complaints/{code}/photos/1"));
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), Some("image/jpeg"));

    publish("0");
    assert_eq!(json(&server), serde_json::Value::Null, "withdrawn");
}

#[test]
fn an_open_queue_receives_its_districts_new_complaints_live_and_nothing_else() {
    let server = TestServer::start();
    let (own, other, inside) = two_districts(&server);
    let districts = server.get_json("/api/v1/districts");
    let elsewhere = daylight_tests::form::multipolygon(&districts["features"][1]["geometry"])
        .interior_point()
        .expect("a point in the other district");
    add_account(
        &server,
        &["li", "--role", "district-officer", "--district", &own],
        "li-password-1",
    );
    add_account(
        &server,
        &["wang", "--role", "district-officer", "--district", &other],
        "wang-password-1",
    );
    add_account(
        &server,
        &["chen", "--role", "city-supervisor"],
        "chen-password-1",
    );
    let li = sign_in(&server, "li", "li-password-1");
    let wang = sign_in(&server, "wang", "wang-password-1");
    let chen = sign_in(&server, "chen", "chen-password-1");

    // The page: its stream's address, its script (a file, allowed by the policy).
    let queue = server.get_with("/admin", &[("Cookie", &li)]);
    let policy = queue
        .header("content-security-policy")
        .unwrap_or("")
        .to_owned();
    assert!(
        policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );
    assert!(queue
        .body
        .contains("<script src=\"/admin/queue.js\" defer></script>"));
    let live = between(&queue.body, "data-live=\"", "\"")
        .expect("the stream")
        .replace("&amp;", "&");
    assert!(live.starts_with("/admin/live?after="), "{live}");
    let script = server.get("/admin/queue.js");
    assert_eq!(script.status, 200);
    assert!(script
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/javascript"));
    assert!(script.body.contains("EventSource"));

    // Without a session: refused.
    let anonymous = server.open_stream(&live);
    assert!(
        anonymous.head.starts_with("HTTP/1.0 403") || anonymous.head.starts_with("HTTP/1.1 403"),
        "{}",
        anonymous.head
    );

    let mut li_stream = server.open_stream_with(&live, &[("Cookie", &li)]);
    assert!(li_stream.head.contains(" 200 "), "{}", li_stream.head);
    assert!(
        li_stream.head.contains("text/event-stream"),
        "{}",
        li_stream.head
    );
    let mut wang_stream = server.open_stream_with(&live, &[("Cookie", &wang)]);
    let mut chen_stream = server.open_stream_with("/admin/live", &[("Cookie", &chen)]);
    // li's queue filtered to closed complaints: a new one is not for it.
    let mut closed_stream =
        server.open_stream_with("/admin/live?status=closed_founded", &[("Cookie", &li)]);

    let started = Instant::now();
    let mine = file_complaint(&server, inside, "noise", "198.51.100.73");
    let event = li_stream.next_event(Duration::from_secs(5));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(event.name, "complaint");
    let data: serde_json::Value = serde_json::from_str(&event.data).expect("JSON");
    assert_eq!(data["code"], mine.as_str());
    let row = data["row"].as_str().expect("a row");
    assert!(
        row.starts_with("<tr") && row.contains(&format!("href=\"/admin/complaint/{mine}\"")),
        "{row}"
    );
    assert!(
        !row.contains("13800138000") && !row.contains("<b>"),
        "{row}"
    );
    let supervised = chen_stream.next_event(Duration::from_secs(5));
    assert!(supervised.data.contains(&mine));

    // Another district's complaint reaches its own officer, not li.
    let theirs = file_complaint(&server, elsewhere, "noise", "198.51.100.74");
    let event = wang_stream.next_event(Duration::from_secs(5));
    assert!(
        event.data.contains(&theirs) && !event.data.contains(&mine),
        "{}",
        event.data
    );
    assert!(chen_stream
        .next_event(Duration::from_secs(5))
        .data
        .contains(&theirs));
    assert_eq!(li_stream.try_next_event(Duration::from_secs(2)), None);
    assert_eq!(
        closed_stream.try_next_event(Duration::from_millis(500)),
        None
    );

    // Signed out: the stream ends instead of carrying the next complaint.
    let csrf = csrf_of(&queue.body);
    assert_eq!(
        post(&server, "/admin/logout", &li, &[("csrf", &csrf)]).status,
        303
    );
    let later = file_complaint(&server, inside, "noise", "198.51.100.75");
    assert!(chen_stream
        .next_event(Duration::from_secs(5))
        .data
        .contains(&later));
    assert_eq!(li_stream.try_next_event(Duration::from_secs(2)), None);
}
