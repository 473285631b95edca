//! The HJ 212 gateway with real TCP clients: loggers registered with `daylight logger add`
//! upload hourly values, which are stored (labelled by the end of the hour) and acknowledged
//! only once committed; bad frames, unknown loggers and wrong passwords are refused; hostile
//! or idle clients do not stall anyone else.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use daylight_domain::hj212::{crc16_modbus, frame, Frame, FrameReader, Mode, Segment};
use daylight_tests::{describe, TestServer};
use serde_json::Value;

const MN: &str = "DLT1462A0001";
const PW: &str = "123456";
/// How long to wait for a reply that must come.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait to be sure that no reply comes.
const SILENCE: Duration = Duration::from_millis(700);

/// An hourly upload (CN 2061) for 2021-06-01 `hour`:00 Beijing time with PM2.5 and SO₂ means,
/// a COD value (water: skipped at an air station) and a code Daylight does not know.
fn hourly(qn: &str, pw: &str, mn: &str, hour: u32, pm25: f64) -> String {
    format!(
        "QN={qn};ST=22;CN=2061;PW={pw};MN={mn};Flag=5;CP=&&DataTime=20210601{hour:02}0000;\
         a34004-Avg={pm25},a34004-Flag=N;a21026-Avg=8.0,a21026-Flag=M;w01018-Avg=3.0;\
         zz0001-Avg=1.0&&"
    )
}

fn register(server: &TestServer, mn: &str, extra: &[&str]) {
    let mut args = vec!["logger", "add", mn, "--password", PW, "--station", "1462A"];
    args.extend_from_slice(extra);
    let out = server.run_cli(&args);
    assert!(
        out.status.success(),
        "logger add failed: {}",
        describe(&out)
    );
}

fn connect(server: &TestServer) -> TcpStream {
    let address = SocketAddr::from(([127, 0, 0, 1], server.hj212_port()));
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("cannot connect to the gateway: {e}\n{}", server.log()));
    stream.set_read_timeout(Some(REPLY_TIMEOUT)).unwrap();
    stream
}

fn send(stream: &mut TcpStream, bytes: &str) {
    stream.write_all(bytes.as_bytes()).unwrap();
    stream.flush().unwrap();
}

/// Reads one reply frame, checked strictly (the gateway's replies follow the standard) and
/// with a segment that parses (see [`segment`]).
fn reply(stream: &mut TcpStream, server: &TestServer) -> Frame {
    let mut reader = FrameReader::new(Mode::Strict);
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + REPLY_TIMEOUT;
    loop {
        assert!(
            Instant::now() < deadline,
            "no reply; log:\n{}",
            server.log()
        );
        let n = match stream.read(&mut buf) {
            Ok(0) => panic!("the gateway closed the connection; log:\n{}", server.log()),
            Ok(n) => n,
            Err(e) => panic!("no reply: {e}; log:\n{}", server.log()),
        };
        if let Some(item) = reader.feed(&buf[..n]).into_iter().next() {
            let frame = item.expect("the reply is a valid frame");
            segment(&frame);
            return frame;
        }
    }
}

/// Asserts that nothing arrives for a moment (and that the connection is still open).
fn no_reply(stream: &mut TcpStream) {
    stream.set_read_timeout(Some(SILENCE)).unwrap();
    let mut buf = [0u8; 256];
    match stream.read(&mut buf) {
        Ok(0) => panic!("the gateway closed the connection"),
        Ok(n) => panic!("unexpected reply: {:?}", String::from_utf8_lossy(&buf[..n])),
        Err(e) => assert!(
            matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "{e}"
        ),
    }
    stream.set_read_timeout(Some(REPLY_TIMEOUT)).unwrap();
}

/// The segment of a reply frame.
fn segment(reply: &Frame) -> Segment<'_> {
    reply.parse_segment().expect("the reply is a valid segment")
}

fn assert_data_reply(reply: &Frame, qn: &str) {
    let reply = segment(reply);
    assert_eq!(reply.st(), "91");
    assert_eq!(reply.command().code(), 9014);
    assert_eq!(reply.qn(), Some(qn));
    assert_eq!(reply.mn(), MN);
    assert_eq!(reply.flag().map(|f| f.bits()), Some(4));
}

