//! Enterprises on the map and around stations (issue 5, item 4), and outlet values on the
//! live stream: the home map's enterprise layer and its switches (links, so they work without
//! JavaScript), the enterprises listed on station and section pages (on the section's river
//! where outlets say so, else within a radius), the embedded map's layer, oEmbed discovery on
//! the enterprise page, and `outlet` / `enterprise` events when an outlet's logger uploads.

use std::ffi::OsStr;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use daylight_domain::hj212::frame;
use daylight_tests::{describe, eventually, readable_html, SseEvent, TestServer};
use serde_json::Value;

/// The coal boiler house: its scripted NOx event runs to the first start ("exceeding now").
const BOILER: &str = "91610114MA6DM0009N";
/// The coal power plant, 2.7 km from 纺织城 (1464A); within its limits now.
const POWER: &str = "91610111MA6DM0001J";
/// The first wastewater plant, discharging into the 灞河 (灞河口 is the river's mouth).
const WASTEWATER: &str = "91610112MA6DM00037";
/// The fruit processor in 周至, discharging into the 渭河 16 km from 三郎村.
const FRUIT: &str = "91610124MA6DM0010B";
/// The food processor in 鄠邑, on the 渭河 too but 51 km from 三郎村.
const FOOD: &str = "91610118MA6DM0007A";

