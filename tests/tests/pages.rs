//! The server-rendered pages: what a phone without JavaScript gets.

use daylight_tests::{between, excerpt, opening_tags, readable_html, Reply, TestServer};
use serde_json::Value;

/// The `properties` of every station feature of `/api/v1/stations`.
fn stations(server: &TestServer) -> Vec<Value> {
    server.get_json("/api/v1/stations")["features"]
        .as_array()
        .expect("features is an array")
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

fn html_page(reply: &Reply, path: &str) -> String {
    let content_type = reply.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "{path}: expected HTML, got content-type {content_type:?}"
    );
    readable_html(&reply.body)
}

fn ok_page(server: &TestServer, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "GET {path}:\n{}", excerpt(&reply.body));
    html_page(&reply, path)
}

#[test]
fn home_page_lists_every_station_in_plain_html() {
    let server = TestServer::start();
    let page = ok_page(&server, "/");
    assert!(page.contains(r#"<html lang="zh-CN""#), "{}", excerpt(&page));

    let air_table = between(&page, r#"<table class="stations air""#, "</table>")
        .expect("the home page has a table of air stations");
    let water_table = between(&page, r#"<table class="stations water""#, "</table>")
        .expect("the home page has a table of water sections");
    for name in ["高压开关厂", "小寨", "草滩", "广运潭", "崇文塔"] {
        assert!(air_table.contains(name), "air table lacks {name}");
    }
    assert!(water_table.contains("灞河口"), "water table lacks 灞河口");

    // Every station the API knows is linked from the table of its kind.
    let all = stations(&server);
    assert_eq!(all.len(), 53);
    for s in &all {
        let code = s["code"].as_str().expect("code");
        let name = s["name"].as_str().expect("name");
        let (table, link) = match s["kind"].as_str() {
            Some("air") => (
                air_table,
                format!(r#"<a href="/station/{code}">{name}</a>"#),
            ),
            Some("water") => (
                water_table,
                format!(r#"<a href="/water/{code}">{name}</a>"#),
            ),
            other => panic!("unexpected kind {other:?}"),
        };
        assert!(table.contains(&link), "the list lacks {link}");
    }
    assert_eq!(air_table.matches("<tr data-code=").count(), 18);
    assert_eq!(water_table.matches("<tr data-code=").count(), 35);
}

#[test]
fn home_page_labels_simulated_values_and_credits_cnemc() {
    let server = TestServer::start();
    let page = ok_page(&server, "/");
    let banner = between(&page, r#"class="demo-banner">"#, "</p>").expect("demo banner");
    assert!(banner.contains("演示模式"), "banner: {banner}");
    assert!(banner.contains("模拟"), "banner: {banner}");
    // The demo feed's values are labelled in the list, row by row.
    assert!(
        page.contains(
            r#"<span data-source="simulated" class="source source-simulated">模拟</span>"#
        ),
        "no row is labelled 模拟"
    );
    let footer = between(&page, "<footer", "</footer>").expect("footer");
    assert!(footer.contains("中国环境监测总站"), "footer: {footer}");
}

#[test]
fn air_station_page_explains_the_latest_hour() {
    let server = TestServer::start();
    let api = stations(&server)
        .into_iter()
        .find(|s| s["code"] == "1462A")
        .expect("1462A in the API");
    let aqi = api["latest"]["aqi"].as_i64().expect("1462A has an AQI");

    let page = ok_page(&server, "/station/1462A");
    assert!(page.contains("<h1>高压开关厂</h1>"), "{}", excerpt(&page));
    let badge = between(&page, r#"class="badge badge-large""#, "</span>").expect("AQI badge");
    let shown = badge.rsplit('>').next().unwrap_or_default();
    assert_eq!(
        shown,
        aqi.to_string(),
        "the page's AQI differs from the API's"
    );
    for text in [
        "首要污染物",
        "对健康影响",
        "建议采取的措施",
        "数据时间",
        "模拟",
    ] {
        assert!(page.contains(text), "/station/1462A lacks {text}");
    }
    let category = api["latest"]["category"]["name_zh"]
        .as_str()
        .expect("category");
    assert!(
        page.contains(category),
        "the page lacks the category {category}"
    );
    let svgs = opening_tags(&page, "svg");
    assert!(
        svgs.iter().any(|tag| tag.contains(r#"class="trend""#)),
        "no <svg class=\"trend\"> in {svgs:?}"
    );
}

#[test]
fn water_section_page_shows_class_and_deciding_items() {
    let server = TestServer::start();
    let section = stations(&server)
        .into_iter()
        .find(|s| s["name"] == "灞河口")
        .expect("灞河口 in the API");
    let code = section["code"].as_str().expect("code");
    let class_zh = section["latest"]["class_zh"].as_str().expect("class_zh");

    let page = ok_page(&server, &format!("/water/{code}"));
    assert!(page.contains("<h1>灞河口</h1>"), "{}", excerpt(&page));
    for text in [
        "水质类别",
        "定类项目",
        "GB 3838-2002",
        "灞河",
        "位置为近似值",
    ] {
        assert!(page.contains(text), "/water/{code} lacks {text}");
    }
    let badge = between(&page, r#"class="badge badge-large""#, "</span>").expect("class badge");
    assert!(
        badge.ends_with(class_zh),
        "badge {badge:?} is not {class_zh}"
    );
    assert!(opening_tags(&page, "svg")
        .iter()
        .any(|t| t.contains(r#"class="trend""#)));
}

#[test]
fn unknown_pages_are_404_with_a_readable_message() {
    let server = TestServer::start();
    for path in [
        "/station/NOPE",
        "/station/%00bad",
        "/no/such/page",
        "/water/NOPE",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "GET {path}");
        let page = html_page(&reply, path);
        assert!(page.contains("找不到"), "{path}: {}", excerpt(&page));
        assert!(page.contains(r#"<a href="/">"#), "{path} links back home");
    }
}

#[test]
fn english_by_query_parameter() {
    let server = TestServer::start();
    let page = ok_page(&server, "/?lang=en");
    assert!(page.contains(r#"<html lang="en""#), "{}", excerpt(&page));
    assert!(page.contains("Air monitoring stations"));
    assert!(page.contains("China National Environmental Monitoring Centre"));
    assert!(
        !page.contains("空气质量监测站"),
        "Chinese heading left in the English page"
    );
}

#[test]
fn language_switch_remembers_the_choice_and_goes_back() {
    let server = TestServer::start();
    let reply = server.get("/lang/en?next=/station/1462A");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/station/1462A"));
    let cookie = reply.header("set-cookie").expect("Set-Cookie");
    assert!(cookie.starts_with("daylight_lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let cookie_header = [("Cookie", "daylight_lang=en")];
    let home = server.get_with("/", &cookie_header);
    assert_eq!(home.status, 200);
    let home = readable_html(&home.body);
    assert!(home.contains(r#"<html lang="en""#));
    assert!(home.contains("Air monitoring stations"));

    let station = server.get_with("/station/1462A", &cookie_header);
    assert_eq!(station.status, 200);
    assert!(readable_html(&station.body).contains(r#"<html lang="en""#));

    // And back to Chinese.
    let back = server.get("/lang/zh?next=/");
    assert_eq!(back.status, 303);
    assert!(back
        .header("set-cookie")
        .unwrap_or_default()
        .starts_with("daylight_lang=zh"));
    let home = server.get_with("/", &[("Cookie", "daylight_lang=zh")]);
    assert!(readable_html(&home.body).contains(r#"<html lang="zh-CN""#));
}

#[test]
fn language_switch_never_redirects_off_site() {
    let server = TestServer::start();
    for next in [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example/",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "javascript:alert(1)",
    ] {
        let reply = server.get(&format!("/lang/en?next={next}"));
        assert_eq!(reply.status, 303, "next={next}");
        assert_eq!(reply.header("location"), Some("/"), "next={next}");
    }
    assert_eq!(server.get("/lang/xx").status, 404);
}

/// Browsers remove tabs and newlines from a URL before resolving it (WHATWG URL
/// standard), so `Location: /<TAB>/evil.example` takes them to `//evil.example`.
#[test]
fn language_switch_rejects_tabs_that_browsers_strip() {
    let server = TestServer::start();
    for next in ["/%09/evil.example", "/%09%09evil.example/"] {
        let reply = server.get(&format!("/lang/en?next={next}"));
        assert_eq!(reply.status, 303);
        let location = reply.header("location").expect("Location");
        let as_browser_sees_it: String = location
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        assert!(
            !as_browser_sees_it.starts_with("//"),
            "next={next} redirects off-site: Location {location:?}"
        );
    }
}

#[test]
fn language_switch_with_control_characters_still_redirects() {
    let server = TestServer::start();
    for next in ["/%00x", "/%7F", "/%1Bx"] {
        let reply = server.get(&format!("/lang/en?next={next}"));
        assert_eq!(reply.status, 303, "next={next}");
        assert_eq!(
            reply.header("location"),
            Some("/"),
            "next={next}: {reply:?}"
        );
    }
}