fn assert_refusal(reply: &Frame, qn: &str, qn_rtn: &str) {
    let reply = segment(reply);
    assert_eq!(reply.st(), "91");
    assert_eq!(reply.command().code(), 9011);
    assert_eq!(reply.qn(), Some(qn));
    assert_eq!(reply.cp(), format!("QnRtn={qn_rtn}"));
}

/// The PM2.5 readings of 1462A on 2021-06-01 (Beijing time), as the API returns them.
fn pm25(server: &TestServer) -> Vec<Value> {
    let body = server.get_json(
        "/api/v1/stations/1462A/readings?parameter=PM2.5\
         &from=2021-06-01T00:00:00%2B08:00&to=2021-06-02T00:00:00%2B08:00",
    );
    body["readings"].as_array().cloned().unwrap_or_default()
}

/// Polls the API (which caches pages for a second) until `check` holds, for at most 5 s.
fn settle(server: &TestServer, what: &str, check: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let readings = pm25(server);
        if check(&readings) {
            return readings;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {readings:?}\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn assert_no_panic(server: &TestServer) {
    let log = server.log();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
}

#[test]
fn an_hourly_upload_is_stored_at_the_end_of_its_hour_and_acknowledged() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    let qn = "20210601110005123";
    let packet = frame(&hourly(qn, PW, MN, 10, 35.0));
    send(&mut stream, &packet);
    assert_data_reply(&reply(&mut stream, &server), qn);

    // DataTime 10:00 starts the hour 10:00–11:00, which Daylight labels 11:00.
    let readings = settle(&server, "the PM2.5 value is stored", |r| !r.is_empty());
    assert_eq!(readings.len(), 1, "{readings:?}");
    assert_eq!(readings[0]["time"], "2021-06-01T11:00:00+08:00");
    assert_eq!(readings[0]["value"], 35.0);
    assert_eq!(readings[0]["flag"], "N");
    assert_eq!(readings[0]["source"], "measured");
    let all = server.get_json(
        "/api/v1/stations/1462A/readings\
         ?from=2021-06-01T00:00:00%2B08:00&to=2021-06-02T00:00:00%2B08:00",
    );
    let all = all["readings"].as_array().cloned().unwrap_or_default();
    let so2: Vec<_> = all.iter().filter(|r| r["parameter"] == "SO2").collect();
    assert_eq!(so2.len(), 1, "{all:?}");
    assert_eq!(so2[0]["flag"], "M", "the data flag is kept");
    // Only PM2.5 and SO2: the water code and the unknown code are skipped.
    assert_eq!(all.len(), 2, "{all:?}");

    // A re-sent packet (the logger missed the ack) is acknowledged again and stored once.
    send(&mut stream, &packet);
    assert_data_reply(&reply(&mut stream, &server), qn);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(pm25(&server).len(), 1);

    // Real-time data (2011) is acknowledged but not stored yet.
    let rt = "QN=20210601100105000;ST=22;CN=2011;PW=123456;MN=DLT1462A0001;Flag=5;\
              CP=&&DataTime=20210601100100;a34004-Rtd=99.0,a34004-Flag=N&&";
    send(&mut stream, &frame(rt));
    assert_data_reply(&reply(&mut stream, &server), "20210601100105000");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(pm25(&server).len(), 1);
    assert_no_panic(&server);
}

#[test]
fn an_acknowledged_value_survives_a_crash_right_after_the_ack() {
    let mut server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    let qn = "20210601110005001";
    send(&mut stream, &frame(&hourly(qn, PW, MN, 10, 35.0)));
    assert_data_reply(&reply(&mut stream, &server), qn);
    // SIGKILL at once: whatever was acknowledged must already be committed.
    server.kill_and_restart();
    let readings = pm25(&server);
    assert_eq!(readings.len(), 1, "{readings:?}\n{}", server.log());
    assert_eq!(readings[0]["value"], 35.0);
    assert_no_panic(&server);
}

#[test]
fn unknown_loggers_and_wrong_passwords_are_refused_and_nothing_is_stored() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);

    let qn = "20210601110005001";
    send(&mut stream, &frame(&hourly(qn, "654321", MN, 10, 35.0)));
    assert_refusal(&reply(&mut stream, &server), qn, "3");

    let qn = "20210601110005002";
    send(
        &mut stream,
        &frame(&hourly(qn, PW, "NOSUCHLOGGER", 10, 35.0)),
    );
    assert_refusal(&reply(&mut stream, &server), qn, "4");

    // Without the A bit (Flag=4) nothing is answered.
    let quiet = hourly("20210601110005003", "654321", MN, 10, 35.0).replace("Flag=5", "Flag=4");
    send(&mut stream, &frame(&quiet));
    no_reply(&mut stream);

    // A removed logger is unknown from then on (registry lookups are reused for a second).
    let out = server.run_cli(["logger", "remove", MN]);
    assert!(out.status.success(), "{}", describe(&out));
    std::thread::sleep(Duration::from_millis(1100));
    let qn = "20210601110005004";
    send(&mut stream, &frame(&hourly(qn, PW, MN, 10, 35.0)));
    assert_refusal(&reply(&mut stream, &server), qn, "4");

    std::thread::sleep(Duration::from_millis(1100));
    assert!(pm25(&server).is_empty());
    let log = server.log();
    assert!(log.contains("wrong password"), "{log}");
    assert!(log.contains("unknown MN"), "{log}");
    assert!(log.contains("peer"), "logs name the peer: {log}");
    assert_no_panic(&server);
}

