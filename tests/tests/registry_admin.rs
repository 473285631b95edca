//! The back office's enterprise registry (issue 5, item 1, "admin pages"): an administrator
//! lists the enterprises and uploads a registry CSV through the same checks as
//! `daylight import`; a bad file is refused by line with nothing written; other roles and
//! requests without the session's CSRF token are refused.

use daylight_domain::enterprise::credit_code::check_character;
use daylight_tests::backoffice::{add_account, sign_in};
use daylight_tests::form::{csrf_of, two_districts};
use daylight_tests::{eventually, excerpt, readable_html, Reply, TestServer};

const BOUNDARY: &str = "----daylight-registry-test";

/// A valid credit code built from its first 17 characters.
fn credit_code(first17: &str) -> String {
    let check = check_character(first17).expect("17 valid characters");
    format!("{first17}{check}")
}

/// The same code with a wrong check character.
fn with_wrong_check(code: &str) -> String {
    let (first17, check) = code.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{first17}{wrong}")
}

/// A `multipart/form-data` body: text fields, then the CSV as the `file` field.
fn multipart(fields: &[(&str, &str)], csv: &str) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"registry.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{BOUNDARY}--\r\n"
    ));
    body.into_bytes()
}

fn upload(server: &TestServer, cookie: &str, fields: &[(&str, &str)], csv: &str) -> Reply {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    server.request(
        "POST",
        "/admin/enterprises",
        &[
            ("Content-Type", &content_type),
            ("Cookie", cookie),
            ("X-Forwarded-For", "203.0.113.9"),
        ],
        Some(&multipart(fields, csv)),
    )
}

fn enterprises_csv(code: &str, name: &str) -> String {
    format!(
        "credit_code,name,industry,district,permit_number\n\
         {code},{name},污水处理,灞桥区,P-REG-1\n"
    )
}

fn api_has(server: &TestServer, code: &str) -> bool {
    server.get_json(&format!("/api/v1/enterprises?q={code}"))["enterprises"]
        .as_array()
        .expect("enterprises")
        .iter()
        .any(|e| e["credit_code"] == code)
}

#[test]
fn an_administrator_imports_the_registry_and_others_are_refused() {
    let server = TestServer::start();
    let (district, _, _) = two_districts(&server);
    add_account(&server, &["root", "--role", "admin"], "root-password-1");
    add_account(
        &server,
        &["li", "--role", "district-officer", "--district", &district],
        "li-password-1",
    );
    let root = sign_in(&server, "root", "root-password-1");
    let li = sign_in(&server, "li", "li-password-1");

    // The administrator's queue links to the registry; the officer's does not.
    let queue = server.get_with("/admin", &[("Cookie", &root)]);
    assert!(
        queue.body.contains("href=\"/admin/enterprises\""),
        "{}",
        excerpt(&queue.body)
    );
    let queue = server.get_with("/admin", &[("Cookie", &li)]);
    assert!(!queue.body.contains("href=\"/admin/enterprises\""));

    // The registry page: the demo's enterprises with their outlets and public pages.
    let page = server.get_with("/admin/enterprises", &[("Cookie", &root)]);
    assert_eq!(page.status, 200, "{}", excerpt(&page.body));
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page
        .body
        .contains("href=\"/enterprise/91610111MA6DM0001J\""));
    let text = readable_html(&page.body);
    assert!(text.contains("示例热电有限公司"), "{text}");
    let csrf = csrf_of(&page.body);

    let good = credit_code("91610111MA6REG001");
    let bad = with_wrong_check(&credit_code("91610111MA6REG002"));

    // A district officer: refused, in their language, nothing written.
    let refused = server.get_with("/admin/enterprises", &[("Cookie", &li)]);
    assert_eq!(refused.status, 403);
    assert!(readable_html(&refused.body).contains("仅由管理员维护"));
    let officer_page = server.get_with("/admin", &[("Cookie", &li)]);
    let officer_csrf = csrf_of(&officer_page.body);
    let reply = upload(
        &server,
        &li,
        &[("csrf", &officer_csrf), ("kind", "enterprises")],
        &enterprises_csv(&good, "登记测试水务有限公司"),
    );
    assert_eq!(reply.status, 403, "{}", excerpt(&reply.body));

    // No or a wrong CSRF token: refused, nothing written.
    for fields in [
        vec![("kind", "enterprises")],
        vec![("csrf", "not-the-token"), ("kind", "enterprises")],
    ] {
        let reply = upload(
            &server,
            &root,
            &fields,
            &enterprises_csv(&good, "登记测试水务有限公司"),
        );
        assert_eq!(reply.status, 403, "{}", excerpt(&reply.body));
    }
    // Signed out: refused too.
    let reply = upload(
        &server,
        "",
        &[("csrf", &csrf), ("kind", "enterprises")],
        &enterprises_csv(&good, "登记测试水务有限公司"),
    );
    assert_eq!(reply.status, 403);
    assert!(!api_has(&server, &good), "a refused upload wrote");

    // A bad check character on line 3: 422 naming the line; the good line 2 is not written.
    let csv = format!(
        "{}{bad},登记测试化工有限公司,化工,灞桥区,P-REG-2\n",
        enterprises_csv(&good, "登记测试水务有限公司")
    );
    let reply = upload(
        &server,
        &root,
        &[("csrf", &csrf), ("kind", "enterprises")],
        &csv,
    );
    assert_eq!(reply.status, 422, "{}", excerpt(&reply.body));
    let text = readable_html(&reply.body);
    assert!(text.contains("第 3 行"), "{text}");
    assert!(text.contains("check character"), "{text}");
    assert!(!text.contains("第 2 行"), "{text}");
    assert!(
        !api_has(&server, &good),
        "a refused file wrote its good line"
    );
    assert!(!api_has(&server, &bad));

    // The same in English.
    let english = format!("{root}; daylight_lang=en");
    let reply = upload(
        &server,
        &english,
        &[("csrf", &csrf), ("kind", "enterprises")],
        &csv,
    );
    assert_eq!(reply.status, 422);
    assert!(readable_html(&reply.body).contains("Line 3:"));

    // A good file: the summary, then the enterprise on the page, the public list and the API.
    let reply = upload(
        &server,
        &root,
        &[("csrf", &csrf), ("kind", "enterprises")],
        &enterprises_csv(&good, "登记测试水务有限公司"),
    );
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    let text = readable_html(&reply.body);
    assert!(text.contains("新增 1"), "{text}");
    assert!(reply.body.contains(&format!("href=\"/enterprise/{good}\"")));
    eventually("the imported enterprise is public", || {
        let list = server.get("/enterprises?q=%E7%99%BB%E8%AE%B0%E6%B5%8B%E8%AF%95"); // 登记测试
        if list.status == 200
            && readable_html(&list.body).contains("登记测试水务有限公司")
            && api_has(&server, &good)
        {
            Ok(())
        } else {
            Err(excerpt(&list.body))
        }
    });

    // Its outlet, through the outlets file: counted in the table.
    let outlets = format!("credit_code,outlet,kind\n{good},DW001,water\n");
    let reply = upload(
        &server,
        &root,
        &[("csrf", &csrf), ("kind", "outlets")],
        &outlets,
    );
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    let detail = server.get_json(&format!("/api/v1/enterprises/{good}"));
    assert_eq!(detail["outlets"][0]["code"], "DW001");

    // An upload over the limit: 413.
    let huge = "x".repeat(1024 * 1024 + 1);
    let reply = upload(
        &server,
        &root,
        &[("csrf", &csrf), ("kind", "enterprises")],
        &huge,
    );
    assert_eq!(reply.status, 413);
}
