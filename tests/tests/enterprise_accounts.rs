//! Enterprise accounts (issue 5, items 2, 3, 5): accounts on the command line, sign-in,
//! an account confined to its own enterprise (403, nothing stored), manual results by form
//! and CSV (all or nothing) reaching the public page and the API labelled self-reported and
//! manual, statements that are never edited (a correction is a new entry), and the audit
//! trail with `daylight audit verify`.

use std::io::Write;
use std::process::{Command, Stdio};

use daylight_tests::form::{csrf_of, encode, form_body, set_cookies};
use daylight_tests::{
    between, binary, describe, eventually, excerpt, readable_html, Reply, TestServer,
};

/// Two demo enterprises that report manual monthly results at DW001 (COD w01018 and
/// ammonia nitrogen w21003, in mg/L).
const A: &str = "91610118MA6DM0007A";
const B: &str = "91610124MA6DM0010B";
const PASSWORD: &str = "correct horse battery";

fn post(server: &TestServer, path: &str, cookies: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_body(fields);
    server.request(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookies),
            ("X-Forwarded-For", "203.0.113.7"),
        ],
        Some(body.as_bytes()),
    )
}

/// A multipart/form-data POST with `fields` and one file field `file`.
fn post_file(
    server: &TestServer,
    path: &str,
    cookies: &str,
    fields: &[(&str, &str)],
    file: &str,
) -> Reply {
    let boundary = "daylight-test-boundary-7f3a";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"results.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let content_type = format!("multipart/form-data; boundary={boundary}");
    server.request(
        "POST",
        path,
        &[("Content-Type", &content_type), ("Cookie", cookies)],
        Some(body.as_bytes()),
    )
}

/// `daylight enterprise-user add …` with the password on standard input.
fn add_user(server: &TestServer, username: &str, enterprise: &str, extra: &[&str]) {
    let mut child = Command::new(binary())
        .current_dir(server.data_dir())
        .arg("--data-dir")
        .arg(server.data_dir())
        .args([
            "enterprise-user",
            "add",
            username,
            "--enterprise",
            enterprise,
        ])
        .args(extra)
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daylight enterprise-user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("password");
    let output = child
        .wait_with_output()
        .expect("daylight enterprise-user add");
    assert!(output.status.success(), "{}", describe(&output));
}