#[test]
fn bad_frames_and_garbage_are_skipped_and_the_connection_stays_usable() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);

    // A bad CRC: no reply, and the next frame on the same connection is handled.
    let good = frame(&hourly("20210601110005001", PW, MN, 10, 35.0));
    let crc_at = good.len() - 6;
    let wrong = if &good[crc_at..crc_at + 4] == "0000" {
        "FFFF"
    } else {
        "0000"
    };
    let bad_crc = format!("{}{wrong}\r\n", &good[..crc_at]);
    send(&mut stream, &bad_crc);
    no_reply(&mut stream);
    send(&mut stream, &good);
    assert_data_reply(&reply(&mut stream, &server), "20210601110005001");

    // Noise, a header with a bad length, binary bytes, then a good frame.
    let noisy = "AT+CSQ\r\n##abcdQN=1\r\n\u{1}\u{2}\u{7f}####";
    let next = frame(&hourly("20210601120005002", PW, MN, 11, 40.0));
    send(&mut stream, &format!("{noisy}{next}"));
    assert_data_reply(&reply(&mut stream, &server), "20210601120005002");

    // A frame split across writes is put together.
    let split = frame(&hourly("20210601130005003", PW, MN, 12, 45.0));
    let (a, b) = split.split_at(17);
    send(&mut stream, a);
    std::thread::sleep(Duration::from_millis(200));
    send(&mut stream, b);
    assert_data_reply(&reply(&mut stream, &server), "20210601130005003");

    // A swapped MODBUS CRC is refused from a strict logger.
    let segment = hourly("20210601140005004", PW, MN, 13, 50.0);
    let modbus = format!(
        "##{:04}{segment}{:04X}\r\n",
        segment.len(),
        crc16_modbus(segment.as_bytes()).swap_bytes()
    );
    send(&mut stream, &modbus);
    no_reply(&mut stream);

    // An oversize frame (longer than any mode accepts) is dropped, then all is well again.
    let oversize = format!("##9999{}", "x".repeat(10_000));
    send(&mut stream, &oversize);
    let after = frame(&hourly("20210601150005005", PW, MN, 14, 55.0));
    send(&mut stream, &after);
    assert_data_reply(&reply(&mut stream, &server), "20210601150005005");

    let readings = settle(&server, "four hours are stored", |r| r.len() == 4);
    let values: Vec<f64> = readings
        .iter()
        .filter_map(|r| r["value"].as_f64())
        .collect();
    assert_eq!(values, vec![35.0, 40.0, 45.0, 55.0]);
    let log = server.log();
    assert!(log.contains("CRC mismatch"), "{log}");
    assert!(log.contains("logger is strict"), "{log}");
    assert_no_panic(&server);
}

