//! The public register's map (issue 6): `/complaints` carries what the map needs with the
//! page (the deployment's tile layer and each complaint's coarsened point), and each row has
//! the anchor a marker leads to; the reported point and the contact stay off the page.

use daylight_tests::form::encode;
use daylight_tests::{between, excerpt, readable_html, TestServer};

const TILE_URL: &str = "https://tiles.example.gov.cn/register-map/{z}/{x}/{y}.png";

#[test]
fn the_register_page_carries_the_tiles_coarse_points_and_row_anchors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("daylight.toml");
    std::fs::write(
        &config,
        format!("[map]\ntile_url = \"{TILE_URL}\"\ntile_attribution = \"示例底图\"\n"),
    )
    .expect("write config");
    let path = config.to_string_lossy().into_owned();
    let server = TestServer::start_with_args(&["--config", &path]);

    let form = readable_html(&server.get("/report").body);
    let key = between(&form, r#"name="key" value=""#, r#"""#).expect("a submission key");
    let observed = between(&form, r#"name="observed" value=""#, r#"""#).expect("a time");
    let body = [
        ("key", key),
        ("category", "air"),
        ("description", "烟囱冒黑烟"),
        ("observed", observed),
        ("lat", "34.26137"),
        ("lon", "108.94713"),
        ("contact", "13812345678"),
        ("consent", "yes"),
    ]
    .iter()
    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let reply = server.request(
        "POST",
        "/report",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Forwarded-For", "198.51.100.40"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));

    let api = server.get_json("/api/v1/complaints?limit=1");
    let code = api["features"][0]["properties"]["tracking_code"]
        .as_str()
        .expect("a tracking code")
        .to_string();

    let register = server.get("/complaints");
    assert_eq!(register.status, 200);
    let page = readable_html(&register.body);
    // The row a marker leads to, with the coarse place the marker stands on.
    let row = between(&page, &format!(r#"<tr id="complaint-{code}""#), "</tr>")
        .unwrap_or_else(|| panic!("no row anchored complaint-{code}:\n{}", excerpt(&page)));
    assert!(row.contains("34.261, 108.947"), "{row}");
    // The map's data comes with the page: the tile layer (no request of its own).
    assert!(
        register.body.contains("tiles.example.gov.cn/register-map"),
        "{}",
        excerpt(&register.body)
    );
    for secret in ["34.26137", "108.94713", "13812345678", "烟囱冒黑烟"] {
        assert!(
            !register.body.contains(secret),
            "{secret} is on the register"
        );
    }
}
