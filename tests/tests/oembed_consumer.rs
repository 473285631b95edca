//! oEmbed checked with a real consumer (issue 7's test list): micawber from PyPI, installed
//! by scripts/setup.sh into target/openapi-venv, registers our `/oembed` endpoint and turns
//! a station link and an enterprise link in a text into our iframes, within `maxwidth`.

use std::process::Command;

use daylight_tests::{describe, workspace_root, TestServer};
use serde_json::Value;

/// What micawber's `ProviderRegistry.request`, `extract` and `parse_text` make of our links.
const SCRIPT: &str = r#"
import json, re, sys
from micawber import Provider, ProviderRegistry
base, station, enterprise = sys.argv[1], sys.argv[2], sys.argv[3]
registry = ProviderRegistry()
registry.register(re.escape(base) + r'/(station|water|enterprise)/\S+', Provider(base + '/oembed'))
out = {}
for name, url in (('station', station), ('enterprise', enterprise)):
    out[name] = registry.request(url, maxwidth=300)
text = 'Air today:\n%s\nand the plant:\n%s\n' % (station, enterprise)
urls, extracted = registry.extract(text, maxwidth=300)
out['extracted'] = sorted(extracted.keys())
out['parsed'] = registry.parse_text(text, maxwidth=300)
print(json.dumps(out))
"#;

#[test]
fn micawber_embeds_a_station_and_an_enterprise() {
    let python = workspace_root().join("target/openapi-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it installs micawber there)",
        python.display()
    );
    let check = Command::new(&python)
        .args(["-c", "import micawber"])
        .output()
        .expect("run python");
    assert!(
        check.status.success(),
        "micawber is not installed in target/openapi-venv: run scripts/setup.sh ({})",
        describe(&check)
    );

    let server = TestServer::start();
    let list = server.get_json("/api/v1/enterprises");
    let enterprise = list["enterprises"][0]["credit_code"]
        .as_str()
        .expect("the demo has enterprises")
        .to_string();
    let base = server.url("");
    let station_url = server.url("/station/1462A");
    let enterprise_url = server.url(&format!("/enterprise/{enterprise}"));
    let out = Command::new(&python)
        .args(["-c", SCRIPT, &base, &station_url, &enterprise_url])
        .output()
        .expect("run micawber");
    assert!(out.status.success(), "micawber failed: {}", describe(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    for (name, card) in [
        ("station", "/embed/station/1462A".to_string()),
        ("enterprise", format!("/embed/enterprise/{enterprise}")),
    ] {
        let answer = &result[name];
        assert_eq!(answer["type"], "rich", "{name}: {answer}");
        let width = answer["width"].as_u64().expect("width");
        let height = answer["height"].as_u64().expect("height");
        assert!((200..=300).contains(&width), "{name}: width {width}");
        assert!(height <= 300 * 16 / 9, "{name}: height {height}");
        let html = answer["html"].as_str().expect("html");
        assert!(html.starts_with("<iframe"), "{name}: {html}");
        assert!(
            html.contains(&format!("src=\"{}\"", server.url(&card))),
            "{name}: {html}"
        );
        assert!(html.contains(&format!("width=\"{width}\"")), "{html}");
    }
    let extracted: Vec<&str> = result["extracted"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        extracted,
        {
            let mut v = vec![station_url.as_str(), enterprise_url.as_str()];
            v.sort();
            v
        },
        "{result}"
    );
    let parsed = result["parsed"].as_str().expect("parsed text");
    assert_eq!(parsed.matches("<iframe").count(), 2, "{parsed}");
    assert!(parsed.contains("/embed/enterprise/"), "{parsed}");
}