#[test]
fn a_lenient_logger_may_send_the_swapped_modbus_crc() {
    let server = TestServer::start();
    register(&server, MN, &["--lenient"]);
    let list = server.run_cli(["logger", "list"]);
    assert!(list.status.success(), "{}", describe(&list));
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains(MN) && text.contains("1462A") && text.contains("lenient"),
        "{text}"
    );
    assert!(
        !text.contains(PW),
        "the list does not show passwords: {text}"
    );

    let mut stream = connect(&server);
    let qn = "20210601110005001";
    let segment = hourly(qn, PW, MN, 10, 35.0);
    let modbus = format!(
        "##{:04}{segment}{:04x}\r\n",
        segment.len(),
        crc16_modbus(segment.as_bytes()).swap_bytes()
    );
    send(&mut stream, &modbus);
    assert_data_reply(&reply(&mut stream, &server), qn);
    settle(&server, "the value is stored", |r| r.len() == 1);
    assert!(server.log().contains("accepted leniently"));
    assert_no_panic(&server);
}

#[test]
fn idle_clients_do_not_block_others_and_one_address_cannot_take_every_slot() {
    let server = TestServer::start();
    register(&server, MN, &[]);

    // A client that connects and sends nothing, and one that sends half a frame.
    let _idle = connect(&server);
    let mut half = connect(&server);
    send(&mut half, "##0100QN=2021");
    let mut active = connect(&server);
    let qn = "20210601110005001";
    send(&mut active, &frame(&hourly(qn, PW, MN, 10, 35.0)));
    assert_data_reply(&reply(&mut active, &server), qn);

    // 3 connections are open; 40 more from the same address exceed the 32 allowed.
    let extra: Vec<TcpStream> = (0..40).map(|_| connect(&server)).collect();
    // The gateway refuses at once; a moment later every refused socket reads as closed.
    std::thread::sleep(Duration::from_millis(500));
    let mut closed = 0;
    for mut stream in extra {
        stream.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        match stream.read(&mut buf) {
            Ok(0) => closed += 1,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => closed += 1,
            _ => {}
        }
    }
    assert_eq!(closed, 11, "connections beyond 32 per address are closed");

    // The connections that were accepted still work, and so does HTTP.
    let qn = "20210601120005002";
    send(&mut active, &frame(&hourly(qn, PW, MN, 11, 40.0)));
    assert_data_reply(&reply(&mut active, &server), qn);
    assert_eq!(server.get("/api/v1/stations").status, 200);
    assert_no_panic(&server);
}

#[test]
fn the_logger_commands_validate_their_input() {
    let server = TestServer::start();
    let fails = |args: &[&str], needle: &str| {
        let out = server.run_cli(args);
        assert!(
            !out.status.success(),
            "{args:?} should fail: {}",
            describe(&out)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle),
            "{args:?}: expected '{needle}' in: {err}"
        );
    };
    fails(
        &["logger", "add", MN, "--password", PW, "--station", "9999Z"],
        "unknown station",
    );
    fails(
        &[
            "logger",
            "add",
            "MN-1",
            "--password",
            PW,
            "--station",
            "1462A",
        ],
        "invalid MN",
    );
    fails(
        &[
            "logger",
            "add",
            "A".repeat(25).as_str(),
            "--password",
            PW,
            "--station",
            "1462A",
        ],
        "invalid MN",
    );
    fails(
        &[
            "logger",
            "add",
            MN,
            "--password",
            "1234567",
            "--station",
            "1462A",
        ],
        "invalid password",
    );
    fails(&["logger", "remove", MN], "no logger");

    // Only the demo's own simulated loggers so far.
    let before = server.run_cli(["logger", "list"]);
    assert!(!String::from_utf8_lossy(&before.stdout).contains(MN));
    register(&server, MN, &[]);
    register(&server, MN, &["--lenient"]);
    let list = server.run_cli(["logger", "list"]);
    let text = String::from_utf8_lossy(&list.stdout).into_owned();
    assert_eq!(text.matches(MN).count(), 1, "re-adding replaces: {text}");
    assert!(text.contains("lenient"), "{text}");
    let out = server.run_cli(["logger", "remove", MN]);
    assert!(out.status.success(), "{}", describe(&out));
    let list = server.run_cli(["logger", "list"]);
    assert!(!String::from_utf8_lossy(&list.stdout).contains(MN));
}