/// Signs in; the `Cookie` header value of the session.
fn sign_in(server: &TestServer, user: &str, password: &str) -> Result<String, Reply> {
    let form = server.get("/account/login");
    assert_eq!(form.status, 200, "{}", excerpt(&form.body));
    let login_cookie = set_cookies(&form).join("; ");
    let csrf = between(&form.body, r#"name="csrf" value=""#, "\"")
        .expect("a CSRF token on the sign-in form")
        .to_owned();
    let reply = post(
        server,
        "/account/login",
        &login_cookie,
        &[("csrf", &csrf), ("username", user), ("password", password)],
    );
    if reply.status != 303 {
        return Err(reply);
    }
    let set = reply.header_all("set-cookie").join("\n");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/account"), "{set}");
    Ok(set_cookies(&reply)
        .into_iter()
        .filter(|c| c.starts_with("daylight_account="))
        .collect::<Vec<_>>()
        .join("; "))
}

fn account_page(server: &TestServer, cookie: &str, code: &str) -> Reply {
    server.get_with(
        &format!("/account/enterprise/{code}"),
        &[("Cookie", cookie)],
    )
}

/// Now plus `seconds`, in UTC, formatted like chrono's `format` for the given pattern
/// parts: (`YYYY-MM-DD`, `HH:MM:SS`). The tests crate has no date library.
fn utc_parts(seconds: i64) -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
        + seconds;
    let (days, secs) = (now.div_euclid(86_400), now.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

/// A sampling time in the past, as the form sends it (local time of the site, UTC+8).
fn yesterday_local() -> String {
    let (date, time) = utc_parts(8 * 3600 - 86_400);
    format!("{date}T{}:00", &time[..2])
}

/// An RFC 3339 UTC time `seconds` from now, on the hour.
fn utc_hour(seconds: i64) -> String {
    let (date, time) = utc_parts(seconds);
    format!("{date}T{}:00:00Z", &time[..2])
}

#[test]
fn sign_in_and_an_account_sees_and_changes_only_its_own_enterprise() {
    let server = TestServer::start();
    add_user(&server, "a.wang", A, &["--display-name", "王工 <环保部>"]);
    add_user(&server, "b.li", B, &[]);
    let list = server.run_cli(["enterprise-user", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.status.success() && listed.contains("a.wang") && listed.contains(A),
        "{}",
        describe(&list)
    );
    assert!(!listed.contains("argon2"), "{listed}");

    // Wrong password, unknown user.
    let refused = sign_in(&server, "a.wang", "wrong password!").expect_err("refused");
    assert_eq!(refused.status, 401, "{}", excerpt(&refused.body));
    assert!(refused
        .header_all("set-cookie")
        .iter()
        .all(|c| !c.starts_with("daylight_account=")));
    assert_eq!(
        sign_in(&server, "nobody", PASSWORD)
            .expect_err("refused")
            .status,
        401
    );
    // Without a session: to the sign-in page.
    let anonymous = server.get(&format!("/account/enterprise/{A}"));
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/account/login"));

    let a = sign_in(&server, "a.wang", PASSWORD).expect("signed in");
    let home = server.get_with("/account", &[("Cookie", &a)]);
    assert_eq!(home.status, 303);
    assert_eq!(
        home.header("location"),
        Some(format!("/account/enterprise/{A}").as_str())
    );
    let own = account_page(&server, &a, A);
    assert_eq!(own.status, 200, "{}", excerpt(&own.body));
    assert_eq!(own.header("cache-control"), Some("no-store"));
    assert!(
        own.body.contains("王工 &lt;环保部&gt;"),
        "display name escaped"
    );
    let csrf = csrf_of(&own.body);

    // B's private page: 403.
    let other = account_page(&server, &a, B);
    assert_eq!(other.status, 403, "{}", excerpt(&other.body));
    assert!(
        readable_html(&other.body).contains("本企业"),
        "{}",
        excerpt(&other.body)
    );

    // Results and statements for B: 403, nothing stored.
    let time = yesterday_local();
    let result = [
        ("csrf", csrf.as_str()),
        ("outlet", "DW001"),
        ("pollutant", "w01018"),
        ("time", time.as_str()),
        ("value", "77.7"),
        ("unit", "mg/L"),
        ("note", "lab"),
    ];
    let refused = post(
        &server,
        &format!("/account/enterprise/{B}/results"),
        &a,
        &result,
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    let refused = post_file(
        &server,
        &format!("/account/enterprise/{B}/results.csv"),
        &a,
        &[("csrf", &csrf)],
        &format!("outlet,pollutant,time,value,unit,note\nDW001,w01018,{time},77.7,mg/L,\n"),
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    let statement = [
        ("csrf", csrf.as_str()),
        ("kind", "other"),
        ("outlet", "DW001"),
        ("body", "not ours to say"),
    ];
    let refused = post(
        &server,
        &format!("/account/enterprise/{B}/statements"),
        &a,
        &statement,
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    // Naming B in the form of A's own URL: 403 too.
    let mut named = result.to_vec();
    named.push(("enterprise", B));
    let refused = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        &a,
        &named,
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    // Without the CSRF token: 403.
    let refused = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        &a,
        &result[1..],
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));
    // Without a session: 403.
    let refused = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        "",
        &result,
    );
    assert_eq!(refused.status, 403, "{}", excerpt(&refused.body));

    let b_api = server.get_json(&format!("/api/v1/enterprises/{B}"));
    assert_eq!(
        b_api["statements"].as_array().map(Vec::len),
        Some(0),
        "{b_api}"
    );
    assert_eq!(
        b_api["manual_results"].as_array().map(Vec::len),
        Some(0),
        "{b_api}"
    );
    let b = sign_in(&server, "b.li", PASSWORD).expect("signed in");
    let b_page = account_page(&server, &b, B);
    assert!(!b_page.body.contains("77.7"), "nothing stored for B");
    assert_eq!(account_page(&server, &b, A).status, 403);

    // The sign-ins are in each enterprise's own audit trail.
    let own = account_page(&server, &a, A);
    assert!(
        own.body.contains("data-action=\"sign_in\""),
        "{}",
        excerpt(&own.body)
    );

    // Sign out: the session ends.
    let out = post(&server, "/account/logout", &a, &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(account_page(&server, &a, A).status, 303);

    // Behind an https proxy the cookies are Secure.
    let https = server.get_with("/account/login", &[("X-Forwarded-Proto", "https")]);
    assert!(
        https
            .header_all("set-cookie")
            .iter()
            .all(|c| c.contains("; Secure")),
        "{:?}",
        https.header_all("set-cookie")
    );
    // The back office's sign-in rate limit: 10 failures, then 429 even for the right password.
    let form = server.get("/account/login");
    let login_cookie = set_cookies(&form).join("; ");
    let token = csrf_of(&form.body);
    let attempt = |password: &str| {
        let body = form_body(&[
            ("csrf", &token),
            ("username", "b.li"),
            ("password", password),
        ]);
        server.request(
            "POST",
            "/account/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &login_cookie),
                ("X-Forwarded-For", "198.51.100.1"),
            ],
            Some(body.as_bytes()),
        )
    };
    for _ in 0..10 {
        assert_eq!(attempt("wrong password!").status, 401);
    }
    assert_eq!(attempt(PASSWORD).status, 429);

    let removed = server.run_cli(["enterprise-user", "remove", "b.li"]);
    assert!(removed.status.success(), "{}", describe(&removed));
    assert_eq!(
        account_page(&server, &b, B).status,
        303,
        "sessions end with the account"
    );
}

#[test]
fn manual_results_by_form_and_csv_reach_the_public_page_and_a_bad_csv_stores_nothing() {
    let server = TestServer::start();
    add_user(&server, "a.zhao", A, &[]);
    let a = sign_in(&server, "a.zhao", PASSWORD).expect("signed in");
    let csrf = csrf_of(&account_page(&server, &a, A).body);
    let time = yesterday_local();

    // The form: a unit that is not the limit's is refused with the reason, nothing stored.
    let wrong = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        &a,
        &[
            ("csrf", &csrf),
            ("outlet", "DW001"),
            ("pollutant", "w01018"),
            ("time", &time),
            ("value", "41.5"),
            ("unit", "mg/m3"),
        ],
    );
    assert_eq!(wrong.status, 422, "{}", excerpt(&wrong.body));
    assert!(
        readable_html(&wrong.body).contains("单位应为 mg/L"),
        "{}",
        excerpt(&wrong.body)
    );
    let saved = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        &a,
        &[
            ("csrf", &csrf),
            ("outlet", "DW001"),
            ("pollutant", "w01018"),
            ("time", &time),
            ("value", "41.5"),
            ("unit", "mg/L"),
            ("note", "示例检测公司 HJ 828-2017"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", excerpt(&saved.body));

    // A CSV with one bad line (a value in the future) stores nothing and names the line.
    let future = utc_hour(2 * 86_400);
    let two_days = utc_hour(-2 * 86_400);
    let bad = format!(
        "outlet,pollutant,time,value,unit,note\n\
         DW001,w21003,{two_days},3.25,mg/L,lab B\n\
         DW001,w21003,{future},3.5,mg/L,lab B\n"
    );
    let refused = post_file(
        &server,
        &format!("/account/enterprise/{A}/results.csv"),
        &a,
        &[("csrf", &csrf)],
        &bad,
    );
    assert_eq!(refused.status, 422, "{}", excerpt(&refused.body));
    let text = readable_html(&refused.body);
    assert!(
        text.contains("第 3 行") && text.contains("采样时间不能晚于当前时间"),
        "{text}"
    );
    assert!(text.contains("未保存任何结果"), "{text}");
    // In English.
    let english = server.request(
        "POST",
        &format!("/account/enterprise/{A}/results.csv"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &format!("{a}; daylight_lang=en")),
        ],
        Some(form_body(&[("csrf", &csrf), ("csv", &bad)]).as_bytes()),
    );
    assert_eq!(english.status, 422, "{}", excerpt(&english.body));
    assert!(
        readable_html(&english.body).contains("line 3: the sampling time is in the future"),
        "{}",
        excerpt(&english.body)
    );
    let api = server.get_json(&format!("/api/v1/enterprises/{A}"));
    assert!(
        api["manual_results"]
            .as_array()
            .expect("manual results")
            .iter()
            .all(|m| m["value"] != 3.25),
        "nothing of the bad file stored: {api}"
    );

    // The good file is stored whole.
    let good = format!(
        "outlet,pollutant,time,value,unit,note\n\
         DW001,w21003,{two_days},3.25,mg/L,lab B\n"
    );
    let stored = post_file(
        &server,
        &format!("/account/enterprise/{A}/results.csv"),
        &a,
        &[("csrf", &csrf)],
        &good,
    );
    assert_eq!(stored.status, 303, "{}", excerpt(&stored.body));
    assert!(stored.header("location").is_some_and(|l| l.contains("n=1")));

    // The public page and the API show both, labelled manual and self-reported.
    let page = eventually("the manual results on the public page", || {
        let page = server.get(&format!("/enterprise/{A}"));
        let text = readable_html(&page.body);
        if text.contains("41.5") && text.contains("3.25") {
            Ok(page)
        } else {
            Err(excerpt(&text))
        }
    });
    assert!(
        page.body.contains("data-method=\"manual\""),
        "{}",
        excerpt(&page.body)
    );
    let text = readable_html(&page.body);
    assert!(text.contains("手工监测 · 企业自行监测，未经审核"), "{text}");
    assert!(text.contains("示例检测公司 HJ 828-2017"), "{text}");
    let api = server.get_json(&format!("/api/v1/enterprises/{A}"));
    let manual = api["manual_results"].as_array().expect("manual results");
    assert!(
        manual.iter().any(|m| m["value"] == 41.5
            && m["method"] == "manual"
            && m["source"] == "self_reported"
            && m["pollutant"] == "w01018"),
        "{api}"
    );
    assert_eq!(
        api["notice"],
        "企业自行监测，未经审核 / self-reported, not audited"
    );
    let readings = server.get_json(&format!(
        "/api/v1/enterprises/{A}/readings?pollutant=w21003&from={}",
        encode(&utc_hour(-3 * 86_400))
    ));
    assert!(
        readings["readings"]
            .as_array()
            .expect("readings")
            .iter()
            .any(|r| r["value"] == 3.25 && r["source"] == "self_reported" && r["manual"] == true),
        "{readings}"
    );

    // Replacing a value: the audit record keeps both.
    let replaced = post(
        &server,
        &format!("/account/enterprise/{A}/results"),
        &a,
        &[
            ("csrf", &csrf),
            ("outlet", "DW001"),
            ("pollutant", "w01018"),
            ("time", &time),
            ("value", "43"),
            ("unit", "mg/L"),
        ],
    );
    assert_eq!(replaced.status, 303, "{}", excerpt(&replaced.body));
    let own = account_page(&server, &a, A);
    let text = readable_html(&own.body);
    assert!(
        text.contains("41.5 mg/L (manual; 示例检测公司 HJ 828-2017)"),
        "{text}"
    );
    assert!(text.contains("43 mg/L (manual)"), "{text}");
    assert_eq!(
        own.body.matches("data-action=\"manual_result\"").count(),
        3,
        "{text}"
    );
}

#[test]
fn statements_are_public_never_edited_and_audited() {
    let server = TestServer::start();
    add_user(&server, "a.sun", A, &["--display-name", "孙工"]);
    let a = sign_in(&server, "a.sun", PASSWORD).expect("signed in");
    let csrf = csrf_of(&account_page(&server, &a, A).body);

    let empty = post(
        &server,
        &format!("/account/enterprise/{A}/statements"),
        &a,
        &[("csrf", &csrf), ("kind", "maintenance"), ("body", "  ")],
    );
    assert_eq!(empty.status, 422, "{}", excerpt(&empty.body));

    let first = post(
        &server,
        &format!("/account/enterprise/{A}/statements"),
        &a,
        &[
            ("csrf", &csrf),
            ("kind", "instrument_fault"),
            ("outlet", "DW001"),
            ("from", "2026-11-01T08:00"),
            ("to", "2026-11-01T12:00"),
            ("body", "COD 分析仪故障 <script>alert(1)</script>"),
        ],
    );
    assert_eq!(first.status, 303, "{}", excerpt(&first.body));
    let api = eventually("the statement in the API", || {
        let api = server.get_json(&format!("/api/v1/enterprises/{A}/statements"));
        match api["statements"].as_array().map(Vec::len) {
            Some(1) => Ok(api),
            _ => Err(api.to_string()),
        }
    });
    let original = api["statements"][0].clone();
    assert_eq!(original["kind"], "instrument_fault");
    assert_eq!(original["author"], "孙工");
    assert_eq!(original["outlet"], "DW001");
    let id = original["id"].as_i64().expect("id");

    // A correction names the first; a correction of another enterprise's statement or of
    // an unknown one is refused.
    let wrong = post(
        &server,
        &format!("/account/enterprise/{A}/statements"),
        &a,
        &[
            ("csrf", &csrf),
            ("kind", "other"),
            ("corrects", "999"),
            ("body", "x"),
        ],
    );
    assert_eq!(wrong.status, 422, "{}", excerpt(&wrong.body));
    let correction = post(
        &server,
        &format!("/account/enterprise/{A}/statements"),
        &a,
        &[
            ("csrf", &csrf),
            ("kind", "instrument_fault"),
            ("corrects", &id.to_string()),
            ("body", "更正：故障时段为 8:00–10:00"),
        ],
    );
    assert_eq!(correction.status, 303, "{}", excerpt(&correction.body));
    let api = eventually("both statements in the API", || {
        let api = server.get_json(&format!("/api/v1/enterprises/{A}"));
        match api["statements"].as_array().map(Vec::len) {
            Some(2) => Ok(api),
            _ => Err(api.to_string()),
        }
    });
    let statements = api["statements"].as_array().expect("statements");
    assert_eq!(statements[0]["corrects"], id, "newest first: {api}");
    let first_now = &statements[1];
    assert_eq!(
        first_now["body"], original["body"],
        "the first is unchanged"
    );
    assert_eq!(first_now["published"], original["published"]);
    assert_eq!(first_now["corrected_by"][0], statements[0]["id"]);

    // The public page: both, newest first, escaped, with author and the label.
    let page = eventually("the statements on the public page", || {
        let page = server.get(&format!("/enterprise/{A}"));
        if page.body.contains("更正：故障时段") {
            Ok(page)
        } else {
            Err(excerpt(&readable_html(&page.body)))
        }
    });
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    assert!(
        page.body.contains("&lt;script&gt;"),
        "{}",
        excerpt(&page.body)
    );
    let text = readable_html(&page.body);
    assert!(
        text.contains("企业说明") && text.contains("孙工") && text.contains("仪器故障"),
        "{text}"
    );
    let newer = text.find("更正：故障时段").expect("correction");
    let older = text.find("COD 分析仪故障").expect("original");
    assert!(newer < older, "newest first: {text}");

    // Nothing edits a statement: the table refuses UPDATE and DELETE.
    let db = server.data_dir().join("daylight.sqlite3");
    for sql in [
        "UPDATE enterprise_statements SET body = 'edited'",
        "DELETE FROM enterprise_statements",
        "DELETE FROM enterprise_audit",
    ] {
        // sqlite3 is on the CI image; skipped where it is not installed.
        if let Ok(output) = Command::new("sqlite3")
            .arg("-cmd")
            .arg(".timeout 5000")
            .arg(&db)
            .arg(sql)
            .output()
        {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !output.status.success() && stderr.contains("append-only"),
                "{sql}: {stderr}"
            );
        }
    }

    // The audit trail and its chain.
    let own = account_page(&server, &a, A);
    assert_eq!(
        own.body.matches("data-action=\"statement\"").count(),
        2,
        "{}",
        excerpt(&own.body)
    );
    let verify = server.run_cli(["audit", "verify"]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{}", describe(&verify));
    assert!(
        out.contains("enterprise audit chain intact: 3 records of 1 enterprises"),
        "{out}"
    );

    // An edit made behind the triggers' back breaks the chain at that record.
    if let Ok(output) = Command::new("sqlite3")
        .arg("-cmd")
        .arg(".timeout 5000")
        .arg(&db)
        .arg(
            "DROP TRIGGER enterprise_audit_no_update; \
             UPDATE enterprise_audit SET after = 'other: nothing happened' WHERE id = 2;",
        )
        .output()
    {
        assert!(output.status.success(), "{}", describe(&output));
        let verify = server.run_cli(["audit", "verify"]);
        let err = String::from_utf8_lossy(&verify.stderr);
        assert_eq!(verify.status.code(), Some(1), "{}", describe(&verify));
        assert!(
            err.contains("enterprise audit chain BROKEN at record 2"),
            "{err}"
        );
    }
}
