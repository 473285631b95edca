//! Helpers for the tests that fill in forms: URL-encoding, cookies, CSRF tokens, and the
//! demo's districts (for a point inside one).

use daylight_domain::geo::{LonLat, MultiPolygon, Polygon};
use serde_json::Value;

use crate::{between, Reply, TestServer};

/// `application/x-www-form-urlencoded` encoding of one name or value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form body from its fields, in order.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `name=value` of every cookie a reply sets (attributes dropped).
pub fn set_cookies(reply: &Reply) -> Vec<String> {
    reply
        .header_all("set-cookie")
        .iter()
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect()
}

/// The CSRF token in a page's form.
pub fn csrf_of(page: &str) -> String {
    between(page, r#"name="csrf" value=""#, "\"")
        .expect("a CSRF token")
        .to_owned()
}

/// A GeoJSON MultiPolygon geometry as the domain type.
pub fn multipolygon(geometry: &Value) -> MultiPolygon {
    let ring = |points: &Value| -> Vec<LonLat> {
        points
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| LonLat {
                lon: p[0].as_f64().expect("lon"),
                lat: p[1].as_f64().expect("lat"),
            })
            .collect()
    };
    MultiPolygon(
        geometry["coordinates"]
            .as_array()
            .expect("polygons")
            .iter()
            .map(|rings| {
                let rings = rings.as_array().expect("rings");
                Polygon {
                    exterior: ring(&rings[0]),
                    holes: rings[1..].iter().map(ring).collect(),
                }
            })
            .collect(),
    )
}

/// Two districts' adcodes with a point inside the first.
pub fn two_districts(server: &TestServer) -> (String, String, LonLat) {
    let districts = server.get_json("/api/v1/districts");
    let features = districts["features"].as_array().expect("features");
    let adcode = |i: usize| {
        features[i]["properties"]["adcode"]
            .as_str()
            .expect("adcode")
            .to_owned()
    };
    let inside = multipolygon(&features[0]["geometry"])
        .interior_point()
        .expect("a point inside");
    (adcode(0), adcode(1), inside)
}