#[test]
fn the_map_has_an_enterprise_layer_with_switches_and_pages_list_the_enterprises_nearby() {
    let server = TestServer::start();

    // The home map: three layer switches, each a link to the map without (or with) it.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    let body = &home.body;
    assert!(body.contains(r#"class="layer-toggle""#), "{body}");
    for (layer, href) in [
        ("air", "/?layers=water,enterprises"),
        ("water", "/?layers=air,enterprises"),
        ("enterprises", "/?layers=air,water"),
    ] {
        assert!(
            body.contains(&format!(
                r#"data-layer="{layer}" data-on="true" data-noscroll="true" href="{href}""#
            )),
            "{layer}: {body}"
        );
    }
    // The list view has the enterprises, the one over its limit marked in words.
    assert!(body.contains(r#"<table class="stations enterprises">"#));
    assert!(
        body.contains(&format!(
            r#"<tr data-code="{BOILER}" data-exceeding="true">"#
        )),
        "{body}"
    );
    assert!(body.contains(&format!(
        r#"<tr data-code="{POWER}" data-exceeding="false">"#
    )));
    assert!(body.contains(&format!(r#"href="/enterprise/{BOILER}""#)));
    let text = readable_html(body);
    assert!(text.contains("! 正在超标"), "{text}");
    // The legend explains the diamond and the mark.
    assert!(text.contains("菱形：排污企业"), "{text}");
    assert!(text.contains("企业自行监测，未经审核"));

    // Without the enterprises: no enterprise table, and the switch turns them back on.
    let without = server.get("/?layers=air,water");
    assert_eq!(without.status, 200);
    assert!(!without.body.contains(r#"class="stations enterprises""#));
    assert!(without.body.contains(r#"<table class="stations air">"#));
    assert!(without
        .body
        .contains(r#"data-layer="enterprises" data-on="false" data-noscroll="true" href="/""#));
    // The enterprises alone.
    let alone = server.get("/?layers=enterprises");
    assert!(alone
        .body
        .contains(r#"<table class="stations enterprises">"#));
    assert!(!alone.body.contains(r#"<table class="stations air">"#));
    assert!(!alone.body.contains(r#"<table class="stations water">"#));
    assert!(alone.body.contains(r#"href="/?layers=none""#));

    // The map's data carries them for the browser map.
    let english = server.get_with("/", &[("Cookie", "daylight_lang=en")]);
    assert!(readable_html(&english.body).contains("exceeding a limit now"));

    // A water section on the 灞河: the outlet that discharges into it, said to be on the
    // same river, with the honest caveat about up- and downstream.
    let section = server.get("/water/W-BAHEKOU");
    assert_eq!(section.status, 200);
    let text = readable_html(&section.body);
    assert!(
        section
            .body
            .contains(&format!(r#"href="/enterprise/{WASTEWATER}""#)),
        "{text}"
    );
    assert!(text.contains("向灞河排放废水的排放口"), "{text}");
    assert!(text.contains("无法区分上游和下游"), "{text}");
    // On the 渭河: the outlet 16 km away, not the one 51 km away.
    let wei = server.get("/water/W-SANLANGCUN");
    assert!(
        wei.body.contains(&format!(r#"href="/enterprise/{FRUIT}""#)),
        "{}",
        readable_html(&wei.body)
    );
    assert!(!wei.body.contains(&format!(r#"href="/enterprise/{FOOD}""#)));
    assert!(readable_html(&wei.body).contains("向渭河排放废水"));
    // Nothing on its river within reach and no wastewater outlet within 10 km.
    let far = server.get("/water/W-SHAWANGDU");
    assert!(readable_html(&far.body).contains("附近没有登记的排污企业"));

    // An air station: the enterprises with an air outlet within 10 km, with the distance and
    // whether they exceed a limit now.
    let station = server.get("/station/1464A");
    assert_eq!(station.status, 200);
    let item = station
        .body
        .split(&format!(r#"<li data-code="{POWER}""#))
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .unwrap_or_else(|| panic!("the power plant is listed:\n{}", station.body));
    assert!(item.contains(r#"data-exceeding="false""#), "{item}");
    let item = readable_html(item);
    assert!(item.contains("2.7 km"), "{item}");
    assert!(item.contains("目前未超标"), "{item}");
    assert!(!station
        .body
        .contains(&format!(r#"href="/enterprise/{WASTEWATER}""#)));

    // The embedded map takes the layer, and the widget builder offers it.
    assert_eq!(
        server.get("/embed/map?layers=air,water,enterprises").status,
        200
    );
    let builder = server.get("/embed?view=map");
    assert!(
        builder
            .body
            .contains(r#"<option value="air,water,enterprises""#),
        "{}",
        builder.body
    );

    // oEmbed discovery on the enterprise page (issue 7), pointing at our provider.
    let page = server.get(&format!("/enterprise/{POWER}"));
    let discovery = format!(
        "/oembed?url=http%3A%2F%2F127.0.0.1%3A{}%2Fenterprise%2F{POWER}&amp;format=json",
        server.port()
    );
    assert!(
        page.body.contains(r#"type="application/json+oembed""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(&discovery), "{}", page.body);
    assert!(page.body.contains(r#"type="text/xml+oembed""#));
}

const A: &str = "91350100M000100Y43";
const MN: &str = "DLTOUTLET0001";

fn import(server: &TestServer, what: &str, csv: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{what}.csv"));
    std::fs::write(&path, csv).expect("cannot write a test file");
    let out = server.run_cli([OsStr::new("import"), OsStr::new(what), path.as_os_str()]);
    assert!(out.status.success(), "{}", describe(&out));
}

/// Days since 1970-01-01 as (year, month, day) (H. Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The HJ 212 DataTime (Beijing time) of the last complete hour: stored at the start of
/// the current one, so "now" for the register.
fn last_hour() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    let local = (now / 3600 - 1) * 3600 + 8 * 3600;
    let (y, m, d) = civil(local.div_euclid(86_400));
    format!(
        "{y:04}{m:02}{d:02}{:02}0000",
        local.rem_euclid(86_400) / 3600
    )
}

fn upload(server: &TestServer, nox: f64) {
    let segment = format!(
        "QN=20210601110005123;ST=31;CN=2061;PW=123456;MN={MN};Flag=4;\
         CP=&&DataTime={};a21002-Avg={nox},a21002-Flag=N&&",
        last_hour()
    );
    let address = SocketAddr::from(([127, 0, 0, 1], server.hj212_port()));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("cannot connect to the gateway: {e}\n{}", server.log()));
    stream.write_all(frame(&segment).as_bytes()).unwrap();
    stream.flush().unwrap();
}

/// The next event named `name` within 10 s (others are skipped).
fn next_named(events: &mut daylight_tests::EventStream, name: &str) -> SseEvent {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .unwrap_or_else(|| panic!("no {name} event within 10 s"));
        let event = events.next_event(left);
        if event.name == name {
            return event;
        }
    }
}

#[test]
fn an_outlet_upload_is_announced_live_and_its_enterprise_recoloured() {
    let server = TestServer::start_empty();
    import(
        &server,
        "enterprises",
        &format!("credit_code,name,industry,district,lon,lat\n{A},测试热电厂,火力发电,灞桥区,109.06,34.27\n"),
    );
    import(
        &server,
        "outlets",
        &format!("credit_code,outlet,name,kind,stack_height\n{A},DA001,1号烟囱,air,120\n"),
    );
    import(
        &server,
        "limits",
        &format!(
            "credit_code,outlet,pollutant,limit,unit,standard,averaging,method,frequency\n\
             {A},DA001,a21002,50,mg/m3,GB 13223-2011 表1,1h,automatic,hourly\n"
        ),
    );
    let out = server.run_cli([
        "logger",
        "add",
        MN,
        "--password",
        "123456",
        "--outlet",
        &format!("{A}/DA001"),
    ]);
    assert!(out.status.success(), "{}", describe(&out));

    let mut events = server.open_stream("/api/v1/live");
    assert!(events.head.contains("text/event-stream"), "{}", events.head);
    upload(&server, 80.0);

    // The values, as the readings API gives them.
    let outlet = next_named(&mut events, "outlet");
    let data: Value = serde_json::from_str(&outlet.data).expect("JSON data");
    assert_eq!(data["enterprise"], A, "{data}");
    assert_eq!(data["outlet"], "DA001");
    assert_eq!(data["period"], "hour");
    assert_eq!(data["readings"][0]["pollutant"], "a21002");
    assert_eq!(data["readings"][0]["value"], 80.0);
    assert_eq!(data["readings"][0]["unit"], "mg/m³");
    assert_eq!(data["readings"][0]["source"], "self_reported");
    // The enterprise's map summary: over its limit now.
    let summary = next_named(&mut events, "enterprise");
    let data: Value = serde_json::from_str(&summary.data).expect("JSON data");
    assert_eq!(data["credit_code"], A, "{data}");
    assert_eq!(data["exceeding_now"], true, "{data}");
    assert_eq!(data["lon"], 109.06);
    eventually("the home map's list marks it", || {
        let home = server.get("/");
        home.body
            .contains(&format!(r#"<tr data-code="{A}" data-exceeding="true">"#))
            .then_some(())
            .ok_or(home.body)
    });

    // The logger corrects the hour: back within the limit, and the summary follows.
    upload(&server, 20.0);
    let outlet = next_named(&mut events, "outlet");
    assert!(outlet.data.contains("20.0"), "{}", outlet.data);
    let summary = next_named(&mut events, "enterprise");
    let data: Value = serde_json::from_str(&summary.data).expect("JSON data");
    assert_eq!(data["exceeding_now"], false, "{data}");
    // The register agrees: one rule for "exceeding now".
    eventually("the register agrees", || {
        let list = server.get_json("/api/v1/enterprises");
        (list["enterprises"][0]["exceeding_now"] == false)
            .then_some(())
            .ok_or(list.to_string())
    });
}