/// A minute upload (CN 2051) for 2021-06-01 `hour`:`minute` Beijing time with a PM2.5 mean.
fn minute(qn: &str, hour: u32, minute: u32, pm25: f64, flag: &str) -> String {
    format!(
        "QN={qn};ST=22;CN=2051;PW={PW};MN={MN};Flag=5;CP=&&DataTime=20210601{hour:02}{minute:02}00;\
         a34004-Avg={pm25},a34004-Flag={flag}&&"
    )
}

/// Sends minutes `0..count` of 10:00–11:00 (Beijing) with PM2.5 = 20 + minute, each acked.
fn send_minutes(server: &TestServer, stream: &mut TcpStream, count: u32, flag: &str) {
    for m in 0..count {
        let qn = format!("20210601{:02}{:02}00{:03}", 10, m, m);
        send(
            stream,
            &frame(&minute(&qn, 10, m, 20.0 + f64::from(m), flag)),
        );
        assert_data_reply(&reply(stream, server), &qn);
    }
}

#[test]
fn minute_values_become_an_hourly_mean_once_45_minutes_are_in() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    // 44 valid minutes are not an hour (GB 3095-2012 Table 4)...
    send_minutes(&server, &mut stream, 44, "N");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(pm25(&server), Vec::<Value>::new(), "{}", server.log());
    // ...45 are: the mean of 20..=64 is 42, labelled 11:00 (the end of the hour).
    send_minutes(&server, &mut stream, 45, "N");
    let readings = settle(&server, "a derived hourly value", |r| r.len() == 1);
    assert_eq!(readings[0]["time"], "2021-06-01T11:00:00+08:00");
    assert_eq!(readings[0]["value"], 42.0);
    assert_eq!(readings[0]["source"], "measured");
    let provenance = readings[0]["provenance"].as_str().unwrap_or_default();
    assert!(provenance.contains("45 samples"), "{provenance}");
    assert_no_panic(&server);
}

#[test]
fn minute_values_flagged_invalid_do_not_make_an_hour() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    // Calibration (C) values are not valid data (HJ 212 Table 8, HJ 630).
    send_minutes(&server, &mut stream, 60, "C");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(pm25(&server), Vec::<Value>::new(), "{}", server.log());
}

#[test]
fn a_reported_hourly_value_wins_over_one_derived_from_minutes() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    send_minutes(&server, &mut stream, 50, "N");
    settle(&server, "the derived value", |r| r.len() == 1);
    // The logger's own hourly value replaces the derived one...
    let qn = "20210601110005001";
    send(&mut stream, &frame(&hourly(qn, PW, MN, 10, 35.0)));
    assert_data_reply(&reply(&mut stream, &server), qn);
    settle(&server, "the reported value", |r| {
        r.len() == 1 && r[0]["value"] == 35.0 && r[0].get("provenance").is_none()
    });
    // ...and late minutes of the same hour do not overwrite it.
    send_minutes(&server, &mut stream, 60, "N");
    std::thread::sleep(Duration::from_millis(1200));
    let readings = pm25(&server);
    assert_eq!(readings.len(), 1);
    assert_eq!(readings[0]["value"], 35.0, "{readings:?}");
}

#[test]
fn real_time_values_are_published_live_as_samples() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut live = server.open_stream("/api/v1/live");
    let mut stream = connect(&server);
    let qn = "20210601100105000";
    let rt = format!(
        "QN={qn};ST=22;CN=2011;PW={PW};MN={MN};Flag=5;CP=&&DataTime=20210601100100;\
         a34004-Rtd=55.5,a34004-Flag=N&&"
    );
    send(&mut stream, &frame(&rt));
    assert_data_reply(&reply(&mut stream, &server), qn);
    let event = live.next_event(Duration::from_secs(5));
    assert_eq!(event.name, "readings", "{event:?}");
    let data: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(data["station"], "1462A");
    assert_eq!(data["period"], "sample");
    assert_eq!(data["readings"][0]["parameter"], "PM2.5");
    assert_eq!(data["readings"][0]["value"], 55.5);
    assert_eq!(data["readings"][0]["time"], "2021-06-01T10:01:00+08:00");
}

