//! Helpers for the back-office tests: accounts on the command line, signing in, filing a
//! complaint through the public form, and posting an officer's action with the page's CSRF
//! token.

use std::io::Write;
use std::process::{Command, Stdio};

use daylight_domain::geo::LonLat;

use crate::form::{csrf_of, form_body, set_cookies};
use crate::{between, binary, describe, excerpt, readable_html, Reply, TestServer};

/// A urlencoded POST with a cookie, from a fixed client address.
pub fn post(server: &TestServer, path: &str, cookies: &str, fields: &[(&str, &str)]) -> Reply {
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
pub fn add_account(server: &TestServer, args: &[&str], password: &str) {
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
pub fn sign_in(server: &TestServer, user: &str, password: &str) -> String {
    let form = server.get("/admin/login");
    assert_eq!(form.status, 200, "{}", excerpt(&form.body));
    let login_cookie = set_cookies(&form).join("; ");
    let csrf = csrf_of(&form.body);
    let reply = post(
        server,
        "/admin/login",
        &login_cookie,
        &[("csrf", &csrf), ("username", user), ("password", password)],
    );
    assert_eq!(reply.status, 303, "{user}: {}", excerpt(&reply.body));
    set_cookies(&reply)
        .into_iter()
        .filter(|c| c.starts_with("daylight_admin="))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Files a complaint of `category` with a contact at `at` from `client`; its tracking code.
pub fn file_complaint(server: &TestServer, at: LonLat, category: &str, client: &str) -> String {
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
        ("category", category),
        ("description", "夜里有刺鼻气味 <b>"),
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
    between(&page, r#"data-code=""#, "\"")
        .expect("code")
        .to_owned()
}

/// Posts an action on a complaint's page with its CSRF token and the status it shows
/// (`expected`), plus `fields`.
pub fn act(server: &TestServer, cookie: &str, code: &str, fields: &[(&str, &str)]) -> Reply {
    let page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", cookie)]);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    let csrf = csrf_of(&page.body);
    let expected = between(&page.body, r#"name="expected" value=""#, "\"")
        .unwrap_or("")
        .to_owned();
    let mut all = vec![("csrf", csrf.as_str()), ("expected", expected.as_str())];
    all.extend_from_slice(fields);
    post(server, &format!("/admin/complaint/{code}"), cookie, &all)
}

/// Runs an SQL script on the server's database file (a tamperer with ordinary tools).
pub fn sqlite(server: &TestServer, script: &str) {
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

/// `daylight audit verify`: Ok(standard output) when intact, Err(standard error) when not.
pub fn audit_verify(server: &TestServer) -> Result<String, String> {
    let out = server.run_cli(["audit", "verify"]);
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
