//! The complaints back office (issue 6, second slice): accounts on the command line, sign-in,
//! CSRF, what a district officer may see, status changes and public replies reaching the
//! reporter, the CSV export, and `daylight audit verify` catching a tampered history.

use std::io::Write;
use std::process::{Command, Stdio};

use daylight_domain::geo::LonLat;
use daylight_tests::form::{csrf_of, form_body, set_cookies, two_districts};
use daylight_tests::{
    between, binary, describe, eventually, excerpt, readable_html, Reply, TestServer,
};

fn post(server: &TestServer, path: &str, cookies: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_body(fields);
    server.request(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookies),
            ("X-Forwarded-For", "203.0.113.9"),
        ],
        Some(body.as_bytes()),
    )
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

/// Signs in; the `Cookie` header value of the session.
fn sign_in(server: &TestServer, user: &str, password: &str) -> Result<String, Reply> {
    let form = server.get("/admin/login");
    assert_eq!(form.status, 200, "{}", excerpt(&form.body));
    let login_cookie = set_cookies(&form).join("; ");
    let csrf = between(&form.body, r#"name="csrf" value=""#, "\"")
        .expect("a CSRF token on the sign-in form")
        .to_owned();
    let reply = post(
        server,
        "/admin/login",
        &login_cookie,
        &[("csrf", &csrf), ("username", user), ("password", password)],
    );
    if reply.status != 303 {
        return Err(reply);
    }
    let set = reply.header_all("set-cookie").join("\n");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/admin"), "{set}");
    Ok(set_cookies(&reply)
        .into_iter()
        .filter(|c| c.starts_with("daylight_admin="))
        .collect::<Vec<_>>()
        .join("; "))
}

/// Files a complaint with a contact; (tracking code, follow-up path).
fn file_complaint(server: &TestServer, at: LonLat, client: &str) -> (String, String) {
    let form = server.get("/report");
    let key = between(&form.body, r#"name="key" value=""#, "\"")
        .expect("key")
        .to_owned();
    let observed = between(&form.body, r#"name="observed" value=""#, "\"")
        .expect("observed")
        .to_owned();
    let (lat, lon) = (at.lat.to_string(), at.lon.to_string());
    let body = form_body(&[
        ("key", &key),
        ("category", "water"),
        ("description", "河里有白色泡沫 <b>"),
        ("observed", &observed),
        ("lat", &lat),
        ("lon", &lon),
        ("contact", "13800138000"),
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
    let follow = reply.header("location").expect("location").to_owned();
    let page = readable_html(&server.get(&follow).body);
    let code = between(&page, r#"data-code=""#, "\"")
        .expect("code")
        .to_owned();
    (code, follow.replace("?new=1", ""))
}

fn act(server: &TestServer, cookie: &str, code: &str, fields: &[(&str, &str)]) -> Reply {
    let page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", cookie)]);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    let csrf = csrf_of(&page.body);
    let expected = between(&page.body, r#"name="expected" value=""#, "\"")
        .expect("expected status")
        .to_owned();
    let mut all = vec![("csrf", csrf.as_str()), ("expected", expected.as_str())];
    all.extend_from_slice(fields);
    post(server, &format!("/admin/complaint/{code}"), cookie, &all)
}

#[test]
fn officers_sign_in_see_their_district_and_answer_the_reporter() {
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
    add_account(&server, &["root", "--role", "admin"], "root-password-1");
    let listed = server.run_cli(["admin", "list"]);
    let listed_text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed_text.contains("li") && listed_text.contains(&own),
        "{listed_text}"
    );
    assert!(!listed_text.contains("argon2"), "{listed_text}");

    let (code, follow) = file_complaint(&server, inside, "198.51.100.7");

    // Sign-in: a wrong password and an unknown user get the same answer.
    let wrong = sign_in(&server, "li", "not-the-password").expect_err("a wrong password");
    let unknown = sign_in(&server, "nobody", "li-password-1").expect_err("an unknown user");
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let message = |r: &Reply| between(&r.body, "role=\"alert\">", "<").map(str::to_owned);
    assert!(message(&wrong).is_some());
    assert_eq!(message(&wrong), message(&unknown));
    // Without a session, the queue sends to the sign-in page.
    assert_eq!(server.get("/admin").status, 303);

    let li = sign_in(&server, "li", "li-password-1").expect("li signs in");
    let wang = sign_in(&server, "wang", "wang-password-1").expect("wang signs in");
    let root = sign_in(&server, "root", "root-password-1").expect("root signs in");

    let queue = server.get_with("/admin", &[("Cookie", &li)]);
    assert_eq!(queue.status, 200, "{}", excerpt(&queue.body));
    assert!(queue.body.contains(&code), "{}", excerpt(&queue.body));
    let others = server.get_with("/admin", &[("Cookie", &wang)]);
    assert!(!others.body.contains(&code));
    let refused = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", &wang)]);
    assert_eq!(refused.status, 403);

    // The complaint page: everything, escaped, with the contact and the evidence.
    let page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", &li)]);
    assert!(page.body.contains("13800138000"));
    assert!(page.body.contains("白色泡沫 &lt;b&gt;"));
    assert!(!page.body.contains("白色泡沫 <b>"));
    assert!(page.body.contains("admin-evidence"));

    // No CSRF token, a wrong one, or another district's officer: 403 and nothing changes.
    let path = format!("/admin/complaint/{code}");
    let no_csrf = post(
        &server,
        &path,
        &li,
        &[
            ("action", "status"),
            ("status", "accepted"),
            ("expected", "received"),
        ],
    );
    assert_eq!(no_csrf.status, 403);
    let bad_csrf = post(
        &server,
        &path,
        &li,
        &[
            ("csrf", &"0".repeat(64)),
            ("action", "status"),
            ("status", "accepted"),
            ("expected", "received"),
        ],
    );
    assert_eq!(bad_csrf.status, 403);
    let wang_page = server.get_with("/admin", &[("Cookie", &wang)]);
    let wang_csrf = csrf_of(&wang_page.body);
    let foreign = post(
        &server,
        &path,
        &wang,
        &[
            ("csrf", &wang_csrf),
            ("action", "status"),
            ("status", "accepted"),
            ("expected", "received"),
        ],
    );
    assert_eq!(foreign.status, 403);

    // An illegal transition is refused with a message.
    let illegal = act(
        &server,
        &li,
        &code,
        &[("action", "status"), ("status", "closed_founded")],
    );
    assert_eq!(illegal.status, 422, "{}", excerpt(&illegal.body));
    assert!(illegal.body.contains("role=\"alert\""));

    for status in ["accepted", "investigating"] {
        let done = act(
            &server,
            &li,
            &code,
            &[("action", "status"), ("status", status)],
        );
        assert_eq!(done.status, 303, "{status}: {}", excerpt(&done.body));
    }
    eventually("the new status on the follow-up page", || {
        let body = server.get(&follow).body;
        if body.contains(r#"data-status="investigating""#) {
            Ok(())
        } else {
            Err(excerpt(&body))
        }
    });

    let note = act(
        &server,
        &li,
        &code,
        &[("action", "note"), ("body", "内部：企业排污口待核查")],
    );
    assert_eq!(note.status, 303);
    let reply = act(
        &server,
        &li,
        &code,
        &[
            ("action", "reply"),
            ("body", "经现场核查，已责令企业整改 <script>"),
        ],
    );
    assert_eq!(reply.status, 303);
    let closed = act(
        &server,
        &li,
        &code,
        &[("action", "status"), ("status", "closed_founded")],
    );
    assert_eq!(closed.status, 303);
    let again = act(
        &server,
        &li,
        &code,
        &[("action", "status"), ("status", "accepted")],
    );
    assert_eq!(again.status, 422, "a closed complaint stays closed");

    // The follow-up page may come from the one-second page cache.
    let follow_page = eventually("the outcome on the follow-up page", || {
        let body = server.get(&follow).body;
        if body.contains(r#"data-status="closed_founded""#)
            && body.contains("已责令企业整改 &lt;script&gt;")
        {
            Ok(body)
        } else {
            Err(excerpt(&body))
        }
    });
    assert!(
        !follow_page.contains("企业排污口待核查"),
        "an internal note stays internal"
    );

    // CSV: the officer's without the contact, the admin's with it.
    let csv = server.get_with("/admin/export.csv", &[("Cookie", &li)]);
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/csv"));
    assert!(csv.body.contains(&code) && csv.body.contains("closed_founded"));
    assert!(!csv.body.contains("13800138000"));
    let wang_csv = server.get_with("/admin/export.csv", &[("Cookie", &wang)]);
    assert!(!wang_csv.body.contains(&code));
    let root_csv = server.get_with("/admin/export.csv", &[("Cookie", &root)]);
    assert!(root_csv.body.contains("13800138000"));

    let verify = server.run_cli(["audit", "verify"]);
    assert!(verify.status.success(), "{}", describe(&verify));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("intact"));

    // Signing out ends the session.
    let logout = post(
        &server,
        "/admin/logout",
        &li,
        &[("csrf", &csrf_of(&queue.body))],
    );
    assert_eq!(logout.status, 303);
    assert_eq!(server.get_with("/admin", &[("Cookie", &li)]).status, 303);
}

fn sqlite(server: &TestServer, script: &str) {
    let db = server.data_dir().join("daylight.sqlite3");
    let status = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript({script:?})\nc.commit()"
        ))
        .arg(&db)
        .status()
        .expect("python3");
    assert!(status.success(), "{script}");
}

#[test]
fn audit_verify_names_an_edited_or_deleted_record() {
    let server = TestServer::start();
    let (_, _, inside) = two_districts(&server);
    let (first, _) = file_complaint(&server, inside, "198.51.100.20");
    let (second, _) = file_complaint(&server, inside, "198.51.100.21");
    let verify = server.run_cli(["audit", "verify"]);
    assert!(verify.status.success(), "{}", describe(&verify));
    let out = String::from_utf8_lossy(&verify.stdout).to_string();
    assert!(out.contains("2 records of 2 complaints"), "{out}");

    // The triggers refuse a plain edit; a tamperer drops them first.
    sqlite(
        &server,
        "DROP TRIGGER complaint_events_no_update; DROP TRIGGER complaint_events_no_delete; \
         UPDATE complaint_events SET actor = 'someone' WHERE id = 1;",
    );
    let verify = server.run_cli(["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1), "{}", describe(&verify));
    let err = String::from_utf8_lossy(&verify.stderr).to_string();
    assert!(err.contains("record 1 ") && err.contains(&first), "{err}");
    assert!(err.contains("edited"), "{err}");

    // Put it back, then delete it: the record after the gap is named.
    sqlite(
        &server,
        "UPDATE complaint_events SET actor = '' WHERE id = 1; DELETE FROM complaint_events WHERE id = 1;",
    );
    let verify = server.run_cli(["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1), "{}", describe(&verify));
    let err = String::from_utf8_lossy(&verify.stderr).to_string();
    assert!(err.contains("record 2 ") && err.contains(&second), "{err}");
}

/// The register's monthly statistics (`/complaints` and `GET /api/v1/complaints/stats`):
/// per district and category, counted from what officers did; no personal data.
#[test]
fn monthly_statistics_count_per_district_and_category() {
    let server = TestServer::start();
    let (own, _other, inside) = two_districts(&server);
    add_account(&server, &["root", "--role", "admin"], "root-password-1");
    let root = sign_in(&server, "root", "root-password-1").expect("root signs in");
    let codes: Vec<String> = (0..3)
        .map(|i| file_complaint(&server, inside, &format!("198.51.100.{}", 20 + i)).0)
        .collect();
    for (code, status) in [(&codes[0], "closed_unfounded"), (&codes[1], "referred")] {
        let reply = act(
            &server,
            &root,
            code,
            &[("action", "status"), ("status", status)],
        );
        assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    }

    let stats = server.get_json("/api/v1/complaints/stats");
    let rows = stats["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{stats}");
    let row = &rows[0];
    assert_eq!(row["district_adcode"], own.as_str());
    assert_eq!(row["category"], "water");
    assert_eq!(row["count"], 3);
    assert_eq!(row["closed"], 2);
    assert_eq!(row["overdue"], 0);
    assert_eq!(row["overdue_share"], 0.0);
    let median = row["median_days_to_close"].as_f64().expect("a median");
    assert!((0.0..0.01).contains(&median), "{median}");
    assert!(!stats.to_string().contains("13800138000"));
    let month = stats["month"].as_str().expect("month").to_owned();
    assert_eq!(month.len(), 7);

    // A month with nothing, a malformed one and a future one.
    let empty = server.get_json("/api/v1/complaints/stats?month=2024-01");
    assert_eq!(empty["rows"], serde_json::json!([]));
    for bad in ["2024-1", "soon", "2999-12"] {
        let reply = server.get(&format!("/api/v1/complaints/stats?month={bad}"));
        assert_eq!(reply.status, 400, "{bad}: {}", excerpt(&reply.body));
    }

    // The register page: a table, and a month picker that is a plain GET form.
    let page = readable_html(&server.get("/complaints").body);
    assert!(
        page.contains(r#"<form method="get" action="/complaints#stats""#),
        "{}",
        excerpt(&page)
    );
    assert!(
        page.contains(&format!(r#"name="month" value="{month}""#)),
        "{}",
        excerpt(&page)
    );
    assert!(page.contains(&format!(r#"data-district="{own}" data-category="water""#)));
    let old = readable_html(&server.get("/complaints?month=2024-01").body);
    assert!(
        old.contains(r#"name="month" value="2024-01""#),
        "{}",
        excerpt(&old)
    );
    assert!(!old.contains(r#"data-category="water""#));
}

/// The reporter adds information from the follow-up page (a plain POST): it is on the audit
/// chain, shown escaped to the reporter and the officer, never in the register or the API;
/// empty or over-long additions come back with a message; the additions are rate-limited.
#[test]
fn the_reporter_adds_information_that_officers_see_and_the_public_does_not() {
    let server = TestServer::start();
    let (_own, _other, inside) = two_districts(&server);
    add_account(&server, &["root", "--role", "admin"], "root-password-1");
    let (code, follow) = file_complaint(&server, inside, "198.51.100.40");
    let add = |text: &str, client: &str| {
        server.request(
            "POST",
            &format!("{follow}/add"),
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Forwarded-For", client),
            ],
            Some(form_body(&[("info", text)]).as_bytes()),
        )
    };
    let page = readable_html(&server.get(&follow).body);
    assert!(
        page.contains(&format!(r#"<form method="post" action="{follow}/add""#)),
        "{}",
        excerpt(&page)
    );

    let added = add(
        "晚上十点后气味更重 <script>alert(1)</script>",
        "198.51.100.41",
    );
    assert_eq!(added.status, 303, "{}", excerpt(&added.body));
    assert_eq!(
        added.header("location"),
        Some(format!("{follow}?added=1#additions").as_str())
    );
    let page = readable_html(&server.get(&format!("{follow}?added=1")).body);
    assert!(
        page.contains("晚上十点后气味更重 &lt;script&gt;"),
        "{}",
        excerpt(&page)
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains(r#"role="status""#));

    // Empty, or over 1,000 characters: nothing stored, the page says why.
    let empty = add("  \n ", "198.51.100.41");
    assert_eq!(
        empty.header("location"),
        Some(format!("{follow}?addition=empty#additions").as_str())
    );
    let long = add(&"臭".repeat(1001), "198.51.100.41");
    assert_eq!(
        long.header("location"),
        Some(format!("{follow}?addition=too_long#additions").as_str())
    );
    let refused = readable_html(&server.get(&format!("{follow}?addition=too_long")).body);
    assert!(
        refused.contains(r#"id="addition-error""#),
        "{}",
        excerpt(&refused)
    );
    // An unknown token: 404, nothing stored.
    let unknown = server.request(
        "POST",
        &format!("/report/follow/{}/add", "0".repeat(32)),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"info=x"),
    );
    assert_eq!(unknown.status, 404);

    // The officer sees it in the history, escaped and labelled.
    let root = sign_in(&server, "root", "root-password-1").expect("root signs in");
    let officer = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", &root)]);
    assert!(officer.body.contains("晚上十点后气味更重 &lt;script&gt;"));
    assert!(officer.body.contains("举报人补充") || officer.body.contains("Added by the reporter"));

    // The public never: not on the register page, not in the API.
    for path in [
        "/complaints",
        "/api/v1/complaints?limit=7",
        "/api/v1/complaints/stats",
    ] {
        let public = server.get(path);
        assert!(!public.body.contains("晚上十点后"), "{path}");
    }
    let verify = server.run_cli(["audit", "verify"]);
    assert!(verify.status.success(), "{}", describe(&verify));
    let out = String::from_utf8_lossy(&verify.stdout).to_string();
    assert!(out.contains("2 records of 1 complaints"), "{out}");

    // Rate limit per address (10 per 10 minutes, counted apart from submissions).
    let statuses: Vec<u16> = (0..11)
        .map(|_| add("再补充一句", "198.51.100.42").status)
        .collect();
    assert_eq!(statuses[..10], [303; 10]);
    assert_eq!(statuses[10], 429);
}