#[test]
fn a_leniently_accepted_value_says_so_in_its_provenance() {
    let server = TestServer::start();
    register(&server, MN, &["--lenient"]);
    let mut stream = connect(&server);
    let qn = "20210601110005001";
    let segment = hourly(qn, PW, MN, 10, 35.0);
    // The byte-swapped MODBUS CRC some loggers send: accepted only when lenient.
    let crc = crc16_modbus(segment.as_bytes()).swap_bytes();
    send(
        &mut stream,
        &format!("##{:04}{segment}{crc:04X}\r\n", segment.len()),
    );
    assert_data_reply(&reply(&mut stream, &server), qn);
    let readings = settle(&server, "the lenient value", |r| r.len() == 1);
    let provenance = readings[0]["provenance"].as_str().unwrap_or_default();
    assert!(provenance.contains("leniently"), "{provenance}");
}

#[test]
fn a_period_that_has_not_ended_is_refused() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    let qn = "20990601110005001";
    let future = hourly(qn, PW, MN, 10, 35.0).replace("DataTime=2021", "DataTime=2099");
    send(&mut stream, &frame(&future));
    no_reply(&mut stream);
    assert!(server.log().contains("has not ended"), "{}", server.log());
}

#[test]
fn registering_a_logger_beside_a_busy_server_waits_for_its_turn() {
    // The demo feed writes every second; a CLI write used to fail at once with "database is
    // locked" when a commit fell between its read and its write.
    let server = TestServer::start_with_args(&["--demo-feed-interval", "1"]);
    for i in 0..15 {
        let mn = format!("DLTBUSY{i:05}");
        register(&server, &mn, &[]);
        std::thread::sleep(Duration::from_millis(70));
    }
}

/// An hourly upload with O₃ only, for 2021-06-01 `hour`:00 Beijing time.
fn hourly_o3(qn: &str, hour: u32, o3: f64) -> String {
    format!(
        "QN={qn};ST=22;CN=2061;PW={PW};MN={MN};Flag=5;CP=&&DataTime=20210601{hour:02}0000;\
         a05024-Avg={o3},a05024-Flag=N&&"
    )
}

#[test]
fn the_8_hour_ozone_mean_is_derived_once_6_hours_are_in() {
    let server = TestServer::start();
    register(&server, MN, &[]);
    let mut stream = connect(&server);
    // Hours 00:00..08:00 (labelled 01:00..09:00) with O3 = 10, 20, ... 80.
    for h in 0..8u32 {
        let qn = format!("202106010{h}0005000");
        send(
            &mut stream,
            &frame(&hourly_o3(&qn, h, f64::from(h + 1) * 10.0)),
        );
        assert_data_reply(&reply(&mut stream, &server), &qn);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let means = loop {
        let body = server.get_json(
            "/api/v1/stations/1462A/readings?parameter=O3_8h\
             &from=2021-06-01T00:00:00%2B08:00&to=2021-06-02T00:00:00%2B08:00",
        );
        let means = body["readings"].as_array().cloned().unwrap_or_default();
        if means.len() == 3 || Instant::now() > deadline {
            break means;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // GB 3095-2012: at least 6 of the 8 hours; the first mean ends at the 6th hour (06:00),
    // the mean of 10..=60 = 35; then 10..=70 = 40 and 10..=80 = 45.
    let values: Vec<(String, f64)> = means
        .iter()
        .map(|m| {
            (
                m["time"].as_str().unwrap_or_default().to_owned(),
                m["value"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("2021-06-01T06:00:00+08:00".to_owned(), 35.0),
            ("2021-06-01T07:00:00+08:00".to_owned(), 40.0),
            ("2021-06-01T08:00:00+08:00".to_owned(), 45.0),
        ],
        "{}",
        server.log()
    );
    assert!(means[0]["provenance"]
        .as_str()
        .unwrap_or_default()
        .contains("8-hour"));
}

#[test]
fn the_demo_feed_uploads_through_the_gateway_as_simulated_loggers() {
    let server = TestServer::start();
    let out = server.run_cli(["logger", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("DEMO1462A"), "{text}");
    assert!(text.contains("simulated"), "{text}");
    let log = server.log();
    assert!(log.contains("simulated loggers registered"), "{log}");
    // Every station's latest values came in as simulated (TestServer::start waits for it).
    let stations = server.get_json("/api/v1/stations");
    assert!(stations["features"]
        .as_array()
        .is_some_and(|f| f.iter().all(|f| f["properties"]["source"] == "simulated")));
}

#[test]
fn a_2005_style_packet_with_legacy_codes_is_stored_and_says_so() {
    let server = TestServer::start();
    // HJ/T 212-2005: no QN, no Flag, a 14-character MN, legacy factor codes ("02" = SO2).
    let mn = "LD130133000015";
    register(&server, mn, &[]);
    let mut stream = connect(&server);
    let legacy = format!(
        "ST=22;CN=2061;PW={PW};MN={mn};CP=&&DataTime=20210601100000;02-Avg=12.0,02-Flag=N&&"
    );
    send(&mut stream, &frame(&legacy));
    let deadline = Instant::now() + Duration::from_secs(5);
    let readings = loop {
        let body = server.get_json(
            "/api/v1/stations/1462A/readings?parameter=SO2\
             &from=2021-06-01T00:00:00%2B08:00&to=2021-06-02T00:00:00%2B08:00",
        );
        let readings = body["readings"].as_array().cloned().unwrap_or_default();
        if !readings.is_empty() || Instant::now() > deadline {
            break readings;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(readings.len(), 1, "{}", server.log());
    assert_eq!(readings[0]["value"], 12.0);
    assert_eq!(readings[0]["time"], "2021-06-01T11:00:00+08:00");
    let provenance = readings[0]["provenance"].as_str().unwrap_or_default();
    assert!(provenance.contains("2005"), "{provenance}");
}

#[test]
fn an_outlet_logger_uploads_self_reported_emissions() {
    let server = TestServer::start();
    // The demo's fictional thermal power plant and its flue-gas stack.
    let enterprise = "91610111MA6DM0001J";
    let mn = "DLTOUTLET0001";
    let out = server.run_cli([
        "logger",
        "add",
        mn,
        "--password",
        PW,
        "--outlet",
        &format!("{enterprise}/DA001"),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("outlet"));
    // An unknown outlet is refused with a reason, and --station/--outlet exclude each other.
    let bad = server.run_cli([
        "logger",
        "add",
        "X1",
        "--password",
        PW,
        "--outlet",
        &format!("{enterprise}/DA999"),
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("unknown outlet"),
        "{}",
        describe(&bad)
    );
    let both = server.run_cli([
        "logger",
        "add",
        "X2",
        "--password",
        PW,
        "--station",
        "1462A",
        "--outlet",
        &format!("{enterprise}/DA001"),
    ]);
    assert!(!both.status.success());

    // ST 31 (flue gas): SO2 in mg/m³ as the code table gives it.
    let qn = "20210601110005001";
    let upload = format!(
        "QN={qn};ST=31;CN=2061;PW={PW};MN={mn};Flag=5;CP=&&DataTime=20210601100000;\
         a21026-Avg=120.5,a21026-Flag=N;a34013-Avg=12.0,a34013-Flag=N&&"
    );
    let mut stream = connect(&server);
    send(&mut stream, &frame(&upload));
    let reply = reply(&mut stream, &server);
    assert_eq!(segment(&reply).command().code(), 9014);
    let body = server.get_json(&format!(
        "/api/v1/enterprises/{enterprise}/readings?from=2021-06-01T00:00:00%2B08:00&to=2021-06-02T00:00:00%2B08:00"
    ));
    let readings = body["readings"].as_array().cloned().unwrap_or_default();
    let so2 = readings
        .iter()
        .find(|r| r["pollutant"] == "a21026")
        .unwrap_or_else(|| panic!("no SO2 value: {body}"));
    assert_eq!(so2["value"], 120.5);
    assert_eq!(so2["time"], "2021-06-01T11:00:00+08:00");
    assert_eq!(so2["source"], "self_reported");
    assert_eq!(so2["outlet"], "DA001");
}
